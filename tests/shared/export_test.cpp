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
