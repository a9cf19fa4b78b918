#include "http_session.hpp"

#include "dashboard_api.hpp"
#include "http_headers.hpp"
#include <minga/protocol/tuning.hpp>
#include <minga/shared/zstd_codec.hpp>

#include <algorithm>

#include <minga/server/frames.hpp>
#include <minga/server/version.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace minga::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

constexpr std::string_view sync_route = "/v1/sync";
constexpr std::string_view health_route = "/health";
constexpr std::string_view other_route = "(otra)";  // unknown paths are not logged verbatim

bool is_disconnect(beast::error_code ec) {
    // stream_truncated: a TLS client that closed without close_notify, as most do.
    return ec == net::error::operation_aborted || ec == net::error::eof ||
           ec == net::ssl::error::stream_truncated ||
           ec == net::error::connection_reset || ec == net::error::broken_pipe ||
           ec == http::error::end_of_stream;
}

/// Beast 1.74 hands out boost::string_view; the rest of the code speaks std.
std::string_view sv(beast::string_view s) noexcept { return {s.data(), s.size()}; }

std::string server_header() { return "minga-server/" + std::string(version()); }

}  // namespace

namespace {

net::ip::address remote_of(const net::ip::tcp::socket& s) {
    beast::error_code ec;
    auto ep = s.remote_endpoint(ec);
    return ec ? net::ip::address() : ep.address();
}

}  // namespace

http_session::http_session(net::ip::tcp::socket&& socket, std::shared_ptr<server_context> ctx)
    : ctx_(std::move(ctx)), remote_(remote_of(socket)), stream_(std::move(socket), ctx_->tls.get()) {}

http_session::~http_session() {
    if (id_ != 0) ctx_->remove(id_, remote_);
    if (!device_.empty()) ctx_->release_device(device_);
}

void http_session::run() {
    id_ = ctx_->add(weak_from_this(), remote_);
    // Small writes (TLS handshake records, short answers) go out at once, not after the
    // peer's delayed ACK.
    beast::error_code nd;
    stream_.tcp().socket().set_option(net::ip::tcp::no_delay(true), nd);
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(stream_.is_tls() ? &http_session::do_handshake
                                                             : &http_session::do_read,
                                            shared_from_this()));
}

void http_session::do_handshake() {
    stream_.tcp().expires_after(ctx_->cfg.tls_handshake_timeout);
    stream_.tls().async_handshake(
        net::ssl::stream_base::server,
        beast::bind_front_handler(&http_session::on_handshake, shared_from_this()));
}

void http_session::on_handshake(beast::error_code ec) {
    if (ec == beast::error::timeout) {
        ctx_->log.warn("c={} cortada: el saludo TLS no terminó en {} ms", id_,
                       ctx_->cfg.tls_handshake_timeout.count());
        return stream_.close();
    }
    if (ec) {
        // A client that does not trust the certificate, or a plain HTTP client: not an error here.
        ctx_->log.info("c={} saludo TLS fallido: {}", id_, ec.message());
        return stream_.close();
    }
    do_read();
}

void http_session::stop() {
    net::post(stream_.get_executor(),
              beast::bind_front_handler(&http_session::on_stop, shared_from_this()));
}

void http_session::on_stop() {
    stopping_ = true;
    // Idle between requests (nothing of the next one has arrived): close now. A request in
    // progress is answered first; do_read() then sees the flag and closes.
    if (phase_ == phase::header && buffer_.size() == 0 && (!parser_ || !parser_->got_some()))
        stream_.tcp().close();
}

void http_session::do_read() {
    if (stopping_ || ctx_->stopping) return do_close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(ctx_->cfg.max_header_bytes));
    parser_->body_limit(ctx_->cfg.max_body_bytes);
    phase_ = phase::header;
    bytes_in_ = 0;
    method_.clear();
    route_ = other_route;
    code_ = errc::ok;
    accepts_zstd_ = false;
    stream_.tcp().expires_after(ctx_->cfg.idle_timeout);
    stream_.visit([&](auto& s) {
        http::async_read_header(s, buffer_, *parser_,
                                beast::bind_front_handler(&http_session::on_read_header,
                                                          shared_from_this()));
    });
}

void http_session::on_read_header(beast::error_code ec, std::size_t n) {
    bytes_in_ += n;
    started_ = std::chrono::steady_clock::now();
    if (ec == beast::error::timeout && !parser_->got_some()) return do_close();  // idle
    if (!ec || ec == http::error::body_limit) {
        // The start line is parsed in both cases: name the request in the summary line.
        const auto& req = parser_->get();
        method_ = std::string(req.method_string().substr(0, 16));
        const auto path = path_of(sv(req.target()));
        route_ = path == sync_route ? sync_route : path == health_route ? health_route : other_route;
    }
    if (ec == http::error::body_limit) return refuse_too_large("Content-Length");  // declared
    if (ec == http::error::header_limit) {
        return send_text(431, "encabezados demasiado grandes / request headers too large");
    }
    if (ec && ec.category() == beast::error_code(http::error::bad_target).category() &&
        ec != http::error::end_of_stream) {
        return send_text(400, "solicitud HTTP mal formada / malformed HTTP request");
    }
    if (ec) return fail(ec, "leer encabezados");

    auto& req = parser_->get();
    accepts_zstd_ = accepts_zstd(sv(req[http::field::accept_encoding]));
    phase_ = phase::body;

    if (const auto len = parser_->content_length(); len && *len > ctx_->cfg.max_body_bytes)
        return refuse_too_large("Content-Length");
    if (iequals(sv(req[http::field::expect]), "100-continue")) {
        continue_res_ = {http::status::continue_, req.version()};
        stream_.tcp().expires_after(ctx_->cfg.write_timeout);
        return stream_.visit([&](auto& s) {
            http::async_write(s, continue_res_,
                              beast::bind_front_handler(&http_session::on_continue,
                                                        shared_from_this()));
        });
    }
    do_read_body();
}

void http_session::on_continue(beast::error_code ec, std::size_t) {
    if (ec) return fail(ec, "escribir 100-continue");
    do_read_body();
}

void http_session::do_read_body() {
    stream_.tcp().expires_after(ctx_->cfg.request_read_timeout);
    stream_.visit([&](auto& s) {
        http::async_read(s, buffer_, *parser_,
                         beast::bind_front_handler(&http_session::on_read, shared_from_this()));
    });
}

void http_session::on_read(beast::error_code ec, std::size_t n) {
    bytes_in_ += n;
    if (ec == http::error::body_limit) return refuse_too_large("body");
    if (ec == beast::error::timeout) {
        ctx_->log.warn("c={} {} {} cortada: el cuerpo no llegó en {} s (in={})", id_, method_,
                       route_, std::chrono::duration_cast<std::chrono::seconds>(
                                   ctx_->cfg.request_read_timeout).count(),
                       bytes_in_);
        return do_close();
    }
    if (ec) return fail(ec, "leer cuerpo");
    try {
        route_request();
    } catch (const std::exception& e) {
        // Out of memory while decompressing or copying: drop this connection, keep serving.
        ctx_->log.error("c={} {} {}: {}", id_, method_, route_, e.what());
        do_close();
    }
}

// Request routing: the one place that maps a path (and method) to its handler. A new route
// gets a constant above, a case in on_read_header's route_ and a branch here.
void http_session::route_request() {
    const auto& req = parser_->get();
    if (route_ == health_route) {
        if (req.method() != http::verb::get && req.method() != http::verb::head) {
            return send_text(405, "método no permitido / method not allowed", "GET, HEAD");
        }
        return send_text(200, "ok");
    }
    if (route_ == sync_route) return handle_sync();
    if (is_dashboard_path(path_of(sv(req.target())))) return handle_dashboard();
    send_text(404, "no encontrado / not found");
}

void http_session::handle_sync() {
    auto& req = parser_->get();
    if (req.method() != http::verb::post) {
        return send_error(405, make_error(errc::bad_input, "method",
                                          "use POST para /v1/sync", "use POST for /v1/sync"));
    }
    if (!is_msgpack_type(sv(req[http::field::content_type]))) {
        return send_error(415, make_error(errc::bad_input, "Content-Type",
                                          "el cuerpo debe ser application/msgpack",
                                          "the body must be application/msgpack"));
    }
    std::vector<std::uint8_t> body = std::move(req.body());
    const auto coding = trim(sv(req[http::field::content_encoding]));
    if (iequals(coding, "zstd")) {
        auto plain = zstd::decompress(body, ctx_->cfg.max_body_bytes);
        if (!plain) {
            const auto& e = plain.err();
            return send_error(e.code == errc::too_large ? 413 : 400, e);
        }
        body = std::move(*plain);
    } else if (!coding.empty() && !iequals(coding, "identity")) {
        return send_error(415, make_error(errc::bad_input, "Content-Encoding",
                                          "codificación no admitida; use zstd o ninguna",
                                          "unsupported encoding; use zstd or none"));
    }
    std::string bearer = bearer_of(sv(req[http::field::authorization]));
    if (!admit_device(bearer)) {
        ctx_->log.warn("c={} rechazada: el dispositivo ya tiene {} conexiones abiertas", id_,
                       ctx_->cfg.max_connections_per_device);
        close_after_answer_ = true;  // the connection itself is the one too many
        return send_error(503, make_error(errc::busy, "connections",
                                          "este dispositivo ya tiene demasiadas conexiones abiertas; "
                                          "intente más tarde",
                                          "this device already has too many open connections; "
                                          "try again later"));
    }
    phase_ = phase::busy;
    auto st = ctx_->store.submit(std::move(body), std::move(bearer),
                                 stream_.get_executor(),
                                 [self = shared_from_this()](store_reply r) {
                                     self->on_store_reply(std::move(r));
                                 });
    if (!st) send_error(http_status_for(st.err().code), st.err());
}

bool http_session::admit_device(std::string_view bearer) {
    // The device id is the credential's part before its last dot. It is not authenticated yet
    // (the store does that): the count only bounds what one claimed identity can hold open,
    // while the per-address cap bounds what one client can claim.
    const auto dot = bearer.rfind('.');
    if (dot == std::string_view::npos) return true;
    std::string device(bearer.substr(0, std::min(dot, protocol::tuning::max_id_bytes)));
    if (device == device_) return true;
    if (!ctx_->acquire_device(device)) return false;
    if (!device_.empty()) ctx_->release_device(device_);
    device_ = std::move(device);
    return true;
}

void http_session::on_store_reply(store_reply reply) {
    try {
        if (reply.body.empty()) {
            return send_error(500, make_error(errc::internal, "", "error interno del servidor",
                                              "internal server error"));
        }
        const errc code = reply.code;
        send_frame(http_status_for(code), std::move(reply.body), code);
    } catch (const std::exception& e) {
        ctx_->log.error("c={} {} {}: {}", id_, method_, route_, e.what());
        do_close();
    }
}

void http_session::send_frame(unsigned status, std::vector<std::uint8_t> frame, errc code) {
    code_ = code;
    res_ = {};
    res_.result(status);
    res_.set(http::field::content_type, "application/msgpack");
    res_.set(http::field::vary, "Accept-Encoding");
    if (status == 405) res_.set(http::field::allow, "POST");
    if (accepts_zstd_ && frame.size() >= ctx_->cfg.compress_min_bytes) {
        if (auto packed = zstd::compress_if_smaller(frame, ctx_->cfg.zstd_level)) {
            frame = std::move(*packed);
            res_.set(http::field::content_encoding, "zstd");
        }
    }
    res_.body() = std::move(frame);
    // An answer sent before the body was read leaves bytes on the wire: close after it.
    do_write(phase_ == phase::body && !parser_->is_done());
}

void http_session::refuse_too_large(std::string_view field) {
    // Sent before the whole body was read: the connection closes after it (see send_frame).
    send_error(413, make_error(errc::too_large, std::string(field),
                               fmt::format("el cuerpo supera el límite de {} bytes",
                                           ctx_->cfg.max_body_bytes),
                               fmt::format("the body exceeds the limit of {} bytes",
                                           ctx_->cfg.max_body_bytes)));
}

void http_session::send_error(unsigned status, const error& e) {
    send_frame(status, error_frame(e, ctx_->cfg.lang), e.code);
}

void http_session::send_text(unsigned status, std::string_view text, std::string_view allow) {
    res_ = {};
    res_.result(status);
    res_.set(http::field::content_type, "text/plain; charset=utf-8");
    if (!allow.empty()) res_.set(http::field::allow, beast::string_view(allow.data(), allow.size()));
    const std::string line = std::string(text) + "\n";
    res_.body().assign(line.begin(), line.end());
    do_write(!parser_ || !parser_->is_done());
}

void http_session::do_write(bool close) {
    const bool keep = !close && !close_after_answer_ && !stopping_ && !ctx_->stopping && parser_ &&
                      parser_->is_done() && parser_->get().keep_alive();
    res_.version(parser_ && parser_->is_header_done() ? parser_->get().version() : 11);
    res_.set(http::field::server, server_header());
    res_.keep_alive(keep);
    res_.prepare_payload();
    stream_.tcp().expires_after(ctx_->cfg.write_timeout);
    stream_.visit([&](auto& s) {
        http::async_write(s, res_,
                          beast::bind_front_handler(&http_session::on_write, shared_from_this(),
                                                    !keep));
    });
}

void http_session::on_write(bool close, beast::error_code ec, std::size_t n) {
    log_request(res_.result_int(), n);
    if (ec) return fail(ec, "escribir respuesta");
    res_ = {};
    if (close) return do_close();
    do_read();
}

void http_session::do_close() { stream_.close(); }

void http_session::fail(beast::error_code ec, std::string_view what) {
    if (is_disconnect(ec)) {
        ctx_->log.debug("c={} {}: {}", id_, what, ec.message());
    } else {
        ctx_->log.warn("c={} {}: {}", id_, what, ec.message());
    }
    do_close();
}

void http_session::log_request(unsigned status, std::size_t bytes_out) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - started_).count();
    ctx_->log.info("{} {} {} code={} in={} out={} ms={} c={}", method_.empty() ? "-" : method_,
                   route_, status, to_string(code_), bytes_in_, bytes_out, ms, id_);
}

}  // namespace minga::server
