#include <minga/server/log.hpp>

#include <chrono>
#include <ctime>
#include <ostream>

namespace minga::server {

std::string_view to_string(log_level l) noexcept {
    switch (l) {
        case log_level::debug: return "DEBUG";
        case log_level::info: return "INFO";
        case log_level::warn: return "WARN";
        case log_level::error: return "ERROR";
    }
    return "?";
}

void log_sink::write(log_level l, std::string_view domain, std::string_view message) noexcept {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    const std::time_t t = system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    char line_head[64];
    std::snprintf(line_head, sizeof line_head, "%s.%03dZ %s ", stamp, static_cast<int>(ms),
                  to_string(l).data());
    std::lock_guard lock(mu_);
    try {
        out_ << line_head << domain << ": " << message << '\n';
        out_.flush();
    } catch (const std::exception&) {
        // A stream configured to throw (closed stderr): the line is lost, the server goes on.
    }
}

}  // namespace minga::server
