#pragma once
// Private: type-checked conversion from an unpacked msgpack::object to protocol structs.
//
// Nothing here trusts the wire: every read checks the msgpack type and the integer range
// before storing, and records a `bad_frame` naming the field on a mismatch. After the first
// error every read is a no-op, so callers check `failed()` once at the end.

#include "wire_path.hpp"

#include <minga/protocol/messages.hpp>

#include <msgpack.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga::protocol::detail {

class reader {
  public:
    /// The version of the frame being read: which appended fields its bodies must carry.
    explicit reader(std::uint32_t version = 1) : version_(version) {}
    [[nodiscard]] std::uint32_t version() const noexcept { return version_; }
    void set_version(std::uint32_t v) noexcept { version_ = v; }

    [[nodiscard]] bool failed() const noexcept { return errors_.failed(); }
    [[nodiscard]] status take() { return errors_.take(); }
    void fail(errc code, const path& at, std::string_view es, std::string_view en) {
        errors_.fail(code, at, es, en);
    }

    /// The elements of the struct array `o`, which must hold at least `names.size()` of them
    /// (more are a newer peer's appended fields, ignored). Null after recording the error,
    /// which names the first missing field.
    [[nodiscard]] const msgpack::object* fields(const msgpack::object& o, const path& at,
                                                std::span<const std::string_view> names);

    /// The elements of the list `o` (any length; `validate` bounds it), or an empty span after
    /// recording the error.
    [[nodiscard]] std::span<const msgpack::object> list(const msgpack::object& o, const path& at);

    void read(const msgpack::object& o, const path& at, std::uint64_t& out);
    void read(const msgpack::object& o, const path& at, std::uint32_t& out);
    void read(const msgpack::object& o, const path& at, std::int64_t& out);
    void read(const msgpack::object& o, const path& at, bool& out);
    void read(const msgpack::object& o, const path& at, std::string& out);
    void read(const msgpack::object& o, const path& at, std::optional<std::string>& out);
    void read(const msgpack::object& o, const path& at, value& out);
    void read(const msgpack::object& o, const path& at, field_map& out);
    void read(const msgpack::object& o, const path& at, std::vector<std::string>& out);
    /// A bin (public keys); its size is validate()'s to check.
    void read(const msgpack::object& o, const path& at, std::vector<std::uint8_t>& out);
    void read(const msgpack::object& o, const path& at, errc& out);
    void read(const msgpack::object& o, const path& at, change_op& out);

  private:
    void wrong_type(const path& at, std::string_view expected_es, std::string_view expected_en);

    first_error errors_;
    std::uint32_t version_;
};

/// Reads the body of a frame of type `t` from the array `o`; `root` is the message name.
/// Check `rd.failed()` afterwards.
[[nodiscard]] message read_message(reader& rd, msg_type t, const msgpack::object& o,
                                   const path& root);

}  // namespace minga::protocol::detail
