// The desk's background sync: the CLI's syncer and messages, on a thread of its own.
#include "desk_sync.hpp"
#include "secure_link.hpp"
#include "sync_text.hpp"

#include <chrono>
#include <sstream>

namespace minga::client::desk {

namespace {

std::int64_t wall_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

desk_sync::~desk_sync() { wait(); }

bool desk_sync::start() {
    std::lock_guard lock(m_);
    if (state_.running) return false;
    if (worker_.joinable()) worker_.join();  // the last one has ended (running is false)
    state_ = sync_state{};
    state_.running = true;
    state_.started_ms = wall_ms();
    state_.progress_es = "Conectando con el servidor…";
    state_.progress_en = "Connecting to the server…";
    worker_ = std::thread([this] { run(); });
    return true;
}

sync_state desk_sync::state() const {
    std::lock_guard lock(m_);
    return state_;
}

void desk_sync::wait() {
    std::thread t;
    {
        std::lock_guard lock(m_);
        t = std::move(worker_);
    }
    if (t.joinable()) t.join();
}

void desk_sync::finish(bool ok, std::optional<error> failure, const sync_report& rep) {
    std::lock_guard lock(m_);
    state_.running = false;
    state_.finished = true;
    state_.ok = ok;
    state_.failure = std::move(failure);
    state_.report = rep;
    state_.finished_ms = wall_ms();
}

void desk_sync::run() {
    sync_report tally;
    try {
        auto r = replica::open(dir_);
        if (!r) return finish(false, r.err(), tally);
        const auto link = stored_link(*r);
        if (link.credential.empty() || link.server_url.empty()) {
            return finish(false,
                          make_error(errc::bad_input, "enroll",
                                     "este dispositivo no está inscrito en un servidor; inscríbalo con "
                                     "`minga enroll --server URL --token T`",
                                     "this device is not enrolled with a server; enrol it with "
                                     "`minga enroll --server URL --token T`"),
                          tally);
        }
        // The plain-link warning goes nowhere here: the home page shows the link itself.
        std::ostringstream quiet;
        global_options g;
        printer p(g, quiet, quiet);
        auto t = open_link(*r, link.server_url, p);
        if (!t) return finish(false, t.err(), tally);
        auto progress = [&](const sync_progress& s) {
            if (s.so_far) tally = *s.so_far;
            std::lock_guard lock(m_);
            state_.progress_es = progress_line(s, false);
            state_.progress_en = progress_line(s, true);
            state_.report = tally;
        };
        auto rep = sync(*r, t->as_transport_fn(), sync_options{}, progress);
        if (!rep) {
            const auto pending = r->changes().pending_count();
            return finish(false, explain_sync_failure(rep.err(), pending, link.server_url, &tally), tally);
        }
        finish(true, std::nullopt, *rep);
    } catch (const std::exception& e) {
        // A broken local database or environment: say so on the page instead of dying.
        finish(false,
               make_error(errc::internal, "", std::string("fallo local durante la sincronización: ") + e.what(),
                          std::string("local failure during the sync: ") + e.what()),
               tally);
    }
}

}  // namespace minga::client::desk
