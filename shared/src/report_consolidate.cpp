// The overnight consolidation: live synced rows -> rpt_* tables (rules in docs/consolidation.md).
// Everything is read and written inside one BEGIN IMMEDIATE transaction, so the report is a
// consistent snapshot of the store and a failed run leaves the previous report untouched.
#include <minga/shared/report.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

namespace minga {

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
};

/// Currencies' minor units and dated rates, loaded once per run.
class fx_table {
  public:
    explicit fx_table(sql::db& db) {
        auto c = db.prepare("SELECT code, minor_unit FROM currency");
        while (c.step()) minor_[c.get_text(0)] = static_cast<int>(c.get_int(1));
        auto r = db.prepare(
            "SELECT currency, valid_from, usd_per_unit FROM fx_rate "
            "ORDER BY currency, valid_from");
        while (r.step()) rates_[r.get_text(0)].emplace_back(r.get_text(1), r.get_double(2));
    }

    /// The amount (minor units of `currency`) in US cents with the rate in force on `date`,
    /// rounded half away from zero; nullopt when no rate is known on or before that date.
    [[nodiscard]] std::optional<std::int64_t> to_cents(std::int64_t amount,
                                                       const std::string& currency,
                                                       const std::string& date) const {
        auto mu = minor_.find(currency);
        int minor = mu == minor_.end() ? 2 : mu->second;
        if (currency == "USD" && minor == 2) return amount;
        long double rate = 1;
        if (currency != "USD") {
            auto it = rates_.find(currency);
            if (it == rates_.end()) return std::nullopt;
            const auto& list = it->second;
            auto after =
                std::upper_bound(list.begin(), list.end(), date,
                                 [](const std::string& d, const auto& e) { return d < e.first; });
            if (after == list.begin()) return std::nullopt;  // only rates dated after the line
            rate = std::prev(after)->second;
        }
        long double v = static_cast<long double>(amount) * rate * 100.0L / std::pow(10.0L, minor);
        return static_cast<std::int64_t>(std::llround(v));
    }

  private:
    std::map<std::string, int, std::less<>> minor_;
    std::map<std::string, std::vector<std::pair<std::string, double>>, std::less<>> rates_;
};

std::optional<std::string> province_of(const std::string& t) {
    return t.substr(0, 2);
}
std::optional<std::string> canton_of(const std::string& t) {
    if (t.size() < 4) return std::nullopt;
    return t.substr(0, 4);
}
std::optional<std::string> parish_of(const std::string& t) {
    if (t.size() < 6) return std::nullopt;
    return t;
}

/// Where each GAD is: its own territory, or for a mancomunidad/consorcio its members'.
struct gad_places {
    std::unordered_map<std::string, std::string> territory;
    std::unordered_map<std::string, std::vector<std::string>> members;

    explicit gad_places(sql::db& db) {
        auto g = db.prepare("SELECT code, territory FROM gad WHERE territory IS NOT NULL");
        while (g.step()) territory[g.get_text(0)] = g.get_text(1);
        auto m = db.prepare(
            "SELECT m.group_code, g.territory FROM gad_membership m JOIN gad g ON g.code = "
            "m.member "
            "WHERE m.deleted = 0 AND g.territory IS NOT NULL ORDER BY m.group_code, g.territory");
        while (m.step()) members[m.get_text(0)].push_back(m.get_text(1));
    }

    /// The owner's place for rpt_project: its territory, or the longest INEC prefix (canton,
    /// province) all its members share.
    [[nodiscard]] std::optional<std::string> place(const std::string& gad) const {
        if (auto t = territory.find(gad); t != territory.end()) return t->second;
        auto m = members.find(gad);
        if (m == members.end() || m->second.empty()) return std::nullopt;
        for (std::size_t len : {6u, 4u, 2u}) {
            const auto& first = m->second.front();
            if (first.size() < len) continue;
            bool shared =
                std::all_of(m->second.begin(), m->second.end(), [&](const std::string& t) {
                    return t.size() >= len && t.compare(0, len, first, 0, len) == 0;
                });
            if (shared) return first.substr(0, len);
        }
        return std::nullopt;
    }
};

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

std::unordered_map<std::string, project_acc> load_projects(sql::db& db,
                                                           std::vector<std::string>& order) {
    std::unordered_map<std::string, project_acc> out;
    auto s = db.prepare(
        "SELECT p.id, p.owner_gad, coalesce(p.source, a.source), p.modality, "
        "coalesce(p.geopolitical, a.geopolitical), coalesce(p.planned_start, p.actual_start), "
        "p.beneficiaries FROM project p "
        "LEFT JOIN agreement a ON a.id = p.agreement_id AND a.deleted = 0 "
        "WHERE p.deleted = 0 ORDER BY p.id");
    while (s.step()) {
        project_acc p;
        p.id = s.get_text(0);
        p.owner = s.get_text(1);
        p.source = s.get_opt_text(2);
        p.modality = s.get_text(3);
        p.geopolitical = s.get_opt_text(4);
        p.start = s.get_opt_text(5);
        p.beneficiaries = s.get_opt_int(6);
        order.push_back(p.id);
        out.emplace(p.id, std::move(p));
    }
    return out;
}

void load_amounts(sql::db& db, const fx_table& fx,
                  std::unordered_map<std::string, project_acc>& ps) {
    auto t = db.prepare(
        "SELECT project_id, type, amount, currency, tx_date FROM project_transaction "
        "WHERE deleted = 0 AND type IN (2, 3)");
    while (t.step()) {
        auto it = ps.find(t.get_text(0));
        if (it == ps.end()) continue;  // a child of a deleted project
        auto currency = t.get_text(3);
        auto cents = fx.to_cents(t.get_int(2), currency, t.get_text(4));
        (t.get_int(1) == 2 ? it->second.commitments : it->second.disbursements)
            .add(cents, currency);
    }
    auto b = db.prepare(
        "SELECT project_id, status, amount, currency, period_start FROM project_budget "
        "WHERE deleted = 0");
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
    auto l = db.prepare(
        "SELECT project_id, territory, share FROM project_location WHERE deleted = 0 "
        "ORDER BY project_id, territory, id");
    while (l.step()) {
        auto it = ps.find(l.get_text(0));
        if (it == ps.end()) continue;
        it->second.locations.push_back({l.get_text(1), l.get_opt_double(2)});
    }
}

/// The committed amount's basis: commitments, else committed budgets, else all budgets.
std::pair<const char*, const money_sum*> committed_basis(const project_acc& p) {
    if (p.commitments.any) return {"commitment", &p.commitments};
    if (p.committed_budgets.any) return {"committed_budget", &p.committed_budgets};
    if (p.budgets.any) return {"budget", &p.budgets};
    return {"none", nullptr};
}

void write_territories(sql::db& db, const project_acc& p, const std::map<std::string, double>& w,
                       std::optional<std::int64_t> committed,
                       std::optional<std::int64_t> disbursed) {
    std::vector<double> weights;
    double total = 0;
    for (const auto& [t, x] : w) {
        weights.push_back(x);
        total += x;
    }
    auto split = [&](std::optional<std::int64_t> v) {
        return v ? apportion(*v, weights) : std::vector<std::int64_t>();
    };
    auto c = split(committed), d = split(disbursed), b = split(p.beneficiaries);
    auto& ins = db.cached(
        "INSERT INTO rpt_project_territory(project_id, territory, province, canton, parish, share, "
        "committed_usd_cents, disbursed_usd_cents, beneficiaries) VALUES "
        "(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    std::size_t i = 0;
    for (const auto& [t, x] : w) {
        sql::reset_guard g(ins);
        auto opt = [&](const std::vector<std::int64_t>& parts) {
            return parts.empty() ? std::nullopt : std::optional<std::int64_t>(parts[i]);
        };
        ins.bind(1, p.id)
            .bind(2, t)
            .bind(3, province_of(t))
            .bind(4, canton_of(t))
            .bind(5, parish_of(t));
        ins.bind(6, x / total * 100.0).bind(7, opt(c)).bind(8, opt(d)).bind(9, opt(b));
        ins.exec();
        ++i;
    }
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

void write_project(sql::db& db, const project_acc& p, const gad_places& places,
                   consolidation_summary& sum, std::set<std::string>& missing) {
    auto [basis, basis_sum] = committed_basis(p);
    std::optional<std::int64_t> committed = basis_sum ? basis_sum->value() : std::int64_t{0};
    auto disbursed = p.disbursements.value();
    if (basis_sum) missing.insert(basis_sum->missing.begin(), basis_sum->missing.end());
    missing.insert(p.disbursements.missing.begin(), p.disbursements.missing.end());

    ++sum.projects;
    if (committed) sum.committed_usd_cents += *committed;
    if (disbursed) sum.disbursed_usd_cents += *disbursed;
    if (p.beneficiaries) sum.beneficiaries += *p.beneficiaries;
    if (!committed || !disbursed) ++sum.unconverted_projects;
    if (!basis_sum && !p.disbursements.any) ++sum.no_amount_projects;

    auto place = places.place(p.owner);
    auto& ins = db.cached(
        "INSERT INTO rpt_project(project_id, owner_gad, province, canton, parish, source, "
        "modality, "
        "geopolitical, year, committed_basis, committed_usd_cents, disbursed_usd_cents, "
        "beneficiaries) "
        "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
    {
        sql::reset_guard g(ins);
        ins.bind(1, p.id).bind(2, p.owner);
        if (place)
            ins.bind(3, province_of(*place)).bind(4, canton_of(*place)).bind(5, parish_of(*place));
        else
            ins.bind(3, nullptr).bind(4, nullptr).bind(5, nullptr);
        ins.bind(6, p.source).bind(7, p.modality).bind(8, p.geopolitical);
        ins.bind(9, year_of(p.start ? p.start : p.first_budget)).bind(10, basis);
        ins.bind(11, committed).bind(12, disbursed).bind(13, p.beneficiaries);
        ins.exec();
    }
    bool rescaled = false;
    auto weights = territory_weights(p, places, rescaled);
    if (rescaled) ++sum.rescaled_share_projects;
    if (weights.empty())
        ++sum.no_territory_projects;
    else
        write_territories(db, p, weights, committed, disbursed);
}

void write_meta(sql::db& db, const consolidation_summary& s) {
    std::string currencies;
    for (const auto& c : s.unconverted_currencies)
        currencies += (currencies.empty() ? "" : ",") + c;
    auto ins = db.prepare(
        "INSERT INTO rpt_meta(id, as_of_ms, source_seq, projects, committed_usd_cents, "
        "disbursed_usd_cents, beneficiaries, unconverted_projects, unconverted_currencies, "
        "no_amount_projects, no_territory_projects, rescaled_share_projects) "
        "VALUES (1,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    ins.bind(1, s.as_of_ms)
        .bind(2, s.source_seq)
        .bind(3, s.projects)
        .bind(4, s.committed_usd_cents);
    ins.bind(5, s.disbursed_usd_cents).bind(6, s.beneficiaries).bind(7, s.unconverted_projects);
    ins.bind(8, currencies).bind(9, s.no_amount_projects).bind(10, s.no_territory_projects);
    ins.bind(11, s.rescaled_share_projects);
    ins.exec();
}

bool has_report_tables(sql::db& db) {
    return db.scalar_int(
               "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
               "('rpt_meta', 'change_index')") == 2;
}

error not_central() {
    return make_error(
        errc::not_found, "--data",
        "esta base no es un almacén central con tablas de reporte; ábrala con `minga-server`",
        "this database is not a central store with report tables; open it with `minga-server`");
}

}  // namespace

result<consolidation_summary> consolidate(sql::db& central_db, std::int64_t now_ms) {
    if (!has_report_tables(central_db)) return not_central();
    sql::transaction tx(central_db);
    auto& db = tx.conn();
    db.exec(
        "DELETE FROM rpt_project_cooperant; DELETE FROM rpt_project_sdg; "
        "DELETE FROM rpt_project_territory; DELETE FROM rpt_project; DELETE FROM rpt_meta;");

    consolidation_summary sum;
    sum.as_of_ms = now_ms;
    sum.source_seq = db.scalar_int("SELECT coalesce(max(seq), 0) FROM change_index");
    fx_table fx(db);
    gad_places places(db);
    std::vector<std::string> order;
    auto projects = load_projects(db, order);
    load_amounts(db, fx, projects);

    std::set<std::string> missing;
    for (const auto& id : order) write_project(db, projects.at(id), places, sum, missing);
    sum.unconverted_currencies.assign(missing.begin(), missing.end());

    db.exec(
        "INSERT INTO rpt_project_sdg(project_id, goal) "
        "SELECT DISTINCT s.project_id, s.goal FROM project_sdg s "
        "JOIN rpt_project p ON p.project_id = s.project_id WHERE s.deleted = 0 "
        "ORDER BY s.project_id, s.goal");
    db.exec(
        "INSERT INTO rpt_project_cooperant(project_id, organisation_id, name, cinr_source) "
        "SELECT DISTINCT x.project_id, x.organisation_id, coalesce(o.name, x.organisation_id), "
        "o.cinr_source FROM project_participant x "
        "JOIN rpt_project p ON p.project_id = x.project_id "
        "LEFT JOIN organisation o ON o.id = x.organisation_id "
        "WHERE x.deleted = 0 AND x.role = 1 ORDER BY x.project_id, x.organisation_id");
    write_meta(db, sum);
    tx.commit();
    return sum;
}

result<consolidation_summary> last_consolidation(sql::db& central_db) {
    if (!has_report_tables(central_db)) return not_central();
    auto s = central_db.prepare(
        "SELECT as_of_ms, source_seq, projects, committed_usd_cents, disbursed_usd_cents, "
        "beneficiaries, unconverted_projects, unconverted_currencies, no_amount_projects, "
        "no_territory_projects, rescaled_share_projects FROM rpt_meta WHERE id = 1");
    if (!s.step()) {
        return make_error(errc::not_found, "",
                          "no hay datos consolidados: ejecute `minga-server consolidate` primero",
                          "no consolidated data yet: run `minga-server consolidate` first");
    }
    consolidation_summary out;
    out.as_of_ms = s.get_int(0);
    out.source_seq = s.get_int(1);
    out.projects = s.get_int(2);
    out.committed_usd_cents = s.get_int(3);
    out.disbursed_usd_cents = s.get_int(4);
    out.beneficiaries = s.get_int(5);
    out.unconverted_projects = s.get_int(6);
    auto list = s.get_text(7);
    for (std::size_t start = 0; start < list.size();) {
        auto comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        out.unconverted_currencies.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    out.no_amount_projects = s.get_int(8);
    out.no_territory_projects = s.get_int(9);
    out.rescaled_share_projects = s.get_int(10);
    return out;
}

}  // namespace minga
