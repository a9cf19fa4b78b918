#pragma once
// Private helpers shared by the validators: the error shape and how a value is echoed.

#include <minga/protocol/result.hpp>

#include <string>
#include <string_view>

namespace minga::validate::detail {

/// Longest part of a value echoed back in a message: enough to recognise it, short enough that
/// a pasted paragraph does not flood the screen.
inline constexpr std::size_t max_echo_bytes = 40;

/// `text` cut to `max_echo_bytes` (never inside a UTF-8 sequence), with "…" when cut.
[[nodiscard]] std::string shown(std::string_view text);

/// An `errc::bad_input` error about `field`.
[[nodiscard]] error bad(std::string_view field, std::string es, std::string en);

/// True when `text` is non-empty and only ASCII digits.
[[nodiscard]] bool all_digits(std::string_view text) noexcept;

}  // namespace minga::validate::detail
