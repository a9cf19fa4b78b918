#include "field_clock.hpp"
#include "form_util.hpp"

#include <minga/shared/conflicts.hpp>
#include <minga/shared/form.hpp>

namespace minga {

namespace {

conflict_info read_conflict(sql::stmt& s, const std::string& me) {
    conflict_info c;
    c.id = s.get_text(0);
    c.table = s.get_text(1);
    c.row_id = s.get_text(2);
    c.column = s.get_text(3);
    c.winner_value = display_value(decode_value(s.get_blob(4)));
    c.loser_value = display_value(decode_value(s.get_blob(5)));
    c.winner_device = s.get_text(6);
    c.loser_device = s.get_text(7);
    c.status = s.get_text(8);
    c.mine_lost = c.loser_device == me;
    return c;
}

constexpr const char* conflict_columns =
    "SELECT id, tbl, row_id, column_name, winner_value, loser_value, winner_device, loser_device, "
    "status, owner_gad FROM conflict WHERE deleted = 0";

}  // namespace

std::vector<conflict_info> list_conflicts(replica& r, bool all) {
    auto s = r.conn().prepare(std::string(conflict_columns) +
                              (all ? "" : " AND status = 'abierto'") + " ORDER BY id");
    std::vector<conflict_info> out;
    while (s.step()) {
        if (!r.in_scope(s.get_text(9))) continue;
        out.push_back(read_conflict(s, r.device_id()));
    }
    return out;
}

result<conflict_info> resolve_conflict(replica& r, std::string_view id, bool keep_mine) {
    form_checker checker(r);
    auto found = checker.find_row("ID", "conflict", id);
    if (!found) return std::move(found).err();
    auto s = r.conn().prepare(std::string(conflict_columns) + " AND id = ?1");
    s.bind(1, found->id);
    if (!s.step()) return not_found_id("ID", "conflict", id);
    conflict_info c = read_conflict(s, r.device_id());
    sql::value loser = decode_value(s.get_blob(5));
    std::string owner = s.get_text(9);
    // "mine" is this device's value when it took part; otherwise the value now stored.
    bool keep_loser = keep_mine ? c.mine_lost : !c.mine_lost;
    sql::transaction tx(r.conn());
    hlc_t stamp = r.clock().now();
    if (keep_loser) {
        if (c.column == "deleted") {
            if (std::get_if<std::int64_t>(&loser) && std::get<std::int64_t>(loser) == 1)
                r.changes().remove(tx, c.table, c.row_id, owner, stamp);
            else
                r.changes().upsert(tx, c.table, c.row_id, owner, {}, stamp);
        } else {
            r.changes().upsert(tx, c.table, c.row_id, owner, {{c.column, loser}}, stamp);
        }
    }
    r.changes().upsert(tx, "conflict", c.id, owner,
                       {{"status", std::string("resuelto")},
                        {"resolution", std::string(keep_loser ? "perdedor" : "ganador")}},
                       stamp);
    r.commit(tx);
    c.status = "resuelto";
    return c;
}

}  // namespace minga
