// The demand cycle on the central server: `report --by demand...` (called from cmd_central's
// report command), `export demand-plan` and `export practices`.
#include "commands.hpp"
#include "report_json.hpp"

#include <minga/shared/demand_plan.hpp>
#include <minga/shared/practice_sheet.hpp>
#include <minga/shared/validate.hpp>

#include <fmt/format.h>

#include <fstream>
#include <memory>

namespace minga::server {

namespace {

status check_on(const std::string& on) {
    if (on.empty()) return {};
    auto d = validate::parse_date("--on", on);
    if (!d) return std::move(d).err();
    return {};
}

void register_plan_export(CLI::App* exp, cmd_env& env) {
    struct opts {
        std::int64_t year = 0;
        std::string format = "csv";
        std::string on;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = exp->add_subcommand("demand-plan", "plan anual nacional de demanda de cooperación, con cobertura");
    cmd->add_option("--year", o->year, "año del plan (predeterminado: todos)")->check(CLI::Range(2000, 2100));
    cmd->add_option("--format", o->format, "csv (una fila por demanda) o json (plan completo)")
        ->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--on", o->on, "fecha de referencia para los plazos de las ofertas (AAAA-MM-DD)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            if (auto ok = check_on(o->on); !ok) return p.fail(ok.err());
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            auto plan = load_demand_plan(c->conn(), plan_options{o->year, o->on});
            if (o->format == "csv" && !p.json()) {
                p.out() << to_csv(coverage_report(plan, false, g.lang));
                return 0;
            }
            nlohmann::json doc = {{"plan", "demand"}, {"year", o->year == 0 ? nlohmann::json() : nlohmann::json(o->year)},
                                  {"lang", g.lang}, {"totals", totals_json(plan)}};
            for (auto [by, name] : {std::pair{plan_by::province, "by_province"}, std::pair{plan_by::sector, "by_sector"},
                                    std::pair{plan_by::ods, "by_sdg"}, std::pair{plan_by::modality, "by_modality"},
                                    std::pair{plan_by::priority, "by_priority"}})
                doc[name] = rows_json(plan_report(c->conn(), plan, by, g.lang));
            doc["demands"] = rows_json(coverage_report(plan, false, g.lang));
            doc["gaps"] = rows_json(coverage_report(plan, true, g.lang));
            p.out() << doc.dump() << '\n';
            return 0;
        };
    });
}

void register_practices_export(CLI::App* exp, cmd_env& env) {
    struct opts {
        std::string gad;
        std::string format = "html";
        std::string output;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = exp->add_subcommand("practices", "fichas de buenas prácticas imprimibles (todas o de un GAD)");
    cmd->add_option("--gad", o->gad, "código del GAD (predeterminado: todos)");
    cmd->add_option("--format", o->format, "html (predeterminado) o text")->check(CLI::IsMember({"html", "text"}));
    cmd->add_option("--output", o->output, "archivo de salida (predeterminado: la salida estándar)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            if (!o->gad.empty()) {
                auto s = c->conn().prepare("SELECT count(*) FROM gad WHERE code = ?1 AND deleted = 0");
                s.bind(1, o->gad);
                if (!s.step() || s.get_int(0) == 0)
                    return p.fail(make_error(errc::bad_input, "--gad", "no existe el GAD " + o->gad,
                                             "no GAD " + o->gad));
            }
            auto records = load_practices(c->conn(), o->gad, "");
            auto sheet = practice_sheets(records, o->format == "html" ? sheet_format::html : sheet_format::text, g.lang);
            if (o->output.empty()) {
                p.out() << sheet;
                return 0;
            }
            std::ofstream out(o->output, std::ios::binary);
            if (!(out << sheet))
                return p.fail(make_error(errc::bad_input, "--output", "no se puede escribir " + o->output,
                                         "cannot write " + o->output));
            p.done(fmt::format("{} {} {}", records.size(), p.pick("ficha(s) escrita(s) en", "sheet(s) written to"), o->output),
                   {{"ok", true}, {"records", records.size()}, {"output", o->output}});
            return 0;
        };
    });
}

}  // namespace

int run_demand_report(printer& p, const global_options& g, const result<demand_report_kind>& kind,
                      const std::string& format) {
    if (!kind) return p.fail(kind.err());
    int code = 0;
    auto c = open_central(p, g, code);
    if (!c) return code;
    if (p.json() || format == "json") {
        p.out() << demand_report_json(c->conn(), *kind, g.lang).dump() << '\n';
        return 0;
    }
    auto plan = load_demand_plan(c->conn(), plan_options{});
    auto t = kind->coverage ? coverage_report(plan, kind->gaps_only, g.lang)
                            : plan_report(c->conn(), plan, kind->by, g.lang);
    if (format == "csv")
        p.out() << to_csv(t);
    else
        p.out() << as_text(t);
    return 0;
}

void register_demand_commands(CLI::App& app, cmd_env& env) {
    // `export` may already hold other exports (registry, iati): add to it.
    CLI::App* exp = nullptr;
    for (auto* sub : app.get_subcommands([](CLI::App* a) { return a->get_name() == "export"; })) exp = sub;
    if (!exp) {
        exp = app.add_subcommand("export", "exportaciones del almacén central");
        exp->require_subcommand(1);
    }
    register_plan_export(exp, env);
    register_practices_export(exp, env);
}

}  // namespace minga::server
