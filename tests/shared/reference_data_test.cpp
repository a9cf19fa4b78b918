#include "refdata_fixture.hpp"

#include <minga/shared/reference_data.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>

using minga::test::loaded_db;
using minga::test::schema_db;
using minga::test::scratch_data;
using minga::test::source_data_dir;

namespace {

std::int64_t count(minga::sql::db& db, const std::string& where_sql) {
    return db.scalar_int(where_sql);
}

}  // namespace

TEST_CASE("refdata: loads the whole territory with kinds and statuses") {
    auto db = schema_db();
    minga::sql::transaction tx(db);
    auto counts = minga::load_reference_data(tx, source_data_dir());
    REQUIRE(counts.ok());
    tx.commit();
    CHECK(counts->provinces == 25);
    CHECK(counts->cantons == 225);
    CHECK(counts->parishes == 1262);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE kind = 'provincia'") == 24);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE level = 1") == 25);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE kind = 'canton' "
                    "AND status = 'vigente'") == 221);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE level = 2 "
                    "AND status = 'historico'") == 1);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE kind = 'rural'") == 800);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE kind = 'cabecera_cantonal'") ==
          221);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE kind = 'urbana'") == 238);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE kind = 'zona_no_delimitada'") ==
          7);  // zone 90, its 3 cantons and 3 parishes
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE code = '0808' "
                    "AND status = 'historico' AND name = 'LA CONCORDIA'") == 1);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE code = '01' AND name = 'Azuay' "
                    "AND iso_3166_2 = 'EC-A'") == 1);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit WHERE code = '170150' "
                    "AND parent_code = '1701' AND name = 'QUITO'") == 1);
    // Every unit below a province hangs from a unit one level up whose code prefixes its own.
    CHECK(count(db, "SELECT count(*) FROM territorial_unit c JOIN territorial_unit p "
                    "ON p.code = c.parent_code WHERE p.level <> c.level - 1 "
                    "OR substr(c.code, 1, length(p.code)) <> p.code") == 0);
}

TEST_CASE("refdata: every rural parish has a parroquial GAD") {
    auto db = loaded_db();
    CHECK(count(db, "SELECT count(*) FROM gad WHERE level = 'parroquial_rural'") == 800);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit t LEFT JOIN gad g ON g.code = t.code "
                    "AND g.level = 'parroquial_rural' WHERE t.kind = 'rural' "
                    "AND g.code IS NULL") == 0);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE code = '170151' "
                    "AND name = 'GAD Parroquial Rural de ALANGASI'") == 1);
}

TEST_CASE("refdata: one municipal GAD per current canton and one provincial per province") {
    auto db = loaded_db();
    CHECK(count(db, "SELECT count(*) FROM gad WHERE level = 'municipal'") == 221);
    CHECK(count(db, "SELECT count(*) FROM gad g JOIN territorial_unit t ON t.code = g.code "
                    "WHERE g.level = 'municipal' AND t.kind = 'canton' "
                    "AND t.status = 'vigente'") == 221);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE code IN ('0808', '90', '9001')") == 0);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE level = 'provincial'") == 24);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE code = '01' "
                    "AND name = 'GAD Provincial de Azuay'") == 1);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE code = '20' AND level = 'provincial' "
                    "AND name = 'Consejo de Gobierno del Régimen Especial de Galápagos'") == 1);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE code = '1701' "
                    "AND name = 'GAD Municipal de QUITO'") == 1);
    CHECK(count(db, "SELECT count(*) FROM gad WHERE territory IS NOT code") == 0);
    CHECK(count(db, "SELECT count(*) FROM gad") == 24 + 221 + 800);
}

TEST_CASE("refdata: SDGs, DAC sectors, currencies and code lists") {
    auto db = schema_db();
    minga::sql::transaction tx(db);
    auto counts = minga::load_reference_data(tx, source_data_dir());
    REQUIRE(counts.ok());
    CHECK(counts->sdgs == 17);
    CHECK(count(db, "SELECT count(*) FROM sdg") == 17);
    CHECK(count(db, "SELECT count(*) FROM sdg WHERE goal = 6 AND color LIKE '#%'") == 1);
    CHECK(count(db, "SELECT count(*) FROM dac_sector WHERE length(code) = 3") == 44);
    // 230 and 920 are withdrawn groups with no Spanish name.
    CHECK(count(db, "SELECT count(*) FROM dac_sector WHERE length(code) = 3 "
                    "AND name_es IS NULL") == 2);
    CHECK(count(db, "SELECT count(*) FROM dac_sector WHERE length(code) = 5 "
                    "AND parent = substr(code, 1, 3)") == 325);
    CHECK(counts->dac_sectors == 44 + 325);
    CHECK(counts->currencies == 176);
    CHECK(count(db, "SELECT minor_unit FROM currency WHERE code = 'USD'") == 2);
    CHECK(count(db, "SELECT minor_unit FROM currency WHERE code = 'JPY'") == 0);
    CHECK(count(db, "SELECT minor_unit FROM currency WHERE code = 'KWD'") == 3);
    CHECK(count(db, "SELECT minor_unit FROM currency WHERE code = 'CLF'") == 4);
    CHECK(count(db, "SELECT count(*) FROM codelist WHERE list LIKE 'cinr.%'") == 22);
    CHECK(count(db, "SELECT count(DISTINCT list) FROM codelist WHERE list LIKE 'cinr.%'") == 5);
    CHECK(count(db, "SELECT count(DISTINCT list) FROM codelist WHERE list LIKE 'iati.%'") == 16);
    // The 169 SDG targets, for demands ("15.3").
    CHECK(count(db, "SELECT count(*) FROM codelist WHERE list = 'iati.UNSDG-Targets'") == 169);
    CHECK(count(db, "SELECT count(*) FROM codelist") == counts->codelist_entries);
    CHECK(count(db, "SELECT count(*) FROM codelist WHERE list = 'cinr.modalidad' "
                    "AND code = 'fin_no_reembolsable' AND iati_code = '110 ; C01 (o B03/B04)'") ==
          1);
    CHECK(count(db, "SELECT count(*) FROM codelist WHERE list = 'iati.SectorCategory' "
                    "AND code = '112' AND name_es = 'Educación básica' "
                    "AND name_en = 'Basic Education'") == 1);
    CHECK(count(db, "SELECT count(*) FROM codelist WHERE list = 'iati.AidType' "
                    "AND code = 'C01' AND parent_code = 'C'") == 1);
    CHECK(count(db, "SELECT count(*) FROM codelist WHERE list = 'iati.Currency' "
                    "AND active = 0") == 9);
}

TEST_CASE("refdata: loading twice changes nothing") {
    auto db = schema_db();
    minga::sql::transaction tx(db);
    auto first = minga::load_reference_data(tx, source_data_dir());
    REQUIRE(first.ok());
    CHECK(first->changed == 25 + 225 + 1262 + 1045 + 17 + 369 + 176 + first->codelist_entries);
    const auto units = count(db, "SELECT count(*) FROM territorial_unit");
    auto second = minga::load_reference_data(tx, source_data_dir());
    REQUIRE(second.ok());
    CHECK(second->changed == 0);
    CHECK(second->gads == first->gads);
    CHECK(second->codelist_entries == first->codelist_entries);
    CHECK(count(db, "SELECT count(*) FROM territorial_unit") == units);
    tx.commit();
}

TEST_CASE("refdata: a changed row in a newer file is updated, and only that row") {
    scratch_data data;
    auto db = schema_db();
    minga::sql::transaction tx(db);
    REQUIRE(minga::load_reference_data(tx, data.dir()).ok());
    // Line 3 of provincias.csv is Bolívar (02).
    data.replace_line("ecuador/provincias.csv", 3, "02,Bolívar Nueva,BOLIVAR,EC-B,Guaranda,si");
    auto again = minga::load_reference_data(tx, data.dir());
    REQUIRE(again.ok());
    CHECK(again->changed == 2);  // the province and its GAD's name
    CHECK(count(db, "SELECT count(*) FROM gad WHERE code = '02' "
                    "AND name = 'GAD Provincial de Bolívar Nueva'") == 1);
}

TEST_CASE("refdata: a malformed file is refused with its name and line, and nothing is kept") {
    scratch_data data;
    data.replace_line("ecuador-dpa/cantones.csv", 14, "0113,01,EXTRA,vigente,,surplus");
    auto db = schema_db();
    minga::sql::transaction tx(db);
    auto r = minga::load_reference_data(tx, data.dir());
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == minga::errc::bad_input);
    CHECK(r.err().field == "ecuador-dpa/cantones.csv, línea 14");
    CHECK(r.err().text("en").find("ecuador-dpa/cantones.csv, line 14: ") == 0);
    // The provinces were loaded before the cantons failed; the savepoint took them back.
    CHECK(count(db, "SELECT count(*) FROM territorial_unit") == 0);
    CHECK(count(db, "SELECT count(*) FROM gad") == 0);
    tx.commit();  // even a careless caller that commits keeps nothing
    CHECK(count(db, "SELECT count(*) FROM territorial_unit") == 0);
}

TEST_CASE("refdata: bad values inside a well-formed file are refused with their line") {
    scratch_data data;
    SECTION("a parish under an unknown canton") {
        data.replace_line("ecuador-dpa/parroquias.csv", 20, "999951,9999,99,NOWHERE,rural");
        auto db = schema_db();
        minga::sql::transaction tx(db);
        auto r = minga::load_reference_data(tx, data.dir());
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().field == "ecuador-dpa/parroquias.csv, línea 20");
        CHECK(r.err().es.find("999951") != std::string::npos);
    }
    SECTION("an SDG out of range") {
        data.replace_line("ecuador/ods.csv", 5, "18,X,Y,Z,#000000");
        auto db = schema_db();
        minga::sql::transaction tx(db);
        auto r = minga::load_reference_data(tx, data.dir());
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().field == "ecuador/ods.csv, línea 5");
        CHECK(count(db, "SELECT count(*) FROM sdg") == 0);
    }
    SECTION("a quote left open swallows the next lines until the next quote") {
        data.replace_line("iati/Sector.csv", 7, "11231,\"Basic life skills,,111,active");
        auto db = schema_db();
        minga::sql::transaction tx(db);
        auto r = minga::load_reference_data(tx, data.dir());
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().field.find("iati/Sector.csv, línea ") == 0);
        CHECK(r.err().en.find("(the field opened on line 7)") != std::string::npos);
    }
    SECTION("an unterminated quote at the end of the file") {
        data.replace_line("iati/Sector.csv", 326, "99820,\"Sensitisation,,998,active");
        auto db = schema_db();
        minga::sql::transaction tx(db);
        auto r = minga::load_reference_data(tx, data.dir());
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().field == "iati/Sector.csv, línea 326");
        CHECK(r.err().en.find("unterminated quote") != std::string::npos);
    }
}

TEST_CASE("refdata: a missing file is not_found and names the file") {
    scratch_data data;
    std::filesystem::remove(data.dir() / "iati" / "FlowType.csv");
    auto db = schema_db();
    minga::sql::transaction tx(db);
    auto r = minga::load_reference_data(tx, data.dir());
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == minga::errc::not_found);
    CHECK(r.err().field == "iati/FlowType.csv");
    CHECK(count(db, "SELECT count(*) FROM codelist") == 0);
}

TEST_CASE("refdata: find_data_dir tries the environment, the binary's layouts and the source") {
    scratch_data data;  // <root>/data
    const auto root = data.dir().parent_path();
    minga::data_dir_search where;
    SECTION("build tree: <exe>/../../data") {
        where.exe_dir = root / "build" / "client";
        auto dir = minga::find_data_dir(where);
        REQUIRE(dir.ok());
        CHECK(*dir == data.dir());
    }
    SECTION("installed: <exe>/../share/minga/data") {
        std::filesystem::create_directories(root / "usr" / "share" / "minga");
        std::filesystem::copy(data.dir(), root / "usr" / "share" / "minga" / "data",
                              std::filesystem::copy_options::recursive);
        where.exe_dir = root / "usr" / "bin";
        where.source_dir = data.dir();
        auto dir = minga::find_data_dir(where);
        REQUIRE(dir.ok());
        CHECK(*dir == root / "usr" / "share" / "minga" / "data");
    }
    SECTION("compiled-in source directory as the last resort") {
        where.exe_dir = root / "nowhere" / "bin";
        where.source_dir = data.dir();
        auto dir = minga::find_data_dir(where);
        REQUIRE(dir.ok());
        CHECK(*dir == data.dir());
    }
    SECTION("the environment wins, and a wrong value is an error, not a fallback") {
        where.exe_dir = root / "build" / "client";
        where.env_dir = data.dir();
        CHECK(*minga::find_data_dir(where) == data.dir());
        where.env_dir = root / "typo";
        auto dir = minga::find_data_dir(where);
        REQUIRE_FALSE(dir.ok());
        CHECK(dir.err().field == "MINGA_REFDATA");
        CHECK(dir.err().es.find((root / "typo").string()) != std::string::npos);
    }
    SECTION("nothing found lists every place tried") {
        where.exe_dir = root / "x" / "a" / "b";
        where.source_dir = root / "src" / "data";
        auto dir = minga::find_data_dir(where);
        REQUIRE_FALSE(dir.ok());
        CHECK(dir.err().code == minga::errc::not_found);
        CHECK(dir.err().en.find((root / "x" / "a" / "share" / "minga" / "data").string()) !=
              std::string::npos);
        CHECK(dir.err().en.find((root / "x" / "data").string()) != std::string::npos);
        CHECK(dir.err().en.find((root / "src" / "data").string()) != std::string::npos);
    }
}

TEST_CASE("refdata: the test binary finds the repository's data directory") {
    // tests/test_shared sits two levels below the build root, like client/minga.
    minga::data_dir_search where = minga::default_data_dir_search();
    where.env_dir.reset();
    where.source_dir = source_data_dir();
    auto dir = minga::find_data_dir(where);
    REQUIRE(dir.ok());
    CHECK(std::filesystem::equivalent(*dir, source_data_dir()));
}

TEST_CASE("refdata: load time", "[.][timing]") {
    auto db = schema_db();
    const auto start = std::chrono::steady_clock::now();
    minga::sql::transaction tx(db);
    auto counts = minga::load_reference_data(tx, source_data_dir());
    REQUIRE(counts.ok());
    tx.commit();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    WARN("reference data loaded in " << us / 1000.0 << " ms");
}
