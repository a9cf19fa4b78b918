#include "export_text.hpp"

#include <cstdio>

namespace minga::export_text {

namespace {

/// Bytes of the well-formed UTF-8 sequence at s[i] (a byte >= 0x80), or 0 when it is not one.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = at(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size() || at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
    // U+FFFE and U+FFFF are not XML characters either.
    if (n == 3 && c == 0xEF && at(i + 1) == 0xBF && at(i + 2) >= 0xBE) return 0;
    return n;
}

constexpr std::string_view replacement = "\xEF\xBF\xBD";

}  // namespace

void append_csv_field(std::string& out, std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
        out.append(s);
        return;
    }
    out += '"';
    for (char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
}

void append_xml(std::string& out, std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8_length(s, i);
            if (n == 0) {
                out += replacement;
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
            continue;
        }
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            case '\t': out += "&#9;"; break;   // kept as characters even inside attributes
            case '\n': out += "&#10;"; break;
            case '\r': out += "&#13;"; break;
            default:
                if (c < 0x20) out += replacement;
                else out += static_cast<char>(c);
        }
        ++i;
    }
}

std::string xml(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    append_xml(out, s);
    return out;
}

std::string money(std::int64_t amount, int digits) {
    const bool negative = amount < 0;
    auto abs = negative ? 0 - static_cast<std::uint64_t>(amount) : static_cast<std::uint64_t>(amount);
    std::string frac;
    for (int i = 0; i < digits && i < 18; ++i) {  // currencies have 0 to 4 minor digits
        frac.insert(frac.begin(), static_cast<char>('0' + abs % 10));
        abs /= 10;
    }
    std::string out = (negative ? "-" : "") + std::to_string(abs);
    if (!frac.empty()) out += "." + frac;
    return out;
}

}  // namespace minga::export_text

namespace minga {

std::string markup_escape(std::string_view s) { return export_text::xml(s); }

}  // namespace minga
