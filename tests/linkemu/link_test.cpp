// The link emulator against real sockets: bytes pass intact, cuts are reproducible and reset
// both sides, delays and bandwidth caps hold (lower bounds only: a busy machine is only ever
// slower), outages refuse or black-hole.
#include "process.hpp"
#include "upstream.hpp"

#include <minga/linkemu/link.hpp>

#include <catch2/catch.hpp>

#include <chrono>

using namespace minga::test;
using namespace minga::linkemu;
using std::chrono::milliseconds;
using clock_type = std::chrono::steady_clock;

namespace {

std::unique_ptr<minga::linkemu::link> start_link(const link_profile& p, std::uint16_t upstream,
                                                 std::uint64_t seed = 1) {
    link_options o;
    o.upstream_port = upstream;
    o.profile = p;
    o.seed = seed;
    return minga::linkemu::link::start(o);
}

link_profile named(const char* name) {
    auto p = profile(name);
    REQUIRE(p);
    return *p;
}

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

bool is_reset(const boost::system::error_code& ec) {
    return ec == net::error::connection_reset || ec == net::error::broken_pipe;
}

/// A reset reaches whichever of the client's reader and writer asks first (the kernel reports
/// it once); the other then sees an end of file.
bool saw_reset(const exchange_result& r) {
    return is_reset(r.read_end) || is_reset(r.write_end);
}

}  // namespace

TEST_CASE("link: bytes pass intact through every profile", "[linkemu]") {
    test_peer echo(true);
    for (const auto& name : profile_names()) {
        auto p = named(name.c_str());
        // About one second of the link's rate each way (4 MB when unlimited).
        const std::size_t n = p.rate_bps ? p.rate_bps / 8 : 4'000'000;
        // A seed whose first connection is not cut before both directions are through.
        std::uint64_t seed = 1;
        while (planned_cut(seed, 0, p.cut_mean_bytes).value_or(UINT64_MAX) <= 2 * n) ++seed;
        auto l = start_link(p, echo.port(), seed);
        const auto payload = random_bytes(n, seed);
        auto r = exchange(l->port(), payload);
        INFO(name << ": " << r.read_end.message());
        CHECK(r.read_end == net::error::eof);
        CHECK(r.received.size() == payload.size());
        CHECK(checksum(r.received) == checksum(payload));
        const auto c = l->counters();
        CHECK(c.bytes_up == n);
        CHECK(c.bytes_down == n);
        CHECK(c.connections == 1);
        CHECK(c.cuts == 0);
    }
}

TEST_CASE("link: planned cut offsets are fixed by the seed", "[linkemu]") {
    for (std::uint64_t k = 0; k < 50; ++k) {
        CHECK(planned_cut(7, k, 20'000) == planned_cut(7, k, 20'000));
        CHECK(planned_cut(7, k, 20'000) != planned_cut(8, k, 20'000));
    }
    CHECK_FALSE(planned_cut(7, 0, 0));
    // Exponential with the given mean: the average of many draws is close to it.
    double sum = 0;
    for (std::uint64_t k = 0; k < 10'000; ++k) sum += static_cast<double>(*planned_cut(3, k, 1e6));
    CHECK(sum / 10'000 == Approx(1e6).epsilon(0.05));
}

TEST_CASE("link: the same seed cuts at the same offsets, another seed elsewhere", "[linkemu]") {
    auto p = named("clean");
    p.cut_mean_bytes = 20'000;
    const auto payload = random_bytes(400'000, 1);
    auto run = [&](std::uint64_t seed) {
        test_peer sink(false);
        auto l = start_link(p, sink.port(), seed);
        for (int k = 0; k < 5; ++k) (void)exchange(l->port(), payload);
        auto records = sink.wait_records(5);
        auto cuts = l->cuts();
        REQUIRE(cuts.size() == 5);
        for (std::uint64_t k = 0; k < 5; ++k) {
            CHECK(cuts[k].connection == k);
            CHECK(cuts[k].offset == *planned_cut(seed, k, p.cut_mean_bytes));
            // The peer got exactly the bytes up to the cut, then a reset.
            CHECK(records[k].received == cuts[k].offset);
            CHECK(records[k].reset);
        }
        CHECK(l->counters().bytes_up == [&] {
            std::uint64_t s = 0;
            for (auto& c : cuts) s += c.offset;
            return s;
        }());
        return cuts;
    };
    const auto a = run(42);
    CHECK(run(42) == a);
    CHECK(run(43) != a);
}

TEST_CASE("link: a cut resets both sides", "[linkemu]") {
    test_peer echo(true);
    auto p = named("clean");
    p.cut_mean_bytes = 50'000;
    auto l = start_link(p, echo.port(), 5);
    const auto offset = *planned_cut(5, 0, p.cut_mean_bytes);
    const auto payload = random_bytes(static_cast<std::size_t>(offset) * 4, 2);
    auto r = exchange(l->port(), payload);
    INFO("client read ended with: " << r.read_end.message() << "; write: " << r.write_end.message());
    CHECK(saw_reset(r));
    CHECK(r.received.size() < payload.size());
    auto records = echo.wait_records(1);
    CHECK(records[0].reset);
    CHECK(records[0].received < payload.size());
    CHECK(l->counters().cuts == 1);
    // Delivered bytes stop at the offset (the echo of the last ones may be in flight).
    CHECK(l->counters().bytes_up + l->counters().bytes_down <= offset);
    CHECK(l->counters().bytes_up > 0);
}

TEST_CASE("link: cut_all resets the open connections", "[linkemu]") {
    test_peer echo(true);
    auto l = start_link(named("clean"), echo.port());
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), l->port()));
    net::write(s, net::buffer(std::string("ping")));
    std::array<char, 4> back{};
    net::read(s, net::buffer(back));
    l->cut_all();
    boost::system::error_code ec;
    (void)s.read_some(net::buffer(back), ec);
    CHECK(is_reset(ec));
    CHECK(l->counters().cuts == 1);
    CHECK(l->cuts().at(0).offset == 8);
    const auto log = l->connection_log();
    REQUIRE(log.size() == 1);
    CHECK(log[0].first_up >= log[0].accepted);
    CHECK(l->cuts().at(0).at >= log[0].first_up);
}

TEST_CASE("link: a cut reaches the client while a spawned child runs", "[linkemu]") {
    // The emulator's sockets are close-on-exec: a child spawned while a connection is open
    // (tests spawn clients and servers) must not hold a copy that keeps the reset from going.
    test_peer echo(true);
    auto l = start_link(named("clean"), echo.port());
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), l->port()));
    net::write(s, net::buffer(std::string("ping")));
    std::array<char, 4> back{};
    net::read(s, net::buffer(back));
    child_process sleeper("/bin/sleep", {"60"});
    l->cut_all();
    boost::system::error_code ec;
    (void)s.read_some(net::buffer(back), ec);
    INFO(ec.message());
    CHECK(is_reset(ec));
    // Without close-on-exec the reset would only go once the child has exited.
    CHECK(sleeper.running());
}

TEST_CASE("link: a 600 ms round trip delays every exchange by at least that", "[linkemu]") {
    test_peer echo(true);
    auto p = named("2g");
    p.cut_mean_bytes = 0;
    p.jitter = milliseconds(0);
    auto l = start_link(p, echo.port());
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), l->port()));
    for (int i = 0; i < 2; ++i) {
        const auto t0 = clock_type::now();
        net::write(s, net::buffer(std::string("x")));
        char c = 0;
        net::read(s, net::buffer(&c, 1));
        CHECK(c == 'x');
        CHECK(seconds_since(t0) >= 0.6);
    }
}

TEST_CASE("link: N bytes through a capped link take at least N / rate", "[linkemu]") {
    test_peer sink(false);
    auto p = named("clean");
    p.rate_bps = 1'000'000;
    auto l = start_link(p, sink.port());
    const auto payload = random_bytes(150'000, 3);
    const auto t0 = clock_type::now();
    auto r = exchange(l->port(), payload);
    auto records = sink.wait_records(1);
    const double elapsed = seconds_since(t0);
    CHECK(records[0].received == payload.size());
    CHECK(elapsed >= 150'000.0 * 8 / 1'000'000);
}

TEST_CASE("link: stalls hold the bytes back", "[linkemu]") {
    test_peer echo(true);
    auto p = named("clean");
    p.stall_mean_interval_s = 1e-6;  // the first stall starts at once
    p.stall = milliseconds(300);
    auto l = start_link(p, echo.port());
    const auto t0 = clock_type::now();
    auto r = exchange(l->port(), random_bytes(1000, 4));
    CHECK(r.received.size() == 1000);
    CHECK(seconds_since(t0) >= 0.3);
    CHECK(l->counters().stalls >= 1);
}

TEST_CASE("link: outages refuse or black-hole new connections, and end", "[linkemu]") {
    test_peer echo(true);
    auto l = start_link(named("clean"), echo.port());
    const auto payload = random_bytes(100, 5);

    l->start_outage(std::chrono::hours(1), false);
    auto refused = exchange(l->port(), payload);
    CHECK(saw_reset(refused));
    CHECK(refused.received.empty());
    CHECK(l->counters().refused == 1);

    l->start_outage(milliseconds(300), true);
    const auto t0 = clock_type::now();
    auto held = exchange(l->port(), payload);
    CHECK(held.received.empty());
    CHECK(seconds_since(t0) >= 0.3);  // silent until the outage ended
    CHECK(l->counters().blackholed == 1);

    auto after = exchange(l->port(), payload);  // the outage is over
    CHECK(after.received == payload);
    CHECK(l->counters().connections == 3);
}

TEST_CASE("link: new connections follow a changed upstream", "[linkemu]") {
    test_peer first(true), second(false);
    auto l = start_link(named("clean"), first.port());
    const auto payload = random_bytes(1000, 6);
    CHECK(exchange(l->port(), payload).received == payload);
    l->set_upstream("127.0.0.1", second.port());
    CHECK(exchange(l->port(), payload).received.empty());  // the sink answers nothing
    CHECK(second.wait_records(1).at(0).received == payload.size());
}

TEST_CASE("link: an unreachable upstream resets the client", "[linkemu]") {
    std::uint16_t dead_port = 0;
    {
        test_peer gone(true);
        dead_port = gone.port();
    }
    auto l = start_link(named("clean"), dead_port);
    auto r = exchange(l->port(), random_bytes(10, 7));
    CHECK(saw_reset(r));
    CHECK(l->counters().refused == 1);
}

TEST_CASE("link: a bad profile is refused naming the value", "[linkemu]") {
    auto p = named("clean");
    p.cut_mean_bytes = -1;
    CHECK(p.invalid() == std::string("cut_mean_bytes"));
    CHECK_THROWS_AS(start_link(p, 1), std::invalid_argument);
    CHECK_FALSE(profile("4g"));
    CHECK(named("2g").rate_bps == 256'000);
    CHECK(named("2g").rtt == milliseconds(600));
    CHECK(named("2g").cut_mean_bytes == 1e6);
    CHECK(named("satellite").rtt == milliseconds(1200));
}
