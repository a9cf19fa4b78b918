// Beast listener and sessions of the desk (after the advanced_server example): one read and
// one write in flight per connection, limits set before reading, handler on the store thread.
#include "desk_server.hpp"
#include "desk_tuning.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>

namespace minga::client::desk {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

class session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket s, desk_app& app, asio::thread_pool& store)
        : stream_(std::move(s)), app_(app), store_(store) {}

    void start() { do_read(); }

private:
    void do_read() {
        parser_.emplace();
        parser_->body_limit(desk_tuning::max_body_bytes);
        parser_->header_limit(desk_tuning::max_header_bytes);
        stream_.expires_after(desk_tuning::idle_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) return close();  // closed, timed out, or over a limit: nothing to answer
        auto req = std::make_shared<request>(parser_->release());
        // SQL runs on the store thread; the answer comes back to this connection's executor.
        asio::post(store_, [self = shared_from_this(), req] {
            auto res = std::make_shared<response>(self->app_.handle(*req));
            asio::post(self->stream_.get_executor(), [self, res] { self->do_write(res); });
        });
    }

    void do_write(const std::shared_ptr<response>& res) {
        http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
            if (ec || !res->keep_alive()) return self->close();
            self->do_read();
        });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    desk_app& app_;             // owned by the server; outlives every session
    asio::thread_pool& store_;  // owned by the server
};

}  // namespace

struct desk_server::impl {
    asio::io_context io{1};
    tcp::acceptor acceptor{io};
    asio::signal_set signals{io, SIGINT, SIGTERM};
    asio::thread_pool store{1};
    desk_sync sync;
    std::optional<desk_app> app;

    explicit impl(const std::filesystem::path& dir) : sync(dir) {}

    void do_accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) std::make_shared<session>(std::move(s), *app, store)->start();
            do_accept();
        });
    }
};

desk_server::desk_server(std::filesystem::path data_dir, std::uint16_t port)
    : p_(std::make_unique<impl>(data_dir)) {
    const tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
    p_->acceptor.open(ep.protocol());
    p_->acceptor.set_option(asio::socket_base::reuse_address(true));
    p_->acceptor.bind(ep);
    p_->acceptor.listen();
    p_->app.emplace(std::move(data_dir), desk_secrets::make(this->port()), p_->sync);
}

desk_server::~desk_server() {
    stop();
    p_->store.join();
    p_->sync.wait();
}

std::uint16_t desk_server::port() const noexcept { return p_->acceptor.local_endpoint().port(); }

std::string desk_server::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

std::string desk_server::sign_in_url() const { return url() + p_->app->sign_in_path(); }

void desk_server::run() {
    p_->signals.async_wait([this](beast::error_code, int) { stop(); });
    p_->do_accept();
    p_->io.run();
}

void desk_server::stop() {
    asio::post(p_->io, [this] {
        beast::error_code ignored;
        p_->acceptor.close(ignored);
        p_->signals.cancel(ignored);
        p_->io.stop();
    });
}

}  // namespace minga::client::desk
