// Frames to msgpack. Each struct is an array of its fields in declaration order; integers take
// msgpack's smallest form and floats are always float64, so equal frames give equal bytes (the
// golden fixtures rely on it).

#include <minga/protocol/codec.hpp>
#include <minga/protocol/version.hpp>

#include <msgpack.hpp>

#include <bit>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace minga::protocol {
namespace {

/// Appends packed bytes to the output vector (the Stream concept msgpack::packer expects).
class byte_sink {
  public:
    explicit byte_sink(std::vector<std::uint8_t>& out) : out_(out) {}
    void write(const char* p, std::size_t n) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(p);
        out_.insert(out_.end(), b, b + n);
    }

  private:
    std::vector<std::uint8_t>& out_;  // owned by encode(), which outlives the packer
};

/// msgpack's packer plus float64 written as such: `pack_double` stores an integral double
/// (3.0, -0.0) as an int, which would come back as the wrong value type.
class packer : public msgpack::packer<byte_sink> {
  public:
    explicit packer(byte_sink& sink) : msgpack::packer<byte_sink>(sink), sink_(sink) {}

    void pack_float64(double d) {
        const auto bits = std::bit_cast<std::uint64_t>(d);
        char buf[9];
        buf[0] = static_cast<char>(0xcb);
        for (int i = 0; i < 8; ++i) buf[1 + i] = static_cast<char>(bits >> (56 - 8 * i));
        sink_.write(buf, sizeof buf);
    }

  private:
    byte_sink& sink_;  // owned by encode(), which outlives the packer
};

std::uint32_t wire_size(std::size_t n) {
    // msgpack cannot express more; such a frame is a bug far beyond every limit.
    if (n > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("msgpack size");
    return static_cast<std::uint32_t>(n);
}

void put(packer& pk, const std::string& s) {
    pk.pack_str(wire_size(s.size()));
    pk.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

void put(packer& pk, const std::vector<std::uint8_t>& b) {
    pk.pack_bin(wire_size(b.size()));
    pk.pack_bin_body(reinterpret_cast<const char*>(b.data()), static_cast<std::uint32_t>(b.size()));
}

void put(packer& pk, std::uint64_t n) {
    pk.pack_uint64(n);
}
void put(packer& pk, std::int64_t n) {
    pk.pack_int64(n);
}
void put(packer& pk, std::uint32_t n) {
    pk.pack_uint64(n);
}

void put(packer& pk, const value& v) {
    switch (v.index()) {
        case 0:
            pk.pack_nil();
            break;
        case 1:
            put(pk, std::get<1>(v));
            break;
        case 2:
            pk.pack_float64(std::get<2>(v));
            break;
        case 3:
            put(pk, std::get<3>(v));
            break;
        case 4:
            put(pk, std::get<4>(v));
            break;
        default:
            throw std::logic_error("value: unknown alternative");
    }
}

void put(packer& pk, const field_map& fields) {
    pk.pack_map(wire_size(fields.size()));
    for (const auto& [name, v] : fields) {
        put(pk, name);
        put(pk, v);
    }
}

void put(packer& pk, const std::vector<std::string>& strings) {
    pk.pack_array(wire_size(strings.size()));
    for (const auto& s : strings) put(pk, s);
}

void put(packer& pk, const error_body& m) {
    pk.pack_array(3);
    put(pk, static_cast<std::uint64_t>(m.code));
    put(pk, m.field);
    put(pk, m.message);
}

void put(packer& pk, const hello& m) {
    // The keys follow the client's maximum version, not the (minimum) envelope's.
    const bool v3 = m.max_version >= keys_version;
    pk.pack_array(v3 ? 6 : 4);
    put(pk, m.min_version);
    put(pk, m.max_version);
    put(pk, m.device_id);
    put(pk, m.app_version);
    if (v3) {
        put(pk, m.sign_pk);
        put(pk, m.box_pk);
    }
}

void put(packer& pk, const hello_ack& m, std::uint32_t version) {
    const bool v3 = version >= keys_version;
    pk.pack_array(v3 ? 4 : 3);
    put(pk, m.version);
    put(pk, m.server_time_ms);
    put(pk, m.server_id);
    if (v3) put(pk, m.server_box_pk);
}

void put(packer& pk, const enroll& m, std::uint32_t version) {
    const bool v3 = version >= keys_version;
    pk.pack_array(v3 ? 5 : 3);
    put(pk, m.enrol_token);
    put(pk, m.device_name);
    put(pk, m.device_id);
    if (v3) {
        put(pk, m.sign_pk);
        put(pk, m.box_pk);
    }
}

void put(packer& pk, const enroll_ack& m, std::uint32_t version) {
    const bool v3 = version >= keys_version;
    pk.pack_array(v3 ? 5 : 4);
    put(pk, m.device_id);
    put(pk, m.credential);
    put(pk, m.gads);
    put(pk, m.server_time_ms);
    if (v3) put(pk, m.server_box_pk);
}

void put(packer& pk, const change& c) {
    pk.pack_array(8);
    put(pk, c.seq);
    put(pk, c.table);
    put(pk, c.row_id);
    put(pk, static_cast<std::uint64_t>(c.op));
    put(pk, c.hlc);
    put(pk, c.owner_gad);
    put(pk, c.fields);
    put(pk, c.base);
}

void put(packer& pk, const push& m, std::uint32_t version) {
    const bool v3 = version >= device_clock_version;
    pk.pack_array(v3 ? 3 : 2);
    put(pk, m.device_id);
    pk.pack_array(wire_size(m.changes.size()));
    for (const auto& c : m.changes) put(pk, c);
    if (v3) put(pk, m.device_time_ms);
}

void put(packer& pk, const push_ack& m) {
    pk.pack_array(4);
    put(pk, m.acked_through);
    put(pk, m.server_time_ms);
    put(pk, m.applied);
    put(pk, m.conflicts);
}

void put_bool(packer& pk, bool b) {
    if (b) {
        pk.pack_true();
    } else {
        pk.pack_false();
    }
}

void put(packer& pk, const pull& m, std::uint32_t version) {
    const bool v2 = version >= snapshot_version;
    pk.pack_array(v2 ? 4 : 3);
    put(pk, m.cursor);
    put(pk, m.max_rows);
    put(pk, m.max_bytes);
    if (v2) put_bool(pk, m.snapshot);
}

void put(packer& pk, const row& r) {
    // The values follow the four fixed fields in the same array: no per-row container.
    pk.pack_array(wire_size(4 + r.values.size()));
    put(pk, r.row_id);
    if (r.owner_gad) {
        put(pk, *r.owner_gad);
    } else {
        pk.pack_nil();
    }
    put_bool(pk, r.deleted);
    put(pk, r.hlc);
    for (const auto& v : r.values) put(pk, v);
}

void put(packer& pk, const table_block& b) {
    pk.pack_array(3);
    put(pk, b.table);
    put(pk, b.columns);
    pk.pack_array(wire_size(b.rows.size()));
    for (const auto& r : b.rows) put(pk, r);
}

void put(packer& pk, const pull_page& m, std::uint32_t version) {
    const bool v2 = version >= snapshot_version;
    pk.pack_array(v2 ? 7 : 5);
    put(pk, m.cursor_after);
    put(pk, m.total);
    put(pk, m.remaining);
    put(pk, m.server_time_ms);
    pk.pack_array(wire_size(m.blocks.size()));
    for (const auto& b : m.blocks) put(pk, b);
    if (v2) {
        put_bool(pk, m.snapshot);
        put(pk, m.horizon);
    }
}

void put(packer& pk, const bundle_carry& m) {
    pk.pack_array(1);
    put(pk, m.bundle);
}

void put(packer& pk, const bundle_answer& m) {
    pk.pack_array(4);
    put(pk, m.answer);
    put(pk, m.number);
    put(pk, m.applied);
    put(pk, m.rows);
}

// Bodies whose layout does not depend on the version.
template <class Body>
void put(packer& pk, const Body& m, std::uint32_t /*version*/) {
    put(pk, m);
}

}  // namespace

std::vector<std::uint8_t> encode(const frame& f) {
    std::vector<std::uint8_t> out;
    byte_sink sink(out);
    packer pk(sink);
    pk.pack_array(4);
    put(pk, f.version);
    put(pk, static_cast<std::uint64_t>(type_of(f.body)));
    put(pk, f.request_id);
    // A frame carries exactly the fields of its version: a v1 answer has no v2 fields.
    std::visit([&pk, &f](const auto& body) { put(pk, body, f.version); }, f.body);
    return out;
}

}  // namespace minga::protocol
