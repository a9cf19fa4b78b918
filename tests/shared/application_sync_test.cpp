// The application pipeline on a device, the approval into an agreement, and what reaches the
// server: real in-process sync (sync_fixture.hpp).
#include "sync_fixture.hpp"

#include <minga/shared/application.hpp>
#include <minga/shared/catalog_import.hpp>
#include <minga/shared/practice_sheet.hpp>

#include <fstream>
#include <sstream>

using namespace minga;
using minga::testing::sync_world;

namespace {

void import_sample(central& c, catalog_kind kind, const std::string& file) {
    std::ifstream in(std::string(MINGA_SOURCE_DIR) + "/data/samples/" + file, std::ios::binary);
    REQUIRE(in);
    auto s = c.import_catalog(kind, in);
    REQUIRE(s.ok());
}

std::int64_t count(sql::db& db, const std::string& sql) { return db.scalar_int(sql); }

std::string text(sql::db& db, const std::string& sql) {
    auto s = db.prepare(sql);
    REQUIRE(s.step());
    return s.get_text(0);
}

}  // namespace

TEST_CASE("application: the pipeline allows only its moves") {
    CHECK(allowed_moves("identificada") == std::vector<std::string_view>{"postulada", "retirada"});
    CHECK(allowed_moves("postulada") == std::vector<std::string_view>{"negociacion", "rechazada", "retirada"});
    CHECK(allowed_moves("negociacion") == std::vector<std::string_view>{"aprobada", "rechazada", "retirada"});
    for (auto final_status : {"aprobada", "rechazada", "retirada"}) CHECK(allowed_moves(final_status).empty());
    auto en = parse_application_status("--to", "negotiating");
    REQUIRE(en.ok());
    CHECK(*en == "negociacion");
    auto bad = parse_application_status("--to", "signed");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().field == "--to");
}

TEST_CASE("application: moves, an illegal move refused, approval into a synced agreement") {
    sync_world w;
    import_sample(*w.server, catalog_kind::organisations, "organisations.csv");
    import_sample(*w.server, catalog_kind::ngos, "ngos.csv");
    import_sample(*w.server, catalog_kind::offers, "offers.csv");
    auto& dev = w.add_device("170151");
    w.sync_ok(dev);  // the catalogue arrives
    std::string offer_id = catalog_id(catalog_kind::offers, "OF-2024-002");  // AECID water fund
    entity_service svc(dev);
    auto demand = svc.add(*find_entity("demand"), {{"title", "Agua potable para Alangasí"}, {"year", "2026"},
                                                   {"modality", "fin_no_reembolsable"}, {"sdg", "6"},
                                                   {"sector", "14030"}, {"description", "Sistema comunitario"}});
    REQUIRE(demand.ok());
    auto app = svc.add(*find_entity("application"),
                       {{"title", "Fondo de agua AECID"}, {"offer", offer_id}, {"demand", demand->id},
                        {"currency", "USD"}, {"amount", "150000.50"}, {"counterpart-amount", "30000"},
                        {"planned-start", "2026-03-01"}, {"planned-end", "2027-12-31"}});
    REQUIRE(app.ok());
    auto status_of = [&] { return text(dev.conn(), "SELECT status FROM application WHERE id = '" + app->id + "'"); };
    CHECK(status_of() == "identificada");

    SECTION("an illegal move is refused with the allowed moves, and nothing is written") {
        auto before = count(dev.conn(), "SELECT count(*) FROM outbox");
        auto m = move_application(dev, app->id, {"negotiating", "", "2026-01-05"});
        REQUIRE_FALSE(m.ok());
        CHECK(m.err().field == "--to");
        CHECK(m.err().es.find("desde 'identificada' se puede pasar a: postulada, retirada") != std::string::npos);
        auto approve = approve_application(dev, app->id, {});
        REQUIRE_FALSE(approve.ok());
        CHECK(count(dev.conn(), "SELECT count(*) FROM outbox") == before);
        CHECK(count(dev.conn(), "SELECT count(*) FROM agreement") == 0);
        CHECK(status_of() == "identificada");
    }

    SECTION("withdrawn is final") {
        REQUIRE(move_application(dev, app->id, {"withdrawn", "el GAD desiste", "2026-01-05"}).ok());
        auto again = move_application(dev, app->id, {"applied", "", ""});
        REQUIRE_FALSE(again.ok());
        CHECK(again.err().en.find("final status") != std::string::npos);
    }

    SECTION("approved: the agreement is created from the application and syncs") {
        REQUIRE(move_application(dev, app->id, {"postulada", "enviada por correo", "2026-01-10"}).ok());
        REQUIRE(move_application(dev, app->id, {"negociacion", "", "2026-02-01"}).ok());
        approve_request req;
        req.signed_on = "2026-02-20";
        req.date = "2026-02-20";
        req.note = "aprobada por el comité";
        auto ok = approve_application(dev, app->id, req);
        REQUIRE(ok.ok());
        REQUIRE_FALSE(ok->agreement_id.empty());
        auto& db = dev.conn();
        std::string a = "SELECT {} FROM agreement WHERE id = '" + ok->agreement_id + "'";
        auto col = [&](const std::string& c) {
            auto q = a;
            q.replace(q.find("{}"), 2, c);
            return text(db, q);
        };
        CHECK(col("title") == "Fondo de agua AECID");
        CHECK(col("status") == "vigente");
        CHECK(col("signed_on") == "2026-02-20");
        CHECK(col("valid_from") == "2026-03-01");
        CHECK(col("valid_to") == "2027-12-31");
        CHECK(col("offer_id") == offer_id);
        CHECK(col("modality") == "fin_no_reembolsable");
        CHECK(col("source") == "bilateral");
        CHECK(col("purpose") == "Sistema comunitario");
        CHECK(col("currency") == "USD");
        CHECK(col("cooperant_amount") == "15000050");
        CHECK(col("counterpart_amount") == "3000000");
        CHECK(text(db, "SELECT organisation_id FROM agreement_party WHERE agreement_id = '" + ok->agreement_id +
                           "' AND role = 'cooperante'") == catalog_id(catalog_kind::organisations, "AECID"));
        CHECK(text(db, "SELECT agreement_id FROM application WHERE id = '" + app->id + "'") == ok->agreement_id);
        // Everything is in the outbox, waiting for the link.
        CHECK(count(db, "SELECT count(*) FROM outbox WHERE tbl = 'agreement' AND row_id = '" + ok->agreement_id + "'") == 1);
        CHECK(count(db, "SELECT count(*) FROM outbox WHERE tbl = 'agreement_party'") == 1);
        CHECK(count(db, "SELECT count(*) FROM outbox WHERE tbl = 'application_event'") == 3);
        auto history = application_history(dev, app->id);
        REQUIRE(history.size() == 3);
        CHECK(history[0].from == "identificada");
        CHECK(history[0].note == "enviada por correo");
        CHECK(history[2].to == "aprobada");
        CHECK(history[2].on_date == "2026-02-20");

        w.sync_ok(dev);
        CHECK(dev.changes().pending_count() == 0);
        auto& sdb = w.server->conn();
        CHECK(text(sdb, "SELECT status FROM application WHERE id = '" + app->id + "'") == "aprobada");
        CHECK(text(sdb, "SELECT agreement_id FROM application WHERE id = '" + app->id + "'") == ok->agreement_id);
        CHECK(text(sdb, "SELECT cooperant_amount FROM agreement WHERE id = '" + ok->agreement_id + "'") == "15000050");
        CHECK(count(sdb, "SELECT count(*) FROM application_event WHERE application_id = '" + app->id + "'") == 3);
        CHECK(count(sdb, "SELECT count(*) FROM demand_sdg WHERE demand_id = '" + demand->id + "' AND goal = 6") == 1);
        CHECK(scope_digest(dev.conn(), dev.gads()) == w.server_digest("170151"));
    }
}

TEST_CASE("practice: good-practice records sync to the server and print") {
    sync_world w;
    auto& dev = w.add_device("170151");
    entity_service svc(dev);
    auto before = dev.changes().pending_count();
    auto bad = svc.add(*find_entity("practice"), {{"title", "x"}, {"project", "abcd1234"}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().field == "--project");
    CHECK(dev.changes().pending_count() == before);
    auto p = svc.add(*find_entity("practice"),
                     {{"title", "Viveros comunitarios <Alangasí>"}, {"objective", "Restaurar 20 ha"},
                      {"partners", "Junta de agua & comuna"}, {"funder", "GIZ"},
                      {"steps", "1. Diagnóstico\n2. Vivero\n3. Siembra"}, {"results", "18 ha"},
                      {"commitments", "Mantenimiento 3 años"}, {"lessons", "Involucrar a las escuelas"},
                      {"territory", "170151"}});
    REQUIRE(p.ok());
    w.sync_ok(dev);
    auto& sdb = w.server->conn();
    auto records = load_practices(sdb, "170151", "");
    REQUIRE(records.size() == 1);
    CHECK(records[0].id == p->id);
    CHECK(records[0].lessons == "Involucrar a las escuelas");
    CHECK(records[0].territory_name == text(sdb, "SELECT name FROM territorial_unit WHERE code = '170151'"));
    auto html = practice_sheets(records, sheet_format::html, "es");
    CHECK(html.find("<h2>Viveros comunitarios &lt;Alangasí&gt;</h2>") != std::string::npos);
    CHECK(html.find("Junta de agua &amp; comuna") != std::string::npos);
    CHECK(html.find("Lecciones aprendidas") != std::string::npos);
    auto txt = practice_sheets(records, sheet_format::text, "en");
    CHECK(txt.find("Lessons learned:\n  Involucrar a las escuelas") != std::string::npos);
    CHECK(load_practices(sdb, "0901", "").empty());
}
