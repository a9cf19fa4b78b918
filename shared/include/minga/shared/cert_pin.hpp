#pragma once
/// Certificate pins: the SHA-256 fingerprint of a server certificate (its DER encoding), written
/// `sha256:<64 lowercase hex>`. `minga-server init` and `minga-server cert show` print it; a
/// device given it at enrolment (`minga enroll --pin`) accepts only that certificate.
///
/// Pure functions, no I/O; the TLS code in server/ and client/ hands in the DER bytes.

#include <minga/protocol/result.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace minga {

/// `sha256:<hex>` of a certificate's DER bytes.
[[nodiscard]] std::string cert_fingerprint(std::span<const std::uint8_t> der);

/// A pin as typed: `sha256:` then 64 hex digits, upper or lower case, optionally separated by
/// colons (as `openssl x509 -fingerprint -sha256` prints them). Returns the canonical form;
/// `bad_input` naming `--pin` otherwise.
[[nodiscard]] result<std::string> parse_pin(std::string_view text);

}  // namespace minga
