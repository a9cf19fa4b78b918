// Devices whose clocks are a year wrong still merge in the order things really happened.
#include "sync_fixture.hpp"

using namespace minga;
using minga::testing::manual_clock;
using minga::testing::set_wall;
using minga::testing::sync_world;

namespace {

constexpr std::int64_t year_ms = 365LL * 24 * 3600 * 1000;

std::string title_of(replica& r, const std::string& id) {
    auto s = r.conn().prepare("SELECT title FROM agreement WHERE id = ?1");
    s.bind(1, id);
    REQUIRE(s.step());
    return s.get_text(0);
}

/// A and B share an agreement; A's clock is `skew` wrong. A edits the title, then (one
/// minute later, really) B edits it; or the other way round. The later edit must win.
void run(std::int64_t skew, bool a_first) {
    manual_clock mc;
    central_options opts;
    opts.wall = mc.fn();
    sync_world w(opts);
    auto& a = w.add_device("170151");
    auto& b = w.add_device("170151");
    set_wall(a, mc, 0);
    set_wall(b, mc, 0);
    entity_service sa(a), sb(b);
    const auto& ag = *find_entity("agreement");
    auto id = sa.add(ag, {{"title", "Original"}, {"kind", "convenio_marco"}, {"status", "vigente"}});
    REQUIRE(id.ok());
    w.sync_ok(a);
    w.sync_ok(b);

    mc.now_ms += 3'600'000;
    set_wall(a, mc, skew);  // A's clock goes wrong while offline
    auto edit = [&](entity_service& s, const char* t) { REQUIRE(s.update(ag, id->id, {{"title", t}}).ok()); };
    if (a_first) {
        edit(sa, "de A");
        mc.now_ms += 60'000;
        edit(sb, "de B");
    } else {
        edit(sb, "de B");
        mc.now_ms += 60'000;
        edit(sa, "de A");
    }
    mc.now_ms += 60'000;
    w.sync_ok(a);
    w.sync_ok(b);
    w.sync_ok(a);
    std::string expected = a_first ? "de B" : "de A";
    CHECK(title_of(a, id->id) == expected);
    CHECK(title_of(b, id->id) == expected);
    CHECK(title_of(*w.devices[0], id->id) == title_of(*w.devices[1], id->id));
}

}  // namespace

TEST_CASE("clock: a device a year ahead does not win over a later edit") {
    run(year_ms, true);
    run(year_ms, false);
}

TEST_CASE("clock: a device a year behind still wins when it edited last") {
    run(-year_ms, true);
    run(-year_ms, false);
}
