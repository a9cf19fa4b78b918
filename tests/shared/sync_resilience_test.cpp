// The syncer on a bad link, in process: lost requests, lost answers, retries with backoff,
// resumption from the last ack and the stored cursor, the deadline, and request sizes that
// follow the link. Time is made up (fake_time): nothing here really sleeps.
#include "sync_faults.hpp"

using namespace minga;
using minga::testing::add_agreements;
using minga::testing::fake_time;
using minga::testing::faulty_link;
using minga::testing::on_fake_time;
using minga::testing::sync_world;

namespace {

std::int64_t server_rows(sync_world& w) { return w.server->conn().scalar_int("SELECT count(*) FROM agreement"); }

/// Every change of `r` reached the server exactly once and `r` holds what the server holds.
void check_converged(sync_world& w, replica& r, std::int64_t rows) {
    CHECK(r.changes().pending_count() == 0);
    CHECK(server_rows(w) == rows);
    CHECK(w.server->conn().scalar_int("SELECT count(DISTINCT title) FROM agreement") == rows);
    CHECK(scope_digest(r.conn(), r.gads()) == w.server_digest("170151"));
}

}  // namespace

TEST_CASE("retry: a link that fails three times then works completes with three retries") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 120);
    fake_time t;
    faulty_link link{w, &t};
    link.lose_request = {2, 3};  // the first push, twice
    link.lose_answer = {5};      // the second push: applied, answer lost
    auto o = on_fake_time(t);
    auto rep = minga::sync(a, link.fn(), o);
    REQUIRE(rep.ok());
    CHECK(rep->retries == 3);
    CHECK(t.sleeps.size() == 3);
    for (std::size_t i = 0; i < t.sleeps.size(); ++i) {
        // The second push failed on its first try: its wait is the first of its own series.
        const std::uint32_t attempt = i < 2 ? static_cast<std::uint32_t>(i) : 0;
        CHECK(t.sleeps[i] <= backoff_ceiling(o.retry, attempt));
    }
    CHECK(rep->pushed == 120);
    check_converged(w, a, 120);
    // Only the batch whose answer was lost went twice, and the server applied it once.
    CHECK(link.resent() > 0);
    CHECK(link.resent() <= link.push_sizes.at(3));
}

TEST_CASE("retry: a dead link is given up after the policy's retries, with nothing lost") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 10);
    fake_time t;
    faulty_link link{w, &t};
    for (int i = 1; i <= 100; ++i) link.lose_request.insert(i);
    auto o = on_fake_time(t);
    auto rep = minga::sync(a, link.fn(), o);
    REQUIRE_FALSE(rep.ok());
    CHECK(rep.err().code == errc::unavailable);
    CHECK(link.requests == static_cast<int>(o.retry.max_retries) + 1);
    REQUIRE(t.sleeps.size() == o.retry.max_retries);
    std::int64_t total = 0;
    for (std::uint32_t i = 0; i < t.sleeps.size(); ++i) {
        CHECK(t.sleeps[i] <= backoff_ceiling(o.retry, i));
        total += t.sleeps[i];
    }
    CHECK(total <= 30'500);
    CHECK(a.changes().pending_count() == 10);
    CHECK(server_rows(w) == 0);
}

TEST_CASE("retry: errors that are not transient are not retried") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 3);
    REQUIRE(w.server->revoke_device(a.device_id()).ok());
    fake_time t;
    faulty_link link{w, &t};
    auto rep = minga::sync(a, link.fn(), on_fake_time(t));
    REQUIRE_FALSE(rep.ok());
    CHECK(rep.err().code == errc::unauthorized);
    CHECK(link.requests == 2);  // the hello, then the refused push, once
    CHECK(t.sleeps.empty());
    CHECK(a.changes().pending_count() == 3);
}

TEST_CASE("resume: a cut push resends at most one batch, and only what was not acknowledged") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 400);
    fake_time t;
    faulty_link link{w, &t};
    // Requests: 1 hello, then pushes. Cut the 4th push on its way; lose the 6th's answer.
    link.lose_request = {5};
    link.lose_answer = {8};
    sync_options o = on_fake_time(t);
    o.push_batch = 60;
    auto rep = minga::sync(a, link.fn(), o);
    REQUIRE(rep.ok());
    CHECK(rep->retries == 2);
    check_converged(w, a, 400);
    std::size_t biggest = 0;
    for (auto n : link.push_sizes) biggest = std::max(biggest, n);
    CHECK(biggest <= 60);
    CHECK(link.resent() > 0);
    CHECK(link.resent() <= biggest);
    // Seqs go forward, except the one batch sent again after its answer was lost.
    std::size_t backwards = 0;
    for (std::size_t i = 1; i < link.pushed_seqs.size(); ++i)
        if (link.pushed_seqs[i] <= link.pushed_seqs[i - 1]) ++backwards;
    CHECK(backwards == 1);
}

TEST_CASE("resume: a pull cut mid-way asks again from the stored cursor, never from zero") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 300);
    w.sync_ok(a);
    auto& b = w.add_device("170151");
    fake_time t;
    faulty_link link{w, &t};
    sync_options o = on_fake_time(t);
    o.page_bytes = 8 * 1024;  // several pages
    o.adaptive = false;
    // b has nothing to send and negotiated at enrolment: every request is a pull.
    link.lose_answer = {3};
    link.lose_request = {5};
    auto rep = minga::sync(b, link.fn(), o);
    REQUIRE(rep.ok());
    CHECK(rep->retries == 2);
    CHECK(rep->pulled >= 300);
    CHECK(b.conn().scalar_int("SELECT count(*) FROM agreement") == 300);
    CHECK(scope_digest(b.conn(), b.gads()) == w.server_digest("170151"));
    REQUIRE(link.pull_cursors.size() >= 5);
    CHECK(link.pull_cursors.front() == 0);
    for (std::size_t i = 1; i < link.pull_cursors.size(); ++i) {
        CHECK(link.pull_cursors[i] >= link.pull_cursors[i - 1]);
        CHECK(link.pull_cursors[i] > 0);  // after the first page, never from zero
    }
}

TEST_CASE("deadline: the sync stops between requests, consistent, and the next one resumes") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 500);
    fake_time t;
    faulty_link link{w, &t};
    link.rtt_ms = 600;
    link.bytes_per_ms = 4;  // 32 kbit/s
    sync_options o = on_fake_time(t);
    o.max_time_ms = 10'000;
    auto first = minga::sync(a, link.fn(), o);
    REQUIRE(first.ok());
    CHECK(first->stopped_by_deadline);
    CHECK(first->pushed > 0);
    CHECK(first->pushed < 500);
    CHECK(first->push_total == 500);
    CHECK(a.changes().pending_count() == static_cast<std::int64_t>(500 - first->pushed));
    CHECK(server_rows(w) == static_cast<std::int64_t>(first->pushed));
    CHECK_FALSE(a.meta("last_sync_ms").has_value());
    // The last request was sized to the time left: the sync ends close to its deadline.
    CHECK(t.now < 10'000 + 2 * sync_tuning::target_request_ms);

    sync_options rest = on_fake_time(t);
    auto second = minga::sync(a, link.fn(), rest);
    REQUIRE(second.ok());
    CHECK_FALSE(second->stopped_by_deadline);
    CHECK(second->pushed == 500 - first->pushed);
    CHECK(link.resent() == 0);
    check_converged(w, a, 500);
    CHECK(a.meta("last_sync_ms").has_value());
}

TEST_CASE("deadline: a wait that would pass the deadline stops the sync instead") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 5);
    fake_time t;
    faulty_link link{w, &t};
    for (int i = 1; i <= 100; ++i) link.lose_request.insert(i);
    sync_options o = on_fake_time(t);
    o.max_time_ms = 2'000;
    auto rep = minga::sync(a, link.fn(), o);
    REQUIRE(rep.ok());
    CHECK(rep->stopped_by_deadline);
    CHECK(t.now < 2'000);  // never slept past it
    CHECK(a.changes().pending_count() == 5);
}

TEST_CASE("pacing: on a slow link each request grows toward the target time and no further") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 2000);
    fake_time t;
    faulty_link link{w, &t};
    link.rtt_ms = 600;
    link.bytes_per_ms = 32;  // 256 kbit/s (2G)
    sync_options o = on_fake_time(t);
    auto rep = minga::sync(a, link.fn(), o);
    REQUIRE(rep.ok());
    check_converged(w, a, 2000);
    REQUIRE(link.push_sizes.size() >= 4);
    CHECK(link.push_sizes.front() == sync_tuning::first_push_batch);
    // Once measured (from the third push on, but the last), every push takes 1.5-6 s.
    const std::size_t pushes = link.push_sizes.size();
    for (std::size_t i = 3; i + 1 < pushes; ++i) {
        INFO("push " << i << " of " << link.push_sizes[i] << " changes took " << link.request_ms[i + 1] << " ms");
        CHECK(link.request_ms[i + 1] >= sync_tuning::target_request_ms / 2);
        CHECK(link.request_ms[i + 1] <= 2 * sync_tuning::target_request_ms);
    }
    // A fast link reaches the cap instead.
    auto& b = w.add_device("170151");
    add_agreements(b, 3000, "F");
    faulty_link fast{w};
    auto rb = minga::sync(b, fast.fn());
    REQUIRE(rb.ok());
    std::size_t biggest = 0;
    for (auto n : fast.push_sizes) biggest = std::max(biggest, n);
    CHECK(biggest == 1000);
}

namespace {

/// A world where device b has recorded 30 agreements (on the server) and device a 200 (not
/// sent yet), and a's sync options: pipelined through `link`, fixed batches of 60.
struct pull_behind_push {
    sync_world w;
    replica* a = nullptr;
    fake_time t;
    faulty_link link{w, &t};
    sync_options o;
    pull_behind_push() {
        a = &w.add_device("170151");
        auto& b = w.add_device("170151");
        add_agreements(b, 30, "B");
        w.sync_ok(b);
        add_agreements(*a, 200);
        link.rtt_ms = 100;  // time moves: an answer at steady time 0 would not count as one
        o = on_fake_time(t);
        o.adaptive = false;
        o.push_batch = 60;
        o.pipeline = link.pipeline();
    }
    result<sync_report> sync() { return minga::sync(*a, link.fn(), o); }
};

/// 1-based request number of the first request of `kind` in the link's log.
int request_number(const faulty_link& link, const std::string& kind) {
    int n = 0;
    for (const auto& e : link.log) {
        if (e != "answer") ++n;
        if (e == kind) return n;
    }
    return 0;
}

}  // namespace

TEST_CASE("pipeline: the first pull goes right behind the last push batch, not a round trip later") {
    pull_behind_push p;
    auto rep = p.sync();
    REQUIRE(rep.ok());
    check_converged(p.w, *p.a, 230);
    CHECK(rep->pulled == 30);
    CHECK(p.link.resent() == 0);
    // 1 hello, 4 batches (60, 60, 60, 20), 1 pull: the pull was sent before the last batch's
    // answer came back, and one page was all it took.
    CHECK(p.link.push_sizes == std::vector<std::size_t>{60, 60, 60, 20});
    REQUIRE(p.link.pull_cursors.size() == 1);
    std::size_t pushes = 0, answers = 0;
    for (const auto& e : p.link.log) {
        if (e == "pull") break;
        pushes += e == "push";
        answers += e == "answer";
    }
    CHECK(pushes == 4);
    CHECK(answers < pushes);  // a batch was still unanswered when the pull went
    CHECK(rep->requests == 6);
}

TEST_CASE("pipeline: a pull answer lost behind the push is asked again from the same cursor") {
    pull_behind_push dry;
    REQUIRE(dry.sync().ok());
    const int pull_n = request_number(dry.link, "pull");
    REQUIRE(pull_n == 6);

    pull_behind_push p;
    p.link.lose_answer = {pull_n};
    auto rep = p.sync();
    REQUIRE(rep.ok());
    check_converged(p.w, *p.a, 230);
    CHECK(rep->pulled == 30);
    CHECK(p.link.resent() == 0);
    REQUIRE(p.link.pull_cursors.size() == 2);
    CHECK(p.link.pull_cursors[0] == p.link.pull_cursors[1]);
}

TEST_CASE("pipeline: a cut of the last batch loses the pull behind it too; both are sent again once") {
    pull_behind_push p;
    p.link.lose_answer = {5};  // the last batch (20 changes): applied, its answer lost
    auto rep = p.sync();
    REQUIRE(rep.ok());
    check_converged(p.w, *p.a, 230);
    CHECK(rep->pulled == 30);
    CHECK(p.link.resent() == 20);  // that batch again, acknowledged without being applied twice
    REQUIRE(p.link.pull_cursors.size() == 2);  // the first one never reached the server
    CHECK(p.link.pull_cursors[0] == p.link.pull_cursors[1]);
    CHECK(p.t.sleeps == std::vector<std::int64_t>{0});  // the first try after a cut goes at once
}

TEST_CASE("resume: the first try after a cut goes at once; a second failure in a row waits the backoff") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 300);
    w.sync_ok(a);
    auto& b = w.add_device("170151");
    fake_time t;
    faulty_link link{w, &t};
    sync_options o = on_fake_time(t);
    o.page_bytes = 8 * 1024;  // several pages
    o.adaptive = false;
    // b has nothing to send and negotiated at enrolment: every request is a pull. The 3rd is
    // cut; the 5th is cut and so is its first retry (the 6th).
    link.lose_request = {3, 5, 6};
    auto rep = minga::sync(b, link.fn(), o);
    REQUIRE(rep.ok());
    CHECK(b.conn().scalar_int("SELECT count(*) FROM agreement") == 300);
    CHECK(scope_digest(b.conn(), b.gads()) == w.server_digest("170151"));
    REQUIRE(t.sleeps.size() == 3);
    CHECK(t.sleeps[0] == 0);
    CHECK(t.sleeps[1] == 0);
    CHECK(t.sleeps[2] <= backoff_ceiling(o.retry, 1));
    CHECK(rep->retries == 3);
}

TEST_CASE("retry: a sync whose very first request fails waits the backoff (no answer yet: not a cut)") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreements(a, 10);
    fake_time t;
    faulty_link link{w, &t};
    sync_options o = on_fake_time(t, 3);
    link.lose_request = {1};
    auto rep = minga::sync(a, link.fn(), o);
    REQUIRE(rep.ok());
    check_converged(w, a, 10);
    REQUIRE(t.sleeps.size() == 1);
    // Jitter seed 3 draws a wait above 0 (a wait of 0 would look like "at once").
    CHECK(t.sleeps[0] > 0);
    CHECK(t.sleeps[0] <= backoff_ceiling(o.retry, 0));
}
