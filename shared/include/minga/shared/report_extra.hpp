#pragma once
/// Reports beside the project figures of report.hpp: indicator totals by dimension (read from
/// the consolidated tables) and the data-quality report (read from the live store). Rules in
/// docs/consolidation.md. Same thread affinity and error rules as report.hpp.

#include <minga/shared/report.hpp>
#include <minga/shared/report_tuning.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// One library indicator (indicator_def code) in one group of the dimension.
struct indicator_total {
    std::optional<std::string> key;  ///< the dimension's code (nullopt: "not stated")
    std::string key_name;            ///< its name ("(sin dato)" when not stated)
    std::string code, name, unit;    ///< the indicator (library code, name, unit)
    std::string aggregation;         ///< sum, last, max or mean
    std::int64_t projects = 0, indicators = 0, observations = 0;
    std::optional<double> value;   ///< aggregated by the rule; nullopt: nothing observed
    std::optional<double> target;  ///< targets combined by the same rule (not per territory)
    // Filled for the national totals only (empty / 0 in the rows of a territorial dimension).
    std::optional<double> baseline;  ///< baselines combined by the same rule
    std::int64_t with_target = 0;    ///< indicators that have a target
    std::string last_on;             ///< date of the latest observation ("" when none)
    /// (value − baseline) / (target − baseline) × 100 of the combined figures (an unobserved
    /// group stands at its baseline); nullopt without a target or when target = baseline.
    [[nodiscard]] std::optional<double> progress_pct() const;
};

struct indicator_table {
    report_by by = report_by::province;
    std::string lang;
    std::vector<indicator_total> rows;  ///< by dimension code (not stated last), then indicator
    /// One row per library indicator over the whole country (key nullopt): what the dashboard
    /// shows as indicator progress. Same rules as the rows.
    std::vector<indicator_total> totals;
    consolidation_summary summary;
};

/// Library indicators aggregated by their own rule within each group of `by`: sum and last
/// add up (last: the latest value of each indicator and territory), max takes the largest,
/// mean is the mean of all observations. Indicators with no library code are not comparable
/// across projects and are left out. Before any consolidation: `errc::not_found`.
[[nodiscard]] result<indicator_table> indicator_report(sql::db& central_db, report_by by,
                                                       std::string_view lang = "es");
/// Columns (es): clave, nombre, indicador, indicador_nombre, unidad, regla, proyectos,
/// indicadores, observaciones, valor, meta (en: key, name, indicator, indicator_name, unit,
/// rule, projects, indicators, observations, value, target). Values with up to 6 decimals.
[[nodiscard]] std::string to_csv(const indicator_table& t);
/// {"report": "indicators", "by", "lang", "as_of", "columns": [...], "rows": [{...}],
///  "totals": [{...}]}: `totals` has the same keys without the first two (key and name).
[[nodiscard]] std::string to_json(const indicator_table& t);

/// Bounds of the data-quality report.
struct quality_options {
    std::int64_t now_ms = 0;                   ///< "today" for periods, NGO agreements and syncs
    std::int64_t days = report_tuning::max_days_without_sync;  ///< a GAD not synced for longer is listed
    std::int64_t max_skew_ms = report_tuning::max_clock_skew_ms;  ///< a device clock further off is listed
};

/// What a person should look at. Kinds (stable, Spanish): "sin_observacion" (a project with
/// no observation in its last ended reporting period), "ong_no_activa" (a live agreement with
/// a foreign NGO that is not active in the directory, or whose operating agreement expired),
/// "gad_sin_sincronizar" (a GAD with devices, none synced within `days`), "reloj_desfasado"
/// (a device whose clock was off by more than `max_skew_ms`).
struct quality_row {
    std::string kind, gad, subject, name, detail, date;
};

struct quality_report {
    std::string lang;
    quality_options opts;
    std::vector<quality_row> rows;  ///< by kind (in the order above), then GAD, then subject
};

/// Computes the data-quality report from the live store (no consolidation needed).
/// `days` < 1 or `max_skew_ms` < 0 is `errc::bad_input`.
[[nodiscard]] result<quality_report> quality(sql::db& central_db, const quality_options& opts,
                                             std::string_view lang = "es");
/// Columns (es): tipo, gad, id, nombre, detalle, fecha (en: kind, gad, id, name, detail, date).
[[nodiscard]] std::string to_csv(const quality_report& q);
/// {"report": "quality", "lang", "as_of", "days", "counts": {kind: n}, "columns", "rows"}.
[[nodiscard]] std::string to_json(const quality_report& q);
/// Human text: one section per kind with its count, Spanish titles first.
[[nodiscard]] std::string to_text(const quality_report& q);

}  // namespace minga
