// field_reader: validating the cells of one catalogue row with the shared validators.

#include "catalog_import_detail.hpp"

#include <minga/shared/validate.hpp>
#include <minga/shared/validate_db.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace minga::catalog {

namespace {

/// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool valid_utf8(std::string_view s) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = 0;
        if (c < 0x80)
            len = 1;
        else if ((c & 0xE0) == 0xC0)
            len = 2;
        else if ((c & 0xF0) == 0xE0)
            len = 3;
        else if ((c & 0xF8) == 0xF0)
            len = 4;
        else
            return false;
        // The lead byte keeps 7, 5, 4 or 3 payload bits.
        constexpr unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
        char32_t cp = c & lead_mask[len];
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        constexpr char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

/// Canonical order of list items: by length, then text, so "6;15" and "15;6" are one value
/// and numbers sort as numbers.
bool canonical_less(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

std::string shown(std::string_view text) {
    if (text.size() <= max_echo_bytes) return std::string(text);
    std::size_t n = max_echo_bytes;
    // Back off over UTF-8 continuation bytes so a character is never cut in half.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    return std::string(text.substr(0, n)) + "…";
}

std::string joined(std::span<const std::string_view> items) {
    std::string out;
    for (auto item : items) out += (out.empty() ? "" : ", ") + std::string(item);
    return out;
}

std::string_view field_reader::raw(std::string_view column) const noexcept {
    for (std::size_t i = 0; i < columns_.size(); ++i) {
        if (columns_[i].name == column) return index_[i] ? rec_[*index_[i]] : std::string_view();
    }
    return {};
}

std::string field_reader::field(std::string_view column) const {
    return fmt::format("{}, columna {}", csv::line_field(line()), column);
}

void field_reader::fail(error e) {
    if (!error_) error_ = std::move(e);
}

void field_reader::fail(std::string_view column, std::string es, std::string en) {
    fail(make_error(errc::bad_input, field(column), std::move(es), std::move(en)));
}

bool field_reader::check(const status& st) {
    if (!st) fail(st.err());
    return st.ok();
}

bool field_reader::present(std::string_view column, need n) {
    if (error_) return false;
    if (!raw(column).empty()) return true;
    if (n == need::required) {
        fail(column, "falta el valor: esta columna es obligatoria en cada fila",
             "missing value: this column is required in every row");
    }
    return false;
}

sql::value field_reader::text(std::string_view column, std::size_t max_bytes, need n) {
    if (!present(column, n)) return {};
    const std::string_view v = raw(column);
    if (!valid_utf8(v)) {
        fail(column, "el texto no es UTF-8 válido; guarde el archivo como «CSV UTF-8»",
             "the text is not valid UTF-8; save the file as \"CSV UTF-8\"");
        return {};
    }
    if (v.size() > max_bytes) {
        fail(column,
             fmt::format("texto demasiado largo ({} bytes; máximo {})", v.size(), max_bytes),
             fmt::format("text too long ({} bytes; at most {})", v.size(), max_bytes));
        return {};
    }
    return std::string(v);
}

sql::value field_reader::web_address(std::string_view column) {
    sql::value v = text(column, catalog_max_short_text_bytes, need::optional);
    const auto* s = std::get_if<std::string>(&v);
    if (!s) return v;
    const bool scheme = s->starts_with("https://") || s->starts_with("http://");
    if (!scheme || s->find_first_of(" \t\r\n") != std::string::npos) {
        fail(column,
             fmt::format("dirección web inválida «{}»: debe empezar por https:// o http:// y no "
                         "tener espacios",
                         shown(*s)),
             fmt::format("invalid web address '{}': it must start with https:// or http:// and "
                         "have no spaces",
                         shown(*s)));
        return {};
    }
    return v;
}

sql::value field_reader::choice(std::string_view column, std::span<const std::string_view> allowed,
                                need n, std::string_view fallback) {
    if (!present(column, fallback.empty() ? n : need::optional)) {
        if (error_ || fallback.empty()) return {};
        return std::string(fallback);
    }
    const std::string_view v = raw(column);
    if (std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return std::string(v);
    fail(column,
         fmt::format("valor desconocido «{}»; valores válidos: {}", shown(v), joined(allowed)),
         fmt::format("unknown value '{}'; valid values: {}", shown(v), joined(allowed)));
    return {};
}

sql::value field_reader::code_in(std::string_view column, std::string_view list, need n) {
    if (!present(column, n)) return {};
    const std::string_view v = raw(column);
    if (!check(validate::check_codelist(db_, field(column), list, v))) return {};
    return std::string(v);
}

sql::value field_reader::int_code_in(std::string_view column, std::string_view list,
                                     std::string_view fallback) {
    if (error_) return {};
    std::string_view v = raw(column);
    if (v.empty()) {
        if (fallback.empty()) {
            (void)present(column, need::required);  // records the "missing value" error
            return {};
        }
        v = fallback;
    }
    if (!check(validate::check_codelist(db_, field(column), list, v))) return {};
    auto number = validate::parse_int(field(column), v);
    if (!number) {
        fail(number.err());
        return {};
    }
    return *number;
}

sql::value field_reader::date(std::string_view column) {
    if (!present(column, need::optional)) return {};
    const std::string_view v = raw(column);
    auto d = validate::parse_date(field(column), v);
    if (!d) {
        fail(d.err());
        return {};
    }
    return validate::format_date(*d);
}

sql::value field_reader::ruc(std::string_view column, need n) {
    if (!present(column, n)) return {};
    const std::string_view v = raw(column);
    // Registry imports: the SRI has issued valid company RUCs whose modulo-11 digit does not
    // match, so only natural persons' check digits are enforced (see validate.hpp).
    if (!check(validate::check_ruc(field(column), v,
                                   validate::ruc_rules::structure_only_for_entities))) {
        return {};
    }
    return std::string(v);
}

sql::value field_reader::goal(std::string_view column) {
    if (!present(column, need::optional)) return {};
    auto g = validate::parse_int(field(column), raw(column));
    if (!g) {
        fail(g.err());
        return {};
    }
    if (!check(validate::check_sdg_goal(field(column), *g))) return {};
    return *g;
}

sql::value field_reader::dac_sector(std::string_view column) {
    if (!present(column, need::optional)) return {};
    const std::string_view v = raw(column);
    if (!check(validate::check_dac_sector(db_, field(column), v))) return {};
    return std::string(v);
}

sql::value field_reader::list(std::string_view column, std::size_t max_items,
                              const item_check& check_item) {
    if (!present(column, need::optional)) return error_ ? sql::value() : std::string();
    std::vector<std::string> items;
    std::string_view rest = raw(column);
    for (;;) {
        const auto cut = rest.find(';');
        const std::string_view item = rest.substr(0, cut);
        if (item.empty()) {
            fail(column,
                 "lista inválida: separe los valores con «;», sin valores vacíos (p. ej. 6;15)",
                 "invalid list: separate the values with ';', with no empty value (e.g. 6;15)");
            return {};
        }
        if (!check(check_item(field(column), item))) return {};
        if (std::find(items.begin(), items.end(), item) != items.end()) {
            fail(column, fmt::format("el valor «{}» se repite en la lista", shown(item)),
                 fmt::format("the value '{}' appears twice in the list", shown(item)));
            return {};
        }
        items.emplace_back(item);
        if (items.size() > max_items) {
            fail(column, fmt::format("la lista tiene más de {} valores", max_items),
                 fmt::format("the list has more than {} values", max_items));
            return {};
        }
        if (cut == std::string_view::npos) break;
        rest.remove_prefix(cut + 1);
    }
    std::sort(items.begin(), items.end(), canonical_less);
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
    return out;
}

sql::value field_reader::money(std::string_view column, int minor_unit) {
    if (!present(column, need::optional)) return {};
    auto amount = validate::parse_money(field(column), raw(column), minor_unit);
    if (!amount) {
        fail(amount.err());
        return {};
    }
    return *amount;
}

}  // namespace minga::catalog
