#pragma once
// The embedded schema migrations, generated from shared/src/schema/v*.sql at build time.
#include <vector>

namespace minga::schema_sql {

struct migration {
    int version;      ///< the user_version the database has after this step
    const char* sql;  ///< statements taking the database from version-1 to version
};

/// Every replica migration, in version order (v1, v2, ...).
const std::vector<migration>& all();
/// Every central-store migration (central_v1, ...), applied after the replica ones on the server.
const std::vector<migration>& central();

}  // namespace minga::schema_sql
