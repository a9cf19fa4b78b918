#include <minga/server/http_server.hpp>

#include "http_session.hpp"
#include "http_stream.hpp"
#include "server_context.hpp"
#include <minga/server/tls_files.hpp>

#include <minga/server/frames.hpp>
#include <minga/server/version.hpp>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/write.hpp>

namespace minga::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

status server_config::validate() const {
    auto bad = [](const char* field, const char* es, const char* en) {
        return make_error(errc::bad_input, field, es, en);
    };
    if (max_connections == 0)
        return bad("max_connections", "debe ser al menos 1", "must be at least 1");
    if (max_connections_per_address == 0)
        return bad("max_connections_per_address", "debe ser al menos 1", "must be at least 1");
    if (max_connections_per_device == 0)
        return bad("max_connections_per_device", "debe ser al menos 1", "must be at least 1");
    if (tls_cert.empty() != tls_key.empty())
        return bad("tls", "indique el certificado y la clave, o ninguno",
                   "give both the certificate and the key, or neither");
    if (max_header_bytes < 1024)
        return bad("max_header_bytes", "debe ser al menos 1024", "must be at least 1024");
    if (max_body_bytes == 0 || max_body_bytes > protocol::tuning::max_body_bytes)
        return bad("max_body_bytes", "debe estar entre 1 y el límite del protocolo",
                   "must be between 1 and the protocol's limit");
    if (idle_timeout.count() <= 0 || request_read_timeout.count() <= 0 ||
        write_timeout.count() <= 0 || tls_handshake_timeout.count() <= 0)
        return bad("timeout", "los plazos deben ser positivos", "timeouts must be positive");
    if (zstd_level < 1 || zstd_level > 19)
        return bad("zstd_level", "debe estar entre 1 y 19", "must be between 1 and 19");
    if (lang != "es" && lang != "en") return bad("lang", "use es o en", "use es or en");
    return {};
}

namespace {

/// Answers a connection beyond a connection cap with `503 busy` and closes it, so the client
/// learns to try later instead of seeing a reset (over TLS, after the handshake). Bounded by
/// `max_refusing_connections` and `refuse_timeout`.
class refusing_session : public std::enable_shared_from_this<refusing_session> {
public:
    refusing_session(tcp::socket&& s, std::shared_ptr<server_context> ctx, error why)
        : ctx_(std::move(ctx)), stream_(std::move(s), ctx_->tls.get()), why_(std::move(why)) {
        ++ctx_->refusing;
    }
    ~refusing_session() { --ctx_->refusing; }
    refusing_session(const refusing_session&) = delete;
    refusing_session& operator=(const refusing_session&) = delete;

    void run() {
        net::dispatch(stream_.get_executor(),
                      beast::bind_front_handler(&refusing_session::start, shared_from_this()));
    }

private:
    void start() {
        stream_.tcp().expires_after(tuning::refuse_timeout);  // for the handshake and the write
        if (!stream_.is_tls()) return do_write();
        stream_.tls().async_handshake(net::ssl::stream_base::server,
                                      [self = shared_from_this()](beast::error_code ec) {
                                          if (ec) return self->stream_.close();
                                          self->do_write();
                                      });
    }
    void do_write() {
        try {
            res_.result(http::status::service_unavailable);
            res_.version(11);
            res_.set(http::field::server, "minga-server/" + std::string(version()));
            res_.set(http::field::content_type, "application/msgpack");
            res_.set(http::field::retry_after, "30");
            res_.keep_alive(false);
            res_.body() = error_frame(why_, ctx_->cfg.lang);
            res_.prepare_payload();
        } catch (const std::exception& e) {
            ctx_->log.error("respuesta 503: {}", e.what());
            return;
        }
        stream_.visit([&](auto& s) {
            http::async_write(s, res_,
                              beast::bind_front_handler(&refusing_session::on_write,
                                                        shared_from_this()));
        });
    }
    void on_write(beast::error_code, std::size_t) { stream_.close(); }

    std::shared_ptr<server_context> ctx_;
    http_stream stream_;
    error why_;
    http::response<http::vector_body<std::uint8_t>> res_;
};

}  // namespace

/// Accepts connections on its own strand and hands each to a session on a new strand.
class http_server::listener : public std::enable_shared_from_this<listener> {
public:
    listener(net::io_context& ioc, std::shared_ptr<server_context> ctx)
        : ioc_(ioc), ctx_(std::move(ctx)), acceptor_(net::make_strand(ioc)),
          retry_(acceptor_.get_executor()) {}

    status open(const tcp::endpoint& ep) {
        beast::error_code ec;
        auto fail = [&](std::string_view what) {
            return make_error(errc::unavailable, "--listen",
                              fmt::format("no se puede escuchar en {}:{} ({}): {}",
                                          ep.address().to_string(), ep.port(), what, ec.message()),
                              fmt::format("cannot listen on {}:{} ({}): {}",
                                          ep.address().to_string(), ep.port(), what, ec.message()));
        };
        if (acceptor_.open(ep.protocol(), ec); ec) return fail("open");
        if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec)
            return fail("reuse_address");
        if (acceptor_.bind(ep, ec); ec) return fail("bind");
        if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec)
            return fail("listen");
        local_ = acceptor_.local_endpoint(ec);
        if (ec) return fail("local_endpoint");
        return {};
    }

    void run() {
        net::dispatch(acceptor_.get_executor(),
                      beast::bind_front_handler(&listener::do_accept, shared_from_this()));
    }

    void stop() {
        net::post(acceptor_.get_executor(), [self = shared_from_this()] {
            beast::error_code ec;
            self->acceptor_.close(ec);
            self->retry_.cancel();
        });
    }

    [[nodiscard]] const tcp::endpoint& local() const noexcept { return local_; }

private:
    void do_accept() {
        if (!acceptor_.is_open()) return;
        acceptor_.async_accept(net::make_strand(ioc_),
                               beast::bind_front_handler(&listener::on_accept, shared_from_this()));
    }

    void on_accept(beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
        if (ec) {
            // Typically out of file descriptors: wait a little rather than spin on the error.
            ctx_->log.warn("no se pudo aceptar una conexión: {}", ec.message());
            retry_.expires_after(tuning::accept_retry_delay);
            retry_.async_wait([self = shared_from_this()](beast::error_code wec) {
                if (!wec) self->do_accept();
            });
            return;
        }
        try {
            admit(std::move(socket));
        } catch (const std::exception& e) {
            ctx_->log.error("no se pudo atender una conexión: {}", e.what());
        }
        do_accept();
    }

    void admit(tcp::socket socket) {
        if (ctx_->stopping) return;  // the socket closes as it goes out of scope
        beast::error_code ec;
        const auto from = socket.remote_endpoint(ec).address();
        if (ctx_->count() >= ctx_->cfg.max_connections) {
            ctx_->log.warn("límite de {} conexiones alcanzado: se responde 503",
                           ctx_->cfg.max_connections);
            return refuse(std::move(socket),
                          make_error(errc::busy, "connections",
                                     "el servidor tiene demasiadas conexiones abiertas",
                                     "the server has too many open connections"));
        }
        if (ctx_->count_from(from) >= ctx_->cfg.max_connections_per_address) {
            // The address is not logged: it identifies a person's network as much as a name.
            ctx_->log.warn("límite de {} conexiones por dirección alcanzado: se responde 503",
                           ctx_->cfg.max_connections_per_address);
            return refuse(std::move(socket),
                          make_error(errc::busy, "connections",
                                     "demasiadas conexiones abiertas desde esta dirección",
                                     "too many open connections from this address"));
        }
        std::make_shared<http_session>(std::move(socket), ctx_)->run();
    }

    void refuse(tcp::socket socket, error why) {
        if (ctx_->refusing >= ctx_->cfg.max_refusing_connections) return;
        std::make_shared<refusing_session>(std::move(socket), ctx_, std::move(why))->run();
    }

    net::io_context& ioc_;  // the caller's; it runs every handler of this listener
    std::shared_ptr<server_context> ctx_;
    tcp::acceptor acceptor_;
    net::steady_timer retry_;
    tcp::endpoint local_;
};

result<std::unique_ptr<http_server>> http_server::start(net::io_context& ioc,
                                                        const tcp::endpoint& endpoint,
                                                        store_executor& store,
                                                        const server_config& cfg,
                                                        log_sink& sink) {
    if (auto st = cfg.validate(); !st) return st.err();
    std::unique_ptr<net::ssl::context> tls;
    if (!cfg.tls_cert.empty()) {
        auto loaded = load_tls_context({cfg.tls_cert, cfg.tls_key});
        if (!loaded) return std::move(loaded).err();
        tls = std::move(*loaded);
    }
    auto ctx = std::make_shared<server_context>(cfg, store, sink, std::move(tls));
    auto l = std::make_shared<listener>(ioc, ctx);
    if (auto st = l->open(endpoint); !st) return st.err();
    l->run();
    return std::unique_ptr<http_server>(new http_server(std::move(ctx), std::move(l)));
}

http_server::http_server(std::shared_ptr<server_context> ctx, std::shared_ptr<listener> l)
    : ctx_(std::move(ctx)), listener_(std::move(l)) {}

http_server::~http_server() = default;

tcp::endpoint http_server::local_endpoint() const { return listener_->local(); }

void http_server::stop() {
    if (ctx_->stopping.exchange(true)) return;
    listener_->stop();
    for (const auto& weak : ctx_->snapshot())
        if (auto s = weak.lock()) s->stop();
}

std::size_t http_server::connections() const { return ctx_->count(); }

bool http_server::tls() const noexcept { return ctx_->tls != nullptr; }

}  // namespace minga::server
