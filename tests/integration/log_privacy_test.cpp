// Logs never carry row payloads, names or secrets: a distinctive text written by a client (in
// a title, a note and the device's name), the enrolment token and the device credential must
// appear nowhere in the real server's stdout or stderr, at debug level, across enrolment,
// pushes, pulls, refused requests and a stop.
#include "server_fixture.hpp"

#include <catch2/catch.hpp>

using namespace minga::test;

TEST_CASE("server logs: no payload, name, token or credential ever reaches them",
          "[integration][security]") {
    const std::string payload = "ZQX-carga-Ñandú-7731";
    const std::string device_name = "Tableta-Privada-4482";
    minga_server server;
    server.start(minga_server::link::tls, {"--log-level", "debug"});
    minga_client a, b;
    const std::string a_id = a.init("170151");
    b.init("170151");
    // No --name from the administrator: the device's own name is the one stored.
    const std::string token_a =
        server.run_json({"device", "enroll", "--gad", "170151"}).at("token").get<std::string>();
    ok_json(a, [&] {
        auto args = server.enroll_args(token_a);
        args.insert(args.end(), {"--name", device_name});
        return args;
    }());
    ok_json(b, server.enroll_args(server.token("170151")));
    const std::string agreement =
        a.add({"agreement", "add", "--title", "Convenio " + payload, "--kind", "convenio_marco",
               "--status", "vigente"});
    ok_json(a, {"sync"});   // push
    ok_json(b, {"sync"});   // pull of A's rows
    ok_json(b, {"agreement", "update", agreement, "--title", "Editado " + payload});
    ok_json(b, {"sync"});
    ok_json(a, {"sync"});

    // Refused requests: a used token, a token that never existed, a revoked device.
    minga_client c;
    c.init("170151");
    auto reused = c.run(server.enroll_args(token_a));
    CHECK_FALSE(reused.exited(0));
    auto made_up = c.run(server.enroll_args("f00dcafe" + payload));
    CHECK_FALSE(made_up.exited(0));
    bool named = false;
    const auto list = server.run_json({"device", "list"});
    for (const auto& d : list.at("devices"))
        named = named || (d.at("id") == a_id && d.at("name") == device_name);
    CHECK(named);  // the name did reach the server: its absence from the log means something
    CHECK(server.run({"device", "revoke", a_id}).exited(0));
    ok_json(a, {"agreement", "update", agreement, "--title", "Revocado " + payload});
    auto refused = a.run({"sync"});
    CHECK(refused.exited(2));
    std::string credential;
    {
        minga::sql::db db(a.db_file().string(), minga::sql::open_options{.create = false});
        auto st = db.prepare("SELECT value FROM replica_meta WHERE key = 'credential'");
        if (st.step()) credential = st.get_text(0);
    }
    REQUIRE(credential.size() > 40);

    auto stopped = server.stop();
    CHECK(stopped.exited(0));
    const std::string log = stopped.out + "\n" + stopped.err;
    CHECK(log.find("POST /v1/sync 200") != std::string::npos);  // the log did record requests
    CHECK(log.find("DEBUG") != std::string::npos);
    for (const std::string& secret :
         {payload, std::string("Ñandú"), device_name, token_a, credential,
          credential.substr(credential.rfind('.') + 1)}) {
        INFO(secret);
        CHECK(log.find(secret) == std::string::npos);
    }
}
