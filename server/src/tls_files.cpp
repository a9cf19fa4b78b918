// Self-signed certificates and the server's TLS context, with OpenSSL's own APIs (no crypto of
// our own). Every OpenSSL object is held by a unique_ptr with its free function.
#include <minga/server/tls_files.hpp>

#include <minga/server/tuning.hpp>
#include <minga/shared/cert_pin.hpp>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/ip/address.hpp>

#include <cstdio>
#include <system_error>

namespace minga::server {

namespace fs = std::filesystem;

namespace {

template <class T, void (*F)(T*)>
struct deleter {
    void operator()(T* p) const noexcept { F(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, deleter<EVP_PKEY, EVP_PKEY_free>>;
using x509_ptr = std::unique_ptr<X509, deleter<X509, X509_free>>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using bio_ptr = std::unique_ptr<BIO, deleter<BIO, BIO_free_all>>;

struct file_closer {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using file_ptr = std::unique_ptr<std::FILE, file_closer>;

std::string ssl_reason() {
    const unsigned long e = ERR_get_error();
    ERR_clear_error();
    if (e == 0) return "OpenSSL";
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

error tls_error(const fs::path& file, const std::string& es, const std::string& en) {
    const std::string why = ssl_reason();
    return make_error(errc::bad_input, file.string(), es + ": " + file.string() + " (" + why + ")",
                      en + ": " + file.string() + " (" + why + ")");
}

std::string host_name() {
    char buf[256] = {};
    if (gethostname(buf, sizeof buf - 1) != 0) return {};
    return buf;
}

/// subjectAltName text: DNS:name or IP:address for each host.
std::string alt_names(const std::vector<std::string>& hosts) {
    std::string out;
    for (const auto& h : hosts) {
        boost::system::error_code ec;
        boost::asio::ip::make_address(h, ec);
        out += (out.empty() ? "" : ",") + std::string(ec ? "DNS:" : "IP:") + h;
    }
    return out;
}

/// Opens `p` for writing only if it does not exist, with `mode`.
file_ptr create_exclusive(const fs::path& p, mode_t mode) {
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return nullptr;
    ::fchmod(fd, mode);  // the umask must not widen or narrow what we asked for
    return file_ptr(::fdopen(fd, "w"));
}

x509_ptr read_cert(const fs::path& file) {
    file_ptr f(std::fopen(file.c_str(), "r"));
    if (!f) return nullptr;
    return x509_ptr(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
}

std::string fingerprint(X509* cert) {
    unsigned char* der = nullptr;
    const int n = i2d_X509(cert, &der);
    if (n <= 0) return {};
    std::string fp = cert_fingerprint(std::span<const std::uint8_t>(der, static_cast<std::size_t>(n)));
    OPENSSL_free(der);
    return fp;
}

}  // namespace

tls_paths tls_paths::in(const fs::path& data_dir) {
    return {data_dir / "server.crt", data_dir / "server.key"};
}

result<std::string> create_self_signed(const tls_paths& p, const std::vector<std::string>& extra_hosts) {
    std::error_code ec;
    for (const auto& f : {p.cert, p.key}) {
        if (fs::exists(f, ec))
            return make_error(errc::conflict, f.string(),
                              "ya existe " + f.string() + "; no se reemplaza",
                              f.string() + " already exists; it is not replaced");
    }
    pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    x509_ptr cert(X509_new());
    if (!key || !cert) return tls_error(p.key, "no se pudo generar la clave", "could not generate the key");
    X509_set_version(cert.get(), 2);  // v3
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return tls_error(p.cert, "no hay azar para el número de serie", "no randomness for the serial");
    serial[0] &= 0x7f;  // a positive INTEGER
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);  // a client clock a little behind
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 60L * 60 * 24 * tuning::tls_cert_days);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("minga"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("minga-server"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    std::vector<std::string> hosts{"localhost", "127.0.0.1", "::1"};
    if (auto h = host_name(); !h.empty()) hosts.push_back(h);
    hosts.insert(hosts.end(), extra_hosts.begin(), extra_hosts.end());
    X509V3_CTX v3;
    X509V3_set_ctx_nodb(&v3);
    X509V3_set_ctx(&v3, cert.get(), cert.get(), nullptr, nullptr, 0);
    const std::string san = alt_names(hosts);
    for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, san},
                                     std::pair{NID_basic_constraints, std::string("critical,CA:FALSE")},
                                     std::pair{NID_ext_key_usage, std::string("serverAuth")}}) {
        ext_ptr ext(X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str()));
        if (!ext || X509_add_ext(cert.get(), ext.get(), -1) != 1)
            return tls_error(p.cert, "nombre de servidor no válido en el certificado",
                             "invalid server name for the certificate");
    }
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return tls_error(p.cert, "no se pudo firmar el certificado", "could not sign the certificate");

    fs::create_directories(p.key.parent_path(), ec);
    file_ptr kf = create_exclusive(p.key, 0600);
    if (!kf || PEM_write_PrivateKey(kf.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
        std::fflush(kf.get()) != 0)
        return tls_error(p.key, "no se pudo escribir la clave", "could not write the key");
    file_ptr cf = create_exclusive(p.cert, 0644);
    if (!cf || PEM_write_X509(cf.get(), cert.get()) != 1 || std::fflush(cf.get()) != 0)
        return tls_error(p.cert, "no se pudo escribir el certificado", "could not write the certificate");
    return fingerprint(cert.get());
}

result<std::string> fingerprint_of(const fs::path& file) {
    x509_ptr cert = read_cert(file);
    if (!cert) return tls_error(file, "no se pudo leer el certificado", "could not read the certificate");
    return fingerprint(cert.get());
}

result<std::unique_ptr<boost::asio::ssl::context>> load_tls_context(const tls_paths& p) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_compression |
                     ssl::context::single_dh_use);
    if (SSL_CTX_use_certificate_chain_file(native, p.cert.c_str()) != 1)
        return tls_error(p.cert, "no se pudo cargar el certificado", "could not load the certificate");
    if (SSL_CTX_use_PrivateKey_file(native, p.key.c_str(), SSL_FILETYPE_PEM) != 1)
        return tls_error(p.key, "no se pudo cargar la clave", "could not load the key");
    if (SSL_CTX_check_private_key(native) != 1)
        return tls_error(p.key, "la clave no corresponde al certificado",
                         "the key does not match the certificate");
    return ctx;
}

}  // namespace minga::server
