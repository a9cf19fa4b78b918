// Randomized, seeded: devices edit offline and reach the server online or by bundle, in any
// order; bundles and answers are carried late, applied twice, lost, truncated or tampered
// with. In the end every replica converges (digests), every field holds the last-writer-wins
// oracle's value, no row is lost or duplicated, and every bad file was refused with a reason.
// MINGA_BUNDLE_SEEDS sets the number of seeds (CI: 6; the `slow` label runs 200).
#include "lww_oracle.hpp"
#include "sync_fixture.hpp"

#include <minga/shared/bundle.hpp>

#include <cstdlib>
#include <random>

using namespace minga;
using minga::testing::oracle;
using minga::testing::random_edit;
using minga::testing::sync_world;

namespace {

using bytes = std::vector<std::uint8_t>;

struct parcel {
    std::size_t device;
    bytes file;
};

struct tally {
    std::size_t imported = 0, answers = 0, refused = 0, lost = 0, repeated = 0, skipped = 0;
};

/// A damaged copy: cut short, or one byte changed.
bytes damage(std::mt19937& rng, bytes b) {
    if (rng() % 2 == 0) {
        b.resize(rng() % b.size());
    } else {
        b[rng() % b.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    }
    return b;
}

void expect_refused(const error& e) {
    INFO(e.en);
    CHECK_FALSE(e.es.empty());
    CHECK_FALSE(e.en.empty());
    CHECK(e.field == "FILE");
}

void deliver_bundle(sync_world& w, std::mt19937& rng, const parcel& p, std::vector<parcel>& answers,
                    tally& t) {
    const auto roll = rng() % 10;
    if (roll == 0) {
        ++t.lost;
        return;
    }
    if (roll == 1) {
        auto bad = w.server->import_bundle(damage(rng, p.file), bundle_tuning::max_answer_rows);
        REQUIRE_FALSE(bad.ok());
        expect_refused(bad.err());
        ++t.refused;
        return;  // the original is lost too: a later bundle or sync carries its changes
    }
    const int times = roll == 2 ? 2 : 1;
    for (int i = 0; i < times; ++i) {
        auto out = w.server->import_bundle(p.file, bundle_tuning::max_answer_rows);
        if (!out) FAIL(out.err().text("en"));
        ++t.imported;
        if (out->repeated) ++t.repeated;
        answers.push_back({p.device, std::move(out->answer)});
    }
}

void deliver_answer(replica& r, std::mt19937& rng, const parcel& p, tally& t) {
    const auto roll = rng() % 10;
    if (roll == 0) {
        ++t.lost;
        return;
    }
    if (roll == 1) {
        auto bad = apply_answer(r, damage(rng, p.file));
        REQUIRE_FALSE(bad.ok());
        expect_refused(bad.err());
        ++t.refused;
        return;
    }
    const int times = roll == 2 ? 2 : 1;
    for (int i = 0; i < times; ++i) {
        auto a = apply_answer(r, p.file);
        if (!a) FAIL(a.err().text("en"));
        ++t.answers;
        if (a->rows_skipped) ++t.skipped;
    }
}

/// Delivers a random part of `queue` in random order; the rest stays for later (carried late).
template <class Fn>
void deliver_some(std::mt19937& rng, std::vector<parcel>& queue, Fn&& fn, bool all) {
    std::shuffle(queue.begin(), queue.end(), rng);
    std::vector<parcel> keep;
    for (auto& p : queue) {
        if (!all && rng() % 3 == 0) keep.push_back(std::move(p));
        else fn(p);
    }
    queue = std::move(keep);
}

void run_seed(unsigned seed, tally& t) {
    INFO("seed " << seed);
    sync_world w;
    std::mt19937 rng(seed);
    std::vector<std::string> gads = {"170151", "170151", "170152"};
    std::vector<replica*> devs;
    for (const auto& g : gads) devs.push_back(&w.add_device(g));
    oracle o;
    std::vector<parcel> stick, answers;
    for (int round = 0; round < 10; ++round) {
        for (std::size_t d = 0; d < devs.size(); ++d) {
            entity_service svc(*devs[d]);
            const int edits = static_cast<int>(rng() % 4);
            for (int i = 0; i < edits; ++i) random_edit(rng, *devs[d], svc);
        }
        for (std::size_t d = 0; d < devs.size(); ++d) {
            const auto how = rng() % 4;
            o.capture(*devs[d], static_cast<std::int64_t>(d + 1));
            if (how == 0) {
                w.sync_ok(*devs[d]);
            } else if (how == 1) {
                bundle_export_report rep;
                auto b = export_bundle(*devs[d], rep);
                if (!b) FAIL(b.err().text("en"));
                stick.push_back({d, std::move(*b)});
            }
        }
        deliver_some(rng, stick, [&](const parcel& p) { deliver_bundle(w, rng, p, answers, t); }, false);
        deliver_some(rng, answers, [&](const parcel& p) { deliver_answer(*devs[p.device], rng, p, t); }, false);
    }
    deliver_some(rng, stick, [&](const parcel& p) { deliver_bundle(w, rng, p, answers, t); }, true);
    deliver_some(rng, answers, [&](const parcel& p) { deliver_answer(*devs[p.device], rng, p, t); }, true);
    // Then everyone online.
    settle_and_check(w, o, devs, gads);
}

}  // namespace

TEST_CASE("bundle: randomized online syncs and bundles carried late or twice or lost or damaged converge") {
    unsigned seeds = 6;
    if (const char* n = std::getenv("MINGA_BUNDLE_SEEDS")) seeds = static_cast<unsigned>(std::stoul(n));
    tally t;
    for (unsigned seed = 1; seed <= seeds; ++seed) run_seed(seed, t);
    // The run exercised every path it claims to.
    CHECK(t.imported > 0);
    CHECK(t.answers > 0);
    CHECK(t.refused > 0);
    CHECK(t.lost > 0);
    CHECK(t.repeated > 0);
    CHECK(t.skipped > 0);
}
