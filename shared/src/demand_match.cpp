// Offer matching for a demand (the rules are in demand_match.hpp and docs/demands.md).
#include <minga/shared/demand_match.hpp>

#include "form_util.hpp"
#include "text_list.hpp"

#include <algorithm>

namespace minga {

namespace {

/// What matching needs to know about a demand.
struct profile {
    std::string level;     ///< GAD level of the owner
    std::string modality;
    std::string source;
    std::vector<int> goals;
    std::vector<std::string> sectors;
    std::vector<std::string> territories;  ///< concerned, plus the owner's (or its members')
};

struct offer_row {
    std::string id, title, cooperant, modality, source, geopolitical, sectors, sdgs, eligible,
        territories, closes_on, status;
};

std::optional<profile> load_profile(sql::db& db, std::string_view id) {
    auto s = db.prepare(
        "SELECT d.modality, coalesce(d.source, ''), coalesce(g.level, ''), coalesce(g.territory, ''), "
        "d.owner_gad FROM demand d LEFT JOIN gad g ON g.code = d.owner_gad "
        "WHERE d.id = ?1 AND d.deleted = 0");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    profile p{s.get_text(2), s.get_text(0), s.get_text(1), {}, {}, {}};
    if (auto t = s.get_text(3); !t.empty()) p.territories.push_back(t);
    std::string owner = s.get_text(4);
    auto members = db.prepare(
        "SELECT g.territory FROM gad_membership m JOIN gad g ON g.code = m.member "
        "WHERE m.group_code = ?1 AND m.deleted = 0 AND g.territory IS NOT NULL");
    members.bind(1, owner);
    while (members.step()) p.territories.push_back(members.get_text(0));
    auto goals = db.prepare("SELECT DISTINCT goal FROM demand_sdg WHERE demand_id = ?1 AND deleted = 0 ORDER BY goal");
    goals.bind(1, id);
    while (goals.step()) p.goals.push_back(static_cast<int>(goals.get_int(0)));
    auto sectors = db.prepare("SELECT sector FROM demand_sector WHERE demand_id = ?1 AND deleted = 0 ORDER BY sector");
    sectors.bind(1, id);
    while (sectors.step()) p.sectors.push_back(sectors.get_text(0));
    auto terr = db.prepare("SELECT territory FROM demand_territory WHERE demand_id = ?1 AND deleted = 0");
    terr.bind(1, id);
    while (terr.step()) p.territories.push_back(terr.get_text(0));
    return p;
}

bool contains(const std::vector<std::string>& v, std::string_view x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

bool near(std::string_view a, std::string_view b) {
    return a.substr(0, b.size()) == b || b.substr(0, a.size()) == a;
}

std::string family(std::string_view modality) {
    return std::string(modality.substr(0, modality.find('_')));
}

/// "2027-06-30" -> "30/06/2027".
std::string day_month_year(const std::string& iso) {
    if (iso.size() != 10) return iso;
    return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string and_list(const std::vector<std::string>& items, std::string_view conj) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += (i + 1 == items.size()) ? " " + std::string(conj) + " " : ", ";
        out += items[i];
    }
    return out;
}

void explain(offer_match& m, const profile& p) {
    std::vector<std::string> es, en, themes_es, themes_en;
    if (!m.common_sdgs.empty()) {
        std::vector<std::string> g;
        for (int x : m.common_sdgs) g.push_back(std::to_string(x));
        themes_es.push_back("ODS " + and_list(g, "y"));
        themes_en.push_back((g.size() > 1 ? "SDGs " : "SDG ") + and_list(g, "and"));
    }
    if (!m.common_sectors.empty()) {
        auto n = m.common_sectors.size();
        themes_es.push_back((n > 1 ? "sectores " : "sector ") + and_list(m.common_sectors, "y"));
        themes_en.push_back((n > 1 ? "sectors " : "sector ") + and_list(m.common_sectors, "and"));
    }
    if (!themes_es.empty()) {
        es.push_back("coincide en " + and_list(themes_es, "y"));
        en.push_back("matches " + and_list(themes_en, "and"));
    }
    for (const auto& s : m.group_sectors) {
        es.push_back("mismo grupo CAD " + s.substr(0, 3) + " que el sector " + s);
        en.push_back("same DAC group " + s.substr(0, 3) + " as sector " + s);
    }
    if (m.modality == p.modality) {
        es.push_back("misma modalidad (" + m.modality + ")");
        en.push_back("same modality (" + m.modality + ")");
    } else {
        es.push_back("modalidad " + m.modality);
        en.push_back("modality " + m.modality);
    }
    if (!p.source.empty() && m.source == p.source) {
        es.push_back("fuente " + m.source);
        en.push_back("source " + m.source);
    }
    if (m.geopolitical == "sur_sur" || m.geopolitical == "triangular") {
        es.push_back(m.geopolitical == "sur_sur" ? "cooperación Sur–Sur" : "cooperación triangular");
        en.push_back(m.geopolitical == "sur_sur" ? "South–South cooperation" : "triangular cooperation");
    }
    es.push_back(m.closes_on.empty() ? "ventana permanente" : "plazo " + day_month_year(m.closes_on));
    en.push_back(m.closes_on.empty() ? "permanent window" : "deadline " + day_month_year(m.closes_on));
    m.explanation_es = join_list(es, ';');
    m.explanation_en = join_list(en, ';');
    for (auto* text : {&m.explanation_es, &m.explanation_en}) {
        std::string spaced;
        for (char c : *text) spaced += c == ';' ? std::string("; ") : std::string(1, c);
        *text = std::move(spaced);
    }
}

std::optional<offer_match> evaluate(const offer_row& o, const profile& p, const std::string& today) {
    if (o.status == "cerrada" || o.status == "archivada") return std::nullopt;
    if (!o.closes_on.empty() && o.closes_on < today) return std::nullopt;
    auto eligible = split_list(o.eligible);
    if (!eligible.empty() && !contains(eligible, p.level)) return std::nullopt;
    auto places = split_list(o.territories);
    if (!places.empty()) {
        bool ok = false;
        for (const auto& a : places)
            for (const auto& b : p.territories) ok = ok || near(a, b);
        if (!ok) return std::nullopt;
    }
    offer_match m;
    auto goals = split_list(o.sdgs);
    for (int g : p.goals)
        if (contains(goals, std::to_string(g))) m.common_sdgs.push_back(g);
    auto sectors = split_list(o.sectors);
    int halves = 0;
    for (const auto& s : p.sectors) {
        std::string group = s.substr(0, 3);
        if (contains(sectors, s) || contains(sectors, group)) {
            halves += 2;
            m.common_sectors.push_back(s);
        } else if (std::any_of(sectors.begin(), sectors.end(),
                               [&](const std::string& x) { return x.compare(0, 3, group) == 0; })) {
            halves += 1;
            m.group_sectors.push_back(s);
        }
    }
    if (m.common_sdgs.empty() && halves == 0) return std::nullopt;
    int score = 0;
    if (!p.goals.empty()) score += 35 * static_cast<int>(m.common_sdgs.size()) / static_cast<int>(p.goals.size());
    if (!p.sectors.empty()) score += 35 * halves / (2 * static_cast<int>(p.sectors.size()));
    if (o.modality == p.modality) score += 20;
    else if (family(o.modality) == family(p.modality) || o.modality == "mixta" || p.modality == "mixta")
        score += 10;
    if (!p.source.empty() && o.source == p.source) score += 10;
    m.offer_id = o.id;
    m.title = o.title;
    m.cooperant = o.cooperant;
    m.modality = o.modality;
    m.source = o.source;
    m.geopolitical = o.geopolitical;
    m.closes_on = o.closes_on;
    m.score = score;
    return m;
}

/// The tags whose offers can share a theme with the demand.
std::string tags_json(const profile& p) {
    std::string out = "[";
    auto add = [&out](const std::string& t) { out += (out.size() > 1 ? ",\"" : "\"") + t + "\""; };
    for (int g : p.goals) add("ods:" + std::to_string(g));
    for (const auto& s : p.sectors) {
        add("sec:" + s.substr(0, 3));
        add("grp:" + s.substr(0, 3));
    }
    return out + "]";
}

}  // namespace

result<std::vector<offer_match>> match_demand(sql::db& db, std::string_view demand_id,
                                              const match_options& opts) {
    auto p = load_profile(db, demand_id);
    if (!p) {
        return make_error(errc::not_found, "ID", "no existe la demanda " + std::string(demand_id),
                          "no demand " + std::string(demand_id));
    }
    std::string today = opts.today.empty() ? today_iso() : opts.today;
    std::string sql =
        "SELECT o.id, o.title, coalesce(org.name, ''), o.modality, coalesce(o.source, ''), "
        "coalesce(o.geopolitical, ''), o.sectors, o.sdgs, o.eligible, o.territories, "
        "coalesce(o.closes_on, ''), o.status FROM offer o "
        "LEFT JOIN organisation org ON org.id = o.cooperant_id WHERE o.deleted = 0";
    // Sectors are all under a group tag, so 'grp:' finds every sector candidate ('sec:' of the
    // group finds offers that list the 3-digit group itself).
    // The fast path also leaves closed and expired offers to SQL; the full scan (the bench's
    // baseline) reads every live offer and lets evaluate() decide everything.
    if (!opts.full_scan)
        sql += " AND o.status IN ('abierta', 'permanente') AND (o.closes_on IS NULL OR o.closes_on >= ?2) "
               "AND o.id IN (SELECT offer_id FROM offer_tag WHERE tag IN (SELECT value FROM json_each(?1)))";
    auto s = db.prepare(sql);
    if (!opts.full_scan) s.bind(1, tags_json(*p)).bind(2, today);
    std::vector<offer_match> out;
    offer_row o;
    while (s.step()) {
        o = {s.get_text(0), s.get_text(1), s.get_text(2), s.get_text(3), s.get_text(4), s.get_text(5),
             s.get_text(6), s.get_text(7), s.get_text(8), s.get_text(9), s.get_text(10), s.get_text(11)};
        if (auto m = evaluate(o, *p, today)) out.push_back(std::move(*m));
    }
    std::sort(out.begin(), out.end(), [](const offer_match& a, const offer_match& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.closes_on.empty() != b.closes_on.empty()) return b.closes_on.empty();
        if (a.closes_on != b.closes_on) return a.closes_on < b.closes_on;
        return a.offer_id < b.offer_id;
    });
    if (opts.limit > 0 && out.size() > opts.limit) out.resize(opts.limit);
    for (auto& m : out) explain(m, *p);  // only for what is shown
    return out;
}

}  // namespace minga
