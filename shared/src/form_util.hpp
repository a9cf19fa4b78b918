#pragma once
// Small helpers shared by form.cpp and form_children.cpp: messages and spec lookups.
#include <minga/protocol/result.hpp>
#include <minga/shared/entity.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace minga {

/// Today's date (UTC) as YYYY-MM-DD.
[[nodiscard]] std::string today_iso();
/// A stored value as a person reads it ("" for NULL).
[[nodiscard]] std::string display_value(const sql::value& v);
[[nodiscard]] error missing_field(const field_spec& fs);
[[nodiscard]] error ambiguous_id(std::string_view field, std::string_view prefix);
[[nodiscard]] error not_found_id(std::string_view field, std::string_view table,
                                 std::string_view id);
/// Child table of a set field kind (project_sdg for sdg_set, ...).
[[nodiscard]] std::string_view child_table(field_kind k);
/// Child table of a set field: its `arg` when given, else the kind's default.
[[nodiscard]] std::string_view child_table(const field_spec& fs);
/// Column of child rows that points at the parent row of kind `e`.
[[nodiscard]] std::string_view parent_column(const entity_spec& e);
/// Checks `n` against a "min..max" range (empty range: anything).
[[nodiscard]] status check_range(std::string_view field, std::string_view range, std::int64_t n);
/// Checks `text` is one of the '|'-separated values of `choices`.
[[nodiscard]] status check_choice(std::string_view field, std::string_view choices,
                                  std::string_view text);

}  // namespace minga
