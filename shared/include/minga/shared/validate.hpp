#pragma once
/// Pure validators for values that come from people and files: dates, money, numbers, SDG
/// goals, coordinates, RUCs, UUIDs and territorial codes.
///
/// Every function takes the name of the field being checked (e.g. "amount", "línea 14:
/// monto"); a failure is an `errc::bad_input` error carrying that field and a message in
/// Spanish (`es`, what parish staff read) and English (`en`) that says what is wrong and how
/// to write the value instead. Texts are taken as they are: no trimming, no locale.
/// RUCs are never echoed in messages (a natural person's RUC contains the cédula).
///
/// Thread-safe: no state.

#include <minga/protocol/result.hpp>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace minga::validate {

/// Years `parse_date` accepts: wide enough for any cooperation record, narrow enough to catch
/// a mistyped year (0223, 2203).
inline constexpr int min_year = 1900;
inline constexpr int max_year = 2100;
/// Largest number of decimals a currency may have (the schema's `currency.minor_unit` bound).
inline constexpr int max_minor_unit = 4;

/// `YYYY-MM-DD`, a real calendar date (leap years included) with a year in
/// [min_year, max_year].
[[nodiscard]] result<std::chrono::year_month_day> parse_date(std::string_view field,
                                                             std::string_view text);

/// The text of a date, `YYYY-MM-DD` (for a date `parse_date` accepted).
[[nodiscard]] std::string format_date(std::chrono::year_month_day d);

/// A non-negative amount with at most `minor_unit` decimals, a dot as decimal separator and no
/// thousands separator ("1234", "1234.5", "1234.50"), as an integer count of minor units
/// ("1234.5" with minor_unit 2 is 123450). Refuses negatives, signs, more decimals than the
/// currency has, overflow of int64 and anything else. `minor_unit` must be in
/// [0, max_minor_unit]: another value is a bug and throws `std::invalid_argument`.
[[nodiscard]] result<std::int64_t> parse_money(std::string_view field, std::string_view text,
                                               int minor_unit);

/// A decimal integer ("-12", "0", "345"; no '+', no spaces, no separators) in [min, max].
[[nodiscard]] result<std::int64_t> parse_int(
    std::string_view field, std::string_view text,
    std::int64_t min = std::numeric_limits<std::int64_t>::min(),
    std::int64_t max = std::numeric_limits<std::int64_t>::max());

/// A finite decimal number with a dot as decimal separator ("12.5", "-0.25", "1e3").
/// Refuses "nan", "inf", out-of-range values, commas and trailing text.
[[nodiscard]] result<double> parse_double(std::string_view field, std::string_view text);

/// An SDG (ODS) goal number, 1 to 17.
[[nodiscard]] status check_sdg_goal(std::string_view field, std::int64_t goal);

/// A WGS 84 latitude in [-90, 90] / longitude in [-180, 180], finite.
[[nodiscard]] status check_lat(std::string_view field, double lat);
[[nodiscard]] status check_lon(std::string_view field, double lon);

/// How strictly `check_ruc` treats the check digit of public (third digit 6) and private
/// (third digit 9) RUCs.
enum class ruc_rules {
    /// Every check digit must match: modulo 10 (cédula) for natural persons, modulo 11 for
    /// public and private entities.
    strict,
    /// As strict for natural persons; for public and private entities only the structure is
    /// checked. The SRI has issued valid company RUCs whose modulo-11 digit does not match,
    /// so a registry import (NGO directory) may need this.
    structure_only_for_entities,
};

/// An Ecuadorian RUC: 13 digits; province code 01–24 or 30; third digit 0–5 (natural person:
/// a cédula with a modulo-10 check digit, then an establishment number), 6 (public entity:
/// modulo-11 check digit in position 9, establishment number in the last 4 digits, not 0000)
/// or 9 (private or foreign entity: modulo-11 check digit in position 10); the last three
/// digits are never 000.
[[nodiscard]] status check_ruc(std::string_view field, std::string_view text,
                               ruc_rules rules = ruc_rules::strict);

/// A UUID in canonical lowercase form, 8-4-4-4-12 hex digits.
[[nodiscard]] status check_uuid(std::string_view field, std::string_view text);

/// An INEC territorial code: 2 (province), 4 (canton) or 6 (parish) digits. Format only; see
/// `check_territory_exists` for a lookup.
[[nodiscard]] status check_territorial_code_format(std::string_view field, std::string_view text);

}  // namespace minga::validate
