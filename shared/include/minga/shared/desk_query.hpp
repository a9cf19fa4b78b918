#pragma once
/// Read-only lookups the parish desk (`minga desk`) needs to draw its forms and pages: the
/// choices of a codelist, the parishes of the replica's territory, the SDGs, the currencies
/// and each indicator's progress against its target. Writes never go through here (they go
/// through `entity_service`). Not thread-safe; belongs to the caller's replica.

#include <minga/shared/replica.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// One choice of a drop-down: the stored code and what a person reads.
struct desk_choice {
    std::string code;
    std::string name;
};

/// Active entries of `list` ("cinr.modalidad", "iati.AidType"...), by code; names in `lang`
/// ("es" unless "en", falling back to Spanish when no English name is stored).
[[nodiscard]] std::vector<desk_choice> codelist_choices(replica& r, std::string_view list,
                                                        std::string_view lang);
/// The parishes (level 3, in force) of the cantons of the replica's GADs (of the province for a
/// provincial GAD), by code; names as "Parroquia (Cantón)".
[[nodiscard]] std::vector<desk_choice> parish_choices(replica& r);
/// The 17 SDGs: "6" and its short name in `lang`.
[[nodiscard]] std::vector<desk_choice> sdg_choices(replica& r, std::string_view lang);
/// Currencies known to the catalogue, by code.
[[nodiscard]] std::vector<desk_choice> currency_choices(replica& r);

/// An indicator of a project and how far it got.
struct indicator_progress {
    std::string id;
    std::string title;
    std::string unit;
    std::string aggregation;            ///< sum, last, max or mean
    std::optional<double> baseline;
    std::optional<double> target;
    std::optional<double> value;        ///< observations combined by `aggregation`; none: nothing observed
    std::int64_t observations = 0;
    std::optional<double> percent;      ///< (value - baseline) / (target - baseline) * 100, when defined
};

/// The live indicators of `project_id` (all in scope when empty), by title.
[[nodiscard]] std::vector<indicator_progress> indicator_progress_of(replica& r,
                                                                    std::string_view project_id);

}  // namespace minga
