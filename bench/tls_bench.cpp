// tls_bench: the cost of TLS on the first pull of N observations (issue 6), against plain HTTP
// in the same run, through the same server store.
//
// In one process: one central store behind the store executor, served by two HTTP endpoints on
// 127.0.0.1:0 — plain, and TLS with a self-signed certificate (what `minga-server init`
// makes) — on one io_context. Device A pushes N observations (bench/field_data.hpp); then, for
// each repetition, a fresh device pulls everything over plain HTTP and another over HTTPS
// (pinned), alternating which goes first. Also timed: new connections that each send one
// hello (TCP connect, plus the handshake over TLS). Every pulled replica must match the
// server's digest and hold N observations ("converged"; exit 1 otherwise).
//
//   tls_bench [--rows N] [--repeat R] [--connections C] [--refdata DIR]
#include "../tests/support/process.hpp"
#include "field_data.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/protocol/codec.hpp>
#include <minga/server/central_backend.hpp>
#include <minga/server/http_server.hpp>
#include <minga/server/log.hpp>
#include <minga/server/store_executor.hpp>
#include <minga/server/tls_files.hpp>
#include <minga/shared/central.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

constexpr const char* gad = "170151";

struct options {
    std::size_t rows = 100'000;
    int repeat = 3;
    int connections = 200;
    fs::path refdata;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "tls_bench: " << why
              << "\nusage: tls_bench [--rows N] [--repeat R] [--connections C] [--refdata DIR]\n";
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(a + " needs a value");
        const std::string v = argv[++i];
        try {
            if (a == "--rows") o.rows = std::stoul(v);
            else if (a == "--repeat") o.repeat = std::stoi(v);
            else if (a == "--connections") o.connections = std::stoi(v);
            else if (a == "--refdata") o.refdata = v;
            else usage("unknown argument " + a);
        } catch (const std::logic_error&) {
            usage(a + " needs a number, not " + v);
        }
    }
    if (o.rows == 0 || o.repeat < 1 || o.connections < 1) usage("counts must be at least 1");
    if (o.refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found (use --refdata)");
        o.refdata = *d;
    }
    return o;
}

template <class T>
T ok(minga::result<T> r, const std::string& what) {
    if (!r) throw std::runtime_error(what + ": " + r.err().text("en"));
    return std::move(*r);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void say(const std::string& s) { std::cerr << "tls_bench: " << s << std::endl; }

/// One store, two endpoints (plain and TLS) on one io_context thread.
class servers {
  public:
    servers(minga::central c, const minga::server::tls_paths& tls)
        : sink_(std::cerr, minga::server::log_level::warn),
          store_(minga::server::make_central_backend(std::move(c)),
                 minga::server::store_executor_options{}, minga::server::logger(sink_, "store")) {
        const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
        plain_ = ok(minga::server::http_server::start(ioc_, ep, store_, {}, sink_), "plain server");
        minga::server::server_config cfg;
        cfg.tls_cert = tls.cert;
        cfg.tls_key = tls.key;
        cfg.max_connections_per_address = 100000;  // the connection round opens many in a row
        tls_ = ok(minga::server::http_server::start(ioc_, ep, store_, cfg, sink_), "TLS server");
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~servers() {
        plain_->stop();
        tls_->stop();
        if (thread_.joinable()) thread_.join();
        store_.stop();
    }
    servers(const servers&) = delete;
    servers& operator=(const servers&) = delete;

    [[nodiscard]] std::string plain_url() const {
        return "http://127.0.0.1:" + std::to_string(plain_->local_endpoint().port());
    }
    [[nodiscard]] std::string tls_url() const {
        return "https://127.0.0.1:" + std::to_string(tls_->local_endpoint().port());
    }

  private:
    minga::server::log_sink sink_;
    minga::server::store_executor store_;
    net::io_context ioc_;
    std::unique_ptr<minga::server::http_server> plain_, tls_;
    std::thread thread_;
};

minga::client::http_transport transport(const std::string& url, const std::string& pin) {
    minga::client::transport_options o;
    o.trust.pin = pin;
    return ok(minga::client::http_transport::create(url, o), "http_transport::create");
}

struct pull_run {
    double seconds = 0;
    std::uint64_t pulled = 0, requests = 0, sent = 0, received = 0;
    bool converged = false;
};

/// A fresh device enrolled over `url`, then its first sync, timed.
pull_run first_pull(const fs::path& dir, const options& o, const std::string& url,
                    const std::string& pin, const std::string& token, const std::string& digest) {
    auto r = ok(minga::replica::create(dir, gad, o.refdata), "replica::create");
    {
        auto t = transport(url, pin);
        (void)ok(minga::enroll(r, t.as_transport_fn(), t.url().text(), token, "tableta"), "enroll");
    }
    auto t = transport(url, pin);
    const auto t0 = clock_type::now();
    auto rep = ok(minga::sync(r, t.as_transport_fn()), "sync");
    pull_run p;
    p.seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
    p.pulled = rep.pulled;
    p.requests = rep.requests;
    p.sent = t.bytes_sent();
    p.received = t.bytes_received();
    p.converged = minga::scope_digest(r.conn(), r.gads()) == digest &&
                  r.conn().scalar_int("SELECT count(*) FROM observation") ==
                      static_cast<std::int64_t>(o.rows);
    return p;
}

/// `n` new connections, each sending one hello: seconds per connection.
double connection_round(const std::string& url, const std::string& pin, int n) {
    minga::protocol::frame f;
    f.body = minga::protocol::hello{1, minga::protocol::current_version, "bench", "tls_bench"};
    const auto hello = minga::protocol::encode(f);
    const auto t0 = clock_type::now();
    for (int i = 0; i < n; ++i) {
        auto t = transport(url, pin);
        (void)ok(t.post(hello, ""), "hello");
    }
    return std::chrono::duration<double>(clock_type::now() - t0).count() / n;
}

json summary(const std::vector<pull_run>& runs, const options& o) {
    std::vector<double> s;
    std::uint64_t received = 0;
    for (const auto& r : runs) {
        s.push_back(r.seconds);
        received = r.received;
    }
    const double med = median(s);
    return {{"seconds_median", med},
            {"seconds", s},
            {"rows_per_second", static_cast<double>(o.rows) / med},
            {"requests", runs.front().requests},
            {"bytes_received", received}};
}

}  // namespace

int main(int argc, char** argv) try {
    const options o = parse_args(argc, argv);
    minga::test::temp_dir work("minga-tls-bench");
    const auto tls = minga::server::tls_paths::in(work.path() / "tls");
    const std::string pin = ok(minga::server::create_self_signed(tls, {}), "certificate");

    std::vector<std::string> tokens;
    {
        auto c = ok(minga::central::create(work.path() / "server", o.refdata), "central::create");
        for (int i = 0; i < 1 + 2 * o.repeat; ++i)
            tokens.push_back(ok(c.enroll_device(gad, "tableta", 24LL * 3600 * 1000), "token").token);
    }
    say("device A records " + std::to_string(o.rows) + " observations and pushes them");
    auto a = ok(minga::replica::create(work.path() / "a", gad, o.refdata), "replica::create");
    (void)minga::bench::add_field_data(a, o.rows);

    std::vector<pull_run> plain, secure;
    double conn_plain = 0, conn_tls = 0;
    {
        servers srv(ok(minga::central::open(work.path() / "server"), "central::open"), tls);
        {
            auto t = transport(srv.plain_url(), "");
            (void)ok(minga::enroll(a, t.as_transport_fn(), t.url().text(), tokens[0], "A"), "enroll");
            (void)ok(minga::sync(a, t.as_transport_fn()), "push");
        }
        const std::string digest = minga::scope_digest(a.conn(), a.gads());
        for (int k = 0; k < o.repeat; ++k) {
            const auto tag = std::to_string(k);
            auto run_plain = [&] {
                plain.push_back(first_pull(work.path() / ("p" + tag), o, srv.plain_url(), "",
                                           tokens[1 + 2 * k], digest));
            };
            auto run_tls = [&] {
                secure.push_back(first_pull(work.path() / ("t" + tag), o, srv.tls_url(), pin,
                                            tokens[2 + 2 * k], digest));
            };
            if (k % 2 == 0) { run_plain(); run_tls(); }
            else { run_tls(); run_plain(); }
            say("round " + std::to_string(k + 1) + ": plain " + std::to_string(plain.back().seconds) +
                " s, tls " + std::to_string(secure.back().seconds) + " s");
        }
        conn_plain = connection_round(srv.plain_url(), "", o.connections);
        conn_tls = connection_round(srv.tls_url(), pin, o.connections);
    }
    bool converged = true;
    for (const auto& r : plain) converged = converged && r.converged;
    for (const auto& r : secure) converged = converged && r.converged;
    const json p = summary(plain, o), t = summary(secure, o);
    const json doc = {
        {"bench", "tls_bench"},
        {"rows", o.rows},
        {"repeat", o.repeat},
        {"baseline_plain_http", p},
        {"tls", t},
        {"tls_time_ratio", t["seconds_median"].get<double>() / p["seconds_median"].get<double>()},
        {"new_connection_ms", {{"plain", conn_plain * 1000}, {"tls", conn_tls * 1000},
                               {"connections", o.connections}}},
        {"certificate", "self-signed EC P-256, TLS 1.2+ (OpenSSL defaults)"},
        {"converged", converged}};
    std::cout << doc.dump(2) << std::endl;
    return converged ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "tls_bench: " << e.what() << std::endl;
    return 1;
}
