#pragma once
/// The client side of the sync engine: enrolment, and a sync (hello, push until acked, pull
/// until no page remains) over any transport. Network code lives in client/; here a transport
/// is a function from request bytes to response bytes.
///
/// Guarantees: a change leaves the outbox only when the server's cumulative ack covers it; a
/// pull page and its cursor are applied in one transaction; an interrupted sync resumes from
/// the last ack and cursor. Not thread-safe: one sync per replica at a time.

#include <minga/protocol/result.hpp>
#include <minga/protocol/version.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_pacing.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// Sends one encoded request frame with the Bearer credential (empty before enrolment) and
/// returns the encoded response frame, or a transport error (errc::unavailable, timeout...).
using transport_fn = std::function<result<std::vector<std::uint8_t>>(
    std::span<const std::uint8_t> request, std::string_view bearer)>;

/// A transport that keeps more than one request in flight on one connection (HTTP/1.1
/// pipelining): `send` writes a request without waiting for its answer, `receive` reads the
/// answer to the oldest request not yet answered. After a failure of either, the connection is
/// closed and every unanswered request is lost: the server may have applied some of them, so
/// only requests that are safe to send again travel this way (push batches, whose changes the
/// server applies once by device sequence, and the first pull request, sent behind the last
/// batch). Both empty: no pipelining.
struct pipeline_fns {
    std::function<status(std::span<const std::uint8_t> request, std::string_view bearer)> send;
    std::function<result<std::vector<std::uint8_t>>()> receive;
    [[nodiscard]] explicit operator bool() const noexcept { return send && receive; }
};

struct sync_report {
    std::uint64_t pushed = 0;     ///< changes acknowledged by the server in this sync
    std::uint64_t pulled = 0;     ///< rows applied from the server
    std::uint64_t conflicts = 0;  ///< fields that lost to a concurrent write (server count)
    std::uint64_t requests = 0;   ///< requests sent, retries included
    std::int64_t offset_ms = 0;   ///< server time minus local time
    std::uint64_t retries = 0;    ///< requests sent again after a transient failure
    std::uint64_t push_total = 0; ///< changes pending when the push began
    std::uint64_t pull_total = 0; ///< rows the server announced for the pull (an estimate)
    std::uint64_t pages = 0;      ///< pull pages applied
    std::uint64_t bytes_sent = 0;      ///< encoded request frames (before transport compression)
    std::uint64_t bytes_received = 0;  ///< encoded response frames (after decompression)
    std::uint64_t pipelined = 0;  ///< push batches sent while an earlier one was unanswered
    bool stopped_by_deadline = false;  ///< `max_time_ms` ran out; the next sync resumes
};

/// What the syncer is doing, after each answered request or before each retry. `so_far` is
/// the running report; `done`/`total` are for the phase (changes for push, rows for pull).
struct sync_progress {
    std::string_view phase;  ///< "push", "pull" or "retry"
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    const sync_report* so_far = nullptr;
    // For "retry": which retry of this request comes next (1-based), the policy's maximum,
    // the wait before it and the error that caused it.
    std::uint32_t retry = 0;
    std::uint32_t max_retries = 0;
    std::int64_t wait_ms = 0;
    const error* cause = nullptr;
};
using progress_fn = std::function<void(const sync_progress&)>;

/// Sleeps for the given time (injectable: tests record the waits instead of sleeping).
using sleep_fn = std::function<void(std::chrono::milliseconds)>;
/// A monotonic clock in ms (injectable, like the sleep).
using steady_fn = std::function<std::int64_t()>;

/// How one sync paces itself. The three sizes are caps: with `adaptive` the syncer starts
/// small (sync_tuning::first_*) and sizes each request to take about `target_ms`.
struct sync_options {
    std::uint32_t push_batch = 1000;       ///< changes per push request, at most
    std::uint32_t page_rows = 5000;        ///< rows per pull page asked for, at most (the server caps it too)
    std::uint32_t page_bytes = 2 * 1024 * 1024; ///< soft bound of a pull page asked for, at most
    bool adaptive = true;                  ///< false: every request asks for the caps
    std::int64_t target_ms = sync_tuning::target_request_ms;  ///< push batches and other requests
    std::int64_t pull_target_ms = sync_tuning::target_page_ms;  ///< pull pages
    retry_policy retry{};
    std::int64_t max_time_ms = 0;   ///< stop between requests once this has passed; 0: never
    std::uint64_t jitter_seed = 0;  ///< seed of the backoff jitter; 0: a random one
    sleep_fn sleep;                 ///< empty: std::this_thread::sleep_for
    steady_fn now_ms;               ///< empty: std::chrono::steady_clock
    /// The highest protocol version offered in hello (tests and operators may hold a device at
    /// an older version, e.g. 1 to behave as a v1 client against a v2 server).
    std::uint32_t max_protocol_version = protocol::current_version;
    /// When set, push batches go pipelined (sync_tuning::push_window in flight), so the link
    /// carries the next batch while the server applies one and its ack travels back, and the
    /// first pull request goes right behind the last batch. The transport given to `sync()`
    /// still carries every other request.
    pipeline_fns pipeline;
};

struct enroll_report {
    std::vector<std::string> gads;
    std::uint64_t requeued = 0;  ///< local changes queued before enrolment, now to be sent
};

/// Trades a one-time token for this device's credential; stores server URL, credential and
/// scope in the replica. Data recorded before enrolment stays queued and goes at the next sync.
/// Also re-enrols a device (revoked, or whose credential was lost or expired): the server
/// keeps its id and high-water mark, and its queued changes go at the next sync.
[[nodiscard]] result<enroll_report> enroll(replica& r, const transport_fn& t,
                                           std::string_view server_url, std::string_view token,
                                           std::string_view device_name);

/// Push then pull until converged. Transient failures (`is_transient`) are retried with
/// `opts.retry`, each retry resuming from the last ack and the stored pull cursor. When
/// `opts.max_time_ms` runs out the sync stops between requests and returns its report with
/// `stopped_by_deadline` (everything stored is consistent; the next sync resumes). Errors: the
/// last transient error once retries are used up, or the first other one (unauthorized...).
[[nodiscard]] result<sync_report> sync(replica& r, const transport_fn& t,
                                       const sync_options& opts = {},
                                       const progress_fn& progress = {});

/// The server URL and credential stored at enrolment (empty when not enrolled).
struct link_info {
    std::string server_url;
    std::string credential;
};
[[nodiscard]] link_info stored_link(replica& r);

}  // namespace minga
