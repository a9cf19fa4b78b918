// Reads for show and list: scope-filtered, tombstones hidden.
#include <minga/shared/entity_service.hpp>
#include "text_list.hpp"
#include <minga/shared/tables.hpp>

#include "form_util.hpp"


namespace minga {

namespace {

bool gad_owned(const entity_spec& e) {
    auto t = find_table(e.table);
    return t && t->owner == ownership::gad;
}

}  // namespace

result<record> entity_service::get(const entity_spec& e, std::string_view id) {
    auto found = checker_.find_row("id", e.table, id);
    if (!found) return std::move(found).err();
    const auto& cols = columns(e.table);
    std::string sql = "SELECT " + std::string(e.id_column);
    sql += gad_owned(e) ? ", owner_gad" : ", ''";
    for (const auto& c : cols) sql += ", " + c;
    sql += " FROM " + std::string(e.table) + " WHERE " + std::string(e.id_column) + " = ?1";
    auto s = r_.conn().prepare(sql);
    s.bind(1, found->id);
    if (!s.step()) return not_found_id("id", e.table, id);
    record rec;
    rec.id = s.get_text(0);
    rec.owner_gad = s.get_text(1);
    for (std::size_t i = 0; i < cols.size(); ++i)
        rec.fields.emplace_back(cols[i], s.get_value(static_cast<int>(i + 2)));
    for (const auto& fs : e.fields) {
        if (!is_set_kind(fs.kind)) continue;
        auto table = std::string(child_table(fs));
        const auto& ccols = columns(table);
        std::string csql = "SELECT ";
        for (std::size_t i = 0; i < ccols.size(); ++i) csql += (i ? ", " : "") + ccols[i];
        csql += " FROM " + table + " WHERE " + std::string(parent_column(e)) +
                " = ?1 AND deleted = 0 ORDER BY id";
        auto cs = r_.conn().prepare(csql);
        cs.bind(1, rec.id);
        std::vector<field_list> rows;
        while (cs.step()) {
            field_list row;
            for (std::size_t i = 0; i < ccols.size(); ++i)
                if (ccols[i] != parent_column(e)) row.emplace_back(ccols[i], cs.get_value(static_cast<int>(i)));
            rows.push_back(std::move(row));
        }
        rec.children.emplace_back(table, std::move(rows));
    }
    return rec;
}

std::vector<record> entity_service::list(const entity_spec& e, const list_filter& filter) {
    auto cols = split_list(e.list_columns);
    bool owned = gad_owned(e);
    std::string sql = "SELECT " + std::string(e.id_column) + (owned ? ", owner_gad" : ", ''");
    for (const auto& c : cols) sql += ", " + c;
    sql += " FROM " + std::string(e.table) + " WHERE deleted = 0";
    if (!filter.parent_id.empty() && !e.owner_from.empty())
        sql += " AND " + std::string(e.owner_from) + " = ?1";
    sql += " ORDER BY " + std::string(e.id_column);
    if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
    auto s = r_.conn().prepare(sql);
    if (!filter.parent_id.empty() && !e.owner_from.empty()) s.bind(1, filter.parent_id);
    std::vector<record> out;
    while (s.step()) {
        record rec;
        rec.id = s.get_text(0);
        rec.owner_gad = s.get_text(1);
        if (owned && !r_.in_scope(rec.owner_gad)) continue;
        for (std::size_t i = 0; i < cols.size(); ++i)
            rec.fields.emplace_back(cols[i], s.get_value(static_cast<int>(i + 2)));
        out.push_back(std::move(rec));
    }
    return out;
}

}  // namespace minga
