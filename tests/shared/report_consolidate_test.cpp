// Consolidation and national reports: data recorded on parish devices, synced to an in-process
// central store through the real protocol, consolidated there, and read back as reports.
#include "sync_fixture.hpp"

#include <minga/shared/catalog_import.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/report.hpp>

#include <fstream>
#include <ostream>
#include <string>

using namespace minga;
using minga::testing::sync_world;

namespace {

std::string add_ok(entity_service& s, std::string_view kind, const form& f) {
    auto r = s.add(*find_entity(kind), f);
    if (!r) FAIL(r.err().text("en"));
    return r->id;
}

/// Sets columns of a row the form does not reach (a budget's status, a location's share)
/// through the change log, as a future form field would: row and outbox in one transaction.
void patch(replica& r, std::string_view table, const std::string& id, const field_list& f,
           std::string_view owner = {}) {
    sql::transaction tx(r.conn());
    r.changes().upsert(tx, table, id, owner.empty() ? r.gad() : owner, f, r.clock().now());
    r.commit(tx);
}

/// The id of the one live child row of `project` in `table` where `column` = `value`.
std::string child_id(replica& r, std::string_view table, const std::string& project,
                     std::string_view column, std::string_view value) {
    auto s = r.conn().prepare("SELECT id FROM " + std::string(table) +
                              " WHERE deleted = 0 AND project_id = ?1 AND " + std::string(column) +
                              " = ?2");
    s.bind(1, project).bind(2, value);
    REQUIRE(s.step());
    auto id = s.get_text(0);
    REQUIRE_FALSE(s.step());
    return id;
}

void import_sample(central& c, catalog_kind kind, const char* file) {
    std::ifstream in(std::filesystem::path(MINGA_SOURCE_DIR) / "data" / "samples" / file);
    REQUIRE(in);
    auto sum = c.import_catalog(kind, in);
    if (!sum) FAIL(sum.err().text("en"));
}

/// The metric columns of one report row.
struct figures {
    std::int64_t projects = 0, committed = 0, disbursed = 0, beneficiaries = 0, unconverted = 0;
    friend bool operator==(const figures&, const figures&) = default;
    friend std::ostream& operator<<(std::ostream& os, const figures& f) {
        return os << "{projects " << f.projects << ", committed " << f.committed << ", disbursed "
                  << f.disbursed << ", beneficiaries " << f.beneficiaries << ", unconverted "
                  << f.unconverted << "}";
    }
};

std::int64_t number(const report_cell& c) {
    if (auto* i = std::get_if<std::int64_t>(&c)) return *i;
    if (auto* m = std::get_if<usd_cents>(&c)) return m->cents;
    FAIL("not a number cell");
    return 0;
}

/// The figures of the row whose first cell is `key` (an empty key: the "not stated" row).
figures row_figures(const report_table& t, const report_cell& key) {
    for (const auto& row : t.rows) {
        if (row.front() != key) continue;
        auto n = row.size();
        return {number(row[n - 5]), number(row[n - 4]), number(row[n - 3]), number(row[n - 2]),
                number(row[n - 1])};
    }
    FAIL("no report row with that key");
    return {};
}

report_table report_ok(central& c, report_by by, std::string_view lang = "es") {
    auto t = report(c.conn(), by, lang);
    if (!t) FAIL(t.err().text("en"));
    return *t;
}

/// Every rpt_* table as text, rows in key order: two equal dumps mean identical tables.
std::string dump_report_tables(sql::db& db) {
    std::string out;
    for (const char* q :
         {"SELECT * FROM rpt_meta", "SELECT * FROM rpt_project ORDER BY project_id",
          "SELECT * FROM rpt_project_territory ORDER BY project_id, territory",
          "SELECT * FROM rpt_project_sdg ORDER BY project_id, goal",
          "SELECT * FROM rpt_project_cooperant ORDER BY project_id, organisation_id"}) {
        out += q;
        out += '\n';
        auto s = db.prepare(q);
        while (s.step()) {
            for (int i = 0; i < s.columns(); ++i) {
                auto v = s.get_value(i);
                if (auto* n = std::get_if<std::int64_t>(&v))
                    out += std::to_string(*n);
                else if (auto* d = std::get_if<double>(&v))
                    out += std::to_string(*d);
                else if (auto* t = std::get_if<std::string>(&v))
                    out += *t;
                else
                    out += "NULL";
                out += '|';
            }
            out += '\n';
        }
    }
    return out;
}

/// Two parish devices, in Pichincha (170151 Alangasí, canton 1701 Quito) and in Azuay
/// (010152 Cumbe, canton 0101 Cuenca), and the projects they record (figures in US cents):
///
/// | project | owner  | committed (basis)               | disbursed | benef. | territory |
/// |---------|--------|---------------------------------|-----------|--------|----------------------|
/// | p1      | 170151 | 4,000,000 (commitment)          | 1,500,000 | 1200   | 170151 (owner) | |
/// p2      | 010152 | 1,000,000 (committed budget)    | 250,050   | 300    | 010152 (owner)       |
/// | p3      | 010152 | 3,000,000 (commitment)          | 0         | 500    | 010152 60%, 010251
/// 40% | | p4      | 170151 | 100,001 (all budgets)           | 0         | 101    | 010152, 170151
/// evenly | | p5      | 170151 | EUR 20,000.00 budget (no rate)  | 0         | –      | 170151
/// (owner)       | | p6      | 170151 | deleted                         |           |        | |
struct national {
    sync_world w;
    replica& pichincha;
    replica& azuay;
    std::string aecid = catalog_id(catalog_kind::organisations, "AECID");
    std::string giz = catalog_id(catalog_kind::organisations, "GIZ");
    std::string p1, p2, p3, p4, p5, p6;

    national() : pichincha(w.add_device("170151")), azuay(w.add_device("010152")) {
        import_sample(*w.server, catalog_kind::organisations, "organisations.csv");
        w.sync_ok(pichincha);
        w.sync_ok(azuay);
        record_pichincha();
        record_azuay();
        w.sync_ok(pichincha);
        w.sync_ok(azuay);
    }

    void record_pichincha() {
        entity_service s(pichincha);
        p1 = add_ok(s, "project",
                    {{"title", "Agua potable Alangasí"},
                     {"modality", "fin_no_reembolsable"},
                     {"source", "bilateral"},
                     {"geopolitical", "norte_sur"},
                     {"planned-start", "2025-03-01"},
                     {"beneficiaries", "1200"},
                     {"sdg", "6"},
                     {"sdg", "13"},
                     {"participant", aecid + ":1"},
                     {"budget", "2025-01-01:2025-12-31:50000.00"}});
        add_ok(s, "transaction",
               {{"project", p1},
                {"type", "2"},
                {"date", "2025-02-01"},
                {"currency", "USD"},
                {"amount", "40000.00"}});
        add_ok(s, "transaction",
               {{"project", p1},
                {"type", "3"},
                {"date", "2025-06-01"},
                {"currency", "USD"},
                {"amount", "15000.00"}});
        p4 = add_ok(s, "project",
                    {{"title", "Red de escuelas de campo"},
                     {"modality", "tecnica_capacitacion"},
                     {"source", "academia"},
                     {"geopolitical", "sur_sur"},
                     {"beneficiaries", "101"},
                     {"sdg", "4"},
                     {"location", "170151"},
                     {"location", "010152"},
                     {"budget", "2023-01-01:2023-12-31:1000.01"}});
        p5 = add_ok(s, "project",
                    {{"title", "Hermanamiento con Girona"},
                     {"modality", "fin_no_reembolsable"},
                     {"source", "bilateral"},
                     {"currency", "EUR"},
                     {"planned-start", "2025-01-01"},
                     {"participant", giz + ":1"},
                     {"budget", "2025-01-01:2025-12-31:20000.00"}});
        p6 = add_ok(s, "project",
                    {{"title", "Proyecto anulado"},
                     {"modality", "fin_no_reembolsable"},
                     {"beneficiaries", "999"},
                     {"sdg", "6"},
                     {"participant", aecid + ":1"},
                     {"budget", "2025-01-01:2025-12-31:99999.00"}});
        auto removed = s.remove(*find_entity("project"), p6);
        if (!removed) FAIL(removed.err().text("en"));
    }

    void record_azuay() {
        entity_service s(azuay);
        p2 = add_ok(s, "project",
                    {{"title", "Asistencia técnica en riego"},
                     {"modality", "tecnica_asesoria"},
                     {"source", "multilateral"},
                     {"geopolitical", "sur_sur"},
                     {"beneficiaries", "300"},
                     {"sdg", "4"},
                     {"participant", giz + ":1"},
                     {"budget", "2024-06-01:2024-12-31:10000.00"},
                     {"budget", "2024-01-01:2024-05-31:5000.00"}});
        patch(azuay, "project_budget",
              child_id(azuay, "project_budget", p2, "period_start", "2024-06-01"),
              {{"status", std::int64_t{2}}});
        add_ok(s, "transaction",
               {{"project", p2},
                {"type", "3"},
                {"date", "2024-07-01"},
                {"currency", "USD"},
                {"amount", "2500.50"}});
        p3 = add_ok(s, "project",
                    {{"title", "Corredor de páramos Cumbe–Asunción"},
                     {"modality", "fin_no_reembolsable"},
                     {"source", "descentralizada"},
                     {"planned-start", "2026-01-15"},
                     {"beneficiaries", "500"},
                     {"sdg", "6"},
                     {"location", "010152"},
                     {"location", "010251"}});
        patch(azuay, "project_location",
              child_id(azuay, "project_location", p3, "territory", "010152"), {{"share", 60.0}});
        patch(azuay, "project_location",
              child_id(azuay, "project_location", p3, "territory", "010251"), {{"share", 40.0}});
        add_ok(s, "transaction",
               {{"project", p3},
                {"type", "2"},
                {"date", "2026-01-10"},
                {"currency", "USD"},
                {"amount", "30000.00"}});
    }

    consolidation_summary consolidate_ok(std::int64_t now_ms = 1'780'000'000'000) {
        auto s = consolidate(w.server->conn(), now_ms);
        if (!s) FAIL(s.err().text("en"));
        return *s;
    }
};

report_cell text(const char* s) {
    return std::string(s);
}
report_cell num(std::int64_t n) {
    return n;
}

}  // namespace

TEST_CASE(
    "report: consolidation of two provinces gives exact figures per province, ODS, source and "
    "year") {
    national n;
    auto sum = n.consolidate_ok();
    CHECK(sum.projects == 5);  // p6 is deleted
    CHECK(sum.committed_usd_cents == 4'000'000 + 1'000'000 + 3'000'000 + 100'001);
    CHECK(sum.disbursed_usd_cents == 1'500'000 + 250'050);
    CHECK(sum.beneficiaries == 1200 + 300 + 500 + 101);
    CHECK(sum.unconverted_projects == 1);
    CHECK(sum.unconverted_currencies == std::vector<std::string>{"EUR"});
    CHECK(sum.no_amount_projects == 0);
    CHECK(sum.no_territory_projects == 0);
    CHECK(sum.rescaled_share_projects == 0);

    auto prov = report_ok(*n.w.server, report_by::province);
    CHECK(prov.columns == std::vector<std::string>{"provincia", "nombre", "proyectos",
                                                   "comprometido_usd", "desembolsado_usd",
                                                   "beneficiarios", "proyectos_sin_conversion"});
    REQUIRE(prov.rows.size() == 2);
    CHECK(prov.rows[0][0] == text("01"));
    CHECK(prov.rows[0][1] == text("Azuay"));
    CHECK(prov.rows[1][1] == text("Pichincha"));
    // Azuay: p2, p3 (both parishes), half of p4; Pichincha: p1, the other half of p4, p5.
    CHECK(row_figures(prov, text("01")) ==
          figures{3, 1'000'000 + 3'000'000 + 50'001, 250'050, 300 + 500 + 51, 0});
    CHECK(row_figures(prov, text("17")) == figures{3, 4'000'000 + 50'000, 1'500'000, 1200 + 50, 1});

    auto canton = report_ok(*n.w.server, report_by::canton);
    REQUIRE(canton.rows.size() == 3);
    CHECK(row_figures(canton, text("0101")) ==
          figures{3, 1'000'000 + 1'800'000 + 50'001, 250'050, 300 + 300 + 51, 0});
    CHECK(row_figures(canton, text("0102")) == figures{1, 1'200'000, 0, 200, 0});
    CHECK(row_figures(canton, text("1701")) == figures{3, 4'050'000, 1'500'000, 1250, 1});
    CHECK(canton.rows[1][2] == text("01"));  // Girón's province

    auto parish = report_ok(*n.w.server, report_by::parish);
    REQUIRE(parish.rows.size() == 3);
    CHECK(row_figures(parish, text("010251")) == figures{1, 1'200'000, 0, 200, 0});
    CHECK(parish.rows[1][1] == text("ASUNCION"));
    CHECK(parish.rows[1][2] == text("0102"));

    auto ods = report_ok(*n.w.server, report_by::ods);
    REQUIRE(ods.rows.size() == 4);
    CHECK(row_figures(ods, num(4)) == figures{2, 1'000'000 + 100'001, 250'050, 300 + 101, 0});
    CHECK(row_figures(ods, num(6)) == figures{2, 4'000'000 + 3'000'000, 1'500'000, 1200 + 500, 0});
    CHECK(row_figures(ods, num(13)) == figures{1, 4'000'000, 1'500'000, 1200, 0});
    CHECK(ods.rows[1][1] == text("Agua limpia y saneamiento"));
    CHECK(ods.rows[3][1] == text("(sin dato)"));  // p5 has no SDG
    CHECK(row_figures(ods, report_cell()) == figures{1, 0, 0, 0, 1});

    auto source = report_ok(*n.w.server, report_by::source);
    REQUIRE(source.rows.size() == 4);
    CHECK(source.rows[0][0] == text("academia"));
    CHECK(row_figures(source, text("bilateral")) == figures{2, 4'000'000, 1'500'000, 1200, 1});
    CHECK(row_figures(source, text("descentralizada")) == figures{1, 3'000'000, 0, 500, 0});
    CHECK(row_figures(source, text("multilateral")) == figures{1, 1'000'000, 250'050, 300, 0});

    auto year = report_ok(*n.w.server, report_by::year);
    REQUIRE(year.rows.size() == 4);
    CHECK(year.columns.front() == "anio");
    CHECK(row_figures(year, num(2023)) ==
          figures{1, 100'001, 0, 101, 0});  // year of its first budget
    CHECK(row_figures(year, num(2024)) == figures{1, 1'000'000, 250'050, 300, 0});
    CHECK(row_figures(year, num(2025)) == figures{2, 4'000'000, 1'500'000, 1200, 1});
    CHECK(row_figures(year, num(2026)) == figures{1, 3'000'000, 0, 500, 0});

    auto coop = report_ok(*n.w.server, report_by::cooperant);
    REQUIRE(coop.rows.size() == 3);
    CHECK(row_figures(coop, text(n.aecid.c_str())) == figures{1, 4'000'000, 1'500'000, 1200, 0});
    CHECK(row_figures(coop, text(n.giz.c_str())) == figures{2, 1'000'000, 250'050, 300, 1});
    CHECK(row_figures(coop, report_cell()) == figures{2, 3'100'001, 0, 601, 0});

    auto modality = report_ok(*n.w.server, report_by::modality, "en");
    CHECK(modality.columns[0] == "modality");
    CHECK(row_figures(modality, text("fin_no_reembolsable")) ==
          figures{3, 7'000'000, 1'500'000, 1700, 1});
    auto geo = report_ok(*n.w.server, report_by::geopolitical);
    CHECK(row_figures(geo, text("sur_sur")) == figures{2, 1'100'001, 250'050, 401, 0});
    CHECK(row_figures(geo, report_cell()) == figures{2, 3'000'000, 0, 500, 1});
}

TEST_CASE("report: a deleted project and its children are left out") {
    national n;
    n.consolidate_ok();
    auto& db = n.w.server->conn();
    REQUIRE(db.scalar_int("SELECT count(*) FROM project") ==
            6);  // the tombstone reached the server
    auto in = db.prepare("SELECT count(*) FROM rpt_project WHERE project_id = ?1");
    in.bind(1, n.p6);
    REQUIRE(in.step());
    CHECK(in.get_int(0) == 0);
    CHECK(db.scalar_int("SELECT count(*) FROM rpt_project_cooperant") == 3);  // not p6's AECID
    CHECK(db.scalar_int("SELECT count(*) FROM rpt_project WHERE beneficiaries = 999") == 0);
}

TEST_CASE("report: a project split by share across two cantons gives exact parts") {
    national n;
    n.consolidate_ok();
    auto s = n.w.server->conn().prepare(
        "SELECT territory, province, canton, parish, share, committed_usd_cents, beneficiaries "
        "FROM rpt_project_territory WHERE project_id = ?1 ORDER BY territory");
    s.bind(1, n.p3);
    REQUIRE(s.step());
    CHECK(s.get_text(0) == "010152");
    CHECK(s.get_text(2) == "0101");
    CHECK(s.get_double(4) == Approx(60.0));
    CHECK(s.get_int(5) == 1'800'000);
    CHECK(s.get_int(6) == 300);
    REQUIRE(s.step());
    CHECK(s.get_text(0) == "010251");
    CHECK(s.get_text(2) == "0102");
    CHECK(s.get_double(4) == Approx(40.0));
    CHECK(s.get_int(5) == 1'200'000);
    CHECK(s.get_int(6) == 200);
    CHECK_FALSE(s.step());

    // Even split with an odd cent: the parts still add up to the project exactly.
    auto e = n.w.server->conn().prepare(
        "SELECT territory, committed_usd_cents FROM rpt_project_territory WHERE project_id = ?1 "
        "ORDER BY territory");
    e.bind(1, n.p4);
    REQUIRE(e.step());
    CHECK(e.get_int(1) == 50'001);
    REQUIRE(e.step());
    CHECK(e.get_int(1) == 50'000);
}

TEST_CASE("report: an amount in a currency with no rate is flagged and never summed 1:1") {
    national n;
    auto& db = n.w.server->conn();
    n.consolidate_ok();
    auto committed = [&] {
        auto s = db.prepare(
            "SELECT committed_basis, committed_usd_cents FROM rpt_project WHERE project_id = ?1");
        s.bind(1, n.p5);
        REQUIRE(s.step());
        CHECK(s.get_text(0) == "budget");
        return s.get_opt_int(1);
    };
    CHECK_FALSE(committed().has_value());

    // A rate dated after the budget line does not apply to it.
    {
        sql::transaction tx(db);
        REQUIRE(put_fx_rate(tx, {"EUR", "2026-01-01", 1.10, "prueba"}).ok());
        tx.commit();
    }
    auto later = n.consolidate_ok();
    CHECK_FALSE(committed().has_value());
    CHECK(later.unconverted_projects == 1);

    // The rate in force on the line's date converts it: 20,000.00 EUR x 1.0825 = 21,650.00 USD.
    {
        sql::transaction tx(db);
        REQUIRE(put_fx_rate(tx, {"EUR", "2024-12-31", 1.0825, "prueba"}).ok());
        tx.commit();
    }
    auto sum = n.consolidate_ok();
    CHECK(committed() == std::optional<std::int64_t>(2'165'000));
    CHECK(sum.unconverted_projects == 0);
    CHECK(sum.unconverted_currencies.empty());
    CHECK(sum.committed_usd_cents == 8'100'001 + 2'165'000);
    auto prov = report_ok(*n.w.server, report_by::province);
    CHECK(row_figures(prov, text("17")) == figures{3, 4'050'000 + 2'165'000, 1'500'000, 1250, 0});
}

TEST_CASE("report: fx rates refuse bad input") {
    sync_world w;
    sql::transaction tx(w.server->conn());
    CHECK(put_fx_rate(tx, {"USD", "2025-01-01", 1.0, ""}).err().field == "currency");
    CHECK(put_fx_rate(tx, {"ZZZ", "2025-01-01", 1.0, ""}).err().field == "currency");
    CHECK(put_fx_rate(tx, {"EUR", "2025-02-30", 1.0, ""}).err().field == "valid_from");
    CHECK(put_fx_rate(tx, {"EUR", "2025-01-01", 0.0, ""}).err().field == "usd_per_unit");
    CHECK(put_fx_rate(tx, {"EUR", "2025-01-01", -1.0, ""}).err().code == errc::bad_input);
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM fx_rate") == 0);
}

TEST_CASE("report: consolidating twice gives identical tables") {
    national n;
    auto& db = n.w.server->conn();
    auto first = n.consolidate_ok(1'780'000'000'000);
    auto once = dump_report_tables(db);
    auto second = n.consolidate_ok(1'780'000'000'000);
    CHECK(dump_report_tables(db) == once);
    CHECK(second.projects == first.projects);
    // A later run over the same data changes nothing but the time it is as of.
    n.consolidate_ok(1'780'000'999'000);
    CHECK(db.scalar_int("SELECT as_of_ms FROM rpt_meta") == 1'780'000'999'000);
    db.exec("UPDATE rpt_meta SET as_of_ms = 1780000000000");
    CHECK(dump_report_tables(db) == once);
}

TEST_CASE("report: an interrupted consolidation leaves the previous report intact") {
    national n;
    auto& db = n.w.server->conn();
    n.consolidate_ok();
    auto before = dump_report_tables(db);
    entity_service s(n.pichincha);
    add_ok(s, "project",
           {{"title", "Nuevo"},
            {"modality", "fin_no_reembolsable"},
            {"participant", n.aecid + ":1"},
            {"budget", "2025-01-01:2025-12-31:10.00"}});
    n.w.sync_ok(n.pichincha);
    // The run fails on its last table, after it has emptied and refilled the others.
    db.exec(
        "CREATE TEMP TRIGGER interrupt BEFORE INSERT ON rpt_project_cooperant "
        "BEGIN SELECT RAISE(ABORT, 'interrupted'); END");
    CHECK_THROWS_AS(consolidate(db, 1'790'000'000'000), sql::sql_error);
    db.exec("DROP TRIGGER interrupt");
    CHECK(dump_report_tables(db) == before);
    CHECK(n.consolidate_ok().projects == 6);
}

TEST_CASE("report: a report before any consolidation says to run it first") {
    sync_world w;
    auto t = report(w.server->conn(), report_by::province, "es");
    REQUIRE_FALSE(t.ok());
    CHECK(t.err().code == errc::not_found);
    CHECK(t.err().es.find("minga-server consolidate") != std::string::npos);
    CHECK(t.err().en.find("minga-server consolidate") != std::string::npos);
    CHECK_FALSE(last_consolidation(w.server->conn()).ok());
}

TEST_CASE("report: location shares that do not add up to 100 are rescaled and counted") {
    sync_world w;
    auto& r = w.add_device("170151");
    entity_service s(r);
    auto p = add_ok(s, "project",
                    {{"title", "Dos sitios"},
                     {"modality", "tecnica_asesoria"},
                     {"location", "170151"},
                     {"location", "170152"},
                     {"budget", "2025-01-01:2025-12-31:100.00"}});
    patch(r, "project_location", child_id(r, "project_location", p, "territory", "170151"),
          {{"share", 30.0}});
    patch(r, "project_location", child_id(r, "project_location", p, "territory", "170152"),
          {{"share", 30.0}});
    w.sync_ok(r);
    auto sum = consolidate(w.server->conn(), 1);
    REQUIRE(sum.ok());
    CHECK(sum->rescaled_share_projects == 1);
    auto parish = report_ok(*w.server, report_by::parish);
    CHECK(row_figures(parish, text("170151")) == figures{1, 5'000, 0, 0, 0});
    CHECK(row_figures(parish, text("170152")) == figures{1, 5'000, 0, 0, 0});
}

TEST_CASE("report: a mancomunidad's project with no location is split over its members") {
    sync_world w;
    import_sample(*w.server, catalog_kind::mancomunidades, "mancomunidades.csv");
    // A device of the Mancomunidad del Valle de Los Chillos (members 170151, 170152, 170156,
    // 170162).
    auto dir = w.root / "manco";
    auto made = replica::create(dir, "170151", w.data);
    REQUIRE(made.ok());
    w.devices.push_back(std::make_unique<replica>(std::move(*made)));
    auto& r = *w.devices.back();
    auto tok = w.server->enroll_device("M0001", "valle", 3600 * 1000);
    REQUIRE(tok.ok());
    REQUIRE(enroll(r, w.transport(), "inproc://", tok->token, "tablet").ok());
    w.sync_ok(r);
    REQUIRE(r.in_scope("M0001"));
    auto id = new_uuid_v7();
    patch(r, "project", id,
          {{"title", "Gestión de residuos del valle"}, {"modality", "tecnica_asesoria"}}, "M0001");
    patch(r, "project_transaction", new_uuid_v7(),
          {{"project_id", id},
           {"type", std::int64_t{2}},
           {"tx_date", "2025-05-01"},
           {"amount", std::int64_t{100'003}},
           {"currency", "USD"}},
          "M0001");
    w.sync_ok(r);
    auto sum = consolidate(w.server->conn(), 1);
    REQUIRE(sum.ok());
    CHECK(sum->no_territory_projects == 0);
    auto canton = report_ok(*w.server, report_by::canton);
    REQUIRE(canton.rows.size() == 1);
    CHECK(row_figures(canton, text("1701")) == figures{1, 100'003, 0, 0, 0});
    auto parish = report_ok(*w.server, report_by::parish);
    REQUIRE(parish.rows.size() == 4);
    std::int64_t total = 0;
    for (const auto& row : parish.rows) total += number(row[row.size() - 4]);
    CHECK(total == 100'003);
    CHECK(row_figures(parish, text("170151")) == figures{1, 25'001, 0, 0, 0});
    auto place = w.server->conn().prepare("SELECT province, canton, parish FROM rpt_project");
    REQUIRE(place.step());
    CHECK(place.get_text(0) == "17");
    CHECK(place.get_text(1) == "1701");
    CHECK(place.is_null(2));
}

TEST_CASE("report: a project with no source of its own takes its agreement's") {
    sync_world w;
    auto& r = w.add_device("170151");
    entity_service s(r);
    auto ag = add_ok(s, "agreement",
                     {{"title", "Convenio marco"},
                      {"kind", "convenio_marco"},
                      {"status", "vigente"},
                      {"source", "multilateral"},
                      {"geopolitical", "triangular"}});
    add_ok(s, "project",
           {{"title", "Con convenio"},
            {"modality", "tecnica_becas"},
            {"agreement", ag},
            {"budget", "2025-01-01:2025-12-31:1.00"}});
    add_ok(s, "project",
           {{"title", "Fuente propia"},
            {"modality", "tecnica_becas"},
            {"agreement", ag},
            {"source", "academia"},
            {"budget", "2025-01-01:2025-12-31:2.00"}});
    w.sync_ok(r);
    REQUIRE(consolidate(w.server->conn(), 1).ok());
    auto source = report_ok(*w.server, report_by::source);
    CHECK(row_figures(source, text("multilateral")) == figures{1, 100, 0, 0, 0});
    CHECK(row_figures(source, text("academia")) == figures{1, 200, 0, 0, 0});
    auto geo = report_ok(*w.server, report_by::geopolitical, "en");
    CHECK(row_figures(geo, text("triangular")) == figures{2, 300, 0, 0, 0});
    CHECK(geo.rows[0][1] == text("Triangular"));
}
