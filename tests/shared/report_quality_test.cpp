// The data-quality report on a generated store, and loading exchange rates from CSV.
#include "report_fixture.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace minga;
using minga::testing::generated_world;
using minga::testing::sync_world;

namespace {

constexpr std::int64_t now_ms = 1'780'000'000'000;  // 2026-05-28, the generator's "now"

std::vector<std::string> subjects(const quality_report& q, const std::string& kind) {
    std::vector<std::string> out;
    for (const auto& r : q.rows)
        if (r.kind == kind) out.push_back(r.subject);
    return out;
}

bool listed(const quality_report& q, const std::string& kind, const std::string& subject) {
    auto s = subjects(q, kind);
    return std::find(s.begin(), s.end(), subject) != s.end();
}

result<fx_import_summary> import_text(sql::db& db, const std::string& text) {
    std::istringstream in(text);
    return import_fx_rates(db, in);
}

}  // namespace

TEST_CASE("quality: each kind lists exactly what the live store says") {
    generated_world g(minga::testing::small_shape(120, 8));
    auto& db = g.db();
    auto q = quality(db, {now_ms, 7, 5 * 60 * 1000}, "es");
    REQUIRE(q.ok());

    // GADs whose every active device was last seen more than 7 days ago.
    std::int64_t stale = db.scalar_int(
        "WITH RECURSIVE scope(gad, rest, seen) AS ("
        " SELECT '', gads || ',', coalesce(last_seen_ms, 0) FROM device WHERE status = 'activo'"
        " UNION ALL SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + "
        "1), seen"
        " FROM scope WHERE rest <> '') "
        "SELECT count(*) FROM (SELECT gad FROM scope WHERE gad <> '' GROUP BY gad "
        "HAVING max(seen) < " +
        std::to_string(now_ms - 7 * 86'400'000LL) + ")");
    CHECK(std::int64_t(subjects(*q, "gad_sin_sincronizar").size()) == stale);
    CHECK(stale > 0);
    CHECK(std::int64_t(subjects(*q, "reloj_desfasado").size()) ==
          db.scalar_int("SELECT count(*) FROM device_clock WHERE abs(offset_ms) > 300000"));

    // Agreements with a foreign NGO that is not active (the sample directory has three).
    auto ngo = subjects(*q, "ong_no_activa");
    REQUIRE_FALSE(ngo.empty());
    for (const auto& id : ngo) {
        CHECK(db.scalar_int("SELECT count(*) FROM agreement_party x JOIN organisation o ON o.id = "
                            "x.organisation_id WHERE x.agreement_id = '" +
                            id +
                            "' AND o.cinr_source = 'ong_extranjera' AND (o.status <> 'activa' OR "
                            "o.cbf_valid_to < '2026-05-28')") > 0);
    }
    CHECK(std::int64_t(ngo.size()) ==
          db.scalar_int(
              "SELECT count(DISTINCT a.id) FROM agreement a JOIN agreement_party x ON "
              "x.agreement_id = a.id JOIN organisation o ON o.id = x.organisation_id "
              "WHERE a.deleted = 0 AND a.status = 'vigente' AND o.cinr_source = "
              "'ong_extranjera' AND (o.status <> 'activa' OR o.cbf_valid_to < '2026-05-28')"));

    // A project with no observation in its last ended period is listed; observing fixes it.
    auto missing = subjects(*q, "sin_observacion");
    REQUIRE_FALSE(missing.empty());
    const auto project = missing.front();
    auto period = db.prepare(
        "SELECT r.indicator_id, r.period_start FROM reporting_period r JOIN indicator i ON i.id = "
        "r.indicator_id WHERE i.project_id = ?1 AND r.period_end <= '2026-05-28' "
        "ORDER BY r.period_end DESC LIMIT 1");
    period.bind(1, project);
    REQUIRE(period.step());
    db.exec(
        "INSERT INTO observation(id, owner_gad, indicator_id, observed_on, value, device_id, hlc) "
        "SELECT 'nueva', owner_gad, '" +
        period.get_text(0) + "', '" + period.get_text(1) +
        "', 3, 'd', 1 FROM project WHERE id = '" + project + "'");
    auto again = quality(db, {now_ms, 7, 5 * 60 * 1000}, "es");
    REQUIRE(again.ok());
    CHECK_FALSE(listed(*again, "sin_observacion", project));
    CHECK(subjects(*again, "sin_observacion").size() == missing.size() - 1);

    // Formats: Spanish CSV header, JSON with counts per kind.
    CHECK(to_csv(*q).rfind("tipo,gad,id,nombre,detalle,fecha\n", 0) == 0);
    auto doc = nlohmann::json::parse(to_json(*q));
    CHECK(doc["counts"]["ong_no_activa"] == ngo.size());
    CHECK(doc["rows"].size() == q->rows.size());
    CHECK(to_text(*q).find("GAD sin sincronizar") != std::string::npos);
    auto en = quality(db, {now_ms, 7, 5 * 60 * 1000}, "en");
    REQUIRE(en.ok());
    CHECK(to_csv(*en).rfind("kind,gad,id,name,detail,date\n", 0) == 0);

    // Longer tolerance, fewer GADs; bad bounds refused.
    auto lenient = quality(db, {now_ms, 90, 5 * 60 * 1000}, "es");
    REQUIRE(lenient.ok());
    CHECK(subjects(*lenient, "gad_sin_sincronizar").empty());
    auto bad = quality(db, {now_ms, 0, 0}, "es");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().field == "--days");
}

TEST_CASE("fx import: rates load all or nothing, with the line of the first bad row") {
    sync_world w;
    auto& db = w.server->conn();
    auto ok = import_text(db,
                          "currency,valid_from,usd_per_unit,source\nEUR,2024-01-01,1.09,BCE\n"
                          "EUR,2025-01-01,1.04,BCE\nJPY,2024-01-01,0.0067,\n");
    REQUIRE(ok.ok());
    CHECK(ok->inserted == 3);
    auto again = import_text(db,
                             "currency,valid_from,usd_per_unit,source\nEUR,2024-01-01,1.09,BCE\n"
                             "EUR,2025-01-01,1.05,BCE\n");
    REQUIRE(again.ok());
    CHECK(again->unchanged == 1);
    CHECK(again->updated == 1);
    const auto before = db.scalar_int("SELECT count(*) FROM fx_rate");

    struct bad_case {
        const char* text;
        const char* field;
    };
    const std::array<bad_case, 7> cases = {{
        {"currency,valid_from,usd_per_unit\nEUR,2026-01-01,1.1\nZZZ,2026-01-01,1.1\n",
         "línea 3, columna currency"},
        {"currency,valid_from,usd_per_unit\nGBP,2026-02-30,1.2\n", "línea 2, columna valid_from"},
        {"currency,valid_from,usd_per_unit\nGBP,2026-01-01,1.2\nGBP,2026-02-01,-1\n",
         "línea 3, columna usd_per_unit"},
        {"currency,valid_from,usd_per_unit\nGBP,2026-01-01,1,2\n", "línea 2"},
        {"currency,valid_from,usd_per_unit\nGBP,2026-01-01,1.2\nUSD,2026-01-01,1\n",
         "línea 3, columna currency"},
        {"currency,valid_from,usd_per_unit\nGBP,2026-01-01,1.2\nGBP,2026-01-01,1.3\n",
         "línea 3, columna valid_from"},
        {"currency,fecha,usd_per_unit\nGBP,2026-01-01,1.2\n", "línea 1, columna fecha"},
    }};
    for (const auto& c : cases) {
        INFO(c.text);
        auto r = import_text(db, c.text);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == errc::bad_input);
        CHECK(r.err().field.rfind(c.field, 0) == 0);
        CHECK(db.scalar_int("SELECT count(*) FROM fx_rate") == before);  // nothing written
    }
    auto empty = import_text(db, "currency,valid_from,usd_per_unit\n");
    REQUIRE_FALSE(empty.ok());
}
