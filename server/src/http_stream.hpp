#pragma once
// A connection's byte stream: plain TCP, or TLS over TCP, fixed when the connection is
// accepted. Sessions run their Beast reads and writes through `visit`, so one session class
// serves both; timeouts and closing act on the TCP layer underneath.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <utility>
#include <variant>

namespace minga::server {

class http_stream {
public:
    using plain_stream = boost::beast::tcp_stream;
    using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

    /// TLS when `tls` is set (the server's context, which outlives every connection).
    http_stream(boost::asio::ip::tcp::socket&& s, boost::asio::ssl::context* tls)
        : s_(make(std::move(s), tls)) {}

    [[nodiscard]] bool is_tls() const noexcept { return s_.index() == 1; }
    [[nodiscard]] tls_stream& tls() { return std::get<tls_stream>(s_); }

    /// The TCP layer: deadlines, the socket, closing.
    [[nodiscard]] plain_stream& tcp() noexcept {
        return std::visit([](auto& s) -> plain_stream& { return boost::beast::get_lowest_layer(s); },
                          s_);
    }
    [[nodiscard]] auto get_executor() { return tcp().get_executor(); }

    /// Calls `f` with the stream to read from and write to (plain or TLS).
    template <class F>
    decltype(auto) visit(F&& f) {
        return std::visit(std::forward<F>(f), s_);
    }

    /// Shuts down sending, then closes the socket (no TLS close_notify: the HTTP framing
    /// already tells the client where the answer ends).
    void close() noexcept {
        boost::system::error_code ec;
        tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
        tcp().close();
    }

private:
    using variant = std::variant<plain_stream, tls_stream>;
    static variant make(boost::asio::ip::tcp::socket&& s, boost::asio::ssl::context* tls) {
        if (tls) return variant(std::in_place_index<1>, std::move(s), *tls);
        return variant(std::in_place_index<0>, std::move(s));
    }

    variant s_;
};

}  // namespace minga::server
