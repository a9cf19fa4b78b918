#pragma once
// State shared by the listener and its sessions: configuration, the store executor, the log,
// the stop flag and the registry of open sessions (for a graceful stop and the connection cap).
#include <minga/server/http_server.hpp>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace minga::server {

class http_session;

/// Shared (by `shared_ptr`) between the listener and every session, so it lives as long as the
/// last session even if the io_context is destroyed before `http_server`. Thread-safe.
struct server_context {
    server_context(const server_config& c, store_executor& s, log_sink& sink,
                   std::unique_ptr<boost::asio::ssl::context> tls_ctx)
        : cfg(c), store(s), log(sink, "http"), tls(std::move(tls_ctx)) {}

    const server_config cfg;
    store_executor& store;  // owned by the caller of http_server::start; outlives every handler
    const logger log;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> refusing{0};  // connections being answered 503 right now
    /// The TLS context every connection uses; null for plain HTTP. Thread-safe for new streams.
    const std::unique_ptr<boost::asio::ssl::context> tls;

    /// Registers a session from `from`; returns its id (also used in log lines).
    std::uint64_t add(std::weak_ptr<http_session> s, const boost::asio::ip::address& from) {
        std::lock_guard lock(mu_);
        const std::uint64_t id = next_id_++;
        sessions_.emplace(id, std::move(s));
        ++per_address_[from];
        return id;
    }
    void remove(std::uint64_t id, const boost::asio::ip::address& from) noexcept {
        std::lock_guard lock(mu_);
        sessions_.erase(id);
        if (auto it = per_address_.find(from); it != per_address_.end() && --it->second == 0)
            per_address_.erase(it);
    }
    /// Open sessions from `from`.
    [[nodiscard]] std::size_t count_from(const boost::asio::ip::address& from) const {
        std::lock_guard lock(mu_);
        auto it = per_address_.find(from);
        return it == per_address_.end() ? 0 : it->second;
    }
    /// Counts one more connection for `device`, unless it already has `max_connections_per_device`.
    [[nodiscard]] bool acquire_device(const std::string& device) {
        std::lock_guard lock(mu_);
        auto& n = per_device_[device];
        if (n >= cfg.max_connections_per_device) {
            if (n == 0) per_device_.erase(device);
            return false;
        }
        ++n;
        return true;
    }
    void release_device(const std::string& device) noexcept {
        std::lock_guard lock(mu_);
        if (auto it = per_device_.find(device); it != per_device_.end() && --it->second == 0)
            per_device_.erase(it);
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
    std::map<boost::asio::ip::address, std::size_t> per_address_;  // one entry per open session's address
    std::map<std::string, std::size_t> per_device_;  // one entry per device with an open session
    std::uint64_t next_id_ = 1;
};

}  // namespace minga::server
