// Building a pull page: the current state of the rows in the device's read scope (its GADs and
// the catalogue) whose server sequence is past the device's cursor, oldest first, columnar.
// A v2 device whose cursor is behind the tombstone horizon gets a snapshot instead: every row of
// its scope the server still holds (live rows and the tombstones not yet purged), echoes
// included, paged the same way and flagged, so that it can drop what the server no longer has.
#include "central_impl.hpp"

#include <minga/shared/compaction.hpp>
#include <minga/shared/tables.hpp>

#include <map>

namespace minga {

namespace {

/// Rough encoded size of a value, to keep a page near the asked byte bound.
std::size_t approx_size(const sql::value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return s->size() + 2;
    if (const auto* b = std::get_if<sql::blob>(&v)) return b->size() + 3;
    return 5;
}

/// Rows of the scope past ?1. A snapshot must deliver the device's own echoes too: whatever it
/// does not receive, it removes.
std::string scope_sql(std::size_t gads, std::string_view head, bool snapshot) {
    std::string sql(head);
    sql += " FROM change_index WHERE seq > ?1 AND ";
    sql += snapshot ? "?2 IS NOT NULL" : "(echo_device IS NULL OR echo_device <> ?2)";
    sql += " AND owner_gad IN (''";
    for (std::size_t i = 0; i < gads; ++i) sql += ", ?" + std::to_string(i + 3);
    return sql + ")";
}

/// Whether the device pulled as v1 across the horizon and owes a snapshot (central_v3).
bool snapshot_due(sql::db& db, std::int64_t device) {
    auto& s = db.cached("SELECT snapshot_due FROM device WHERE num = ?1");
    sql::reset_guard g(s);
    s.bind(1, device);
    return s.step() && s.get_int(0) != 0;
}

void set_snapshot_due(sql::db& db, std::int64_t device, bool due) {
    auto& s = db.cached("UPDATE device SET snapshot_due = ?2 WHERE num = ?1");
    sql::reset_guard g(s);
    s.bind(1, device).bind(2, std::int64_t{due ? 1 : 0}).exec();
}

/// The page, read in one read transaction. `due`: the device owes a snapshot.
protocol::pull_page read_page(central::impl& store, const device_auth& dev, const protocol::pull& m,
                              std::uint32_t version, bool due) {
    auto& db = store.db;
    const auto& opts = store.opts;
    std::uint32_t max_rows = std::min(std::max<std::uint32_t>(m.max_rows, 1), opts.max_page_rows);
    std::size_t max_bytes = std::min(std::max<std::uint32_t>(m.max_bytes, 1), opts.max_page_bytes);
    // One read transaction: the count, the rows and the global high mark agree.
    db->exec("BEGIN");
    struct end_read {
        sql::db& d;
        ~end_read() {
            try {
                d.exec("COMMIT");
            } catch (const sql::sql_error&) {
                // A read-only transaction has nothing to lose; the connection stays usable.
            }
        }
    } guard{*db};
    protocol::pull_page page;
    page.horizon = tombstone_horizon(*db);
    std::uint64_t from = m.cursor;
    if (version >= protocol::snapshot_version) {
        // A cursor behind the horizon may have missed a purged deletion: start a snapshot.
        // A v1 device cannot take one; it keeps pulling incrementally (docs/resilience.md).
        page.snapshot = m.snapshot || (m.cursor > 0 && (m.cursor < page.horizon || due));
        if (!m.snapshot && page.snapshot) from = 0;
    }
    auto bind_scope = [&](sql::stmt& s) {
        s.bind(1, static_cast<std::int64_t>(from)).bind(2, dev.num);
        for (std::size_t i = 0; i < dev.gads.size(); ++i) s.bind(static_cast<int>(i + 3), dev.gads[i]);
    };
    auto& cnt = db->cached(scope_sql(dev.gads.size(), "SELECT count(*)", page.snapshot));
    {
        sql::reset_guard g(cnt);
        bind_scope(cnt);
        cnt.step();
        page.total = static_cast<std::uint64_t>(cnt.get_int(0));
    }
    auto& rows = db->cached(scope_sql(dev.gads.size(), "SELECT seq, tbl, row_id, owner_gad", page.snapshot) +
                            " ORDER BY seq LIMIT " + std::to_string(opts.max_page_rows));
    std::map<std::string, std::size_t> block_of;
    std::uint64_t last_seq = from;
    std::size_t bytes = 0, n = 0;
    {
        sql::reset_guard g(rows);
        bind_scope(rows);
        while (n < max_rows && (n == 0 || bytes < max_bytes) && rows.step()) {
            last_seq = static_cast<std::uint64_t>(rows.get_int(0));
            std::string table = rows.get_text(1);
            std::string row_id = rows.get_text(2);
            std::string owner = rows.get_text(3);
            auto t = find_table(table);
            if (!t) continue;
            auto it = block_of.find(table);
            if (it == block_of.end()) {
                it = block_of.emplace(table, page.blocks.size()).first;
                page.blocks.push_back({table, store.cols(table), {}});
            }
            auto& block = page.blocks[it->second];
            bool gad_owned = t->owner == ownership::gad;
            std::string sql = "SELECT deleted, " + std::string(gad_owned ? "hlc" : "rev");
            for (const auto& c : block.columns) sql += ", " + c;
            auto& rs = db->cached(sql + " FROM " + table + " WHERE " + std::string(id_column(table)) + " = ?1");
            sql::reset_guard rg(rs);
            rs.bind(1, row_id);
            if (!rs.step()) continue;
            protocol::row r;
            r.row_id = row_id;
            if (gad_owned) r.owner_gad = owner;
            r.deleted = rs.get_int(0) != 0;
            r.hlc = static_cast<std::uint64_t>(rs.get_int(1));
            bytes += row_id.size() + owner.size() + 12;
            for (std::size_t i = 0; i < block.columns.size(); ++i) {
                r.values.push_back(rs.get_value(static_cast<int>(i + 2)));
                bytes += approx_size(r.values.back());
            }
            block.rows.push_back(std::move(r));
            ++n;
        }
    }
    page.remaining = page.total > n ? page.total - n : 0;
    page.cursor_after = last_seq;
    if (page.remaining == 0) {
        // Everything in scope has been sent: move past rows skipped as echoes or out of scope.
        auto high = static_cast<std::uint64_t>(db->scalar_int("SELECT coalesce(max(seq), 0) FROM change_index"));
        page.cursor_after = std::max(high, from);
    }
    return page;
}

}  // namespace

result<protocol::pull_page> central::impl::on_pull(const device_auth& dev, const protocol::pull& m,
                                                   std::uint32_t version) {
    const bool due = snapshot_due(*db, dev.num);
    protocol::pull_page page = read_page(*this, dev, m, version, due);
    // Written after the read transaction, so a concurrent `compact` cannot make it fail.
    if (version < protocol::snapshot_version && m.cursor > 0 && m.cursor < page.horizon && !due) {
        // A v1 device may keep rows whose deletion was purged: once it speaks v2, it gets a
        // snapshot whatever its cursor by then.
        set_snapshot_due(*db, dev.num, true);
    } else if (due && page.snapshot && page.remaining == 0) {
        set_snapshot_due(*db, dev.num, false);
    }
    page.server_time_ms = clock.corrected_ms();
    return page;
}

}  // namespace minga
