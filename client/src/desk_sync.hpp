#pragma once
// The desk's "Sincronizar" button: one sync at a time, run on its own thread (never on the
// HTTP or store threads) with its own replica connection, through the same syncer and the
// same failure messages as `minga sync`. Pages read a snapshot of its state.
// Thread-safe: start() and state() may be called from any thread.
#include <minga/protocol/result.hpp>
#include <minga/shared/sync_client.hpp>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace minga::client::desk {

/// What a page shows about the current or last sync.
struct sync_state {
    bool running = false;
    bool finished = false;          ///< a sync ran to its end (ok or not) in this desk run
    bool ok = false;                ///< the last one converged
    std::string progress_es, progress_en;  ///< the latest progress line
    std::optional<error> failure;   ///< why the last one failed (already explained for people)
    sync_report report;             ///< its counts (how far it got when it failed)
    std::int64_t started_ms = 0, finished_ms = 0;  ///< wall clock
};

class desk_sync {
public:
    explicit desk_sync(std::filesystem::path data_dir) : dir_(std::move(data_dir)) {}
    ~desk_sync();
    desk_sync(const desk_sync&) = delete;
    desk_sync& operator=(const desk_sync&) = delete;

    /// Starts a sync unless one is running; false when one was.
    bool start();
    [[nodiscard]] sync_state state() const;
    /// Waits for a running sync to end (tests, shutdown).
    void wait();

private:
    void run();
    void finish(bool ok, std::optional<error> failure, const sync_report& rep);

    std::filesystem::path dir_;
    mutable std::mutex m_;
    sync_state state_;  // guarded by m_
    std::thread worker_;
};

}  // namespace minga::client::desk
