#include "pull_position.hpp"
#include "remote_apply.hpp"
#include "sync_session.hpp"

#include <minga/shared/bundle.hpp>
#include <minga/shared/sync_client.hpp>

#include <algorithm>
#include <deque>
#include <optional>

namespace minga {

namespace detail {

protocol::change to_wire(outbox_entry&& e) {
    protocol::change c;
    c.seq = static_cast<std::uint64_t>(e.seq);
    c.table = std::move(e.table);
    c.row_id = std::move(e.row_id);
    c.op = e.op == change_op::remove ? protocol::change_op::remove : protocol::change_op::upsert;
    c.hlc = e.hlc;
    c.owner_gad = std::move(e.owner_gad);
    c.fields = std::move(e.fields);
    c.base = e.base;
    return c;
}

std::uint64_t apply_pulled(replica& r, pull_position& pos, const protocol::pull_page& page) {
    sql::transaction tx(r.conn());
    const auto rows = apply_page(tx, r, page);
    pos.store(tx, page);
    r.commit(tx);
    r.changes().set_base(pos.seen());
    return rows;
}

}  // namespace detail

namespace {

using detail::sync_session;
using detail::to_wire;

request_sizer sizer_for(const sync_options& o, std::uint32_t first, std::uint32_t floor,
                        std::uint32_t cap) {
    return o.adaptive ? request_sizer(first, floor, cap) : request_sizer::fixed(cap);
}

/// A push of `batch` (read from the outbox), oldest first.
protocol::message push_message(replica& r, std::vector<outbox_entry> batch) {
    protocol::push msg{r.device_id(), {}};
    msg.device_time_ms = r.clock().wall_ms();  // raw: the server judges the clock
    msg.changes.reserve(batch.size());
    for (auto& e : batch) msg.changes.push_back(to_wire(std::move(e)));
    return protocol::message{std::move(msg)};
}

/// Removes what the server's cumulative ack covers from the outbox. `first`: the first seq of
/// the batch this ack answers, which it must cover.
status take_ack(replica& r, sync_report& rep, const protocol::push_ack& ack, std::int64_t first) {
    const auto through = static_cast<std::int64_t>(ack.acked_through);
    if (through < first) {
        return make_error(errc::internal, "push",
                          "el servidor no confirmó el lote enviado; nada se perdió, intente de nuevo",
                          "the server did not acknowledge the batch; nothing was lost, try again");
    }
    sql::transaction tx(r.conn());
    r.changes().acknowledge(tx, through);
    rep.pushed += static_cast<std::uint64_t>(r.conn().changes());
    r.commit(tx);
    rep.conflicts += ack.conflicts;
    return {};
}

/// Sends the outbox oldest first, in batches sized to the link. Each batch is read afresh
/// from the outbox (so a retry resends only what is still unacknowledged), and leaves it
/// only once the server's cumulative ack covers it. Returns early at the deadline.
status push_one_by_one(sync_session& s, replica& r, request_sizer& sizer,
                       const progress_fn& progress, sync_report& rep) {
    for (;;) {
        if (r.changes().pending(0, 1).empty()) return {};
        std::int64_t first = 0;
        std::size_t sent = 0;
        auto ack = s.exchange<protocol::push_ack>(
            [&] {
                auto batch = r.changes().pending(0, sizer.ask(s.budget_ms()));
                first = batch.front().seq;
                sent = batch.size();
                return push_message(r, std::move(batch));
            },
            &sizer);
        if (!ack) return std::move(ack).err();
        if (!*ack) return {};  // the deadline
        if (auto ok = take_ack(r, rep, **ack, first); !ok) return ok;
        sizer.on_answer(sent, s.last_ms(), s.target_ms());
        if (progress) progress({"push", rep.pushed, rep.push_total, &rep});
    }
}

/// The same, with up to sync_tuning::push_window batches in flight (sync_options::pipeline):
/// the next batch is sent before the previous one's ack has come back. A batch's time, for
/// sizing, is its time on the link: the round trip (the hello's, or the fastest batch's) is
/// taken off both ends. A failure loses every batch in flight: after the backoff the outbox is read
/// again from its oldest unacknowledged change, so what the server applied before the cut
/// is acknowledged (and not applied twice) when it is sent again.
///
/// Once the whole outbox is in flight, the sync's first pull request goes right behind the
/// last batch (`pull_request`): the server answers it once it has applied the batches before
/// it, and its page (into `ahead`) spares the round trip the pull would start with. A pull is
/// safe to lose and send again (it changes nothing on the server).
status push_pipelined(sync_session& s, replica& r, request_sizer& sizer,
                      const progress_fn& progress, sync_report& rep,
                      const std::function<protocol::message()>& pull_request,
                      std::optional<protocol::pull_page>& ahead) {
    struct in_flight {
        std::int64_t first, last;
        std::size_t count;
        std::int64_t sent_at;
    };
    std::deque<in_flight> flight;
    std::uint32_t attempt = 0;      // transient failures since the last answer
    std::int64_t last_answer = 0;   // steady ms of the last answer
    // The link's round trip: the hello's (a small request, just answered), or the fastest
    // batch's send-to-answer time when that is less.
    std::int64_t rtt = std::max<std::int64_t>(0, s.last_ms());
    bool pull_posted = false;       // the pull request is behind the batches in flight
    for (;;) {
        std::optional<error> failed;
        while (flight.size() < sync_tuning::push_window && !s.past_deadline()) {
            auto batch = r.changes().pending(flight.empty() ? 0 : flight.back().last, sizer.ask(s.budget_ms()));
            if (batch.empty()) {
                if (!pull_posted && !flight.empty() && pull_request) {
                    if (auto st = s.post(pull_request()); !st) failed = std::move(st).err();
                    else pull_posted = true;
                }
                break;
            }
            in_flight f{batch.front().seq, batch.back().seq, batch.size(), s.now()};
            if (!flight.empty()) ++rep.pipelined;
            if (auto st = s.post(push_message(r, std::move(batch))); !st) {
                failed = std::move(st).err();
                break;
            }
            flight.push_back(f);
        }
        if (!failed && flight.empty()) {  // all sent, or the deadline
            if (pull_posted) {
                // Lost with the connection: pull_all asks again, as it would have anyway.
                if (auto page = s.collect<protocol::pull_page>()) ahead = std::move(*page);
            }
            return {};
        }
        if (!failed) {
            auto ack = s.collect<protocol::push_ack>();
            if (ack) {
                const auto f = flight.front();
                flight.pop_front();
                if (auto ok = take_ack(r, rep, *ack, f.first); !ok) return ok;
                const auto now = s.now();
                // The window as a whole spans the target time: what a cut loses stays that small.
                // Its time on the link: from when the link could start on it (its send, or when
                // the previous batch had crossed, a round trip before that one's answer) to
                // when it had crossed (a round trip before its own answer). Counting the round
                // trip as transfer time made the first batches look slow, and the ramp from
                // the first batch's 50 changes took 5 answers instead of 2.
                // A quarter of the time from its send or the last answer at least: a round trip
                // shorter than the estimate (jitter) does not make a batch look instant.
                rtt = std::min(rtt, now - f.sent_at);
                const auto start = std::max(f.sent_at, last_answer - rtt);
                const auto took = std::max(now - rtt - start, (now - std::max(f.sent_at, last_answer)) / 4);
                sizer.on_answer(f.count, took,
                                s.target_ms() / static_cast<std::int64_t>(sync_tuning::push_window));
                last_answer = now;
                attempt = 0;
                if (progress) progress({"push", rep.pushed, rep.push_total, &rep});
                continue;
            }
            failed = std::move(ack).err();
        }
        flight.clear();  // the transport closed the connection: nothing more will answer
        pull_posted = false;
        // A cut says nothing of the next batch (cuts come at random offsets): only a timeout or
        // a batch too large for the server shrinks it.
        const bool shrink = failed->code == errc::timeout || failed->code == errc::too_large;
        // A connection that carried answers and then broke was cut: the first try after it goes
        // at once, as the transport does for a single request (no server to spare from load).
        const bool cut = failed->code == errc::unavailable && attempt == 0 && last_answer != 0;
        auto wait = s.retry_wait(*failed, attempt, shrink ? &sizer : nullptr, cut);
        if (!wait) return std::move(*failed);
        if (*wait < 0) return {};  // the wait would pass the deadline
        s.sleep(*wait);
    }
}

/// The first pull request of a sync (pull_all asks the same when it starts).
protocol::message first_pull(replica& r, const sync_options& o) {
    return protocol::message{pull_position(r).request(
        o.page_rows, sizer_for(o, sync_tuning::first_page_bytes, sync_tuning::min_page_bytes, o.page_bytes).ask())};
}

status push_all(sync_session& s, replica& r, const sync_options& o, const progress_fn& progress,
                sync_report& rep, std::optional<protocol::pull_page>& ahead) {
    auto sizer = sizer_for(o, sync_tuning::first_push_batch, sync_tuning::min_push_batch, o.push_batch);
    if (!o.pipeline) return push_one_by_one(s, r, sizer, progress, rep);
    return push_pipelined(s, r, sizer, progress, rep, [&] { return first_pull(r, o); }, ahead);
}

std::uint64_t rows_in(const protocol::pull_page& page) {
    std::uint64_t n = 0;
    for (const auto& b : page.blocks) n += b.rows.size();
    return n;
}

/// Pulls pages from the stored cursor until none remains; each page is applied with its
/// cursor in one transaction. Pages are sized in bytes to the link; a short rest of the pull
/// comes in the last page rather than in a page of its own (page_bytes_with_tail). `ahead`:
/// the first page, when it came pipelined behind the push (push_pipelined). Returns early at
/// the deadline.
status pull_all(sync_session& s, replica& r, const sync_options& o, const progress_fn& progress,
                sync_report& rep, std::optional<protocol::pull_page> ahead) {
    pull_position pos(r);  // the cursor, or a snapshot in progress (pull_position.hpp)
    auto bytes = sizer_for(o, sync_tuning::first_page_bytes, sync_tuning::min_page_bytes, o.page_bytes);
    std::uint64_t rest_rows = 0;  // what the last page said remains, and its bytes per row
    double per_row = 0;
    for (bool first = true;; first = false) {
        const bool prefetched = first && ahead.has_value();
        std::optional<protocol::pull_page> page = std::move(ahead);
        ahead.reset();
        if (!prefetched) {
            auto got = s.exchange<protocol::pull_page>(
                [&] {
                    auto want = bytes.ask(s.budget_ms());
                    // Not near a deadline (which shrinks the ask): take a short rest in this page.
                    if (o.adaptive && want == bytes.size())
                        want = page_bytes_with_tail(want, rest_rows, per_row, o.page_bytes);
                    return protocol::message{pos.request(o.page_rows, want)};
                },
                &bytes);
            if (!got) return std::move(got).err();
            if (!*got) return {};  // the deadline
            page = std::move(*got);
        }
        const auto received = s.last_response_bytes();  // a prefetched page's too: it was the last read
        if (first) {
            rep.pull_total = page->total;
            // A page that came behind the push: the hello before the push corrected the clock,
            // and this page's timing (queued behind a batch) says nothing reliable of it.
            if (!prefetched) rep.offset_ms = s.correct_clock(page->server_time_ms);
        }
        if (auto ok = pos.check(*page); !ok) return std::move(ok).err();
        const auto rows = rows_in(*page);
        rep.pulled += detail::apply_pulled(r, pos, *page);
        ++rep.pages;
        if (!prefetched) bytes.on_answer(received, s.last_ms(), o.pull_target_ms);
        if (rows > 0 && received > 0) per_row = static_cast<double>(received) / static_cast<double>(rows);
        rest_rows = page->remaining;
        if (progress) progress({"pull", rep.pulled, rep.pull_total, &rep});
        if (page->remaining == 0 && !pos.in_snapshot()) return {};
    }
}

}  // namespace

link_info stored_link(replica& r) {
    return {r.meta("server_url").value_or(""), r.meta("credential").value_or("")};
}

result<enroll_report> enroll(replica& r, const transport_fn& t, std::string_view server_url,
                             std::string_view token, std::string_view device_name) {
    // No automatic retry: a person is at the keyboard with a link, and the server accepts the
    // same token again from the same device if the first answer was lost.
    sync_options o;
    o.retry.max_retries = 0;
    sync_report rep;
    sync_session s(r, t, "", o, {}, rep);
    if (auto h = s.hello(); !h) return std::move(h).err();
    // Fresh keys are stored only with the credential: a refused enrolment writes nothing.
    auto keys = detail::load_or_make_keys(r);
    protocol::enroll msg{std::string(token), std::string(device_name), r.device_id(), keys.sign_pk,
                         keys.box_pk};
    auto ack = s.call<protocol::enroll_ack>(std::move(msg));
    if (!ack) return std::move(ack).err();
    if (std::find(ack->gads.begin(), ack->gads.end(), r.gad()) == ack->gads.end()) {
        return make_error(errc::bad_input, "--token",
                          "el código es para otro GAD; esta réplica es del GAD " + r.gad(),
                          "the token is for another GAD; this replica belongs to GAD " + r.gad());
    }
    sql::transaction tx(r.conn());
    r.set_meta(tx, "server_url", server_url);
    r.set_meta(tx, "credential", ack->credential);
    r.set_scope(tx, ack->gads);
    if (!ack->server_box_pk.empty()) r.set_meta(tx, "server_box_pk", detail::hex(ack->server_box_pk));
    detail::store_keys(tx, r, keys);
    r.commit(tx);
    return enroll_report{r.gads(), static_cast<std::uint64_t>(r.changes().pending_count())};
}

result<sync_report> sync(replica& r, const transport_fn& t, const sync_options& o,
                         const progress_fn& progress) {
    auto link = stored_link(r);
    if (link.credential.empty()) {
        return make_error(errc::bad_input, "enroll",
                          "este dispositivo no está inscrito; use `minga enroll --server URL --token T`",
                          "this device is not enrolled; use `minga enroll --server URL --token T`");
    }
    // A device enrolled before v3 makes its bundle keys now; its hello registers them.
    if (o.max_protocol_version >= protocol::keys_version) (void)ensure_device_keys(r);
    sync_report rep;
    rep.push_total = static_cast<std::uint64_t>(r.changes().pending_count());
    sync_session s(r, t, link.credential, o, progress, rep);
    // A sync with nothing to send is one round trip: the pull page carries the server's time.
    // With changes to send, the hello first corrects their stamps if this clock is wrong.
    // A v3 device that does not know the server's bundle key yet says hello (which also
    // registers its own keys when it was enrolled before v3).
    const bool want_keys = o.max_protocol_version >= protocol::keys_version && !r.meta("server_box_pk");
    if (!s.negotiated() || rep.push_total > 0 || want_keys) {
        auto offset = s.hello();
        if (!offset) return std::move(offset).err();
        if (*offset) rep.offset_ms = **offset;
    }
    std::optional<protocol::pull_page> ahead;  // the first pull page, when it came behind the push
    if (!s.stopped())
        if (auto ok = push_all(s, r, o, progress, rep, ahead); !ok) return std::move(ok).err();
    if (!s.stopped())
        if (auto ok = pull_all(s, r, o, progress, rep, std::move(ahead)); !ok) return std::move(ok).err();
    rep.stopped_by_deadline = s.stopped();
    if (rep.stopped_by_deadline) return rep;  // consistent as it is; the next sync resumes
    sql::transaction tx(r.conn());
    r.set_meta(tx, "last_sync_ms", std::to_string(r.clock().wall_ms()));
    r.commit(tx);
    return rep;
}

}  // namespace minga
