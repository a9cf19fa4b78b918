// Field observations from the CLI: `observe`, bulk `import FILE.csv`, and `status`, whose count
// of pending changes is the outbox growing with every write.
#include "cli_fixture.hpp"

#include <set>

using namespace minga::test;
using nlohmann::json;

TEST_CASE("cli: observe records a field observation with its GPS point and device", "[cli]") {
    seeded_replica s;
    auto r = s.c.run_json({"observe", "--indicator", s.indicator.substr(0, 30), "--value", "12.5", "--date",
                           "2025-02-01", "--lat", "-0.2", "--lon", "-78.5", "--note", "orilla del río, tramo 2",
                           "--sex", "mujer", "--collected-by", "técnica GAD"});
    INFO(r.describe());
    REQUIRE(r.exited(0));
    auto id = json_of(r).at("id").get<std::string>();
    CHECK(json_of(r).at("kind") == "observation");

    auto o = ok_json(s.c, {"observation", "show", id});
    CHECK(o.at("indicator_id") == s.indicator);
    CHECK(o.at("value") == 12.5);
    CHECK(o.at("observed_on") == "2025-02-01");
    CHECK(o.at("lat") == -0.2);
    CHECK(o.at("lon") == -78.5);
    CHECK(o.at("note") == "orilla del río, tramo 2");
    CHECK(o.at("sex") == "mujer");
    CHECK(o.at("collected_by") == "técnica GAD");
    CHECK(o.at("device_id") == s.device_id);
    CHECK(o.at("owner_gad") == test_gad);
    CHECK(o.at("territory").is_null());

    SECTION("the text output says what was recorded") {
        auto t = s.c.run({"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-02-02"});
        REQUIRE(t.exited(0));
        CHECK(t.out.rfind("observación registrado: ", 0) == 0);
    }
    SECTION("a period of another indicator is refused, naming --period") {
        auto other = s.c.add({"indicator", "add", "--project", s.project, "--title", "Otro", "--unit", "u"});
        auto mine = s.c.add({"period", "add", "--indicator", s.indicator, "--start", "2025-01-01", "--end", "2025-06-30"});
        auto theirs = s.c.add({"period", "add", "--indicator", other, "--start", "2025-01-01", "--end", "2025-06-30"});
        auto before = s.c.dump();
        auto bad = s.c.run({"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-02-02",
                            "--period", theirs});
        INFO(bad.describe());
        CHECK(bad.exited(2));
        CHECK(bad.err.find("--period: el período no es del indicador elegido") != std::string::npos);
        CHECK(dump_diff(before, s.c.dump()).empty());
        ok_json(s.c, {"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-02-02", "--period", mine});
    }
    SECTION("a latitude without a longitude is refused") {
        auto before = s.c.dump();
        auto bad = s.c.run({"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-02-02",
                            "--lat", "-0.2"});
        INFO("lat without lon:\n" << bad.describe());
        CHECK(bad.exited(2));
        CHECK(bad.err.find("--lon") != std::string::npos);
        CHECK(dump_diff(before, s.c.dump()).empty());
    }
}

TEST_CASE("cli: import reads a CSV of observations with all rows in one go", "[cli]") {
    seeded_replica s;
    auto second = s.c.add({"indicator", "add", "--project", s.project, "--title", "Personas capacitadas",
                           "--unit", "personas"});
    std::string csv = "indicator,value,date,lat,lon,note,sex\n" +
                      s.indicator + ",1.5,2025-01-10,,,,\n" +
                      s.indicator.substr(0, 30) + ",2,2025-01-11,-0.25,-78.45,\"nota con, coma\",\n" +
                      second + ",14,2025-01-12,,,\"dice \"\"hola\"\"\",mujer\r\n" +
                      second + ",9,2025-01-12,,,,hombre\n";
    auto file = s.c.write_file("obs.csv", csv);
    auto pending = pending_changes(s.c);

    auto r = s.c.run_json({"import", file.string()});
    INFO(r.describe());
    REQUIRE(r.exited(0));
    CHECK(json_of(r).at("ok") == true);
    CHECK(json_of(r).at("rows") == 4);
    CHECK(pending_changes(s.c) == pending + 4);

    auto first = ok_json(s.c, {"observation", "list", "--indicator", s.indicator});
    CHECK(first.at("count") == 2);
    auto other = ok_json(s.c, {"observation", "list", "--indicator", second});
    REQUIRE(other.at("count") == 2);
    std::set<std::string> notes, sexes;
    for (const auto& row : other.at("rows")) {
        auto o = ok_json(s.c, {"observation", "show", row.at("id").get<std::string>()});
        CHECK(o.at("device_id") == s.device_id);
        if (!o.at("note").is_null()) notes.insert(o.at("note").get<std::string>());
        sexes.insert(o.at("sex").get<std::string>());
    }
    CHECK(notes == std::set<std::string>{"dice \"hola\""});
    CHECK(sexes == std::set<std::string>{"mujer", "hombre"});
    for (const auto& row : first.at("rows")) {
        auto o = ok_json(s.c, {"observation", "show", row.at("id").get<std::string>()});
        if (o.at("value") == 2.0) {
            CHECK(o.at("note") == "nota con, coma");
            CHECK(o.at("lat") == -0.25);
        } else {
            CHECK(o.at("value") == 1.5);
            CHECK(o.at("note").is_null());  // empty cells are left out
            CHECK(o.at("lat").is_null());
        }
    }

    SECTION("the text output gives the row count") {
        auto t = s.c.run({"import", file.string()});
        REQUIRE(t.exited(0));
        CHECK(t.out == "Observaciones importadas: 4\n");
        auto en = s.c.run({"--lang", "en", "import", file.string()});
        CHECK(en.out == "Observations imported: 4\n");
    }
    SECTION("a file with a UTF-8 byte order mark (Excel) is read the same") {
        auto bom = s.c.write_file("bom.csv", "\xEF\xBB\xBF" "indicator,value,date\n" + s.indicator + ",7,2025-03-01\n");
        auto b = s.c.run_json({"import", bom.string()});
        INFO(b.describe());
        CHECK(b.exited(0));
        CHECK(json_of(b).at("rows") == 1);
    }
    SECTION("a file that does not exist is bad input") {
        auto before = s.c.dump();
        auto nf = s.c.run({"import", (s.c.scratch() / "nope.csv").string()});
        CHECK(nf.exited(2));
        CHECK(nf.err.find("nope.csv") != std::string::npos);
        CHECK(dump_diff(before, s.c.dump()).empty());
    }
}

TEST_CASE("cli: status shows pending changes growing with every write", "[cli]") {
    minga_client c;
    c.init();
    CHECK(pending_changes(c) == 0);
    auto text = c.run({"status"});
    REQUIRE(text.exited(0));
    CHECK(text.out.find("cambios pendientes de enviar: 0") != std::string::npos);

    auto a = c.add({"agreement", "add", "--title", "A", "--kind", "convenio_marco", "--status", "vigente"});
    CHECK(pending_changes(c) == 1);
    auto p = c.add({"project", "add", "--title", "P", "--modality", "fin_no_reembolsable", "--sdg", "6",
                    "--sdg", "15"});
    CHECK(pending_changes(c) == 4);  // the project and two SDG rows
    auto i = c.add({"indicator", "add", "--project", p, "--title", "I", "--unit", "ha"});
    CHECK(pending_changes(c) == 5);
    auto o = c.add({"observe", "--indicator", i, "--value", "1", "--date", "2025-01-01"});
    CHECK(pending_changes(c) == 6);
    auto csv = c.write_file("o.csv", "indicator,value,date\n" + i + ",2,2025-01-02\n" + i + ",3,2025-01-03\n");
    REQUIRE(c.run({"import", csv.string()}).exited(0));
    CHECK(pending_changes(c) == 8);
    ok_json(c, {"observation", "delete", o});
    CHECK(pending_changes(c) == 9);
    ok_json(c, {"project", "update", p, "--sdg", "6"});
    CHECK(pending_changes(c) == 11);  // upsert 6, tombstone 15

    // Reads and refused writes queue nothing.
    (void)ok_json(c, {"list", "observation"});
    (void)ok_json(c, {"agreement", "show", a});
    CHECK(c.run({"agreement", "add", "--title", "B", "--kind", "nope", "--status", "vigente"}).exited(2));
    CHECK(c.run({"indicator", "delete", i}).exited(2));  // two imported observations depend on it
    CHECK(pending_changes(c) == 11);
    ok_json(c, {"agreement", "delete", a});
    CHECK(pending_changes(c) == 12);

    text = c.run({"status"});
    CHECK(text.out.find("cambios pendientes de enviar: 12") != std::string::npos);
    CHECK(text.out.find("nunca") != std::string::npos);  // never synced
}
