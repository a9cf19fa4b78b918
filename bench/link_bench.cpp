// link_bench: issue 5's numbers. N observations (default 10,000) pushed by one device, then
// pulled by a fresh device, through the link emulator's 2G profile (256 kbit/s, 600 ms round
// trip, a cut about every megabyte, seeded) in front of the real `minga-server` process, with
// the client library's sync over http_transport; sync is called again after a transient
// failure, after a short backoff. Prints one JSON document:
//   lost / duplicated       A's observations missing from / extra on the server and on B;
//   useful_bytes            the bytes (HTTP headers and bodies, as the transport counts them)
//                           the same push and pull take over the clean link in this run:
//                           identical exchanges, so whatever a cut made anyone resend is waste;
//   capacity_bytes          one direction's rate × the elapsed time of push and pull (a push
//                           or a pull fills one direction of the symmetric link);
//   goodput                 useful_bytes / capacity_bytes (goal ≥ 0.70);
//   cuts, retries           the link's cuts; sync calls that failed and were called again
//                           (the transport also reconnects and resends once by itself:
//                           `connections` counts every TCP connection);
//   resume_rtts_raw         per cut: from the cut to the first byte of the next connection
//                           reaching the server, in round trips (the emulator does not delay
//                           TCP handshakes, a real link adds one round trip for the SYN, and it
//                           resets the client at once, where a real link's client may notice
//                           half a round trip later);
//   resume_rtts             the same minus the backoff actually waited in between (the
//                           syncer's retry waits and this bench's pause before calling sync
//                           again): the issue's goal is "under two round trips plus the
//                           backoff", so this is what is held to < 2.
// Baseline in the same run: the same push and pull over the clean profile (no limits).
// --seeds S1,S2,...: one such pair of runs per seed; the document is the worst seed's (lowest
// goodput), with every seed's numbers in `per_seed` and the goal judged on all of them.
//
//   link_bench [--rows N] [--seed S | --seeds S1,S2,..] [--profile P] [--cut-mean-kb K] [--backoff-ms B]
//              [--push-batch N] [--page-rows N] [--page-kb K]   (the syncer's caps; default its own)
//              [--target-ms T] [--pipeline 0|1] [--trace 1]   (sizing target, pipelined push
//              (default 1, as `minga sync`), one stderr line per answered request)
#include "../tests/support/process.hpp"
#include "field_data.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/linkemu/link.hpp>
#include <minga/protocol/errc.hpp>
#include <minga/shared/central.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using json = nlohmann::ordered_json;
using minga::test::child_process;
using minga::test::temp_dir;

constexpr double goal_goodput = 0.70;
constexpr double goal_resume_rtts = 2.0;
constexpr const char* gad = "170151";
/// Sync calls for one phase at most: a phase that needs more never finishes.
constexpr int max_calls = 200;

struct options {
    std::size_t rows = 10'000;
    std::optional<std::uint64_t> seed;  ///< default: the first seed that cuts early (see below)
    std::vector<std::uint64_t> seeds;   ///< --seeds: several runs, the worst one reported
    std::string profile = "2g";
    std::optional<double> cut_mean_kb;
    int backoff_ms = 100;
    minga::sync_options sync;  ///< the syncer's defaults unless --push-batch / --page-rows
    bool trace = false;        ///< one stderr line per answered request or retry
    bool pipeline = true;      ///< push batches pipelined, as `minga sync` does
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "link_bench: " << why
              << "\nusage: link_bench [--rows N] [--seed S | --seeds S1,S2,..] [--profile P] [--cut-mean-kb K] "
                 "[--backoff-ms B] [--push-batch N] [--page-rows N] [--page-kb K] [--target-ms T] "
                 "[--pipeline 0|1] [--trace 1]\n";
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage(a + " needs a value");
        const std::string v = argv[++i];
        try {
            if (a == "--rows")
                o.rows = std::stoul(v);
            else if (a == "--seed")
                o.seed = std::stoull(v);
            else if (a == "--seeds") {
                std::stringstream in(v);
                for (std::string one; std::getline(in, one, ',');) o.seeds.push_back(std::stoull(one));
            } else if (a == "--profile")
                o.profile = v;
            else if (a == "--cut-mean-kb")
                o.cut_mean_kb = std::stod(v);
            else if (a == "--backoff-ms")
                o.backoff_ms = std::stoi(v);
            else if (a == "--push-batch")
                o.sync.push_batch = static_cast<std::uint32_t>(std::stoul(v));
            else if (a == "--page-rows")
                o.sync.page_rows = static_cast<std::uint32_t>(std::stoul(v));
            else if (a == "--page-kb")
                o.sync.page_bytes = static_cast<std::uint32_t>(std::stoul(v) * 1024);
            else if (a == "--target-ms")
                o.sync.target_ms = std::stoll(v);
            else if (a == "--pipeline")
                o.pipeline = v == "1";
            else if (a == "--trace")
                o.trace = v == "1";
            else
                usage("unknown argument " + a);
        } catch (const std::logic_error&) {
            usage(a + " needs a number, not " + v);
        }
    }
    if (o.rows == 0 || o.backoff_ms < 0 || o.sync.push_batch == 0 || o.sync.page_rows == 0)
        usage("--rows, --push-batch and --page-rows must be at least 1, --backoff-ms 0 or more");
    if (!minga::linkemu::profile(o.profile)) usage("unknown profile " + o.profile);
    return o;
}

template <class T>
T ok(minga::result<T> r, const std::string& what) {
    if (!r) throw std::runtime_error(what + ": " + r.err().text("en"));
    return std::move(*r);
}

void say(const std::string& s) {
    std::cerr << "link_bench: " << s << std::endl;
}

double seconds(clock_type::duration d) {
    return std::chrono::duration<double>(d).count();
}

/// The real server: `minga-server serve` on a store made here, next to this binary's build.
class server_process {
  public:
    explicit server_process(const fs::path& store) {
        const auto exe =
            fs::canonical("/proc/self/exe").parent_path().parent_path() / "server" / "minga-server";
        // Plain HTTP: the bench measures the link, and its stores have no certificate.
        child_.emplace(exe, std::vector<std::string>{"--data", store.string(), "serve", "--plain-http",
                                                     "--listen", "127.0.0.1:0"});
        auto line = child_->read_line();
        const std::string prefix = "listening on http://127.0.0.1:";
        if (!line || line->rfind(prefix, 0) != 0)
            throw std::runtime_error("minga-server did not start: " + child_->stderr_text());
        port_ = static_cast<std::uint16_t>(std::stoul(line->substr(prefix.size())));
    }
    ~server_process() { stop(); }
    [[nodiscard]] std::uint16_t port() const { return port_; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    void stop() {
        if (child_ && child_->running()) (void)child_->stop(SIGTERM);
    }

  private:
    std::optional<child_process> child_;
    std::uint16_t port_ = 0;
};

/// A pause before a retry: when it began and how long it was.
struct wait_event {
    clock_type::time_point at;
    std::chrono::milliseconds length;
};

/// What one phase (push or pull) cost.
struct phase {
    double seconds = 0;
    std::uint64_t wire_bytes = 0, calls = 0, retries = 0, exchanges = 0, connections = 0, cuts = 0;
    std::vector<wait_event> waits;  ///< the syncer's backoff waits and this bench's pauses
};

/// Syncs `r` through `url` until a sync call succeeds (a transient failure is retried after
/// the backoff; the transport itself reconnects and resends once when a connection drops).
phase sync_through(minga::replica& r, const std::string& url, const options& o) {
    phase ph;
    const auto t0 = clock_type::now();
    for (;;) {
        if (++ph.calls > max_calls) throw std::runtime_error("a sync never finished");
        auto t = ok(minga::client::http_transport::create(url), "http_transport::create");
        auto so = o.sync;
        if (o.pipeline) so.pipeline = t.as_pipeline();
        // --trace: where the time and the bytes go, request by request.
        minga::progress_fn trace = [&](const minga::sync_progress& p) {
                if (p.phase == "retry")
                    ph.waits.push_back({clock_type::now(), std::chrono::milliseconds(p.wait_ms)});
                if (!o.trace) return;
                std::cerr << "trace " << p.phase << " t=" << seconds(clock_type::now() - t0)
                          << " req=" << p.so_far->requests << " pipelined=" << p.so_far->pipelined << " frame_up=" << p.so_far->bytes_sent
                          << " frame_down=" << p.so_far->bytes_received
                          << " wire=" << ph.wire_bytes + t.bytes_sent() + t.bytes_received()
                          << " done=" << p.done << "/" << p.total << '\n';
            };
        auto rep = minga::sync(r, t.as_transport_fn(), so, trace);
        ph.wire_bytes += t.bytes_sent() + t.bytes_received();
        ph.connections += t.connections();
        if (rep) {
            ph.exchanges += rep->requests;
            break;
        }
        if (!minga::is_transient(rep.err().code))
            throw std::runtime_error("sync: " + rep.err().text("en"));
        ++ph.retries;
        ph.waits.push_back({clock_type::now(), std::chrono::milliseconds(o.backoff_ms)});
        std::this_thread::sleep_for(std::chrono::milliseconds(o.backoff_ms));
    }
    ph.seconds = seconds(clock_type::now() - t0);
    return ph;
}

/// Per cut: from the cut to the first client byte of the next connection reaching the server,
/// in round trips; `raw` as measured, `net` minus the waits that began in between.
struct resume_times {
    std::vector<double> raw, net;
};
resume_times resume_rtts(const minga::linkemu::link& l, double rtt_s,
                         const std::vector<wait_event>& waits) {
    resume_times out;
    const auto log = l.connection_log();
    for (const auto& cut : l.cuts())
        for (const auto& c : log)
            if (c.accepted >= cut.at && c.first_up != clock_type::time_point{}) {
                const double raw = seconds(c.first_up - cut.at);
                double waited = 0;
                for (const auto& w : waits)
                    if (w.at >= cut.at && w.at < c.first_up) waited += seconds(w.length);
                out.raw.push_back(raw / rtt_s);
                out.net.push_back(std::max(0.0, raw - waited) / rtt_s);
                break;
            }
    return out;
}

std::set<std::string> observation_ids(minga::sql::db& db) {
    std::set<std::string> ids;
    auto s = db.prepare("SELECT id FROM observation");
    while (s.step()) ids.insert(s.get_text(0));
    return ids;
}

/// Lost and duplicated against `expected`: ids missing, and rows beyond the expected ones.
json compare(minga::sql::db& db, const std::set<std::string>& expected) {
    const auto got = observation_ids(db);
    const auto rows = db.scalar_int("SELECT count(*) FROM observation");
    std::uint64_t lost = 0;
    for (const auto& id : expected) lost += got.count(id) ? 0 : 1;
    const auto found = static_cast<std::int64_t>(expected.size() - lost);
    return {{"rows", rows}, {"lost", lost}, {"duplicated", rows - found}};
}

json phase_json(const phase& p) {
    return {{"seconds", p.seconds},         {"sync_calls", p.calls},
            {"retries", p.retries},         {"requests", p.exchanges},
            {"connections", p.connections}, {"wire_bytes", p.wire_bytes},
            {"cuts", p.cuts}};
}

/// One whole run (push by A, pull by a fresh B) through `profile`; fills `out`.
json run(const fs::path& work, const options& o, std::uint64_t seed, const fs::path& refdata,
         const minga::linkemu::link_profile& profile, bool& clean_result) {
    std::vector<std::string> tokens;
    {
        auto c = ok(minga::central::create(work / "server", refdata), "central::create");
        for (int i = 0; i < 2; ++i)
            tokens.push_back(ok(c.enroll_device(gad, "tableta", 3'600'000), "enroll_device").token);
    }
    auto a = ok(minga::replica::create(work / "a", gad, refdata), "replica::create");
    say(profile.name + ": device A records " + std::to_string(o.rows) + " observations");
    (void)minga::bench::add_field_data(a, o.rows);
    auto b = ok(minga::replica::create(work / "b", gad, refdata), "replica::create");

    server_process server(work / "server");
    for (auto* r : {&a, &b}) {  // enrolment straight to the server: not measured
        auto t = ok(minga::client::http_transport::create(server.url()), "transport");
        (void)ok(minga::enroll(*r, t.as_transport_fn(), server.url(), tokens[r == &a ? 0 : 1],
                               "tableta"),
                 "enroll");
    }
    minga::linkemu::link_options lo;
    lo.upstream_port = server.port();
    lo.profile = profile;
    lo.seed = seed;
    auto link = minga::linkemu::link::start(lo);
    const double rtt_s = std::max(0.001, std::chrono::duration<double>(profile.rtt).count());

    say(profile.name + ": A pushes");
    auto push = sync_through(a, link->url(), o);
    push.cuts = link->counters().cuts;
    say(profile.name + ": B pulls");
    auto pull = sync_through(b, link->url(), o);
    const auto counters = link->counters();
    pull.cuts = counters.cuts - push.cuts;
    auto waits = push.waits;
    waits.insert(waits.end(), pull.waits.begin(), pull.waits.end());
    const auto resumes = resume_rtts(*link, rtt_s, waits);
    link->stop();
    server.stop();

    const auto expected = observation_ids(a.conn());
    auto central = ok(minga::central::open(work / "server"), "central::open");
    const auto server_digest = ok(central.digest({gad}), "digest");
    auto on_server = compare(central.conn(), expected);
    auto on_b = compare(b.conn(), expected);
    const bool converged =
        minga::scope_digest(b.conn(), b.gads()) == server_digest && expected.size() == o.rows;
    clean_result = converged && on_server["lost"] == 0 && on_server["duplicated"] == 0 &&
                   on_b["lost"] == 0 && on_b["duplicated"] == 0;

    const double elapsed = push.seconds + pull.seconds;
    json out = {{"profile", profile.name},
                {"rate_bps", profile.rate_bps},
                {"rtt_ms", profile.rtt.count()},
                {"cut_mean_bytes", profile.cut_mean_bytes},
                {"converged", converged},
                {"server", on_server},
                {"fresh_device", on_b},
                {"push", phase_json(push)},
                {"pull", phase_json(pull)},
                {"elapsed_s", elapsed},
                {"cuts", counters.cuts},
                {"retries", push.retries + pull.retries},
                {"link_bytes", counters.bytes_up + counters.bytes_down}};
    out["resume_rtts"] = resumes.net;
    out["resume_rtts_raw"] = resumes.raw;
    return out;
}

/// One seed: the clean baseline and the measured run, as one document with its goal.
json measure(const options& o, std::uint64_t seed, const minga::linkemu::link_profile& p,
             const fs::path& refdata, const fs::path& work) {
    bool base_ok = false, link_ok = false;
    auto baseline = run(work / "clean", o, seed, refdata, *minga::linkemu::profile("clean"), base_ok);
    auto measured = run(work / "link", o, seed, refdata, p, link_ok);

    // Useful payload: the bytes the same push and pull take on the clean link (the same
    // rows in the same batches: identical exchanges). Whatever a cut made the client
    // send or receive again is not useful.
    const double useful = baseline["push"]["wire_bytes"].get<double>() +
                          baseline["pull"]["wire_bytes"].get<double>();
    const double capacity = static_cast<double>(p.rate_bps) / 8 * measured["elapsed_s"].get<double>();
    const double goodput = p.rate_bps ? useful / capacity : 0;
    measured["useful_bytes"] = useful;
    measured["capacity_bytes"] = capacity;
    measured["goodput"] = goodput;
    double worst_resume = 0;
    for (double r : measured["resume_rtts"]) worst_resume = std::max(worst_resume, r);
    return {{"bench", "link_bench"},
            {"rows", o.rows},
            {"seed", seed},
            {"backoff_ms", o.backoff_ms},
            {"push_batch", o.sync.push_batch},
            {"page_rows", o.sync.page_rows},
            {"baseline_clean", baseline},
            {"link", measured},
            {"goal",
             {{"goodput_min", goal_goodput},
              {"goodput", goodput},
              {"resume_rtts_max", goal_resume_rtts},
              {"resume_rtts_worst", worst_resume},
              {"zero_lost_zero_duplicated", link_ok && base_ok},
              {"met", link_ok && base_ok && goodput >= goal_goodput && worst_resume < goal_resume_rtts}}}};
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const options o = parse_args(argc, argv);
        const auto refdata = ok(minga::find_data_dir(), "reference data");
        temp_dir work("minga-link-bench");
        auto p = *minga::linkemu::profile(o.profile);
        if (o.cut_mean_kb) p.cut_mean_bytes = *o.cut_mean_kb * 1000;
        // By default the first seed whose first two connections are cut within 400 kB, so
        // that both the push and the pull meet at least one cut (about a megabyte crosses
        // each way, and a luckier seed would measure a link that never drops).
        std::vector<std::uint64_t> seeds = o.seeds;
        if (seeds.empty()) {
            std::uint64_t seed = o.seed.value_or(1);
            while (!o.seed && p.cut_mean_bytes > 0 &&
                   (*minga::linkemu::planned_cut(seed, 0, p.cut_mean_bytes) > 400'000 ||
                    *minga::linkemu::planned_cut(seed, 1, p.cut_mean_bytes) > 400'000))
                ++seed;
            seeds.push_back(seed);
        }
        json doc, per_seed = json::array();
        bool all_clean = true, all_met = true;
        double worst_resume = 0;
        for (auto seed : seeds) {
            say("seed " + std::to_string(seed));
            auto one = measure(o, seed, p, refdata, work.path() / std::to_string(seed));
            const auto& l = one["link"];
            per_seed.push_back({{"seed", seed},
                                {"goodput", l["goodput"]},
                                {"elapsed_s", l["elapsed_s"]},
                                {"cuts_push", l["push"]["cuts"]},
                                {"cuts_pull", l["pull"]["cuts"]},
                                {"resume_rtts", l["resume_rtts"]},
                                {"resume_rtts_raw", l["resume_rtts_raw"]},
                                {"zero_lost_zero_duplicated", one["goal"]["zero_lost_zero_duplicated"]}});
            all_clean = all_clean && one["goal"]["zero_lost_zero_duplicated"].get<bool>();
            all_met = all_met && one["goal"]["met"].get<bool>();
            worst_resume = std::max(worst_resume, one["goal"]["resume_rtts_worst"].get<double>());
            if (doc.is_null() || l["goodput"].get<double>() < doc["link"]["goodput"].get<double>())
                doc = std::move(one);
        }
        if (seeds.size() > 1) {
            // The worst seed's document, judged on every seed.
            doc["per_seed"] = per_seed;
            doc["goal"]["resume_rtts_worst"] = worst_resume;
            doc["goal"]["zero_lost_zero_duplicated"] = all_clean;
            doc["goal"]["met"] = all_met;
        }
        std::cout << doc.dump(2) << '\n';
        return all_clean ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "link_bench: " << e.what() << '\n';
        return 1;
    }
}
