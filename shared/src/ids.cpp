#include <minga/shared/ids.hpp>

#include <sodium.h>

#include <array>
#include <chrono>
#include <stdexcept>

namespace minga {

namespace {

void ensure_sodium() {
    // sodium_init() is idempotent and thread-safe; it fails only without an entropy source.
    static const int rc = sodium_init();
    if (rc < 0) throw std::runtime_error("libsodium could not initialise (no entropy source)");
}

std::string format_uuid(const std::array<std::uint8_t, 16>& b) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string s;
    s.reserve(36);
    for (std::size_t i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(hex[b[i] >> 4]);
        s.push_back(hex[b[i] & 0xf]);
    }
    return s;
}

}  // namespace

std::string new_uuid_v7() {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    return new_uuid_v7(ms);
}

std::string new_uuid_v7(std::int64_t unix_ms) {
    ensure_sodium();
    std::array<std::uint8_t, 16> b{};
    randombytes_buf(b.data() + 6, 10);
    auto ms = static_cast<std::uint64_t>(unix_ms);
    for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<std::uint8_t>(0x70 | (b[6] & 0x0f));  // version 7
    b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));  // RFC 4122 variant
    return format_uuid(b);
}

std::string derived_id(std::string_view parent_id, std::string_view kind, std::string_view key) {
    ensure_sodium();
    std::string input;
    input.reserve(parent_id.size() + kind.size() + key.size() + 2);
    input.append(parent_id).push_back('\x1f');
    input.append(kind).push_back('\x1f');
    input.append(key);
    std::array<std::uint8_t, 16> b{};
    static constexpr std::string_view personal = "minga.derived_id";
    crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(input.data()),
                       input.size(), reinterpret_cast<const unsigned char*>(personal.data()),
                       personal.size());
    b[6] = static_cast<std::uint8_t>(0x80 | (b[6] & 0x0f));  // version 8 (custom)
    b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));
    return format_uuid(b);
}

std::string random_hex(std::size_t n) {
    ensure_sodium();
    std::string raw(n, '\0');
    randombytes_buf(raw.data(), n);
    std::string out(2 * n + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(raw.data()), n);
    out.pop_back();
    return out;
}

bool same_secret(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size() || a.empty()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_uuid(std::string_view s) noexcept {
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < 36; ++i) {
        char c = s[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

}  // namespace minga
