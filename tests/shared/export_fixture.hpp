#pragma once
// A realistic synced dataset for the export tests: two parish devices sync projects (with
// hostile text: & < > quotes, accents, commas) to an in-process central store, which is then
// consolidated. Figures are chosen so every expected value is easy to compute by hand.
#include "sync_fixture.hpp"

#include <minga/shared/catalog_import.hpp>
#include <minga/shared/report.hpp>

#include <fstream>

namespace minga::testing {

/// Text that must come out escaped in XML and quoted in CSV.
inline constexpr const char* hostile_title = "Agua & saneamiento <\"El Tingo\"> 'Ñandú', acción – fase 2";
inline constexpr const char* hostile_place = "Barrio \"La Cañada\" & <norte>";

struct export_world {
    sync_world w;
    replica& alangasi;
    replica& cumbe;
    std::string aecid = catalog_id(catalog_kind::organisations, "AECID");
    std::string agreement, p_water, p_eur, p_cumbe, p_deleted, p_nodate;

    export_world() : alangasi(w.add_device("170151")), cumbe(w.add_device("010152")) {
        std::ifstream in(std::filesystem::path(MINGA_SOURCE_DIR) / "data" / "samples" / "organisations.csv");
        REQUIRE(in);
        REQUIRE(w.server->import_catalog(catalog_kind::organisations, in).ok());
        w.sync_ok(alangasi);
        w.sync_ok(cumbe);
        record();
        w.sync_ok(alangasi);
        w.sync_ok(cumbe);
        {
            sql::transaction tx(w.server->conn());
            REQUIRE(put_fx_rate(tx, {"EUR", "2025-01-01", 1.10, "test"}).ok());
            tx.commit();
        }
        auto s = consolidate(w.server->conn(), 1'780'000'000'000);
        if (!s) FAIL(s.err().text("en"));
    }

    static std::string add(replica& r, std::string_view kind, const form& f) {
        entity_service s(r);
        auto res = s.add(*find_entity(kind), f);
        if (!res) FAIL(res.err().text("en"));
        return res->id;
    }

    void record() {
        agreement = add(alangasi, "agreement",
                        {{"title", "Convenio \"marco\", agua & riego"},
                         {"kind", "convenio_especifico"},
                         {"status", "vigente"},
                         {"reference", "CONV-2025/07, \"A\""},
                         {"source", "bilateral"},
                         {"signed-on", "2025-01-20"},
                         {"valid-from", "2025-02-01"},
                         {"valid-to", "2027-01-31"}});
        // USD, commitment basis, two locations 70/30, SDGs 6 and 13, AECID funds it.
        p_water = add(alangasi, "project",
                      {{"title", hostile_title},
                       {"description", "Obras de captación <y> distribución & \"mingas\" comunitarias"},
                       {"agreement", agreement},
                       {"code", "ALG-001"},
                       {"modality", "fin_no_reembolsable"},
                       {"planned-start", "2025-03-01"},
                       {"planned-end", "2026-12-31"},
                       {"activity-status", "2"},
                       {"beneficiaries", "1200"},
                       {"sdg", "13"},
                       {"sdg", "6"},
                       {"sector", "14030:60"},
                       {"sector", "41030:40"},
                       {"participant", aecid + ":1"},
                       {"location", std::string("170151:") + hostile_place + ":-0.3071:-78.4049"},
                       {"location", "170152"},
                       {"budget", "2025-01-01:2025-12-31:50000.00"}});
        add(alangasi, "transaction",
            {{"project", p_water}, {"type", "2"}, {"date", "2025-02-01"}, {"currency", "USD"}, {"amount", "40000.00"}});
        add(alangasi, "transaction",
            {{"project", p_water}, {"type", "3"}, {"date", "2025-06-01"}, {"currency", "USD"}, {"amount", "15000.50"}});
        // EUR budget converted at 1.10 from 2025-01-01: 20,000.00 EUR = 22,000.00 USD.
        p_eur = add(alangasi, "project",
                    {{"title", "Hermanamiento con Girona"},
                     {"modality", "tecnica_capacitacion"},
                     {"source", "descentralizada"},
                     {"currency", "EUR"},
                     {"budget", "2025-01-01:2025-12-31:20000.00"}});
        p_deleted = add(alangasi, "project", {{"title", "Proyecto anulado"}, {"modality", "fin_no_reembolsable"},
                                              {"planned-start", "2025-01-01"}});
        entity_service s(alangasi);
        REQUIRE(s.remove(*find_entity("project"), p_deleted).ok());
        p_cumbe = add(cumbe, "project",
                      {{"title", "Riego tecnificado Cumbe"},
                       {"modality", "tecnica_asesoria"},
                       {"source", "multilateral"},
                       {"actual-start", "2024-05-01"},
                       {"beneficiaries", "300"},
                       {"sdg", "2"}});
        add(cumbe, "transaction",
            {{"project", p_cumbe}, {"type", "3"}, {"date", "2024-07-01"}, {"currency", "USD"}, {"amount", "2500.50"}});
        // No date anywhere: IATI needs one, so the IATI export leaves it out (and says so).
        p_nodate = add(cumbe, "project", {{"title", "Idea sin fechas"}, {"modality", "tecnica_becas"}});
    }
};

}  // namespace minga::testing
