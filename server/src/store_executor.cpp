#include <minga/server/store_executor.hpp>

#include <minga/server/frames.hpp>

#include <boost/asio/execution.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <chrono>

namespace minga::server {

namespace net = boost::asio;

store_executor::store_executor(std::unique_ptr<store_backend> backend,
                               const store_executor_options& opts, logger log)
    : backend_(std::move(backend)), opts_(opts), log_(std::move(log)) {
    thread_ = std::thread([this] { run(); });
}

store_executor::~store_executor() { stop(); }

status store_executor::submit(std::vector<std::uint8_t> request, std::string bearer,
                              net::any_io_executor ex, store_completion done) {
    return enqueue(job{std::move(request), std::move(bearer),
                       net::prefer(ex, net::execution::outstanding_work.tracked), std::move(done), {}});
}

status store_executor::submit_task(store_task work, net::any_io_executor ex, std::function<void()> done) {
    return enqueue(job{{}, {}, net::prefer(ex, net::execution::outstanding_work.tracked),
                       [d = std::move(done)](store_reply) { d(); }, std::move(work)});
}

status store_executor::enqueue(job j) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) {
            return make_error(errc::unavailable, "", "el servidor se está deteniendo",
                              "the server is shutting down");
        }
        if (queue_.size() >= opts_.queue_capacity) {
            return make_error(errc::busy, "",
                              "el servidor está ocupado; intente de nuevo en unos minutos",
                              "the server is busy; try again in a few minutes");
        }
        queue_.push_back(std::move(j));
    }
    cv_.notify_one();
    return {};
}

std::size_t store_executor::queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
}

void store_executor::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void store_executor::run() {
    for (;;) {
        job j;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and every queued job has run
            j = std::move(queue_.front());
            queue_.pop_front();
        }
        store_reply reply = execute(j);
        // Posting may allocate; a bad_alloc here would otherwise end the store thread.
        try {
            net::post(j.ex, [done = std::move(j.done), reply = std::move(reply)]() mutable {
                done(std::move(reply));
            });
        } catch (const std::exception& e) {
            log_.error("no se pudo entregar una respuesta: {}", e.what());
        }
    }
}

store_reply store_executor::execute(const job& j) noexcept {
    const auto start = std::chrono::steady_clock::now();
    store_reply reply;
    if (j.task) {
        try {
            j.task(*backend_);
        } catch (const std::exception& e) {
            log_.error("fallo del almacén en una tarea: {}", e.what());
        }
        return reply;
    }
    try {
        reply.body = backend_->handle(j.request, j.bearer);
        reply.code = response_code(reply.body);
    } catch (const std::exception& e) {
        // A broken environment (disk full, corrupt database): say so to the administrator,
        // and answer `internal` so the client retries later rather than hanging.
        log_.error("fallo del almacén al atender una solicitud: {}", e.what());
        try {
            reply.body = error_frame(
                make_error(errc::internal, "", "error interno del servidor; avise al administrador",
                           "internal server error; tell the administrator"),
                opts_.lang);
        } catch (const std::exception&) {
            reply.body.clear();
        }
        reply.code = errc::internal;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start).count();
    log_.debug("solicitud atendida: code={} in={} out={} ms={}", to_string(reply.code),
               j.request.size(), reply.body.size(), ms);
    return reply;
}

}  // namespace minga::server
