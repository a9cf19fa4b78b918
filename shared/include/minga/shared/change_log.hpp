#pragma once
/// Change capture: the only write path for GAD-owned rows.
///
/// `change_log::upsert()` and `remove()` write the row and append the same change to the
/// outbox inside the caller's transaction, so a row is never stored without its change and a
/// change is never queued for a row that was not stored. Column names passed here come from
/// compiled-in entity specs or from a validated sync message, never raw from a user.
///
/// Statements are cached per (table, column set) on the connection. Not thread-safe.

#include <minga/shared/hlc.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minga {

/// Column values of one row write, in order; names are unique.
using field_list = std::vector<std::pair<std::string, sql::value>>;

/// Outbox operation numbers. Persisted and sent: never change, never reuse.
enum class change_op : std::uint8_t { upsert = 1, remove = 2 };

/// One queued local change, as read back from the outbox.
struct outbox_entry {
    std::int64_t seq = 0;
    std::string table;
    std::string row_id;
    change_op op = change_op::upsert;
    hlc_t hlc = 0;
    std::string owner_gad;
    std::uint64_t base = 0;  ///< the pull cursor when the change was made
    field_list fields;
};

/// msgpack map encoding of a field list (the outbox and the wire use the same shape).
[[nodiscard]] sql::blob encode_fields(const field_list& fields);
[[nodiscard]] field_list decode_fields(const sql::blob& bytes);

class change_log {
public:
    /// `db` and `clock` must outlive this object; both belong to the store that owns it.
    change_log(sql::db& db, const hlc_clock& clock) : db_(db), clock_(clock) {}

    /// What the caller knows about the row before an upsert.
    enum class row_state : std::uint8_t {
        fresh,   ///< a new id: insert directly (the fast path of a bulk import)
        unknown  ///< may exist: update the given columns, or insert when absent
    };

    /// Inserts the row or updates the given columns (and clears a tombstone), then queues the
    /// change. An insert must carry every NOT NULL column.
    void upsert(sql::transaction& tx, std::string_view table, std::string_view id,
                std::string_view owner_gad, const field_list& fields, hlc_t stamp,
                row_state state = row_state::unknown);
    /// Marks the row deleted (a tombstone kept for sync) and queues the change.
    void remove(sql::transaction& tx, std::string_view table, std::string_view id,
                std::string_view owner_gad, hlc_t stamp);

    /// Changes not yet acknowledged by the server.
    [[nodiscard]] std::int64_t pending_count();
    /// Up to `limit` pending changes with seq > `after`, oldest first.
    [[nodiscard]] std::vector<outbox_entry> pending(std::int64_t after, std::size_t limit);
    /// Forgets every change with seq <= `seq` (the server's cumulative ack).
    void acknowledge(sql::transaction& tx, std::int64_t seq);
    /// Re-stamps every pending change from the wall clock it was made at, corrected by
    /// `offset_ms`, keeping their order. Returns the last new stamp (0 when none is pending).
    hlc_t restamp(sql::transaction& tx, std::int64_t offset_ms);
    /// The pull cursor recorded with each new change (what this device has seen).
    void set_base(std::uint64_t cursor) noexcept { base_ = cursor; }
    /// Column names with pending changes for one row (their local values must survive a pull).
    [[nodiscard]] std::vector<std::string> pending_fields(std::string_view table,
                                                          std::string_view row_id);

private:
    void append(std::string_view table, std::string_view id, change_op op,
                std::string_view owner_gad, const field_list& fields, hlc_t stamp);

    sql::db& db_;             // owned by the store, which owns this change_log too
    const hlc_clock& clock_;  // the store's clock, for the wall time of each change
    std::uint64_t base_ = 0;
};

}  // namespace minga
