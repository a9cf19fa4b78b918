#pragma once
// The link's shared state: the proxy thread's io_context, the listener, the counters and the
// settings connections read when they start. Private to linkemu/.
//
// Threads: `ioc` runs on `thread` only; everything marked "io thread" is touched only there.
// The mutex guards what public member functions change or read from other threads.
#include "rng.hpp"

#include <minga/linkemu/link.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <mutex>
#include <thread>

namespace minga::linkemu {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

class connection;

/// A new TCP socket of `protocol`, close-on-exec from birth. Every socket of the emulator is
/// made so: a process that spawns children (the tests spawn clients and servers) would
/// otherwise hand them copies of the emulator's sockets, and a cut or a close would then send
/// nothing until every child holding a copy exits. Throws std::system_error.
int cloexec_socket(const tcp& protocol);

struct link::impl {
    explicit impl(const link_options& o);

    /// io thread: accepts the next connection (accept4 with SOCK_CLOEXEC once the listener is
    /// readable; Asio's own accept cannot set the flag atomically).
    void do_accept();
    void on_accept(tcp::socket s);
    /// io thread: true while an outage (scheduled or started by hand) is on at `now`.
    bool in_outage(steady::time_point now, bool& blackhole);
    /// Any thread: records a cut of connection `index` after `offset` bytes.
    void record_cut(std::uint64_t index, std::uint64_t offset);
    /// Any thread: logs a new connection, or the first byte it delivered upstream.
    void record_accept(std::uint64_t index);
    void record_first_up(std::uint64_t index);
    /// Any thread: the upstream a new connection goes to.
    std::pair<std::string, std::uint16_t> upstream() const;

    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> work;
    tcp::acceptor acceptor;
    const link_options opts;
    std::uint16_t port = 0;  // the port listened on, set once at construction
    std::thread thread;

    std::atomic<std::uint64_t> bytes_up{0}, bytes_down{0}, connections{0}, cuts{0}, refused{0},
        blackholed{0}, stalls{0};

    mutable std::mutex mu;  // guards the members below, down to the blank line
    std::string up_host;
    std::uint16_t up_port = 0;
    std::vector<cut_event> cut_log;
    std::vector<connection_event> conn_log;
    steady::time_point manual_outage_end{};
    bool manual_blackhole = false;

    // io thread only.
    std::vector<std::weak_ptr<connection>> open;  // pruned at every accept
    rng outage_rng;
    steady::time_point outage_start{}, outage_end{};
};

}  // namespace minga::linkemu
