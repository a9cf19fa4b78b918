#pragma once
/// Test support: a complete, deterministic text dump of a SQLite database (schema, user_version
/// and every row of every table, outbox and sqlite_sequence included), so a test can assert
/// that a command "wrote nothing" by comparing the dump before and after it.
///
/// The file is opened read-only through the product's own SQLite kit; nothing is written, not
/// even a WAL checkpoint. Needs minga::shared (every test folder but protocol links it).

#include <minga/shared/sqlite.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

namespace minga::test {

/// One value, typed, so that 1, 1.0, '1' and x'01' never dump the same.
[[nodiscard]] inline std::string dump_value(const sql::value& v) {
    struct visitor {
        std::string operator()(std::monostate) const { return "NULL"; }
        std::string operator()(std::int64_t x) const { return "i" + std::to_string(x); }
        std::string operator()(double x) const {
            char buf[40];
            std::snprintf(buf, sizeof buf, "r%.17g", x);
            return buf;
        }
        std::string operator()(const std::string& x) const {
            std::string s = "'";
            for (char c : x) {
                if (c == '\'') s += "''";
                else s += c;
            }
            return s + "'";
        }
        std::string operator()(const sql::blob& x) const {
            static constexpr char hex[] = "0123456789abcdef";
            std::string s = "x'";
            for (auto b : x) {
                s += hex[b >> 4];
                s += hex[b & 15];
            }
            return s + "'";
        }
    };
    return std::visit(visitor{}, v);
}

/// The names of the tables in `db` (sqlite_master type 'table', internal ones included).
[[nodiscard]] inline std::vector<std::string> table_names(sql::db& db) {
    std::vector<std::string> names;
    auto s = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (s.step()) names.push_back(s.get_text(0));
    return names;
}

/// Every row of `table`, one line each, sorted by all columns (stable for any table shape).
[[nodiscard]] inline std::string dump_table(sql::db& db, const std::string& table) {
    std::string quoted = "\"";
    for (char c : table) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += '"';
    auto probe = db.prepare("SELECT * FROM " + quoted + " LIMIT 0");
    int n = probe.columns();
    std::string order;
    for (int i = 1; i <= n; ++i) order += (i > 1 ? "," : "") + std::to_string(i);
    auto s = db.prepare("SELECT * FROM " + quoted + (n > 0 ? " ORDER BY " + order : std::string()));
    std::string out;
    std::size_t rows = 0;
    while (s.step()) {
        ++rows;
        std::string line;
        for (int i = 0; i < n; ++i) line += (i ? "|" : "") + dump_value(s.get_value(i));
        out += "  " + line + "\n";
    }
    std::string head = "table " + table + " (" + std::to_string(rows) + " rows):";
    for (int i = 0; i < n; ++i) head += " " + probe.column_name(i);
    return head + "\n" + out;
}

/// The whole database: user_version, every schema object and every table's rows.
[[nodiscard]] inline std::string dump_database(sql::db& db) {
    std::string out = "user_version " + std::to_string(db.user_version()) + "\n";
    auto s = db.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
    while (s.step()) out += s.get_text(0) + " " + s.get_text(1) + ": " + s.get_text(2) + "\n";
    for (const auto& t : table_names(db)) out += dump_table(db, t);
    return out;
}

/// The same for a database file, opened read-only.
[[nodiscard]] inline std::string dump_database(const std::filesystem::path& file) {
    sql::db db(file.string(), sql::open_options{.create = false, .read_only = true, .wal = false});
    return dump_database(db);
}

/// The lines that differ between two dumps (at most `max_lines` of each side), prefixed with
/// "-" (only in `before`) and "+" (only in `after`); empty when the dumps are equal. Meant for
/// `CHECK(dump_diff(before, after).empty())`, which then prints just the difference.
[[nodiscard]] inline std::string dump_diff(const std::string& before, const std::string& after,
                                           std::size_t max_lines = 20) {
    if (before == after) return {};
    auto lines = [](const std::string& text) {
        std::vector<std::string> v;
        std::size_t start = 0;
        while (start < text.size()) {
            auto nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            v.push_back(text.substr(start, nl - start));
            start = nl + 1;
        }
        return v;
    };
    auto a = lines(before);
    auto b = lines(after);
    std::vector<std::string> sa(a), sb(b);
    std::sort(sa.begin(), sa.end());
    std::sort(sb.begin(), sb.end());
    std::vector<std::string> only_a, only_b;
    std::set_difference(sa.begin(), sa.end(), sb.begin(), sb.end(), std::back_inserter(only_a));
    std::set_difference(sb.begin(), sb.end(), sa.begin(), sa.end(), std::back_inserter(only_b));
    std::string out;
    for (std::size_t i = 0; i < only_a.size() && i < max_lines; ++i) out += "- " + only_a[i] + "\n";
    for (std::size_t i = 0; i < only_b.size() && i < max_lines; ++i) out += "+ " + only_b[i] + "\n";
    if (out.empty()) out = "(same lines, different order)\n";
    return out;
}

/// The number of rows of `table` in the database file (read-only).
[[nodiscard]] inline std::int64_t count_rows(const std::filesystem::path& file, const std::string& table,
                                             const std::string& where = "") {
    sql::db db(file.string(), sql::open_options{.create = false, .read_only = true, .wal = false});
    return db.scalar_int("SELECT count(*) FROM \"" + table + "\"" +
                         (where.empty() ? std::string() : " WHERE " + where));
}

}  // namespace minga::test
