// `minga demand match --limit` at its named bound (demand_tuning::max_match_limit), on a
// catalogue with one candidate more than the bound, with the real binary.
#include "cli_fixture.hpp"
#include "offer_catalog.hpp"

#include <minga/shared/demand_tuning.hpp>

using namespace minga;
using namespace minga::test;

TEST_CASE("demand match: --limit takes up to the bound and refuses one more, naming --limit", "[cli][demand]") {
    constexpr auto max = demand_tuning::max_match_limit;
    minga_client c;
    c.init(test_gad);
    const auto orgs = std::string(MINGA_SOURCE_DIR) + "/data/samples/organisations.csv";
    ok_json(c, {"catalog", "import", "organisations", orgs});
    const auto offers = c.write_file("ofertas.csv", offers_csv(same_theme_offers(max + 1, "6", "OF-AGUA")));
    ok_json(c, {"catalog", "import", "offers", offers.string()});
    const auto demand = c.add({"demand", "add", "--title", "Agua", "--year", "2026", "--modality", "mixta", "--sdg", "6"});

    CHECK(ok_json(c, {"demand", "match", demand}).at("count") == demand_tuning::default_match_limit);
    auto at_max = ok_json(c, {"demand", "match", demand, "--limit", std::to_string(max)});
    CHECK(at_max.at("count") == max);
    CHECK(at_max.at("matches").size() == max);

    const auto before = c.dump();
    auto over = c.run({"demand", "match", demand, "--limit", std::to_string(max + 1)});
    INFO(over.describe());
    CHECK(over.exited(2));
    CHECK(over.err.find("--limit") != std::string::npos);
    CHECK(over.err.find("use un número entre 1 y " + std::to_string(max)) != std::string::npos);
    auto over_en = c.run({"--lang", "en", "demand", "match", demand, "--limit", std::to_string(max + 1)});
    CHECK(over_en.exited(2));
    CHECK(over_en.err.find("use a number from 1 to " + std::to_string(max)) != std::string::npos);
    auto zero = c.run({"demand", "match", demand, "--limit", "0"});
    CHECK(zero.exited(2));
    CHECK(zero.err.find("--limit") != std::string::npos);
    CHECK(c.dump() == before);
}
