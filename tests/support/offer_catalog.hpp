#pragma once
/// A generated offer catalogue (CSV in the `offers` import format, docs/catalog-formats.md) and
/// the same offers as plain values, for matching tests and the matching benchmark. Fixed seed:
/// the same `n` and `seed` give the same catalogue. Cooperants are the codes of
/// data/samples/organisations.csv (import it first). Invented data.
#include <algorithm>
#include <array>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace minga::test {

struct gen_offer {
    std::string code, title, cooperant, modality, source, geopolitical, closes_on, status;
    std::vector<std::string> sectors, sdgs, eligible, territories;
};

inline constexpr std::array<const char*, 14> gen_cooperants = {
    "AECID", "GIZ", "KOICA", "JICA", "UE", "PNUD", "CAF", "FAO", "UNICEF", "APC-COL", "AGCID", "BCN",
    "TOSCANA", "U-SALAMANCA"};
inline constexpr std::array<const char*, 8> gen_modalities = {
    "fin_no_reembolsable", "fin_reembolsable", "tecnica_asesoria", "tecnica_capacitacion",
    "tecnica_voluntariado", "tecnica_becas", "tecnica_pasantias", "mixta"};
inline constexpr std::array<const char*, 6> gen_sources = {"bilateral", "multilateral", "descentralizada",
                                                          "ong_extranjera", "privada", "academia"};
inline constexpr std::array<const char*, 15> gen_sectors = {
    "31220", "31210", "31110", "14030", "14020", "41010", "41030", "11330",
    "11420", "15112", "43040", "12220", "31120", "25010", "23210"};
inline constexpr std::array<const char*, 5> gen_levels = {"provincial", "municipal", "parroquial_rural",
                                                         "mancomunidad", "consorcio"};
inline constexpr std::array<const char*, 6> gen_territories = {"17", "1701", "170151", "09", "0901", "10"};

/// `k` distinct items of `pool` (k <= pool size), in pool order.
template <class Pool>
std::vector<std::string> gen_pick(std::mt19937& rng, const Pool& pool, std::size_t k) {
    std::vector<std::size_t> idx(pool.size());
    for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
    std::shuffle(idx.begin(), idx.end(), rng);
    idx.resize(k);
    std::sort(idx.begin(), idx.end());
    std::vector<std::string> out;
    for (auto i : idx) out.emplace_back(pool[i]);
    return out;
}

inline std::vector<gen_offer> generate_offers(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    auto roll = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::array<std::string, 17> goals;
    for (int g = 1; g <= 17; ++g) goals[static_cast<std::size_t>(g - 1)] = std::to_string(g);
    std::vector<gen_offer> out;
    for (std::size_t i = 0; i < n; ++i) {
        gen_offer o;
        char code[32];
        std::snprintf(code, sizeof code, "OF-%05zu", i);
        o.code = code;
        o.title = "Oferta generada " + std::to_string(i);
        o.cooperant = gen_cooperants[static_cast<std::size_t>(roll(0, 13))];
        o.modality = gen_modalities[static_cast<std::size_t>(roll(0, 7))];
        o.source = roll(0, 5) == 0 ? "" : gen_sources[static_cast<std::size_t>(roll(0, 5))];
        int geo = roll(0, 5);
        o.geopolitical = geo == 0 ? "sur_sur" : geo == 1 ? "triangular" : geo == 2 ? "" : "norte_sur";
        o.sectors = gen_pick(rng, gen_sectors, static_cast<std::size_t>(roll(0, 3)));
        o.sdgs = gen_pick(rng, goals, static_cast<std::size_t>(roll(0, 3)));
        if (roll(0, 2) == 0) o.eligible = gen_pick(rng, gen_levels, static_cast<std::size_t>(roll(1, 3)));
        if (roll(0, 3) == 0) o.territories = gen_pick(rng, gen_territories, static_cast<std::size_t>(roll(1, 2)));
        if (roll(0, 3) != 0) {
            char date[16];
            std::snprintf(date, sizeof date, "%04d-%02d-%02d", roll(2024, 2028), roll(1, 12), roll(1, 28));
            o.closes_on = date;
        }
        int st = roll(0, 9);
        o.status = st == 0 ? "cerrada" : st == 1 ? "archivada" : o.closes_on.empty() ? "permanente" : "abierta";
        out.push_back(std::move(o));
    }
    return out;
}

/// `n` open offers (no deadline, no eligibility or territory limits) that all share SDG `sdg`,
/// coded PREFIX-00000...: every one of them is a candidate for a demand with that SDG (for
/// tests of the match and coverage limits).
inline std::vector<gen_offer> same_theme_offers(std::size_t n, const std::string& sdg, const std::string& prefix) {
    std::vector<gen_offer> out;
    for (std::size_t i = 0; i < n; ++i) {
        char code[32];
        std::snprintf(code, sizeof code, "%s-%05zu", prefix.c_str(), i);
        gen_offer o;
        o.code = code;
        o.title = "Oferta " + o.code;
        o.cooperant = gen_cooperants[i % gen_cooperants.size()];
        o.modality = "mixta";
        o.sdgs = {sdg};
        o.status = "permanente";
        out.push_back(std::move(o));
    }
    return out;
}

inline std::string join_semicolon(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ";") + x;
    return s;
}

/// The offers as an `offers` catalogue CSV.
inline std::string offers_csv(const std::vector<gen_offer>& offers) {
    std::string csv = "code,cooperant,title,modality,source,geopolitical,sectors,sdgs,eligible,closes_on,status,territories\n";
    for (const auto& o : offers)
        csv += o.code + "," + o.cooperant + "," + o.title + "," + o.modality + "," + o.source + "," + o.geopolitical +
               "," + join_semicolon(o.sectors) + "," + join_semicolon(o.sdgs) + "," + join_semicolon(o.eligible) +
               "," + o.closes_on + "," + o.status + "," + join_semicolon(o.territories) + "\n";
    return csv;
}

}  // namespace minga::test
