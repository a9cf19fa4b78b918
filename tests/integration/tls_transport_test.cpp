// The client transport against the real HTTP server over TLS, in process (fake store
// backends): a pinned certificate, a CA file with the host name checked, and the failures
// (wrong pin, untrusted certificate, plain client to TLS server) refused before any request,
// credential included, leaves the client.
#include "../server/server_fixture.hpp"
#include "process.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/server/tls_files.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace minga;
using namespace minga::test;

namespace {

/// A self-signed certificate and key in a scratch folder, and its fingerprint.
struct cert_dir {
    temp_dir dir{"minga-tls"};
    server::tls_paths paths = server::tls_paths::in(dir.path());
    std::string pin;
    cert_dir() {
        auto fp = server::create_self_signed(paths, {});
        REQUIRE(fp.ok());
        pin = *fp;
    }
    [[nodiscard]] std::string pem() const {
        std::ifstream in(paths.cert);
        std::ostringstream s;
        s << in.rdbuf();
        return s.str();
    }
    [[nodiscard]] server::server_config config() const {
        server::server_config cfg;
        cfg.tls_cert = paths.cert;
        cfg.tls_key = paths.key;
        return cfg;
    }
};

std::string https_url(running_server& s, std::string_view host = "127.0.0.1") {
    return "https://" + std::string(host) + ":" + std::to_string(s.port());
}

client::transport_options with(client::tls_trust t) {
    client::transport_options o;
    o.trust = std::move(t);
    return o;
}

}  // namespace

TEST_CASE("tls: a pinned certificate carries requests, bearer included", "[transport][tls]") {
    cert_dir cert;
    auto backend = std::make_unique<echo_backend>();
    auto* seen = backend.get();
    running_server s(std::move(backend), cert.config());
    auto t = client::http_transport::create(https_url(s), with({cert.pin, ""}));
    REQUIRE(t.ok());
    CHECK(t->url().tls);
    for (int i = 0; i < 3; ++i) {
        auto r = t->post(hello_frame(), "dispositivo.secreto");
        REQUIRE(r.ok());
        CHECK(*r == hello_frame());
    }
    CHECK(t->connections() == 1);  // keep-alive over TLS
    s.stop();
    CHECK(seen->last_bearer == "dispositivo.secreto");
}

TEST_CASE("tls: a wrong pin is refused before anything is sent", "[transport][tls]") {
    cert_dir cert, other;
    auto backend = std::make_unique<echo_backend>();
    auto* seen = backend.get();
    running_server s(std::move(backend), cert.config());
    auto t = client::http_transport::create(https_url(s), with({other.pin, ""}));
    REQUIRE(t.ok());
    auto r = t->post(hello_frame(), "dispositivo.secreto");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_input);
    CHECK(r.err().field == "--pin");
    CHECK(r.err().es.find(cert.pin) != std::string::npos);  // what the server presented
    CHECK(r.err().es.find("no se envió nada") != std::string::npos);
    s.stop();
    CHECK(seen->last_bearer.empty());
}

TEST_CASE("tls: a CA file verifies the chain and the host name", "[transport][tls]") {
    cert_dir cert, other;
    running_server s(std::make_unique<echo_backend>(), cert.config());
    // The self-signed certificate is its own CA; it names localhost and 127.0.0.1.
    for (const char* host : {"127.0.0.1", "localhost"}) {
        INFO(host);
        auto ok = client::http_transport::create(https_url(s, host), with({"", cert.pem()}));
        REQUIRE(ok.ok());
        CHECK(ok->post(hello_frame(), "").ok());
    }
    auto untrusted = client::http_transport::create(https_url(s), with({"", other.pem()}));
    REQUIRE(untrusted.ok());
    auto r = untrusted->post(hello_frame(), "");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_input);
    CHECK(r.err().field == "--ca");
    // With neither pin nor CA, the system's CAs do not know a self-signed certificate.
    auto system = client::http_transport::create(https_url(s), {});
    REQUIRE(system.ok());
    auto rs = system->post(hello_frame(), "");
    REQUIRE_FALSE(rs.ok());
    CHECK(rs.err().code == errc::bad_input);
    CHECK(rs.err().en.find("--pin") != std::string::npos);
}

TEST_CASE("tls: a plain client to a TLS server, and a TLS client to a plain one, fail clearly",
          "[transport][tls]") {
    cert_dir cert;
    running_server tls_server(std::make_unique<echo_backend>(), cert.config());
    auto plain = client::http_transport::create(
        "http://127.0.0.1:" + std::to_string(tls_server.port()), {});
    REQUIRE(plain.ok());
    auto r = plain->post(hello_frame(), "dispositivo.secreto");
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::unavailable);

    running_server plain_server(std::make_unique<echo_backend>());
    auto t = client::http_transport::create(https_url(plain_server), with({cert.pin, ""}));
    REQUIRE(t.ok());
    auto r2 = t->post(hello_frame(), "dispositivo.secreto");
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.err().code == errc::unavailable);
    CHECK(r2.err().es.find("TLS") != std::string::npos);
}

TEST_CASE("tls: init-made key files are private and the fingerprint is stable", "[transport][tls]") {
    cert_dir cert;
    const auto perms = std::filesystem::status(cert.paths.key).permissions();
    CHECK((perms & std::filesystem::perms::group_all) == std::filesystem::perms::none);
    CHECK((perms & std::filesystem::perms::others_all) == std::filesystem::perms::none);
    auto again = server::fingerprint_of(cert.paths.cert);
    REQUIRE(again.ok());
    CHECK(*again == cert.pin);
    CHECK(cert.pin.rfind("sha256:", 0) == 0);
    CHECK(cert.pin.size() == 7 + 64);
    // A second create never overwrites.
    auto twice = server::create_self_signed(cert.paths, {});
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.err().code == errc::conflict);
}
