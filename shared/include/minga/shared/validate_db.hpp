#pragma once
/// Validators that look values up in the reference data (territory, code lists, currencies,
/// DAC sectors) loaded by `load_reference_data`.
///
/// Same contract as validate.hpp: a value that is not found is an `errc::bad_input` error
/// naming the field, with Spanish and English messages that give an example of a valid value.
/// A code list with no rows at all means the reference data was never loaded: that is
/// `errc::internal`, not the user's fault.
///
/// Read-only. Statements come from the connection's cache, so the calls are cheap enough for
/// every row of an import. Thread safety: that of the `db` (one thread at a time).

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <string_view>

namespace minga::validate {

/// Most valid codes `check_codelist` lists in its message.
inline constexpr int codelist_examples = 8;

/// Any territorial unit (province, canton or parish, current or historical) with this code.
[[nodiscard]] status check_territory_exists(sql::db& db, std::string_view field,
                                            std::string_view code);

/// A parish (6-digit code, level 3) with this code.
[[nodiscard]] status check_parish_exists(sql::db& db, std::string_view field,
                                         std::string_view code);

/// An active code of the code list `list` (e.g. "cinr.modalidad", "iati.AidType"). A withdrawn
/// code is refused too. The message lists up to `codelist_examples` valid codes.
[[nodiscard]] status check_codelist(sql::db& db, std::string_view field, std::string_view list,
                                    std::string_view code);

/// A currency code (ISO 4217, upper case); returns its number of decimals (minor unit), ready
/// for `parse_money`.
[[nodiscard]] result<int> check_currency(sql::db& db, std::string_view field,
                                         std::string_view code);

/// A DAC sector: a 5-digit purpose code (e.g. 31220) or a 3-digit group (e.g. 311).
[[nodiscard]] status check_dac_sector(sql::db& db, std::string_view field, std::string_view code);

}  // namespace minga::validate
