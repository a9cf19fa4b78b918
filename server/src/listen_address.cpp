#include <minga/server/listen_address.hpp>

#include <charconv>

namespace minga::server {

std::string listen_address::url(std::uint16_t real_port, bool tls) const {
    const bool v6 = host.find(':') != std::string::npos;
    return (tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(real_port);
}

result<listen_address> parse_listen(std::string_view text) {
    auto bad = [&](std::string_view es, std::string_view en) {
        return make_error(errc::bad_input, "--listen",
                          std::string(es) + " (\"" + std::string(text) + "\"; p. ej. 127.0.0.1:8080)",
                          std::string(en) + " (\"" + std::string(text) + "\"; e.g. 127.0.0.1:8080)");
    };
    listen_address a;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return bad("use [IPv6]:PUERTO", "use [IPv6]:PORT");
        a.host = std::string(text.substr(1, close - 1));
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return bad("falta el puerto", "the port is missing");
        a.host = std::string(text.substr(0, colon));
        port = text.substr(colon + 1);
        if (a.host.find(':') != std::string::npos)
            return bad("ponga una dirección IPv6 entre corchetes", "put an IPv6 address in brackets");
    }
    if (a.host.empty()) return bad("falta la dirección", "the address is missing");
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535)
        return bad("el puerto debe ser un número entre 0 y 65535",
                   "the port must be a number between 0 and 65535");
    a.port = static_cast<std::uint16_t>(value);
    return a;
}

}  // namespace minga::server
