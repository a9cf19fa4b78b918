// The demand cycle on a device: `demand match`, `application show|move|approve`,
// `practice print` and `actors`. The nouns' add/update/delete/show/list come from the entity
// specs (cmd_entities.cpp); this file adds the verbs that are more than a form.
#include "commands.hpp"

#include <minga/shared/actor_map.hpp>
#include <minga/shared/application.hpp>
#include <minga/shared/demand_match.hpp>
#include <minga/shared/demand_tuning.hpp>
#include <minga/shared/practice_sheet.hpp>

#include <fmt/format.h>

#include <fstream>

namespace minga::client {

namespace {

nlohmann::json match_json(const offer_match& m, bool en) {
    return {{"offer_id", m.offer_id},   {"title", m.title},         {"cooperant", m.cooperant},
            {"modality", m.modality},   {"source", m.source},       {"geopolitical", m.geopolitical},
            {"closes_on", m.closes_on}, {"score", m.score},         {"common_sdgs", m.common_sdgs},
            {"common_sectors", m.common_sectors}, {"group_sectors", m.group_sectors},
            {"explanation", en ? m.explanation_en : m.explanation_es}};
}

void register_match(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string id;
        std::size_t limit = demand_tuning::default_match_limit;
        std::string on;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.get_subcommand("demand")->add_subcommand(
        "match", "ofertas del catálogo que encajan con una demanda, explicadas");
    cmd->add_option("id", o->id, "identificador de la demanda (o sus primeros caracteres)")->required();
    cmd->add_option("--limit", o->limit, "como máximo N ofertas");
    cmd->add_option("--on", o->on, "fecha de referencia para los plazos (AAAA-MM-DD; predeterminada: hoy)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            if (o->limit == 0 || o->limit > demand_tuning::max_match_limit) {
                auto max = std::to_string(demand_tuning::max_match_limit);
                return p.fail(make_error(errc::bad_input, "--limit", "use un número entre 1 y " + max,
                                         "use a number from 1 to " + max));
            }
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            auto demand = svc.get(*find_entity("demand"), o->id);
            if (!demand) return p.fail(demand.err());
            auto hits = match_demand(r->conn(), demand->id, match_options{o->limit, o->on, false});
            if (!hits) return p.fail(hits.err());
            if (p.json()) {
                auto arr = nlohmann::json::array();
                for (const auto& m : *hits) arr.push_back(match_json(m, p.en()));
                p.out() << nlohmann::json{{"demand", demand->id}, {"count", hits->size()}, {"matches", arr}}.dump()
                        << '\n';
                return 0;
            }
            for (const auto& m : *hits)
                p.out() << fmt::format("{:>3}  {}  {} ({})\n     {}\n", m.score, m.offer_id, m.title, m.cooperant,
                                       p.en() ? m.explanation_en : m.explanation_es);
            p.out() << fmt::format("{} {}\n", hits->size(), p.pick("oferta(s)", "offer(s)"));
            return 0;
        };
    });
}

int print_move(printer& p, const move_outcome& m) {
    nlohmann::json doc = {{"ok", true},   {"id", m.application_id}, {"from", m.from},
                          {"to", m.to},   {"event_id", m.event_id}, {"warnings", nlohmann::json::array()}};
    if (!m.agreement_id.empty()) doc["agreement_id"] = m.agreement_id;
    p.warn(m.warnings, &doc);
    std::string text = fmt::format("{} {}: {} -> {}", p.pick("Postulación", "Application"), m.application_id,
                                   p.en() ? application_status_en(m.from) : m.from,
                                   p.en() ? application_status_en(m.to) : m.to);
    if (!m.agreement_id.empty())
        text += fmt::format("\n{}: {}", p.pick("Convenio creado", "Agreement created"), m.agreement_id);
    p.done(text, doc);
    return 0;
}

void register_application(CLI::App& app, cmd_env& env) {
    auto* noun = app.get_subcommand("application");
    // `show` adds the history to the generic record view.
    noun->remove_subcommand(noun->get_subcommand("show"));
    auto id = std::make_shared<std::string>();
    auto* show = noun->add_subcommand("show", "ver postulación con su historial");
    show->add_option("id", *id, "identificador (o sus primeros caracteres)")->required();
    show->callback([&env, id] {
        env.action = [id, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            const auto& e = *find_entity("application");
            auto rec = svc.get(e, *id);
            if (!rec) return p.fail(rec.err());
            auto history = application_history(*r, rec->id);
            if (p.json()) {
                auto doc = to_json(*rec);
                doc["history"] = nlohmann::json::array();
                for (const auto& h : history)
                    doc["history"].push_back({{"id", h.id}, {"from", h.from}, {"to", h.to}, {"on", h.on_date}, {"note", h.note}});
                p.out() << doc.dump() << '\n';
                return 0;
            }
            p.print_record(e, *rec, svc.checker());
            p.out() << "  " << p.pick("historial", "history") << ":\n";
            for (const auto& h : history)
                p.out() << fmt::format("    {}  {} -> {}{}\n", h.on_date, h.from, h.to, h.note.empty() ? "" : "  " + h.note);
            return 0;
        };
    });

    struct move_opts {
        std::string id;
        move_request req;
    };
    auto mo = std::make_shared<move_opts>();
    auto* move = noun->add_subcommand("move", "mover la postulación en el proceso");
    move->add_option("id", mo->id, "identificador (o sus primeros caracteres)")->required();
    move->add_option("--to", mo->req.to,
                     "postulada|negociacion|aprobada|rechazada|retirada (o applied|negotiating|approved|rejected|withdrawn)")
        ->required();
    move->add_option("--note", mo->req.note, "nota");
    move->add_option("--date", mo->req.date, "fecha del cambio (AAAA-MM-DD; predeterminada: hoy)");
    move->callback([&env, mo] {
        env.action = [mo, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            auto m = move_application(*r, mo->id, mo->req);
            if (!m) return p.fail(m.err());
            return print_move(p, *m);
        };
    });

    struct approve_opts {
        std::string id;
        approve_request req;
    };
    auto ao = std::make_shared<approve_opts>();
    auto* approve = noun->add_subcommand("approve", "aprobar y crear el convenio sin volver a escribir");
    approve->add_option("id", ao->id, "identificador (o sus primeros caracteres)")->required();
    approve->add_option("--kind", ao->req.kind, "tipo de instrumento (predeterminado convenio_especifico)");
    approve->add_option("--signed-on", ao->req.signed_on, "fecha de firma (el convenio queda vigente)");
    approve->add_option("--note", ao->req.note, "nota");
    approve->add_option("--date", ao->req.date, "fecha de la aprobación (AAAA-MM-DD; predeterminada: hoy)");
    approve->callback([&env, ao] {
        env.action = [ao, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            auto m = approve_application(*r, ao->id, ao->req);
            if (!m) return p.fail(m.err());
            return print_move(p, *m);
        };
    });
}

void register_practice_print(CLI::App& app, cmd_env& env) {
    struct opts {
        std::string id;
        std::string format = "text";
        std::string output;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.get_subcommand("practice")->add_subcommand("print", "ficha imprimible (texto o HTML)");
    cmd->add_option("id", o->id, "identificador (o sus primeros caracteres)")->required();
    cmd->add_option("--format", o->format, "text o html")->check(CLI::IsMember({"text", "html"}));
    cmd->add_option("--output", o->output, "archivo donde escribir la ficha (predeterminado: la salida)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            auto rec = svc.get(*find_entity("practice"), o->id);
            if (!rec) return p.fail(rec.err());
            auto sheet = practice_sheets(load_practices(r->conn(), "", rec->id),
                                         o->format == "html" ? sheet_format::html : sheet_format::text, g.lang);
            if (o->output.empty()) {
                p.out() << sheet;
                return 0;
            }
            std::ofstream out(o->output, std::ios::binary);
            if (!(out << sheet)) {
                return p.fail(make_error(errc::bad_input, "--output", "no se puede escribir " + o->output,
                                         "cannot write " + o->output));
            }
            p.done(fmt::format("{}: {}", p.pick("Ficha escrita en", "Sheet written to"), o->output),
                   {{"ok", true}, {"id", rec->id}, {"output", o->output}});
            return 0;
        };
    });
}

}  // namespace

void register_demand_commands(CLI::App& app, cmd_env& env) {
    register_match(app, env);
    register_application(app, env);
    register_practice_print(app, env);
    register_actors(app, env);
}

}  // namespace minga::client
