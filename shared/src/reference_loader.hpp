#pragma once
// Private pieces of load_reference_data(): reading one reference file row by row with errors
// that name the file and line, writing an upsert, and the two halves of the load.

#include <minga/protocol/result.hpp>
#include <minga/shared/csv.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace minga::refdata {

/// One row of a reference file; `operator[](i)` is the i-th column asked for in `for_each_row`.
/// Views the reader's buffer: valid during the callback only.
class row {
public:
    row(const csv::record& rec, std::span<const std::size_t> columns) noexcept
        : rec_(rec), columns_(columns) {}

    [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
        return rec_[columns_[i]];
    }
    [[nodiscard]] std::size_t line() const noexcept { return rec_.line(); }
    /// A `bad_input` error about this row (field "línea N"); `for_each_row` adds the file.
    [[nodiscard]] error fail(std::string es, std::string_view en) const;

private:
    const csv::record& rec_;               // the reader's current record, alive for the callback
    std::span<const std::size_t> columns_;  // owned by for_each_row, alive for the callback
};

using row_fn = std::function<status(const row&)>;

/// Reads `data_dir / file` (a path relative to the data directory, used in messages), resolves
/// `columns` by name and calls `fn` for every row, stopping at the first error. Returns the
/// number of rows. Errors carry the file name in `field` and in the English message.
[[nodiscard]] result<std::int64_t> for_each_row(const std::filesystem::path& data_dir,
                                                std::string_view file,
                                                std::initializer_list<std::string_view> columns,
                                                const row_fn& fn);

/// Steps an INSERT ... ON CONFLICT DO UPDATE ... WHERE <differs> statement to completion and
/// returns the rows it changed (0 when the stored row was already identical).
[[nodiscard]] std::int64_t write(sql::db& db, sql::stmt& s);

/// Provinces, cantons, parishes and their GADs (refdata_territory.cpp).
[[nodiscard]] status load_territory(sql::transaction& tx, const std::filesystem::path& data_dir,
                                    reference_counts& counts);

/// SDGs, DAC sectors, currencies and code lists (refdata_catalogues.cpp).
[[nodiscard]] status load_catalogues(sql::transaction& tx,
                                     const std::filesystem::path& data_dir,
                                     reference_counts& counts);

}  // namespace minga::refdata
