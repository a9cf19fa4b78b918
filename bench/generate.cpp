// bench/generate: a realistic, seeded national dataset written as a central store.
//
//   generate --out DIR [--size small|medium|national] [--seed N] [--gads N] [--projects N]
//            [--observations N] [--devices N] [--refdata DIR]
//
// DIR must not exist yet; DIR/central.db is a real central store (`minga-server --data DIR`
// opens it). Prints one JSON document with what was written and how long it took. Shape and
// shortcut: bench/national_data.hpp and docs/benchmarks.md ("bench/generate").
#include "national_data.hpp"

#include <minga/shared/reference_data.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <iostream>

namespace fs = std::filesystem;

namespace {

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "generate: " << why
              << "\nusage: generate --out DIR [--size small|medium|national] [--seed N] [--gads N]"
                 " [--projects N] [--observations N] [--devices N] [--refdata DIR]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string size = "small";
    fs::path out, refdata;
    std::map<std::string, std::string> over;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) usage("missing value after " + a);
        std::string v = argv[++i];
        if (a == "--size")
            size = v;
        else if (a == "--out")
            out = v;
        else if (a == "--refdata")
            refdata = v;
        else if (a == "--seed" || a == "--gads" || a == "--projects" || a == "--observations" ||
                 a == "--devices")
            over[a] = v;
        else
            usage("unknown argument " + a);
    }
    if (out.empty()) usage("--out DIR is required");
    if (fs::exists(out)) usage(out.string() + " exists already");
    minga::bench::national_options o;
    try {
        o = minga::bench::size_preset(size);
        for (const auto& [k, v] : over) {
            long long n = std::stoll(v);
            if (n < 0 || n > 100'000'000) usage(k + " out of range");
            if (k == "--seed") o.seed = static_cast<std::uint64_t>(n);
            if (k == "--gads") o.gads = static_cast<int>(n);
            if (k == "--projects") o.projects_per_gad = static_cast<int>(n);
            if (k == "--observations") o.observations_per_project = static_cast<int>(n);
            if (k == "--devices") o.devices = static_cast<int>(n);
        }
    } catch (const std::exception& e) {
        usage(e.what());
    }
    if (refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found (use --refdata)");
        refdata = *d;
    }
    auto t0 = std::chrono::steady_clock::now();
    auto c = minga::central::create(out, refdata);
    if (!c) {
        std::cerr << "generate: " << c.err().text("en") << '\n';
        return 1;
    }
    auto t1 = std::chrono::steady_clock::now();
    minga::bench::national_generator gen(*c, refdata, o);
    auto n = gen.run();
    auto t2 = std::chrono::steady_clock::now();
    auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    nlohmann::json doc = {{"size", size},
                          {"seed", o.seed},
                          {"store", (out / "central.db").string()},
                          {"gads_with_data", n.gads},
                          {"devices", n.devices},
                          {"agreements", n.agreements},
                          {"projects", n.projects},
                          {"duplicate_records", n.duplicates},
                          {"cofinanced_projects", n.cofinanced},
                          {"multi_province_projects", n.multi_province},
                          {"provinces_with_projects", n.provinces},
                          {"indicators", n.indicators},
                          {"reporting_periods", n.periods},
                          {"observations", n.observations},
                          {"change_index_rows", n.rows},
                          {"create_seconds", secs(t0, t1)},
                          {"generate_seconds", secs(t1, t2)}};
    std::cout << doc.dump(2) << '\n';
    return 0;
}
