#pragma once
// The server's TLS material: where the certificate and key live, a self-signed pair for a small
// deployment (`minga-server init`, `minga-server cert create`), the certificate's fingerprint
// (what devices pin) and the OpenSSL context `serve` uses. Files only; no network here.
#include <minga/protocol/result.hpp>

#include <boost/asio/ssl/context.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace minga::server {

struct tls_paths {
    std::filesystem::path cert;  ///< PEM certificate (chain), readable by anyone
    std::filesystem::path key;   ///< PEM private key, mode 0600

    /// `<data>/server.crt` and `<data>/server.key`.
    [[nodiscard]] static tls_paths in(const std::filesystem::path& data_dir);
};

/// Creates a self-signed certificate (EC P-256, SHA-256, valid `tls_cert_days`) for
/// `localhost`, 127.0.0.1, ::1, this machine's host name and `extra_hosts` (names or IP
/// addresses), writing the key with mode 0600. Refuses (`conflict`) to overwrite either file.
/// Returns the fingerprint.
[[nodiscard]] result<std::string> create_self_signed(const tls_paths& p,
                                                     const std::vector<std::string>& extra_hosts);

/// The fingerprint (`sha256:hex`) of the first certificate in a PEM file.
[[nodiscard]] result<std::string> fingerprint_of(const std::filesystem::path& cert);

/// A TLS 1.2+ server context with the certificate chain and key of `p` (checked to match).
[[nodiscard]] result<std::unique_ptr<boost::asio::ssl::context>> load_tls_context(
    const tls_paths& p);

}  // namespace minga::server
