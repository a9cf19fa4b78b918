// Computing the report rows of projects from the live synced rows: amounts in USD, the split
// over territories and DAC sectors, SDGs and funders (rules in docs/consolidation.md).
#include "report_detail.hpp"

#include <algorithm>
#include <cmath>

namespace minga::rpt {

namespace {

/// A sum of amount lines in USD cents; the currencies that could not be converted make it
/// unknown (never converted 1:1).
struct money_sum {
    std::int64_t cents = 0;
    bool any = false;
    std::set<std::string> missing;
    void add(std::optional<std::int64_t> c, const std::string& currency) {
        any = true;
        if (c)
            cents += *c;
        else
            missing.insert(currency);
    }
    [[nodiscard]] std::optional<std::int64_t> value() const {
        if (!missing.empty()) return std::nullopt;
        return cents;
    }
};

struct location {
    std::string territory;
    std::optional<double> share;
};

struct project_acc {
    std::string id, owner, modality;
    std::optional<std::string> source, geopolitical, start;
    std::optional<std::int64_t> beneficiaries;
    std::optional<std::string> first_budget;  // earliest period_start of a live budget
    money_sum commitments, committed_budgets, budgets, disbursements;
    std::vector<location> locations;
    std::map<std::string, double> sectors;
    std::set<std::int64_t> sdgs;
    std::map<std::string, project_row::cooperant> cooperants;
};

using acc_map = std::unordered_map<std::string, project_acc>;

/// " AND <col> IN (SELECT id FROM temp.rpt_calc)" when restricted, else nothing.
std::string restrict(const id_set* only, const char* col) {
    return only ? std::string(" AND ") + col + " IN (SELECT id FROM temp.rpt_calc)" : "";
}

acc_map load_projects(sql::db& db, const id_set* only, const id_set& duplicates) {
    acc_map out;
    auto s = db.prepare(
        "SELECT p.id, p.owner_gad, coalesce(p.source, a.source), p.modality, "
        "coalesce(p.geopolitical, a.geopolitical), coalesce(p.planned_start, p.actual_start), "
        "p.beneficiaries FROM project p "
        "LEFT JOIN agreement a ON a.id = p.agreement_id AND a.deleted = 0 "
        "WHERE p.deleted = 0" +
        restrict(only, "p.id"));
    while (s.step()) {
        project_acc p;
        p.id = s.get_text(0);
        if (duplicates.count(p.id)) continue;
        p.owner = s.get_text(1);
        p.source = s.get_opt_text(2);
        p.modality = s.get_text(3);
        p.geopolitical = s.get_opt_text(4);
        p.start = s.get_opt_text(5);
        p.beneficiaries = s.get_opt_int(6);
        out.emplace(p.id, std::move(p));
    }
    return out;
}

void load_children(sql::db& db, const fx_table& fx, const id_set* only, acc_map& ps) {
    auto t = db.prepare(
        "SELECT project_id, type, amount, currency, tx_date FROM project_transaction "
        "WHERE deleted = 0 AND type IN (2, 3)" +
        restrict(only, "project_id"));
    while (t.step()) {
        auto it = ps.find(t.get_text(0));
        if (it == ps.end()) continue;  // a child of a deleted or duplicate project
        auto currency = t.get_text(3);
        auto cents = fx.to_cents(t.get_int(2), currency, t.get_text(4));
        (t.get_int(1) == 2 ? it->second.commitments : it->second.disbursements)
            .add(cents, currency);
    }
    auto b = db.prepare(
        "SELECT project_id, status, amount, currency, period_start FROM project_budget "
        "WHERE deleted = 0" +
        restrict(only, "project_id"));
    while (b.step()) {
        auto it = ps.find(b.get_text(0));
        if (it == ps.end()) continue;
        auto& p = it->second;
        auto currency = b.get_text(3);
        auto start = b.get_text(4);
        auto cents = fx.to_cents(b.get_int(2), currency, start);
        p.budgets.add(cents, currency);
        if (b.get_int(1) == 2) p.committed_budgets.add(cents, currency);
        if (!p.first_budget || start < *p.first_budget) p.first_budget = start;
    }
    auto l =
        db.prepare("SELECT project_id, territory, share FROM project_location WHERE deleted = 0" +
                   restrict(only, "project_id") + " ORDER BY project_id, territory, id");
    while (l.step()) {
        auto it = ps.find(l.get_text(0));
        if (it == ps.end()) continue;
        it->second.locations.push_back({l.get_text(1), l.get_opt_double(2)});
    }
    auto sec =
        db.prepare("SELECT project_id, sector, percentage FROM project_sector WHERE deleted = 0" +
                   restrict(only, "project_id"));
    while (sec.step()) {
        auto it = ps.find(sec.get_text(0));
        if (it != ps.end()) it->second.sectors[sec.get_text(1)] += sec.get_double(2);
    }
    auto g = db.prepare("SELECT project_id, goal FROM project_sdg WHERE deleted = 0" +
                        restrict(only, "project_id"));
    while (g.step()) {
        auto it = ps.find(g.get_text(0));
        if (it != ps.end()) it->second.sdgs.insert(g.get_int(1));
    }
    auto c = db.prepare(
        "SELECT x.project_id, x.organisation_id, coalesce(o.name, x.organisation_id), "
        "o.cinr_source FROM project_participant x "
        "LEFT JOIN organisation o ON o.id = x.organisation_id "
        "WHERE x.deleted = 0 AND x.role = 1" +
        restrict(only, "x.project_id"));
    while (c.step()) {
        auto it = ps.find(c.get_text(0));
        if (it == ps.end()) continue;
        auto org = c.get_text(1);
        it->second.cooperants[org] = {org, c.get_text(2), c.get_opt_text(3)};
    }
}

/// The weight of each territory of a project (see docs/consolidation.md, "Territorial split").
/// Sets `rescaled` when the recorded shares were inconsistent and had to be adjusted.
std::map<std::string, double> territory_weights(const project_acc& p, const gad_places& places,
                                                bool& rescaled) {
    std::map<std::string, double> w;
    rescaled = false;
    if (!p.locations.empty()) {
        double given = 0;
        std::size_t missing = 0;
        for (const auto& l : p.locations) {
            if (l.share)
                given += *l.share;
            else
                ++missing;
        }
        double rest = missing > 0 ? std::max(0.0, 100.0 - given) / static_cast<double>(missing) : 0;
        for (const auto& l : p.locations) {
            double x = l.share ? *l.share : rest;
            if (x > 0) w[l.territory] += x;
        }
        double total = given + rest * static_cast<double>(missing);
        rescaled = std::abs(total - 100.0) > 1e-6 || (missing > 0 && rest <= 0);
        return w;
    }
    if (auto t = places.territory.find(p.owner); t != places.territory.end()) {
        w[t->second] = 1;
        return w;
    }
    if (auto m = places.members.find(p.owner); m != places.members.end())
        for (const auto& t : m->second) w[t] += 1;
    return w;
}

/// Exact parts of the project's figures over `w` (cumulative rounding in key order).
std::vector<part_row> split(const std::map<std::string, double>& w,
                            std::optional<std::int64_t> committed,
                            std::optional<std::int64_t> disbursed,
                            std::optional<std::int64_t> beneficiaries) {
    std::vector<double> weights;
    double total = 0;
    for (const auto& [k, x] : w) {
        weights.push_back(x);
        total += x;
    }
    auto parts = [&](std::optional<std::int64_t> v) {
        return v ? apportion(*v, weights) : std::vector<std::int64_t>();
    };
    auto c = parts(committed), d = parts(disbursed), b = parts(beneficiaries);
    std::vector<part_row> out;
    std::size_t i = 0;
    for (const auto& [k, x] : w) {
        auto at = [&](const std::vector<std::int64_t>& v) {
            return v.empty() ? std::nullopt : std::optional<std::int64_t>(v[i]);
        };
        out.push_back({k, x / total * 100.0, at(c), at(d), at(b)});
        ++i;
    }
    return out;
}

std::optional<std::int64_t> year_of(const std::optional<std::string>& date) {
    if (!date || date->size() < 4) return std::nullopt;
    std::int64_t y = 0;
    for (char ch : date->substr(0, 4)) {
        if (ch < '0' || ch > '9') return std::nullopt;
        y = y * 10 + (ch - '0');
    }
    return y;
}

project_row finish(project_acc& p, const gad_places& places) {
    project_row r;
    auto weights = territory_weights(p, places, r.rescaled);
    const money_sum* basis = nullptr;
    r.basis = "none";
    if (p.commitments.any) {
        r.basis = "commitment";
        basis = &p.commitments;
    } else if (p.committed_budgets.any) {
        r.basis = "committed_budget";
        basis = &p.committed_budgets;
    } else if (p.budgets.any) {
        r.basis = "budget";
        basis = &p.budgets;
    }
    r.committed = basis ? basis->value() : std::int64_t{0};
    r.disbursed = p.disbursements.value();
    std::set<std::string> missing = p.disbursements.missing;
    if (basis) missing.insert(basis->missing.begin(), basis->missing.end());
    for (const auto& m : missing) r.unconverted += (r.unconverted.empty() ? "" : ",") + m;
    r.no_amount = !basis && !p.disbursements.any;
    r.id = std::move(p.id);
    r.owner = std::move(p.owner);
    r.modality = std::move(p.modality);
    r.source = std::move(p.source);
    r.geopolitical = std::move(p.geopolitical);
    r.year = year_of(p.start ? p.start : p.first_budget);
    r.beneficiaries = p.beneficiaries;
    r.place = places.place(r.owner);
    r.no_territory = weights.empty();
    if (!weights.empty()) r.territories = split(weights, r.committed, r.disbursed, r.beneficiaries);
    if (!p.sectors.empty()) r.sectors = split(p.sectors, r.committed, r.disbursed, r.beneficiaries);
    r.sdgs.assign(p.sdgs.begin(), p.sdgs.end());
    for (auto& [id, c] : p.cooperants) r.cooperants.push_back(std::move(c));
    return r;
}

}  // namespace

std::vector<project_row> compute_projects(sql::db& db, const fx_table& fx, const gad_places& places,
                                          const id_set* only, const id_set& duplicates) {
    if (only) fill_temp(db, "rpt_calc", *only);
    auto ps = load_projects(db, only, duplicates);
    load_children(db, fx, only, ps);
    std::vector<project_row> out;
    out.reserve(ps.size());
    for (auto& [id, p] : ps) out.push_back(finish(p, places));
    std::sort(out.begin(), out.end(),
              [](const project_row& a, const project_row& b) { return a.id < b.id; });
    return out;
}

}  // namespace minga::rpt
