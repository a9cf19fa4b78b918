// The tombstone horizon on the server: which deletions `compact` purges, and what it leaves.
#include "horizon_fixture.hpp"

using namespace minga;
using minga::testing::day_ms;
using minga::testing::horizon_world;
using minga::testing::rows_with_id;

TEST_CASE("horizon: compact purges only tombstones older than the horizon, with their index and clocks") {
    horizon_world h;
    auto& a = h.add_device("170151");
    auto old_gone = h.add(a, "Borrado hace 190 días");
    auto recent_gone = h.add(a, "Borrado hace 90 días");
    auto live = h.add(a, "Vigente");
    h.w.sync_ok(a);
    h.remove(a, old_gone);
    h.w.sync_ok(a);
    const auto old_seq = h.server_seq(old_gone);
    h.mc.now_ms += 100 * day_ms;
    h.remove(a, recent_gone);
    h.w.sync_ok(a);
    h.mc.now_ms += 90 * day_ms;
    auto& db = h.w.server->conn();
    REQUIRE(db.scalar_int("SELECT count(*) FROM agreement WHERE deleted = 1") == 2);
    CHECK(tombstone_horizon(db) == 0);

    auto rep = h.compact(180);
    CHECK(rep.purged == 1);
    CHECK(rep.transactions == 1);
    CHECK(rep.horizon == old_seq);
    CHECK(tombstone_horizon(db) == old_seq);
    CHECK(rows_with_id(db, "agreement", old_gone) == 0);
    CHECK(db.scalar_int("SELECT count(*) FROM change_index WHERE row_id = '" + old_gone + "'") == 0);
    CHECK(db.scalar_int("SELECT count(*) FROM field_clock WHERE row_id = '" + old_gone + "'") == 0);
    // The younger tombstone and the live row stay, with their index entries and clocks.
    CHECK(db.scalar_int("SELECT deleted FROM agreement WHERE id = '" + recent_gone + "'") == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM field_clock WHERE row_id = '" + recent_gone + "'") == 1);
    CHECK(db.scalar_int("SELECT deleted FROM agreement WHERE id = '" + live + "'") == 0);
    CHECK(h.server_seq(live) > 0);

    // Nothing left to purge: the horizon stays where it is.
    auto again = h.compact(180);
    CHECK(again.purged == 0);
    CHECK(again.horizon == old_seq);

    // An up-to-date device is not behind the horizon: an ordinary pull, nothing removed
    // (it keeps its own tombstone), and its digest still equals the server's.
    REQUIRE(h.cursor(a) >= old_seq);
    h.w.sync_ok(a);
    CHECK(rows_with_id(a.conn(), "agreement", old_gone) == 1);
    CHECK(scope_digest(a.conn(), a.gads()) == h.w.server_digest("170151"));
}

TEST_CASE("horizon: keep-days 0 purges every tombstone, in bounded transactions") {
    horizon_world h;
    auto& a = h.add_device("170151");
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i) ids.push_back(h.add(a, "Convenio " + std::to_string(i)));
    h.w.sync_ok(a);
    for (const auto& id : ids) h.remove(a, id);
    h.w.sync_ok(a);
    h.mc.now_ms += 1;
    compact_options o;
    o.keep_days = 0;
    o.now_ms = h.mc.now_ms;
    o.batch_rows = 3;
    auto rep = compact_tombstones(h.w.server->conn(), o);
    REQUIRE(rep.ok());
    CHECK(rep->purged == 7);
    CHECK(rep->transactions == 3);  // 3 + 3 + 1
    CHECK(h.w.server->conn().scalar_int("SELECT count(*) FROM agreement") == 0);
}

TEST_CASE("horizon: keep-days out of range is refused, naming the option, and nothing is purged") {
    horizon_world h;
    auto& a = h.add_device("170151");
    auto id = h.add(a, "Convenio");
    h.w.sync_ok(a);
    h.remove(a, id);
    h.w.sync_ok(a);
    for (std::int64_t bad : {std::int64_t{-1}, compaction_tuning::max_keep_days + 1}) {
        compact_options o;
        o.keep_days = bad;
        o.now_ms = h.mc.now_ms + 1000 * day_ms;
        auto rep = compact_tombstones(h.w.server->conn(), o);
        REQUIRE_FALSE(rep.ok());
        CHECK(rep.err().code == errc::bad_input);
        CHECK(rep.err().field == "--keep-days");
    }
    CHECK(rows_with_id(h.w.server->conn(), "agreement", id) == 1);
    CHECK(tombstone_horizon(h.w.server->conn()) == 0);
}

TEST_CASE("horizon: the server dates a deletion by its own clock when it applies it") {
    horizon_world h;
    auto& a = h.add_device("170151");
    auto id = h.add(a, "Convenio");
    h.w.sync_ok(a);
    h.remove(a, id);
    h.mc.now_ms += 30 * day_ms;  // the device was offline for a month after the deletion
    h.w.sync_ok(a);
    CHECK(h.w.server->conn().scalar_int("SELECT changed_ms FROM change_index WHERE row_id = '" + id +
                                        "'") == h.mc.now_ms);
    CHECK(h.compact(180).purged == 0);
    h.mc.now_ms += 181 * day_ms;
    CHECK(h.compact(180).purged == 1);
}
