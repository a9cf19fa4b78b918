// Incremental consolidation on generated national-shape stores: after seeded random changes
// (inserts, updates, deletes, rate and catalogue changes), an incremental run gives exactly
// the tables a full rebuild gives; a failed run leaves the previous report; a run computes
// from its snapshot while devices keep writing.
#include "report_fixture.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace minga;
using minga::testing::bump;
using minga::testing::dump_rpt;
using minga::testing::generated_world;
using minga::testing::ids_of;

namespace {

class changer {
  public:
    changer(sql::db& db, std::uint64_t seed) : db_(db), rng_(seed) {}

    /// One round of changes of every kind the consolidation depends on.
    void round(int r) {
        db_.exec("BEGIN IMMEDIATE");
        auto obs = ids_of(db_, "observation", "deleted = 0");
        for (int k = 0; k < 15; ++k)
            set("observation", pick(obs), "value = value + " + std::to_string(k) + ".25");
        for (int k = 0; k < 5; ++k) set("observation", pick(obs), "deleted = 1");
        for (int k = 0; k < 10; ++k) {
            auto id = "obs-" + std::to_string(r) + "-" + std::to_string(k);
            exec(
                "INSERT INTO observation(id, owner_gad, indicator_id, period_id, observed_on, "
                "value, "
                "territory, device_id, hlc) SELECT '" +
                id +
                "', owner_gad, indicator_id, period_id, "
                "'2026-0" +
                std::to_string(1 + k % 9) + "-15', " + std::to_string(k * 3 + r) +
                ".5, territory, device_id, hlc FROM observation WHERE id = '" + pick(obs) + "'");
            bump(db_, "observation", id);
        }
        auto tx = ids_of(db_, "project_transaction", "deleted = 0");
        for (int k = 0; k < 4; ++k) set("project_transaction", pick(tx), "amount = amount + 12345");
        set("project_transaction", pick(tx), "currency = 'EUR'");
        auto projects = ids_of(db_, "project", "deleted = 0");
        set("project", pick(projects), "deleted = 1");
        set("project", pick(projects), "beneficiaries = coalesce(beneficiaries, 0) + 7");
        // A new project copied from another one, with a location and a commitment.
        auto src = pick(projects);
        auto np = "prj-" + std::to_string(r);
        exec(
            "INSERT INTO project(id, owner_gad, agreement_id, title, modality, source, hlc) "
            "SELECT '" +
            np +
            "', owner_gad, agreement_id, 'Proyecto nuevo', modality, source, hlc "
            "FROM project WHERE id = '" +
            src + "'");
        bump(db_, "project", np);
        child("project_location", np, "territory, share", "'170151', 50");
        child("project_transaction", np, "type, tx_date, amount, currency",
              "2, '2024-05-01', 987654, 'EUR'");
        // Dedup: another GAD's agreement takes an existing registry reference.
        auto agreements = ids_of(db_, "agreement", "deleted = 0 AND reference IS NOT NULL");
        auto a = pick(agreements), b = pick(agreements);
        set("agreement", b,
            "reference = (SELECT lower(reference) FROM agreement WHERE id = '" + a + "')");
        set("agreement", pick(agreements), "source = 'multilateral'");
        // Dedup groups (rpt_dedup_key): a project moved under another GAD's referenced
        // agreement, a group losing its reference, an agreement deleted and one undeleted, a
        // deleted project brought back, and a duplicate deleted (its group's decision changes).
        set("project", pick(projects), "agreement_id = '" + pick(agreements) + "'");
        set("agreement", pick(agreements), "reference = NULL");
        set("agreement", pick(agreements), "deleted = 1");
        auto gone_agreements = ids_of(db_, "agreement", "deleted = 1");
        if (!gone_agreements.empty()) set("agreement", pick(gone_agreements), "deleted = 0");
        auto gone = ids_of(db_, "project", "deleted = 1");
        if (!gone.empty()) set("project", pick(gone), "deleted = 0");
        auto dups = ids_of(db_, "rpt_duplicate", "1", "project_id");
        if (!dups.empty()) set("project", pick(dups), "deleted = 1");
        // The counted record of a group deleted: another GAD's record is counted instead.
        auto counted = ids_of(db_, "rpt_dedup_key k", "k.project_id NOT IN (SELECT project_id FROM rpt_duplicate)"
                              " AND k.dedup_key IN (SELECT dedup_key FROM rpt_duplicate)", "k.project_id");
        if (!counted.empty()) set("project", pick(counted), "deleted = 1");
        set("project_location", pick(ids_of(db_, "project_location", "deleted = 0")), "share = 70");
        set("project_sector", pick(ids_of(db_, "project_sector", "deleted = 0")),
            "percentage = 25");
        set("project_sdg", pick(ids_of(db_, "project_sdg", "deleted = 0")), "deleted = 1");
        set("project_participant", pick(ids_of(db_, "project_participant", "deleted = 0")),
            "deleted = 1");
        set("project_budget", pick(ids_of(db_, "project_budget", "deleted = 0")),
            "status = 3 - status");
        auto inds = ids_of(db_, "indicator", "deleted = 0");
        set("indicator", pick(inds), "deleted = 1");
        set("indicator", pick(inds), "aggregation = 'max'");
        // Catalogue: a funder renamed, a mancomunidad member dropped, a GAD moved.
        set("organisation", pick(ids_of(db_, "organisation")),
            "name = name || ' (r" + std::to_string(r) + ")'");
        auto members = ids_of(db_, "gad_membership", "deleted = 0");
        if (!members.empty()) set("gad_membership", pick(members), "deleted = 1");
        // A rate changed: every line in EUR on or after it converts again.
        exec(
            "INSERT OR REPLACE INTO fx_rate(currency, valid_from, usd_per_unit) VALUES ('EUR', "
            "'2024-0" +
            std::to_string(1 + r) + "-01', 1.0" + std::to_string(r) + ")");
        db_.exec("COMMIT");
    }

  private:
    const std::string& pick(const std::vector<std::string>& v) {
        REQUIRE_FALSE(v.empty());
        return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng_)];
    }
    void exec(const std::string& sql) { db_.exec(sql); }
    void set(const std::string& table, const std::string& id, const std::string& what) {
        exec("UPDATE " + table + " SET " + what + " WHERE id = '" + id + "'");
        bump(db_, table, id);
    }
    void child(const std::string& table, const std::string& project, const std::string& cols,
               const std::string& values) {
        auto id = table + "-" + project;
        exec("INSERT INTO " + table + "(id, owner_gad, project_id, hlc, " + cols + ") SELECT '" +
             id + "', owner_gad, id, hlc, " + values + " FROM project WHERE id = '" + project +
             "'");
        bump(db_, table, id);
    }

    sql::db& db_;  // the generated store, owned by the test's world
    std::mt19937_64 rng_;
};

}  // namespace

TEST_CASE("consolidation: after random changes an incremental run equals a full rebuild") {
    generated_world g(minga::testing::small_shape(250, 11));
    auto first = g.run(true);
    CHECK_FALSE(first.incremental);  // the first run is always full
    CHECK(first.duplicate_projects > 0);
    changer ch(g.db(), 2026);
    for (int r = 1; r <= 4; ++r) {
        ch.round(r);
        auto inc = g.run(true);
        CHECK(inc.incremental);
        CHECK(inc.recomputed_projects < inc.projects / 4);  // it really is incremental
        auto incremental = dump_rpt(g.db());
        auto full = g.run(false);
        CHECK_FALSE(full.incremental);
        INFO("round " << r);
        REQUIRE(dump_rpt(g.db()) == incremental);
        CHECK(full.projects == inc.projects);
        CHECK(full.committed_usd_cents == inc.committed_usd_cents);
    }
    // Idempotent: a run with nothing new recomputes nothing and changes nothing.
    auto before = dump_rpt(g.db());
    auto idle = g.run(true);
    CHECK(idle.recomputed_projects == 0);
    CHECK(idle.recomputed_indicators == 0);
    CHECK(dump_rpt(g.db()) == before);
}

TEST_CASE("consolidation: an incremental run that fails leaves the previous report intact") {
    generated_world g(minga::testing::small_shape(80, 3));
    g.run(true);
    changer ch(g.db(), 5);
    ch.round(1);
    auto before = dump_rpt(g.db());
    // The run fails on its last insert, after it has deleted and rewritten the rest.
    g.db().exec(
        "CREATE TEMP TRIGGER interrupt BEFORE INSERT ON rpt_meta "
        "BEGIN SELECT RAISE(ABORT, 'interrupted'); END");
    CHECK_THROWS_AS(consolidate(g.db(), 1'790'000'000'000, consolidate_options{true, {}, {}}),
                    sql::sql_error);
    g.db().exec("DROP TRIGGER interrupt");
    CHECK(dump_rpt(g.db()) == before);
    // The next run still sees every change since the last good one.
    g.run(true);
    auto incremental = dump_rpt(g.db());
    g.run(false);
    CHECK(dump_rpt(g.db()) == incremental);
}

TEST_CASE("consolidation: a run computes from its snapshot while devices keep writing") {
    generated_world g(minga::testing::small_shape(80, 4));
    g.run(true);
    auto project = ids_of(g.db(), "project", "deleted = 0 AND beneficiaries IS NOT NULL").front();
    auto before = g.db().scalar_int("SELECT beneficiaries FROM rpt_project WHERE project_id = '" +
                                    project + "'");
    // A device's change lands after the run read its snapshot and before it writes.
    consolidate_options opts{true, [&] {
                                 g.db().exec(
                                     "UPDATE project SET beneficiaries = beneficiaries + 1000 "
                                     "WHERE id = '" +
                                     project + "'");
                                 bump(g.db(), "project", project);
                             },
                             {}};
    opts.incremental = true;
    changer ch(g.db(), 9);
    ch.round(1);
    auto s = consolidate(g.db(), 1'780'000'000'000, opts);
    REQUIRE(s.ok());
    // The report is the snapshot's: the late change is not in it, and is not lost either.
    CHECK(g.db().scalar_int("SELECT beneficiaries FROM rpt_project WHERE project_id = '" + project +
                            "'") == before);
    auto next = g.run(true);
    CHECK(next.recomputed_projects >= 1);
    CHECK(g.db().scalar_int("SELECT beneficiaries FROM rpt_project WHERE project_id = '" + project +
                            "'") == before + 1000);
    auto incremental = dump_rpt(g.db());
    g.run(false);
    CHECK(dump_rpt(g.db()) == incremental);
}

TEST_CASE("consolidation: a run that another run overtook writes nothing and says busy") {
    generated_world g(minga::testing::small_shape(40, 5));
    g.run(true);
    changer ch(g.db(), 1);
    ch.round(1);
    consolidate_options opts{true, [&] { g.run(true, 1'780'000'500'000); }, {}};
    auto s = consolidate(g.db(), 1'780'000'900'000, opts);
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().code == errc::busy);
    CHECK(g.db().scalar_int("SELECT as_of_ms FROM rpt_meta") == 1'780'000'500'000);
}

TEST_CASE("consolidation: an incremental run re-decides a co-financing group when its counted record goes") {
    generated_world g(minga::testing::small_shape(120, 13));
    g.run(true);
    // A group with a duplicate: the counted record and the duplicate (another GAD's).
    auto dup = ids_of(g.db(), "rpt_duplicate", "1", "project_id").front();
    auto key = ids_of(g.db(), "rpt_duplicate", "project_id = '" + dup + "'", "dedup_key").front();
    auto counted = ids_of(g.db(), "rpt_dedup_key",
                          "dedup_key = '" + key + "' AND project_id NOT IN (SELECT project_id FROM rpt_duplicate)",
                          "project_id");
    REQUIRE_FALSE(counted.empty());
    auto in_report = [&](const std::string& id) {
        return g.db().scalar_int("SELECT count(*) FROM rpt_project WHERE project_id = '" + id + "'") == 1;
    };
    CHECK_FALSE(in_report(dup));
    // Every counted record of the group deleted: the duplicate is counted now.
    for (const auto& id : counted) {
        g.db().exec("UPDATE project SET deleted = 1 WHERE id = '" + id + "'");
        bump(g.db(), "project", id);
    }
    auto inc = g.run(true);
    CHECK(inc.incremental);
    CHECK(in_report(dup));
    CHECK(g.db().scalar_int("SELECT count(*) FROM rpt_duplicate WHERE project_id = '" + dup + "'") == 0);
    auto incremental = dump_rpt(g.db());
    g.run(false);
    CHECK(dump_rpt(g.db()) == incremental);
    // Brought back: the duplicate leaves the report again.
    for (const auto& id : counted) {
        g.db().exec("UPDATE project SET deleted = 0 WHERE id = '" + id + "'");
        bump(g.db(), "project", id);
    }
    g.run(true);
    CHECK_FALSE(in_report(dup));
    incremental = dump_rpt(g.db());
    g.run(false);
    CHECK(dump_rpt(g.db()) == incremental);
}

TEST_CASE("consolidation: an incremental run writes only the report rows that changed") {
    generated_world g(minga::testing::small_shape(60, 17));
    g.run(true);
    // A project synced again without a change: recomputed, nothing written.
    auto project = ids_of(g.db(), "rpt_project", "1", "project_id").front();
    bump(g.db(), "project", project);
    auto same = g.run(true);
    CHECK(same.recomputed_projects == 1);
    CHECK(same.rows_unchanged > 0);
    CHECK(same.rows_updated == 0);
    CHECK(same.rows_inserted == 0);
    CHECK(same.rows_deleted == 0);
    // Its beneficiaries changed: its row (and parts) updated; a location added and an SDG
    // removed: a row inserted and one deleted; the result equals a full rebuild.
    g.db().exec("UPDATE project SET beneficiaries = coalesce(beneficiaries, 0) + 3 WHERE id = '" +
                project + "'");
    bump(g.db(), "project", project);
    auto sdg = ids_of(g.db(), "project_sdg", "deleted = 0 AND project_id = '" + project + "'");
    REQUIRE_FALSE(sdg.empty());
    g.db().exec("UPDATE project_sdg SET deleted = 1 WHERE id = '" + sdg.front() + "'");
    bump(g.db(), "project_sdg", sdg.front());
    // A parish where the project has no part yet.
    auto parish = ids_of(g.db(), "territorial_unit",
                         "length(code) = 6 AND code NOT IN (SELECT territory FROM "
                         "rpt_project_territory WHERE project_id = '" +
                             project + "')",
                         "code")
                      .front();
    g.db().exec(
        "INSERT INTO project_location(id, owner_gad, project_id, hlc, territory, share) SELECT "
        "'loc-new', owner_gad, id, hlc, '" + parish + "', 50 FROM project WHERE id = '" + project + "'");
    bump(g.db(), "project_location", "loc-new");
    auto changed = g.run(true);
    CHECK(changed.rows_updated > 0);
    CHECK(changed.rows_inserted > 0);
    CHECK(changed.rows_deleted > 0);
    auto incremental = dump_rpt(g.db());
    g.run(false);
    CHECK(dump_rpt(g.db()) == incremental);
}
