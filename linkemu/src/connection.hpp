#pragma once
// One proxied connection: the client's socket, the upstream socket, and a `direction` for each
// way the bytes go. Private to linkemu/.
//
// Each direction reads a chunk, charges it to its token bucket, gives it a due time (after the
// bucket lets it through, plus the one-way delay and jitter, pushed past any stall, never
// before the previous chunk's) and queues it; a writer delivers the queue in order at the due
// times. A direction stops reading while `tuning::max_queued_bytes` wait, so a slow link pushes
// back on its sender. When the bytes of both directions together reach the planned cut offset,
// the chunk that reaches it is cut short, and once it is delivered both sockets are reset.
//
// Lives in shared_ptrs held by its pending handlers (Beast session style); runs on the link's
// single io thread only, except `cut_now()`, which posts there.
#include "link_impl.hpp"

#include <deque>
#include <memory>
#include <vector>

namespace minga::linkemu {

class connection : public std::enable_shared_from_this<connection> {
  public:
    connection(link::impl& l, tcp::socket client, std::uint64_t index);

    /// Connects upstream, then starts both directions.
    void start();
    /// Any thread: resets both sides now, counted as a cut at the current offset.
    void cut_now();

  private:
    struct chunk {
        steady::time_point due;
        std::vector<std::uint8_t> bytes;  // empty with `eof`: shut the sending side down
        bool eof = false;
        bool cut_after = false;
    };
    struct direction {
        direction(net::io_context& ioc, tcp::socket& f, tcp::socket& t, bool u, rng j)
            : from(f), to(t), up(u), timer(ioc), jitter(j) {}
        tcp::socket& from;  // owned by the connection, which owns this direction
        tcp::socket& to;
        bool up;  // client → upstream
        std::deque<chunk> queue;
        std::size_t queued = 0;
        bool reading = false, writing = false, done = false;
        net::steady_timer timer;
        rng jitter;
        steady::time_point bucket{};  // token bucket: the time its tokens were used up to
        steady::time_point last_due{};
        std::size_t stall_index = 0;  // first stall window this direction may still hit
        std::vector<std::uint8_t> buf;
    };

    void do_read(direction& d);
    void on_read(direction& d, boost::system::error_code ec, std::size_t n);
    void do_write(direction& d);
    void on_write(direction& d, boost::system::error_code ec);
    steady::time_point due_time(direction& d, std::size_t n);
    steady::time_point past_stalls(direction& d, steady::time_point t);
    /// Ends the connection: `reset` sends TCP resets both ways, else a normal close.
    void finish(bool reset);
    void cut(std::uint64_t offset);

    link::impl& link_;  // owns the io_context this connection runs on; outlives it
    const std::uint64_t index_;
    tcp::socket client_, upstream_;
    tcp::resolver resolver_;
    direction up_, down_;
    std::optional<std::uint64_t> cut_at_;
    std::uint64_t forwarded_ = 0;  // bytes read from both sides and queued
    bool cutting_ = false, finished_ = false, first_up_logged_ = false;
    const steady::time_point started_;
    rng stall_rng_;
    std::vector<std::pair<steady::time_point, steady::time_point>> stalls_;  // drawn so far
    std::size_t stalls_counted_ = 0;
};

}  // namespace minga::linkemu
