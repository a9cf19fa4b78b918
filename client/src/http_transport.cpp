#include <minga/client/http_transport.hpp>

#include "tls_client.hpp"

#include <minga/client/version.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>
#include <minga/shared/zstd_codec.hpp>

#include <boost/asio/ssl/stream_base.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace minga::client {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

using bytes = std::vector<std::uint8_t>;

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string_view sv(beast::string_view s) noexcept { return {s.data(), s.size()}; }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

/// What a network error means to a person, in Spanish and English.
std::pair<std::string, std::string> describe(const beast::error_code& ec) {
    if (ec == net::error::connection_refused) return {"conexión rechazada", "connection refused"};
    if (ec == net::error::host_not_found || ec == net::error::host_not_found_try_again)
        return {"no se encontró ese nombre de servidor", "host name not found"};
    if (ec == net::error::network_unreachable) return {"red inalcanzable", "network unreachable"};
    if (ec == net::error::host_unreachable) return {"no hay ruta al servidor", "no route to host"};
    if (ec == net::error::connection_reset || ec == net::error::broken_pipe)
        return {"el servidor cortó la conexión", "the server reset the connection"};
    if (ec == net::error::eof || ec == http::error::end_of_stream || ec == http::error::partial_message)
        return {"el servidor cerró la conexión antes de responder",
                "the server closed the connection before answering"};
    return {ec.message(), ec.message()};
}

}  // namespace

std::string server_url::authority() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string server_url::text() const { return (tls ? "https://" : "http://") + authority() + prefix; }

result<server_url> parse_server_url(std::string_view text) {
    auto bad = [&](std::string_view es, std::string_view en) {
        return make_error(errc::bad_input, "--server",
                          fmt::format("{} (\"{}\"; p. ej. https://servidor.gad.gob.ec:8443)", es, text),
                          fmt::format("{} (\"{}\"; e.g. https://server.gad.gob.ec:8443)", en, text));
    };
    std::string_view rest = trim(text);
    server_url u;
    const auto scheme_end = rest.find("://");
    if (scheme_end != std::string_view::npos) {
        const auto scheme = rest.substr(0, scheme_end);
        u.tls = iequals(scheme, "https");
        if (!u.tls && !iequals(scheme, "http"))
            return bad("use una dirección https:// (o http://)", "use an https:// (or http://) address");
        rest.remove_prefix(scheme_end + 3);
    }
    if (u.tls) u.port = 443;
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
    if (authority.find('@') != std::string_view::npos)
        return bad("la dirección no puede llevar usuario ni clave", "the address cannot carry a user or password");
    if (path.find_first_of("?#") != std::string_view::npos)
        return bad("la dirección no puede llevar consulta (?…)", "the address cannot carry a query (?…)");
    std::string_view port;
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return bad("falta el corchete de cierre", "missing closing bracket");
        u.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return bad("puerto mal escrito", "malformed port");
            port = authority.substr(close + 2);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return bad("falta el nombre o la dirección del servidor", "the server's name or address is missing");
    if (!port.empty()) {
        unsigned v = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
        if (ec != std::errc{} || end != port.data() + port.size() || v == 0 || v > 65535)
            return bad("el puerto debe ser un número entre 1 y 65535", "the port must be a number between 1 and 65535");
        u.port = static_cast<std::uint16_t>(v);
    }
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    u.prefix = std::string(path);
    return u;
}

struct http_transport::impl {
    impl(server_url u, const transport_options& o) : url(std::move(u)), opts(o) {}

    server_url url;
    transport_options opts;
    net::io_context ioc;
    tcp::resolver resolver{ioc};
    beast::tcp_stream plain_stream{ioc};         // http://
    std::unique_ptr<net::ssl::context> tls_ctx;  // https://: made once per transport
    std::optional<tls_stream> secure;            // https://: a new one per connection
    beast::flat_buffer buffer;
    bool open = false;
    std::uint64_t answered_on_connection = 0;
    std::uint64_t unanswered = 0;  // requests written on this connection and not yet answered
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    std::uint64_t connects = 0;

    /// Runs the async operation `start` begins to completion on the private io_context.
    template <class Start>
    void run(Start&& start) {
        ioc.restart();
        start();
        ioc.run();
    }

    error network_error(errc code, std::string_view es_what, std::string_view en_what,
                        const beast::error_code& ec) const {
        auto [es, en] = describe(ec);
        return make_error(code, "--server",
                          fmt::format("{} {}: {}", es_what, url.authority(), es),
                          fmt::format("{} {}: {}", en_what, url.authority(), en));
    }

    error timeout_error(std::string_view es_what, std::string_view en_what,
                        std::chrono::milliseconds limit) const {
        const auto s = std::chrono::duration_cast<std::chrono::seconds>(limit).count();
        return make_error(errc::timeout, "--server",
                          fmt::format("{} {} (más de {} s); intente más tarde", es_what, url.authority(), s),
                          fmt::format("{} {} (over {} s); try again later", en_what, url.authority(), s));
    }

    /// The TCP layer of the current connection.
    beast::tcp_stream& stream() { return secure ? beast::get_lowest_layer(*secure) : plain_stream; }
    /// Calls `f` with the stream HTTP goes through (TLS or plain).
    template <class F>
    void with_stream(F&& f) {
        if (secure) f(*secure);
        else f(plain_stream);
    }

    void close() {
        beast::error_code ec;
        stream().socket().shutdown(tcp::socket::shutdown_both, ec);
        stream().close();
        buffer.clear();
        open = false;
        answered_on_connection = 0;
        unanswered = 0;
    }

    status connect();
    /// Writes one request; `stale`: it failed on a kept-alive connection the server may have
    /// closed while idle (safe to send again, once).
    status write_request(std::span<const std::uint8_t> frame, std::string_view bearer, bool& stale);
    /// Reads the answer to the oldest unanswered request; `stale` as above, when nothing of it
    /// arrived.
    result<bytes> read_response(bool& stale);
    result<bytes> read_body(http::response_parser<http::vector_body<std::uint8_t>>& parser);

    /// One request; a kept-alive connection found closed by the server is reopened once.
    result<bytes> post(std::span<const std::uint8_t> frame, std::string_view bearer) {
        for (int attempt = 0;; ++attempt) {
            if (!open)
                if (auto st = connect(); !st) return std::move(st).err();
            bool stale = false;
            auto w = write_request(frame, bearer, stale);
            if (!w) {
                if (!stale || attempt > 0) return std::move(w).err();
                continue;
            }
            auto r = read_response(stale);
            if (r || !stale || attempt > 0) return r;
        }
    }

    /// Pipelined: no second chance here, the caller sends again what it needs.
    status send(std::span<const std::uint8_t> frame, std::string_view bearer) {
        if (!open)
            if (auto st = connect(); !st) return st;
        bool stale = false;
        return write_request(frame, bearer, stale);
    }
    result<bytes> receive() {
        if (unanswered == 0 || !open)
            return make_error(errc::unavailable, "--server", "la conexión se cerró antes de la respuesta",
                              "the connection closed before the answer");
        bool stale = false;
        return read_response(stale);
    }
};

status http_transport::impl::connect() {
    const auto deadline = std::chrono::steady_clock::now() + opts.connect_timeout;
    beast::error_code ec;
    tcp::resolver::results_type found;
    bool timed_out = false;
    // Name lookup has no timeout of its own: a timer cancels it.
    net::steady_timer timer(ioc);
    run([&] {
        timer.expires_at(deadline);
        timer.async_wait([&](beast::error_code tec) {
            if (!tec) {
                timed_out = true;
                resolver.cancel();
            }
        });
        resolver.async_resolve(url.host, std::to_string(url.port),
                               [&](beast::error_code rec, tcp::resolver::results_type r) {
                                   ec = rec;
                                   found = std::move(r);
                                   timer.cancel();
                               });
    });
    if (timed_out) return timeout_error("no se encontró el servidor", "could not find the server", opts.connect_timeout);
    if (ec) return network_error(errc::unavailable, "no se pudo encontrar el servidor", "could not find the server", ec);
    if (url.tls) {
        if (!tls_ctx) {
            auto made = make_tls_context(opts.trust);
            if (!made) return std::move(made).err();
            tls_ctx = std::move(*made);
        }
        secure.emplace(ioc, *tls_ctx);
        if (auto st = prepare_tls_stream(*secure, opts.trust, url.host); !st) return st;
    }
    run([&] {
        stream().expires_at(deadline);
        stream().async_connect(found, [&](beast::error_code cec, const tcp::endpoint&) { ec = cec; });
    });
    if (ec == beast::error::timeout)
        return timeout_error("no se pudo conectar con el servidor", "could not connect to the server", opts.connect_timeout);
    if (ec) return network_error(errc::unavailable, "no se pudo conectar con el servidor", "could not connect to the server", ec);
    beast::error_code nd;
    stream().socket().set_option(tcp::no_delay(true), nd);
    if (secure) {
        run([&] {
            stream().expires_after(transport_tuning::tls_handshake_timeout);
            secure->async_handshake(net::ssl::stream_base::client, [&](beast::error_code hec) { ec = hec; });
        });
        status checked = ec == beast::error::timeout
                             ? status(timeout_error("el servidor no completó el saludo TLS",
                                                    "the server did not complete the TLS handshake",
                                                    transport_tuning::tls_handshake_timeout))
                         : ec ? status(handshake_error(ec, opts.trust, url.authority()))
                              : check_pin(*secure, opts.trust, url.authority());
        if (!checked) {
            close();
            return checked;
        }
    }
    open = true;
    ++connects;
    return {};
}

status http_transport::impl::write_request(std::span<const std::uint8_t> frame,
                                           std::string_view bearer, bool& stale) {
    stale = false;
    http::request<http::vector_body<std::uint8_t>> req{http::verb::post, url.prefix + "/v1/sync", 11};
    req.set(http::field::host, url.authority());
    req.set(http::field::user_agent, "minga/" + std::string(version()));
    req.set(http::field::content_type, "application/msgpack");
    if (opts.compress) req.set(http::field::accept_encoding, "zstd");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + std::string(bearer));
    std::optional<bytes> packed;
    if (opts.compress && frame.size() >= opts.compress_min_bytes)
        packed = zstd::compress_if_smaller(frame, opts.zstd_level);
    if (packed) {
        req.set(http::field::content_encoding, "zstd");
        req.body() = std::move(*packed);
    } else {
        req.body().assign(frame.begin(), frame.end());
    }
    req.keep_alive(true);
    req.prepare_payload();

    const bool reused = answered_on_connection > 0;
    beast::error_code ec;
    std::size_t n = 0;
    run([&] {
        stream().expires_after(opts.write_timeout);
        with_stream([&](auto& s) {
            http::async_write(s, req, [&](beast::error_code wec, std::size_t wn) { ec = wec; n = wn; });
        });
    });
    sent += n;
    if (ec) {
        close();
        // A kept-alive connection the server closed while idle: safe to send again, once.
        stale = reused && ec != beast::error::timeout;
        if (ec == beast::error::timeout)
            return timeout_error("el servidor no recibió la solicitud", "the server did not take the request", opts.write_timeout);
        return network_error(errc::unavailable, "se cortó el envío al servidor", "sending to the server failed", ec);
    }
    ++unanswered;
    return {};
}

result<bytes> http_transport::impl::read_response(bool& stale) {
    stale = false;
    const bool reused = answered_on_connection > 0;
    beast::error_code ec;
    std::size_t n = 0;
    http::response_parser<http::vector_body<std::uint8_t>> parser;
    parser.header_limit(static_cast<std::uint32_t>(transport_tuning::max_header_bytes));
    parser.body_limit(opts.max_response_bytes);
    run([&] {
        stream().expires_after(opts.read_timeout);
        with_stream([&](auto& s) {
            http::async_read(s, buffer, parser, [&](beast::error_code rec, std::size_t rn) { ec = rec; n = rn; });
        });
    });
    received += n;
    if (ec) {
        const bool nothing = !parser.got_some();
        close();
        stale = reused && nothing && ec != beast::error::timeout;
        if (ec == beast::error::timeout)
            return timeout_error("el servidor no respondió a tiempo", "the server did not answer in time", opts.read_timeout);
        if (ec == http::error::body_limit)
            return make_error(errc::too_large, "--server",
                              "la respuesta del servidor supera el límite de tamaño",
                              "the server's answer exceeds the size limit");
        return network_error(errc::unavailable, "se cortó la conexión con el servidor", "the connection to the server broke", ec);
    }
    --unanswered;
    ++answered_on_connection;
    if (!parser.get().keep_alive()) close();
    return read_body(parser);
}

result<bytes> http_transport::impl::read_body(
    http::response_parser<http::vector_body<std::uint8_t>>& parser) {
    auto& res = parser.get();
    const auto status = res.result_int();
    const auto media = trim(sv(res[http::field::content_type]).substr(0, sv(res[http::field::content_type]).find(';')));
    if (!iequals(media, "application/msgpack")) {
        // Not minga's protocol: a wrong URL, a proxy or captive portal, or a server in trouble.
        if (status == 404)
            return make_error(errc::bad_input, "--server",
                              fmt::format("{} no es un servidor minga (HTTP 404); revise la dirección", url.text()),
                              fmt::format("{} is not a minga server (HTTP 404); check the address", url.text()));
        return make_error(errc::unavailable, "--server",
                          fmt::format("el servidor {} respondió HTTP {} sin datos de minga; intente más tarde", url.text(), status),
                          fmt::format("the server {} answered HTTP {} without minga data; try again later", url.text(), status));
    }
    bytes body = std::move(res.body());
    const auto coding = trim(sv(res[http::field::content_encoding]));
    if (iequals(coding, "zstd")) {
        auto plain = zstd::decompress(body, opts.max_response_bytes);
        if (!plain)
            return make_error(errc::bad_frame, "--server",
                              "la respuesta comprimida del servidor es inválida o demasiado grande",
                              "the server's compressed answer is invalid or too large");
        return std::move(*plain);
    }
    if (!coding.empty() && !iequals(coding, "identity"))
        return make_error(errc::bad_frame, "--server", "el servidor usó una compresión desconocida",
                          "the server used an unknown compression");
    return body;
}

result<http_transport> http_transport::create(std::string_view url, const transport_options& opts) {
    auto u = parse_server_url(url);
    if (!u) return std::move(u).err();
    return http_transport(std::make_unique<impl>(std::move(*u), opts));
}

http_transport::http_transport(std::unique_ptr<impl> p) : p_(std::move(p)) {}
http_transport::http_transport(http_transport&&) noexcept = default;
http_transport& http_transport::operator=(http_transport&&) noexcept = default;
http_transport::~http_transport() {
    if (p_ && p_->open) p_->close();
}

result<std::vector<std::uint8_t>> http_transport::post(std::span<const std::uint8_t> frame,
                                                       std::string_view bearer) {
    return p_->post(frame, bearer);
}

status http_transport::send(std::span<const std::uint8_t> frame, std::string_view bearer) {
    return p_->send(frame, bearer);
}

result<std::vector<std::uint8_t>> http_transport::receive() { return p_->receive(); }

std::uint64_t http_transport::bytes_sent() const noexcept { return p_->sent; }
std::uint64_t http_transport::bytes_received() const noexcept { return p_->received; }
std::uint64_t http_transport::connections() const noexcept { return p_->connects; }
const server_url& http_transport::url() const noexcept { return p_->url; }

transport_fn http_transport::as_transport_fn() {
    // The impl, not `this`: it stays put when the transport object is moved.
    return [p = p_.get()](std::span<const std::uint8_t> request, std::string_view bearer) {
        return p->post(request, bearer);
    };
}

pipeline_fns http_transport::as_pipeline() {
    return {[p = p_.get()](std::span<const std::uint8_t> request, std::string_view bearer) {
                return p->send(request, bearer);
            },
            [p = p_.get()] { return p->receive(); }};
}

}  // namespace minga::client
