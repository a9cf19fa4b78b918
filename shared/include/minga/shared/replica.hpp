#pragma once
/// A device's local replica: one SQLite file (`<dir>/minga.db`) with the domain schema, the
/// reference data, the outbox and the device's identity (device id, GAD scope).
///
/// Ownership: a replica owns its connection, change log and clock; move-only. Not thread-safe:
/// one replica per thread. Every write goes through `change_log` inside a transaction that is
/// finished with `commit()`, which also persists the clock.

#include <minga/protocol/result.hpp>
#include <minga/shared/change_log.hpp>
#include <minga/shared/hlc.hpp>
#include <minga/shared/sqlite.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

class replica {
public:
    static constexpr std::string_view file_name = "minga.db";

    /// Creates a replica in `dir` for the GAD `gad` (an INEC code of an existing GAD),
    /// loading the reference data from `data_dir`. Refuses a directory that already holds one.
    [[nodiscard]] static result<replica> create(const std::filesystem::path& dir,
                                                std::string_view gad,
                                                const std::filesystem::path& data_dir);
    /// Opens an existing replica, migrating its schema to the latest version.
    [[nodiscard]] static result<replica> open(const std::filesystem::path& dir);

    [[nodiscard]] sql::db& conn() noexcept { return *db_; }
    [[nodiscard]] change_log& changes() noexcept { return *log_; }
    [[nodiscard]] hlc_clock& clock() noexcept { return *clock_; }

    [[nodiscard]] const std::string& device_id() const noexcept { return device_id_; }
    /// The GAD this replica was created for (its default owner for new rows).
    [[nodiscard]] const std::string& gad() const noexcept { return gads_.front(); }
    /// Every GAD this device may write (one, or several for a mancomunidad device).
    [[nodiscard]] const std::vector<std::string>& gads() const noexcept { return gads_; }
    [[nodiscard]] bool in_scope(std::string_view gad) const noexcept;

    /// Replaces the GAD scope (after enrolment); the replica's own GAD stays first.
    void set_scope(sql::transaction& tx, const std::vector<std::string>& gads);

    [[nodiscard]] std::optional<std::string> meta(std::string_view key);
    void set_meta(sql::transaction& tx, std::string_view key, std::string_view value);

    /// Persists the clock and commits.
    void commit(sql::transaction& tx);

private:
    explicit replica(std::unique_ptr<sql::db> db);
    void load_identity();

    // Held by pointer so the change log's references stay valid when the replica moves.
    std::unique_ptr<sql::db> db_;
    std::unique_ptr<hlc_clock> clock_;
    std::unique_ptr<change_log> log_;
    std::string device_id_;
    std::vector<std::string> gads_;
};

}  // namespace minga
