#pragma once
/// What the dashboard shows beyond the project reports: sync health per GAD (read from the live
/// store) and indicator progress against targets (the national totals of the consolidated
/// `indicator_report()`, so they equal `minga-server report indicators`). Totals and
/// breakdowns come from `report()`, so they equal `minga-server report`.
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

/// Progress of one library indicator over the whole country (rules: docs/consolidation.md,
/// "Indicators"; project-specific indicators are not comparable and are left out).
struct indicator_progress {
    std::string key;          ///< library code
    std::string name, unit;
    std::string aggregation;  ///< sum, last, max or mean
    std::int64_t indicators = 0;
    std::int64_t projects = 0;
    std::int64_t observations = 0;
    double baseline = 0;      ///< baselines combined by the indicator's rule
    double current = 0;       ///< values combined by the rule (the baseline when nothing observed)
    double target = 0;        ///< targets combined by the rule (0 when none has a target)
    std::int64_t with_target = 0;  ///< indicators that have a target
    std::string last_observed;     ///< latest observation date (YYYY-MM-DD) or ""
    /// (current - baseline) / (target - baseline) × 100; empty when no indicator has a target
    /// (or target equals baseline).
    std::optional<double> progress_pct;
};

/// Indicator progress from the last consolidation, the most used indicators first (then by
/// name), at most `limit` rows; empty before any consolidation.
[[nodiscard]] std::vector<indicator_progress> indicator_progress_list(sql::db& central_db,
                                                                      std::size_t limit);

}  // namespace minga

namespace minga {

/// The official colour of each SDG ("#E5243B"...), by goal number, from the `sdg` table.
[[nodiscard]] std::vector<std::string> sdg_colours(sql::db& central_db);  // index = goal (0 unused)

}  // namespace minga
