#pragma once
// bench/load's simulated devices: each one speaks the sync protocol (protocol/ frames, zstd
// bodies) over its own HTTP/1.1 keep-alive connection to a real `minga-server`, driven by
// callbacks on the load generator's one io_context, so a thousand devices cost a thousand
// sockets and no threads. A device is not a replica: it sends the changes it was given and
// records what it pulled (row ids and clocks), which bench/load checks against the server.
//
// Transient answers are retried the way `minga sync` does: a `503 busy` (a full store queue or
// the server's connection bound) or a connection the server dropped is retried after a short
// jittered backoff, at most `max_attempts` times per request; every other error frame, a bad
// frame or a push whose ack does not cover the batch fails the device.
//
// Header-only on purpose: bench/CMakeLists.txt makes an executable of every .cpp in bench/.
#include <minga/protocol/codec.hpp>
#include <minga/protocol/messages.hpp>
#include <minga/protocol/tuning.hpp>
#include <minga/protocol/version.hpp>
#include <minga/shared/sync_pacing.hpp>
#include <minga/shared/zstd_codec.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/vector_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace minga::bench {

namespace net = boost::asio;
namespace http = boost::beast::http;

/// One simulated device: what it sends and, after a run, what it saw.
struct load_device {
    std::string id;
    std::string gad;
    std::string token;                      ///< one-time enrolment token
    std::string credential;                 ///< set by the enrol phase
    std::vector<std::string> scope;         ///< GADs the server gave it at enrolment
    std::vector<protocol::change> changes;  ///< seq 1..n, sent in order
    std::uint64_t acked = 0;                ///< the server's cumulative ack
    std::uint64_t cursor = 0;               ///< pull cursor after the last page
    /// Owned rows pulled: (table + '/' + row id, owner). Catalogue rows are only counted.
    std::vector<std::pair<std::string, std::string>> pulled;
    std::uint64_t pulled_catalogue = 0;
    std::string error;  ///< empty while nothing failed
};

/// Counters shared by every device of a run (one io_context thread: no locking).
struct load_stats {
    std::vector<float> latency_ms;  ///< per answered request: write start to response read
    std::uint64_t requests = 0;     ///< answered requests (each retry counted)
    std::uint64_t busy = 0;         ///< 503 answers (retried)
    std::uint64_t dropped = 0;      ///< connections lost mid-request (retried)
    std::uint64_t connections = 0;  ///< TCP connections opened
    std::uint64_t bytes_up = 0;     ///< HTTP bodies sent (after compression)
    std::uint64_t bytes_down = 0;   ///< HTTP bodies received (before decompression)
};

enum class load_phase { enroll, sync, catch_up };

struct load_config {
    net::ip::tcp::endpoint server;
    std::vector<net::ip::address> sources;  ///< local addresses, one per device round robin
    std::uint32_t push_batch = 1000;        ///< changes per push, as `minga sync`'s cap
    std::uint32_t page_rows = 2000;
    std::uint32_t page_bytes = 512 * 1024;
    int zstd_level = 3;
    int max_attempts = 200;  ///< per request, busy answers and dropped connections included
    /// Waits between attempts: `minga sync`'s own full-jitter backoff (500 ms doubling to 15 s),
    /// with more attempts than its 6 so that a device outlasts a storm instead of giving up.
    retry_policy retry{};
};

/// Runs one phase of one device: enrol, or hello + push + pull, or hello + pull from the
/// device's cursor (the catch-up after everyone has pushed). `done` is called exactly once.
class device_run : public std::enable_shared_from_this<device_run> {
  public:
    device_run(net::io_context& ioc, const load_config& cfg, load_device& d, std::size_t index,
               load_phase phase, load_stats& stats, std::function<void()> done)
        : cfg_(cfg),
          d_(d),
          index_(index),
          phase_(phase),
          stats_(stats),
          done_(std::move(done)),
          socket_(ioc),
          timer_(ioc),
          backoff_(cfg.retry, index * 7919 + 17) {}

    void start() { next_request(); }

  private:
    std::optional<protocol::message> next_message() {
        if (phase_ == load_phase::enroll) {
            if (!d_.credential.empty()) return std::nullopt;
            return protocol::enroll{d_.token, "carga " + std::to_string(index_), d_.id};
        }
        if (!helloed_)
            return protocol::hello{protocol::min_supported_version, protocol::current_version,
                                   d_.id, "minga-load"};
        if (phase_ == load_phase::sync && d_.acked < d_.changes.size()) {
            protocol::push p{d_.id, {}};
            const auto end = std::min<std::size_t>(d_.changes.size(), d_.acked + cfg_.push_batch);
            p.changes.assign(d_.changes.begin() + static_cast<std::ptrdiff_t>(d_.acked),
                             d_.changes.begin() + static_cast<std::ptrdiff_t>(end));
            want_ack_ = end;
            return p;
        }
        if (!pull_done_) return protocol::pull{d_.cursor, cfg_.page_rows, cfg_.page_bytes, false};
        return std::nullopt;
    }

    void next_request() {
        auto m = next_message();
        if (!m) return finish({});
        const bool hello = std::holds_alternative<protocol::hello>(*m);
        auto plain = protocol::encode(protocol::frame{
            hello ? protocol::min_supported_version : version_, ++request_id_, std::move(*m)});
        req_ = {};
        req_.method(http::verb::post);
        req_.target("/v1/sync");
        req_.version(11);
        req_.set(http::field::host, "127.0.0.1");
        req_.set(http::field::content_type, "application/msgpack");
        req_.set(http::field::accept_encoding, "zstd");
        if (!d_.credential.empty()) req_.set(http::field::authorization, "Bearer " + d_.credential);
        auto packed =
            plain.size() >= 256 ? zstd::compress_if_smaller(plain, cfg_.zstd_level) : std::nullopt;
        if (packed) {
            req_.set(http::field::content_encoding, "zstd");
            req_.body() = std::move(*packed);
        } else {
            req_.body() = std::move(plain);
        }
        req_.keep_alive(true);
        req_.prepare_payload();
        attempts_ = 0;
        send();
    }

    void send() {
        if (socket_.is_open()) return write();
        boost::system::error_code ec;
        socket_.open(net::ip::tcp::v4(), ec);
        if (!ec && !cfg_.sources.empty())
            socket_.bind({cfg_.sources[index_ % cfg_.sources.size()], 0}, ec);
        if (ec) return finish("socket: " + ec.message());
        ++stats_.connections;
        socket_.async_connect(cfg_.server, [self = shared_from_this()](auto err) {
            if (err) return self->retry("connect: " + err.message());
            self->write();
        });
    }

    void write() {
        t0_ = std::chrono::steady_clock::now();
        http::async_write(socket_, req_, [self = shared_from_this()](auto err, std::size_t) {
            if (err) return self->retry("write: " + err.message());
            self->res_ = {};
            self->parser_.emplace();
            self->parser_->body_limit(protocol::tuning::max_body_bytes);
            http::async_read(self->socket_, self->buffer_, *self->parser_,
                             [self](auto e, std::size_t) { self->on_read(e); });
        });
    }

    void on_read(boost::system::error_code ec) {
        if (ec) {
            ++stats_.dropped;
            return retry("read: " + ec.message());
        }
        res_ = parser_->release();
        ++stats_.requests;
        stats_.bytes_up += req_.body().size();
        stats_.bytes_down += res_.body().size();
        stats_.latency_ms.push_back(
            std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - t0_)
                .count());
        if (!res_.keep_alive()) close();
        std::vector<std::uint8_t> body = std::move(res_.body());
        if (res_[http::field::content_encoding] == "zstd") {
            auto plain = zstd::decompress(body, protocol::tuning::max_body_bytes);
            if (!plain) return finish("zstd: " + plain.err().text("en"));
            body = std::move(*plain);
        }
        auto f = protocol::decode(body);
        if (!f) return finish("decode: " + f.err().text("en"));
        if (auto* e = std::get_if<protocol::error_body>(&f->body)) {
            if (e->code == errc::busy) {
                ++stats_.busy;
                close();
                return retry("busy");
            }
            return finish("error frame " + std::to_string(static_cast<int>(e->code)) + " at " +
                          e->field);
        }
        if (auto* a = std::get_if<protocol::enroll_ack>(&f->body)) {
            d_.credential = a->credential;
            d_.scope = a->gads;
        } else if (auto* h = std::get_if<protocol::hello_ack>(&f->body)) {
            version_ = h->version;
            helloed_ = true;
        } else if (auto* p = std::get_if<protocol::push_ack>(&f->body)) {
            if (p->acked_through != want_ack_)
                return finish("push ack " + std::to_string(p->acked_through) + ", expected " +
                              std::to_string(want_ack_));
            d_.acked = p->acked_through;
        } else if (auto* pg = std::get_if<protocol::pull_page>(&f->body)) {
            for (const auto& b : pg->blocks)
                for (const auto& r : b.rows) {
                    if (r.owner_gad)
                        d_.pulled.emplace_back(b.table + '/' + r.row_id, *r.owner_gad);
                    else
                        ++d_.pulled_catalogue;
                }
            d_.cursor = pg->cursor_after;
            pull_done_ = pg->remaining == 0;
        } else {
            return finish("unexpected answer " +
                          std::string(protocol::to_string(protocol::type_of(f->body))));
        }
        next_request();
    }

    void retry(const std::string& why) {
        close();
        if (++attempts_ >= cfg_.max_attempts)
            return finish(why + " (after " + std::to_string(attempts_) + " attempts)");
        timer_.expires_after(std::chrono::milliseconds(
            backoff_.delay_ms(static_cast<std::uint32_t>(attempts_ - 1))));
        timer_.async_wait([self = shared_from_this()](auto err) {
            if (err) return self->finish("timer: " + err.message());
            self->send();
        });
    }

    void close() {
        boost::system::error_code ignored;
        socket_.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        buffer_.clear();
    }

    void finish(const std::string& error) {
        if (finished_) return;
        finished_ = true;
        if (!error.empty() && d_.error.empty()) d_.error = error;
        close();
        done_();
    }

    const load_config& cfg_;  // the run's; outlives every device_run
    load_device& d_;          // the run's device table; outlives every device_run
    std::size_t index_;
    load_phase phase_;
    load_stats& stats_;  // the run's; outlives every device_run
    std::function<void()> done_;
    net::ip::tcp::socket socket_;
    net::steady_timer timer_;
    backoff backoff_;
    boost::beast::flat_buffer buffer_;
    http::request<http::vector_body<std::uint8_t>> req_;
    http::response<http::vector_body<std::uint8_t>> res_;
    std::optional<http::response_parser<http::vector_body<std::uint8_t>>> parser_;
    std::chrono::steady_clock::time_point t0_;
    std::uint32_t version_ = protocol::min_supported_version;
    std::uint64_t request_id_ = 0;
    std::uint64_t want_ack_ = 0;
    int attempts_ = 0;
    bool helloed_ = false;
    bool pull_done_ = false;
    bool finished_ = false;
};

/// Runs `phase` for every device, at most `concurrency` at once, until all are done or
/// `limit` has passed (the devices still running then get an error). Returns the seconds taken.
inline double run_phase(const load_config& cfg, std::vector<load_device>& devices, load_phase phase,
                        std::size_t concurrency, std::chrono::seconds limit, load_stats& stats) {
    net::io_context ioc(1);
    std::size_t next = 0, running = 0;
    std::vector<char> finished(devices.size(), 0);
    std::function<void()> launch = [&] {
        while (running < concurrency && next < devices.size()) {
            const std::size_t i = next++;
            ++running;
            std::make_shared<device_run>(ioc, cfg, devices[i], i, phase, stats, [&, i] {
                finished[i] = 1;
                --running;
                launch();
            })->start();
        }
    };
    const auto t0 = std::chrono::steady_clock::now();
    launch();
    ioc.run_for(limit);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    for (std::size_t i = 0; i < devices.size(); ++i)
        if (!finished[i] && devices[i].error.empty()) devices[i].error = "time limit";
    return seconds;
}

}  // namespace minga::bench
