#pragma once
/// The annual national plan of cooperation demand and its coverage (central side).
///
/// Reads the synced `demand` rows of every GAD (all but `descartada`) with their SDGs, sectors
/// and territories, converts estimated amounts to US cents with the dated rates of `fx_rate`
/// (the rate valid on January 1st of the demand's year; USD needs none; no rate: counted as
/// unconverted, never 1:1), and sets each demand against
///   - the offers available for it: `match_demand` on the catalogue as of `today`;
///   - the agreements signed for it: an application of the demand approved into a live
///     agreement that is `vigente` or `finalizado` or has a signing date.
/// A demand with neither is a gap. Grouped rules (docs/demands.md): a demand counts once in
/// each province, sector, SDG it has; its amount is split over its provinces evenly and over its
/// sectors by percentage (parts add up exactly, `apportion`), and counts in full under each SDG.
///
/// Thread affinity: the caller's connection and thread. Reads only. Needs a central store
/// (for `fx_rate`); SQLite failures throw `sql::sql_error`.

#include <minga/shared/report.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace minga {

/// One demand of the plan, with its coverage.
struct plan_demand {
    std::string id;
    std::string owner_gad;
    std::string gad_name;
    std::int64_t year = 0;
    std::string title;
    std::string modality;
    std::string priority;
    std::string status;
    std::vector<std::string> provinces;  ///< of its territories, else of its GAD (or members)
    std::vector<int> goals;
    std::vector<std::pair<std::string, double>> sectors;  ///< code, percentage
    std::optional<std::int64_t> usd_cents;  ///< nullopt: no usable rate; 0 when no amount
    std::int64_t offers_available = 0;      ///< capped at demand_tuning::coverage_offer_cap
    bool offers_capped = false;             ///< more candidates than the cap (shown as "500+")
    std::string best_offer;                 ///< title of the best-ranked offer
    std::string agreement_id;               ///< a signed agreement for it, if any
    [[nodiscard]] bool gap() const noexcept { return offers_available == 0 && agreement_id.empty(); }
};

struct plan_options {
    std::int64_t year = 0;  ///< 0 = every year
    std::string today;      ///< YYYY-MM-DD for offer deadlines; empty = today (UTC)
};

/// The plan's demands ordered by year, province, priority (alta first) and id.
[[nodiscard]] std::vector<plan_demand> load_demand_plan(sql::db& central_db, const plan_options& opts);

/// The dimension a grouped plan report uses.
enum class plan_by : std::uint8_t { province = 1, sector = 2, ods = 3, modality = 4, priority = 5 };

/// What `report --by` accepts for the demand reports: "demand" (= by province),
/// "demand-province|sector|ods|modality|priority|coverage|gaps" and the Spanish
/// "demanda[-provincia|sector|ods|modalidad|prioridad|cobertura|brechas]".
struct demand_report_kind {
    bool coverage = false;  ///< one row per demand (with `gaps_only` for the gaps)
    bool gaps_only = false;
    plan_by by = plan_by::province;
};
/// nullopt when `text` is not a demand report (it may be another report's dimension);
/// a `demand-...` text with an unknown suffix is `errc::bad_input` on "--by".
[[nodiscard]] std::optional<result<demand_report_kind>> parse_demand_report(std::string_view text);

/// Grouped by year and `by`: year, code, name, demands, high priority, estimated USD,
/// unconverted demands, with an offer, with an agreement, gaps. Rows by year then code, the
/// "not stated" code (empty) last within a year.
[[nodiscard]] report_table plan_report(sql::db& central_db, const std::vector<plan_demand>& plan,
                                       plan_by by, std::string_view lang);

/// One row per demand (only the gaps with `gaps_only`): id, GAD, provinces, year, title,
/// priority, modality, SDGs, sectors, estimated USD, offers available, best offer, agreement,
/// gap (sí/no or yes/no).
[[nodiscard]] report_table coverage_report(const std::vector<plan_demand>& plan, bool gaps_only,
                                           std::string_view lang);

}  // namespace minga
