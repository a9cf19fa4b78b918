// bench/load: many simulated devices against one real `minga-server` over HTTP on loopback.
//
//   load [--devices N] [--changes C] [--gads G] [--concurrency K] [--push-batch B]
//        [--sources S] [--time-limit SEC] [--server PATH] [--refdata DIR] [--serve-arg ARG]...
//
// Setup (not timed): a central store with the reference data, N one-time enrolment tokens
// (device i belongs to GAD i mod G, G = every territorial GAD by default), one template
// replica whose store API writes C real changes (a project, its indicators, periods and
// monitoring reports, then observations: bench/field_data.hpp), copied per device with fresh
// ids and that device's GAD; the server is started and every device enrols over HTTP; the
// server is restarted so its peak memory covers the load alone.
// Timed: every device, at most K at once, sends hello, pushes its C changes (batches of B) and
// pulls its scope until the last page. Afterwards (not timed): each device pulls again from its
// cursor (what its siblings pushed after its pull), the server is stopped, and
//   - the server's digest of each GAD must equal an oracle's: a copy of the store taken before
//     the load, fed the same pushes in process, one device after another;
//   - each device's own rows plus the owned rows it pulled must be exactly the rows every
//     device of its scope pushed, none pulled twice.
// Prints one JSON document; exit 0 when there were no errors and every check held.
#include "field_data.hpp"
#include "load_client.hpp"
#include "proc_stats.hpp"

#include <minga/shared/central.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/tables.hpp>

#include <process.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <unordered_map>

namespace fs = std::filesystem;
using minga::bench::load_device;
using nlohmann::json;

namespace {

/// Rows bench/field_data.hpp writes for the project (project, SDGs, location, indicators,
/// periods, monitoring reports) before the observations.
constexpr std::size_t project_rows = 27;

struct options {
    std::size_t devices = 1100, changes = 200, gads = 0, concurrency = 0, sources = 64;
    std::uint32_t push_batch = 1000;
    int time_limit = 300;
    fs::path server, refdata;
    std::vector<std::string> serve_args;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "load: " << why
              << "\nusage: load [--devices N] [--changes C] [--gads G] [--concurrency K] "
                 "[--push-batch B] [--sources S] [--time-limit SEC] [--server PATH] "
                 "[--refdata DIR] [--serve-arg ARG]...\n";
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) usage("missing value after " + a);
        std::string v = argv[++i];
        auto num = [&] {
            try {
                return static_cast<std::size_t>(std::stoull(v));
            } catch (const std::exception&) {
                usage(a + " needs a number");
            }
        };
        if (a == "--devices")
            o.devices = num();
        else if (a == "--changes")
            o.changes = num();
        else if (a == "--gads")
            o.gads = num();
        else if (a == "--concurrency")
            o.concurrency = num();
        else if (a == "--push-batch")
            o.push_batch = static_cast<std::uint32_t>(num());
        else if (a == "--sources")
            o.sources = num();
        else if (a == "--time-limit")
            o.time_limit = static_cast<int>(num());
        else if (a == "--server")
            o.server = v;
        else if (a == "--refdata")
            o.refdata = v;
        else if (a == "--serve-arg")
            o.serve_args.push_back(v);
        else
            usage("unknown argument " + a);
    }
    if (o.devices == 0 || o.sources == 0 || o.push_batch == 0 || o.time_limit <= 0)
        usage("--devices, --sources, --push-batch and --time-limit must be at least 1");
    if (o.changes <= project_rows)
        usage("--changes must be at least 28 (the project's 27 rows and one observation)");
    if (o.concurrency == 0) o.concurrency = o.devices;
    return o;
}

template <class T>
T ok(minga::result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.err().text("en"));
    return std::move(*r);
}

/// C real changes from the store API of a template replica of `gad`.
std::vector<minga::protocol::change> template_changes(const fs::path& dir, const std::string& gad,
                                                      const fs::path& refdata, std::size_t n,
                                                      std::string& device_id) {
    auto r = ok(minga::replica::create(dir, gad, refdata), "template replica");
    minga::bench::add_field_data(r, n);  // more than needed: the first n changes are kept
    device_id = r.device_id();
    std::vector<minga::protocol::change> out;
    for (auto& e : r.changes().pending(0, n)) {
        minga::protocol::change c;
        c.seq = static_cast<std::uint64_t>(e.seq);
        c.table = std::move(e.table);
        c.row_id = std::move(e.row_id);
        c.op = minga::protocol::change_op::upsert;
        c.hlc = e.hlc;
        c.owner_gad = std::move(e.owner_gad);
        c.fields = std::move(e.fields);
        out.push_back(std::move(c));
    }
    if (out.size() != n)
        throw std::runtime_error("template has " + std::to_string(out.size()) + " changes");
    return out;
}

/// The template's changes as device `id` of `gad` would have made them: fresh row ids (and the
/// references to them), its GAD, its device id, seq 1..n.
std::vector<minga::protocol::change> device_changes(const std::vector<minga::protocol::change>& tpl,
                                                    const std::string& tpl_gad,
                                                    const std::string& tpl_device,
                                                    const std::string& gad, const std::string& id) {
    std::unordered_map<std::string, std::string> ids;
    for (const auto& c : tpl) ids.emplace(c.row_id, minga::new_uuid_v7());
    auto out = tpl;
    std::uint64_t seq = 0;
    for (auto& c : out) {
        c.seq = ++seq;
        c.row_id = ids.at(c.row_id);
        c.owner_gad = gad;
        for (auto& [name, v] : c.fields) {
            auto* s = std::get_if<std::string>(&v);
            if (!s) continue;
            if (auto it = ids.find(*s); it != ids.end())
                *s = it->second;
            else if (*s == tpl_gad)
                *s = gad;
            else if (*s == tpl_device)
                *s = id;
            else if (s->rfind(tpl_gad + ":", 0) == 0)
                *s = gad + s->substr(tpl_gad.size());
        }
    }
    return out;
}

/// `minga-server serve` on 127.0.0.1, port chosen by the system.
minga::test::child_process start_server(const options& o, const fs::path& data,
                                        std::uint16_t& port) {
    std::vector<std::string> args{"--data",   data.string(), "serve",       "--plain-http",
                                  "--listen", "127.0.0.1:0", "--log-level", "warn"};
    args.insert(args.end(), o.serve_args.begin(), o.serve_args.end());
    minga::test::run_options ro;
    ro.timeout = std::chrono::seconds(o.time_limit + 600);
    minga::test::child_process p(o.server, args, ro);
    const std::string prefix = "listening on http://127.0.0.1:";
    auto line = p.read_line(std::chrono::seconds(60));
    if (!line || line->rfind(prefix, 0) != 0)
        throw std::runtime_error("minga-server did not start: " + p.stderr_text());
    port = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
    return p;
}

void stop_server(minga::test::child_process& p) {
    auto r = p.stop(SIGTERM, std::chrono::seconds(60));
    if (!r.exited(0)) throw std::runtime_error("minga-server stopped badly: " + r.describe());
}

double percentile(std::vector<float> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

double since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// The oracle: the same pushes into a copy of the pre-load store, in process, one device after
/// another. Returns the seconds it took (the load test's baseline: the engine without HTTP).
double feed_oracle(minga::central& c, std::vector<load_device>& devices, std::uint32_t batch) {
    namespace p = minga::protocol;
    const auto t0 = std::chrono::steady_clock::now();
    for (auto& d : devices) {
        std::uint64_t rid = 0;
        auto ask = [&](p::message m, std::uint32_t version) {
            auto res = p::decode(
                c.handle(p::encode(p::frame{version, ++rid, std::move(m)}), d.credential));
            if (!res) throw std::runtime_error("oracle: " + res.err().text("en"));
            return std::move(res->body);
        };
        auto h = ask(p::hello{p::min_supported_version, p::current_version, d.id, "oracle"},
                     p::min_supported_version);
        const auto version = std::get<p::hello_ack>(h).version;
        for (std::size_t at = 0; at < d.changes.size(); at += batch) {
            const auto end = std::min(d.changes.size(), at + batch);
            p::push push{d.id,
                         {d.changes.begin() + static_cast<std::ptrdiff_t>(at),
                          d.changes.begin() + static_cast<std::ptrdiff_t>(end)}};
            auto a = ask(std::move(push), version);
            auto* ack = std::get_if<p::push_ack>(&a);
            if (!ack || ack->acked_through != end)
                throw std::runtime_error("oracle: push of device " + d.id + " not acked");
        }
    }
    return since(t0);
}

struct check_result {
    std::size_t gads = 0, digest_mismatches = 0, scope_mismatches = 0;
};

/// Digests of every GAD (server against oracle) and each device's view against what its
/// scope's devices pushed.
check_result check(minga::central& server, minga::central& oracle,
                   std::vector<load_device>& devices) {
    // Both stores are this run's scratch copies: an index on owner_gad (which the schema has
    // only on some tables) turns each GAD's digest from a scan of every table into a lookup.
    // It changes no row, so the digests are those of the data as the server left it.
    for (auto* c : {&server, &oracle})
        for (const auto& t : minga::synced_tables())
            if (t.owner == minga::ownership::gad)
                c->conn().exec("CREATE INDEX IF NOT EXISTS bench_" + std::string(t.name) +
                               "_owner ON " + std::string(t.name) + "(owner_gad)");
    check_result r;
    std::map<std::string, std::set<std::string>> pushed;  // GAD -> table/row id
    for (const auto& d : devices)
        for (const auto& c : d.changes) pushed[d.gad].insert(c.table + '/' + c.row_id);
    for (const auto& [gad, rows] : pushed) {
        ++r.gads;
        auto a = ok(server.digest({gad}), "server digest");
        auto b = ok(oracle.digest({gad}), "oracle digest");
        if (a != b) ++r.digest_mismatches;
    }
    for (auto& d : devices) {
        std::set<std::string> expected, seen;
        for (const auto& g : d.scope)
            if (auto it = pushed.find(g); it != pushed.end())
                expected.insert(it->second.begin(), it->second.end());
        for (const auto& c : d.changes) seen.insert(c.table + '/' + c.row_id);
        bool bad = false;
        for (const auto& [row, owner] : d.pulled) {
            const bool in_scope = std::find(d.scope.begin(), d.scope.end(), owner) != d.scope.end();
            if (!in_scope || !seen.insert(row).second) bad = true;
        }
        if (bad || seen != expected) {
            ++r.scope_mismatches;
            if (d.error.empty()) d.error = "pulled rows differ from its scope";
        }
    }
    return r;
}

}  // namespace

int main(int argc, char** argv) try {
    auto o = parse(argc, argv);
    if (o.server.empty())
        o.server =
            fs::canonical("/proc/self/exe").parent_path().parent_path() / "server" / "minga-server";
    if (o.refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found (use --refdata)");
        o.refdata = *d;
    }
    minga::test::temp_dir tmp;
    const auto store = tmp / "server", oracle_dir = tmp / "oracle";
    const std::string tpl_gad = "170151";
    auto t0 = std::chrono::steady_clock::now();

    std::vector<load_device> devices(o.devices);
    std::vector<std::string> gads;
    {
        auto c = ok(minga::central::create(store, o.refdata), "central::create");
        for (const auto& g : c.gads())
            if (!g.code.empty() && std::all_of(g.code.begin(), g.code.end(), ::isdigit))
                gads.push_back(g.code);
        if (o.gads && o.gads < gads.size()) gads.resize(o.gads);
        if (gads.empty()) throw std::runtime_error("the store has no territorial GAD");
        for (std::size_t i = 0; i < devices.size(); ++i) {
            auto& d = devices[i];
            d.gad = gads[i % gads.size()];
            d.id = minga::new_uuid_v7();
            d.token =
                ok(c.enroll_device(d.gad, "carga", 24LL * 3600 * 1000), "enroll_device").token;
        }
    }
    std::string tpl_device;
    const auto tpl = template_changes(tmp / "template", tpl_gad, o.refdata, o.changes, tpl_device);
    for (auto& d : devices) d.changes = device_changes(tpl, tpl_gad, tpl_device, d.gad, d.id);
    const double setup_seconds = since(t0);
    std::cerr << "load: " << devices.size() << " devices over "
              << std::min(gads.size(), devices.size()) << " GADs ready in " << setup_seconds
              << " s\n";

    minga::bench::load_config cfg;
    cfg.push_batch = o.push_batch;
    for (std::size_t s = 0; s < o.sources; ++s)
        cfg.sources.push_back(boost::asio::ip::make_address_v4(static_cast<std::uint32_t>(
            (127u << 24) | (1u << 16) | (s / 250) << 8 | (2 + s % 250))));
    const auto limit = std::chrono::seconds(o.time_limit);
    std::uint16_t port = 0;

    minga::bench::load_stats enrol_stats;
    double enrol_seconds = 0;
    {
        auto srv = start_server(o, store, port);
        cfg.server = {boost::asio::ip::make_address_v4("127.0.0.1"), port};
        enrol_seconds = minga::bench::run_phase(cfg, devices, minga::bench::load_phase::enroll,
                                                o.concurrency, limit, enrol_stats);
        stop_server(srv);
    }
    for (const auto& d : devices)
        if (!d.error.empty()) throw std::runtime_error("enrolment failed: " + d.error);
    fs::copy(store, oracle_dir, fs::copy_options::recursive);
    std::cerr << "load: enrolled in " << enrol_seconds << " s; starting the load\n";

    minga::bench::load_stats st, catch_st;
    double seconds = 0, catch_seconds = 0;
    long server_hwm_kb = 0, server_rss_kb = 0;
    {
        auto srv = start_server(o, store, port);
        cfg.server.port(port);
        seconds = minga::bench::run_phase(cfg, devices, minga::bench::load_phase::sync,
                                          o.concurrency, limit, st);
        server_hwm_kb = minga::bench::proc_status_kb(srv.pid(), "VmHWM");
        server_rss_kb = minga::bench::proc_status_kb(srv.pid(), "VmRSS");
        catch_seconds = minga::bench::run_phase(cfg, devices, minga::bench::load_phase::catch_up,
                                                o.concurrency, limit, catch_st);
        stop_server(srv);
    }
    std::cerr << "load: " << seconds << " s (catch-up " << catch_seconds << " s); checking\n";

    auto oracle = ok(minga::central::open(oracle_dir), "oracle open");
    const double oracle_seconds = feed_oracle(oracle, devices, o.push_batch);
    std::cerr << "load: oracle fed in " << oracle_seconds << " s\n";
    const auto tc = std::chrono::steady_clock::now();
    auto server = ok(minga::central::open(store), "server store open");
    const auto chk = check(server, oracle, devices);
    const double check_seconds = since(tc);
    std::cerr << "load: checked in " << check_seconds << " s\n";

    json errors = json::array();
    std::size_t n_errors = 0;
    for (const auto& d : devices)
        if (!d.error.empty() && ++n_errors <= 5) errors.push_back(d.id + ": " + d.error);
    const double changes = static_cast<double>(devices.size() * o.changes);
    const bool converged = chk.digest_mismatches == 0 && chk.scope_mismatches == 0;
    json out = {
        {"bench", "load"},
        {"devices", devices.size()},
        {"changes_per_device", o.changes},
        {"gads", std::min(gads.size(), devices.size())},
        {"concurrency", o.concurrency},
        {"push_batch", o.push_batch},
        {"source_addresses", o.sources},
        {"serve_args", o.serve_args},
        {"setup_seconds", setup_seconds},
        {"enrol",
         {{"seconds", enrol_seconds},
          {"requests", enrol_stats.requests},
          {"busy", enrol_stats.busy}}},
        {"load",
         {{"what", "every device: hello, push its changes, pull its scope to the last page"},
          {"seconds", seconds},
          {"changes", changes},
          {"changes_per_s", changes / seconds},
          {"requests", st.requests},
          {"latency_ms",
           {{"p50", percentile(st.latency_ms, 0.50)},
            {"p99", percentile(st.latency_ms, 0.99)},
            {"max", percentile(st.latency_ms, 1.0)}}},
          {"busy_retries", st.busy},
          {"dropped_connections", st.dropped},
          {"connections", st.connections},
          {"bytes_up", st.bytes_up},
          {"bytes_down", st.bytes_down}}},
        {"catch_up", {{"seconds", catch_seconds}, {"requests", catch_st.requests}}},
        {"baseline_in_process",
         {{"what",
           "the same pushes, one device after another, into a copy of the store "
           "through central::handle (no HTTP, no concurrency)"},
          {"seconds", oracle_seconds},
          {"changes_per_s", changes / oracle_seconds}}},
        {"ratio_load_vs_in_process", oracle_seconds / seconds},
        {"server_peak_rss_kb", server_hwm_kb},
        {"server_rss_after_kb", server_rss_kb},
        {"errors", n_errors},
        {"first_errors", errors},
        {"digests_checked", chk.gads},
        {"check_seconds", check_seconds},
        {"digest_mismatches", chk.digest_mismatches},
        {"scope_mismatches", chk.scope_mismatches},
        {"converged", converged},
        {"goal",
         {{"seconds_max", 60}, {"errors", 0}, {"met", seconds < 60 && n_errors == 0 && converged}}},
    };
    std::cout << out.dump(2) << std::endl;
    return n_errors == 0 && converged ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "load: " << e.what() << '\n';
    return 1;
}
