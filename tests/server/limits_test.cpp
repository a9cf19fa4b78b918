// The bounds a client cannot push past: slow senders (headers dribbled a byte at a time),
// connections per address and per device, and a TLS handshake that never comes. Each is
// answered with its stable error (503 busy naming "connections") or a closed connection.
#include "process.hpp"
#include "server_fixture.hpp"

#include <minga/server/tls_files.hpp>

#include <catch2/catch.hpp>

#include <thread>

using namespace minga;
using namespace minga::test;

namespace {

/// A request for /v1/sync carrying `bearer`.
http::request<http::vector_body<std::uint8_t>> sync_with(const std::string& bearer) {
    auto req = sync_request(hello_frame());
    req.set(http::field::authorization, "Bearer " + bearer);
    return req;
}

}  // namespace

TEST_CASE("limits: a slow-loris sender dribbling header bytes is cut by the header deadline",
          "[server][limits]") {
    server::server_config cfg;
    cfg.idle_timeout = std::chrono::milliseconds(200);
    running_server s(std::make_unique<echo_backend>(), cfg);
    raw_client c(s.port());
    c.write_raw("POST /v1/sync HTTP/1.1\r\nHost: x\r\nX-Relleno: ");
    // One byte at a time, never finishing the headers. The header limit (8 KB) would take
    // 80 s at this pace: a cut before it can only be the deadline.
    std::size_t sent = 0;
    beast::error_code ec;
    while (sent < server::tuning::max_header_bytes / 2) {
        if (!c.write_some("a", ec)) break;
        ++sent;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(sent < server::tuning::max_header_bytes / 2);
    CHECK(c.closed_by_peer());
}

TEST_CASE("limits: connections beyond the per-address cap are answered 503 busy",
          "[server][limits]") {
    server::server_config cfg;
    cfg.max_connections_per_address = 2;
    running_server s(std::make_unique<echo_backend>(), cfg);
    raw_client a(s.port()), b(s.port());
    REQUIRE(eventually([&] { return s.http().connections() == 2; }));
    raw_client third(s.port());
    response res;
    REQUIRE_FALSE(third.read(res));
    CHECK(res.result_int() == 503);
    CHECK(frame_code(res) == errc::busy);
    CHECK(third.closed_by_peer());
    // The two admitted connections still work.
    auto req = sync_request(hello_frame());
    REQUIRE_FALSE(a.send(req, res));
    CHECK(res.result_int() == 200);
}

TEST_CASE("limits: a device holding its connection cap is refused one more, others are not",
          "[server][limits]") {
    server::server_config cfg;
    cfg.max_connections_per_device = 1;
    running_server s(std::make_unique<echo_backend>(), cfg);
    raw_client first(s.port()), second(s.port()), other(s.port());
    response res;
    auto r1 = sync_with("dispositivo-1.secreto");
    REQUIRE_FALSE(first.send(r1, res));
    CHECK(res.result_int() == 200);
    auto r2 = sync_with("dispositivo-1.otro-secreto");
    REQUIRE_FALSE(second.send(r2, res));
    CHECK(res.result_int() == 503);
    CHECK(frame_code(res) == errc::busy);
    CHECK(second.closed_by_peer());
    auto r3 = sync_with("dispositivo-2.secreto");
    REQUIRE_FALSE(other.send(r3, res));
    CHECK(res.result_int() == 200);
    // The first connection keeps its slot: more requests on it are fine.
    auto again = sync_with("dispositivo-1.secreto");
    REQUIRE_FALSE(first.send(again, res));
    CHECK(res.result_int() == 200);
    s.stop();
    CHECK(s.log_text().find("secreto") == std::string::npos);
}

TEST_CASE("limits: a TLS client that never completes the handshake is cut", "[server][limits][tls]") {
    temp_dir dir("minga-tls");
    const auto paths = server::tls_paths::in(dir.path());
    REQUIRE(server::create_self_signed(paths, {}).ok());
    server::server_config cfg;
    cfg.tls_cert = paths.cert;
    cfg.tls_key = paths.key;
    cfg.tls_handshake_timeout = std::chrono::milliseconds(100);
    running_server s(std::make_unique<echo_backend>(), cfg);
    CHECK(s.http().tls());
    raw_client c(s.port());
    c.write_raw("\x16\x03\x01");  // the start of a ClientHello, and then nothing
    CHECK(c.closed_by_peer());
    s.stop();
    CHECK(s.log_text().find("saludo TLS no terminó") != std::string::npos);
}

TEST_CASE("limits: the caps are validated and named", "[server][limits]") {
    server::server_config cfg;
    cfg.max_connections_per_address = 0;
    CHECK(cfg.validate().err().field == "max_connections_per_address");
    cfg = {};
    cfg.max_connections_per_device = 0;
    CHECK(cfg.validate().err().field == "max_connections_per_device");
    cfg = {};
    cfg.tls_cert = "/tmp/x.crt";
    CHECK(cfg.validate().err().field == "tls");
}
