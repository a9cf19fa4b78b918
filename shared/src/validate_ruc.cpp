// check_ruc: the structure of an Ecuadorian RUC (Registro Único de Contribuyentes).
// Messages never repeat the number: a natural person's RUC is their cédula.

#include <minga/shared/validate.hpp>

#include "validate_text.hpp"

#include <array>

namespace minga::validate {

using detail::all_digits;
using detail::bad;

namespace {

int digit(std::string_view s, std::size_t i) noexcept { return s[i] - '0'; }

/// Modulo 10 over the first 10 digits (a cédula): coefficients 2,1,2,1,...; a product above 9
/// counts as product - 9; the 10th digit makes the sum a multiple of 10.
bool cedula_check_ok(std::string_view ruc) noexcept {
    int sum = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        int p = digit(ruc, i) * (i % 2 == 0 ? 2 : 1);
        sum += p > 9 ? p - 9 : p;
    }
    return (10 - sum % 10) % 10 == digit(ruc, 9);
}

/// Modulo 11 with the given coefficients over the leading digits; the check digit that follows
/// them is 11 - (sum mod 11), with 11 read as 0 (a remainder giving 10 has no valid digit).
template <std::size_t N>
bool mod11_check_ok(std::string_view ruc, const std::array<int, N>& coefficients) noexcept {
    int sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += digit(ruc, i) * coefficients[i];
    const int expected = (11 - sum % 11) % 11;
    return expected != 10 && expected == digit(ruc, N);
}

constexpr std::array<int, 8> public_coefficients{3, 2, 7, 6, 5, 4, 3, 2};
constexpr std::array<int, 9> private_coefficients{4, 3, 2, 7, 6, 5, 4, 3, 2};

error check_digit_error(std::string_view field, std::string_view kind_es,
                        std::string_view kind_en) {
    return bad(field,
               std::string("el dígito verificador del RUC no coincide (") + std::string(kind_es) +
                   "); revise que no haya un dígito mal copiado",
               std::string("the RUC check digit does not match (") + std::string(kind_en) +
                   "); check for a mistyped digit");
}

error establishment_error(std::string_view field) {
    return bad(field,
               "el número de establecimiento del RUC (últimos dígitos) no puede ser cero; el "
               "primero es 001",
               "the RUC establishment number (last digits) cannot be zero; the first one is 001");
}

}  // namespace

status check_ruc(std::string_view field, std::string_view text, ruc_rules rules) {
    if (text.size() != 13 || !all_digits(text)) {
        return bad(field, "el RUC tiene 13 dígitos, sin guiones ni espacios (p. ej. 1790012345001)",
                   "a RUC has 13 digits, with no dashes or spaces (e.g. 1790012345001)");
    }
    const int province = digit(text, 0) * 10 + digit(text, 1);
    if (!((province >= 1 && province <= 24) || province == 30)) {
        return bad(field,
                   "los dos primeros dígitos del RUC son el código de provincia: 01 a 24, o 30 "
                   "para personas registradas en el exterior",
                   "the first two digits of a RUC are the province code: 01 to 24, or 30 for "
                   "people registered abroad");
    }
    if (text.substr(10) == "000") return establishment_error(field);
    const bool entity_digits = rules == ruc_rules::strict;
    switch (const int kind = digit(text, 2); kind) {
        case 6:
            if (text.substr(9) == "0000") return establishment_error(field);
            if (entity_digits && !mod11_check_ok(text, public_coefficients)) {
                return check_digit_error(field, "entidad pública, módulo 11",
                                         "public entity, modulo 11");
            }
            return {};
        case 9:
            if (entity_digits && !mod11_check_ok(text, private_coefficients)) {
                return check_digit_error(field, "sociedad privada o extranjera, módulo 11",
                                         "private or foreign entity, modulo 11");
            }
            return {};
        case 7:
        case 8:
            return bad(field,
                       "el tercer dígito del RUC debe ser 0 a 5 (persona natural), 6 (entidad "
                       "pública) o 9 (sociedad)",
                       "the third digit of a RUC must be 0 to 5 (natural person), 6 (public "
                       "entity) or 9 (company)");
        default:
            if (!cedula_check_ok(text)) {
                return check_digit_error(field, "cédula de persona natural, módulo 10",
                                         "natural person's cédula, modulo 10");
            }
            return {};
    }
}

}  // namespace minga::validate
