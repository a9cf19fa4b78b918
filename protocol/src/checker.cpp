#include "checker.hpp"

#include "utf8.hpp"

#include <algorithm>

namespace minga::protocol::detail {
namespace {

std::string too_long_es(std::size_t n, std::size_t max) {
    return "mide " + std::to_string(n) + " bytes; el máximo es " + std::to_string(max);
}
std::string too_long_en(std::size_t n, std::size_t max) {
    return "is " + std::to_string(n) + " bytes; the maximum is " + std::to_string(max);
}

bool is_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

void checker::require(bool ok, errc code, const path& at, std::string_view es,
                      std::string_view en) {
    if (!ok && !failed()) errors_.fail(code, at, es, en);
}

void checker::ascii_word(const std::string& s, const path& at, std::size_t max,
                         std::string_view what_es, std::string_view what_en) {
    if (failed()) return;
    if (s.empty()) {
        errors_.fail(errc::bad_input, at, std::string(what_es) + " vacío",
                     "empty " + std::string(what_en));
        return;
    }
    if (s.size() > max) {
        errors_.fail(errc::too_large, at, too_long_es(s.size(), max), too_long_en(s.size(), max));
        return;
    }
    const bool printable =
        std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
    if (printable) return;
    errors_.fail(errc::bad_input, at,
                 std::string(what_es) + " con caracteres no permitidos (solo ASCII visible)",
                 std::string(what_en) + " with characters not allowed (visible ASCII only)");
}

void checker::id(const std::string& s, const path& at) {
    ascii_word(s, at, lim_.max_id_bytes, "identificador", "id");
}

void checker::token(const std::string& s, const path& at) {
    ascii_word(s, at, lim_.max_token_bytes, "token", "token");
}

void checker::identifier(const std::string& s, const path& at) {
    if (failed()) return;
    if (s.empty()) {
        errors_.fail(errc::bad_input, at, "nombre vacío", "empty name");
        return;
    }
    if (s.size() > lim_.max_identifier_bytes) {
        errors_.fail(errc::too_large, at, too_long_es(s.size(), lim_.max_identifier_bytes),
                     too_long_en(s.size(), lim_.max_identifier_bytes));
        return;
    }
    const bool word =
        std::all_of(s.begin(), s.end(), is_word_char) && !(s[0] >= '0' && s[0] <= '9');
    require(word, errc::bad_input, at,
            "nombre no válido: use letras, dígitos y _ sin empezar por dígito",
            "invalid name: use letters, digits and _, not starting with a digit");
}

void checker::text(const std::string& s, const path& at, std::size_t max) {
    if (failed()) return;
    if (s.size() > max) {
        errors_.fail(errc::too_large, at, too_long_es(s.size(), max), too_long_en(s.size(), max));
        return;
    }
    require(is_valid_utf8(s), errc::bad_input, at, "texto que no es UTF-8 válido",
            "text that is not valid UTF-8");
}

void checker::count(std::size_t n, std::size_t max, const path& at) {
    if (n <= max || failed()) return;
    errors_.fail(errc::too_large, at,
                 std::to_string(n) + " elementos; el máximo es " + std::to_string(max),
                 std::to_string(n) + " items; the maximum is " + std::to_string(max));
}

void checker::value_of(const value& v, const path& at) {
    if (failed()) return;
    if (const auto* s = std::get_if<std::string>(&v)) {
        text(*s, at, lim_.max_string_bytes);
    } else if (const auto* b = std::get_if<std::vector<std::uint8_t>>(&v);
               b != nullptr && b->size() > lim_.max_blob_bytes) {
        errors_.fail(errc::too_large, at, too_long_es(b->size(), lim_.max_blob_bytes),
                     too_long_en(b->size(), lim_.max_blob_bytes));
    }
}

void checker::unique_names(std::vector<std::string_view> names, const path& at) {
    if (failed()) return;
    std::sort(names.begin(), names.end());
    const auto dup = std::adjacent_find(names.begin(), names.end());
    if (dup == names.end()) return;
    errors_.fail(errc::bad_input, at, "nombre repetido: " + std::string(*dup),
                 "repeated name: " + std::string(*dup));
}

void checker::unique_identifiers(std::span<const std::string> names, const path& at) {
    for (std::size_t i = 0; i < names.size() && !failed(); ++i) identifier(names[i], path{at, i});
    unique_names(std::vector<std::string_view>(names.begin(), names.end()), at);
}

void checker::unique_ids(std::span<const std::string> ids, const path& at) {
    for (std::size_t i = 0; i < ids.size() && !failed(); ++i) id(ids[i], path{at, i});
    unique_names(std::vector<std::string_view>(ids.begin(), ids.end()), at);
}

}  // namespace minga::protocol::detail
