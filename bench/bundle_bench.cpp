// bundle_bench: the numbers of issue 10, bundles against online sync in one run.
//
// In process (the engine's own functions; the transport is a function call that compresses
// each frame with zstd at the HTTP transport's level, as it would cross the wire):
//   bytes         device A of parish 170151 holds N observations (bench/field_data.hpp). A copy
//                 of A pushes them online (every push frame after zstd, HTTP headers left out,
//                 which only add to the online side); A itself exports one bundle. Bytes per
//                 change and per observation, each side.
//   apply         two fresh devices of the parish: B1 does its first online pull (time of
//                 sync(): every page built by the server and applied); B2 exports an empty
//                 bundle, the server imports it and writes the answer (timed apart), and B2
//                 applies the answer (timed). Both end with the server's digest, checked.
// The baseline of each number is the online figure measured in the same run.
//
//   bundle_bench [--rows N] [--refdata DIR]
#include "../tests/support/process.hpp"
#include "field_data.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/shared/bundle.hpp>
#include <minga/shared/central.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>
#include <minga/shared/zstd_codec.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;
using json = nlohmann::ordered_json;

constexpr const char* gad = "170151";
constexpr std::int64_t token_ttl_ms = 24LL * 60 * 60 * 1000;

template <class T>
T ok(minga::result<T> r, const std::string& what) {
    if (!r) throw std::runtime_error(what + ": " + r.err().text("en"));
    return std::move(*r);
}

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

void say(const std::string& s) { std::cerr << "bundle_bench: " << s << std::endl; }

/// The server's handle() behind a counter of the bytes each way after zstd.
struct wire {
    minga::central& c;
    std::uint64_t up = 0, down = 0;
    minga::transport_fn fn() {
        return [this](std::span<const std::uint8_t> req, std::string_view bearer)
                   -> minga::result<std::vector<std::uint8_t>> {
            const int level = minga::client::transport_tuning::zstd_level;
            auto packed = minga::zstd::compress_if_smaller(req, level);
            up += packed ? packed->size() : req.size();
            auto resp = c.handle(req, bearer);
            auto packed_resp = minga::zstd::compress_if_smaller(resp, level);
            down += packed_resp ? packed_resp->size() : resp.size();
            return resp;
        };
    }
};

minga::replica device(const fs::path& dir, const fs::path& refdata, minga::central& c) {
    auto r = ok(minga::replica::create(dir, gad, refdata), "replica::create");
    auto tok = ok(c.enroll_device(gad, "tableta", token_ttl_ms), "enroll_device");
    wire w{c};
    (void)ok(minga::enroll(r, w.fn(), "inproc://", tok.token, "tableta"), "enroll");
    return r;
}

}  // namespace

int main(int argc, char** argv) try {
    std::size_t rows = 100'000;
    fs::path refdata;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--rows") rows = std::stoul(argv[i + 1]);
        else if (a == "--refdata") refdata = argv[i + 1];
        else throw std::invalid_argument("unknown argument " + a);
    }
    if (refdata.empty()) refdata = ok(minga::find_data_dir(), "find_data_dir");
    minga::test::temp_dir work("bundle-bench");
    const fs::path root = work.path();

    // Two identical stores, one for each way of sending A's data.
    ok(minga::central::create(root / "online", refdata), "central::create");
    fs::copy(root / "online", root / "bundled", fs::copy_options::recursive);
    fs::remove(root / "bundled" / "bundle_box.key");  // its own key
    auto online = ok(minga::central::open(root / "online"), "central::open");
    auto bundled = ok(minga::central::open(root / "bundled"), "central::open");

    say("device A with " + std::to_string(rows) + " observations");
    auto a_online = device(root / "a-online", refdata, online);
    auto a = device(root / "a", refdata, bundled);
    (void)minga::bench::add_field_data(a_online, rows, [](std::size_t) {});
    (void)minga::bench::add_field_data(a, rows, [](std::size_t) {});
    const auto changes = static_cast<std::uint64_t>(a.changes().pending_count());

    say("online push");
    wire up{online};
    auto t0 = clock_type::now();
    auto pushed = ok(minga::sync(a_online, up.fn()), "sync");
    const double online_push_s = seconds_since(t0);
    const std::uint64_t online_push_bytes = up.up;

    say("bundle export and import");
    minga::bundle_export_report rep;
    t0 = clock_type::now();
    auto file = ok(minga::export_bundle(a, rep), "export_bundle");
    const double export_s = seconds_since(t0);
    t0 = clock_type::now();
    auto imported = ok(bundled.import_bundle(file, minga::bundle_tuning::max_answer_rows), "import_bundle");
    const double import_s = seconds_since(t0);
    (void)ok(minga::apply_answer(a, imported.answer), "apply_answer");

    say("first pull online vs by answer");
    auto b1 = device(root / "b1", refdata, bundled);
    auto b2 = device(root / "b2", refdata, bundled);
    wire down{bundled};
    t0 = clock_type::now();
    auto pulled = ok(minga::sync(b1, down.fn()), "sync");
    const double online_pull_s = seconds_since(t0);
    t0 = clock_type::now();
    auto empty = ok(minga::export_bundle(b2, rep), "export_bundle");
    auto answer = ok(bundled.import_bundle(empty, minga::bundle_tuning::max_answer_rows), "import_bundle");
    const double answer_build_s = seconds_since(t0);
    t0 = clock_type::now();
    auto applied = ok(minga::apply_answer(b2, answer.answer), "apply_answer");
    const double answer_apply_s = seconds_since(t0);

    const auto want = ok(bundled.digest({gad}), "digest");
    const bool converged = minga::scope_digest(b1.conn(), b1.gads()) == want &&
                           minga::scope_digest(b2.conn(), b2.gads()) == want &&
                           minga::scope_digest(a.conn(), a.gads()) == want &&
                           applied.pulled == pulled.pulled && pushed.pushed == changes;
    const double n = static_cast<double>(rows);
    json doc = {
        {"bench", "bundle_bench"},
        {"rows", rows},
        {"changes", changes},
        {"bytes",
         {{"bundle_file", file.size()},
          {"bundle_per_change", static_cast<double>(file.size()) / static_cast<double>(changes)},
          {"bundle_per_observation", static_cast<double>(file.size()) / n},
          {"online_push_zstd", online_push_bytes},
          {"online_per_change", static_cast<double>(online_push_bytes) / static_cast<double>(changes)},
          {"online_per_observation", static_cast<double>(online_push_bytes) / n},
          {"answer_file", answer.answer.size()},
          {"answer_per_row", static_cast<double>(answer.answer.size()) / static_cast<double>(answer.rows)},
          {"online_pull_zstd", down.down},
          {"online_pull_per_row", static_cast<double>(down.down) / static_cast<double>(pulled.pulled)},
          {"goal", "bundle_per_change <= online_per_change"},
          {"goal_met", file.size() <= online_push_bytes}}},
        {"seconds",
         {{"online_push", online_push_s},
          {"bundle_export", export_s},
          {"bundle_import", import_s},
          {"online_first_pull", online_pull_s},
          {"answer_build", answer_build_s},
          {"answer_apply", answer_apply_s},
          {"answer_apply_vs_online_pull", answer_apply_s / online_pull_s}}},
        {"rows_pulled", {{"online", pulled.pulled}, {"answer", applied.pulled}}},
        {"converged", converged}};
    std::cout << doc.dump(2) << std::endl;
    return converged ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "bundle_bench: " << e.what() << std::endl;
    return 2;
}
