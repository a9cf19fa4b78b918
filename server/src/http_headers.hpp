#pragma once
// Small, pure readers of request header values (no allocation beyond the returned strings).
#include <string>
#include <string_view>

namespace minga::server {

/// True for `application/msgpack` (or the older `application/x-msgpack`), parameters ignored.
[[nodiscard]] bool is_msgpack_type(std::string_view content_type) noexcept;
/// True when an `Accept-Encoding` value lists zstd with a non-zero q.
[[nodiscard]] bool accepts_zstd(std::string_view accept_encoding) noexcept;
/// The credential of `Authorization: Bearer <credential>`; empty for any other value.
[[nodiscard]] std::string bearer_of(std::string_view authorization);
/// The path of a request target, without query or fragment.
[[nodiscard]] std::string_view path_of(std::string_view target) noexcept;
/// Case-insensitive ASCII equality.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;
/// `s` without leading and trailing spaces and tabs.
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

}  // namespace minga::server
