// The demand plan with the real programs: a parish tablet records demands (`minga demand add`),
// syncs them to a real minga-server, the central office loads exchange rates (`minga-server fx
// import`) and exports the plan (`minga-server export demand-plan`, `report --by demand-...`).
// Bad codes, bad CSV rows and values of the wrong type are refused naming the field (and the
// line), and nothing is written on either side.
#include "server_fixture.hpp"

#include <minga/shared/csv.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>

using namespace minga::test;

namespace {

constexpr const char* gad = "170151";

fs::path central_db(const minga_server& s) { return s.data_dir() / "central.db"; }

/// The CSV row of the plan export whose title is `title`, as column -> cell.
std::map<std::string, std::string> plan_row(const std::string& csv_text, const std::string& title) {
    auto rd = minga::csv::reader::open(csv_text);
    REQUIRE(rd.ok());
    const auto header = rd->header();
    for (;;) {
        auto row = rd->next();
        REQUIRE(row.ok());
        if (!row->has_value()) break;
        std::map<std::string, std::string> out;
        for (std::size_t i = 0; i < header.size(); ++i) out[header[i]] = std::string((**row)[i]);
        if (out["titulo"] == title) return out;
    }
    FAIL("no plan row titled " << title);
    return {};
}

/// A refused run: exit 2, the field (and line) named on stderr.
void refused(const process_result& r, std::initializer_list<std::string_view> named) {
    INFO(r.describe());
    CHECK(r.exited(2));
    for (auto n : named) CHECK(r.err.find(n) != std::string::npos);
}

}  // namespace

TEST_CASE("demand plan cli: bad demands on the tablet are refused naming the field, nothing written",
          "[integration][demand]") {
    minga_client parish;
    parish.init(gad);
    const auto before = parish.dump();
    const std::vector<std::string> base{"demand", "add", "--title", "Riego", "--modality", "mixta"};
    auto with = [&](std::vector<std::string> extra) {
        auto args = base;
        if (std::find(extra.begin(), extra.end(), "--year") == extra.end()) extra.insert(extra.end(), {"--year", "2026"});
        args.insert(args.end(), extra.begin(), extra.end());
        return parish.run(args);
    };
    refused(with({"--sdg", "18"}), {"--sdg"});                     // no SDG 18
    refused(with({"--sdg", "15.99"}), {"--sdg"});                  // no such target of SDG 15
    refused(with({"--sector", "99999"}), {"--sector"});            // not a DAC sector
    refused(with({"--territory", "999999"}), {"--territory"});     // not an INEC code
    refused(with({"--source", "extraterrestre"}), {"--source"});   // not a CINR source
    refused(with({"--priority", "urgente"}), {"--priority"});
    refused(with({"--year", "dos mil"}), {"--year"});              // wrong type
    refused(with({"--year", "1999"}), {"--year", "2000"});         // outside 2000..2100
    refused(with({"--amount", "mucho"}), {"--amount"});            // wrong type
    refused(with({"--currency", "QQQ", "--amount", "5"}), {"--currency"});
    refused(parish.run({"demand", "add", "--title", "Riego", "--year", "2026", "--modality", "no_existe"}),
            {"--modality"});
    refused(parish.run({"demand", "add", "--title", "Riego", "--modality", "mixta"}), {"--year"});  // missing
    auto en = parish.run({"--lang", "en", "demand", "add", "--title", "Riego", "--modality", "mixta", "--year", "x"});
    refused(en, {"--year"});
    CHECK(en.err != with({"--year", "x"}).err);  // English, not the Spanish text
    CHECK(parish.dump() == before);
}

TEST_CASE("demand plan cli: demands synced, rates imported and the plan exported, bad rate files write nothing",
          "[integration][demand]") {
    minga_server server;
    server.start();
    minga_client parish;
    parish.init(gad);
    ok_json(parish, server.enroll_args(server.token(gad)));
    parish.add({"demand", "add", "--title", "Agua para Alangasí", "--year", "2026", "--modality",
                "fin_no_reembolsable", "--currency", "EUR", "--amount", "10000", "--sdg", "6", "--sector", "14030",
                "--territory", "170151", "--priority", "alta"});
    parish.add({"demand", "add", "--title", "Reforestación", "--year", "2026", "--modality", "tecnica_asesoria",
                "--amount", "2500", "--sdg", "15.3"});
    parish.add({"demand", "add", "--title", "Vialidad", "--year", "2027", "--modality", "mixta"});
    ok_json(parish, {"sync"});

    // No rate yet: the euro demand is counted as unconverted, never 1:1.
    auto plan = server.run_json({"export", "demand-plan", "--year", "2026", "--format", "json"});
    CHECK(plan.at("totals").at("demands") == 2);
    CHECK(plan.at("totals").at("unconverted_demands") == 1);
    CHECK(plan.at("totals").at("estimated_usd_cents") == 250000);

    // Bad rate files: the line (and column) named, nothing written.
    const auto central_before = dump_database(central_db(server));
    temp_dir files("minga-fx");
    auto import = [&](const std::string& name, const std::string& text) {
        // One bad file each; the rate file that works is written below.
        const auto path = files / name;
        std::ofstream(path, std::ios::binary) << text;
        return server.run({"fx", "import", path.string()});
    };
    const std::string head = "currency,valid_from,usd_per_unit\n";
    refused(import("tipo.csv", head + "EUR,2026-01-01,1.10\nGBP,2026-01-01,uno\n"), {"línea 3", "usd_per_unit"});
    refused(import("doble.csv", head + "EUR,2026-01-01,1.10\nEUR,2026-01-01,1.20\n"),
            {"línea 3", "ya aparece en la línea 2"});
    refused(import("fecha.csv", head + "EUR,2026-13-01,1.10\n"), {"línea 2", "valid_from"});
    refused(import("moneda.csv", head + "EUR,2026-01-01,1.10\nZZZ,2026-01-01,2\n"), {"línea 3", "currency"});
    refused(import("dolar.csv", head + "USD,2026-01-01,1\n"), {"línea 2", "currency"});
    refused(import("columna.csv", "moneda,valid_from,usd_per_unit\nEUR,2026-01-01,1.10\n"), {"línea 1", "moneda"});
    refused(import("vacio.csv", head), {"file"});
    CHECK(dump_database(central_db(server)) == central_before);

    const auto rates = files / "tasas.csv";
    std::ofstream(rates, std::ios::binary) << head << "EUR,2026-01-01,1.10\n";
    CHECK(server.run_json({"fx", "import", rates.string()}).at("inserted") == 1);

    // Now converted at the rate of January 1st of the demand's year.
    plan = server.run_json({"export", "demand-plan", "--year", "2026", "--format", "json"});
    CHECK(plan.at("totals").at("demands") == 2);
    CHECK(plan.at("totals").at("unconverted_demands") == 0);
    CHECK(plan.at("totals").at("estimated_usd_cents") == 250000 + 1100000);
    CHECK(plan.at("totals").at("high_priority") == 1);
    auto csv = server.run({"export", "demand-plan", "--year", "2026", "--on", "2026-06-01"});
    REQUIRE(csv.exited(0));
    const auto water = plan_row(csv.out, "Agua para Alangasí");
    CHECK(water.at("monto_estimado_usd") == "11000.00");
    CHECK(water.at("prioridad") == "alta");
    CHECK(plan_row(csv.out, "Reforestación").at("monto_estimado_usd") == "2500.00");
    CHECK(csv.out.find("Vialidad") == std::string::npos);  // another year
    auto all_years = server.run_json({"export", "demand-plan", "--format", "json"});
    CHECK(all_years.at("totals").at("demands") == 3);
    auto by_province = server.run_json({"report", "--by", "demand-province", "--format", "json"});
    CHECK(by_province.at("totals").at("demands") == 3);

    // Bad arguments on the server: refused naming the option, nothing written.
    const auto central_after = dump_database(central_db(server));
    refused(server.run({"export", "demand-plan", "--year", "dosmil"}), {"--year"});
    refused(server.run({"export", "demand-plan", "--year", "1999"}), {"--year"});
    refused(server.run({"export", "demand-plan", "--on", "2026-13-01"}), {"--on"});
    refused(server.run({"export", "demand-plan", "--format", "xml"}), {"--format"});
    refused(server.run({"report", "--by", "demand-colour"}), {"demand-colour"});
    auto en = server.run({"--lang", "en", "export", "demand-plan", "--on", "2026-13-01"});
    refused(en, {"--on"});
    CHECK(en.err != server.run({"export", "demand-plan", "--on", "2026-13-01"}).err);
    CHECK(dump_database(central_db(server)) == central_after);
}
