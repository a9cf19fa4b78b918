#pragma once
/// Error codes that cross the wire and the process boundary.
///
/// Persisted and sent as numbers: never change a number, never reuse one. Append new codes
/// at the end with a fresh number. `is_transient()` drives retries on the client.

#include <cstdint>
#include <string_view>

namespace minga {

enum class errc : std::uint16_t {
    ok = 0,
    bad_input = 1,            ///< a field of a request or command is invalid (names the field)
    not_found = 2,            ///< the row, device or file asked for does not exist
    conflict = 3,             ///< the operation clashes with existing state
    unauthorized = 4,         ///< no credential, a wrong one, or a revoked one
    forbidden = 5,            ///< authenticated, but outside the device's scope
    busy = 6,                 ///< the server is overloaded; try again later
    unavailable = 7,          ///< no network or the peer is down; try again later
    bad_frame = 8,            ///< bytes that do not decode as a frame of this protocol
    too_large = 9,            ///< a body, batch, string or nesting level exceeds its limit
    unsupported_version = 10, ///< no protocol version in common
    internal = 11,            ///< a bug or a broken environment on the answering side
    timeout = 12,             ///< the request took longer than its bound
    expired = 13,             ///< a token or enrolment that has expired
};

/// True when retrying the same request later may succeed (network, load, time-outs).
[[nodiscard]] constexpr bool is_transient(errc e) noexcept {
    return e == errc::busy || e == errc::unavailable || e == errc::timeout;
}

/// Stable lowercase name, for JSON output and logs (never localised).
[[nodiscard]] std::string_view to_string(errc e) noexcept;

/// True when `n` is a number some version of the protocol has assigned.
[[nodiscard]] constexpr bool is_known_errc(std::uint64_t n) noexcept { return n <= 13; }

}  // namespace minga
