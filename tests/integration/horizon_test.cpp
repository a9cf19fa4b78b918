// The tombstone horizon with real processes: `minga-server compact` runs beside `serve`, and a
// device that was offline across it gets a snapshot, keeps and sends its offline work, and ends
// with exactly the server's data for its scope.
#include "server_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace minga::test;

namespace {

constexpr const char* gad = "170151";

std::set<std::string> agreement_ids(const minga_client& c) {
    std::set<std::string> out;
    const auto doc = ok_json(c, {"list", "agreement"});
    for (const auto& row : doc.at("rows")) out.insert(row.at("id").get<std::string>());
    return out;
}

std::string new_agreement(const minga_client& c, const std::string& title) {
    return c.add({"agreement", "add", "--title", title, "--kind", "convenio_marco", "--status",
                  "vigente"});
}

}  // namespace

TEST_CASE("horizon: a device offline across a compaction gets a snapshot and keeps its offline work",
          "[integration][slow]") {
    minga_server server;
    const std::string url = server.start();
    minga_client a, b;
    a.init(gad);
    b.init(gad);
    ok_json(a, {"enroll", "--server", url, "--token", server.token(gad)});
    ok_json(b, {"enroll", "--server", url, "--token", server.token(gad)});

    const auto gone = new_agreement(a, "Se borrará");
    const auto kept = new_agreement(a, "Se queda");
    ok_json(a, {"sync"});
    ok_json(b, {"sync"});
    REQUIRE(agreement_ids(b).count(gone) == 1);

    // b goes offline; a deletes a row and the operator compacts while the server runs.
    ok_json(a, {"agreement", "delete", gone});
    ok_json(a, {"sync"});
    const auto offline = new_agreement(b, "Registrado sin conexión");
    auto compacted = server.run_json({"compact", "--keep-days", "0"});
    CHECK(compacted.at("purged").get<std::int64_t>() == 1);
    CHECK(compacted.at("horizon").get<std::int64_t>() > 0);
    CHECK(compacted.at("keep_days").get<std::int64_t>() == 0);

    // b comes back: its offline agreement reaches the server, the purged one leaves b.
    ok_json(b, {"sync"});
    const auto on_b = agreement_ids(b);
    CHECK(on_b.count(gone) == 0);
    CHECK(on_b.count(kept) == 1);
    CHECK(on_b.count(offline) == 1);
    CHECK(ok_json(b, {"status"}).at("pending_changes").get<std::int64_t>() == 0);
    ok_json(a, {"sync"});
    CHECK(agreement_ids(a).count(offline) == 1);
    CHECK(client_digest(b) == server.digest(gad));
    CHECK(client_digest(a) == server.digest(gad));

    // A second compaction has nothing to do and keeps the horizon.
    auto again = server.run_json({"compact"});
    CHECK(again.at("purged").get<std::int64_t>() == 0);
    CHECK(again.at("keep_days").get<std::int64_t>() == 180);
    CHECK(again.at("horizon") == compacted.at("horizon"));
    server.stop();
}

TEST_CASE("horizon: compact refuses a bad --keep-days, naming it, and purges nothing",
          "[integration]") {
    minga_server server;
    for (const char* bad : {"-1", "36501"}) {
        auto r = server.run({"compact", "--keep-days", bad});
        INFO(r.describe());
        CHECK(r.exited(2));
        CHECK(r.err.find("--keep-days") != std::string::npos);
    }
    auto words = server.run({"compact", "--keep-days", "muchos"});
    CHECK(words.exited(2));
    auto ok = server.run_json({"compact"});
    CHECK(ok.at("purged").get<std::int64_t>() == 0);
    CHECK(ok.at("horizon").get<std::int64_t>() == 0);
}
