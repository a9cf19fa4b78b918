#pragma once
// The bundle file format (docs/bundles.md, "File format"), private to shared/src: the clear
// container (magic, kind, length, BLAKE2b checksum), the crypto (libsodium only) and the
// msgpack bodies. Shared by bundle_device.cpp (device side) and central_bundle.cpp (server).
#include <minga/protocol/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace minga::bundle_file {

using bytes = std::vector<std::uint8_t>;

/// What a bundle file holds. Stored in the header: never change, never reuse.
enum class kind : std::uint8_t { device = 1, answer = 2 };

/// What a device bundle says, signed by the device.
struct device_body {
    std::string device_id;
    std::uint64_t number = 0;
    std::string prev_hash;  ///< hex hash of the device's previous bundle; "" for number 1
    std::int64_t created_ms = 0;
    bytes pull;                 ///< an encoded `pull` frame: the device's pull position
    std::vector<bytes> pushes;  ///< encoded `push` frames, seq increasing
};

/// What an answer says, authenticated by the server.
struct answer_body {
    std::string device_id;
    std::uint64_t answers = 0;  ///< the device bundle's number
    std::string bundle_hash;    ///< and its hash
    bytes push_ack;             ///< an encoded `push_ack` frame
    std::vector<bytes> pages;   ///< encoded `pull_page` frames, in order
    bytes pull;                 ///< the device's `pull` frame from the bundle: where pages start
};

/// Header + payload + checksum.
[[nodiscard]] bytes wrap(kind k, std::span<const std::uint8_t> payload);
/// The payload, after checking magic, kind, length (truncation) and checksum.
[[nodiscard]] result<bytes> unwrap(kind k, std::span<const std::uint8_t> file);
/// BLAKE2b-256 of the whole file, hex: the bundle's name in the chain.
[[nodiscard]] std::string hash_hex(std::span<const std::uint8_t> file);

// Device bundle: zstd(body) signed with the device's Ed25519 key, sealed to the server.
[[nodiscard]] bytes seal_device(const device_body& b, std::span<const std::uint8_t> sign_sk,
                                std::span<const std::uint8_t> server_box_pk);
/// Opens the seal; gives the sender's claimed device id, the signature and the signed bytes.
struct opened {
    std::string device_id;
    bytes signature;
    bytes signed_body;  ///< zstd-compressed, as signed
};
[[nodiscard]] result<opened> open_device(std::span<const std::uint8_t> payload,
                                         std::span<const std::uint8_t> box_pk,
                                         std::span<const std::uint8_t> box_sk);
/// Verifies the signature with the registered key and decodes the body.
[[nodiscard]] result<device_body> verify_device(const opened& o,
                                                std::span<const std::uint8_t> sign_pk);

// Answer: zstd(body) in crypto_box from the server's box key to the device's.
[[nodiscard]] bytes box_answer(const answer_body& b, std::span<const std::uint8_t> device_box_pk,
                               std::span<const std::uint8_t> server_box_sk);
[[nodiscard]] result<answer_body> open_answer(std::span<const std::uint8_t> payload,
                                              std::span<const std::uint8_t> server_box_pk,
                                              std::span<const std::uint8_t> device_box_sk);

/// hex <-> bytes for keys kept as text.
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> b);
[[nodiscard]] bytes from_hex(const std::string& hex);

}  // namespace minga::bundle_file
