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

    explicit sync_world(const central_options& opts = {}) {
        {
            auto c = central::create(root / "central", data);
            REQUIRE(c.ok());
        }  // closed here, reopened below with the options
        auto o = central::open(root / "central", opts);
        REQUIRE(o.ok());
        server = std::make_unique<central>(std::move(*o));
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

namespace minga::testing {

/// A wall clock the test moves by hand.
struct manual_clock {
    std::int64_t now_ms = 1'780'000'000'000;  // 2026
    hlc_clock::wall_fn fn(std::int64_t skew_ms = 0) {
        return [this, skew_ms] { return now_ms + skew_ms; };
    }
};

/// Gives a replica a wall clock that is `skew_ms` wrong, keeping what the clock knew.
inline void set_wall(replica& r, manual_clock& mc, std::int64_t skew_ms) {
    hlc_clock fresh(mc.fn(skew_ms));
    fresh.set_offset_ms(r.clock().offset_ms());
    fresh.observe(r.clock().last());
    r.clock() = std::move(fresh);
}

}  // namespace minga::testing
