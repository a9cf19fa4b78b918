#pragma once
/// Frames to bytes and back.
///
/// `decode` is the only door for untrusted bytes. It works in three bounded layers:
///   1. size: more than `limits::max_body_bytes` is `too_large`, before any parsing;
///   2. msgpack: one object, unpacked under an explicit `msgpack::unpack_limit` derived from
///      `limits` (array, map, str, bin, ext, depth), with no bytes after it;
///   3. conversion and `validate()`: every wire field type-checked (`bad_frame`, naming the
///      field as in "push.changes[3].hlc"), every integer range-checked before it becomes an
///      enum, then the message's own rules (`bad_input` / `too_large`).
/// It never throws: malformed input, limits and allocation failure all come back as errors.
/// Thread-safe: no shared state.

#include <minga/protocol/messages.hpp>
#include <minga/protocol/result.hpp>
#include <minga/protocol/tuning.hpp>

#include <cstdint>
#include <span>
#include <vector>

namespace minga::protocol {

/// The msgpack bytes of `f`, as decode reads them. Does not validate: call `validate()` on
/// frames built from data you do not control. Throws only `std::bad_alloc`.
[[nodiscard]] std::vector<std::uint8_t> encode(const frame& f);

/// The frame in `bytes`, or why it is refused: `too_large`, `bad_frame`,
/// `unsupported_version`, `bad_input`. `error.field` names the offending field.
[[nodiscard]] result<frame> decode(std::span<const std::uint8_t> bytes,
                                   const limits& lim = limits{});

}  // namespace minga::protocol
