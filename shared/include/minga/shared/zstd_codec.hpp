#pragma once
// zstd for HTTP bodies: compress a response when it helps, decompress a request under a bound.
#include <minga/protocol/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace minga::zstd {

/// The compressed bytes, or nothing when they would not be smaller than `in` (or zstd failed).
[[nodiscard]] std::optional<std::vector<std::uint8_t>> compress_if_smaller(
    std::span<const std::uint8_t> in, int level);

/// The decompressed bytes. `too_large` as soon as the output would exceed `max_out`;
/// `bad_input` (field "Content-Encoding") for bytes that are not complete zstd frames.
[[nodiscard]] result<std::vector<std::uint8_t>> decompress(std::span<const std::uint8_t> in,
                                                           std::size_t max_out);

}  // namespace minga::zstd
