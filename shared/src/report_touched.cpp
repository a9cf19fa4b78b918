// What an incremental consolidation must recompute: every project and indicator whose report
// rows may differ from the last run's, found from the change index (seq > rpt_meta.source_seq),
// the exchange rates, and the co-financing dedup (docs/consolidation.md, "Incremental runs").
#include "report_detail.hpp"

#include <array>
#include <unordered_map>
#include <vector>

namespace minga::rpt {

namespace {

/// The project's own child tables: a changed row touches its project.
constexpr std::array<const char*, 6> project_children = {"project_transaction", "project_budget",
                                                         "project_location",    "project_sdg",
                                                         "project_participant", "project_sector"};

void collect(sql::db& db, const std::string& sql, std::int64_t since, id_set& into) {
    auto s = db.prepare(sql);
    s.bind(1, since);
    while (s.step()) into.insert(s.get_text(0));
}

std::string changed(const char* table) {
    return std::string("SELECT row_id FROM change_index WHERE seq > ?1 AND +tbl = '") + table + "'";
}

/// Every row changed since `since`, by table: one walk of the new change-index entries (the
/// seq range of its primary key), not one per table.
using changed_rows = std::unordered_map<std::string, std::vector<std::string>>;
changed_rows changed_since(sql::db& db, std::int64_t since) {
    changed_rows out;
    auto s = db.prepare("SELECT tbl, row_id FROM change_index WHERE seq > ?1");
    s.bind(1, since);
    while (s.step()) out[s.get_text(0)].push_back(s.get_text(1));
    return out;
}

const std::vector<std::string>& rows_of(const changed_rows& c, const char* table) {
    static const std::vector<std::string> none;
    auto it = c.find(table);
    return it == c.end() ? none : it->second;
}

/// For each changed row of `table`, runs `sql` (one parameter: the row's id) and gives each
/// value it returns to `add` (point lookups by index).
template <class F>
void for_each_parent(sql::db& db, const changed_rows& c, const char* table, const std::string& sql,
                     F&& add) {
    const auto& ids = rows_of(c, table);
    if (ids.empty()) return;
    auto s = db.prepare(sql);
    for (const auto& id : ids) {
        s.bind(1, id);
        while (s.step()) add(s.get_text(0));
        s.reset();
    }
}

/// For each changed row of `table`, the value of `column` in it (a point lookup by id each).
void parents(sql::db& db, const changed_rows& c, const char* table, const char* column, id_set& into) {
    for_each_parent(db, c, table, std::string("SELECT ") + column + " FROM " + table + " WHERE id = ?1",
                    [&](std::string v) { into.insert(std::move(v)); });
}

/// Currencies whose rates differ from those the last run used.
std::set<std::string> changed_currencies(sql::db& db, const fx_table& fx) {
    std::map<std::string, fx_table::rate_list, std::less<>> used;
    auto s = db.prepare(
        "SELECT currency, valid_from, usd_per_unit FROM rpt_fx_used ORDER BY currency, valid_from");
    while (s.step()) used[s.get_text(0)].emplace_back(s.get_text(1), s.get_double(2));
    std::set<std::string> out;
    for (const auto& [c, list] : fx.rates()) {
        auto it = used.find(c);
        if (it == used.end() || it->second != list) out.insert(c);
    }
    for (const auto& [c, list] : used)
        if (!fx.rates().count(c)) out.insert(c);
    return out;
}

}  // namespace

touched find_touched(sql::db& db, std::int64_t since, const fx_table& fx,
                     const gad_places& places, dedup_result& dedup) {
    touched t;
    auto& ps = t.projects;
    const auto rows = changed_since(db, since);
    for (const auto& id : rows_of(rows, "project")) ps.insert(id);
    // Projects whose dedup head may have changed: the changed ones, and those of a changed
    // agreement (its reference is the key; source and geopolitical type are inherited).
    id_set heads = ps;
    for_each_parent(db, rows, "agreement",
                    "SELECT id FROM project WHERE agreement_id = ?1 AND deleted = 0",
                    [&](std::string id) {
                        ps.insert(id);
                        heads.insert(std::move(id));
                    });
    for (const char* child : project_children) parents(db, rows, child, "project_id", ps);
    // A funder's name or source is copied into the report.
    if (!rows_of(rows, "organisation").empty()) {
        collect(db,
                "SELECT x.project_id FROM project_participant x WHERE x.organisation_id IN (" +
                    changed("organisation") + ")",
                since, ps);
    }
    // A GAD's territory or a mancomunidad's members place the projects it owns.
    const auto& changed_gads = rows_of(rows, "gad");
    id_set gads(changed_gads.begin(), changed_gads.end());
    parents(db, rows, "gad_membership", "group_code", gads);
    for (const auto& [group, members] : places.member_codes)
        for (const auto& m : members)
            if (gads.count(m)) gads.insert(group);
    {
        auto owned = db.prepare("SELECT id FROM project WHERE owner_gad = ?1 AND deleted = 0");
        for (const auto& g : gads) {
            owned.bind(1, g);
            while (owned.step()) ps.insert(owned.get_text(0));
            owned.reset();
        }
    }
    // Lines in a currency whose rates changed convert differently.
    auto currencies = changed_currencies(db, fx);
    if (!currencies.empty()) {
        std::string list;
        for (const auto& c : currencies) list += (list.empty() ? "'" : ",'") + c + "'";
        collect(db,
                "SELECT project_id FROM project_transaction WHERE ?1 = ?1 AND currency IN (" +
                    list + ") UNION SELECT project_id FROM project_budget WHERE currency IN (" +
                    list + ")",
                since, ps);
    }
    // A project that became a duplicate, stopped being one, or now duplicates another GAD's
    // record. (A project that appeared or stopped being live is a changed `project` row.)
    dedup = dedup_changed(db, heads, ps);

    // Indicators: changed ones, those with changed observations, and all of touched projects.
    for (const auto& id : rows_of(rows, "indicator")) t.indicators.insert(id);
    // Changed observations -> their indicators: one statement, the ids looked up in sorted
    // order (10,500 lookups a night at national scale: the main cost of this step).
    if (!rows_of(rows, "observation").empty())
        collect(db,
                "SELECT DISTINCT indicator_id FROM observation WHERE id IN (" +
                    changed("observation") + ")",
                since, t.indicators);
    fill_temp(db, "rpt_calc", ps);
    collect(db,
            "SELECT id FROM indicator WHERE ?1 = ?1 AND project_id IN "
            "(SELECT id FROM temp.rpt_calc)",
            since, t.indicators);
    return t;
}

}  // namespace minga::rpt
