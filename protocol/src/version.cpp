#include <minga/protocol/version.hpp>

#include <algorithm>
#include <string>

namespace minga::protocol {

result<std::uint32_t> negotiate(std::uint32_t client_min, std::uint32_t client_max) {
    if (client_min > client_max) {
        return make_error(errc::bad_input, "hello.min_version",
                          "la versión mínima es mayor que la máxima",
                          "the minimum version is above the maximum");
    }
    const std::uint32_t chosen = std::min(client_max, current_version);
    if (chosen < std::max(client_min, min_supported_version)) {
        const std::string ranges =
            " (" + std::to_string(min_supported_version) + ".." + std::to_string(current_version) +
            " / " + std::to_string(client_min) + ".." + std::to_string(client_max) + ")";
        if (client_min > current_version) {
            return make_error(errc::unsupported_version, "hello.min_version",
                              "el servidor es más antiguo que este cliente; pida al administrador "
                              "que lo actualice" +
                                  ranges,
                              "the server is older than this client; ask the administrator to "
                              "update it" +
                                  ranges);
        }
        return make_error(errc::unsupported_version, "hello.max_version",
                          "este cliente es demasiado antiguo para el servidor; actualice la "
                          "aplicación" +
                              ranges,
                          "this client is too old for the server; update the application" + ranges);
    }
    return chosen;
}

}  // namespace minga::protocol
