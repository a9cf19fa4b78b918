// mem_bench: peak memory of the real `minga sync` process on a replica of N observations, and
// of the real `minga-server` serving it.
//
//   mem_bench [--rows N] [--minga PATH] [--server PATH] [--refdata DIR]
//
// Replica A (GAD 170151) gets N observations through the store API (bench/field_data.hpp, each
// with its outbox entry); a central store gets two enrolment tokens; `minga-server serve`
// starts on 127.0.0.1:0 (plain HTTP). Then, each a separate `minga` process whose own peak RSS
// is read from wait4's rusage (ru_maxrss):
//   - push: `minga sync` of A sends its N changes;
//   - initial_pull: a fresh replica B (`minga init`, `minga enroll`) runs `minga sync`, pulling
//     the N rows;
//   - baseline: `minga status` on B, the floor of the process (binary, libraries, SQLite open).
// The server's peak (VmHWM from /proc) is read before it stops. Exit 0 when every step ran and
// B holds N observations; the goal (`max_rss_kb` at most 30 MB) is reported, not enforced.
#include "field_data.hpp"
#include "proc_stats.hpp"

#include <minga/shared/central.hpp>
#include <minga/shared/reference_data.hpp>

#include <process.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "mem_bench: " << why
              << "\nusage: mem_bench [--rows N] [--minga PATH] [--server PATH] [--refdata DIR]\n";
    std::exit(2);
}

constexpr long goal_kb = 30 * 1024;

template <class T>
T ok(minga::result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.err().text("en"));
    return std::move(*r);
}

json step(const minga::bench::measured_run& r, const char* what) {
    return {{"what", what},
            {"seconds", r.seconds},
            {"max_rss_kb", r.max_rss_kb},
            {"exit_code", r.exit_code}};
}

}  // namespace

int main(int argc, char** argv) try {
    std::size_t rows = 100000;
    fs::path minga_bin, server_bin, refdata;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) usage("missing value after " + a);
        std::string v = argv[++i];
        if (a == "--rows")
            rows = std::stoul(v);
        else if (a == "--minga")
            minga_bin = v;
        else if (a == "--server")
            server_bin = v;
        else if (a == "--refdata")
            refdata = v;
        else
            usage("unknown argument " + a);
    }
    if (rows == 0) usage("--rows must be at least 1");
    const auto build = fs::canonical("/proc/self/exe").parent_path().parent_path();
    if (minga_bin.empty()) minga_bin = build / "client" / "minga";
    if (server_bin.empty()) server_bin = build / "server" / "minga-server";
    if (refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found (use --refdata)");
        refdata = *d;
    }
    minga::test::temp_dir tmp;
    const auto a_dir = tmp / "a", b_dir = tmp / "b", store = tmp / "server", log = tmp / "log";
    const std::string gad = "170151";
    auto t0 = std::chrono::steady_clock::now();
    {
        auto a = ok(minga::replica::create(a_dir, gad, refdata), "replica A");
        minga::bench::add_field_data(a, rows);
    }
    std::vector<std::string> tokens;
    {
        auto c = ok(minga::central::create(store, refdata), "central::create");
        for (int i = 0; i < 2; ++i)
            tokens.push_back(ok(c.enroll_device(gad, "mem", 3600 * 1000), "enroll_device").token);
    }
    const double setup_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    minga::test::child_process srv(server_bin, {"--data", store.string(), "serve", "--plain-http",
                                                "--listen", "127.0.0.1:0", "--log-level", "warn"});
    const std::string prefix = "listening on ";
    auto line = srv.read_line(std::chrono::seconds(60));
    if (!line || line->rfind(prefix, 0) != 0)
        throw std::runtime_error("minga-server did not start: " + srv.stderr_text());
    const std::string url = line->substr(prefix.size());

    auto minga = [&](const fs::path& dir, std::vector<std::string> args) {
        args.insert(args.begin(), {"--data", dir.string()});
        auto r = minga::bench::run_measured(minga_bin, args, log);
        if (r.exit_code != 0) throw std::runtime_error("minga " + args[2] + " failed; see the log");
        return r;
    };
    minga(a_dir, {"enroll", "--server", url, "--token", tokens[0]});
    const auto push = minga(a_dir, {"sync"});
    minga(b_dir, {"init", "--gad", gad});
    minga(b_dir, {"enroll", "--server", url, "--token", tokens[1]});
    const auto pull = minga(b_dir, {"sync"});
    const auto floor = minga(b_dir, {"status"});
    const long server_kb = minga::bench::proc_status_kb(srv.pid(), "VmHWM");
    if (auto r = srv.stop(SIGTERM, std::chrono::seconds(60)); !r.exited(0))
        throw std::runtime_error("minga-server stopped badly: " + r.describe());

    auto b = ok(minga::replica::open(b_dir), "replica B");
    auto s = b.conn().prepare("SELECT count(*) FROM observation");
    s.step();
    const auto held = static_cast<std::size_t>(s.get_int(0));
    const long peak = std::max(push.max_rss_kb, pull.max_rss_kb);
    json out = {
        {"bench", "mem"},
        {"rows", rows},
        {"setup_seconds", setup_seconds},
        {"push", step(push, "minga sync sending every change of a replica of N observations")},
        {"initial_pull", step(pull, "minga sync of a fresh replica pulling the N observations")},
        {"baseline", step(floor, "minga status on the pulled replica: the process floor")},
        {"client_peak_rss_kb", peak},
        {"server_peak_rss_kb", server_kb},
        {"pulled_rows_held", held},
        {"goal", {{"max_rss_kb", goal_kb}, {"met", peak <= goal_kb}}},
    };
    std::cout << out.dump(2) << std::endl;
    return held == rows ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "mem_bench: " << e.what() << '\n';
    return 1;
}
