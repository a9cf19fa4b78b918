#include <minga/client/version.hpp>

namespace minga::client {
std::string_view version() noexcept { return "0.1.0"; }
}  // namespace minga::client
