#pragma once
/// The central store and the server side of the sync engine.
///
/// `central` owns the server's SQLite database (`<dir>/central.db`): the same domain schema as
/// every replica, plus devices, enrolment tokens, the change index that orders pulls, per-field
/// clocks and conflicts. `handle()` is the whole server protocol as a plain function from request
/// bytes to response bytes, so tests can sync replicas with no socket and the network code only
/// moves bytes.
///
/// Thread affinity: a `central` belongs to one thread (the server's store executor); nothing in
/// it is thread-safe. Bad input never throws: it becomes an error frame. A broken environment
/// (disk full, corrupt database) throws `sql::sql_error`.

#include <minga/protocol/result.hpp>
#include <minga/shared/catalog_import.hpp>
#include <minga/shared/hlc.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// A one-time enrolment token, as printed once by `device enroll`.
struct enrolment {
    std::string device_slot;  ///< id of the pending device entry (the device keeps its own id)
    std::string token;        ///< shown once; only its hash is stored
    std::int64_t expires_ms = 0;
    std::vector<std::string> gads;
};

struct device_info {
    std::string id;
    std::string name;
    std::vector<std::string> gads;
    std::string status;  ///< "pendiente" (token issued), "activo", "revocado"
    std::int64_t created_ms = 0;
    std::int64_t last_seen_ms = 0;
    std::uint64_t acked_through = 0;  ///< the device's high-water mark
};

struct gad_info {
    std::string code;
    std::string level;
    std::string name;
    std::int64_t devices = 0;
};

/// What importing a device bundle did (central::import_bundle).
struct bundle_outcome {
    std::vector<std::uint8_t> answer;  ///< the answer bundle for the device, to carry back
    std::string device_id;
    std::uint64_t number = 0;     ///< the bundle's number in the device's chain
    std::uint64_t changes = 0;    ///< changes it carried
    std::uint64_t applied = 0;    ///< changes applied now (0 when applied before)
    std::uint64_t conflicts = 0;  ///< fields that lost to a concurrent write
    std::uint64_t rows = 0;       ///< rows in the answer
    std::uint64_t remaining = 0;  ///< rows left for a later answer (over the answer's limit)
    bool repeated = false;        ///< this exact bundle was applied before
    std::vector<std::uint64_t> missing;  ///< earlier bundle numbers never received (data is not lost)
    std::string hash;
};

/// A bundle kept aside for review (from a revoked device); never applied.
struct held_bundle {
    std::int64_t id = 0;
    std::string device_id;
    std::uint64_t number = 0;
    std::string hash;
    std::string reason;
    std::int64_t received_ms = 0;
    std::uint64_t changes = 0;
    std::uint64_t bytes = 0;
};

/// Bounds of the server's behaviour that an operator may tune (validated in `serve`).
struct central_options {
    std::int64_t max_future_skew_ms = 5 * 60 * 1000;  ///< stamps further ahead are re-stamped
    std::uint32_t max_page_rows = 5000;               ///< rows per pull page at most
    std::uint32_t max_page_bytes = 2 * 1024 * 1024;   ///< soft bound of an encoded pull page
    hlc_clock::wall_fn wall = system_ms;              ///< the server's wall clock (tests replace it)
};

class central {
public:
    static constexpr std::string_view file_name = "central.db";

    /// Creates the store in `dir` and loads the reference data from `data_dir`.
    [[nodiscard]] static result<central> create(const std::filesystem::path& dir,
                                                const std::filesystem::path& data_dir);
    [[nodiscard]] static result<central> open(const std::filesystem::path& dir,
                                              const central_options& opts = {});
    central(central&&) noexcept;
    central& operator=(central&&) noexcept;
    ~central();

    /// One protocol request (an encoded frame) with the HTTP Bearer credential (empty if none);
    /// returns the encoded response frame (an error frame on any failure).
    [[nodiscard]] std::vector<std::uint8_t> handle(std::span<const std::uint8_t> request,
                                                   std::string_view bearer);

    /// Issues a one-time enrolment token for a new device of `gad` (a mancomunidad code gives
    /// the device its member GADs too), valid for `ttl_ms`.
    [[nodiscard]] result<enrolment> enroll_device(std::string_view gad, std::string_view name,
                                                  std::int64_t ttl_ms);
    [[nodiscard]] std::vector<device_info> devices();
    /// Blocks new uploads and downloads from the device at once; what it sent is kept.
    [[nodiscard]] status revoke_device(std::string_view id);
    /// GADs known to the server; `level` filters ("" = all).
    [[nodiscard]] std::vector<gad_info> gads(std::string_view level = {});
    /// Imports a catalogue file (all or nothing); changed rows get a new catalogue revision and
    /// reach every device at its next sync.
    [[nodiscard]] result<catalog_summary> import_catalog(catalog_kind kind, std::istream& in);

    /// The hash of the data a device scoped to `gads` should hold (see scope_digest()).
    [[nodiscard]] result<std::string> digest(const std::vector<std::string>& gads);

    [[nodiscard]] sql::db& conn() noexcept;

    /// Applies a device bundle exactly as an online push from its device (authenticated by the
    /// device's signature, scope-checked, idempotent by device seq) and answers with the rows
    /// for its scope from its pull position (docs/bundles.md). A bundle of a revoked device is
    /// refused and kept aside (held_bundles()); any other bad bundle is refused and not kept.
    /// `max_rows` bounds the rows in the answer (a carried answer must fit in one frame).
    [[nodiscard]] result<bundle_outcome> import_bundle(std::span<const std::uint8_t> file,
                                                       std::size_t max_rows);
    [[nodiscard]] std::vector<held_bundle> held_bundles();
    /// The server's long-term X25519 public key (made with the store, or on first open).
    [[nodiscard]] const std::vector<std::uint8_t>& box_public_key() const noexcept;

    /// Opaque: defined in shared/src/central_impl.hpp, used by the engine's own files only.
    struct impl;

private:
    explicit central(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace minga
