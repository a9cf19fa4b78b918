#pragma once
// Private pieces of import_catalog(): the columns of each kind, a reader that validates the
// cells of one row, the parsers that turn a row into the rows to write, and the store side
// (the only SQL of the import).

#include <minga/protocol/result.hpp>
#include <minga/shared/catalog_import.hpp>
#include <minga/shared/csv.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minga::catalog {

/// One column of a kind's format. A required column must be in the header and non-empty in
/// every row; an optional one may be left out of the header (the same as empty cells).
struct column_spec {
    std::string_view name;
    bool required;
};

enum class need : std::uint8_t { optional, required };

/// Checks one item of a list cell; `field` names the line and column.
using item_check = std::function<status(std::string_view field, std::string_view item)>;

/// The cells of one record, read through a kind's columns and validated as they are read.
/// Each typed reader returns the value to store (NULL for an empty optional cell); the first
/// invalid cell records its error and every later call returns NULL, so a parser can read a
/// whole row and check `ok()` once. Views the csv reader's record: lives for one row.
class field_reader {
  public:
    field_reader(sql::db& db, const csv::record& rec, std::span<const column_spec> columns,
                 std::span<const std::optional<std::size_t>> index) noexcept
        : db_(db), rec_(rec), columns_(columns), index_(index) {}

    [[nodiscard]] sql::db& db() noexcept { return db_; }
    [[nodiscard]] std::size_t line() const noexcept { return rec_.line(); }
    /// The cell of `column`, empty when the header lacks that (optional) column.
    [[nodiscard]] std::string_view raw(std::string_view column) const noexcept;
    /// "línea N, columna C": the `error::field` of a problem in this cell.
    [[nodiscard]] std::string field(std::string_view column) const;

    /// UTF-8 text of at most `max_bytes`.
    sql::value text(std::string_view column, std::size_t max_bytes, need n);
    /// An http:// or https:// address without spaces.
    sql::value web_address(std::string_view column);
    /// One of `allowed`; an empty cell is `fallback` (NULL when that is empty too).
    sql::value choice(std::string_view column, std::span<const std::string_view> allowed, need n,
                      std::string_view fallback = {});
    /// An active code of the code list `list`, stored as text.
    sql::value code_in(std::string_view column, std::string_view list, need n);
    /// A numeric code of `list` (IATI OrganisationType, IndicatorMeasure), stored as an integer;
    /// an empty cell is `fallback` (required when that is empty).
    sql::value int_code_in(std::string_view column, std::string_view list,
                           std::string_view fallback);
    sql::value date(std::string_view column);
    sql::value ruc(std::string_view column, need n);
    /// An SDG goal 1..17, stored as an integer.
    sql::value goal(std::string_view column);
    sql::value dac_sector(std::string_view column);
    /// Items separated by ';', each checked, no empty or repeated item, at most `max_items`;
    /// stored comma separated in a canonical order (by length, then text), "" when empty.
    sql::value list(std::string_view column, std::size_t max_items, const item_check& check);
    /// An amount in minor units of a currency with `minor_unit` decimals.
    sql::value money(std::string_view column, int minor_unit);

    /// Records `e` unless an earlier error was recorded.
    void fail(error e);
    void fail(std::string_view column, std::string es, std::string en);
    [[nodiscard]] bool ok() const noexcept { return !error_; }
    /// The recorded error; call only when `!ok()`.
    [[nodiscard]] error take_error() { return std::move(*error_); }

  private:
    /// False when the cell is empty (recording an error when it is required) or a previous
    /// cell failed: the caller then returns NULL.
    [[nodiscard]] bool present(std::string_view column, need n);
    /// Records a failed check; true when `st` is ok.
    bool check(const status& st);

    sql::db& db_;             // the import's connection, alive for the whole import
    const csv::record& rec_;  // the reader's current record, alive for this row
    std::span<const column_spec> columns_;
    std::span<const std::optional<std::size_t>> index_;  // header position of each column
    std::optional<error> error_;
};

/// A row to upsert: its table, key column and key, and the payload columns it sets. Names come
/// from the compiled-in formats, never from input.
struct row_write {
    std::string_view table;
    std::string_view key_column;
    std::string key;
    std::vector<std::pair<std::string_view, sql::value>> values;
};

/// What one file row writes: its main row and, for a mancomunidad, the complete set of member
/// links (`replace_links`), which also tombstones links of that group not in the set.
struct parsed_row {
    row_write main;
    std::vector<row_write> links;
    bool replace_links = false;
};

using row_parser = result<parsed_row> (*)(field_reader& r, std::string_view code);

/// The format of one kind: its names, columns and row parser.
struct kind_def {
    catalog_kind kind;
    std::string_view name;     ///< canonical, English
    std::string_view name_es;  ///< accepted alias, Spanish
    std::span<const column_spec> columns;
    row_parser parse;
};

/// Formats (catalog_import_rows.cpp, catalog_import_offers.cpp).
[[nodiscard]] const kind_def& organisations_def() noexcept;
[[nodiscard]] const kind_def& ngos_def() noexcept;
[[nodiscard]] const kind_def& mancomunidades_def() noexcept;
[[nodiscard]] const kind_def& indicators_def() noexcept;
[[nodiscard]] const kind_def& offers_def() noexcept;

/// Longest part of a cell echoed in a message: enough to recognise it, short enough that a
/// pasted paragraph does not flood the screen.
inline constexpr std::size_t max_echo_bytes = 40;
/// `text` cut to `max_echo_bytes` (never inside a UTF-8 sequence), with "…" when cut.
[[nodiscard]] std::string shown(std::string_view text);
/// "a, b, c": for messages that list valid values.
[[nodiscard]] std::string joined(std::span<const std::string_view> items);

// Store side (catalog_import_store.cpp).

enum class write_outcome : std::uint8_t { inserted, updated, unchanged };

/// Inserts `w`, or updates it (also clearing `deleted`) when a stored value differs, with
/// `rev`; leaves an identical live row untouched.
[[nodiscard]] write_outcome put_row(sql::db& db, const row_write& w, std::int64_t rev);

/// Tombstones (with `rev`) the live member links of `group` whose ids are not in `keep`;
/// returns their ids.
[[nodiscard]] std::vector<std::string> drop_other_members(sql::db& db, std::string_view group,
                                                          const std::vector<std::string>& keep,
                                                          std::int64_t rev);

/// True when a live organisation has this id.
[[nodiscard]] bool organisation_exists(sql::db& db, std::string_view id);
/// The level of a live GAD, or nullopt.
[[nodiscard]] std::optional<std::string> gad_level(sql::db& db, std::string_view code);
/// Ids of the live offers of a cooperant.
[[nodiscard]] std::vector<std::string> offers_of(sql::db& db, std::string_view organisation_id);

}  // namespace minga::catalog
