#pragma once
/// Test support: a real replica (schema, reference data, identity) in a scratch directory, for
/// in-process store tests, and small read helpers over its connection.
///
/// Needs minga::shared and the MINGA_SOURCE_DIR definition from tests/CMakeLists.txt.

#include "process.hpp"

#include <minga/shared/change_log.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/replica.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace minga::test {

/// The reference data shipped in the source tree.
[[nodiscard]] inline fs::path shipped_data_dir() { return fs::path(MINGA_SOURCE_DIR) / "data"; }

/// A replica created for `gad` in a fresh temporary directory (removed at the end).
class temp_replica {
public:
    explicit temp_replica(const std::string& gad = "170151")
        : dir_("minga-store"), r_(make(dir_.path() / "replica", gad)) {}

    [[nodiscard]] replica& get() noexcept { return r_; }
    [[nodiscard]] replica* operator->() noexcept { return &r_; }
    [[nodiscard]] fs::path dir() const { return dir_.path() / "replica"; }
    [[nodiscard]] fs::path db_file() const { return dir() / std::string(replica::file_name); }

    /// Closes and reopens the replica (a new connection, as a new `minga` run would have).
    void reopen() {
        r_ = make_open(dir());
    }

private:
    static replica make(const fs::path& dir, const std::string& gad) {
        auto r = replica::create(dir, gad, shipped_data_dir());
        if (!r) throw std::runtime_error("replica::create failed: " + r.err().text("en"));
        return std::move(*r);
    }
    static replica make_open(const fs::path& dir) {
        auto r = replica::open(dir);
        if (!r) throw std::runtime_error("replica::open failed: " + r.err().text("en"));
        return std::move(*r);
    }

    temp_dir dir_;
    replica r_;
};

/// Every queued change, oldest first.
[[nodiscard]] inline std::vector<outbox_entry> all_pending(replica& r) {
    return r.changes().pending(0, 1'000'000);
}

/// The changes queued after `seq`, oldest first.
[[nodiscard]] inline std::vector<outbox_entry> pending_after(replica& r, std::int64_t seq) {
    return r.changes().pending(seq, 1'000'000);
}

/// The highest outbox seq so far (0 when empty).
[[nodiscard]] inline std::int64_t last_seq(replica& r) {
    return r.conn().scalar_int("SELECT coalesce(max(seq), 0) FROM outbox");
}

/// `SELECT count(*) FROM table WHERE where` on the replica's connection.
[[nodiscard]] inline std::int64_t count_where(replica& r, const std::string& table,
                                              const std::string& where = "1") {
    return r.conn().scalar_int("SELECT count(*) FROM " + table + " WHERE " + where);
}

/// The given columns of one row, as the store holds them.
[[nodiscard]] inline field_list stored_fields(replica& r, const std::string& table, const std::string& id,
                                              const std::vector<std::string>& columns) {
    std::string sql = "SELECT ";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += " FROM " + table + " WHERE id = ?1";
    auto s = r.conn().prepare(sql);
    s.bind(1, id);
    field_list out;
    if (!s.step()) throw std::runtime_error("no row " + id + " in " + table);
    for (std::size_t i = 0; i < columns.size(); ++i)
        out.emplace_back(columns[i], s.get_value(static_cast<int>(i)));
    return out;
}

}  // namespace minga::test
