#pragma once
// Report tables as nlohmann::json, shared by the CLI (`report --by demand...`) and the
// dashboard's JSON API, so both print the same document.
#include <minga/shared/demand_plan.hpp>
#include <minga/shared/report.hpp>

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

namespace minga::server {

/// A cell: text, integer, dollars as a number with two decimals, or null.
[[nodiscard]] nlohmann::json cell_json(const report_cell& c);

/// The rows as objects keyed by the table's column names.
[[nodiscard]] nlohmann::json rows_json(const report_table& t);

/// The plan's totals: demands, high priority, estimated USD, unconverted, with an offer, with an
/// agreement, gaps.
[[nodiscard]] nlohmann::json totals_json(const std::vector<plan_demand>& plan);

/// `{"report": "demand", "lang", "columns", "rows", "totals"}`: the demand report `kind` of the
/// whole plan, in `lang`.
[[nodiscard]] nlohmann::json demand_report_json(sql::db& central_db, const demand_report_kind& kind,
                                                std::string_view lang);

}  // namespace minga::server
