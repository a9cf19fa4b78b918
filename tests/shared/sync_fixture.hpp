#pragma once
// In-process sync fixture: a central store and replicas in temporary folders, exchanging
// protocol frames through a plain function call (no socket).
#include <minga/shared/central.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace minga::testing {

inline std::filesystem::path make_temp_dir(const std::string& tag) {
    std::string tmpl = "/tmp/minga-" + tag + "-XXXXXX";
    char* p = mkdtemp(tmpl.data());
    REQUIRE(p != nullptr);
    return p;
}

struct sync_world {
    std::filesystem::path root = make_temp_dir("sync");
    std::filesystem::path data = std::filesystem::path(MINGA_SOURCE_DIR) / "data";
    std::unique_ptr<central> server;
    std::vector<std::unique_ptr<replica>> devices;
    std::uint64_t bytes_up = 0, bytes_down = 0;

    sync_world() {
        auto c = central::create(root / "central", data);
        REQUIRE(c.ok());
        server = std::make_unique<central>(std::move(*c));
    }
    ~sync_world() {
        devices.clear();
        server.reset();
        std::error_code ec;
        std::filesystem::remove_all(root, ec);
    }

    transport_fn transport() {
        return [this](std::span<const std::uint8_t> req, std::string_view bearer)
                   -> result<std::vector<std::uint8_t>> {
            bytes_up += req.size();
            auto resp = server->handle(req, bearer);
            bytes_down += resp.size();
            return resp;
        };
    }

    /// A new replica for `gad`, enrolled with the server.
    replica& add_device(const std::string& gad) {
        auto dir = root / ("dev" + std::to_string(devices.size()));
        auto r = replica::create(dir, gad, data);
        REQUIRE(r.ok());
        devices.push_back(std::make_unique<replica>(std::move(*r)));
        auto tok = server->enroll_device(gad, "test", 3600 * 1000);
        REQUIRE(tok.ok());
        auto e = enroll(*devices.back(), transport(), "inproc://", tok->token, "tablet");
        REQUIRE(e.ok());
        return *devices.back();
    }

    sync_report sync_ok(replica& r) {
        auto rep = minga::sync(r, transport());
        if (!rep) FAIL(rep.err().text("en"));
        return *rep;
    }

    std::string server_digest(const std::string& gad) {
        auto d = server->digest({gad});
        REQUIRE(d.ok());
        return *d;
    }
};

}  // namespace minga::testing
