#pragma once
// Test support for the link emulator: a real TCP peer on 127.0.0.1:0 behind the link (echo or
// sink, one connection at a time, on its own thread), a client that talks through the link
// with blocking sockets, and a checksum. Blocking Asio calls, no sleeps: every wait ends when
// a socket does.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace minga::test {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using bytes = std::vector<std::uint8_t>;

inline bytes random_bytes(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(g());
    return b;
}

/// FNV-1a over the bytes: a checksum that differs when any byte or the length does.
inline std::uint64_t checksum(const bytes& b) {
    std::uint64_t h = 1469598103934665603ULL;
    for (auto x : b) h = (h ^ x) * 1099511628211ULL;
    return h ^ b.size();
}

/// What the peer saw on one connection.
struct peer_record {
    std::uint64_t received = 0;
    bool reset = false;  ///< the connection ended with a reset, not an orderly end
};

/// A peer serving connections one after the other until destroyed: `echo` sends back what it
/// reads; otherwise it only reads (a sink).
class test_peer {
  public:
    explicit test_peer(bool echo)
        : acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)), echo_(echo) {
        thread_ = std::thread([this] { serve(); });
    }
    ~test_peer() {
        stopping_ = true;
        // Wake the blocking accept with one last connection of our own.
        boost::system::error_code ec;
        net::io_context ioc;
        tcp::socket s(ioc);
        s.connect(acceptor_.local_endpoint(), ec);
        s.close(ec);
        thread_.join();
    }
    [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
    [[nodiscard]] std::vector<peer_record> records() {
        std::lock_guard lock(mu_);
        return records_;
    }
    /// Blocks until `n` connections have ended.
    std::vector<peer_record> wait_records(std::size_t n) {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return records_.size() >= n; });
        return records_;
    }

  private:
    void serve() {
        for (;;) {
            tcp::socket s(ioc_);
            boost::system::error_code ec;
            acceptor_.accept(s, ec);
            if (stopping_) return;
            if (ec) continue;
            peer_record r;
            std::vector<std::uint8_t> buf(65536);
            for (;;) {
                std::size_t n = s.read_some(net::buffer(buf), ec);
                if (ec) {
                    r.reset = ec != net::error::eof;
                    break;
                }
                r.received += n;
                if (echo_) net::write(s, net::buffer(buf.data(), n), ec);
                if (ec) {
                    r.reset = true;
                    break;
                }
            }
            if (!ec || ec == net::error::eof) s.shutdown(tcp::socket::shutdown_send, ec);
            {
                std::lock_guard lock(mu_);
                records_.push_back(r);
            }
            cv_.notify_all();
        }
    }

    net::io_context ioc_;
    tcp::acceptor acceptor_;
    bool echo_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::vector<peer_record> records_;
};

/// What the client side got back.
struct exchange_result {
    bytes received;
    boost::system::error_code read_end;   ///< how reading ended (eof when orderly)
    boost::system::error_code write_end;  ///< the first write error, if any
};

/// Connects to `port`, writes `payload` (from a second thread, so a slow link never deadlocks
/// us), half-closes, and reads until the connection ends.
inline exchange_result exchange(std::uint16_t port, const bytes& payload) {
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    exchange_result r;
    std::thread writer([&] {
        boost::system::error_code ec;
        net::write(s, net::buffer(payload), ec);
        if (!ec) s.shutdown(tcp::socket::shutdown_send, ec);
        r.write_end = ec;
    });
    std::vector<std::uint8_t> buf(65536);
    for (;;) {
        std::size_t n = s.read_some(net::buffer(buf), r.read_end);
        if (r.read_end) break;
        r.received.insert(r.received.end(), buf.begin(),
                          buf.begin() + static_cast<std::ptrdiff_t>(n));
    }
    writer.join();
    return r;
}

}  // namespace minga::test
