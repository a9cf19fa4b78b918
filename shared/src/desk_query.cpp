// Read-only lookups for the parish desk's forms and pages (see desk_query.hpp).
#include <minga/shared/desk_query.hpp>

#include <algorithm>
#include <set>

namespace minga {

std::vector<desk_choice> codelist_choices(replica& r, std::string_view list, std::string_view lang) {
    auto s = r.conn().prepare(
        "SELECT code, CASE WHEN ?2 = 'en' THEN coalesce(name_en, name_es) ELSE name_es END "
        "FROM codelist WHERE list = ?1 AND active = 1 ORDER BY code");
    s.bind(1, list).bind(2, lang);
    std::vector<desk_choice> out;
    while (s.step()) out.push_back({s.get_text(0), s.get_text(1)});
    return out;
}

std::vector<desk_choice> parish_choices(replica& r) {
    // The territories of the device's GADs (a mancomunidad's are its members'), cut to the
    // canton (or kept as the province for a provincial GAD).
    std::set<std::string> prefixes;
    auto t = r.conn().prepare(
        "SELECT g.territory FROM gad g WHERE g.code = ?1 AND g.territory IS NOT NULL "
        "UNION SELECT m.territory FROM gad_membership gm JOIN gad m ON m.code = gm.member "
        "WHERE gm.group_code = ?1 AND gm.deleted = 0 AND m.territory IS NOT NULL");
    for (const auto& gad : r.gads()) {
        t.reset();
        t.bind(1, gad);
        while (t.step()) {
            const auto code = t.get_text(0);
            prefixes.insert(code.size() >= 4 ? code.substr(0, 4) : code);
        }
    }
    auto s = r.conn().prepare(
        "SELECT p.code, p.name || ' (' || coalesce(c.name, '') || ')' FROM territorial_unit p "
        "LEFT JOIN territorial_unit c ON c.code = p.parent_code "
        "WHERE p.level = 3 AND p.status = 'vigente' AND substr(p.code, 1, length(?1)) = ?1 "
        "ORDER BY p.code");
    std::vector<desk_choice> out;
    for (const auto& prefix : prefixes) {
        s.reset();
        s.bind(1, prefix);
        while (s.step()) out.push_back({s.get_text(0), s.get_text(1)});
    }
    return out;
}

std::vector<desk_choice> sdg_choices(replica& r, std::string_view lang) {
    auto s = r.conn().prepare(
        "SELECT goal, CASE WHEN ?1 = 'en' THEN name_en ELSE name_es END FROM sdg ORDER BY goal");
    s.bind(1, lang);
    std::vector<desk_choice> out;
    while (s.step()) out.push_back({std::to_string(s.get_int(0)), s.get_text(1)});
    return out;
}

std::vector<desk_choice> currency_choices(replica& r) {
    auto s = r.conn().prepare("SELECT code, name FROM currency ORDER BY code");
    std::vector<desk_choice> out;
    while (s.step()) out.push_back({s.get_text(0), s.get_text(1)});
    return out;
}

namespace {

/// Observations of one indicator combined by its rule (the latest one for "last").
std::optional<double> combine(const std::vector<double>& values, std::string_view rule) {
    if (values.empty()) return std::nullopt;
    if (rule == "last") return values.back();
    if (rule == "max") return *std::max_element(values.begin(), values.end());
    double sum = 0;
    for (double v : values) sum += v;
    if (rule == "mean") return sum / static_cast<double>(values.size());
    return sum;
}

}  // namespace

std::vector<indicator_progress> indicator_progress_of(replica& r, std::string_view project_id) {
    auto s = r.conn().prepare(
        "SELECT id, title, unit, aggregation, baseline_value, target_value, owner_gad FROM indicator "
        "WHERE deleted = 0 AND (?1 = '' OR project_id = ?1) ORDER BY title, id");
    s.bind(1, project_id);
    std::vector<indicator_progress> out;
    while (s.step()) {
        if (!r.in_scope(s.get_text(6))) continue;
        auto& p = out.emplace_back();  // built in place: no moved-from temporary
        p.id = s.get_text(0);
        p.title = s.get_text(1);
        p.unit = s.get_text(2);
        p.aggregation = s.get_text(3);
        p.baseline = s.get_opt_double(4);
        p.target = s.get_opt_double(5);
    }
    auto obs = r.conn().prepare(
        "SELECT value FROM observation WHERE indicator_id = ?1 AND deleted = 0 "
        "ORDER BY observed_on, hlc");
    for (auto& p : out) {
        obs.reset();
        obs.bind(1, p.id);
        std::vector<double> values;
        while (obs.step()) values.push_back(obs.get_double(0));
        p.observations = static_cast<std::int64_t>(values.size());
        p.value = combine(values, p.aggregation);
        const double base = p.baseline.value_or(0);
        if (p.value && p.target && *p.target != base)
            p.percent = (*p.value - base) / (*p.target - base) * 100.0;
    }
    return out;
}

}  // namespace minga
