// Indicators aggregated by their own rule (sum, last, max, mean) across periods and
// territories (rules in docs/consolidation.md, "Indicators").
#include "report_detail.hpp"

#include <algorithm>
#include <numeric>

namespace minga::rpt {

namespace {

/// The observations of one indicator in one territory.
struct cell_acc {
    std::vector<double> values;  // summed in sorted order: the same total however rows arrive
    double max = 0;
    std::string last_on, last_id;  // the latest observation: date, then id (UUIDv7: later)
    double last = 0;

    void add(double v, const std::string& on, const std::string& id) {
        if (values.empty() || v > max) max = v;
        values.push_back(v);
        if (on > last_on || (on == last_on && id > last_id)) {
            last_on = on;
            last_id = id;
            last = v;
        }
    }
    [[nodiscard]] double sum() {
        std::sort(values.begin(), values.end());
        return std::accumulate(values.begin(), values.end(), 0.0);
    }
};

struct indicator_acc {
    indicator_row row;
    std::map<std::string, cell_acc> cells;  // territory -> observations
};

double by_rule(const std::string& rule, cell_acc& c, double sum) {
    if (rule == "last") return c.last;
    if (rule == "max") return c.max;
    if (rule == "mean") return sum / static_cast<double>(c.values.size());
    return sum;
}

}  // namespace

std::vector<indicator_row> compute_indicators(sql::db& db, const gad_places& places,
                                              const id_set* only, const id_set& duplicates) {
    if (only) fill_temp(db, "rpt_calc_ind", *only);
    std::string where = only ? " AND i.id IN (SELECT id FROM temp.rpt_calc_ind)" : "";
    std::unordered_map<std::string, indicator_acc> acc;
    auto s = db.prepare(
        "SELECT i.id, i.project_id, i.indicator_code, i.unit, i.aggregation, i.baseline_value, "
        "i.target_value FROM indicator i JOIN project p ON p.id = i.project_id AND p.deleted = 0 "
        "WHERE i.deleted = 0" +
        where);
    while (s.step()) {
        indicator_row r;
        r.project_id = s.get_text(1);
        if (duplicates.count(r.project_id)) continue;
        r.id = s.get_text(0);
        r.code = s.get_opt_text(2);
        r.unit = s.get_text(3);
        r.aggregation = s.get_text(4);
        r.baseline = s.get_opt_double(5);
        r.target = s.get_opt_double(6);
        auto id = r.id;
        acc.emplace(std::move(id), indicator_acc{std::move(r), {}});
    }
    auto o = db.prepare(
        "SELECT o.indicator_id, o.observed_on, o.value, o.territory, o.owner_gad, o.id "
        "FROM observation o WHERE o.deleted = 0" +
        std::string(only ? " AND o.indicator_id IN (SELECT id FROM temp.rpt_calc_ind)" : ""));
    std::string territory;
    while (o.step()) {
        auto it = acc.find(o.get_text(0));
        if (it == acc.end()) continue;  // an indicator left out (deleted, duplicate project)
        if (auto t = o.get_opt_text(3)) {
            territory = std::move(*t);
        } else {
            auto own = places.territory.find(o.get_text(4));
            territory = own == places.territory.end() ? std::string() : own->second;
        }
        it->second.cells[territory].add(o.get_double(2), o.get_text(1), o.get_text(5));
    }
    std::vector<indicator_row> out;
    out.reserve(acc.size());
    for (auto& [id, a] : acc) {
        auto& r = a.row;
        const auto& rule = r.aggregation;
        std::optional<double> max;
        double last_sum = 0;
        std::vector<double> sums;
        for (auto& [t, c] : a.cells) {
            double sum = c.sum();
            double v = by_rule(rule, c, sum);
            r.territories.push_back({t, static_cast<std::int64_t>(c.values.size()), v, sum});
            r.observations += static_cast<std::int64_t>(c.values.size());
            sums.push_back(sum);
            last_sum += c.last;
            if (!max || c.max > *max) max = c.max;
            if (!r.last_on || c.last_on > *r.last_on) r.last_on = c.last_on;
        }
        // Territories in code order, each total already order-independent.
        r.sum = std::accumulate(sums.begin(), sums.end(), 0.0);
        if (r.observations > 0) {
            if (rule == "last")
                r.value = last_sum;  // a stock measured place by place: latest of each, added
            else if (rule == "max")
                r.value = max;
            else if (rule == "mean")
                r.value = r.sum / static_cast<double>(r.observations);
            else
                r.value = r.sum;
        }
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(),
              [](const indicator_row& a, const indicator_row& b) { return a.id < b.id; });
    return out;
}

}  // namespace minga::rpt
