// The live schema: STRICT types, CHECKs, NOT NULL and foreign keys refuse bad rows; and the
// compiled-in entity specs and table list agree with it (spec/schema drift is caught here,
// before a write fails at run time with a constraint error instead of a message for people).
#include "replica_fixture.hpp"

#include <minga/shared/entity.hpp>
#include <minga/shared/migrate.hpp>
#include <minga/shared/sqlite.hpp>
#include <minga/shared/tables.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>

using namespace minga;

namespace {

sql::db latest_db() {
    sql::db db(":memory:");
    auto v = migrate(db);
    REQUIRE(v.ok());
    return db;
}

/// True when `statement` is refused with a constraint error (STRICT type, CHECK, NOT NULL,
/// UNIQUE, FOREIGN KEY): any other outcome, success included, is false.
bool refused(sql::db& db, const std::string& statement) {
    try {
        db.exec(statement);
    } catch (const sql::sql_error& e) {
        return e.is_constraint();
    }
    return false;
}

const char* valid_agreement =
    "INSERT INTO agreement(id, owner_gad, kind, title, status, hlc) VALUES "
    "('a1', '170151', 'convenio_marco', 'T', 'vigente', 1)";

std::set<std::string> table_columns(sql::db& db, std::string_view table) {
    std::set<std::string> cols;
    auto s = db.prepare("SELECT name FROM pragma_table_info(?1)");
    s.bind(1, table);
    while (s.step()) cols.insert(s.get_text(0));
    return cols;
}

std::set<std::string> schema_tables(sql::db& db) {
    std::set<std::string> names;
    auto s = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    while (s.step()) names.insert(s.get_text(0));
    return names;
}

std::string table_sql(sql::db& db, std::string_view table) {
    auto s = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1");
    s.bind(1, table);
    REQUIRE(s.step());
    return s.get_text(0);
}

/// The definition of `column` in a CREATE TABLE statement ("" if none), comments removed.
std::string column_definition(const std::string& create, const std::string& column) {
    std::string text;  // without -- comments (string literals here never hold "--")
    for (std::size_t i = 0; i < create.size(); ++i) {
        if (create.compare(i, 2, "--") == 0) {
            while (i < create.size() && create[i] != '\n') ++i;
        }
        if (i < create.size()) text += create[i];
    }
    auto open = text.find('(');
    int depth = 0;
    std::string item;
    std::vector<std::string> items;
    bool quoted = false;
    for (std::size_t i = open + 1; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\'') quoted = !quoted;
        if (!quoted && c == '(') ++depth;
        if (!quoted && c == ')' && depth-- == 0) break;
        if (!quoted && c == ',' && depth == 0) {
            items.push_back(item);
            item.clear();
            continue;
        }
        item += c;
    }
    items.push_back(item);
    for (auto& it : items) {
        std::istringstream ss(it);
        std::string first;
        ss >> first;
        if (first == column) return it;
    }
    return {};
}

/// The CHECK expression inside a column definition, with its parentheses ("" if none).
std::string check_expression(const std::string& def) {
    auto at = def.find("CHECK");
    if (at == std::string::npos) return {};
    auto open = def.find('(', at);
    int depth = 0;
    for (std::size_t i = open; i < def.size(); ++i) {
        if (def[i] == '(') ++depth;
        if (def[i] == ')' && --depth == 0) return def.substr(open, i - open + 1);
    }
    return {};
}

/// The value as a STRICT column of `declared` type would store it: lossless text -> INTEGER
/// and INTEGER -> REAL conversions, as SQLite (and the form checker's normalising) do; a
/// value that cannot be converted is returned unchanged (and the CHECK sees it as is).
sql::value as_stored(const std::string& declared, const sql::value& v) {
    if (declared == "INTEGER") {
        if (const auto* t = std::get_if<std::string>(&v)) {
            std::int64_t n = 0;
            auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), n);
            if (ec == std::errc() && p == t->data() + t->size()) return n;
        }
    } else if (declared == "REAL") {
        if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    }
    return v;
}

std::string declared_type(sql::db& db, std::string_view table, std::string_view column) {
    auto s = db.prepare("SELECT type FROM pragma_table_info(?1) WHERE name = ?2");
    s.bind(1, table).bind(2, column);
    return s.step() ? s.get_text(0) : std::string();
}

/// Evaluates a column CHECK expression for one value (as the column would store it), with
/// SQLite itself.
bool check_accepts(sql::db& db, const std::string& column, const std::string& expr, const sql::value& v,
                   const std::string& declared = "") {
    auto s = db.prepare("SELECT count(*) FROM (SELECT ?1 AS " + column + ") WHERE " + expr);
    s.bind(1, as_stored(declared, v));
    REQUIRE(s.step());
    return s.get_int(0) == 1;
}

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

}  // namespace

TEST_CASE("store: STRICT tables refuse values of the wrong type", "[store][schema]") {
    auto db = latest_db();
    REQUIRE_FALSE(refused(db, valid_agreement));  // the control row is fine
    CHECK(refused(db, "INSERT INTO agreement(id, owner_gad, kind, title, status, hlc) VALUES "
                      "('a2', '170151', 'convenio_marco', 'T', 'vigente', 'not a clock')"));
    CHECK(refused(db, "INSERT INTO agreement(id, owner_gad, kind, title, status, hlc, cooperant_amount) VALUES "
                      "('a3', '170151', 'convenio_marco', 'T', 'vigente', 1, 12.5)"));
    CHECK(refused(db, "INSERT INTO observation(id, owner_gad, indicator_id, observed_on, value, device_id, hlc) "
                      "VALUES ('o1', '170151', 'i', '2025-01-01', 'doce', 'd', 1)"));
    CHECK(refused(db, "INSERT INTO outbox(tbl, row_id, op, hlc, owner_gad, fields) VALUES "
                      "('agreement', 'a1', 1, 1, '170151', 'not a blob')"));
    CHECK(db.scalar_int("SELECT count(*) FROM agreement") == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM observation") == 0);
    CHECK(db.scalar_int("SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("store: CHECK and NOT NULL and UNIQUE and foreign keys refuse bad rows", "[store][schema]") {
    auto db = latest_db();
    REQUIRE_FALSE(refused(db, valid_agreement));
    SECTION("CHECKs") {
        CHECK(refused(db, "INSERT INTO agreement(id, owner_gad, kind, title, status, hlc) VALUES "
                          "('b1', '170151', 'convenio', 'T', 'vigente', 1)"));
        CHECK(refused(db, "INSERT INTO agreement(id, owner_gad, kind, title, status, hlc, cooperant_amount) "
                          "VALUES ('b2', '170151', 'convenio_marco', 'T', 'vigente', 1, -5)"));
        CHECK(refused(db, "UPDATE agreement SET deleted = 2 WHERE id = 'a1'"));
        CHECK(refused(db, "INSERT INTO observation(id, owner_gad, indicator_id, observed_on, value, device_id, "
                          "hlc, lat) VALUES ('o1', '170151', 'i', '2025-01-01', 1.0, 'd', 1, -0.2)"));
        CHECK(refused(db, "INSERT INTO observation(id, owner_gad, indicator_id, observed_on, value, device_id, "
                          "hlc, lat, lon) VALUES ('o2', '170151', 'i', '2025-01-01', 1.0, 'd', 1, 91, 0)"));
        CHECK(refused(db, "INSERT INTO outbox(tbl, row_id, op, hlc, owner_gad, fields) VALUES "
                          "('agreement', 'a1', 3, 1, '170151', x'80')"));
        CHECK(refused(db, "INSERT INTO territorial_unit(code, level, name, kind) VALUES ('1A', 1, 'X', 'provincia')"));
        CHECK(refused(db, "INSERT INTO reporting_period(id, owner_gad, indicator_id, period_start, period_end, hlc) "
                          "VALUES ('p1', '170151', 'i', '2025-06-01', '2025-01-01', 1)"));
        CHECK(refused(db, "INSERT INTO sdg(goal, name_es, title_es, name_en, color) VALUES (18, 'x', 'x', 'x', '#000')"));
    }
    SECTION("NOT NULL and UNIQUE") {
        CHECK(refused(db, "INSERT INTO agreement(id, owner_gad, kind, status, hlc) VALUES "
                          "('c1', '170151', 'convenio_marco', 'vigente', 1)"));
        CHECK(refused(db, "INSERT INTO agreement(id, owner_gad, kind, title, status) VALUES "
                          "('c2', '170151', 'convenio_marco', 'T', 'vigente')"));
        CHECK(refused(db, valid_agreement));  // same id again
    }
    SECTION("foreign keys to reference data are enforced") {
        REQUIRE_FALSE(refused(db, "INSERT INTO sdg(goal, name_es, title_es, name_en, color) VALUES "
                                  "(6, 'Agua', 'Agua limpia', 'Water', '#26BDE2')"));
        REQUIRE_FALSE(refused(db, "INSERT INTO project_sdg(id, owner_gad, project_id, goal, hlc) VALUES "
                                  "('s6', '170151', 'p', 6, 1)"));
        CHECK(refused(db, "INSERT INTO project_sdg(id, owner_gad, project_id, goal, hlc) VALUES "
                          "('s7', '170151', 'p', 7, 1)"));
        CHECK(refused(db, "INSERT INTO project_location(id, owner_gad, project_id, territory, hlc) VALUES "
                          "('l1', '170151', 'p', '999999', 1)"));
    }
    CHECK(db.scalar_int("SELECT count(*) FROM agreement") == 1);
    CHECK(db.scalar_int("SELECT count(*) FROM outbox") == 0);
    CHECK(db.scalar_int("SELECT count(*) FROM observation") == 0);
}

TEST_CASE("store: every synced table exists with the envelope of its ownership class",
          "[store][schema][drift]") {
    auto db = latest_db();
    auto tables = schema_tables(db);
    std::set<std::string> listed;
    for (const auto& t : synced_tables()) {
        INFO("table " << t.name);
        listed.insert(std::string(t.name));
        REQUIRE(tables.count(std::string(t.name)) == 1);
        auto cols = table_columns(db, t.name);
        CHECK(cols.count("deleted") == 1);
        if (t.owner == ownership::gad) {
            for (const char* c : {"id", "owner_gad", "hlc"}) CHECK(cols.count(c) == 1);
            CHECK(cols.count("rev") == 0);
        } else {
            CHECK(cols.count("rev") == 1);
            CHECK(cols.count("owner_gad") == 0);
        }
        auto payload = payload_columns(db, t.name);
        CHECK_FALSE(payload.empty());
        for (const auto& c : payload) {
            CHECK(c != "id");
            CHECK(c != "owner_gad");
            CHECK(c != "hlc");
            CHECK(c != "deleted");
            CHECK(c != "rev");
        }
        CHECK(find_table(t.name).has_value());
    }
    // A table with owner_gad that sync does not know about would never leave the device.
    for (const auto& name : tables) {
        INFO("table " << name);
        if (name == "outbox" || table_columns(db, name).count("owner_gad") == 0) continue;
        CHECK(listed.count(name) == 1);
    }
    CHECK_FALSE(find_table("no_such_table").has_value());
    CHECK_FALSE(find_table("outbox").has_value());
}

TEST_CASE("store: every entity spec column exists in the live schema", "[store][schema][drift]") {
    auto db = latest_db();
    auto tables = schema_tables(db);
    for (const auto& e : entities()) {
        INFO("kind " << e.kind << " (table " << e.table << ")");
        REQUIRE(tables.count(std::string(e.table)) == 1);
        auto payload = payload_columns(db, e.table);
        std::set<std::string> cols(payload.begin(), payload.end());
        auto all = table_columns(db, e.table);
        CHECK(all.count(std::string(e.id_column)) == 1);
        auto t = find_table(e.table);
        REQUIRE(t.has_value());
        CHECK(e.writable == (t->owner == ownership::gad));
        if (!e.owner_from.empty()) CHECK(cols.count(std::string(e.owner_from)) == 1);
        for (const auto& c : split(e.list_columns, ',')) {
            INFO("list column " << c);
            CHECK(all.count(c) == 1);
        }
        std::set<std::string_view> options;
        for (const auto& f : e.fields) {
            INFO("field --" << f.option << " -> " << f.column);
            CHECK(options.insert(f.option).second);  // option names are unique within a kind
            if (is_set_kind(f.kind)) {
                CHECK(cols.count(std::string(f.column)) == 0);  // a set is child rows, not a column
                continue;
            }
            CHECK(cols.count(std::string(f.column)) == 1);
            if (f.kind == field_kind::ref) {
                CHECK(tables.count(std::string(f.arg)) == 1);
                CHECK(find_table(f.arg).has_value());
            }
            if (f.kind == field_kind::money) CHECK(cols.count(std::string(f.arg)) == 1);
        }
    }
}

TEST_CASE("store: every value a spec accepts passes the column's CHECK", "[store][schema][drift]") {
    // A value the form accepts but the schema refuses would fail at write time as a database
    // error (exit 1) instead of a message naming the field (exit 2).
    auto db = latest_db();
    for (const auto& e : entities()) {
        if (!e.writable) continue;
        auto create = table_sql(db, e.table);
        for (const auto& f : e.fields) {
            if (f.kind != field_kind::choice && f.kind != field_kind::integer) continue;
            auto expr = check_expression(column_definition(create, std::string(f.column)));
            if (expr.empty()) continue;
            const auto type = declared_type(db, e.table, f.column);
            INFO(e.table << "." << f.column << " CHECK " << expr);
            if (f.kind == field_kind::choice) {
                for (const auto& v : split(f.arg, '|')) {
                    INFO("value '" << v << "'");
                    CHECK(check_accepts(db, std::string(f.column), expr, sql::value(v), type));
                }
            } else if (!f.arg.empty()) {
                auto bounds = split(f.arg, '.');  // "min..max" -> {min, "", max}
                REQUIRE(bounds.size() == 3);
                std::int64_t lo = std::stoll(bounds[0]), hi = std::stoll(bounds[2]);
                if (hi - lo > 1000) {
                    CHECK(check_accepts(db, std::string(f.column), expr, sql::value(lo), type));
                    CHECK(check_accepts(db, std::string(f.column), expr, sql::value(hi), type));
                    continue;
                }
                for (auto n = lo; n <= hi; ++n) {
                    INFO("value " << n);
                    CHECK(check_accepts(db, std::string(f.column), expr, sql::value(n), type));
                }
            }
        }
    }
}

TEST_CASE("store: codelists named by the specs exist in the shipped reference data",
          "[store][schema][drift]") {
    test::temp_replica r;
    for (const auto& e : entities()) {
        for (const auto& f : e.fields) {
            if (f.kind != field_kind::codelist) continue;
            INFO(e.kind << " --" << f.option << " codelist " << f.arg);
            auto s = r->conn().prepare("SELECT count(*) FROM codelist WHERE list = ?1 AND active = 1");
            s.bind(1, f.arg);
            REQUIRE(s.step());
            CHECK(s.get_int(0) > 0);
        }
    }
}

TEST_CASE("store: the CHECK parser used by the drift tests reads the schema", "[store][schema][drift]") {
    // Guards the helper itself: if it stopped finding CHECKs the drift test would pass vacuously.
    auto db = latest_db();
    auto kind = check_expression(column_definition(table_sql(db, "agreement"), "kind"));
    CHECK(kind.find("convenio_marco") != std::string::npos);
    CHECK(check_accepts(db, "kind", kind, sql::value(std::string("adenda"))));
    CHECK_FALSE(check_accepts(db, "kind", kind, sql::value(std::string("convenio"))));
    auto type = check_expression(column_definition(table_sql(db, "project_result"), "type"));
    CHECK(type == "(type IN (1,2,3,9))");
    CHECK(check_accepts(db, "type", type, sql::value(std::string("9")), "INTEGER"));
    CHECK_FALSE(check_accepts(db, "type", type, sql::value(std::string("4")), "INTEGER"));
    CHECK_FALSE(check_accepts(db, "type", type, sql::value(std::string("9")), "TEXT"));
    CHECK(check_expression(column_definition(table_sql(db, "offer"), "sectors")).empty());
    CHECK(column_definition(table_sql(db, "offer"), "eligible").find("TEXT") != std::string::npos);
}
