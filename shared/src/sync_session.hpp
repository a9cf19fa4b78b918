#pragma once
// One sync's (or enrolment's) exchanges with the server: encode, send, decode, measure; retry
// transient failures with backoff; stop at the deadline; correct the clock from the server's.
// Private to shared/src (sync_client.cpp drives it).
#include <minga/protocol/codec.hpp>
#include <minga/shared/sync_client.hpp>

#include <functional>
#include <optional>
#include <string>

namespace minga {
class pull_position;
}

namespace minga::detail {

/// Bytes as lowercase hex (keys kept in replica_meta).
[[nodiscard]] std::string hex(std::span<const std::uint8_t> b);

/// The device's bundle keys: loaded, or made in memory (`stored` false) so that an enrolment
/// stores them only with its credential, in one transaction (bundle_device.cpp).
struct device_keys {
    std::vector<std::uint8_t> sign_pk, sign_sk, box_pk, box_sk;
    bool stored = false;
};
[[nodiscard]] device_keys load_or_make_keys(replica& r);
/// Stores fresh keys inside `tx` (no-op for stored ones) and wipes the secret copies.
void store_keys(sql::transaction& tx, replica& r, device_keys& k);

/// An outbox entry as a wire change (sync_client.cpp; bundles use it too).
[[nodiscard]] protocol::change to_wire(outbox_entry&& e);

/// Applies one pulled page with its position in one transaction, as an online pull does;
/// returns the rows applied (sync_client.cpp; bundle answers use it too).
std::uint64_t apply_pulled(replica& r, pull_position& pos, const protocol::pull_page& page);

class sync_session {
public:
    /// `r`, `t`, `o`, `progress` and `rep` belong to the caller and outlive the session; `rep`
    /// receives the counts of requests, retries and bytes.
    sync_session(replica& r, const transport_fn& t, std::string bearer, const sync_options& o,
                 const progress_fn& progress, sync_report& rep);

    /// True when an earlier sync negotiated `max_protocol_version`, so a request can go without
    /// a hello.
    [[nodiscard]] bool negotiated();

    /// One request, one answer; no retry. Records the exchange's bytes and duration.
    template <class Answer>
    result<Answer> call(protocol::message body) {
        auto raw = send(std::move(body));
        if (!raw) return std::move(raw).err();
        if (auto* a = std::get_if<Answer>(&raw->body)) return std::move(*a);
        return unexpected_answer();
    }

    /// `build()` sent until answered: a transient failure shrinks `sizer` (when given), waits
    /// a jittered backoff (none and no shrinking for the first try after a cut) and builds the
    /// request again (so it resumes from what is stored
    /// now). Empty when the deadline passed first (then `stopped()` is true).
    template <class Answer>
    result<std::optional<Answer>> exchange(const std::function<protocol::message()>& build,
                                           request_sizer* sizer = nullptr) {
        std::uint32_t attempt = 0;  // transient failures of this request so far
        for (;;) {
            if (past_deadline()) return std::optional<Answer>{};
            auto a = call<Answer>(build());
            if (a) return std::optional<Answer>{std::move(*a)};
            // A connection that had carried answers and broke was cut: the first try after it
            // goes at once (as the pipelined push does), and the same size (a cut comes at a
            // random offset: it says nothing of the link's speed).
            const bool cut = a.err().code == errc::unavailable && attempt == 0 && answers_ > 0;
            auto wait = retry_wait(a.err(), attempt, cut ? nullptr : sizer, cut);
            if (!wait) return std::move(a).err();
            if (*wait < 0) return std::optional<Answer>{};  // the wait would pass the deadline
            sleep(*wait);
        }
    }

    /// Pipelined (sync_options::pipeline, which must be set): `post` sends a request without
    /// waiting; `collect` reads the answer to the oldest one not yet answered. No retry.
    status post(protocol::message body);
    template <class Answer>
    result<Answer> collect() {
        auto raw = read_answer(o_.pipeline.receive());
        if (!raw) return std::move(raw).err();
        if (auto* a = std::get_if<Answer>(&raw->body)) return std::move(*a);
        return unexpected_answer();
    }

    /// What to do after a failed attempt: no value = give up with the error; -1 = stop at the
    /// deadline; otherwise the wait in ms before the next attempt (then call `sleep`). Counts
    /// transient failures in `attempt`; shrinks `sizer` (when given) after a cut or timeout.
    /// `at_once`: a transient failure is tried again without a wait (still counted).
    std::optional<std::int64_t> retry_wait(const error& e, std::uint32_t& attempt, request_sizer* sizer,
                                           bool at_once = false);
    void sleep(std::int64_t ms);
    /// True (and `stopped()` from then on) once the deadline has passed.
    bool past_deadline();
    /// The steady clock, in ms.
    [[nodiscard]] std::int64_t now() const;

    /// hello: negotiates the version and corrects the clock. Empty at the deadline.
    result<std::optional<std::int64_t>> hello();
    /// Learns the offset to the server's clock from the last exchange (re-stamping unsent
    /// changes when this device's clock turns out to be wrong) and returns it.
    std::int64_t correct_clock(std::int64_t server_ms);

    /// Duration of the last exchange, in ms of the steady clock, and its response's size.
    [[nodiscard]] std::int64_t last_ms() const noexcept { return last_ms_; }
    [[nodiscard]] std::uint64_t last_response_bytes() const noexcept { return last_bytes_; }
    /// Time left before the deadline, for sizing the next request (0: no deadline).
    [[nodiscard]] std::int64_t budget_ms() const;
    [[nodiscard]] bool stopped() const noexcept { return stopped_; }
    [[nodiscard]] std::int64_t target_ms() const noexcept { return o_.target_ms; }

private:
    result<protocol::frame> send(protocol::message body);
    /// Encodes the next request frame and counts it.
    std::vector<std::uint8_t> encode(protocol::message body);
    /// Counts and decodes an answer; an error frame becomes its error.
    result<protocol::frame> read_answer(result<std::vector<std::uint8_t>> resp);
    error unexpected_answer() const;

    replica& r_;                   // the caller's replica
    const transport_fn& t_;        // the caller's transport
    std::string bearer_;
    const sync_options& o_;        // the caller's options
    const progress_fn& progress_;  // the caller's progress callback (may be empty)
    sync_report& rep_;             // the caller's report
    backoff backoff_;
    std::int64_t deadline_ = 0;    // steady ms; 0: none
    std::uint32_t version_ = protocol::min_supported_version;
    std::int64_t sent_ms_ = 0;     // wall clock, for the offset
    std::int64_t received_ms_ = 0;
    std::int64_t last_ms_ = 0;
    std::uint64_t last_bytes_ = 0;
    std::uint64_t request_id_ = 0;
    std::uint64_t answers_ = 0;    // answers read in this session
    bool stopped_ = false;
};

}  // namespace minga::detail
