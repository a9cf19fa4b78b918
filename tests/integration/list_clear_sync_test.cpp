// Lists emptied on one device reach the server and the other devices as empty lists: a
// project's SDGs, parishes and budget unticked in the parish desk, and its sectors emptied
// with the CLI (`--sector ""`), each synced through a real minga-server to the other tablet.
#include "../client/desk_fixture.hpp"
#include "server_fixture.hpp"

#include <catch2/catch.hpp>

using namespace minga::test;

namespace {

constexpr const char* gad = "170151";

nlohmann::json sync_ok(const minga_client& c) { return ok_json(c, {"sync"}); }

}  // namespace

TEST_CASE("lists: a list emptied in the desk or the CLI syncs to the other device as empty",
          "[integration][lists]") {
    minga_server server;
    server.start();
    minga_client desk_tablet, other;
    desk_tablet.init(gad);
    other.init(gad);
    ok_json(desk_tablet, server.enroll_args(server.token(gad)));
    ok_json(other, server.enroll_args(server.token(gad)));

    const auto id = desk_tablet.add({"project", "add", "--title", "Agua para Nono", "--modality",
                                     "fin_no_reembolsable", "--currency", "USD", "--sdg", "6", "--sdg", "13",
                                     "--location", "170151", "--sector", "14030", "--budget",
                                     "2025-01-01:2025-12-31:15000"});
    sync_ok(desk_tablet);
    sync_ok(other);
    auto before = ok_json(other, {"project", "show", id});
    REQUIRE(before.at("project_sdg").size() == 2);
    REQUIRE(before.at("project_location").size() == 1);
    REQUIRE(before.at("project_budget").size() == 1);

    {
        // The desk's edit form posted back with nothing ticked and the budget rows blank.
        auto r = minga::replica::open(desk_tablet.data_dir());
        REQUIRE(r);
        const auto body = edit_body(*r, "project", id, {"sdg", "location", "budget"});
        CHECK(body.find("sector=14030") != std::string::npos);
        desk_driver desk(desk_tablet.data_dir());
        auto res = desk.post("/proyectos/" + id, body);
        INFO(res.body());
        REQUIRE(res.result() == dk::http::status::see_other);
    }
    CHECK(sync_ok(desk_tablet).at("pushed").get<int>() == 4);  // two SDGs, a parish, a budget row
    sync_ok(other);
    auto emptied = ok_json(other, {"project", "show", id});
    CHECK(emptied.at("project_sdg").empty());
    CHECK(emptied.at("project_location").empty());
    CHECK(emptied.at("project_budget").empty());
    CHECK(emptied.at("project_sector").size() == 1);
    CHECK(emptied.at("title") == "Agua para Nono");

    // The other way round, with the CLI.
    ok_json(other, {"project", "update", id, "--sector", ""});
    sync_ok(other);
    sync_ok(desk_tablet);
    CHECK(ok_json(desk_tablet, {"project", "show", id}).at("project_sector").empty());
    CHECK(client_digest(desk_tablet) == server.digest(gad));
    CHECK(client_digest(other) == server.digest(gad));
}
