#include <minga/server/frames.hpp>

#include <minga/protocol/codec.hpp>
#include <minga/protocol/messages.hpp>

namespace minga::server {

namespace {

/// A msgpack unsigned integer at `pos` (fixint or uint8..uint64), advancing `pos`.
bool read_uint(std::span<const std::uint8_t> b, std::size_t& pos, std::uint64_t& out) noexcept {
    if (pos >= b.size()) return false;
    const std::uint8_t tag = b[pos++];
    if (tag <= 0x7f) {
        out = tag;
        return true;
    }
    std::size_t n = 0;
    switch (tag) {
        case 0xcc: n = 1; break;
        case 0xcd: n = 2; break;
        case 0xce: n = 4; break;
        case 0xcf: n = 8; break;
        default: return false;
    }
    if (b.size() - pos < n) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) out = (out << 8) | b[pos++];
    return true;
}

/// Skips the header of the frame's outer array.
bool skip_array_header(std::span<const std::uint8_t> b, std::size_t& pos) noexcept {
    if (pos >= b.size()) return false;
    const std::uint8_t tag = b[pos++];
    if ((tag & 0xf0) == 0x90) return true;
    std::size_t n = tag == 0xdc ? 2 : tag == 0xdd ? 4 : 0;
    if (n == 0 || b.size() - pos < n) return false;
    pos += n;
    return true;
}

}  // namespace

std::vector<std::uint8_t> error_frame(const error& e, std::string_view lang) {
    protocol::frame f;
    f.body = protocol::to_error_body(e, lang);
    return protocol::encode(f);
}

errc response_code(std::span<const std::uint8_t> response) noexcept {
    std::size_t pos = 0;
    std::uint64_t version = 0;
    std::uint64_t type = 0;
    if (!skip_array_header(response, pos) || !read_uint(response, pos, version) ||
        !read_uint(response, pos, type))
        return errc::internal;
    if (type != static_cast<std::uint64_t>(protocol::msg_type::error)) return errc::ok;
    try {
        auto f = protocol::decode(response);
        if (!f) return errc::internal;
        const auto* body = std::get_if<protocol::error_body>(&f->body);
        return body ? body->code : errc::internal;
    } catch (const std::exception&) {
        return errc::internal;  // decode promises not to throw; stay noexcept regardless
    }
}

unsigned http_status_for(errc code) noexcept {
    switch (code) {
        case errc::ok: return 200;
        case errc::bad_input:
        case errc::bad_frame:
        case errc::unsupported_version: return 400;
        case errc::unauthorized:
        case errc::expired: return 401;
        case errc::forbidden: return 403;
        case errc::not_found: return 404;
        case errc::conflict: return 409;
        case errc::too_large: return 413;
        case errc::busy:
        case errc::unavailable: return 503;
        case errc::timeout: return 504;
        case errc::internal: return 500;
    }
    return 500;
}

}  // namespace minga::server
