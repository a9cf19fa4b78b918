#include <minga/shared/entity_service.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/tables.hpp>

#include "form_util.hpp"

#include <set>

namespace minga {

const std::vector<std::string>& entity_service::columns(std::string_view table) {
    auto it = columns_.find(table);
    if (it == columns_.end())
        it = columns_.emplace(std::string(table), payload_columns(r_.conn(), table)).first;
    return it->second;
}

result<write_outcome> entity_service::add(const entity_spec& e, const form& f) {
    sql::transaction tx(r_.conn());
    auto out = add(tx, e, f);
    if (out) r_.commit(tx);
    return out;
}

result<write_outcome> entity_service::add(sql::transaction& tx, const entity_spec& e,
                                          const form& f) {
    auto checked = checker_.check(e, f);
    if (!checked) return std::move(checked).err();
    std::string id = new_uuid_v7(r_.clock().corrected_ms());
    hlc_t stamp = r_.clock().now();
    // The device that recorded an observation is part of the observation.
    if (e.table == "observation") checked->fields.emplace_back("device_id", r_.device_id());
    r_.changes().upsert(tx, e.table, id, checked->owner_gad, checked->fields, stamp,
                        change_log::row_state::fresh);
    write_children(tx, id, checked->owner_gad, checked->children, stamp);
    return write_outcome{std::move(id), std::move(checked->warnings)};
}

result<write_outcome> entity_service::update(const entity_spec& e, std::string_view id,
                                             const form& f) {
    sql::transaction tx(r_.conn());
    auto out = update(tx, e, id, f);
    if (out) r_.commit(tx);
    return out;
}

result<write_outcome> entity_service::update(sql::transaction& tx, const entity_spec& e,
                                             std::string_view id, const form& f) {
    if (f.empty()) {
        return make_error(errc::bad_input, std::string(e.kind),
                          "no se indicó ningún campo para modificar",
                          "no field to change was given");
    }
    auto current = get(e, id);
    if (!current) return std::move(current).err();
    auto checked = checker_.check(e, f, &current->fields);
    if (!checked) return std::move(checked).err();
    hlc_t stamp = r_.clock().now();
    if (!checked->fields.empty() || checked->children.empty())
        r_.changes().upsert(tx, e.table, current->id, current->owner_gad, checked->fields, stamp);
    write_children(tx, current->id, current->owner_gad, checked->children, stamp);
    return write_outcome{current->id, std::move(checked->warnings)};
}

result<std::string> entity_service::remove(const entity_spec& e, std::string_view id) {
    auto current = get(e, id);
    if (!current) return std::move(current).err();
    if (!e.writable) {
        return make_error(errc::forbidden, std::string(e.kind),
                          "el catálogo solo se modifica en el servidor central",
                          "the catalogue is changed only on the central server");
    }
    if (auto ok = check_no_dependents(e, current->id); !ok) return std::move(ok).err();
    sql::transaction tx(r_.conn());
    hlc_t stamp = r_.clock().now();
    r_.changes().remove(tx, e.table, current->id, current->owner_gad, stamp);
    // Set children (a project's SDGs, an agreement's parties) go with their parent.
    for (const auto& fs : e.fields) {
        if (!is_set_kind(fs.kind)) continue;
        auto table = child_table(fs);
        auto s = r_.conn().prepare("SELECT id FROM " + std::string(table) + " WHERE " +
                                   std::string(parent_column(e)) + " = ?1 AND deleted = 0");
        s.bind(1, current->id);
        std::vector<std::string> ids;
        while (s.step()) ids.push_back(s.get_text(0));
        for (const auto& cid : ids) r_.changes().remove(tx, table, cid, current->owner_gad, stamp);
    }
    r_.commit(tx);
    return current->id;
}

void entity_service::write_children(sql::transaction& tx, const std::string& parent_id,
                                    const std::string& owner, const std::vector<child_set>& sets,
                                    hlc_t stamp) {
    for (const auto& set : sets) {
        std::set<std::string> keep;
        for (const auto& row : set.rows) {
            std::string cid = derived_id(parent_id, set.table, row.key);
            keep.insert(cid);
            field_list fields = row.fields;
            fields.emplace_back(set.parent_column, parent_id);
            r_.changes().upsert(tx, set.table, cid, owner, fields, stamp);
        }
        // Giving a set replaces it: rows no longer listed become tombstones.
        auto s = r_.conn().prepare("SELECT id FROM " + set.table + " WHERE " + set.parent_column +
                                   " = ?1 AND deleted = 0");
        s.bind(1, parent_id);
        std::vector<std::string> drop;
        while (s.step())
            if (!keep.count(s.get_text(0))) drop.push_back(s.get_text(0));
        for (const auto& cid : drop) r_.changes().remove(tx, set.table, cid, owner, stamp);
    }
}

status entity_service::check_no_dependents(const entity_spec& e, const std::string& id) {
    for (const auto& other : entities()) {
        if (!other.writable) continue;
        for (const auto& fs : other.fields) {
            if (fs.kind != field_kind::ref || fs.arg != e.table) continue;
            auto s = r_.conn().prepare("SELECT count(*) FROM " + std::string(other.table) +
                                       " WHERE deleted = 0 AND " + std::string(fs.column) + " = ?1");
            s.bind(1, id);
            s.step();
            if (auto n = s.get_int(0); n > 0) {
                auto count = std::to_string(n);
                return make_error(errc::conflict, std::string(e.kind),
                                  "no se puede eliminar: tiene " + count + " registro(s) de " +
                                      std::string(other.label_es) + " que dependen de él; elimínelos primero",
                                  "cannot delete: " + count + " " + std::string(other.label_en) +
                                      " row(s) depend on it; delete them first");
            }
        }
    }
    return {};
}

}  // namespace minga
