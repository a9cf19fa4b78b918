// Central-office commands: catalogue import, the overnight consolidation and its reports.
#include "commands.hpp"

#include <minga/shared/report.hpp>

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
    auto* cmd = app.add_subcommand("consolidate", "consolidación nacional (el trabajo nocturno)");
    cmd->callback([&env] {
        env.action = [&g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto sum = consolidate(c->conn(), system_ms());
            if (!sum) return p.fail(sum.err());
            p.done(fmt::format("{}: {} {}, {} {} USD, {} {} USD, {} {}; {}: {} {}",
                               p.pick("Consolidación", "Consolidation"), sum->projects,
                               p.pick("proyectos", "projects"),
                               p.pick("comprometido", "committed"), sum->committed_usd_cents / 100,
                               p.pick("desembolsado", "disbursed"), sum->disbursed_usd_cents / 100,
                               sum->beneficiaries, p.pick("beneficiarios", "beneficiaries"),
                               p.pick("calidad de datos", "data quality"),
                               sum->unconverted_projects + sum->no_amount_projects + sum->no_territory_projects,
                               p.pick("proyecto(s) con avisos", "project(s) with warnings")),
                   {{"ok", true}, {"projects", sum->projects}, {"committed_usd_cents", sum->committed_usd_cents},
                    {"disbursed_usd_cents", sum->disbursed_usd_cents}, {"beneficiaries", sum->beneficiaries},
                    {"unconverted_projects", sum->unconverted_projects},
                    {"no_amount_projects", sum->no_amount_projects},
                    {"no_territory_projects", sum->no_territory_projects}});
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

namespace {

void register_report(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string by = "province";
        std::string format = "text";
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.add_subcommand("report", "reporte consolidado");
    cmd->add_option("--by", o->by, "province, canton, parish, ods, source, modality, geopolitical, cooperant o year");
    cmd->add_option("--format", o->format, "text, csv o json")->check(CLI::IsMember({"text", "csv", "json"}));
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            if (auto d = parse_demand_report(o->by)) return run_demand_report(p, g, *d, o->format);
            auto by = parse_report_by(o->by);
            if (!by) return p.fail(by.err());
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto t = report(c->conn(), *by, g.lang);
            if (!t) return p.fail(t.err());
            if (p.json() || o->format == "json") p.out() << to_json(*t) << '\n';
            else if (o->format == "csv") p.out() << to_csv(*t);
            else p.out() << as_text(*t);
            return 0;
        };
    });
}

}  // namespace

void register_central_commands(CLI::App& app, cmd_env& env) {
    register_catalog(app, env);
    register_consolidate(app, env);
    register_report(app, env);
}

}  // namespace minga::server
