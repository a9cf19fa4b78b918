#include "secure_link.hpp"

#include <minga/shared/cert_pin.hpp>

#include <fstream>
#include <sstream>

namespace minga::client {

namespace {

// Replica meta keys (never rename: replicas in the field hold them).
constexpr std::string_view pin_key = "tls_pin";
constexpr std::string_view ca_key = "tls_ca_pem";

/// CA files hold a few certificates; anything much larger is not one.
constexpr std::size_t max_ca_file_bytes = 1024 * 1024;

}  // namespace

result<tls_trust> trust_from_options(std::string_view url, const std::string& pin,
                                     const std::string& ca_file) {
    auto u = parse_server_url(url);
    if (!u) return std::move(u).err();
    tls_trust t;
    if (pin.empty() && ca_file.empty()) return t;
    const char* opt = pin.empty() ? "--ca" : "--pin";
    if (!u->tls)
        return make_error(errc::bad_input, opt,
                          std::string(opt) + " solo se usa con una dirección https://",
                          std::string(opt) + " only goes with an https:// address");
    if (!pin.empty() && !ca_file.empty())
        return make_error(errc::bad_input, "--pin", "use --pin o --ca, no ambos",
                          "use --pin or --ca, not both");
    if (!pin.empty()) {
        auto p = parse_pin(pin);
        if (!p) return std::move(p).err();
        t.pin = std::move(*p);
        return t;
    }
    std::ifstream in(ca_file, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    t.ca_pem = text.str();
    if (!in || t.ca_pem.empty() || t.ca_pem.size() > max_ca_file_bytes ||
        t.ca_pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
        return make_error(errc::bad_input, "--ca",
                          "no se pudo leer certificados PEM de " + ca_file,
                          "could not read PEM certificates from " + ca_file);
    return t;
}

void save_trust(replica& r, const tls_trust& t) {
    sql::transaction tx(r.conn());
    r.set_meta(tx, pin_key, t.pin);
    r.set_meta(tx, ca_key, t.ca_pem);
    r.commit(tx);
}

result<http_transport> open_link(std::string_view url, const tls_trust& t, printer& p,
                                 transport_options o) {
    o.trust = t;
    auto tr = http_transport::create(url, o);
    if (tr && !tr->url().tls)
        p.err() << p.pick("aviso: la conexión con el servidor NO está cifrada (http://); la "
                          "credencial y los datos viajan legibles. Use https:// salvo dentro de "
                          "una VPN o un túnel.\n",
                          "warning: the connection to the server is NOT encrypted (http://); the "
                          "credential and the data travel in the clear. Use https:// except over "
                          "a VPN or a tunnel.\n");
    return tr;
}

result<http_transport> open_link(replica& r, std::string_view url, printer& p,
                                 const transport_options& o) {
    tls_trust t;
    t.pin = r.meta(pin_key).value_or("");
    t.ca_pem = r.meta(ca_key).value_or("");
    return open_link(url, t, p, o);
}

}  // namespace minga::client
