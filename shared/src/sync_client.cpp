#include "pull_position.hpp"
#include "remote_apply.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/shared/sync_client.hpp>

#include <algorithm>
#include <cstdlib>

namespace minga {

namespace {

/// A clock correction smaller than this is noise (network delay), not a wrong clock.
constexpr std::int64_t rebase_threshold_ms = 1000;

/// One request/response exchange with the server, for one sync.
class session {
public:
    session(replica& r, const transport_fn& t, std::string bearer)
        : r_(r), t_(t), bearer_(std::move(bearer)) {
        if (auto v = r_.meta("protocol_version")) version_ = static_cast<std::uint32_t>(std::stoul(*v));
    }

    /// True when an earlier sync negotiated `max_version`, so a request can go without a hello
    /// (a lower stored version is negotiated again: the server may have been upgraded since).
    [[nodiscard]] bool negotiated(std::uint32_t max_version) const {
        return r_.meta("protocol_version") == std::to_string(max_version);
    }

    template <class Answer>
    result<Answer> call(protocol::message body) {
        protocol::frame f{version_, ++request_id_, std::move(body)};
        auto bytes = protocol::encode(f);
        sent_ms_ = r_.clock().wall_ms();
        auto resp = t_(bytes, bearer_);
        received_ms_ = r_.clock().wall_ms();
        ++requests_;
        if (!resp) return std::move(resp).err();
        auto in = protocol::decode(*resp);
        if (!in) return std::move(in).err();
        if (const auto* e = std::get_if<protocol::error_body>(&in->body)) {
            // The server's message is Spanish; it names what to do.
            return make_error(e->code, e->field, e->message, e->message);
        }
        if (auto* a = std::get_if<Answer>(&in->body)) return std::move(*a);
        return make_error(errc::bad_frame, "respuesta", "el servidor respondió con otro mensaje",
                          "the server answered with an unexpected message");
    }

    /// hello: negotiates the version and corrects the clock (re-stamping unsent changes when
    /// this device's clock turns out to be wrong).
    result<std::int64_t> hello(std::uint32_t max_version = protocol::current_version) {
        version_ = protocol::min_supported_version;  // a hello travels in the client's minimum
        auto ack = call<protocol::hello_ack>(protocol::hello{protocol::min_supported_version,
                                                             max_version,
                                                             r_.device_id(), "minga 0.1.0"});
        if (!ack) return std::move(ack).err();
        version_ = ack->version;
        return correct_clock(ack->server_time_ms);
    }

    /// Learns the offset to the server's clock from the last exchange; when this device's
    /// clock turns out to be wrong, its unsent changes are re-stamped by the same amount, so
    /// they order as if the clock had been right.
    std::int64_t correct_clock(std::int64_t server_ms) {
        std::int64_t offset = server_ms - (sent_ms_ + received_ms_) / 2;
        std::int64_t delta = offset - r_.clock().offset_ms();
        sql::transaction tx(r_.conn());
        r_.clock().set_offset_ms(offset);
        if (std::llabs(delta) > rebase_threshold_ms) r_.clock().restart(r_.changes().restamp(tx, offset));
        r_.set_meta(tx, "clock_offset_ms", std::to_string(r_.clock().offset_ms()));
        r_.set_meta(tx, "protocol_version", std::to_string(version_));
        r_.commit(tx);
        return offset;
    }

    [[nodiscard]] std::uint64_t requests() const noexcept { return requests_; }

private:
    replica& r_;             // the caller's replica; outlives the session
    const transport_fn& t_;  // the caller's transport; outlives the session
    std::string bearer_;
    std::uint32_t version_ = protocol::min_supported_version;
    std::int64_t sent_ms_ = 0;
    std::int64_t received_ms_ = 0;
    std::uint64_t request_id_ = 0;
    std::uint64_t requests_ = 0;
};

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

status push_all(session& s, replica& r, const sync_options& o, const progress_fn& progress,
                sync_report& rep) {
    auto total = static_cast<std::uint64_t>(r.changes().pending_count());
    for (;;) {
        auto batch = r.changes().pending(0, o.push_batch);
        if (batch.empty()) return {};
        std::int64_t last = batch.back().seq;
        protocol::push msg{r.device_id(), {}};
        msg.changes.reserve(batch.size());
        for (auto& e : batch) msg.changes.push_back(to_wire(std::move(e)));
        auto ack = s.call<protocol::push_ack>(std::move(msg));
        if (!ack) return std::move(ack).err();
        if (static_cast<std::int64_t>(ack->acked_through) < batch.front().seq) {
            return make_error(errc::internal, "push",
                              "el servidor no confirmó el lote enviado; nada se perdió, intente de nuevo",
                              "the server did not acknowledge the batch; nothing was lost, try again");
        }
        sql::transaction tx(r.conn());
        r.changes().acknowledge(tx, static_cast<std::int64_t>(ack->acked_through));
        rep.pushed += static_cast<std::uint64_t>(r.conn().changes());
        r.commit(tx);
        rep.conflicts += ack->conflicts;
        if (progress) progress({"push", rep.pushed, total});
        if (static_cast<std::int64_t>(ack->acked_through) < last) continue;
    }
}

status pull_all(session& s, replica& r, const sync_options& o, const progress_fn& progress,
                sync_report& rep) {
    pull_position pos(r);  // the cursor, or a snapshot in progress (pull_position.hpp)
    std::uint64_t total = 0;
    for (bool first = true;; first = false) {
        auto page = s.call<protocol::pull_page>(pos.request(o.page_rows, o.page_bytes));
        if (!page) return std::move(page).err();
        if (first) {
            total = page->total;
            rep.offset_ms = s.correct_clock(page->server_time_ms);
        }
        if (auto ok = pos.check(*page); !ok) return std::move(ok).err();
        sql::transaction tx(r.conn());
        rep.pulled += apply_page(tx, r, *page);
        pos.store(tx, *page);
        r.commit(tx);
        r.changes().set_base(pos.seen());
        if (progress) progress({"pull", rep.pulled, total});
        if (page->remaining == 0 && !pos.in_snapshot()) return {};
    }
}

}  // namespace

link_info stored_link(replica& r) {
    return {r.meta("server_url").value_or(""), r.meta("credential").value_or("")};
}

result<enroll_report> enroll(replica& r, const transport_fn& t, std::string_view server_url,
                             std::string_view token, std::string_view device_name) {
    session s(r, t, "");
    if (auto h = s.hello(); !h) return std::move(h).err();
    auto ack = s.call<protocol::enroll_ack>(
        protocol::enroll{std::string(token), std::string(device_name), r.device_id()});
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
    session s(r, t, link.credential);
    sync_report rep;
    // A sync with nothing to send is one round trip: the pull page carries the server's time.
    // With changes to send, the hello first corrects their stamps if this clock is wrong.
    if (!s.negotiated(o.max_protocol_version) || r.changes().pending_count() > 0) {
        auto offset = s.hello(o.max_protocol_version);
        if (!offset) return std::move(offset).err();
        rep.offset_ms = *offset;
    }
    if (auto ok = push_all(s, r, o, progress, rep); !ok) return std::move(ok).err();
    if (auto ok = pull_all(s, r, o, progress, rep); !ok) return std::move(ok).err();
    sql::transaction tx(r.conn());
    r.set_meta(tx, "last_sync_ms", std::to_string(r.clock().wall_ms()));
    r.commit(tx);
    rep.requests = s.requests();
    return rep;
}

}  // namespace minga
