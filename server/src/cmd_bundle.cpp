// `bundle import FILE [--out ANSWER]` and `bundle list-held`: bundles brought to the central
// office on a stick (docs/bundles.md). Runs beside `serve` on the same store, like `compact`.
#include "commands.hpp"

#include <minga/shared/bundle.hpp>

#include <fmt/format.h>

#include <memory>

namespace minga::server {

namespace {

void register_import(CLI::App* bundle, cmd_env& env) {
    struct opts {
        std::string file;
        std::string out;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = bundle->add_subcommand("import", "aplicar el paquete de un dispositivo y escribir su respuesta");
    cmd->add_option("FILE", o->file, "paquete del dispositivo")->required();
    cmd->add_option("--out", o->out, "archivo de la respuesta (predeterminado: FILE.respuesta)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto bytes = read_bundle_file(o->file);
            if (!bytes) return p.fail(bytes.err());
            auto rep = c->import_bundle(*bytes, bundle_tuning::max_answer_rows);
            if (!rep) return p.fail(rep.err());
            const std::string out = o->out.empty() ? o->file + ".respuesta" : o->out;
            if (auto ok = write_bundle_file(out, rep->answer); !ok) return p.fail(ok.err());
            std::string text = fmt::format(
                "{} {} {} {}: {} {}, {} {}, {} {} → {}", p.pick("Paquete", "Bundle"), rep->number,
                p.pick("del dispositivo", "of device"), rep->device_id, rep->applied,
                p.pick("cambio(s) aplicados", "change(s) applied"), rep->conflicts,
                p.pick("conflicto(s)", "conflict(s)"), rep->rows, p.pick("fila(s) en la respuesta", "row(s) in the answer"), out);
            if (rep->repeated)
                text += "\n" + std::string(p.pick("este paquete ya se había aplicado: nada se aplicó dos veces",
                                                  "this bundle was applied before: nothing was applied twice"));
            if (!rep->missing.empty()) {
                std::string list;
                for (auto n : rep->missing) list += (list.empty() ? "" : ", ") + std::to_string(n);
                text += fmt::format("\n{} {} {}", p.pick("no se recibieron los paquetes", "bundles never received:"), list,
                                    p.pick("(sus cambios venían también en este; nada se perdió)",
                                           "(their changes came in this one too; nothing was lost)"));
            }
            p.done(text, {{"ok", true},
                          {"device_id", rep->device_id},
                          {"number", rep->number},
                          {"changes", rep->changes},
                          {"applied", rep->applied},
                          {"conflicts", rep->conflicts},
                          {"rows", rep->rows},
                          {"remaining", rep->remaining},
                          {"repeated", rep->repeated},
                          {"missing", rep->missing},
                          {"hash", rep->hash},
                          {"answer", out}});
            return 0;
        };
    });
}

void register_list_held(CLI::App* bundle, cmd_env& env) {
    auto* cmd = bundle->add_subcommand("list-held", "paquetes retenidos para revisión (de dispositivos revocados)");
    cmd->callback([&env] {
        env.action = [&g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto held = c->held_bundles();
            nlohmann::json rows = nlohmann::json::array();
            std::string text = held.empty() ? std::string(p.pick("No hay paquetes retenidos.", "No bundles held."))
                                            : std::string(p.pick("Paquetes retenidos:", "Bundles held:"));
            for (const auto& h : held) {
                rows.push_back({{"id", h.id},
                                {"device_id", h.device_id},
                                {"number", h.number},
                                {"reason", h.reason},
                                {"received_ms", h.received_ms},
                                {"changes", h.changes},
                                {"bytes", h.bytes},
                                {"hash", h.hash}});
                text += fmt::format("\n  #{} {} {} {} ({}), {} {}", h.id, h.device_id, p.pick("paquete", "bundle"),
                                    h.number, h.reason, h.changes, p.pick("cambio(s)", "change(s)"));
            }
            p.done(text, {{"ok", true}, {"held", rows}});
            return 0;
        };
    });
}

}  // namespace

void register_bundle_commands(CLI::App& app, cmd_env& env) {
    auto* bundle = app.add_subcommand("bundle", "paquetes de dispositivos sin conexión (memoria USB)");
    bundle->require_subcommand(1);
    register_import(bundle, env);
    register_list_held(bundle, env);
}

}  // namespace minga::server
