// The dashboard over HTTPS: the session cookie is `Secure` there (never sent back over plain
// HTTP), and not on a plain-HTTP server, where no HTTPS exists to restrict it to.
#include "dashboard_fixture.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl.hpp>

using namespace minga::test;
using nlohmann::json;

namespace {

struct https_reply {
    unsigned status = 0;
    std::string set_cookie, body;
};

/// One HTTPS request on a new connection to 127.0.0.1:`port`. The certificate is not checked
/// here: pinning is the sync client's job and is tested in tls_transport_test.
https_reply https_request(std::uint16_t port, http::verb verb, const std::string& target,
                          const std::string& body, const std::string& cookie = {}) {
    net::io_context ioc;
    net::ssl::context ctx(net::ssl::context::tls_client);
    ctx.set_verify_mode(net::ssl::verify_none);
    beast::ssl_stream<beast::tcp_stream> s(ioc, ctx);
    beast::get_lowest_layer(s).expires_after(std::chrono::seconds(30));  // a hung server fails
    beast::get_lowest_layer(s).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    s.handshake(net::ssl::stream_base::client);
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!cookie.empty()) req.set(http::field::cookie, "minga_sesion=" + cookie);
    if (!body.empty()) {
        req.set(http::field::content_type, "application/json");
        req.body() = body;
    }
    req.prepare_payload();
    http::write(s, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(s, buf, res);
    return {res.result_int(), std::string(res[http::field::set_cookie]), res.body()};
}

}  // namespace

TEST_CASE("dashboard tls: the session cookie is Secure over HTTPS", "[integration][dashboard][tls]") {
    minga_server server;
    const auto url = server.start(minga_server::link::tls);
    REQUIRE(url.rfind("https://", 0) == 0);
    const auto secret = server.run_json({"user", "add", "Ana Pérez"}).at("secret").get<std::string>();

    auto in = https_request(server.port(), http::verb::post, "/api/v1/session", json{{"secret", secret}}.dump());
    REQUIRE(in.status == 200);
    CHECK(in.set_cookie.find("HttpOnly") != std::string::npos);
    CHECK(in.set_cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(in.set_cookie.find("; Secure") != std::string::npos);
    const auto start = in.set_cookie.find('=') + 1;
    const auto token = in.set_cookie.substr(start, in.set_cookie.find(';') - start);

    // The cookie works over HTTPS, and signing out clears it with the same attributes.
    CHECK(https_request(server.port(), http::verb::get, "/api/v1/dashboard/sync", {}, token).status == 200);
    auto out = https_request(server.port(), http::verb::delete_, "/api/v1/session", {}, token);
    CHECK(out.status == 200);
    CHECK(out.set_cookie.find("Max-Age=0") != std::string::npos);
    CHECK(out.set_cookie.find("; Secure") != std::string::npos);
    CHECK(https_request(server.port(), http::verb::get, "/api/v1/dashboard/sync", {}, token).status == 401);
}

TEST_CASE("dashboard tls: a plain-HTTP server sets no Secure cookie", "[integration][dashboard][tls]") {
    minga_server server;
    const auto url = server.start();
    const auto port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    const auto secret = server.run_json({"user", "add", "Ana Pérez"}).at("secret").get<std::string>();
    raw_client c(port);
    http::request<http::vector_body<std::uint8_t>> req{http::verb::post, "/api/v1/session", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    const auto body = json{{"secret", secret}}.dump();
    req.body().assign(body.begin(), body.end());
    response res;
    REQUIRE_FALSE(c.send(req, res));
    CHECK(res.result_int() == 200);
    const std::string cookie(res[http::field::set_cookie]);
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    CHECK(cookie.find("Secure") == std::string::npos);
}
