#pragma once
/// The HTTP/1.1 endpoint of the sync protocol (Boost.Beast, asynchronous, keep-alive).
///
/// HTTPS when `server_config` names a certificate and key (TLS 1.2 or later, handshake bounded
/// by `tls_handshake_timeout`), plain HTTP otherwise.
///
/// Routes: `POST /v1/sync` (body: one msgpack frame, `Content-Type: application/msgpack`,
/// optional `Content-Encoding: zstd`, `Authorization: Bearer <credential>` once enrolled) whose
/// answer is always a frame, with the HTTP status derived from its error code
/// (`http_status_for`); `GET /health` (200 "ok"); anything else 404.
///
/// Every request is handed to the store executor; network threads never run SQL or file I/O.
/// Bounds (see tuning.hpp and `server_config`): header and body bytes, decompressed bytes,
/// idle and read and write timeouts, open connections (in all, per client address, per device).
///
/// Lifetime: `http_server` lives on the caller's io_context, which it does not run. `stop()`
/// closes the acceptor, closes idle connections and lets each busy one finish its current
/// request (then close), so `io_context::run()` returns once the last request is answered.
/// The store executor passed in must outlive the io_context's last handler.

#include <minga/protocol/result.hpp>
#include <minga/protocol/tuning.hpp>
#include <minga/server/log.hpp>
#include <minga/server/store_executor.hpp>
#include <minga/server/tuning.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace minga::server {

/// Bounds and behaviour of the HTTP layer. Defaults are the tuning constants.
struct server_config {
    std::size_t max_connections = tuning::max_connections;
    std::size_t max_refusing_connections = tuning::max_refusing_connections;
    std::size_t max_connections_per_address = tuning::max_connections_per_address;
    std::size_t max_connections_per_device = tuning::max_connections_per_device;
    std::size_t max_header_bytes = tuning::max_header_bytes;
    /// Request body, on the wire and after decompression; also the largest body answered.
    std::size_t max_body_bytes = protocol::tuning::max_body_bytes;
    std::chrono::milliseconds idle_timeout = tuning::idle_timeout;
    std::chrono::milliseconds request_read_timeout = tuning::request_read_timeout;
    std::chrono::milliseconds write_timeout = tuning::write_timeout;
    std::chrono::milliseconds tls_handshake_timeout = tuning::tls_handshake_timeout;
    /// TLS certificate chain and private key (PEM). Both empty: plain HTTP.
    std::filesystem::path tls_cert;
    std::filesystem::path tls_key;
    std::size_t compress_min_bytes = tuning::compress_min_bytes;
    int zstd_level = tuning::zstd_level;
    std::string lang = "es";  ///< language of the messages in the server's own error frames

    /// `bad_input` naming the first field out of range.
    [[nodiscard]] status validate() const;
};

struct server_context;  // shared by the listener and its sessions (src/server_context.hpp)

class http_server {
public:
    /// Binds `endpoint` (port 0 picks a free one) and starts accepting. Fails with
    /// `unavailable` when the address cannot be bound (in use, not local, no permission).
    [[nodiscard]] static result<std::unique_ptr<http_server>> start(
        boost::asio::io_context& ioc, const boost::asio::ip::tcp::endpoint& endpoint,
        store_executor& store, const server_config& cfg, log_sink& sink);

    ~http_server();
    http_server(const http_server&) = delete;
    http_server& operator=(const http_server&) = delete;

    /// The bound address, with the real port.
    [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;

    /// Graceful stop (see the header comment). Thread-safe and idempotent.
    void stop();

    /// Connections open right now (refused ones not counted).
    [[nodiscard]] std::size_t connections() const;

    /// True when connections are served over TLS.
    [[nodiscard]] bool tls() const noexcept;

private:
    class listener;
    http_server(std::shared_ptr<server_context> ctx, std::shared_ptr<listener> l);

    std::shared_ptr<server_context> ctx_;
    std::shared_ptr<listener> listener_;
};

}  // namespace minga::server
