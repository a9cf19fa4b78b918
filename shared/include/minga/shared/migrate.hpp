#pragma once
/// Schema migrations over `PRAGMA user_version`.
///
/// Each migration step runs in its own `BEGIN IMMEDIATE` transaction together with the new
/// user_version, so an interrupted upgrade leaves the database at the last complete version.
/// A database newer than this binary knows is refused (never downgraded).

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

namespace minga {

/// The schema version this binary creates and understands.
[[nodiscard]] int latest_schema_version();

/// Brings `db` up to `target` (default: the latest). Returns the version reached.
[[nodiscard]] result<int> migrate(sql::db& db, int target = -1);

}  // namespace minga
