#pragma once
// Realistic field data for the benchmarks, written through the store API: one project of a
// parish (two SDGs, a location), four indicators, a reporting period per indicator and
// semester, a monitoring report per semester, and N observations of 14 fields each (indicator,
// value, date, period, report, territory, lat, lon, GPS accuracy, sex, age group, collector,
// a short varied Spanish note, and the device id the store adds). Fixed seed: two runs make the
// same values (ids and clocks differ).
//
// Header-only on purpose: bench/CMakeLists.txt makes an executable of every .cpp in bench/.
// The names and notes are invented; nothing here describes a real person.
#include <minga/shared/entity_service.hpp>
#include <minga/shared/replica.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <functional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace minga::bench {

/// What the observations refer to: ids made by the store.
struct project_plan {
    std::vector<std::string> indicators;            ///< 4
    std::vector<std::vector<std::string>> periods;  ///< [indicator][semester]
    std::vector<std::string> reports;               ///< [semester]
};

/// 2024-H1 … 2025-H2: the observations span these two years.
inline constexpr std::array<std::array<const char*, 2>, 4> semesters = {{
    {"2024-01-01", "2024-06-30"},
    {"2024-07-01", "2024-12-31"},
    {"2025-01-01", "2025-06-30"},
    {"2025-07-01", "2025-12-31"},
}};

inline std::string add_row(entity_service& svc, std::string_view kind, const form& f) {
    auto w = svc.add(*find_entity(kind), f);
    if (!w) throw std::runtime_error(std::string(kind) + " add: " + w.err().text("en"));
    return w->id;
}

/// The project, its indicators, periods and reports, each in its own transaction.
inline project_plan add_project(entity_service& svc, const std::string& gad) {
    project_plan p;
    const auto project = add_row(svc, "project",
                                 {{"title", "Restauración de la microcuenca del río San Pedro"},
                                  {"modality", "fin_no_reembolsable"},
                                  {"sdg", "6"},
                                  {"sdg", "15"},
                                  {"location", gad + ":Comunidad El Tingo"}});
    const std::array<std::array<const char*, 2>, 4> kinds = {{{"Hectáreas restauradas", "ha"},
                                                              {"Plántulas sembradas", "plántulas"},
                                                              {"Personas capacitadas", "personas"},
                                                              {"Agua distribuida", "litros"}}};
    for (const auto& [title, unit] : kinds) {
        const auto ind =
            add_row(svc, "indicator", {{"project", project}, {"title", title}, {"unit", unit}});
        p.indicators.push_back(ind);
        auto& periods = p.periods.emplace_back();
        for (const auto& [start, end] : semesters)
            periods.push_back(
                add_row(svc, "period", {{"indicator", ind}, {"start", start}, {"end", end}}));
    }
    for (const auto& [start, end] : semesters)
        p.reports.push_back(add_row(svc, "monitoring",
                                    {{"project", project},
                                     {"start", start},
                                     {"end", end},
                                     {"kind", "seguimiento"},
                                     {"status", "enviado"}}));
    return p;
}

inline std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

/// The form of observation `i` of `n`: spread evenly over the two years, a quarter per
/// indicator, GPS on nine rows in ten, a note on seven in ten.
class observation_maker {
  public:
    explicit observation_maker(const project_plan& p, std::string gad)
        : p_(p), gad_(std::move(gad)) {}

    form make(std::size_t i, std::size_t n) {
        using namespace std::chrono;
        const std::size_t ind = i % 4;
        const year_month_day d{sys_days{year{2024} / January / 1} +
                               days(static_cast<int>(i * 730 / n))};
        const auto sem = static_cast<std::size_t>((static_cast<int>(d.year()) - 2024) * 2 +
                                                  (static_cast<unsigned>(d.month()) > 6 ? 1 : 0));
        char date[16];
        std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(d.year()),
                      static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
        form f{{"indicator", p_.indicators[ind]}, {"value", value(ind)},       {"date", date},
               {"period", p_.periods[ind][sem]},  {"report", p_.reports[sem]}, {"territory", gad_}};
        if (unit_(rng_) < 0.9) {
            f.emplace_back("lat", fixed(-0.30 + unit_(rng_) * 0.05, 6));
            f.emplace_back("lon", fixed(-78.45 + unit_(rng_) * 0.05, 6));
            f.emplace_back("accuracy", fixed(3 + unit_(rng_) * 22, 1));
        }
        f.emplace_back("sex", pick(sexes));
        f.emplace_back("age-group", pick(ages));
        f.emplace_back("collected-by", pick(collectors));
        if (unit_(rng_) < 0.7)
            f.emplace_back("note", std::string(pick(openings)) + ", tramo " +
                                       std::to_string(1 + static_cast<int>(unit_(rng_) * 40)) +
                                       ", " + pick(places));
        return f;
    }

  private:
    static constexpr std::array<const char*, 3> sexes = {"mujer", "hombre", "otro"};
    static constexpr std::array<const char*, 6> ages = {"0-11",  "12-17", "18-29",
                                                        "30-44", "45-64", "65+"};
    static constexpr std::array<const char*, 8> collectors = {
        "María Guamán",   "Luis Quishpe",  "Rosa Tipán",      "Segundo Chicaiza",
        "Carmen Simbaña", "Jorge Pillajo", "Blanca Toapanta", "Edwin Ushiña"};
    static constexpr std::array<const char*, 10> openings = {"Sin novedad",
                                                             "Lluvia fuerte en la tarde",
                                                             "Plántulas en buen estado",
                                                             "Se repuso el riego",
                                                             "Terreno con mucha pendiente",
                                                             "Asistieron dirigentes de la comuna",
                                                             "Falta señalética",
                                                             "Suelo húmedo, buena prendida",
                                                             "Se coordinó con la junta de agua",
                                                             "Helada la noche anterior"};
    static constexpr std::array<const char*, 8> places = {
        "orilla del río San Pedro", "quebrada El Tingo", "sector La Merced",
        "barrio Central",           "faldas del Ilaló",  "vertiente de Chiche",
        "camino a Tolontag",        "junto a la escuela"};

    template <std::size_t N>
    const char* pick(const std::array<const char*, N>& a) {
        return a[static_cast<std::size_t>(unit_(rng_) * N) % N];
    }

    std::string value(std::size_t ind) {
        switch (ind) {
            case 0:
                return fixed(0.1 + unit_(rng_) * 4.9, 2);  // hectares
            case 1:
                return std::to_string(10 + static_cast<int>(unit_(rng_) * 490));  // seedlings
            case 2:
                return std::to_string(1 + static_cast<int>(unit_(rng_) * 40));  // people
            default:
                return fixed(100 + unit_(rng_) * 9900, 1);  // litres
        }
    }

    const project_plan& p_;  // the caller's plan; outlives the maker
    std::string gad_;
    std::mt19937_64 rng_{20250101};
    std::uniform_real_distribution<double> unit_{0.0, 1.0};
};

/// Adds the project and `n` observations to `r` (observations in one transaction, each with
/// its outbox entry, as `minga import` writes them). `progress` is called every 20,000 rows.
inline project_plan add_field_data(replica& r, std::size_t n,
                                   const std::function<void(std::size_t)>& progress = {}) {
    entity_service svc(r);
    auto plan = add_project(svc, r.gad());
    observation_maker maker(plan, r.gad());
    const auto* spec = find_entity("observation");
    sql::transaction tx(r.conn());
    for (std::size_t i = 0; i < n; ++i) {
        auto w = svc.add(tx, *spec, maker.make(i, n));
        if (!w) throw std::runtime_error("observation add: " + w.err().text("en"));
        if (progress && (i + 1) % 20000 == 0) progress(i + 1);
    }
    r.commit(tx);
    return plan;
}

}  // namespace minga::bench
