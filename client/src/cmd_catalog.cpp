// `minga catalog import KIND FILE`: loads a catalogue file received out of band (a USB stick
// before the first sync) into the local replica, all or nothing. Rows get rev 0: central's
// copy, arriving with the next sync, takes over.
#include "commands.hpp"

#include <minga/shared/catalog_import.hpp>

#include <fmt/format.h>

#include <fstream>
#include <memory>
#include <string>

namespace minga::client {

namespace {

/// The rev of rows a device imports itself: below any rev central assigns.
constexpr std::int64_t local_import_rev = 0;

nlohmann::json summary_json(const catalog_summary& s) {
    nlohmann::json changed = nlohmann::json::object();
    for (const auto& [table, ids] : s.changed) changed[table] = ids;
    return {{"ok", true},
            {"kind", std::string(to_string(s.kind))},
            {"rows_read", s.rows_read},
            {"inserted", s.inserted},
            {"updated", s.updated},
            {"unchanged", s.unchanged},
            {"changed", std::move(changed)}};
}

std::string summary_text(const printer& p, std::string_view kind, const catalog_summary& s) {
    return fmt::format("{} ({}): {} {}; {} {}, {} {}, {} {}",
                       p.pick("Catálogo importado", "Catalogue imported"), kind, s.rows_read,
                       p.pick("filas leídas", "rows read"), s.inserted, p.pick("nuevas", "new"),
                       s.updated, p.pick("actualizadas", "updated"), s.unchanged,
                       p.pick("sin cambios", "unchanged"));
}

int run_import(printer& p, const global_options& g, const std::string& kind_text,
               const std::string& file) {
    auto kind = parse_catalog_kind(kind_text);
    if (!kind) return p.fail(kind.err());
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return p.fail(make_error(errc::bad_input, "FILE", "no se puede abrir el archivo " + file,
                                 "cannot open the file " + file));
    }
    int code = 0;
    auto r = open_replica(p, g, code);
    if (!r) return code;
    sql::transaction tx(r->conn());
    auto summary = import_catalog(tx, *kind, in, local_import_rev);
    if (!summary) return p.fail(summary.err());  // tx rolls back: the replica is unchanged
    r->commit(tx);
    p.done(summary_text(p, kind_text, *summary), summary_json(*summary));
    return 0;
}

}  // namespace

void register_catalog_commands(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string kind;
        std::string file;
    };
    auto o = std::make_shared<opts>();
    auto* noun = app.add_subcommand("catalog", "catálogos recibidos fuera de línea (USB, correo)");
    noun->require_subcommand(1);
    auto* cmd = noun->add_subcommand(
        "import", "importar un archivo de catálogo CSV (todo o nada; docs/catalog-formats.md)");
    cmd->add_option("kind", o->kind,
                    "organizaciones|ong|ofertas|mancomunidades|indicadores "
                    "(o organisations|ngos|offers|indicators)")
        ->required();
    cmd->add_option("file", o->file, "archivo CSV en UTF-8")->required();
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) { return run_import(p, g, o->kind, o->file); };
    });
}

}  // namespace minga::client
