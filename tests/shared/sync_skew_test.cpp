// Several devices whose clocks are a year ahead or behind edit the same rows, concurrently and
// in turn; every replica and the server end with the edit made last in real time, per field.
#include "sync_fixture.hpp"

using namespace minga;
using minga::testing::manual_clock;
using minga::testing::set_wall;
using minga::testing::sync_world;

namespace {

constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;
constexpr std::int64_t minute_ms = 60'000;

std::string field_of(sql::db& db, const std::string& column, const std::string& id) {
    auto s = db.prepare("SELECT " + column + " FROM agreement WHERE id = ?1");
    s.bind(1, id);
    REQUIRE(s.step());
    return s.get_text(0);
}

struct edit {
    std::size_t device;
    const char* column;
    const char* value;
};

}  // namespace

TEST_CASE("skew: devices a year ahead and behind converge to the last edit in real time") {
    manual_clock mc;
    central_options opts;
    opts.wall = mc.fn();
    sync_world w(opts);
    const std::vector<std::int64_t> skews{year_ms, -year_ms, 0, year_ms + 7 * minute_ms, -year_ms / 2};
    std::vector<replica*> devs;
    for (std::size_t i = 0; i < skews.size(); ++i) {
        devs.push_back(&w.add_device("170151"));
        set_wall(*devs.back(), mc, 0);
    }
    const auto& ag = *find_entity("agreement");
    entity_service first(*devs[2]);
    auto id = first.add(ag, {{"title", "Original"}, {"kind", "convenio_marco"}, {"status", "vigente"}, {"purpose", "p0"}});
    REQUIRE(id.ok());
    w.sync_ok(*devs[2]);
    for (auto* d : devs) w.sync_ok(*d);

    // The clocks go wrong while the devices are offline.
    mc.now_ms += 3'600'000;
    for (std::size_t i = 0; i < devs.size(); ++i) set_wall(*devs[i], mc, skews[i]);
    auto apply = [&](const edit& e) {
        entity_service s(*devs[e.device]);
        auto ok = s.update(ag, id->id, {{e.column, e.value}});
        if (!ok) FAIL(ok.err().text("en"));
        mc.now_ms += minute_ms;
    };

    SECTION("concurrent: everyone edits offline, then syncs in an order unrelated to time") {
        const std::vector<edit> edits{{1, "title", "t1"},   {0, "title", "t2"},   {3, "purpose", "p1"},
                                      {2, "title", "t3"},   {4, "purpose", "p2"}, {1, "purpose", "p3"},
                                      {0, "reference", "r1"}, {4, "title", "t4"},   {3, "reference", "r2"}};
        for (const auto& e : edits) apply(e);
        for (std::size_t i : {3u, 0u, 4u, 2u, 1u}) w.sync_ok(*devs[i]);
        for (auto* d : devs) w.sync_ok(*d);
    }
    SECTION("in turn: each device syncs before and after its edit") {
        const std::vector<edit> edits{{0, "title", "t1"}, {1, "title", "t2"}, {3, "title", "t3"},
                                      {4, "title", "t4"}, {1, "purpose", "p1"}, {0, "purpose", "p2"},
                                      {3, "purpose", "p3"}, {0, "reference", "r1"}, {3, "reference", "r2"}};
        for (const auto& e : edits) {
            w.sync_ok(*devs[e.device]);
            apply(e);
            w.sync_ok(*devs[e.device]);
        }
        for (auto* d : devs) w.sync_ok(*d);
    }

    // The last edit in real time of each field wins, everywhere (both sections end with the
    // same last values, made by devices with different wrong clocks).
    const auto digest = w.server_digest("170151");
    for (auto* db : std::vector<sql::db*>{&w.server->conn(), &devs[0]->conn(), &devs[1]->conn(),
                                          &devs[2]->conn(), &devs[3]->conn(), &devs[4]->conn()}) {
        CHECK(field_of(*db, "title", id->id) == "t4");
        CHECK(field_of(*db, "purpose", id->id) == "p3");
        CHECK(field_of(*db, "reference", id->id) == "r2");
    }
    for (auto* d : devs) {
        CHECK(scope_digest(d->conn(), d->gads()) == digest);
        CHECK(d->changes().pending_count() == 0);
    }
}
