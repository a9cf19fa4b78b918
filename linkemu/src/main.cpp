// minga-link: the link emulator by hand. Listens on --listen, forwards to --upstream through a
// profile (with per-parameter overrides), prints the real port as its first stdout line, then
// a counters line on SIGINT/SIGTERM before it exits. See docs/resilience.md.
#include <minga/linkemu/link.hpp>

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

namespace {

/// `HOST:PORT` (IPv4 or a name; port 0 allowed) or an error message.
bool split_host_port(const std::string& text, std::string& host, std::uint16_t& port,
                     std::string& why) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        why = "expected HOST:PORT, e.g. 127.0.0.1:8080, not '" + text + "'";
        return false;
    }
    host = text.substr(0, colon);
    try {
        std::size_t used = 0;
        const unsigned long p = std::stoul(text.substr(colon + 1), &used);
        if (used != text.size() - colon - 1 || p > 65535) throw std::out_of_range("port");
        port = static_cast<std::uint16_t>(p);
    } catch (const std::logic_error&) {
        why = "the port must be a number from 0 to 65535 in '" + text + "'";
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"minga-link: a TCP proxy that behaves like a poor link (docs/resilience.md)"};
    std::string listen = "127.0.0.1:0", upstream, profile_name = "clean";
    std::uint64_t seed = 1;
    std::optional<double> rate_kbps, rtt_ms, jitter_ms, cut_mean_kb, stall_every_s, stall_ms,
        outage_every_s, outage_ms;
    bool blackhole = false;
    app.add_option("--listen", listen, "ADDR:PORT to listen on (port 0: any; printed first)");
    app.add_option("--upstream", upstream, "HOST:PORT to forward to")->required();
    app.add_option("--profile", profile_name, "clean, 3g, 2g or satellite");
    app.add_option("--seed", seed, "seed of every random draw (cuts, jitter, stalls, outages)");
    app.add_option("--rate-kbps", rate_kbps, "bandwidth cap per direction, kbit/s (0: none)");
    app.add_option("--rtt-ms", rtt_ms, "round trip, ms (each direction delays by half)");
    app.add_option("--jitter-ms", jitter_ms, "± ms on each chunk's one-way delay");
    app.add_option("--cut-mean-kb", cut_mean_kb, "mean kB between cuts (0: never)");
    app.add_option("--stall-every-s", stall_every_s, "mean seconds between stalls (0: none)");
    app.add_option("--stall-ms", stall_ms, "how long a stall lasts, ms");
    app.add_option("--outage-every-s", outage_every_s, "mean seconds between outages (0: none)");
    app.add_option("--outage-ms", outage_ms, "how long an outage lasts, ms");
    app.add_flag("--blackhole", blackhole, "outages accept and never answer (default: reset)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints help, or the error naming the option
        return code == 0 ? 0 : 2;
    }

    auto p = minga::linkemu::profile(profile_name);
    if (!p) {
        std::cerr << "minga-link: --profile: unknown profile '" << profile_name
                  << "' (clean, 3g, 2g, satellite)\n";
        return 2;
    }
    using ms = std::chrono::milliseconds;
    auto to_ms = [](double v) { return ms(static_cast<long long>(v)); };
    if (rate_kbps) p->rate_bps = static_cast<std::uint64_t>(*rate_kbps * 1000);
    if (rtt_ms) p->rtt = to_ms(*rtt_ms);
    if (jitter_ms) p->jitter = to_ms(*jitter_ms);
    if (cut_mean_kb) p->cut_mean_bytes = *cut_mean_kb * 1000;
    if (stall_every_s) p->stall_mean_interval_s = *stall_every_s;
    if (stall_ms) p->stall = to_ms(*stall_ms);
    if (outage_every_s) p->outage_mean_interval_s = *outage_every_s;
    if (outage_ms) p->outage = to_ms(*outage_ms);
    p->outage_blackhole = blackhole;
    if (auto bad = p->invalid()) {
        std::cerr << "minga-link: " << *bad << " must be a finite number, zero or more\n";
        return 2;
    }

    minga::linkemu::link_options o;
    o.profile = *p;
    o.seed = seed;
    std::string why;
    if (!split_host_port(listen, o.listen_host, o.listen_port, why)) {
        std::cerr << "minga-link: --listen: " << why << "\n";
        return 2;
    }
    if (!split_host_port(upstream, o.upstream_host, o.upstream_port, why)) {
        std::cerr << "minga-link: --upstream: " << why << "\n";
        return 2;
    }

    // Wait for SIGINT/SIGTERM on this thread while the proxy runs on its own.
    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGINT);
    sigaddset(&stop_set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_set, nullptr);  // before the proxy thread starts

    std::unique_ptr<minga::linkemu::link> l;
    try {
        l = minga::linkemu::link::start(o);
    } catch (const std::exception& e) {
        std::cerr << "minga-link: cannot listen on " << listen << ": " << e.what() << "\n";
        return 1;
    }
    std::cout << l->port() << std::endl;
    std::cerr << "minga-link: " << o.listen_host << ":" << l->port() << " -> " << upstream
              << " profile " << p->name << " seed " << seed << "\n";
    int sig = 0;
    sigwait(&stop_set, &sig);
    l->stop();
    const auto c = l->counters();
    std::cout << "{\"bytes_up\":" << c.bytes_up << ",\"bytes_down\":" << c.bytes_down
              << ",\"connections\":" << c.connections << ",\"cuts\":" << c.cuts
              << ",\"refused\":" << c.refused << ",\"blackholed\":" << c.blackholed
              << ",\"stalls\":" << c.stalls << "}" << std::endl;
    return 0;
}
