// Tests of tests/support/db_dump.hpp: the bad-input suite proves "nothing was written" by
// comparing dumps, so a dump must change with any write, outbox and sequence included.
#include "cli_fixture.hpp"

#include <minga/shared/migrate.hpp>
#include <minga/shared/sqlite.hpp>

#include <set>

using namespace minga::test;

TEST_CASE("support: a database dump changes with every kind of write", "[support]") {
    minga_client c;
    c.init();
    const auto initial = c.dump();
    CHECK(initial == c.dump());  // deterministic
    CHECK(initial.find("table outbox (0 rows)") != std::string::npos);
    CHECK(initial.find("table territorial_unit (") != std::string::npos);
    CHECK(initial.find("user_version " + std::to_string(minga::latest_schema_version())) != std::string::npos);

    auto id = c.add({"agreement", "add", "--title", "A", "--kind", "adenda", "--status", "vigente"});
    const auto one = c.dump();
    auto diff = dump_diff(initial, one);
    CHECK_FALSE(diff.empty());
    CHECK(diff.find(id) != std::string::npos);
    CHECK(one.find("table outbox (1 rows)") != std::string::npos);

    SECTION("removing the outbox rows is still a difference: the sequence remembers them") {
        {
            minga::sql::db db(c.db_file().string());
            db.exec("DELETE FROM outbox; DELETE FROM agreement");
        }
        const auto emptied = c.dump();
        CHECK(emptied != one);
        CHECK(emptied != initial);  // sqlite_sequence still says 1
        CHECK(dump_diff(initial, emptied).find("'outbox'|i1") != std::string::npos);
    }
    SECTION("a changed value, type or metadata is a difference") {
        minga::sql::db db(c.db_file().string());
        SECTION("text") { db.exec("UPDATE agreement SET title = 'B'"); }
        SECTION("a meta value") { db.exec("UPDATE replica_meta SET value = value || 'x' WHERE key = 'gads'"); }
        SECTION("user_version") { db.set_user_version(minga::latest_schema_version() + 100); }
        SECTION("a new index") { db.exec("CREATE INDEX extra ON agreement(title)"); }
        CHECK(c.dump() != one);
    }
    SECTION("1, 1.0, '1' and NULL dump differently") {
        using minga::sql::value;
        std::set<std::string> seen{dump_value(value(std::int64_t{1})), dump_value(value(1.0)),
                                   dump_value(value(std::string("1"))), dump_value(value()),
                                   dump_value(value(minga::sql::blob{1}))};
        CHECK(seen.size() == 5);
    }
}
