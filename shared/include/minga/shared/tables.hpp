#pragma once
/// The synced tables and their ownership class, in the order a snapshot applies them.
///
/// catalogue: written by central only, read by every device (envelope: rev, deleted).
/// gad: owned by one GAD (envelope: owner_gad, hlc, deleted), written by its devices.
/// Persisted in the outbox and sent on the wire by name: never rename a table.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

enum class ownership : std::uint8_t { catalogue = 1, gad = 2 };

struct table_def {
    std::string_view name;
    ownership owner;
};

/// Every synced table, catalogue first, parents before children.
[[nodiscard]] std::span<const table_def> synced_tables() noexcept;
/// The definition of a synced table, or nullopt for an unknown name.
[[nodiscard]] std::optional<table_def> find_table(std::string_view name) noexcept;
/// The primary-key column of a synced table ("id", or "code" for gad and indicator_def).
[[nodiscard]] std::string_view id_column(std::string_view table) noexcept;

}  // namespace minga

namespace minga::sql {
class db;
}

namespace minga {
/// Columns of a synced table that are not part of the sync envelope (id, owner_gad, hlc,
/// rev, deleted), as the schema declares them, in declaration order.
[[nodiscard]] std::vector<std::string> payload_columns(sql::db& db, std::string_view table);
}  // namespace minga
