// HTTPS from the command lines: `init` makes a certificate and prints its fingerprint, `serve`
// uses it unless told `--plain-http` (and then says so), a device pins it at enrolment and
// uses the pin on every sync, and a plain http:// link is announced on every sync.
#include "server_fixture.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace minga::test;

TEST_CASE("tls cli: a wrong pin refuses the enrolment and stores nothing", "[integration][tls]") {
    minga_server server;
    server.start(minga_server::link::tls);
    minga_client c;
    c.init("170151");
    const auto before = c.dump();
    const std::string wrong = "sha256:" + std::string(64, 'a');
    auto r = c.run({"enroll", "--server", server.url(), "--token", server.token("170151"), "--pin", wrong});
    INFO(r.describe());
    CHECK(r.exited(2));
    CHECK(r.err.find("--pin") != std::string::npos);
    CHECK(r.err.find("no es el esperado") != std::string::npos);
    CHECK(c.dump() == before);
    auto malformed = c.run({"enroll", "--server", server.url(), "--token", "x", "--pin", "sha1:abc"});
    CHECK(malformed.exited(2));
    CHECK(malformed.err.find("--pin") != std::string::npos);
    auto both = c.run({"enroll", "--server", server.url(), "--token", "x", "--pin", server.pin(),
                       "--ca", "/etc/hostname"});
    CHECK(both.exited(2));
}

TEST_CASE("tls cli: the pin is stored at enrolment and used by every sync", "[integration][tls]") {
    minga_server server;
    server.start(minga_server::link::tls);
    minga_client c;
    c.init("170151");
    ok_json(c, server.enroll_args(server.token("170151")));
    c.add({"agreement", "add", "--title", "Convenio cifrado", "--kind", "convenio_marco", "--status", "vigente"});
    auto r = c.run_json({"sync"});
    CHECK(r.exited(0));
    CHECK(r.err.find("NO está cifrada") == std::string::npos);
    CHECK(json_of(r).at("pushed").get<int>() > 0);
    // The server's certificate changes (another server answers there): the stored pin refuses it.
    server.stop();
    std::filesystem::remove(server.data_dir() / "server.crt");
    std::filesystem::remove(server.data_dir() / "server.key");
    REQUIRE(server.run({"cert", "create"}).exited(0));
    server.start(minga_server::link::tls);
    auto port_of = [](const std::string& url) { return url.substr(url.rfind(':') + 1); };
    // The new server listens on another port: point the replica at it (the URL is not secret).
    {
        minga::sql::db db(c.db_file().string(), minga::sql::open_options{.create = false});
        auto st = db.prepare("UPDATE replica_meta SET value = ?1 WHERE key = 'server_url'");
        st.bind(1, server.url()).exec();
    }
    c.add({"agreement", "add", "--title", "Convenio dos", "--kind", "convenio_marco", "--status", "vigente"});
    auto refused = c.run({"sync"});
    INFO(refused.describe() << " port " << port_of(server.url()));
    CHECK(refused.exited(2));
    CHECK(refused.err.find("no es el esperado") != std::string::npos);
    CHECK(ok_json(c, {"status"}).at("pending_changes").get<int>() > 0);
}

TEST_CASE("tls cli: plain HTTP only when asked, and said on both sides", "[integration][tls]") {
    minga_server server;
    auto init_doc = server.run_json({"cert", "show"});
    CHECK(init_doc.at("fingerprint").get<std::string>().rfind("sha256:", 0) == 0);
    const auto url = server.start();  // --plain-http
    CHECK(url.rfind("http://", 0) == 0);
    minga_client c;
    c.init("170151");
    auto e = c.run_json({"enroll", "--server", url, "--token", server.token("170151")});
    CHECK(e.exited(0));
    CHECK(e.err.find("aviso: la conexión con el servidor NO está cifrada") != std::string::npos);
    for (int i = 0; i < 2; ++i) {
        auto s = c.run_json({"sync"});
        CHECK(s.exited(0));
        CHECK(s.err.find("NO está cifrada") != std::string::npos);
    }
    auto stopped = server.stop();
    CHECK(stopped.err.find("HTTP sin cifrar (--plain-http)") != std::string::npos);

    // Without a certificate, serve refuses to start unless told --plain-http.
    std::filesystem::remove(server.data_dir() / "server.crt");
    auto no_cert = server.run({"serve", "--listen", "127.0.0.1:0"});
    CHECK(no_cert.exited(2));
    CHECK(no_cert.err.find("--plain-http") != std::string::npos);
}
