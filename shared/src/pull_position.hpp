#pragma once
// Where a device's pull stands (private to the client sync engine): its incremental cursor, or
// a snapshot in progress. A device whose cursor is behind the server's tombstone horizon gets a
// snapshot of its scope (pull_page.snapshot, protocol v2); the rows it delivers are remembered
// (replica table snapshot_seen, schema v4) and the transaction of the last page removes the
// local rows of the scope the snapshot did not deliver, except rows with unsent changes, which
// are kept and sent as usual. An interrupted snapshot resumes from replica_meta
// 'snapshot_cursor'; only the last page removes anything. docs/resilience.md.
#include <minga/protocol/messages.hpp>
#include <minga/protocol/result.hpp>
#include <minga/shared/replica.hpp>

#include <cstdint>
#include <optional>

namespace minga {

class pull_position {
public:
    /// Reads the stored cursor and any snapshot in progress. `r` outlives this object.
    explicit pull_position(replica& r);

    /// The next request: from the cursor, or continuing the snapshot.
    [[nodiscard]] protocol::pull request(std::uint32_t max_rows, std::uint32_t max_bytes) const;
    /// `internal` when the page does not move the position forward.
    [[nodiscard]] status check(const protocol::pull_page& page) const;
    /// Stores the page's position inside `tx`, after its rows were applied. On the last page of
    /// a snapshot, removes the rows of the scope it did not deliver.
    void store(sql::transaction& tx, const protocol::pull_page& page);

    /// True while a snapshot is in progress (more pages to ask for even if none remain:
    /// a snapshot restarted because the horizon moved).
    [[nodiscard]] bool in_snapshot() const noexcept { return snapshot_.has_value(); }
    /// The cursor of what this device has fully seen: the base of new local changes.
    [[nodiscard]] std::uint64_t seen() const noexcept { return cursor_; }
    /// Local rows removed by snapshots finished through this object.
    [[nodiscard]] std::uint64_t removed() const noexcept { return removed_; }

private:
    void record(const protocol::pull_page& page);
    void forget_snapshot();
    std::uint64_t remove_undelivered();

    replica& r_;  // the caller's replica; outlives this object
    std::uint64_t cursor_ = 0;
    std::optional<std::uint64_t> snapshot_;  ///< the snapshot's position while one runs
    std::uint64_t snapshot_horizon_ = 0;     ///< the horizon it started under
    std::uint64_t removed_ = 0;
};

}  // namespace minga
