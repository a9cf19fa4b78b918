#include <minga/server/cli.hpp>
#include <minga/server/version.hpp>

#include "commands.hpp"

#include <minga/shared/cli_run.hpp>

#include <minga/shared/sqlite.hpp>

#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace minga::server {

namespace {

std::string default_data_dir() {
    if (const char* d = std::getenv("MINGA_DATA"); d && *d) return d;
    return "./minga-server-data";
}

}  // namespace

std::optional<central> open_central(printer& p, const global_options& g, int& code) {
    std::error_code ec;
    if (!std::filesystem::exists(std::filesystem::path(g.data_dir) / central::file_name, ec)) {
        code = p.fail(make_error(
            errc::not_found, "--data",
            "no hay un almacén del servidor en " + g.data_dir +
                "; créelo con `minga-server --data " + g.data_dir + " init`",
            "there is no server store in " + g.data_dir + "; create it with `minga-server --data " +
                g.data_dir + " init`"));
        return std::nullopt;
    }
    auto c = central::open(g.data_dir);
    if (!c) {
        code = p.fail(c.err());
        return std::nullopt;
    }
    return std::move(*c);
}

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    cmd_env env;
    env.g.data_dir = default_data_dir();
    env.g.lang = cli::default_lang();

    CLI::App app{"minga-server: servidor central de sincronización de minga"};
    app.fallthrough();
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string(version()));
    app.add_option("--data", env.g.data_dir,
                   "carpeta del almacén (o MINGA_DATA; predeterminada ./minga-server-data)");
    app.add_flag("--json", env.g.json, "salida como un documento JSON");
    app.add_option("--lang", env.g.lang, "idioma de los mensajes: es (predeterminado) o en")
        ->check(CLI::IsMember({"es", "en"}));

    register_admin_commands(app, env);
    register_serve_command(app, env);
    register_cert_commands(app, env);
    register_central_commands(app, env);
    register_compact_command(app, env);
    register_bundle_commands(app, env);
    register_export_commands(app, env);  // before demand: it adds to `export`
    register_demand_commands(app, env);

    const cli::program_text prog{"minga-server", "fallo de la base de datos del servidor", "server database failure"};
    return cli::run_app<printer>(app, env, prog, argc, argv, out, err);
}

}  // namespace minga::server
