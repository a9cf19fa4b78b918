// The format of the offer catalogue (docs/catalog-formats.md) and the parser that turns one of
// its rows into an offer row.

#include "catalog_import_detail.hpp"

#include <minga/shared/validate.hpp>
#include <minga/shared/validate_db.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>

namespace minga::catalog {

namespace {

constexpr std::array<std::string_view, 4> offer_statuses{"abierta", "permanente", "cerrada",
                                                         "archivada"};
constexpr std::array<std::string_view, 5> gad_levels{"provincial", "municipal", "parroquial_rural",
                                                     "mancomunidad", "consorcio"};
/// Territories one offer may be restricted to.
constexpr std::size_t max_offer_territories = 50;
/// DAC sectors one offer may list.
constexpr std::size_t max_offer_sectors = 20;
constexpr std::size_t sdg_count = 17;

constexpr std::array offer_columns{
    column_spec{"code", true},          column_spec{"cooperant", true},
    column_spec{"title", true},         column_spec{"modality", true},
    column_spec{"summary", false},      column_spec{"requirements", false},
    column_spec{"url", false},          column_spec{"source", false},
    column_spec{"geopolitical", false}, column_spec{"sectors", false},
    column_spec{"sdgs", false},         column_spec{"eligible", false},
    column_spec{"currency", false},     column_spec{"amount_min", false},
    column_spec{"amount_max", false},   column_spec{"opens_on", false},
    column_spec{"closes_on", false},    column_spec{"status", false},
    column_spec{"territories", false}};

/// An SDG goal written as a plain number ("6", not "06"), so equal lists compare equal.
status check_goal_item(std::string_view field, std::string_view item) {
    auto goal = validate::parse_int(field, item);
    if (!goal) return goal.err();
    if (auto st = validate::check_sdg_goal(field, *goal); !st) return st;
    if (std::to_string(*goal) == item) return {};
    return make_error(errc::bad_input, std::string(field),
                      fmt::format("escriba el ODS {} sin ceros a la izquierda", *goal),
                      fmt::format("write SDG {} without leading zeros", *goal));
}

status check_level_item(std::string_view field, std::string_view item) {
    if (std::find(gad_levels.begin(), gad_levels.end(), item) != gad_levels.end()) return {};
    return make_error(
        errc::bad_input, std::string(field),
        fmt::format("nivel de GAD desconocido «{}»; valores válidos: {}", shown(item),
                    joined(gad_levels)),
        fmt::format("unknown GAD level '{}'; valid values: {}", shown(item), joined(gad_levels)));
}

/// The id of the offer's cooperant, which must already be a live organisation (imported
/// earlier from an organisations or NGO file, possibly in the same transaction).
sql::value cooperant_id(field_reader& r) {
    sql::value code = r.text("cooperant", catalog_max_code_bytes, need::required);
    const auto* c = std::get_if<std::string>(&code);
    if (!c) return {};
    std::string id = catalog_id(catalog_kind::organisations, *c);
    if (organisation_exists(r.db(), id)) return id;
    r.fail("cooperant",
           fmt::format("cooperante desconocido «{}»: ninguna organización tiene ese código; "
                       "importe antes el archivo de organizaciones u ONG que la define",
                       shown(*c)),
           fmt::format("unknown cooperant '{}': no organisation has that code; import the "
                       "organisations or NGO file that defines it first",
                       shown(*c)));
    return {};
}

/// currency, amount_min, amount_max: amounts need a currency, and max >= min.
void add_money(field_reader& r, row_write& w) {
    const std::string_view currency = r.raw("currency");
    const bool amounts = !r.raw("amount_min").empty() || !r.raw("amount_max").empty();
    int minor_unit = 2;
    if (!currency.empty()) {
        auto unit = validate::check_currency(r.db(), r.field("currency"), currency);
        if (unit)
            minor_unit = *unit;
        else
            r.fail(unit.err());
    } else if (amounts) {
        r.fail("currency", "indique la moneda (p. ej. USD) cuando la oferta tiene montos",
               "give the currency (e.g. USD) when the offer has amounts");
    }
    sql::value low = r.money("amount_min", minor_unit);
    sql::value high = r.money("amount_max", minor_unit);
    const auto* lo = std::get_if<std::int64_t>(&low);
    const auto* hi = std::get_if<std::int64_t>(&high);
    if (lo && hi && *hi < *lo) {
        r.fail("amount_max", "el monto máximo es menor que el mínimo",
               "the maximum amount is less than the minimum");
    }
    w.values.emplace_back("currency", currency.empty() ? sql::value() : std::string(currency));
    w.values.emplace_back("amount_min", std::move(low));
    w.values.emplace_back("amount_max", std::move(high));
}

/// opens_on, closes_on (not before opens_on; empty = permanent window), status.
void add_window(field_reader& r, row_write& w) {
    sql::value opens = r.date("opens_on");
    sql::value closes = r.date("closes_on");
    const auto* from = std::get_if<std::string>(&opens);
    const auto* to = std::get_if<std::string>(&closes);
    if (from && to && *to < *from) {
        r.fail("closes_on",
               fmt::format("la fecha de cierre {} es anterior a la de apertura {}", *to, *from),
               fmt::format("the closing date {} is before the opening date {}", *to, *from));
    }
    w.values.emplace_back("opens_on", std::move(opens));
    w.values.emplace_back("closes_on", std::move(closes));
    w.values.emplace_back("status", r.choice("status", offer_statuses, need::optional, "abierta"));
}

result<parsed_row> parse_offer(field_reader& r, std::string_view code) {
    sql::db& db = r.db();
    auto check_sector = [&db](std::string_view field, std::string_view item) {
        return validate::check_dac_sector(db, field, item);
    };
    auto check_territory = [&db](std::string_view field, std::string_view item) {
        return validate::check_territory_exists(db, field, item);
    };
    parsed_row out;
    out.main = {"offer", "id", catalog_id(catalog_kind::offers, code), {}};
    out.main.values = {
        {"cooperant_id", cooperant_id(r)},
        {"title", r.text("title", catalog_max_short_text_bytes, need::required)},
        {"summary", r.text("summary", catalog_max_long_text_bytes, need::optional)},
        {"requirements", r.text("requirements", catalog_max_long_text_bytes, need::optional)},
        {"url", r.web_address("url")},
        {"source", r.code_in("source", "cinr.fuente", need::optional)},
        {"modality", r.code_in("modality", "cinr.modalidad", need::required)},
        {"geopolitical", r.code_in("geopolitical", "cinr.geopolitica", need::optional)},
        {"sectors", r.list("sectors", max_offer_sectors, check_sector)},
        {"sdgs", r.list("sdgs", sdg_count, check_goal_item)},
        {"eligible", r.list("eligible", gad_levels.size(), check_level_item)},
        {"territories", r.list("territories", max_offer_territories, check_territory)}};
    add_money(r, out.main);
    add_window(r, out.main);
    if (!r.ok()) return r.take_error();
    return out;
}

}  // namespace

const kind_def& offers_def() noexcept {
    static const kind_def def{catalog_kind::offers, "offers", "ofertas", offer_columns,
                              parse_offer};
    return def;
}

}  // namespace minga::catalog
