// `minga bundle export|import|carry`: sync without a link, through files (docs/bundles.md).
// The format, crypto and every SQL statement live in shared/ (bundle.hpp); here only files and
// the carrier's link.
#include "commands.hpp"
#include "secure_link.hpp"
#include "sync_text.hpp"

#include <minga/shared/bundle.hpp>

#include <fmt/format.h>


namespace minga::client {

namespace {

void register_export(CLI::App* bundle, cmd_env& env) {
    struct opts {
        std::string file;
        std::size_t max_changes = bundle_tuning::max_changes;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = bundle->add_subcommand("export", "guardar los cambios pendientes en un paquete para llevar");
    cmd->add_option("FILE", o->file, "archivo del paquete")->required();
    cmd->add_option("--max-changes", o->max_changes, "cambios por paquete, como máximo")
        ->check(CLI::Range(std::size_t{1}, bundle_tuning::max_changes));
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            bundle_export_report rep;
            auto bytes = export_bundle(*r, rep, o->max_changes);
            if (!bytes) return p.fail(bytes.err());
            if (auto ok = write_bundle_file(o->file, *bytes); !ok) return p.fail(ok.err());
            nlohmann::json doc = {{"ok", true},        {"number", rep.number}, {"changes", rep.changes},
                                  {"pending", rep.pending}, {"bytes", rep.bytes},   {"hash", rep.hash},
                                  {"file", o->file}};
            std::string text = fmt::format("{} {}: {} {} ({} bytes) → {}", p.pick("Paquete", "Bundle"),
                                           rep.number, rep.changes, p.pick("cambio(s)", "change(s)"),
                                           rep.bytes, o->file);
            if (rep.pending > rep.changes)
                text += fmt::format("\n{} {}", rep.pending - rep.changes,
                                    p.pick("cambio(s) más irán en el próximo paquete, después de aplicar la respuesta",
                                           "more change(s) go in the next bundle, after the answer is applied"));
            p.done(text, doc);
            return 0;
        };
    });
}

void register_import(CLI::App* bundle, cmd_env& env) {
    auto file = std::make_shared<std::string>();
    auto* cmd = bundle->add_subcommand("import", "aplicar la respuesta del servidor a un paquete");
    cmd->add_option("FILE", *file, "archivo de la respuesta")->required();
    cmd->callback([&env, file] {
        env.action = [file, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            auto bytes = read_bundle_file(*file);
            if (!bytes) return p.fail(bytes.err());
            auto rep = apply_answer(*r, *bytes);
            if (!rep) return p.fail(rep.err());
            nlohmann::json doc = {{"ok", true},
                                  {"answers", rep->answers},
                                  {"acked_through", rep->acked_through},
                                  {"acked", rep->acked},
                                  {"pulled", rep->pulled},
                                  {"remaining", rep->remaining},
                                  {"rows_skipped", rep->rows_skipped}};
            std::string text = fmt::format("{} {}: {} {}, {} {}", p.pick("Respuesta al paquete", "Answer to bundle"),
                                           rep->answers, rep->acked, p.pick("cambio(s) confirmados", "change(s) acknowledged"),
                                           rep->pulled, p.pick("fila(s) recibidas", "row(s) received"));
            if (rep->rows_skipped)
                text += "\n" + std::string(p.pick(
                                   "las filas no se aplicaron: este dispositivo ya sincronizó después de exportar el paquete; nada se pierde, llegan en la próxima sincronización o paquete",
                                   "the rows were not applied: this device synced after exporting the bundle; nothing is lost, they come with the next sync or bundle"));
            if (rep->remaining > 0)
                text += fmt::format("\n{} {}", rep->remaining,
                                    p.pick("fila(s) más llegan con el próximo paquete", "more row(s) come with the next bundle"));
            p.done(text, doc);
            return 0;
        };
    });
}

void register_carry(CLI::App* bundle, cmd_env& env) {
    struct opts {
        std::string file;
        std::string out;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = bundle->add_subcommand("carry", "llevar al servidor el paquete de otro dispositivo y traer su respuesta");
    cmd->add_option("FILE", o->file, "paquete del otro dispositivo")->required();
    cmd->add_option("--out", o->out, "archivo de la respuesta (predeterminado: FILE.respuesta)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            auto bytes = read_bundle_file(o->file);
            if (!bytes) return p.fail(bytes.err());
            const auto url = stored_link(*r).server_url;
            auto t = open_link(*r, url, p);
            if (!t) return p.fail(t.err());
            auto got = carry_bundle(*r, t->as_transport_fn(), *bytes);
            // The server's refusal comes in Spanish only: explained by its code like a sync's.
            if (!got) return fail_sync(p, *r, got.err());
            const std::string out = o->out.empty() ? o->file + ".respuesta" : o->out;
            if (auto ok = write_bundle_file(out, got->answer); !ok) return p.fail(ok.err());
            nlohmann::json doc = {{"ok", true},         {"number", got->number}, {"applied", got->applied},
                                  {"rows", got->rows},  {"answer", out}};
            p.done(fmt::format("{} {}: {} {}, {} {} → {}", p.pick("Paquete", "Bundle"), got->number,
                               got->applied, p.pick("cambio(s) aplicados", "change(s) applied"), got->rows,
                               p.pick("fila(s) en la respuesta", "row(s) in the answer"), out),
                   doc);
            return 0;
        };
    });
}

}  // namespace

void register_bundle_commands(CLI::App& app, cmd_env& env) {
    auto* bundle = app.add_subcommand("bundle", "sincronizar sin conexión, con archivos (memoria USB)");
    bundle->require_subcommand(1);
    register_export(bundle, env);
    register_import(bundle, env);
    register_carry(bundle, env);
}

}  // namespace minga::client
