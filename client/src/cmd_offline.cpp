// Commands that work on the replica without a link: init, status, import, list, offer search.
#include "commands.hpp"

#include <minga/shared/csv_import.hpp>
#include <minga/shared/offer_search.hpp>
#include <minga/shared/reference_data.hpp>

#include <fmt/format.h>

#include <fstream>
#include <unistd.h>

namespace minga::client {

namespace {

void register_init(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string gad;
        std::string refdata;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.add_subcommand("init", "crear la réplica local de un GAD (sin conexión)");
    cmd->add_option("--gad", o->gad, "código INEC del GAD (p. ej. 170151)")->required();
    cmd->add_option("--refdata", o->refdata, "carpeta de datos de referencia (predeterminada: la instalada)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            auto dir = o->refdata.empty() ? find_data_dir() : result<std::filesystem::path>(o->refdata);
            if (!dir) return p.fail(dir.err());
            auto r = replica::create(g.data_dir, o->gad, *dir);
            if (!r) return p.fail(r.err());
            nlohmann::json doc = {{"ok", true}, {"gad", r->gad()}, {"device_id", r->device_id()},
                                  {"data", g.data_dir}};
            p.done(fmt::format("{} {} ({}: {})", p.pick("Réplica creada para el GAD", "Replica created for GAD"),
                               r->gad(), p.pick("dispositivo", "device"), r->device_id()),
                   doc);
            return 0;
        };
    });
}

void register_status(CLI::App& app, cmd_env& env) {
    auto* cmd = app.add_subcommand("status", "cambios pendientes, última sincronización, reloj");
    cmd->callback([&env] {
        env.action = [&g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            auto pending = r->changes().pending_count();
            auto last = r->meta("last_sync_ms");
            auto server = r->meta("server_url");
            nlohmann::json doc = {{"ok", true},
                                  {"gad", r->gad()},
                                  {"gads", r->gads()},
                                  {"device_id", r->device_id()},
                                  {"pending_changes", pending},
                                  {"enrolled", server.has_value()},
                                  {"last_sync_ms", last ? nlohmann::json(std::stoll(*last)) : nlohmann::json()},
                                  {"clock_offset_ms", r->clock().offset_ms()}};
            std::string text = fmt::format(
                "GAD {}  {} {}\n{}: {}\n{}: {}\n{}: {} ms",
                r->gad(), p.pick("dispositivo", "device"), r->device_id(),
                p.pick("cambios pendientes de enviar", "changes waiting to be sent"), pending,
                p.pick("última sincronización", "last sync"),
                last ? *last : std::string(p.pick("nunca (sin inscribir en un servidor)", "never (not enrolled with a server)")),
                p.pick("diferencia con la hora del servidor", "offset from server time"), r->clock().offset_ms());
            p.done(text, doc);
            return 0;
        };
    });
}

void register_import(CLI::App& app, cmd_env& env) {
    auto file = std::make_shared<std::string>();
    auto* cmd = app.add_subcommand("import", "importar observaciones desde un CSV (todo o nada)");
    cmd->add_option("file", *file, "archivo CSV")->required();
    cmd->callback([&env, file] {
        env.action = [file, &g = env.g](printer& p) {
            int code = 0;
            std::ifstream in(*file, std::ios::binary);
            if (!in) {
                return p.fail(make_error(errc::bad_input, "file",
                                         "no se puede abrir el archivo " + *file,
                                         "cannot open the file " + *file));
            }
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            bool tty = !g.json && isatty(STDERR_FILENO);
            auto progress = [&](std::size_t n) {
                if (tty) p.err() << '\r' << n << p.pick(" filas…", " rows…") << std::flush;
            };
            auto sum = import_observations(svc, *r, in, progress);
            if (tty) p.err() << '\r' << std::string(30, ' ') << '\r';
            if (!sum) return p.fail(sum.err());
            p.done(fmt::format("{}: {}", p.pick("Observaciones importadas", "Observations imported"), sum->rows),
                   {{"ok", true}, {"rows", sum->rows}});
            return 0;
        };
    });
}

void register_list(CLI::App& app, cmd_env& env) {
    auto kind = std::make_shared<std::string>();
    auto limit = std::make_shared<std::size_t>(0);
    std::vector<std::string> kinds;
    for (const auto& e : entities()) kinds.emplace_back(e.kind);
    auto* cmd = app.add_subcommand("list", "listar registros de un tipo");
    cmd->add_option("kind", *kind, "tipo de registro")->required()->check(CLI::IsMember(kinds));
    cmd->add_option("--limit", *limit, "como máximo N registros");
    cmd->callback([&env, kind, limit] {
        env.action = [kind, limit, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            const entity_spec* e = find_entity(*kind);
            p.print_list(*e, svc.list(*e, list_filter{"", *limit}));
            return 0;
        };
    });
}

void register_offer_search(CLI::App& app, cmd_env& env) {
    auto text = std::make_shared<std::vector<std::string>>();
    auto* cmd = app.get_subcommand("offer")->add_subcommand("search", "buscar en el catálogo de ofertas");
    cmd->add_option("text", *text, "palabras a buscar")->required();
    cmd->callback([&env, text] {
        env.action = [text, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            std::string q;
            for (const auto& w : *text) q += (q.empty() ? "" : " ") + w;
            auto hits = search_offers(*r, q);
            if (p.json()) {
                auto arr = nlohmann::json::array();
                for (const auto& h : hits)
                    arr.push_back({{"id", h.id}, {"title", h.title}, {"cooperant", h.cooperant},
                                   {"modality", h.modality}, {"closes_on", h.closes_on}, {"status", h.status}});
                p.out() << nlohmann::json{{"query", q}, {"count", hits.size()}, {"offers", arr}}.dump() << '\n';
                return 0;
            }
            for (const auto& h : hits)
                p.out() << fmt::format("{}  {}  [{}; {}; {} {}]\n", h.id, h.title, h.cooperant, h.modality,
                                       p.pick("cierre", "closes"),
                                       h.closes_on.empty() ? std::string(p.pick("permanente", "open")) : h.closes_on);
            p.out() << fmt::format("{} {}\n", hits.size(), p.pick("oferta(s)", "offer(s)"));
            return 0;
        };
    });
}

}  // namespace

void register_offline_commands(CLI::App& app, cmd_env& env) {
    register_init(app, env);
    register_status(app, env);
    register_import(app, env);
    register_list(app, env);
    register_offer_search(app, env);
}

}  // namespace minga::client
