// consolidate_bench: the overnight consolidation at national scale (issue 7's numbers).
//
//   consolidate_bench [--gads N] [--projects N] [--observations N] [--seed N] [--repeat R]
//                     [--refdata DIR]
//
// Generates 1,000 GADs × 20 projects × 50 observations (≈ a million observations) with
// bench/national_data.hpp, then in the same run: a full consolidation, 1 % of the rows changed
// the way a day of syncing changes them (all changes of 1 % of the projects), an incremental
// run, and a full rebuild of the same data as its baseline (the two must give identical
// tables), `--repeat` times (median reported); then once with 1 % of the observations changed
// at random across the country.
// Prints one JSON document, with the CPU time of each step of the incremental run (median per
// step: `incremental_step_cpu_ms`). docs/benchmarks.md ("consolidate_bench") explains it.
#include "national_data.hpp"

#include <minga/shared/reference_data.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <iostream>
#include <random>

namespace fs = std::filesystem;

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "consolidate_bench: " << why
              << "\nusage: consolidate_bench [--gads N] [--projects N] [--observations N] [--seed "
                 "N] [--repeat R] [--refdata DIR]\n";
    std::exit(2);
}

/// A new change-index seq for (table, id), as the server gives every applied change.
void bump(minga::sql::db& db, const std::string& table, const std::string& id,
          const std::string& owner) {
    auto& del = db.cached("DELETE FROM change_index WHERE tbl = ?1 AND row_id = ?2");
    del.bind(1, table).bind(2, id);
    del.exec();
    del.reset();
    auto& ins = db.cached("INSERT INTO change_index(tbl, row_id, owner_gad) VALUES (?1, ?2, ?3)");
    ins.bind(1, table).bind(2, id).bind(3, owner);
    ins.exec();
    ins.reset();
}

/// Updates rows by id (value + 1 on observations, amount + 100 on transactions, beneficiaries
/// on projects) and bumps each; returns the number of rows changed.
std::int64_t change(minga::sql::db& db,
                    const std::vector<std::pair<std::string, std::string>>& rows,
                    const std::string& table, const std::string& set) {
    auto up = db.prepare("UPDATE " + table + " SET " + set + " WHERE id = ?1");
    for (const auto& [id, owner] : rows) {
        up.bind(1, id);
        up.exec();
        up.reset();
        bump(db, table, id, owner);
    }
    return static_cast<std::int64_t>(rows.size());
}

std::vector<std::pair<std::string, std::string>> select(minga::sql::db& db,
                                                        const std::string& sql) {
    std::vector<std::pair<std::string, std::string>> out;
    auto s = db.prepare(sql);
    while (s.step()) out.emplace_back(s.get_text(0), s.get_text(1));
    return out;
}

/// A hash of every rpt_* table (rpt_meta's as-of time aside): equal tables, equal hash.
std::string tables_hash(minga::sql::db& db) {
    std::uint64_t h = 1469598103934665603ULL;
    auto t = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name GLOB 'rpt_*' ORDER BY name");
    std::vector<std::string> names;
    while (t.step()) names.push_back(t.get_text(0));
    for (const auto& n : names) {
        auto s = db.prepare(n == "rpt_meta" ? "SELECT * FROM rpt_meta"
                                            : "SELECT * FROM " + n + " ORDER BY 1, 2");
        while (s.step())
            for (int i = 0; i < s.columns(); ++i) {
                if (n == "rpt_meta" && i == 1) continue;  // as_of_ms
                auto v = s.get_value(i);
                std::string text = std::visit(
                    [](const auto& x) -> std::string {
                        using T = std::decay_t<decltype(x)>;
                        if constexpr (std::is_same_v<T, std::int64_t>)
                            return std::to_string(x);
                        else if constexpr (std::is_same_v<T, double>) {
                            char b[64];
                            std::snprintf(b, sizeof b, "%.17g", x);
                            return b;
                        } else if constexpr (std::is_same_v<T, std::string>)
                            return x;
                        else
                            return "~";
                    },
                    v);
                for (unsigned char c : text + "|") h = (h ^ c) * 1099511628211ULL;
            }
    }
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    auto o = minga::bench::size_preset("national");
    o.gads = 955;
    o.mancomunidades = 45;  // 1,000 GADs with data in all
    o.projects_per_gad = 20;
    o.observations_per_project = 50;
    fs::path refdata;
    int repeat = 3;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) usage("missing value after " + a);
        std::string v = argv[++i];
        if (a == "--refdata") {
            refdata = v;
            continue;
        }
        long long n = 0;
        try {
            n = std::stoll(v);
        } catch (const std::exception&) {
            usage("not a number: " + v);
        }
        if (n < 1 || n > 10'000'000) usage(a + " out of range");
        if (a == "--gads") {
            o.gads = static_cast<int>(n) * 955 / 1000;
            o.mancomunidades = static_cast<int>(n) - o.gads;
        } else if (a == "--projects")
            o.projects_per_gad = static_cast<int>(n);
        else if (a == "--observations")
            o.observations_per_project = static_cast<int>(n);
        else if (a == "--seed")
            o.seed = static_cast<std::uint64_t>(n);
        else if (a == "--repeat")
            repeat = static_cast<int>(n);
        else
            usage("unknown argument " + a);
    }
    o.devices = o.gads + o.mancomunidades;
    if (refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found (use --refdata)");
        refdata = *d;
    }
    auto work =
        fs::temp_directory_path() / ("minga-consolidate-bench-" + std::to_string(::getpid()));
    fs::remove_all(work);
    nlohmann::json doc;
    bool ok = true;
    {
        auto c = minga::central::create(work, refdata);
        if (!c) {
            std::cerr << c.err().text("en") << '\n';
            return 1;
        }
        auto& db = c->conn();
        auto t = clock_type::now();
        std::cerr << "generating...\n";
        auto n = minga::bench::national_generator(*c, refdata, o).run();
        doc["dataset"] = {{"gads", n.gads},
                          {"projects", n.projects},
                          {"duplicate_records", n.duplicates},
                          {"indicators", n.indicators},
                          {"observations", n.observations},
                          {"change_index_rows", n.rows},
                          {"generate_seconds", seconds_since(t)}};
        auto run = [&](bool incremental) {
            auto t0 = clock_type::now();
            std::clock_t c0 = std::clock();
            // Wall and CPU time of each step of the run (where an incremental run spends it).
            nlohmann::json steps = nlohmann::json::object(), step_cpu = nlohmann::json::object();
            auto last = t0;
            auto last_cpu = c0;
            auto on_step = [&](std::string_view name) {
                auto now = clock_type::now();
                auto cpu = std::clock();
                steps[std::string(name)] = std::chrono::duration<double>(now - last).count();
                step_cpu[std::string(name)] = double(cpu - last_cpu) / CLOCKS_PER_SEC;
                last = now;
                last_cpu = cpu;
            };
            auto s = minga::consolidate(db, minga::system_ms(), {incremental, {}, on_step});
            double secs = seconds_since(t0);
            double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
            if (!s) throw std::runtime_error(s.err().text("en"));
            return nlohmann::json{{"seconds", secs},
                                  {"cpu_seconds", cpu},
                                  {"incremental", s->incremental},
                                  {"recomputed_projects", s->recomputed_projects},
                                  {"recomputed_indicators", s->recomputed_indicators},
                                  {"rows_written",
                                   {{"inserted", s->rows_inserted},
                                    {"updated", s->rows_updated},
                                    {"deleted", s->rows_deleted},
                                    {"unchanged", s->rows_unchanged}}},
                                  {"step_seconds", steps},
                                  {"step_cpu_seconds", step_cpu},
                                  {"projects", s->projects},
                                  {"observations", s->observations}};
        };
        std::cerr << "full consolidation...\n";
        doc["full"] = run(false);
        std::mt19937_64 rng(o.seed);
        // Each round: change rows, run incrementally, rebuild in full (the baseline), compare
        // the tables. The machine is shared: the medians over the rounds are reported.
        auto scenario = [&](const std::string& name, int rounds, auto&& mutate) {
            auto median = [](std::vector<double> v) {
                std::sort(v.begin(), v.end());
                return v[v.size() / 2];
            };
            std::vector<double> inc_s, full_s, inc_c, full_c;
            nlohmann::json runs = nlohmann::json::array();
            for (int r = 0; r < rounds; ++r) {
                std::cerr << name << " round " << r + 1 << "...\n";
                db.exec("BEGIN IMMEDIATE");
                std::int64_t rows = mutate();
                db.exec("COMMIT");
                auto inc = run(true);
                auto inc_hash = tables_hash(db);
                auto full = run(false);
                bool same = tables_hash(db) == inc_hash;
                ok = ok && same;
                inc_s.push_back(inc["seconds"].get<double>());
                full_s.push_back(full["seconds"].get<double>());
                inc_c.push_back(inc["cpu_seconds"].get<double>());
                full_c.push_back(full["cpu_seconds"].get<double>());
                runs.push_back({{"rows_changed", rows},
                                {"incremental", inc},
                                {"full_baseline", full},
                                {"identical_tables", same}});
            }
            // Where the incremental run spends its time: the median CPU ms of each step.
            nlohmann::json steps = nlohmann::json::object();
            for (const auto& item : runs[0]["incremental"]["step_cpu_seconds"].items()) {
                const auto& step = item.key();
                std::vector<double> ms;
                for (const auto& r : runs)
                    ms.push_back(r["incremental"]["step_cpu_seconds"][step].get<double>() * 1000);
                steps[step] = median(ms);
            }
            double mi = median(inc_s), mf = median(full_s);
            double ci = median(inc_c), cf = median(full_c);
            doc[name] = {
                {"rounds", runs},         {"incremental_seconds", mi},     {"full_seconds", mf},
                {"speedup", mf / mi},     {"incremental_cpu_seconds", ci}, {"full_cpu_seconds", cf},
                {"speedup_cpu", cf / ci}, {"statistic", "median"},
                {"incremental_step_cpu_ms", steps}};
        };
        // A day of syncing: 1 % of the projects changed, each with all its observations, its
        // beneficiaries and its first transaction (≈ 1 % of the rows).
        scenario("clustered_1pct", repeat, [&] {
            auto projects = select(db, "SELECT id, owner_gad FROM project WHERE deleted = 0");
            std::shuffle(projects.begin(), projects.end(), rng);
            projects.resize(projects.size() / 100);
            std::int64_t rows =
                change(db, projects, "project", "beneficiaries = coalesce(beneficiaries, 0) + 1");
            std::string in;
            for (const auto& [id, owner] : projects) in += (in.empty() ? "'" : ",'") + id + "'";
            rows += change(
                db,
                select(db,
                       "SELECT o.id, o.owner_gad FROM observation o JOIN indicator i ON i.id = "
                       "o.indicator_id WHERE i.project_id IN (" +
                           in + ")"),
                "observation", "value = value + 1");
            rows += change(
                db,
                select(db,
                       "SELECT min(id), owner_gad FROM project_transaction WHERE project_id IN (" +
                           in + ") GROUP BY project_id"),
                "project_transaction", "amount = amount + 100");
            return rows;
        });
        // The worst case for the same volume: 1 % of the observations, anywhere.
        scenario("scattered_1pct", 1, [&] {
            auto obs = select(db, "SELECT id, owner_gad FROM observation WHERE deleted = 0");
            std::shuffle(obs.begin(), obs.end(), rng);
            obs.resize(obs.size() / 100);
            return change(db, obs, "observation", "value = value + 1");
        });
        doc["goal"] = {{"speedup_min", 20},
                       {"measured", "clustered_1pct.speedup"},
                       {"met", doc["clustered_1pct"]["speedup"].get<double>() >= 20},
                       {"met_cpu", doc["clustered_1pct"]["speedup_cpu"].get<double>() >= 20}};
        doc["identical_tables"] = ok;
    }
    fs::remove_all(work);
    std::cout << doc.dump(2) << '\n';
    return ok ? 0 : 1;
}
