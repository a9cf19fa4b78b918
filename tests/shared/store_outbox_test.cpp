// Change capture: every write goes through change_log, which writes the row and its outbox
// entry in the same transaction. These tests pin down exactly which entries each kind of write
// appends (table, row id, op, owner, clock, fields), that a rolled-back write leaves neither,
// and that outbox sequence numbers are never reused once acknowledged.
#include "db_dump.hpp"
#include "replica_fixture.hpp"

#include <minga/shared/csv_import.hpp>
#include <minga/shared/ids.hpp>

#include <catch2/catch.hpp>

#include <set>
#include <sstream>

using namespace minga;
using test::all_pending;
using test::count_where;
using test::last_seq;
using test::pending_after;

namespace {

const entity_spec& spec(std::string_view kind) {
    const entity_spec* e = find_entity(kind);
    REQUIRE(e != nullptr);
    return *e;
}

std::string add_ok(entity_service& svc, std::string_view kind, const form& f) {
    auto w = svc.add(spec(kind), f);
    INFO((w ? std::string() : w.err().text("en")));
    REQUIRE(w.ok());
    return w->id;
}

const form agreement_form = {{"title", "Convenio marco"}, {"kind", "convenio_marco"},
                             {"status", "vigente"}, {"signed-on", "2024-03-01"}};

std::string describe(const field_list& fields) {
    std::ostringstream ss;
    for (const auto& [k, v] : fields) ss << k << "=" << v.index() << ":" << test::dump_value(v) << " ";
    return ss.str();
}

}  // namespace

TEST_CASE("outbox: a rolled-back transaction leaves neither the row nor its outbox entry",
          "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    const std::string id = new_uuid_v7();
    SECTION("change_log directly") {
        {
            sql::transaction tx(rep.conn());
            rep.changes().upsert(tx, "agreement", id, rep.gad(),
                                 {{"title", std::string("T")}, {"kind", std::string("adenda")},
                                  {"status", std::string("vigente")}},
                                 rep.clock().now());
            // Inside the transaction both are there...
            CHECK(count_where(rep, "agreement", "id = '" + id + "'") == 1);
            CHECK(rep.changes().pending_count() == 1);
        }  // ...and the rollback takes both away.
        CHECK(count_where(rep, "agreement") == 0);
        CHECK(rep.changes().pending_count() == 0);
        CHECK(count_where(rep, "outbox") == 0);
    }
    SECTION("entity_service inside a caller's transaction") {
        entity_service svc(rep);
        {
            sql::transaction tx(rep.conn());
            auto w = svc.add(tx, spec("agreement"), agreement_form);
            REQUIRE(w.ok());
            CHECK(rep.changes().pending_count() == 1);
        }
        CHECK(count_where(rep, "agreement") == 0);
        CHECK(rep.changes().pending_count() == 0);
    }
    SECTION("a tombstone rolled back") {
        entity_service svc(rep);
        auto a = add_ok(svc, "agreement", agreement_form);
        auto seq = last_seq(rep);
        {
            sql::transaction tx(rep.conn());
            rep.changes().remove(tx, "agreement", a, rep.gad(), rep.clock().now());
            CHECK(count_where(rep, "agreement", "deleted = 1") == 1);
        }
        CHECK(count_where(rep, "agreement", "deleted = 0") == 1);
        CHECK(last_seq(rep) == seq);
    }
}

TEST_CASE("outbox: a row refused by the schema queues no change", "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    sql::transaction tx(rep.conn());
    CHECK_THROWS_AS(rep.changes().upsert(tx, "agreement", new_uuid_v7(), rep.gad(),
                                         {{"title", std::string("T")}, {"kind", std::string("nope")},
                                          {"status", std::string("vigente")}},
                                         rep.clock().now()),
                    sql::sql_error);
    CHECK(rep.changes().pending_count() == 0);
}

TEST_CASE("outbox: when the outbox append fails the row is not stored either", "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    // Make every outbox insert fail, as a full disk would at that point.
    rep.conn().exec("CREATE TEMP TRIGGER outbox_fails BEFORE INSERT ON outbox "
                    "BEGIN SELECT RAISE(ABORT, 'outbox unavailable'); END");
    entity_service svc(rep);
    CHECK_THROWS_AS((void)svc.add(spec("agreement"), agreement_form), sql::sql_error);
    rep.conn().exec("DROP TRIGGER outbox_fails");
    CHECK(count_where(rep, "agreement") == 0);
    CHECK(rep.changes().pending_count() == 0);
}

TEST_CASE("outbox: add appends one upsert with exactly the fields written", "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto id = add_ok(svc, "agreement", agreement_form);
    auto entries = all_pending(rep);
    REQUIRE(entries.size() == 1);
    const auto& e = entries[0];
    CHECK(e.table == "agreement");
    CHECK(e.row_id == id);
    CHECK(e.op == change_op::upsert);
    CHECK(e.owner_gad == rep.gad());
    CHECK(e.hlc == static_cast<hlc_t>(rep.conn().scalar_int("SELECT hlc FROM agreement WHERE id = '" + id + "'")));
    const field_list expected = {{"title", std::string("Convenio marco")},
                                 {"kind", std::string("convenio_marco")},
                                 {"status", std::string("vigente")},
                                 {"signed_on", std::string("2024-03-01")}};
    INFO(describe(e.fields));
    CHECK(e.fields == expected);

    SECTION("an observation also carries the device that recorded it") {
        auto p = add_ok(svc, "project", {{"title", "P"}, {"modality", "fin_no_reembolsable"}});
        auto i = add_ok(svc, "indicator", {{"project", p}, {"title", "I"}, {"unit", "ha"}});
        auto before = last_seq(rep);
        auto o = add_ok(svc, "observation", {{"indicator", i}, {"value", "2.5"}, {"date", "2025-01-01"}});
        auto obs = pending_after(rep, before);
        REQUIRE(obs.size() == 1);
        CHECK(obs[0].table == "observation");
        CHECK(obs[0].row_id == o);
        const field_list want = {{"indicator_id", i}, {"value", 2.5}, {"observed_on", std::string("2025-01-01")},
                                 {"device_id", rep.device_id()}};
        INFO(describe(obs[0].fields));
        CHECK(obs[0].fields == want);
    }
}

TEST_CASE("outbox: a row with child sets appends the row and then one upsert per child",
          "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto p = add_ok(svc, "project", {{"title", "Reforestación"}, {"modality", "fin_no_reembolsable"},
                                     {"sdg", "6"}, {"sdg", "15"}, {"location", "170150:Comunidad"}});
    auto entries = all_pending(rep);
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].table == "project");
    CHECK(entries[0].row_id == p);
    CHECK(entries[0].fields == field_list{{"title", std::string("Reforestación")},
                                          {"modality", std::string("fin_no_reembolsable")}});
    CHECK(entries[1].table == "project_sdg");
    CHECK(entries[1].row_id == derived_id(p, "project_sdg", "6"));
    CHECK(entries[1].fields == field_list{{"goal", std::int64_t{6}}, {"project_id", p}});
    CHECK(entries[2].table == "project_sdg");
    CHECK(entries[2].row_id == derived_id(p, "project_sdg", "15"));
    CHECK(entries[3].table == "project_location");
    CHECK(entries[3].row_id == derived_id(p, "project_location", "170150:Comunidad"));
    CHECK(entries[3].fields == field_list{{"territory", std::string("170150")}, {"name", std::string("Comunidad")},
                                          {"project_id", p}});
    for (const auto& e : entries) {
        CHECK(e.op == change_op::upsert);
        CHECK(e.owner_gad == rep.gad());
        CHECK(e.hlc == entries[0].hlc);  // one write, one stamp
    }
    // The child rows are stored under the same ids.
    CHECK(count_where(rep, "project_sdg", "project_id = '" + p + "' AND deleted = 0") == 2);
}

TEST_CASE("outbox: update appends one upsert with only the changed fields", "[store][outbox][update]") {
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto a = add_ok(svc, "agreement", agreement_form);
    auto seq = last_seq(rep);
    auto w = svc.update(spec("agreement"), a, {{"status", "finalizado"}});
    INFO((w ? std::string() : w.err().text("en")));
    REQUIRE(w.ok());
    auto entries = pending_after(rep, seq);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].table == "agreement");
    CHECK(entries[0].row_id == a);
    CHECK(entries[0].op == change_op::upsert);
    CHECK(entries[0].fields == field_list{{"status", std::string("finalizado")}});
    CHECK(entries[0].hlc > all_pending(rep).front().hlc);
    auto stored = test::stored_fields(rep, "agreement", a, {"title", "status", "signed_on"});
    CHECK(stored == field_list{{"title", std::string("Convenio marco")}, {"status", std::string("finalizado")},
                               {"signed_on", std::string("2024-03-01")}});
}

TEST_CASE("outbox: giving a set on update upserts the listed children and tombstones the rest",
          "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto p = add_ok(svc, "project", {{"title", "P"}, {"modality", "fin_no_reembolsable"}, {"sdg", "6"}, {"sdg", "15"}});
    auto seq = last_seq(rep);
    auto w = svc.update(spec("project"), p, {{"sdg", "15"}, {"sdg", "13"}});
    REQUIRE(w.ok());
    auto entries = pending_after(rep, seq);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].table == "project_sdg");
    CHECK(entries[0].row_id == derived_id(p, "project_sdg", "15"));
    CHECK(entries[0].op == change_op::upsert);
    CHECK(entries[1].row_id == derived_id(p, "project_sdg", "13"));
    CHECK(entries[1].op == change_op::upsert);
    CHECK(entries[1].fields == field_list{{"goal", std::int64_t{13}}, {"project_id", p}});
    CHECK(entries[2].row_id == derived_id(p, "project_sdg", "6"));
    CHECK(entries[2].op == change_op::remove);
    CHECK(entries[2].fields.empty());
    // The project row itself did not change, so no entry for it.
    for (const auto& e : entries) CHECK(e.table != "project");
    CHECK(count_where(rep, "project_sdg", "project_id = '" + p + "' AND deleted = 0") == 2);
    CHECK(count_where(rep, "project_sdg", "id = '" + derived_id(p, "project_sdg", "6") + "' AND deleted = 1") == 1);

    SECTION("adding back a tombstoned child revives the same row") {
        auto s2 = last_seq(rep);
        REQUIRE(svc.update(spec("project"), p, {{"sdg", "6"}}).ok());
        auto again = pending_after(rep, s2);
        REQUIRE(again.size() == 3);  // upsert 6, tombstone 13 and 15
        CHECK(again[0].row_id == derived_id(p, "project_sdg", "6"));
        CHECK(again[0].op == change_op::upsert);
        CHECK(count_where(rep, "project_sdg", "project_id = '" + p + "'") == 3);  // no new rows
        CHECK(count_where(rep, "project_sdg", "project_id = '" + p + "' AND deleted = 0") == 1);
    }
}

TEST_CASE("outbox: delete appends a tombstone and keeps the row and its children",
          "[store][outbox]") {
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto p = add_ok(svc, "project", {{"title", "P"}, {"modality", "fin_no_reembolsable"}, {"sdg", "6"},
                                     {"budget", "2025-01-01:2025-12-31:100"}});
    auto seq = last_seq(rep);
    auto removed = svc.remove(spec("project"), p.substr(0, 30));
    REQUIRE(removed.ok());
    CHECK(*removed == p);
    auto entries = pending_after(rep, seq);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].table == "project");
    CHECK(entries[0].row_id == p);
    std::set<std::pair<std::string, std::string>> children;
    for (const auto& e : entries) {
        CHECK(e.op == change_op::remove);
        CHECK(e.fields.empty());
        CHECK(e.owner_gad == rep.gad());
        CHECK(e.hlc == entries[0].hlc);
        if (e.table != "project") children.emplace(e.table, e.row_id);
    }
    CHECK(children == std::set<std::pair<std::string, std::string>>{
                          {"project_sdg", derived_id(p, "project_sdg", "6")},
                          {"project_budget", derived_id(p, "project_budget", "2025-01-01:2025-12-31")}});
    CHECK(count_where(rep, "project", "id = '" + p + "' AND deleted = 1") == 1);
    CHECK(rep.conn().scalar_int("SELECT hlc FROM project WHERE id = '" + p + "'") ==
          static_cast<std::int64_t>(entries[0].hlc));
    CHECK(count_where(rep, "project_sdg", "deleted = 0") == 0);
    CHECK(count_where(rep, "project_budget", "deleted = 0") == 0);

    SECTION("a refused delete appends nothing") {
        auto a = add_ok(svc, "agreement", agreement_form);
        add_ok(svc, "project", {{"title", "Q"}, {"modality", "fin_no_reembolsable"}, {"agreement", a}});
        auto s2 = last_seq(rep);
        auto refused = svc.remove(spec("agreement"), a);
        CHECK_FALSE(refused.ok());
        CHECK(refused.err().code == errc::conflict);
        CHECK(last_seq(rep) == s2);
    }
}

TEST_CASE("outbox: an import appends one entry per row and a failed one appends none",
          "[store][outbox][import]") {
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto p = add_ok(svc, "project", {{"title", "P"}, {"modality", "fin_no_reembolsable"}});
    auto i = add_ok(svc, "indicator", {{"project", p}, {"title", "I"}, {"unit", "ha"}});
    auto seq = last_seq(rep);
    std::istringstream good("indicator,value,date,note\n" + i + ",1,2025-01-01,a\n" + i + ",2,2025-01-02,\n" + i +
                            ",3,2025-01-03,c\n");
    auto sum = import_observations(svc, rep, good);
    REQUIRE(sum.ok());
    CHECK(sum->rows == 3);
    auto entries = pending_after(rep, seq);
    REQUIRE(entries.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(entries[k].table == "observation");
        CHECK(entries[k].op == change_op::upsert);
        auto stored = test::stored_fields(rep, "observation", entries[k].row_id, {"value", "note"});
        CHECK(std::get<double>(stored[0].second) == static_cast<double>(k + 1));
    }
    // The empty note cell is left out of the change, not sent as an empty string.
    bool second_has_note = false;
    for (const auto& [name, v] : entries[1].fields) second_has_note |= name == "note";
    CHECK_FALSE(second_has_note);

    auto seq2 = last_seq(rep);
    auto rows = count_where(rep, "observation");
    std::istringstream bad("indicator,value,date\n" + i + ",1,2025-01-01\n" + i + ",x,2025-01-02\n");
    auto failed = import_observations(svc, rep, bad);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.err().field.find("3") != std::string::npos);
    CHECK(last_seq(rep) == seq2);
    CHECK(count_where(rep, "observation") == rows);
}

TEST_CASE("outbox: each change carries the values the row holds", "[store][outbox]") {
    // What is sent must be what is stored: a value coerced by the schema (text into an INTEGER
    // column) would reach the server with another type than the device stored.
    test::temp_replica r;
    auto& rep = r.get();
    entity_service svc(rep);
    auto a = add_ok(svc, "agreement", {{"title", "A"}, {"kind", "convenio_especifico"}, {"status", "vigente"},
                                       {"source", "bilateral"}, {"geopolitical", "norte_sur"},
                                       {"valid-from", "2024-01-01"}, {"valid-to", "2026-12-31"},
                                       {"currency", "EUR"}, {"cooperant-amount", "1000.25"}});
    auto p = add_ok(svc, "project", {{"title", "P"}, {"modality", "fin_no_reembolsable"}, {"agreement", a},
                                     {"activity-status", "2"}, {"collaboration-type", "1"},
                                     {"finance-type", "110"}, {"aid-type", "C01"}, {"beneficiaries", "300"},
                                     {"planned-start", "2025-01-01"}, {"planned-end", "2025-12-31"}});
    auto i = add_ok(svc, "indicator", {{"project", p}, {"title", "I"}, {"unit", "ha"}, {"measure", "1"},
                                       {"ascending", "1"}, {"baseline-year", "2024"}, {"baseline", "0"},
                                       {"target", "100"}});
    add_ok(svc, "observation", {{"indicator", i}, {"value", "7"}, {"date", "2025-01-01"}, {"lat", "-0.2"},
                                {"lon", "-78.5"}, {"accuracy", "5"}, {"sex", "otro"}, {"territory", "170151"}});
    add_ok(svc, "result", {{"project", p}, {"title", "R"}, {"type", "2"}});
    add_ok(svc, "transaction", {{"project", p}, {"type", "3"}, {"date", "2025-02-01"}, {"currency", "USD"},
                                {"amount", "99.99"}});
    for (const auto& e : all_pending(rep)) {
        std::vector<std::string> cols;
        for (const auto& [name, v] : e.fields) cols.push_back(name);
        auto stored = test::stored_fields(rep, e.table, e.row_id, cols);
        INFO(e.table << " sent:   " << describe(e.fields) << "\n stored: " << describe(stored));
        CHECK(e.fields == stored);
    }
}

TEST_CASE("outbox: seq numbers are never reused after an acknowledge", "[store][outbox]") {
    test::temp_replica r;
    entity_service svc(r.get());
    for (int k = 0; k < 3; ++k) add_ok(svc, "agreement", agreement_form);
    auto first = all_pending(r.get());
    REQUIRE(first.size() == 3);
    CHECK(first[0].seq < first[1].seq);
    CHECK(first[1].seq < first[2].seq);

    SECTION("the ack is cumulative") {
        sql::transaction tx(r->conn());
        r->changes().acknowledge(tx, first[1].seq);
        tx.commit();
        auto left = all_pending(r.get());
        REQUIRE(left.size() == 1);
        CHECK(left[0].seq == first[2].seq);
    }
    SECTION("after acknowledging everything, new changes get higher numbers") {
        {
            sql::transaction tx(r->conn());
            r->changes().acknowledge(tx, first[2].seq);
            tx.commit();
        }
        CHECK(r->changes().pending_count() == 0);
        add_ok(svc, "agreement", agreement_form);
        auto next = all_pending(r.get());
        REQUIRE(next.size() == 1);
        CHECK(next[0].seq > first[2].seq);

        // Also on a new connection, as the next `minga` run would have.
        {
            sql::transaction tx(r->conn());
            r->changes().acknowledge(tx, next[0].seq);
            tx.commit();
        }
        r.reopen();
        entity_service svc2(r.get());
        add_ok(svc2, "agreement", agreement_form);
        auto after = all_pending(r.get());
        REQUIRE(after.size() == 1);
        CHECK(after[0].seq > next[0].seq);
    }
    SECTION("pending() pages by seq") {
        auto page = r->changes().pending(first[0].seq, 1);
        REQUIRE(page.size() == 1);
        CHECK(page[0].seq == first[1].seq);
    }
}

TEST_CASE("outbox: clock stamps grow with every write and survive reopening", "[store][outbox]") {
    test::temp_replica r;
    {
        entity_service svc(r.get());
        for (int k = 0; k < 3; ++k) add_ok(svc, "agreement", agreement_form);
        auto entries = all_pending(r.get());
        REQUIRE(entries.size() == 3);
        for (std::size_t k = 1; k < entries.size(); ++k) CHECK(entries[k].hlc > entries[k - 1].hlc);
    }
    // A stamp from an hour ahead was seen (e.g. from the server) and persisted; after a restart
    // the clock must still issue larger stamps, even though the wall clock is behind it.
    const hlc_t ahead = make_hlc(system_ms() + 3'600'000, 7);
    {
        sql::transaction tx(r->conn());
        r->set_meta(tx, "hlc_last", std::to_string(ahead));
        tx.commit();
    }
    r.reopen();
    auto seq = last_seq(r.get());
    entity_service svc(r.get());
    add_ok(svc, "agreement", agreement_form);
    auto next = pending_after(r.get(), seq);
    REQUIRE(next.size() == 1);
    CHECK(next[0].hlc > ahead);
}
