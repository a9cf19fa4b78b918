// Indicator totals by dimension (`minga-server report indicators --by X`), read from the
// consolidated rpt_indicator* tables (rules in docs/consolidation.md, "Indicators").
#include "report_detail.hpp"

#include <minga/shared/report_extra.hpp>

namespace minga {

namespace {

struct source_spec {
    std::string key, name, from;
    bool territorial = false;
};

source_spec spec_for(report_by by, bool en) {
    const std::string cl = en ? "coalesce(c.name_en, c.name_es)" : "c.name_es";
    const std::string base =
        " FROM rpt_indicator i JOIN rpt_project p ON p.project_id = i.project_id ";
    auto territorial = [&](const char* col) {
        return source_spec{std::string("t.") + col, "u.name",
                           " FROM rpt_indicator_territory t JOIN rpt_indicator i ON "
                           "i.indicator_id = t.indicator_id LEFT JOIN territorial_unit u ON "
                           "u.code = t." +
                               std::string(col) + " ",
                           true};
    };
    auto codelist = [&](const char* col, const char* list) {
        return source_spec{
            std::string("p.") + col, cl,
            base + "LEFT JOIN codelist c ON c.list = '" + list + "' AND c.code = p." + col + " "};
    };
    switch (by) {
        case report_by::province:
            return territorial("province");
        case report_by::canton:
            return territorial("canton");
        case report_by::parish:
            return territorial("parish");
        case report_by::ods:
            return {"CAST(s.goal AS TEXT)", en ? "g.name_en" : "g.name_es",
                    base +
                        "LEFT JOIN rpt_project_sdg s ON s.project_id = i.project_id "
                        "LEFT JOIN sdg g ON g.goal = s.goal "};
        case report_by::source:
            return codelist("source", "cinr.fuente");
        case report_by::modality:
            return codelist("modality", "cinr.modalidad");
        case report_by::geopolitical:
            return codelist("geopolitical", "cinr.geopolitica");
        case report_by::cooperant:
            return {"k.organisation_id", "k.name",
                    base + "LEFT JOIN rpt_project_cooperant k ON k.project_id = i.project_id "};
        case report_by::year:
            return {"CAST(p.year AS TEXT)", "CAST(p.year AS TEXT)", base};
        case report_by::sector:
            return {"x.sector", en ? "dc.name_en" : "coalesce(dc.name_es, dc.name_en)",
                    base +
                        "LEFT JOIN rpt_project_sector x ON x.project_id = i.project_id "
                        "LEFT JOIN dac_sector dc ON dc.code = x.sector "};
    }
    throw std::logic_error("indicator_report: unknown report_by");
}

/// The rows of one grouping: by the dimension of `sp`, or nationally when `sp` is null.
std::vector<indicator_total> indicator_rows(sql::db& db, const source_spec* sp, bool en) {
    const std::string rule = "coalesce(d.aggregation, max(i.aggregation))";
    const bool territorial = sp && sp->territorial;
    const std::string v = territorial ? "t" : "i";
    auto combined = [&](const char* col) {
        return "CASE " + rule + " WHEN 'max' THEN max(i." + col + ") WHEN 'mean' THEN avg(i." +
               col + ") ELSE sum(i." + col + ") END";
    };
    // Per-indicator figures repeat on each territory row: only non-territorial groupings
    // combine them.
    const std::string target = territorial ? "NULL" : combined("target_value");
    const std::string national =
        sp ? "NULL, 0, NULL"
           : combined("baseline_value") + ", count(i.target_value), max(i.last_on)";
    const std::string key = sp ? sp->key : "NULL";
    const std::string group = sp ? sp->key + ", i.indicator_code" : "i.indicator_code";
    const std::string order =
        sp ? sp->key + " IS NULL, " + sp->key + ", i.indicator_code" : "i.indicator_code";
    std::string sql = "SELECT " + key + ", " + (sp ? sp->name : "NULL") + ", i.indicator_code, " +
                      "coalesce(d.name_es, i.indicator_code), coalesce(d.unit, max(i.unit)), " +
                      rule + ", count(DISTINCT i.project_id), count(DISTINCT i.indicator_id), " +
                      "coalesce(sum(" + v + ".observations), 0), CASE " + rule +
                      " WHEN 'max' THEN max(" + v + ".value) WHEN 'mean' THEN sum(" + v +
                      ".sum_value) / nullif(sum(" + v + ".observations), 0) ELSE sum(" + v +
                      ".value) END, " + target + ", " + national +
                      (sp ? sp->from
                          : std::string(" FROM rpt_indicator i JOIN rpt_project p ON "
                                        "p.project_id = i.project_id ")) +
                      "LEFT JOIN indicator_def d ON d.code = i.indicator_code "
                      "WHERE i.indicator_code IS NOT NULL GROUP BY " + group + " ORDER BY " + order;
    auto s = db.prepare(sql);
    std::vector<indicator_total> out;
    while (s.step()) {
        indicator_total r;
        r.key = s.get_opt_text(0);
        if (sp) r.key_name = r.key ? s.get_opt_text(1).value_or("") : (en ? "(not stated)" : "(sin dato)");
        r.code = s.get_text(2);
        r.name = s.get_text(3);
        r.unit = s.get_text(4);
        r.aggregation = s.get_text(5);
        r.projects = s.get_int(6);
        r.indicators = s.get_int(7);
        r.observations = s.get_int(8);
        r.value = s.get_opt_double(9);
        r.target = s.get_opt_double(10);
        r.baseline = s.get_opt_double(11);
        r.with_target = s.get_int(12);
        r.last_on = s.get_opt_text(13).value_or("");
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace

std::optional<double> indicator_total::progress_pct() const {
    if (!target) return std::nullopt;
    const double base = baseline.value_or(0);
    if (*target == base) return std::nullopt;
    return 100.0 * (value.value_or(base) - base) / (*target - base);
}

result<indicator_table> indicator_report(sql::db& central_db, report_by by, std::string_view lang) {
    rpt::read_txn snapshot(central_db);
    auto meta = last_consolidation(central_db);
    if (!meta) return std::move(meta).err();
    indicator_table out;
    out.by = by;
    out.lang = lang == "en" ? "en" : "es";
    out.summary = std::move(*meta);
    bool en = out.lang == "en";
    auto sp = spec_for(by, en);
    out.rows = indicator_rows(central_db, &sp, en);
    out.totals = indicator_rows(central_db, nullptr, en);
    return out;
}

namespace {

std::vector<std::string_view> columns(bool en) {
    if (en)
        return {"key",      "name",       "indicator",    "indicator_name", "unit",  "rule",
                "projects", "indicators", "observations", "value",          "target"};
    return {"clave",         "nombre", "indicador", "indicador_nombre",
            "unidad",        "regla",  "proyectos", "indicadores",
            "observaciones", "valor",  "meta"};
}

/// The cells of a row as (text, is_number); nullopt cells are empty / null.
std::vector<std::pair<std::optional<std::string>, bool>> cells(const indicator_total& r) {
    auto num = [](std::optional<double> d) {
        return std::make_pair(d ? std::optional<std::string>(rpt::decimal_text(*d)) : std::nullopt,
                              true);
    };
    return {{r.key, false},
            {r.key_name, false},
            {r.code, false},
            {r.name, false},
            {r.unit, false},
            {r.aggregation, false},
            {std::to_string(r.projects), true},
            {std::to_string(r.indicators), true},
            {std::to_string(r.observations), true},
            num(r.value),
            num(r.target)};
}

void json_rows(std::string& out, const std::vector<std::string_view>& cols,
               const std::vector<indicator_total>& rows, std::size_t first) {
    for (std::size_t k = 0; k < rows.size(); ++k) {
        out += k ? ",{" : "{";
        auto c = cells(rows[k]);
        for (std::size_t i = first; i < c.size(); ++i) {
            if (i > first) out += ',';
            rpt::json_string(out, cols[i]);
            out += ':';
            if (!c[i].first)
                out += "null";
            else if (c[i].second)
                out += *c[i].first;
            else
                rpt::json_string(out, *c[i].first);
        }
        out += '}';
    }
}

}  // namespace

std::string to_csv(const indicator_table& t) {
    std::string out;
    auto cols = columns(t.lang == "en");
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i) out += ',';
        rpt::csv_field(out, cols[i]);
    }
    out += '\n';
    for (const auto& r : t.rows) {
        auto c = cells(r);
        for (std::size_t i = 0; i < c.size(); ++i) {
            if (i) out += ',';
            if (c[i].first) rpt::csv_field(out, *c[i].first);
        }
        out += '\n';
    }
    return out;
}

std::string to_json(const indicator_table& t) {
    auto cols = columns(t.lang == "en");
    std::string out = "{\"report\":\"indicators\",\"by\":";
    rpt::json_string(out, to_string(t.by));
    out += ",\"lang\":";
    rpt::json_string(out, t.lang);
    out += ",\"as_of\":";
    rpt::json_string(out, rpt::iso_text(t.summary.as_of_ms));
    out += ",\"columns\":[";
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i) out += ',';
        rpt::json_string(out, cols[i]);
    }
    out += "],\"rows\":[";
    json_rows(out, cols, t.rows, 0);
    out += "],\"totals\":[";
    json_rows(out, cols, t.totals, 2);  // no dimension: without key and name
    return out + "]}";
}

}  // namespace minga
