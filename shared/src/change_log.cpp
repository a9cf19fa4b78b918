#include <minga/shared/change_log.hpp>

#include <msgpack.hpp>

#include <cstring>
#include <stdexcept>

namespace minga {

namespace {

struct value_packer {
    msgpack::packer<msgpack::sbuffer>& pk;
    msgpack::sbuffer& buf;
    void operator()(std::monostate) { pk.pack_nil(); }
    void operator()(std::int64_t v) { pk.pack_int64(v); }
    void operator()(double v) {
        // Always float64: msgpack-c may pack a whole-number double as an integer, and the value
        // must come back with the type the column stores.
        std::uint64_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        char out[9];
        out[0] = static_cast<char>(0xcb);
        for (int i = 0; i < 8; ++i) out[1 + i] = static_cast<char>(bits >> (56 - 8 * i));
        buf.write(out, sizeof out);
    }
    void operator()(const std::string& v) {
        pk.pack_str(static_cast<std::uint32_t>(v.size()));
        pk.pack_str_body(v.data(), static_cast<std::uint32_t>(v.size()));
    }
    void operator()(const sql::blob& v) {
        pk.pack_bin(static_cast<std::uint32_t>(v.size()));
        pk.pack_bin_body(reinterpret_cast<const char*>(v.data()), static_cast<std::uint32_t>(v.size()));
    }
};

sql::value to_value(const msgpack::object& o) {
    switch (o.type) {
        case msgpack::type::NIL: return std::monostate{};
        case msgpack::type::POSITIVE_INTEGER: return static_cast<std::int64_t>(o.via.u64);
        case msgpack::type::NEGATIVE_INTEGER: return o.via.i64;
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64: return o.via.f64;
        case msgpack::type::STR: return std::string(o.via.str.ptr, o.via.str.size);
        case msgpack::type::BIN:
            return sql::blob(reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr),
                             reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr) + o.via.bin.size);
        default: throw std::runtime_error("outbox: unexpected msgpack type in a stored change");
    }
}

}  // namespace

sql::blob encode_fields(const field_list& fields) {
    msgpack::sbuffer buf;
    msgpack::packer<msgpack::sbuffer> pk(buf);
    pk.pack_map(static_cast<std::uint32_t>(fields.size()));
    for (const auto& [name, v] : fields) {
        pk.pack(name);
        std::visit(value_packer{pk, buf}, v);
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(buf.data());
    return sql::blob(p, p + buf.size());
}

field_list decode_fields(const sql::blob& bytes) {
    // Only ever reads what encode_fields() wrote into our own outbox: a failure here means a
    // corrupt store, so it throws.
    auto oh = msgpack::unpack(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const auto& o = oh.get();
    if (o.type != msgpack::type::MAP) throw std::runtime_error("outbox: stored change is not a map");
    field_list out;
    out.reserve(o.via.map.size);
    for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
        const auto& kv = o.via.map.ptr[i];
        out.emplace_back(kv.key.as<std::string>(), to_value(kv.val));
    }
    return out;
}

void change_log::upsert(sql::transaction& tx, std::string_view table, std::string_view id,
                        std::string_view owner_gad, const field_list& fields, hlc_t stamp,
                        row_state state) {
    (void)tx;  // proof that a transaction is open
    // SQLite checks NOT NULL on the candidate row of an INSERT ... ON CONFLICT before it sees
    // the conflict, so a partial update must be an UPDATE; an insert must carry every column.
    bool updated = false;
    if (state != row_state::fresh) {
        std::string sql = "UPDATE ";
        sql.append(table).append(" SET hlc = ?2, deleted = 0");
        for (std::size_t i = 0; i < fields.size(); ++i)
            sql.append(", ").append(fields[i].first).append(" = ?").append(std::to_string(i + 3));
        sql.append(" WHERE id = ?1");
        auto& s = db_.cached(sql);
        sql::reset_guard g(s);
        s.bind(1, id).bind(2, static_cast<std::int64_t>(stamp));
        for (std::size_t i = 0; i < fields.size(); ++i) s.bind(static_cast<int>(i + 3), fields[i].second);
        s.exec();
        updated = db_.changes() > 0;
    }
    if (!updated) {
        std::string sql = "INSERT INTO ";
        sql.append(table).append("(id, owner_gad, hlc");
        for (const auto& f : fields) sql.append(", ").append(f.first);
        sql.append(") VALUES (?1, ?2, ?3");
        for (std::size_t i = 0; i < fields.size(); ++i) sql.append(", ?").append(std::to_string(i + 4));
        sql.append(")");
        auto& s = db_.cached(sql);
        sql::reset_guard g(s);
        s.bind(1, id).bind(2, owner_gad).bind(3, static_cast<std::int64_t>(stamp));
        for (std::size_t i = 0; i < fields.size(); ++i) s.bind(static_cast<int>(i + 4), fields[i].second);
        s.exec();
    }
    append(table, id, change_op::upsert, owner_gad, fields, stamp);
}

void change_log::remove(sql::transaction& tx, std::string_view table, std::string_view id,
                        std::string_view owner_gad, hlc_t stamp) {
    (void)tx;
    std::string sql = "UPDATE ";
    sql.append(table).append(" SET deleted = 1, hlc = ?2 WHERE id = ?1");
    auto& s = db_.cached(sql);
    sql::reset_guard g(s);
    s.bind(1, id).bind(2, static_cast<std::int64_t>(stamp));
    s.exec();
    append(table, id, change_op::remove, owner_gad, {}, stamp);
}

void change_log::append(std::string_view table, std::string_view id, change_op op,
                        std::string_view owner_gad, const field_list& fields, hlc_t stamp) {
    auto& s = db_.cached(
        "INSERT INTO outbox(tbl, row_id, op, hlc, owner_gad, fields, base, wall) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    sql::reset_guard g(s);
    auto payload = encode_fields(fields);
    s.bind(1, table).bind(2, id).bind(3, static_cast<std::int64_t>(op));
    s.bind(4, static_cast<std::int64_t>(stamp)).bind(5, owner_gad);
    s.bind(6, std::span<const std::uint8_t>(payload));
    s.bind(7, static_cast<std::int64_t>(base_)).bind(8, clock_.wall_ms());
    s.exec();
}

std::int64_t change_log::pending_count() {
    auto& s = db_.cached("SELECT count(*) FROM outbox");
    sql::reset_guard g(s);
    s.step();
    return s.get_int(0);
}

std::vector<outbox_entry> change_log::pending(std::int64_t after, std::size_t limit) {
    auto& s = db_.cached(
        "SELECT seq, tbl, row_id, op, hlc, owner_gad, fields, base FROM outbox WHERE seq > ?1 "
        "ORDER BY seq LIMIT ?2");
    sql::reset_guard g(s);
    s.bind(1, after).bind(2, static_cast<std::int64_t>(limit));
    std::vector<outbox_entry> out;
    while (s.step()) {
        outbox_entry e;
        e.seq = s.get_int(0);
        e.table = s.get_text(1);
        e.row_id = s.get_text(2);
        e.op = s.get_int(3) == 2 ? change_op::remove : change_op::upsert;
        e.hlc = static_cast<hlc_t>(s.get_int(4));
        e.owner_gad = s.get_text(5);
        e.fields = decode_fields(s.get_blob(6));
        e.base = static_cast<std::uint64_t>(s.get_int(7));
        out.push_back(std::move(e));
    }
    return out;
}

void change_log::acknowledge(sql::transaction& tx, std::int64_t seq) {
    (void)tx;
    auto& s = db_.cached("DELETE FROM outbox WHERE seq <= ?1");
    sql::reset_guard g(s);
    s.bind(1, seq).exec();
}

hlc_t change_log::restamp(sql::transaction& tx, std::int64_t offset_ms) {
    (void)tx;
    std::vector<std::pair<std::int64_t, std::int64_t>> walls;  // (seq, wall)
    {
        auto& s = db_.cached("SELECT seq, wall FROM outbox ORDER BY seq");
        sql::reset_guard g(s);
        while (s.step()) walls.emplace_back(s.get_int(0), s.get_int(1));
    }
    auto& up = db_.cached("UPDATE outbox SET hlc = ?2 WHERE seq = ?1");
    hlc_t prev = 0;
    for (const auto& [seq, wall] : walls) {
        hlc_t h = make_hlc(wall + offset_ms, 0);
        if (h <= prev) h = prev + 1;  // keep the device's own order
        sql::reset_guard g(up);
        up.bind(1, seq).bind(2, static_cast<std::int64_t>(h)).exec();
        prev = h;
    }
    return prev;
}

std::vector<std::string> change_log::pending_fields(std::string_view table, std::string_view row_id) {
    auto& s = db_.cached("SELECT op, fields FROM outbox WHERE tbl = ?1 AND row_id = ?2");
    sql::reset_guard g(s);
    s.bind(1, table).bind(2, row_id);
    std::vector<std::string> names;
    while (s.step()) {
        if (s.get_int(0) == static_cast<std::int64_t>(change_op::remove)) names.emplace_back("deleted");
        for (auto& [k, v] : decode_fields(s.get_blob(1))) names.push_back(std::move(k));
    }
    return names;
}

}  // namespace minga
