#pragma once
// An independent oracle of last-writer-wins on (hlc, device) over agreements, and the random
// edits it watches (sync_random_test.cpp, bundle_random_test.cpp).
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

}  // namespace minga::testing
