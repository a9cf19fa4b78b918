// The client's HTTP transport against the real HTTP server, in process (fake store backends).
#include "../server/server_fixture.hpp"

#include <minga/client/http_transport.hpp>

#include <catch2/catch.hpp>

using namespace minga;
using namespace minga::test;

namespace {

std::string url_of(const running_server& s, std::string_view prefix = "") {
    return "http://127.0.0.1:" + std::to_string(const_cast<running_server&>(s).port()) + std::string(prefix);
}

/// A port nothing listens on: bound, read, released.
std::uint16_t closed_port() {
    net::io_context ioc;
    tcp::acceptor a(ioc, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    return a.local_endpoint().port();
}

}  // namespace

TEST_CASE("transport: server URLs parse, https included", "[transport]") {
    auto u = client::parse_server_url("http://gad.example.org:8080/minga/");
    REQUIRE(u.ok());
    CHECK(u->host == "gad.example.org");
    CHECK(u->port == 8080);
    CHECK(u->prefix == "/minga");
    CHECK(u->text() == "http://gad.example.org:8080/minga");
    auto d = client::parse_server_url("http://10.0.0.5");
    REQUIRE(d.ok());
    CHECK(d->port == 80);
    auto v6 = client::parse_server_url("http://[::1]:9000");
    REQUIRE(v6.ok());
    CHECK(v6->host == "::1");
    CHECK(v6->authority() == "[::1]:9000");

    auto https = client::parse_server_url("https://gad.example.org");
    REQUIRE(https.ok());
    CHECK(https->tls);
    CHECK(https->port == 443);
    CHECK(https->text() == "https://gad.example.org:443");
    CHECK_FALSE(u->tls);
    for (const char* bad : {"ftp://x", "http://", "http://x:0", "http://x:99999", "http://u:p@x",
                            "http://x/a?b=c"}) {
        INFO(bad);
        CHECK_FALSE(client::parse_server_url(bad).ok());
    }
}

TEST_CASE("transport: one keep-alive connection serves every request", "[transport]") {
    running_server s(std::make_unique<echo_backend>());
    auto t = client::http_transport::create(url_of(s));
    REQUIRE(t.ok());
    auto fn = t->as_transport_fn();
    for (int i = 0; i < 5; ++i) {
        auto r = fn(hello_frame(), "cred");
        REQUIRE(r.ok());
        CHECK(*r == hello_frame());
    }
    CHECK(t->connections() == 1);
    CHECK(s.http().connections() == 1);
}

TEST_CASE("transport: bytes on the wire are counted both ways, headers included", "[transport]") {
    running_server s(std::make_unique<echo_backend>());
    auto t = client::http_transport::create(url_of(s));
    REQUIRE(t.ok());
    const auto frame = hello_frame();
    REQUIRE(t->post(frame, "").ok());
    CHECK(t->bytes_sent() > frame.size() + 100);      // request line and headers
    CHECK(t->bytes_received() > frame.size() + 50);   // status line and headers
    const auto sent = t->bytes_sent();
    REQUIRE(t->post(frame, "").ok());
    CHECK(t->bytes_sent() == 2 * sent);
}

TEST_CASE("transport: large frames travel zstd-compressed both ways", "[transport]") {
    running_server s(std::make_unique<echo_backend>());
    auto t = client::http_transport::create(url_of(s));
    REQUIRE(t.ok());
    const auto frame = hello_frame(50000);
    auto r = t->post(frame, "");
    REQUIRE(r.ok());
    CHECK(*r == frame);
    CHECK(t->bytes_sent() < frame.size() / 2);
    CHECK(t->bytes_received() < frame.size() / 2);

    client::transport_options plain;
    plain.compress = false;
    auto u = client::http_transport::create(url_of(s), plain);
    REQUIRE(u.ok());
    REQUIRE(u->post(frame, "").ok());
    CHECK(u->bytes_sent() > frame.size());
}

TEST_CASE("transport: error frames come back as the body, whatever the HTTP status", "[transport]") {
    running_server s(std::make_unique<echo_backend>());
    auto t = client::http_transport::create(url_of(s));
    REQUIRE(t.ok());
    auto r = t->post(bytes{0x94, 0x01}, "");
    REQUIRE(r.ok());
    CHECK(server::response_code(*r) == errc::bad_frame);
}

TEST_CASE("transport: a refused connection is unavailable, said in Spanish and English",
          "[transport]") {
    const auto port = closed_port();
    auto t = client::http_transport::create("http://127.0.0.1:" + std::to_string(port));
    REQUIRE(t.ok());
    auto r = t->post(hello_frame(), "");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::unavailable);
    CHECK(is_transient(r.err().code));
    CHECK(r.err().es == "no se pudo conectar con el servidor 127.0.0.1:" + std::to_string(port) +
                            ": conexión rechazada");
    CHECK(r.err().en.find("connection refused") != std::string::npos);
}

TEST_CASE("transport: a connection the server closed while idle is reopened once", "[transport]") {
    server::server_config cfg;
    cfg.idle_timeout = std::chrono::milliseconds(50);
    running_server s(std::make_unique<echo_backend>(), cfg);
    auto t = client::http_transport::create(url_of(s));
    REQUIRE(t.ok());
    REQUIRE(t->post(hello_frame(), "").ok());
    REQUIRE(eventually([&] { return s.http().connections() == 0; }));
    auto r = t->post(hello_frame(), "");
    REQUIRE(r.ok());
    CHECK(t->connections() == 2);
}

TEST_CASE("transport: a server that does not answer in time is a timeout", "[transport]") {
    gate g;
    running_server s(std::make_unique<gated_backend>(g));
    client::transport_options o;
    o.read_timeout = std::chrono::milliseconds(100);
    auto t = client::http_transport::create(url_of(s), o);
    REQUIRE(t.ok());
    auto r = t->post(hello_frame(), "");
    g.open();
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::timeout);
    CHECK(r.err().es.find("no respondió a tiempo") != std::string::npos);
}

TEST_CASE("transport: a URL that is not a minga server says so", "[transport]") {
    running_server s(std::make_unique<echo_backend>());
    auto t = client::http_transport::create(url_of(s, "/otra/ruta"));
    REQUIRE(t.ok());
    auto r = t->post(hello_frame(), "");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_input);
    CHECK(r.err().es.find("no es un servidor minga") != std::string::npos);
}
