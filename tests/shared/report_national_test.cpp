// Consolidation of a generated national-shape store (every province, hundreds of GADs,
// mancomunidades, multi-province and co-financed projects, the same project recorded by two
// GADs) checked against totals computed here from the raw rows with separate, simple code.
#include "report_fixture.hpp"

#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <map>
#include <set>

using namespace minga;
using minga::testing::generated_world;

namespace {

/// The generator's rates (bench/national_data.hpp), in USD per unit, and minor units.
double rate(const std::string& currency, const std::string& date) {
    if (currency == "EUR") return date < "2023-01-01" ? 1.12 : 1.08;
    if (currency == "JPY") return date < "2024-01-01" ? 0.0091 : 0.0067;
    return 1.0;
}
std::int64_t cents(std::int64_t amount, const std::string& currency, const std::string& date) {
    if (currency == "USD") return amount;
    double units = currency == "JPY" ? double(amount) : double(amount) / 100.0;
    return std::llround(units * rate(currency, date) * 100.0);
}

std::string key_of(std::string ref) {
    std::string k;
    for (char ch : ref)
        if (std::isalnum(static_cast<unsigned char>(ch)))
            k += char(std::toupper(static_cast<unsigned char>(ch)));
    return k;
}

struct expected {
    std::int64_t projects = 0, duplicates = 0, committed = 0, disbursed = 0, beneficiaries = 0;
    std::map<std::string, double> province_committed;  // from the location weights
    std::map<std::string, double> indicator_sum;       // library code (sum rule) -> total
};

/// The national figures from the raw rows, written independently of the consolidation.
expected compute(sql::db& db) {
    expected e;
    std::map<std::string, std::string> agreement_key;
    auto a = db.prepare(
        "SELECT id, reference FROM agreement WHERE deleted = 0 AND reference IS NOT NULL");
    while (a.step()) agreement_key[a.get_text(0)] = key_of(a.get_text(1));
    struct proj {
        std::string owner, key;
        std::optional<std::int64_t> benef;
    };
    std::map<std::string, proj> live;
    auto p = db.prepare(
        "SELECT id, owner_gad, agreement_id, beneficiaries FROM project WHERE deleted = 0");
    while (p.step()) {
        auto ag = p.get_opt_text(2);
        std::string key = ag && agreement_key.count(*ag) ? agreement_key[*ag] : "";
        live[p.get_text(0)] = {p.get_text(1), key, p.get_opt_int(3)};
    }
    std::map<std::string, std::string> lowest;  // key -> lowest owner
    for (const auto& [id, x] : live)
        if (!x.key.empty() && (!lowest.count(x.key) || x.owner < lowest[x.key]))
            lowest[x.key] = x.owner;
    std::set<std::string> counted;
    for (const auto& [id, x] : live) {
        if (!x.key.empty() && lowest[x.key] != x.owner) {
            ++e.duplicates;
            continue;
        }
        counted.insert(id);
        ++e.projects;
        if (x.benef) e.beneficiaries += *x.benef;
    }
    std::map<std::string, std::int64_t> commit, budget_committed, budget_all, disb;
    std::set<std::string> has_commit, has_cb, has_budget;
    auto t = db.prepare(
        "SELECT project_id, type, amount, currency, tx_date FROM project_transaction WHERE deleted "
        "= 0");
    while (t.step()) {
        auto id = t.get_text(0);
        auto c = cents(t.get_int(2), t.get_text(3), t.get_text(4));
        if (t.get_int(1) == 2) {
            commit[id] += c;
            has_commit.insert(id);
        }
        if (t.get_int(1) == 3) disb[id] += c;
    }
    auto b = db.prepare(
        "SELECT project_id, status, amount, currency, period_start FROM project_budget WHERE "
        "deleted = 0");
    while (b.step()) {
        auto id = b.get_text(0);
        auto c = cents(b.get_int(2), b.get_text(3), b.get_text(4));
        budget_all[id] += c;
        has_budget.insert(id);
        if (b.get_int(1) == 2) {
            budget_committed[id] += c;
            has_cb.insert(id);
        }
    }
    std::map<std::string, std::int64_t> committed_of;
    for (const auto& id : counted) {
        std::int64_t c = has_commit.count(id) ? commit[id]
                         : has_cb.count(id)   ? budget_committed[id]
                                              : budget_all[id];
        committed_of[id] = c;
        e.committed += c;
        e.disbursed += disb[id];
    }
    // Province weights: location shares (or equal), else the owner GAD's province.
    std::map<std::string, std::vector<std::pair<std::string, std::optional<double>>>> locs;
    auto l =
        db.prepare("SELECT project_id, territory, share FROM project_location WHERE deleted = 0");
    while (l.step()) locs[l.get_text(0)].emplace_back(l.get_text(1), l.get_opt_double(2));
    std::map<std::string, std::string> gad_territory;
    auto g = db.prepare("SELECT code, territory FROM gad WHERE territory IS NOT NULL");
    while (g.step()) gad_territory[g.get_text(0)] = g.get_text(1);
    std::map<std::string, std::vector<std::string>> members;
    auto m = db.prepare("SELECT group_code, member FROM gad_membership WHERE deleted = 0");
    while (m.step()) members[m.get_text(0)].push_back(m.get_text(1));
    for (const auto& id : counted) {
        std::map<std::string, double> w;
        if (locs.count(id)) {
            double given = 0;
            int missing = 0;
            for (auto& [terr, share] : locs[id]) share ? given += *share : ++missing;
            for (auto& [terr, share] : locs[id])
                w[terr.substr(0, 2)] += share ? *share : std::max(0.0, 100 - given) / missing;
        } else if (gad_territory.count(live[id].owner)) {
            w[gad_territory[live[id].owner].substr(0, 2)] = 1;
        } else {
            for (const auto& mem : members[live[id].owner]) w[gad_territory[mem].substr(0, 2)] += 1;
        }
        double total = 0;
        for (auto& [k, x] : w) total += x;
        for (auto& [k, x] : w) e.province_committed[k] += double(committed_of[id]) * x / total;
    }
    // Library indicators with the sum rule: every live observation of a live indicator of a
    // counted project adds up.
    std::map<std::string, std::string> ind_code;
    auto i = db.prepare(
        "SELECT i.id, i.indicator_code FROM indicator i JOIN indicator_def d ON d.code = "
        "i.indicator_code "
        "WHERE i.deleted = 0 AND d.aggregation = 'sum' AND i.aggregation = 'sum'");
    std::map<std::string, std::string> ind_project;
    auto ip = db.prepare("SELECT id, project_id FROM indicator");
    while (ip.step()) ind_project[ip.get_text(0)] = ip.get_text(1);
    while (i.step()) ind_code[i.get_text(0)] = i.get_text(1);
    auto o = db.prepare("SELECT indicator_id, value FROM observation WHERE deleted = 0");
    while (o.step()) {
        auto it = ind_code.find(o.get_text(0));
        if (it != ind_code.end() && counted.count(ind_project[o.get_text(0)]))
            e.indicator_sum[it->second] += o.get_double(1);
    }
    return e;
}

double metric(const report_cell& c) {
    if (auto* n = std::get_if<std::int64_t>(&c)) return double(*n);
    if (auto* u = std::get_if<usd_cents>(&c)) return double(u->cents);
    return 0;
}

}  // namespace

TEST_CASE("consolidation: a generated national dataset matches totals computed independently") {
    generated_world g(minga::testing::small_shape(300, 21));
    REQUIRE(g.counts.provinces == 24);
    REQUIRE(g.counts.multi_province > 0);
    REQUIRE(g.counts.cofinanced > 0);
    REQUIRE(g.counts.duplicates > 0);
    auto e = compute(g.db());
    auto s = g.run(false);
    CHECK(s.projects == e.projects);
    CHECK(s.duplicate_projects == e.duplicates);
    CHECK(s.committed_usd_cents == e.committed);
    CHECK(s.disbursed_usd_cents == e.disbursed);
    CHECK(s.beneficiaries == e.beneficiaries);
    CHECK(s.unconverted_projects == 0);

    // Every province, each within a cent per project split over it of the exact share.
    auto prov = report(g.db(), report_by::province, "es");
    REQUIRE(prov.ok());
    std::int64_t sum = 0;
    std::size_t provinces = 0;
    for (const auto& row : prov->rows) {
        auto code = std::get_if<std::string>(&row[0]);
        if (!code) continue;
        ++provinces;
        double got = metric(row[3]);
        sum += std::int64_t(got);
        CHECK(std::abs(got - e.province_committed[*code]) <= metric(row[2]) + 1);
    }
    CHECK(provinces == 24);
    CHECK(sum == e.committed);

    // The DAC breakdown adds up to the national total (rows with no sector included).
    auto sec = report(g.db(), report_by::sector, "es");
    REQUIRE(sec.ok());
    double sector_total = 0;
    for (const auto& row : sec->rows) sector_total += metric(row[4]);
    CHECK(std::int64_t(sector_total) == e.committed);

    // Indicator totals: each project has one modality, so the rows per code add up.
    auto ind = indicator_report(g.db(), report_by::modality, "es");
    REQUIRE(ind.ok());
    std::map<std::string, double> got;
    for (const auto& r : ind->rows)
        if (r.aggregation == "sum" && r.value) got[r.code] += *r.value;
    REQUIRE_FALSE(e.indicator_sum.empty());
    for (const auto& [code, total] : e.indicator_sum)
        CHECK(got[code] == Approx(total).epsilon(1e-12));
}
