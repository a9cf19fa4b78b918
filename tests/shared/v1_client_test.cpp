// A v1 client against the v2 server: negotiated down, answered in v1 encoding, served across a
// migration of the server's store (central_v3), and what it gets when behind the horizon.
#include "horizon_fixture.hpp"

#include <msgpack.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace minga;
using minga::testing::day_ms;
using minga::testing::horizon_world;
using minga::testing::rows_with_id;
using minga::testing::title_of;

namespace {

sync_options as_v1() {
    sync_options o;
    o.max_protocol_version = 1;
    return o;
}

/// Checks every frame a v1 client exchanges: v1 envelopes, and pull pages without v2 fields.
struct v1_transport {
    explicit v1_transport(minga::testing::sync_world& world) : w(world) {}
    minga::testing::sync_world& w;  // the test's world; outlives the transport
    int pages = 0;

    transport_fn fn() {
        return [this](std::span<const std::uint8_t> req, std::string_view bearer)
                   -> result<std::vector<std::uint8_t>> {
            auto in = protocol::decode(req);
            REQUIRE(in.ok());
            CHECK(in->version == 1);
            if (const auto* h = std::get_if<protocol::hello>(&in->body)) CHECK(h->max_version == 1);
            auto resp = w.server->handle(req, bearer);
            auto out = protocol::decode(resp);
            REQUIRE(out.ok());
            CHECK(out->version == 1);
            if (std::holds_alternative<protocol::pull_page>(out->body)) {
                ++pages;
                auto oh = msgpack::unpack(reinterpret_cast<const char*>(resp.data()), resp.size());
                CHECK(oh.get().via.array.ptr[3].via.array.size == 5);  // the v1 fields only
            }
            return resp;
        };
    }
};

/// Turns the store back into what the release with central schema 2 left: every later central
/// migration (shared/src/schema/central_v<N>.sql, N > 2) is undone, newest first, by dropping
/// the indexes, added columns and tables it created, in reverse order. The data stays.
void downgrade_store_to_central_v2(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::vector<std::pair<int, fs::path>> steps;
    const std::regex file_re(R"(central_v(\d+)\.sql)");
    for (const auto& e : fs::directory_iterator(fs::path(MINGA_SOURCE_DIR) / "shared/src/schema")) {
        std::smatch m;
        const auto name = e.path().filename().string();
        if (std::regex_match(name, m, file_re) && std::stoi(m[1]) > 2) steps.emplace_back(std::stoi(m[1]), e.path());
    }
    std::sort(steps.rbegin(), steps.rend());
    REQUIRE(!steps.empty());
    sql::db db((dir / central::file_name).string(), sql::open_options{.create = false});
    const std::regex stmt_re(
        R"(CREATE\s+(?:UNIQUE\s+)?INDEX\s+(\w+)\s+ON\s+(\w+)|CREATE\s+TABLE\s+(\w+)|ALTER\s+TABLE\s+(\w+)\s+ADD\s+COLUMN\s+(\w+))",
        std::regex::icase);
    const std::regex drop_re(R"(DROP\s+TABLE\s+(\w+))", std::regex::icase);
    for (const auto& [version, file] : steps) {
        std::ifstream in(file);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // A table the migration recreates (DROP TABLE, then CREATE TABLE: e.g. central_v12 makes
        // report tables WITHOUT ROWID) keeps its newer shape; the older migrations' undo goes on
        // from it.
        std::set<std::string> recreated;
        for (std::sregex_iterator it(text.begin(), text.end(), drop_re), end; it != end; ++it)
            recreated.insert((*it)[1].str());
        std::vector<std::string> undo;
        for (std::sregex_iterator it(text.begin(), text.end(), stmt_re), end; it != end; ++it) {
            const auto& m = *it;
            if (m[1].matched) {
                if (!recreated.count(m[2].str())) undo.push_back("DROP INDEX " + m[1].str());
            } else if (m[3].matched) {
                if (!recreated.count(m[3].str())) undo.push_back("DROP TABLE " + m[3].str());
            } else {
                undo.push_back("ALTER TABLE " + m[4].str() + " DROP COLUMN " + m[5].str());
            }
        }
        for (auto u = undo.rbegin(); u != undo.rend(); ++u) db.exec(*u);
    }
    db.exec("UPDATE central_meta SET value = '2' WHERE key = 'schema'");
}

}  // namespace

TEST_CASE("v1: a client held at v1 syncs before and after the server's store migrates, and converges") {
    horizon_world h;
    auto& old = h.add_device("170151");  // enrolled with a v2 hello; held at v1 from here on
    auto& now = h.add_device("170151");
    auto a1 = h.add(old, "Desde el cliente v1");
    h.add(now, "Desde el cliente v2");
    v1_transport t{h.w};
    REQUIRE(minga::sync(old, t.fn(), as_v1()).ok());
    h.w.sync_ok(now);
    REQUIRE(minga::sync(old, t.fn(), as_v1()).ok());
    CHECK(t.pages >= 2);
    CHECK(old.meta("protocol_version") == "1");
    CHECK(scope_digest(old.conn(), old.gads()) == h.w.server_digest("170151"));

    // The server is upgraded: its store goes from central_v2 to central_v3 while devices are
    // offline; the v1 device edited meanwhile.
    h.w.server.reset();
    downgrade_store_to_central_v2(h.w.root / "central");
    h.rename(old, a1, "Editado antes de la migración");
    auto reopened = central::open(h.w.root / "central", h.options());
    REQUIRE(reopened.ok());
    h.w.server = std::make_unique<central>(std::move(*reopened));
    auto& db = h.w.server->conn();
    CHECK(db.scalar_int("SELECT CAST(value AS INTEGER) FROM central_meta WHERE key = 'schema'") >= 3);
    CHECK(db.scalar_int("SELECT count(*) FROM change_index WHERE changed_ms <= 0") == 0);

    REQUIRE(minga::sync(old, t.fn(), as_v1()).ok());
    h.add(now, "Después de la migración");
    h.w.sync_ok(now);
    REQUIRE(minga::sync(old, t.fn(), as_v1()).ok());
    CHECK(title_of(db, a1) == "Editado antes de la migración");
    CHECK(old.changes().pending_count() == 0);
    CHECK(scope_digest(old.conn(), old.gads()) == h.w.server_digest("170151"));
    CHECK(scope_digest(now.conn(), now.gads()) == h.w.server_digest("170151"));

    // Released from v1, the same device negotiates the current version at its next sync.
    h.w.sync_ok(old);
    CHECK(old.meta("protocol_version") == std::to_string(protocol::current_version));
}

TEST_CASE("v1: a v1 client behind the horizon is served incrementally; updated to v2 it gets a snapshot") {
    horizon_world h;
    auto& a = h.add_device("170151");
    auto& old = h.add_device("170151");
    auto gone = h.add(a, "Se borrará");
    h.w.sync_ok(a);
    REQUIRE(minga::sync(old, h.w.transport(), as_v1()).ok());
    h.remove(a, gone);
    h.w.sync_ok(a);
    h.mc.now_ms += 200 * day_ms;
    auto fresh = h.add(a, "Nuevo");
    h.w.sync_ok(a);
    REQUIRE(h.compact(180).purged == 1);
    REQUIRE(h.cursor(old) < tombstone_horizon(h.w.server->conn()));

    v1_transport t{h.w};
    REQUIRE(minga::sync(old, t.fn(), as_v1()).ok());
    // Every live change arrives (incrementally, one page here), but a v1 client cannot take a
    // snapshot: the row whose deletion was purged stays on it until it is updated to v2.
    CHECK(t.pages == 1);
    CHECK(title_of(old.conn(), fresh) == "Nuevo");
    CHECK(old.conn().scalar_int("SELECT deleted FROM agreement WHERE id = '" + gone + "'") == 0);
    CHECK(scope_digest(old.conn(), old.gads()) != h.w.server_digest("170151"));
    CHECK(h.cursor(old) >= tombstone_horizon(h.w.server->conn()));

    auto due = "SELECT snapshot_due FROM device WHERE id = '" + old.device_id() + "'";
    CHECK(h.w.server->conn().scalar_int(due) == 1);

    // Updated to v2, its cursor is past the horizon by now, but the server remembers: the first
    // v2 pull is a snapshot, and the stale row goes.
    h.w.sync_ok(old);
    CHECK(old.meta("protocol_version") == std::to_string(protocol::current_version));
    CHECK(rows_with_id(old.conn(), "agreement", gone) == 0);
    CHECK(scope_digest(old.conn(), old.gads()) == h.w.server_digest("170151"));
    CHECK(h.w.server->conn().scalar_int(due) == 0);
}
