// Snapshot bootstrap: a device whose cursor is behind the tombstone horizon gets its whole scope,
// removes what the server no longer has, and never loses an unsent change.
#include "horizon_fixture.hpp"

using namespace minga;
using minga::testing::day_ms;
using minga::testing::horizon_world;
using minga::testing::rows_with_id;
using minga::testing::title_of;

namespace {

/// Two devices of one parish with three shared agreements; `b` then goes offline while `a`
/// deletes `gone` and the server purges it 200 days later.
struct behind_horizon {
    horizon_world h;
    replica& a = h.add_device("170151");
    replica& b = h.add_device("170151");
    std::string gone, kept, edited;

    behind_horizon() {
        gone = h.add(a, "Se borrará");
        kept = h.add(a, "Se queda");
        edited = h.add(a, "Se editará");
        h.w.sync_ok(a);
        h.w.sync_ok(b);
        h.remove(a, gone);
        h.w.sync_ok(a);
        h.mc.now_ms += 200 * day_ms;
        h.rename(a, edited, "Editado en A");
        h.w.sync_ok(a);
        REQUIRE(h.compact(180).purged == 1);
        REQUIRE(h.cursor(b) > 0);
        REQUIRE(h.cursor(b) < tombstone_horizon(h.w.server->conn()));
        REQUIRE(rows_with_id(b.conn(), "agreement", gone) == 1);
    }

    std::int64_t reference_rows(replica& r) {
        return r.conn().scalar_int("SELECT (SELECT count(*) FROM gad) + (SELECT count(*) FROM organisation) "
                                   "+ (SELECT count(*) FROM territorial_unit) + (SELECT count(*) FROM codelist)");
    }
};

/// A transport that records the pull requests it carries and can fail after `pages_ok` pulls.
struct recording_transport {
    explicit recording_transport(minga::testing::sync_world& world) : w(world) {}
    minga::testing::sync_world& w;  // the test's world; outlives the transport
    std::vector<protocol::pull> pulls;
    int pages_ok = 1 << 30;
    std::function<void()> on_first_pull;

    transport_fn fn() {
        return [this](std::span<const std::uint8_t> req, std::string_view bearer)
                   -> result<std::vector<std::uint8_t>> {
            auto f = protocol::decode(req);
            REQUIRE(f.ok());
            if (const auto* p = std::get_if<protocol::pull>(&f->body)) {
                if (pulls.empty() && on_first_pull) on_first_pull();
                pulls.push_back(*p);
                if (static_cast<int>(pulls.size()) > pages_ok)
                    return make_error(errc::unavailable, "", "enlace caído", "link down");
            }
            return w.server->handle(req, bearer);
        };
    }
};

}  // namespace

TEST_CASE("snapshot: a device behind the horizon gets exactly the server's scope and keeps its unsent edits") {
    behind_horizon s;
    auto& h = s.h;
    // Offline edits on b: a new agreement and an edit of a row that still exists.
    auto fresh = h.add(s.b, "Nuevo sin conexión");
    h.rename(s.b, s.kept, "Editado sin conexión");
    const auto refs = s.reference_rows(s.b);

    recording_transport t{h.w};
    auto rep = minga::sync(s.b, t.fn());
    REQUIRE(rep.ok());
    REQUIRE_FALSE(t.pulls.empty());
    CHECK_FALSE(t.pulls.front().snapshot);  // asked incrementally; the server answered a snapshot
    // The purged row is gone, the unsent edits reached the server, the rest came down.
    CHECK(rows_with_id(s.b.conn(), "agreement", s.gone) == 0);
    CHECK(title_of(h.w.server->conn(), fresh) == "Nuevo sin conexión");
    CHECK(title_of(h.w.server->conn(), s.kept) == "Editado sin conexión");
    CHECK(title_of(s.b.conn(), s.edited) == "Editado en A");
    CHECK(s.b.changes().pending_count() == 0);
    CHECK(scope_digest(s.b.conn(), s.b.gads()) == h.w.server_digest("170151"));
    // Reference data is never touched; the snapshot left no state behind.
    CHECK(s.reference_rows(s.b) == refs);
    CHECK(s.b.conn().scalar_int("SELECT count(*) FROM snapshot_seen") == 0);
    CHECK_FALSE(s.b.meta("snapshot_cursor").has_value());
    CHECK(h.cursor(s.b) >= tombstone_horizon(h.w.server->conn()));
    // The next sync is incremental again.
    recording_transport t2{h.w};
    REQUIRE(minga::sync(s.b, t2.fn()).ok());
    REQUIRE(t2.pulls.size() == 1);
    CHECK_FALSE(t2.pulls.front().snapshot);
    h.w.sync_ok(s.a);
    CHECK(scope_digest(s.a.conn(), s.a.gads()) == h.w.server_digest("170151"));
}

TEST_CASE("snapshot: a row with an unsent change is kept, and the change is sent at the next sync") {
    behind_horizon s;
    auto& h = s.h;
    // A person records an agreement while the snapshot downloads (after the push finished):
    // the snapshot does not deliver it, and it must not be removed.
    std::string during;
    recording_transport t{h.w};
    t.on_first_pull = [&] { during = h.add(s.b, "Escrito durante la descarga"); };
    REQUIRE(minga::sync(s.b, t.fn()).ok());
    REQUIRE_FALSE(during.empty());
    CHECK(rows_with_id(s.b.conn(), "agreement", during) == 1);
    CHECK(rows_with_id(s.b.conn(), "agreement", s.gone) == 0);
    CHECK(s.b.changes().pending_count() == 1);
    h.w.sync_ok(s.b);
    CHECK(title_of(h.w.server->conn(), during) == "Escrito durante la descarga");
    CHECK(s.b.changes().pending_count() == 0);
    CHECK(scope_digest(s.b.conn(), s.b.gads()) == h.w.server_digest("170151"));
}

TEST_CASE("snapshot: an interrupted snapshot removes nothing and resumes where it stopped") {
    behind_horizon s;
    auto& h = s.h;
    for (int i = 0; i < 20; ++i) h.add(s.a, "Relleno " + std::to_string(i));
    h.w.sync_ok(s.a);
    sync_options small;
    small.page_rows = 4;

    recording_transport cut{h.w};
    cut.pages_ok = 3;
    auto first = minga::sync(s.b, cut.fn(), small);
    REQUIRE_FALSE(first.ok());
    CHECK(first.err().code == errc::unavailable);
    // Three pages applied, nothing removed, the position kept.
    CHECK(rows_with_id(s.b.conn(), "agreement", s.gone) == 1);
    REQUIRE(s.b.meta("snapshot_cursor").has_value());
    const auto position = std::stoull(*s.b.meta("snapshot_cursor"));
    CHECK(position > 0);
    CHECK(s.b.conn().scalar_int("SELECT count(*) FROM snapshot_seen") == 12);

    recording_transport rest{h.w};
    auto second = minga::sync(s.b, rest.fn(), small);
    REQUIRE(second.ok());
    REQUIRE_FALSE(rest.pulls.empty());
    CHECK(rest.pulls.front().snapshot);
    CHECK(rest.pulls.front().cursor == position);
    CHECK(rows_with_id(s.b.conn(), "agreement", s.gone) == 0);
    CHECK(scope_digest(s.b.conn(), s.b.gads()) == h.w.server_digest("170151"));
    CHECK(s.b.conn().scalar_int("SELECT count(*) FROM snapshot_seen") == 0);
}

TEST_CASE("snapshot: a compaction during a snapshot restarts it, and it still converges") {
    behind_horizon s;
    auto& h = s.h;
    for (int i = 0; i < 10; ++i) h.add(s.a, "Relleno " + std::to_string(i));
    h.w.sync_ok(s.a);
    sync_options small;
    small.page_rows = 4;
    recording_transport cut{h.w};
    cut.pages_ok = 2;
    REQUIRE_FALSE(minga::sync(s.b, cut.fn(), small).ok());
    REQUIRE(s.b.meta("snapshot_cursor").has_value());
    // Meanwhile `kept` is deleted on a and purged: the horizon moves past b's snapshot start.
    h.remove(s.a, s.kept);
    h.w.sync_ok(s.a);
    h.mc.now_ms += 1;
    REQUIRE(h.compact(0).purged == 1);

    recording_transport rest{h.w};
    REQUIRE(minga::sync(s.b, rest.fn(), small).ok());
    REQUIRE(rest.pulls.size() >= 2);
    CHECK(rest.pulls[1].cursor == 0);  // restarted from the beginning
    CHECK(rest.pulls[1].snapshot);
    CHECK(rows_with_id(s.b.conn(), "agreement", s.kept) == 0);
    CHECK(scope_digest(s.b.conn(), s.b.gads()) == h.w.server_digest("170151"));
}

TEST_CASE("snapshot: an offline edit of a row whose deletion was purged does not block the device") {
    behind_horizon s;
    auto& h = s.h;
    h.rename(s.b, s.gone, "Editado sin saber que se borró");
    auto fresh = h.add(s.b, "Nuevo sin conexión");
    auto rep = minga::sync(s.b, h.w.transport());
    INFO((rep.ok() ? std::string() : rep.err().text("en")));
    REQUIRE(rep.ok());
    // The deletion wins, as it would have before the purge; the rest of the batch arrives.
    CHECK(rows_with_id(h.w.server->conn(), "agreement", s.gone) == 0);
    CHECK(rows_with_id(s.b.conn(), "agreement", s.gone) == 0);
    CHECK(title_of(h.w.server->conn(), fresh) == "Nuevo sin conexión");
    CHECK(s.b.changes().pending_count() == 0);
    CHECK(scope_digest(s.b.conn(), s.b.gads()) == h.w.server_digest("170151"));
}
