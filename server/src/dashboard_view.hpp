#pragma once
// The data of one dashboard view, loaded on the store thread, and its two renderings: the
// Spanish HTML page (dashboard_page.cpp) and the JSON of the API (dashboard_api.cpp).
#include <minga/shared/dashboard.hpp>
#include <minga/shared/report.hpp>

#include <optional>
#include <string>
#include <vector>

namespace minga::server {

/// Where the territorial table is: national (provinces), a province (its cantons) or a canton
/// (its parishes).
struct territory_scope {
    std::string province;  // "PP" or ""
    std::string canton;    // "PPCC" or ""
};

/// The territorial report for `scope`: provinces, a province's cantons or a canton's parishes
/// (rows of `report()` filtered by their parent column), or the report's error.
[[nodiscard]] result<report_table> territory_table(sql::db& db, const territory_scope& scope);

struct dashboard_view {
    std::string user;
    territory_scope scope;
    std::string scope_name;  // name of the province or canton drilled into
    std::optional<report_table> territory, ods, source, modality;
    std::optional<error> no_data;  // why there are no consolidated figures
    std::vector<indicator_progress> indicators;
    std::vector<gad_sync_health> sync;
    /// The national demand plan by province (`report --by demand-province`), when any GAD has
    /// synced demands (docs/demands.md).
    std::optional<report_table> demand_plan;
    std::vector<std::string> sdg_colour;  // index = goal
    std::int64_t now_ms = 0;
};

[[nodiscard]] dashboard_view load_view(sql::db& db, const territory_scope& scope, std::int64_t now_ms);

/// The Spanish HTML page of `v`.
[[nodiscard]] std::string render_page(const dashboard_view& v);
/// The sign-in page (with an error message when `error` is not empty).
[[nodiscard]] std::string render_login(std::string_view error);
/// The page's style sheet (embedded in the binary; screen and print).
[[nodiscard]] std::string_view dashboard_css();

/// HTML escaping of text and attribute values.
[[nodiscard]] std::string html(std::string_view s);

}  // namespace minga::server
