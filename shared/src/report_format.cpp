// A report as CSV or JSON text. shared/ does not link a JSON library, and a report is a flat
// table, so the JSON is written here with its own escaping (see to_json's contract).
#include "export_text.hpp"
#include "report_detail.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace minga {

namespace {

using export_text::append_csv_field;

std::string format_usd(std::int64_t cents) {
    std::string sign = cents < 0 ? "-" : "";
    std::uint64_t abs =
        cents < 0 ? 0 - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%llu.%02llu", static_cast<unsigned long long>(abs / 100),
                  static_cast<unsigned long long>(abs % 100));
    return sign + buf;
}

/// Bytes of the well-formed UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = at(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;  // no overlong forms
        if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size() || at(i + 1) < lo || at(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
    return n;
}

void append_json_string(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            std::size_t n = utf8_length(s, i);
            if (n == 0) {
                out += "\\ufffd";
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
            continue;
        }
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
        ++i;
    }
    out += '"';
}

void append_json_cell(std::string& out, const report_cell& c) {
    if (auto* t = std::get_if<std::string>(&c))
        append_json_string(out, *t);
    else if (auto* i = std::get_if<std::int64_t>(&c))
        out += std::to_string(*i);
    else if (auto* m = std::get_if<usd_cents>(&c))
        out += format_usd(m->cents);
    else
        out += "null";
}

void append_csv_cell(std::string& out, const report_cell& c) {
    if (auto* t = std::get_if<std::string>(&c))
        append_csv_field(out, *t);
    else if (auto* i = std::get_if<std::int64_t>(&c))
        out += std::to_string(*i);
    else if (auto* m = std::get_if<usd_cents>(&c))
        out += format_usd(m->cents);
}

template <class F>
void append_list(std::string& out, char open, char close, std::size_t n, F each) {
    out += open;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) out += ',';
        each(i);
    }
    out += close;
}

}  // namespace

namespace rpt {
std::string iso_text(std::int64_t ms) { return iso_utc(ms); }
void json_string(std::string& out, std::string_view s) { append_json_string(out, s); }
void csv_field(std::string& out, std::string_view s) { append_csv_field(out, s); }
std::string decimal_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    std::string out = buf;
    while (!out.empty() && out.back() == '0') out.pop_back();
    if (!out.empty() && out.back() == '.') out.pop_back();
    if (out == "-0") out = "0";
    return out;
}
}  // namespace rpt

std::string to_csv(const report_table& t) {
    std::string out;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        if (i > 0) out += ',';
        append_csv_field(out, t.columns[i]);
    }
    out += '\n';
    for (const auto& row : t.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0) out += ',';
            append_csv_cell(out, row[i]);
        }
        out += '\n';
    }
    return out;
}

std::string to_json(const report_table& t) {
    const auto& s = t.summary;
    std::string out = "{\"report\":";
    append_json_string(out, to_string(t.by));
    out += ",\"lang\":";
    append_json_string(out, t.lang);
    out += ",\"as_of\":";
    append_json_string(out, iso_utc(s.as_of_ms));
    out += ",\"columns\":";
    append_list(out, '[', ']', t.columns.size(),
                [&](std::size_t i) { append_json_string(out, t.columns[i]); });
    out += ",\"rows\":";
    append_list(out, '[', ']', t.rows.size(), [&](std::size_t r) {
        const auto& row = t.rows[r];
        append_list(out, '{', '}', row.size(), [&](std::size_t i) {
            append_json_string(out, t.columns[i]);
            out += ':';
            append_json_cell(out, row[i]);
        });
    });
    // The last five columns are always the metrics, in the order of the totals below.
    const std::array<report_cell, 5> totals = {
        report_cell(s.projects), report_cell(usd_cents{s.committed_usd_cents}),
        report_cell(usd_cents{s.disbursed_usd_cents}), report_cell(s.beneficiaries),
        report_cell(s.unconverted_projects)};
    out += ",\"totals\":";
    const std::size_t first =
        t.columns.size() >= totals.size() ? t.columns.size() - totals.size() : 0;
    append_list(out, '{', '}', std::min(totals.size(), t.columns.size()), [&](std::size_t i) {
        append_json_string(out, t.columns[first + i]);
        out += ':';
        append_json_cell(out, totals[i]);
    });
    out += ",\"quality\":{\"unconverted_projects\":" + std::to_string(s.unconverted_projects);
    out += ",\"unconverted_currencies\":";
    append_list(out, '[', ']', s.unconverted_currencies.size(),
                [&](std::size_t i) { append_json_string(out, s.unconverted_currencies[i]); });
    out += ",\"no_amount_projects\":" + std::to_string(s.no_amount_projects);
    out += ",\"no_territory_projects\":" + std::to_string(s.no_territory_projects);
    out += ",\"rescaled_share_projects\":" + std::to_string(s.rescaled_share_projects) + "}}";
    return out;
}

}  // namespace minga
