#include <minga/shared/validate.hpp>

#include "validate_text.hpp"

#include <minga/shared/ids.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace minga::validate {

namespace detail {

std::string shown(std::string_view text) {
    if (text.size() <= max_echo_bytes) return std::string(text);
    std::size_t n = max_echo_bytes;
    // Back off over UTF-8 continuation bytes so a character is never cut in half.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n)) + "…";
}

error bad(std::string_view field, std::string es, std::string en) {
    return make_error(errc::bad_input, std::string(field), std::move(es), std::move(en));
}

bool all_digits(std::string_view text) noexcept {
    if (text.empty()) return false;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace detail

using detail::all_digits;
using detail::bad;
using detail::shown;

namespace {

int digits_value(std::string_view text) noexcept {
    int v = 0;
    for (char c : text) v = v * 10 + (c - '0');
    return v;
}

/// v = v * 10 + d, false on int64 overflow.
bool push_digit(std::int64_t& v, int d) noexcept {
    return !__builtin_mul_overflow(v, 10, &v) && !__builtin_add_overflow(v, d, &v);
}

error date_format_error(std::string_view field, std::string_view text) {
    return bad(field,
               fmt::format("fecha inválida «{}»; use el formato AAAA-MM-DD (p. ej. 2024-03-15)",
                           shown(text)),
               fmt::format("invalid date '{}'; use YYYY-MM-DD (e.g. 2024-03-15)", shown(text)));
}

}  // namespace

result<std::chrono::year_month_day> parse_date(std::string_view field, std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
        !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
        return date_format_error(field, text);
    }
    const int y = digits_value(text.substr(0, 4));
    const auto m = static_cast<unsigned>(digits_value(text.substr(5, 2)));
    const auto d = static_cast<unsigned>(digits_value(text.substr(8, 2)));
    if (y < min_year || y > max_year) {
        return bad(field,
                   fmt::format("año fuera de rango en «{}»; use un año entre {} y {}", text,
                               min_year, max_year),
                   fmt::format("year out of range in '{}'; use a year from {} to {}", text,
                               min_year, max_year));
    }
    const std::chrono::month month{m};
    if (!month.ok()) {
        return bad(field, fmt::format("mes inválido en «{}»; el mes va de 01 a 12", text),
                   fmt::format("invalid month in '{}'; months go from 01 to 12", text));
    }
    const std::chrono::year_month_day ymd{std::chrono::year{y}, month, std::chrono::day{d}};
    if (!ymd.ok()) {
        const unsigned last = static_cast<unsigned>(
            std::chrono::year_month_day_last{std::chrono::year{y},
                                             std::chrono::month_day_last{month}}
                .day());
        return bad(field,
                   fmt::format("la fecha «{}» no existe: ese mes tiene {} días", text, last),
                   fmt::format("the date '{}' does not exist: that month has {} days", text,
                               last));
    }
    return ymd;
}

std::string format_date(std::chrono::year_month_day d) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                       static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

result<std::int64_t> parse_money(std::string_view field, std::string_view text, int minor_unit) {
    if (minor_unit < 0 || minor_unit > max_minor_unit) {
        throw std::invalid_argument("parse_money: minor_unit out of range");
    }
    if (!text.empty() && text[0] == '-') {
        return bad(field, fmt::format("el monto «{}» es negativo; los montos son ≥ 0", shown(text)),
                   fmt::format("the amount '{}' is negative; amounts are >= 0", shown(text)));
    }
    const std::size_t dot = text.find('.');
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac =
        dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
    if (!all_digits(whole) || (dot != std::string_view::npos && !all_digits(frac))) {
        return bad(field,
                   fmt::format("monto inválido «{}»; escriba solo cifras con punto decimal y sin "
                               "separador de miles (p. ej. 1234.50)",
                               shown(text)),
                   fmt::format("invalid amount '{}'; write digits only, with a dot as decimal "
                               "separator and no thousands separator (e.g. 1234.50)",
                               shown(text)));
    }
    if (frac.size() > static_cast<std::size_t>(minor_unit)) {
        return bad(field,
                   fmt::format("el monto «{}» tiene {} decimales; esta moneda admite {}",
                               shown(text), frac.size(), minor_unit),
                   fmt::format("the amount '{}' has {} decimals; this currency allows {}",
                               shown(text), frac.size(), minor_unit));
    }
    std::int64_t v = 0;
    bool fits = true;
    for (char c : whole) fits = fits && push_digit(v, c - '0');
    for (char c : frac) fits = fits && push_digit(v, c - '0');
    for (std::size_t i = frac.size(); i < static_cast<std::size_t>(minor_unit); ++i) {
        fits = fits && push_digit(v, 0);
    }
    if (!fits) {
        return bad(field, fmt::format("el monto «{}» es demasiado grande", shown(text)),
                   fmt::format("the amount '{}' is too large", shown(text)));
    }
    return v;
}

result<std::int64_t> parse_int(std::string_view field, std::string_view text, std::int64_t min,
                               std::int64_t max) {
    std::int64_t v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec == std::errc::invalid_argument || ptr != end || text.empty()) {
        return bad(field,
                   fmt::format("«{}» no es un número entero; escriba solo cifras (p. ej. 25)",
                               shown(text)),
                   fmt::format("'{}' is not a whole number; write digits only (e.g. 25)",
                               shown(text)));
    }
    if (ec == std::errc::result_out_of_range || v < min || v > max) {
        return bad(field,
                   fmt::format("«{}» está fuera del rango permitido ({} a {})", shown(text), min,
                               max),
                   fmt::format("'{}' is outside the allowed range ({} to {})", shown(text), min,
                               max));
    }
    return v;
}

result<double> parse_double(std::string_view field, std::string_view text) {
    double v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v, std::chars_format::general);
    if (ec == std::errc::invalid_argument || ptr != end || text.empty()) {
        return bad(field,
                   fmt::format("«{}» no es un número; use punto decimal y sin separador de "
                               "miles (p. ej. 1234.5)",
                               shown(text)),
                   fmt::format("'{}' is not a number; use a dot as decimal separator and no "
                               "thousands separator (e.g. 1234.5)",
                               shown(text)));
    }
    if (ec == std::errc::result_out_of_range || !std::isfinite(v)) {
        return bad(field, fmt::format("«{}» no es un número finito representable", shown(text)),
                   fmt::format("'{}' is not a finite, representable number", shown(text)));
    }
    return v;
}

status check_sdg_goal(std::string_view field, std::int64_t goal) {
    if (goal >= 1 && goal <= 17) return {};
    return bad(field, fmt::format("ODS {} no existe; los objetivos van del 1 al 17", goal),
               fmt::format("SDG {} does not exist; goals go from 1 to 17", goal));
}

status check_lat(std::string_view field, double lat) {
    if (std::isfinite(lat) && lat >= -90.0 && lat <= 90.0) return {};
    return bad(field,
               fmt::format("latitud {} fuera de rango; use grados decimales entre -90 y 90 "
                           "(p. ej. -0.22985)",
                           lat),
               fmt::format("latitude {} out of range; use decimal degrees from -90 to 90 "
                           "(e.g. -0.22985)",
                           lat));
}

status check_lon(std::string_view field, double lon) {
    if (std::isfinite(lon) && lon >= -180.0 && lon <= 180.0) return {};
    return bad(field,
               fmt::format("longitud {} fuera de rango; use grados decimales entre -180 y 180 "
                           "(p. ej. -78.52495)",
                           lon),
               fmt::format("longitude {} out of range; use decimal degrees from -180 to 180 "
                           "(e.g. -78.52495)",
                           lon));
}

status check_uuid(std::string_view field, std::string_view text) {
    if (is_uuid(text)) return {};
    return bad(field,
               fmt::format("identificador inválido «{}»; se espera un UUID en minúsculas "
                           "(8-4-4-4-12 dígitos hexadecimales)",
                           shown(text)),
               fmt::format("invalid identifier '{}'; expected a lowercase UUID (8-4-4-4-12 hex "
                           "digits)",
                           shown(text)));
}

status check_territorial_code_format(std::string_view field, std::string_view text) {
    if (all_digits(text) && (text.size() == 2 || text.size() == 4 || text.size() == 6)) return {};
    return bad(field,
               fmt::format("código territorial inválido «{}»; use el código INEC de 2 dígitos "
                           "(provincia, p. ej. 17), 4 (cantón, p. ej. 1701) o 6 (parroquia, "
                           "p. ej. 170150)",
                           shown(text)),
               fmt::format("invalid territorial code '{}'; use the INEC code of 2 digits "
                           "(province, e.g. 17), 4 (canton, e.g. 1701) or 6 (parish, e.g. "
                           "170150)",
                           shown(text)));
}

}  // namespace minga::validate
