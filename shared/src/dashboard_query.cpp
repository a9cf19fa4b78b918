// Sync health and indicator progress for the dashboard (see dashboard.hpp).
#include <minga/shared/dashboard.hpp>

#include <minga/shared/report_extra.hpp>

#include "text_list.hpp"

#include <algorithm>
#include <map>

namespace minga {

std::vector<gad_sync_health> sync_health(sql::db& db) {
    std::map<std::string, gad_sync_health> by_gad;
    auto s = db.prepare("SELECT gads, status, coalesce(last_seen_ms, 0) FROM device");
    while (s.step()) {
        const auto state = s.get_text(1);
        for (const auto& g : split_list(s.get_text(0))) {
            auto& h = by_gad[g];
            if (state == "activo") ++h.devices_active;
            else if (state == "pendiente") ++h.devices_pending;
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
    // The national totals of `report indicators`, so the dashboard shows the same figures.
    auto t = indicator_report(db, report_by::province);
    std::vector<indicator_progress> out;
    if (!t) return out;  // not consolidated yet: the page says so above
    for (const auto& r : t->totals) {
        indicator_progress p;
        p.key = r.code;
        p.name = r.name;
        p.unit = r.unit;
        p.aggregation = r.aggregation;
        p.indicators = r.indicators;
        p.projects = r.projects;
        p.observations = r.observations;
        p.baseline = r.baseline.value_or(0);
        p.current = r.value.value_or(p.baseline);
        p.target = r.target.value_or(0);
        p.with_target = r.with_target;
        p.last_observed = r.last_on;
        p.progress_pct = r.progress_pct();
        out.push_back(std::move(p));
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
