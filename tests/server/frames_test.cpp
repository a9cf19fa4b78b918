// Error frames, the HTTP status of each code, and `--listen` parsing.
#include "server_fixture.hpp"

#include <minga/server/listen_address.hpp>

#include <catch2/catch.hpp>

using namespace minga;
using namespace minga::test;

TEST_CASE("frames: response_code reads the envelope and the code of an error frame", "[server]") {
    CHECK(server::response_code(hello_frame()) == errc::ok);
    const auto e = server::error_frame(make_error(errc::unauthorized, "bearer", "no", "no"), "es");
    CHECK(server::response_code(e) == errc::unauthorized);
    CHECK(server::response_code(bytes{}) == errc::internal);
    CHECK(server::response_code(bytes{0x94, 0x01}) == errc::internal);
    CHECK(server::response_code(bytes{0xc1, 0x00}) == errc::internal);
}

TEST_CASE("frames: each error code maps to its HTTP status", "[server]") {
    CHECK(server::http_status_for(errc::ok) == 200);
    CHECK(server::http_status_for(errc::bad_input) == 400);
    CHECK(server::http_status_for(errc::bad_frame) == 400);
    CHECK(server::http_status_for(errc::unauthorized) == 401);
    CHECK(server::http_status_for(errc::expired) == 401);
    CHECK(server::http_status_for(errc::forbidden) == 403);
    CHECK(server::http_status_for(errc::too_large) == 413);
    CHECK(server::http_status_for(errc::busy) == 503);
    CHECK(server::http_status_for(errc::internal) == 500);
}

TEST_CASE("listen: HOST:PORT, [IPv6]:PORT and port 0 parse, anything else names --listen", "[server]") {
    auto a = server::parse_listen("127.0.0.1:0");
    REQUIRE(a.ok());
    CHECK(a->host == "127.0.0.1");
    CHECK(a->port == 0);
    CHECK(a->url(8080) == "http://127.0.0.1:8080");
    auto b = server::parse_listen("[::1]:9000");
    REQUIRE(b.ok());
    CHECK(b->host == "::1");
    CHECK(b->url(9000) == "http://[::1]:9000");
    for (const char* bad : {"127.0.0.1", ":80", "host:", "host:70000", "host:8o", "::1:80", "[::1]80"}) {
        auto r = server::parse_listen(bad);
        INFO(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == errc::bad_input);
        CHECK(r.err().field == "--listen");
    }
}

TEST_CASE("config: validate names the field out of range", "[server]") {
    server::server_config c;
    CHECK(c.validate().ok());
    c.max_connections = 0;
    auto st = c.validate();
    REQUIRE_FALSE(st.ok());
    CHECK(st.err().field == "max_connections");
}
