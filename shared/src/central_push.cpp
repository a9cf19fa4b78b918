// Applying a push: scope checks, per-field last-writer-wins on (HLC, device), conflict records,
// and the device's high-water mark — all in one transaction, so a retried batch is a no-op.
#include "central_impl.hpp"
#include "field_clock.hpp"

#include <minga/shared/change_log.hpp>
#include <minga/shared/compaction.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/tables.hpp>

#include <algorithm>

namespace minga {

namespace {

struct field_conflict {
    std::string column;
    sql::value winner, loser;
    field_stamp winner_at, loser_at;
};

error forbidden(std::string field, std::string es, std::string en) {
    return make_error(errc::forbidden, std::move(field), std::move(es), std::move(en));
}

error schema_refused(const std::string& at, const sql::sql_error& e) {
    return make_error(errc::bad_input, at, std::string("la fila no cumple el esquema: ") + e.what(),
                      std::string("the row breaks the schema: ") + e.what());
}

class merger {
public:
    merger(central::impl& c, const device_auth& dev, std::int64_t now_ms)
        : c_(c), dev_(dev), now_ms_(now_ms) {}

    result<std::uint32_t> apply(const protocol::change& ch, std::size_t index);

private:
    status check(const protocol::change& ch, const std::string& at);
    status check_reference(const std::string& column, const sql::value& v, const std::string& owner,
                           const std::string& at);
    void save_clocks(const std::string& table, const std::string& id, const row_clocks& rc);
    row_clocks load_clocks(const std::string& table, const std::string& id);
    void record(const protocol::change& ch, const field_conflict& fc);

    central::impl& c_;        // the store applying this batch; outlives the merger
    const device_auth& dev_;  // the authenticated sender, owned by the request
    std::int64_t now_ms_;
};

status merger::check(const protocol::change& ch, const std::string& at) {
    auto t = find_table(ch.table);
    if (!t || t->owner != ownership::gad) {
        return forbidden(at + ".table", "la tabla '" + ch.table + "' no se puede escribir desde un dispositivo",
                         "table '" + ch.table + "' cannot be written by a device");
    }
    if (!dev_.in_scope(ch.owner_gad)) {
        return forbidden(at + ".owner_gad",
                         "el GAD '" + ch.owner_gad + "' está fuera del alcance de este dispositivo",
                         "GAD '" + ch.owner_gad + "' is outside this device's scope");
    }
    const auto& cols = c_.cols(ch.table);
    for (const auto& [name, v] : ch.fields) {
        // An observation names the device that recorded it: only that device may say so.
        if (ch.table == "observation" && name == "device_id" &&
            (!std::holds_alternative<std::string>(v) || std::get<std::string>(v) != dev_.id)) {
            return forbidden(at + ".fields.device_id",
                             "la observación debe llevar el identificador del dispositivo que la envía",
                             "an observation must carry the id of the device that sends it");
        }
        if (std::find(cols.begin(), cols.end(), name) == cols.end()) {
            return make_error(errc::bad_input, at + ".fields." + name,
                              "columna desconocida en " + ch.table, "unknown column of " + ch.table);
        }
        if (auto ok = check_reference(name, v, ch.owner_gad, at); !ok) return ok;
    }
    return {};
}

status merger::check_reference(const std::string& column, const sql::value& v,
                               const std::string& owner, const std::string& at) {
    // Columns named *_id hold row ids (device_id names a device, not a row). A reference to a
    // row of another GAD would attach this GAD's data to it (an indicator on their project,
    // an observation counted in their reports): refused like writing the row itself.
    const auto* id = std::get_if<std::string>(&v);
    if (!id || column == "device_id" || column.size() < 3 ||
        column.compare(column.size() - 3, 3, "_id") != 0)
        return {};
    auto& s = c_.db->cached(
        "SELECT 1 FROM change_index WHERE row_id = ?1 AND owner_gad <> '' AND owner_gad <> ?2 LIMIT 1");
    sql::reset_guard g(s);
    s.bind(1, *id).bind(2, owner);
    if (!s.step()) return {};
    return forbidden(at + ".fields." + column, "la referencia apunta a una fila de otro GAD",
                     "the reference points to a row of another GAD");
}

row_clocks merger::load_clocks(const std::string& table, const std::string& id) {
    auto& s = c_.db->cached("SELECT clocks FROM field_clock WHERE tbl = ?1 AND row_id = ?2");
    sql::reset_guard g(s);
    s.bind(1, table).bind(2, id);
    return s.step() ? decode_clocks(s.get_blob(0)) : row_clocks{};
}

void merger::save_clocks(const std::string& table, const std::string& id, const row_clocks& rc) {
    auto& s = c_.db->cached("INSERT OR REPLACE INTO field_clock(tbl, row_id, clocks) VALUES (?1, ?2, ?3)");
    sql::reset_guard g(s);
    auto bytes = encode_clocks(rc);
    s.bind(1, table).bind(2, id).bind(3, std::span<const std::uint8_t>(bytes)).exec();
}

void merger::record(const protocol::change& ch, const field_conflict& fc) {
    std::string loser_dev = c_.device_id_of(fc.loser_at.device);
    std::string id = derived_id(ch.row_id, "conflict",
                                ch.table + "/" + fc.column + "/" + std::to_string(fc.loser_at.hlc) + "/" + loser_dev);
    hlc_t stamp = c_.clock.now();
    auto& s = c_.db->cached(
        "INSERT OR IGNORE INTO conflict(id, owner_gad, tbl, row_id, column_name, winner_value, "
        "loser_value, winner_device, loser_device, winner_hlc, loser_hlc, hlc) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    sql::reset_guard g(s);
    auto w = encode_value(fc.winner);
    auto l = encode_value(fc.loser);
    s.bind(1, id).bind(2, ch.owner_gad).bind(3, ch.table).bind(4, ch.row_id).bind(5, fc.column);
    s.bind(6, std::span<const std::uint8_t>(w)).bind(7, std::span<const std::uint8_t>(l));
    s.bind(8, c_.device_id_of(fc.winner_at.device)).bind(9, loser_dev);
    s.bind(10, static_cast<std::int64_t>(fc.winner_at.hlc)).bind(11, static_cast<std::int64_t>(fc.loser_at.hlc));
    s.bind(12, static_cast<std::int64_t>(stamp)).exec();
    if (c_.db->changes() == 0) return;
    auto seq = c_.bump_seq("conflict", id, ch.owner_gad, 0);
    save_clocks("conflict", id, row_clocks{{stamp, 0, seq}, {}});
}

result<std::uint32_t> merger::apply(const protocol::change& ch, std::size_t index) {
    std::string at = "push.changes[" + std::to_string(index) + "]";
    if (auto ok = check(ch, at); !ok) return std::move(ok).err();
    auto& idx = c_.db->cached(
        "SELECT seq, owner_gad, coalesce(echo_device, 0) FROM change_index WHERE tbl = ?1 AND row_id = ?2");
    bool exists = false;
    std::uint64_t prev_seq = 0;
    std::int64_t prev_echo = 0;
    {
        sql::reset_guard g(idx);
        idx.bind(1, ch.table).bind(2, ch.row_id);
        if (idx.step()) {
            exists = true;
            prev_seq = static_cast<std::uint64_t>(idx.get_int(0));
            prev_echo = idx.get_int(2);
            if (idx.get_text(1) != ch.owner_gad)
                return forbidden(at + ".row_id", "la fila pertenece a otro GAD", "the row belongs to another GAD");
        }
    }
    // A stamp far in the future comes from a wrong clock: never trust it, re-stamp it now.
    hlc_t stamp = ch.hlc;
    bool restamped = hlc_ms(stamp) > now_ms_ + c_.opts.max_future_skew_ms;
    if (restamped) stamp = c_.clock.now();
    else c_.clock.observe(stamp);
    field_stamp incoming{stamp, dev_.num, 0};

    field_list want = ch.fields;
    want.emplace_back("deleted", std::int64_t{ch.op == protocol::change_op::remove ? 1 : 0});
    if (!exists) {
        if (ch.op == protocol::change_op::remove) return 0u;  // created and deleted before any sync
        std::string sql = "INSERT INTO " + ch.table + "(id, owner_gad, hlc";
        std::string vals = "?1, ?2, ?3";
        for (std::size_t i = 0; i < want.size(); ++i) {
            sql += ", " + want[i].first;
            vals += ", ?" + std::to_string(i + 4);
        }
        auto& s = c_.db->cached(sql + ") VALUES (" + vals + ")");
        sql::reset_guard g(s);
        s.bind(1, ch.row_id).bind(2, ch.owner_gad).bind(3, static_cast<std::int64_t>(stamp));
        for (std::size_t i = 0; i < want.size(); ++i) s.bind(static_cast<int>(i + 4), want[i].second);
        try {
            s.exec();
        } catch (const sql::sql_error& e) {
            if (!e.is_constraint()) throw;
            // An edit of a row whose deletion was purged (the device had not seen it): the
            // deletion wins, as it would have before the purge (docs/resilience.md).
            if (ch.base < tombstone_horizon(*c_.db)) return 0u;
            return schema_refused(at, e);
        }
        auto seq = c_.bump_seq(ch.table, ch.row_id, ch.owner_gad, restamped ? 0 : dev_.num);
        save_clocks(ch.table, ch.row_id, row_clocks{{stamp, dev_.num, seq}, {}});
        return 0u;
    }
    row_clocks rc = load_clocks(ch.table, ch.row_id);
    std::string sel = "SELECT ";
    for (std::size_t i = 0; i < want.size(); ++i) sel += (i ? ", " : "") + want[i].first;
    auto& cur = c_.db->cached(sel + " FROM " + ch.table + " WHERE id = ?1");
    field_list winners;
    std::vector<field_conflict> lost;
    {
        sql::reset_guard g(cur);
        cur.bind(1, ch.row_id);
        cur.step();
        for (std::size_t i = 0; i < want.size(); ++i) {
            const auto& [name, value] = want[i];
            sql::value now_value = cur.get_value(static_cast<int>(i));
            const field_stamp& e = rc.of(name);
            if (incoming.beats(e)) {
                // Overwriting a write this device had not seen is a concurrent edit: keep the loser.
                if (e.device != dev_.num && e.seq > ch.base && value != now_value)
                    lost.push_back({name, value, now_value, incoming, e});
                winners.emplace_back(name, value);
            } else if (value != now_value) {
                lost.push_back({name, now_value, value, e, incoming});
            }
        }
    }
    if (!winners.empty()) {
        std::string up = "UPDATE " + ch.table + " SET hlc = max(hlc, ?2)";
        for (std::size_t i = 0; i < winners.size(); ++i)
            up += ", " + winners[i].first + " = ?" + std::to_string(i + 3);
        auto& s = c_.db->cached(up + " WHERE id = ?1");
        sql::reset_guard g(s);
        s.bind(1, ch.row_id).bind(2, static_cast<std::int64_t>(stamp));
        for (std::size_t i = 0; i < winners.size(); ++i) s.bind(static_cast<int>(i + 3), winners[i].second);
        try {
            s.exec();
        } catch (const sql::sql_error& e) {
            if (!e.is_constraint()) throw;
            return schema_refused(at, e);
        }
        // The sender's copy equals the new state when it had seen the previous one and won all.
        bool echo = !restamped && lost.empty() && winners.size() == want.size() &&
                    (prev_echo == dev_.num || prev_seq <= ch.base);
        auto seq = c_.bump_seq(ch.table, ch.row_id, ch.owner_gad, echo ? dev_.num : 0);
        for (const auto& [name, v] : winners) rc.set(name, {stamp, dev_.num, seq});
        save_clocks(ch.table, ch.row_id, rc);
    }
    if (ch.table == "conflict") return 0u;  // resolutions are plain last-writer-wins
    for (const auto& fc : lost) record(ch, fc);
    return static_cast<std::uint32_t>(lost.size());
}

}  // namespace

result<protocol::push_ack> central::impl::on_push(const device_auth& dev, const protocol::push& m,
                                                  std::uint32_t version) {
    if (m.device_id != dev.id) {
        return forbidden("push.device_id", "el lote no corresponde a la credencial del dispositivo",
                         "the batch does not belong to the device's credential");
    }
    sql::transaction tx(*db);
    std::int64_t now = clock.corrected_ms();
    auto& hw = db->cached("SELECT acked_through FROM device WHERE num = ?1");
    std::uint64_t hwm = 0;
    {
        sql::reset_guard g(hw);
        hw.bind(1, dev.num);
        if (hw.step()) hwm = static_cast<std::uint64_t>(hw.get_int(0));
    }
    merger mg(*this, dev, now);
    protocol::push_ack ack;
    for (std::size_t i = 0; i < m.changes.size(); ++i) {
        const auto& ch = m.changes[i];
        if (ch.seq <= hwm) continue;  // already applied: a retried batch
        auto r = mg.apply(ch, i);
        if (!r) return std::move(r).err();  // the transaction rolls back: nothing written
        ack.conflicts += *r;
        ++ack.applied;
        hwm = ch.seq;
    }
    auto& up = db->cached("UPDATE device SET acked_through = ?1, last_seen_ms = ?2 WHERE num = ?3");
    {
        sql::reset_guard g(up);
        up.bind(1, static_cast<std::int64_t>(hwm)).bind(2, now).bind(3, dev.num).exec();
    }
    if (version >= protocol::device_clock_version) {
        // The device's raw clock minus ours (positive: the device is ahead), for the quality
        // report. The request's travel time is in it too: seconds at worst, far below the
        // minutes the report looks for.
        auto& clk = db->cached(
            "INSERT INTO device_clock(device_num, offset_ms, observed_ms) VALUES (?1, ?2, ?3) "
            "ON CONFLICT(device_num) DO UPDATE SET offset_ms = excluded.offset_ms, "
            "observed_ms = excluded.observed_ms");
        sql::reset_guard g(clk);
        clk.bind(1, dev.num).bind(2, m.device_time_ms - now).bind(3, now).exec();
    }
    tx.commit();
    ack.acked_through = hwm;
    ack.server_time_ms = now;
    return ack;
}

}  // namespace minga
