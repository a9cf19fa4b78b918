#pragma once
/// The digest of a scope: a hash of the data a device of that scope should hold, computed the
/// same way on the server and on a replica, so "converged" is one string comparison.

#include <minga/shared/sqlite.hpp>

#include <string>
#include <vector>

namespace minga {

/// Hex SHA-256 over the live GAD-owned rows whose owner is in `gads`, table by table in sync
/// order, rows by id: id, owner, tombstone flag and every payload column (not clocks, which a
/// merge may legitimately restamp). Order of `gads` does not matter. Tombstones are left out:
/// the server purges old ones (the tombstone horizon) while devices may keep theirs, and a
/// deleted row and an absent one are the same data.
[[nodiscard]] std::string scope_digest(sql::db& db, std::vector<std::string> gads);

}  // namespace minga
