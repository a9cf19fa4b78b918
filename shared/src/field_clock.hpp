#pragma once
// Per-field clocks of a row on the central store (private to the sync engine).
//
// Encoded as msgpack [hlc, device_num, seq, {column: [hlc, device_num, seq]}]: one clock for
// the whole row (what a fresh insert writes) and the columns written since with their own.
#include <minga/shared/hlc.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minga {

struct field_stamp {
    hlc_t hlc = 0;
    std::int64_t device = 0;  ///< device.num; 0 = the central server itself
    std::uint64_t seq = 0;    ///< server sequence of the write

    /// Last-writer-wins order: (hlc, device) — deterministic on every run.
    [[nodiscard]] bool beats(const field_stamp& o) const noexcept {
        return hlc != o.hlc ? hlc > o.hlc : device > o.device;
    }
};

struct row_clocks {
    field_stamp row;
    std::vector<std::pair<std::string, field_stamp>> fields;

    [[nodiscard]] const field_stamp& of(std::string_view column) const noexcept;
    void set(std::string_view column, const field_stamp& s);
    /// The largest stamp of any field (the row's `hlc` column).
    [[nodiscard]] hlc_t max_hlc() const noexcept;
};

[[nodiscard]] sql::blob encode_clocks(const row_clocks& c);
/// Throws on bytes this module did not write (a corrupt store).
[[nodiscard]] row_clocks decode_clocks(const sql::blob& bytes);

/// msgpack bytes of one value, and back (conflict records keep typed values).
[[nodiscard]] sql::blob encode_value(const sql::value& v);
[[nodiscard]] sql::value decode_value(const sql::blob& bytes);

}  // namespace minga
