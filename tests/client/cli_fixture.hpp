#pragma once
// Shared setup for the client CLI tests: a replica made by the real binary, with the rows most
// commands need (an agreement, a project under it and an indicator of that project).

#include "minga_cli.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace minga::test {

/// A rural parish GAD of the shipped INEC data (Alangasí, canton Quito). 170150 is the
/// cantonal seat: a territory, not a GAD, so `init --gad 170150` is refused.
inline constexpr const char* test_gad = "170151";
/// A parish code that the INEC data does not have.
inline constexpr const char* unknown_parish = "999999";

/// Runs `args` with --json and REQUIREs exit 0; returns the parsed document.
inline nlohmann::json ok_json(const minga_client& c, const std::vector<std::string>& args) {
    auto r = c.run_json(args);
    INFO(r.describe());
    REQUIRE(r.exited(0));
    return json_of(r);
}

/// The number of changes `status` reports as waiting to be sent.
inline std::int64_t pending_changes(const minga_client& c) {
    return ok_json(c, {"status"}).at("pending_changes").get<std::int64_t>();
}

/// A replica with one agreement, one project under it and one indicator of that project.
struct seeded_replica {
    minga_client c;
    std::string device_id;
    std::string agreement;
    std::string project;
    std::string indicator;

    seeded_replica() {
        device_id = c.init(test_gad);
        agreement = c.add({"agreement", "add", "--title", "Convenio marco con la cooperación",
                           "--kind", "convenio_marco", "--status", "vigente"});
        project = c.add({"project", "add", "--title", "Reforestación de la microcuenca",
                         "--modality", "fin_no_reembolsable", "--agreement", agreement});
        indicator = c.add({"indicator", "add", "--project", project, "--title", "Hectáreas restauradas",
                           "--unit", "ha", "--baseline", "0", "--target", "100"});
    }
};

}  // namespace minga::test
