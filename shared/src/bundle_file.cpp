// The bundle container and crypto. Layout of a file (docs/bundles.md):
//   "MINGABDL" | format 1 | kind | payload length (u32 big-endian) | payload | BLAKE2b-256 of all
//   bytes before it.
// The checksum tells a truncated or damaged file from one that is not for this server; the
// crypto (libsodium) is what authenticates: crypto_box_seal + Ed25519 for device bundles,
// crypto_box for answers.
#include "bundle_file.hpp"

#include <minga/shared/bundle.hpp>
#include <minga/shared/zstd_codec.hpp>

#include <msgpack.hpp>
#include <sodium.h>
#include <zstd.h>

#include <algorithm>
#include <stdexcept>

namespace minga::bundle_file {

namespace {

constexpr std::string_view magic = "MINGABDL";
constexpr std::uint8_t format = 1;
constexpr std::size_t header_bytes = 8 + 1 + 1 + 4;
constexpr std::size_t checksum_bytes = 32;

error bad(std::string field, std::string es, std::string en) {
    return make_error(errc::bad_input, std::move(field), std::move(es), std::move(en));
}

bytes blake(std::span<const std::uint8_t> in) {
    bytes h(checksum_bytes);
    crypto_generichash(h.data(), h.size(), in.data(), in.size(), nullptr, 0);
    return h;
}

bytes compress(std::span<const std::uint8_t> in) {
    bytes out(ZSTD_compressBound(in.size()));
    auto n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), bundle_tuning::zstd_level);
    if (ZSTD_isError(n)) throw std::runtime_error("zstd compress failed");
    out.resize(n);
    return out;
}

result<bytes> decompress(std::span<const std::uint8_t> in) {
    auto r = zstd::decompress(in, bundle_tuning::max_plain_bytes);
    if (r) return r;
    if (r.err().code == errc::too_large)
        return make_error(errc::too_large, "bundle",
                          "el contenido del paquete pasa el límite de " +
                              std::to_string(bundle_tuning::max_plain_bytes) + " bytes",
                          "the bundle's content exceeds the limit of " +
                              std::to_string(bundle_tuning::max_plain_bytes) + " bytes");
    return bad("bundle", "el contenido del paquete está dañado (zstd)",
               "the bundle's content is damaged (zstd)");
}

using packer = msgpack::packer<msgpack::sbuffer>;

void put_bin(packer& pk, std::span<const std::uint8_t> b) {
    pk.pack_bin(static_cast<std::uint32_t>(b.size()));
    pk.pack_bin_body(reinterpret_cast<const char*>(b.data()), static_cast<std::uint32_t>(b.size()));
}

bytes to_bytes(const msgpack::sbuffer& sb) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(sb.data());
    return bytes(p, p + sb.size());
}

/// Reads the msgpack fields of a body; any wrong type throws msgpack::type_error, turned into a
/// bad_input by the caller.
struct fields {
    const msgpack::object* f;
    std::size_t n;
    const msgpack::object& at(std::size_t i) const {
        if (i >= n) throw msgpack::type_error();
        return f[i];
    }
    bytes bin(std::size_t i) const {
        const auto& o = at(i);
        if (o.type != msgpack::type::BIN) throw msgpack::type_error();
        const auto* p = reinterpret_cast<const std::uint8_t*>(o.via.bin.ptr);
        return bytes(p, p + o.via.bin.size);
    }
    std::vector<bytes> bins(std::size_t i) const {
        const auto& o = at(i);
        if (o.type != msgpack::type::ARRAY) throw msgpack::type_error();
        std::vector<bytes> out;
        fields inner{o.via.array.ptr, o.via.array.size};
        for (std::size_t k = 0; k < inner.n; ++k) out.push_back(inner.bin(k));
        return out;
    }
    template <class T>
    T as(std::size_t i) const {
        return at(i).as<T>();
    }
};

template <class Fn>
auto read_array(std::span<const std::uint8_t> in, const char* what, Fn&& fn)
    -> result<decltype(fn(std::declval<fields>()))> {
    try {
        // Bounds: a body is a few arrays of frames; strings are ids and hashes.
        msgpack::unpack_limit lim(bundle_tuning::max_changes + 16, 16, 1024,
                                  bundle_tuning::max_plain_bytes, 0, 4);
        auto oh = msgpack::unpack(reinterpret_cast<const char*>(in.data()), in.size(), nullptr,
                                  nullptr, lim);
        const auto& o = oh.get();
        if (o.type != msgpack::type::ARRAY) throw msgpack::type_error();
        return fn(fields{o.via.array.ptr, o.via.array.size});
    } catch (const std::exception&) {
        return bad("bundle", std::string("el paquete tiene un contenido ilegible (") + what + ")",
                   std::string("the bundle's content cannot be read (") + what + ")");
    }
}

bytes pack_device(const device_body& b) {
    msgpack::sbuffer sb;
    packer pk(sb);
    pk.pack_array(6);
    pk.pack(b.device_id);
    pk.pack(b.number);
    pk.pack(b.prev_hash);
    pk.pack(b.created_ms);
    put_bin(pk, b.pull);
    pk.pack_array(static_cast<std::uint32_t>(b.pushes.size()));
    for (const auto& p : b.pushes) put_bin(pk, p);
    return to_bytes(sb);
}

bytes pack_answer(const answer_body& b) {
    msgpack::sbuffer sb;
    packer pk(sb);
    pk.pack_array(6);
    pk.pack(b.device_id);
    pk.pack(b.answers);
    pk.pack(b.bundle_hash);
    put_bin(pk, b.push_ack);
    pk.pack_array(static_cast<std::uint32_t>(b.pages.size()));
    for (const auto& p : b.pages) put_bin(pk, p);
    put_bin(pk, b.pull);
    return to_bytes(sb);
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> b) {
    std::string out(b.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), b.data(), b.size());
    out.pop_back();
    return out;
}

bytes from_hex(const std::string& hex) {
    bytes out(hex.size() / 2);
    std::size_t n = 0;
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &n, nullptr) != 0)
        return {};
    out.resize(n);
    return out;
}

bytes wrap(kind k, std::span<const std::uint8_t> payload) {
    bytes out(magic.begin(), magic.end());
    out.push_back(format);
    out.push_back(static_cast<std::uint8_t>(k));
    const auto n = static_cast<std::uint32_t>(payload.size());
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
    out.insert(out.end(), payload.begin(), payload.end());
    auto sum = blake(out);
    out.insert(out.end(), sum.begin(), sum.end());
    return out;
}

result<bytes> unwrap(kind k, std::span<const std::uint8_t> file) {
    const bool answer = k == kind::answer;
    if (file.size() > bundle_tuning::max_file_bytes) {
        return make_error(errc::too_large, "FILE",
                          "el paquete pasa el límite de " + std::to_string(bundle_tuning::max_file_bytes) + " bytes",
                          "the bundle exceeds the limit of " + std::to_string(bundle_tuning::max_file_bytes) + " bytes");
    }
    if (file.size() < header_bytes || !std::equal(magic.begin(), magic.end(), file.begin()))
        return bad("FILE", "el archivo no es un paquete de minga", "the file is not a minga bundle");
    if (file[8] != format)
        return bad("FILE", "formato de paquete desconocido: " + std::to_string(file[8]),
                   "unknown bundle format: " + std::to_string(file[8]));
    if (file[9] != static_cast<std::uint8_t>(k)) {
        return bad("FILE",
                   answer ? "es un paquete de un dispositivo, no una respuesta del servidor; "
                            "impórtelo en el servidor (`minga-server bundle import`) o llévelo con `minga bundle carry`"
                          : "es una respuesta del servidor, no un paquete de un dispositivo; "
                            "impórtela en el dispositivo con `minga bundle import`",
                   answer ? "this is a device's bundle, not a server answer; import it on the server "
                            "(`minga-server bundle import`) or carry it with `minga bundle carry`"
                          : "this is a server answer, not a device's bundle; import it on the device "
                            "with `minga bundle import`");
    }
    std::size_t n = 0;
    for (int i = 0; i < 4; ++i) n = (n << 8) | file[10 + i];
    const std::size_t want = header_bytes + n + checksum_bytes;
    if (file.size() < want) {
        return bad("FILE",
                   "el paquete está truncado: tiene " + std::to_string(file.size()) +
                       " bytes y debería tener " + std::to_string(want),
                   "the bundle is truncated: it has " + std::to_string(file.size()) +
                       " bytes and should have " + std::to_string(want));
    }
    if (file.size() > want) {
        return bad("FILE", "el paquete tiene bytes de más después de su fin",
                   "the bundle has extra bytes after its end");
    }
    auto sum = blake(file.first(header_bytes + n));
    if (sodium_memcmp(sum.data(), file.data() + header_bytes + n, checksum_bytes) != 0) {
        return bad("FILE", "el paquete está dañado o fue alterado (la suma de control no coincide)",
                   "the bundle is damaged or was altered (the checksum does not match)");
    }
    auto payload = file.subspan(header_bytes, n);
    return bytes(payload.begin(), payload.end());
}

std::string hash_hex(std::span<const std::uint8_t> file) {
    return to_hex(blake(file));
}

bytes seal_device(const device_body& b, std::span<const std::uint8_t> sign_sk,
                  std::span<const std::uint8_t> server_box_pk) {
    bytes body = compress(pack_device(b));
    bytes sig(crypto_sign_BYTES);
    crypto_sign_detached(sig.data(), nullptr, body.data(), body.size(), sign_sk.data());
    msgpack::sbuffer sb;
    packer pk(sb);
    pk.pack_array(3);
    pk.pack(b.device_id);
    put_bin(pk, sig);
    put_bin(pk, body);
    bytes plain = to_bytes(sb);
    bytes sealed(plain.size() + crypto_box_SEALBYTES);
    if (crypto_box_seal(sealed.data(), plain.data(), plain.size(), server_box_pk.data()) != 0)
        throw std::runtime_error("crypto_box_seal failed");
    return sealed;
}

result<opened> open_device(std::span<const std::uint8_t> payload,
                           std::span<const std::uint8_t> box_pk,
                           std::span<const std::uint8_t> box_sk) {
    if (payload.size() < crypto_box_SEALBYTES)
        return bad("FILE", "el paquete está vacío", "the bundle is empty");
    bytes plain(payload.size() - crypto_box_SEALBYTES);
    if (crypto_box_seal_open(plain.data(), payload.data(), payload.size(), box_pk.data(),
                             box_sk.data()) != 0) {
        return bad("FILE",
                   "el paquete no está cifrado para este servidor (o fue alterado): no se puede abrir",
                   "the bundle is not encrypted to this server (or was altered): it cannot be opened");
    }
    return read_array(plain, "sobre", [](const fields& f) {
        return opened{f.as<std::string>(0), f.bin(1), f.bin(2)};
    });
}

result<device_body> verify_device(const opened& o, std::span<const std::uint8_t> sign_pk) {
    if (o.signature.size() != crypto_sign_BYTES || sign_pk.size() != crypto_sign_PUBLICKEYBYTES ||
        crypto_sign_verify_detached(o.signature.data(), o.signed_body.data(), o.signed_body.size(),
                                    sign_pk.data()) != 0) {
        return make_error(errc::unauthorized, "FILE",
                          "la firma del paquete no corresponde a la clave registrada del dispositivo " + o.device_id,
                          "the bundle's signature does not match the registered key of device " + o.device_id);
    }
    auto plain = decompress(o.signed_body);
    if (!plain) return std::move(plain).err();
    auto body = read_array(*plain, "cuerpo", [](const fields& f) {
        return device_body{f.as<std::string>(0), f.as<std::uint64_t>(1), f.as<std::string>(2),
                           f.as<std::int64_t>(3), f.bin(4), f.bins(5)};
    });
    if (body && body->device_id != o.device_id) {
        return make_error(errc::forbidden, "FILE", "el paquete dice venir de otro dispositivo",
                          "the bundle claims to come from another device");
    }
    return body;
}

bytes box_answer(const answer_body& b, std::span<const std::uint8_t> device_box_pk,
                 std::span<const std::uint8_t> server_box_sk) {
    bytes plain = compress(pack_answer(b));
    bytes out(crypto_box_NONCEBYTES + crypto_box_MACBYTES + plain.size());
    randombytes_buf(out.data(), crypto_box_NONCEBYTES);
    if (crypto_box_easy(out.data() + crypto_box_NONCEBYTES, plain.data(), plain.size(), out.data(),
                        device_box_pk.data(), server_box_sk.data()) != 0)
        throw std::runtime_error("crypto_box_easy failed");  // only for a malformed key: a bug
    return out;
}

result<answer_body> open_answer(std::span<const std::uint8_t> payload,
                                std::span<const std::uint8_t> server_box_pk,
                                std::span<const std::uint8_t> device_box_sk) {
    if (payload.size() < crypto_box_NONCEBYTES + crypto_box_MACBYTES)
        return bad("FILE", "la respuesta está vacía", "the answer is empty");
    bytes plain(payload.size() - crypto_box_NONCEBYTES - crypto_box_MACBYTES);
    if (crypto_box_open_easy(plain.data(), payload.data() + crypto_box_NONCEBYTES,
                             payload.size() - crypto_box_NONCEBYTES, payload.data(),
                             server_box_pk.data(), device_box_sk.data()) != 0) {
        return make_error(errc::unauthorized, "FILE",
                          "la respuesta no viene del servidor de este dispositivo o no es para él",
                          "the answer does not come from this device's server or is not for it");
    }
    auto body = decompress(plain);
    if (!body) return std::move(body).err();
    return read_array(*body, "respuesta", [](const fields& f) {
        return answer_body{f.as<std::string>(0), f.as<std::uint64_t>(1), f.as<std::string>(2),
                           f.bin(3), f.bins(4), f.bin(5)};
    });
}

}  // namespace minga::bundle_file
