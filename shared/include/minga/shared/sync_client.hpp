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

struct sync_progress {
    std::string_view phase;  ///< "push" or "pull"
    std::uint64_t done = 0;
    std::uint64_t total = 0;
};
using progress_fn = std::function<void(const sync_progress&)>;

struct sync_options {
    std::uint32_t push_batch = 1000;       ///< changes per push request
    std::uint32_t page_rows = 2000;        ///< rows per pull page asked for
    std::uint32_t page_bytes = 512 * 1024; ///< soft bound of a pull page asked for
    /// The highest protocol version offered in hello (tests and operators may hold a device at
    /// an older version, e.g. 1 to behave as a v1 client against a v2 server).
    std::uint32_t max_protocol_version = protocol::current_version;
};

struct sync_report {
    std::uint64_t pushed = 0;     ///< changes acknowledged by the server in this sync
    std::uint64_t pulled = 0;     ///< rows applied from the server
    std::uint64_t conflicts = 0;  ///< fields that lost to a concurrent write (server count)
    std::uint64_t requests = 0;
    std::int64_t offset_ms = 0;   ///< server time minus local time
};

struct enroll_report {
    std::vector<std::string> gads;
    std::uint64_t requeued = 0;  ///< local changes queued before enrolment, now to be sent
};

/// Trades a one-time token for this device's credential; stores server URL, credential and
/// scope in the replica. Data recorded before enrolment stays queued and goes at the next sync.
[[nodiscard]] result<enroll_report> enroll(replica& r, const transport_fn& t,
                                           std::string_view server_url, std::string_view token,
                                           std::string_view device_name);

/// Push then pull until converged.
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
