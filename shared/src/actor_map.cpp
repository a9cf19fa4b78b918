// The actor map (rules in actor_map.hpp).
#include <minga/shared/actor_map.hpp>

#include "form_util.hpp"
#include "text_list.hpp"

#include <algorithm>
#include <map>

namespace minga {

namespace {

enum class activity_kind { agreement, project, offer };

struct activity {
    activity_kind kind;
    std::string organisation_id;
    std::string role;
    std::vector<std::string> territories;
    std::vector<std::string> sectors;
};

/// 3 same parish, 2 same canton, 1 same province, -1 farther.
int closeness(std::string_view a, std::string_view b) {
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    if (n >= 6) return 3;
    if (n >= 4) return 2;
    if (n >= 2) return 1;
    return -1;
}

bool sector_fits(const std::vector<std::string>& sectors, const std::string& want) {
    if (want.empty()) return true;
    return std::any_of(sectors.begin(), sectors.end(), [&](const std::string& s) {
        return s == want || s.compare(0, 3, want.substr(0, 3)) == 0;
    });
}

std::vector<std::string> column_of(sql::db& db, const std::string& sql, const std::string& key) {
    auto& s = db.cached(sql);
    sql::reset_guard g(s);
    s.bind(1, key);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.get_text(0));
    return out;
}

/// Where a project is: its locations, else its GAD's territory.
std::vector<std::string> project_places(sql::db& db, const std::string& project, const std::string& gad_territory) {
    auto out = column_of(db, "SELECT territory FROM project_location WHERE project_id = ?1 AND deleted = 0", project);
    if (out.empty() && !gad_territory.empty()) out.push_back(gad_territory);
    return out;
}

std::vector<std::string> project_sectors(sql::db& db, const std::string& project) {
    return column_of(db, "SELECT sector FROM project_sector WHERE project_id = ?1 AND deleted = 0", project);
}

void gather(sql::db& db, const std::string& today, std::vector<activity>& out) {
    auto ag = db.prepare(
        "SELECT ap.organisation_id, ap.role, a.id, coalesce(g.territory, '') FROM agreement_party ap "
        "JOIN agreement a ON a.id = ap.agreement_id AND a.deleted = 0 "
        "LEFT JOIN gad g ON g.code = a.owner_gad WHERE ap.deleted = 0 AND ap.role <> 'gad'");
    while (ag.step()) {
        activity act{activity_kind::agreement, ag.get_text(0), ag.get_text(1), {}, {}};
        if (auto t = ag.get_text(3); !t.empty()) act.territories.push_back(t);
        for (const auto& p : column_of(db, "SELECT id FROM project WHERE agreement_id = ?1 AND deleted = 0", ag.get_text(2))) {
            for (auto& t : project_places(db, p, "")) act.territories.push_back(std::move(t));
            for (auto& s : project_sectors(db, p)) act.sectors.push_back(std::move(s));
        }
        out.push_back(std::move(act));
    }
    auto pp = db.prepare(
        "SELECT pp.organisation_id, pp.role, p.id, coalesce(g.territory, '') FROM project_participant pp "
        "JOIN project p ON p.id = pp.project_id AND p.deleted = 0 "
        "LEFT JOIN gad g ON g.code = p.owner_gad WHERE pp.deleted = 0");
    static constexpr const char* roles[] = {"", "financiador", "responsable", "canalizador", "ejecutor"};
    while (pp.step()) {
        auto role = pp.get_int(1);
        out.push_back({activity_kind::project, pp.get_text(0), role >= 1 && role <= 4 ? roles[role] : "",
                       project_places(db, pp.get_text(2), pp.get_text(3)), project_sectors(db, pp.get_text(2))});
    }
    auto of = db.prepare(
        "SELECT cooperant_id, territories, sectors FROM offer WHERE deleted = 0 "
        "AND status IN ('abierta', 'permanente') AND (closes_on IS NULL OR closes_on >= ?1)");
    of.bind(1, today);
    while (of.step())
        out.push_back({activity_kind::offer, of.get_text(0), "ofertante", split_list(of.get_text(1)),
                       split_list(of.get_text(2))});
}

}  // namespace

std::vector<actor_row> actor_map(sql::db& db, const actor_filter& filter) {
    std::vector<activity> acts;
    gather(db, filter.today.empty() ? today_iso() : filter.today, acts);
    std::map<std::string, actor_row> by_org;
    for (const auto& a : acts) {
        if (!sector_fits(a.sectors, filter.sector)) continue;
        int prox = -1;
        if (!filter.territory.empty()) {
            if (a.kind == activity_kind::offer && a.territories.empty()) prox = 0;
            for (const auto& t : a.territories) prox = std::max(prox, closeness(t, filter.territory));
            if (prox < 0) continue;
        }
        auto& row = by_org[a.organisation_id];
        row.organisation_id = a.organisation_id;
        row.proximity = std::max(row.proximity, prox);
        if (a.kind == activity_kind::agreement) ++row.agreements;
        else if (a.kind == activity_kind::project) ++row.projects;
        else ++row.offers;
        if (!a.role.empty() && std::find(row.roles.begin(), row.roles.end(), a.role) == row.roles.end())
            row.roles.push_back(a.role);
    }
    std::vector<actor_row> out;
    auto& org = db.cached("SELECT name, coalesce(cinr_source, '') FROM organisation WHERE id = ?1");
    for (auto& [id, row] : by_org) {
        sql::reset_guard g(org);
        org.bind(1, id);
        if (org.step()) {
            row.name = org.get_text(0);
            row.source = org.get_text(1);
        }
        std::sort(row.roles.begin(), row.roles.end());
        out.push_back(std::move(row));
    }
    std::sort(out.begin(), out.end(), [](const actor_row& a, const actor_row& b) {
        if (a.proximity != b.proximity) return a.proximity > b.proximity;
        if (a.agreements + a.projects != b.agreements + b.projects)
            return a.agreements + a.projects > b.agreements + b.projects;
        if (a.name != b.name) return a.name < b.name;
        return a.organisation_id < b.organisation_id;
    });
    return out;
}

}  // namespace minga
