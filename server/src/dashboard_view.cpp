// Loading one dashboard view on the store thread (see dashboard_view.hpp).
#include "dashboard_view.hpp"

#include <minga/shared/demand_plan.hpp>

#include "dashboard_api.hpp"

namespace minga::server {

namespace {

/// Keeps the rows whose cell in `column` equals `code`.
void keep_rows(report_table& t, std::string_view column, const std::string& code) {
    std::size_t at = 0;
    while (at < t.columns.size() && t.columns[at] != column) ++at;
    if (at == t.columns.size()) return;
    std::erase_if(t.rows, [&](const std::vector<report_cell>& row) {
        const auto* s = std::get_if<std::string>(&row[at]);
        return !s || *s != code;
    });
}

bool digits(const std::string& s, std::size_t n) {
    return s.size() == n && s.find_first_not_of("0123456789") == std::string::npos;
}

std::string row_name(const report_table& t, const std::string& code) {
    for (const auto& row : t.rows)
        if (const auto* s = std::get_if<std::string>(&row[0]); s && *s == code)
            if (const auto* n = std::get_if<std::string>(&row[1])) return *n;
    return code;
}

}  // namespace

result<report_table> territory_table(sql::db& db, const territory_scope& scope) {
    if (!scope.canton.empty()) {
        if (!digits(scope.canton, 4))
            return make_error(errc::bad_input, "canton", "el cantón es un código INEC de 4 dígitos",
                              "the canton is a 4-digit INEC code");
        auto t = report(db, report_by::parish);
        if (t) keep_rows(*t, "canton", scope.canton);
        return t;
    }
    if (!scope.province.empty()) {
        if (!digits(scope.province, 2))
            return make_error(errc::bad_input, "province", "la provincia es un código INEC de 2 dígitos",
                              "the province is a 2-digit INEC code");
        auto t = report(db, report_by::canton);
        if (t) keep_rows(*t, "provincia", scope.province);
        return t;
    }
    return report(db, report_by::province);
}

dashboard_view load_view(sql::db& db, const territory_scope& scope, std::int64_t now_ms) {
    dashboard_view v;
    v.now_ms = now_ms;
    v.scope = scope;
    if (!digits(v.scope.canton, 4)) v.scope.canton.clear();
    if (!digits(v.scope.province, 2)) v.scope.province.clear();
    if (!v.scope.canton.empty()) v.scope.province = v.scope.canton.substr(0, 2);
    auto t = territory_table(db, v.scope.canton.empty() ? territory_scope{v.scope.province, ""} : v.scope);
    if (t) {
        v.territory = std::move(*t);
        // Names for the breadcrumb, from the parent levels' reports.
        if (!v.scope.province.empty()) {
            if (auto p = report(db, report_by::province)) v.scope_name = row_name(*p, v.scope.province);
        }
        if (!v.scope.canton.empty()) {
            if (auto c = report(db, report_by::canton)) v.scope_name += " / " + row_name(*c, v.scope.canton);
        }
        if (auto o = report(db, report_by::ods)) v.ods = std::move(*o);
        if (auto s = report(db, report_by::source)) v.source = std::move(*s);
        if (auto m = report(db, report_by::modality)) v.modality = std::move(*m);
    } else {
        v.no_data = t.err();
    }
    v.indicators = indicator_progress_list(db, dashboard_tuning::max_indicator_rows);
    v.sync = sync_health(db);
    if (auto plan = load_demand_plan(db, {}); !plan.empty())
        v.demand_plan = plan_report(db, plan, plan_by::province, "es");
    v.sdg_colour = sdg_colours(db);
    return v;
}

}  // namespace minga::server
