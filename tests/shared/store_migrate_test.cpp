// Schema migrations over PRAGMA user_version: from an empty database to the latest version,
// and from a database created at every earlier version (the versions are the
// shared/src/schema/v*.sql files, so a new vN.sql is covered the day it is added).
#include "db_dump.hpp"
#include "process.hpp"

#include <minga/shared/migrate.hpp>
#include <minga/shared/sqlite.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <vector>

using namespace minga;
using std::filesystem::path;

namespace {

/// The schema files of the source tree, by version.
std::map<int, std::string> schema_files() {
    std::map<int, std::string> out;
    for (const auto& f : std::filesystem::directory_iterator(path(MINGA_SOURCE_DIR) / "shared/src/schema")) {
        // Replica migrations are v<digits>.sql (central ones are central_v<N>.sql).
        std::string name = f.path().filename().string();
        std::string digits = name.size() > 5 ? name.substr(1, name.size() - 5) : "";
        if (name.front() != 'v' || name.substr(name.size() - 4) != ".sql" || digits.empty() ||
            digits.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(f.path(), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        out.emplace(std::stoi(digits), ss.str());
    }
    return out;
}

/// The schema objects of a database (type, name, sql), one per line, sorted.
std::string schema_of(sql::db& db) {
    std::string out;
    auto s = db.prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name");
    while (s.step()) out += s.get_text(0) + " " + s.get_text(1) + ": " + s.get_text(2) + "\n";
    return out;
}

/// Rows a database at version `v` can hold, written before migrating it further; each later
/// migration must keep them. Extend this when a new version adds a table worth keeping.
void write_rows_of_version(sql::db& db, int v) {
    if (v >= 1) {
        db.exec("INSERT INTO replica_meta(key, value) VALUES ('device_id', 'dev-from-v1')");
        db.exec("INSERT INTO agreement(id, owner_gad, kind, title, status, hlc) VALUES "
                "('0190a000-0000-7000-8000-000000000001', '170151', 'convenio_marco', 'De v1', 'vigente', 42)");
        db.exec("INSERT INTO outbox(tbl, row_id, op, hlc, owner_gad, fields) VALUES "
                "('agreement', '0190a000-0000-7000-8000-000000000001', 1, 42, '170151', x'80')");
    }
}

void check_rows_of_version(sql::db& db, int v) {
    if (v >= 1) {
        CHECK(db.scalar_int("SELECT count(*) FROM replica_meta WHERE key = 'device_id' AND value = 'dev-from-v1'") == 1);
        CHECK(db.scalar_int("SELECT count(*) FROM agreement WHERE title = 'De v1' AND hlc = 42") == 1);
        CHECK(db.scalar_int("SELECT count(*) FROM outbox WHERE row_id = '0190a000-0000-7000-8000-000000000001'") == 1);
    }
}

}  // namespace

TEST_CASE("store: the schema versions start at v1 and the binary knows them all",
          "[store][migrate]") {
    // Gaps are allowed (helpers work on numbers assigned in parallel; the lead renumbers).
    auto files = schema_files();
    REQUIRE_FALSE(files.empty());
    CHECK(files.begin()->first == 1);
    CHECK(latest_schema_version() == files.rbegin()->first);
}

TEST_CASE("store: migrating an empty database reaches the latest version", "[store][migrate]") {
    sql::db db(":memory:");
    REQUIRE(db.user_version() == 0);
    auto v = migrate(db);
    REQUIRE(v.ok());
    CHECK(*v == latest_schema_version());
    CHECK(db.user_version() == latest_schema_version());

    SECTION("the result is exactly the schema files applied in order") {
        sql::db ref(":memory:");
        for (const auto& [version, text] : schema_files()) ref.exec(text);
        CHECK(schema_of(db) == schema_of(ref));
    }
    SECTION("migrating again changes nothing") {
        auto before = test::dump_database(db);
        auto again = migrate(db);
        REQUIRE(again.ok());
        CHECK(*again == latest_schema_version());
        CHECK(test::dump_database(db) == before);
    }
    SECTION("a file database keeps its version across connections") {
        test::temp_dir d;
        auto file = (d / "m.db").string();
        {
            sql::db f(file);
            REQUIRE(migrate(f).ok());
        }
        sql::db f(file, sql::open_options{.create = false});
        CHECK(f.user_version() == latest_schema_version());
        CHECK(f.scalar_int("SELECT count(*) FROM sqlite_master WHERE name = 'outbox'") == 1);
    }
}

TEST_CASE("store: a database created at every earlier version migrates to the latest",
          "[store][migrate]") {
    const int latest = latest_schema_version();
    sql::db fresh(":memory:");
    REQUIRE(migrate(fresh).ok());
    const auto latest_schema = schema_of(fresh);

    std::vector<int> versions{0};
    for (const auto& [v, sql] : schema_files()) versions.push_back(v);
    for (int v : versions) {
        DYNAMIC_SECTION("from version " << v) {
            sql::db db(":memory:");
            auto at = migrate(db, v);
            REQUIRE(at.ok());
            CHECK(*at == v);
            CHECK(db.user_version() == v);
            if (v == 0) CHECK(db.scalar_int("SELECT count(*) FROM sqlite_master") == 0);
            write_rows_of_version(db, v);

            auto up = migrate(db);
            REQUIRE(up.ok());
            CHECK(*up == latest);
            CHECK(db.user_version() == latest);
            CHECK(schema_of(db) == latest_schema);
            check_rows_of_version(db, v);
        }
    }
}

TEST_CASE("store: migrating one step at a time equals migrating at once", "[store][migrate]") {
    sql::db stepwise(":memory:");
    for (const auto& [v, sql] : schema_files()) {
        auto r = migrate(stepwise, v);
        REQUIRE(r.ok());
        CHECK(*r == v);
    }
    sql::db at_once(":memory:");
    REQUIRE(migrate(at_once).ok());
    CHECK(schema_of(stepwise) == schema_of(at_once));
}

TEST_CASE("store: a database newer than the binary is refused and not downgraded", "[store][migrate]") {
    sql::db db(":memory:");
    REQUIRE(migrate(db).ok());
    db.set_user_version(latest_schema_version() + 1);
    auto before = test::dump_database(db);
    auto r = migrate(db);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::unsupported_version);
    CHECK(r.err().field == "schema");
    CHECK(db.user_version() == latest_schema_version() + 1);
    CHECK(test::dump_database(db) == before);
}

TEST_CASE("store: a failing migration step leaves the database at the last complete version",
          "[store][migrate]") {
    // A table that v1 also creates makes the v1 step fail half-way through its script.
    sql::db db(":memory:");
    db.exec("CREATE TABLE outbox(x INTEGER)");
    CHECK_THROWS_AS((void)migrate(db), sql::sql_error);
    CHECK(db.user_version() == 0);
    // Nothing of the failed step stayed: only our table exists.
    CHECK(db.scalar_int("SELECT count(*) FROM sqlite_master") == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM sqlite_master WHERE name = 'agreement'") == 0);
}
