// `export registry|iati` (files for the national registry and IATI) and `user add|list`
// (central users of the dashboard). docs/exports.md and docs/dashboard.md.
#include "commands.hpp"

#include <minga/shared/central_users.hpp>
#include <minga/shared/export.hpp>
#include <minga/shared/hlc.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>

namespace minga::server {

namespace {

namespace fs = std::filesystem;

/// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half
/// a file and a failure leaves the previous file as it was.
status write_file(const fs::path& path, const std::string& text) {
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            return make_error(errc::bad_input, "--out", "no se puede escribir " + path.string(),
                              "cannot write " + path.string());
        }
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        return make_error(errc::bad_input, "--out", "no se puede escribir " + path.string(),
                          "cannot write " + path.string());
    }
    return {};
}

void register_registry(CLI::App* parent, cmd_env& env) {
    struct opts {
        std::string out, gad;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = parent->add_subcommand("registry", "CSV de convenios y proyectos para el registro nacional");
    cmd->add_option("--out", o->out, "archivo CSV (predeterminado: la salida estándar)");
    cmd->add_option("--gad", o->gad, "solo los proyectos de este GAD");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto r = export_registry(c->conn(), {o->gad});
            if (!r) return p.fail(r.err());
            const auto note = fmt::format("{}: {} {}{}", p.pick("Registro nacional", "National registry"),
                                          r->projects, p.pick("proyectos", "projects"),
                                          r->without_usd == 0 ? std::string()
                                                              : fmt::format("; {} {}", r->without_usd,
                                                                            p.pick("sin montos en USD (ejecute `minga-server consolidate`)",
                                                                                   "without USD amounts (run `minga-server consolidate`)")));
            if (o->out.empty()) {
                p.out() << r->csv;
                p.err() << note << '\n';
                return 0;
            }
            if (auto st = write_file(o->out, r->csv); !st) return p.fail(st.err());
            p.done(note + " → " + o->out, {{"ok", true}, {"file", o->out}, {"projects", r->projects},
                                            {"without_usd", r->without_usd}});
            return 0;
        };
    });
}

void register_iati(CLI::App* parent, cmd_env& env) {
    struct opts {
        std::string out, gad;
        bool per_gad = false;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = parent->add_subcommand("iati", "actividades IATI 2.03 (XML)");
    cmd->add_option("--out", o->out, "archivo XML, o carpeta con --per-gad (predeterminado: la salida estándar)");
    cmd->add_flag("--per-gad", o->per_gad, "un archivo por GAD informante (iati-<GAD>.xml)");
    cmd->add_option("--gad", o->gad, "solo los proyectos de este GAD");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            if (o->per_gad && o->out.empty())
                return p.fail(make_error(errc::bad_input, "--out", "--per-gad necesita --out CARPETA",
                                         "--per-gad needs --out DIR"));
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto e = export_iati(c->conn(), {o->gad, o->per_gad, system_ms()});
            if (!e) return p.fail(e.err());
            if (e->documents.empty())
                return p.fail(make_error(errc::not_found, "--gad", "no hay proyectos que exportar",
                                         "there are no projects to export"));
            std::vector<std::string> files;
            if (o->out.empty()) {
                p.out() << e->documents.front().xml;
            } else {
                fs::path dir = o->per_gad ? fs::path(o->out) : fs::path();
                std::error_code ec;
                if (o->per_gad) fs::create_directories(dir, ec);
                for (const auto& d : e->documents) {
                    fs::path file = o->per_gad ? dir / ("iati-" + d.reporting_gad + ".xml") : fs::path(o->out);
                    if (!o->per_gad && fs::is_directory(file, ec)) file /= "iati-activities.xml";
                    if (auto st = write_file(file, d.xml); !st) return p.fail(st.err());
                    files.push_back(file.string());
                }
            }
            std::string note = fmt::format("IATI 2.03: {} {}, {} {}", e->activities,
                                           p.pick("actividades", "activities"), e->documents.size(),
                                           p.pick("documento(s)", "document(s)"));
            if (!e->skipped_no_date.empty())
                note += fmt::format("; {} {}", e->skipped_no_date.size(),
                                    p.pick("proyecto(s) omitido(s) por no tener ninguna fecha",
                                           "project(s) left out for having no date at all"));
            if (o->out.empty()) {
                p.err() << note << '\n';
                return 0;
            }
            p.done(note, {{"ok", true}, {"files", files}, {"activities", e->activities},
                          {"skipped_no_date", e->skipped_no_date}});
            return 0;
        };
    });
}

void register_users(CLI::App& app, cmd_env& env) {
    auto name = std::make_shared<std::string>();
    auto* user = app.add_subcommand("user", "usuarios centrales del tablero");
    user->require_subcommand(1);
    auto* add = user->add_subcommand("add", "crear un usuario e imprimir su clave (una sola vez)");
    add->add_option("name", *name, "nombre del usuario")->required();
    add->callback([&env, name] {
        env.action = [name, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto u = add_central_user(c->conn(), *name, system_ms());
            if (!u) return p.fail(u.err());
            p.done(fmt::format("{} {}\n{}: {}\n{}", p.pick("Usuario creado:", "User created:"), u->name,
                               p.pick("Clave", "Secret"), u->secret,
                               p.pick("Entréguela al usuario: no se volverá a mostrar.",
                                      "Hand it to the user: it will not be shown again.")),
                   {{"ok", true}, {"name", u->name}, {"secret", u->secret}});
            return 0;
        };
    });
    auto* list = user->add_subcommand("list", "listar los usuarios centrales");
    list->callback([&env] {
        env.action = [&g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto arr = nlohmann::json::array();
            std::string text;
            for (const auto& u : central_users(c->conn())) {
                arr.push_back({{"name", u.name}, {"status", u.status}, {"created_ms", u.created_ms},
                               {"last_login_ms", u.last_login_ms}});
                text += fmt::format("{:<24} {}\n", u.name, u.status);
            }
            p.done(text + fmt::format("{} {}", arr.size(), p.pick("usuario(s)", "user(s)")),
                   {{"ok", true}, {"users", arr}});
            return 0;
        };
    });
}

}  // namespace

void register_export_commands(CLI::App& app, cmd_env& env) {
    auto* ex = app.add_subcommand("export", "exportaciones del almacén central: registro nacional (CSV), IATI 2.03 (XML), plan de demanda, buenas prácticas");
    ex->require_subcommand(1);
    register_registry(ex, env);
    register_iati(ex, env);
    register_users(app, env);
}

}  // namespace minga::server
