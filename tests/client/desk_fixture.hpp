#pragma once
// A parish desk over a real replica (GAD 170151) with the sample organisations and offers,
// driven in process: requests are built like a browser's and handed to desk_app::handle.
#include "desk_app.hpp"
#include "replica_fixture.hpp"

#include <minga/shared/catalog_import.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

namespace minga::test {

namespace dk = minga::client::desk;

class desk_world {
public:
    static constexpr std::uint16_t port = 48123;  // never bound: requests go straight to handle()

    desk_world() : sync_(store_.dir()), app_(store_.dir(), dk::desk_secrets::make(port), sync_) {
        import("organisations.csv", catalog_kind::organisations);
        import("ngos.csv", catalog_kind::ngos);
        import("offers.csv", catalog_kind::offers);
    }

    [[nodiscard]] replica& r() { return store_.get(); }
    [[nodiscard]] const dk::desk_secrets& secrets() const { return app_.secrets(); }
    [[nodiscard]] dk::desk_sync& sync() { return sync_; }

    /// A request as the desk's own page sends it: Host and Origin of the desk, session cookie.
    [[nodiscard]] dk::request make(dk::http::verb v, const std::string& target, const std::string& body = "") const {
        dk::request req{v, target, 11};
        req.set(dk::http::field::host, "127.0.0.1:" + std::to_string(port));
        req.set(dk::http::field::cookie, std::string(dk::session_cookie) + "=" + secrets().session);
        if (v == dk::http::verb::post) {
            req.set(dk::http::field::origin, "http://127.0.0.1:" + std::to_string(port));
            req.set(dk::http::field::content_type, "application/x-www-form-urlencoded");
        }
        req.body() = body;
        req.prepare_payload();
        return req;
    }
    dk::response get(const std::string& target) { return app_.handle(make(dk::http::verb::get, target)); }
    /// POST with the form token added.
    dk::response post(const std::string& target, const std::string& body) {
        return app_.handle(make(dk::http::verb::post, target,
                                std::string(dk::token_field) + "=" + secrets().form_token + "&" + body));
    }
    dk::response handle(const dk::request& req) { return app_.handle(req); }

    [[nodiscard]] std::int64_t pending() {
        store_.reopen();
        return r().changes().pending_count();
    }
    [[nodiscard]] std::int64_t count(const std::string& table) {
        store_.reopen();
        auto s = r().conn().prepare("SELECT count(*) FROM " + table + " WHERE deleted = 0");
        s.step();
        return s.get_int(0);
    }

private:
    void import(const std::string& file, catalog_kind kind) {
        std::ifstream in(fs::path(MINGA_SOURCE_DIR) / "data" / "samples" / file, std::ios::binary);
        sql::transaction tx(r().conn());
        auto s = import_catalog(tx, kind, in, 0);
        if (!s) throw std::runtime_error("import failed: " + s.err().text("en"));
        r().commit(tx);
    }

    temp_replica store_;
    dk::desk_sync sync_;
    dk::desk_app app_;
};

/// The id in a 303 Location "/proyectos/ID?hecho=creado".
[[nodiscard]] inline std::string created_id(const dk::response& res) {
    const std::string loc(res[dk::http::field::location]);
    const auto q = loc.find('?');
    const auto slash = loc.rfind('/', q);
    return loc.substr(slash + 1, q - slash - 1);
}

}  // namespace minga::test
