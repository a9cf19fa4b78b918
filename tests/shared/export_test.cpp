// The registry CSV and the IATI XML of a synced, consolidated dataset (export_fixture.hpp):
// values checked against figures computed by hand, XML validated with xmllint against the
// official IATI 2.03 XSD (data/iati/schema-2.03/).
#include "export_fixture.hpp"
#include "process.hpp"

#include <minga/shared/csv.hpp>
#include <minga/shared/export.hpp>

#include <cstdlib>
#include <map>

using namespace minga;
using minga::testing::export_world;

namespace {

using row = std::map<std::string, std::string>;

/// The CSV's rows by project id (each row: column -> value), read with the product's own
/// RFC 4180 reader (an independent parser from the writer).
std::map<std::string, row> rows_by_project(const std::string& csv) {
    auto rd = csv::reader::open(std::string_view(csv));
    REQUIRE(rd.ok());
    std::map<std::string, row> out;
    const auto header = rd->header();
    for (;;) {
        auto rec = rd->next();
        REQUIRE(rec.ok());
        if (!*rec) break;
        row r;
        for (std::size_t i = 0; i < header.size(); ++i) r[header[i]] = std::string((**rec)[i]);
        out[r.at("proyecto_id")] = r;
    }
    return out;
}

/// xmllint on PATH, or nullopt. In CI (CI=true) its absence is a failure, not a skip.
std::optional<std::filesystem::path> xmllint() {
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/bin"}) {
        std::filesystem::path p = std::filesystem::path(dir) / "xmllint";
        if (std::filesystem::exists(p)) return p;
    }
    if (const char* ci = std::getenv("CI"); ci && std::string_view(ci) == "true")
        FAIL("xmllint is missing: install libxml2-utils (scripts/install-deps.sh)");
    WARN("xmllint not installed: IATI XSD validation skipped on this machine (apt install libxml2-utils)");
    return std::nullopt;
}

}  // namespace

TEST_CASE("export registry: one row per live project with values from the synced rows", "[export]") {
    export_world x;
    auto r = export_registry(x.w.server->conn(), {});
    REQUIRE(r.ok());
    CHECK(r->projects == 4);  // the deleted project is left out
    CHECK(r->without_usd == 0);
    auto rows = rows_by_project(r->csv);
    REQUIRE(rows.size() == 4);
    CHECK(rows.count(x.p_deleted) == 0);

    const auto& w = rows.at(x.p_water);
    CHECK(w.at("gad_codigo") == "170151");
    CHECK(w.at("proyecto_titulo") == testing::hostile_title);  // quoted and read back intact
    CHECK(w.at("proyecto_codigo_local") == "ALG-001");
    CHECK(w.at("convenio_id") == x.agreement);
    CHECK(w.at("convenio_referencia") == "CONV-2025/07, \"A\"");
    CHECK(w.at("convenio_titulo") == "Convenio \"marco\", agua & riego");
    CHECK(w.at("convenio_fecha_firma") == "2025-01-20");
    CHECK(w.at("convenio_vigencia_hasta") == "2027-01-31");
    CHECK(w.at("estado_iati") == "2");
    CHECK(w.at("estado") == "En ejecución");
    CHECK(w.at("cooperantes") == "Agencia Española de Cooperación Internacional para el Desarrollo");
    CHECK(w.at("cooperantes_pais") == "ES");
    CHECK(w.at("fuente") == "bilateral");  // from the agreement: the project names none
    CHECK(w.at("modalidad") == "fin_no_reembolsable");
    CHECK(w.at("base_comprometido") == "commitment");
    CHECK(w.at("moneda_original") == "USD");
    CHECK(w.at("comprometido_original") == "40000.00");  // the commitment, not the budget
    CHECK(w.at("desembolsado_original") == "15000.50");
    CHECK(w.at("comprometido_usd") == "40000.00");
    CHECK(w.at("desembolsado_usd") == "15000.50");
    CHECK(w.at("territorios") == "170151:50;170152:50");  // two locations, no shares: even
    CHECK(w.at("provincias") == "Pichincha");
    CHECK(w.at("ods") == "6;13");
    CHECK(w.at("sectores_cad") == "14030:60;41030:40");
    CHECK(w.at("inicio_previsto") == "2025-03-01");
    CHECK(w.at("fin_previsto") == "2026-12-31");
    CHECK(w.at("beneficiarios") == "1200");

    const auto& e = rows.at(x.p_eur);
    CHECK(e.at("base_comprometido") == "budget");
    CHECK(e.at("moneda_original") == "EUR");
    CHECK(e.at("comprometido_original") == "20000.00");
    CHECK(e.at("comprometido_usd") == "22000.00");  // 20,000 EUR × 1.10
    CHECK(e.at("fuente") == "descentralizada");

    const auto& c = rows.at(x.p_cumbe);
    CHECK(c.at("gad_codigo") == "010152");
    CHECK(c.at("base_comprometido") == "none");
    CHECK(c.at("comprometido_usd") == "0.00");
    CHECK(c.at("desembolsado_usd") == "2500.50");
    CHECK(c.at("territorios") == "010152:100");
    CHECK(c.at("provincias") == "Azuay");
    CHECK(c.at("convenio_id").empty());

    SECTION("--gad keeps one GAD's projects; an unknown GAD is refused") {
        auto one = export_registry(x.w.server->conn(), {"010152"});
        REQUIRE(one.ok());
        CHECK(one->projects == 2);
        CHECK(rows_by_project(one->csv).count(x.p_water) == 0);
        auto bad = export_registry(x.w.server->conn(), {"999999"});
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.err().code == errc::bad_input);
        CHECK(bad.err().field == "--gad");
    }
}

TEST_CASE("export registry: projects synced after the last consolidation have no USD figures", "[export]") {
    export_world x;
    const auto late = export_world::add(x.cumbe, "project", {{"title", "Nuevo"}, {"modality", "tecnica_becas"}});
    x.w.sync_ok(x.cumbe);
    auto r = export_registry(x.w.server->conn(), {});
    REQUIRE(r.ok());
    CHECK(r->without_usd == 1);
    CHECK(rows_by_project(r->csv).at(late).at("comprometido_usd").empty());
}

TEST_CASE("export iati: hostile text is escaped and every document validates against the 2.03 XSD",
          "[export]") {
    export_world x;
    auto e = export_iati(x.w.server->conn(), {"", true, 1'780'000'000'000});
    REQUIRE(e.ok());
    CHECK(e->activities == 3);
    CHECK(e->skipped_no_date == std::vector<std::string>{x.p_nodate});
    REQUIRE(e->documents.size() == 2);
    CHECK(e->documents[0].reporting_gad == "010152");
    CHECK(e->documents[1].reporting_gad == "170151");
    const auto& xml = e->documents[1].xml;
    CHECK(xml.find("Agua &amp; saneamiento &lt;&quot;El Tingo&quot;&gt; &apos;Ñandú&apos;, acción") != std::string::npos);
    CHECK(xml.find("Barrio &quot;La Cañada&quot; &amp; &lt;norte&gt;") != std::string::npos);
    CHECK(xml.find("<Tingo") == std::string::npos);
    CHECK(xml.find("<iati-identifier>EC-INEC-170151-" + x.p_water + "</iati-identifier>") != std::string::npos);
    CHECK(xml.find("<transaction><transaction-type code=\"2\"/><transaction-date iso-date=\"2025-02-01\"/>"
                   "<value currency=\"USD\" value-date=\"2025-02-01\">40000.00</value>") != std::string::npos);
    CHECK(xml.find("<tag vocabulary=\"2\" code=\"13\"/>") != std::string::npos);
    CHECK(xml.find("<sector vocabulary=\"1\" code=\"14030\" percentage=\"60\"/>") != std::string::npos);
    CHECK(xml.find("<other-identifier ref=\"CONV-2025/07, &quot;A&quot;\" type=\"A9\"/>") != std::string::npos);
    CHECK(xml.find(x.p_deleted) == std::string::npos);

    auto one = export_iati(x.w.server->conn(), {"", false, 1'780'000'000'000});
    REQUIRE(one.ok());
    REQUIRE(one->documents.size() == 1);
    CHECK(one->documents[0].activities == 3);

    auto lint = xmllint();
    if (!lint) return;
    const auto dir = testing::make_temp_dir("iati");
    const auto xsd = std::filesystem::path(MINGA_SOURCE_DIR) / "data/iati/schema-2.03/iati-activities-schema.xsd";
    std::vector<iati_document> all = e->documents;
    all.push_back(one->documents[0]);
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto file = dir / ("doc" + std::to_string(i) + ".xml");
        std::ofstream(file, std::ios::binary) << all[i].xml;
        auto r = test::run_process(*lint, {"--noout", "--nonet", "--schema", xsd.string(), file.string()});
        INFO(r.describe());
        CHECK(r.exited(0));
        CHECK(r.err.find("validates") != std::string::npos);
    }
    SECTION("the check can fail: an element out of the XSD's order is refused") {
        auto bad = one->documents[0].xml;
        const auto at = bad.find("<activity-status");
        bad.insert(at, "<tag vocabulary=\"2\" code=\"1\"/>");  // tag belongs after sector
        const auto file = dir / "bad.xml";
        std::ofstream(file, std::ios::binary) << bad;
        auto r = test::run_process(*lint, {"--noout", "--nonet", "--schema", xsd.string(), file.string()});
        CHECK_FALSE(r.exited(0));
    }
    std::filesystem::remove_all(dir);
}

TEST_CASE("export iati: results carry baselines, targets and actual values per period, and validate",
          "[export]") {
    export_world x;
    auto& r = x.alangasi;
    const auto outcome = export_world::add(r, "result", {{"project", x.p_water}, {"title", "Agua segura & <continua>"},
                                                         {"type", "2"}, {"description", "Hogares con agua"}});
    // In the result: a sum indicator with two periods; an observation assigned to the first by
    // its period, one within the second's dates, one outside both.
    const auto homes = export_world::add(r, "indicator",
                                         {{"project", x.p_water}, {"title", "Hogares conectados"}, {"unit", "hogares"},
                                          {"result", outcome}, {"baseline", "10"}, {"baseline-year", "2024"},
                                          {"target", "100"}});
    const auto p1 = export_world::add(r, "period", {{"indicator", homes}, {"start", "2025-01-01"},
                                                    {"end", "2025-06-30"}, {"target", "40"}});
    export_world::add(r, "period", {{"indicator", homes}, {"start", "2025-07-01"}, {"end", "2025-12-31"},
                                    {"target", "60"}});
    export_world::add(r, "observation", {{"indicator", homes}, {"value", "12.5"}, {"date", "2025-08-15"}, {"period", p1}});
    export_world::add(r, "observation", {{"indicator", homes}, {"value", "20"}, {"date", "2025-09-01"}});
    export_world::add(r, "observation", {{"indicator", homes}, {"value", "7"}, {"date", "2025-10-01"}});
    export_world::add(r, "observation", {{"indicator", homes}, {"value", "99"}, {"date", "2026-02-01"}});
    // In no result, no periods: a `last` indicator with a baseline but no year.
    const auto tanks = export_world::add(r, "indicator",
                                         {{"project", x.p_water}, {"title", "Tanques operativos"}, {"unit", "tanques"},
                                          {"aggregation", "last"}, {"baseline", "1"}, {"target", "8"},
                                          {"target-date", "2026-12-31"}});
    export_world::add(r, "observation", {{"indicator", tanks}, {"value", "5"}, {"date", "2025-05-01"}});
    export_world::add(r, "observation", {{"indicator", tanks}, {"value", "3"}, {"date", "2025-04-01"}});
    x.w.sync_ok(r);

    auto e = export_iati(x.w.server->conn(), {"170151", false, 1'780'000'000'000});
    REQUIRE(e.ok());
    REQUIRE(e->documents.size() == 1);
    const auto& xml = e->documents[0].xml;
    CHECK(xml.find("<result type=\"2\"><title><narrative>Agua segura &amp; &lt;continua&gt;</narrative></title>"
                   "<description><narrative>Hogares con agua</narrative></description>"
                   "<indicator measure=\"1\" ascending=\"1\"><title><narrative>Hogares conectados</narrative></title>"
                   "<description><narrative>Unidad: hogares</narrative></description>"
                   "<baseline year=\"2024\" value=\"10\"/>"
                   // first period: only the observation that names it (12.5), though dated later
                   "<period><period-start iso-date=\"2025-01-01\"/><period-end iso-date=\"2025-06-30\"/>"
                   "<target value=\"40\"/><actual value=\"12.5\"/></period>"
                   // second: the unassigned ones within its dates, summed (20 + 7)
                   "<period><period-start iso-date=\"2025-07-01\"/><period-end iso-date=\"2025-12-31\"/>"
                   "<target value=\"60\"/><actual value=\"27\"/></period></indicator></result>") !=
          std::string::npos);
    // The result-less indicator: its own result, the baseline year from the activity's first
    // date (planned start 2025-03-01), one period from first observation to the target date,
    // and `last` = the latest by date (5 on 2025-05-01).
    CHECK(xml.find("<result type=\"1\"><title><narrative>Indicadores del proyecto: Agua &amp; saneamiento") !=
          std::string::npos);
    CHECK(xml.find("<title><narrative>Tanques operativos</narrative></title><description><narrative>Unidad: "
                   "tanques</narrative></description><baseline year=\"2025\" value=\"1\"/><period><period-start "
                   "iso-date=\"2025-04-01\"/><period-end iso-date=\"2026-12-31\"/><target value=\"8\"/>"
                   "<actual value=\"5\"/></period></indicator></result>") != std::string::npos);
    // Results follow the transactions (the XSD's order) and come once per result.
    CHECK(xml.find("<result ") > xml.rfind("</transaction>"));
    CHECK(xml.find("<result type=\"2\"") == xml.rfind("<result type=\"2\""));

    auto lint = xmllint();
    if (!lint) return;
    const auto dir = testing::make_temp_dir("iati-results");
    const auto xsd = std::filesystem::path(MINGA_SOURCE_DIR) / "data/iati/schema-2.03/iati-activities-schema.xsd";
    const auto file = dir / "results.xml";
    std::ofstream(file, std::ios::binary) << xml;
    auto ok = test::run_process(*lint, {"--noout", "--nonet", "--schema", xsd.string(), file.string()});
    INFO(ok.describe());
    CHECK(ok.exited(0));
    // The check can fail: a result with no indicator is refused by the XSD.
    auto bad = xml;
    bad.insert(bad.find("<result "), "<result type=\"1\"><title><narrative>x</narrative></title></result>");
    std::ofstream(dir / "bad.xml", std::ios::binary) << bad;
    CHECK_FALSE(test::run_process(*lint, {"--noout", "--nonet", "--schema", xsd.string(), (dir / "bad.xml").string()})
                    .exited(0));
    std::filesystem::remove_all(dir);
}
