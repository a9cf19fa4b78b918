// Purging old tombstones from the central store and keeping the horizon (see compaction.hpp).
#include <minga/shared/compaction.hpp>
#include <minga/shared/offer_search.hpp>
#include <minga/shared/tables.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace minga {

namespace {

constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;

struct victim {
    std::string table;
    std::string row_id;
    std::uint64_t seq = 0;
};

/// Up to `limit` tombstones of one table deleted before `cutoff_ms`.
void find_old_tombstones(sql::db& db, const table_def& t, std::int64_t cutoff_ms,
                         std::size_t limit, std::vector<victim>& out) {
    std::string idc(id_column(t.name));
    auto& s = db.cached("SELECT ci.seq, ci.row_id FROM change_index ci JOIN " + std::string(t.name) +
                        " r ON r." + idc + " = ci.row_id WHERE ci.tbl = ?1 AND ci.changed_ms < ?2 "
                        "AND r.deleted = 1 ORDER BY ci.seq LIMIT ?3");
    sql::reset_guard g(s);
    s.bind(1, t.name).bind(2, cutoff_ms).bind(3, static_cast<std::int64_t>(limit));
    while (s.step())
        out.push_back({std::string(t.name), s.get_text(1), static_cast<std::uint64_t>(s.get_int(0))});
}

void purge(sql::db& db, const victim& v) {
    auto& row = db.cached("DELETE FROM " + v.table + " WHERE " + std::string(id_column(v.table)) +
                          " = ?1 AND deleted = 1");
    {
        sql::reset_guard g(row);
        row.bind(1, v.row_id).exec();
    }
    auto& clocks = db.cached("DELETE FROM field_clock WHERE tbl = ?1 AND row_id = ?2");
    {
        sql::reset_guard g(clocks);
        clocks.bind(1, v.table).bind(2, v.row_id).exec();
    }
    auto& idx = db.cached("DELETE FROM change_index WHERE seq = ?1");
    {
        sql::reset_guard g(idx);
        idx.bind(1, static_cast<std::int64_t>(v.seq)).exec();
    }
    if (v.table == "offer") index_offer(db, v.row_id);  // drops it from the search index
}

/// One bounded transaction: purges up to `limit` old tombstones and raises the horizon.
std::size_t purge_batch(sql::db& db, std::int64_t cutoff_ms, std::size_t limit,
                        std::uint64_t& horizon) {
    sql::transaction tx(db);
    std::vector<victim> batch;
    for (const auto& t : synced_tables()) {
        // A GAD is never purged: memberships and device scopes refer to it by code.
        if (t.name == "gad" || batch.size() >= limit) continue;
        find_old_tombstones(db, t, cutoff_ms, limit - batch.size(), batch);
    }
    if (batch.empty()) return 0;
    for (const auto& v : batch) {
        purge(db, v);
        horizon = std::max(horizon, v.seq);
    }
    auto& put = db.cached(
        "INSERT INTO central_meta(key, value) VALUES ('horizon', ?1) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    {
        sql::reset_guard g(put);
        put.bind(1, std::to_string(horizon)).exec();
    }
    tx.commit();
    return batch.size();
}

}  // namespace

std::uint64_t tombstone_horizon(sql::db& db) {
    auto& s = db.cached("SELECT CAST(value AS INTEGER) FROM central_meta WHERE key = 'horizon'");
    sql::reset_guard g(s);
    return s.step() ? static_cast<std::uint64_t>(s.get_int(0)) : 0;
}

result<compact_report> compact_tombstones(sql::db& db, const compact_options& o) {
    if (o.keep_days < 0 || o.keep_days > compaction_tuning::max_keep_days) {
        auto max = std::to_string(compaction_tuning::max_keep_days);
        return make_error(errc::bad_input, "--keep-days",
                          "debe ser un número de días entre 0 y " + max,
                          "must be a number of days between 0 and " + max);
    }
    if (o.batch_rows == 0) {
        return make_error(errc::bad_input, "batch_rows", "debe ser al menos 1", "must be at least 1");
    }
    compact_report rep;
    rep.cutoff_ms = o.now_ms - o.keep_days * day_ms;
    rep.horizon = tombstone_horizon(db);
    for (;;) {
        std::size_t n = purge_batch(db, rep.cutoff_ms, o.batch_rows, rep.horizon);
        if (n == 0) break;
        rep.purged += n;
        ++rep.transactions;
    }
    return rep;
}

}  // namespace minga
