#pragma once
// Test helpers for the reference-data tests: a :memory: database with the v1 schema (read from
// the source tree, independent of the migration runner), loading the shipped data, and a
// scratch copy of data/ that a test may corrupt.

#include <minga/shared/reference_data.hpp>
#include <minga/shared/sqlite.hpp>

#include <filesystem>
#include <string>
#include <string_view>

namespace minga::test {

/// The repository's data/ directory.
[[nodiscard]] std::filesystem::path source_data_dir();

/// A fresh :memory: database with shared/src/schema/v1.sql applied.
[[nodiscard]] sql::db schema_db();

/// A :memory: database with the schema and all reference data loaded (REQUIREs success).
[[nodiscard]] sql::db loaded_db();

/// A copy of data/ in a fresh temporary directory, removed when this object goes away.
class scratch_data {
public:
    scratch_data();
    ~scratch_data();
    scratch_data(const scratch_data&) = delete;
    scratch_data& operator=(const scratch_data&) = delete;

    [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }
    /// Replaces the 1-based `line` of `file` (relative to dir()) with `text`.
    void replace_line(std::string_view file, std::size_t line, std::string_view text) const;

private:
    std::filesystem::path root_;
    std::filesystem::path dir_;
};

}  // namespace minga::test
