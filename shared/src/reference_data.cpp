#include <minga/shared/reference_data.hpp>

#include "reference_loader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <fstream>
#include <system_error>
#include <vector>

namespace minga {

namespace {

/// Undoes the load on any early return or exception, inside the caller's transaction, so a
/// failed load never leaves half the files behind even if the caller commits anyway.
class savepoint {
public:
    explicit savepoint(sql::db& db) : db_(db) { db_.exec("SAVEPOINT minga_reference_data"); }
    ~savepoint() {
        if (released_) return;
        try {
            db_.exec("ROLLBACK TO minga_reference_data");
            db_.exec("RELEASE minga_reference_data");
        } catch (const sql::sql_error&) {
            // Only fails when SQLite already rolled the whole transaction back (e.g. disk
            // full): nothing is left to undo, and a destructor must not throw.
        }
    }
    savepoint(const savepoint&) = delete;
    savepoint& operator=(const savepoint&) = delete;

    void release() {
        db_.exec("RELEASE minga_reference_data");
        released_ = true;
    }

private:
    sql::db& db_;  // the connection of the caller's transaction, which outlives this scope
    bool released_ = false;
};

/// The error of a reference file, with the file's name put in front of the field.
error in_file(error e, std::string_view file) {
    e.field = e.field.empty() ? std::string(file) : fmt::format("{}, {}", file, e.field);
    return e;
}

}  // namespace

namespace refdata {

error row::fail(std::string es, std::string_view en) const {
    return make_error(errc::bad_input, csv::line_field(line()), std::move(es), std::string(en));
}

result<std::int64_t> for_each_row(const std::filesystem::path& data_dir, std::string_view file,
                                  std::initializer_list<std::string_view> columns,
                                  const row_fn& fn) {
    std::ifstream in(data_dir / file, std::ios::binary);
    if (!in) {
        return make_error(errc::not_found, std::string(file),
                          fmt::format("no se puede abrir {}", (data_dir / file).string()),
                          fmt::format("cannot open {}", (data_dir / file).string()));
    }
    auto rd = csv::reader::open(in);
    if (!rd) return in_file(std::move(rd).err(), file);
    std::vector<std::size_t> index;
    for (std::string_view c : columns) {
        auto i = rd->require(c);
        if (!i) return in_file(std::move(i).err(), file);
        index.push_back(*i);
    }
    for (;;) {
        auto rec = rd->next();
        if (!rec) return in_file(std::move(rec).err(), file);
        if (!*rec) break;
        if (auto st = fn(row(**rec, index)); !st) return in_file(std::move(st).err(), file);
    }
    return static_cast<std::int64_t>(rd->records_read());
}

std::int64_t write(sql::db& db, sql::stmt& s) {
    s.exec();
    return db.changes();
}

}  // namespace refdata

result<reference_counts> load_reference_data(sql::transaction& tx,
                                             const std::filesystem::path& data_dir) {
    savepoint sp(tx.conn());
    reference_counts counts;
    if (auto st = refdata::load_territory(tx, data_dir, counts); !st) return std::move(st).err();
    if (auto st = refdata::load_catalogues(tx, data_dir, counts); !st) {
        return std::move(st).err();
    }
    sp.release();
    return counts;
}

data_dir_search default_data_dir_search() {
    data_dir_search where;
    if (const char* env = std::getenv("MINGA_REFDATA"); env != nullptr && *env != '\0') {
        where.env_dir = std::filesystem::path(env);
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) where.exe_dir = exe.parent_path();
#ifdef MINGA_DATA_SOURCE_DIR
    where.source_dir = std::filesystem::path(MINGA_DATA_SOURCE_DIR);
#endif
    return where;
}

result<std::filesystem::path> find_data_dir(const data_dir_search& where) {
    std::vector<std::filesystem::path> candidates;
    if (where.env_dir) {
        candidates.push_back(*where.env_dir);
    } else {
        if (!where.exe_dir.empty()) {
            candidates.push_back(where.exe_dir / ".." / "share" / "minga" / "data");
            candidates.push_back(where.exe_dir / ".." / ".." / "data");
        }
        if (where.source_dir) candidates.push_back(*where.source_dir);
    }
    std::vector<std::string> tried;
    for (const auto& c : candidates) {
        const auto dir = c.lexically_normal();
        std::error_code ec;
        if (std::filesystem::is_regular_file(dir / data_dir_marker, ec)) return dir;
        tried.push_back(dir.string());
    }
    const std::string list = fmt::format("{}", fmt::join(tried, "; "));
    if (where.env_dir) {
        return make_error(errc::not_found, "MINGA_REFDATA",
                          fmt::format("la carpeta {} no contiene {}; corrija MINGA_REFDATA o "
                                      "quítela para usar la carpeta instalada",
                                      list, data_dir_marker),
                          fmt::format("the directory {} has no {}; fix MINGA_REFDATA or unset it "
                                      "to use the installed directory",
                                      list, data_dir_marker));
    }
    return make_error(errc::not_found, "datos de referencia",
                      fmt::format("no se encontraron los datos de referencia ({}); se buscó en: "
                                  "{}. Defina MINGA_REFDATA con la carpeta data de minga",
                                  data_dir_marker, list),
                      fmt::format("reference data not found ({}); looked in: {}. Set "
                                  "MINGA_REFDATA to minga's data directory",
                                  data_dir_marker, list));
}

result<std::filesystem::path> find_data_dir() { return find_data_dir(default_data_dir_search()); }

}  // namespace minga
