#pragma once
/// The overnight consolidation and the national reports built on it (server side).
///
/// `consolidate()` rebuilds the server-only report tables (`rpt_*`, created by
/// `central_v2.sql`) from the synced rows of the central store: one row per live project with
/// its amounts in USD, its split over territories, its SDGs and its funders. `report()` reads
/// those tables grouped by one dimension. The rules (which amount counts, currency conversion,
/// territorial split, what is counted once) are written down in docs/consolidation.md; the
/// comments here only say what each function promises.
///
/// Thread affinity: every function takes the caller's connection and runs on the caller's
/// thread (on the server, the store executor). Nothing here keeps state between calls.
/// Errors: expected outcomes (no consolidation yet, an unknown dimension, a bad rate) are
/// `result` errors; SQLite failures are a broken environment and throw `sql::sql_error`.

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace minga {

/// What one consolidation produced, as stored in `rpt_meta` (and read back by `report()`).
struct consolidation_summary {
    std::int64_t as_of_ms = 0;             ///< the `now_ms` the run was given
    std::int64_t source_seq = 0;           ///< the last change-index sequence the run included
    std::int64_t projects = 0;             ///< live projects, each counted once
    std::int64_t committed_usd_cents = 0;  ///< sum of the convertible committed amounts
    std::int64_t disbursed_usd_cents = 0;  ///< sum of the convertible disbursed amounts
    std::int64_t beneficiaries = 0;        ///< sum of the beneficiaries recorded
    // Data quality: what a person should look at before trusting the totals.
    std::int64_t unconverted_projects = 0;  ///< projects with an amount in a currency with no rate
    std::vector<std::string> unconverted_currencies;  ///< those currencies, sorted
    std::int64_t no_amount_projects = 0;  ///< projects with no commitment, budget or disbursement
    std::int64_t no_territory_projects =
        0;  ///< projects with no location and an owner with no territory
    std::int64_t rescaled_share_projects =
        0;                                ///< projects whose location shares did not add up to 100
    std::int64_t duplicate_projects = 0;  ///< records of a project another GAD's record counts
    std::int64_t indicators = 0;          ///< indicators of counted projects
    std::int64_t observations = 0;        ///< their live observations
    // How the run went (returned by consolidate(), not stored: last_consolidation() leaves
    // them at their defaults).
    bool incremental = false;                ///< only what changed was recomputed
    std::int64_t recomputed_projects = 0;    ///< project rows computed by this run
    std::int64_t recomputed_indicators = 0;  ///< indicator rows computed by this run
    /// Report rows this run inserted, updated and deleted, and (incremental runs) rows it
    /// computed equal to the stored ones and left untouched.
    std::int64_t rows_inserted = 0, rows_updated = 0, rows_deleted = 0, rows_unchanged = 0;
};

/// How `consolidate()` runs.
struct consolidate_options {
    /// Recompute only what changed since the last run (the first run is always full).
    bool incremental = true;
    /// Called once the run has read its snapshot and before it takes the write lock (tests
    /// use it to write in between, as a syncing device would). May be empty.
    std::function<void()> after_snapshot;
    /// Called as each step of the run ends, with its name ("heads" in a full run or "touched"
    /// in an incremental one, "projects", "indicators", "read", "scope", "write", "meta",
    /// "commit"): the bench times the steps with it. May be empty.
    std::function<void(std::string_view)> on_step;
};

/// Rebuilds every `rpt_*` table from the live synced rows (a full run). Same as
/// `consolidate(db, now_ms, {.incremental = false})`.
[[nodiscard]] result<consolidation_summary> consolidate(sql::db& central_db, std::int64_t now_ms);

/// The consolidation. Computes from one read snapshot (devices may keep syncing), then writes
/// in one short `BEGIN IMMEDIATE` transaction: readers see the previous report until the new
/// one is committed, and a run that fails or is interrupted leaves the previous report as it
/// was. Incremental runs recompute only the projects and indicators touched since the last
/// run (change_index seq > rpt_meta.source_seq, rate changes, dedup changes) and give exactly
/// the tables a full run gives. Idempotent: two runs over the same data give identical tables
/// (`rpt_meta.as_of_ms` aside, which is `now_ms`). `central_db` must be a central store
/// (migrated to central_v12 at least); otherwise `errc::not_found`. When another run commits
/// between this one's snapshot and its write, this one writes nothing: `errc::busy`.
[[nodiscard]] result<consolidation_summary> consolidate(sql::db& central_db, std::int64_t now_ms,
                                                        const consolidate_options& opts);

/// The summary of the last consolidation, or `errc::not_found` ("ejecute `minga-server
/// consolidate` primero") when there has been none.
[[nodiscard]] result<consolidation_summary> last_consolidation(sql::db& central_db);

/// One exchange rate: `usd_per_unit` US dollars for one unit (not minor unit) of `currency`,
/// from `valid_from` (YYYY-MM-DD) until the next rate of the same currency.
struct fx_rate {
    std::string currency;     ///< ISO 4217, known to the currency table, not "USD"
    std::string valid_from;   ///< YYYY-MM-DD
    double usd_per_unit = 0;  ///< > 0 and finite
    std::string source;       ///< where the rate comes from (may be empty)
};

/// Stores (or replaces) a rate. Bad input is `errc::bad_input` naming the field; nothing is
/// written then. The next consolidation uses it.
[[nodiscard]] status put_fx_rate(sql::transaction& tx, const fx_rate& rate);

/// What `import_fx_rates()` did.
struct fx_import_summary {
    std::int64_t rows = 0;       ///< data lines read
    std::int64_t inserted = 0;   ///< rates new to the store
    std::int64_t updated = 0;    ///< rates whose value or source changed
    std::int64_t unchanged = 0;  ///< rates already stored as they are
};

/// Loads dated rates from CSV (header `currency,valid_from,usd_per_unit[,source]`, one rate a
/// line, `.` decimal point), all or nothing: the first bad line is `errc::bad_input` naming
/// the line and the column ("línea 7, usd_per_unit: ..."), and nothing is written then. A
/// currency and date twice in the file is refused too. Re-importing a file changes nothing.
[[nodiscard]] result<fx_import_summary> import_fx_rates(sql::db& central_db, std::istream& csv);

/// Splits `total` into parts proportional to `weights` (each > 0) that add up to `total`
/// exactly: part i is round(total·W_i/W) − round(total·W_{i−1}/W), W_i the running sum of
/// weights (cumulative rounding, half away from zero). Empty weights give no parts.
[[nodiscard]] std::vector<std::int64_t> apportion(std::int64_t total,
                                                  std::span<const double> weights);

/// The dimension a report groups by. Numbers may be stored or sent: never change, never reuse.
enum class report_by : std::uint8_t {
    province = 1,
    canton = 2,
    parish = 3,
    ods = 4,
    source = 5,
    modality = 6,
    geopolitical = 7,
    cooperant = 8,
    year = 9,
    sector = 10,  ///< DAC 5-digit sector, split by the project's sector percentages
};

/// Parses a dimension as typed after `--by`: the English names above, or their Spanish
/// (provincia, canton/cantón, parroquia, ods/sdg, fuente, modalidad, geopolitica, cooperante,
/// anio/año, sector/sector_cad). An unknown text is `errc::bad_input` on field "--by" listing the
/// accepted names.
[[nodiscard]] result<report_by> parse_report_by(std::string_view text);
/// The canonical English name ("province", ..., "year").
[[nodiscard]] std::string_view to_string(report_by by) noexcept;

/// An amount in US cents, printed as dollars with two decimals ("1234.56").
struct usd_cents {
    std::int64_t cents = 0;
    friend bool operator==(const usd_cents&, const usd_cents&) = default;
};

/// A cell: empty (no value, e.g. projects with no SDG have no goal), text, a whole number or
/// an amount in USD.
using report_cell = std::variant<std::monostate, std::string, std::int64_t, usd_cents>;

/// A report: column names (Spanish, or English with lang "en"), rows in the order of the
/// dimension's code (the "not stated" row last), and the summary of the consolidation it
/// comes from (for totals and data quality: dimension rows need not add up to the totals).
struct report_table {
    report_by by = report_by::province;
    std::string lang;  ///< "es" or "en"
    std::vector<std::string> columns;
    std::vector<std::vector<report_cell>> rows;  ///< each as wide as `columns`
    consolidation_summary summary;
};

/// The consolidated figures grouped by `by`: the dimension's code and name columns, then
/// projects, committed USD, disbursed USD, beneficiaries and projects with an amount that
/// could not be converted. Before any consolidation: `errc::not_found` with the message
/// "no hay datos consolidados: ejecute `minga-server consolidate` primero".
[[nodiscard]] result<report_table> report(sql::db& central_db, report_by by,
                                          std::string_view lang = "es");

/// RFC 4180 CSV (UTF-8, "\n" line ends): the header, then one line per row. Empty cells are
/// empty fields; amounts are dollars with two decimals and a '.' decimal point.
[[nodiscard]] std::string to_csv(const report_table& t);

/// One JSON document (UTF-8, strings escaped, invalid UTF-8 replaced by U+FFFD):
/// {"report": "<to_string(by)>", "lang", "as_of" (ISO-8601 UTC), "columns": [...],
///  "rows": [{column: value, ...}], "totals": {metric column: value},
///  "quality": {"unconverted_projects", "unconverted_currencies": [...], "no_amount_projects",
///              "no_territory_projects", "rescaled_share_projects"}}.
/// Empty cells are null; amounts are JSON numbers with two decimals.
[[nodiscard]] std::string to_json(const report_table& t);

}  // namespace minga
