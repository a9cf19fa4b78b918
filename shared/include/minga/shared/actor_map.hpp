#pragma once
/// The actor map: the cooperants and partners active near a territory and in a sector, from
/// the agreements and projects a store holds (a device: its own GAD's; central: every GAD's)
/// and from the open offers of the catalogue.
///
/// Nearness: an activity's territories (a project's locations, else its GAD's territory; an
/// agreement's GAD territory and its projects' locations; an offer's territories, none meaning
/// the whole country) compared with the territory asked for: same parish (3), same canton (2),
/// same province (1); an offer open to the whole country counts as national (0). Agreements and
/// projects farther than the province are left out. A sector matches the same DAC code or the
/// same 3-digit group; an activity with no sector never matches a sector filter.
///
/// Thread affinity: the caller's connection and thread. Reads only.

#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace minga {

struct actor_filter {
    std::string territory;  ///< INEC code; empty = anywhere
    std::string sector;     ///< DAC code (5 digits or a 3-digit group); empty = any
    std::string today;      ///< YYYY-MM-DD for offer deadlines; empty = today (UTC)
};

struct actor_row {
    std::string organisation_id;
    std::string name;
    std::string source;        ///< cinr.fuente of the organisation
    std::int64_t agreements = 0;
    std::int64_t projects = 0;
    std::int64_t offers = 0;
    int proximity = -1;        ///< 3 parish, 2 canton, 1 province, 0 national, -1 no territory asked
    std::vector<std::string> roles;  ///< agreement party roles and "ofertante" / project roles
};

/// The actors, nearest first, then most agreements and projects, then name.
[[nodiscard]] std::vector<actor_row> actor_map(sql::db& db, const actor_filter& filter);

}  // namespace minga
