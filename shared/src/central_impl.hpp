#pragma once
// The inside of `central`: shared by central.cpp (lifecycle, admin, dispatch),
// central_auth.cpp (tokens and credentials), central_push.cpp (merge) and central_pull.cpp.
#include <minga/protocol/messages.hpp>
#include <minga/shared/central.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace minga {

/// An authenticated device.
struct device_auth {
    std::int64_t num = 0;
    std::string id;
    std::vector<std::string> gads;
    std::uint64_t acked_through = 0;

    [[nodiscard]] bool in_scope(std::string_view gad) const noexcept;
};

struct central::impl {
    std::unique_ptr<sql::db> db;
    central_options opts;
    hlc_clock clock;
    std::string server_id;
    std::map<std::string, std::vector<std::string>, std::less<>> columns_;
    std::vector<std::uint8_t> box_pk, box_sk;  ///< the server's bundle keys (central_bundle.cpp)

    /// Payload columns of a synced table (cached).
    [[nodiscard]] const std::vector<std::string>& cols(std::string_view table);

    // central_auth.cpp
    [[nodiscard]] result<device_auth> authenticate(std::string_view bearer);
    [[nodiscard]] result<protocol::enroll_ack> on_enroll(const protocol::enroll& m);
    [[nodiscard]] std::string device_id_of(std::int64_t num);

    // central_keys.cpp
    /// Loads the server's box keypair from `dir`, making it (file mode 0600) when missing.
    void load_box_keys(const std::filesystem::path& dir);
    /// Registers the keys of a device that has none (a v3 hello of a device enrolled before v3).
    void register_keys(const device_auth& dev, const std::vector<std::uint8_t>& sign_pk,
                       const std::vector<std::uint8_t>& box_pk);

    // central_push.cpp
    /// Applies a push; from v3 (`version`) also records the device's clock offset.
    [[nodiscard]] result<protocol::push_ack> on_push(const device_auth& dev, const protocol::push& m,
                                                     std::uint32_t version);

    // central_pull.cpp
    /// `version`: the request frame's; only v2 and later get snapshots.
    [[nodiscard]] result<protocol::pull_page> on_pull(const device_auth& dev, const protocol::pull& m,
                                                      std::uint32_t version);

    /// Gives (tbl, row_id) a new server sequence; returns it.
    std::uint64_t bump_seq(std::string_view table, std::string_view row_id,
                           std::string_view owner_gad, std::int64_t echo_device);
};

/// Hex BLAKE2b-256 of a secret (tokens and credentials are stored only this way).
[[nodiscard]] std::string hash_secret(std::string_view secret);

}  // namespace minga
