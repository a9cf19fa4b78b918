#pragma once
// The embedded schema migrations, generated from shared/src/schema/v*.sql at build time.
#include <vector>

namespace minga::schema_sql {

struct migration {
    int version;      ///< the user_version the database has after this step
    const char* sql;  ///< statements taking the database from version-1 to version
};

/// Every migration, in the order of the files' names (v1, v2, ...).
const std::vector<migration>& all();

}  // namespace minga::schema_sql
