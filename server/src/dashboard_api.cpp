// Routing, sign-in and the JSON API of the dashboard (docs/dashboard.md).
#include "dashboard_api.hpp"
#include "dashboard_view.hpp"
#include "report_json.hpp"

#include <minga/shared/central_users.hpp>

#include <nlohmann/json.hpp>

namespace minga::server {

namespace {

using json = nlohmann::json;

constexpr std::string_view page_prefix = "/dashboard";
constexpr std::string_view api_prefix = "/api/v1/dashboard";
constexpr std::string_view session_path = "/api/v1/session";

dashboard_response json_response(unsigned status, const json& doc) {
    dashboard_response r;
    r.status = status;
    r.content_type = "application/json; charset=utf-8";
    r.body = doc.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

dashboard_response json_error(unsigned status, const error& e) {
    return json_response(status, {{"error", {{"code", std::string(to_string(e.code))},
                                             {"field", e.field},
                                             {"message", e.text("es")},
                                             {"message_en", e.text("en")}}}});
}

dashboard_response redirect(std::string_view to) {
    dashboard_response r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "→ " + std::string(to) + "\n";
    r.headers.emplace_back("Location", std::string(to));
    return r;
}

/// The session cookie. Over HTTPS it is `Secure`, so a browser never sends it over plain HTTP
/// (a server run with --plain-http has no HTTPS to restrict it to).
std::string set_cookie(std::string_view token, std::int64_t max_age_s, bool secure) {
    return std::string(session_cookie) + "=" + std::string(token) +
           "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) +
           (secure ? "; Secure" : "");
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

json table_json(const report_table& t) {
    return {{"report", std::string(to_string(t.by))}, {"columns", t.columns}, {"rows", rows_json(t)}};
}

json summary_json(const consolidation_summary& s) {
    return {{"as_of_ms", s.as_of_ms},
            {"totals",
             {{"proyectos", s.projects},
              {"comprometido_usd", static_cast<double>(s.committed_usd_cents) / 100.0},
              {"desembolsado_usd", static_cast<double>(s.disbursed_usd_cents) / 100.0},
              {"beneficiarios", s.beneficiaries},
              {"proyectos_sin_conversion", s.unconverted_projects}}},
            {"quality",
             {{"unconverted_projects", s.unconverted_projects},
              {"unconverted_currencies", s.unconverted_currencies},
              {"no_amount_projects", s.no_amount_projects},
              {"no_territory_projects", s.no_territory_projects},
              {"rescaled_share_projects", s.rescaled_share_projects}}}};
}

dashboard_response api(central& c, const dashboard_request& r, std::int64_t now_ms) {
    auto& db = c.conn();
    const std::string_view what = std::string_view(r.path).substr(api_prefix.size());
    if (r.method != "GET")
        return json_error(405, make_error(errc::bad_input, "method", "use GET", "use GET"));
    if (what == "/summary") {
        auto s = last_consolidation(db);
        if (!s) return json_error(404, s.err());
        return json_response(200, summary_json(*s));
    }
    if (what == "/territory") {
        auto t = territory_table(db, {form_value(r.query, "province"), form_value(r.query, "canton")});
        if (!t) return json_error(t.err().code == errc::not_found ? 404 : 400, t.err());
        return json_response(200, table_json(*t));
    }
    if (what == "/breakdown") {
        auto by = parse_report_by(form_value(r.query, "by"));
        if (!by) return json_error(400, by.err());
        auto t = report(db, *by);
        if (!t) return json_error(404, t.err());
        return json_response(200, table_json(*t));
    }
    if (what == "/indicators") {
        json rows = json::array();
        for (const auto& i : indicator_progress_list(db, dashboard_tuning::max_indicator_rows)) {
            rows.push_back({{"key", i.key}, {"name", i.name}, {"unit", i.unit}, {"rule", i.aggregation},
                            {"indicators", i.indicators},
                            {"projects", i.projects}, {"observations", i.observations},
                            {"baseline", i.baseline}, {"current", i.current}, {"target", i.target},
                            {"with_target", i.with_target},
                            {"last_observed", i.last_observed.empty() ? json(nullptr) : json(i.last_observed)},
                            {"progress_pct", i.progress_pct ? json(*i.progress_pct) : json(nullptr)}});
        }
        return json_response(200, {{"indicators", std::move(rows)}});
    }
    if (what == "/demand-plan") {
        // The same document as `minga-server report --by demand-<by> --format json`.
        const auto by = form_value(r.query, "by");
        auto kind = parse_demand_report(by.empty() ? "demand" : "demand-" + by);
        if (!kind || !*kind) {
            return json_error(400, make_error(errc::bad_input, "by",
                                              "use by=province|sector|ods|modality|priority|coverage|gaps",
                                              "use by=province|sector|ods|modality|priority|coverage|gaps"));
        }
        return json_response(200, demand_report_json(db, **kind, "es"));
    }
    if (what == "/sync") {
        json rows = json::array();
        for (const auto& h : sync_health(db)) {
            rows.push_back({{"gad", h.gad}, {"name", h.name}, {"level", h.level},
                            {"devices_active", h.devices_active}, {"devices_pending", h.devices_pending},
                            {"devices_revoked", h.devices_revoked},
                            {"last_sync_ms", h.last_sync_ms > 0 ? json(h.last_sync_ms) : json(nullptr)},
                            {"open_conflicts", h.open_conflicts}, {"projects", h.projects}});
        }
        return json_response(200, {{"now_ms", now_ms}, {"gads", std::move(rows)}});
    }
    return json_error(404, make_error(errc::not_found, "path", "recurso desconocido", "unknown resource"));
}

/// Sign-in with a user secret (form field or JSON "secret"): a session cookie.
result<user_session> sign_in_with(central& c, const dashboard_request& r, std::int64_t now_ms) {
    std::string secret;
    if (r.content_type.rfind("application/json", 0) == 0) {
        auto doc = json::parse(r.body, nullptr, false);
        if (doc.is_object() && doc.contains("secret") && doc["secret"].is_string())
            secret = doc["secret"].get<std::string>();
    } else {
        secret = form_value(r.body, "secret");
    }
    return sign_in(c.conn(), secret, now_ms, dashboard_tuning::session_ttl_ms);
}

}  // namespace

bool is_dashboard_path(std::string_view path) noexcept {
    auto under = [&](std::string_view prefix) {
        return path.rfind(prefix, 0) == 0 && (path.size() == prefix.size() || path[prefix.size()] == '/');
    };
    return under(page_prefix) || under(api_prefix) || path == session_path;
}

std::string form_value(std::string_view text, std::string_view name) {
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('&', start);
        if (end == std::string_view::npos) end = text.size();
        const auto pair = text.substr(start, end - start);
        const auto eq = pair.find('=');
        if (decode(pair.substr(0, eq)) == name) return eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
        start = end + 1;
    }
    return "";
}

std::string cookie_value(std::string_view header, std::string_view name) {
    std::size_t start = 0;
    while (start < header.size()) {
        auto end = header.find(';', start);
        if (end == std::string_view::npos) end = header.size();
        auto pair = header.substr(start, end - start);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=')
            return std::string(pair.substr(name.size() + 1));
        start = end + 1;
    }
    return "";
}

dashboard_response respond_dashboard(central& c, const dashboard_request& r, std::int64_t now_ms) {
    auto& db = c.conn();
    if (r.path == "/dashboard/logout" || (r.path == session_path && r.method == "DELETE")) {
        if (r.method != "POST" && r.method != "DELETE")
            return json_error(405, make_error(errc::bad_input, "method", "use POST", "use POST"));
        sign_out(db, cookie_value(r.cookie, session_cookie));
        auto res = r.path == session_path ? json_response(200, {{"ok", true}}) : redirect("/dashboard/login");
        res.headers.emplace_back("Set-Cookie", set_cookie("", 0, r.secure));
        return res;
    }
    if (r.path == "/dashboard/login" || r.path == session_path) {
        const bool api_call = r.path == session_path;
        if (r.method == "GET" && !api_call) {
            dashboard_response res;
            res.body = render_login("");
            return res;
        }
        if (r.method != "POST") return json_error(405, make_error(errc::bad_input, "method", "use POST", "use POST"));
        auto s = sign_in_with(c, r, now_ms);
        if (!s) {
            if (api_call) return json_error(401, s.err());
            dashboard_response res;
            res.status = 401;
            res.body = render_login(s.err().text("es"));
            return res;
        }
        auto res = api_call ? json_response(200, {{"ok", true}, {"user", s->user}, {"expires_ms", s->expires_ms}})
                            : redirect("/dashboard");
        res.headers.emplace_back("Set-Cookie",
                                 set_cookie(s->token, dashboard_tuning::session_ttl_ms / 1000, r.secure));
        return res;
    }
    // Everything else needs a signed-in central user (a device credential is not one).
    auto user = session_user(db, cookie_value(r.cookie, session_cookie), now_ms);
    const bool api_call = r.path.rfind(api_prefix, 0) == 0;
    if (!user) return api_call ? json_error(401, user.err()) : redirect("/dashboard/login");
    if (api_call) return api(c, r, now_ms);
    if (r.path != "/dashboard" && r.path != "/dashboard/")
        return json_error(404, make_error(errc::not_found, "path", "página desconocida", "unknown page"));
    auto v = load_view(db, {form_value(r.query, "provincia"), form_value(r.query, "canton")}, now_ms);
    v.user = *user;
    dashboard_response res;
    res.body = render_page(v);
    return res;
}

}  // namespace minga::server
