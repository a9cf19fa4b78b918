#pragma once
/// The store API for what people record: add, update, delete, show and list rows of every
/// entity kind, validated by `form_checker`, written through `change_log` (row + outbox in one
/// transaction). There is no other write path for GAD-owned rows.
///
/// Scope: rows of GADs outside the replica's scope are invisible here, and catalogue kinds are
/// read-only. Deletes are tombstones, refused while live rows still depend on the row.
/// Not thread-safe; belongs to one replica.

#include <minga/protocol/result.hpp>
#include <minga/shared/form.hpp>
#include <minga/shared/replica.hpp>

#include <map>
#include <string>
#include <vector>

namespace minga {

/// A stored row as read back for `show` and `list`.
struct record {
    std::string id;
    std::string owner_gad;  ///< empty for catalogue rows
    field_list fields;      ///< payload columns (all for `get`, the list columns for `list`)
    /// For `get`: each child set (e.g. "project_sdg") with its live rows.
    std::vector<std::pair<std::string, std::vector<field_list>>> children;
};

struct write_outcome {
    std::string id;
    std::vector<error> warnings;
};

struct list_filter {
    std::string parent_id;  ///< only rows whose owner_from column equals this (if non-empty)
    std::size_t limit = 0;  ///< 0 = all
};

class entity_service {
public:
    /// `r` must outlive the service.
    explicit entity_service(replica& r) : r_(r), checker_(r) {}

    [[nodiscard]] result<write_outcome> add(const entity_spec& e, const form& f);
    [[nodiscard]] result<write_outcome> update(const entity_spec& e, std::string_view id,
                                               const form& f);
    [[nodiscard]] result<std::string> remove(const entity_spec& e, std::string_view id);

    /// The same, inside a caller's transaction (for all-or-nothing imports). The caller
    /// finishes it with `replica::commit()`.
    [[nodiscard]] result<write_outcome> add(sql::transaction& tx, const entity_spec& e,
                                            const form& f);

    [[nodiscard]] result<record> get(const entity_spec& e, std::string_view id);
    [[nodiscard]] std::vector<record> list(const entity_spec& e, const list_filter& filter = {});

    /// The form text that reproduces `rec` (a `get` result): money as a person writes it,
    /// each child row as its set option's text ("6", "170150:Comunidad", "2025-01-01:
    /// 2025-12-31:1500.00"). Empty values are left out. What the desk's edit forms show.
    [[nodiscard]] form form_of(const entity_spec& e, const record& rec);

    [[nodiscard]] form_checker& checker() noexcept { return checker_; }

private:
    [[nodiscard]] result<write_outcome> update(sql::transaction& tx, const entity_spec& e,
                                               std::string_view id, const form& f);
    void write_children(sql::transaction& tx, const std::string& parent_id,
                        const std::string& owner, const std::vector<child_set>& sets, hlc_t stamp);
    [[nodiscard]] status check_no_dependents(const entity_spec& e, const std::string& id);
    [[nodiscard]] const std::vector<std::string>& columns(std::string_view table);

    replica& r_;  // the caller's replica; outlives the service
    form_checker checker_;
    std::map<std::string, std::vector<std::string>, std::less<>> columns_;
};

}  // namespace minga
