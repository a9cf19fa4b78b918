#pragma once
// The live projects of the central store with everything the exports show, loaded with one
// query per table (not one per project). Private to the export files.
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minga::export_rows {

struct agreement_row {
    std::string id, reference, kind, title, status, signed_on, valid_from, valid_to;
    std::string source, geopolitical;
};

struct participant_row {
    std::string organisation_id, name, acronym, ruc, country, cinr_source;
    std::int64_t org_type = 0;
    std::int64_t role = 0;  // IATI OrganisationRole
};

struct sector_row {
    std::string code;
    double percentage = 0;
};

struct location_row {
    std::string id, territory, territory_name, province_name, canton_name, name;
    std::optional<double> lat, lon, share;
};

struct budget_row {
    std::string period_start, period_end, currency;
    std::int64_t status = 1, amount = 0;
};

struct transaction_row {
    std::string date, currency, provider_id, receiver_id, description;
    std::int64_t type = 0, amount = 0;
};

/// A project's result (IATI result: output 1, outcome 2, impact 3, other 9).
struct result_row {
    std::string id, title, description;
    std::int64_t type = 1;
};

/// What the live observations of an indicator (or of one of its periods) add up to.
struct observed {
    std::int64_t count = 0;
    double sum = 0, max = 0, mean = 0, last = 0;  // `last`: latest by date, then id
    std::string first_on, last_on;
    /// The value by the indicator's rule (sum, last, max, mean); nullopt when nothing observed.
    [[nodiscard]] std::optional<double> by_rule(const std::string& rule) const;
};

struct period_row {
    std::string id, start, end;
    std::optional<double> target;
    observed actual;  // observations naming the period, or unassigned ones within its dates
};

struct indicator_row {
    std::string id, result_id, code, title, unit, aggregation;
    std::int64_t measure = 1;
    bool ascending = true;
    std::optional<std::int64_t> baseline_year;
    std::optional<double> baseline, target;
    std::string target_date;
    std::vector<period_row> periods;  // by start, end, id
    observed actual;                  // every live observation
};

struct split_row {
    std::string territory;
    double share = 0;
};

struct project_row {
    std::string id, owner_gad, owner_name, owner_level, local_code, title, description, objectives;
    std::string planned_start, planned_end, actual_start, actual_end;
    std::string source, modality, geopolitical, aid_type, default_currency;
    std::int64_t activity_status = 1;
    std::optional<std::int64_t> collaboration_type, finance_type, beneficiaries;
    std::optional<agreement_row> agreement;
    std::vector<participant_row> participants;  // by role, then name
    std::vector<int> sdgs;                      // ascending
    std::vector<sector_row> sectors;            // by code
    std::vector<location_row> locations;        // by territory, then id
    std::vector<budget_row> budgets;            // by period
    std::vector<transaction_row> transactions;  // by date
    std::vector<result_row> results;            // by type, title, id
    std::vector<indicator_row> indicators;      // by title, id
    // From the last consolidation (absent when the project was not consolidated yet).
    bool consolidated = false;
    std::string committed_basis;  // commitment, committed_budget, budget, none
    std::optional<std::int64_t> committed_usd_cents, disbursed_usd_cents;
    std::vector<split_row> split;  // rpt_project_territory, by territory
};

/// Live projects (of `gad`, or all when empty), ordered by owner GAD, title, id.
[[nodiscard]] std::vector<project_row> load(sql::db& db, const std::string& gad);

/// The minor-unit digits of every currency (code -> digits), for formatting amounts.
[[nodiscard]] int minor_digits(sql::db& db, const std::string& currency);

}  // namespace minga::export_rows
