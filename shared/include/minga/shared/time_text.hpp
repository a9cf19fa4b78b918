#pragma once
// Times as text: Unix milliseconds written in UTC, for files and for people. One place, so a
// report, an export, the dashboard and the desk never disagree on how a time reads.
#include <cstdint>
#include <string>

namespace minga {

/// `strftime` of `ms` (Unix milliseconds) in UTC with `format` (at most 63 bytes of output).
[[nodiscard]] std::string utc_format(std::int64_t ms, const char* format);

/// "2026-11-27T14:47:06Z": exports and JSON.
[[nodiscard]] inline std::string iso_utc(std::int64_t ms) { return utc_format(ms, "%Y-%m-%dT%H:%M:%SZ"); }

/// "2026-11-27 14:47 UTC": what a person reads on a page or in a list.
[[nodiscard]] inline std::string minutes_utc(std::int64_t ms) { return utc_format(ms, "%Y-%m-%d %H:%M UTC"); }

}  // namespace minga
