#pragma once
// Faults for in-process sync tests: a made-up steady clock and sleep (nothing really waits),
// and a link around the in-process server that loses chosen requests before the server sees
// them or loses the answer after the server applied them, and records what was sent.
#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>

#include <deque>
#include <set>
#include <string>

namespace minga::testing {

/// A steady clock the test owns: `sleep` advances it and logs the wait.
struct fake_time {
    std::int64_t now = 0;
    std::vector<std::int64_t> sleeps;
    steady_fn clock() {
        return [this] { return now; };
    }
    sleep_fn sleeper() {
        return [this](std::chrono::milliseconds d) {
            sleeps.push_back(d.count());
            now += d.count();
        };
    }
};

struct faulty_link {
    explicit faulty_link(sync_world& world, fake_time* t = nullptr) : w(world), time(t) {}

    sync_world& w;              // the test's world; outlives the link
    fake_time* time = nullptr;  // when set, each request takes rtt + bytes / rate on it
    std::int64_t rtt_ms = 0;
    double bytes_per_ms = 1e9;
    std::set<int> lose_request;  // 1-based request numbers dropped before the server
    std::set<int> lose_answer;   // 1-based request numbers applied, then the answer dropped
    int requests = 0;
    std::vector<std::uint64_t> pushed_seqs;  // every change seq the server received, in order
    std::vector<std::size_t> push_sizes;     // changes in each push sent
    std::vector<std::uint64_t> pull_cursors; // the cursor of each pull sent
    std::vector<std::int64_t> request_ms;    // time each request took on `time`

    transport_fn fn() {
        return [this](std::span<const std::uint8_t> req, std::string_view bearer)
                   -> result<std::vector<std::uint8_t>> {
            const int n = ++requests;
            record(n, req);
            if (lose_request.count(n)) {
                advance(req.size() / 2);
                return make_error(errc::unavailable, "", "conexión cortada", "connection cut");
            }
            auto resp = w.server->handle(req, bearer);
            advance(req.size() + resp.size());
            if (lose_answer.count(n)) return make_error(errc::timeout, "", "sin respuesta", "no answer");
            return resp;
        };
    }

    /// The same link, pipelined (sync_options::pipeline): `send` numbers and records a request
    /// and queues it; `receive` hands the oldest one to the server and returns its answer, with
    /// the same faults by request number. A failure closes the "connection": the requests
    /// still queued behind it are dropped before the server. `log` records each send ("push",
    /// "pull", ...) and each receive ("answer"), in order.
    pipeline_fns pipeline() {
        pipeline_fns p;
        p.send = [this](std::span<const std::uint8_t> req, std::string_view bearer) -> status {
            queued.push_back({++requests, {req.begin(), req.end()}, std::string(bearer)});
            record(queued.back().n, req);
            return {};
        };
        p.receive = [this]() -> result<std::vector<std::uint8_t>> {
            log.emplace_back("answer");
            if (queued.empty()) return make_error(errc::internal, "", "nada enviado", "nothing sent");
            auto q = std::move(queued.front());
            queued.pop_front();
            if (lose_request.count(q.n) || lose_answer.count(q.n)) {
                if (lose_answer.count(q.n)) (void)w.server->handle(q.bytes, q.bearer);
                queued.clear();
                advance(q.bytes.size());
                return make_error(errc::unavailable, "", "conexión cortada", "connection cut");
            }
            auto resp = w.server->handle(q.bytes, q.bearer);
            advance(q.bytes.size() + resp.size());
            return resp;
        };
        return p;
    }
    std::vector<std::string> log;  // pipeline(): "push", "pull", "hello"... per send; "answer"

    /// Changes the server received more than once.
    [[nodiscard]] std::size_t resent() const {
        return pushed_seqs.size() - std::set<std::uint64_t>(pushed_seqs.begin(), pushed_seqs.end()).size();
    }

private:
    struct pending_request {
        int n;
        std::vector<std::uint8_t> bytes;
        std::string bearer;
    };
    std::deque<pending_request> queued;  // pipeline(): sent, not yet answered

    void record(int n, std::span<const std::uint8_t> req) {
        auto f = protocol::decode(req);
        if (!f) return;
        if (const auto* p = std::get_if<protocol::push>(&f->body)) {
            log.emplace_back("push");
            push_sizes.push_back(p->changes.size());
            if (!lose_request.count(n))
                for (const auto& c : p->changes) pushed_seqs.push_back(c.seq);
        } else if (const auto* q = std::get_if<protocol::pull>(&f->body)) {
            log.emplace_back("pull");
            pull_cursors.push_back(q->cursor);
        } else {
            log.emplace_back("other");
        }
    }

    void advance(std::size_t bytes) {
        if (!time) return;
        const auto ms = rtt_ms + static_cast<std::int64_t>(static_cast<double>(bytes) / bytes_per_ms);
        time->now += ms;
        request_ms.push_back(ms);
    }
};

/// `n` agreements recorded on `r` (each one change in its outbox).
inline void add_agreements(replica& r, int n, const std::string& tag = "C") {
    entity_service s(r);
    const auto& ag = *find_entity("agreement");
    for (int i = 0; i < n; ++i)
        REQUIRE(s.add(ag, {{"title", tag + " " + std::to_string(i)}, {"kind", "convenio_marco"}, {"status", "vigente"}})
                    .ok());
}

/// Options that never really sleep and read time from `t`.
inline sync_options on_fake_time(fake_time& t, std::uint64_t seed = 7) {
    sync_options o;
    o.sleep = t.sleeper();
    o.now_ms = t.clock();
    o.jitter_seed = seed;
    return o;
}

}  // namespace minga::testing
