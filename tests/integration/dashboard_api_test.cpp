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
    CHECK(ind[0].at("name") == "Hectáreas restauradas");
    CHECK(ind[0].at("current") == 16.0);  // sum of 10 and 6
    CHECK(ind[0].at("target") == 40.0);
    CHECK(ind[0].at("progress_pct") == 40.0);
}
