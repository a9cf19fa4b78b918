#pragma once
/// What the dashboard shows beyond the consolidated reports: sync health per GAD and
/// indicator progress against targets, read from the live synced rows of the central store.
/// (Totals and breakdowns come from `report()`, so they equal `minga-server report`.)
///
/// Thread affinity: the caller's connection, on the caller's thread; no state between calls.
/// SQLite failures throw `sql::sql_error`.
#include <minga/shared/sqlite.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minga {

/// Sync health of one GAD (a device scoped to several GADs counts for each of them).
struct gad_sync_health {
    std::string gad, name, level;
    std::int64_t devices_active = 0;
    std::int64_t devices_pending = 0;  ///< enrolment token issued, not used yet
    std::int64_t devices_revoked = 0;
    std::int64_t last_sync_ms = 0;     ///< latest contact of any of its devices; 0 = never
    std::int64_t open_conflicts = 0;   ///< conflicts not resolved yet
    std::int64_t projects = 0;         ///< live projects it owns
};

/// Every GAD that has a device, a live project or an open conflict, ordered by code.
[[nodiscard]] std::vector<gad_sync_health> sync_health(sql::db& central_db);

/// Progress of one indicator (from the library: all projects' indicators with that code; or a
/// project-specific one: all indicators with the same title and unit).
struct indicator_progress {
    std::string key;          ///< library code, or "title|unit"
    std::string name, unit;
    std::int64_t indicators = 0;
    std::int64_t projects = 0;
    std::int64_t observations = 0;
    double baseline = 0;      ///< sum of the baselines recorded
    double current = 0;       ///< sum of each indicator's value by its own rule (sum/last/max/mean)
    double target = 0;        ///< sum of the targets recorded
    std::int64_t with_target = 0;  ///< indicators that have a target
    std::string last_observed;     ///< latest observation date (YYYY-MM-DD) or ""
    /// (current - baseline) / (target - baseline) × 100 over the indicators with a target;
    /// empty when none has a target (or target equals baseline).
    std::optional<double> progress_pct;
};

/// Indicator progress, the most used indicators first (then by name), at most `limit` rows.
[[nodiscard]] std::vector<indicator_progress> indicator_progress_list(sql::db& central_db,
                                                                      std::size_t limit);

}  // namespace minga

namespace minga {

/// The official colour of each SDG ("#E5243B"...), by goal number, from the `sdg` table.
[[nodiscard]] std::vector<std::string> sdg_colours(sql::db& central_db);  // index = goal (0 unused)

}  // namespace minga
