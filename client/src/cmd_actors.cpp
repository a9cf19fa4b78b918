// `minga actors [--territory CODE] [--sector CODE]`: who already works near a territory and in
// a sector (actor_map.hpp gives the rules).
#include "commands.hpp"

#include <minga/shared/actor_map.hpp>
#include <minga/shared/validate_db.hpp>

#include <fmt/format.h>

namespace minga::client {

namespace {

std::string proximity_text(const printer& p, int proximity) {
    switch (proximity) {
        case 3: return std::string(p.pick("misma parroquia", "same parish"));
        case 2: return std::string(p.pick("mismo cantón", "same canton"));
        case 1: return std::string(p.pick("misma provincia", "same province"));
        case 0: return std::string(p.pick("todo el país", "nationwide"));
        default: return "";
    }
}

}  // namespace

void register_actors(CLI::App& app, cmd_env& env) {
    auto f = std::make_shared<actor_filter>();
    auto* cmd = app.add_subcommand("actors", "mapa de actores: cooperantes y socios activos cerca de un territorio");
    cmd->add_option("--territory", f->territory, "código INEC de la parroquia, cantón o provincia");
    cmd->add_option("--sector", f->sector, "sector CAD (5 dígitos) o grupo (3 dígitos)");
    cmd->callback([&env, f] {
        env.action = [f, &g = env.g](printer& p) {
            int code = 0;
            auto r = open_replica(p, g, code);
            if (!r) return code;
            if (!f->territory.empty())
                if (auto ok = validate::check_territory_exists(r->conn(), "--territory", f->territory); !ok)
                    return p.fail(ok.err());
            if (!f->sector.empty())
                if (auto ok = validate::check_dac_sector(r->conn(), "--sector", f->sector); !ok)
                    return p.fail(ok.err());
            auto rows = actor_map(r->conn(), *f);
            if (p.json()) {
                auto arr = nlohmann::json::array();
                for (const auto& a : rows)
                    arr.push_back({{"organisation_id", a.organisation_id}, {"name", a.name}, {"source", a.source},
                                   {"agreements", a.agreements}, {"projects", a.projects}, {"offers", a.offers},
                                   {"proximity", a.proximity}, {"roles", a.roles}});
                p.out() << nlohmann::json{{"territory", f->territory}, {"sector", f->sector},
                                          {"count", rows.size()}, {"actors", arr}}.dump()
                        << '\n';
                return 0;
            }
            for (const auto& a : rows) {
                std::string roles;
                for (const auto& x : a.roles) roles += (roles.empty() ? "" : ", ") + x;
                p.out() << fmt::format("{}  [{}]  {} {}, {} {}, {} {}{}{}\n", a.name, a.source,
                                       a.agreements, p.pick("convenio(s)", "agreement(s)"), a.projects,
                                       p.pick("proyecto(s)", "project(s)"), a.offers, p.pick("oferta(s)", "offer(s)"),
                                       a.proximity >= 0 ? "; " + proximity_text(p, a.proximity) : "",
                                       roles.empty() ? "" : "; " + roles);
            }
            p.out() << fmt::format("{} {}\n", rows.size(), p.pick("actor(es)", "actor(s)"));
            return 0;
        };
    });
}

}  // namespace minga::client
