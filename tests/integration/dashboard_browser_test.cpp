// The dashboard opened in a real headless Chromium against a real server: the sign-in link
// logs in, the page renders in Spanish with the report's numbers, and a screenshot and a PDF
// print are kept in build/artifacts/ (CI keeps that folder). Skips with a message when
// Chromium is not installed on a dev machine; in CI (CI=true) its absence is a failure.
#include "browser_support.hpp"
#include "dashboard_fixture.hpp"

#include <cstdlib>
#include <fstream>

using namespace minga::test;
using nlohmann::json;

namespace {

/// Runs headless Chromium on `url` with a fresh profile, plus `extra` flags.
process_result chromium(const fs::path& exe, const fs::path& profile, const std::string& url,
                        std::vector<std::string> extra) {
    std::vector<std::string> args{"--headless",          "--no-sandbox",
                                  "--disable-gpu",       "--disable-quic",
                                  "--no-first-run",      "--disable-background-networking",
                                  "--disable-component-update", "--disable-sync",
                                  "--disable-dev-shm-usage",
                                  "--user-data-dir=" + profile.string(),
                                  "--window-size=1366,768",
                                  "--virtual-time-budget=10000"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(url);
    run_options o;
    o.timeout = std::chrono::seconds(90);
    return run_process(exe, args, o);
}

/// The `data-valor` of the element with id `id` in the page.
std::string value_of(const std::string& dom, const std::string& id) {
    const auto at = dom.find("id=\"" + id + "\"");
    if (at == std::string::npos) return "(no " + id + ")";
    const auto v = dom.find("data-valor=\"", at);
    const auto start = v + 12;
    return dom.substr(start, dom.find('"', start) - start);
}

std::string two_decimals(const json& n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", n.get<double>());
    return buf;
}

}  // namespace

TEST_CASE("dashboard: headless Chromium renders the signed-in page with the report's numbers",
          "[integration][dashboard][browser]") {
    auto exe = find_chromium();
    if (!exe) return;
    dashboard_world x;
    const auto artifacts = fs::path(MINGA_BIN_DIR) / "artifacts";
    fs::create_directories(artifacts);
    const std::string link = x.url + "/dashboard/login#clave=" + x.secret;

    temp_dir profile("chromium-profile");
    auto dom = chromium(*exe, profile.path() / "dump", link, {"--dump-dom"});
    INFO(dom.describe().substr(0, 4000));
    REQUIRE(dom.exited(0));
    const std::string& page = dom.out;
    REQUIRE(page.find("Tablero nacional") != std::string::npos);
    CHECK(page.find("Ingrese la clave") == std::string::npos);  // signed in, not the sign-in page
    CHECK(page.find("usuario: Ana Pérez") != std::string::npos);

    const auto totals = x.report("province").at("totals");
    CHECK(value_of(page, "total-proyectos") == std::to_string(totals.at("proyectos").get<int>()));
    CHECK(value_of(page, "total-comprometido") == two_decimals(totals.at("comprometido_usd")));
    CHECK(value_of(page, "total-desembolsado") == two_decimals(totals.at("desembolsado_usd")));
    CHECK(value_of(page, "total-beneficiarios") == std::to_string(totals.at("beneficiarios").get<int>()));
    CHECK(value_of(page, "total-comprometido") == "60500.50");
    // Every province row of the report is on the page with its committed amount.
    const auto provinces = x.report("province");
    for (const auto& row : provinces.at("rows")) {
        const std::string code = row.at("provincia").is_null() ? "" : row.at("provincia").get<std::string>();
        const auto tr = page.find("<tr data-codigo=\"" + code + "\">");
        REQUIRE(tr != std::string::npos);
        CHECK(page.find("data-valor=\"" + two_decimals(row.at("comprometido_usd")) + "\"", tr) != std::string::npos);
    }
    // SDG rows carry the official colour of their goal (SDG 6: #26BDE2).
    CHECK(page.find("background:#26BDE2") != std::string::npos);

    // The picture and the print, kept as CI artifacts.
    const auto png = artifacts / "dashboard.png";
    const auto pdf = artifacts / "dashboard.pdf";
    fs::remove(png);
    fs::remove(pdf);
    auto shot = chromium(*exe, profile.path() / "shot", link, {"--screenshot=" + png.string()});
    INFO(shot.describe().substr(0, 2000));
    CHECK(shot.exited(0));
    REQUIRE(fs::exists(png));
    CHECK(fs::file_size(png) > 10'000);
    auto print = chromium(*exe, profile.path() / "print", link, {"--print-to-pdf=" + pdf.string(), "--no-pdf-header-footer"});
    CHECK(print.exited(0));
    REQUIRE(fs::exists(pdf));
    std::ifstream in(pdf, std::ios::binary);
    std::string magic(4, '\0');
    in.read(magic.data(), 4);
    CHECK(magic == "%PDF");

    // The secret travelled in the URL fragment only: it never reached the server's log.
    x.server.stop();
    CHECK(x.server.log_text().find(x.secret) == std::string::npos);
}
