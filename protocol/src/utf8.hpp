#pragma once
// Private: UTF-8 well-formedness, for every str that reaches SQLite TEXT or a person's screen.

#include <string_view>

namespace minga::protocol::detail {

/// True when `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF). Linear, no allocation.
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace minga::protocol::detail
