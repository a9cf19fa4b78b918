#pragma once
/// `--listen HOST:PORT` as typed by an operator: `127.0.0.1:8080`, `0.0.0.0:0`,
/// `localhost:8080`, `[::1]:8080`. Port 0 asks the system for a free port.

#include <minga/protocol/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace minga::server {

struct listen_address {
    std::string host;  ///< without brackets
    std::uint16_t port = 0;

    /// `http://HOST:PORT` (`https://` with `tls`), brackets around an IPv6 host; `port` overrides the stored port.
    [[nodiscard]] std::string url(std::uint16_t real_port, bool tls = false) const;
};

/// Fails with `bad_input` (field "--listen") saying what is wrong and giving an example.
[[nodiscard]] result<listen_address> parse_listen(std::string_view text);

}  // namespace minga::server
