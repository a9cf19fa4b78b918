#include <minga/client/cli.hpp>
#include <minga/client/version.hpp>

#include "commands.hpp"

#include <minga/shared/cli_run.hpp>

#include <cstdlib>
#include <ostream>

namespace minga::client {

namespace {

std::string default_data_dir() {
    if (const char* d = std::getenv("MINGA_DATA"); d && *d) return d;
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/minga";
    return "minga-data";
}

}  // namespace

std::optional<replica> open_replica(printer& p, const global_options& g, int& code) {
    auto r = replica::open(g.data_dir);
    if (!r) {
        code = p.fail(r.err());
        return std::nullopt;
    }
    return std::move(*r);
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    cmd_env env;
    env.g.data_dir = default_data_dir();
    env.g.lang = cli::default_lang();

    CLI::App app{"minga: registro sin conexión de la cooperación internacional de su GAD"};
    app.fallthrough();
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(version()));
    app.add_option("--data", env.g.data_dir, "carpeta de la réplica local (o MINGA_DATA)");
    app.add_flag("--json", env.g.json, "salida como un documento JSON");
    app.add_option("--lang", env.g.lang, "idioma de los mensajes: es (predeterminado) o en")
        ->check(CLI::IsMember({"es", "en"}));

    register_entity_commands(app, env);
    register_demand_commands(app, env);  // extends the demand, application and practice nouns
    register_offline_commands(app, env);  // adds `offer search` to the entity's noun
    register_catalog_commands(app, env);
    register_sync_commands(app, env);
    register_bundle_commands(app, env);
    register_desk_command(app, env);

    const cli::program_text prog{"minga", "fallo de la base de datos local", "local database failure"};
    return cli::run_app<printer>(app, env, prog, argc, argv, out, err);
}

}  // namespace minga::client
