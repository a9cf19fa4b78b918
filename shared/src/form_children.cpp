// Set fields (child rows such as a project's SDGs), cross-field order checks and warnings.
#include <minga/shared/form.hpp>
#include <minga/shared/validate.hpp>
#include <minga/shared/validate_db.hpp>

#include "form_util.hpp"

#include <array>
#include <chrono>
#include <ctime>

namespace minga {

using namespace validate;  // NOLINT: the parse_/check_ family reads best unqualified

namespace {

/// Splits "a:b:c" into at most `max_parts` parts (the last keeps any further ':').
std::vector<std::string> split_parts(std::string_view text, std::size_t max_parts) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (parts.size() + 1 < max_parts) {
        auto colon = text.find(':', start);
        if (colon == std::string_view::npos) break;
        parts.emplace_back(text.substr(start, colon - start));
        start = colon + 1;
    }
    parts.emplace_back(text.substr(start));
    return parts;
}

error bad_shape(std::string_view field, std::string_view text, std::string_view shape) {
    return make_error(errc::bad_input, std::string(field),
                      "formato no válido '" + std::string(text) + "'; use " + std::string(shape),
                      "invalid format '" + std::string(text) + "'; use " + std::string(shape));
}

/// The code list of SDG targets ("15.3"), loaded from data/iati/UNSDG-Targets.csv.
constexpr std::string_view sdg_targets_list = "iati.UNSDG-Targets";


}  // namespace

result<child_row> form_checker::check_child(const field_spec& fs, std::string_view text,
                                            std::string_view currency) {
    std::string field = "--" + std::string(fs.option);
    child_row row;
    switch (fs.kind) {
        case field_kind::sdg_set: {
            auto n = parse_int(field, text);
            if (!n) return std::move(n).err();
            if (auto ok = check_sdg_goal(field, *n); !ok) return std::move(ok).err();
            row.key = std::to_string(*n);
            row.fields = {{"goal", *n}};
            return row;
        }
        case field_kind::sector_set: {
            auto p = split_parts(text, 2);
            if (auto ok = check_dac_sector(r_.conn(), field, p[0]); !ok) return std::move(ok).err();
            double pct = 100;
            if (p.size() == 2) {
                auto x = parse_double(field, p[1]);
                if (!x) return std::move(x).err();
                if (*x <= 0 || *x > 100) return bad_shape(field, text, "SECTOR[:PORCENTAJE 1-100]");
                pct = *x;
            }
            row.key = p[0];
            row.fields = {{"sector", p[0]}, {"percentage", pct}};
            return row;
        }
        case field_kind::location_set: {
            auto p = split_parts(text, 4);
            if (p.size() == 3) return bad_shape(field, text, "PARROQUIA[:NOMBRE[:LAT:LON]]");
            if (auto ok = check_territory_exists(r_.conn(), field, p[0]); !ok) return std::move(ok).err();
            row.key = p[0] + ":" + (p.size() > 1 ? p[1] : "");
            row.fields = {{"territory", p[0]},
                          {"name", p.size() > 1 && !p[1].empty() ? sql::value(p[1]) : sql::value()}};
            if (p.size() == 4) {
                auto lat = parse_double(field, p[2]);
                if (!lat) return std::move(lat).err();
                auto lon = parse_double(field, p[3]);
                if (!lon) return std::move(lon).err();
                if (auto ok = check_lat(field, *lat); !ok) return std::move(ok).err();
                if (auto ok = check_lon(field, *lon); !ok) return std::move(ok).err();
                row.fields.emplace_back("lat", *lat);
                row.fields.emplace_back("lon", *lon);
            }
            return row;
        }
        case field_kind::participant_set: {
            auto p = split_parts(text, 2);
            if (p.size() != 2) return bad_shape(field, text, "ORGANIZACIÓN:ROL(1-4)");
            auto org = find_organisation(field, p[0]);
            if (!org) return std::move(org).err();
            auto role = parse_int(field, p[1]);
            if (!role) return std::move(role).err();
            if (auto ok = check_range(field, "1..4", *role); !ok) return std::move(ok).err();
            row.key = org->id + ":" + std::to_string(*role);
            row.fields = {{"organisation_id", org->id}, {"role", *role}};
            return row;
        }
        case field_kind::budget_set: {
            auto p = split_parts(text, 3);
            if (p.size() != 3) return bad_shape(field, text, "INICIO:FIN:MONTO (AAAA-MM-DD:AAAA-MM-DD:1500.00)");
            for (int i = 0; i < 2; ++i)
                if (auto d = parse_date(field, p[static_cast<std::size_t>(i)]); !d) return std::move(d).err();
            if (p[1] < p[0]) return bad_shape(field, text, "un fin posterior al inicio");
            auto mu = minor_unit(field, currency);
            if (!mu) return std::move(mu).err();
            auto amount = parse_money(field, p[2], *mu);
            if (!amount) return std::move(amount).err();
            row.key = p[0] + ":" + p[1];
            row.fields = {{"period_start", p[0]}, {"period_end", p[1]}, {"amount", *amount},
                          {"currency", std::string(currency)}};
            return row;
        }
        case field_kind::party_set: {
            auto p = split_parts(text, 2);
            auto org = find_organisation(field, p[0]);
            if (!org) return std::move(org).err();
            std::string role = p.size() == 2 ? p[1] : "cooperante";
            if (auto ok = check_choice(field, "cooperante|gad|ejecutor|cofinanciador|otro", role); !ok)
                return std::move(ok).err();
            row.key = org->id + ":" + role;
            row.fields = {{"organisation_id", org->id}, {"role", role}};
            return row;
        }
        case field_kind::sdg_target_set: {
            auto dot = text.find('.');
            std::string goal_text(text.substr(0, dot));
            auto n = parse_int(field, goal_text);
            if (!n) return std::move(n).err();
            if (auto ok = check_sdg_goal(field, *n); !ok) return std::move(ok).err();
            row.key = std::to_string(*n);
            row.fields = {{"goal", *n}, {"target", sql::value()}};
            if (dot != std::string_view::npos) {
                std::string target = row.key + std::string(text.substr(dot));
                if (auto ok = check_codelist(r_.conn(), field, sdg_targets_list, target); !ok)
                    return std::move(ok).err();
                row.key = target;
                row.fields.back().second = target;
            }
            return row;
        }
        case field_kind::territory_set: {
            if (auto ok = check_territory_exists(r_.conn(), field, text); !ok) return std::move(ok).err();
            row.key = std::string(text);
            row.fields = {{"territory", std::string(text)}};
            return row;
        }
        default: break;
    }
    throw std::logic_error("form_checker: column field passed as a set");
}

result<row_ref> form_checker::find_organisation(std::string_view field, std::string_view text) {
    // A 13-digit text is a RUC: people know their cooperants by RUC more often than by id.
    if (text.size() == 13 && text.find_first_not_of("0123456789") == std::string_view::npos) {
        if (auto ok = check_ruc(field, text, ruc_rules::structure_only_for_entities); !ok)
            return std::move(ok).err();
        auto& s = r_.conn().cached("SELECT id FROM organisation WHERE ruc = ?1 AND deleted = 0");
        sql::reset_guard g(s);
        s.bind(1, text);
        if (s.step()) return row_ref{s.get_text(0), ""};
        return make_error(errc::bad_input, std::string(field),
                          "ninguna organización del catálogo tiene el RUC " + std::string(text),
                          "no organisation in the catalogue has RUC " + std::string(text));
    }
    return find_row(field, "organisation", text);
}

status form_checker::check_order(const entity_spec& e, const checked_form& out,
                                 const field_list* existing) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> pairs = {{
        {"valid_from", "valid_to"},
        {"planned_start", "planned_end"},
        {"actual_start", "actual_end"},
        {"period_start", "period_end"},
    }};
    auto get = [&](std::string_view col) -> std::string {
        for (const auto& [k, v] : out.fields)
            if (k == col) return display_value(v);
        if (existing)
            for (const auto& [k, v] : *existing)
                if (k == col) return display_value(v);
        return {};
    };
    // A point needs both coordinates (the schema refuses half a point).
    bool has_lat = !get("lat").empty(), has_lon = !get("lon").empty();
    if (has_lat != has_lon) {
        std::string missing = has_lat ? "--lon" : "--lat";
        return make_error(errc::bad_input, missing,
                          "falta la otra coordenada: indique latitud y longitud juntas",
                          "the other coordinate is missing: give latitude and longitude together");
    }
    // An application goes to an offer or to a cooperant: at least one of them.
    if (e.table == "application" && get("offer_id").empty() && get("cooperant_id").empty()) {
        return make_error(errc::bad_input, "--offer",
                          "indique la oferta (--offer) o el cooperante (--cooperant) de la postulación",
                          "give the offer (--offer) or the cooperant (--cooperant) applied to");
    }
    // An observation's period is one of its indicator's periods.
    if (e.table == "observation") {
        if (auto period = get("period_id"); !period.empty()) {
            auto& s = r_.conn().cached("SELECT indicator_id FROM reporting_period WHERE id = ?1");
            sql::reset_guard g(s);
            s.bind(1, period);
            if (s.step() && s.get_text(0) != get("indicator_id")) {
                return make_error(errc::bad_input, "--period",
                                  "el período no es del indicador elegido; elija uno de los períodos de ese indicador",
                                  "the period does not belong to the chosen indicator; choose one of that "
                                  "indicator's periods");
            }
        }
    }
    for (const auto& [from, to] : pairs) {
        auto a = get(from);
        auto b = get(to);
        if (a.empty() || b.empty() || b >= a) continue;
        std::string opt;
        for (const auto& fs : e.fields)
            if (fs.column == to) opt = "--" + std::string(fs.option);
        return make_error(errc::bad_input, opt,
                          "la fecha " + b + " es anterior a la de inicio " + a,
                          "the date " + b + " is before the start date " + a);
    }
    return {};
}

void form_checker::add_warnings(const entity_spec& e, checked_form& out) {
    if (e.table != "agreement") return;
    std::string today = today_iso();
    for (const auto& set : out.children) {
        for (const auto& row : set.rows) {
            auto& s = r_.conn().cached(
                "SELECT name, cinr_source, status, cbf_valid_to FROM organisation WHERE id = ?1");
            sql::reset_guard g(s);
            s.bind(1, display_value(row.fields.front().second));
            if (!s.step() || s.get_text(1) != "ong_extranjera") continue;
            auto status_text = s.get_text(2);
            auto valid_to = s.get_opt_text(3);
            bool lapsed = valid_to && *valid_to < today;
            if (status_text == "activa" && !lapsed) continue;
            std::string why_es = lapsed ? "su convenio básico de funcionamiento venció el " + *valid_to
                                        : "su estado en el directorio es '" + status_text + "'";
            std::string why_en = lapsed ? "its basic operating agreement expired on " + *valid_to
                                        : "its status in the directory is '" + status_text + "'";
            out.warnings.push_back(make_error(
                errc::ok, "--cooperant",
                "la ONG extranjera '" + s.get_text(0) + "' no está activa: " + why_es +
                    ". Verifique con Cancillería antes de firmar.",
                "the foreign NGO '" + s.get_text(0) + "' is not active: " + why_en +
                    ". Check with the foreign ministry before signing."));
        }
    }
}

}  // namespace minga
