#pragma once
// An independent oracle of last-writer-wins on (hlc, device) over agreements, and the random
// edits it watches (sync_random_test.cpp, bundle_random_test.cpp).
#include "sync_fixture.hpp"

#include <minga/shared/digest.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/replica.hpp>

#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

namespace minga::testing {

struct write {
    write(hlc_t h, std::int64_t d, sql::value v) : hlc(h), device(d), value(std::move(v)) {}
    hlc_t hlc;
    std::int64_t device;
    sql::value value;
};

/// The oracle: every write ever queued, per (row, field); the winner is the max (hlc, device).
struct oracle {
    std::map<std::pair<std::string, std::string>, std::vector<write>> writes;
    std::map<std::string, std::string> owner;

    void capture(replica& r, std::int64_t device_num) {
        for (auto& e : r.changes().pending(0, 1'000'000)) {
            if (e.table != "agreement") continue;
            owner[e.row_id] = e.owner_gad;
            auto& del = writes[{e.row_id, "deleted"}];
            del.emplace_back(e.hlc, device_num, std::int64_t{e.op == change_op::remove ? 1 : 0});
            for (auto& [k, v] : e.fields) writes[{e.row_id, k}].emplace_back(e.hlc, device_num, v);
        }
    }

    [[nodiscard]] sql::value expected(const std::string& row, const std::string& field) const {
        const auto& w = writes.at({row, field});
        const write* best = &w.front();
        for (const auto& x : w)
            if (x.hlc > best->hlc || (x.hlc == best->hlc && x.device > best->device)) best = &x;
        return best->value;
    }
};

inline void random_edit(std::mt19937& rng, replica& r, entity_service& svc) {
    const auto& ag = *find_entity("agreement");
    auto rows = svc.list(ag);
    std::uniform_int_distribution<int> pick_op(0, 9);
    int op = rows.empty() ? 0 : pick_op(rng);
    static const char* statuses[] = {"negociacion", "vigente", "finalizado", "suspendido"};
    if (op <= 2) {
        auto added = svc.add(ag, {{"title", "Convenio " + std::to_string(rng() % 1000)},
                                  {"kind", "convenio_marco"},
                                  {"status", statuses[rng() % 4]}});
        REQUIRE(added.ok());
        return;
    }
    const auto& target = rows[rng() % rows.size()].id;
    if (op == 9) {
        REQUIRE(svc.remove(ag, target).ok());
        return;
    }
    form f;
    if (op <= 5) f.emplace_back("title", "Título " + std::to_string(rng() % 50));
    if (op >= 5) f.emplace_back("status", statuses[rng() % 4]);
    if (op == 8) f.emplace_back("purpose", "Objeto " + std::to_string(rng() % 7));
    REQUIRE(svc.update(ag, target, f).ok());
    (void)r;
}

/// The end of a randomized run: every device syncs online twice (the second pass brings what
/// the first pushed elsewhere), with the oracle seeing every queued change first; then each
/// replica's digest equals the server's for its scope, and every agreement ever created exists
/// exactly once on the server with the oracle's winning values.
inline void settle_and_check(sync_world& w, oracle& o, const std::vector<replica*>& devs,
                             const std::vector<std::string>& gads) {
    for (int pass = 0; pass < 2; ++pass)
        for (std::size_t d = 0; d < devs.size(); ++d) {
            o.capture(*devs[d], static_cast<std::int64_t>(d + 1));
            w.sync_ok(*devs[d]);
        }
    for (std::size_t d = 0; d < devs.size(); ++d) {
        CHECK(devs[d]->changes().pending_count() == 0);
        CHECK(scope_digest(devs[d]->conn(), devs[d]->gads()) == w.server_digest(gads[d]));
    }
    auto& db = w.server->conn();
    CHECK(static_cast<std::size_t>(db.scalar_int("SELECT count(*) FROM agreement")) == o.owner.size());
    for (const auto& [key, ws] : o.writes) {
        const auto& [row, field] = key;
        auto s = db.prepare("SELECT " + field + " FROM agreement WHERE id = ?1");
        s.bind(1, row);
        REQUIRE(s.step());
        INFO("row " << row << " field " << field);
        CHECK(s.get_value(0) == o.expected(row, field));
    }
}

}  // namespace minga::testing
