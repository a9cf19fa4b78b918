// The store side of import_catalog(): upserts that leave identical rows alone, member-link
// tombstones and the lookups the row parsers need. The only SQL of the catalogue import.

#include "catalog_import_detail.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace minga::catalog {

namespace {

std::string column_list(const row_write& w) {
    std::string out;
    for (const auto& [name, value] : w.values) out += fmt::format("{}, ", name);
    return out;
}

/// The stored payload of `w`'s row and its `deleted` flag, or nullopt when there is none.
struct stored_row {
    std::vector<sql::value> values;
    bool deleted = false;
};

std::optional<stored_row> read_stored(sql::db& db, const row_write& w) {
    // Table and column names come from the compiled-in formats, never from input.
    sql::stmt& s = db.cached(fmt::format("SELECT {}deleted FROM {} WHERE {} = ?1", column_list(w),
                                         w.table, w.key_column));
    sql::reset_guard guard(s);
    s.bind(1, w.key);
    if (!s.step()) return std::nullopt;
    stored_row out;
    for (std::size_t i = 0; i < w.values.size(); ++i) {
        out.values.push_back(s.get_value(static_cast<int>(i)));
    }
    out.deleted = s.get_int(static_cast<int>(w.values.size())) != 0;
    return out;
}

bool same_values(const stored_row& stored, const row_write& w) {
    for (std::size_t i = 0; i < w.values.size(); ++i) {
        if (stored.values[i] != w.values[i].second) return false;
    }
    return true;
}

void insert_row(sql::db& db, const row_write& w, std::int64_t rev) {
    std::string params;
    for (std::size_t i = 0; i < w.values.size(); ++i) params += fmt::format("?{}, ", i + 2);
    sql::stmt& s =
        db.cached(fmt::format("INSERT INTO {} ({}, {}rev, deleted) VALUES (?1, {}?{}, 0)", w.table,
                              w.key_column, column_list(w), params, w.values.size() + 2));
    sql::reset_guard guard(s);
    s.bind(1, w.key);
    int i = 1;
    for (const auto& [name, value] : w.values) s.bind(++i, value);
    s.bind(++i, rev);
    s.exec();
}

void update_row(sql::db& db, const row_write& w, std::int64_t rev) {
    std::string sets;
    for (std::size_t i = 0; i < w.values.size(); ++i) {
        sets += fmt::format("{} = ?{}, ", w.values[i].first, i + 2);
    }
    sql::stmt& s = db.cached(fmt::format("UPDATE {} SET {}rev = ?{}, deleted = 0 WHERE {} = ?1",
                                         w.table, sets, w.values.size() + 2, w.key_column));
    sql::reset_guard guard(s);
    s.bind(1, w.key);
    int i = 1;
    for (const auto& [name, value] : w.values) s.bind(++i, value);
    s.bind(++i, rev);
    s.exec();
}

}  // namespace

write_outcome put_row(sql::db& db, const row_write& w, std::int64_t rev) {
    auto stored = read_stored(db, w);
    if (!stored) {
        insert_row(db, w, rev);
        return write_outcome::inserted;
    }
    if (!stored->deleted && same_values(*stored, w)) return write_outcome::unchanged;
    update_row(db, w, rev);
    return write_outcome::updated;
}

std::vector<std::string> drop_other_members(sql::db& db, std::string_view group,
                                            const std::vector<std::string>& keep,
                                            std::int64_t rev) {
    std::vector<std::string> live;
    {
        sql::stmt& s = db.cached(
            "SELECT id FROM gad_membership WHERE group_code = ?1 AND deleted = 0 ORDER BY member");
        sql::reset_guard guard(s);
        s.bind(1, group);
        while (s.step()) live.push_back(s.get_text(0));
    }
    std::vector<std::string> dropped;
    for (auto& id : live) {
        if (std::find(keep.begin(), keep.end(), id) != keep.end()) continue;
        sql::stmt& s = db.cached("UPDATE gad_membership SET deleted = 1, rev = ?2 WHERE id = ?1");
        sql::reset_guard guard(s);
        s.bind(1, id).bind(2, rev).exec();
        dropped.push_back(std::move(id));
    }
    return dropped;
}

bool organisation_exists(sql::db& db, std::string_view id) {
    sql::stmt& s = db.cached("SELECT 1 FROM organisation WHERE id = ?1 AND deleted = 0");
    sql::reset_guard guard(s);
    s.bind(1, id);
    return s.step();
}

std::optional<std::string> gad_level(sql::db& db, std::string_view code) {
    sql::stmt& s = db.cached("SELECT level FROM gad WHERE code = ?1 AND deleted = 0");
    sql::reset_guard guard(s);
    s.bind(1, code);
    if (!s.step()) return std::nullopt;
    return s.get_text(0);
}

std::vector<std::string> offers_of(sql::db& db, std::string_view organisation_id) {
    sql::stmt& s = db.cached("SELECT id FROM offer WHERE cooperant_id = ?1 AND deleted = 0");
    sql::reset_guard guard(s);
    s.bind(1, organisation_id);
    std::vector<std::string> ids;
    while (s.step()) ids.push_back(s.get_text(0));
    return ids;
}

}  // namespace minga::catalog
