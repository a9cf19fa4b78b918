// The listener, outages, counters and the public face of the link.
#include "connection.hpp"

#include <boost/asio/post.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>

namespace minga::linkemu {

int cloexec_socket(const tcp& protocol) {
    const int fd = ::socket(protocol.family(), SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
    return fd;
}

link::impl::impl(const link_options& o)
    : work(net::make_work_guard(ioc)),
      acceptor(ioc),
      opts(o),
      up_host(o.upstream_host),
      up_port(o.upstream_port),
      outage_rng(o.seed, 0, stream::outages) {
    const tcp::endpoint ep(net::ip::make_address(o.listen_host), o.listen_port);
    acceptor.assign(ep.protocol(), cloexec_socket(ep.protocol()));
    acceptor.non_blocking(true);  // accept4 below must never block the io thread
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    outage_end = steady::now();
}

void link::impl::do_accept() {
    acceptor.async_wait(tcp::acceptor::wait_read, [this](boost::system::error_code ec) {
        if (ec || !acceptor.is_open()) return;  // stopped
        const int fd = ::accept4(acceptor.native_handle(), nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
            tcp::socket s(ioc);
            boost::system::error_code assign_ec;
            s.assign(acceptor.local_endpoint().protocol(), fd, assign_ec);
            if (!assign_ec) on_accept(std::move(s));
        }
        // EAGAIN (another wake-up took it), or a connection that died in the queue: go on.
        do_accept();
    });
}

void link::impl::on_accept(tcp::socket s) {
    const std::uint64_t index = connections++;
    record_accept(index);
    bool blackhole = false;
    if (in_outage(steady::now(), blackhole)) {
        if (blackhole) {
            ++blackholed;
            // Held open and silent until the outage ends, then reset.
            auto held = std::make_shared<std::pair<tcp::socket, net::steady_timer>>(
                std::move(s), net::steady_timer(ioc));
            steady::time_point end;
            {
                std::lock_guard lock(mu);
                end = std::max(outage_end, manual_outage_end);
            }
            held->second.expires_at(end);
            held->second.async_wait([held](boost::system::error_code) {
                boost::system::error_code ignored;
                held->first.set_option(net::socket_base::linger(true, 0), ignored);
                held->first.close(ignored);
            });
        } else {
            ++refused;
            boost::system::error_code ignored;
            s.set_option(net::socket_base::linger(true, 0), ignored);
            s.close(ignored);
        }
    } else {
        auto c = std::make_shared<connection>(*this, std::move(s), index);
        std::erase_if(open, [](const std::weak_ptr<connection>& w) { return w.expired(); });
        open.push_back(c);
        c->start();
    }
}

bool link::impl::in_outage(steady::time_point now, bool& blackhole) {
    {
        std::lock_guard lock(mu);
        if (now < manual_outage_end) {
            blackhole = manual_blackhole;
            return true;
        }
    }
    const auto& p = opts.profile;
    if (!(p.outage_mean_interval_s > 0) || p.outage.count() <= 0) return false;
    while (now >= outage_end) {  // draw the schedule up to now
        outage_start =
            outage_end + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(
                             outage_rng.exponential(p.outage_mean_interval_s)));
        outage_end = outage_start + p.outage;
    }
    blackhole = p.outage_blackhole;
    return now >= outage_start;
}

void link::impl::record_cut(std::uint64_t index, std::uint64_t offset) {
    ++cuts;
    std::lock_guard lock(mu);
    if (cut_log.size() >= tuning::max_cut_events) cut_log.erase(cut_log.begin());
    cut_log.push_back({index, offset, steady::now()});
}

void link::impl::record_accept(std::uint64_t index) {
    std::lock_guard lock(mu);
    if (conn_log.size() >= tuning::max_cut_events) conn_log.erase(conn_log.begin());
    conn_log.push_back({index, steady::now(), {}});
}

void link::impl::record_first_up(std::uint64_t index) {
    const auto now = steady::now();
    std::lock_guard lock(mu);
    // Accept order: the entry is at most `conn_log.size()` from the back.
    for (auto it = conn_log.rbegin(); it != conn_log.rend(); ++it)
        if (it->connection == index) {
            if (it->first_up == steady::time_point{}) it->first_up = now;
            return;
        }
}

std::pair<std::string, std::uint16_t> link::impl::upstream() const {
    std::lock_guard lock(mu);
    return {up_host, up_port};
}

std::unique_ptr<link> link::start(const link_options& o) {
    if (auto bad = o.profile.invalid())
        throw std::invalid_argument("link profile: bad value for " + *bad);
    auto p = std::make_unique<impl>(o);
    auto* raw = p.get();
    raw->do_accept();
    raw->thread = std::thread([raw] { raw->ioc.run(); });
    return std::unique_ptr<link>(new link(std::move(p)));
}

link::link(std::unique_ptr<impl> p) : p_(std::move(p)) {}

link::~link() {
    stop();
}

std::uint16_t link::port() const noexcept {
    return p_->port;
}

std::string link::url() const {
    return "http://" + p_->opts.listen_host + ":" + std::to_string(port());
}

void link::set_upstream(const std::string& host, std::uint16_t port) {
    std::lock_guard lock(p_->mu);
    p_->up_host = host;
    p_->up_port = port;
}

void link::cut_all() {
    net::post(p_->ioc, [p = p_.get()] {
        for (auto& w : p->open)
            if (auto c = w.lock()) c->cut_now();
    });
}

void link::start_outage(milliseconds d, bool blackhole) {
    std::lock_guard lock(p_->mu);
    p_->manual_outage_end = steady::now() + d;
    p_->manual_blackhole = blackhole;
}

link_counters link::counters() const {
    const auto& p = *p_;
    return {p.bytes_up, p.bytes_down, p.connections, p.cuts, p.refused, p.blackholed, p.stalls};
}

std::vector<cut_event> link::cuts() const {
    std::lock_guard lock(p_->mu);
    return p_->cut_log;
}

std::vector<connection_event> link::connection_log() const {
    std::lock_guard lock(p_->mu);
    return p_->conn_log;
}

void link::stop() {
    if (!p_->thread.joinable()) return;
    net::post(p_->ioc, [p = p_.get()] {
        boost::system::error_code ignored;
        p->acceptor.close(ignored);
        p->work.reset();
        p->ioc.stop();
    });
    p_->thread.join();
}

}  // namespace minga::linkemu
