#pragma once
/// Offline sync through files (docs/bundles.md): a device exports its unsent changes and its
/// pull position into a bundle, encrypted to the server (crypto_box_seal) and signed by the
/// device (Ed25519); the server (central::import_bundle) applies it exactly like an online push
/// and answers with a bundle encrypted to the device and authenticated by the server
/// (crypto_box), which the device applies exactly like pulled pages.
///
/// Chain: a device numbers its bundles 1, 2, ... and each names the BLAKE2b hash of the
/// previous one. Online syncs are outside the chain (they take no number). Every bundle carries
/// every change still unacknowledged when it was made, so a lost bundle loses no data: the
/// chain tells the server which bundle is missing or was replaced.
///
/// Not thread-safe (one replica per thread). Bad files are refused with an error naming what is
/// wrong, and nothing is written.
#include <minga/protocol/result.hpp>
#include <minga/shared/replica.hpp>
#include <minga/shared/sync_client.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace minga {

namespace bundle_tuning {
/// Bytes of a bundle file (device bundle or answer), as stored on the stick.
inline constexpr std::size_t max_file_bytes = 64 * 1024 * 1024;
/// Bytes of a bundle's content after decompression (bounds the memory an import takes).
inline constexpr std::size_t max_plain_bytes = 512 * 1024 * 1024;
/// Changes in one device bundle; more pending changes go in the next bundle.
inline constexpr std::size_t max_changes = 200'000;
/// Rows in one answer bundle; the rest come with the next answer (or online sync).
inline constexpr std::size_t max_answer_rows = 200'000;
/// Rows in an answer sent back through a carrier (it must fit in one protocol frame,
/// protocol::tuning::max_carried_bundle_bytes).
inline constexpr std::size_t max_carried_answer_rows = 20'000;
/// Changes per push frame inside a bundle (the online push limit).
inline constexpr std::size_t changes_per_frame = 5000;
/// Rows per pull page inside an answer.
inline constexpr std::uint32_t rows_per_page = 5000;
/// zstd level of bundle contents.
inline constexpr int zstd_level = 9;
}  // namespace bundle_tuning

/// This device's public keys, made on first use and kept in the replica (secret keys never
/// leave it).
struct device_public_keys {
    std::vector<std::uint8_t> sign_pk;
    std::vector<std::uint8_t> box_pk;
};
[[nodiscard]] device_public_keys ensure_device_keys(replica& r);

struct bundle_export_report {
    std::uint64_t number = 0;   ///< this bundle's number in the device's chain
    std::uint64_t changes = 0;  ///< changes it carries
    std::uint64_t pending = 0;  ///< changes pending in the outbox (more than `changes` when capped)
    std::uint64_t bytes = 0;
    std::string hash;           ///< BLAKE2b-256 of the file, hex
};

/// Builds the next bundle of this device and records it as the chain's last. Errors: not
/// enrolled, or the server's key unknown (sync online once with a v3 server).
[[nodiscard]] result<std::vector<std::uint8_t>> export_bundle(
    replica& r, bundle_export_report& rep, std::size_t max_changes = bundle_tuning::max_changes);

struct answer_report {
    std::uint64_t answers = 0;        ///< the number of the bundle this answer answers
    std::uint64_t acked_through = 0;  ///< the server's cumulative ack of this device's changes
    std::uint64_t acked = 0;          ///< outbox changes acknowledged now
    std::uint64_t pulled = 0;         ///< rows applied
    std::uint64_t remaining = 0;      ///< rows the server still has for this device
    bool rows_skipped = false;  ///< the device pulled elsewhere since: its rows were not applied
};

/// Applies an answer bundle: its push ack (cumulative, so any answer is safe to apply at any
/// time, any number of times) and, when this device's pull position is still the one the
/// answer starts from, its pull pages exactly like an online pull.
[[nodiscard]] result<answer_report> apply_answer(replica& r, std::span<const std::uint8_t> file);

/// A bundle file's bytes (`too_large` over bundle_tuning::max_file_bytes, `not_found`).
[[nodiscard]] result<std::vector<std::uint8_t>> read_bundle_file(const std::string& path);
/// Writes `bytes` to `path` through `path.part` and a rename (never half a bundle under the
/// final name).
[[nodiscard]] status write_bundle_file(const std::string& path, const std::vector<std::uint8_t>& bytes);

/// What the server said to a carried bundle.
struct carried_bundle {
    std::vector<std::uint8_t> answer;  ///< the answer file, for the originating device
    std::uint64_t number = 0;          ///< the bundle's number in its device's chain
    std::uint32_t applied = 0;         ///< changes applied now
    std::uint32_t rows = 0;            ///< rows in the answer
};

/// Uploads another device's bundle file through this (enrolled) device's link and returns the
/// answer. The carrier's credential opens the door; the server authenticates the bundle by its
/// own device's signature. Errors: not enrolled, a server older than v3, a file over
/// protocol::tuning::max_carried_bundle_bytes, or the server's refusal (naming what is wrong).
[[nodiscard]] result<carried_bundle> carry_bundle(replica& carrier, const transport_fn& t,
                                                  std::span<const std::uint8_t> file);

}  // namespace minga
