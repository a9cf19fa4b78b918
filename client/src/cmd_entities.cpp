// Generic commands for every entity kind, driven by the entity specs:
//   minga KIND add [--field V]...      minga KIND update ID [--field V]...
//   minga KIND delete ID               minga KIND show ID
//   minga KIND list [--PARENT ID]      minga observe ... (= observation add)
#include "commands.hpp"

#include <fmt/format.h>

#include <map>

namespace minga::client {

namespace {

/// The option values of one add/update command, in spec order when turned into a form.
struct form_options {
    const entity_spec* spec = nullptr;
    std::map<std::string, std::string> single;
    std::map<std::string, std::vector<std::string>> multi;
    std::vector<std::pair<const field_spec*, CLI::Option*>> options;

    [[nodiscard]] form to_form() const {
        form f;
        for (const auto& [fs, opt] : options) {
            if (opt->count() == 0) continue;
            std::string key(fs->option);
            if (is_set_kind(fs->kind)) {
                // `--sdg ""` names the set with nothing in it (the store then empties it),
                // however the parser hands the empty value over.
                if (multi.at(key).empty()) f.emplace_back(key, "");
                for (const auto& v : multi.at(key)) f.emplace_back(key, v);
            } else {
                f.emplace_back(key, single.at(key));
            }
        }
        return f;
    }
};

void add_field_options(CLI::App* cmd, const std::shared_ptr<form_options>& st) {
    for (const auto& fs : st->spec->fields) {
        std::string name = "--" + std::string(fs.option);
        std::string key(fs.option);
        std::string help(fs.label_es);
        CLI::Option* opt = is_set_kind(fs.kind)
                               ? cmd->add_option(name, st->multi[key], help + " (repetible)")
                               : cmd->add_option(name, st->single[key], help);
        st->options.emplace_back(&fs, opt);
    }
}

int print_write(printer& p, const entity_spec& e, const write_outcome& w, std::string_view verb_es,
                std::string_view verb_en) {
    nlohmann::json doc = {{"ok", true}, {"kind", e.kind}, {"id", w.id}};
    doc["warnings"] = nlohmann::json::array();
    p.warn(w.warnings, &doc);
    p.done(fmt::format("{} {}: {}", p.pick(e.label_es, e.label_en), p.pick(verb_es, verb_en), w.id), doc);
    return 0;
}

void register_add(CLI::App* noun, cmd_env& env, const entity_spec& e, std::string_view name,
                  CLI::App* parent) {
    auto st = std::make_shared<form_options>();
    st->spec = &e;
    auto* cmd = (parent ? parent : noun)->add_subcommand(std::string(name),
                                                         "registrar " + std::string(e.label_es));
    add_field_options(cmd, st);
    cmd->callback([&env, st, &e] {
        env.action = [st, &e, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            auto w = svc.add(e, st->to_form());
            if (!w) return p.fail(w.err());
            return print_write(p, e, *w, "registrado", "recorded");
        };
    });
}

void register_update_delete(CLI::App* noun, cmd_env& env, const entity_spec& e) {
    auto st = std::make_shared<form_options>();
    st->spec = &e;
    auto id = std::make_shared<std::string>();
    auto* upd = noun->add_subcommand("update", "modificar " + std::string(e.label_es));
    upd->add_option("id", *id, "identificador (o sus primeros caracteres)")->required();
    add_field_options(upd, st);
    upd->callback([&env, st, id, &e] {
        env.action = [st, id, &e, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            auto w = svc.update(e, *id, st->to_form());
            if (!w) return p.fail(w.err());
            return print_write(p, e, *w, "modificado", "updated");
        };
    });
    auto del_id = std::make_shared<std::string>();
    auto* del = noun->add_subcommand("delete", "eliminar " + std::string(e.label_es));
    del->add_option("id", *del_id, "identificador")->required();
    del->callback([&env, del_id, &e] {
        env.action = [del_id, &e, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            auto removed = svc.remove(e, *del_id);
            if (!removed) return p.fail(removed.err());
            return print_write(p, e, write_outcome{*removed, {}}, "eliminado", "deleted");
        };
    });
}

void register_show_list(CLI::App* noun, cmd_env& env, const entity_spec& e) {
    auto id = std::make_shared<std::string>();
    auto* show = noun->add_subcommand("show", "ver " + std::string(e.label_es));
    show->add_option("id", *id, "identificador (o sus primeros caracteres)")->required();
    show->callback([&env, id, &e] {
        env.action = [id, &e, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            auto rec = svc.get(e, *id);
            if (!rec) return p.fail(rec.err());
            p.print_record(e, *rec, svc.checker());
            return 0;
        };
    });
    auto filter = std::make_shared<list_filter>();
    auto* list = noun->add_subcommand("list", "listar " + std::string(e.label_es));
    for (const auto& fs : e.fields)
        if (fs.column == e.owner_from && !e.owner_from.empty())
            list->add_option("--" + std::string(fs.option), filter->parent_id, "solo los de este registro");
    list->add_option("--limit", filter->limit, "como máximo N registros");
    list->callback([&env, filter, &e] {
        env.action = [filter, &e, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            entity_service svc(*r);
            list_filter f = *filter;
            if (!f.parent_id.empty()) {
                for (const auto& fs : e.fields) {
                    if (fs.column != e.owner_from) continue;
                    auto parent = svc.checker().find_row("--" + std::string(fs.option), fs.arg, f.parent_id);
                    if (!parent) return p.fail(parent.err());
                    f.parent_id = parent->id;
                }
            }
            p.print_list(e, svc.list(e, f));
            return 0;
        };
    });
}

}  // namespace

void register_entity_commands(CLI::App& app, cmd_env& env) {
    for (const auto& e : entities()) {
        auto* noun = app.add_subcommand(std::string(e.kind), std::string(e.label_es));
        noun->require_subcommand(1);
        if (e.writable) {
            register_add(noun, env, e, "add", nullptr);
            register_update_delete(noun, env, e);
        }
        register_show_list(noun, env, e);
        if (e.kind == "observation") register_add(noun, env, e, "observe", &app);
    }
}

}  // namespace minga::client
