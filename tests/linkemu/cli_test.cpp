// minga-link by hand: the real port first on stdout, bytes through it, counters on SIGTERM,
// and bad options refused naming them.
#include "process.hpp"
#include "upstream.hpp"

#include <catch2/catch.hpp>

using namespace minga::test;

namespace {

fs::path minga_link_bin() {
    return bin_dir() / "linkemu" / "minga-link";
}

}  // namespace

TEST_CASE("minga-link: prints its port, forwards, and reports its counters", "[linkemu]") {
    test_peer echo(true);
    child_process link(minga_link_bin(), {"--listen", "127.0.0.1:0", "--upstream",
                                          "127.0.0.1:" + std::to_string(echo.port()), "--profile",
                                          "3g", "--seed", "9", "--rtt-ms", "10"});
    auto line = link.read_line();
    REQUIRE(line);
    const auto port = static_cast<std::uint16_t>(std::stoul(*line));
    CHECK(port != 0);
    const auto payload = random_bytes(5000, 8);
    CHECK(exchange(port, payload).received == payload);
    auto r = link.stop(SIGTERM);
    INFO(r.describe());
    CHECK(r.exited(0));
    CHECK(r.out.find("\"bytes_up\":5000") != std::string::npos);
    CHECK(r.out.find("\"connections\":1") != std::string::npos);
    CHECK(r.err.find("profile 3g seed 9") != std::string::npos);
}

TEST_CASE("minga-link: bad options exit 2 naming the option", "[linkemu]") {
    auto no_upstream = run_process(minga_link_bin(), {});
    CHECK(no_upstream.exited(2));
    CHECK(no_upstream.err.find("--upstream") != std::string::npos);
    auto profile = run_process(minga_link_bin(), {"--upstream", "127.0.0.1:1", "--profile", "4g"});
    CHECK(profile.exited(2));
    CHECK(profile.err.find("--profile") != std::string::npos);
    auto listen =
        run_process(minga_link_bin(), {"--upstream", "127.0.0.1:1", "--listen", "nowhere"});
    CHECK(listen.exited(2));
    CHECK(listen.err.find("--listen") != std::string::npos);
    auto port = run_process(minga_link_bin(), {"--upstream", "127.0.0.1:99999"});
    CHECK(port.exited(2));
    CHECK(port.err.find("--upstream") != std::string::npos);
    auto negative =
        run_process(minga_link_bin(), {"--upstream", "127.0.0.1:1", "--cut-mean-kb", "-3"});
    CHECK(negative.exited(2));
    CHECK(negative.err.find("cut_mean_bytes") != std::string::npos);
}
