#pragma once
// The client's HTTP transport for the sync protocol: one keep-alive connection to the server,
// reused across the requests of one sync, with connect/write/read timeouts, zstd both ways
// and a byte count per direction (for benchmarks and the sync summary).
//
// Over `https://` the server's certificate is checked (a pin, a CA file, or the system's CAs
// with the host name: see `tls_trust`) before any byte of a request, credential included,
// is sent; a certificate that fails the check is `errc::forbidden`, field "--pin" or "--ca".
//
// `post()` answers with the response frame (decompressed) whatever the HTTP status, because
// the server's body is always a frame: the sync engine reads the error code from it. Transport
// failures come back as `errc::unavailable` (no route, refused, reset, not a minga server) or
// `errc::timeout`, with messages in Spanish and English that name the server.
//
// Thread affinity: one object per thread; it runs its own private io_context during each
// call (blocking the caller, never anyone else). Not copyable; movable.
#include <minga/protocol/result.hpp>
#include <minga/protocol/tuning.hpp>
#include <minga/shared/sync_client.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga::client {

/// Bounds of the transport, each with what it bounds.
namespace transport_tuning {
/// Establishing the TCP connection (name lookup included).
inline constexpr std::chrono::seconds connect_timeout{20};
/// Sending one request, headers and body. Sized for a batch over a poor 2G link.
inline constexpr std::chrono::seconds write_timeout{120};
/// Receiving one whole response once the request is sent (the server may queue it first).
inline constexpr std::chrono::seconds read_timeout{180};
/// The TLS handshake, once connected.
inline constexpr std::chrono::seconds tls_handshake_timeout{30};
/// Bytes of a response's status line and headers.
inline constexpr std::size_t max_header_bytes = 16 * 1024;
/// Requests smaller than this are sent uncompressed.
inline constexpr std::size_t compress_min_bytes = 256;
/// zstd level for requests.
inline constexpr int zstd_level = 3;
}  // namespace transport_tuning

/// How an `https://` server is trusted. With neither set: the system's CA store and the host
/// name. Ignored for `http://`.
struct tls_trust {
    /// `sha256:<hex>` (see shared/cert_pin.hpp): only the certificate with this fingerprint is
    /// accepted, whoever signed it and whatever names it carries.
    std::string pin;
    /// PEM certificates of the CAs to trust instead of the system's; the host name is checked.
    std::string ca_pem;
};

struct transport_options {
    std::chrono::milliseconds connect_timeout = transport_tuning::connect_timeout;
    std::chrono::milliseconds write_timeout = transport_tuning::write_timeout;
    std::chrono::milliseconds read_timeout = transport_tuning::read_timeout;
    /// A response body, on the wire and after decompression.
    std::size_t max_response_bytes = protocol::tuning::max_body_bytes;
    std::size_t compress_min_bytes = transport_tuning::compress_min_bytes;
    int zstd_level = transport_tuning::zstd_level;
    bool compress = true;  ///< compress requests (when smaller) and accept zstd responses
    tls_trust trust;       ///< for https:// URLs
};

/// `http[s]://host[:port][/prefix]`, as given to `minga enroll --server`.
struct server_url {
    std::string host;  ///< without brackets for IPv6
    std::uint16_t port = 80;  ///< 443 by default for https
    std::string prefix;  ///< "" or "/something", no trailing slash
    bool tls = false;    ///< https://

    /// Back to text: `http[s]://host:port/prefix`.
    [[nodiscard]] std::string text() const;
    /// `host:port` for messages and the Host header.
    [[nodiscard]] std::string authority() const;
};

/// Parses a server URL (`http://` or `https://`; no scheme means http). Other schemes, user
/// info, queries and bad ports are refused (`bad_input`, field "--server").
[[nodiscard]] result<server_url> parse_server_url(std::string_view text);

class http_transport {
public:
    /// A transport to `url` (parsed with `parse_server_url`). Connects lazily, on first post.
    [[nodiscard]] static result<http_transport> create(std::string_view url,
                                                       const transport_options& opts = {});
    http_transport(http_transport&&) noexcept;
    http_transport& operator=(http_transport&&) noexcept;
    ~http_transport();

    /// Sends one request frame to `POST <prefix>/v1/sync` with `bearer` (none when empty) and
    /// returns the response frame. A connection the server closed while idle is reopened once.
    [[nodiscard]] result<std::vector<std::uint8_t>> post(std::span<const std::uint8_t> frame,
                                                         std::string_view bearer);

    /// HTTP/1.1 pipelining: `send` writes a request frame and returns without its answer;
    /// `receive` reads the answer to the oldest request sent and not yet answered. Nothing is
    /// sent again by itself: after a failure the connection is closed and every unanswered
    /// request is lost. `post` must not be called while requests are unanswered.
    [[nodiscard]] status send(std::span<const std::uint8_t> frame, std::string_view bearer);
    [[nodiscard]] result<std::vector<std::uint8_t>> receive();

    /// Bytes written to / read from the network so far (HTTP headers included).
    [[nodiscard]] std::uint64_t bytes_sent() const noexcept;
    [[nodiscard]] std::uint64_t bytes_received() const noexcept;
    /// TCP connections opened so far (1 for a sync whose connection was kept alive throughout).
    [[nodiscard]] std::uint64_t connections() const noexcept;
    [[nodiscard]] const server_url& url() const noexcept;

    /// A `transport_fn` that calls `post()` on this transport, which must outlive it (moving
    /// the transport is fine).
    [[nodiscard]] transport_fn as_transport_fn();
    /// `send` and `receive` for sync_options::pipeline, on the same terms.
    [[nodiscard]] pipeline_fns as_pipeline();

private:
    struct impl;
    explicit http_transport(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace minga::client
