#pragma once
// Test support for the server's network layer: fake store backends, an in-process server on
// 127.0.0.1:0 with its own io_context thread, and a blocking raw HTTP client whose socket has
// a receive timeout (a guard against a hung server, never a timing assertion).
#include <minga/protocol/codec.hpp>
#include <minga/server/frames.hpp>
#include <minga/server/http_server.hpp>
#include <minga/server/log.hpp>
#include <minga/server/store_executor.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
// GCC 12 with -fsanitize=address reports a false -Wmaybe-uninitialized inside Beast's parser
// (boost::optional<std::uint64_t> content length); CI builds that way with -Werror.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#pragma GCC diagnostic pop
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace minga::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using bytes = std::vector<std::uint8_t>;

/// Decodes the request like the real store does first: an error frame for bad bytes,
/// otherwise the request echoed back unchanged (so a big request makes a big response).
class echo_backend final : public server::store_backend {
public:
    bytes handle(std::span<const std::uint8_t> request, std::string_view bearer) override {
        last_bearer = std::string(bearer);
        auto f = protocol::decode(request);
        if (!f) return server::error_frame(f.err(), "es");
        return bytes(request.begin(), request.end());
    }
    std::string last_bearer;  // read by the test after the server stopped, or under a gate
};

/// A gate a backend waits at until the test opens it; counts who arrived.
class gate {
public:
    void arrive_and_wait() {
        std::unique_lock lock(mu_);
        ++arrived_;
        cv_.notify_all();
        cv_.wait(lock, [&] { return open_; });
    }
    /// Waits (bounded, as a guard) until `n` callers have arrived.
    bool wait_arrived(int n) {
        std::unique_lock lock(mu_);
        return cv_.wait_for(lock, std::chrono::seconds(20), [&] { return arrived_ >= n; });
    }
    void open() {
        std::lock_guard lock(mu_);
        open_ = true;
        cv_.notify_all();
    }

private:
    std::mutex mu_;
    std::condition_variable cv_;
    int arrived_ = 0;
    bool open_ = false;
};

/// Waits at the gate, then echoes. The gate is owned by the test and outlives the backend.
class gated_backend final : public server::store_backend {
public:
    explicit gated_backend(gate& g) : g_(g) {}
    bytes handle(std::span<const std::uint8_t> request, std::string_view) override {
        g_.arrive_and_wait();
        return bytes(request.begin(), request.end());
    }

private:
    gate& g_;
};

/// Polls `pred` until it holds or 20 s pass (a guard); returns whether it held. For state that
/// has no notification to wait on (a queue length, a connection count).
template <class Pred>
bool eventually(Pred pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

/// A valid frame (a hello) whose encoding is about `approx_bytes` long and compresses well.
inline bytes hello_frame(std::size_t approx_bytes = 0) {
    protocol::frame f;
    protocol::hello h;
    h.min_version = 1;
    h.max_version = 1;
    h.device_id = "01a21c6c-d432-7b67-9c60-3e5cd6db6d3b";
    h.app_version = "minga test";
    f.body = h;
    if (approx_bytes == 0) return protocol::encode(f);
    protocol::push p;
    p.device_id = h.device_id;
    for (std::uint64_t i = 1; p.changes.size() * 120 < approx_bytes; ++i) {
        protocol::change c;
        c.seq = i;
        c.table = "observation";
        c.row_id = "01a21c6c-0000-7000-8000-" + std::to_string(100000000000 + i);
        c.hlc = 1000 + i;
        c.owner_gad = "170151";
        c.fields.emplace_back("note", std::string("sin novedad en el sitio"));
        p.changes.push_back(std::move(c));
    }
    f.body = std::move(p);
    return protocol::encode(f);
}

/// An in-process server on 127.0.0.1:0 running on its own thread.
class running_server {
public:
    explicit running_server(std::unique_ptr<server::store_backend> backend,
                            server::server_config cfg = {}, std::size_t queue = 8)
        : sink_(log_, server::log_level::debug),
          store_(std::move(backend), server::store_executor_options{queue, "es"},
                 server::logger(sink_, "store")) {
        auto s = server::http_server::start(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0),
                                            store_, cfg, sink_);
        if (!s) throw std::runtime_error("server did not start: " + s.err().en);
        server_ = std::move(*s);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~running_server() { stop(); }
    running_server(const running_server&) = delete;
    running_server& operator=(const running_server&) = delete;

    [[nodiscard]] std::uint16_t port() const { return server_->local_endpoint().port(); }
    [[nodiscard]] server::http_server& http() { return *server_; }
    [[nodiscard]] server::store_executor& store() { return store_; }

    /// Graceful stop; returns once every connection is finished (io_context ran out of work).
    void stop() {
        if (stopped_) return;
        stopped_ = true;
        server_->stop();
        if (thread_.joinable()) thread_.join();
        store_.stop();
    }
    /// Everything logged so far (complete only after stop()).
    [[nodiscard]] std::string log_text() const { return log_.str(); }

private:
    std::ostringstream log_;  // written under the sink's mutex, read after stop()
    server::log_sink sink_;
    server::store_executor store_;
    net::io_context ioc_;
    std::unique_ptr<server::http_server> server_;
    std::thread thread_;
    bool stopped_ = false;
};

using response = http::response<http::vector_body<std::uint8_t>>;

/// A blocking client on one connection. Every receive gives up after 20 s (guard only).
class raw_client {
public:
    explicit raw_client(std::uint16_t port) : socket_(ioc_) {
        socket_.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
        timeval tv{20, 0};
        ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }

    /// Sends `req` and reads one response; the error (eof, reset...) when there is none.
    beast::error_code send(http::request<http::vector_body<std::uint8_t>>& req, response& res) {
        beast::error_code ec;
        req.prepare_payload();
        http::write(socket_, req, ec);
        if (ec) return ec;
        return read(res);
    }
    beast::error_code read(response& res) {
        beast::error_code ec;
        http::response_parser<http::vector_body<std::uint8_t>> parser;
        parser.body_limit(64 * 1024 * 1024);
        http::read(socket_, buffer_, parser, ec);
        if (!ec) res = parser.release();
        return ec;
    }
    /// Writes raw bytes (for malformed HTTP and partial requests).
    void write_raw(std::string_view text) { net::write(socket_, net::buffer(text.data(), text.size())); }
    /// Writes raw bytes without raising SIGPIPE; false once the server has closed the socket.
    bool write_some(std::string_view text, beast::error_code& ec) {
        const auto n = ::send(socket_.native_handle(), text.data(), text.size(), MSG_NOSIGNAL);
        if (n < 0) ec = beast::error_code(errno, boost::system::system_category());
        return n >= 0 && static_cast<std::size_t>(n) == text.size();
    }
    /// Blocks until the server closes the connection; true if it did (EOF or reset).
    bool closed_by_peer() {
        char c;
        beast::error_code ec;
        socket_.read_some(net::buffer(&c, 1), ec);
        return ec == net::error::eof || ec == net::error::connection_reset;
    }

private:
    net::io_context ioc_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
};

/// `POST /v1/sync` with a msgpack body.
inline http::request<http::vector_body<std::uint8_t>> sync_request(bytes body,
                                                                   std::string content_type = "application/msgpack") {
    http::request<http::vector_body<std::uint8_t>> req{http::verb::post, "/v1/sync", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, content_type);
    req.body() = std::move(body);
    return req;
}

/// The error code of a response frame (after checking it is msgpack).
inline errc frame_code(const response& res) { return server::response_code(res.body()); }

}  // namespace minga::test
