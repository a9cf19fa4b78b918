#pragma once
// A real minga-server with synced data from two parish devices (recorded through the real
// `minga` CLI, hostile text included), consolidated, and a central user; plus a small HTTP
// helper for the dashboard's pages and API.
#include "../server/server_fixture.hpp"
#include "server_fixture.hpp"

#include <minga/shared/sqlite.hpp>

#include <catch2/catch.hpp>

#include <string>

namespace minga::test {

struct dashboard_world {
    minga_server server;
    minga_client a, b;
    std::string url, secret, credential_a;
    std::uint16_t port = 0;

    dashboard_world() {
        url = server.start();
        port = static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
        a.init("170151");
        b.init("010152");
        // The indicator library, so a parish can record a library indicator (only those are
        // totalled across projects by `report indicators` and the dashboard).
        auto lib = server.run({"catalog", "import", "indicators",
                               std::string(MINGA_SOURCE_DIR) + "/data/samples/indicators.csv"});
        if (!lib.exited(0)) throw std::runtime_error(lib.describe());
        for (auto* c : {&a, &b}) {
            const std::string gad = c == &a ? "170151" : "010152";
            auto e = c->run_json({"enroll", "--server", url, "--token", server.token(gad)});
            if (!e.exited(0)) throw std::runtime_error(e.describe());
            auto s = c->run_json({"sync"});
            if (!s.exited(0)) throw std::runtime_error(s.describe());
        }
        const auto p1 = a.add({"project", "add", "--title", "Agua & saneamiento <\"El Tingo\"> 'Ñandú'", "--modality",
                               "fin_no_reembolsable", "--source", "bilateral", "--sdg", "6", "--sdg", "13",
                               "--location", "170151", "--location", "170152", "--budget",
                               "2025-01-01:2025-12-31:48000.00", "--planned-start", "2025-01-15",
                               "--beneficiaries", "1200"});
        const auto ind = a.add({"indicator", "add", "--project", p1, "--title", "Hectáreas restauradas", "--unit",
                                "ha", "--baseline", "0", "--target", "40", "--library-code", "IND-HA-REST"});
        a.add({"observe", "--indicator", ind, "--value", "10", "--date", "2025-03-01"});
        a.add({"observe", "--indicator", ind, "--value", "6", "--date", "2025-09-01"});
        b.add({"project", "add", "--title", "Riego tecnificado Cumbe", "--modality", "tecnica_asesoria", "--source",
               "multilateral", "--sdg", "2", "--budget", "2024-01-01:2024-12-31:12500.50", "--planned-start",
               "2024-02-01", "--beneficiaries", "300"});
        // A demand of the parish, for the dashboard's demand plan (Pichincha, 2026).
        a.add({"demand", "add", "--title", "Reforestación de microcuencas", "--year", "2026", "--modality",
               "tecnica_asesoria", "--sdg", "15", "--sector", "31220", "--amount", "25000", "--priority", "alta"});
        for (auto* c : {&a, &b}) {
            auto s = c->run_json({"sync"});
            if (!s.exited(0)) throw std::runtime_error(s.describe());
        }
        auto cons = server.run({"consolidate"});
        if (!cons.exited(0)) throw std::runtime_error(cons.describe());
        secret = server.run_json({"user", "add", "Ana Pérez"}).at("secret").get<std::string>();
        sql::db d(a.db_file().string());
        auto s = d.prepare("SELECT value FROM replica_meta WHERE key = 'credential'");
        if (!s.step()) throw std::runtime_error("device a has no credential");
        credential_a = s.get_text(0);
    }

    struct reply {
        unsigned status = 0;
        std::string body, location, set_cookie;
    };

    /// One request on a new connection; `cookie` and `bearer` are sent when not empty.
    reply request(http::verb verb, const std::string& target, const std::string& cookie = {},
                  const std::string& bearer = {}, const std::string& body = {},
                  const std::string& content_type = "application/x-www-form-urlencoded") const {
        raw_client c(port);
        http::request<http::vector_body<std::uint8_t>> req{verb, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!cookie.empty()) req.set(http::field::cookie, "minga_sesion=" + cookie);
        if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
        if (!body.empty()) {
            req.set(http::field::content_type, content_type);
            req.body().assign(body.begin(), body.end());
        }
        response res;
        auto ec = c.send(req, res);
        if (ec) throw std::runtime_error("dashboard request failed: " + ec.message());
        reply r;
        r.status = res.result_int();
        r.body.assign(res.body().begin(), res.body().end());
        r.location = std::string(res[http::field::location]);
        r.set_cookie = std::string(res[http::field::set_cookie]);
        return r;
    }

    /// Signs in through the API and returns the session token from the cookie.
    std::string sign_in() const {
        auto r = request(http::verb::post, "/api/v1/session", {}, {}, nlohmann::json{{"secret", secret}}.dump(),
                         "application/json");
        if (r.status != 200) throw std::runtime_error("sign-in failed: " + r.body);
        const auto start = r.set_cookie.find('=') + 1;
        return r.set_cookie.substr(start, r.set_cookie.find(';') - start);
    }

    /// `minga-server report --by BY --format json`.
    [[nodiscard]] nlohmann::json report(const std::string& by) const {
        auto r = server.run({"report", "--by", by, "--format", "json"});
        if (!r.exited(0)) throw std::runtime_error(r.describe());
        return nlohmann::json::parse(r.out);
    }
};

}  // namespace minga::test
