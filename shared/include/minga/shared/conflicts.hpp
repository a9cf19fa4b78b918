#pragma once
/// Conflicts: when two devices changed the same field concurrently, the losing value is kept in
/// a conflict row (synced like any GAD-owned row) until a person resolves it.

#include <minga/protocol/result.hpp>
#include <minga/shared/replica.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace minga {

struct conflict_info {
    std::string id;
    std::string table;
    std::string row_id;
    std::string column;
    std::string winner_value;   ///< as text
    std::string loser_value;
    std::string winner_device;
    std::string loser_device;
    bool mine_lost = false;     ///< this device wrote the losing value
    std::string status;         ///< "abierto" or "resuelto"
};

/// Conflicts of the replica's scope; open ones only unless `all`.
[[nodiscard]] std::vector<conflict_info> list_conflicts(replica& r, bool all = false);

/// Resolves a conflict: `keep_mine` keeps this device's value (writing it again if it lost),
/// otherwise the other device's value is kept. Either way the conflict is marked resolved.
[[nodiscard]] result<conflict_info> resolve_conflict(replica& r, std::string_view id,
                                                     bool keep_mine);

}  // namespace minga
