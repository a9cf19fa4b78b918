// bench/run: every benchmark of the project in one command, one JSON document.
//
//   run [--quick] [--only NAME[,NAME...]] [--bin DIR]
//
// Builds nothing: it runs the bench executables next to it (DIR, default: its own folder), each
// as a child process with the sizes of the mode (`--quick`: small sizes, seconds, for the test
// suite; default: the sizes of docs/benchmarks.md, many minutes, for people), parses each one's
// JSON document and prints one document on stdout:
//   {"mode", "seconds", "ok", "summary": {...}, "benchmarks": {NAME: its document}}
// and a short human table on stderr. `summary` gathers the numbers of issue 8, each beside its
// baseline from the same run (docs/benchmarks.md, "bench/run"). Exit 0 when every benchmark
// exited 0 and printed its document and (without --only) every number of the summary was
// found, 1 otherwise, 2 on bad arguments.
#include <process.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct bench_step {
    std::string name;
    std::vector<std::string> quick, full;  // arguments of each mode
};

const std::vector<bench_step>& steps() {
    static const std::vector<bench_step> s = {
        {"import_bench", {"--rows", "5000", "--repeat", "1"}, {}},
        {"sync_bench", {"--rows", "3000", "--repeat", "1"}, {}},
        {"link_bench", {"--rows", "300"}, {}},
        {"tls_bench", {"--rows", "2000", "--repeat", "1"}, {}},
        {"consolidate_bench",
         {"--gads", "20", "--projects", "3", "--observations", "5", "--repeat", "1"},
         {}},
        {"match_bench", {"--offers", "2000", "--repeat", "1"}, {}},
        {"mem_bench", {"--rows", "3000"}, {}},
        {"load", {"--devices", "40", "--changes", "40", "--gads", "20", "--concurrency", "40"}, {}},
    };
    return s;
}

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "run: " << why << "\nusage: run [--quick] [--only NAME[,NAME...]] [--bin DIR]\n";
    std::exit(2);
}

/// The value at `ptr` in `doc`, or null when absent.
json at(const json& doc, const char* ptr) {
    const json::json_pointer p(ptr);
    return doc.contains(p) ? doc.at(p) : json();
}

double num(const json& v) {
    return v.is_number() ? v.get<double>() : 0.0;
}

/// Issue 8's numbers, each with its baseline, from the benchmarks' own documents.
json summarize(const json& b) {
    json s = json::object();
    auto has = [&](const char* n) { return b.contains(n) && b.at(n).is_object(); };
    if (has("import_bench")) {
        const auto& d = b.at("import_bench");
        s["import_rows_per_s"] = {{"minga", at(d, "/minga_cli/rows_per_s")},
                                  {"baseline_raw_sqlite", at(d, "/raw_sqlite/rows_per_s")},
                                  {"ratio", at(d, "/ratio_minga_vs_raw")}};
    }
    if (has("sync_bench")) {
        const auto& d = b.at("sync_bench");
        const double rows = num(at(d, "/rows")), push_s = num(at(d, "/push/seconds"));
        const double raw = num(at(d, "/raw_sqlite/rows_per_s"));
        s["initial_pull_rows_per_s"] = {{"minga", at(d, "/initial_pull/rows_per_s")},
                                        {"baseline_raw_sqlite", raw},
                                        {"ratio", at(d, "/ratio_pull_vs_raw")}};
        const double push = push_s > 0 ? rows / push_s : 0;
        s["push_changes_per_s"] = {
            {"minga", push}, {"baseline_raw_sqlite", raw}, {"ratio", raw > 0 ? push / raw : 0}};
        s["bytes_per_change"] = {
            {"up", at(d, "/bytes_per_observation/up")},
            {"down", at(d, "/bytes_per_observation/down")},
            {"baseline_uncompressed_up", at(d, "/uncompressed/bytes_per_observation/up")},
            {"baseline_uncompressed_down", at(d, "/uncompressed/bytes_per_observation/down")}};
        s["noop_sync"] = {{"requests", at(d, "/noop_sync/requests")},
                          {"bytes", at(d, "/noop_sync/bytes_total")},
                          {"seconds", at(d, "/noop_sync/seconds")}};
    }
    if (has("link_bench")) {
        const auto& d = b.at("link_bench");
        s["link_2g_goodput"] = {
            {"goodput", at(d, "/goal/goodput")},
            {"profile", at(d, "/link/profile")},
            {"baseline_clean_push_seconds", at(d, "/baseline_clean/push/seconds")},
            {"lost_or_duplicated_zero", at(d, "/goal/zero_lost_zero_duplicated")}};
    }
    if (has("tls_bench")) {
        const auto& d = b.at("tls_bench");
        s["tls_time_ratio"] = at(d, "/tls_time_ratio");
    }
    if (has("consolidate_bench")) {
        const auto& d = b.at("consolidate_bench");
        s["consolidation_seconds"] = {
            {"full", at(d, "/full/seconds")},
            {"incremental_1pct", at(d, "/clustered_1pct/incremental_seconds")},
            {"baseline_full_same_round", at(d, "/clustered_1pct/full_seconds")},
            {"speedup", at(d, "/clustered_1pct/speedup")},
            {"speedup_cpu", at(d, "/clustered_1pct/speedup_cpu")}};
    }
    if (has("match_bench")) {
        const auto& d = b.at("match_bench");
        s["offer_match_ms"] = {{"indexed", at(d, "/indexed_ms")},
                               {"baseline_full_scan", at(d, "/full_scan_ms")}};
    }
    if (has("load")) {
        const auto& d = b.at("load");
        s["load"] = {
            {"devices", at(d, "/devices")},
            {"changes", at(d, "/load/changes")},
            {"seconds", at(d, "/load/seconds")},
            {"changes_per_s", at(d, "/load/changes_per_s")},
            {"baseline_in_process_changes_per_s", at(d, "/baseline_in_process/changes_per_s")},
            {"latency_p50_ms", at(d, "/load/latency_ms/p50")},
            {"latency_p99_ms", at(d, "/load/latency_ms/p99")},
            {"errors", at(d, "/errors")},
            {"converged", at(d, "/converged")},
            {"server_peak_rss_kb", at(d, "/server_peak_rss_kb")}};
    }
    if (has("mem_bench")) {
        const auto& d = b.at("mem_bench");
        s["peak_rss_kb"] = {{"client_push", at(d, "/push/max_rss_kb")},
                            {"client_initial_pull", at(d, "/initial_pull/max_rss_kb")},
                            {"baseline_client_status", at(d, "/baseline/max_rss_kb")},
                            {"server", at(d, "/server_peak_rss_kb")},
                            {"rows", at(d, "/rows")}};
    }
    return s;
}

std::string fmt(const json& v, int decimals = 0) {
    if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
    if (!v.is_number()) return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
    return buf;
}

void table(const json& s, std::ostream& out) {
    auto row = [&](const std::string& what, const std::string& value, const std::string& base) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "%-34s %22s   %s\n", what.c_str(), value.c_str(),
                      base.c_str());
        out << buf;
    };
    row("number", "measured", "baseline (same run)");
    auto g = [&](const char* a, const char* b) {
        return s.contains(a) ? s[a].value(b, json()) : json();
    };
    row("import, rows/s", fmt(g("import_rows_per_s", "minga")),
        "raw SQLite " + fmt(g("import_rows_per_s", "baseline_raw_sqlite")));
    row("initial pull, rows/s", fmt(g("initial_pull_rows_per_s", "minga")),
        "raw SQLite " + fmt(g("initial_pull_rows_per_s", "baseline_raw_sqlite")));
    row("push, changes/s", fmt(g("push_changes_per_s", "minga")),
        "raw SQLite " + fmt(g("push_changes_per_s", "baseline_raw_sqlite")));
    row("bytes per change up / down",
        fmt(g("bytes_per_change", "up"), 1) + " / " + fmt(g("bytes_per_change", "down"), 1),
        "uncompressed " + fmt(g("bytes_per_change", "baseline_uncompressed_up"), 1) + " / " +
            fmt(g("bytes_per_change", "baseline_uncompressed_down"), 1));
    row("no-op sync, requests / bytes",
        fmt(g("noop_sync", "requests")) + " / " + fmt(g("noop_sync", "bytes")), "");
    row("2G goodput", fmt(g("link_2g_goodput", "goodput"), 2),
        "profile " + g("link_2g_goodput", "profile").dump());
    row("consolidation full / incr., s",
        fmt(g("consolidation_seconds", "full"), 2) + " / " +
            fmt(g("consolidation_seconds", "incremental_1pct"), 3),
        "full in the same round " + fmt(g("consolidation_seconds", "baseline_full_same_round"), 2) +
            ", speedup " + fmt(g("consolidation_seconds", "speedup"), 1) + "x (CPU " +
            fmt(g("consolidation_seconds", "speedup_cpu"), 1) + "x)");
    row("load test, s", fmt(g("load", "seconds"), 1),
        fmt(g("load", "devices")) + " devices, errors " + fmt(g("load", "errors")) +
            ", converged " + fmt(g("load", "converged")));
    row("load test, changes/s", fmt(g("load", "changes_per_s")),
        "in process " + fmt(g("load", "baseline_in_process_changes_per_s")));
    row("load test p50 / p99, ms",
        fmt(g("load", "latency_p50_ms"), 1) + " / " + fmt(g("load", "latency_p99_ms"), 1), "");
    row("client peak RSS push / pull, MB",
        fmt(num(g("peak_rss_kb", "client_push")) / 1024, 1) + " / " +
            fmt(num(g("peak_rss_kb", "client_initial_pull")) / 1024, 1),
        "minga status " + fmt(num(g("peak_rss_kb", "baseline_client_status")) / 1024, 1) + " MB, " +
            fmt(g("peak_rss_kb", "rows")) + " rows");
    row("server peak RSS load / mem, MB",
        fmt(num(g("load", "server_peak_rss_kb")) / 1024, 1) + " / " +
            fmt(num(g("peak_rss_kb", "server")) / 1024, 1),
        "");
}

}  // namespace

int main(int argc, char** argv) try {
    bool quick = false;
    std::set<std::string> only;
    fs::path bin = fs::canonical("/proc/self/exe").parent_path();
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quick")
            quick = true;
        else if ((a == "--only" || a == "--bin") && i + 1 < argc) {
            std::string v = argv[++i];
            if (a == "--bin")
                bin = v;
            else {
                std::stringstream ss(v);
                for (std::string n; std::getline(ss, n, ',');) only.insert(n);
            }
        } else
            usage("unknown argument " + a);
    }
    for (const auto& n : only) {
        bool known = false;
        for (const auto& s : steps()) known = known || s.name == n;
        if (!known) usage("unknown benchmark " + n);
    }
    const auto t0 = std::chrono::steady_clock::now();
    json benches = json::object(), failures = json::array();
    for (const auto& s : steps()) {
        if (!only.empty() && !only.count(s.name)) continue;
        std::cerr << "run: " << s.name << "...\n";
        minga::test::run_options ro;
        ro.timeout = quick ? std::chrono::minutes(2) : std::chrono::hours(2);
        const auto t = std::chrono::steady_clock::now();
        auto r = minga::test::run_process(bin / s.name, quick ? s.quick : s.full, ro);
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
        json doc = json::parse(r.out, nullptr, false);
        if (!r.exited(0) || doc.is_discarded() || !doc.is_object()) {
            failures.push_back(s.name);
            std::cerr << "run: " << s.name << " failed (exit " << r.exit_code << ")\n"
                      << r.err << '\n';
            if (doc.is_discarded()) doc = json();
        }
        if (doc.is_object()) doc["run_seconds"] = secs;
        benches[s.name] = doc;
    }
    json summary = summarize(benches);
    // A number a benchmark stopped printing (renamed key, changed document) must not go
    // unnoticed: the quick run in the test suite fails on it.
    json missing = json::array();
    for (const auto& [group, v] : summary.items()) {
        if (v.is_null()) missing.push_back(group);
        if (v.is_object())
            for (const auto& [k, x] : v.items())
                if (x.is_null()) missing.push_back(group + "." + k);
    }
    const bool ok = failures.empty() && (!only.empty() || missing.empty());
    json out = {
        {"mode", quick ? "quick" : "full"},
        {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()},
        {"ok", ok},
        {"failed", failures},
        {"missing_numbers", missing},
        {"summary", summary},
        {"benchmarks", benches}};
    std::cout << out.dump(2) << std::endl;
    table(summary, std::cerr);
    if (!missing.empty())
        std::cerr << "run: numbers missing from the summary: " << missing.dump() << '\n';
    return ok ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "run: " << e.what() << '\n';
    return 1;
}
