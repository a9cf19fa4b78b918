#pragma once
/// Protocol versions and their negotiation.
///
/// A server serves its current version and the two before it. A hello travels in the envelope
/// of the client's minimum version, so any server that shares a version with the client can
/// read it; every later frame uses the version the server chose in hello_ack.

#include <minga/protocol/result.hpp>

#include <cstdint>

namespace minga::protocol {

/// The version this build speaks natively. Never reuse a number.
/// v1: the first release. v2: snapshots behind the tombstone horizon (`pull.snapshot`,
/// `pull_page.snapshot`, `pull_page.horizon`; docs/protocol.md, "Changes in v2"). v3: the
/// device's raw clock on `push` (`push.device_time_ms`; docs/protocol.md §14) and the bundle
/// keys in hello, hello_ack, enroll, enroll_ack (docs/protocol.md §15).
inline constexpr std::uint32_t current_version = 3;

/// The first version whose `pull` and `pull_page` carry the snapshot fields.
inline constexpr std::uint32_t snapshot_version = 2;

/// The first version whose `push` carries `device_time_ms`.
inline constexpr std::uint32_t device_clock_version = 3;

/// The first version whose hello, hello_ack, enroll and enroll_ack carry bundle keys.
inline constexpr std::uint32_t keys_version = 3;

/// The oldest version this build still decodes and serves: current and the two previous ones.
inline constexpr std::uint32_t min_supported_version =
    current_version > 2 ? current_version - 2 : 1;

/// True when this build decodes and serves `v`.
[[nodiscard]] constexpr bool is_supported_version(std::uint64_t v) noexcept {
    return v >= min_supported_version && v <= current_version;
}

/// The version a server answers a hello with: the highest one in both ranges. Fails with
/// `unsupported_version` when the ranges do not meet, `bad_input` when `client_min >
/// client_max`. Pure; the server calls it for each hello.
[[nodiscard]] result<std::uint32_t> negotiate(std::uint32_t client_min, std::uint32_t client_max);

}  // namespace minga::protocol
