#pragma once
/// Turning what a person typed into validated column values.
///
/// A `form` is the text of each field as given (option name -> text; set options may repeat).
/// `form_checker` validates it against an entity spec and the replica's reference data, and
/// produces the column values and child-row sets to store. The first invalid field stops the
/// check with an error that names the field and says how to fix it; nothing is written.
///
/// The checker caches reference lookups (rows by id, currencies), so a CSV import of 100,000
/// rows pays for each distinct indicator once. A checker belongs to one replica and one thread;
/// drop it when the data it cached may have changed under it (after a sync).

#include <minga/protocol/result.hpp>
#include <minga/shared/change_log.hpp>
#include <minga/shared/entity.hpp>
#include <minga/shared/replica.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace minga {

using form = std::vector<std::pair<std::string, std::string>>;

/// One child row of a set field (e.g. project_sdg for --sdg 6), keyed by its natural key.
struct child_row {
    std::string key;  ///< natural key inside the parent (e.g. "6"); the row id derives from it
    field_list fields;
};

struct child_set {
    const field_spec* spec = nullptr;
    std::string table;        ///< child table
    std::string parent_column;
    std::vector<child_row> rows;
};

struct checked_form {
    field_list fields;               ///< columns to write, in spec order
    std::vector<child_set> children; ///< sets given in the form (replace the stored sets)
    std::string owner_gad;           ///< the GAD that owns the row (from its parent or the device)
    std::vector<error> warnings;     ///< things a person should know, that do not block the write
};

/// A live row found by id or unique prefix.
struct row_ref {
    std::string id;
    std::string owner_gad;  ///< empty for catalogue rows
};

class form_checker {
public:
    /// `r` must outlive the checker.
    explicit form_checker(replica& r) : r_(r) {}

    /// Validates `f` for a new row (`existing` null: required fields must be present) or for
    /// an update of the stored row `existing` (only the given fields are checked and written).
    [[nodiscard]] result<checked_form> check(const entity_spec& e, const form& f,
                                             const field_list* existing = nullptr);

    /// Finds a live row of `table` by full id or unique prefix (at least 4 characters).
    /// Rows of GADs outside this device's scope are not found.
    [[nodiscard]] result<row_ref> find_row(std::string_view field, std::string_view table,
                                           std::string_view id_or_prefix);

    /// The replica this checker reads.
    [[nodiscard]] replica& store() noexcept { return r_; }

    /// An amount in minor units as a person writes it ("1500.00" for 150000 USD cents).
    [[nodiscard]] std::string format_money(std::int64_t amount, std::string_view currency);

private:
    [[nodiscard]] result<sql::value> check_value(const field_spec& fs, std::string_view text,
                                                 std::string_view currency);
    [[nodiscard]] result<child_row> check_child(const field_spec& fs, std::string_view text,
                                                std::string_view currency);
    [[nodiscard]] status check_order(const entity_spec& e, const checked_form& out,
                                     const field_list* existing);
    [[nodiscard]] result<row_ref> find_organisation(std::string_view field, std::string_view text);
    [[nodiscard]] result<int> minor_unit(std::string_view field, std::string_view currency);
    void add_warnings(const entity_spec& e, checked_form& out);
    /// Gives each value the type its column stores ("110" -> 110 for an INTEGER column, 5 -> 5.0
    /// for a REAL one), so the outbox carries exactly what the row holds.
    void normalize(std::string_view table, field_list& fields);

    replica& r_;  // the caller's replica; outlives the checker
    std::map<std::string, row_ref, std::less<>> ref_cache_;
    std::map<std::string, int, std::less<>> minor_cache_;
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> column_types_;
};

}  // namespace minga
