#pragma once
/// The version of the server program, as printed by `--version`.
#include <string_view>

namespace minga::server {
[[nodiscard]] std::string_view version() noexcept;
}  // namespace minga::server
