#pragma once
// A realistic, seeded national dataset written as a central store (`bench/generate`, the
// consolidation bench and the national-shape consolidation test all use it).
//
// Catalogues go through the real path (`central::create` loads the territory and code lists;
// `central::import_catalog` the sample cooperants, foreign NGOs and indicator library from
// data/samples/). GAD-owned rows (agreements, projects and their children, indicators,
// periods, observations) and the generated mancomunidades are written by direct inserts in one
// transaction into the same tables, each with the change_index entry the server's push would
// make (owner_gad, a fresh seq, no echo device): the shortcut that makes a million observations
// take seconds instead of a national day of syncing. No field_clock rows are written (a later
// push on one of these rows wins every field, as on a row the server never merged), and no
// outbox exists on the server. docs/benchmarks.md ("bench/generate") describes the shape.
//
// Header-only on purpose: bench/CMakeLists.txt makes an executable of every .cpp in bench/.
// Names, titles and notes are invented; nothing here describes a real person.
#include <minga/shared/central.hpp>
#include <minga/shared/hlc.hpp>
#include <minga/shared/report.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace minga::bench {

/// What to generate. `size_preset()` fills it from small|medium|national.
struct national_options {
    std::uint64_t seed = 1;
    int gads = 120;                     ///< GADs with data (provincial first, then all provinces)
    int mancomunidades = 6;             ///< generated, 3–6 members each, all with data
    int projects_per_gad = 3;           ///< on average (1 to 2× this, per GAD)
    int observations_per_project = 10;  ///< exactly, spread over the project's indicators
    int devices = 150;                  ///< enrolled devices, spread over the GADs
    double cofinanced_twice = 0.03;     ///< projects also recorded by another GAD (dedup case)
};

/// small (CI), medium, national (1,100 GADs, 2,000 devices, ≈ 1,000,000 observations).
inline national_options size_preset(const std::string& size) {
    national_options o;
    if (size == "small") return o;
    if (size == "medium") return {1, 400, 15, 8, 25, 600, 0.03};
    if (size == "national") return {1, 1045, 55, 18, 50, 2000, 0.03};
    throw std::invalid_argument("size must be small, medium or national");
}

struct national_counts {
    std::int64_t gads = 0, agreements = 0, projects = 0, duplicates = 0, indicators = 0,
                 periods = 0, observations = 0, devices = 0, rows = 0;
    std::int64_t multi_province = 0, cofinanced = 0, provinces = 0;
};

namespace detail {

/// The data/samples file as text (catalogues imported through the real path).
inline std::string read_file(const std::filesystem::path& p) {
    std::FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open " + p.string());
    std::string s;
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
    std::fclose(f);
    return s;
}

struct gad_row {
    std::string code, level, territory;
    std::vector<std::string> devices;
};
struct org_row {
    std::string id, source;
};
struct indicator_def_row {
    std::string code, name, unit, aggregation;
};

constexpr std::array<const char*, 12> themes = {"agua potable y saneamiento",
                                                "riego comunitario",
                                                "restauración de páramos",
                                                "emprendimientos de mujeres",
                                                "gestión de residuos sólidos",
                                                "energía solar rural",
                                                "seguridad alimentaria",
                                                "turismo comunitario",
                                                "educación intercultural",
                                                "salud materno-infantil",
                                                "vialidad rural",
                                                "planificación territorial"};
constexpr std::array<const char*, 6> verbs = {"Fortalecimiento de", "Mejoramiento de",
                                              "Implementación de",  "Apoyo a",
                                              "Ampliación de",      "Gestión sostenible de"};
constexpr std::array<const char*, 12> sectors = {"14030", "31220", "11330", "12220",
                                                 "15112", "43040", "31120", "41030",
                                                 "23210", "14050", "16020", "11420"};
constexpr std::array<const char*, 8> notes = {"Visita de campo con la directiva comunitaria",
                                              "Dato del registro de asistencia",
                                              "Medición con GPS en el sitio",
                                              "Informe del técnico parroquial",
                                              "Verificado en la minga del sábado",
                                              "Conteo en el vivero comunal",
                                              "Reporte de la junta de agua",
                                              "Dato preliminar, por confirmar"};

}  // namespace detail

/// Writes the dataset into the central store `c` (created with `central::create`), reading
/// the sample catalogues from `data_dir`/samples. Deterministic for a seed (ids included).
class national_generator {
  public:
    national_generator(central& c, std::filesystem::path data_dir, national_options o)
        : c_(c), data_(std::move(data_dir)), o_(o), rng_(o.seed) {}

    national_counts run() {
        import_catalogues();
        auto& db = c_.conn();
        db.exec("BEGIN IMMEDIATE");
        pick_gads();
        add_mancomunidades();
        add_devices();
        for (std::size_t i = 0; i < gads_.size(); ++i) add_gad_data(gads_[i]);
        db.exec("COMMIT");
        n_.gads = static_cast<std::int64_t>(gads_.size());
        n_.provinces = db.scalar_int(
            "SELECT count(DISTINCT substr(territory, 1, 2)) FROM project_location WHERE deleted = "
            "0");
        return n_;
    }

  private:
    // ---- randomness --------------------------------------------------------------------
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
    template <class V>
    const auto& pick(const V& v) {
        return v[static_cast<std::size_t>(uniform(0, int(v.size()) - 1))];
    }

    /// A UUIDv7-shaped id from the seeded generator (time part from a synthetic clock).
    std::string uuid() {
        std::uint64_t ms = static_cast<std::uint64_t>(clock_ms_ += 1);
        std::uint64_t a = rng_(), b = rng_();
        char buf[48];
        std::snprintf(buf, sizeof buf, "%08llx-%04llx-7%03llx-%04llx-%012llx",
                      static_cast<unsigned long long>(ms >> 16),
                      static_cast<unsigned long long>(ms & 0xffff),
                      static_cast<unsigned long long>(a & 0xfff),
                      static_cast<unsigned long long>(0x8000 | ((a >> 12) & 0x3fff)),
                      static_cast<unsigned long long>(b & 0xffffffffffffULL));
        return buf;
    }
    std::int64_t hlc() { return static_cast<std::int64_t>(make_hlc(clock_ms_, 0)); }

    // ---- writing ---------------------------------------------------------------------
    void index(const char* table, const std::string& id, const std::string& owner) {
        auto& s = c_.conn().cached(
            "INSERT INTO change_index(tbl, row_id, owner_gad) VALUES (?1, ?2, ?3)");
        s.bind(1, table).bind(2, id).bind(3, owner);
        s.exec();
        s.reset();
        ++n_.rows;
    }
    /// INSERT of a GAD-owned row: `cols` after (id, owner_gad, hlc), with its index entry.
    void row(const char* table, const std::string& id, const std::string& owner,
             const std::string& cols, const std::vector<sql::value>& values) {
        std::string sql = std::string("INSERT INTO ") + table + "(id, owner_gad, hlc, " + cols +
                          ") VALUES (?1, ?2, ?3";
        for (std::size_t i = 0; i < values.size(); ++i) sql += ", ?" + std::to_string(i + 4);
        auto& s = c_.conn().cached(sql + ")");
        s.bind(1, id).bind(2, owner).bind(3, hlc());
        for (std::size_t i = 0; i < values.size(); ++i) s.bind(static_cast<int>(i + 4), values[i]);
        s.exec();
        s.reset();
        index(table, id, owner);
    }

    void import_catalogues() {
        for (auto [kind, file] : {std::pair{catalog_kind::organisations, "organisations.csv"},
                                  std::pair{catalog_kind::ngos, "ngos.csv"},
                                  std::pair{catalog_kind::indicators, "indicators.csv"}}) {
            std::istringstream in(detail::read_file(data_ / "samples" / file));
            auto r = c_.import_catalog(kind, in);
            if (!r)
                throw std::runtime_error(std::string("catalog ") + file + ": " +
                                         r.err().text("en"));
        }
        std::istringstream fx(
            "currency,valid_from,usd_per_unit,source\nEUR,2020-01-01,1.12,BCE\n"
            "EUR,2023-01-01,1.08,BCE\nJPY,2020-01-01,0.0091,BoJ\nJPY,2024-01-01,0.0067,BoJ\n");
        if (auto r = import_fx_rates(c_.conn(), fx); !r)
            throw std::runtime_error("fx: " + r.err().text("en"));
        auto& db = c_.conn();
        auto o = db.prepare(
            "SELECT id, coalesce(cinr_source, 'bilateral') FROM organisation WHERE deleted = 0 "
            "ORDER BY id");
        while (o.step()) orgs_.push_back({o.get_text(0), o.get_text(1)});
        auto d =
            db.prepare("SELECT code, name_es, unit, aggregation FROM indicator_def ORDER BY code");
        while (d.step())
            defs_.push_back({d.get_text(0), d.get_text(1), d.get_text(2), d.get_text(3)});
        auto p = db.prepare(
            "SELECT code FROM territorial_unit WHERE level = 3 AND status = 'vigente' ORDER BY "
            "code");
        while (p.step()) parishes_.push_back(p.get_text(0));
    }

    /// Provincial GADs first, then cantons and rural parishes shuffled, so every province has
    /// data at every size.
    void pick_gads() {
        auto s = c_.conn().prepare(
            "SELECT code, level, territory FROM gad WHERE deleted = 0 AND territory IS NOT NULL "
            "ORDER BY level = 'provincial' DESC, code");
        std::vector<detail::gad_row> provincial, rest;
        while (s.step()) {
            detail::gad_row g{s.get_text(0), s.get_text(1), s.get_text(2), {}};
            (g.level == "provincial" ? provincial : rest).push_back(std::move(g));
        }
        std::shuffle(rest.begin(), rest.end(), rng_);
        gads_ = provincial;
        for (auto& g : rest) {
            if (static_cast<int>(gads_.size()) >= o_.gads) break;
            gads_.push_back(std::move(g));
        }
        if (static_cast<int>(gads_.size()) > o_.gads)
            gads_.resize(static_cast<std::size_t>(o_.gads));
    }

    /// Mancomunidades of 3–6 GADs of one province (catalogue rows, as `catalog import
    /// mancomunidades` writes them, with their index entries).
    void add_mancomunidades() {
        auto& db = c_.conn();
        std::vector<detail::gad_row> members_pool;
        for (const auto& g : gads_)
            if (g.level != "provincial") members_pool.push_back(g);
        for (int m = 0; m < o_.mancomunidades && !members_pool.empty(); ++m) {
            std::string code = "M" + std::to_string(1001 + m);
            const auto& seed = pick(members_pool);
            std::vector<std::string> members;
            for (const auto& g : members_pool)
                if (g.territory.substr(0, 2) == seed.territory.substr(0, 2) && members.size() < 6 &&
                    (members.empty() || chance(0.5)))
                    members.push_back(g.code);
            if (members.size() < 2) members.push_back(seed.code);
            auto ins = db.prepare(
                "INSERT INTO gad(code, level, name, territory, rev) VALUES (?1, 'mancomunidad', "
                "?2, NULL, 1)");
            ins.bind(1, code).bind(2, "Mancomunidad de " + std::string(pick(detail::themes)) + " " +
                                          std::to_string(m + 1));
            ins.exec();
            index("gad", code, "");
            std::sort(members.begin(), members.end());
            members.erase(std::unique(members.begin(), members.end()), members.end());
            for (const auto& mem : members) {
                auto id = uuid();
                auto mi = db.prepare(
                    "INSERT INTO gad_membership(id, group_code, member, rev) VALUES (?1, ?2, ?3, "
                    "1)");
                mi.bind(1, id).bind(2, code).bind(3, mem);
                mi.exec();
                index("gad_membership", id, "");
            }
            group_members_[code] = members;
            gads_.push_back({code, "mancomunidad", "", {}});
        }
    }

    /// Enrolled devices: at least one per GAD while they last; most synced in the last days,
    /// some weeks ago, a few with a clock off by minutes (the quality report's cases).
    void add_devices() {
        auto& db = c_.conn();
        const std::int64_t now = 1'780'000'000'000;
        for (int d = 0; d < o_.devices; ++d) {
            auto& g = gads_[static_cast<std::size_t>(d) % gads_.size()];
            auto id = uuid();
            std::int64_t seen = chance(0.9) ? now - uniform(0, 3 * 86400) * std::int64_t{1000}
                                            : now - uniform(10, 60) * std::int64_t{86'400'000};
            auto s = db.prepare(
                "INSERT INTO device(id, name, gads, status, created_ms, enrolled_ms, last_seen_ms) "
                "VALUES (?1, ?2, ?3, 'activo', ?4, ?4, ?5)");
            std::string scope = g.code;
            if (auto m = group_members_.find(g.code); m != group_members_.end())
                for (const auto& mem : m->second) scope += "," + mem;
            s.bind(1, id)
                .bind(2, "Tablet " + std::to_string(d + 1))
                .bind(3, scope)
                .bind(4, std::int64_t{now - 200 * 86'400'000LL})
                .bind(5, seen);
            s.exec();
            if (chance(0.05)) {
                auto k = db.prepare(
                    "INSERT INTO device_clock(device_num, offset_ms, observed_ms) VALUES (?1, ?2, "
                    "?3)");
                k.bind(1, db.last_insert_rowid())
                    .bind(2, std::int64_t{(chance(0.5) ? 1 : -1) * uniform(600, 7200) * 1000LL})
                    .bind(3, seen);
                k.exec();
            }
            g.devices.push_back(id);
            ++n_.devices;
        }
    }

    /// A territory for a project of `g`: its own, a parish of its canton/province, or (for a
    /// mancomunidad) a member's.
    std::string place_of(const detail::gad_row& g) {
        if (g.level == "mancomunidad") {
            const auto& mem = pick(group_members_.at(g.code));
            for (const auto& x : gads_)
                if (x.code == mem) return x.territory;
        }
        if (g.level == "parroquial_rural" || chance(0.4)) return g.territory;
        std::vector<const std::string*> inside;
        auto lo = std::lower_bound(parishes_.begin(), parishes_.end(), g.territory);
        for (auto it = lo;
             it != parishes_.end() && it->compare(0, g.territory.size(), g.territory) == 0; ++it)
            inside.push_back(&*it);
        return inside.empty() ? g.territory : *pick(inside);
    }

    void add_gad_data(const detail::gad_row& g) {
        int projects = uniform(o_.projects_per_gad / 2 + 1, o_.projects_per_gad * 3 / 2);
        std::string agreement;
        for (int p = 0; p < projects; ++p) {
            if (p % 2 == 0) agreement = add_agreement(g);
            add_project(g, agreement, agreement_refs_.back(), false);
        }
    }

    std::string add_agreement(const detail::gad_row& g) {
        const auto& org = pick(orgs_);
        auto id = uuid();
        int year = uniform(2021, 2025);
        std::string ref =
            "SIGECI-" + std::to_string(year) + "-" + std::to_string(10000 + n_.agreements);
        const char* kind =
            org.source == "descentralizada" ? "hermanamiento" : "convenio_especifico";
        row("agreement", id, g.code,
            "kind, reference, title, source, modality, geopolitical, signed_on, valid_from, "
            "valid_to, "
            "status, currency, cooperant_amount",
            {std::string(kind), ref,
             "Convenio de cooperación para " + std::string(pick(detail::themes)), org.source,
             std::string(org.source == "academia" ? "tecnica_capacitacion" : "fin_no_reembolsable"),
             std::string(chance(0.85) ? "norte_sur" : "sur_sur"), std::to_string(year) + "-03-15",
             std::to_string(year) + "-04-01", std::to_string(year + 3) + "-03-31",
             std::string(year + 3 >= 2026 ? "vigente" : "finalizado"), std::string("USD"),
             std::int64_t{uniform(20, 900) * 100000}});
        row("agreement_party", uuid(), g.code, "agreement_id, organisation_id, role",
            {id, org.id, std::string("cooperante")});
        agreement_orgs_.push_back(org);
        agreement_refs_.push_back(ref);
        ++n_.agreements;
        return id;
    }

    void add_project(const detail::gad_row& g, const std::string& agreement, const std::string& ref,
                     bool duplicate) {
        const auto org = agreement_orgs_.back();
        auto id = uuid();
        int year = uniform(2022, 2025);
        bool beneficiaries = chance(0.7);
        row("project", id, g.code,
            "agreement_id, title, modality, source, geopolitical, planned_start, planned_end, "
            "beneficiaries, activity_status",
            {agreement,
             std::string(pick(detail::verbs)) + " " + pick(detail::themes) + " en " + g.code,
             std::string(chance(0.8) ? "fin_no_reembolsable"
                                     : pick(std::array<const char*, 3>{
                                           "tecnica_asesoria", "tecnica_capacitacion", "mixta"})),
             chance(0.7) ? sql::value(org.source) : sql::value(),  // else the agreement's
             chance(0.9) ? sql::value(std::string("norte_sur"))
                         : sql::value(std::string("triangular")),
             std::to_string(year) + "-01-15", std::to_string(year + 2) + "-12-31",
             beneficiaries ? sql::value(std::int64_t{uniform(20, 5000)}) : sql::value(),
             std::int64_t{2}});
        ++n_.projects;
        if (duplicate) ++n_.duplicates;
        // Funders: the agreement's cooperant, and a co-financier on 15 %.
        row("project_participant", uuid(), g.code, "project_id, organisation_id, role",
            {id, org.id, std::int64_t{1}});
        if (chance(0.15)) {
            const auto& other = pick(orgs_);
            if (other.id != org.id) {
                row("project_participant", uuid(), g.code, "project_id, organisation_id, role",
                    {id, other.id, std::int64_t{1}});
                ++n_.cofinanced;
            }
        }
        for (int goal : {uniform(1, 17), chance(0.5) ? uniform(1, 17) : 0})
            if (goal)
                row("project_sdg", uuid(), g.code, "project_id, goal", {id, std::int64_t{goal}});
        if (chance(0.6)) {
            row("project_sector", uuid(), g.code, "project_id, sector, percentage",
                {id, std::string(detail::sectors[0 + uniform(0, 5)]), 60.0});
            row("project_sector", uuid(), g.code, "project_id, sector, percentage",
                {id, std::string(detail::sectors[6 + uniform(0, 5)]), 40.0});
        } else if (chance(0.8)) {
            row("project_sector", uuid(), g.code, "project_id, sector, percentage",
                {id, std::string(pick(detail::sectors)), 100.0});
        }
        auto territories = add_locations(g, id);
        add_money(g, id, year);
        add_indicators(g, id, territories, year);
        // The same project recorded by a second GAD (a co-financing partner or the owner's
        // mancomunidad) under an agreement with the same registry reference.
        if (!duplicate && chance(o_.cofinanced_twice)) {
            const auto& other = pick(gads_);
            if (other.code != g.code) {
                auto a = uuid();
                row("agreement", a, other.code, "kind, reference, title, source, status",
                    {std::string("convenio_especifico"),
                     " " + ref.substr(0, 6) + " " + ref.substr(7) + " ",
                     std::string("Convenio de cofinanciamiento"), org.source,
                     std::string("vigente")});
                ++n_.agreements;
                add_project(other, a, ref, true);
            }
        }
    }

    std::vector<std::string> add_locations(const detail::gad_row& g, const std::string& id) {
        std::vector<std::string> out;
        double r = std::uniform_real_distribution<double>(0, 1)(rng_);
        if (g.level == "mancomunidad" && r < 0.3) return out;  // split over its members
        int n = r < 0.75 ? 1 : r < 0.95 ? uniform(2, 3) : 0;
        if (n == 0 && g.level == "provincial") {  // a project over two or three provinces
            n = uniform(2, 3);
            out.push_back(place_of(g));
            for (int i = 1; i < n; ++i) out.push_back(pick(parishes_));
            ++n_.multi_province;
        } else {
            n = std::max(n, 1);
            for (int i = 0; i < n; ++i) out.push_back(place_of(g));
        }
        bool shares = out.size() > 1 && chance(0.5);
        for (std::size_t i = 0; i < out.size(); ++i) {
            double share = i == 0 ? 100.0 - 20.0 * static_cast<double>(out.size() - 1) : 20.0;
            row("project_location", uuid(), g.code, "project_id, territory, share",
                {id, out[i], shares ? sql::value(share) : sql::value()});
        }
        return out;
    }

    void add_money(const detail::gad_row& g, const std::string& id, int year) {
        std::string currency = chance(0.85) ? "USD" : chance(0.8) ? "EUR" : "JPY";
        // USD and EUR in cents; JPY has no minor unit (≈ 150 yen a dollar).
        std::int64_t total =
            uniform(10, 800) * std::int64_t{1000} * (currency == "JPY" ? 150 : 100);
        for (int b = 0; b < uniform(1, 3); ++b)
            row("project_budget", uuid(), g.code,
                "project_id, period_start, period_end, status, amount, currency",
                {id, std::to_string(year + b) + "-01-01", std::to_string(year + b) + "-12-31",
                 std::int64_t{chance(0.6) ? 2 : 1}, total / 3, currency});
        if (chance(0.7))
            row("project_transaction", uuid(), g.code,
                "project_id, type, tx_date, amount, currency",
                {id, std::int64_t{2}, std::to_string(year) + "-02-01", total, currency});
        for (int d = 0; d < uniform(0, 3); ++d)
            row("project_transaction", uuid(), g.code,
                "project_id, type, tx_date, amount, currency",
                {id, std::int64_t{3},
                 std::to_string(year + d) + "-0" + std::to_string(uniform(3, 9)) + "-10", total / 5,
                 currency});
    }

    void add_indicators(const detail::gad_row& g, const std::string& id,
                        const std::vector<std::string>& territories, int year) {
        int count = uniform(2, 4);
        std::vector<std::pair<std::string, std::vector<std::string>>> inds;  // id, periods
        for (int i = 0; i < count; ++i) {
            auto ind = uuid();
            bool library = chance(0.75);
            const auto& def = pick(defs_);
            row("indicator", ind, g.code,
                "project_id, indicator_code, title, unit, aggregation, baseline_value, "
                "target_value",
                {id, library ? sql::value(def.code) : sql::value(),
                 library ? def.name : std::string("Familias atendidas por el proyecto"),
                 library ? def.unit : std::string("familias"),
                 library ? def.aggregation : std::string("sum"), 0.0, double(uniform(50, 2000))});
            std::vector<std::string> periods;
            for (int s = 0; s < 4; ++s) {
                auto pid = uuid();
                int y = year + s / 2;
                row("reporting_period", pid, g.code, "indicator_id, period_start, period_end",
                    {ind, std::to_string(y) + (s % 2 ? "-07-01" : "-01-01"),
                     std::to_string(y) + (s % 2 ? "-12-31" : "-06-30")});
                periods.push_back(pid);
                ++n_.periods;
            }
            inds.emplace_back(ind, periods);
            ++n_.indicators;
        }
        const std::string device = g.devices.empty() ? std::string("generado") : g.devices.front();
        for (int k = 0; k < o_.observations_per_project; ++k) {
            const auto& [ind, periods] = inds[static_cast<std::size_t>(k) % inds.size()];
            int s = uniform(0, 3);
            int y = year + s / 2;
            char date[40];
            std::snprintf(date, sizeof date, "%04d-%02d-%02d", y, (s % 2 ? 7 : 1) + uniform(0, 5),
                          uniform(1, 28));
            row("observation", uuid(), g.code,
                "indicator_id, period_id, observed_on, value, territory, device_id, note",
                {ind, periods[static_cast<std::size_t>(s)], std::string(date),
                 double(uniform(1, 400)) / 4.0,
                 territories.empty() || chance(0.1) ? sql::value() : sql::value(pick(territories)),
                 device,
                 chance(0.3) ? sql::value(std::string(pick(detail::notes))) : sql::value()});
            ++n_.observations;
        }
    }

    central& c_;  // the store being filled; owned by the caller, outlives the generator
    std::filesystem::path data_;
    national_options o_;
    std::mt19937_64 rng_;
    std::int64_t clock_ms_ = 1'700'000'000'000;
    national_counts n_;
    std::vector<detail::gad_row> gads_;
    std::map<std::string, std::vector<std::string>> group_members_;
    std::vector<detail::org_row> orgs_, agreement_orgs_;
    std::vector<std::string> agreement_refs_;
    std::vector<detail::indicator_def_row> defs_;
    std::vector<std::string> parishes_;
};

}  // namespace minga::bench
