#pragma once
/// Limits of the demand cycle (demands, matching, applications, plan, good-practice sheets).
/// Each bounds one thing; tests exercise each bound.

#include <cstddef>

namespace minga::demand_tuning {

/// Longest note on an application move (bytes); longer is refused, never cut.
inline constexpr std::size_t max_note_bytes = 8000;
/// Offers `minga demand match` shows when no --limit is given.
inline constexpr std::size_t default_match_limit = 10;
/// Most offers one match may return (a larger --limit is refused).
inline constexpr std::size_t max_match_limit = 500;
/// Most offers the coverage report counts per demand (it says "500+" beyond).
inline constexpr std::size_t coverage_offer_cap = 500;

}  // namespace minga::demand_tuning
