#include "wire_tree.hpp"

#include <msgpack.hpp>

#include <bit>
#include <stdexcept>

namespace minga::protocol::test {
namespace {

node from_object(const msgpack::object& o) {
    switch (o.type) {
        case msgpack::type::NIL:
            return node{};
        case msgpack::type::BOOLEAN:
            return node{o.via.boolean};
        case msgpack::type::POSITIVE_INTEGER:
            return node{o.via.u64};
        case msgpack::type::NEGATIVE_INTEGER:
            return node{o.via.i64};
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64:
            return node{o.via.f64};
        case msgpack::type::STR:
            return node{std::string(o.via.str.ptr, o.via.str.size)};
        case msgpack::type::BIN: {
            const auto* p = reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr);
            return node{node_bin{{p, p + o.via.bin.size}}};
        }
        case msgpack::type::ARRAY: {
            node_array a;
            for (std::uint32_t i = 0; i < o.via.array.size; ++i) {
                a.push_back(from_object(o.via.array.ptr[i]));
            }
            return node{std::move(a)};
        }
        case msgpack::type::MAP: {
            node_map m;
            for (std::uint32_t i = 0; i < o.via.map.size; ++i) {
                m.emplace_back(from_object(o.via.map.ptr[i].key),
                               from_object(o.via.map.ptr[i].val));
            }
            return node{std::move(m)};
        }
        default:
            throw std::invalid_argument("wire_tree: unsupported msgpack type");
    }
}

class sink {
  public:
    explicit sink(bytes& out) : out_(out) {}
    void write(const char* p, std::size_t n) { out_.insert(out_.end(), p, p + n); }

  private:
    bytes& out_;  // owned by pack(), which outlives the packer
};

void put(msgpack::packer<sink>& pk, sink& raw, const node& n) {
    std::visit(
        [&pk, &raw](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                pk.pack_nil();
            } else if constexpr (std::is_same_v<T, bool>) {
                if (x) {
                    pk.pack_true();
                } else {
                    pk.pack_false();
                }
            } else if constexpr (std::is_same_v<T, std::uint64_t>) {
                pk.pack_uint64(x);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
                pk.pack_int64(x);
            } else if constexpr (std::is_same_v<T, double>) {
                // Always float64: msgpack's pack_double turns 2.0 into the int 2.
                const auto bits = std::bit_cast<std::uint64_t>(x);
                char buf[9] = {static_cast<char>(0xcb)};
                for (int i = 0; i < 8; ++i) buf[1 + i] = static_cast<char>(bits >> (56 - 8 * i));
                raw.write(buf, sizeof buf);
            } else if constexpr (std::is_same_v<T, std::string>) {
                pk.pack_str(static_cast<std::uint32_t>(x.size()));
                pk.pack_str_body(x.data(), static_cast<std::uint32_t>(x.size()));
            } else if constexpr (std::is_same_v<T, node_bin>) {
                pk.pack_bin(static_cast<std::uint32_t>(x.data.size()));
                pk.pack_bin_body(reinterpret_cast<const char*>(x.data.data()),
                                 static_cast<std::uint32_t>(x.data.size()));
            } else if constexpr (std::is_same_v<T, node_array>) {
                pk.pack_array(static_cast<std::uint32_t>(x.size()));
                for (const auto& e : x) put(pk, raw, e);
            } else {
                pk.pack_map(static_cast<std::uint32_t>(x.size()));
                for (const auto& [k, val] : x) {
                    put(pk, raw, k);
                    put(pk, raw, val);
                }
            }
        },
        n.v);
}

void collect(const node& n, position& here, std::vector<position>& out) {
    if (const auto* a = std::get_if<node_array>(&n.v)) {
        for (std::size_t i = 0; i < a->size(); ++i) {
            here.push_back(i);
            out.push_back(here);
            collect((*a)[i], here, out);
            here.pop_back();
        }
    } else if (const auto* m = std::get_if<node_map>(&n.v)) {
        for (std::size_t i = 0; i < 2 * m->size(); ++i) {
            here.push_back(i);
            out.push_back(here);
            const auto& entry = (*m)[i / 2];
            collect(i % 2 == 0 ? entry.first : entry.second, here, out);
            here.pop_back();
        }
    }
}

}  // namespace

node parse(const bytes& b) {
    const msgpack::object_handle h =
        msgpack::unpack(reinterpret_cast<const char*>(b.data()), b.size());
    return from_object(h.get());
}

bytes pack(const node& n) {
    bytes out;
    sink s(out);
    msgpack::packer<sink> pk(s);
    put(pk, s, n);
    return out;
}

node& at(node& root, const position& pos) {
    node* cur = &root;
    for (std::size_t i : pos) {
        if (auto* a = std::get_if<node_array>(&cur->v)) {
            cur = &a->at(i);
        } else {
            auto& entry = std::get<node_map>(cur->v).at(i / 2);
            cur = i % 2 == 0 ? &entry.first : &entry.second;
        }
    }
    return *cur;
}

std::vector<position> all_positions(const node& root) {
    std::vector<position> out;
    position here;
    collect(root, here, out);
    return out;
}

std::string to_string(const position& pos) {
    std::string out;
    for (std::size_t i : pos) out += "[" + std::to_string(i) + "]";
    return out;
}

}  // namespace minga::protocol::test
