#pragma once
// A fingerprint of everything in a central store that a device's request could change, for
// tests that assert "nothing was written": every synced table, the change index, the field
// clocks and the devices (credential state, high-water marks).
#include <minga/shared/sqlite.hpp>
#include <minga/shared/tables.hpp>

#include <functional>
#include <string>
#include <vector>

namespace minga::testing {

/// Everything the server stores that a device could change: every synced table, the change
/// index, the field clocks and the devices (credential state, high-water marks). Returned as a
/// hash so that a failed comparison prints two numbers, not the store.
inline std::size_t stored_state(sql::db& db, const std::vector<std::string>& gads = {}) {
    std::string out;
    auto dump = [&](const std::string& sql) {
        auto s = db.prepare(sql);
        while (s.step()) {
            for (int i = 0; i < s.columns(); ++i) {
                auto v = s.get_value(i);
                if (auto* t = std::get_if<std::string>(&v)) out += *t;
                else if (auto* n = std::get_if<std::int64_t>(&v)) out += std::to_string(*n);
                else if (auto* b = std::get_if<sql::blob>(&v)) out.append(b->begin(), b->end());
                out += '\x1f';
            }
            out += '\n';
        }
    };
    std::string where;
    if (!gads.empty()) {
        where = " WHERE owner_gad IN (";
        for (std::size_t i = 0; i < gads.size(); ++i) where += (i ? ",'" : "'") + gads[i] + "'";
        where += ")";
    }
    for (const auto& t : synced_tables()) {
        if (!gads.empty() && t.owner != ownership::gad) continue;
        dump("SELECT * FROM " + std::string(t.name) + where + " ORDER BY 1");
    }
    dump("SELECT tbl, row_id, owner_gad FROM change_index" + where + " ORDER BY tbl, row_id");
    if (gads.empty()) {
        dump("SELECT * FROM field_clock ORDER BY 1, 2");
        dump("SELECT id, gads, status, token_hash, credential_hash, acked_through FROM device ORDER BY num");
    }
    return std::hash<std::string>{}(out);
}

}  // namespace minga::testing
