#pragma once
// The inside of the consolidation (private to shared/src/report_*.cpp): what a run reads from
// the store and what it writes to the rpt_* tables. docs/consolidation.md gives the rules.
#include <minga/shared/report.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace minga::rpt {

using id_set = std::unordered_set<std::string>;

/// A read transaction (a savepoint, so it nests in a caller's transaction): everything read
/// until it ends comes from one snapshot of the store (WAL), while devices keep writing. Rolls
/// back what it wrote (temp tables only) when it ends.
class read_txn {
  public:
    explicit read_txn(sql::db& db);
    ~read_txn();
    read_txn(const read_txn&) = delete;
    read_txn& operator=(const read_txn&) = delete;
    void end();

  private:
    sql::db& db_;  // the caller's connection, which outlives this scope
    bool open_ = true;
};

/// Currencies' minor units and dated rates, loaded once per run.
class fx_table {
  public:
    explicit fx_table(sql::db& db);
    /// The amount (minor units of `currency`) in US cents with the rate in force on `date`,
    /// rounded half away from zero; nullopt when no rate is known on or before that date.
    [[nodiscard]] std::optional<std::int64_t> to_cents(std::int64_t amount,
                                                       const std::string& currency,
                                                       const std::string& date) const;
    using rate_list = std::vector<std::pair<std::string, double>>;
    [[nodiscard]] const std::map<std::string, rate_list, std::less<>>& rates() const {
        return rates_;
    }

  private:
    std::map<std::string, int, std::less<>> minor_;
    std::map<std::string, rate_list, std::less<>> rates_;
};

/// Where each GAD is: its own territory, or for a mancomunidad/consorcio its members'.
struct gad_places {
    std::unordered_map<std::string, std::string> territory;
    std::unordered_map<std::string, std::vector<std::string>> members;       // group -> territories
    std::unordered_map<std::string, std::vector<std::string>> member_codes;  // group -> member GADs
    explicit gad_places(sql::db& db);
    /// The owner's place for rpt_project: its territory, or the longest INEC prefix all its
    /// members share.
    [[nodiscard]] std::optional<std::string> place(const std::string& gad) const;
};

[[nodiscard]] std::optional<std::string> province_of(const std::string& t);
[[nodiscard]] std::optional<std::string> canton_of(const std::string& t);
[[nodiscard]] std::optional<std::string> parish_of(const std::string& t);

/// A live project under a registry reference: a row of rpt_dedup_key.
struct key_row {
    std::string project, key, owner;  ///< key: the normalised reference of its live agreement
};

/// A duplicate's own GAD, the key it shares, and the GAD whose record is counted instead.
struct duplicate {
    std::string owner, key, counted_owner;
};

/// Which live projects are counted (the dedup rule).
struct dedup_result {
    /// The rows of rpt_dedup_key to write: every live project with a key (full run), or those
    /// of `rewritten` that have one (incremental run).
    std::vector<key_row> keys;
    /// Incremental run: the projects whose rpt_dedup_key rows are replaced by `keys`.
    id_set rewritten;
    /// Every live duplicate now: project id -> key and the GAD whose record is counted.
    std::unordered_map<std::string, duplicate> duplicate_of;
};
/// The dedup from the head of every live project (a full run).
[[nodiscard]] dedup_result dedup_all(sql::db& db);
/// The dedup after the heads of `heads_changed` (owner, agreement, liveness, or their
/// agreement's reference) may have changed since the last run: only the keys those projects
/// had or have now are decided again, from rpt_dedup_key; the rest is the last run's
/// rpt_duplicate. Adds to `recompute` every project whose decision changed.
[[nodiscard]] dedup_result dedup_changed(sql::db& db, const id_set& heads_changed,
                                         id_set& recompute);

// ---- output rows -------------------------------------------------------------------------

struct part_row {
    std::string key;  // territory or sector code
    double share = 0;
    std::optional<std::int64_t> committed, disbursed, beneficiaries;
};

struct project_row {
    std::string id, owner, modality, basis, unconverted;
    std::optional<std::string> place, source, geopolitical;
    std::optional<std::int64_t> year, committed, disbursed, beneficiaries;
    bool no_amount = false, rescaled = false, no_territory = false;
    std::vector<part_row> territories, sectors;
    std::vector<std::int64_t> sdgs;
    struct cooperant {
        std::string id, name;
        std::optional<std::string> source;
    };
    std::vector<cooperant> cooperants;
};

struct indicator_part {
    std::string territory;  // '' = not stated
    std::int64_t observations = 0;
    double value = 0, sum = 0;
};

struct indicator_row {
    std::string id, project_id, unit, aggregation;
    std::optional<std::string> code, last_on;
    std::optional<double> baseline, target, value;
    std::int64_t observations = 0;
    double sum = 0;
    std::vector<indicator_part> territories;
};

/// Computes the rows of the live projects not in `duplicates` (restricted to the ids in
/// `only` when given), ordered by id.
[[nodiscard]] std::vector<project_row> compute_projects(sql::db& db, const fx_table& fx,
                                                        const gad_places& places,
                                                        const id_set* only,
                                                        const id_set& duplicates);
/// Computes the rows of the live indicators of the live projects not in `duplicates`
/// (restricted to the indicator ids in `only` when given), ordered by id.
[[nodiscard]] std::vector<indicator_row> compute_indicators(sql::db& db, const gad_places& places,
                                                            const id_set* only,
                                                            const id_set& duplicates);

/// Fills temp table `name(id TEXT PRIMARY KEY)` with `ids` (temp tables need no write lock).
void fill_temp(sql::db& db, const std::string& name, const id_set& ids);

/// What an incremental run must recompute: projects and indicators touched since `since_seq`.
struct touched {
    id_set projects, indicators;
};
/// Also decides the dedup again where heads changed (`dedup`, see dedup_changed()).
[[nodiscard]] touched find_touched(sql::db& db, std::int64_t since_seq, const fx_table& fx,
                                   const gad_places& places, dedup_result& dedup);

// Text helpers of report_format.cpp, shared by the other reports' formats.
[[nodiscard]] std::string iso_text(std::int64_t ms);     ///< "2026-05-28T20:26:40Z"
void json_string(std::string& out, std::string_view s);  ///< a JSON string, escaped
void csv_field(std::string& out, std::string_view s);    ///< an RFC 4180 field
/// A number with up to 6 decimals, no trailing zeros ("12.5", "3", "0.000001").
[[nodiscard]] std::string decimal_text(double v);

}  // namespace minga::rpt
