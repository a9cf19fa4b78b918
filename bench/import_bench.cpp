// import_bench: how fast `minga import` loads field observations from CSV, against the floor
// of what SQLite can do with the same rows.
//
// In one run it builds a replica (one project, four indicators) through entity_service,
// generates N realistic observations as a CSV, and measures on fresh copies of that replica:
//   minga_cli        the real `minga --json --data COPY import FILE.csv` process, wall clock
//                    (process start, CSV parsing, validation, row + outbox writes, commit);
//   minga_in_process import_observations() on an open replica (the library cost alone);
//   raw_sqlite       the same rows (same columns, same values, ids and clocks precomputed)
//                    inserted with one prepared statement in one transaction, no outbox.
// Each is repeated (default 3) and the median reported. Prints one JSON document on stdout.
//
//   import_bench [--rows N] [--repeat R] [--minga PATH] [--refdata DIR]
#include "../tests/support/process.hpp"

#include <minga/shared/csv_import.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/hlc.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/replica.hpp>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using minga::test::temp_dir;
using clock_type = std::chrono::steady_clock;

constexpr double goal_ratio = 0.40;  // minga import rows/s ÷ raw SQLite rows/s, from the issue
constexpr const char* gad = "170151";

struct options {
    std::size_t rows = 100'000;
    int repeat = 3;
    fs::path minga;    // default: ../client/minga next to this binary
    fs::path refdata;  // default: find_data_dir()
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "import_bench: " << why << "\n"
              << "usage: import_bench [--rows N] [--repeat R] [--minga PATH] [--refdata DIR]\n";
    std::exit(2);
}

options parse_args(int argc, char** argv) {
    options o;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--rows") o.rows = std::stoul(next());
        else if (a == "--repeat") o.repeat = std::stoi(next());
        else if (a == "--minga") o.minga = next();
        else if (a == "--refdata") o.refdata = next();
        else usage("unknown argument " + a);
    }
    if (o.rows == 0 || o.repeat < 1) usage("--rows and --repeat must be at least 1");
    if (o.minga.empty()) o.minga = fs::read_symlink("/proc/self/exe").parent_path() / ".." / "client" / "minga";
    if (o.refdata.empty()) {
        auto d = minga::find_data_dir();
        if (!d) usage("reference data not found: " + d.err().text("en") + " (use --refdata)");
        o.refdata = *d;
    }
    return o;
}

/// One observation, as text (what the CSV holds) and as the values minga stores.
struct observation_row {
    std::size_t indicator = 0;
    std::string value, date, territory, lat, lon, sex, note;
};

double to_double(const std::string& s) {
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc() || p != s.data() + s.size()) throw std::runtime_error("bad number " + s);
    return d;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// N observations over two years, as a parish team would collect them: four indicators,
/// GPS points on most rows, the parish code on many, people counts by sex, some notes.
std::vector<observation_row> generate(std::size_t n) {
    std::mt19937_64 rng(20250101);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    using namespace std::chrono;
    const sys_days start = year{2024} / January / 1;
    std::vector<observation_row> rows;
    rows.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        observation_row r;
        r.indicator = i % 4;
        switch (r.indicator) {
            case 0: r.value = fixed(0.1 + unit(rng) * 4.9, 2); break;                      // hectares
            case 1: r.value = std::to_string(10 + static_cast<int>(unit(rng) * 490)); break; // seedlings
            case 2: r.value = std::to_string(1 + static_cast<int>(unit(rng) * 40)); break;  // people
            default: r.value = fixed(100 + unit(rng) * 9900, 1); break;                    // litres
        }
        year_month_day d{start + days(static_cast<int>(i * 730 / n))};
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(d.year()),
                      static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
        r.date = date;
        if (unit(rng) < 0.7) r.territory = gad;
        if (unit(rng) < 0.6) {
            r.lat = fixed(-0.30 + unit(rng) * 0.05, 6);
            r.lon = fixed(-78.45 + unit(rng) * 0.05, 6);
        }
        if (r.indicator == 2) r.sex = unit(rng) < 0.5 ? "mujer" : "hombre";
        if (unit(rng) < 0.2) r.note = "tramo " + std::to_string(1 + i % 12) + ", orilla del río";
        rows.push_back(std::move(r));
    }
    return rows;
}

std::string to_csv(const std::vector<observation_row>& rows, const std::vector<std::string>& indicators) {
    std::string csv = "indicator,value,date,territory,lat,lon,sex,note\n";
    csv.reserve(rows.size() * 110);
    for (const auto& r : rows) {
        csv += indicators[r.indicator];
        csv += ',' + r.value + ',' + r.date + ',' + r.territory + ',' + r.lat + ',' + r.lon + ',' + r.sex + ',';
        if (!r.note.empty()) csv += '"' + r.note + '"';
        csv += '\n';
    }
    return csv;
}

struct fixture {
    fs::path template_db;
    std::string device_id;
    std::vector<std::string> indicators;
};

/// A replica with one project and four indicators, made through the store API, then closed.
fixture make_template(const fs::path& dir, const fs::path& refdata) {
    auto r = minga::replica::create(dir, gad, refdata);
    if (!r) throw std::runtime_error("replica::create: " + r.err().text("en"));
    minga::entity_service svc(*r);
    auto add = [&](std::string_view kind, const minga::form& f) {
        auto w = svc.add(*minga::find_entity(kind), f);
        if (!w) throw std::runtime_error(std::string(kind) + " add: " + w.err().text("en"));
        return w->id;
    };
    fixture fx;
    fx.device_id = r->device_id();
    auto project = add("project", {{"title", "Restauración de la microcuenca del río San Pedro"},
                                   {"modality", "fin_no_reembolsable"}, {"sdg", "6"}, {"sdg", "15"},
                                   {"location", std::string(gad) + ":Comunidad El Tingo"}});
    for (auto [title, unit] : {std::pair{"Hectáreas restauradas", "ha"}, std::pair{"Plántulas sembradas", "plántulas"},
                               std::pair{"Personas capacitadas", "personas"}, std::pair{"Agua distribuida", "litros"}})
        fx.indicators.push_back(add("indicator", {{"project", project}, {"title", title}, {"unit", unit}}));
    fx.template_db = dir / std::string(minga::replica::file_name);
    return fx;
}

/// A fresh copy of the template replica in `dir`.
fs::path copy_replica(const fixture& fx, const fs::path& dir) {
    fs::create_directories(dir);
    fs::copy_file(fx.template_db, dir / std::string(minga::replica::file_name));
    return dir;
}

void check_sqlite(sqlite3* db, int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

std::int64_t count_rows(const fs::path& dir, const char* table) {
    sqlite3* db = nullptr;
    auto file = (dir / std::string(minga::replica::file_name)).string();
    check_sqlite(db, sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), "open");
    sqlite3_stmt* s = nullptr;
    std::string sql = std::string("SELECT count(*) FROM ") + table;
    check_sqlite(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), "prepare");
    check_sqlite(db, sqlite3_step(s), "step");
    auto n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

double seconds_since(clock_type::time_point t0) {
    return std::chrono::duration<double>(clock_type::now() - t0).count();
}

/// (a) The real client binary.
double run_cli(const options& o, const fixture& fx, const fs::path& dir, const fs::path& csv) {
    copy_replica(fx, dir);
    minga::test::run_options ro;
    ro.env = {{"MINGA_LANG", std::nullopt}, {"MINGA_DATA", std::nullopt}};
    ro.timeout = std::chrono::minutes(30);
    auto t0 = clock_type::now();
    auto r = minga::test::run_process(o.minga, {"--json", "--data", dir.string(), "import", csv.string()}, ro);
    double s = seconds_since(t0);
    if (!r.exited(0)) throw std::runtime_error("minga import failed\n" + r.describe());
    auto doc = nlohmann::json::parse(r.out);
    if (doc.at("rows").get<std::size_t>() != o.rows) throw std::runtime_error("minga import: wrong row count");
    return s;
}

/// (a') import_observations() in this process.
double run_in_process(const options& o, const fixture& fx, const fs::path& dir, const fs::path& csv) {
    copy_replica(fx, dir);
    auto r = minga::replica::open(dir);
    if (!r) throw std::runtime_error("replica::open: " + r.err().text("en"));
    minga::entity_service svc(*r);
    std::ifstream in(csv, std::ios::binary);
    auto t0 = clock_type::now();
    auto sum = minga::import_observations(svc, *r, in);
    double s = seconds_since(t0);
    if (!sum) throw std::runtime_error("import_observations: " + sum.err().text("en"));
    if (sum->rows != o.rows) throw std::runtime_error("import_observations: wrong row count");
    return s;
}

/// (b) The baseline: the same rows straight into the observation table.
double run_raw(const fixture& fx, const fs::path& dir, const std::vector<observation_row>& rows) {
    copy_replica(fx, dir);
    // Everything minga would compute per row is computed before the clock starts: the raw
    // number is the storage floor, not a second importer.
    struct prepared {
        std::string id;
        std::int64_t hlc;
        double value;
        std::optional<double> lat, lon;
    };
    std::vector<prepared> values;
    values.reserve(rows.size());
    std::int64_t ms = minga::system_ms();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        prepared p{minga::new_uuid_v7(ms), static_cast<std::int64_t>(minga::make_hlc(ms, 0) + i),
                   to_double(r.value), std::nullopt, std::nullopt};
        if (!r.lat.empty()) {
            p.lat = to_double(r.lat);
            p.lon = to_double(r.lon);
        }
        values.push_back(std::move(p));
    }
    sqlite3* db = nullptr;
    auto file = (dir / std::string(minga::replica::file_name)).string();
    check_sqlite(db, sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), "open");
    // The same connection settings as minga's SQLite kit.
    check_sqlite(db, sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                                      "PRAGMA synchronous = NORMAL",
                                  nullptr, nullptr, nullptr),
                 "pragmas");
    auto text = [&](sqlite3_stmt* s, int i, const std::string& v) {
        if (v.empty()) sqlite3_bind_null(s, i);
        else sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
    };
    auto t0 = clock_type::now();
    check_sqlite(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
    sqlite3_stmt* s = nullptr;
    check_sqlite(db, sqlite3_prepare_v2(db,
                                        "INSERT INTO observation(id, owner_gad, hlc, indicator_id, value, "
                                        "observed_on, territory, lat, lon, sex, note, device_id) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                        -1, &s, nullptr),
                 "prepare");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        const auto& p = values[i];
        text(s, 1, p.id);
        sqlite3_bind_text(s, 2, gad, -1, SQLITE_STATIC);
        sqlite3_bind_int64(s, 3, p.hlc);
        text(s, 4, fx.indicators[r.indicator]);
        sqlite3_bind_double(s, 5, p.value);
        text(s, 6, r.date);
        text(s, 7, r.territory);
        if (p.lat) {
            sqlite3_bind_double(s, 8, *p.lat);
            sqlite3_bind_double(s, 9, *p.lon);
        } else {
            sqlite3_bind_null(s, 8);
            sqlite3_bind_null(s, 9);
        }
        text(s, 10, r.sex);
        text(s, 11, r.note);
        text(s, 12, fx.device_id);
        check_sqlite(db, sqlite3_step(s), "insert");
        sqlite3_reset(s);
    }
    sqlite3_finalize(s);
    check_sqlite(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
    double secs = seconds_since(t0);
    sqlite3_close(db);
    return secs;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

nlohmann::json measurement(const std::vector<double>& runs, std::size_t rows, const std::string& what) {
    double m = median(runs);
    return {{"what", what}, {"seconds", m}, {"rows_per_s", static_cast<double>(rows) / m}, {"runs_seconds", runs}};
}

}  // namespace

int main(int argc, char** argv) {
    try {
        options o = parse_args(argc, argv);
        if (!fs::exists(o.minga)) usage("minga binary not found at " + o.minga.string() + " (use --minga)");
        temp_dir work("minga-import-bench");
        auto fx = make_template(work / "template", o.refdata);
        auto rows = generate(o.rows);
        auto csv = work / "observations.csv";
        {
            std::ofstream out(csv, std::ios::binary);
            out << to_csv(rows, fx.indicators);
        }
        std::vector<double> cli, lib, raw;
        for (int k = 0; k < o.repeat; ++k) {
            auto tag = std::to_string(k);
            cli.push_back(run_cli(o, fx, work / ("cli" + tag), csv));
            lib.push_back(run_in_process(o, fx, work / ("lib" + tag), csv));
            raw.push_back(run_raw(fx, work / ("raw" + tag), rows));
            std::cerr << "round " << k + 1 << "/" << o.repeat << ": cli " << cli.back() << " s, in-process "
                      << lib.back() << " s, raw " << raw.back() << " s\n";
            for (const char* d : {"cli", "lib", "raw"}) {
                auto dir = work / (d + tag);
                if (count_rows(dir, "observation") != static_cast<std::int64_t>(o.rows))
                    throw std::runtime_error(std::string(d) + ": wrong number of stored observations");
                if (std::string(d) != "raw" && count_rows(dir, "outbox") < static_cast<std::int64_t>(o.rows))
                    throw std::runtime_error(std::string(d) + ": outbox entries missing");
                fs::remove_all(dir);
            }
        }
        auto m_cli = measurement(cli, o.rows, "minga --json --data DIR import FILE.csv (real process, wall clock)");
        auto m_lib = measurement(lib, o.rows, "import_observations() in process (CSV parse, validation, row + outbox)");
        auto m_raw = measurement(raw, o.rows, "raw SQLite: same rows, one prepared INSERT, one transaction, no outbox");
        double ratio_cli = m_cli["rows_per_s"].get<double>() / m_raw["rows_per_s"].get<double>();
        double ratio_lib = m_lib["rows_per_s"].get<double>() / m_raw["rows_per_s"].get<double>();
        nlohmann::json doc = {
            {"benchmark", "import_bench"},
            {"rows", o.rows},
            {"repeat", o.repeat},
            {"statistic", "median"},
            {"csv_bytes", fs::file_size(csv)},
            {"indicators", fx.indicators.size()},
            {"minga_cli", m_cli},
            {"minga_in_process", m_lib},
            {"raw_sqlite", m_raw},
            {"ratio_minga_vs_raw", ratio_cli},
            {"ratio_in_process_vs_raw", ratio_lib},
            {"goal", {{"ratio_min", goal_ratio}, {"measured", "ratio_minga_vs_raw"}, {"met", ratio_cli >= goal_ratio}}},
        };
        std::cout << doc.dump(2) << '\n';
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "import_bench: " << e.what() << '\n';
        return 1;
    }
}
