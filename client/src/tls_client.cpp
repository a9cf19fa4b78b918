#include "tls_client.hpp"

#include <minga/shared/cert_pin.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_mode.hpp>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace minga::client {

namespace ssl = boost::asio::ssl;

namespace {

bool is_ip(const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    return !ec;
}

}  // namespace

result<std::unique_ptr<ssl::context>> make_tls_context(const tls_trust& t) {
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression);
    boost::system::error_code ec;
    if (!t.pin.empty()) {
        ctx->set_verify_mode(ssl::verify_none, ec);  // the pin decides, after the handshake
        return ctx;
    }
    if (!t.ca_pem.empty()) {
        ctx->add_certificate_authority(boost::asio::buffer(t.ca_pem), ec);
        if (ec)
            return make_error(errc::bad_input, "--ca",
                              "el archivo de la autoridad certificadora no contiene certificados PEM válidos",
                              "the CA file does not hold valid PEM certificates");
    } else {
        ctx->set_default_verify_paths(ec);
    }
    ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
    return ctx;
}

status prepare_tls_stream(tls_stream& s, const tls_trust& t, const std::string& host) {
    if (!is_ip(host) && SSL_set_tlsext_host_name(s.native_handle(), host.c_str()) != 1) {
        ERR_clear_error();
        return make_error(errc::bad_input, "--server", "nombre de servidor no válido para TLS",
                          "invalid server name for TLS");
    }
    if (t.pin.empty()) s.set_verify_callback(ssl::host_name_verification(host));
    return {};
}

status check_pin(tls_stream& s, const tls_trust& t, const std::string& authority) {
    if (t.pin.empty()) return {};
    X509* cert = SSL_get1_peer_certificate(s.native_handle());
    std::string got = "-";
    if (cert) {
        unsigned char* der = nullptr;
        const int n = i2d_X509(cert, &der);
        if (n > 0) got = cert_fingerprint(std::span<const std::uint8_t>(der, static_cast<std::size_t>(n)));
        OPENSSL_free(der);
        X509_free(cert);
    }
    if (got == t.pin) return {};
    return make_error(errc::bad_input, "--pin",
                      fmt::format("el certificado de {} no es el esperado (huella {}, se esperaba {}): "
                                  "puede ser otro servidor o una interceptación; no se envió nada",
                                  authority, got, t.pin),
                      fmt::format("the certificate of {} is not the expected one (fingerprint {}, "
                                  "expected {}): it may be another server or an interception; "
                                  "nothing was sent",
                                  authority, got, t.pin));
}

error handshake_error(const boost::system::error_code& ec, const tls_trust& t,
                      const std::string& authority) {
    if (ec.category() == boost::asio::error::get_ssl_category() &&
        ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED) {
        return make_error(errc::bad_input, t.ca_pem.empty() ? "--server" : "--ca",
                          fmt::format("el certificado de {} no es de confianza o no corresponde a ese "
                                      "nombre; indique --ca ARCHIVO o --pin sha256:HUELLA al inscribir",
                                      authority),
                          fmt::format("the certificate of {} is not trusted or does not match that "
                                      "name; give --ca FILE or --pin sha256:FINGERPRINT when enrolling",
                                      authority));
    }
    return make_error(errc::unavailable, "--server",
                      fmt::format("falló el saludo TLS con {}: {}", authority, ec.message()),
                      fmt::format("the TLS handshake with {} failed: {}", authority, ec.message()));
}

}  // namespace minga::client
