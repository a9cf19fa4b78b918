#pragma once
/// The store executor: the one thread that owns the server's store and runs every protocol
/// request against it, so network threads never touch SQL.
///
/// Sessions `submit()` a request (its bytes and the Bearer credential); the job waits in a
/// bounded queue (`tuning::store_queue_capacity`), runs on the store thread, and its completion
/// is posted to the executor the session gave (its strand) with the response frame. A full
/// queue refuses the job at once with `errc::busy` (the session answers 503).
///
/// Thread safety: `submit()`, `queued()` and `stop()` may be called from any thread. The
/// backend is only ever used on the store thread. Nothing thrown by the backend escapes: it
/// becomes an `internal` error frame and an error log line.

#include <minga/protocol/result.hpp>
#include <minga/server/log.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace minga {
class central;
}

namespace minga::server {

/// What the executor runs requests against: the central store in production, fakes in tests.
/// Used on the store thread only. `handle` answers every request with a frame, errors
/// included; it may throw only for a broken environment (the executor reports `internal`).
class store_backend {
public:
    virtual ~store_backend() = default;
    [[nodiscard]] virtual std::vector<std::uint8_t> handle(std::span<const std::uint8_t> request,
                                                           std::string_view bearer) = 0;
    /// The central store behind the backend, for store work that is not a protocol request
    /// (the dashboard's queries, `submit_task`); nullptr when there is none (test fakes).
    [[nodiscard]] virtual central* store() noexcept { return nullptr; }
};

/// Store work other than a protocol request, run on the store thread with the backend.
/// It reports through what it captured; an exception it throws is logged and swallowed.
using store_task = std::function<void(store_backend&)>;

/// The answer to one job: the response frame and its error code (`ok` unless an error frame).
struct store_reply {
    std::vector<std::uint8_t> body;
    errc code = errc::ok;
};

/// Called once per accepted job, on the executor given to `submit()`.
using store_completion = std::function<void(store_reply)>;

struct store_executor_options {
    std::size_t queue_capacity = 64;  ///< see tuning::store_queue_capacity
    std::string lang = "es";          ///< language of the executor's own error frames
};

class store_executor {
public:
    /// Starts the store thread. `backend` moves to it; `log` is for the "store" domain.
    store_executor(std::unique_ptr<store_backend> backend, const store_executor_options& opts,
                   logger log);
    /// Calls `stop()`.
    ~store_executor();
    store_executor(const store_executor&) = delete;
    store_executor& operator=(const store_executor&) = delete;

    /// Queues one request. On success `done` will be posted to `ex` exactly once, and `ex`'s
    /// execution context is kept busy (outstanding work) until then. Fails with `busy` when the
    /// queue is full and `unavailable` once `stop()` has begun; `done` is then never called.
    [[nodiscard]] status submit(std::vector<std::uint8_t> request, std::string bearer,
                                boost::asio::any_io_executor ex, store_completion done);

    /// Queues `work` like a request (same queue, same bound, same errors); `done` is posted to
    /// `ex` once `work` has run (also when it threw).
    [[nodiscard]] status submit_task(store_task work, boost::asio::any_io_executor ex,
                                     std::function<void()> done);

    /// Jobs waiting (not counting the one running).
    [[nodiscard]] std::size_t queued() const;

    /// Refuses new jobs, runs those already queued, joins the thread. Idempotent.
    void stop();

private:
    struct job {
        std::vector<std::uint8_t> request;
        std::string bearer;
        boost::asio::any_io_executor ex;  // tracked: keeps the session's io_context alive
        store_completion done;
        store_task task;  // set for submit_task(): run instead of backend_->handle()
    };

    void run();
    [[nodiscard]] store_reply execute(const job& j) noexcept;
    [[nodiscard]] status enqueue(job j);

    std::unique_ptr<store_backend> backend_;
    store_executor_options opts_;
    logger log_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::deque<job> queue_;  // bounded by opts_.queue_capacity
    bool stopping_ = false;
    std::thread thread_;  // last: starts after every other member is ready
};

}  // namespace minga::server
