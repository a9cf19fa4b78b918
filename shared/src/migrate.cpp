#include <minga/shared/migrate.hpp>

#include "schema_sql.hpp"

#include <string>

namespace minga {

int latest_schema_version() {
    const auto& all = schema_sql::all();
    return all.empty() ? 0 : all.back().version;
}

result<int> migrate(sql::db& db, int target) {
    if (target < 0) target = latest_schema_version();
    int current = db.user_version();
    if (current > latest_schema_version()) {
        auto v = std::to_string(current);
        return make_error(errc::unsupported_version, "schema",
                          "la base de datos tiene el esquema " + v +
                              ", más nuevo que este programa; actualice minga",
                          "the database has schema version " + v +
                              ", newer than this program; upgrade minga");
    }
    for (const auto& step : schema_sql::all()) {
        if (step.version <= current || step.version > target) continue;
        sql::transaction tx(db);
        db.exec(step.sql);
        db.set_user_version(step.version);
        tx.commit();
        current = step.version;
    }
    return current;
}

}  // namespace minga
