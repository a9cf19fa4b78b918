// sync_bench: the sync numbers of issue 4, measured in one run against the real server.
//
// In one process it starts the real server (central store behind the store executor, the HTTP
// endpoint on 127.0.0.1:0, its io_context on its own thread) and syncs real replicas through
// http_transport over TCP:
//   push          device A of parish 170151 holds N observations (bench/field_data.hpp,
//                 written through entity_service in one transaction) and syncs them up;
//   initial_pull  a fresh device B of the same parish does its first sync (wall clock of
//                 sync(): connect, every pull page applied), a fresh B each repetition;
//   raw_sqlite    the baseline: the same N rows, every column, read back from A's observation
//                 table before the clock starts, inserted into the observation table of a fresh
//                 replica with one prepared INSERT in one transaction;
//   noop_sync     the last B syncs again with nothing to do: requests and bytes;
//   uncompressed  the same push and first pull with the transport's `compress = false`, against
//                 a second server, for reference (one run).
// Bytes are the transport's counts: request and response headers and bodies as they crossed
// the socket. After every pull the bench checks that B's scope digest equals the server's and
// that B holds exactly N observations; "converged" says so and the exit code is 1 if not.
//
//   sync_bench [--rows N] [--repeat R] [--refdata DIR]
#include "../tests/support/process.hpp"
#include "field_data.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/server/central_backend.hpp>
#include <minga/server/http_server.hpp>
#include <minga/server/log.hpp>
#include <minga/server/store_executor.hpp>
#include <minga/shared/central.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>

#include <sqlite3.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace net = boost::asio;
using clock_type = std::chrono::steady_clock;
using minga::test::temp_dir;
using json = nlohmann::ordered_json;

// The goals.
constexpr double goal_pull_ratio = 0.25;            // initial pull rows/s ÷ raw SQLite rows/s
constexpr double goal_bytes_per_observation = 150;  // each direction, headers included
constexpr std::uint64_t goal_noop_requests = 1;
constexpr std::uint64_t goal_noop_bytes = 600;  // both directions, headers included

constexpr const char* gad = "170151";
constexpr std::int64_t token_ttl_ms = 24LL * 60 * 60 * 1000;

struct options {
    std::size_t rows = 100'000;
    int repeat = 3;
    fs::path refdata;  // default: find_data_dir()
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "sync_bench: " << why
              << "\nusage: sync_bench [--rows N] [--repeat R] [--refdata DIR]\n";
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a != "--rows" && a != "--repeat" && a != "--refdata") usage("unknown argument " + a);
        if (i + 1 >= argc) usage(a + " needs a value");
        const std::string v = argv[++i];
        try {
            if (a == "--rows")
                o.rows = std::stoul(v);
            else if (a == "--repeat")
                o.repeat = std::stoi(v);
            else
                o.refdata = v;
        } catch (const std::logic_error&) {
            usage(a + " needs a number, not " + v);
        }
    }
    if (o.rows == 0 || o.repeat < 1) usage("--rows and --repeat must be at least 1");
    if (o.refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found: " + d.err().text("en") + " (use --refdata)");
        o.refdata = *d;
    }
    return o;
}

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

template <class T>
T ok(minga::result<T> r, const std::string& what) {
    if (!r) throw std::runtime_error(what + ": " + r.err().text("en"));
    return std::move(*r);
}

/// The real server in this process, as `minga-server serve` wires it: `c` behind the store
/// executor, the HTTP endpoint on 127.0.0.1:0, the io_context on its own thread. Warnings go
/// to stderr. `stop()` (or the destructor) finishes what is in flight, then joins.
class bench_server {
  public:
    explicit bench_server(minga::central c)
        : sink_(std::cerr, minga::server::log_level::warn),
          store_(minga::server::make_central_backend(std::move(c)),
                 minga::server::store_executor_options{}, minga::server::logger(sink_, "store")) {
        const net::ip::tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
        server_ = ok(minga::server::http_server::start(ioc_, ep, store_, {}, sink_),
                     "http_server::start");
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~bench_server() { stop(); }
    bench_server(const bench_server&) = delete;
    bench_server& operator=(const bench_server&) = delete;

    [[nodiscard]] std::string url() const {
        return "http://127.0.0.1:" + std::to_string(server_->local_endpoint().port());
    }
    void stop() {
        if (!server_) return;
        server_->stop();
        if (thread_.joinable()) thread_.join();
        store_.stop();
        server_.reset();
    }

  private:
    minga::server::log_sink sink_;
    minga::server::store_executor store_;
    net::io_context ioc_;
    std::unique_ptr<minga::server::http_server> server_;
    std::thread thread_;
};

minga::client::http_transport transport(const std::string& url, bool compress) {
    minga::client::transport_options o;
    o.compress = compress;
    return ok(minga::client::http_transport::create(url, o), "http_transport::create");
}

/// Enrols `r` with a one-time token (over its own transport: not part of any measurement).
void enrol(minga::replica& r, const std::string& url, const std::string& token) {
    auto t = transport(url, true);
    (void)ok(minga::enroll(r, t.as_transport_fn(), t.url().text(), token, "tableta de campo"),
             "enroll");
}

/// One sync over a transport of its own (a new connection, as each `minga sync` makes).
struct sync_run {
    minga::sync_report report;
    double seconds = 0;
    std::uint64_t sent = 0, received = 0, connections = 0;
};

sync_run timed_sync(minga::replica& r, const std::string& url, bool compress) {
    auto t = transport(url, compress);
    const auto t0 = clock_type::now();
    auto rep = minga::sync(r, t.as_transport_fn());
    const double s = seconds_since(t0);
    return {ok(std::move(rep), "sync"), s, t.bytes_sent(), t.bytes_received(), t.connections()};
}

json sync_json(const sync_run& s) {
    return {{"seconds", s.seconds},         {"requests", s.report.requests},
            {"connections", s.connections}, {"pushed", s.report.pushed},
            {"pulled", s.report.pulled},    {"bytes_sent", s.sent},
            {"bytes_received", s.received}};
}

/// A table's rows, every column, as stored.
struct table_rows {
    std::vector<std::string> columns;
    std::vector<std::vector<minga::sql::value>> rows;
};

table_rows read_observations(minga::replica& r) {
    table_rows t;
    auto s = r.conn().prepare("SELECT * FROM observation ORDER BY id");
    for (int c = 0; c < s.columns(); ++c) t.columns.push_back(s.column_name(c));
    while (s.step()) {
        auto& row = t.rows.emplace_back();
        for (int c = 0; c < s.columns(); ++c) row.push_back(s.get_value(c));
    }
    return t;
}

void check_sqlite(sqlite3* db, int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void bind_value(sqlite3_stmt* s, int i, const minga::sql::value& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v))
        sqlite3_bind_int64(s, i, *n);
    else if (const auto* d = std::get_if<double>(&v))
        sqlite3_bind_double(s, i, *d);
    else if (const auto* t = std::get_if<std::string>(&v))
        sqlite3_bind_text(s, i, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
    else if (const auto* b = std::get_if<minga::sql::blob>(&v))
        sqlite3_bind_blob(s, i, b->data(), static_cast<int>(b->size()), SQLITE_STATIC);
    else
        sqlite3_bind_null(s, i);
}

/// The baseline: `t` into the observation table of a copy of the fresh replica `fresh_db`,
/// with minga's connection settings, one prepared INSERT, one transaction. Returns seconds.
double run_raw(const fs::path& fresh_db, const fs::path& dir, const table_rows& t) {
    fs::create_directories(dir);
    const auto file = dir / std::string(minga::replica::file_name);
    fs::copy_file(fresh_db, file);
    sqlite3* db = nullptr;
    check_sqlite(db, sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), "open");
    std::unique_ptr<sqlite3, int (*)(sqlite3*)> closer(db, sqlite3_close);
    check_sqlite(
        db,
        sqlite3_exec(
            db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL",
            nullptr, nullptr, nullptr),
        "pragmas");
    std::string sql = "INSERT INTO observation(", vals;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        sql += (c ? ", " : "") + t.columns[c];
        vals += (c ? ", ?" : "?") + std::to_string(c + 1);
    }
    sql += ") VALUES (" + vals + ")";
    const auto t0 = clock_type::now();
    check_sqlite(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
    sqlite3_stmt* raw = nullptr;
    check_sqlite(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr), "prepare");
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> s(raw, sqlite3_finalize);
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c)
            bind_value(raw, static_cast<int>(c + 1), row[c]);
        check_sqlite(db, sqlite3_step(raw), "insert");
        sqlite3_reset(raw);
    }
    s.reset();
    check_sqlite(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
    const double secs = seconds_since(t0);
    sqlite3_stmt* cnt = nullptr;
    check_sqlite(db, sqlite3_prepare_v2(db, "SELECT count(*) FROM observation", -1, &cnt, nullptr),
                 "count");
    sqlite3_step(cnt);
    const auto n = sqlite3_column_int64(cnt, 0);
    sqlite3_finalize(cnt);
    if (static_cast<std::size_t>(n) != t.rows.size())
        throw std::runtime_error("raw insert: wrong row count");
    return secs;
}

std::int64_t observations(minga::replica& r) {
    return r.conn().scalar_int("SELECT count(*) FROM observation");
}

/// A server store with one-time tokens for `devices` devices of the parish.
std::vector<std::string> make_central(const fs::path& dir, const fs::path& refdata, int devices) {
    auto c = ok(minga::central::create(dir, refdata), "central::create");
    std::vector<std::string> tokens;
    for (int i = 0; i < devices; ++i)
        tokens.push_back(ok(c.enroll_device(gad, "tableta " + std::to_string(i + 1), token_ttl_ms),
                            "enroll_device")
                             .token);
    return tokens;
}

std::string server_digest(const fs::path& dir) {
    auto c = ok(minga::central::open(dir), "central::open");
    return ok(c.digest({gad}), "central::digest");
}

/// A fresh replica of the parish, enrolled on `url` (device B).
minga::replica fresh_device(const fs::path& dir, const options& o, const std::string& url,
                            const std::string& token) {
    auto r = ok(minga::replica::create(dir, gad, o.refdata), "replica::create");
    enrol(r, url, token);
    return r;
}

struct pull_result {
    sync_run run;
    std::string digest;
    std::int64_t observations = 0;
};

pull_result first_pull(const fs::path& dir, const options& o, const std::string& url,
                       const std::string& token, bool compress) {
    auto b = fresh_device(dir, o, url, token);
    pull_result p{timed_sync(b, url, compress), {}, 0};
    p.digest = minga::scope_digest(b.conn(), b.gads());
    p.observations = observations(b);
    return p;
}

void say(const std::string& s) {
    std::cerr << "sync_bench: " << s << std::endl;
}

/// Writes device A's data in `work/a`, and an identical copy in `work/a-plain` for the
/// uncompressed run. Returns the seconds the data took to write.
double make_device_a(const fs::path& work, const options& o) {
    say("creating device A with " + std::to_string(o.rows) + " observations");
    const auto t0 = clock_type::now();
    {
        auto a = ok(minga::replica::create(work / "a", gad, o.refdata), "replica::create");
        (void)minga::bench::add_field_data(a, o.rows,
                                           [](std::size_t k) { say(std::to_string(k) + " rows"); });
    }  // closed: the WAL is checkpointed, the file alone is the replica
    const double s = seconds_since(t0);
    fs::create_directories(work / "a-plain");
    fs::copy_file(work / "a" / std::string(minga::replica::file_name),
                  work / "a-plain" / std::string(minga::replica::file_name));
    return s;
}

/// Everything measured, before it is judged.
struct measurements {
    double create_seconds = 0;
    sync_run push, push_plain, noop;
    std::vector<pull_result> pulls;
    pull_result pull_plain;
    std::vector<double> raw_seconds;
    std::string a_digest, digest, digest_plain;
};

/// Fresh devices B pull from `server`, each followed by the baseline into a copy of `fresh_db`.
void measure_pulls(const fs::path& work, const options& o, const bench_server& server,
                   const std::vector<std::string>& tokens, const table_rows& rows,
                   measurements& m) {
    const auto fresh_db = work / "fresh" / std::string(minga::replica::file_name);
    for (int k = 0; k < o.repeat; ++k) {
        const auto tag = std::to_string(k + 1);
        const auto& p = m.pulls.emplace_back(first_pull(
            work / ("b" + tag), o, server.url(), tokens[1 + static_cast<std::size_t>(k)], true));
        m.raw_seconds.push_back(run_raw(fresh_db, work / ("raw" + tag), rows));
        fs::remove_all(work / ("raw" + tag));
        say("round " + tag + "/" + std::to_string(o.repeat) + ": pull " +
            std::to_string(p.run.seconds) + " s, raw " + std::to_string(m.raw_seconds.back()) +
            " s");
    }
}

measurements run_bench(const fs::path& work, const options& o) {
    measurements m;
    m.create_seconds = make_device_a(work, o);
    {  // the fresh replica the baseline inserts into
        auto r = ok(minga::replica::create(work / "fresh", gad, o.refdata), "replica::create");
    }
    const auto tokens = make_central(work / "server", o.refdata, 1 + o.repeat);
    const auto tokens_plain = make_central(work / "server-plain", o.refdata, 2);
    bench_server server(ok(minga::central::open(work / "server"), "central::open"));
    bench_server server_plain(ok(minga::central::open(work / "server-plain"), "central::open"));

    say("device A pushes");
    auto a = ok(minga::replica::open(work / "a"), "replica::open");
    enrol(a, server.url(), tokens[0]);
    m.push = timed_sync(a, server.url(), true);
    if (m.push.report.pushed < o.rows)
        throw std::runtime_error("push: changes left unacknowledged");
    m.a_digest = minga::scope_digest(a.conn(), a.gads());
    const auto rows = read_observations(a);
    if (rows.rows.size() != o.rows) throw std::runtime_error("device A: wrong observation count");

    measure_pulls(work, o, server, tokens, rows, m);
    // The last B again, as a new `minga sync` process would: nothing to do.
    auto b = ok(minga::replica::open(work / ("b" + std::to_string(o.repeat))), "replica::open");
    m.noop = timed_sync(b, server.url(), true);

    say("uncompressed reference run");
    auto a_plain = ok(minga::replica::open(work / "a-plain"), "replica::open");
    enrol(a_plain, server_plain.url(), tokens_plain[0]);
    m.push_plain = timed_sync(a_plain, server_plain.url(), false);
    m.pull_plain = first_pull(work / "b-plain", o, server_plain.url(), tokens_plain[1], false);

    // The stores are read only once their servers have stopped: one owner at a time.
    server.stop();
    server_plain.stop();
    m.digest = server_digest(work / "server");
    m.digest_plain = server_digest(work / "server-plain");
    return m;
}

/// Every replica holds what the server holds for the parish, and exactly N observations.
bool converged(const options& o, const measurements& m) {
    const auto n = static_cast<std::int64_t>(o.rows);
    bool all = m.a_digest == m.digest && m.pull_plain.digest == m.digest_plain &&
               m.pull_plain.observations == n && m.noop.report.pulled == 0;
    for (const auto& p : m.pulls) all = all && p.digest == m.digest && p.observations == n;
    return all;
}

json report(const options& o, const measurements& m) {
    const double n = static_cast<double>(o.rows);
    std::vector<double> pull_s, down;
    json runs = json::array();
    for (const auto& p : m.pulls) {
        pull_s.push_back(p.run.seconds);
        down.push_back(static_cast<double>(p.run.received) / n);
        runs.push_back(sync_json(p.run));
    }
    const double pull = median(pull_s), raw = median(m.raw_seconds);
    const double ratio = raw / pull;  // (n / pull) ÷ (n / raw)
    const double up_b = static_cast<double>(m.push.sent) / n, down_b = median(down);
    const auto noop_bytes = m.noop.sent + m.noop.received;
    const bool noop_met =
        m.noop.report.requests <= goal_noop_requests && noop_bytes < goal_noop_bytes;
    return {
        {"benchmark", "sync_bench"},
        {"rows", o.rows},
        {"repeat", o.repeat},
        {"statistic", "median"},
        {"gad", gad},
        {"observation_fields", 14},
        {"create_seconds", m.create_seconds},
        {"push", sync_json(m.push)},
        {"initial_pull",
         {{"seconds", pull}, {"rows_per_s", n / pull}, {"runs_seconds", pull_s}, {"runs", runs}}},
        {"raw_sqlite",
         {{"seconds", raw}, {"rows_per_s", n / raw}, {"runs_seconds", m.raw_seconds}}},
        {"ratio_pull_vs_raw", ratio},
        {"bytes_per_observation",
         {{"up", up_b},
          {"down", down_b},
          {"up_acks", static_cast<double>(m.push.received) / n},
          {"down_requests", static_cast<double>(m.pulls.front().run.sent) / n}}},
        {"uncompressed",
         {{"push", sync_json(m.push_plain)},
          {"initial_pull", sync_json(m.pull_plain.run)},
          {"bytes_per_observation",
           {{"up", static_cast<double>(m.push_plain.sent) / n},
            {"down", static_cast<double>(m.pull_plain.run.received) / n}}}}},
        {"noop_sync",
         {{"requests", m.noop.report.requests},
          {"connections", m.noop.connections},
          {"bytes_sent", m.noop.sent},
          {"bytes_received", m.noop.received},
          {"bytes_total", noop_bytes},
          {"seconds", m.noop.seconds}}},
        {"converged", converged(o, m)},
        {"digest", m.digest},
        {"goals",
         {{"pull_ratio", {{"min", goal_pull_ratio}, {"met", ratio >= goal_pull_ratio}}},
          {"bytes_up",
           {{"max", goal_bytes_per_observation}, {"met", up_b < goal_bytes_per_observation}}},
          {"bytes_down",
           {{"max", goal_bytes_per_observation}, {"met", down_b < goal_bytes_per_observation}}},
          {"noop",
           {{"max_requests", goal_noop_requests},
            {"max_bytes", goal_noop_bytes},
            {"met", noop_met}}}}},
    };
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const options o = parse_args(argc, argv);
        temp_dir work("minga-sync-bench");
        const auto m = run_bench(work.path(), o);
        std::cout << report(o, m).dump(2) << '\n';
        return converged(o, m) ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "sync_bench: " << e.what() << '\n';
        return 1;
    }
}
