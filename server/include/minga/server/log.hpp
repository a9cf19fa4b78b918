#pragma once
/// The server's logging facade: one line per event, `<UTC time> <LEVEL> <domain>: <message>`.
///
/// Each subsystem logs through a `logger` bound to its domain ("http", "store", "admin"...).
/// What goes in a message is the caller's duty: never row payloads, names, tokens or
/// credentials; counts, sizes, durations, codes and ids of devices are fine. One summary line
/// per request or batch, never one per row.
///
/// Thread safety: `log_sink::write` is thread-safe (lines never interleave); a `logger` is a
/// small value that may be copied to any thread. A `logger` stores a pointer to its sink,
/// which the program (main or the test) owns and keeps alive longer than every logger.

#include <fmt/format.h>

#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <string>
#include <string_view>

namespace minga::server {

enum class log_level : std::uint8_t { debug = 0, info = 1, warn = 2, error = 3 };

[[nodiscard]] std::string_view to_string(log_level l) noexcept;

/// Where log lines go (stderr in `serve`, a string stream in tests).
class log_sink {
public:
    explicit log_sink(std::ostream& out, log_level min = log_level::info) : out_(out), min_(min) {}
    log_sink(const log_sink&) = delete;
    log_sink& operator=(const log_sink&) = delete;

    [[nodiscard]] bool enabled(log_level l) const noexcept { return l >= min_; }
    /// Writes one line, time-stamped, and flushes it. Never throws.
    void write(log_level l, std::string_view domain, std::string_view message) noexcept;

private:
    std::mutex mu_;
    std::ostream& out_;  // owned by the caller (std::cerr or a test's stream), outlives the sink
    log_level min_;
};

/// A domain of the log. Formats only when the level is enabled.
class logger {
public:
    logger(log_sink& sink, std::string_view domain) : sink_(&sink), domain_(domain) {}

    template <class... A>
    void debug(fmt::format_string<A...> f, A&&... a) const { log(log_level::debug, f, std::forward<A>(a)...); }
    template <class... A>
    void info(fmt::format_string<A...> f, A&&... a) const { log(log_level::info, f, std::forward<A>(a)...); }
    template <class... A>
    void warn(fmt::format_string<A...> f, A&&... a) const { log(log_level::warn, f, std::forward<A>(a)...); }
    template <class... A>
    void error(fmt::format_string<A...> f, A&&... a) const { log(log_level::error, f, std::forward<A>(a)...); }

    [[nodiscard]] const std::string& domain() const noexcept { return domain_; }

private:
    template <class... A>
    void log(log_level l, fmt::format_string<A...> f, A&&... a) const {
        if (!sink_->enabled(l)) return;
        try {
            sink_->write(l, domain_, fmt::format(f, std::forward<A>(a)...));
        } catch (const std::exception&) {
            // Formatting ran out of memory: losing one log line beats failing the request.
        }
    }

    log_sink* sink_;  // see the header comment: the sink outlives every logger
    std::string domain_;
};

}  // namespace minga::server
