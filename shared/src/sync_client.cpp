#include "pull_position.hpp"
#include "remote_apply.hpp"
#include "sync_session.hpp"

#include <minga/shared/bundle.hpp>
#include <minga/shared/sync_client.hpp>

#include <algorithm>

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

/// Sends the outbox oldest first, in batches sized to the link. Each batch is read afresh
/// from the outbox (so a retry resends only what is still unacknowledged), and leaves it
/// only once the server's cumulative ack covers it. Returns early at the deadline.
status push_all(sync_session& s, replica& r, const sync_options& o, const progress_fn& progress,
                sync_report& rep) {
    auto sizer = sizer_for(o, sync_tuning::first_push_batch, sync_tuning::min_push_batch, o.push_batch);
    for (;;) {
        if (r.changes().pending(0, 1).empty()) return {};
        std::int64_t first = 0;
        std::size_t sent = 0;
        auto ack = s.exchange<protocol::push_ack>(
            [&] {
                auto batch = r.changes().pending(0, sizer.ask(s.budget_ms()));
                first = batch.front().seq;
                sent = batch.size();
                protocol::push msg{r.device_id(), {}};
                msg.device_time_ms = r.clock().wall_ms();  // raw: the server judges the clock
                msg.changes.reserve(batch.size());
                for (auto& e : batch) msg.changes.push_back(to_wire(std::move(e)));
                return protocol::message{std::move(msg)};
            },
            &sizer);
        if (!ack) return std::move(ack).err();
        if (!*ack) return {};  // the deadline
        const auto through = static_cast<std::int64_t>((*ack)->acked_through);
        if (through < first) {
            return make_error(errc::internal, "push",
                              "el servidor no confirmó el lote enviado; nada se perdió, intente de nuevo",
                              "the server did not acknowledge the batch; nothing was lost, try again");
        }
        sql::transaction tx(r.conn());
        r.changes().acknowledge(tx, through);
        rep.pushed += static_cast<std::uint64_t>(r.conn().changes());
        r.commit(tx);
        rep.conflicts += (*ack)->conflicts;
        sizer.on_answer(sent, s.last_ms(), s.target_ms());
        if (progress) progress({"push", rep.pushed, rep.push_total, &rep});
    }
}

/// Pulls pages from the stored cursor until none remains; each page is applied with its
/// cursor in one transaction. Pages are sized in bytes to the link. Returns early at the
/// deadline.
status pull_all(sync_session& s, replica& r, const sync_options& o, const progress_fn& progress,
                sync_report& rep) {
    pull_position pos(r);  // the cursor, or a snapshot in progress (pull_position.hpp)
    auto bytes = sizer_for(o, sync_tuning::first_page_bytes, sync_tuning::min_page_bytes, o.page_bytes);
    for (bool first = true;; first = false) {
        auto page = s.exchange<protocol::pull_page>(
            [&] { return protocol::message{pos.request(o.page_rows, bytes.ask(s.budget_ms()))}; },
            &bytes);
        if (!page) return std::move(page).err();
        if (!*page) return {};  // the deadline
        const auto received = s.last_response_bytes();
        if (first) {
            rep.pull_total = (*page)->total;
            rep.offset_ms = s.correct_clock((*page)->server_time_ms);
        }
        if (auto ok = pos.check(**page); !ok) return std::move(ok).err();
        rep.pulled += detail::apply_pulled(r, pos, **page);
        ++rep.pages;
        bytes.on_answer(received, s.last_ms(), s.target_ms());
        if (progress) progress({"pull", rep.pulled, rep.pull_total, &rep});
        if ((*page)->remaining == 0 && !pos.in_snapshot()) return {};
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
    if (!s.stopped())
        if (auto ok = push_all(s, r, o, progress, rep); !ok) return std::move(ok).err();
    if (!s.stopped())
        if (auto ok = pull_all(s, r, o, progress, rep); !ok) return std::move(ok).err();
    rep.stopped_by_deadline = s.stopped();
    if (rep.stopped_by_deadline) return rep;  // consistent as it is; the next sync resumes
    sql::transaction tx(r.conn());
    r.set_meta(tx, "last_sync_ms", std::to_string(r.clock().wall_ms()));
    r.commit(tx);
    return rep;
}

}  // namespace minga
