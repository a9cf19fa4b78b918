// Randomized offline edits on several replicas, synced in random orders, then convergence:
// every replica's digest equals the server's for its scope, and every field holds the value an
// independent oracle of last-writer-wins on (hlc, device) predicts. No row lost or duplicated.
#include "lww_oracle.hpp"
#include "sync_fixture.hpp"

#include <minga/shared/conflicts.hpp>
#include <minga/shared/tables.hpp>

#include <map>
#include <random>

using namespace minga;
using minga::testing::sync_world;
using minga::testing::oracle;
using minga::testing::random_edit;

namespace {

void run_seed(unsigned seed) {
    INFO("seed " << seed);
    sync_world w;
    std::mt19937 rng(seed);
    std::vector<std::string> gads = {"170151", "170151", "170152"};
    std::vector<replica*> devs;
    for (const auto& g : gads) devs.push_back(&w.add_device(g));
    oracle o;
    for (int round = 0; round < 12; ++round) {
        for (std::size_t d = 0; d < devs.size(); ++d) {
            entity_service svc(*devs[d]);
            int edits = static_cast<int>(rng() % 4);
            for (int i = 0; i < edits; ++i) random_edit(rng, *devs[d], svc);
        }
        // A random subset syncs, in random order; the oracle sees every queued change first.
        std::vector<std::size_t> order = {0, 1, 2};
        std::shuffle(order.begin(), order.end(), rng);
        for (auto d : order) {
            if (rng() % 3 == 0) continue;
            o.capture(*devs[d], static_cast<std::int64_t>(d + 1));
            w.sync_ok(*devs[d]);
        }
    }
    settle_and_check(w, o, devs, gads);
}

}  // namespace

TEST_CASE("sync: randomized offline edits converge to the last-writer-wins oracle") {
    for (unsigned seed = 1; seed <= 20; ++seed) run_seed(seed);
}

TEST_CASE("sync: a retried push is applied once") {
    sync_world w;
    auto& a = w.add_device("170151");
    entity_service sa(a);
    REQUIRE(sa.add(*find_entity("agreement"), {{"title", "T"}, {"kind", "convenio_marco"}, {"status", "vigente"}}).ok());
    // Capture the push request, deliver it twice: the answer of the first is "lost".
    std::vector<std::vector<std::uint8_t>> pushes;
    transport_fn t = [&](std::span<const std::uint8_t> req, std::string_view bearer) -> result<std::vector<std::uint8_t>> {
        auto resp = w.server->handle(req, bearer);
        if (pushes.empty() && req.size() > 100) {
            pushes.emplace_back(req.begin(), req.end());
            return make_error(errc::unavailable, "", "enlace caído", "link down");
        }
        return resp;
    };
    sync_options no_retry;  // this sync gives up; the next one resumes
    no_retry.retry.max_retries = 0;
    auto first = minga::sync(a, t, no_retry);
    REQUIRE_FALSE(first.ok());
    CHECK(is_transient(first.err().code));
    CHECK(a.changes().pending_count() == 1);
    auto second = minga::sync(a, t);
    REQUIRE(second.ok());
    CHECK(second->pushed == 1);
    CHECK(a.changes().pending_count() == 0);
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM agreement") == 1);
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
}
