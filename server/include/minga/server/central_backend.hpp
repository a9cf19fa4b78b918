#pragma once
/// The production store backend: the central store, owned by the store executor's thread.

#include <minga/server/store_executor.hpp>
#include <minga/shared/central.hpp>

#include <memory>

namespace minga::server {

/// Wraps `c` (moved in) so the store executor owns it and uses it on its thread only.
[[nodiscard]] std::unique_ptr<store_backend> make_central_backend(central c);

}  // namespace minga::server
