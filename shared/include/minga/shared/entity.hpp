#pragma once
/// Entity specs: what a person can record (agreements, projects, indicators, observations...),
/// field by field, with the rules each field's text must follow.
///
/// One spec drives the CLI options, validation, messages and storage of a kind, so the command
/// line, CSV import and (later) the parish desk validate the same way. Specs are compiled-in
/// constants; column names in them are trusted SQL identifiers.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace minga {

enum class field_kind : std::uint8_t {
    text,         ///< free text (bounded length)
    date,         ///< YYYY-MM-DD
    money,        ///< decimal amount -> integer minor units of the currency in `arg` column
    integer,      ///< whole number; `arg` "min..max" bounds it when given
    decimal,      ///< finite number
    choice,       ///< one of the values in `arg`, separated by '|'
    codelist,     ///< a code of the codelist named in `arg`
    territory,    ///< an INEC territorial code (province, canton or parish)
    currency,     ///< ISO 4217 code known to the catalogue
    ref,          ///< the id (or unique id prefix) of a live row of table `arg`
    latitude,     ///< -90..90
    longitude,    ///< -180..180
    // Sets of child rows, not columns: each value adds one child row; giving the option on
    // update replaces the whole set.
    sdg_set,          ///< "6" -> project_sdg
    sector_set,       ///< "31220" or "31220:60" (percentage) -> project_sector
    location_set,     ///< "170150" or "170150:Comunidad X" or "170150:Comunidad X:-0.2:-78.5"
    participant_set,  ///< "ORG_ID:ROLE" (1 funding, 2 accountable, 3 extending, 4 implementing)
    budget_set,       ///< "2025-01-01:2025-12-31:15000.00" -> project_budget (USD unless project currency)
    party_set,        ///< "ORG_ID" or "ORG_ID:role" -> agreement_party
    sdg_target_set,   ///< "15" or "15.3" (goal, or goal and target) -> demand_sdg
    territory_set,    ///< "170150" (a parish, canton or province) -> demand_territory
};

[[nodiscard]] constexpr bool is_set_kind(field_kind k) noexcept {
    return k >= field_kind::sdg_set;
}

struct field_spec {
    std::string_view column;    ///< SQL column (or child kind for sets)
    std::string_view option;    ///< command-line option / form field name, without "--"
    field_kind kind;
    bool required;              ///< must be given on add
    std::string_view arg;       ///< see field_kind; for sets, the child table ("" = the kind's default)
    std::string_view label_es;  ///< what the field is, for people
    std::string_view label_en;
};

struct entity_spec {
    std::string_view kind;      ///< CLI noun and `list` argument, e.g. "agreement"
    std::string_view table;
    std::string_view label_es;
    std::string_view label_en;
    bool writable;              ///< false for catalogue kinds (read-only on devices)
    std::string_view owner_from;  ///< for GAD rows: the ref column whose row gives owner_gad ("" = the device's GAD)
    std::span<const field_spec> fields;
    std::string_view list_columns;  ///< comma-separated columns that `list` shows
    std::string_view id_column = "id";  ///< primary key column
};

/// Every kind a person can list, in display order.
[[nodiscard]] std::span<const entity_spec> entities() noexcept;
[[nodiscard]] const entity_spec* find_entity(std::string_view kind) noexcept;
[[nodiscard]] const field_spec* find_field(const entity_spec& e, std::string_view option) noexcept;

}  // namespace minga
