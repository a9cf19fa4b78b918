#pragma once
// One client connection: reads a request, hands `/v1/sync` bodies to the store executor,
// writes the answer, and loops while the connection is kept alive.
//
// Beast advanced_server style: a `shared_from_this` object whose handlers all run on the
// connection's strand (the socket's executor); at most one read or one write in flight, never
// both (no pipelining); header and body limits and timeouts set before each read. Over TLS the
// handshake comes first, bounded by its own deadline.
#include "http_stream.hpp"
#include "server_context.hpp"

#include <minga/server/store_executor.hpp>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/vector_body.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace minga::server {

struct dashboard_response;  // dashboard_api.hpp

class http_session : public std::enable_shared_from_this<http_session> {
public:
    http_session(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<server_context> ctx);
    ~http_session();
    http_session(const http_session&) = delete;
    http_session& operator=(const http_session&) = delete;

    /// Registers with the server and starts reading. Call once, right after construction.
    void run();
    /// The server is stopping: close now if idle, else after the current answer. Thread-safe.
    void stop();

private:
    using body_type = boost::beast::http::vector_body<std::uint8_t>;
    using request_parser = boost::beast::http::request_parser<body_type>;
    using response = boost::beast::http::response<body_type>;
    enum class phase { header, body, busy };

    void do_handshake();
    void on_handshake(boost::beast::error_code ec);
    void do_read();
    void on_read_header(boost::beast::error_code ec, std::size_t n);
    void do_read_body();
    void on_continue(boost::beast::error_code ec, std::size_t n);
    void on_read(boost::beast::error_code ec, std::size_t n);
    void route_request();
    void handle_sync();
    // The dashboard (dashboard_http.cpp): its pages and JSON, computed on the store thread.
    void handle_dashboard();
    void send_dashboard(dashboard_response res);
    [[nodiscard]] bool admit_device(std::string_view bearer);
    void on_store_reply(store_reply reply);
    void on_stop();

    void send_frame(unsigned status, std::vector<std::uint8_t> frame, errc code);
    void send_error(unsigned status, const error& e);
    void refuse_too_large(std::string_view field);
    void send_text(unsigned status, std::string_view text, std::string_view allow = {});
    void do_write(bool close);
    void on_write(bool close, boost::beast::error_code ec, std::size_t n);
    void do_close();
    void fail(boost::beast::error_code ec, std::string_view what);
    void log_request(unsigned status, std::size_t bytes_out);

    std::shared_ptr<server_context> ctx_;
    boost::asio::ip::address remote_;  // the client's address, for the per-address cap
    http_stream stream_;
    std::string device_;  // the device whose credential this connection carries ("" = none yet)
    boost::beast::flat_buffer buffer_;
    std::optional<request_parser> parser_;
    response res_;
    boost::beast::http::response<boost::beast::http::empty_body> continue_res_;
    std::uint64_t id_ = 0;
    phase phase_ = phase::header;
    bool stopping_ = false;   // seen on this strand: no new request after the current one
    bool accepts_zstd_ = false;
    bool close_after_answer_ = false;  // set when a request is refused for the connection itself
    // Per-request figures for the summary log line (never payloads or credentials).
    std::chrono::steady_clock::time_point started_;
    std::size_t bytes_in_ = 0;
    std::string method_;
    std::string_view route_;  // points to a string literal: a known route or "(otra)"
    errc code_ = errc::ok;
};

}  // namespace minga::server
