// The syncer's pacing policy alone: request sizes that follow the link, and a backoff that is
// capped, jittered, bounded and reproducible.
#include <minga/shared/sync_pacing.hpp>

#include <catch2/catch.hpp>

#include <numeric>
#include <set>
#include <vector>

using namespace minga;

TEST_CASE("pacing: a request grows at most max_growth-fold per answer, up to its cap") {
    static_assert(sync_tuning::max_growth == 8, "update the sizes below");
    request_sizer s(50, 1, 5000);
    CHECK(s.size() == 50);
    std::vector<std::uint32_t> seen;
    for (int i = 0; i < 5; ++i) {
        s.on_answer(s.size(), 0, 3000);  // answered at once: the link looks infinitely fast
        seen.push_back(s.size());
    }
    CHECK(seen == std::vector<std::uint32_t>{400, 3200, 5000, 5000, 5000});
}

TEST_CASE("pacing: a slow answer shrinks the next request to the target time") {
    request_sizer s(400, 1, 5000);
    s.on_answer(400, 12'000, 3000);  // 400 changes took 12 s: 100 fit in 3 s
    CHECK(s.size() == 100);
    s.on_answer(100, 3000, 3000);  // on target: stays
    CHECK(s.size() == 100);
    s.on_answer(100, 1000, 3000);  // three times faster: grows to the target time
    CHECK(s.size() == 300);
    s.on_answer(300, 10, 3000);  // 300 times faster: grows, but only max_growth-fold
    CHECK(s.size() == 300 * sync_tuning::max_growth);
}

TEST_CASE("pacing: a failure halves the request, never under the floor") {
    request_sizer s(64, 10, 1000);
    s.on_failure();
    CHECK(s.size() == 32);
    s.on_failure();
    s.on_failure();
    CHECK(s.size() == 10);
    s.on_failure();
    CHECK(s.size() == 10);
    CHECK(s.floor() == 10);
}

TEST_CASE("pacing: the caps of the options bound the first request and every later one") {
    request_sizer small(50, 1, 3);
    CHECK(small.size() == 3);
    small.on_answer(3, 0, 3000);
    CHECK(small.size() == 3);
    auto fixed = request_sizer::fixed(700);
    fixed.on_answer(700, 100'000, 3000);  // pacing off: a slow answer changes nothing
    CHECK(fixed.ask(1) == 700);
    fixed.on_failure();
    CHECK(fixed.size() == 700);
}

TEST_CASE("pacing: near the deadline the request is cut to what fits in the time left") {
    request_sizer s(100, 1, 1000);
    CHECK(s.ask(500) == 100);  // nothing measured yet: no basis to cut
    s.on_answer(100, 1000, 3000);  // 0.1 change per ms
    REQUIRE(s.size() == 300);
    CHECK(s.ask(0) == 300);     // no deadline
    CHECK(s.ask(10'000) == 300);
    CHECK(s.ask(500) == 50);
    CHECK(s.ask(1) == 1);       // the floor
}

TEST_CASE("pacing: a short rest of the pull comes in the last page, not in a page of its own") {
    static_assert(sync_tuning::tail_merge == 0.5, "update the sizes below");
    // 100 rows of 1,000 bytes left; the sizer asks for 80,000: all of it, with a quarter more.
    CHECK(page_bytes_with_tail(80'000, 100, 1000.0, 2'000'000) == 125'000);
    // Exactly half a page more than asked: still one page.
    CHECK(page_bytes_with_tail(80'000, 120, 1000.0, 2'000'000) == 150'000);
    // More than that: the sizer's page; the next one takes the rest.
    CHECK(page_bytes_with_tail(80'000, 121, 1000.0, 2'000'000) == 80'000);
    // The rest is smaller than the page asked for: the ask stands (the bound is soft anyway).
    CHECK(page_bytes_with_tail(80'000, 10, 1000.0, 2'000'000) == 80'000);
    // Never over the cap, never under the ask.
    CHECK(page_bytes_with_tail(80'000, 100, 1000.0, 100'000) == 100'000);
    CHECK(page_bytes_with_tail(100'000, 100, 1000.0, 100'000) == 100'000);
    // Nothing known yet (first page, nothing remains, no rows measured): the ask.
    CHECK(page_bytes_with_tail(32'768, 0, 1000.0, 2'000'000) == 32'768);
    CHECK(page_bytes_with_tail(32'768, 100, 0.0, 2'000'000) == 32'768);
}

TEST_CASE("backoff: the ceilings double from the base and stop at the cap") {
    retry_policy p;  // the defaults documented in docs/resilience.md
    std::vector<std::int64_t> c;
    for (std::uint32_t a = 0; a < 8; ++a) c.push_back(backoff_ceiling(p, a));
    CHECK(c == std::vector<std::int64_t>{500, 1000, 2000, 4000, 8000, 15000, 15000, 15000});
    CHECK(backoff_ceiling(p, 4'000'000'000u) == 15000);  // no overflow on absurd attempts
    CHECK(backoff_ceiling({0, 100, 5}, 3) == 0);
}

TEST_CASE("backoff: waits are jittered within their ceiling, bounded in total and reproducible") {
    retry_policy p;
    std::int64_t bound = 0;
    for (std::uint32_t a = 0; a < p.max_retries; ++a) bound += backoff_ceiling(p, a);
    CHECK(bound == 30'500);  // the most a dead link can cost before `sync` gives up
    std::set<std::int64_t> distinct;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        backoff b(p, seed), again(p, seed);
        std::int64_t total = 0;
        for (std::uint32_t a = 0; a < p.max_retries; ++a) {
            const auto d = b.delay_ms(a);
            CHECK(d >= 0);
            CHECK(d <= backoff_ceiling(p, a));
            CHECK(again.delay_ms(a) == d);
            total += d;
            if (a == 3) distinct.insert(d);
        }
        CHECK(total <= bound);
    }
    // Full jitter: fifty devices cut by one outage do not come back together.
    CHECK(distinct.size() > 40);
}
