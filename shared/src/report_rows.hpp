#pragma once
// The report rows as the rpt_* tables hold them (private to shared/src/report_*.cpp): one
// description of every table's columns and of which value goes in each, walked by the full
// run's writer (binding straight into its INSERTs) and by the incremental one (which compares
// with the stored rows first).
#include "report_detail.hpp"

#include <array>

namespace minga::rpt {

/// One rpt_* table: its columns, of which the first `key` are its primary key, and `scope`:
/// the column `<scope>_id` and the temp table `temp.rpt_w_<scope>` of the ids an incremental
/// run rewrites.
struct table_spec {
    const char* table;
    std::vector<const char*> columns;
    std::size_t key;
    const char* scope;
};
constexpr std::size_t report_table_count = 8;
/// rpt_project, _territory, _sector, _sdg, _cooperant, rpt_duplicate, rpt_indicator,
/// rpt_indicator_territory, in the order each_report_row() numbers them.
[[nodiscard]] const std::array<table_spec, report_table_count>& report_table_specs();
[[nodiscard]] std::string insert_sql(const table_spec& t);

/// What a run computed.
struct report_rows {
    const std::vector<project_row>& projects;
    const std::vector<indicator_row>& indicators;
    const std::vector<std::pair<std::string, duplicate>>& duplicates;
};

/// Calls `row(table, values...)` for every row of every table, the values in the columns'
/// order (text, int64, double, or optionals of them).
template <class F>
void each_report_row(const report_rows& rr, F&& row) {
    const std::optional<std::string> none;
    for (const auto& r : rr.projects) {
        row(0, r.id, r.owner, r.place ? province_of(*r.place) : none,
            r.place ? canton_of(*r.place) : none, r.place ? parish_of(*r.place) : none, r.source,
            r.modality, r.geopolitical, r.year, r.basis, r.committed, r.disbursed, r.beneficiaries,
            r.unconverted, std::int64_t{r.no_amount}, std::int64_t{r.rescaled},
            std::int64_t{r.no_territory});
        for (const auto& x : r.territories)
            row(1, r.id, x.key, province_of(x.key), canton_of(x.key), parish_of(x.key), x.share,
                x.committed, x.disbursed, x.beneficiaries);
        for (const auto& x : r.sectors)
            row(2, r.id, x.key, x.key.substr(0, 3), x.share, x.committed, x.disbursed,
                x.beneficiaries);
        for (auto goal : r.sdgs) row(3, r.id, goal);
        for (const auto& x : r.cooperants) row(4, r.id, x.id, x.name, x.source);
    }
    for (const auto& [id, x] : rr.duplicates) row(5, id, x.owner, x.key, x.counted_owner);
    for (const auto& r : rr.indicators) {
        row(6, r.id, r.project_id, r.code, r.unit, r.aggregation, r.baseline, r.target,
            r.observations, r.value, r.sum, r.last_on);
        for (const auto& x : r.territories) {
            auto at = [&](auto f) { return x.territory.empty() ? none : f(x.territory); };
            row(7, r.id, x.territory, at(province_of), at(canton_of), at(parish_of),
                x.observations, x.value, x.sum);
        }
    }
}

using table_rows = std::vector<std::vector<sql::value>>;
/// The rows of each table as values (what an incremental run compares and writes).
[[nodiscard]] std::array<table_rows, report_table_count> report_tables(const report_rows& r);

struct write_counts {
    std::int64_t inserted = 0, updated = 0, deleted = 0, unchanged = 0;
};
/// Writes the rows of an incremental run's scope into `t`: compares them with the rows the
/// scope has and inserts, updates (in place) and deletes only what differs.
void write_changed(sql::db& db, const table_spec& t, const table_rows& rows, write_counts& n);

}  // namespace minga::rpt
