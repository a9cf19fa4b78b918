#include <minga/shared/offer_search.hpp>

#include "text_list.hpp"

#include <cctype>

namespace minga {

namespace {

/// Turns free text into an FTS5 query where each word is a quoted prefix term, so that no
/// character typed by a person is read as FTS5 syntax.
std::string to_fts_query(std::string_view text) {
    std::string q;
    std::string word;
    auto flush = [&] {
        if (word.empty()) return;
        if (!q.empty()) q += ' ';
        q += '"';
        for (char c : word) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
        q += "\"*";
        word.clear();
    };
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        bool sep = u < 0x80 && !std::isalnum(u);
        if (sep) flush();
        else word += c;
    }
    flush();
    return q;
}

}  // namespace

std::vector<offer_hit> search_offers(replica& r, std::string_view text, std::size_t limit) {
    std::vector<offer_hit> hits;
    std::string q = to_fts_query(text);
    if (q.empty()) return hits;
    auto s = r.conn().prepare(
        "SELECT o.id, o.title, coalesce(org.name, ''), o.modality, coalesce(o.closes_on, ''), "
        "o.status FROM offer_fts f JOIN offer o ON o.id = f.offer_id "
        "LEFT JOIN organisation org ON org.id = o.cooperant_id "
        "WHERE offer_fts MATCH ?1 AND o.deleted = 0 ORDER BY bm25(offer_fts) LIMIT ?2");
    s.bind(1, q).bind(2, static_cast<std::int64_t>(limit));
    while (s.step())
        hits.push_back({s.get_text(0), s.get_text(1), s.get_text(2), s.get_text(3), s.get_text(4),
                        s.get_text(5)});
    return hits;
}

std::vector<offer_hit> find_offers(replica& r, const offer_filter& f) {
    std::vector<offer_hit> hits;
    const std::string q = to_fts_query(f.text);
    // One statement for both cases: without words the FTS join is skipped (?1 = '').
    auto s = r.conn().prepare(
        "SELECT o.id, o.title, coalesce(org.name, ''), o.modality, coalesce(o.closes_on, ''), "
        "o.status FROM offer o LEFT JOIN organisation org ON org.id = o.cooperant_id "
        "LEFT JOIN (SELECT offer_id, bm25(offer_fts) AS rank FROM offer_fts WHERE ?1 <> '' AND "
        "offer_fts MATCH ?1) m ON m.offer_id = o.id "
        "WHERE o.deleted = 0 AND o.status <> 'archivada' AND (?1 = '' OR m.offer_id IS NOT NULL) "
        "AND (?2 = '' OR o.source = ?2) AND (?3 = '' OR o.modality = ?3) "
        "AND (?4 = '' OR EXISTS (SELECT 1 FROM offer_tag t WHERE t.offer_id = o.id AND t.tag = 'ods:' || ?4)) "
        "AND (?5 = '' OR o.closes_on IS NULL OR o.closes_on >= ?5) "
        "ORDER BY m.rank, coalesce(o.closes_on, '9999'), o.title LIMIT ?6");
    s.bind(1, q).bind(2, f.source).bind(3, f.modality).bind(4, f.sdg).bind(5, f.closes_after)
        .bind(6, static_cast<std::int64_t>(f.limit));
    while (s.step())
        hits.push_back({s.get_text(0), s.get_text(1), s.get_text(2), s.get_text(3), s.get_text(4),
                        s.get_text(5)});
    return hits;
}

void index_offer(sql::db& db, std::string_view offer_id) {
    auto del = db.prepare("DELETE FROM offer_fts WHERE offer_id = ?1");
    del.bind(1, offer_id).exec();
    auto ins = db.prepare(
        "INSERT INTO offer_fts(offer_id, title, summary, requirements, cooperant) "
        "SELECT o.id, o.title, coalesce(o.summary, ''), coalesce(o.requirements, ''), "
        "coalesce(org.name, '') || ' ' || coalesce(org.acronym, '') "
        "FROM offer o LEFT JOIN organisation org ON org.id = o.cooperant_id "
        "WHERE o.id = ?1 AND o.deleted = 0");
    ins.bind(1, offer_id).exec();
    index_offer_tags(db, offer_id);
}

void index_offer_tags(sql::db& db, std::string_view offer_id) {
    auto& del = db.cached("DELETE FROM offer_tag WHERE offer_id = ?1");
    {
        sql::reset_guard g(del);
        del.bind(1, offer_id).exec();
    }
    auto& get = db.cached("SELECT sdgs, sectors FROM offer WHERE id = ?1 AND deleted = 0");
    std::vector<std::string> tags;
    {
        sql::reset_guard g(get);
        get.bind(1, offer_id);
        if (!get.step()) return;
        for (const auto& goal : split_list(get.get_text(0))) tags.push_back("ods:" + goal);
        for (const auto& sector : split_list(get.get_text(1))) {
            tags.push_back("sec:" + sector);
            tags.push_back("grp:" + sector.substr(0, 3));
        }
    }
    auto& ins = db.cached("INSERT OR IGNORE INTO offer_tag(tag, offer_id) VALUES (?1, ?2)");
    for (const auto& t : tags) {
        sql::reset_guard g(ins);
        ins.bind(1, t).bind(2, offer_id).exec();
    }
}

}  // namespace minga
