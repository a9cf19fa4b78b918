#pragma once
// TLS for the client transport: the OpenSSL context for a `tls_trust`, the per-connection set-up
// (SNI, host name check) and the pin check after the handshake. Certificates are checked by
// OpenSSL; the pin compares the SHA-256 of the server's certificate (shared/cert_pin.hpp).
#include <minga/client/http_transport.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <string>

namespace minga::client {

using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

/// TLS 1.2+ client context: peer verification against the CA file or the system's CAs, or
/// none at the chain level when pinned (the pin is checked after the handshake instead).
/// `bad_input` naming "--ca" when the CA data is not PEM certificates.
[[nodiscard]] result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const tls_trust& t);

/// Before the handshake of a new stream: SNI for host names, and the host name check unless
/// pinned.
[[nodiscard]] status prepare_tls_stream(tls_stream& s, const tls_trust& t, const std::string& host);

/// After the handshake: with a pin, the server's certificate must have that fingerprint.
/// `bad_input` naming "--pin" otherwise, with both fingerprints in the message.
[[nodiscard]] status check_pin(tls_stream& s, const tls_trust& t, const std::string& authority);

/// A failed handshake, in words: an untrusted certificate names "--ca" (or "--pin"), anything
/// else is the network's (`unavailable`).
[[nodiscard]] error handshake_error(const boost::system::error_code& ec, const tls_trust& t,
                                    const std::string& authority);

}  // namespace minga::client
