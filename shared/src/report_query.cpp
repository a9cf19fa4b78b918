// Reading the consolidated tables grouped by one dimension (the `minga-server report` data).
#include <minga/shared/report.hpp>
#include "text_list.hpp"

#include <sqlite3.h>

#include <array>
#include <stdexcept>

namespace minga {

namespace {

struct dimension {
    report_by by;
    std::string_view name;                    ///< canonical (English) name
    std::array<std::string_view, 3> aliases;  ///< Spanish spellings accepted after --by
    std::string_view keys_es;                 ///< key columns, comma separated
    std::string_view keys_en;
};

// Order: as listed in `--by` help and in the error message.
constexpr std::array<dimension, 10> dimensions = {{
    {report_by::province, "province", {"provincia", "", ""}, "provincia,nombre", "province,name"},
    {report_by::canton,
     "canton",
     {"cantón", "canton", ""},
     "canton,nombre,provincia",
     "canton,name,province"},
    {report_by::parish,
     "parish",
     {"parroquia", "", ""},
     "parroquia,nombre,canton,provincia",
     "parish,name,canton,province"},
    {report_by::ods, "ods", {"sdg", "", ""}, "ods,nombre", "sdg,name"},
    {report_by::source, "source", {"fuente", "", ""}, "fuente,nombre", "source,name"},
    {report_by::modality, "modality", {"modalidad", "", ""}, "modalidad,nombre", "modality,name"},
    {report_by::geopolitical,
     "geopolitical",
     {"geopolitica", "geopolítica", ""},
     "geopolitica,nombre",
     "geopolitical,name"},
    {report_by::cooperant,
     "cooperant",
     {"cooperante", "", ""},
     "cooperante,nombre,fuente",
     "cooperant,name,source"},
    {report_by::year, "year", {"anio", "año", ""}, "anio", "year"},
    {report_by::sector,
     "sector",
     {"sector_cad", "cad", ""},
     "sector,nombre,categoria",
     "sector,name,category"},
}};

constexpr std::array<std::string_view, 5> metrics_es = {"proyectos", "comprometido_usd",
                                                        "desembolsado_usd", "beneficiarios",
                                                        "proyectos_sin_conversion"};
constexpr std::array<std::string_view, 5> metrics_en = {
    "projects", "committed_usd", "disbursed_usd", "beneficiaries", "unconverted_projects"};

const dimension& find_dimension(report_by by) {
    for (const auto& d : dimensions)
        if (d.by == by) return d;
    throw std::logic_error("report: a report_by value with no dimension");
}

// Figures of a project as a whole (one row per project and group).
constexpr std::string_view project_metrics =
    "count(DISTINCT p.project_id), coalesce(sum(p.committed_usd_cents), 0), "
    "coalesce(sum(p.disbursed_usd_cents), 0), coalesce(sum(p.beneficiaries), 0), "
    "count(DISTINCT CASE WHEN p.committed_usd_cents IS NULL OR p.disbursed_usd_cents IS NULL "
    "THEN p.project_id END)";
// Figures of the territorial parts (a project with no territory counts whole under "not stated").
constexpr std::string_view territory_metrics =
    "count(DISTINCT p.project_id), "
    "coalesce(sum(CASE WHEN t.project_id IS NULL THEN p.committed_usd_cents ELSE "
    "t.committed_usd_cents END), 0), "
    "coalesce(sum(CASE WHEN t.project_id IS NULL THEN p.disbursed_usd_cents ELSE "
    "t.disbursed_usd_cents END), 0), "
    "coalesce(sum(CASE WHEN t.project_id IS NULL THEN p.beneficiaries ELSE t.beneficiaries END), "
    "0), "
    "count(DISTINCT CASE WHEN p.committed_usd_cents IS NULL OR p.disbursed_usd_cents IS NULL "
    "THEN p.project_id END)";
constexpr std::string_view territory_from =
    " FROM rpt_project p LEFT JOIN rpt_project_territory t ON t.project_id = p.project_id ";

std::string query_for(report_by by, bool en) {
    std::string codelist_name = en ? "coalesce(c.name_en, c.name_es)" : "c.name_es";
    std::string pm(project_metrics), tm(territory_metrics), tf(territory_from);
    auto by_codelist = [&](std::string_view col, std::string_view list) {
        std::string c(col);
        return "SELECT p." + c + ", " + codelist_name + ", " + pm +
               " FROM rpt_project p LEFT JOIN codelist c ON c.list = '" + std::string(list) +
               "' AND c.code = p." + c + " GROUP BY p." + c + " ORDER BY p." + c + " IS NULL, p." +
               c;
    };
    switch (by) {
        case report_by::province:
            return "SELECT t.province, u.name, " + tm + tf +
                   "LEFT JOIN territorial_unit u ON u.code = t.province "
                   "GROUP BY t.province ORDER BY t.province IS NULL, t.province";
        case report_by::canton:
            return "SELECT t.canton, u.name, t.province, " + tm + tf +
                   "LEFT JOIN territorial_unit u ON u.code = t.canton "
                   "GROUP BY t.canton ORDER BY t.canton IS NULL, t.canton";
        case report_by::parish:
            return "SELECT t.parish, u.name, t.canton, t.province, " + tm + tf +
                   "LEFT JOIN territorial_unit u ON u.code = t.parish "
                   "GROUP BY t.parish ORDER BY t.parish IS NULL, t.parish";
        case report_by::ods:
            return "SELECT s.goal, " + std::string(en ? "g.name_en" : "g.name_es") + ", " + pm +
                   " FROM rpt_project p LEFT JOIN rpt_project_sdg s ON s.project_id = p.project_id "
                   "LEFT JOIN sdg g ON g.goal = s.goal GROUP BY s.goal ORDER BY s.goal IS NULL, "
                   "s.goal";
        case report_by::source:
            return by_codelist("source", "cinr.fuente");
        case report_by::modality:
            return by_codelist("modality", "cinr.modalidad");
        case report_by::geopolitical:
            return by_codelist("geopolitical", "cinr.geopolitica");
        case report_by::cooperant:
            return "SELECT c.organisation_id, c.name, c.cinr_source, " + pm +
                   " FROM rpt_project p LEFT JOIN rpt_project_cooperant c ON c.project_id = "
                   "p.project_id "
                   "GROUP BY c.organisation_id "
                   "ORDER BY c.organisation_id IS NULL, c.name, c.organisation_id";
        case report_by::sector:
            return "SELECT x.sector, " +
                   std::string(en ? "d.name_en" : "coalesce(d.name_es, d.name_en)") +
                   ", x.category, count(DISTINCT p.project_id), "
                   "coalesce(sum(CASE WHEN x.project_id IS NULL THEN p.committed_usd_cents ELSE "
                   "x.committed_usd_cents END), 0), "
                   "coalesce(sum(CASE WHEN x.project_id IS NULL THEN p.disbursed_usd_cents ELSE "
                   "x.disbursed_usd_cents END), 0), "
                   "coalesce(sum(CASE WHEN x.project_id IS NULL THEN p.beneficiaries ELSE "
                   "x.beneficiaries END), 0), "
                   "count(DISTINCT CASE WHEN p.committed_usd_cents IS NULL OR "
                   "p.disbursed_usd_cents IS NULL THEN p.project_id END) "
                   "FROM rpt_project p LEFT JOIN rpt_project_sector x ON x.project_id = "
                   "p.project_id LEFT JOIN dac_sector d ON d.code = x.sector "
                   "GROUP BY x.sector ORDER BY x.sector IS NULL, x.sector";
        case report_by::year:
            return "SELECT p.year, " + pm +
                   " FROM rpt_project p GROUP BY p.year "
                   "ORDER BY p.year IS NULL, p.year";
    }
    throw std::logic_error("report: unknown report_by");
}

/// A read transaction (a savepoint, so it also nests in a caller's transaction): the rows and
/// the summary come from the same consolidation even if another process commits a new one.
class read_snapshot {
  public:
    explicit read_snapshot(sql::db& db) : db_(db) { db_.exec("SAVEPOINT minga_report"); }
    // A destructor must not throw: releasing a savepoint that only read cannot fail short of a
    // broken connection, which the caller's next statement reports anyway.
    ~read_snapshot() {
        sqlite3_exec(db_.handle(), "RELEASE minga_report", nullptr, nullptr, nullptr);
    }
    read_snapshot(const read_snapshot&) = delete;
    read_snapshot& operator=(const read_snapshot&) = delete;

  private:
    sql::db& db_;  // the caller's connection, which outlives this scope
};

report_cell cell_of(const sql::stmt& s, int col) {
    auto v = s.get_value(col);
    if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
    if (auto* t = std::get_if<std::string>(&v)) return std::move(*t);
    return std::monostate{};
}

}  // namespace

result<report_by> parse_report_by(std::string_view text) {
    for (const auto& d : dimensions) {
        if (text == d.name) return d.by;
        for (auto a : d.aliases)
            if (!a.empty() && text == a) return d.by;
    }
    std::string names;
    for (const auto& d : dimensions) names += (names.empty() ? "" : "|") + std::string(d.name);
    return make_error(errc::bad_input, "--by",
                      "dimensión desconocida '" + std::string(text) + "'; use una de " + names,
                      "unknown dimension '" + std::string(text) + "'; use one of " + names);
}

std::string_view to_string(report_by by) noexcept {
    for (const auto& d : dimensions)
        if (d.by == by) return d.name;
    return "unknown";
}

result<report_table> report(sql::db& central_db, report_by by, std::string_view lang) {
    read_snapshot snapshot(central_db);
    auto meta = last_consolidation(central_db);
    if (!meta) return std::move(meta).err();
    bool en = lang == "en";
    const auto& dim = find_dimension(by);

    report_table out;
    out.by = by;
    out.lang = en ? "en" : "es";
    out.summary = std::move(*meta);
    out.columns = split_list(en ? dim.keys_en : dim.keys_es);
    const int keys = static_cast<int>(out.columns.size());
    for (auto m : en ? metrics_en : metrics_es) out.columns.emplace_back(m);

    auto s = central_db.prepare(query_for(by, en));
    while (s.step()) {
        std::vector<report_cell> row;
        row.reserve(out.columns.size());
        bool stated = !s.is_null(0);
        for (int i = 0; i < keys; ++i) {
            if (!stated)
                row.emplace_back(i == 1
                                     ? report_cell(std::string(en ? "(not stated)" : "(sin dato)"))
                                     : report_cell());
            else
                row.push_back(cell_of(s, i));
        }
        row.emplace_back(s.get_int(keys));
        row.emplace_back(usd_cents{s.get_int(keys + 1)});
        row.emplace_back(usd_cents{s.get_int(keys + 2)});
        row.emplace_back(s.get_int(keys + 3));
        row.emplace_back(s.get_int(keys + 4));
        out.rows.push_back(std::move(row));
    }
    return out;
}

}  // namespace minga
