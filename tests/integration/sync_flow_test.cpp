// The whole product, as processes: minga-server on 127.0.0.1:0 and three minga clients that
// work offline, enrol, sync in various orders and converge, each to its own scope.
//
// GADs: 170151 (Alangasí) and 170152 (Amaguaña), two rural parishes of Quito. (170150 is
// Quito's cantonal seat: a territory, not a GAD, so no device can be enrolled for it.)
#include "server_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace minga::test;

namespace {

constexpr const char* gad_a = "170151";
constexpr const char* gad_b = "170152";

/// An agreement, a project under it, an indicator and one observation, recorded offline.
struct field_work {
    std::string agreement, project, indicator, observation;
};

field_work record_offline(const minga_client& c, const std::string& tag) {
    field_work w;
    w.agreement = c.add({"agreement", "add", "--title", "Convenio de agua " + tag, "--kind",
                         "convenio_especifico", "--status", "vigente", "--source", "bilateral",
                         "--modality", "fin_no_reembolsable"});
    w.project = c.add({"project", "add", "--title", "Agua potable " + tag, "--agreement", w.agreement,
                       "--modality", "fin_no_reembolsable", "--source", "bilateral"});
    w.indicator = c.add({"indicator", "add", "--project", w.project, "--title", "Familias con agua",
                         "--unit", "familias"});
    w.observation = c.add({"observe", "--indicator", w.indicator, "--value", "12", "--date",
                           "2024-05-01"});
    return w;
}

std::int64_t pending(const minga_client& c) {
    return ok_json(c, {"status"}).at("pending_changes").get<std::int64_t>();
}

nlohmann::json sync_ok(const minga_client& c) { return ok_json(c, {"sync"}); }

std::set<std::string> ids_of(const nlohmann::json& list) {
    std::set<std::string> out;
    for (const auto& row : list.at("rows")) out.insert(row.at("id").get<std::string>());
    return out;
}

}  // namespace

TEST_CASE("sync: three devices work offline, sync in any order and converge per scope",
          "[integration][slow]") {
    minga_server server;
    const std::string url = server.start(minga_server::link::tls);
    CHECK(url.rfind("https://127.0.0.1:", 0) == 0);

    minga_client a1, a2, b1;
    const std::string a1_id = a1.init(gad_a);
    const std::string a2_id = a2.init(gad_a);
    b1.init(gad_b);

    // Offline work before any link exists.
    const auto w1 = record_offline(a1, "uno");
    const auto w2 = record_offline(a2, "dos");
    const auto w3 = record_offline(b1, "tres");
    CHECK(pending(a1) > 0);

    SECTION("sync before enrolment is refused with what to do") {
        auto r = a1.run({"sync"});
        CHECK(r.exited(2));
        CHECK(r.err.find("minga enroll --server URL --token T") != std::string::npos);
    }

    for (auto* c : {&a1, &a2}) {
        auto doc = ok_json(*c, server.enroll_args(server.token(gad_a)));
        CHECK(doc.at("gads") == nlohmann::json::array({gad_a}));
    }
    ok_json(b1, server.enroll_args(server.token(gad_b)));

    // Various orders: b1 first, then a2, a1, and a2 again to receive a1's rows.
    sync_ok(b1);
    sync_ok(a2);
    auto first = sync_ok(a1);
    CHECK(first.at("pushed").get<int>() > 0);
    CHECK(first.at("pulled").get<int>() > 0);  // a2's rows
    CHECK(first.at("connections").get<int>() == 1);  // one keep-alive connection per sync
    sync_ok(a2);
    CHECK(pending(a1) == 0);
    CHECK(pending(a2) == 0);
    CHECK(pending(b1) == 0);

    const std::string digest_a = server.digest(gad_a);
    const std::string digest_b = server.digest(gad_b);
    CHECK(digest_a != digest_b);
    CHECK(client_digest(a1) == digest_a);
    CHECK(client_digest(a2) == digest_a);
    CHECK(client_digest(b1) == digest_b);

    // Each GAD-a device holds both devices' projects; the GAD-b device none of them.
    const auto a1_projects = ids_of(ok_json(a1, {"list", "project"}));
    CHECK(a1_projects.count(w1.project) == 1);
    CHECK(a1_projects.count(w2.project) == 1);
    const auto b_list = ok_json(b1, {"list", "project"});
    const auto b_projects = ids_of(b_list);
    CHECK(b_projects.count(w3.project) == 1);
    CHECK(b_projects.count(w1.project) == 0);
    CHECK(b_projects.count(w2.project) == 0);
    for (const auto& row : b_list.at("rows")) CHECK(row.value("owner_gad", "") != gad_a);

    SECTION("a re-sync is a no-op") {
        auto again = sync_ok(a1);
        CHECK(again.at("pushed").get<int>() == 0);
        CHECK(again.at("pulled").get<int>() == 0);
        CHECK(client_digest(a1) == digest_a);
        CHECK(server.digest(gad_a) == digest_a);
    }

    SECTION("a concurrent edit shows up as a conflict that can be resolved") {
        ok_json(a1, {"project", "update", w1.project, "--title", "Agua potable (versión de a1)"});
        ok_json(a2, {"project", "update", w1.project, "--title", "Agua potable (versión de a2)"});
        sync_ok(a1);
        auto s2 = sync_ok(a2);
        sync_ok(a1);
        CHECK(client_digest(a1) == client_digest(a2));
        auto open1 = ok_json(a1, {"conflicts"});
        auto open2 = ok_json(a2, {"conflicts"});
        const auto& list = open1.at("count").get<int>() > 0 ? open1 : open2;
        REQUIRE(list.at("count").get<int>() >= 1);
        const std::string id = list.at("conflicts").at(0).at("id").get<std::string>();
        const minga_client& owner = &list == &open1 ? a1 : a2;
        auto resolved = ok_json(owner, {"conflicts", "resolve", id, "--keep", "mine"});
        CHECK(resolved.at("conflict").at("status") == "resuelto");
        CHECK(ok_json(owner, {"conflicts"}).at("count").get<int>() == list.at("count").get<int>() - 1);
    }

    SECTION("a revoked device cannot sync, and keeps what it has not sent") {
        auto rev = server.run({"device", "revoke", a2_id});
        INFO(rev.describe());
        REQUIRE(rev.exited(0));
        (void)a2.add({"observe", "--indicator", w2.indicator, "--value", "14", "--date", "2024-11-01"});
        const auto before = pending(a2);
        REQUIRE(before >= 1);
        auto r = a2.run({"sync"});
        INFO(r.describe());
        CHECK(r.exited(2));
        CHECK(r.err.find("credencial") != std::string::npos);
        CHECK(r.err.find("se conservan") != std::string::npos);
        CHECK(pending(a2) == before);
        // The other device of the same GAD is unaffected.
        sync_ok(a1);
        auto listed = server.run_json({"device", "list"});
        bool found = false;
        for (const auto& d : listed.at("devices"))
            if (d.at("id") == a2_id) {
                found = true;
                CHECK(d.at("status") == "revocado");
            }
        CHECK(found);
        CHECK(a1_id != a2_id);
    }

    auto stopped = server.stop(SIGTERM);
    INFO(stopped.describe());
    CHECK(stopped.exited(0));
    CHECK_FALSE(stopped.timed_out);
    CHECK(stopped.err.find("detenido") != std::string::npos);

    SECTION("with the server down, sync says try later (75) and loses nothing") {
        (void)a1.add({"observe", "--indicator", w1.indicator, "--value", "15", "--date", "2024-12-01"});
        const auto before = pending(a1);
        // One retry (after at most 0.5 s), so the test does not wait out the default policy.
        auto r = a1.run({"sync", "--retries", "1", "--progress"});
        INFO(r.describe());
        CHECK(r.exited(75));
        CHECK(r.err.find("Reintento 1 de 1 en ") != std::string::npos);
        CHECK(r.err.find("no se pudo conectar con el servidor") != std::string::npos);
        CHECK(r.err.find("conexión rechazada") != std::string::npos);
        CHECK(pending(a1) == before);
    }
}

TEST_CASE("server logs: one line per request, never a token or credential",
          "[integration]") {
    minga_server server;
    server.start(minga_server::link::tls);
    minga_client c;
    c.init(gad_a);
    const std::string token = server.token(gad_a);
    ok_json(c, server.enroll_args(token));
    ok_json(c, {"sync"});
    auto stopped = server.stop();
    CHECK(stopped.exited(0));
    const auto log = stopped.err;
    CHECK(log.find("POST /v1/sync 200") != std::string::npos);
    CHECK(log.find(token) == std::string::npos);
    // The credential lives only in the replica; read it back through the database dump.
    CHECK(log.find("Bearer") == std::string::npos);
}

TEST_CASE("server cli: usage errors exit 2 naming the option", "[integration]") {
    minga_server server;
    auto r = server.run({"device", "enroll"});
    CHECK(r.exited(2));
    CHECK(r.err.find("--gad") != std::string::npos);
    auto bad_listen = server.run({"serve", "--listen", "localhost"});
    CHECK(bad_listen.exited(2));
    CHECK(bad_listen.err.find("--listen") != std::string::npos);
    auto ttl = server.run({"device", "enroll", "--gad", gad_a, "--ttl-hours", "0"});
    CHECK(ttl.exited(2));
    CHECK(ttl.err.find("--ttl-hours") != std::string::npos);
    auto unknown = server.run({"device", "enroll", "--gad", "999999"});
    CHECK(unknown.exited(2));
    auto no_store = run_process(minga_server_bin(), {"--data", "/nonexistent/minga", "device", "list"});
    CHECK(no_store.exited(2));
    CHECK(no_store.err.find("minga-server --data /nonexistent/minga init") != std::string::npos);
}

TEST_CASE("enroll: a bad URL or token fails clearly", "[integration]") {
    minga_server server;
    const std::string url = server.start();
    minga_client c;
    c.init(gad_a);
    auto ftp = c.run({"enroll", "--server", "ftp://example.org", "--token", "x"});
    CHECK(ftp.exited(2));
    CHECK(ftp.err.find("https://") != std::string::npos);
    auto pin_on_http = c.run({"enroll", "--server", url, "--token", "x", "--pin", server.pin()});
    CHECK(pin_on_http.exited(2));
    CHECK(pin_on_http.err.find("--pin") != std::string::npos);
    auto wrong = c.run({"enroll", "--server", url, "--token", "not-a-token"});
    INFO(wrong.describe());
    CHECK_FALSE(wrong.exited(0));
    CHECK_FALSE(wrong.exited(75));
    auto other_gad = c.run({"enroll", "--server", url, "--token", server.token(gad_b)});
    CHECK(other_gad.exited(2));
    CHECK(server.stop().exited(0));
}
