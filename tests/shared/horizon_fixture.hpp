#pragma once
// A sync world whose server and devices share a hand-moved wall clock, so that "a deletion 200
// days old" is a fact of the test, not of the machine; plus helpers for horizon tests.
#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/shared/compaction.hpp>

#include <string>

namespace minga::testing {

inline constexpr std::int64_t day_ms = 24LL * 60 * 60 * 1000;

inline form agreement_form(const std::string& title) {
    return {{"title", title}, {"kind", "convenio_marco"}, {"status", "vigente"}};
}

struct horizon_world {
    manual_clock mc;
    sync_world w{options()};

    central_options options() {
        central_options o;
        o.wall = mc.fn();
        return o;
    }

    replica& add_device(const std::string& gad) {
        auto& r = w.add_device(gad);
        set_wall(r, mc, 0);
        return r;
    }

    /// A new agreement written on `r`; returns its id.
    std::string add(replica& r, const std::string& title) {
        entity_service s(r);
        auto out = s.add(*find_entity("agreement"), agreement_form(title));
        REQUIRE(out.ok());
        return out->id;
    }
    void rename(replica& r, const std::string& id, const std::string& title) {
        entity_service s(r);
        REQUIRE(s.update(*find_entity("agreement"), id, {{"title", title}}).ok());
    }
    void remove(replica& r, const std::string& id) {
        entity_service s(r);
        REQUIRE(s.remove(*find_entity("agreement"), id).ok());
    }

    compact_report compact(std::int64_t keep_days) {
        compact_options o;
        o.keep_days = keep_days;
        o.now_ms = mc.now_ms;
        auto rep = compact_tombstones(w.server->conn(), o);
        REQUIRE(rep.ok());
        return *rep;
    }

    std::uint64_t server_seq(const std::string& id) {
        return static_cast<std::uint64_t>(w.server->conn().scalar_int(
            "SELECT coalesce(max(seq), 0) FROM change_index WHERE row_id = '" + id + "'"));
    }
    std::uint64_t cursor(replica& r) { return std::stoull(r.meta("pull_cursor").value_or("0")); }
};

/// Rows of `table` with this id in `db` (0 or 1), tombstones included.
inline std::int64_t rows_with_id(sql::db& db, const std::string& table, const std::string& id) {
    return db.scalar_int("SELECT count(*) FROM " + table + " WHERE id = '" + id + "'");
}

inline std::string title_of(sql::db& db, const std::string& id) {
    auto s = db.prepare("SELECT title FROM agreement WHERE id = ?1");
    s.bind(1, id);
    return s.step() ? s.get_text(0) : std::string("<absent>");
}

}  // namespace minga::testing
