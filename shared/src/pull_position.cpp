#include "pull_position.hpp"

#include <minga/shared/tables.hpp>

#include <string>

namespace minga {

namespace {

std::uint64_t meta_u64(replica& r, std::string_view key) {
    auto v = r.meta(key);
    return v ? std::stoull(*v) : 0;
}

}  // namespace

pull_position::pull_position(replica& r) : r_(r), cursor_(meta_u64(r, "pull_cursor")) {
    if (r_.meta("snapshot_cursor")) {
        snapshot_ = meta_u64(r_, "snapshot_cursor");
        snapshot_horizon_ = meta_u64(r_, "snapshot_horizon");
    }
}

protocol::pull pull_position::request(std::uint32_t max_rows, std::uint32_t max_bytes) const {
    protocol::pull p{snapshot_.value_or(cursor_), max_rows, max_bytes};
    p.snapshot = snapshot_.has_value();
    return p;
}

status pull_position::check(const protocol::pull_page& page) const {
    // The first page of a new snapshot starts over from the beginning: any position is fine.
    if (page.snapshot && !snapshot_) return {};
    std::uint64_t from = snapshot_.value_or(cursor_);
    if (page.cursor_after < from || (page.cursor_after == from && page.remaining > 0)) {
        return make_error(errc::internal, "pull", "el servidor no avanzó el cursor de descarga",
                          "the server did not advance the pull cursor");
    }
    return {};
}

void pull_position::store(sql::transaction& tx, const protocol::pull_page& page) {
    if (!page.snapshot) {
        // A snapshot the server stopped (e.g. the version was renegotiated down to v1) is
        // dropped without removing anything; the pages answered incrementally from its position.
        if (snapshot_) forget_snapshot();
        cursor_ = page.cursor_after;
        r_.set_meta(tx, "pull_cursor", std::to_string(cursor_));
        return;
    }
    if (snapshot_ && page.horizon != snapshot_horizon_) {
        // The horizon moved while the snapshot ran: a row already delivered may have been
        // deleted and purged since. Start over; the rows applied so far are the server's anyway.
        forget_snapshot();
        snapshot_ = 0;
    } else {
        if (!snapshot_) forget_snapshot();  // a new snapshot: forget any stale marks
        record(page);
        snapshot_ = page.cursor_after;
        if (page.remaining == 0) {
            removed_ += remove_undelivered();
            forget_snapshot();
            cursor_ = page.cursor_after;
            r_.set_meta(tx, "pull_cursor", std::to_string(cursor_));
            return;
        }
    }
    snapshot_horizon_ = page.horizon;
    r_.set_meta(tx, "snapshot_cursor", std::to_string(*snapshot_));
    r_.set_meta(tx, "snapshot_horizon", std::to_string(snapshot_horizon_));
}

void pull_position::record(const protocol::pull_page& page) {
    auto& s = r_.conn().cached("INSERT OR IGNORE INTO snapshot_seen(tbl, row_id) VALUES (?1, ?2)");
    for (const auto& block : page.blocks) {
        if (!find_table(block.table)) continue;  // not part of this replica: not applied either
        for (const auto& row : block.rows) {
            sql::reset_guard g(s);
            s.bind(1, block.table).bind(2, row.row_id).exec();
        }
    }
}

void pull_position::forget_snapshot() {
    r_.conn().exec("DELETE FROM snapshot_seen");
    r_.conn().exec("DELETE FROM replica_meta WHERE key IN ('snapshot_cursor', 'snapshot_horizon')");
    snapshot_.reset();
    snapshot_horizon_ = 0;
}

std::uint64_t pull_position::remove_undelivered() {
    auto& db = r_.conn();
    std::string scope;
    for (std::size_t i = 0; i < r_.gads().size(); ++i) scope += (i ? ", ?" : "?") + std::to_string(i + 2);
    std::uint64_t removed = 0;
    for (const auto& t : synced_tables()) {
        // GADs are never purged on the server (memberships and scopes refer to them); catalogue
        // rows with rev 0 are reference data shipped with the program, never in a snapshot.
        if (t.name == "gad") continue;
        std::string idc(id_column(t.name));
        std::string table(t.name);
        std::string sql = "DELETE FROM " + table + " WHERE ";
        sql += t.owner == ownership::gad ? "owner_gad IN (" + scope + ")" : std::string("rev > 0");
        sql += " AND NOT EXISTS (SELECT 1 FROM snapshot_seen s WHERE s.tbl = ?1 AND s.row_id = " +
               table + "." + idc + ")";
        // Rows with unsent local changes stay: their changes go to the server as usual.
        sql += " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.tbl = ?1 AND o.row_id = " + table +
               "." + idc + ")";
        auto s = db.prepare(sql);
        s.bind(1, t.name);
        if (t.owner == ownership::gad)
            for (std::size_t i = 0; i < r_.gads().size(); ++i) s.bind(static_cast<int>(i + 2), r_.gads()[i]);
        s.exec();
        removed += static_cast<std::uint64_t>(db.changes());
    }
    db.exec("DELETE FROM offer_fts WHERE offer_id NOT IN (SELECT id FROM offer)");
    return removed;
}

}  // namespace minga
