// The dashboard's API on a real server: only signed-in central users get data (no cookie, a
// device credential, a wrong secret: refused), and its numbers equal `minga-server report`'s.
#include "dashboard_fixture.hpp"

using namespace minga::test;
using nlohmann::json;

TEST_CASE("dashboard api: refused without a user session, device credentials included",
          "[integration][dashboard]") {
    dashboard_world x;
    auto none = x.request(http::verb::get, "/api/v1/dashboard/summary");
    CHECK(none.status == 401);
    CHECK(json::parse(none.body).at("error").at("code") == "unauthorized");
    auto page = x.request(http::verb::get, "/dashboard");
    CHECK(page.status == 303);
    CHECK(page.location == "/dashboard/login");
    // The device's own credential works for sync, never for the dashboard.
    CHECK(x.request(http::verb::get, "/api/v1/dashboard/summary", {}, x.credential_a).status == 401);
    CHECK(x.request(http::verb::get, "/api/v1/dashboard/summary", x.credential_a).status == 401);
    auto as_secret = x.request(http::verb::post, "/dashboard/login", {}, {}, "secret=" + x.credential_a);
    CHECK(as_secret.status == 401);
    CHECK(as_secret.set_cookie.empty());
    CHECK(x.request(http::verb::post, "/dashboard/login", {}, {}, "secret=" + x.secret + "0").status == 401);

    auto ok = x.request(http::verb::post, "/dashboard/login", {}, {}, "secret=" + x.secret);
    CHECK(ok.status == 303);
    CHECK(ok.location == "/dashboard");
    CHECK(ok.set_cookie.find("HttpOnly") != std::string::npos);
    CHECK(ok.set_cookie.find("SameSite=Strict") != std::string::npos);
    const auto token = x.sign_in();
    CHECK(x.request(http::verb::get, "/api/v1/dashboard/summary", token).status == 200);
    auto html = x.request(http::verb::get, "/dashboard", token);
    CHECK(html.status == 200);
    CHECK(html.body.find("Agua &amp; saneamiento &lt;&quot;El Tingo&quot;&gt;") == std::string::npos);  // titles not shown
    CHECK(html.body.find("<html lang=\"es\"") != std::string::npos);
    // The demand plan synced by the parish is on the page, under its province.
    const auto plan = html.body.find("id=\"tabla-demandas\"");
    REQUIRE(plan != std::string::npos);
    const auto plan_end = html.body.find("</table>", plan);
    CHECK(html.body.find("Pichincha", plan) < plan_end);
    CHECK(html.body.find("2026", plan) < plan_end);

    SECTION("signing out ends the session") {
        CHECK(x.request(http::verb::post, "/dashboard/logout", token).status == 303);
        CHECK(x.request(http::verb::get, "/api/v1/dashboard/summary", token).status == 401);
    }
    // Neither the secret nor the session token reaches the server's log.
    x.server.stop();
    CHECK(x.server.log_text().find(x.secret) == std::string::npos);
    CHECK(x.server.log_text().find(token) == std::string::npos);
}

TEST_CASE("dashboard api: the numbers equal minga-server report's", "[integration][dashboard]") {
    dashboard_world x;
    const auto token = x.sign_in();
    auto get = [&](const std::string& target) {
        auto r = x.request(http::verb::get, target, token);
        INFO(target << ": " << r.body);
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    };
    const auto province = x.report("province");
    auto summary = get("/api/v1/dashboard/summary");
    CHECK(summary.at("totals") == province.at("totals"));
    CHECK(summary.at("totals").at("proyectos") == 2);
    CHECK(summary.at("totals").at("comprometido_usd") == 60500.50);
    CHECK(get("/api/v1/dashboard/territory").at("rows") == province.at("rows"));
    for (const std::string by : {"ods", "source", "modality", "cooperant", "year"})
        CHECK(get("/api/v1/dashboard/breakdown?by=" + by).at("rows") == x.report(by).at("rows"));

    // Drill-down: the canton report's rows of province 17, the parish report's rows of canton 1701.
    auto cantons = x.report("canton").at("rows");
    json of17 = json::array();
    for (const auto& r : cantons)
        if (r.at("provincia") == "17") of17.push_back(r);
    CHECK_FALSE(of17.empty());
    CHECK(get("/api/v1/dashboard/territory?province=17").at("rows") == of17);
    auto parishes = x.report("parish").at("rows");
    json of1701 = json::array();
    for (const auto& r : parishes)
        if (r.at("canton") == "1701") of1701.push_back(r);
    CHECK(of1701.size() == 2);  // Alangasí and Amaguaña, 50% each
    CHECK(get("/api/v1/dashboard/territory?canton=1701").at("rows") == of1701);
    CHECK(x.request(http::verb::get, "/api/v1/dashboard/territory?province=x7", token).status == 400);
    CHECK(x.request(http::verb::get, "/api/v1/dashboard/breakdown?by=nada", token).status == 400);

    auto sync = get("/api/v1/dashboard/sync").at("gads");
    REQUIRE(sync.size() == 2);
    CHECK(sync[0].at("gad") == "010152");
    CHECK(sync[1].at("gad") == "170151");
    CHECK(sync[1].at("devices_active") == 1);
    CHECK(sync[1].at("projects") == 1);
    CHECK(sync[1].at("open_conflicts") == 0);
    CHECK(sync[1].at("last_sync_ms").is_number());

    auto ind = get("/api/v1/dashboard/indicators").at("indicators");
    REQUIRE(ind.size() == 1);
    CHECK(ind[0].at("key") == "IND-HA-REST");
    CHECK(ind[0].at("name") == "Hectáreas restauradas");
    CHECK(ind[0].at("rule") == "sum");
    CHECK(ind[0].at("current") == 16.0);  // sum of 10 and 6
    CHECK(ind[0].at("target") == 40.0);
    CHECK(ind[0].at("progress_pct") == 40.0);
}

TEST_CASE("dashboard api: indicator progress equals minga-server report indicators",
          "[integration][dashboard]") {
    dashboard_world x;
    const auto token = x.sign_in();
    auto r = x.server.run({"report", "indicators", "--by", "province", "--format", "json"});
    REQUIRE(r.exited(0));
    const auto report = json::parse(r.out);
    const auto& totals = report.at("totals");
    REQUIRE(totals.size() == 1);
    auto api = x.request(http::verb::get, "/api/v1/dashboard/indicators", token);
    REQUIRE(api.status == 200);
    const auto ind = json::parse(api.body).at("indicators");
    REQUIRE(ind.size() == totals.size());
    for (std::size_t i = 0; i < ind.size(); ++i) {
        const auto& t = totals[i];
        INFO(t.dump());
        CHECK(ind[i].at("key") == t.at("indicador"));
        CHECK(ind[i].at("rule") == t.at("regla"));
        CHECK(ind[i].at("projects") == t.at("proyectos"));
        CHECK(ind[i].at("indicators") == t.at("indicadores"));
        CHECK(ind[i].at("observations") == t.at("observaciones"));
        CHECK(ind[i].at("current") == t.at("valor"));
        CHECK(ind[i].at("target") == t.at("meta"));
    }
    // The province rows add up to the national total for a sum indicator.
    double by_province = 0;
    for (const auto& row : report.at("rows")) by_province += row.at("valor").get<double>();
    CHECK(by_province == totals[0].at("valor").get<double>());

    // A new observation counts on the dashboard only once consolidated, like in the report.
    const auto before = ind[0].at("current").get<double>();
    auto list = x.a.run_json({"list", "indicator"});
    REQUIRE(list.exited(0));
    const auto id = json::parse(list.out).at("rows").at(0).at("id").get<std::string>();
    x.a.add({"observe", "--indicator", id, "--value", "4", "--date", "2025-10-01"});
    REQUIRE(x.a.run_json({"sync"}).exited(0));
    auto same = json::parse(x.request(http::verb::get, "/api/v1/dashboard/indicators", token).body);
    CHECK(same.at("indicators")[0].at("current") == before);
    REQUIRE(x.server.run({"consolidate"}).exited(0));
    auto after = json::parse(x.request(http::verb::get, "/api/v1/dashboard/indicators", token).body);
    CHECK(after.at("indicators")[0].at("current") == before + 4);
}

TEST_CASE("dashboard api: the demand plan equals minga-server report --by demand-X",
          "[integration][dashboard]") {
    dashboard_world x;
    const auto token = x.sign_in();
    for (const std::string by : {"province", "sector", "ods", "modality", "priority", "coverage", "gaps"}) {
        INFO(by);
        auto api = x.request(http::verb::get, "/api/v1/dashboard/demand-plan?by=" + by, token);
        REQUIRE(api.status == 200);
        auto cli = x.server.run({"report", "--by", "demand-" + by, "--format", "json"});
        REQUIRE(cli.exited(0));
        CHECK(json::parse(api.body) == json::parse(cli.out));
    }
    auto plan = json::parse(x.request(http::verb::get, "/api/v1/dashboard/demand-plan", token).body);
    CHECK(plan.at("report") == "demand");
    REQUIRE(plan.at("rows").size() == 1);
    CHECK(plan.at("rows")[0].at("provincia") == "17");
    CHECK(plan.at("rows")[0].at("demandas") == 1);
    CHECK(plan.at("totals").at("demands") == 1);
    CHECK(plan.at("totals").at("estimated_usd") == 25000.0);
    auto bad = x.request(http::verb::get, "/api/v1/dashboard/demand-plan?by=nada", token);
    CHECK(bad.status == 400);
    CHECK(json::parse(bad.body).at("error").at("field") == "by");
    CHECK(x.request(http::verb::get, "/api/v1/dashboard/demand-plan").status == 401);
}

TEST_CASE("dashboard page: drill-down province to canton to parish, indicators and print rules",
          "[integration][dashboard]") {
    dashboard_world x;
    const auto token = x.sign_in();
    auto page = [&](const std::string& target) {
        auto r = x.request(http::verb::get, target, token);
        INFO(target);
        REQUIRE(r.status == 200);
        return r.body;
    };
    // Every row of a report on the page, with its committed amount, and a link one level down.
    auto rows_on = [](const std::string& html, const json& rows, const std::string& key,
                      const std::string& link) {
        for (const auto& row : rows) {
            const auto code = row.at(key).get<std::string>();
            INFO(code);
            const auto tr = html.find("<tr data-codigo=\"" + code + "\">");
            REQUIRE(tr != std::string::npos);
            const auto end = html.find("</tr>", tr);
            char cents[32];
            std::snprintf(cents, sizeof cents, "%.2f", row.at("comprometido_usd").get<double>());
            CHECK(html.find("data-valor=\"" + std::string(cents) + "\"", tr) < end);
            if (!link.empty()) CHECK(html.find("href=\"/dashboard?" + link + "=" + code + "\"", tr) < end);
        }
    };
    const auto national = page("/dashboard");
    const auto provinces = x.report("province");
    rows_on(national, provinces.at("rows"), "provincia", "provincia");
    CHECK(national.find("@media print") != std::string::npos);

    json cantons17 = json::array(), parishes1701 = json::array();
    const auto cantons = x.report("canton");
    const auto parishes = x.report("parish");
    for (const auto& r : cantons.at("rows"))
        if (r.at("provincia") == "17") cantons17.push_back(r);
    for (const auto& r : parishes.at("rows"))
        if (r.at("canton") == "1701") parishes1701.push_back(r);
    REQUIRE_FALSE(cantons17.empty());
    REQUIRE(parishes1701.size() == 2);
    const auto province = page("/dashboard?provincia=17");
    rows_on(province, cantons17, "canton", "canton");
    CHECK(province.find("Pichincha") != std::string::npos);  // the breadcrumb names the province
    CHECK(province.find("data-codigo=\"0101\"") == std::string::npos);  // no canton of Azuay
    const auto canton = page("/dashboard?canton=1701");
    rows_on(canton, parishes1701, "parroquia", "");
    CHECK(canton.find("data-codigo=\"170151\"") != std::string::npos);

    // The indicator row shows the report's national value for the library indicator.
    auto ind = x.server.run({"report", "indicators", "--format", "json"});
    REQUIRE(ind.exited(0));
    const auto total = json::parse(ind.out).at("totals").at(0);
    const auto tr = national.find("<tr data-indicador=\"" + total.at("indicador").get<std::string>() + "\">");
    REQUIRE(tr != std::string::npos);
    char value[32];
    std::snprintf(value, sizeof value, "%.2f", total.at("valor").get<double>());
    CHECK(national.find("data-valor=\"" + std::string(value) + "\"", tr) < national.find("</tr>", tr));
}
