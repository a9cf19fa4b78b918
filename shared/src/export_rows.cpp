#include "export_rows.hpp"

#include <string_view>
#include <unordered_map>

namespace minga::export_rows {

namespace {

std::string text(const sql::stmt& s, int col) { return s.get_opt_text(col).value_or(""); }

/// Runs `sql` (whose first column is the project id, and which has ?1 = the GAD filter or '')
/// and hands each row to `each` with the project it belongs to.
template <class F>
void for_children(sql::db& db, std::string_view sql, const std::string& gad,
                  std::unordered_map<std::string, std::size_t>& index,
                  std::vector<project_row>& out, F each) {
    auto s = db.prepare(sql);
    s.bind(1, gad);
    while (s.step()) {
        auto it = index.find(s.get_text(0));
        if (it != index.end()) each(out[it->second], s);
    }
}

// Children of live projects only, filtered like the projects themselves.
constexpr std::string_view live_parent =
    " JOIN project p ON p.id = c.project_id AND p.deleted = 0 AND (?1 = '' OR p.owner_gad = ?1) "
    "WHERE c.deleted = 0 ";

/// The aggregates of observations in columns `at`..`at+6`: count, sum, max, mean, latest value,
/// first and last date.
observed observed_at(const sql::stmt& r, int at) {
    observed o;
    o.count = r.get_int(at);
    if (o.count == 0) return o;
    o.sum = r.get_double(at + 1);
    o.max = r.get_double(at + 2);
    o.mean = r.get_double(at + 3);
    o.last = r.get_double(at + 4);
    o.first_on = text(r, at + 5);
    o.last_on = text(r, at + 6);
    return o;
}

/// Observation aggregates over `o` joined by `cond` (the SQL of observed_at's columns).
std::string observed_sql(std::string_view cond) {
    const std::string c(cond);
    return "(SELECT count(*) FROM observation o WHERE " + c + "), (SELECT sum(o.value) FROM observation o WHERE " +
           c + "), (SELECT max(o.value) FROM observation o WHERE " + c +
           "), (SELECT avg(o.value) FROM observation o WHERE " + c +
           "), (SELECT o.value FROM observation o WHERE " + c +
           " ORDER BY o.observed_on DESC, o.id DESC LIMIT 1), (SELECT min(o.observed_on) FROM observation o WHERE " +
           c + "), (SELECT max(o.observed_on) FROM observation o WHERE " + c + ")";
}

indicator_row* find_indicator(project_row& p, const std::string& id) {
    for (auto& i : p.indicators)
        if (i.id == id) return &i;
    return nullptr;
}

/// Results, indicators and their periods, with what was observed (aggregated in SQL: a
/// national export does not hold a million observations in memory).
void load_results(sql::db& db, const std::string& gad, std::unordered_map<std::string, std::size_t>& index,
                  std::vector<project_row>& out) {
    for_children(db,
                 std::string("SELECT c.project_id, c.id, c.title, c.description, c.type FROM project_result c") +
                     std::string(live_parent) + "ORDER BY c.type, c.title, c.id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.results.push_back({r.get_text(1), r.get_text(2), text(r, 3), r.get_int(4)});
                 });
    for_children(db,
                 "SELECT c.project_id, c.id, c.result_id, c.indicator_code, c.title, c.unit, c.aggregation, "
                 "c.measure, c.ascending, c.baseline_year, c.baseline_value, c.target_value, c.target_date, " +
                     observed_sql("o.indicator_id = c.id AND o.deleted = 0") + " FROM indicator c" +
                     std::string(live_parent) + "ORDER BY c.title, c.id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     indicator_row i{r.get_text(1), text(r, 2), text(r, 3), r.get_text(4), r.get_text(5),
                                     r.get_text(6), r.get_int(7), r.get_int(8) != 0, r.get_opt_int(9),
                                     r.get_opt_double(10), r.get_opt_double(11), text(r, 12), {},
                                     observed_at(r, 13)};
                     p.indicators.push_back(std::move(i));
                 });
    for_children(db,
                 "SELECT p.id, c.indicator_id, c.id, c.period_start, c.period_end, c.target_value, " +
                     observed_sql("o.indicator_id = c.indicator_id AND o.deleted = 0 AND (o.period_id = c.id OR "
                                  "(o.period_id IS NULL AND o.observed_on BETWEEN c.period_start AND "
                                  "c.period_end))") +
                     " FROM reporting_period c JOIN indicator i ON i.id = c.indicator_id AND i.deleted = 0 "
                     "JOIN project p ON p.id = i.project_id AND p.deleted = 0 AND (?1 = '' OR p.owner_gad = ?1) "
                     "WHERE c.deleted = 0 ORDER BY c.period_start, c.period_end, c.id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     if (auto* i = find_indicator(p, r.get_text(1)))
                         i->periods.push_back({r.get_text(2), r.get_text(3), r.get_text(4), r.get_opt_double(5),
                                               observed_at(r, 6)});
                 });
}

}  // namespace

std::optional<double> observed::by_rule(const std::string& rule) const {
    if (count == 0) return std::nullopt;
    if (rule == "last") return last;
    if (rule == "max") return max;
    if (rule == "mean") return mean;
    return sum;
}

std::vector<project_row> load(sql::db& db, const std::string& gad) {
    std::vector<project_row> out;
    std::unordered_map<std::string, std::size_t> index;
    auto s = db.prepare(
        "SELECT p.id, p.owner_gad, coalesce(g.name, ''), coalesce(g.level, ''), p.local_code, p.title, "
        "p.description, p.objectives, p.planned_start, p.planned_end, p.actual_start, p.actual_end, "
        "p.source, p.modality, p.geopolitical, p.aid_type, p.default_currency, p.activity_status, "
        "p.collaboration_type, p.finance_type, p.beneficiaries, "
        "a.id, a.reference, a.kind, a.title, a.status, a.signed_on, a.valid_from, a.valid_to, "
        "a.source, a.geopolitical, r.project_id, r.committed_basis, r.committed_usd_cents, "
        "r.disbursed_usd_cents "
        "FROM project p LEFT JOIN gad g ON g.code = p.owner_gad "
        "LEFT JOIN agreement a ON a.id = p.agreement_id AND a.deleted = 0 "
        "LEFT JOIN rpt_project r ON r.project_id = p.id "
        "WHERE p.deleted = 0 AND (?1 = '' OR p.owner_gad = ?1) ORDER BY p.owner_gad, p.title, p.id");
    s.bind(1, gad);
    while (s.step()) {
        project_row p;
        p.id = s.get_text(0);
        p.owner_gad = s.get_text(1);
        p.owner_name = s.get_text(2);
        p.owner_level = s.get_text(3);
        p.local_code = text(s, 4);
        p.title = s.get_text(5);
        p.description = text(s, 6);
        p.objectives = text(s, 7);
        p.planned_start = text(s, 8);
        p.planned_end = text(s, 9);
        p.actual_start = text(s, 10);
        p.actual_end = text(s, 11);
        p.source = text(s, 12);
        p.modality = text(s, 13);
        p.geopolitical = text(s, 14);
        p.aid_type = text(s, 15);
        p.default_currency = text(s, 16);
        p.activity_status = s.get_int(17);
        p.collaboration_type = s.get_opt_int(18);
        p.finance_type = s.get_opt_int(19);
        p.beneficiaries = s.get_opt_int(20);
        if (!s.is_null(21)) {
            p.agreement = agreement_row{text(s, 21), text(s, 22), text(s, 23), text(s, 24),
                                        text(s, 25), text(s, 26), text(s, 27), text(s, 28),
                                        text(s, 29), text(s, 30)};
        }
        p.consolidated = !s.is_null(31);
        p.committed_basis = text(s, 32);
        p.committed_usd_cents = s.get_opt_int(33);
        p.disbursed_usd_cents = s.get_opt_int(34);
        index.emplace(p.id, out.size());
        out.push_back(std::move(p));
    }
    for_children(db,
                 std::string("SELECT c.project_id, c.organisation_id, coalesce(o.name, ''), o.acronym, o.ruc, "
                             "o.country, o.cinr_source, coalesce(o.org_type, 0), c.role "
                             "FROM project_participant c LEFT JOIN organisation o ON o.id = c.organisation_id") +
                     std::string(live_parent) + "ORDER BY c.role, o.name, c.organisation_id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.participants.push_back({r.get_text(1), r.get_text(2), text(r, 3), text(r, 4),
                                               text(r, 5), text(r, 6), r.get_int(7), r.get_int(8)});
                 });
    for_children(db, std::string("SELECT c.project_id, c.goal FROM project_sdg c") + std::string(live_parent) +
                         "ORDER BY c.goal",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.sdgs.push_back(static_cast<int>(r.get_int(1)));
                 });
    for_children(db, std::string("SELECT c.project_id, c.sector, c.percentage FROM project_sector c") +
                         std::string(live_parent) + "ORDER BY c.sector",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.sectors.push_back({r.get_text(1), r.get_double(2)});
                 });
    for_children(db,
                 std::string("SELECT c.project_id, c.id, c.territory, coalesce(t.name, ''), "
                             "coalesce(pr.name, ''), coalesce(ca.name, ''), c.name, c.lat, c.lon, c.share "
                             "FROM project_location c LEFT JOIN territorial_unit t ON t.code = c.territory "
                             "LEFT JOIN territorial_unit pr ON pr.code = substr(c.territory, 1, 2) "
                             "LEFT JOIN territorial_unit ca ON ca.code = substr(c.territory, 1, 4) "
                             "AND length(c.territory) >= 4") +
                     std::string(live_parent) + "ORDER BY c.territory, c.id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.locations.push_back({r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                                            r.get_text(5), text(r, 6), r.get_opt_double(7),
                                            r.get_opt_double(8), r.get_opt_double(9)});
                 });
    for_children(db,
                 std::string("SELECT c.project_id, c.period_start, c.period_end, c.currency, c.status, "
                             "c.amount FROM project_budget c") +
                     std::string(live_parent) + "ORDER BY c.period_start, c.period_end, c.id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.budgets.push_back({r.get_text(1), r.get_text(2), r.get_text(3), r.get_int(4),
                                          r.get_int(5)});
                 });
    for_children(db,
                 std::string("SELECT c.project_id, c.tx_date, c.currency, c.provider_id, c.receiver_id, "
                             "c.description, c.type, c.amount FROM project_transaction c") +
                     std::string(live_parent) + "ORDER BY c.tx_date, c.type, c.id",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.transactions.push_back({r.get_text(1), r.get_text(2), text(r, 3), text(r, 4),
                                               text(r, 5), r.get_int(6), r.get_int(7)});
                 });
    for_children(db,
                 "SELECT c.project_id, c.territory, c.share FROM rpt_project_territory c "
                 "JOIN project p ON p.id = c.project_id AND p.deleted = 0 AND (?1 = '' OR p.owner_gad = ?1) "
                 "ORDER BY c.territory",
                 gad, index, out, [](project_row& p, const sql::stmt& r) {
                     p.split.push_back({r.get_text(1), r.get_double(2)});
                 });
    load_results(db, gad, index, out);
    return out;
}

int minor_digits(sql::db& db, const std::string& currency) {
    auto& s = db.cached("SELECT minor_unit FROM currency WHERE code = ?1");
    sql::reset_guard g(s);
    s.bind(1, currency);
    return s.step() ? static_cast<int>(s.get_int(0)) : 2;
}

}  // namespace minga::export_rows
