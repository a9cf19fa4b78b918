#pragma once
// Randomized fault runs: the oracle. Every row the test writes (through the store API, on a
// device's replica) is recorded here with the value its checked column must end with, or as
// deleted; `check()` reads a replica or the server store (tests/support/db_dump.hpp's SQLite
// kit, read-only) and reports every row lost, duplicated, stale or resurrected.
#include "db_dump.hpp"

#include <minga/shared/entity_service.hpp>
#include <minga/shared/replica.hpp>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace minga::test {

/// The tables the fault runs write, each with the column whose last value is checked.
struct checked_table {
    const char* name;
    const char* column;
};
inline constexpr checked_table fault_tables[] = {
    {"agreement", "title"}, {"project", "title"}, {"indicator", "title"}, {"observation", "value"}};

class fault_oracle {
  public:
    struct entry {
        std::string table, gad, value;  // value: the checked column's last value, as text
        bool deleted = false;
    };

    /// Adds a row through the store API and records it.
    std::string add(minga::replica& r, std::string_view kind, const minga::form& f,
                    const std::string& checked_value) {
        minga::entity_service svc(r);
        auto w = svc.add(*minga::find_entity(kind), f);
        if (!w) throw std::runtime_error(std::string(kind) + " add: " + w.err().text("en"));
        rows_[w->id] = {table_of(kind), r.gad(), checked_value, false};
        return w->id;
    }
    void update(minga::replica& r, const std::string& id, const std::string& field,
                const std::string& value) {
        auto& row = rows_.at(id);
        minga::entity_service svc(r);
        auto w = svc.update(*minga::find_entity(kind_of(row.table)), id, {{field, value}});
        if (!w) throw std::runtime_error(row.table + " update: " + w.err().text("en"));
        row.value = value;
    }
    void remove(minga::replica& r, const std::string& id) {
        auto& row = rows_.at(id);
        minga::entity_service svc(r);
        auto w = svc.remove(*minga::find_entity(kind_of(row.table)), id);
        if (!w) throw std::runtime_error(row.table + " remove: " + w.err().text("en"));
        row.deleted = true;
    }
    /// True when the replica holds the row (another device's row arrives with a pull).
    [[nodiscard]] bool present(minga::replica& r, const std::string& id) const {
        minga::entity_service svc(r);
        return svc.get(*minga::find_entity(kind_of(rows_.at(id).table)), id).ok();
    }
    [[nodiscard]] const std::map<std::string, entry>& rows() const noexcept { return rows_; }

    /// Problems found in the database `file` for the GADs `gads` (empty when all is well);
    /// `checked` grows by the rows looked at.
    [[nodiscard]] std::vector<std::string> check(const std::filesystem::path& file,
                                                 const std::set<std::string>& gads,
                                                 std::uint64_t& checked) const {
        std::vector<std::string> problems;
        minga::sql::db db(file.string(), minga::sql::open_options{
                                             .create = false, .read_only = true, .wal = false});
        for (const auto& t : fault_tables) {
            std::map<std::string, std::pair<bool, minga::sql::value>>
                stored;  // id → (deleted, value)
            std::map<std::string, int> seen;
            auto s = db.prepare(std::string("SELECT id, owner_gad, deleted, ") + t.column +
                                " FROM " + t.name);
            while (s.step()) {
                if (!gads.count(s.get_text(1))) {
                    problems.push_back(std::string(t.name) + " " + s.get_text(0) +
                                       ": outside the scope");
                    continue;
                }
                const auto id = s.get_text(0);
                ++seen[id];
                stored[id] = {s.get_int(2) != 0, s.get_value(3)};
            }
            for (const auto& [id, r] : rows_) {
                if (r.table != t.name || !gads.count(r.gad)) continue;
                ++checked;
                auto it = stored.find(id);
                if (r.deleted) {
                    if (it != stored.end() && !it->second.first)
                        problems.push_back(r.table + " " + id + ": deleted, but live");
                    continue;
                }
                if (it == stored.end()) {
                    problems.push_back(r.table + " " + id + ": lost");
                    continue;
                }
                if (it->second.first)
                    problems.push_back(r.table + " " + id + ": live, but deleted");
                if (!same(it->second.second, r.value))
                    problems.push_back(r.table + " " + id + ": " + t.column + " is " +
                                       dump_value(it->second.second) + ", expected " + r.value);
            }
            for (const auto& [id, n] : seen) {
                auto it = rows_.find(id);
                if (it == rows_.end() || it->second.table != t.name)
                    problems.push_back(std::string(t.name) + " " + id +
                                       ": never written (a duplicate?)");
                if (n != 1)
                    problems.push_back(std::string(t.name) + " " + id + ": stored " +
                                       std::to_string(n) + " times");
            }
        }
        return problems;
    }

  private:
    static std::string table_of(std::string_view kind) {
        return std::string(kind == "observe" ? "observation" : kind);
    }
    static std::string kind_of(const std::string& table) { return table; }
    static bool same(const minga::sql::value& v, const std::string& expected) {
        if (const auto* t = std::get_if<std::string>(&v)) return *t == expected;
        if (const auto* d = std::get_if<double>(&v))
            return std::fabs(*d - std::stod(expected)) < 1e-9;
        if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i) == expected;
        return false;
    }

    std::map<std::string, entry> rows_;
};

}  // namespace minga::test
