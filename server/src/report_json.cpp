// Report tables as JSON (see report_json.hpp).
#include "report_json.hpp"

#include <string>

namespace minga::server {

nlohmann::json cell_json(const report_cell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&c)) return *n;
    if (const auto* u = std::get_if<usd_cents>(&c)) return static_cast<double>(u->cents) / 100.0;
    return nullptr;
}

nlohmann::json rows_json(const report_table& t) {
    auto arr = nlohmann::json::array();
    for (const auto& row : t.rows) {
        nlohmann::json obj = nlohmann::json::object();
        for (std::size_t i = 0; i < t.columns.size(); ++i) obj[t.columns[i]] = cell_json(row[i]);
        arr.push_back(std::move(obj));
    }
    return arr;
}

nlohmann::json totals_json(const std::vector<plan_demand>& plan) {
    std::int64_t usd = 0, unconverted = 0, offer = 0, agreement = 0, gaps = 0, high = 0;
    for (const auto& d : plan) {
        if (d.usd_cents) usd += *d.usd_cents;
        else ++unconverted;
        offer += d.offers_available > 0;
        agreement += !d.agreement_id.empty();
        gaps += d.gap();
        high += d.priority == "alta";
    }
    return {{"demands", plan.size()}, {"high_priority", high}, {"estimated_usd", static_cast<double>(usd) / 100.0},
            {"estimated_usd_cents", usd}, {"unconverted_demands", unconverted}, {"with_offer", offer},
            {"with_agreement", agreement}, {"gaps", gaps}};
}

nlohmann::json demand_report_json(sql::db& db, const demand_report_kind& kind, std::string_view lang) {
    auto plan = load_demand_plan(db, plan_options{});
    auto t = kind.coverage ? coverage_report(plan, kind.gaps_only, lang) : plan_report(db, plan, kind.by, lang);
    return {{"report", "demand"}, {"lang", std::string(lang)}, {"columns", t.columns},
            {"rows", rows_json(t)}, {"totals", totals_json(plan)}};
}

}  // namespace minga::server
