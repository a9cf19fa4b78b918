#pragma once
/// Row identifiers: client-generated UUIDs, so offline creation never collides.
///
/// `new_uuid_v7()` is time-ordered (RFC 9562 version 7: 48-bit Unix ms + 74 random bits from
/// libsodium's CSPRNG). `derived_id()` gives the same id for the same natural key on every
/// device (version 8, from a keyed BLAKE2b hash), for link rows such as "project P has SDG 6"
/// so two devices adding the same link offline produce one row, not two.
/// Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace minga {

[[nodiscard]] std::string new_uuid_v7();
[[nodiscard]] std::string new_uuid_v7(std::int64_t unix_ms);
[[nodiscard]] std::string derived_id(std::string_view parent_id, std::string_view kind,
                                     std::string_view key);
/// Random bytes as lowercase hex (2 * n characters), for tokens and secrets.
[[nodiscard]] std::string random_hex(std::size_t n);
/// True when `a` and `b` are the same secret, compared in constant time (libsodium); false
/// when their lengths differ.
[[nodiscard]] bool same_secret(std::string_view a, std::string_view b) noexcept;
/// True for a canonical lowercase UUID text (8-4-4-4-12 hex).
[[nodiscard]] bool is_uuid(std::string_view s) noexcept;

}  // namespace minga
