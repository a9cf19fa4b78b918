#include "reader.hpp"

#include <limits>

namespace minga::protocol::detail {

void reader::wrong_type(const path& at, std::string_view expected_es,
                        std::string_view expected_en) {
    fail(errc::bad_frame, at,
         std::string("tipo incorrecto: se esperaba ") + std::string(expected_es),
         std::string("wrong type: expected ") + std::string(expected_en));
}

const msgpack::object* reader::fields(const msgpack::object& o, const path& at,
                                      std::span<const std::string_view> names) {
    if (failed()) return nullptr;
    if (o.type != msgpack::type::ARRAY) {
        wrong_type(at, "un arreglo", "an array");
        return nullptr;
    }
    if (o.via.array.size < names.size()) {
        fail(errc::bad_frame, path{at, names[o.via.array.size]}, "falta este campo obligatorio",
             "this required field is missing");
        return nullptr;
    }
    return o.via.array.ptr;
}

std::span<const msgpack::object> reader::list(const msgpack::object& o, const path& at) {
    if (failed()) return {};
    if (o.type != msgpack::type::ARRAY) {
        wrong_type(at, "un arreglo", "an array");
        return {};
    }
    return {o.via.array.ptr, o.via.array.size};
}

void reader::read(const msgpack::object& o, const path& at, std::uint64_t& out) {
    if (failed()) return;
    if (o.type != msgpack::type::POSITIVE_INTEGER) {
        wrong_type(at, "un entero sin signo", "an unsigned integer");
        return;
    }
    out = o.via.u64;
}

void reader::read(const msgpack::object& o, const path& at, std::uint32_t& out) {
    std::uint64_t n = 0;
    read(o, at, n);
    if (failed()) return;
    if (n > std::numeric_limits<std::uint32_t>::max()) {
        fail(errc::bad_frame, at, "entero fuera de rango (máximo 2^32-1)",
             "integer out of range (at most 2^32-1)");
        return;
    }
    out = static_cast<std::uint32_t>(n);
}

void reader::read(const msgpack::object& o, const path& at, std::int64_t& out) {
    if (failed()) return;
    if (o.type == msgpack::type::NEGATIVE_INTEGER) {
        out = o.via.i64;
    } else if (o.type == msgpack::type::POSITIVE_INTEGER) {
        if (o.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            fail(errc::bad_frame, at, "entero fuera de rango (máximo 2^63-1)",
                 "integer out of range (at most 2^63-1)");
            return;
        }
        out = static_cast<std::int64_t>(o.via.u64);
    } else {
        wrong_type(at, "un entero", "an integer");
    }
}

void reader::read(const msgpack::object& o, const path& at, bool& out) {
    if (failed()) return;
    if (o.type != msgpack::type::BOOLEAN) {
        wrong_type(at, "un booleano", "a boolean");
        return;
    }
    out = o.via.boolean;
}

void reader::read(const msgpack::object& o, const path& at, std::string& out) {
    if (failed()) return;
    if (o.type != msgpack::type::STR) {
        wrong_type(at, "un texto (str)", "a string (str)");
        return;
    }
    out.assign(o.via.str.ptr, o.via.str.size);
}

void reader::read(const msgpack::object& o, const path& at, std::vector<std::uint8_t>& out) {
    if (failed()) return;
    if (o.type != msgpack::type::BIN) {
        wrong_type(at, "un binario (bin)", "a binary (bin)");
        return;
    }
    const auto* b = reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr);
    out.assign(b, b + o.via.bin.size);
}

void reader::read(const msgpack::object& o, const path& at, std::optional<std::string>& out) {
    if (failed()) return;
    if (o.type == msgpack::type::NIL) {
        out.reset();
        return;
    }
    if (o.type != msgpack::type::STR) {
        wrong_type(at, "un texto (str) o nil", "a string (str) or nil");
        return;
    }
    out.emplace(o.via.str.ptr, o.via.str.size);
}

void reader::read(const msgpack::object& o, const path& at, value& out) {
    if (failed()) return;
    switch (o.type) {
        case msgpack::type::NIL:
            out.emplace<std::monostate>();
            return;
        case msgpack::type::POSITIVE_INTEGER:
        case msgpack::type::NEGATIVE_INTEGER:
            read(o, at, out.emplace<std::int64_t>());
            return;
        case msgpack::type::FLOAT32:
        case msgpack::type::FLOAT64:
            out.emplace<double>(o.via.f64);
            return;
        case msgpack::type::STR:
            out.emplace<std::string>(o.via.str.ptr, o.via.str.size);
            return;
        case msgpack::type::BIN: {
            const auto* b = reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr);
            out.emplace<std::vector<std::uint8_t>>(b, b + o.via.bin.size);
            return;
        }
        default:
            wrong_type(at, "nil, entero, real, texto o binario", "nil, int, float, str or bin");
    }
}

void reader::read(const msgpack::object& o, const path& at, field_map& out) {
    if (failed()) return;
    if (o.type != msgpack::type::MAP) {
        wrong_type(at, "un mapa de nombre a valor", "a map of name to value");
        return;
    }
    out.clear();
    out.reserve(o.via.map.size);
    for (std::uint32_t i = 0; i < o.via.map.size && !failed(); ++i) {
        const msgpack::object_kv& kv = o.via.map.ptr[i];
        const path entry{at, static_cast<std::size_t>(i)};
        auto& [name, v] = out.emplace_back();
        read(kv.key, entry, name);
        // Name the value by its column once the key is known to be one.
        if (!failed()) read(kv.val, path{at, std::string_view(name)}, v);
    }
}

void reader::read(const msgpack::object& o, const path& at, std::vector<std::string>& out) {
    const auto items = list(o, at);
    out.clear();
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size() && !failed(); ++i) {
        read(items[i], path{at, i}, out.emplace_back());
    }
}

void reader::read(const msgpack::object& o, const path& at, errc& out) {
    std::uint64_t n = 0;
    read(o, at, n);
    if (failed()) return;
    // A newer peer may send a code this build does not know: keep the message, treat the
    // failure as permanent (internal) rather than refusing the whole answer.
    out = is_known_errc(n) ? static_cast<errc>(n) : errc::internal;
}

void reader::read(const msgpack::object& o, const path& at, change_op& out) {
    std::uint64_t n = 0;
    read(o, at, n);
    if (failed()) return;
    if (n != static_cast<std::uint64_t>(change_op::upsert) &&
        n != static_cast<std::uint64_t>(change_op::remove)) {
        fail(errc::bad_input, at, "operación desconocida (1 = upsert, 2 = borrar)",
             "unknown operation (1 = upsert, 2 = delete)");
        return;
    }
    out = static_cast<change_op>(n);
}

}  // namespace minga::protocol::detail
