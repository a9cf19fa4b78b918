#pragma once
// Creating a store file (a replica or the central store) all or nothing.
#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <filesystem>
#include <functional>
#include <string_view>

namespace minga {

/// Creates `<dir>/<file_name>`: refuses an existing one, builds the database in a temporary file
/// with `build` (migrations, reference data, identity) and renames it into place only when
/// `build` succeeded. On failure nothing is left behind, not even a folder it had to create.
/// `what_es`/`what_en` name the store in messages ("una réplica" / "a replica").
[[nodiscard]] status create_store_file(const std::filesystem::path& dir, std::string_view file_name,
                                       std::string_view what_es, std::string_view what_en,
                                       const std::function<status(sql::db&)>& build);

}  // namespace minga
