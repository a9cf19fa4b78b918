// The bad-input suite: every refused input exits 2 with a message naming the field (and for a
// CSV the line), and leaves the replica byte-for-byte the same: the whole database (every
// table, the outbox and sqlite_sequence included) is dumped before and after and compared.
#include "cli_fixture.hpp"

#include <minga/shared/sqlite.hpp>

using namespace minga::test;
using nlohmann::json;

namespace {

struct bad_case {
    std::string what;
    std::vector<std::string> args;
    std::string field;   ///< must appear in the message and in the JSON error's field
    std::string detail;  ///< a further substring of the message ("" = none)
};

/// Runs `b` in text and in JSON mode; each must exit 2, name the field and write nothing.
void expect_refused(const minga_client& c, const bad_case& b) {
    auto before = c.dump();
    {
        auto r = c.run(b.args);
        INFO(b.what << "\n" << r.describe());
        CHECK(r.exited(2));
        CHECK(r.err.find(b.field) != std::string::npos);
        if (!b.detail.empty()) CHECK(r.err.find(b.detail) != std::string::npos);
        CHECK(r.out.empty());
    }
    {
        std::vector<std::string> j{"--json"};
        j.insert(j.end(), b.args.begin(), b.args.end());
        auto r = c.run(j);
        INFO(b.what << " (--json)\n" << r.describe());
        CHECK(r.exited(2));
        // A usage error from the option parser is plain text even with --json.
        if (r.err.empty()) {
            auto doc = json_of(r);
            CHECK(doc.at("ok") == false);
            auto field = doc.at("error").at("field").get<std::string>();
            auto message = doc.at("error").at("message").get<std::string>();
            CHECK((field + ": " + message).find(b.field) != std::string::npos);
        } else {
            CHECK(r.err.find(b.field) != std::string::npos);
        }
    }
    INFO(b.what);
    CHECK(dump_diff(before, c.dump()).empty());
}

std::vector<std::string> agreement_with(std::vector<std::string> extra) {
    std::vector<std::string> a{"agreement", "add", "--title", "Convenio", "--kind", "convenio_marco",
                               "--status", "vigente"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

std::vector<std::string> project_with(std::vector<std::string> extra) {
    std::vector<std::string> a{"project", "add", "--title", "Proyecto", "--modality", "fin_no_reembolsable"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
}

/// A CSV of observations: header, then `rows` data lines (line 2 onward) for `indicator`,
/// with line `bad_line` (if any) carrying `bad_value` as its value.
std::string observations_csv(const std::string& indicator, int rows, int bad_line = 0,
                             const std::string& bad_value = "") {
    std::string csv = "indicator,value,date,note\n";
    for (int line = 2; line < rows + 2; ++line) {
        std::string value = line == bad_line ? bad_value : std::to_string(line * 10);
        csv += indicator + "," + value + ",2025-01-" + (line < 10 ? "0" : "") + std::to_string(line) +
               ",fila " + std::to_string(line) + "\n";
    }
    return csv;
}

/// A valid private-company RUC (modulo 11), and the same number with a wrong check digit.
constexpr const char* good_ruc = "1790012344001";
constexpr const char* bad_check_digit_ruc = "1790012345001";

}  // namespace

TEST_CASE("bad input: command-line fields are refused with the field named and nothing written",
          "[cli][bad-input]") {
    seeded_replica s;
    const std::vector<bad_case> cases = {
        {"unknown parish code", project_with({"--location", unknown_parish}), "--location", "999999"},
        {"unknown parish code with a name", project_with({"--location", std::string(unknown_parish) + ":X"}),
         "--location", ""},
        {"SDG above 17", project_with({"--sdg", "18"}), "--sdg", "18"},
        {"SDG 0", project_with({"--sdg", "0"}), "--sdg", ""},
        {"SDG not a number", project_with({"--sdg", "seis"}), "--sdg", ""},
        {"a bad SDG after a good one", project_with({"--sdg", "6", "--sdg", "18"}), "--sdg", ""},
        {"month 13", agreement_with({"--signed-on", "2024-13-01"}), "--signed-on", "2024-13-01"},
        {"29 February of a common year", agreement_with({"--signed-on", "2023-02-29"}), "--signed-on", "2023-02-29"},
        {"two-digit year", agreement_with({"--signed-on", "24-01-01"}), "--signed-on", "24-01-01"},
        {"day/month/year", agreement_with({"--signed-on", "01/03/2024"}), "--signed-on", ""},
        {"negative amount", agreement_with({"--currency", "USD", "--cooperant-amount", "-5"}),
         "--cooperant-amount", "-5"},
        {"negative amount without currency", agreement_with({"--counterpart-amount", "-0.01"}),
         "--counterpart-amount", ""},
        {"too many decimals for USD", agreement_with({"--cooperant-amount", "1.005"}), "--cooperant-amount", ""},
        {"unknown currency", agreement_with({"--currency", "XXX", "--cooperant-amount", "5"}), "--currency", ""},
        {"RUC with establishment 000", agreement_with({"--cooperant", "1790012345000"}), "--cooperant", "RUC"},
        {"natural person's RUC with a wrong check digit", agreement_with({"--cooperant", "1712345674001"}),
         "--cooperant", "verificador"},
        // A company RUC is checked for structure only (the SRI has issued valid company RUCs
        // whose modulo-11 digit does not match), so a wrong digit is refused as unknown.
        {"company RUC with a wrong check digit", agreement_with({"--cooperant", bad_check_digit_ruc}),
         "--cooperant", bad_check_digit_ruc},
        {"RUC with province 25", agreement_with({"--cooperant", "2590012344001"}), "--cooperant", "provincia"},
        {"RUC with third digit 7", agreement_with({"--cooperant", "1770012344001"}), "--cooperant", ""},
        {"unknown option", agreement_with({"--bogus", "1"}), "--bogus", ""},
        {"unknown option on update", {"agreement", "update", s.agreement, "--bogus", "1"}, "--bogus", ""},
        {"missing title", {"agreement", "add", "--kind", "convenio_marco", "--status", "vigente"}, "--title",
         "obligatorio"},
        {"missing kind", {"agreement", "add", "--title", "T", "--status", "vigente"}, "--kind", ""},
        {"missing modality", {"project", "add", "--title", "T"}, "--modality", ""},
        {"missing indicator of an observation", {"observe", "--value", "1", "--date", "2025-01-01"},
         "--indicator", ""},
        {"empty required field", agreement_with({"--title", ""}), "--title", ""},
        {"bad choice value", {"agreement", "add", "--title", "T", "--kind", "convenio", "--status", "vigente"},
         "--kind", "convenio_marco"},
        {"bad status value", {"agreement", "add", "--title", "T", "--kind", "adenda", "--status", "activo"},
         "--status", ""},
        {"bad choice on update", {"agreement", "update", s.agreement, "--status", "cerrado"}, "--status", ""},
        {"bad codelist value", project_with({"--source", "marciana"}), "--source", ""},
        {"bad modality", {"project", "add", "--title", "T", "--modality", "regalo"}, "--modality", ""},
        {"value not a number", {"observe", "--indicator", s.indicator, "--value", "1,5", "--date", "2025-01-01"},
         "--value", ""},
        {"latitude out of range", {"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-01-01",
                                   "--lat", "91", "--lon", "0"},
         "--lat", ""},
        {"unknown indicator", {"observe", "--indicator", "0000aaaa-0000-7000-8000-000000000000", "--value", "1",
                               "--date", "2025-01-01"},
         "--indicator", ""},
        {"end before start", {"period", "add", "--indicator", s.indicator, "--start", "2025-06-01", "--end",
                              "2025-01-01"},
         "--end", ""},
        {"integer out of range", project_with({"--activity-status", "7"}), "--activity-status", ""},
        {"field given twice", agreement_with({"--title", "Otro"}), "--title", ""},
        {"unknown parish of an observation", {"observe", "--indicator", s.indicator, "--value", "1", "--date",
                                              "2025-01-01", "--territory", unknown_parish},
         "--territory", ""},
    };
    for (const auto& b : cases) expect_refused(s.c, b);
}

TEST_CASE("bad input: values the schema would refuse are caught by the form and not the database",
          "[cli][bad-input]") {
    // Each of these passes the form checks today and then fails on a schema CHECK, which the
    // CLI reports as a local database failure (exit 1) instead of naming the field (exit 2).
    seeded_replica s;
    const std::vector<bad_case> cases = {
        {"result type outside the IATI codes 1, 2, 3, 9",
         {"result", "add", "--project", s.project, "--title", "R", "--type", "5"}, "--type", ""},
        {"a latitude without a longitude",
         {"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-01-01", "--lat", "-0.2"},
         "--lon", ""},
        {"a longitude without a latitude in a CSV row",
         {"import", s.c.write_file("lon.csv", "indicator,value,date,lat,lon\n" + s.indicator +
                                                  ",1,2025-01-01,,-78.5\n").string()},
         "--lat", "2"},
    };
    for (const auto& b : cases) expect_refused(s.c, b);
}

TEST_CASE("bad input: the boundaries next to each refusal are accepted", "[cli][bad-input]") {
    // Without these, a suite that refused everything would pass the test above.
    seeded_replica s;
    {
        minga::sql::db db(s.c.db_file().string());
        db.exec(std::string("INSERT INTO organisation(id, name, ruc, org_type, cinr_source, country) "
                            "VALUES ('0190a000-0000-7000-8000-0000000000c1', 'Cooperante de prueba', '") +
                good_ruc + "', 80, NULL, 'EC')");
    }
    auto ok = [&](const std::vector<std::string>& args) {
        auto r = s.c.run_json(args);
        INFO(r.describe());
        CHECK(r.exited(0));
    };
    ok(project_with({"--location", "170150", "--location", "170151:Barrio"}));
    ok(project_with({"--sdg", "1", "--sdg", "17"}));
    ok(agreement_with({"--signed-on", "2024-02-29"}));
    ok(agreement_with({"--signed-on", "2024-12-31"}));
    ok(agreement_with({"--cooperant-amount", "0"}));
    ok(agreement_with({"--cooperant-amount", "1500.5"}));
    ok(agreement_with({"--cooperant", good_ruc}));
    ok({"agreement", "add", "--title", "T", "--kind", "adenda", "--status", "suspendido"});
    ok(project_with({"--activity-status", "6"}));
    ok({"observe", "--indicator", s.indicator, "--value", "-1.5", "--date", "2025-01-01", "--lat", "90",
        "--lon", "-180", "--territory", "170151"});
    // The cooperant given by RUC is stored as a party row of the agreement.
    CHECK(count_rows(s.c.db_file(), "agreement_party",
                     "organisation_id = '0190a000-0000-7000-8000-0000000000c1' AND role = 'cooperante'") == 1);

    SECTION("a valid RUC that no catalogue organisation has is refused, naming the field") {
        expect_refused(s.c, {"RUC not in the catalogue", agreement_with({"--cooperant", "1790012344002"}),
                             "--cooperant", "1790012344002"});
        // A natural person's RUC with the right check digit gets as far as the lookup.
        auto r = s.c.run(agreement_with({"--cooperant", "1712345675001"}));
        CHECK(r.exited(2));
        CHECK(r.err.find("1712345675001") != std::string::npos);
        CHECK(r.err.find("verificador") == std::string::npos);
    }
}

TEST_CASE("bad input: CSV imports are all or nothing and name the line and the field",
          "[cli][bad-input][csv]") {
    seeded_replica s;
    // Some observations already stored, so "nothing written" is not "the table is empty".
    REQUIRE(s.c.run({"import", s.c.write_file("ok.csv", observations_csv(s.indicator, 3)).string()}).exited(0));

    auto file = [&](const std::string& name, const std::string& text) {
        return s.c.write_file(name, text).string();
    };
    const std::string& ind = s.indicator;
    const std::vector<bad_case> cases = {
        {"a row with a missing column",
         {"import", file("short.csv", "indicator,value,date\n" + ind + ",1,2025-01-01\n" + ind + ",2\n")},
         "línea 3", "3"},
        {"a bad value on line 7 of 10", {"import", file("line7.csv", observations_csv(ind, 9, 7, "abc"))},
         "línea 7", "--value"},
        {"a bad value on the last line", {"import", file("line10.csv", observations_csv(ind, 9, 10, "1e999"))},
         "línea 10", "--value"},
        {"an unknown column",
         {"import", file("colour.csv", "indicator,value,date,colour\n" + ind + ",1,2025-01-01,rojo\n")},
         "colour", ""},
        {"a missing required column", {"import", file("nodate.csv", "indicator,value\n" + ind + ",1\n")},
         "date", ""},
        {"a bad date", {"import", file("date.csv", "indicator,value,date\n" + ind + ",1,2025-02-30\n")},
         "línea 2", "--date"},
        {"an unknown indicator",
         {"import", file("ind.csv", "indicator,value,date\n" + ind + ",1,2025-01-01\n"
                                    "0000aaaa-0000-7000-8000-000000000000,1,2025-01-01\n")},
         "línea 3", "--indicator"},
        {"an extra column in a row",
         {"import", file("long.csv", "indicator,value,date\n" + ind + ",1,2025-01-01,extra\n")}, "línea 2", ""},
        {"a header only", {"import", file("empty.csv", "indicator,value,date\n")}, "CSV", ""},
        {"an unterminated quote",
         {"import", file("quote.csv", "indicator,value,date,note\n" + ind + ",1,2025-01-01,\"abierta\n")},
         "línea", ""},
    };
    for (const auto& b : cases) expect_refused(s.c, b);
}

TEST_CASE("bad input: CSV errors in English name the line in English", "[cli][bad-input][csv][lang]") {
    seeded_replica s;
    auto f7 = s.c.write_file("line7.csv", observations_csv(s.indicator, 9, 7, "abc")).string();
    auto r = s.c.run({"--lang", "en", "import", f7});
    INFO(r.describe());
    CHECK(r.exited(2));
    CHECK(r.err.find("line 7") != std::string::npos);
    CHECK(r.err.find("--value") != std::string::npos);
    CHECK(r.err.find("línea") == std::string::npos);

    auto f3 = s.c.write_file("short.csv", "indicator,value,date\n" + s.indicator + ",2\n").string();
    auto r3 = s.c.run({"--lang", "en", "import", f3});
    INFO(r3.describe());
    CHECK(r3.exited(2));
    // The line is named once, in English.
    CHECK(r3.err.find("line 2") != std::string::npos);
    CHECK(r3.err.find("line 2") == r3.err.rfind("line 2"));
    CHECK(r3.err.find("línea") == std::string::npos);
}

TEST_CASE("bad input: init with an unknown GAD code leaves no replica behind", "[cli][bad-input]") {
    for (const char* gad : {unknown_parish, "170150", "", "abc", "17015"}) {
        minga_client c;
        auto r = c.run({"init", "--gad", gad});
        INFO("gad '" << gad << "'\n" << r.describe());
        CHECK(r.exited(2));
        CHECK(r.err.find("--gad") != std::string::npos);
        CHECK_FALSE(fs::exists(c.db_file()));
        CHECK_FALSE(fs::exists(c.data_dir() / "minga.db.init"));
        // And the folder is still usable for a good code.
        CHECK(c.run({"init", "--gad", test_gad}).exited(0));
    }
}

TEST_CASE("bad input: usage errors exit 2 and say where to look", "[cli][bad-input]") {
    seeded_replica s;
    auto before = s.c.dump();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {},                              // no command
             {"frobnicate"},                  // unknown command
             {"agreement"},                   // noun without a verb
             {"agreement", "show"},           // missing id
             {"list", "planet"},              // unknown kind
             {"observe", "--value"},          // option without its value
         }) {
        auto r = s.c.run(args);
        INFO(r.describe());
        CHECK(r.exited(2));
    }
    auto u = s.c.run({"agreement", "add", "--title", "T", "--kind", "adenda", "--status", "vigente", "--bogus", "1"});
    CHECK(u.err.find("vea `minga --help`") != std::string::npos);
    CHECK(dump_diff(before, s.c.dump()).empty());
}
