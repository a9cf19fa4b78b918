#pragma once
/// Full-text search over the offer catalogue: accent- and case-insensitive in Spanish
/// ("educacion" finds "Educación"), every word must match (as a prefix), best matches first.

#include <minga/shared/replica.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace minga {

struct offer_hit {
    std::string id;
    std::string title;
    std::string cooperant;
    std::string modality;
    std::string closes_on;  ///< empty for a permanent window
    std::string status;
};

/// Searches titles, summaries, requirements and cooperant names. Empty text finds nothing.
/// At most `limit` hits.
[[nodiscard]] std::vector<offer_hit> search_offers(replica& r, std::string_view text,
                                                   std::size_t limit = 50);

/// Refreshes the search index row and the matching tags of one offer (called whenever an
/// offer row is written).
void index_offer(sql::db& db, std::string_view offer_id);

/// Refreshes the matching tags (`offer_tag`: 'ods:15', 'sec:31220', 'grp:312') of one offer.
void index_offer_tags(sql::db& db, std::string_view offer_id);

}  // namespace minga
