// Sync health and indicator progress for the dashboard (see dashboard.hpp).
#include <minga/shared/dashboard.hpp>

#include "text_list.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace minga {

std::vector<gad_sync_health> sync_health(sql::db& db) {
    std::map<std::string, gad_sync_health> by_gad;
    auto s = db.prepare("SELECT gads, status, coalesce(last_seen_ms, 0) FROM device");
    while (s.step()) {
        const auto status = s.get_text(1);
        for (const auto& g : split_list(s.get_text(0))) {
            auto& h = by_gad[g];
            if (status == "activo") ++h.devices_active;
            else if (status == "pendiente") ++h.devices_pending;
            else ++h.devices_revoked;
            h.last_sync_ms = std::max(h.last_sync_ms, s.get_int(2));
        }
    }
    auto c = db.prepare(
        "SELECT owner_gad, count(*) FROM conflict WHERE deleted = 0 AND status = 'abierto' GROUP BY owner_gad");
    while (c.step()) by_gad[c.get_text(0)].open_conflicts = c.get_int(1);
    auto p = db.prepare("SELECT owner_gad, count(*) FROM project WHERE deleted = 0 GROUP BY owner_gad");
    while (p.step()) by_gad[p.get_text(0)].projects = p.get_int(1);
    std::vector<gad_sync_health> out;
    auto g = db.prepare("SELECT name, level FROM gad WHERE code = ?1");
    for (auto& [code, h] : by_gad) {
        h.gad = code;
        g.bind(1, code);
        if (g.step()) {
            h.name = g.get_text(0);
            h.level = g.get_text(1);
        }
        g.reset();
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<indicator_progress> indicator_progress_list(sql::db& db, std::size_t limit) {
    // One row per live indicator of a live project, with its value by its own rule.
    auto s = db.prepare(
        "SELECT i.project_id, coalesce(i.indicator_code, ''), coalesce(d.name_es, i.title), i.unit, "
        "i.aggregation, i.baseline_value, i.target_value, "
        "count(o.id), coalesce(sum(o.value), 0), max(o.value), avg(o.value), max(o.observed_on), "
        "(SELECT l.value FROM observation l WHERE l.indicator_id = i.id AND l.deleted = 0 "
        " ORDER BY l.observed_on DESC, l.hlc DESC, l.id DESC LIMIT 1) "
        "FROM indicator i JOIN project p ON p.id = i.project_id AND p.deleted = 0 "
        "LEFT JOIN indicator_def d ON d.code = i.indicator_code "
        "LEFT JOIN observation o ON o.indicator_id = i.id AND o.deleted = 0 "
        "WHERE i.deleted = 0 GROUP BY i.id");
    struct acc {
        indicator_progress p;
        std::set<std::string> projects;
        double reach_done = 0, reach_span = 0;  // over indicators with a target
    };
    std::map<std::string, acc> groups;
    while (s.step()) {
        const auto code = s.get_text(1);
        const auto name = s.get_text(2);
        const auto unit = s.get_text(3);
        const auto key = code.empty() ? name + "|" + unit : code;
        auto& a = groups[key];
        a.p.key = key;
        a.p.name = name;
        a.p.unit = unit;
        ++a.p.indicators;
        a.projects.insert(s.get_text(0));
        const auto n = s.get_int(7);
        a.p.observations += n;
        const auto rule = s.get_text(4);
        double value = 0;
        if (n > 0) {
            if (rule == "sum") value = s.get_double(8);
            else if (rule == "max") value = s.get_double(9);
            else if (rule == "mean") value = s.get_double(10);
            else value = s.get_double(12);  // last
        }
        const double baseline = s.get_opt_double(5).value_or(0);
        a.p.baseline += baseline;
        a.p.current += value;
        if (auto last = s.get_opt_text(11); last && *last > a.p.last_observed) a.p.last_observed = *last;
        if (auto target = s.get_opt_double(6)) {
            a.p.target += *target;
            ++a.p.with_target;
            a.reach_done += (n > 0 ? value : baseline) - baseline;
            a.reach_span += *target - baseline;
        }
    }
    std::vector<indicator_progress> out;
    for (auto& [key, a] : groups) {
        a.p.projects = static_cast<std::int64_t>(a.projects.size());
        if (a.p.with_target > 0 && a.reach_span != 0) a.p.progress_pct = 100.0 * a.reach_done / a.reach_span;
        out.push_back(std::move(a.p));
    }
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
        if (x.indicators != y.indicators) return x.indicators > y.indicators;
        if (x.name != y.name) return x.name < y.name;
        return x.key < y.key;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace minga

namespace minga {

std::vector<std::string> sdg_colours(sql::db& db) {
    std::vector<std::string> out(18);
    auto s = db.prepare("SELECT goal, color FROM sdg WHERE goal BETWEEN 1 AND 17");
    while (s.step()) out[static_cast<std::size_t>(s.get_int(0))] = s.get_text(1);
    return out;
}

}  // namespace minga
