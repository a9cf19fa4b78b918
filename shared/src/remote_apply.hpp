#pragma once
// Applying pulled rows to a replica (private to the client sync engine). Remote rows are
// written directly, never through the outbox: they are the server's state, not local changes.
// Columns this replica's schema does not know (from a newer server) are ignored, and so are
// tables it does not know. Local values of fields with unsent changes are kept.
#include <minga/protocol/messages.hpp>
#include <minga/shared/replica.hpp>

#include <cstdint>

namespace minga {

/// Applies every row of `page` inside `tx`; returns the number of rows applied.
[[nodiscard]] std::uint64_t apply_page(sql::transaction& tx, replica& r,
                                       const protocol::pull_page& page);

}  // namespace minga
