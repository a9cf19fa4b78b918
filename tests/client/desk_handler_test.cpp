// The parish desk's handlers in process (no browser, no socket): who may post, what a refused
// form shows and that it writes nothing, and that accepted forms go through the store API.
#include "desk_fixture.hpp"
#include "desk_forms.hpp"
#include "minga_cli.hpp"

#include <minga/shared/entity_service.hpp>

using namespace minga;
using namespace minga::test;
namespace http = dk::http;

namespace {

bool contains(const dk::response& res, std::string_view text) {
    return res.body().find(text) != std::string::npos;
}

const std::string good_project =
    "title=Agua+para+Nono&modality=fin_no_reembolsable&planned-start=2025-01-01&planned-end=2026-06-30"
    "&pdot=OE2+agua&sdg=6&sdg=13&location=170151&budget-start=2025-01-01&budget-end=2025-12-31"
    "&budget-amount=15000.50&budget-start=&budget-end=&budget-amount=";

}  // namespace

TEST_CASE("desk: pages need the session that the printed link gives", "[client][desk]") {
    desk_world w;
    auto bare = w.make(http::verb::get, "/");
    bare.erase(http::field::cookie);
    CHECK(w.handle(bare).result() == http::status::forbidden);

    auto wrong = w.get("/entrar?clave=0123");
    CHECK(wrong.result() == http::status::forbidden);
    auto in = w.get("/entrar?clave=" + w.secrets().session);
    CHECK(in.result() == http::status::see_other);
    const std::string cookie(in[http::field::set_cookie]);
    CHECK(cookie.find("SameSite=Strict") != std::string::npos);
    CHECK(cookie.find("HttpOnly") != std::string::npos);

    auto home = w.get("/");
    CHECK(home.result() == http::status::ok);
    CHECK(contains(home, "Cambios pendientes de enviar"));
    CHECK(contains(home, "lang=\"es\""));
    CHECK(std::string(home["Content-Security-Policy"]).find("frame-ancestors 'none'") != std::string::npos);
    // Every asset is in the binary.
    auto css = w.get("/recursos/desk.css");
    CHECK(css.result() == http::status::ok);
    CHECK(std::string(css[http::field::content_type]).rfind("text/css", 0) == 0);
    CHECK(contains(css, "@media print"));
    CHECK(w.get("/recursos/otro.js").result() == http::status::not_found);
}

TEST_CASE("desk: a cross-origin post, a rebinding Host and a post without the secret write nothing",
          "[client][desk]") {
    desk_world w;
    const auto before = w.pending();
    const std::string body = std::string(dk::token_field) + "=" + w.secrets().form_token + "&" + good_project;

    SECTION("another site's page posting into the desk") {
        auto req = w.make(http::verb::post, "/proyectos", body);
        req.set(http::field::origin, "http://evil.example");
        CHECK(w.handle(req).result() == http::status::forbidden);
        req.set(http::field::origin, "null");
        CHECK(w.handle(req).result() == http::status::forbidden);
        req.set(http::field::origin, "http://127.0.0.1:" + std::to_string(desk_world::port));
        req.set("Sec-Fetch-Site", "cross-site");
        CHECK(w.handle(req).result() == http::status::forbidden);
    }
    SECTION("a DNS-rebinding name for 127.0.0.1") {
        auto req = w.make(http::verb::post, "/proyectos", body);
        req.set(http::field::host, "evil.example:" + std::to_string(desk_world::port));
        req.set(http::field::origin, "http://evil.example:" + std::to_string(desk_world::port));
        CHECK(w.handle(req).result() == http::status::forbidden);
        auto get = w.make(http::verb::get, "/proyectos");
        get.set(http::field::host, "evil.example:" + std::to_string(desk_world::port));
        CHECK(w.handle(get).result() == http::status::forbidden);
    }
    SECTION("no Origin header on a post") {
        auto req = w.make(http::verb::post, "/proyectos", body);
        req.erase(http::field::origin);
        CHECK(w.handle(req).result() == http::status::forbidden);
    }
    SECTION("the right origin and cookie but no form token, or a wrong one") {
        auto none = w.make(http::verb::post, "/proyectos", good_project);
        auto res = w.handle(none);
        CHECK(res.result() == http::status::forbidden);
        CHECK(contains(res, "No se guardó nada"));
        auto wrong = w.make(http::verb::post, "/proyectos", std::string(dk::token_field) + "=" + w.secrets().session +
                                                                "&" + good_project);
        CHECK(w.handle(wrong).result() == http::status::forbidden);
    }
    SECTION("the form token without the session cookie") {
        auto req = w.make(http::verb::post, "/proyectos", body);
        req.erase(http::field::cookie);
        CHECK(w.handle(req).result() == http::status::forbidden);
    }
    SECTION("a conflict resolution or a sync from elsewhere") {
        auto req = w.make(http::verb::post, "/sincronizar", body);
        req.set(http::field::origin, "http://localhost:1");
        CHECK(w.handle(req).result() == http::status::forbidden);
        CHECK_FALSE(w.handle(req).result() == http::status::see_other);
    }
    CHECK(w.pending() == before);
    CHECK(w.count("project") == 0);
}

TEST_CASE("desk: a bad field is shown next to the field and nothing is half-written", "[client][desk]") {
    desk_world w;
    const auto before = w.pending();
    // A valid project except for one budget amount: neither the project nor its SDGs,
    // locations or first budget may be stored.
    auto res = w.post("/proyectos", good_project + "&budget-start=2026-01-01&budget-end=2026-06-30&budget-amount=mucho");
    CHECK(res.result() == http::status::unprocessable_entity);
    CHECK(contains(res, "id=\"err-budget\""));
    CHECK(contains(res, "aria-invalid=\"true\""));
    CHECK(contains(res, "No se guardó nada"));
    CHECK(contains(res, "value=\"Agua para Nono\""));  // what was typed is kept
    CHECK(w.pending() == before);
    CHECK(w.count("project") == 0);
    CHECK(w.count("project_sdg") == 0);
    CHECK(w.count("project_budget") == 0);

    auto date = w.post("/proyectos", "title=X&modality=fin_no_reembolsable&planned-start=2025-13-45");
    CHECK(date.result() == http::status::unprocessable_entity);
    CHECK(contains(date, "id=\"err-planned-start\""));
    auto missing = w.post("/convenios", "kind=convenio_marco&status=vigente");
    CHECK(missing.result() == http::status::unprocessable_entity);
    CHECK(contains(missing, "id=\"err-title\""));
    CHECK(w.pending() == before);

    SECTION("in English when chosen") {
        auto req = w.make(http::verb::post, "/convenios",
                          std::string(dk::token_field) + "=" + w.secrets().form_token + "&kind=convenio_marco&status=vigente");
        req.set(http::field::cookie, std::string(dk::session_cookie) + "=" + w.secrets().session + "; minga_idioma=en");
        auto en = w.handle(req);
        CHECK(contains(en, "Nothing was saved"));
        CHECK(contains(en, "lang=\"en\""));
    }
}

TEST_CASE("desk: forms write through the store API, edits only what changed", "[client][desk]") {
    desk_world w;
    const auto before = w.pending();
    auto res = w.post("/proyectos", good_project);
    REQUIRE(res.result() == http::status::see_other);
    const auto id = created_id(res);
    CHECK(w.pending() > before);
    entity_service svc(w.r());
    auto rec = svc.get(*find_entity("project"), id);
    REQUIRE(rec);
    const auto f = svc.form_of(*find_entity("project"), *rec);
    CHECK(dk::value_in(f, "title") == "Agua para Nono");
    CHECK(dk::value_in(f, "pdot") == "OE2 agua");
    CHECK(dk::value_in(f, "budget") == "2025-01-01:2025-12-31:15000.50");
    CHECK(w.count("project_sdg") == 2);
    CHECK(w.count("project_location") == 1);

    auto show = w.get("/proyectos/" + id + "?hecho=creado");
    CHECK(show.result() == http::status::ok);
    CHECK(contains(show, "15000.50"));
    auto sheet = w.get("/proyectos/" + id + "/ficha");
    CHECK(sheet.result() == http::status::ok);
    CHECK(contains(sheet, "data-imprimir"));
    CHECK(contains(sheet, "Nono"));

    // Edit: the form comes back filled in; only the title changes.
    auto edit = w.get("/proyectos/" + id + "/editar");
    CHECK(contains(edit, "value=\"OE2 agua\""));
    const auto after_add = w.pending();
    auto upd = w.post("/proyectos/" + id, "title=Agua+para+Nono+II&modality=fin_no_reembolsable&planned-start=2025-01-01"
                                          "&planned-end=2026-06-30&pdot=OE2+agua&sdg=6&sdg=13&location=170151"
                                          "&budget-start=2025-01-01&budget-end=2025-12-31&budget-amount=15000.50"
                                          "&currency=USD&activity-status=1");
    CHECK(upd.result() == http::status::see_other);
    CHECK(w.pending() == after_add + 1);
    CHECK(w.count("project_sdg") == 2);

    // An indicator, a period and observations; the progress against the target.
    auto ind = w.post("/indicadores", "project=" + id + "&title=Familias+con+agua&unit=familias&baseline=0&target=200");
    REQUIRE(ind.result() == http::status::see_other);
    const auto ind_id = created_id(ind);
    CHECK(w.post("/seguimiento/" + ind_id + "/periodo", "start=2025-01-01&end=2025-06-30&target=100").result() ==
          http::status::see_other);
    CHECK(w.post("/seguimiento/" + ind_id + "/observacion", "date=2025-03-10&value=40").result() == http::status::see_other);
    CHECK(w.post("/seguimiento/" + ind_id + "/observacion", "date=2025-05-10&value=60").result() == http::status::see_other);
    auto bad = w.post("/seguimiento/" + ind_id + "/observacion", "date=2025-05-10&value=muchos");
    CHECK(bad.result() == http::status::unprocessable_entity);
    CHECK(contains(bad, "id=\"err-value\""));
    CHECK(w.count("observation") == 2);
    auto page = w.get("/seguimiento/" + ind_id);
    CHECK(contains(page, "data-valor=\"100\""));
    CHECK(contains(page, "value=\"50\""));  // 100 of 200: half way
}

TEST_CASE("desk: an edit that leaves a list empty empties it, row and outbox together", "[client][desk][lists]") {
    desk_world w;
    auto res = w.post("/proyectos", good_project + "&sector=14030");
    REQUIRE(res.result() == http::status::see_other);
    const auto id = created_id(res);
    REQUIRE(w.count("project_sdg") == 2);
    REQUIRE(w.count("project_budget") == 1);
    REQUIRE(w.count("project_sector") == 1);
    const auto seq = all_pending(w.r()).back().seq;

    // The same form with no SDG or parish ticked, the budget rows blanked and the sectors'
    // text area emptied.
    auto upd = w.post("/proyectos/" + id, edit_body(w.r(), "project", id, {"sdg", "location", "budget", "sector"}) +
                                              "&sector=");
    CHECK(upd.result() == http::status::see_other);
    CHECK(w.count("project_sdg") == 0);
    CHECK(w.count("project_location") == 0);
    CHECK(w.count("project_budget") == 0);
    CHECK(w.count("project_sector") == 0);
    CHECK(w.count("project") == 1);
    // Every removed child row went to the outbox as a delete, and nothing else did.
    std::map<std::string, int> deletes;
    for (const auto& c : pending_after(w.r(), seq)) {
        CHECK(c.op == change_op::remove);
        ++deletes[c.table];
    }
    CHECK(deletes == std::map<std::string, int>{
                         {"project_budget", 1}, {"project_location", 1}, {"project_sdg", 2}, {"project_sector", 1}});
    auto edit = w.get("/proyectos/" + id + "/editar");
    CHECK_FALSE(contains(edit, " checked"));
    // Saving the emptied form again changes nothing.
    const auto after = w.pending();
    CHECK(w.post("/proyectos/" + id, edit_body(w.r(), "project", id, {})).result() == http::status::see_other);
    CHECK(w.pending() == after);
}

TEST_CASE("desk: the observation form offers only the chosen indicator's periods and refuses another's",
          "[client][desk][periods]") {
    desk_world w;
    const auto project = created_id(w.post("/proyectos", good_project));
    const auto water = created_id(w.post("/indicadores", "project=" + project + "&title=Familias+con+agua&unit=familias"));
    const auto trees = created_id(w.post("/indicadores", "project=" + project + "&title=Hectareas&unit=ha"));
    REQUIRE(w.post("/seguimiento/" + water + "/periodo", "start=2025-01-01&end=2025-06-30").result() == http::status::see_other);
    REQUIRE(w.post("/seguimiento/" + trees + "/periodo", "start=2025-07-01&end=2025-12-31").result() == http::status::see_other);
    entity_service svc(w.r());
    const auto& period_spec = *find_entity("period");
    const auto water_period = svc.list(period_spec, list_filter{water, 0}).at(0).id;
    const auto trees_period = svc.list(period_spec, list_filter{trees, 0}).at(0).id;

    // On the indicator's page: its period, labelled by its dates, and not the other's.
    auto page = w.get("/seguimiento/" + water);
    CHECK(contains(page, "<option value=\"" + water_period + "\">" + water_period + " · 2025-01-01 – 2025-06-30 ("));
    CHECK_FALSE(contains(page, trees_period));
    // A new observation with no indicator chosen yet: every period, grouped by indicator.
    auto blank = w.get("/observaciones/nuevo");
    CHECK(contains(blank, "<optgroup label=\"Familias con agua (" + water.substr(0, 8) + ")\"><option value=\"" + water_period));
    CHECK(contains(blank, "<optgroup label=\"Hectareas (" + trees.substr(0, 8) + ")\"><option value=\"" + trees_period));
    // With the indicator given, only its periods.
    auto chosen = w.get("/observaciones/nuevo?indicator=" + trees);
    CHECK(contains(chosen, trees_period));
    CHECK_FALSE(contains(chosen, water_period));

    // Another indicator's period is refused, naming the field, and nothing is written.
    const auto before = w.pending();
    auto bad = w.post("/seguimiento/" + water + "/observacion", "date=2025-03-10&value=4&period=" + trees_period);
    CHECK(bad.result() == http::status::unprocessable_entity);
    CHECK(contains(bad, "id=\"err-period\""));
    CHECK(contains(bad, "el período no es del indicador elegido"));
    auto bad_new = w.post("/observaciones", "indicator=" + trees + "&date=2025-03-10&value=4&period=" + water_period);
    CHECK(bad_new.result() == http::status::unprocessable_entity);
    CHECK(contains(bad_new, "id=\"err-period\""));
    auto req = w.make(http::verb::post, "/seguimiento/" + water + "/observacion",
                      std::string(dk::token_field) + "=" + w.secrets().form_token + "&date=2025-03-10&value=4&period=" +
                          trees_period);
    req.set(http::field::cookie, std::string(dk::session_cookie) + "=" + w.secrets().session + "; minga_idioma=en");
    auto en = w.handle(req);
    CHECK(en.result() == http::status::unprocessable_entity);
    CHECK(contains(en, "the period does not belong to the chosen indicator"));
    CHECK(w.pending() == before);
    CHECK(w.count("observation") == 0);
    // Its own period is accepted.
    CHECK(w.post("/seguimiento/" + water + "/observacion", "date=2025-03-10&value=4&period=" + water_period).result() ==
          http::status::see_other);
    CHECK(w.count("observation") == 1);
}

TEST_CASE("desk: offer search by words and filters", "[client][desk]") {
    desk_world w;
    auto all = w.get("/ofertas?q=agua");
    CHECK(all.result() == http::status::ok);
    CHECK(contains(all, "Fondo de agua potable"));
    CHECK(w.get("/ofertas?q=agua&modalidad=tecnica_becas").body().find("Fondo de agua potable") == std::string::npos);
    CHECK(contains(w.get("/ofertas?q=agua&ods=6"), "Fondo de agua potable"));
    CHECK(!contains(w.get("/ofertas?q=agua&ods=4"), "Fondo de agua potable"));
    CHECK(!contains(w.get("/ofertas?q=agua&cierre=2030-01-01"), "Fondo de agua potable"));
    CHECK(contains(w.get("/ofertas?fuente=bilateral"), "Fondo de agua potable"));
}

TEST_CASE("desk: posted forms decode strictly", "[client][desk]") {
    auto f = dk::parse_urlencoded("a=1&b=x+y%C3%A1&a=2&&c");
    REQUIRE(f);
    CHECK(f->all("a") == std::vector<std::string>{"1", "2"});
    CHECK(f->get("b") == "x yá");
    CHECK(f->has("c"));
    CHECK_FALSE(dk::parse_urlencoded("a=%G1"));
    CHECK_FALSE(dk::parse_urlencoded("a=%4"));
    std::string many;
    for (std::size_t i = 0; i <= 2000; ++i) many += "x=1&";
    CHECK(dk::parse_urlencoded(many).err().code == errc::too_large);
}

TEST_CASE("desk: `minga desk` without a replica says so and serves nothing", "[client][desk]") {
    minga_client c;
    auto r = c.run({"desk", "--port", "0"});
    INFO(r.describe());
    CHECK_FALSE(r.exited(0));
    CHECK(r.out.find("listening on") == std::string::npos);
    CHECK_FALSE(r.err.empty());
}

TEST_CASE("desk: a sync that cannot run says why in Spanish, on its own thread", "[client][desk]") {
    desk_world w;
    CHECK(w.get("/sincronizar").body().find("data-estado=\"inactivo\"") != std::string::npos);
    auto res = w.post("/sincronizar", "");
    CHECK(res.result() == http::status::see_other);
    w.sync().wait();
    auto page = w.get("/sincronizar");
    CHECK(contains(page, "data-estado=\"fallida\""));
    CHECK(contains(page, "no está inscrito en un servidor"));
    CHECK(contains(page, "minga enroll --server URL --token T"));
    CHECK(contains(w.get("/"), "La sincronización no terminó"));
}
