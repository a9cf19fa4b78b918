#pragma once
/// Tunables of the reports (docs/consolidation.md), each with what it bounds.

#include <cstdint>

namespace minga::report_tuning {

/// A device whose clock (as its last v3 push showed it) is further ahead or behind the
/// server's than this is listed by the data-quality report (`reloj_desfasado`); `--max-skew`
/// overrides it. Five minutes: far above a request's travel time, far below the error that
/// misorders a day's edits.
inline constexpr std::int64_t max_clock_skew_ms = 5 * 60 * 1000;

/// A GAD none of whose active devices has synced for more days than this is listed by the
/// data-quality report (`gad_sin_sincronizar`); `--days` overrides it.
inline constexpr std::int64_t max_days_without_sync = 30;

}  // namespace minga::report_tuning
