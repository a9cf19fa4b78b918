#pragma once
/// Matching a cooperation demand against the offer catalogue, offline, with the reasons.
///
/// An offer is a candidate when it is still open (status not `cerrada`/`archivada`, deadline
/// not passed), the demand's GAD level may apply (`eligible`), its territories (if any) are near
/// the demand's (one code is a prefix of the other), and it shares a theme with the demand (an
/// SDG goal, or a DAC sector or sector group). Candidates are scored out of 100:
///   SDG      35 * (demand goals the offer lists) / (demand goals)
///   sector   35 * (sum over demand sectors: 2 exact or the offer lists its group code,
///                 1 another sector of the same 3-digit group) / (2 * demand sectors)
///   modality 20 same, 10 same family (financial fin_*, technical tecnica_*, or mixta), else 0
///   source   10 when the demand names a preferred source and the offer has it
/// (integer division in each term), and ranked by score, then earliest deadline (a permanent
/// window last), then offer id. docs/demands.md gives the rules with examples.
///
/// Thread affinity: the caller's connection and thread. Reads only.

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace minga {

/// What makes an offer fit, and how well.
struct offer_match {
    std::string offer_id;
    std::string title;
    std::string cooperant;        ///< the cooperant's name
    std::string modality;
    std::string source;
    std::string geopolitical;
    std::string closes_on;        ///< empty: permanent window
    int score = 0;                ///< 0..100
    std::vector<int> common_sdgs;
    std::vector<std::string> common_sectors;  ///< demand sectors the offer lists (or its group)
    std::vector<std::string> group_sectors;   ///< demand sectors matched only by their group
    std::string explanation_es;   ///< e.g. "coincide en ODS 15 y sector 31220; plazo 30/06/2027"
    std::string explanation_en;
};

struct match_options {
    std::size_t limit = 10;   ///< at most this many matches (0 = all)
    std::string today;        ///< YYYY-MM-DD; empty = today (UTC)
    bool full_scan = false;   ///< score every offer instead of the tag index (the bench baseline)
};

/// The offers that fit demand `demand_id` (a full id of a live demand), best first.
/// An unknown demand is `errc::not_found`.
[[nodiscard]] result<std::vector<offer_match>> match_demand(sql::db& db, std::string_view demand_id,
                                                            const match_options& opts = {});

}  // namespace minga
