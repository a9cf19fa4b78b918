#pragma once
/// A link emulator: a TCP proxy from a listening 127.0.0.1 port to an upstream host:port that
/// makes the bytes in between travel as over a poor link (2G, 3G, a satellite dish). Per
/// direction it caps bandwidth (a token bucket that starts empty), delays every chunk by half
/// the round trip plus or minus jitter (keeping the byte order), stalls (the link goes silent
/// for a while), and per connection it cuts at a random byte offset (both sides get a TCP
/// reset). Link-wide it has outages: new connections are refused (reset at once) or black-holed
/// (accepted, never answered) for a period.
///
/// Reproducible: every random draw comes from the seed. The cut offset of connection number k
/// (0-based, in accept order) is `planned_cut(seed, k, mean)` whatever the timing; stalls are
/// drawn from the same per-connection generator; outages from the link's generator.
///
/// Threads: `link::start` runs the proxy on one thread of its own (one io_context, so no
/// strands are needed inside). Every public member function of `link` is thread-safe. `stop()`
/// (or the destructor) closes the listener and every connection and joins the thread.
///
/// Used by tests and benchmarks in process, and by hand through `minga-link` (docs/resilience.md).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minga::linkemu {

using std::chrono::milliseconds;

/// What a link does to the bytes. Every number applies to each direction on its own; zero
/// switches the effect off.
struct link_profile {
    std::string name = "clean";
    std::uint64_t rate_bps = 0;        ///< bandwidth cap per direction, bits per second
    milliseconds rtt{0};               ///< round trip: each direction delays by rtt / 2
    milliseconds jitter{0};            ///< ± added to each chunk's one-way delay (order kept)
    double cut_mean_bytes = 0;         ///< mean bytes (both directions) between cuts, exponential
    double stall_mean_interval_s = 0;  ///< mean seconds between stalls of a connection, exponential
    milliseconds stall{0};             ///< how long a stall keeps the link silent
    double outage_mean_interval_s = 0;  ///< mean seconds between link-wide outages, exponential
    milliseconds outage{0};             ///< how long an outage lasts
    bool outage_blackhole = false;      ///< during an outage: false resets new connections, true
                                        ///< accepts them and never answers

    /// A name that says what is wrong when a number is out of range (negative, not finite).
    [[nodiscard]] std::optional<std::string> invalid() const;
};

/// The named profiles: "clean" (no limits), "3g" (2 Mbit/s, 200 ms), "2g" (256 kbit/s, 600 ms,
/// a cut about every megabyte), "satellite" (1 Mbit/s, 1200 ms). nullopt for another name.
[[nodiscard]] std::optional<link_profile> profile(std::string_view name);
[[nodiscard]] std::vector<std::string> profile_names();

/// The byte offset at which connection `index` of a link seeded with `seed` is cut (bytes
/// forwarded in both directions together), drawn exponentially with mean `mean_bytes`; nullopt
/// when `mean_bytes` is 0 (no cuts). Pure: the same arguments always give the same offset.
[[nodiscard]] std::optional<std::uint64_t> planned_cut(std::uint64_t seed, std::uint64_t index,
                                                       double mean_bytes);

struct link_options {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 0;  ///< 0: the system picks one (see `link::port()`)
    std::string upstream_host = "127.0.0.1";
    std::uint16_t upstream_port = 0;
    link_profile profile;
    std::uint64_t seed = 1;
};

/// One cut the link made: which connection (accept order), after how many bytes, and when.
/// Two events are equal when connection and offset are (the time differs on every run).
struct cut_event {
    std::uint64_t connection = 0;
    std::uint64_t offset = 0;
    std::chrono::steady_clock::time_point at{};
    friend bool operator==(const cut_event& a, const cut_event& b) {
        return a.connection == b.connection && a.offset == b.offset;
    }
};

/// When a connection was accepted and when its first client byte reached the upstream (the
/// epoch while none has), e.g. to measure how fast a client resumes after a cut.
struct connection_event {
    std::uint64_t connection = 0;
    std::chrono::steady_clock::time_point accepted{};
    std::chrono::steady_clock::time_point first_up{};
};

/// Counters since start. Bytes are those delivered to the other side.
struct link_counters {
    std::uint64_t bytes_up = 0;     ///< client → upstream
    std::uint64_t bytes_down = 0;   ///< upstream → client
    std::uint64_t connections = 0;  ///< accepted (refused and black-holed ones included)
    std::uint64_t cuts = 0;         ///< connections cut at their planned offset or by `cut_all`
    std::uint64_t refused = 0;      ///< reset at once during an outage, or upstream unreachable
    std::uint64_t blackholed = 0;   ///< held silent during an outage
    std::uint64_t stalls = 0;       ///< stalls that delayed at least one chunk
};

/// Named bounds of the emulator.
namespace tuning {
/// Bytes a direction holds in flight (read, not yet delivered) before it stops reading, so a
/// slow link pushes back on the sender as a real one does.
inline constexpr std::size_t max_queued_bytes = 64 * 1024;
/// Largest chunk read at once; capped links read about 20 ms of their rate at a time.
inline constexpr std::size_t max_chunk_bytes = 64 * 1024;
inline constexpr std::size_t min_chunk_bytes = 1500;
/// Events kept for `cuts()` and `connection_log()` each (the oldest are dropped beyond this).
inline constexpr std::size_t max_cut_events = 100'000;
}  // namespace tuning

class link {
  public:
    /// Binds the listener and starts the proxy thread. Throws std::system_error when the
    /// listen address cannot be bound, std::invalid_argument for a bad profile.
    [[nodiscard]] static std::unique_ptr<link> start(const link_options& o);
    ~link();
    link(const link&) = delete;
    link& operator=(const link&) = delete;

    /// The port actually listened on.
    [[nodiscard]] std::uint16_t port() const noexcept;
    /// `http://127.0.0.1:PORT` (the listen host and the real port), for clients.
    [[nodiscard]] std::string url() const;

    /// New connections go to `host:port` from now on (open ones keep their upstream): used
    /// when a server is restarted on another port.
    void set_upstream(const std::string& host, std::uint16_t port);
    /// Resets every open connection now (both sides), counted as cuts at their current offset.
    void cut_all();
    /// Starts an outage of `d` now (refusing or black-holing as `blackhole` says).
    void start_outage(milliseconds d, bool blackhole);

    [[nodiscard]] link_counters counters() const;
    /// The cuts made so far, in the order they happened.
    [[nodiscard]] std::vector<cut_event> cuts() const;
    /// Every connection accepted so far, in accept order.
    [[nodiscard]] std::vector<connection_event> connection_log() const;

    /// Closes the listener and every connection and joins the thread. Idempotent.
    void stop();

    struct impl;

  private:
    explicit link(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace minga::linkemu
