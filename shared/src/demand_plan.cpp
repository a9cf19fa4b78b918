// Loading the national demand plan with its coverage (rules in demand_plan.hpp).
#include <minga/shared/demand_match.hpp>
#include <minga/shared/demand_plan.hpp>
#include <minga/shared/demand_tuning.hpp>

#include "form_util.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace minga {

namespace {

/// Converts `amount` (minor units of `currency`) to US cents with the rate valid on `date`.
std::optional<std::int64_t> to_usd_cents(sql::db& db, const std::string& currency,
                                         std::int64_t amount, const std::string& date) {
    if (currency.empty() || currency == "USD") return amount;
    auto& unit = db.cached("SELECT minor_unit FROM currency WHERE code = ?1");
    int digits = 2;
    {
        sql::reset_guard g(unit);
        unit.bind(1, currency);
        if (unit.step()) digits = static_cast<int>(unit.get_int(0));
    }
    auto& rate = db.cached(
        "SELECT usd_per_unit FROM fx_rate WHERE currency = ?1 AND valid_from <= ?2 "
        "ORDER BY valid_from DESC LIMIT 1");
    sql::reset_guard g(rate);
    rate.bind(1, currency).bind(2, date);
    if (!rate.step()) return std::nullopt;
    double units = static_cast<double>(amount) / std::pow(10.0, digits);
    return static_cast<std::int64_t>(std::llround(units * rate.get_double(0) * 100.0));
}

std::vector<std::string> provinces_of(sql::db& db, const std::string& demand, const std::string& owner) {
    std::set<std::string> out;
    auto& t = db.cached("SELECT territory FROM demand_territory WHERE demand_id = ?1 AND deleted = 0");
    {
        sql::reset_guard g(t);
        t.bind(1, demand);
        while (t.step()) out.insert(t.get_text(0).substr(0, 2));
    }
    if (out.empty()) {
        auto& o = db.cached(
            "SELECT territory FROM gad WHERE code = ?1 AND territory IS NOT NULL UNION "
            "SELECT g.territory FROM gad_membership m JOIN gad g ON g.code = m.member "
            "WHERE m.group_code = ?1 AND m.deleted = 0 AND g.territory IS NOT NULL");
        sql::reset_guard g(o);
        o.bind(1, owner);
        while (o.step()) out.insert(o.get_text(0).substr(0, 2));
    }
    return {out.begin(), out.end()};
}

std::string signed_agreement(sql::db& db, const std::string& demand) {
    auto& s = db.cached(
        "SELECT a.id FROM application p JOIN agreement a ON a.id = p.agreement_id AND a.deleted = 0 "
        "WHERE p.demand_id = ?1 AND p.deleted = 0 AND p.status = 'aprobada' "
        "AND (a.status IN ('vigente', 'finalizado') OR a.signed_on IS NOT NULL) ORDER BY a.id LIMIT 1");
    sql::reset_guard g(s);
    s.bind(1, demand);
    return s.step() ? s.get_text(0) : std::string();
}

int priority_rank(const std::string& p) { return p == "alta" ? 0 : p == "media" ? 1 : 2; }

}  // namespace

std::vector<plan_demand> load_demand_plan(sql::db& db, const plan_options& opts) {
    std::string today = opts.today.empty() ? today_iso() : opts.today;
    auto s = db.prepare(
        "SELECT d.id, d.owner_gad, coalesce(g.name, ''), d.year, d.title, d.modality, d.priority, "
        "d.status, coalesce(d.currency, ''), d.estimated_amount FROM demand d "
        "LEFT JOIN gad g ON g.code = d.owner_gad "
        "WHERE d.deleted = 0 AND d.status <> 'descartada' AND (?1 = 0 OR d.year = ?1)");
    s.bind(1, opts.year);
    std::vector<plan_demand> out;
    while (s.step()) {
        plan_demand d;
        d.id = s.get_text(0);
        d.owner_gad = s.get_text(1);
        d.gad_name = s.get_text(2);
        d.year = s.get_int(3);
        d.title = s.get_text(4);
        d.modality = s.get_text(5);
        d.priority = s.get_text(6);
        d.status = s.get_text(7);
        auto amount = s.get_opt_int(9);
        d.usd_cents = amount ? to_usd_cents(db, s.get_text(8), *amount, std::to_string(d.year) + "-01-01")
                             : std::optional<std::int64_t>(0);
        out.push_back(std::move(d));
    }
    auto& goals = db.cached("SELECT DISTINCT goal FROM demand_sdg WHERE demand_id = ?1 AND deleted = 0 ORDER BY goal");
    auto& sectors = db.cached(
        "SELECT sector, percentage FROM demand_sector WHERE demand_id = ?1 AND deleted = 0 ORDER BY sector");
    // One more than the cap: a demand with more candidates is told apart from one with exactly
    // the cap ("500+" rather than "500").
    match_options mo{demand_tuning::coverage_offer_cap + 1, today, false};
    for (auto& d : out) {
        d.provinces = provinces_of(db, d.id, d.owner_gad);
        {
            sql::reset_guard g(goals);
            goals.bind(1, d.id);
            while (goals.step()) d.goals.push_back(static_cast<int>(goals.get_int(0)));
        }
        {
            sql::reset_guard g(sectors);
            sectors.bind(1, d.id);
            while (sectors.step()) d.sectors.emplace_back(sectors.get_text(0), sectors.get_double(1));
        }
        if (auto m = match_demand(db, d.id, mo); m && !m->empty()) {
            d.offers_capped = m->size() > demand_tuning::coverage_offer_cap;
            d.offers_available = static_cast<std::int64_t>(std::min(m->size(), demand_tuning::coverage_offer_cap));
            d.best_offer = m->front().title;
        }
        d.agreement_id = signed_agreement(db, d.id);
    }
    std::sort(out.begin(), out.end(), [](const plan_demand& a, const plan_demand& b) {
        auto pa = a.provinces.empty() ? std::string("~") : a.provinces.front();
        auto pb = b.provinces.empty() ? std::string("~") : b.provinces.front();
        return std::tuple(a.year, pa, priority_rank(a.priority), a.id) <
               std::tuple(b.year, pb, priority_rank(b.priority), b.id);
    });
    return out;
}

}  // namespace minga
