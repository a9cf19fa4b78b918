#include "remote_apply.hpp"

#include <minga/shared/offer_search.hpp>
#include <minga/shared/tables.hpp>

#include <algorithm>

namespace minga {

namespace {

/// The upsert statement for a block: local columns in `cols` (indexes into the block's
/// values in `src`), skipping in the UPDATE part the columns that have unsent local changes.
std::string upsert_sql(const table_def& t, const std::vector<std::string>& cols,
                       const std::vector<std::string>& keep_local) {
    bool gad = t.owner == ownership::gad;
    std::string idc(id_column(t.name));
    std::string sql = "INSERT INTO " + std::string(t.name) + "(" + idc + ", deleted, " +
                      (gad ? "owner_gad, hlc" : "rev");
    std::string vals = gad ? "?1, ?2, ?3, ?4" : "?1, ?2, ?3";
    int first = gad ? 5 : 4;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        sql += ", " + cols[i];
        vals += ", ?" + std::to_string(first + static_cast<int>(i));
    }
    sql += ") VALUES (" + vals + ") ON CONFLICT(" + idc + ") DO UPDATE SET " +
           (gad ? "owner_gad = excluded.owner_gad, hlc = max(hlc, excluded.hlc)" : "rev = excluded.rev");
    auto kept = [&](const std::string& c) {
        return std::find(keep_local.begin(), keep_local.end(), c) != keep_local.end();
    };
    if (!kept("deleted")) sql += ", deleted = excluded.deleted";
    for (const auto& c : cols)
        if (!kept(c)) sql += ", " + c + " = excluded." + c;
    return sql;
}

}  // namespace

std::uint64_t apply_page(sql::transaction& tx, replica& r, const protocol::pull_page& page) {
    (void)tx;
    auto& db = r.conn();
    bool any_pending = r.changes().pending_count() > 0;
    std::uint64_t applied = 0;
    hlc_t max_hlc = 0;
    for (const auto& block : page.blocks) {
        auto t = find_table(block.table);
        if (!t) continue;  // a table from a newer server: not part of this replica
        auto local = payload_columns(db, t->name);
        std::vector<std::string> cols;
        std::vector<std::size_t> src;
        for (std::size_t i = 0; i < block.columns.size(); ++i) {
            if (std::find(local.begin(), local.end(), block.columns[i]) == local.end()) continue;
            cols.push_back(block.columns[i]);
            src.push_back(i);
        }
        std::string plain = upsert_sql(*t, cols, {});
        for (const auto& row : block.rows) {
            std::vector<std::string> keep;
            if (any_pending && t->owner == ownership::gad) keep = r.changes().pending_fields(t->name, row.row_id);
            auto& s = db.cached(keep.empty() ? plain : upsert_sql(*t, cols, keep));
            sql::reset_guard g(s);
            s.bind(1, row.row_id).bind(2, std::int64_t{row.deleted ? 1 : 0});
            int next = 3;
            if (t->owner == ownership::gad) {
                s.bind(next++, row.owner_gad.value_or(""));
                s.bind(next++, static_cast<std::int64_t>(row.hlc));
                max_hlc = std::max<hlc_t>(max_hlc, row.hlc);
            } else {
                s.bind(next++, static_cast<std::int64_t>(row.hlc));
            }
            for (std::size_t i = 0; i < src.size(); ++i) s.bind(next++, row.values[src[i]]);
            s.exec();
            if (t->name == "offer") index_offer(db, row.row_id);
            ++applied;
        }
    }
    r.clock().observe(max_hlc);
    return applied;
}

}  // namespace minga
