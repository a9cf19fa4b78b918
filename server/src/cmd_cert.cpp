// `minga-server cert create|show`: the server's TLS certificate. `init` creates one too (see
// cmd_admin.cpp); `show` prints the fingerprint an administrator gives to devices (`--pin`).
#include "commands.hpp"
#include <minga/server/tls_files.hpp>

#include <fmt/format.h>

#include <memory>

namespace minga::server {

result<std::string> create_server_cert(const global_options& g, const std::vector<std::string>& hosts) {
    return create_self_signed(tls_paths::in(g.data_dir), hosts);
}

std::string cert_created_text(printer& p, const global_options& g, const std::string& fingerprint) {
    const auto paths = tls_paths::in(g.data_dir);
    return fmt::format("{} {} ({} {}, {}).\n{}: {}\n{}",
                       p.pick("Certificado TLS autofirmado creado en", "Self-signed TLS certificate created in"),
                       paths.cert.string(), p.pick("clave en", "key in"), paths.key.string(),
                       p.pick("solo legible por su dueño", "readable by its owner only"),
                       p.pick("Huella", "Fingerprint"), fingerprint,
                       p.pick("En cada dispositivo: minga enroll --server https://… --token T --pin HUELLA",
                              "On each device: minga enroll --server https://… --token T --pin FINGERPRINT"));
}

namespace {

void register_cert_create(CLI::App* cert, cmd_env& env) {
    auto hosts = std::make_shared<std::vector<std::string>>();
    auto* cmd = cert->add_subcommand("create", "crear un certificado autofirmado y su clave en la carpeta de datos");
    cmd->add_option("--tls-host", *hosts, "nombre o IP adicional del servidor en el certificado (repetible)");
    cmd->callback([&env, hosts] {
        env.action = [hosts, &g = env.g](printer& p) {
            auto fp = create_server_cert(g, *hosts);
            if (!fp) return p.fail(fp.err());
            p.done(cert_created_text(p, g, *fp), {{"ok", true}, {"fingerprint", *fp}});
            return 0;
        };
    });
}

void register_cert_show(CLI::App* cert, cmd_env& env) {
    auto file = std::make_shared<std::string>();
    auto* cmd = cert->add_subcommand("show", "mostrar la huella SHA-256 del certificado (para --pin)");
    cmd->add_option("--tls-cert", *file, "certificado PEM (predeterminado: DATOS/server.crt)");
    cmd->callback([&env, file] {
        env.action = [file, &g = env.g](printer& p) {
            const std::filesystem::path f = file->empty() ? tls_paths::in(g.data_dir).cert
                                                          : std::filesystem::path(*file);
            auto fp = fingerprint_of(f);
            if (!fp) return p.fail(fp.err());
            p.done(*fp, {{"ok", true}, {"fingerprint", *fp}, {"cert", f.string()}});
            return 0;
        };
    });
}

}  // namespace

void register_cert_commands(CLI::App& app, cmd_env& env) {
    auto* cert = app.add_subcommand("cert", "certificado TLS del servidor: crear, ver la huella");
    cert->require_subcommand(1);
    register_cert_create(cert, env);
    register_cert_show(cert, env);
}

}  // namespace minga::server
