#pragma once
// Test helpers for the consolidation tests on generated national-shape stores: a store filled
// by the bench's generator, every rpt_* table as text, and writes made the way the server's
// push makes them (the row, and a fresh change_index seq).
#include "sync_fixture.hpp"

#include <national_data.hpp>

#include <minga/shared/report.hpp>
#include <minga/shared/report_extra.hpp>

#include <cstdio>
#include <string>

namespace minga::testing {

/// A sync_world whose central store holds a generated dataset.
struct generated_world {
    sync_world w;
    bench::national_counts counts;

    explicit generated_world(bench::national_options o) {
        bench::national_generator gen(*w.server, w.data, o);
        counts = gen.run();
    }
    sql::db& db() { return w.server->conn(); }

    consolidation_summary run(bool incremental, std::int64_t now_ms = 1'780'000'000'000) {
        auto s = consolidate(db(), now_ms, consolidate_options{incremental, {}, {}});
        if (!s) FAIL(s.err().text("en"));
        return *s;
    }
};

/// A small national shape: every province, `gads` GADs, mancomunidades, co-financing.
inline bench::national_options small_shape(int gads = 250, std::uint64_t seed = 7) {
    auto o = bench::size_preset("small");
    o.seed = seed;
    o.gads = gads;
    o.projects_per_gad = 2;
    o.observations_per_project = 6;
    o.devices = gads + 20;
    o.cofinanced_twice = 0.06;
    return o;
}

/// Every rpt_* table (and rpt_meta without its as-of time), rows in full order, doubles with
/// all their digits: two equal dumps mean identical tables.
inline std::string dump_rpt(sql::db& db) {
    std::string out;
    std::vector<std::string> tables;
    auto t = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'rpt_*' ORDER BY name");
    while (t.step()) tables.push_back(t.get_text(0));
    for (const auto& name : tables) {
        auto s = db.prepare("SELECT * FROM " + name);
        std::vector<std::string> rows;
        while (s.step()) {
            std::string line;
            for (int i = 0; i < s.columns(); ++i) {
                if (name == "rpt_meta" && s.column_name(i) == "as_of_ms") continue;
                auto v = s.get_value(i);
                if (auto* n = std::get_if<std::int64_t>(&v)) {
                    line += std::to_string(*n);
                } else if (auto* d = std::get_if<double>(&v)) {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%.17g", *d);
                    line += buf;
                } else if (auto* x = std::get_if<std::string>(&v)) {
                    line += *x;
                } else {
                    line += "NULL";
                }
                line += '|';
            }
            rows.push_back(std::move(line));
        }
        std::sort(rows.begin(), rows.end());
        out += name + " (" + std::to_string(rows.size()) + ")\n";
        for (const auto& r : rows) out += r + '\n';
    }
    return out;
}

/// Gives (table, id) a new change-index sequence, as the server does for every applied change.
inline void bump(sql::db& db, const std::string& table, const std::string& id) {
    auto owner = db.prepare("SELECT owner_gad FROM change_index WHERE tbl = ?1 AND row_id = ?2");
    owner.bind(1, table).bind(2, id);
    std::string o;
    if (owner.step()) {
        o = owner.get_text(0);
    } else if (table != "gad" && table != "gad_membership" && table != "organisation") {
        auto own = db.prepare("SELECT owner_gad FROM " + table + " WHERE id = ?1");
        own.bind(1, id);
        if (own.step()) o = own.get_text(0);
    }
    auto del = db.prepare("DELETE FROM change_index WHERE tbl = ?1 AND row_id = ?2");
    del.bind(1, table).bind(2, id);
    del.exec();
    auto ins = db.prepare("INSERT INTO change_index(tbl, row_id, owner_gad) VALUES (?1, ?2, ?3)");
    ins.bind(1, table).bind(2, id).bind(3, o);
    ins.exec();
}

/// Ids (`column`) of `table` rows matching `where`, in id order.
inline std::vector<std::string> ids_of(sql::db& db, const std::string& table,
                                       const std::string& where = "1",
                                       const std::string& column = "id") {
    std::vector<std::string> out;
    auto s = db.prepare("SELECT " + column + " FROM " + table + " WHERE " + where + " ORDER BY " +
                        column);
    while (s.step()) out.push_back(s.get_text(0));
    return out;
}

}  // namespace minga::testing
