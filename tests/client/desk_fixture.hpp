#pragma once
// A parish desk over a real replica (GAD 170151) with the sample organisations and offers,
// driven in process: requests are built like a browser's and handed to desk_app::handle.
#include "desk_app.hpp"
#include "replica_fixture.hpp"

#include <minga/shared/catalog_import.hpp>
#include <minga/shared/entity_service.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace minga::test {

namespace dk = minga::client::desk;

/// A desk over the replica in `data_dir` (which must exist), driven in process: requests are
/// built like the browser's and handed to desk_app::handle.
class desk_driver {
public:
    static constexpr std::uint16_t port = 48123;  // never bound: requests go straight to handle()

    explicit desk_driver(const fs::path& data_dir) : sync_(data_dir), app_(data_dir, dk::desk_secrets::make(port), sync_) {}

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

private:
    dk::desk_sync sync_;
    dk::desk_app app_;
};

/// The replica of a desk_world, in a base of its own so it exists before the desk opens it.
struct desk_store {
    temp_replica store_;
};

/// A desk over a fresh replica (GAD 170151) with the sample organisations and offers.
class desk_world : private desk_store, public desk_driver {
public:
    desk_world() : desk_driver(store_.dir()) {
        import("organisations.csv", catalog_kind::organisations);
        import("ngos.csv", catalog_kind::ngos);
        import("offers.csv", catalog_kind::offers);
    }

    [[nodiscard]] replica& r() { return store_.get(); }

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
};

/// The body an edit page of record `id` posts back: every stored value as the form shows it
/// (budget rows as their three inputs), except the options in `emptied`, left blank as a person
/// who unticks or clears them would leave them.
[[nodiscard]] inline std::string edit_body(replica& r, std::string_view kind, const std::string& id,
                                           const std::set<std::string>& emptied) {
    entity_service svc(r);
    const auto& e = *find_entity(kind);
    auto rec = svc.get(e, id);
    if (!rec) throw std::runtime_error("edit_body: " + rec.err().text("en"));
    std::string body;
    for (const auto& [opt, v] : svc.form_of(e, *rec)) {
        if (emptied.count(opt)) continue;
        if (opt == "budget") {
            const auto a = v.find(':'), b = v.find(':', a + 1);
            body += "&budget-start=" + dk::url_encode(v.substr(0, a)) + "&budget-end=" +
                    dk::url_encode(v.substr(a + 1, b - a - 1)) + "&budget-amount=" + dk::url_encode(v.substr(b + 1));
            continue;
        }
        body += "&" + opt + "=" + dk::url_encode(v);
    }
    if (emptied.count("budget")) body += "&budget-start=&budget-end=&budget-amount=";
    return body.empty() ? body : body.substr(1);
}

/// The id in a 303 Location "/proyectos/ID?hecho=creado".
[[nodiscard]] inline std::string created_id(const dk::response& res) {
    const std::string loc(res[dk::http::field::location]);
    const auto q = loc.find('?');
    const auto slash = loc.rfind('/', q);
    return loc.substr(slash + 1, q - slash - 1);
}

}  // namespace minga::test
