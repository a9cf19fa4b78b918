#include <minga/server/version.hpp>

namespace minga::server {
std::string_view version() noexcept { return "0.1.0"; }
}  // namespace minga::server
