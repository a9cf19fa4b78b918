#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/shared/conflicts.hpp>
#include <minga/shared/ids.hpp>

#include <fstream>
#include <sstream>

using namespace minga;
using minga::testing::sync_world;

namespace {

form agreement_form(const std::string& title) {
    return {{"title", title}, {"kind", "convenio_marco"}, {"status", "vigente"}};
}

std::size_t count_rows(sql::db& db, const std::string& sql) {
    return static_cast<std::size_t>(db.scalar_int(sql));
}

}  // namespace

TEST_CASE("sync: two devices of one parish converge and the other parish sees nothing") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& b = w.add_device("170151");
    auto& c = w.add_device("170152");
    entity_service sa(a), sb(b), sc(c);
    const auto& ag = *find_entity("agreement");
    REQUIRE(sa.add(ag, agreement_form("Convenio A")).ok());
    REQUIRE(sb.add(ag, agreement_form("Convenio B")).ok());
    REQUIRE(sc.add(ag, agreement_form("Convenio C")).ok());

    w.sync_ok(a);
    w.sync_ok(b);
    w.sync_ok(c);
    w.sync_ok(a);

    CHECK(count_rows(a.conn(), "SELECT count(*) FROM agreement") == 2);
    CHECK(count_rows(b.conn(), "SELECT count(*) FROM agreement") == 2);
    CHECK(count_rows(c.conn(), "SELECT count(*) FROM agreement") == 1);
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
    CHECK(scope_digest(b.conn(), b.gads()) == w.server_digest("170151"));
    CHECK(scope_digest(c.conn(), c.gads()) == w.server_digest("170152"));
    CHECK(a.changes().pending_count() == 0);
}

TEST_CASE("sync: a concurrent edit of the same field keeps the loser as a conflict") {
    // Clocks moved by hand: B's edit is a minute after A's, whatever the machine's speed.
    minga::testing::manual_clock mc;
    central_options opts;
    opts.wall = mc.fn();
    sync_world w(opts);
    auto& a = w.add_device("170151");
    auto& b = w.add_device("170151");
    minga::testing::set_wall(a, mc, 0);
    minga::testing::set_wall(b, mc, 0);
    entity_service sa(a), sb(b);
    const auto& ag = *find_entity("agreement");
    auto id = sa.add(ag, agreement_form("Original"));
    REQUIRE(id.ok());
    w.sync_ok(a);
    w.sync_ok(b);
    mc.now_ms += 60'000;
    REQUIRE(sa.update(ag, id->id, {{"title", "Título de A"}}).ok());
    mc.now_ms += 60'000;
    REQUIRE(sb.update(ag, id->id, {{"title", "Título de B"}}).ok());
    mc.now_ms += 60'000;
    w.sync_ok(a);
    auto rep = w.sync_ok(b);
    CHECK(rep.conflicts == 1);
    w.sync_ok(a);
    auto ca = list_conflicts(a);
    auto cb = list_conflicts(b);
    REQUIRE(ca.size() == 1);
    REQUIRE(cb.size() == 1);
    CHECK(ca[0].winner_value == "Título de B");
    CHECK(ca[0].loser_value == "Título de A");
    CHECK(ca[0].mine_lost);
    CHECK_FALSE(cb[0].mine_lost);
    CHECK(scope_digest(a.conn(), a.gads()) == scope_digest(b.conn(), b.gads()));

    auto resolved = resolve_conflict(a, ca[0].id, true);
    REQUIRE(resolved.ok());
    w.sync_ok(a);
    w.sync_ok(b);
    auto got = sb.get(ag, id->id);
    REQUIRE(got.ok());
    std::string title;
    for (const auto& [k, v] : got->fields)
        if (k == "title") title = std::get<std::string>(v);
    CHECK(title == "Título de A");
    CHECK(list_conflicts(b).empty());
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
    CHECK(scope_digest(b.conn(), b.gads()) == w.server_digest("170151"));
}

TEST_CASE("sync: a sync with nothing to do is one small round trip") {
    sync_world w;
    auto& a = w.add_device("170151");
    entity_service sa(a);
    REQUIRE(sa.add(*find_entity("agreement"), agreement_form("X")).ok());
    w.sync_ok(a);
    w.bytes_up = w.bytes_down = 0;
    auto rep = w.sync_ok(a);
    CHECK(rep.requests == 1);
    CHECK(rep.pushed == 0);
    CHECK(rep.pulled == 0);
    CHECK(w.bytes_up + w.bytes_down < 600);
}

TEST_CASE("sync: a catalogue imported on the server reaches every device, once") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& c = w.add_device("170152");
    auto samples = std::filesystem::path(MINGA_SOURCE_DIR) / "data" / "samples";
    for (auto [kind, file] : {std::pair{catalog_kind::organisations, "organisations.csv"},
                              std::pair{catalog_kind::ngos, "ngos.csv"},
                              std::pair{catalog_kind::offers, "offers.csv"}}) {
        std::ifstream in(samples / file);
        auto sum = w.server->import_catalog(kind, in);
        REQUIRE(sum.ok());
    }
    auto offers = w.server->conn().scalar_int("SELECT count(*) FROM offer");
    REQUIRE(offers > 0);
    w.sync_ok(a);
    w.sync_ok(c);
    CHECK(a.conn().scalar_int("SELECT count(*) FROM offer") == offers);
    CHECK(c.conn().scalar_int("SELECT count(*) FROM offer") == offers);
    CHECK(a.conn().scalar_int("SELECT count(*) FROM offer_fts") == offers);
    // Re-importing the same file changes nothing and sends nothing.
    std::ifstream again(samples / "offers.csv");
    auto sum = w.server->import_catalog(catalog_kind::offers, again);
    REQUIRE(sum.ok());
    CHECK(sum->updated == 0);
    CHECK(w.sync_ok(a).pulled == 0);
}

TEST_CASE("sync: a catalogue row changed by a re-import reaches every device at its next sync") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& c = w.add_device("170152");
    const auto file = std::filesystem::path(MINGA_SOURCE_DIR) / "data" / "samples" / "organisations.csv";
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream first(text);
    REQUIRE(w.server->import_catalog(catalog_kind::organisations, first).ok());
    w.sync_ok(a);
    w.sync_ok(c);
    const std::string old_name = "Deutsche Gesellschaft für Internationale Zusammenarbeit";
    REQUIRE(text.find(old_name) != std::string::npos);
    auto changed = text;
    changed.replace(changed.find(old_name), old_name.size(), "GIZ Ecuador (nombre nuevo)");
    std::istringstream second(changed);
    auto sum = w.server->import_catalog(catalog_kind::organisations, second);
    REQUIRE(sum.ok());
    CHECK(sum->updated == 1);
    const auto giz = "SELECT name FROM organisation WHERE id = '" + catalog_id(catalog_kind::organisations, "GIZ") + "'";
    for (auto* d : {&a, &c}) {
        CHECK(w.sync_ok(*d).pulled == 1);  // that row only
        auto s = d->conn().prepare(giz);
        REQUIRE(s.step());
        CHECK(s.get_text(0) == "GIZ Ecuador (nombre nuevo)");
    }
}

TEST_CASE("sync: a device cannot attribute an observation to another device") {
    sync_world w;
    auto& a = w.add_device("170151");
    protocol::change ch;
    ch.seq = 1;
    ch.table = "observation";
    ch.row_id = new_uuid_v7();
    ch.hlc = a.clock().now();
    ch.owner_gad = "170151";
    ch.fields = {{"indicator_id", new_uuid_v7()},
                 {"value", 1.0},
                 {"observed_on", std::string("2026-01-01")},
                 {"device_id", std::string("01a00000-0000-7000-8000-000000000000")}};
    auto req = protocol::encode(protocol::frame{protocol::current_version, 7, protocol::push{a.device_id(), {ch}}});
    auto resp = protocol::decode(w.server->handle(req, stored_link(a).credential));
    REQUIRE(resp.ok());
    const auto* e = std::get_if<protocol::error_body>(&resp->body);
    REQUIRE(e != nullptr);
    CHECK(e->code == errc::forbidden);
    CHECK(e->field == "push.changes[0].fields.device_id");
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM observation") == 0);
    CHECK(w.server->conn().scalar_int("SELECT acked_through FROM device WHERE id = '" + a.device_id() + "'") == 0);
}
