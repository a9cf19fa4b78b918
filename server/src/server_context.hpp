#pragma once
// State shared by the listener and its sessions: configuration, the store executor, the log,
// the stop flag and the registry of open sessions (for a graceful stop and the connection cap).
#include <minga/server/http_server.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace minga::server {

class http_session;

/// Shared (by `shared_ptr`) between the listener and every session, so it lives as long as the
/// last session even if the io_context is destroyed before `http_server`. Thread-safe.
struct server_context {
    server_context(const server_config& c, store_executor& s, log_sink& sink)
        : cfg(c), store(s), log(sink, "http") {}

    const server_config cfg;
    store_executor& store;  // owned by the caller of http_server::start; outlives every handler
    const logger log;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> refusing{0};  // connections being answered 503 right now

    /// Registers a session; returns its id (also used in log lines).
    std::uint64_t add(std::weak_ptr<http_session> s) {
        std::lock_guard lock(mu_);
        const std::uint64_t id = next_id_++;
        sessions_.emplace(id, std::move(s));
        return id;
    }
    void remove(std::uint64_t id) noexcept {
        std::lock_guard lock(mu_);
        sessions_.erase(id);
    }
    [[nodiscard]] std::size_t count() const {
        std::lock_guard lock(mu_);
        return sessions_.size();
    }
    [[nodiscard]] std::vector<std::weak_ptr<http_session>> snapshot() const {
        std::lock_guard lock(mu_);
        std::vector<std::weak_ptr<http_session>> out;
        out.reserve(sessions_.size());
        for (const auto& [id, s] : sessions_) out.push_back(s);
        return out;
    }

private:
    mutable std::mutex mu_;
    std::unordered_map<std::uint64_t, std::weak_ptr<http_session>> sessions_;  // <= max_connections
    std::uint64_t next_id_ = 1;
};

}  // namespace minga::server
