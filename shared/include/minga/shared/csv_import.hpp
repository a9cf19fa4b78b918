#pragma once
/// Bulk import of field observations from CSV, all or nothing.
///
/// The header names observation fields as the `observe` command does (indicator, value, date,
/// period, report, territory, lat, lon, accuracy, sex, age-group, collected-by, note);
/// indicator, value and date are required, unknown columns are refused, empty cells are left
/// out. Every row is validated exactly like `minga observe`; the first bad row stops the import
/// with an error naming its line and field, and nothing is written. All rows are written in one
/// transaction, each with its outbox entry.

#include <minga/protocol/result.hpp>
#include <minga/shared/entity_service.hpp>

#include <cstddef>
#include <functional>
#include <iosfwd>

namespace minga {

struct import_summary {
    std::size_t rows = 0;
};

/// Called every `progress_every` rows with the rows done so far (for a progress line).
using import_progress = std::function<void(std::size_t rows)>;
inline constexpr std::size_t progress_every = 5000;

[[nodiscard]] result<import_summary> import_observations(entity_service& svc, replica& r,
                                                         std::istream& in,
                                                         const import_progress& progress = {});

}  // namespace minga
