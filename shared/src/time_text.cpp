#include "minga/shared/time_text.hpp"

#include <ctime>

namespace minga {

std::string utc_format(std::int64_t ms, const char* format) {
    // Floor division, so a time before 1970 (a skewed clock) is not rounded towards it.
    std::int64_t secs = ms / 1000;
    if (ms % 1000 < 0) --secs;
    const auto t = static_cast<std::time_t>(secs);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    const std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return std::string(buf, n);
}

}  // namespace minga
