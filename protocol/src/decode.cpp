// The three layers of decode: size, bounded unpack with no trailing bytes, then type-checked
// conversion and validate(). Every failure becomes an error; nothing is thrown to the caller.

#include "reader.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/validate.hpp>
#include <minga/protocol/version.hpp>

#include <algorithm>
#include <new>
#include <string>

namespace minga::protocol {
namespace {

error frame_error(errc code, std::string es, std::string en) {
    return make_error(code, "frame", std::move(es), std::move(en));
}

/// The unpacker's bounds: the largest container or string any valid message needs, so that a
/// declared length beyond them fails before msgpack allocates for it. Ext types are not part
/// of the protocol (bound 0).
msgpack::unpack_limit unpack_limits(const limits& lim) {
    const std::size_t array =
        std::max({lim.max_changes_per_push, lim.max_rows_per_page, lim.max_blocks_per_page,
                  lim.max_gads_per_device, lim.max_fields + 4, lim.max_message_fields});
    const std::size_t str =
        std::max({lim.max_string_bytes, lim.max_label_bytes, lim.max_token_bytes, lim.max_id_bytes,
                  lim.max_identifier_bytes});
    // Field counts get a floor, so that validate() rather than the unpacker reports a change
    // with too many fields, naming it.
    const std::size_t map = std::max(lim.max_fields, lim.max_message_fields);
    // Bins are referenced in place (no allocation), and no bin can be longer than the body: the
    // bound admits a carried bundle (v3), and validate() holds each bin to its own limit
    // (max_blob_bytes for values, max_carried_bundle_bytes for bundles), naming the field.
    const std::size_t bin = std::max(lim.max_blob_bytes, lim.max_body_bytes);
    return msgpack::unpack_limit(array, map, str, bin, 0, lim.max_depth);
}

// Strings and blobs stay in the caller's buffer until conversion copies them: the unpacked
// tree dies inside decode(), while `bytes` is still alive.
bool reference_in_place(msgpack::type::object_type, std::size_t, void*) {
    return true;
}

result<frame> read_envelope(const msgpack::object& root, const limits& lim) {
    detail::reader rd;
    static constexpr std::array<std::string_view, 4> n{"version", "type", "request_id", "body"};
    if (root.type != msgpack::type::ARRAY || root.via.array.size != n.size()) {
        return frame_error(errc::bad_frame,
                           "una trama es el arreglo [versión, tipo, id de solicitud, cuerpo]",
                           "a frame is the array [version, type, request_id, body]");
    }
    const msgpack::object* f = root.via.array.ptr;
    frame out;
    std::uint64_t version = 0;
    rd.read(f[0], detail::path{n[0]}, version);
    if (!rd.failed() && !is_supported_version(version)) {
        const std::string served =
            std::to_string(min_supported_version) + ".." + std::to_string(current_version);
        return make_error(errc::unsupported_version, "version",
                          "versión de protocolo " + std::to_string(version) +
                              " no atendida (se atienden " + served + ")",
                          "protocol version " + std::to_string(version) +
                              " is not served (served: " + served + ")");
    }
    std::uint64_t type = 0;
    rd.read(f[1], detail::path{n[1]}, type);
    // Types 10 and 11 (bundles) were appended in v3: an older frame cannot carry them.
    const bool too_new = type >= static_cast<std::uint64_t>(msg_type::bundle_carry) &&
                         version < keys_version;
    if (!rd.failed() && (!is_known_msg_type(type) || too_new)) {
        return make_error(errc::bad_frame, "type",
                          "tipo de mensaje desconocido: " + std::to_string(type),
                          "unknown message type: " + std::to_string(type));
    }
    rd.read(f[2], detail::path{n[2]}, out.request_id);
    if (auto s = rd.take(); !s) return std::move(s).err();

    const auto t = static_cast<msg_type>(type);  // checked by is_known_msg_type above
    out.version = static_cast<std::uint32_t>(version);
    rd.set_version(out.version);  // the body is read with the rules of its frame's version
    out.body = detail::read_message(rd, t, f[3], detail::path{to_string(t)});
    if (auto s = rd.take(); !s) return std::move(s).err();
    if (auto s = validate(out, lim); !s) return std::move(s).err();
    return out;
}

result<frame> decode_layers(std::span<const std::uint8_t> bytes, const limits& lim) {
    if (bytes.size() > lim.max_body_bytes) {
        return frame_error(errc::too_large,
                           "la trama mide " + std::to_string(bytes.size()) +
                               " bytes; el máximo es " + std::to_string(lim.max_body_bytes),
                           "the frame is " + std::to_string(bytes.size()) +
                               " bytes; the maximum is " + std::to_string(lim.max_body_bytes));
    }
    if (bytes.empty()) {
        return frame_error(errc::bad_frame, "la trama está vacía", "the frame is empty");
    }
    const char* data = reinterpret_cast<const char*>(bytes.data());
    std::size_t offset = 0;
    const msgpack::object_handle handle = msgpack::unpack(
        data, bytes.size(), offset, reference_in_place, nullptr, unpack_limits(lim));
    if (offset != bytes.size()) {
        return frame_error(
            errc::bad_frame,
            "sobran " + std::to_string(bytes.size() - offset) + " bytes después de la trama",
            std::to_string(bytes.size() - offset) + " trailing bytes after the frame");
    }
    return read_envelope(handle.get(), lim);
}

}  // namespace

result<frame> decode(std::span<const std::uint8_t> bytes, const limits& lim) {
    // msgpack reports malformed input and exceeded bounds by throwing; map each to a code.
    // The most derived exception types come first.
    try {
        return decode_layers(bytes, lim);
    } catch (const msgpack::ext_size_overflow&) {
        return frame_error(errc::bad_frame,
                           "los tipos ext de msgpack no forman parte del protocolo",
                           "msgpack ext types are not part of the protocol");
    } catch (const msgpack::depth_size_overflow&) {
        return frame_error(errc::too_large,
                           "anidamiento de más de " + std::to_string(lim.max_depth) + " niveles",
                           "nesting deeper than " + std::to_string(lim.max_depth) + " levels");
    } catch (const msgpack::size_overflow& e) {
        return frame_error(
            errc::too_large,
            std::string("un texto, binario, arreglo o mapa excede su límite (") + e.what() + ")",
            std::string("a str, bin, array or map exceeds its limit (") + e.what() + ")");
    } catch (const msgpack::insufficient_bytes&) {
        return frame_error(errc::bad_frame, "la trama está truncada", "the frame is truncated");
    } catch (const msgpack::unpack_error& e) {
        return frame_error(errc::bad_frame, std::string("msgpack mal formado (") + e.what() + ")",
                           std::string("malformed msgpack (") + e.what() + ")");
    } catch (const msgpack::type_error&) {
        return frame_error(errc::bad_frame, "tipo msgpack incorrecto", "wrong msgpack type");
    } catch (const std::bad_alloc&) {
        // Memory pressure on this side: the same frame may decode later.
        return frame_error(errc::busy, "memoria insuficiente para decodificar la trama",
                           "not enough memory to decode the frame");
    }
}

}  // namespace minga::protocol
