// Central-office commands: catalogue import, the overnight consolidation and its reports.
#include "commands.hpp"

#include <minga/shared/report.hpp>
#include <minga/shared/report_extra.hpp>

#include <fmt/format.h>

#include <fstream>
#include <memory>

namespace minga::server {

namespace {

void register_catalog(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string kind;
        std::string file;
    };
    auto o = std::make_shared<opts>();
    auto* catalog = app.add_subcommand("catalog", "catálogos centrales: ofertas, organizaciones, ONG, mancomunidades");
    catalog->require_subcommand(1);
    auto* cmd = catalog->add_subcommand("import", "importar un archivo de catálogo (todo o nada)");
    cmd->add_option("kind", o->kind, "organisations, ngos, offers, mancomunidades o indicators")->required();
    cmd->add_option("file", o->file, "archivo CSV")->required();
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            auto kind = parse_catalog_kind(o->kind);
            if (!kind) return p.fail(kind.err());
            std::ifstream in(o->file, std::ios::binary);
            if (!in) {
                return p.fail(make_error(errc::bad_input, "file", "no se puede abrir el archivo " + o->file,
                                         "cannot open the file " + o->file));
            }
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto sum = c->import_catalog(*kind, in);
            if (!sum) return p.fail(sum.err());
            p.done(fmt::format("{} {}: {} {}, {} {}, {} {}, {} {}", p.pick("Catálogo", "Catalogue"),
                               to_string(*kind), sum->rows_read, p.pick("filas", "rows"), sum->inserted,
                               p.pick("nuevas", "new"), sum->updated, p.pick("modificadas", "changed"),
                               sum->unchanged, p.pick("sin cambios", "unchanged")),
                   {{"ok", true}, {"kind", std::string(to_string(*kind))}, {"rows", sum->rows_read},
                    {"inserted", sum->inserted}, {"updated", sum->updated}, {"unchanged", sum->unchanged}});
            return 0;
        };
    });
}

void register_consolidate(CLI::App& app, cmd_env& env) {
    auto full = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("consolidate", "consolidación nacional (el trabajo nocturno)");
    cmd->add_flag("--full", *full, "recalcular todo (por defecto solo lo que cambió desde la última)");
    cmd->callback([&env, full] {
        env.action = [full, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto sum = consolidate(c->conn(), system_ms(), consolidate_options{!*full, {}, {}});
            if (!sum) return p.fail(sum.err());
            p.done(fmt::format("{} ({}, {} {}): {} {}, {} {} USD, {} {} USD, {} {}, {} {}; {}: {} {}",
                               p.pick("Consolidación", "Consolidation"),
                               sum->incremental ? p.pick("incremental", "incremental") : p.pick("completa", "full"),
                               sum->recomputed_projects, p.pick("proyectos recalculados", "projects recomputed"),
                               sum->projects, p.pick("proyectos", "projects"),
                               p.pick("comprometido", "committed"), sum->committed_usd_cents / 100,
                               p.pick("desembolsado", "disbursed"), sum->disbursed_usd_cents / 100,
                               sum->beneficiaries, p.pick("beneficiarios", "beneficiaries"),
                               sum->duplicate_projects, p.pick("registros duplicados", "duplicate records"),
                               p.pick("calidad de datos", "data quality"),
                               sum->unconverted_projects + sum->no_amount_projects + sum->no_territory_projects,
                               p.pick("proyecto(s) con avisos", "project(s) with warnings")),
                   {{"ok", true}, {"incremental", sum->incremental},
                    {"recomputed_projects", sum->recomputed_projects},
                    {"recomputed_indicators", sum->recomputed_indicators},
                    {"projects", sum->projects}, {"committed_usd_cents", sum->committed_usd_cents},
                    {"disbursed_usd_cents", sum->disbursed_usd_cents}, {"beneficiaries", sum->beneficiaries},
                    {"duplicate_projects", sum->duplicate_projects}, {"indicators", sum->indicators},
                    {"observations", sum->observations},
                    {"unconverted_projects", sum->unconverted_projects},
                    {"no_amount_projects", sum->no_amount_projects},
                    {"no_territory_projects", sum->no_territory_projects}});
            return 0;
        };
    });
}

void register_fx(CLI::App& app, cmd_env& env) {
    auto file = std::make_shared<std::string>();
    auto* fx = app.add_subcommand("fx", "tipos de cambio fechados (a USD)");
    fx->require_subcommand(1);
    auto* cmd = fx->add_subcommand("import", "importar tipos de cambio desde CSV (todo o nada)");
    cmd->add_option("file", *file, "CSV: currency,valid_from,usd_per_unit[,source]")->required();
    cmd->callback([&env, file] {
        env.action = [file, &g = env.g](printer& p) {
            std::ifstream in(*file, std::ios::binary);
            if (!in) {
                return p.fail(make_error(errc::bad_input, "file", "no se puede abrir el archivo " + *file,
                                         "cannot open the file " + *file));
            }
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto sum = import_fx_rates(c->conn(), in);
            if (!sum) return p.fail(sum.err());
            p.done(fmt::format("{}: {} {}, {} {}, {} {}, {} {}", p.pick("Tipos de cambio", "Exchange rates"),
                               sum->rows, p.pick("filas", "rows"), sum->inserted, p.pick("nuevos", "new"),
                               sum->updated, p.pick("modificados", "changed"), sum->unchanged,
                               p.pick("sin cambios", "unchanged")),
                   {{"ok", true}, {"rows", sum->rows}, {"inserted", sum->inserted},
                    {"updated", sum->updated}, {"unchanged", sum->unchanged}});
            return 0;
        };
    });
}

std::string cell_text(const report_cell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) return *s;
    if (const auto* n = std::get_if<std::int64_t>(&c)) return std::to_string(*n);
    if (const auto* u = std::get_if<usd_cents>(&c)) return fmt::format("{}.{:02}", u->cents / 100, u->cents % 100);
    return "";
}

}  // namespace

std::string as_text(const report_table& t) {
    std::vector<std::size_t> width(t.columns.size());
    for (std::size_t i = 0; i < t.columns.size(); ++i) width[i] = t.columns[i].size();
    for (const auto& row : t.rows)
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], cell_text(row[i]).size());
    std::string out;
    auto line = [&](auto get) {
        for (std::size_t i = 0; i < t.columns.size(); ++i) out += fmt::format("{:<{}}  ", get(i), width[i]);
        out += '\n';
    };
    line([&](std::size_t i) { return t.columns[i]; });
    for (const auto& row : t.rows) line([&](std::size_t i) { return cell_text(row[i]); });
    return out;
}

/// Prints a report in the chosen format.
template <class Table>
void print_table(printer& p, const std::string& format, const Table& t, const std::string& text) {
    if (p.json() || format == "json") p.out() << to_json(t) << '\n';
    else if (format == "csv") p.out() << to_csv(t);
    else p.out() << text;
}

std::string as_text(const indicator_table& t) {
    report_table flat;
    bool en = t.lang == "en";
    flat.columns = {en ? "key" : "clave", en ? "name" : "nombre", en ? "indicator" : "indicador",
                    en ? "unit" : "unidad", en ? "rule" : "regla", en ? "projects" : "proyectos",
                    en ? "value" : "valor", en ? "target" : "meta"};
    auto num = [](std::optional<double> d) { return d ? fmt::format("{:.2f}", *d) : std::string(); };
    for (const auto& r : t.rows)
        flat.rows.push_back({r.key.value_or(""), r.key_name, r.code, r.unit, r.aggregation,
                             r.projects, num(r.value), num(r.target)});
    return as_text(flat);
}

namespace {

void register_report(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string by = "province";
        std::string format = "text";
        std::int64_t days = report_tuning::max_days_without_sync;
        std::int64_t max_skew_s = report_tuning::max_clock_skew_ms / 1000;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.add_subcommand("report", "reporte consolidado");
    const std::string dims = "province, canton, parish, ods, source, modality, geopolitical, cooperant, year o sector";
    cmd->add_option("--by", o->by, dims);
    cmd->add_option("--format", o->format, "text, csv o json")->check(CLI::IsMember({"text", "csv", "json"}));
    cmd->callback([&env, o, cmd] {
        if (!cmd->get_subcommands().empty()) return;
        env.action = [o, &g = env.g](printer& p) {
            if (auto d = parse_demand_report(o->by)) return run_demand_report(p, g, *d, o->format);
            auto by = parse_report_by(o->by);
            if (!by) return p.fail(by.err());
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto t = report(c->conn(), *by, g.lang);
            if (!t) return p.fail(t.err());
            print_table(p, o->format, *t, as_text(*t));
            return 0;
        };
    });
    auto* ind = cmd->add_subcommand("indicators", "totales de indicadores por dimensión, según su regla");
    ind->alias("indicadores");
    ind->add_option("--by", o->by, dims);
    ind->add_option("--format", o->format, "text, csv o json")->check(CLI::IsMember({"text", "csv", "json"}));
    ind->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            auto by = parse_report_by(o->by);
            if (!by) return p.fail(by.err());
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto t = indicator_report(c->conn(), *by, g.lang);
            if (!t) return p.fail(t.err());
            print_table(p, o->format, *t, as_text(*t));
            return 0;
        };
    });
    auto* q = cmd->add_subcommand("quality", "reporte de calidad de datos");
    q->alias("calidad");
    q->add_option("--days", o->days, "GAD sin sincronizar en más de N días (30 por omisión)");
    q->add_option("--max-skew", o->max_skew_s, "desfase de reloj tolerado, en segundos (300)");
    q->add_option("--format", o->format, "text, csv o json")->check(CLI::IsMember({"text", "csv", "json"}));
    q->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto r = quality(c->conn(), {system_ms(), o->days, o->max_skew_s * 1000}, g.lang);
            if (!r) return p.fail(r.err());
            print_table(p, o->format, *r, to_text(*r));
            return 0;
        };
    });
}

}  // namespace

void register_central_commands(CLI::App& app, cmd_env& env) {
    register_catalog(app, env);
    register_consolidate(app, env);
    register_fx(app, env);
    register_report(app, env);
}

}  // namespace minga::server
