#pragma once
/// Every bound the protocol module enforces, in one place, each with what it bounds.
///
/// The constants are the defaults of `limits`, which `decode()` and `validate()` take so that
/// tests (and a server under memory pressure) can lower them. A peer must not rely on limits
/// higher than these: raising one is a protocol change (document it in docs/protocol.md).

#include <cstddef>
#include <cstdint>

namespace minga::protocol {

namespace tuning {

/// Bytes of one encoded frame (the HTTP body after decompression). Bounds the memory one
/// request can make the server allocate: about 25 times this, worst case, while unpacking.
inline constexpr std::size_t max_body_bytes = 8 * 1024 * 1024;

/// Changes in one push. A 2G link drops at most one batch, so batches stay small.
inline constexpr std::size_t max_changes_per_push = 5000;

/// Rows in one pull page, summed over all its table blocks.
inline constexpr std::size_t max_rows_per_page = 5000;

/// Table blocks in one pull page (one per table that has rows in the page).
inline constexpr std::size_t max_blocks_per_page = 64;

/// Bytes of one string value or free-text field (notes, comments, messages).
inline constexpr std::size_t max_string_bytes = 64 * 1024;

/// Bytes of one bin value. Photos and documents travel apart, by hash, not in the change log.
inline constexpr std::size_t max_blob_bytes = 1024 * 1024;

/// Fields in one change, and columns (so values) in one pulled row.
inline constexpr std::size_t max_fields = 64;

/// Bytes of a table or column name.
inline constexpr std::size_t max_identifier_bytes = 64;

/// Bytes of a row id, device id, GAD code or server id (UUIDs are 36).
inline constexpr std::size_t max_id_bytes = 64;

/// Bytes of an enrolment token or a device credential.
inline constexpr std::size_t max_token_bytes = 256;

/// Bytes of a public key (v3: Ed25519 signing and X25519 box keys are both 32), or 0 for none.
inline constexpr std::size_t public_key_bytes = 32;

/// Bytes of a bundle file carried in one frame (v3 bundle_carry / bundle_answer). Below
/// max_body_bytes with room for the envelope; a larger bundle is imported at the central office
/// (`minga-server bundle import`) or exported in parts (`minga bundle export --max-changes`).
inline constexpr std::size_t max_carried_bundle_bytes = 7 * 1024 * 1024;

/// Bytes of a short label: device name, app version, the field named by an error.
inline constexpr std::size_t max_label_bytes = 256;

/// GADs in one device's scope (a mancomunidad groups a few; Ecuador has about 1,100 GADs).
inline constexpr std::size_t max_gads_per_device = 2048;

/// Elements of one message body or struct array (change, table block), counting the fields a
/// newer version may append. Only a floor for the unpacker's array bound.
inline constexpr std::size_t max_message_fields = 32;

/// The latest device clock a v3 `push.device_time_ms` may state (9999-12-31, Unix ms); the
/// earliest is 0. Keeps the server's offset arithmetic far from int64 overflow.
inline constexpr std::int64_t max_device_time_ms = 253'402'300'799'999;

/// Nested msgpack containers in one frame. A pull page needs exactly six:
/// frame > body > blocks > block > rows > row.
inline constexpr std::size_t max_depth = 6;

}  // namespace tuning

/// The bounds one decode or validate enforces. Defaults are the `tuning` constants.
struct limits {
    std::size_t max_body_bytes = tuning::max_body_bytes;
    std::size_t max_changes_per_push = tuning::max_changes_per_push;
    std::size_t max_rows_per_page = tuning::max_rows_per_page;
    std::size_t max_blocks_per_page = tuning::max_blocks_per_page;
    std::size_t max_string_bytes = tuning::max_string_bytes;
    std::size_t max_blob_bytes = tuning::max_blob_bytes;
    std::size_t max_fields = tuning::max_fields;
    std::size_t max_identifier_bytes = tuning::max_identifier_bytes;
    std::size_t max_id_bytes = tuning::max_id_bytes;
    std::size_t max_token_bytes = tuning::max_token_bytes;
    std::size_t max_label_bytes = tuning::max_label_bytes;
    std::size_t max_carried_bundle_bytes = tuning::max_carried_bundle_bytes;
    std::size_t max_gads_per_device = tuning::max_gads_per_device;
    std::size_t max_message_fields = tuning::max_message_fields;
    std::size_t max_depth = tuning::max_depth;
};

}  // namespace minga::protocol
