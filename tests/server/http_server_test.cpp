// The HTTP endpoint against a real server on 127.0.0.1:0, in process, with fake store backends.
#include "server_fixture.hpp"

#include <zstd.h>

#include <catch2/catch.hpp>

using namespace minga;
using namespace minga::test;

namespace {

std::string text_of(const response& res) { return std::string(res.body().begin(), res.body().end()); }

bytes zstd_compress(const bytes& in) {
    bytes out(ZSTD_compressBound(in.size()));
    out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
    return out;
}

bytes zstd_decompress(const bytes& in) {
    const auto n = ZSTD_getFrameContentSize(in.data(), in.size());
    REQUIRE(n != ZSTD_CONTENTSIZE_ERROR);
    REQUIRE(n != ZSTD_CONTENTSIZE_UNKNOWN);
    bytes out(n);
    REQUIRE(ZSTD_decompress(out.data(), out.size(), in.data(), in.size()) == n);
    return out;
}

}  // namespace

TEST_CASE("http: GET /health answers 200 ok", "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    http::request<http::vector_body<std::uint8_t>> req{http::verb::get, "/health", 11};
    response res;
    REQUIRE_FALSE(c.send(req, res));
    CHECK(res.result_int() == 200);
    CHECK(text_of(res) == "ok\n");
}

TEST_CASE("http: an unknown path is 404 and is not logged verbatim", "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    http::request<http::vector_body<std::uint8_t>> req{http::verb::get, "/v1/secret-token-in-path", 11};
    response res;
    REQUIRE_FALSE(c.send(req, res));
    CHECK(res.result_int() == 404);
    s.stop();
    CHECK(s.log_text().find("404") != std::string::npos);
    CHECK(s.log_text().find("secret-token-in-path") == std::string::npos);
}

TEST_CASE("http: /v1/sync wants POST and application/msgpack, answering with an error frame",
          "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    response res;

    SECTION("GET is 405") {
        auto req = sync_request({});
        req.method(http::verb::get);
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 405);
        CHECK(res[http::field::allow] == "POST");
        CHECK(frame_code(res) == errc::bad_input);
    }
    SECTION("a wrong content type is 415 with a bad_input frame naming Content-Type") {
        auto req = sync_request(hello_frame(), "application/json");
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 415);
        CHECK(res[http::field::content_type] == "application/msgpack");
        auto f = protocol::decode(res.body());
        REQUIRE(f.ok());
        const auto& e = std::get<protocol::error_body>(f->body);
        CHECK(e.code == errc::bad_input);
        CHECK(e.field == "Content-Type");
    }
    SECTION("an unknown content encoding is 415") {
        auto req = sync_request(hello_frame());
        req.set(http::field::content_encoding, "br");
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 415);
    }
    // Every refusal above leaves the connection usable.
    auto again = sync_request(hello_frame());
    REQUIRE_FALSE(c.send(again, res));
    CHECK(res.result_int() == 200);
}

TEST_CASE("http: a malformed frame is 400 bad_frame", "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    auto req = sync_request(bytes{0x94, 0x01, 0x02});
    response res;
    REQUIRE_FALSE(c.send(req, res));
    CHECK(res.result_int() == 400);
    CHECK(frame_code(res) == errc::bad_frame);
}

TEST_CASE("http: a body over the limit is 413 with a too_large frame", "[server][http]") {
    server::server_config cfg;
    cfg.max_body_bytes = 4096;
    running_server s(std::make_unique<echo_backend>(), cfg);
    response res;

    SECTION("declared by Content-Length: refused before it is read, then the connection closes") {
        raw_client c(s.port());
        auto req = sync_request(bytes(5000, 0x01));
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 413);
        CHECK(frame_code(res) == errc::too_large);
        CHECK_FALSE(res.keep_alive());
    }
    SECTION("sent chunked") {
        raw_client c(s.port());
        std::string chunk(3000, 'x');
        c.write_raw("POST /v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/msgpack\r\n"
                    "Transfer-Encoding: chunked\r\n\r\n");
        c.write_raw("bb8\r\n" + chunk + "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n");
        REQUIRE_FALSE(c.read(res));
        CHECK(res.result_int() == 413);
        CHECK(frame_code(res) == errc::too_large);
    }
    SECTION("zstd that decompresses beyond the limit") {
        raw_client c(s.port());
        auto req = sync_request(zstd_compress(bytes(100000, 0x00)));
        req.set(http::field::content_encoding, "zstd");
        REQUIRE(req.body().size() < 4096);
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 413);
        CHECK(frame_code(res) == errc::too_large);
    }
    SECTION("at the limit is fine") {
        raw_client c(s.port());
        auto req = sync_request(hello_frame(3000));
        REQUIRE(req.body().size() <= 4096);
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 200);
    }
}

TEST_CASE("http: zstd both ways, and plain when the client does not ask", "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    const bytes frame = hello_frame(20000);
    response res;

    auto req = sync_request(zstd_compress(frame));
    req.set(http::field::content_encoding, "zstd");
    req.set(http::field::accept_encoding, "gzip, zstd");
    REQUIRE_FALSE(c.send(req, res));
    REQUIRE(res.result_int() == 200);
    CHECK(res[http::field::content_encoding] == "zstd");
    CHECK(res.body().size() < frame.size());
    CHECK(zstd_decompress(res.body()) == frame);

    auto plain = sync_request(frame);
    REQUIRE_FALSE(c.send(plain, res));
    CHECK(res[http::field::content_encoding] == "");
    CHECK(res.body() == frame);

    SECTION("a small answer is not compressed") {
        auto small = sync_request(hello_frame());
        small.set(http::field::accept_encoding, "zstd");
        REQUIRE_FALSE(c.send(small, res));
        CHECK(res[http::field::content_encoding] == "");
        CHECK(res.body() == hello_frame());
    }
    SECTION("q=0 refuses zstd") {
        auto refused = sync_request(frame);
        refused.set(http::field::accept_encoding, "zstd;q=0");
        REQUIRE_FALSE(c.send(refused, res));
        CHECK(res[http::field::content_encoding] == "");
    }
    SECTION("a corrupt zstd body is 400") {
        auto bad = sync_request(bytes{0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x01});
        bad.set(http::field::content_encoding, "zstd");
        REQUIRE_FALSE(c.send(bad, res));
        CHECK(res.result_int() == 400);
        CHECK(frame_code(res) == errc::bad_input);
    }
}

TEST_CASE("http: keep-alive serves many requests on one connection", "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    for (int i = 0; i < 5; ++i) {
        auto req = sync_request(hello_frame());
        response res;
        REQUIRE_FALSE(c.send(req, res));
        CHECK(res.result_int() == 200);
        CHECK(res.keep_alive());
    }
    CHECK(s.http().connections() == 1);
    s.stop();
    CHECK(s.log_text().find("c=2") == std::string::npos);  // all five on connection 1
}

TEST_CASE("http: the bearer reaches the store and never the log", "[server][http]") {
    auto backend = std::make_unique<echo_backend>();
    auto* seen = backend.get();
    running_server s(std::move(backend));
    raw_client c(s.port());
    auto req = sync_request(hello_frame());
    req.set(http::field::authorization, "Bearer s3cr3t-credential");
    response res;
    REQUIRE_FALSE(c.send(req, res));
    CHECK(res.result_int() == 200);
    s.stop();
    CHECK(seen->last_bearer == "s3cr3t-credential");
    const auto log = s.log_text();
    CHECK(log.find("POST /v1/sync 200") != std::string::npos);
    CHECK(log.find("s3cr3t") == std::string::npos);
}

TEST_CASE("http: a full store queue answers 503 busy at once", "[server][http]") {
    gate g;
    running_server s(std::make_unique<gated_backend>(g), {}, 1);
    // One request runs (held at the gate), one waits in the queue of 1, the third is refused.
    raw_client a(s.port()), b(s.port()), c(s.port());
    response ra, rb, rc;
    std::thread ta([&] { auto req = sync_request(hello_frame()); CHECK_FALSE(a.send(req, ra)); });
    REQUIRE(g.wait_arrived(1));
    std::thread tb([&] { auto req = sync_request(hello_frame()); CHECK_FALSE(b.send(req, rb)); });
    REQUIRE(eventually([&] { return s.store().queued() == 1; }));
    auto req = sync_request(hello_frame());
    REQUIRE_FALSE(c.send(req, rc));
    CHECK(rc.result_int() == 503);
    CHECK(frame_code(rc) == errc::busy);
    g.open();
    ta.join();
    tb.join();
    CHECK(ra.result_int() == 200);
    CHECK(rb.result_int() == 200);
}

TEST_CASE("http: connections beyond the limit are answered 503 busy", "[server][http]") {
    server::server_config cfg;
    cfg.max_connections = 1;
    running_server s(std::make_unique<echo_backend>(), cfg);
    raw_client first(s.port());
    response res;
    auto req = sync_request(hello_frame());
    REQUIRE_FALSE(first.send(req, res));  // the first connection is registered and kept alive
    REQUIRE(s.http().connections() == 1);
    raw_client second(s.port());
    REQUIRE_FALSE(second.read(res));  // answered without even sending a request
    CHECK(res.result_int() == 503);
    CHECK(frame_code(res) == errc::busy);
    CHECK(second.closed_by_peer());
}

TEST_CASE("http: an idle keep-alive connection is closed after the idle timeout", "[server][http]") {
    server::server_config cfg;
    cfg.idle_timeout = std::chrono::milliseconds(100);
    running_server s(std::make_unique<echo_backend>(), cfg);
    raw_client c(s.port());
    auto req = sync_request(hello_frame());
    response res;
    REQUIRE_FALSE(c.send(req, res));
    CHECK(c.closed_by_peer());
}

TEST_CASE("http: a slow sender is cut after the read timeout", "[server][http]") {
    server::server_config cfg;
    cfg.request_read_timeout = std::chrono::milliseconds(100);
    running_server s(std::make_unique<echo_backend>(), cfg);
    raw_client c(s.port());
    c.write_raw("POST /v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/msgpack\r\n"
                "Content-Length: 100\r\n\r\n0123456789");
    CHECK(c.closed_by_peer());
    s.stop();
    CHECK(s.log_text().find("cortada") != std::string::npos);
}

TEST_CASE("http: malformed HTTP is 400 and closes", "[server][http]") {
    running_server s(std::make_unique<echo_backend>());
    raw_client c(s.port());
    c.write_raw("BLAH\x01 / HTTP/1.1\r\n\r\n");
    response res;
    REQUIRE_FALSE(c.read(res));
    CHECK(res.result_int() == 400);
    CHECK(c.closed_by_peer());
}

TEST_CASE("http: stop closes idle connections and finishes the request in flight", "[server][http]") {
    gate g;
    running_server s(std::make_unique<gated_backend>(g));
    raw_client busy(s.port()), idle(s.port());
    response res;
    std::thread sender([&] { auto req = sync_request(hello_frame()); CHECK_FALSE(busy.send(req, res)); });
    REQUIRE(g.wait_arrived(1));  // busy's request is in the store
    REQUIRE(eventually([&] { return s.http().connections() == 2; }));

    std::thread stopper([&] { s.stop(); });
    CHECK(idle.closed_by_peer());  // closed while busy's request is still held
    g.open();
    sender.join();
    CHECK(res.result_int() == 200);
    CHECK_FALSE(res.keep_alive());
    CHECK(busy.closed_by_peer());
    stopper.join();  // the io_context ran out of work: nothing left behind
    CHECK(s.http().connections() == 0);
}
