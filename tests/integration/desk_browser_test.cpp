// The parish desk in a real headless Chromium (WebDriver), on a real replica enrolled with a
// real server: a technician records an agreement, a project (a bad budget amount first) and an
// indicator, enters two observations, searches an offer, resolves a conflict and syncs; then
// the replica's SQLite and the server hold it all. Screenshots in build/artifacts/desk-*.png.
#include "browser_support.hpp"
#include "server_fixture.hpp"
#include "webdriver.hpp"

#include <minga/shared/sqlite.hpp>

#include <thread>

using namespace minga::test;
using nlohmann::json;

namespace {

const std::string gad = "170151";

std::int64_t scalar(const fs::path& db_file, const std::string& sql) {
    minga::sql::db db(db_file.string());
    auto s = db.prepare(sql);
    s.step();
    return s.get_int(0);
}

std::string id_in(const std::string& url, const std::string& folder) {
    const auto at = url.find(folder) + folder.size();
    return url.substr(at, url.find('?', at) - at);
}

bool has(const std::string& page, const std::string& text) { return page.find(text) != std::string::npos; }

}  // namespace

TEST_CASE("desk: a morning at the parish in headless Chromium, then everything is on the server",
          "[integration][desk][browser]") {
    auto chromium = find_chromium();
    if (!chromium) return;
    auto chromedriver = find_chromedriver();
    if (!chromedriver) return;
    const auto artifacts = fs::path(MINGA_BIN_DIR) / "artifacts";
    fs::create_directories(artifacts);

    // A server with the catalogue, two devices of the parish, one concurrent edit.
    minga_server server;
    const auto samples = fs::path(MINGA_SOURCE_DIR) / "data" / "samples";
    for (const auto& [kind, file] : {std::pair{"organisations", "organisations.csv"}, {"ngos", "ngos.csv"},
                                     {"offers", "offers.csv"}})
        (void)server.run_json({"catalog", "import", kind, (samples / file).string()});
    server.start();
    minga_client a, b;
    a.init(gad);
    b.init(gad);
    ok_json(a, server.enroll_args(server.token(gad)));
    ok_json(b, server.enroll_args(server.token(gad)));
    const auto shared_id =
        b.add({"agreement", "add", "--title", "Convenio marco", "--kind", "convenio_marco", "--status", "vigente"});
    ok_json(b, {"sync"});
    ok_json(a, {"sync"});
    ok_json(a, {"agreement", "update", shared_id, "--title", "Convenio marco (versión de la tableta A)"});
    ok_json(b, {"agreement", "update", shared_id, "--title", "Convenio marco (versión de la tableta B)"});
    ok_json(a, {"sync"});
    ok_json(b, {"sync"});
    ok_json(a, {"sync"});
    const int open_before = ok_json(a, {"conflicts"}).at("count").get<int>();
    REQUIRE(open_before >= 1);

    // `minga desk` on device a.
    run_options o;
    o.env = {{"MINGA_DATA", std::nullopt}, {"MINGA_LANG", std::nullopt}, {"HOME", a.scratch().str()}};
    o.timeout = std::chrono::minutes(3);
    child_process desk(minga_bin(), {"--data", a.data_dir().string(), "desk", "--port", "0"}, o);
    const auto first = desk.read_line();
    REQUIRE(first);
    REQUIRE(first->rfind("listening on http://127.0.0.1:", 0) == 0);
    const auto second = desk.read_line();
    REQUIRE(second);
    const std::string link = second->substr(second->find("http://"));
    const std::string base = first->substr(std::string("listening on ").size());

    temp_dir profile("desk-chromium");
    std::string project_id, indicator_id;
    {
        webdriver wd(*chromedriver, *chromium, profile.path());
        wd.go(link);
        CHECK(wd.url() == base + "/");
        CHECK(has(wd.source(), "Cambios pendientes de enviar"));
        wd.screenshot(artifacts / "desk-inicio.png");

        // An agreement.
        wd.go(base + "/convenios/nuevo");
        wd.type("#f-title", "Convenio con AECID para agua");
        wd.click("#f-kind option[value=convenio_especifico]");
        wd.click("#f-status option[value=vigente]");
        wd.submit("form.entity button[type=submit]");
        CHECK(has(wd.url(), "/convenios/"));
        CHECK(has(wd.source(), "Registrado."));

        // A project: a bad budget amount is refused next to its field, then corrected.
        wd.go(base + "/proyectos/nuevo");
        wd.type("#f-title", "Agua para Nono");
        wd.click("#f-modality option[value=fin_no_reembolsable]");
        wd.type("#f-pdot", "OE2 agua potable y saneamiento");
        wd.click("input[name=sdg][value='6']");
        wd.click("input[name=location][value='170151']");
        wd.set_nth_value("budget-start", 0, "2025-01-01");
        wd.set_nth_value("budget-end", 0, "2025-12-31");
        wd.type("input[name=budget-amount]", "mucho");
        wd.submit("form.entity button[type=submit]");
        auto refused = wd.source();
        CHECK(has(refused, "id=\"err-budget\""));
        CHECK(has(refused, "No se guardó nada"));
        CHECK(wd.focused_id() == "resumen-errores");  // the script moved focus to the summary
        wd.screenshot(artifacts / "desk-validacion.png");
        wd.type("input[name=budget-amount]", "15000");
        wd.submit("form.entity button[type=submit]");
        REQUIRE(has(wd.url(), "/proyectos/"));
        project_id = id_in(wd.url(), "/proyectos/");

        // An indicator of that project and two observations.
        wd.go(base + "/indicadores/nuevo?project=" + project_id);
        wd.type("#f-title", "Familias con agua potable");
        wd.type("#f-unit", "familias");
        wd.type("#f-baseline", "0");
        wd.type("#f-target", "200");
        wd.submit("form.entity button[type=submit]");
        REQUIRE(has(wd.url(), "/indicadores/"));
        indicator_id = id_in(wd.url(), "/indicadores/");
        for (const auto& [date, value] : {std::pair{"2025-03-10", "40"}, {"2025-05-10", "60"}}) {
            wd.go(base + "/seguimiento/" + indicator_id);
            wd.set_value("#f-date", date);
            wd.type("#f-value", value);
            wd.submit("form[action$='/observacion'] button[type=submit]");
        }
        CHECK(has(wd.source(), "data-valor=\"100\""));
        wd.screenshot(artifacts / "desk-seguimiento.png");

        // The printable sheet.
        wd.go(base + "/proyectos/" + project_id + "/ficha");
        CHECK(has(wd.source(), "Familias con agua potable"));
        wd.screenshot(artifacts / "desk-ficha.png");
        wd.print_pdf(artifacts / "desk-ficha.pdf");

        // An offer.
        wd.go(base + "/ofertas");
        wd.type("#o-q", "agua potable");
        wd.submit("form.search button[type=submit]");
        CHECK(has(wd.source(), "Fondo de agua potable"));
        wd.screenshot(artifacts / "desk-ofertas.png");

        // A conflict: keep this tablet's value.
        wd.go(base + "/conflictos");
        wd.screenshot(artifacts / "desk-conflictos.png");
        wd.submit("button[value=mio]");
        CHECK(has(wd.source(), "Conflicto resuelto"));

        // Sync, and wait for the page to say how it ended.
        wd.go(base + "/sincronizar");
        wd.submit("#sincronizar");
        std::string page;
        for (int i = 0; i < 300; ++i) {
            page = wd.source();
            if (has(page, "data-estado=\"completa\"") || has(page, "data-estado=\"fallida\"")) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        CHECK(has(page, "data-estado=\"completa\""));
        CHECK(has(page, "Sincronización completa"));
        wd.screenshot(artifacts / "desk-sincronizar.png");

        // English on request.
        wd.go(base + "/");
        wd.submit("form.lang button");
        CHECK(has(wd.source(), "Changes waiting to be sent"));
    }
    desk.stop();

    // The replica: everything stored, nothing pending.
    const auto db = a.db_file();
    CHECK(scalar(db, "SELECT count(*) FROM agreement WHERE title = 'Convenio con AECID para agua' AND deleted = 0") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM project WHERE id = '" + project_id +
                         "' AND pdot_ref = 'OE2 agua potable y saneamiento'") == 1);
    CHECK(scalar(db, "SELECT count(*) FROM project_sdg WHERE project_id = '" + project_id + "' AND goal = 6 AND deleted = 0") == 1);
    CHECK(scalar(db, "SELECT amount FROM project_budget WHERE project_id = '" + project_id + "' AND deleted = 0") == 1500000);
    CHECK(scalar(db, "SELECT count(*) FROM observation WHERE indicator_id = '" + indicator_id + "' AND deleted = 0") == 2);
    CHECK(ok_json(a, {"status"}).at("pending_changes").get<int>() == 0);
    CHECK(ok_json(a, {"conflicts"}).at("count").get<int>() == open_before - 1);

    // The server: the other tablet receives it all, and both match the server's digest.
    ok_json(b, {"sync"});
    CHECK(client_digest(a) == server.digest(gad));
    CHECK(client_digest(b) == server.digest(gad));
    CHECK(scalar(b.db_file(), "SELECT count(*) FROM observation WHERE indicator_id = '" + indicator_id + "'") == 2);
    CHECK(scalar(b.db_file(), "SELECT count(*) FROM project WHERE title = 'Agua para Nono'") == 1);
    for (const char* shot : {"desk-inicio.png", "desk-validacion.png", "desk-seguimiento.png", "desk-ofertas.png",
                             "desk-sincronizar.png", "desk-ficha.png"})
        CHECK(fs::file_size(artifacts / shot) > 5'000);
}
