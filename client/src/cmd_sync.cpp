// Commands that talk to the server or compare with it: enroll, sync, conflicts, digest.
// The network is http_transport; the protocol and every SQL statement live in shared/.
#include "commands.hpp"
#include "secure_link.hpp"
#include "sync_text.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/shared/conflicts.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/sync_client.hpp>

#include <fmt/format.h>

#include <chrono>
#include <unistd.h>

namespace minga::client {

namespace {

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return {};
    return buf;
}

void register_enroll(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string server;
        std::string token;
        std::string name;
        std::string pin;
        std::string ca;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.add_subcommand("enroll", "inscribir este dispositivo en un servidor (necesita conexión)");
    cmd->add_option("--server", o->server, "dirección del servidor, p. ej. https://servidor:8443")->required();
    cmd->add_option("--pin", o->pin, "huella del certificado del servidor, sha256:HEX (`minga-server cert show`)");
    cmd->add_option("--ca", o->ca, "archivo PEM de la autoridad que firmó el certificado del servidor");
    cmd->add_option("--token", o->token, "token de un solo uso de `minga-server device enroll`")->required();
    cmd->add_option("--name", o->name, "nombre de este dispositivo (predeterminado: el del equipo)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            auto trust = trust_from_options(o->server, o->pin, o->ca);
            if (!trust) return p.fail(trust.err());
            auto t = open_link(o->server, *trust, p);
            if (!t) return p.fail(t.err());
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            const std::string name = o->name.empty() ? host_name() : o->name;
            auto rep = enroll(*r, t->as_transport_fn(), t->url().text(), o->token, name);
            if (!rep) return fail_sync(p, *r, rep.err());
            save_trust(*r, *trust);
            std::string gads;
            for (const auto& x : rep->gads) gads += (gads.empty() ? "" : ", ") + x;
            p.done(fmt::format("{} {} (GAD {}). {}: {}; {}",
                               p.pick("Dispositivo inscrito en", "Device enrolled with"), t->url().text(), gads,
                               p.pick("cambios pendientes", "pending changes"), rep->requeued,
                               p.pick("se enviarán con `minga sync`", "they will go with `minga sync`")),
                   {{"ok", true},
                    {"server", t->url().text()},
                    {"device_id", r->device_id()},
                    {"gads", rep->gads},
                    {"pending_changes", rep->requeued}});
            return 0;
        };
    });
}

struct sync_cli_opts {
    double max_time_s = 0;  ///< 0: no deadline
    bool progress = false;  ///< progress lines on stderr even when it is not a terminal
    std::uint32_t retries = sync_tuning::max_retries;
};

/// The transport for a sync, with the trust stored at enrolment: with --max-time, no single
/// phase of a request may wait longer than the whole sync may take.
result<http_transport> sync_transport(replica& r, const std::string& url, std::int64_t max_ms, printer& p) {
    transport_options t;
    if (max_ms > 0) {
        const std::chrono::milliseconds cap(max_ms);
        t.connect_timeout = std::min(t.connect_timeout, cap);
        t.write_timeout = std::min(t.write_timeout, cap);
        t.read_timeout = std::min(t.read_timeout, cap);
    }
    return open_link(r, url, p, t);
}

int run_sync(printer& p, const global_options& g, const sync_cli_opts& o) {
    int code = 0;
    auto r = open_replica(p, g, code);
    if (!r) return code;
    const auto link = stored_link(*r);
    if (link.credential.empty() || link.server_url.empty()) {
        return p.fail(make_error(errc::bad_input, "enroll",
                                 "este dispositivo no está inscrito; use `minga enroll --server URL --token T`",
                                 "this device is not enrolled; use `minga enroll --server URL --token T`"));
    }
    sync_options so;
    so.max_time_ms = static_cast<std::int64_t>(o.max_time_s * 1000);
    so.retry.max_retries = o.retries;
    auto t = sync_transport(*r, link.server_url, so.max_time_ms, p);
    if (!t) return p.fail(t.err());
    so.pipeline = t->as_pipeline();  // push batches back to back (docs/resilience.md, "Pipelined push")
    // A terminal gets one line rewritten in place; --progress gets one line per step.
    const bool tty = !g.json && isatty(STDERR_FILENO);
    const bool lines = o.progress;
    sync_report tally;  // how far the sync got, for a failure's message
    auto progress = [&](const sync_progress& s) {
        if (s.so_far) tally = *s.so_far;
        if (!tty && !lines) return;
        const auto text = progress_line(s, p.en());
        if (lines) p.err() << text << '\n' << std::flush;
        else p.err() << '\r' << text << "\x1b[K" << std::flush;
    };
    const auto start = std::chrono::steady_clock::now();
    auto rep = sync(*r, t->as_transport_fn(), so, progress);
    if (tty && !lines) p.err() << "\r\x1b[K" << std::flush;
    if (!rep) return fail_sync(p, *r, rep.err(), &tally);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    auto doc = report_json(*rep);
    doc.update({{"ok", !rep->stopped_by_deadline},
                {"server", link.server_url},
                {"pending_changes", r->changes().pending_count()},
                {"bytes_sent", t->bytes_sent()},
                {"bytes_received", t->bytes_received()},
                {"connections", t->connections()},
                {"ms", ms}});
    if (rep->stopped_by_deadline) {
        const auto pending = static_cast<std::uint64_t>(r->changes().pending_count());
        const auto max_s = group_digits(static_cast<std::uint64_t>(o.max_time_s), p.en());
        const std::string text =
            p.en() ? fmt::format("Stopped at the time limit (--max-time {} s): {}. Everything received is "
                                 "stored and {} change(s) are still pending; the next `minga sync` resumes "
                                 "from here.",
                                 max_s, how_far(*rep, true), group_digits(pending, true))
                   : fmt::format("Se detuvo al llegar al tiempo máximo (--max-time {} s): {}. Todo lo recibido "
                                 "quedó guardado y {} cambio(s) siguen pendientes; la próxima `minga sync` "
                                 "continúa desde aquí.",
                                 max_s, how_far(*rep, false), group_digits(pending, false));
        if (p.json()) {
            doc["message"] = text;
            p.out() << doc.dump() << '\n';
        } else {
            p.err() << text << '\n';
        }
        return static_cast<int>(exit_code::try_later);
    }
    std::string text = fmt::format(
        "{}: {} {}, {} {}, {} {} ({} KB {} / {} KB {}, {} {}, {} ms)", p.pick("Sincronización completa", "Sync complete"),
        group_digits(rep->pushed, p.en()), p.pick("enviado(s)", "sent"), group_digits(rep->pulled, p.en()),
        p.pick("recibido(s)", "received"), rep->conflicts, p.pick("conflicto(s)", "conflict(s)"),
        (t->bytes_sent() + 1023) / 1024, p.pick("enviados", "sent"), (t->bytes_received() + 1023) / 1024,
        p.pick("recibidos", "received"), rep->retries, p.pick("reintento(s)", "retries"), ms);
    if (rep->conflicts > 0)
        text += p.pick("\nRevise los conflictos con `minga conflicts`.", "\nReview the conflicts with `minga conflicts`.");
    p.done(text, doc);
    return 0;
}

void register_sync(CLI::App& app, cmd_env& env) {
    auto o = std::make_shared<sync_cli_opts>();
    auto* cmd = app.add_subcommand("sync", "enviar los cambios y recibir los del servidor");
    cmd->add_option("--max-time", o->max_time_s,
                    "segundos como máximo; se detiene entre dos solicitudes y la próxima sincronización continúa")
        ->check(CLI::Range(1.0, 7.0 * 24 * 3600));
    cmd->add_flag("--progress", o->progress, "mostrar el avance en stderr, una línea por paso");
    cmd->add_option("--retries", o->retries,
                    fmt::format("reintentos de una solicitud que falló por la red (0-{})", sync_tuning::retries_limit))
        ->check(CLI::Range(0u, sync_tuning::retries_limit));
    cmd->callback([&env, o] { env.action = [o, &g = env.g](printer& p) { return run_sync(p, g, *o); }; });
}

nlohmann::json conflict_json(const conflict_info& c) {
    return {{"id", c.id},
            {"table", c.table},
            {"row_id", c.row_id},
            {"column", c.column},
            {"winner_value", c.winner_value},
            {"loser_value", c.loser_value},
            {"winner_device", c.winner_device},
            {"loser_device", c.loser_device},
            {"mine_lost", c.mine_lost},
            {"status", c.status}};
}

void register_conflicts(CLI::App& app, cmd_env& env) {
    auto all = std::make_shared<bool>(false);
    auto* cmd = app.add_subcommand("conflicts", "ver los conflictos (valores que perdieron ante otro dispositivo)");
    cmd->add_flag("--all", *all, "incluir los ya resueltos");

    struct resolve_opts {
        std::string id;
        std::string keep;
    };
    auto ro = std::make_shared<resolve_opts>();
    auto* resolve = cmd->add_subcommand("resolve", "resolver un conflicto");
    resolve->add_option("ID", ro->id, "id del conflicto (o un prefijo único de 4+ caracteres)")->required();
    resolve->add_option("--keep", ro->keep, "mine (el valor de este dispositivo) o theirs (el del otro)")
        ->required()
        ->check(CLI::IsMember({"mine", "theirs"}));
    resolve->callback([&env, ro] {
        env.action = [ro, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            // resolve_conflict finds the id or a unique prefix itself, within this scope.
            auto c = resolve_conflict(*r, ro->id, ro->keep == "mine");
            if (!c) return p.fail(c.err());
            p.done(fmt::format("{} {} {}: {} {}", p.pick("Conflicto", "Conflict"), c->id,
                               p.pick("resuelto", "resolved"),
                               ro->keep == "mine" ? p.pick("se conserva su valor", "your value is kept")
                                                  : p.pick("se conserva el valor del otro dispositivo",
                                                           "the other device's value is kept"),
                               p.pick("(se enviará en la próxima sincronización)", "(it goes with the next sync)")),
                   {{"ok", true}, {"conflict", conflict_json(*c)}});
            return 0;
        };
    });

    cmd->callback([&env, all, resolve] {
        if (resolve->parsed()) return;  // `conflicts resolve` set its own action
        env.action = [all, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            const auto list = list_conflicts(*r, *all);
            if (p.json()) {
                auto arr = nlohmann::json::array();
                for (const auto& c : list) arr.push_back(conflict_json(c));
                p.out() << nlohmann::json{{"ok", true}, {"count", list.size()}, {"conflicts", arr}}.dump() << '\n';
                return 0;
            }
            for (const auto& c : list)
                p.out() << fmt::format("{}  {}.{} ({} {})  {}: «{}»  {}: «{}»{}  [{}]\n", c.id, c.table,
                                       c.column, p.pick("fila", "row"), c.row_id, p.pick("ganó", "won"),
                                       c.winner_value, p.pick("perdió", "lost"), c.loser_value,
                                       c.mine_lost ? p.pick(" (el suyo)", " (yours)") : "", c.status);
            p.out() << fmt::format("{} {}\n", list.size(),
                                   *all ? p.pick("conflicto(s)", "conflict(s)")
                                        : p.pick("conflicto(s) abierto(s)", "open conflict(s)"));
            if (!list.empty() && !*all)
                p.out() << p.pick("Resuelva con `minga conflicts resolve ID --keep mine|theirs`.\n",
                                  "Resolve with `minga conflicts resolve ID --keep mine|theirs`.\n");
            return 0;
        };
    });
}

void register_digest(CLI::App& app, cmd_env& env) {
    auto* cmd = app.add_subcommand("digest", "huella de los datos de este dispositivo (igual a la del servidor al converger)");
    cmd->callback([&env] {
        env.action = [&g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            const auto d = scope_digest(r->conn(), r->gads());
            p.done(d, {{"ok", true}, {"digest", d}, {"gads", r->gads()}});
            return 0;
        };
    });
}

}  // namespace

void register_sync_commands(CLI::App& app, cmd_env& env) {
    register_enroll(app, env);
    register_sync(app, env);
    register_conflicts(app, env);
    register_digest(app, env);
}

}  // namespace minga::client
