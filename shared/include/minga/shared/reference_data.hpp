#pragma once
/// Loading the reference data that ships in `data/` (see data/SOURCES.md) into a replica or
/// server store, and finding that directory at run time.
///
/// What is loaded, and how:
/// - `territorial_unit`: the 24 provinces (kind 'provincia') and zone 90; every canton
///   (kind 'canton', status 'vigente' or 'historico'); every parish (kind 'urbana',
///   'cabecera_cantonal' or 'rural'). The zones not delimited (province 90, its cantons and
///   parishes) all get kind 'zona_no_delimitada' and status 'vigente'. Provinces carry their
///   proper-case name and ISO 3166-2 code; cantons and parishes keep the names of the file.
/// - `gad`: one 'provincial' per province 01–24 (code = province code; Galápagos's is its
///   Consejo de Gobierno del Régimen Especial), one 'municipal' per current canton, one
///   'parroquial_rural' per rural parish ("GAD Parroquial Rural de X").
/// - `sdg` (17 goals), `dac_sector` (3-digit groups with Spanish names, 5-digit codes with
///   parent = first three digits), `currency` (IATI list, ISO 4217 minor units).
/// - `codelist`: minga's CINR classes as 'cinr.fuente', 'cinr.modalidad', 'cinr.geopolitica',
///   'cinr.internacionalizacion', 'cinr.descentralizada_via' (iati_list = the IATI element(s),
///   iati_code = the IATI code(s) they map to), and the IATI lists the model uses as
///   'iati.<Name>' (name_es = the English name where IATI has no Spanish; parent_code = the
///   IATI category; withdrawn codes with active = 0).
///
/// Idempotent: rows are upserted and only written when a value differs, so loading the same
/// data twice changes nothing (`changed` = 0). Rows that disappear from a newer file are kept
/// (other rows may refer to them). `rev` and `deleted` are never touched.

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>

namespace minga {

/// How many rows each file yielded, and how many rows were actually written.
struct reference_counts {
    std::int64_t provinces = 0;        ///< level-1 units, zone 90 included
    std::int64_t cantons = 0;          ///< level-2 units, historical and zone 90 included
    std::int64_t parishes = 0;         ///< level-3 units
    std::int64_t gads = 0;             ///< provincial + municipal + parroquial_rural
    std::int64_t sdgs = 0;
    std::int64_t dac_sectors = 0;      ///< 3- and 5-digit
    std::int64_t currencies = 0;
    std::int64_t codelist_entries = 0; ///< CINR and IATI
    std::int64_t changed = 0;          ///< rows inserted or updated; 0 when already loaded
};

/// Loads every reference file under `data_dir` inside the caller's transaction.
/// All or nothing: the work runs under a savepoint that is rolled back on any failure, so an
/// error leaves the database as it was even if the caller went on to commit.
/// Errors: a missing or malformed file is `errc::bad_input` (`not_found` for a missing file)
/// whose field names the file and line, e.g. "ecuador-dpa/cantones.csv, línea 14".
/// SQLite failures throw `sql::sql_error` (broken environment), after the same rollback.
[[nodiscard]] result<reference_counts> load_reference_data(sql::transaction& tx,
                                                           const std::filesystem::path& data_dir);

/// A file every valid data directory contains; `find_data_dir` looks for it.
inline constexpr const char* data_dir_marker = "ecuador/provincias.csv";

/// Where `find_data_dir` looks. Plain data, so tests can point it anywhere.
struct data_dir_search {
    /// `$MINGA_REFDATA`. When set it is the only place looked at: a wrong value is an error,
    /// never silently replaced by another directory.
    std::optional<std::filesystem::path> env_dir;
    /// Directory of the running binary; candidates `<exe_dir>/../share/minga/data` (installed)
    /// and `<exe_dir>/../../data` (build tree: `build/client/minga`). Empty: skipped.
    std::filesystem::path exe_dir;
    /// The source tree's `data/`, compiled in as `MINGA_DATA_SOURCE_DIR` when defined.
    std::optional<std::filesystem::path> source_dir;
};

/// The search a binary should do: `$MINGA_REFDATA`, the directory of `/proc/self/exe`, and the
/// compiled-in `MINGA_DATA_SOURCE_DIR` if this library was built with it.
[[nodiscard]] data_dir_search default_data_dir_search();

/// The first candidate that contains `data_dir_marker`, or an `errc::not_found` error that
/// lists every place tried.
[[nodiscard]] result<std::filesystem::path> find_data_dir(const data_dir_search& where);
/// `find_data_dir(default_data_dir_search())`.
[[nodiscard]] result<std::filesystem::path> find_data_dir();

}  // namespace minga
