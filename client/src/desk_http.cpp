// Posted forms, query strings, cookies and the per-request security checks of the desk.
#include "desk_http.hpp"
#include "desk_tuning.hpp"

#include <minga/shared/ids.hpp>

#include <fmt/format.h>

#include <cctype>

namespace minga::client::desk {

std::string form_data::get(std::string_view name) const {
    for (const auto& [k, v] : items)
        if (k == name) return v;
    return {};
}

bool form_data::has(std::string_view name) const {
    for (const auto& [k, v] : items)
        if (k == name) return true;
    return false;
}

std::vector<std::string> form_data::all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : items)
        if (k == name) out.push_back(v);
    return out;
}

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = hex_digit(s[i + 1]);
            const int lo = hex_digit(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

bool host_is_ours(std::string_view host, std::uint16_t port) {
    const auto p = std::to_string(port);
    return host == "127.0.0.1:" + p || host == "localhost:" + p;
}

}  // namespace

result<form_data> parse_urlencoded(std::string_view text) {
    form_data f;
    std::size_t start = 0;
    while (start <= text.size() && !text.empty()) {
        auto end = text.find('&', start);
        if (end == std::string_view::npos) end = text.size();
        const auto part = text.substr(start, end - start);
        start = end + 1;
        if (part.empty()) {
            if (end == text.size()) break;
            continue;
        }
        if (f.items.size() >= desk_tuning::max_form_fields)
            return make_error(errc::too_large, "form",
                              fmt::format("el formulario tiene más de {} campos", desk_tuning::max_form_fields),
                              fmt::format("the form has more than {} fields", desk_tuning::max_form_fields));
        const auto eq = part.find('=');
        auto k = decode(part.substr(0, eq));
        auto v = decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1));
        if (!k || !v)
            return make_error(errc::bad_input, "form", "el formulario llegó mal codificado",
                              "the form arrived badly encoded");
        f.items.emplace_back(std::move(*k), std::move(*v));
        if (end == text.size()) break;
    }
    return f;
}

std::string url_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
        else out += fmt::format("%{:02X}", c);
    }
    return out;
}

std::string_view target_path(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view target_query(std::string_view target) {
    const auto q = target.find('?');
    return q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
}

std::string cookie_of(const request& req, std::string_view name) {
    for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie; ++it) {
        std::string_view all(it->value().data(), it->value().size());
        while (!all.empty()) {
            auto end = all.find(';');
            auto part = all.substr(0, end);
            all = end == std::string_view::npos ? std::string_view() : all.substr(end + 1);
            while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
            const auto eq = part.find('=');
            if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
        }
    }
    return {};
}

desk_secrets desk_secrets::make(std::uint16_t port) {
    return {random_hex(desk_tuning::secret_bytes), random_hex(desk_tuning::secret_bytes), port};
}

refusal check_origin(const desk_secrets& s, const request& req) {
    const auto host = req[http::field::host];
    if (!host_is_ours(std::string_view(host.data(), host.size()), s.port)) return refusal::bad_host;
    if (auto it = req.find(http::field::origin); it != req.end()) {
        std::string_view o(it->value().data(), it->value().size());
        if (o.rfind("http://", 0) != 0 || !host_is_ours(o.substr(7), s.port)) return refusal::bad_origin;
    }
    if (auto it = req.find("Sec-Fetch-Site"); it != req.end() && it->value() == "cross-site")
        return refusal::bad_origin;
    return refusal::none;
}

bool has_session(const desk_secrets& s, const request& req) {
    return same_secret(cookie_of(req, session_cookie), s.session);
}

refusal check_post(const desk_secrets& s, const request& req, const form_data& form) {
    if (auto r = check_origin(s, req); r != refusal::none) return r;
    if (req.find(http::field::origin) == req.end()) return refusal::bad_origin;
    if (!has_session(s, req)) return refusal::no_session;
    if (!same_secret(form.get(token_field), s.form_token)) return refusal::bad_token;
    return refusal::none;
}

response make_response(const request& req, http::status st, std::string body, std::string_view type) {
    response res{st, req.version()};
    res.set(http::field::content_type, boost::beast::string_view(type.data(), type.size()));
    res.set(http::field::cache_control, "no-store");
    res.set("Content-Security-Policy",
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'");
    res.set("X-Frame-Options", "DENY");
    res.set("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer Chromium posts forms with "Origin: null".
    res.set("Referrer-Policy", "same-origin");
    res.set("Cross-Origin-Resource-Policy", "same-origin");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response redirect(const request& req, std::string location) {
    auto res = make_response(req, http::status::see_other, "", "text/plain; charset=utf-8");
    res.set(http::field::location, std::move(location));
    return res;
}

}  // namespace minga::client::desk
