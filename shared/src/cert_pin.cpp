#include <minga/shared/cert_pin.hpp>

#include <sodium.h>

#include <cctype>

namespace minga {

std::string cert_fingerprint(std::span<const std::uint8_t> der) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, der.data(), der.size());
    char hex[2 * sizeof h + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return std::string("sha256:") + hex;
}

result<std::string> parse_pin(std::string_view text) {
    auto bad = [] {
        return make_error(errc::bad_input, "--pin",
                          "la huella debe ser sha256: seguido de 64 dígitos hexadecimales (la que "
                          "imprime `minga-server cert show`)",
                          "the pin must be sha256: followed by 64 hex digits (as printed by "
                          "`minga-server cert show`)");
    };
    constexpr std::string_view prefix = "sha256:";
    if (text.size() < prefix.size()) return bad();
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return bad();
    std::string out(prefix);
    for (char c : text.substr(prefix.size())) {
        if (c == ':') continue;
        if (!std::isxdigit(static_cast<unsigned char>(c))) return bad();
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (out.size() != prefix.size() + 2 * crypto_hash_sha256_BYTES) return bad();
    return out;
}

}  // namespace minga
