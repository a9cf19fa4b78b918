#pragma once
/// Every bound the server's network and executor layers enforce, in one place, each with what
/// it bounds. Protocol bounds (body size, batch sizes) live in `minga/protocol/tuning.hpp`; the
/// HTTP body limit is `protocol::tuning::max_body_bytes`, before and after decompression.
///
/// These are the defaults of `server_config` (http_server.hpp), which tests lower.

#include <chrono>
#include <cstddef>

namespace minga::server::tuning {

/// Requests waiting for the store executor. Beyond it a request is answered at once with an
/// error frame `busy` and HTTP 503, so memory stays bounded under load (each queued job holds
/// one request body, at most `protocol::tuning::max_body_bytes`).
inline constexpr std::size_t store_queue_capacity = 64;

/// Open client connections. A connection beyond it is answered `503 busy` and closed.
inline constexpr std::size_t max_connections = 256;

/// Connections being refused (the 503 above) at once; beyond it they are closed unanswered.
inline constexpr std::size_t max_refusing_connections = 32;

/// Bytes of one request's start line and headers.
inline constexpr std::size_t max_header_bytes = 8 * 1024;

/// How long a keep-alive connection may sit between requests (and how long the request's
/// headers may take to arrive) before the server closes it.
inline constexpr std::chrono::seconds idle_timeout{30};

/// How long the body of one request may take to arrive once its headers are in. A slow sender
/// is cut after it. Sized for a batch of a few hundred KB over a poor 2G link.
inline constexpr std::chrono::seconds request_read_timeout{120};

/// How long the TLS handshake of a new connection may take. A client that connects and never
/// completes the handshake is cut after it.
inline constexpr std::chrono::seconds tls_handshake_timeout{15};

/// Open connections from one IP address. A connection beyond it is answered `503 busy` and
/// closed, so one address cannot take every slot of `max_connections`.
inline constexpr std::size_t max_connections_per_address = 32;

/// Open connections that carry the credential of one device (counted from its first request).
/// A device syncs over one connection; a few allow a retry while an old one is closing.
inline constexpr std::size_t max_connections_per_device = 4;

/// Validity of the self-signed certificate `minga-server init` creates: 10 years.
inline constexpr long tls_cert_days = 3650;

/// How long writing one response may take.
inline constexpr std::chrono::seconds write_timeout{120};

/// Responses smaller than this are never compressed (zstd's frame overhead eats the gain).
inline constexpr std::size_t compress_min_bytes = 256;

/// zstd level for responses: fast, and most of the gain on msgpack.
inline constexpr int zstd_level = 3;

/// Pause before accepting again after the accept itself failed (out of file descriptors):
/// without it the listener would spin on the same error.
inline constexpr std::chrono::milliseconds accept_retry_delay{100};

/// How long answering a refused connection (503) may take before it is simply closed.
inline constexpr std::chrono::seconds refuse_timeout{5};

/// Longest validity of a one-time enrolment token (`device enroll --ttl-hours`): 30 days.
inline constexpr long long max_enrolment_ttl_hours = 30 * 24;

/// Threads running the one io_context. SQL never runs on them, so a few are enough.
inline constexpr std::size_t io_threads = 2;

}  // namespace minga::server::tuning
