#include "field_clock.hpp"

#include <minga/shared/change_log.hpp>

#include <msgpack.hpp>

#include <stdexcept>

namespace minga {

namespace {

void pack_stamp(msgpack::packer<msgpack::sbuffer>& pk, const field_stamp& s) {
    pk.pack_array(3);
    pk.pack_uint64(s.hlc);
    pk.pack_int64(s.device);
    pk.pack_uint64(s.seq);
}

field_stamp unpack_stamp(const msgpack::object& o) {
    if (o.type != msgpack::type::ARRAY || o.via.array.size != 3)
        throw std::runtime_error("field_clock: corrupt stamp");
    return {o.via.array.ptr[0].as<std::uint64_t>(), o.via.array.ptr[1].as<std::int64_t>(),
            o.via.array.ptr[2].as<std::uint64_t>()};
}

}  // namespace

const field_stamp& row_clocks::of(std::string_view column) const noexcept {
    for (const auto& [k, s] : fields)
        if (k == column) return s;
    return row;
}

void row_clocks::set(std::string_view column, const field_stamp& s) {
    for (auto& [k, old] : fields) {
        if (k == column) {
            old = s;
            return;
        }
    }
    fields.emplace_back(std::string(column), s);
}

hlc_t row_clocks::max_hlc() const noexcept {
    hlc_t m = row.hlc;
    for (const auto& [k, s] : fields)
        if (s.hlc > m) m = s.hlc;
    return m;
}

sql::blob encode_clocks(const row_clocks& c) {
    msgpack::sbuffer buf;
    msgpack::packer<msgpack::sbuffer> pk(buf);
    pk.pack_array(4);
    pk.pack_uint64(c.row.hlc);
    pk.pack_int64(c.row.device);
    pk.pack_uint64(c.row.seq);
    pk.pack_map(static_cast<std::uint32_t>(c.fields.size()));
    for (const auto& [k, s] : c.fields) {
        pk.pack(k);
        pack_stamp(pk, s);
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(buf.data());
    return sql::blob(p, p + buf.size());
}

row_clocks decode_clocks(const sql::blob& bytes) {
    auto oh = msgpack::unpack(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    const auto& o = oh.get();
    if (o.type != msgpack::type::ARRAY || o.via.array.size != 4 ||
        o.via.array.ptr[3].type != msgpack::type::MAP)
        throw std::runtime_error("field_clock: corrupt clocks");
    row_clocks c;
    c.row = {o.via.array.ptr[0].as<std::uint64_t>(), o.via.array.ptr[1].as<std::int64_t>(),
             o.via.array.ptr[2].as<std::uint64_t>()};
    const auto& m = o.via.array.ptr[3].via.map;
    for (std::uint32_t i = 0; i < m.size; ++i)
        c.fields.emplace_back(m.ptr[i].key.as<std::string>(), unpack_stamp(m.ptr[i].val));
    return c;
}

sql::blob encode_value(const sql::value& v) {
    // One-entry field list: reuses the outbox encoding of typed values.
    return encode_fields(field_list{{"v", v}});
}

sql::value decode_value(const sql::blob& bytes) {
    auto f = decode_fields(bytes);
    if (f.size() != 1) throw std::runtime_error("field_clock: corrupt value");
    return std::move(f.front().second);
}

}  // namespace minga
