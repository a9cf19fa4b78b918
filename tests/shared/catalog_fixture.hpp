#pragma once
// Test helpers for the catalogue import tests: a replica in a temporary folder, imports from
// text or from data/samples/, and small queries on the stored state.

#include <minga/shared/catalog_import.hpp>
#include <minga/shared/replica.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace minga::test {

/// The text of a file under data/samples/.
[[nodiscard]] std::string sample_text(std::string_view file);

/// `text` with its 1-based `line` replaced by `replacement` (REQUIREs the line to exist).
[[nodiscard]] std::string with_line(std::string_view text, std::size_t line,
                                    std::string_view replacement);

/// A fresh replica of GAD 170151 (Alangasí, a rural parish of Quito) in a temporary folder,
/// removed with this object.
class catalog_replica {
  public:
    catalog_replica();
    ~catalog_replica();
    catalog_replica(const catalog_replica&) = delete;
    catalog_replica& operator=(const catalog_replica&) = delete;

    [[nodiscard]] replica& r() { return *replica_; }

    /// Imports `text` in one transaction, committed on success and rolled back on failure,
    /// as the CLI does.
    [[nodiscard]] result<catalog_summary> import(catalog_kind kind, std::string_view text,
                                                 std::int64_t rev = 1);
    /// Imports data/samples/<file>, REQUIREs success.
    catalog_summary import_sample(catalog_kind kind, std::string_view file, std::int64_t rev = 1);

    /// `SELECT count(*) FROM <table> [WHERE <where>]`.
    [[nodiscard]] std::int64_t count(std::string_view table, std::string_view where = "");
    /// A text column of one row, or nullopt when there is no such row (or the value is NULL).
    [[nodiscard]] std::optional<std::string> text_of(std::string_view table,
                                                     std::string_view column,
                                                     std::string_view key_column,
                                                     std::string_view key);
    [[nodiscard]] std::optional<std::int64_t> int_of(std::string_view table,
                                                     std::string_view column,
                                                     std::string_view key_column,
                                                     std::string_view key);

  private:
    std::filesystem::path dir_;
    std::optional<replica> replica_;
};

}  // namespace minga::test
