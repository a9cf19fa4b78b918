#pragma once
// The desk's static files (client/desk/*.css, *.js), compiled into the binary at build time
// (client/CMakeLists.txt generates desk_assets.cpp): nothing is fetched from elsewhere.
#include <optional>
#include <string_view>

namespace minga::client::desk {

struct asset {
    std::string_view body;
    std::string_view content_type;
};

/// The file `name` ("desk.css"), or nullopt.
[[nodiscard]] std::optional<asset> find_asset(std::string_view name);

}  // namespace minga::client::desk
