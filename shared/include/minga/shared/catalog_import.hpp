#pragma once
/// Loading catalogue files into a replica or the server store: cooperants (organisations), the
/// directory of foreign NGOs, cooperation offers, mancomunidades and the indicator library.
/// Central runs it (`minga-server catalog import`); so does a parish that receives a file on a
/// USB stick before it ever syncs (`minga catalog import`). docs/catalog-formats.md describes
/// the columns of each kind.
///
/// Contract of `import_catalog`:
/// - Keys. Every row has a stable external key in the column `code`. The stored key is
///   `catalog_id(kind, code)`: the same file gives the same ids on every device, and importing
///   it again finds the rows it wrote before.
/// - All or nothing. Every cell is validated before the row is written; the first bad row
///   (or a bad header) stops the import with an `errc::bad_input` error whose `field` names the
///   line and column ("línea 14, columna ruc") and whose messages say how to fix it. Nothing is
///   written: the work runs under a savepoint that is rolled back on any failure or exception,
///   so this holds even if the caller goes on to commit. The function never commits; the caller
///   owns the transaction.
/// - Idempotent. A row identical to the stored one is not rewritten and keeps its `rev`; a new
///   or changed row is written with `rev` = the given rev; a tombstoned row (`deleted` = 1)
///   that appears in the file is written again with `deleted` = 0.
/// - Not a full replacement. Rows absent from the file are left as they are. The one list that
///   is replaced is a mancomunidad's `members` cell: it is the complete membership of that
///   mancomunidad, so a member dropped from it gets its link tombstoned (`deleted` = 1, `rev`).
/// - Catalogue rows belong to central: the import writes no outbox entries.
/// - The offer search index is refreshed for every offer written and for the offers of every
///   organisation written (its name and acronym are searchable).
/// Errors: bad input is `errc::bad_input`; a file beyond the bounds below is `errc::too_large`.
/// SQLite failures throw `sql::sql_error` (a broken environment), after the same rollback.
/// Thread safety: that of the transaction's connection (one thread at a time).

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// What a catalogue file holds. The numbers may be stored or sent: never change, never reuse.
enum class catalog_kind : std::uint8_t {
    organisations = 1,   ///< cooperants and other parties (table organisation)
    ngos = 2,            ///< the foreign-NGO directory (table organisation, source ong_extranjera)
    offers = 3,          ///< cooperation offers (tables offer, offer_fts)
    mancomunidades = 4,  ///< mancomunidades and consorcios (tables gad, gad_membership)
    indicators = 5,      ///< the indicator library (table indicator_def)
};

/// Data rows one file may hold. Bounds the work of one import and the summary's id lists.
inline constexpr std::size_t catalog_max_rows = 100'000;
/// Bytes of a `code` cell (the external key), as for any id on the wire.
inline constexpr std::size_t catalog_max_code_bytes = 64;
/// Bytes of a short text: names, acronyms, titles, units, web addresses.
inline constexpr std::size_t catalog_max_short_text_bytes = 1000;
/// Bytes of a long text (an offer's summary or requirements): what one wire string may carry.
inline constexpr std::size_t catalog_max_long_text_bytes = 64 * 1024;
/// Items in a `;`-separated list cell (DAC sectors, SDGs, eligible levels, members).
inline constexpr std::size_t catalog_max_list_items = 200;

/// Parses a kind as people type it: "organisations"/"organizaciones", "ngos"/"ong",
/// "offers"/"ofertas", "mancomunidades", "indicators"/"indicadores". An unknown text is a
/// `bad_input` error on field "KIND" that lists the accepted names.
[[nodiscard]] result<catalog_kind> parse_catalog_kind(std::string_view text);

/// The canonical (English) name of a kind: "organisations", "ngos", "offers",
/// "mancomunidades", "indicators".
[[nodiscard]] std::string_view to_string(catalog_kind kind) noexcept;

/// The stored key of the row a file row with this `code` writes: for organisations and NGOs
/// `derived_id("catalog", "organisation", code)` (one namespace, so an offer finds its
/// cooperant whichever file introduced it), for offers `derived_id("catalog", "offer", code)`,
/// for mancomunidades and indicators the code itself (`gad.code`, `indicator_def.code`).
[[nodiscard]] std::string catalog_id(catalog_kind kind, std::string_view code);

/// What one import did. Counts are of file rows: a row is "inserted" when its main row is new,
/// "updated" when its main row or (for a mancomunidad) any member link changed, "unchanged"
/// otherwise; rows_read = inserted + updated + unchanged.
struct catalog_summary {
    catalog_kind kind = catalog_kind::organisations;
    std::size_t rows_read = 0;
    std::size_t inserted = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;
    /// Keys of the rows written (inserted, updated or tombstoned), per table name, in file
    /// order: what a server announces to devices. Tables with no change are absent.
    std::map<std::string, std::vector<std::string>, std::less<>> changed;
};

/// Reads a catalogue CSV of `kind` from `in` (borrowed) and writes it inside `tx` with
/// `rev` (central's change sequence; 0 for a device's own import). `rev` must be >= 0: a
/// negative value is a bug and throws `std::invalid_argument`. See the contract above.
[[nodiscard]] result<catalog_summary> import_catalog(sql::transaction& tx, catalog_kind kind,
                                                     std::istream& in, std::int64_t rev);

}  // namespace minga
