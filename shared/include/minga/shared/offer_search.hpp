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

/// What the parish desk's offer page asks for: words (optional) and filters. Empty filters
/// match everything; with no words, the offers in force come by deadline (soonest first).
struct offer_filter {
    std::string text;
    std::string source;     ///< cinr.fuente code
    std::string modality;   ///< cinr.modalidad code
    std::string sdg;        ///< goal number, "1".."17"
    std::string closes_after;  ///< YYYY-MM-DD: only offers still open on that day (or permanent)
    std::size_t limit = 50;
};

/// Offers matching every filter (archived ones left out), best matches first when words are
/// given.
[[nodiscard]] std::vector<offer_hit> find_offers(replica& r, const offer_filter& f);

/// Refreshes the search index row and the matching tags of one offer (called whenever an
/// offer row is written).
void index_offer(sql::db& db, std::string_view offer_id);

/// Refreshes the matching tags (`offer_tag`: 'ods:15', 'sec:31220', 'grp:312') of one offer.
void index_offer_tags(sql::db& db, std::string_view offer_id);

}  // namespace minga
