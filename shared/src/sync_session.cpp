#include "sync_session.hpp"
#include "bundle_file.hpp"

#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

namespace minga::detail {

namespace {

/// A clock correction smaller than this is noise (network delay), not a wrong clock.
constexpr std::int64_t rebase_threshold_ms = 1000;

std::uint64_t seed_of(const sync_options& o) {
    if (o.jitter_seed != 0) return o.jitter_seed;
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

std::string hex(std::span<const std::uint8_t> b) {
    return bundle_file::to_hex(b);
}

sync_session::sync_session(replica& r, const transport_fn& t, std::string bearer,
                           const sync_options& o, const progress_fn& progress, sync_report& rep)
    : r_(r), t_(t), bearer_(std::move(bearer)), o_(o), progress_(progress), rep_(rep),
      backoff_(o.retry, seed_of(o)) {
    if (auto v = r_.meta("protocol_version")) version_ = static_cast<std::uint32_t>(std::stoul(*v));
    if (o_.max_time_ms > 0) deadline_ = now() + o_.max_time_ms;
}

bool sync_session::negotiated() {
    // A lower stored version is negotiated again: the server may have been upgraded since.
    return r_.meta("protocol_version") == std::to_string(o_.max_protocol_version);
}

std::int64_t sync_session::now() const {
    if (o_.now_ms) return o_.now_ms();
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t sync_session::budget_ms() const {
    if (deadline_ == 0) return 0;
    return std::max<std::int64_t>(1, deadline_ - now());
}

bool sync_session::past_deadline() {
    if (deadline_ != 0 && now() >= deadline_) stopped_ = true;
    return stopped_;
}

void sync_session::sleep(std::int64_t ms) {
    ++rep_.retries;
    if (o_.sleep) o_.sleep(std::chrono::milliseconds(ms));
    else std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

std::vector<std::uint8_t> sync_session::encode(protocol::message body) {
    protocol::frame f{version_, ++request_id_, std::move(body)};
    auto bytes = protocol::encode(f);
    ++rep_.requests;
    rep_.bytes_sent += bytes.size();
    return bytes;
}

result<protocol::frame> sync_session::send(protocol::message body) {
    auto bytes = encode(std::move(body));
    const auto start = now();
    sent_ms_ = r_.clock().wall_ms();
    auto resp = t_(bytes, bearer_);
    last_ms_ = now() - start;
    return read_answer(std::move(resp));
}

status sync_session::post(protocol::message body) {
    auto bytes = encode(std::move(body));
    sent_ms_ = r_.clock().wall_ms();
    return o_.pipeline.send(bytes, bearer_);
}

result<protocol::frame> sync_session::read_answer(result<std::vector<std::uint8_t>> resp) {
    received_ms_ = r_.clock().wall_ms();
    last_bytes_ = 0;
    if (!resp) return std::move(resp).err();
    last_bytes_ = resp->size();
    ++answers_;
    rep_.bytes_received += last_bytes_;
    auto in = protocol::decode(*resp);
    if (!in) return std::move(in).err();
    if (const auto* e = std::get_if<protocol::error_body>(&in->body)) {
        // The server's message is Spanish; it names what to do.
        return make_error(e->code, e->field, e->message, e->message);
    }
    return std::move(*in);
}

error sync_session::unexpected_answer() const {
    return make_error(errc::bad_frame, "respuesta", "el servidor respondió con otro mensaje",
                      "the server answered with an unexpected message");
}

std::optional<std::int64_t> sync_session::retry_wait(const error& e, std::uint32_t& attempt,
                                                     request_sizer* sizer, bool at_once) {
    // Too large for the server: the same request in half the size, at once (not a retry of
    // a failure of the link, so it spends no attempt).
    if (e.code == errc::too_large && sizer && sizer->size() > sizer->floor()) {
        sizer->on_failure();
        return 0;
    }
    if (!is_transient(e.code) || attempt >= o_.retry.max_retries) return std::nullopt;
    // A cut or a timeout says the request was too big for the link as it is now.
    if (sizer && e.code != errc::busy) sizer->on_failure();
    const auto wait = at_once ? 0 : backoff_.delay_ms(attempt);
    ++attempt;
    if (deadline_ != 0 && now() + wait >= deadline_) {
        stopped_ = true;
        return -1;
    }
    if (progress_) {
        sync_progress p{"retry", 0, 0, &rep_};
        p.retry = attempt;
        p.max_retries = o_.retry.max_retries;
        p.wait_ms = wait;
        p.cause = &e;
        progress_(p);
    }
    return wait;
}

result<std::optional<std::int64_t>> sync_session::hello() {
    version_ = protocol::min_supported_version;  // a hello travels in the client's minimum
    protocol::hello h{protocol::min_supported_version, o_.max_protocol_version, r_.device_id(),
                      "minga 0.1.0"};
    if (o_.max_protocol_version >= protocol::keys_version) {
        // Only keys already stored (sync() makes them before its hello; an enrolment sends
        // its fresh ones in `enroll` and stores them with the credential).
        auto keys = load_or_make_keys(r_);
        if (keys.stored) {
            h.sign_pk = std::move(keys.sign_pk);
            h.box_pk = std::move(keys.box_pk);
        }
    }
    auto ack = exchange<protocol::hello_ack>([&] { return protocol::message{h}; });
    if (!ack) return std::move(ack).err();
    if (!*ack) return std::optional<std::int64_t>{};
    version_ = (*ack)->version;
    if (!(*ack)->server_box_pk.empty() && r_.meta("server_box_pk") != hex((*ack)->server_box_pk)) {
        sql::transaction tx(r_.conn());
        r_.set_meta(tx, "server_box_pk", hex((*ack)->server_box_pk));
        r_.commit(tx);
    }
    return std::optional<std::int64_t>{correct_clock((*ack)->server_time_ms)};
}

std::int64_t sync_session::correct_clock(std::int64_t server_ms) {
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

}  // namespace minga::detail
