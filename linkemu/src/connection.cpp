#include "connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>

namespace minga::linkemu {

namespace {

using fsec = std::chrono::duration<double>;

steady::duration seconds(double s) {
    return std::chrono::duration_cast<steady::duration>(fsec(s));
}

/// About 20 ms of the link's rate per read, within the named bounds; unlimited links read big.
std::size_t chunk_size(std::uint64_t rate_bps) {
    if (rate_bps == 0) return tuning::max_chunk_bytes;
    return std::clamp<std::size_t>(rate_bps / 8 / 50, tuning::min_chunk_bytes,
                                   tuning::max_chunk_bytes);
}

/// Sends a TCP reset instead of a FIN: linger on with a zero timeout, then close.
void reset(tcp::socket& s) {
    boost::system::error_code ec;
    if (!s.is_open()) return;
    s.set_option(net::socket_base::linger(true, 0), ec);
    s.close(ec);
}

}  // namespace

connection::connection(link::impl& l, tcp::socket client, std::uint64_t index)
    : link_(l),
      index_(index),
      client_(std::move(client)),
      upstream_(l.ioc),
      resolver_(l.ioc),
      up_(l.ioc, client_, upstream_, true, rng(l.opts.seed, index, stream::jitter_up)),
      down_(l.ioc, upstream_, client_, false, rng(l.opts.seed, index, stream::jitter_down)),
      cut_at_(planned_cut(l.opts.seed, index, l.opts.profile.cut_mean_bytes)),
      started_(steady::now()),
      stall_rng_(l.opts.seed, index, stream::stalls) {
    // Both buckets start empty at the connection's start: N bytes never arrive before N / rate.
    up_.bucket = down_.bucket = started_;
    up_.last_due = down_.last_due = started_;
}

void connection::start() {
    auto [host, port] = link_.upstream();
    resolver_.async_resolve(
        host, std::to_string(port),
        [self = shared_from_this()](boost::system::error_code ec, tcp::resolver::results_type r) {
            if (ec || self->finished_) {
                ++self->link_.refused;
                return self->finish(true);
            }
            // The first address only, on a close-on-exec socket of our own (see link_impl.hpp).
            const tcp::endpoint ep = *r.begin();
            boost::system::error_code open_ec;
            try {
                self->upstream_.assign(ep.protocol(), cloexec_socket(ep.protocol()), open_ec);
            } catch (const std::system_error&) {
                open_ec = net::error::no_descriptors;
            }
            if (open_ec) {
                ++self->link_.refused;
                return self->finish(true);
            }
            self->upstream_.async_connect(ep, [self](boost::system::error_code ec2) {
                if (self->finished_) return;
                if (ec2) {
                    ++self->link_.refused;
                    return self->finish(true);
                }
                boost::system::error_code ignored;
                self->upstream_.set_option(tcp::no_delay(true), ignored);
                self->client_.set_option(tcp::no_delay(true), ignored);
                self->do_read(self->up_);
                self->do_read(self->down_);
            });
        });
}

void connection::cut_now() {
    net::post(link_.ioc, [self = shared_from_this()] {
        if (!self->finished_) self->cut(self->forwarded_);
    });
}

void connection::do_read(direction& d) {
    if (d.reading || d.done || cutting_ || finished_ || d.queued >= tuning::max_queued_bytes)
        return;
    d.reading = true;
    d.buf.resize(chunk_size(link_.opts.profile.rate_bps));
    d.from.async_read_some(net::buffer(d.buf), [self = shared_from_this(), &d](
                                                   boost::system::error_code ec, std::size_t n) {
        self->on_read(d, ec, n);
    });
}

void connection::on_read(direction& d, boost::system::error_code ec, std::size_t n) {
    d.reading = false;
    if (finished_ || cutting_) return;  // bytes read after the cut point are dropped
    if (ec == net::error::eof) {
        d.done = true;
        d.queue.push_back(chunk{d.last_due, {}, true, false});
        return do_write(d);
    }
    if (ec) return finish(true);  // the peer reset or failed: pass the reset on
    bool cut_after = false;
    if (cut_at_ && forwarded_ + n >= *cut_at_) {
        n = static_cast<std::size_t>(*cut_at_ - forwarded_);
        cut_after = true;
        cutting_ = true;
    }
    forwarded_ += n;
    chunk c{
        due_time(d, n),
        std::vector<std::uint8_t>(d.buf.begin(), d.buf.begin() + static_cast<std::ptrdiff_t>(n)),
        false, cut_after};
    d.queued += n;
    d.queue.push_back(std::move(c));
    do_write(d);
    do_read(d);
}

steady::time_point connection::due_time(direction& d, std::size_t n) {
    const auto& p = link_.opts.profile;
    const auto now = steady::now();
    steady::time_point sent = now;
    if (p.rate_bps > 0) {
        // Token bucket holding at most one chunk: `bucket` is the time up to which tokens
        // have been spent; the chunk has left once its tokens have accrued.
        const auto burst = seconds(static_cast<double>(chunk_size(p.rate_bps)) * 8 /
                                   static_cast<double>(p.rate_bps));
        d.bucket = std::max(d.bucket, now - burst) +
                   seconds(static_cast<double>(n) * 8 / static_cast<double>(p.rate_bps));
        sent = std::max(now, d.bucket);
    }
    auto delay = std::chrono::duration_cast<steady::duration>(p.rtt) / 2;
    if (p.jitter.count() > 0) {
        const auto j = std::chrono::duration_cast<steady::duration>(p.jitter);
        delay += seconds((d.jitter.uniform() * 2 - 1) * fsec(j).count());
        delay = std::max(delay, steady::duration::zero());
    }
    auto due = std::max(past_stalls(d, sent + delay), d.last_due);  // order is kept
    d.last_due = due;
    return due;
}

steady::time_point connection::past_stalls(direction& d, steady::time_point t) {
    const auto& p = link_.opts.profile;
    if (!(p.stall_mean_interval_s > 0) || p.stall.count() <= 0) return t;
    for (;;) {
        while (d.stall_index >= stalls_.size()) {  // draw the next window
            const auto from = stalls_.empty() ? started_ : stalls_.back().second;
            const auto begin = from + seconds(stall_rng_.exponential(p.stall_mean_interval_s));
            stalls_.emplace_back(begin, begin + p.stall);
        }
        const auto& [begin, end] = stalls_[d.stall_index];
        if (t < begin) return t;
        if (t < end) {
            if (d.stall_index >= stalls_counted_) {
                stalls_counted_ = d.stall_index + 1;
                ++link_.stalls;
            }
            return end;
        }
        ++d.stall_index;
        // Windows both directions are past are never looked at again.
        const auto keep = std::min(up_.stall_index, down_.stall_index);
        if (keep > 64) {
            stalls_.erase(stalls_.begin(), stalls_.begin() + static_cast<std::ptrdiff_t>(keep));
            up_.stall_index -= keep;
            down_.stall_index -= keep;
            stalls_counted_ -= std::min(stalls_counted_, keep);
        }
    }
}

void connection::do_write(direction& d) {
    if (d.writing || finished_ || d.queue.empty()) return;
    auto& head = d.queue.front();
    d.writing = true;
    if (steady::now() < head.due) {
        d.timer.expires_at(head.due);
        d.timer.async_wait([self = shared_from_this(), &d](boost::system::error_code ec) {
            d.writing = false;
            if (!ec) self->do_write(d);
        });
        return;
    }
    if (head.eof) {
        boost::system::error_code ignored;
        d.to.shutdown(tcp::socket::shutdown_send, ignored);
        d.queue.pop_front();
        d.writing = false;
        if (up_.done && down_.done && up_.queue.empty() && down_.queue.empty()) finish(false);
        return;
    }
    net::async_write(d.to, net::buffer(head.bytes),
                     [self = shared_from_this(), &d](boost::system::error_code ec, std::size_t) {
                         self->on_write(d, ec);
                     });
}

void connection::on_write(direction& d, boost::system::error_code ec) {
    d.writing = false;
    if (finished_) return;
    if (ec) return finish(true);
    auto c = std::move(d.queue.front());
    d.queue.pop_front();
    d.queued -= c.bytes.size();
    (d.up ? link_.bytes_up : link_.bytes_down) += c.bytes.size();
    if (d.up && !first_up_logged_) {
        first_up_logged_ = true;
        link_.record_first_up(index_);
    }
    if (c.cut_after) return cut(*cut_at_);
    do_write(d);
    do_read(d);
}

void connection::cut(std::uint64_t offset) {
    link_.record_cut(index_, offset);
    finish(true);
}

void connection::finish(bool with_reset) {
    if (finished_) return;
    finished_ = true;
    boost::system::error_code ignored;
    up_.timer.cancel();
    down_.timer.cancel();
    resolver_.cancel();
    if (with_reset) {
        reset(client_);
        reset(upstream_);
    } else {
        client_.close(ignored);
        upstream_.close(ignored);
    }
}

}  // namespace minga::linkemu
