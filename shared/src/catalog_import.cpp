// import_catalog(): reads a catalogue file row by row under a savepoint, refuses the first bad
// row, and writes only what changed. The formats are in catalog_import_rows.cpp and
// catalog_import_offers.cpp, the SQL in catalog_import_store.cpp.

#include <minga/shared/catalog_import.hpp>

#include "catalog_import_detail.hpp"

#include <minga/shared/ids.hpp>
#include <minga/shared/offer_search.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <istream>
#include <map>
#include <stdexcept>

namespace minga {

namespace {

using catalog::kind_def;

std::array<const kind_def*, 5> all_kinds() noexcept {
    return {&catalog::organisations_def(), &catalog::ngos_def(), &catalog::offers_def(),
            &catalog::mancomunidades_def(), &catalog::indicators_def()};
}

const kind_def& def_of(catalog_kind kind) {
    for (const kind_def* d : all_kinds()) {
        if (d->kind == kind) return *d;
    }
    throw std::invalid_argument("catalog_kind out of range");
}

/// Undoes the import on any early return or exception, inside the caller's transaction, so a
/// refused file never leaves half its rows behind even if the caller commits anyway.
class savepoint {
  public:
    explicit savepoint(sql::db& db) : db_(db) { db_.exec("SAVEPOINT minga_catalog_import"); }
    ~savepoint() {
        if (released_) return;
        try {
            db_.exec("ROLLBACK TO minga_catalog_import");
            db_.exec("RELEASE minga_catalog_import");
        } catch (const sql::sql_error&) {
            // Only fails when SQLite already rolled the whole transaction back (e.g. disk
            // full): nothing is left to undo, and a destructor must not throw.
        }
    }
    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;

    void release() {
        db_.exec("RELEASE minga_catalog_import");
        released_ = true;
    }

  private:
    sql::db& db_;  // the connection of the caller's transaction, which outlives this scope
    bool released_ = false;
};

error header_error(std::string_view column, std::string es, std::string en) {
    // The header row is the file's first line.
    return make_error(errc::bad_input, fmt::format("{}, columna {}", csv::line_field(1), column),
                      std::move(es), std::move(en));
}

/// Where each of the kind's columns is in the header (nullopt: an optional column left out).
/// Refuses unknown columns and missing required ones.
result<std::vector<std::optional<std::size_t>>> map_header(const csv::reader& rd,
                                                           const kind_def& def) {
    std::vector<std::string_view> names;
    for (const auto& c : def.columns) names.push_back(c.name);
    for (const auto& name : rd.header()) {
        if (std::find(names.begin(), names.end(), name) != names.end()) continue;
        return header_error(
            catalog::shown(name),
            fmt::format("columna desconocida en un archivo de {}; columnas posibles: {}",
                        def.name_es, catalog::joined(names)),
            fmt::format("unknown column in a {} file; possible columns: {}", def.name,
                        catalog::joined(names)));
    }
    std::vector<std::optional<std::size_t>> index;
    for (const auto& c : def.columns) {
        index.push_back(rd.index(c.name));
        if (c.required && !index.back()) {
            return header_error(c.name, "falta esta columna obligatoria en la fila de encabezados",
                                "the header row lacks this required column");
        }
    }
    return index;
}

/// A `code` cell: 1..catalog_max_code_bytes of ASCII letters, digits, '.', '_' or '-'.
bool is_code(std::string_view code) noexcept {
    if (code.empty() || code.size() > catalog_max_code_bytes) return false;
    return std::all_of(code.begin(), code.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

/// Runs the rows of one file through the kind's parser and the store, keeping the summary.
class importer {
  public:
    importer(sql::db& db, const kind_def& def, std::int64_t rev) : db_(db), def_(def), rev_(rev) {
        summary_.kind = def.kind;
    }

    status add(const csv::record& rec, std::span<const std::optional<std::size_t>> index) {
        catalog::field_reader r(db_, rec, def_.columns, index);
        const std::string_view code = r.raw("code");
        if (auto st = check_code(r, code); !st) return st;
        auto parsed = def_.parse(r, code);
        if (!parsed) return std::move(parsed).err();
        seen_.emplace(std::string(code), rec.line());
        write(*parsed);
        return {};
    }

    /// Refreshes the offer search index for what was written; returns the summary.
    catalog_summary finish() {
        const auto written = [&](std::string_view table) {
            auto it = summary_.changed.find(table);
            return it == summary_.changed.end() ? std::vector<std::string>() : it->second;
        };
        for (const auto& id : written("offer")) index_offer(db_, id);
        for (const auto& org : written("organisation")) {
            for (const auto& id : catalog::offers_of(db_, org)) index_offer(db_, id);
        }
        return std::move(summary_);
    }

    [[nodiscard]] std::size_t rows() const noexcept { return summary_.rows_read; }

  private:
    status check_code(catalog::field_reader& r, std::string_view code) {
        if (code.empty()) {
            r.fail("code", "falta el código: cada fila necesita un código estable (p. ej. AECID)",
                   "missing code: every row needs a stable code (e.g. AECID)");
        } else if (!is_code(code)) {
            r.fail("code",
                   fmt::format("código inválido «{}»: use de 1 a {} letras sin tildes, dígitos, "
                               "«.», «_» o «-» (p. ej. AECID, OF-2024-001)",
                               catalog::shown(code), catalog_max_code_bytes),
                   fmt::format("invalid code '{}': use 1 to {} unaccented letters, digits, '.', "
                               "'_' or '-' (e.g. AECID, OF-2024-001)",
                               catalog::shown(code), catalog_max_code_bytes));
        } else if (auto it = seen_.find(code); it != seen_.end()) {
            r.fail("code",
                   fmt::format("el código «{}» se repite: ya aparece en la línea {}; cada fila "
                               "necesita un código propio",
                               code, it->second),
                   fmt::format("the code '{}' is repeated: it already appears on line {}; every "
                               "row needs its own code",
                               code, it->second));
        }
        if (!r.ok()) return r.take_error();
        return {};
    }

    void write(const catalog::parsed_row& row) {
        const auto main = catalog::put_row(db_, row.main, rev_);
        if (main != catalog::write_outcome::unchanged) note(row.main.table, row.main.key);
        bool links_changed = false;
        std::vector<std::string> keep;
        for (const auto& link : row.links) {
            keep.push_back(link.key);
            if (catalog::put_row(db_, link, rev_) == catalog::write_outcome::unchanged) continue;
            note(link.table, link.key);
            links_changed = true;
        }
        if (row.replace_links) {
            for (auto& id : catalog::drop_other_members(db_, row.main.key, keep, rev_)) {
                note("gad_membership", std::move(id));
                links_changed = true;
            }
        }
        ++summary_.rows_read;
        if (main == catalog::write_outcome::inserted)
            ++summary_.inserted;
        else if (main == catalog::write_outcome::updated || links_changed)
            ++summary_.updated;
        else
            ++summary_.unchanged;
    }

    void note(std::string_view table, std::string key) {
        summary_.changed[std::string(table)].push_back(std::move(key));
    }

    sql::db& db_;          // the connection of the caller's transaction, alive for the import
    const kind_def& def_;  // a static format definition
    std::int64_t rev_;
    catalog_summary summary_;
    std::map<std::string, std::size_t, std::less<>> seen_;  // code -> line where it appeared
};

}  // namespace

result<catalog_kind> parse_catalog_kind(std::string_view text) {
    std::string accepted;
    for (const kind_def* d : all_kinds()) {
        if (text == d->name || text == d->name_es) return d->kind;
        accepted += fmt::format("{}{}", accepted.empty() ? "" : ", ", d->name);
        if (d->name_es != d->name) accepted += fmt::format(" ({})", d->name_es);
    }
    return make_error(errc::bad_input, "KIND",
                      fmt::format("tipo de catálogo desconocido «{}»; tipos válidos: {}",
                                  catalog::shown(text), accepted),
                      fmt::format("unknown catalogue kind '{}'; valid kinds: {}",
                                  catalog::shown(text), accepted));
}

std::string_view to_string(catalog_kind kind) noexcept {
    for (const kind_def* d : all_kinds()) {
        if (d->kind == kind) return d->name;
    }
    return "unknown";
}

std::string catalog_id(catalog_kind kind, std::string_view code) {
    switch (kind) {
        case catalog_kind::organisations:
        case catalog_kind::ngos:
            return derived_id("catalog", "organisation", code);
        case catalog_kind::offers:
            return derived_id("catalog", "offer", code);
        case catalog_kind::mancomunidades:
        case catalog_kind::indicators:
            return std::string(code);
    }
    throw std::invalid_argument("catalog_kind out of range");
}

result<catalog_summary> import_catalog(sql::transaction& tx, catalog_kind kind, std::istream& in,
                                       std::int64_t rev) {
    if (rev < 0) throw std::invalid_argument("import_catalog: rev must be >= 0");
    const kind_def& def = def_of(kind);
    csv::limits lim;
    lim.max_records = catalog_max_rows;
    auto rd = csv::reader::open(in, lim);
    if (!rd) return std::move(rd).err();
    auto index = map_header(*rd, def);
    if (!index) return std::move(index).err();
    sql::db& db = tx.conn();
    savepoint sp(db);
    importer imp(db, def, rev);
    for (;;) {
        auto rec = rd->next();
        if (!rec) return std::move(rec).err();
        if (!*rec) break;
        if (auto st = imp.add(**rec, *index); !st) return std::move(st).err();
    }
    if (imp.rows() == 0) {
        return make_error(errc::bad_input, "CSV", "el archivo no tiene filas de datos",
                          "the file has no data rows");
    }
    catalog_summary summary = imp.finish();
    sp.release();
    return summary;
}

}  // namespace minga
