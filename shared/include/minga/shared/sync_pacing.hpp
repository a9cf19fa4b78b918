#pragma once
/// How the syncer paces itself on a poor link: each request sized to take about
/// `target_request_ms` (measured, adaptive), and capped exponential backoff with full jitter
/// between retries of a request that failed transiently. Pure policy: no I/O, no clock of its
/// own (callers pass the measured durations), so tests drive it with made-up numbers.
///
/// docs/resilience.md ("Syncer") explains the numbers below.

#include <cstdint>
#include <random>

namespace minga {

namespace sync_tuning {
/// Wall time one request should take once the link is measured. Pipelined push batches
/// (push_window in flight) aim at target / push_window each: the round trip is hidden behind
/// the next batch, and a cut loses little. A request sent alone aims at the whole target,
/// long enough that a 600 ms round trip is not most of it.
inline constexpr std::int64_t target_request_ms = 2000;
/// The same for a pull page. Pages cannot be pipelined (the next one starts at the cursor the
/// last one ends at), so each costs an idle round trip: longer pages make that a smaller share
/// (2G: 0.6 s of 6.6 s) for a larger loss when a cut hits one (docs/resilience.md).
inline constexpr std::int64_t target_page_ms = 6000;
/// Changes in the first push batch before anything is known of the link (about 15 KB of
/// msgpack, 3 KB compressed: a fraction of a second at 2G speed).
inline constexpr std::uint32_t first_push_batch = 50;
/// Soft byte bound of the first pull page asked for (about 5 KB compressed).
inline constexpr std::uint32_t first_page_bytes = 32 * 1024;
/// Floors a shrinking request never goes under.
inline constexpr std::uint32_t min_push_batch = 1;
inline constexpr std::uint32_t min_page_rows = 1;
inline constexpr std::uint32_t min_page_bytes = 4 * 1024;
/// A request grows at most this many times over the previous one. The estimate (units / time
/// of the last exchange) counts the round trip as transfer time, so it is low on a slow link
/// and a small first request grows fast; the bound stops a near-zero time (loopback, in
/// process) from making one jump straight to the cap.
inline constexpr std::uint32_t max_growth = 8;
/// Push batches in flight at once when the transport pipelines (sync_options::pipeline): the
/// next batch crosses the link while the previous one's ack comes back, so a round trip is
/// not spent idle per batch. A cut loses every batch in flight: two is enough to hide the
/// round trip and keeps what a cut loses small.
inline constexpr std::size_t push_window = 2;
/// A pull page takes the rest of the pull when the rest is at most this share of a page more
/// than the sizer asks for: a short last page would cost an idle round trip of its own (2G:
/// a 5 KB tail took 0.7 s) for a page at most 1.5 times as long.
inline constexpr double tail_merge = 0.5;
/// Backoff: the wait before retry k (0-based) is uniform in [0, min(cap, base * 2^k)].
inline constexpr std::int64_t backoff_base_ms = 500;
inline constexpr std::int64_t backoff_cap_ms = 15'000;
/// Retries of one request after its first try; progress (an answered request) starts the
/// count again. With the numbers above a dead link is given up after at most 30.5 s of waits.
inline constexpr std::uint32_t max_retries = 6;
/// The most retries `minga sync --retries` accepts (20 would wait up to about 4.5 minutes).
inline constexpr std::uint32_t retries_limit = 20;
}  // namespace sync_tuning

/// The size of the next request of one kind (push changes, pull rows or pull bytes).
///
/// After an answered request of `units` that took `ms`, the next size is
/// `units * target_ms / ms`, clamped to [floor, min(cap, max_growth * previous)]. A failed
/// request (cut, timeout) halves the size. `ask(budget)` gives a smaller size when less than
/// the target time is left (a deadline), using the last measured rate.
class request_sizer {
public:
    /// Starts at min(first, cap); never goes under min(floor, cap) nor over cap.
    request_sizer(std::uint32_t first, std::uint32_t floor, std::uint32_t cap) noexcept;
    /// A sizer that always asks for `cap` (pacing off).
    [[nodiscard]] static request_sizer fixed(std::uint32_t cap) noexcept { return {cap, cap, cap}; }

    /// The size to ask for now, with `budget_ms` left for the request (<= 0: no deadline).
    [[nodiscard]] std::uint32_t ask(std::int64_t budget_ms = 0) const noexcept;
    [[nodiscard]] std::uint32_t size() const noexcept { return size_; }
    [[nodiscard]] std::uint32_t floor() const noexcept { return floor_; }

    /// A request of `units` (> 0) was answered in `ms`.
    void on_answer(std::uint64_t units, std::int64_t ms, std::int64_t target_ms) noexcept;
    /// A request failed on the way (cut, timeout, too large).
    void on_failure() noexcept;

private:
    std::uint32_t size_;
    std::uint32_t floor_;
    std::uint32_t cap_;
    double rate_ = 0;  ///< units per ms of the last answered request; 0 before any
};

/// The bytes to ask for in a pull page: `ask` (the sizer's), or, when the rest of the pull
/// (`rest_rows` at about `bytes_per_row` each, as the last page measured) is at most
/// `ask * (1 + sync_tuning::tail_merge)`, enough for all of it (with a margin: a page's byte
/// bound is soft and rows differ in size), at most `cap`. Pure.
[[nodiscard]] std::uint32_t page_bytes_with_tail(std::uint32_t ask, std::uint64_t rest_rows,
                                                 double bytes_per_row, std::uint32_t cap) noexcept;

/// Retry rule for transient errors (`is_transient`: busy, unavailable, timeout).
struct retry_policy {
    std::int64_t base_ms = sync_tuning::backoff_base_ms;
    std::int64_t cap_ms = sync_tuning::backoff_cap_ms;
    std::uint32_t max_retries = sync_tuning::max_retries;  ///< 0: never retry
};

/// The longest wait before retry `attempt` (0-based): min(cap, base * 2^attempt).
[[nodiscard]] std::int64_t backoff_ceiling(const retry_policy& p, std::uint32_t attempt) noexcept;

/// Full-jitter backoff: each wait is uniform in [0, backoff_ceiling(attempt)], so devices cut
/// by the same outage do not come back in step. Seeded: the same seed gives the same waits.
class backoff {
public:
    backoff(const retry_policy& p, std::uint64_t seed) : p_(p), rng_(seed) {}
    /// The wait, in ms, before retry `attempt` (0-based).
    [[nodiscard]] std::int64_t delay_ms(std::uint32_t attempt);

private:
    retry_policy p_;
    std::mt19937_64 rng_;
};

}  // namespace minga
