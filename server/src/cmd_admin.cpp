// Administrative commands: create the store, list GADs, enrol/list/revoke devices, digests.
// They open the store themselves; SQLite's WAL lets them run while `serve` is up.
#include "commands.hpp"

#include <minga/server/tls_files.hpp>
#include <minga/server/tuning.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/time_text.hpp>

#include <fmt/format.h>

#include <memory>

namespace minga::server {

namespace {

std::string utc_text(std::int64_t ms) { return ms <= 0 ? "-" : minutes_utc(ms); }

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

void register_init(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string refdata;
        std::vector<std::string> tls_hosts;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.add_subcommand("init", "crear el almacén del servidor, cargar los datos de referencia y un certificado TLS autofirmado");
    cmd->add_option("--refdata", o->refdata, "carpeta de datos de referencia (predeterminada: la instalada)");
    cmd->add_option("--tls-host", o->tls_hosts, "nombre o IP adicional del servidor en el certificado (repetible)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            auto dir = o->refdata.empty() ? find_data_dir()
                                          : result<std::filesystem::path>(o->refdata);
            if (!dir) return p.fail(dir.err());
            auto c = central::create(g.data_dir, *dir);
            if (!c) return p.fail(c.err());
            // The certificate comes after the store: a store that exists means init ran.
            auto fp = create_server_cert(g, o->tls_hosts);
            if (!fp) return p.fail(fp.err());
            p.done(fmt::format("{} {}\n{}", p.pick("Almacén del servidor creado en", "Server store created in"),
                               g.data_dir, cert_created_text(p, g, *fp)),
                   {{"ok", true}, {"data", g.data_dir}, {"fingerprint", *fp}});
            return 0;
        };
    });
}

void register_gad_list(CLI::App& app, cmd_env& env) {
    auto level = std::make_shared<std::string>();
    auto* gad = app.add_subcommand("gad", "GAD conocidos por el servidor");
    gad->require_subcommand(1);
    auto* cmd = gad->add_subcommand("list", "listar los GAD");
    cmd->add_option("--level", *level, "nivel: provincial, municipal, parroquial_rural o mancomunidad")
        ->check(CLI::IsMember({"provincial", "municipal", "parroquial_rural", "mancomunidad"}));
    cmd->callback([&env, level] {
        env.action = [level, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            const auto list = c->gads(*level);
            if (p.json()) {
                auto arr = nlohmann::json::array();
                for (const auto& x : list)
                    arr.push_back({{"code", x.code}, {"level", x.level}, {"name", x.name},
                                   {"devices", x.devices}});
                p.done("", {{"ok", true}, {"count", list.size()}, {"gads", arr}});
                return 0;
            }
            for (const auto& x : list)
                p.out() << fmt::format("{:<8} {:<17} {}  ({} {})\n", x.code, x.level, x.name,
                                       x.devices, p.pick("dispositivo(s)", "device(s)"));
            p.done(fmt::format("{} GAD", list.size()), {});
            return 0;
        };
    });
}

void register_device_enroll(CLI::App* device, cmd_env& env) {
    struct opts {
        std::string gad;
        std::string name;
        long long ttl_hours = 72;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = device->add_subcommand("enroll", "emitir un token de inscripción de un solo uso");
    cmd->add_option("--gad", o->gad, "código del GAD del dispositivo (p. ej. 170150)")->required();
    cmd->add_option("--name", o->name, "nombre del dispositivo, para `device list`");
    cmd->add_option("--ttl-hours", o->ttl_hours, "validez del token en horas (predeterminada 72)")
        ->check(CLI::Range(1LL, tuning::max_enrolment_ttl_hours));
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto e = c->enroll_device(o->gad, o->name, o->ttl_hours * 3600 * 1000);
            if (!e) return p.fail(e.err());
            // The fingerprint the device pins, when this server has its own certificate.
            auto pin = fingerprint_of(tls_paths::in(g.data_dir).cert);
            const std::string pin_arg = pin ? " --pin " + *pin : "";
            nlohmann::json doc = {{"ok", true},          {"token", e->token},
                                  {"expires_ms", e->expires_ms}, {"gads", e->gads},
                                  {"device_slot", e->device_slot}};
            if (pin) doc["pin"] = *pin;
            p.done(fmt::format("{} {} ({} {}):\n  {}\n{}{}",
                               p.pick("Token de inscripción para", "Enrolment token for"),
                               join(e->gads), p.pick("válido hasta", "valid until"),
                               utc_text(e->expires_ms), e->token,
                               p.pick("Se muestra una sola vez. En el dispositivo: "
                                      "minga enroll --server URL --token TOKEN",
                                      "Shown only once. On the device: "
                                      "minga enroll --server URL --token TOKEN"),
                               pin_arg),
                   doc);
            return 0;
        };
    });
}

void register_device_list(CLI::App* device, cmd_env& env) {
    auto* cmd = device->add_subcommand("list", "listar los dispositivos");
    cmd->callback([&env] {
        env.action = [&g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            const auto list = c->devices();
            if (p.json()) {
                auto arr = nlohmann::json::array();
                for (const auto& d : list)
                    arr.push_back({{"id", d.id}, {"name", d.name}, {"gads", d.gads},
                                   {"status", d.status}, {"created_ms", d.created_ms},
                                   {"last_seen_ms", d.last_seen_ms},
                                   {"acked_through", d.acked_through}});
                p.done("", {{"ok", true}, {"count", list.size()}, {"devices", arr}});
                return 0;
            }
            for (const auto& d : list)
                p.out() << fmt::format("{}  {:<10} GAD {}  {}  {}: {}\n", d.id, d.status,
                                       join(d.gads), d.name.empty() ? "-" : d.name,
                                       p.pick("visto", "seen"), utc_text(d.last_seen_ms));
            p.done(fmt::format("{} {}", list.size(), p.pick("dispositivo(s)", "device(s)")), {});
            return 0;
        };
    });
}

/// The device whose id is `id` or starts with it (at least 4 characters, unique).
result<std::string> resolve_device_id(central& c, const std::string& id) {
    std::vector<std::string> hits;
    for (const auto& d : c.devices()) {
        if (d.id == id) return d.id;
        if (id.size() >= 4 && d.id.compare(0, id.size(), id) == 0) hits.push_back(d.id);
    }
    if (hits.size() == 1) return hits.front();
    if (hits.empty())
        return make_error(errc::not_found, "ID", "no existe el dispositivo " + id,
                          "there is no device " + id);
    return make_error(errc::bad_input, "ID",
                      "el prefijo " + id + " corresponde a varios dispositivos; escriba más caracteres",
                      "the prefix " + id + " matches several devices; type more characters");
}

void register_device_revoke(CLI::App* device, cmd_env& env) {
    auto id = std::make_shared<std::string>();
    auto* cmd = device->add_subcommand("revoke", "revocar un dispositivo (lo que ya envió se conserva)");
    cmd->add_option("ID", *id, "id del dispositivo (o un prefijo único de 4+ caracteres)")->required();
    cmd->callback([&env, id] {
        env.action = [id, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto full = resolve_device_id(*c, *id);
            if (!full) return p.fail(full.err());
            if (auto st = c->revoke_device(*full); !st) return p.fail(st.err());
            p.done(fmt::format("{} {} {}", p.pick("Dispositivo", "Device"), *full,
                               p.pick("revocado; lo que ya envió se conserva.",
                                      "revoked; what it already sent is kept.")),
                   {{"ok", true}, {"id", *full}, {"status", "revocado"}});
            return 0;
        };
    });
}

void register_digest(CLI::App& app, cmd_env& env) {
    auto gads = std::make_shared<std::vector<std::string>>();
    auto* cmd = app.add_subcommand("digest", "huella de los datos que debe tener un dispositivo de ese ámbito");
    cmd->add_option("--gad", *gads, "código de GAD (repetible; sin él: todos los GAD)");
    cmd->callback([&env, gads] {
        env.action = [gads, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            std::vector<std::string> scope = *gads;
            if (scope.empty())
                for (const auto& x : c->gads()) scope.push_back(x.code);
            auto d = c->digest(scope);
            if (!d) return p.fail(d.err());
            p.done(*d, {{"ok", true}, {"digest", *d}, {"gads", *gads}});
            return 0;
        };
    });
}

}  // namespace

void register_admin_commands(CLI::App& app, cmd_env& env) {
    register_init(app, env);
    register_gad_list(app, env);
    auto* device = app.add_subcommand("device", "dispositivos: inscribir, listar, revocar");
    device->require_subcommand(1);
    register_device_enroll(device, env);
    register_device_list(device, env);
    register_device_revoke(device, env);
    register_digest(app, env);
}

}  // namespace minga::server
