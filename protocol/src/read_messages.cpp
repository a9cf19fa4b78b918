// Message bodies from msgpack arrays. The field names listed here are the required fields in
// wire order: v1's, then those a later version appended, read only when the frame's version has
// them (a v1 frame with trailing elements is a newer peer's: they are ignored).

#include "reader.hpp"

namespace minga::protocol::detail {
namespace {

using names = std::span<const std::string_view>;

void read_body(reader& rd, const msgpack::object& o, const path& p, error_body& m) {
    static constexpr std::array<std::string_view, 3> n{"code", "field", "message"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.code);
    rd.read(f[1], path{p, n[1]}, m.field);
    rd.read(f[2], path{p, n[2]}, m.message);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, hello& m) {
    static constexpr std::array<std::string_view, 4> n{"min_version", "max_version", "device_id",
                                                       "app_version"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.min_version);
    rd.read(f[1], path{p, n[1]}, m.max_version);
    rd.read(f[2], path{p, n[2]}, m.device_id);
    rd.read(f[3], path{p, n[3]}, m.app_version);
    // A hello travels in the client's minimum version: its keys follow its maximum instead.
    if (rd.failed() || m.max_version < keys_version) return;
    static constexpr std::array<std::string_view, 6> k{"min_version", "max_version", "device_id",
                                                       "app_version", "sign_pk",     "box_pk"};
    f = rd.fields(o, p, names(k));
    if (f == nullptr) return;
    rd.read(f[4], path{p, k[4]}, m.sign_pk);
    rd.read(f[5], path{p, k[5]}, m.box_pk);
}

/// The first `v1` names of `all` for a frame older than `since`, all of them from `since` on.
names for_version(const reader& rd, names all, std::size_t v1, std::uint32_t since) {
    return rd.version() >= since ? all : all.first(v1);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, hello_ack& m) {
    static constexpr std::array<std::string_view, 4> n{"version", "server_time_ms", "server_id",
                                                       "server_box_pk"};
    const names want = for_version(rd, names(n), 3, keys_version);
    const msgpack::object* f = rd.fields(o, p, want);
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.version);
    rd.read(f[1], path{p, n[1]}, m.server_time_ms);
    rd.read(f[2], path{p, n[2]}, m.server_id);
    if (want.size() > 3) rd.read(f[3], path{p, n[3]}, m.server_box_pk);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, enroll& m) {
    static constexpr std::array<std::string_view, 5> n{"enrol_token", "device_name", "device_id",
                                                       "sign_pk", "box_pk"};
    const names want = for_version(rd, names(n), 3, keys_version);
    const msgpack::object* f = rd.fields(o, p, want);
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.enrol_token);
    rd.read(f[1], path{p, n[1]}, m.device_name);
    rd.read(f[2], path{p, n[2]}, m.device_id);
    if (want.size() > 3) {
        rd.read(f[3], path{p, n[3]}, m.sign_pk);
        rd.read(f[4], path{p, n[4]}, m.box_pk);
    }
}

void read_body(reader& rd, const msgpack::object& o, const path& p, enroll_ack& m) {
    static constexpr std::array<std::string_view, 5> n{"device_id", "credential", "gads",
                                                       "server_time_ms", "server_box_pk"};
    const names want = for_version(rd, names(n), 4, keys_version);
    const msgpack::object* f = rd.fields(o, p, want);
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.device_id);
    rd.read(f[1], path{p, n[1]}, m.credential);
    rd.read(f[2], path{p, n[2]}, m.gads);
    rd.read(f[3], path{p, n[3]}, m.server_time_ms);
    if (want.size() > 4) rd.read(f[4], path{p, n[4]}, m.server_box_pk);
}

void read_change(reader& rd, const msgpack::object& o, const path& p, change& c) {
    static constexpr std::array<std::string_view, 8> n{"seq", "table",     "row_id", "op",
                                                       "hlc", "owner_gad", "fields", "base"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, c.seq);
    rd.read(f[1], path{p, n[1]}, c.table);
    rd.read(f[2], path{p, n[2]}, c.row_id);
    rd.read(f[3], path{p, n[3]}, c.op);
    rd.read(f[4], path{p, n[4]}, c.hlc);
    rd.read(f[5], path{p, n[5]}, c.owner_gad);
    rd.read(f[6], path{p, n[6]}, c.fields);
    rd.read(f[7], path{p, n[7]}, c.base);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, push& m) {
    static constexpr std::array<std::string_view, 3> n{"device_id", "changes", "device_time_ms"};
    const names want = for_version(rd, names(n), 2, device_clock_version);
    const msgpack::object* f = rd.fields(o, p, want);
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.device_id);
    const path at{p, n[1]};
    const auto items = rd.list(f[1], at);
    m.changes.reserve(items.size());
    for (std::size_t i = 0; i < items.size() && !rd.failed(); ++i) {
        read_change(rd, items[i], path{at, i}, m.changes.emplace_back());
    }
    if (want.size() > 2) rd.read(f[2], path{p, n[2]}, m.device_time_ms);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, push_ack& m) {
    static constexpr std::array<std::string_view, 4> n{"acked_through", "server_time_ms", "applied",
                                                       "conflicts"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.acked_through);
    rd.read(f[1], path{p, n[1]}, m.server_time_ms);
    rd.read(f[2], path{p, n[2]}, m.applied);
    rd.read(f[3], path{p, n[3]}, m.conflicts);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, pull& m) {
    static constexpr std::array<std::string_view, 4> n{"cursor", "max_rows", "max_bytes",
                                                       "snapshot"};
    const names want = for_version(rd, names(n), 3, snapshot_version);
    const msgpack::object* f = rd.fields(o, p, want);
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.cursor);
    rd.read(f[1], path{p, n[1]}, m.max_rows);
    rd.read(f[2], path{p, n[2]}, m.max_bytes);
    if (want.size() > 3) rd.read(f[3], path{p, n[3]}, m.snapshot);
}

void read_row(reader& rd, const msgpack::object& o, const path& p, row& r) {
    // Every element after the fourth is a value: a row has no room for appended fields.
    static constexpr std::array<std::string_view, 4> n{"row_id", "owner_gad", "deleted", "hlc"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, r.row_id);
    rd.read(f[1], path{p, n[1]}, r.owner_gad);
    rd.read(f[2], path{p, n[2]}, r.deleted);
    rd.read(f[3], path{p, n[3]}, r.hlc);
    const std::size_t count = o.via.array.size - n.size();
    r.values.reserve(count);
    for (std::size_t i = 0; i < count && !rd.failed(); ++i) {
        rd.read(f[n.size() + i], path{p, n.size() + i}, r.values.emplace_back());
    }
}

void read_block(reader& rd, const msgpack::object& o, const path& p, table_block& b) {
    static constexpr std::array<std::string_view, 3> n{"table", "columns", "rows"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, b.table);
    rd.read(f[1], path{p, n[1]}, b.columns);
    const path at{p, n[2]};
    const auto items = rd.list(f[2], at);
    b.rows.reserve(items.size());
    for (std::size_t i = 0; i < items.size() && !rd.failed(); ++i) {
        read_row(rd, items[i], path{at, i}, b.rows.emplace_back());
    }
}

void read_body(reader& rd, const msgpack::object& o, const path& p, pull_page& m) {
    static constexpr std::array<std::string_view, 7> n{
        "cursor_after", "total", "remaining", "server_time_ms", "blocks", "snapshot", "horizon"};
    const names want = for_version(rd, names(n), 5, snapshot_version);
    const msgpack::object* f = rd.fields(o, p, want);
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.cursor_after);
    rd.read(f[1], path{p, n[1]}, m.total);
    rd.read(f[2], path{p, n[2]}, m.remaining);
    rd.read(f[3], path{p, n[3]}, m.server_time_ms);
    const path at{p, n[4]};
    const auto items = rd.list(f[4], at);
    m.blocks.reserve(items.size());
    for (std::size_t i = 0; i < items.size() && !rd.failed(); ++i) {
        read_block(rd, items[i], path{at, i}, m.blocks.emplace_back());
    }
    if (want.size() > 5) {
        rd.read(f[5], path{p, n[5]}, m.snapshot);
        rd.read(f[6], path{p, n[6]}, m.horizon);
    }
}

void read_body(reader& rd, const msgpack::object& o, const path& p, bundle_carry& m) {
    static constexpr std::array<std::string_view, 1> n{"bundle"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.bundle);
}

void read_body(reader& rd, const msgpack::object& o, const path& p, bundle_answer& m) {
    static constexpr std::array<std::string_view, 4> n{"answer", "number", "applied", "rows"};
    const msgpack::object* f = rd.fields(o, p, names(n));
    if (f == nullptr) return;
    rd.read(f[0], path{p, n[0]}, m.answer);
    rd.read(f[1], path{p, n[1]}, m.number);
    rd.read(f[2], path{p, n[2]}, m.applied);
    rd.read(f[3], path{p, n[3]}, m.rows);
}

template <class T>
message read_as(reader& rd, const msgpack::object& o, const path& root) {
    T body;
    read_body(rd, o, root, body);
    return body;
}

}  // namespace

message read_message(reader& rd, msg_type t, const msgpack::object& o, const path& root) {
    switch (t) {
        case msg_type::error:
            return read_as<error_body>(rd, o, root);
        case msg_type::hello:
            return read_as<hello>(rd, o, root);
        case msg_type::hello_ack:
            return read_as<hello_ack>(rd, o, root);
        case msg_type::enroll:
            return read_as<enroll>(rd, o, root);
        case msg_type::enroll_ack:
            return read_as<enroll_ack>(rd, o, root);
        case msg_type::push:
            return read_as<push>(rd, o, root);
        case msg_type::push_ack:
            return read_as<push_ack>(rd, o, root);
        case msg_type::pull:
            return read_as<pull>(rd, o, root);
        case msg_type::pull_page:
            return read_as<pull_page>(rd, o, root);
        case msg_type::bundle_carry:  // v3 and later only: decode() checks the version
            return read_as<bundle_carry>(rd, o, root);
        case msg_type::bundle_answer:
            return read_as<bundle_answer>(rd, o, root);
    }
    rd.fail(errc::bad_frame, root, "tipo de mensaje desconocido", "unknown message type");
    return error_body{};
}

}  // namespace minga::protocol::detail
