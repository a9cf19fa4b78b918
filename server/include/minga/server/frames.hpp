#pragma once
/// What the HTTP layer needs to know about protocol frames without parsing requests itself:
/// building an error frame, finding the error code of a response frame, and the HTTP status
/// that goes with it. The body of every `/v1/sync` answer is a frame, whatever its status.

#include <minga/protocol/result.hpp>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace minga::server {

/// The encoded error frame for `e`, its message in `lang` ("es" or "en"). The request id is 0:
/// the server did not (or could not) read the request's own id.
[[nodiscard]] std::vector<std::uint8_t> error_frame(const error& e, std::string_view lang);

/// `errc::ok` unless `response` is an error frame, then its code. Reads only the envelope
/// unless the frame is an error; bytes that are not a frame at all give `errc::internal`.
[[nodiscard]] errc response_code(std::span<const std::uint8_t> response) noexcept;

/// 200 ok; 400 bad_input, bad_frame, unsupported_version; 401 unauthorized, expired;
/// 403 forbidden; 404 not_found; 409 conflict; 413 too_large; 503 busy, unavailable;
/// 504 timeout; 500 otherwise.
[[nodiscard]] unsigned http_status_for(errc code) noexcept;

}  // namespace minga::server
