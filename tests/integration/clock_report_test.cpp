// Protocol v3's device clock end to end: a device whose clock is a year ahead syncs with the real
// server and shows up in `minga-server report quality`; an honest device (the real `minga` CLI)
// does not; a device held at protocol v2 keeps syncing with the v3 server.
#include "server_fixture.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/protocol/version.hpp>
#include <minga/shared/entity.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/hlc.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/report_tuning.hpp>
#include <minga/shared/sqlite.hpp>
#include <minga/shared/sync_client.hpp>

#include <catch2/catch.hpp>

#include <set>

using namespace minga;
using namespace minga::test;

namespace {

constexpr const char* gad = "170151";
constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;

/// A device in this process on a real SQLite file, syncing over the real HTTP transport, whose
/// wall clock is `skew_ms` off the real one.
struct inproc_device {
    temp_dir dir{"minga-dev"};
    std::optional<replica> r;
    std::optional<client::http_transport> link;

    inproc_device(minga_server& server, std::int64_t skew_ms) {
        auto made = replica::create(dir.path() / "replica", gad, fs::path(MINGA_SOURCE_DIR) / "data");
        REQUIRE(made.ok());
        r.emplace(std::move(*made));
        r->clock() = hlc_clock([skew_ms] { return system_ms() + skew_ms; });
        auto t = client::http_transport::create(server.url());
        REQUIRE(t.ok());
        link.emplace(std::move(*t));
        auto e = enroll(*r, link->as_transport_fn(), server.url(), server.token(gad), "tableta");
        if (!e) FAIL(e.err().text("en"));
    }

    void add_agreement(const std::string& title) {
        entity_service s(*r);
        auto id = s.add(*find_entity("agreement"),
                        {{"title", title}, {"kind", "convenio_marco"}, {"status", "vigente"}});
        if (!id) FAIL(id.err().text("en"));
    }

    sync_report sync(std::uint32_t max_version = protocol::current_version) {
        sync_options o;
        o.max_protocol_version = max_version;
        auto rep = minga::sync(*r, link->as_transport_fn(), o);
        if (!rep) FAIL(rep.err().text("en"));
        return *rep;
    }
};

std::string device_id_of(const minga_client& c) {
    sql::db d(c.db_file().string());
    auto s = d.prepare("SELECT value FROM replica_meta WHERE key = 'device_id'");
    REQUIRE(s.step());
    return s.get_text(0);
}

/// The ids of the devices `report quality` lists with a skewed clock.
std::set<std::string> skewed_devices(const minga_server& server) {
    const auto doc = server.run_json({"report", "quality", "--format", "json"});
    std::set<std::string> out;
    for (const auto& row : doc.at("rows")) {
        if (row.at("tipo") != "reloj_desfasado") continue;
        CHECK(row.at("gad") == gad);
        CHECK(row.at("detalle").get<std::string>().rfind("reloj adelantado", 0) == 0);
        out.insert(row.at("id").get<std::string>());
    }
    return out;
}

}  // namespace

TEST_CASE("device clock: a device a year ahead is in the quality report, an honest one is not",
          "[integration][clock]") {
    minga_server server;
    server.start();
    minga_client honest;
    honest.init(gad);
    ok_json(honest, {"enroll", "--server", server.url(), "--token", server.token(gad)});
    honest.add({"agreement", "add", "--title", "Convenio a tiempo", "--kind", "convenio_marco",
                "--status", "vigente"});
    ok_json(honest, {"sync"});

    inproc_device ahead(server, year_ms);
    ahead.add_agreement("Convenio del futuro");
    const auto rep = ahead.sync();
    CHECK(rep.pushed == 1);
    CHECK(rep.offset_ms < -year_ms + 60'000);  // the device learnt how wrong it is

    // The server stored the raw offset of each device that pushed in v3.
    {
        sql::db central((server.data_dir() / "central.db").string());
        auto s = central.prepare(
            "SELECT c.offset_ms FROM device_clock c JOIN device d ON d.num = c.device_num "
            "WHERE d.id = ?1");
        s.bind(1, ahead.r->device_id());
        REQUIRE(s.step());
        CHECK(std::llabs(s.get_int(0) - year_ms) < 60'000);
        s.reset();
        s.bind(1, device_id_of(honest));
        REQUIRE(s.step());
        CHECK(std::llabs(s.get_int(0)) < report_tuning::max_clock_skew_ms);
    }

    const auto listed = skewed_devices(server);
    CHECK(listed == std::set<std::string>{ahead.r->device_id()});

    // English, with the GAD.
    auto en = server.run({"--lang", "en", "report", "quality", "--format", "csv"});
    REQUIRE(en.exited(0));
    CHECK(en.out.find("reloj_desfasado,170151," + ahead.r->device_id()) != std::string::npos);
    CHECK(en.out.find("clock ahead by 3153") != std::string::npos);  // a year (less the travel time)
    CHECK(en.out.find(device_id_of(honest)) == std::string::npos);
}

TEST_CASE("device clock: a v2 device keeps syncing with the v3 server and leaves no clock",
          "[integration][clock]") {
    REQUIRE(protocol::current_version == 3);
    minga_server server;
    server.start();
    inproc_device old(server, year_ms);  // wrong clock, but a v2 push cannot say so
    old.add_agreement("Convenio de un cliente v2");
    CHECK(old.sync(2).pushed == 1);
    old.add_agreement("Otro convenio v2");
    CHECK(old.sync(2).pushed == 1);
    CHECK(server.run_json({"report", "quality", "--format", "json"}).at("rows").size() == 0);
    sql::db central((server.data_dir() / "central.db").string());
    CHECK(central.scalar_int("SELECT count(*) FROM device_clock") == 0);
    CHECK(central.scalar_int("SELECT count(*) FROM agreement WHERE deleted = 0") == 2);

    // The same device upgraded to v3 reports its clock at its next push.
    old.add_agreement("Ya en v3");
    CHECK(old.sync().pushed == 1);
    CHECK(central.scalar_int("SELECT count(*) FROM device_clock") == 1);
}
