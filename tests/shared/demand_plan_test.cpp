// The national demand plan on the server after a real in-process sync of two GADs' demands:
// totals, the split by province, coverage and gaps, against figures worked out here by hand.
#include "offer_catalog.hpp"
#include "sync_fixture.hpp"

#include <minga/shared/application.hpp>
#include <minga/shared/catalog_import.hpp>
#include <minga/shared/demand_plan.hpp>
#include <minga/shared/demand_tuning.hpp>

#include <fstream>
#include <sstream>

using namespace minga;
using minga::testing::sync_world;

namespace {

std::string add(replica& r, const char* kind, const form& f) {
    entity_service svc(r);
    auto w = svc.add(*find_entity(kind), f);
    if (!w) FAIL(w.err().text("en"));
    return w->id;
}

const report_cell& cell(const report_table& t, std::size_t row, const std::string& column) {
    for (std::size_t i = 0; i < t.columns.size(); ++i)
        if (t.columns[i] == column) return t.rows.at(row)[i];
    FAIL("no column " << column);
    throw std::logic_error("unreachable");
}

std::int64_t num(const report_cell& c) { return std::get<std::int64_t>(c); }
std::int64_t cents(const report_cell& c) { return std::get<usd_cents>(c).cents; }

}  // namespace

TEST_CASE("demand plan: totals, provinces and gaps of the synced demands") {
    sync_world w;
    {
        std::ifstream orgs(std::string(MINGA_SOURCE_DIR) + "/data/samples/organisations.csv");
        REQUIRE(w.server->import_catalog(catalog_kind::organisations, orgs).ok());
        std::istringstream offers(
            "code,cooperant,title,modality,sectors,sdgs,closes_on,status\n"
            "OF-W,AECID,Fondo de agua,fin_no_reembolsable,14030,6,2027-12-31,abierta\n");
        REQUIRE(w.server->import_catalog(catalog_kind::offers, offers).ok());
        sql::transaction tx(w.server->conn());
        REQUIRE(put_fx_rate(tx, fx_rate{"EUR", "2025-01-01", 1.10, "prueba"}).ok());
        tx.commit();
    }
    auto& parish = w.add_device("170151");  // Pichincha
    auto& city = w.add_device("0901");      // Guayas
    w.sync_ok(parish);
    w.sync_ok(city);
    // D1: 100,000 USD, SDG 6 / 14030: the open offer fits it.
    add(parish, "demand", {{"title", "D1"}, {"year", "2026"}, {"modality", "fin_no_reembolsable"}, {"sdg", "6"},
                           {"sector", "14030"}, {"amount", "100000"}, {"priority", "alta"}});
    // D2: 50,000 EUR = 55,000 USD over Pichincha and Guayas; no offer: a gap.
    add(parish, "demand", {{"title", "D2"}, {"year", "2026"}, {"modality", "tecnica_asesoria"}, {"sdg", "15"},
                           {"sector", "31220"}, {"currency", "EUR"}, {"amount", "50000"},
                           {"territory", "170151"}, {"territory", "0901"}});
    // D3: in yen, no rate: unconverted; the offer fits it.
    add(city, "demand", {{"title", "D3"}, {"year", "2026"}, {"modality", "mixta"}, {"sdg", "6"}, {"sector", "14030"},
                         {"currency", "JPY"}, {"amount", "2000000"}});
    // D4: discarded: not in the plan.
    add(city, "demand", {{"title", "D4"}, {"year", "2026"}, {"modality", "mixta"}, {"amount", "7000"},
                         {"status", "descartada"}});
    // D5: 5,000 USD, no offer, but an approved application signed into an agreement.
    auto d5 = add(city, "demand", {{"title", "D5"}, {"year", "2026"}, {"modality", "tecnica_capacitacion"},
                                   {"sdg", "4"}, {"sector", "11330"}, {"amount", "5000"}});
    auto app = add(city, "application", {{"title", "Capacitación"}, {"demand", d5},
                                         {"cooperant", catalog_id(catalog_kind::organisations, "GIZ")}});
    REQUIRE(move_application(city, app, {"postulada", "", "2026-01-02"}).ok());
    REQUIRE(move_application(city, app, {"negociacion", "", "2026-01-03"}).ok());
    approve_request req;
    req.signed_on = "2026-02-01";
    REQUIRE(approve_application(city, app, req).ok());
    // D6: another year.
    add(city, "demand", {{"title", "D6"}, {"year", "2027"}, {"modality", "mixta"}, {"amount", "1"}});
    w.sync_ok(parish);
    w.sync_ok(city);

    auto& db = w.server->conn();
    auto plan = load_demand_plan(db, plan_options{2026, "2026-06-01"});
    REQUIRE(plan.size() == 4);
    std::int64_t usd = 0, unconverted = 0, gaps = 0;
    for (const auto& d : plan) {
        if (d.usd_cents) usd += *d.usd_cents;
        else ++unconverted;
        gaps += d.gap();
    }
    CHECK(usd == 100000'00 + 55000'00 + 5000'00);
    CHECK(unconverted == 1);
    CHECK(gaps == 1);

    auto by_province = plan_report(db, plan, plan_by::province, "es");
    REQUIRE(by_province.rows.size() == 2);
    // Guayas (09) first, then Pichincha (17).
    CHECK(std::get<std::string>(cell(by_province, 0, "provincia")) == "09");
    CHECK(num(cell(by_province, 0, "demandas")) == 3);          // D2, D3, D5
    CHECK(cents(cell(by_province, 0, "monto_estimado_usd")) == 27500'00 + 5000'00);
    CHECK(num(cell(by_province, 0, "demandas_sin_conversion")) == 1);
    CHECK(num(cell(by_province, 0, "con_oferta")) == 1);        // D3
    CHECK(num(cell(by_province, 0, "con_convenio")) == 1);      // D5
    CHECK(num(cell(by_province, 0, "brechas")) == 1);           // D2
    CHECK(std::get<std::string>(cell(by_province, 1, "provincia")) == "17");
    CHECK(num(cell(by_province, 1, "demandas")) == 2);          // D1, D2
    CHECK(cents(cell(by_province, 1, "monto_estimado_usd")) == 100000'00 + 27500'00);
    CHECK(num(cell(by_province, 1, "prioridad_alta")) == 1);

    auto by_sdg = plan_report(db, plan, plan_by::ods, "en");
    std::int64_t sdg6 = 0;
    for (std::size_t i = 0; i < by_sdg.rows.size(); ++i)
        if (std::get<std::string>(cell(by_sdg, i, "sdg")) == "06") sdg6 = num(cell(by_sdg, i, "demands"));
    CHECK(sdg6 == 2);

    auto gaps_only = coverage_report(plan, true, "es");
    REQUIRE(gaps_only.rows.size() == 1);
    CHECK(std::get<std::string>(cell(gaps_only, 0, "titulo")) == "D2");
    CHECK(std::get<std::string>(cell(gaps_only, 0, "provincias")) == "09;17");
    auto all = coverage_report(plan, false, "es");
    CHECK(to_csv(all).find("Fondo de agua") != std::string::npos);
    CHECK(load_demand_plan(db, plan_options{0, "2026-06-01"}).size() == 5);  // D6 too
}

TEST_CASE("demand plan: --by accepts the demand reports and names a bad one") {
    CHECK_FALSE(parse_demand_report("province").has_value());
    auto d = parse_demand_report("demand");
    REQUIRE(d.has_value());
    REQUIRE(d->ok());
    CHECK((*d)->by == plan_by::province);
    auto s = parse_demand_report("demanda-brechas");
    REQUIRE(s.has_value());
    REQUIRE(s->ok());
    CHECK((*s)->gaps_only);
    auto bad = parse_demand_report("demand-colour");
    REQUIRE(bad.has_value());
    REQUIRE_FALSE(bad->ok());
    CHECK(bad->err().field == "--by");
}

TEST_CASE("demand plan: offers counted per demand stop at the cap and say \"500+\" beyond it") {
    constexpr auto cap = demand_tuning::coverage_offer_cap;
    sync_world w;
    {
        std::ifstream orgs(std::string(MINGA_SOURCE_DIR) + "/data/samples/organisations.csv");
        REQUIRE(w.server->import_catalog(catalog_kind::organisations, orgs).ok());
        // `cap` offers on SDG 6 and one more on SDG 7.
        auto offers = test::same_theme_offers(cap, "6", "OF-AGUA");
        auto more = test::same_theme_offers(1, "7", "OF-ENERGIA");
        offers.insert(offers.end(), more.begin(), more.end());
        std::istringstream csv(test::offers_csv(offers));
        REQUIRE(w.server->import_catalog(catalog_kind::offers, csv).ok());
    }
    auto& parish = w.add_device("170151");
    w.sync_ok(parish);
    add(parish, "demand", {{"title", "Exactamente el tope"}, {"year", "2026"}, {"modality", "mixta"}, {"sdg", "6"}});
    add(parish, "demand", {{"title", "Uno sobre el tope"}, {"year", "2026"}, {"modality", "mixta"}, {"sdg", "6"},
                           {"sdg", "7"}});
    w.sync_ok(parish);

    auto plan = load_demand_plan(w.server->conn(), plan_options{2026, "2026-06-01"});
    REQUIRE(plan.size() == 2);
    for (const auto& d : plan) {
        INFO(d.title);
        CHECK(d.offers_available == static_cast<std::int64_t>(cap));
        CHECK(d.offers_capped == (d.title == "Uno sobre el tope"));
        CHECK_FALSE(d.gap());
    }
    const auto es = coverage_report(plan, false, "es");
    const auto en = coverage_report(plan, false, "en");
    for (std::size_t row = 0; row < 2; ++row) {
        const bool over = std::get<std::string>(cell(es, row, "titulo")) == "Uno sobre el tope";
        if (over) {
            CHECK(std::get<std::string>(cell(es, row, "ofertas_disponibles")) == std::to_string(cap) + "+");
            CHECK(std::get<std::string>(cell(en, row, "offers_available")) == std::to_string(cap) + "+");
        } else {
            CHECK(num(cell(es, row, "ofertas_disponibles")) == static_cast<std::int64_t>(cap));
        }
    }
}
