// The application pipeline and the approval that turns an application into an agreement.
#include <minga/shared/application.hpp>
#include <minga/shared/demand_tuning.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/validate.hpp>

#include "form_util.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace minga {

namespace {

/// Stored value and English name of each status, in pipeline order.
constexpr std::array<std::pair<std::string_view, std::string_view>, 6> statuses = {{
    {"identificada", "identified"},
    {"postulada", "applied"},
    {"negociacion", "negotiating"},
    {"aprobada", "approved"},
    {"rechazada", "rejected"},
    {"retirada", "withdrawn"},
}};

/// Every legal move (from, to).
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> moves = {{
    {"identificada", "postulada"},
    {"identificada", "retirada"},
    {"postulada", "negociacion"},
    {"postulada", "rechazada"},
    {"postulada", "retirada"},
    {"negociacion", "aprobada"},
    {"negociacion", "rechazada"},
    {"negociacion", "retirada"},
}};

std::string text_field(const record& rec, std::string_view column) {
    for (const auto& [k, v] : rec.fields)
        if (k == column) return display_value(v);
    return {};
}

std::string joined(const std::vector<std::string_view>& items) {
    std::string out;
    for (auto s : items) out += (out.empty() ? "" : ", ") + std::string(s);
    return out;
}

status check_move(std::string_view from, std::string_view to) {
    auto next = allowed_moves(from);
    if (std::find(next.begin(), next.end(), to) != next.end()) return {};
    std::string f(from), t(to);
    if (next.empty()) {
        return make_error(errc::conflict, "--to",
                          "la postulación ya está '" + f + "', un estado final: no admite más cambios",
                          "the application is already '" + f + "', a final status: it cannot move");
    }
    return make_error(errc::conflict, "--to",
                      "no se puede pasar de '" + f + "' a '" + t + "'; desde '" + f +
                          "' se puede pasar a: " + joined(next),
                      "cannot move from '" + f + "' to '" + t + "'; from '" + f +
                          "' the allowed moves are: " + joined(next));
}

/// Writes the new status (and any extra columns) and one history event, inside `tx`.
std::string write_move(replica& r, sql::transaction& tx, const record& app, std::string_view to,
                       const std::string& date, const std::string& note, field_list extra = {}) {
    hlc_t stamp = r.clock().now();
    field_list fields = {{"status", std::string(to)}, {"status_on", date}};
    for (auto& f : extra) fields.push_back(std::move(f));
    r.changes().upsert(tx, "application", app.id, app.owner_gad, fields, stamp);
    std::string event_id = new_uuid_v7(r.clock().corrected_ms());
    field_list ev = {{"application_id", app.id},
                     {"from_status", text_field(app, "status")},
                     {"to_status", std::string(to)},
                     {"on_date", date},
                     {"note", note.empty() ? sql::value() : sql::value(note)}};
    r.changes().upsert(tx, "application_event", event_id, app.owner_gad, ev, stamp,
                       change_log::row_state::fresh);
    return event_id;
}

result<std::string> checked_date(const std::string& date) {
    if (date.empty()) return today_iso();
    auto d = validate::parse_date("--date", date);
    if (!d) return std::move(d).err();
    return date;
}

status check_note(const std::string& note) {
    if (note.size() <= demand_tuning::max_note_bytes) return {};
    return make_error(errc::too_large, "--note",
                      "nota demasiado larga (máximo " + std::to_string(demand_tuning::max_note_bytes) + " bytes)",
                      "note too long (at most " + std::to_string(demand_tuning::max_note_bytes) + " bytes)");
}

/// The agreement form an approval fills in from the application, its offer and its demand.
form agreement_form(replica& r, form_checker& chk, const record& app, const approve_request& req) {
    form f;
    auto put = [&f](std::string_view opt, const std::string& v) {
        if (!v.empty()) f.emplace_back(std::string(opt), v);
    };
    put("title", text_field(app, "title"));
    put("kind", req.kind);
    put("status", req.signed_on.empty() ? "negociacion" : "vigente");
    put("signed-on", req.signed_on);
    put("valid-from", text_field(app, "planned_start"));
    put("valid-to", text_field(app, "planned_end"));
    std::string offer = text_field(app, "offer_id");
    std::string cooperant = text_field(app, "cooperant_id");
    std::string modality, source, geopolitical;
    if (!offer.empty()) {
        put("offer", offer);
        auto& s = r.conn().cached(
            "SELECT cooperant_id, modality, coalesce(source, ''), coalesce(geopolitical, '') "
            "FROM offer WHERE id = ?1");
        sql::reset_guard g(s);
        s.bind(1, offer);
        if (s.step()) {
            cooperant = s.get_text(0);
            modality = s.get_text(1);
            source = s.get_text(2);
            geopolitical = s.get_text(3);
        }
    }
    if (std::string demand = text_field(app, "demand_id"); !demand.empty()) {
        auto& s = r.conn().cached("SELECT modality, coalesce(description, '') FROM demand WHERE id = ?1");
        sql::reset_guard g(s);
        s.bind(1, demand);
        if (s.step()) {
            if (modality.empty()) modality = s.get_text(0);
            put("purpose", s.get_text(1));
        }
    }
    if (source.empty() && !cooperant.empty()) {
        auto& s = r.conn().cached("SELECT coalesce(cinr_source, '') FROM organisation WHERE id = ?1");
        sql::reset_guard g(s);
        s.bind(1, cooperant);
        if (s.step()) source = s.get_text(0);
    }
    put("modality", modality);
    put("source", source);
    put("geopolitical", geopolitical);
    put("cooperant", cooperant);
    std::string currency = text_field(app, "currency");
    put("currency", currency);
    for (auto [col, opt] : {std::pair<std::string_view, std::string_view>{"requested_amount", "cooperant-amount"},
                            {"counterpart_amount", "counterpart-amount"}}) {
        for (const auto& [k, v] : app.fields)
            if (k == col && std::holds_alternative<std::int64_t>(v))
                put(opt, chk.format_money(std::get<std::int64_t>(v), currency.empty() ? "USD" : currency));
    }
    return f;
}

}  // namespace

const std::vector<std::string_view>& application_statuses() noexcept {
    static const std::vector<std::string_view> all = [] {
        std::vector<std::string_view> v;
        for (const auto& [es, en] : statuses) v.push_back(es);
        return v;
    }();
    return all;
}

std::string_view application_status_en(std::string_view value) noexcept {
    for (const auto& [es, en] : statuses)
        if (es == value) return en;
    return value;
}

result<std::string> parse_application_status(std::string_view field, std::string_view text) {
    std::string list;
    for (const auto& [es, en] : statuses) {
        if (text == es || text == en) return std::string(es);
        list += (list.empty() ? "" : ", ") + std::string(es) + " (" + std::string(en) + ")";
    }
    return make_error(errc::bad_input, std::string(field),
                      "estado desconocido '" + std::string(text) + "'; valores posibles: " + list,
                      "unknown status '" + std::string(text) + "'; possible values: " + list);
}

std::vector<std::string_view> allowed_moves(std::string_view from) {
    std::vector<std::string_view> out;
    for (const auto& [f, t] : moves)
        if (f == from) out.push_back(t);
    return out;
}

result<move_outcome> move_application(replica& r, std::string_view id, const move_request& req) {
    auto to = parse_application_status("--to", req.to);
    if (!to) return std::move(to).err();
    if (*to == "aprobada") {
        approve_request approval;
        approval.note = req.note;
        approval.date = req.date;
        return approve_application(r, id, approval);
    }
    auto date = checked_date(req.date);
    if (!date) return std::move(date).err();
    if (auto ok = check_note(req.note); !ok) return std::move(ok).err();
    entity_service svc(r);
    auto app = svc.get(*find_entity("application"), id);
    if (!app) return std::move(app).err();
    std::string from = text_field(*app, "status");
    if (auto ok = check_move(from, *to); !ok) return std::move(ok).err();
    sql::transaction tx(r.conn());
    move_outcome out{app->id, from, *to, write_move(r, tx, *app, *to, *date, req.note), {}, {}};
    r.commit(tx);
    return out;
}

result<move_outcome> approve_application(replica& r, std::string_view id, const approve_request& req) {
    auto date = checked_date(req.date);
    if (!date) return std::move(date).err();
    if (auto ok = check_note(req.note); !ok) return std::move(ok).err();
    entity_service svc(r);
    auto app = svc.get(*find_entity("application"), id);
    if (!app) return std::move(app).err();
    std::string from = text_field(*app, "status");
    if (auto ok = check_move(from, "aprobada"); !ok) return std::move(ok).err();
    form f = agreement_form(r, svc.checker(), *app, req);
    sql::transaction tx(r.conn());
    auto agreement = svc.add(tx, *find_entity("agreement"), f);
    if (!agreement) return std::move(agreement).err();  // tx rolls back: nothing written
    auto event = write_move(r, tx, *app, "aprobada", *date, req.note,
                            {{"agreement_id", agreement->id}});
    r.commit(tx);
    return move_outcome{app->id, from, "aprobada", std::move(event), agreement->id,
                        std::move(agreement->warnings)};
}

std::vector<application_event_row> application_history(replica& r, std::string_view application_id) {
    auto s = r.conn().prepare(
        "SELECT id, from_status, to_status, on_date, coalesce(note, '') FROM application_event "
        "WHERE application_id = ?1 AND deleted = 0 ORDER BY on_date, hlc, id");
    s.bind(1, application_id);
    std::vector<application_event_row> out;
    while (s.step())
        out.push_back({s.get_text(0), s.get_text(1), s.get_text(2), s.get_text(3), s.get_text(4)});
    return out;
}

}  // namespace minga
