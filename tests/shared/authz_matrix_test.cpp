// The authorization matrix: every operation a device can ask of the server (central::handle,
// the whole protocol) by every kind of caller, each cell asserted on the stored state.
//
// Callers: a device of the GAD that owns the target rows (own), a device of another parish
// (other), a mancomunidad device whose scope includes the owner (manc), a revoked device of the
// owner, no credential, a wrong credential for a real device id, and the enrolment token that
// device already used (as credential). Target rows belong to GAD 170151.
//
// A refused cell must answer the expected error code and leave every table of the store as it
// was. An allowed cell must change what it asked for and nothing outside the caller's scope.
// A pull cell must deliver no row of a GAD outside the caller's scope.
#include "store_state.hpp"
#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/shared/catalog_import.hpp>
#include <minga/shared/entity_service.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/tables.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <optional>

using namespace minga;
using minga::testing::sync_world;

namespace {

constexpr const char* gad_owner = "170151";  // Alangasí: owns the target rows
constexpr const char* gad_other = "170157";  // a parish outside the mancomunidad
constexpr const char* gad_manc = "M0001";    // includes 170151 and 170152

using bytes = std::vector<std::uint8_t>;

std::string text_of(sql::db& db, const std::string& sql) {
    auto s = db.prepare(sql);
    return s.step() ? s.get_text(0) : std::string();
}

struct caller {
    std::string name;
    std::string device_id;
    std::string bearer;
    std::vector<std::string> scope;  ///< empty: not authenticated
    std::string write_gad;           ///< the GAD it writes its own rows as
};

struct answer {
    std::optional<protocol::frame> frame;
    [[nodiscard]] errc code() const {
        if (!frame) return errc::internal;
        if (auto* e = std::get_if<protocol::error_body>(&frame->body)) return e->code;
        return errc::ok;
    }
};

class matrix {
public:
    matrix() {
        std::ifstream in(w.data / "samples" / "mancomunidades.csv");
        REQUIRE(w.server->import_catalog(catalog_kind::mancomunidades, in).ok());
        auto& a = w.add_device(gad_owner);
        auto& a2 = w.add_device(gad_owner);
        auto& b = w.add_device(gad_other);
        // A mancomunidad technician's replica belongs to a member parish and is enrolled with
        // a token of the mancomunidad (the replica's reference data has no mancomunidades).
        auto mr = replica::create(w.root / "manc", gad_owner, w.data);
        REQUIRE(mr.ok());
        w.devices.push_back(std::make_unique<replica>(std::move(*mr)));
        auto& m = *w.devices.back();
        auto mt = w.server->enroll_device(gad_manc, "mancomunidad", 3600 * 1000);
        REQUIRE(mt.ok());
        REQUIRE(enroll(m, w.transport(), "inproc://", mt->token, "manc").ok());
        auto& r = w.add_device(gad_owner);
        entity_service sa(a), sa2(a2), sb(b);
        const auto& ag = *find_entity("agreement");
        const auto& pj = *find_entity("project");
        auto agreement = sa.add(ag, {{"title", "Convenio Alangasí"}, {"kind", "convenio_marco"}, {"status", "vigente"}});
        REQUIRE(agreement.ok());
        target_agreement = agreement->id;
        REQUIRE(sb.add(ag, {{"title", "Convenio de otra parroquia"}, {"kind", "convenio_marco"}, {"status", "vigente"}}).ok());
        w.sync_ok(a);
        w.sync_ok(b);
        // The target project comes from a second device of the parish, so that no caller's
        // pull skips it as that caller's own echo.
        w.sync_ok(a2);
        auto project = sa2.add(pj, {{"title", "Agua Alangasí"}, {"agreement", target_agreement},
                                     {"modality", "fin_no_reembolsable"}, {"source", "bilateral"}});
        REQUIRE(project.ok());
        target_project = project->id;
        w.sync_ok(a2);
        w.sync_ok(a);
        // A conflict owned by 170151: the two devices edit one title concurrently.
        REQUIRE(sa.update(ag, target_agreement, {{"title", "Título de A"}}).ok());
        REQUIRE(sa2.update(ag, target_agreement, {{"title", "Título de A2"}}).ok());
        w.sync_ok(a);
        w.sync_ok(a2);
        target_conflict = text_of(w.server->conn(), "SELECT id FROM conflict LIMIT 1");
        REQUIRE_FALSE(target_conflict.empty());

        auto cred = [](replica& x) { return stored_link(x).credential; };
        callers.push_back({"own", a.device_id(), cred(a), {gad_owner}, gad_owner});
        callers.push_back({"other", b.device_id(), cred(b), {gad_other}, gad_other});
        callers.push_back({"manc", m.device_id(), cred(m), m.gads(), gad_manc});
        REQUIRE(std::count(m.gads().begin(), m.gads().end(), gad_owner) == 1);
        REQUIRE(w.server->revoke_device(r.device_id()).ok());
        callers.push_back({"revoked", r.device_id(), cred(r), {}, gad_owner});
        callers.push_back({"no token", a.device_id(), "", {}, gad_owner});
        callers.push_back({"wrong token", a.device_id(), a.device_id() + "." + random_hex(32), {}, gad_owner});
        // The enrolment token of a fresh device, used once, then shown as a credential.
        auto tok = w.server->enroll_device(gad_owner, "usado", 3600 * 1000);
        REQUIRE(tok.ok());
        used_token = tok->token;
        auto fresh = replica::create(w.root / "fresh", gad_owner, w.data);
        REQUIRE(fresh.ok());
        REQUIRE(enroll(*fresh, w.transport(), "inproc://", used_token, "fresh").ok());
        callers.push_back({"enrol token reused", fresh->device_id(), used_token, {}, gad_owner});
    }

    answer call(const caller& c, protocol::message body) {
        protocol::frame f{protocol::current_version, ++rid, std::move(body)};
        auto out = w.server->handle(protocol::encode(f), c.bearer);
        auto back = protocol::decode(out);
        REQUIRE(back.ok());
        return {std::move(*back)};
    }

    answer push(const caller& c, protocol::change ch) {
        ch.seq = ++seq;
        ch.hlc = clock.now();
        protocol::push p{c.device_id, {std::move(ch)}};
        return call(c, std::move(p));
    }

    sync_world w;
    std::vector<caller> callers;
    std::string target_agreement, target_project, target_conflict, used_token;
    std::uint64_t rid = 0, seq = 1'000'000;
    hlc_clock clock{system_ms};
};

protocol::change upsert(std::string table, std::string id, std::string owner, protocol::field_map f) {
    protocol::change ch;
    ch.table = std::move(table);
    ch.row_id = std::move(id);
    ch.owner_gad = std::move(owner);
    ch.fields = std::move(f);
    return ch;
}

protocol::field_map new_agreement(const std::string& title) {
    return {{"title", title}, {"kind", std::string("convenio_marco")}, {"status", std::string("vigente")}};
}

bool authenticated(const caller& c) { return !c.scope.empty(); }
bool covers_owner(const caller& c) {
    return std::find(c.scope.begin(), c.scope.end(), gad_owner) != c.scope.end();
}

/// An owner_gad other than the target's: the caller's own GAD when it has another, else a
/// neighbour parish (then outside the caller's scope, so the scope check refuses it first).
std::string forged_owner(const caller& c) { return c.write_gad != gad_owner ? c.write_gad : "170152"; }

struct operation {
    std::string name;
    /// Runs the operation; returns the answer.
    std::function<answer(matrix&, const caller&)> run;
    /// Whether the caller may do it (refused cells expect `refused_code` or unauthorized).
    std::function<bool(const caller&)> allowed;
    errc refused_code;
    /// For an allowed cell: the stored effect to check.
    std::function<bool(matrix&, const caller&)> effect;
};

std::string title_of(matrix& m, const std::string& id) {
    auto s = m.w.server->conn().prepare("SELECT title FROM agreement WHERE id = ?1");
    s.bind(1, id);
    return s.step() ? s.get_text(0) : std::string();
}

std::vector<operation> operations() {
    std::vector<operation> ops;
    ops.push_back({"create a row of the caller's own GAD",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("agreement", new_uuid_v7(), c.write_gad,
                                               new_agreement("propio " + c.name)));
                   },
                   authenticated, errc::unauthorized,
                   [](matrix& m, const caller& c) {
                       return m.w.server->conn().scalar_int(
                                  "SELECT count(*) FROM agreement WHERE title = 'propio " + c.name + "'") == 1;
                   }});
    ops.push_back({"create a row of the target GAD",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("agreement", new_uuid_v7(), gad_owner,
                                               new_agreement("en 170151 por " + c.name)));
                   },
                   covers_owner, errc::forbidden,
                   [](matrix& m, const caller& c) {
                       return m.w.server->conn().scalar_int(
                                  "SELECT count(*) FROM agreement WHERE owner_gad = '170151' AND title = 'en 170151 por " +
                                  c.name + "'") == 1;
                   }});
    ops.push_back({"update a target row, honest owner_gad",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("agreement", m.target_agreement, gad_owner,
                                               {{"title", "editado por " + c.name}}));
                   },
                   covers_owner, errc::forbidden,
                   [](matrix& m, const caller& c) { return title_of(m, m.target_agreement) == "editado por " + c.name; }});
    ops.push_back({"update a target row, forged owner_gad (reused row id)",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("agreement", m.target_agreement, forged_owner(c),
                                               {{"title", "forjado por " + c.name}}));
                   },
                   [](const caller&) { return false; }, errc::forbidden, nullptr});
    ops.push_back({"delete a target row through a tombstone, forged owner_gad",
                   [](matrix& m, const caller& c) {
                       auto ch = upsert("agreement", m.target_agreement, forged_owner(c), {});
                       ch.op = protocol::change_op::remove;
                       return m.push(c, std::move(ch));
                   },
                   [](const caller&) { return false; }, errc::forbidden, nullptr});
    ops.push_back({"create a row that references a target row",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("indicator", new_uuid_v7(), c.write_gad,
                                               {{"project_id", m.target_project},
                                                {"title", std::string("colgado")},
                                                {"unit", std::string("ha")}}));
                   },
                   [](const caller& c) { return c.write_gad == gad_owner && authenticated(c); },
                   errc::forbidden,
                   [](matrix& m, const caller&) {
                       return m.w.server->conn().scalar_int("SELECT count(*) FROM indicator WHERE title = 'colgado'") >= 1;
                   }});
    ops.push_back({"write a catalogue row",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("organisation", new_uuid_v7(), "",
                                               {{"name", std::string("Cooperante falso")},
                                                {"org_type", std::int64_t{10}}}));
                   },
                   [](const caller&) { return false; }, errc::forbidden, nullptr});
    ops.push_back({"resolve a conflict of the target GAD",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("conflict", m.target_conflict, gad_owner,
                                               {{"status", std::string("resuelto")},
                                                {"resolution", std::string("ganador")}}));
                   },
                   covers_owner, errc::forbidden,
                   [](matrix& m, const caller&) {
                       return text_of(m.w.server->conn(), "SELECT status FROM conflict WHERE id = '" +
                                                                 m.target_conflict + "'") == "resuelto";
                   }});
    ops.push_back({"record an observation in another device's name",
                   [](matrix& m, const caller& c) {
                       return m.push(c, upsert("observation", new_uuid_v7(), c.write_gad,
                                               {{"device_id", std::string("otro-dispositivo")}}));
                   },
                   [](const caller&) { return false; }, errc::forbidden, nullptr});
    ops.push_back({"enrol again with a used token",
                   [](matrix& m, const caller& c) {
                       return m.call(c, protocol::enroll{m.used_token, "otra vez", new_uuid_v7()});
                   },
                   [](const caller&) { return false; }, errc::unauthorized, nullptr});
    return ops;
}

/// Pulls everything the caller may read; returns the owners seen (nullopt: catalogue) and
/// whether the target project came.
struct pulled {
    errc code = errc::ok;
    std::vector<std::optional<std::string>> owners;
    bool saw_target = false;
    std::size_t rows = 0;
};

pulled pull_all(matrix& m, const caller& c) {
    pulled out;
    std::uint64_t cursor = 0;
    for (int guard = 0; guard < 1000; ++guard) {
        auto a = m.call(c, protocol::pull{cursor, 5000, 8 * 1024 * 1024});
        out.code = a.code();
        if (out.code != errc::ok) return out;
        const auto& page = std::get<protocol::pull_page>(a.frame->body);
        for (const auto& b : page.blocks)
            for (const auto& r : b.rows) {
                out.owners.push_back(r.owner_gad);
                ++out.rows;
                // The project: no caller changes it, so no pull skips it as the caller's own echo.
                if (b.table == "project" && r.row_id == m.target_project) out.saw_target = true;
            }
        cursor = page.cursor_after;
        if (page.remaining == 0) break;
    }
    return out;
}

}  // namespace

TEST_CASE("authorization matrix: every operation by every caller, asserted on the stored state",
          "[security][authz]") {
    matrix m;
    auto& db = m.w.server->conn();
    std::size_t cells = 0, refused = 0, allowed = 0;
    const auto ops = operations();
    for (const auto& c : m.callers) {
        for (const auto& op : ops) {
            INFO("caller: " << c.name << "; operation: " << op.name);
            ++cells;
            const bool may = op.allowed(c);
            std::vector<std::string> outside;  // GADs the caller may not touch
            for (const char* g : {"170151", "170152", "170157", "170156", "M0001"})
                if (std::find(c.scope.begin(), c.scope.end(), g) == c.scope.end()) outside.emplace_back(g);
            const std::size_t before = testing::stored_state(db);
            const std::size_t before_outside = testing::stored_state(db, outside);
            const answer a = op.run(m, c);
            if (may) {
                ++allowed;
                CHECK(a.code() == errc::ok);
                CHECK(op.effect(m, c));
                CHECK(testing::stored_state(db, outside) == before_outside);
            } else {
                ++refused;
                const errc want = authenticated(c) ? op.refused_code : errc::unauthorized;
                CHECK(a.code() == want);
                CHECK(testing::stored_state(db) == before);
            }
        }
        // Reading: a pull from the start delivers nothing outside the caller's scope.
        INFO("caller: " << c.name << "; operation: pull");
        ++cells;
        const std::size_t before = testing::stored_state(db);
        const auto p = pull_all(m, c);
        CHECK(testing::stored_state(db) == before);
        if (!authenticated(c)) {
            CHECK(p.code == errc::unauthorized);
            CHECK(p.rows == 0);
            continue;
        }
        CHECK(p.code == errc::ok);
        std::size_t leaked = 0;
        for (const auto& o : p.owners)
            if (o && std::find(c.scope.begin(), c.scope.end(), *o) == c.scope.end()) ++leaked;
        CHECK(leaked == 0);
        CHECK(p.saw_target == covers_owner(c));
    }
    std::printf("authorization matrix: %zu cells (%zu callers x %zu operations + pull), %zu allowed, "
                "%zu refused\n",
                cells, m.callers.size(), ops.size(), allowed, refused);
    CHECK(cells == m.callers.size() * (ops.size() + 1));
    CHECK(refused > allowed);
}
