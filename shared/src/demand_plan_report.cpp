// Grouping the demand plan into report tables (rules in demand_plan.hpp).
#include <minga/shared/demand_plan.hpp>

#include "text_list.hpp"

#include <array>
#include <map>
#include <tuple>

namespace minga {

namespace {

struct group_totals {
    std::int64_t demands = 0, high = 0, usd = 0, unconverted = 0, with_offer = 0, with_agreement = 0, gaps = 0;
};

/// One demand's part in one group: its share of the amount (nullopt: unconverted).
void add(group_totals& t, const plan_demand& d, std::optional<std::int64_t> part) {
    ++t.demands;
    if (d.priority == "alta") ++t.high;
    if (part) t.usd += *part;
    else ++t.unconverted;
    if (d.offers_available > 0) ++t.with_offer;
    if (!d.agreement_id.empty()) ++t.with_agreement;
    if (d.gap()) ++t.gaps;
}

/// The groups of one demand with its part of the amount in each.
std::vector<std::pair<std::string, std::optional<std::int64_t>>> parts(const plan_demand& d, plan_by by) {
    std::vector<std::pair<std::string, std::optional<std::int64_t>>> out;
    auto split = [&](const std::vector<std::string>& keys, const std::vector<double>& weights) {
        if (keys.empty()) {
            out.emplace_back("", d.usd_cents);
            return;
        }
        std::vector<std::int64_t> amounts;
        if (d.usd_cents) amounts = apportion(*d.usd_cents, weights);
        for (std::size_t i = 0; i < keys.size(); ++i)
            out.emplace_back(keys[i], d.usd_cents ? std::optional<std::int64_t>(amounts[i]) : std::nullopt);
    };
    switch (by) {
        case plan_by::province:
            split(d.provinces, std::vector<double>(d.provinces.size(), 1.0));
            break;
        case plan_by::sector: {
            std::vector<std::string> keys;
            std::vector<double> weights;
            for (const auto& [code, pct] : d.sectors) {
                keys.push_back(code);
                weights.push_back(pct);
            }
            split(keys, weights);
            break;
        }
        case plan_by::ods:
            if (d.goals.empty()) out.emplace_back("", d.usd_cents);
            for (int g : d.goals) out.emplace_back(g < 10 ? "0" + std::to_string(g) : std::to_string(g), d.usd_cents);
            break;
        case plan_by::modality: out.emplace_back(d.modality, d.usd_cents); break;
        case plan_by::priority: out.emplace_back(d.priority, d.usd_cents); break;
    }
    return out;
}

std::string name_of(sql::db& db, plan_by by, const std::string& key, bool en) {
    if (key.empty()) return en ? "(not stated)" : "(sin dato)";
    std::string sql;
    switch (by) {
        case plan_by::province: sql = "SELECT name FROM territorial_unit WHERE code = ?1"; break;
        case plan_by::sector:
            sql = en ? "SELECT name_en FROM dac_sector WHERE code = ?1"
                     : "SELECT coalesce(name_es, name_en) FROM dac_sector WHERE code = ?1";
            break;
        case plan_by::ods:
            sql = en ? "SELECT name_en FROM sdg WHERE goal = CAST(?1 AS INTEGER)"
                     : "SELECT name_es FROM sdg WHERE goal = CAST(?1 AS INTEGER)";
            break;
        case plan_by::modality:
            sql = "SELECT name_es FROM codelist WHERE list = 'cinr.modalidad' AND code = ?1";
            break;
        case plan_by::priority: return key;
    }
    auto& s = db.cached(sql);
    sql::reset_guard g(s);
    s.bind(1, key);
    return s.step() ? s.get_text(0) : key;
}

constexpr std::array<std::string_view, 5> keys_es = {"provincia", "sector", "ods", "modalidad", "prioridad"};
constexpr std::array<std::string_view, 5> keys_en = {"province", "sector", "sdg", "modality", "priority"};

}  // namespace

std::optional<result<demand_report_kind>> parse_demand_report(std::string_view text) {
    std::string_view rest;
    if (text.rfind("demanda", 0) == 0) rest = text.substr(7);
    else if (text.rfind("demand", 0) == 0) rest = text.substr(6);
    else return std::nullopt;
    if (rest.empty()) return result<demand_report_kind>(demand_report_kind{});
    if (rest.front() != '-') return std::nullopt;
    rest.remove_prefix(1);
    for (std::size_t i = 0; i < keys_es.size(); ++i) {
        if (rest == keys_es[i] || rest == keys_en[i])
            return result<demand_report_kind>(demand_report_kind{false, false, static_cast<plan_by>(i + 1)});
    }
    if (rest == "coverage" || rest == "cobertura") return result<demand_report_kind>(demand_report_kind{true, false});
    if (rest == "gaps" || rest == "brechas") return result<demand_report_kind>(demand_report_kind{true, true});
    std::string accepted = "demand, demand-province, demand-sector, demand-ods, demand-modality, "
                           "demand-priority, demand-coverage, demand-gaps";
    return result<demand_report_kind>(make_error(
        errc::bad_input, "--by", "reporte de demanda desconocido '" + std::string(text) + "'; use: " + accepted,
        "unknown demand report '" + std::string(text) + "'; use: " + accepted));
}

report_table plan_report(sql::db& db, const std::vector<plan_demand>& plan, plan_by by, std::string_view lang) {
    bool en = lang == "en";
    std::map<std::pair<std::int64_t, std::string>, group_totals> groups;
    for (const auto& d : plan)
        for (const auto& [key, part] : parts(d, by)) add(groups[{d.year, key}], d, part);
    report_table t;
    t.lang = std::string(lang);
    auto key = std::string((en ? keys_en : keys_es)[static_cast<std::size_t>(by) - 1]);
    t.columns = en ? std::vector<std::string>{"year", key, "name", "demands", "high_priority", "estimated_usd",
                                              "unconverted_demands", "with_offer", "with_agreement", "gaps"}
                   : std::vector<std::string>{"anio", key, "nombre", "demandas", "prioridad_alta", "monto_estimado_usd",
                                              "demandas_sin_conversion", "con_oferta", "con_convenio", "brechas"};
    auto emit = [&](std::int64_t year, const std::string& k, const group_totals& g) {
        t.rows.push_back({year, k.empty() ? report_cell() : report_cell(k), name_of(db, by, k, en), g.demands,
                          g.high, usd_cents{g.usd}, g.unconverted, g.with_offer, g.with_agreement, g.gaps});
    };
    // Within a year the empty ("not stated") key sorts first in the map: emit it last.
    for (auto it = groups.begin(); it != groups.end();) {
        auto year = it->first.first;
        const group_totals* unstated = nullptr;
        for (; it != groups.end() && it->first.first == year; ++it) {
            if (it->first.second.empty()) unstated = &it->second;
            else emit(year, it->first.second, it->second);
        }
        if (unstated) emit(year, "", *unstated);
    }
    return t;
}

report_table coverage_report(const std::vector<plan_demand>& plan, bool gaps_only, std::string_view lang) {
    bool en = lang == "en";
    report_table t;
    t.lang = std::string(lang);
    t.columns = en ? std::vector<std::string>{"demand", "gad", "provinces", "year", "title", "priority", "modality",
                                              "sdgs", "sectors", "estimated_usd", "offers_available", "best_offer",
                                              "agreement", "gap"}
                   : std::vector<std::string>{"demanda", "gad", "provincias", "anio", "titulo", "prioridad", "modalidad",
                                              "ods", "sectores", "monto_estimado_usd", "ofertas_disponibles",
                                              "mejor_oferta", "convenio", "brecha"};
    for (const auto& d : plan) {
        if (gaps_only && !d.gap()) continue;
        std::vector<std::string> goals, sectors;
        for (int g : d.goals) goals.push_back(std::to_string(g));
        for (const auto& [code, pct] : d.sectors) sectors.push_back(code);
        t.rows.push_back({d.id, d.owner_gad, join_list(d.provinces, ';'), d.year, d.title, d.priority, d.modality,
                          join_list(goals, ';'), join_list(sectors, ';'),
                          d.usd_cents ? report_cell(usd_cents{*d.usd_cents}) : report_cell(),
                          d.offers_capped ? report_cell(std::to_string(d.offers_available) + "+")
                                          : report_cell(d.offers_available),
                          d.best_offer.empty() ? report_cell() : report_cell(d.best_offer),
                          d.agreement_id.empty() ? report_cell() : report_cell(d.agreement_id),
                          std::string(d.gap() ? (en ? "yes" : "sí") : "no")});
    }
    return t;
}

}  // namespace minga
