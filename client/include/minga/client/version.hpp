#pragma once
/// The version of the client program, as printed by `--version`.
#include <string_view>

namespace minga::client {
[[nodiscard]] std::string_view version() noexcept;
}  // namespace minga::client
