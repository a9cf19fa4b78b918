#pragma once
/// The tombstone horizon: purging old deletions from the central store.
///
/// A deleted row stays on the server as a tombstone so that devices learn of the deletion at
/// their next pull. `compact_tombstones` physically removes the tombstones whose deletion is
/// older than `keep_days` (by the server's clock: change_index.changed_ms), with their
/// change_index and field_clock entries, and raises the horizon (central_meta 'horizon') to the
/// highest server sequence it purged. A device whose pull cursor is behind the horizon may have
/// missed a purged deletion: it gets a snapshot of its scope instead (docs/resilience.md).
///
/// Safe while `serve` runs on the same store: the work is split into transactions of at most
/// `batch_rows` rows, each of which purges its rows and raises the horizon together, so at any
/// instant every purged sequence is <= the stored horizon. Thread affinity: the caller's
/// connection, one thread.

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstddef>
#include <cstdint>

namespace minga {

namespace compaction_tuning {
/// How long the server keeps a tombstone when the operator does not say (about six months: a
/// device offline longer gets a snapshot).
inline constexpr std::int64_t default_keep_days = 180;
/// The largest `--keep-days` accepted (a century: "never purge" in practice).
inline constexpr std::int64_t max_keep_days = 36500;
/// Rows purged per transaction: bounds how long a compaction holds the store's write lock.
inline constexpr std::size_t batch_rows = 1000;
}  // namespace compaction_tuning

struct compact_options {
    /// Tombstones whose deletion is at least this many days old are purged; 0 purges all.
    std::int64_t keep_days = compaction_tuning::default_keep_days;
    std::int64_t now_ms = 0;  ///< the server's wall clock now (Unix ms)
    std::size_t batch_rows = compaction_tuning::batch_rows;
};

struct compact_report {
    std::uint64_t purged = 0;        ///< tombstones removed by this run
    std::uint64_t horizon = 0;       ///< the horizon after the run
    std::uint64_t transactions = 0;  ///< batches committed
    std::int64_t cutoff_ms = 0;      ///< deletions before this instant were purged
};

/// Checks the options (`bad_input` naming `--keep-days`), then purges. Throws
/// `sql::sql_error` on a broken store; a failed batch rolls back alone.
[[nodiscard]] result<compact_report> compact_tombstones(sql::db& db, const compact_options& o);

/// The stored horizon: the highest purged server sequence, 0 before any purge.
[[nodiscard]] std::uint64_t tombstone_horizon(sql::db& db);

}  // namespace minga
