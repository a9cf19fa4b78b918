// The formats of organisations, the foreign-NGO directory, mancomunidades and the indicator
// library (docs/catalog-formats.md), and the parsers that turn one of their rows into rows to
// write.

#include "catalog_import_detail.hpp"

#include <minga/shared/ids.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace minga::catalog {

namespace {

constexpr std::array<std::string_view, 4> org_statuses{"activa", "inactiva", "suspendida",
                                                       "convenio_finalizado"};
constexpr std::array<std::string_view, 3> member_levels{"provincial", "municipal",
                                                        "parroquial_rural"};
constexpr std::array<std::string_view, 2> group_levels{"mancomunidad", "consorcio"};
constexpr std::array<std::string_view, 4> aggregations{"sum", "last", "max", "mean"};

/// IATI OrganisationType of a foreign NGO when the directory does not say (21 International NGO).
constexpr std::string_view default_ngo_type = "21";
/// Digits after the 'M' of a mancomunidad code.
constexpr std::size_t max_group_digits = 9;

constexpr std::array organisation_columns{
    column_spec{"code", true},     column_spec{"name", true},    column_spec{"acronym", false},
    column_spec{"org_type", true}, column_spec{"source", false}, column_spec{"country", false},
    column_spec{"ruc", false},     column_spec{"status", false}, column_spec{"cbf_valid_to", false},
    column_spec{"website", false}};

constexpr std::array ngo_columns{column_spec{"code", true},          column_spec{"name", true},
                                 column_spec{"acronym", false},      column_spec{"ruc", true},
                                 column_spec{"country", true},       column_spec{"status", true},
                                 column_spec{"cbf_valid_to", false}, column_spec{"org_type", false},
                                 column_spec{"website", false}};

constexpr std::array mancomunidad_columns{column_spec{"code", true}, column_spec{"name", true},
                                          column_spec{"members", true},
                                          column_spec{"level", false}};

constexpr std::array indicator_columns{
    column_spec{"code", true},     column_spec{"name", true},         column_spec{"unit", true},
    column_spec{"measure", false}, column_spec{"aggregation", false}, column_spec{"sdg", false},
    column_spec{"sector", false}};

/// The organisation columns both kinds write; `ngo` fixes the source and requires the
/// directory's fields.
result<parsed_row> parse_party(field_reader& r, std::string_view code, bool ngo) {
    const need directory = ngo ? need::required : need::optional;
    parsed_row out;
    out.main = {"organisation", "id", catalog_id(catalog_kind::organisations, code), {}};
    out.main.values = {{"name", r.text("name", catalog_max_short_text_bytes, need::required)},
                       {"acronym", r.text("acronym", catalog_max_short_text_bytes, need::optional)},
                       {"org_type", r.int_code_in("org_type", "iati.OrganisationType",
                                                  ngo ? default_ngo_type : std::string_view())},
                       {"cinr_source", ngo ? sql::value(std::string("ong_extranjera"))
                                           : r.code_in("source", "cinr.fuente", need::optional)},
                       {"country", r.code_in("country", "iati.Country", directory)},
                       {"ruc", r.ruc("ruc", directory)},
                       {"status", r.choice("status", org_statuses, directory, ngo ? "" : "activa")},
                       {"cbf_valid_to", r.date("cbf_valid_to")},
                       {"website", r.web_address("website")}};
    if (!r.ok()) return r.take_error();
    return out;
}

result<parsed_row> parse_organisation(field_reader& r, std::string_view code) {
    return parse_party(r, code, false);
}

result<parsed_row> parse_ngo(field_reader& r, std::string_view code) {
    return parse_party(r, code, true);
}

/// A member of a mancomunidad: a live provincial, municipal or rural-parish GAD.
status check_member(sql::db& db, std::string_view field, std::string_view member) {
    const auto level = gad_level(db, member);
    if (!level) {
        return make_error(errc::bad_input, std::string(field),
                          fmt::format("GAD desconocido «{}» en la lista de miembros; use códigos "
                                      "INEC de GAD separados por «;» (p. ej. 1701;170151)",
                                      shown(member)),
                          fmt::format("unknown GAD '{}' in the member list; use INEC GAD codes "
                                      "separated by ';' (e.g. 1701;170151)",
                                      shown(member)));
    }
    if (std::find(member_levels.begin(), member_levels.end(), *level) == member_levels.end()) {
        return make_error(errc::bad_input, std::string(field),
                          fmt::format("«{}» es una mancomunidad o consorcio; los miembros son GAD "
                                      "provinciales, municipales o parroquiales rurales",
                                      member),
                          fmt::format("'{}' is a mancomunidad or consorcio; members are "
                                      "provincial, municipal or rural-parish GADs",
                                      member));
    }
    return {};
}

bool is_group_code(std::string_view code) noexcept {
    if (code.size() < 2 || code.size() > 1 + max_group_digits || code[0] != 'M') return false;
    return code.substr(1).find_first_not_of("0123456789") == std::string_view::npos;
}

/// The member links of a mancomunidad, one per GAD in the canonical member list.
std::vector<row_write> member_links(std::string_view group, const std::string& members) {
    std::vector<row_write> links;
    std::string_view rest = members;
    while (!rest.empty()) {
        const auto cut = rest.find(',');
        const std::string_view member = rest.substr(0, cut);
        const std::string key = fmt::format("{}/{}", group, member);
        links.push_back({"gad_membership",
                         "id",
                         derived_id("catalog", "gad_membership", key),
                         {{"group_code", std::string(group)}, {"member", std::string(member)}}});
        rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 1);
    }
    return links;
}

result<parsed_row> parse_mancomunidad(field_reader& r, std::string_view code) {
    if (!is_group_code(code)) {
        r.fail("code",
               fmt::format("código de mancomunidad inválido «{}»: una «M» seguida de 1 a {} "
                           "dígitos (p. ej. M0012)",
                           code, max_group_digits),
               fmt::format("invalid mancomunidad code '{}': an 'M' followed by 1 to {} digits "
                           "(e.g. M0012)",
                           code, max_group_digits));
        return r.take_error();
    }
    parsed_row out;
    out.main = {"gad", "code", std::string(code), {}};
    out.main.values = {{"level", r.choice("level", group_levels, need::optional, "mancomunidad")},
                       {"name", r.text("name", catalog_max_short_text_bytes, need::required)}};
    sql::db& db = r.db();
    sql::value members = r.list("members", catalog_max_list_items,
                                [&db](std::string_view field, std::string_view member) {
                                    return check_member(db, field, member);
                                });
    if (!r.ok()) return r.take_error();
    const auto& list = std::get<std::string>(members);
    if (list.empty() || list.find(',') == std::string::npos) {
        r.fail("members",
               "una mancomunidad necesita al menos dos GAD miembros (p. ej. 1701;170151)",
               "a mancomunidad needs at least two member GADs (e.g. 1701;170151)");
        return r.take_error();
    }
    out.links = member_links(code, list);
    out.replace_links = true;
    return out;
}

result<parsed_row> parse_indicator(field_reader& r, std::string_view code) {
    parsed_row out;
    out.main = {"indicator_def", "code", std::string(code), {}};
    out.main.values = {
        {"name_es", r.text("name", catalog_max_short_text_bytes, need::required)},
        {"unit", r.text("unit", catalog_max_short_text_bytes, need::required)},
        {"measure", r.int_code_in("measure", "iati.IndicatorMeasure", "1")},
        {"aggregation", r.choice("aggregation", aggregations, need::optional, "sum")},
        {"sdg_goal", r.goal("sdg")},
        {"sector", r.dac_sector("sector")}};
    if (!r.ok()) return r.take_error();
    return out;
}

}  // namespace

const kind_def& organisations_def() noexcept {
    static const kind_def def{catalog_kind::organisations, "organisations", "organizaciones",
                              organisation_columns, parse_organisation};
    return def;
}

const kind_def& ngos_def() noexcept {
    static const kind_def def{catalog_kind::ngos, "ngos", "ong", ngo_columns, parse_ngo};
    return def;
}

const kind_def& mancomunidades_def() noexcept {
    static const kind_def def{catalog_kind::mancomunidades, "mancomunidades", "mancomunidades",
                              mancomunidad_columns, parse_mancomunidad};
    return def;
}

const kind_def& indicators_def() noexcept {
    static const kind_def def{catalog_kind::indicators, "indicators", "indicadores",
                              indicator_columns, parse_indicator};
    return def;
}

}  // namespace minga::catalog
