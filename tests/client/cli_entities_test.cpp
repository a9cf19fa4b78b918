// The client CLI end to end: the real `minga` binary on replicas in temporary directories.
// init, add/show/list/update/delete of every writable kind, JSON output, languages, id prefixes.
#include "cli_fixture.hpp"

#include <algorithm>
#include <minga/shared/ids.hpp>

#include <string_view>
#include <set>

using namespace minga::test;
using nlohmann::json;

namespace {

bool is_uuid_v7(const std::string& s) {
    // Canonical lowercase UUID, version nibble 7, RFC 4122 variant.
    return minga::is_uuid(s) && s[14] == '7' && std::string_view("89ab").find(s[19]) != std::string_view::npos;
}

std::set<std::string> ids_of(const json& list_doc) {
    std::set<std::string> ids;
    for (const auto& row : list_doc.at("rows")) ids.insert(row.at("id").get<std::string>());
    return ids;
}

/// One writable kind: how to add a row, one stored column to expect, and an update.
struct kind_case {
    std::string kind;
    std::vector<std::string> add_args;
    std::string column;
    json expected;
    std::vector<std::string> update_args;
    std::string updated_column;
    json updated_value;
};

std::vector<kind_case> kind_cases(const seeded_replica& s) {
    return {
        {"agreement",
         {"--title", "Hermanamiento con Cuenca", "--kind", "hermanamiento", "--status", "negociacion"},
         "kind", "hermanamiento", {"--status", "vigente"}, "status", "vigente"},
        {"project",
         {"--title", "Agua segura", "--modality", "fin_no_reembolsable", "--planned-start", "2025-01-01"},
         "planned_start", "2025-01-01", {"--title", "Agua segura 2"}, "title", "Agua segura 2"},
        {"result", {"--project", s.project, "--title", "Bosque restaurado", "--type", "2"},
         "type", 2, {"--title", "Bosque nativo restaurado"}, "title", "Bosque nativo restaurado"},
        {"indicator", {"--project", s.project, "--title", "Plántulas", "--unit", "plántulas", "--target", "5000"},
         "target_value", 5000.0, {"--target", "6000"}, "target_value", 6000.0},
        {"period", {"--indicator", s.indicator, "--start", "2025-01-01", "--end", "2025-06-30"},
         "period_end", "2025-06-30", {"--target", "50"}, "target_value", 50.0},
        {"monitoring", {"--project", s.project, "--start", "2025-01-01", "--end", "2025-06-30",
                        "--kind", "seguimiento"},
         "kind", "seguimiento", {"--status", "enviado"}, "status", "enviado"},
        {"observation", {"--indicator", s.indicator, "--value", "12.5", "--date", "2025-02-01"},
         "value", 12.5, {"--value", "13"}, "value", 13.0},
        {"transaction", {"--project", s.project, "--type", "3", "--date", "2025-03-01",
                         "--currency", "USD", "--amount", "2500.75"},
         "amount", 250075, {"--description", "Primer desembolso"}, "description", "Primer desembolso"},
    };
}

}  // namespace

TEST_CASE("cli: init creates a replica for a GAD and reports its device", "[cli]") {
    minga_client c;
    auto r = c.run_json({"init", "--gad", test_gad});
    INFO(r.describe());
    REQUIRE(r.exited(0));
    auto doc = json_of(r);
    CHECK(doc.at("ok") == true);
    CHECK(doc.at("gad") == test_gad);
    CHECK(is_uuid_v7(doc.at("device_id").get<std::string>()));
    CHECK(doc.at("data") == c.data_dir().string());
    CHECK(fs::is_regular_file(c.db_file()));
    CHECK_FALSE(fs::exists(c.data_dir() / "minga.db.init"));

    auto st = ok_json(c, {"status"});
    CHECK(st.at("gad") == test_gad);
    CHECK(st.at("gads") == json::array({test_gad}));
    CHECK(st.at("device_id") == doc.at("device_id"));
    CHECK(st.at("pending_changes") == 0);
    CHECK(st.at("enrolled") == false);
    CHECK(st.at("last_sync_ms").is_null());

    SECTION("the text output names the GAD") {
        minga_client t;
        auto tr = t.run({"init", "--gad", test_gad});
        REQUIRE(tr.exited(0));
        CHECK(tr.out.find("Réplica creada para el GAD 170151") != std::string::npos);
    }
    SECTION("a municipal or provincial GAD gets a replica too") {
        minga_client m;
        CHECK(m.run({"init", "--gad", "1701"}).exited(0));
        minga_client p;
        CHECK(p.run({"init", "--gad", "17"}).exited(0));
    }
}

TEST_CASE("cli: init twice in the same folder is refused and keeps the first replica", "[cli]") {
    minga_client c;
    auto device = c.init();
    c.add({"agreement", "add", "--title", "A", "--kind", "convenio_marco", "--status", "vigente"});
    auto before = c.dump();
    for (const char* gad : {test_gad, "1701"}) {
        auto r = c.run({"init", "--gad", gad});
        INFO(r.describe());
        CHECK(r.exited(2));
        CHECK(r.err.find("--data") != std::string::npos);
        CHECK(r.err.find("ya existe una réplica") != std::string::npos);
    }
    CHECK(dump_diff(before, c.dump()).empty());
    CHECK(ok_json(c, {"status"}).at("device_id") == device);
}

TEST_CASE("cli: every writable kind can be added and shown and listed and deleted", "[cli]") {
    seeded_replica s;
    for (const auto& k : kind_cases(s)) {
        DYNAMIC_SECTION("kind " << k.kind) {
            std::vector<std::string> add{k.kind, "add"};
            add.insert(add.end(), k.add_args.begin(), k.add_args.end());
            auto added = ok_json(s.c, add);
            CHECK(added.at("ok") == true);
            CHECK(added.at("kind") == k.kind);
            CHECK(added.at("warnings") == json::array());
            auto id = added.at("id").get<std::string>();
            CHECK(is_uuid_v7(id));

            auto shown = ok_json(s.c, {k.kind, "show", id});
            CHECK(shown.at("id") == id);
            CHECK(shown.at("owner_gad") == test_gad);
            CHECK(shown.at(k.column) == k.expected);

            auto listed = ok_json(s.c, {k.kind, "list"});
            CHECK(listed.at("kind") == k.kind);
            CHECK(listed.at("count") == listed.at("rows").size());
            CHECK(ids_of(listed).count(id) == 1);
            CHECK(ids_of(ok_json(s.c, {"list", k.kind})) == ids_of(listed));

            auto pending = pending_changes(s.c);
            auto deleted = ok_json(s.c, {k.kind, "delete", id});
            CHECK(deleted.at("ok") == true);
            CHECK(deleted.at("id") == id);
            CHECK(pending_changes(s.c) == pending + 1);  // one tombstone (no child sets here)

            auto gone = s.c.run({k.kind, "show", id});
            CHECK(gone.exited(2));
            CHECK(ids_of(ok_json(s.c, {k.kind, "list"})).count(id) == 0);
            // A delete is a tombstone kept for sync, not a removed row.
            std::string table = k.kind == "result" ? "project_result"
                                : k.kind == "period" ? "reporting_period"
                                : k.kind == "monitoring" ? "monitoring_report"
                                : k.kind == "transaction" ? "project_transaction"
                                                          : k.kind;
            CHECK(count_rows(s.c.db_file(), table, "id = '" + id + "' AND deleted = 1") == 1);
        }
    }
}

TEST_CASE("cli: update changes only the given field of every kind", "[cli][update]") {
    seeded_replica s;
    for (const auto& k : kind_cases(s)) {
        DYNAMIC_SECTION("kind " << k.kind) {
            std::vector<std::string> add{k.kind, "add"};
            add.insert(add.end(), k.add_args.begin(), k.add_args.end());
            auto id = s.c.add(add);
            auto before = ok_json(s.c, {k.kind, "show", id});
            auto pending = pending_changes(s.c);

            std::vector<std::string> upd{k.kind, "update", id};
            upd.insert(upd.end(), k.update_args.begin(), k.update_args.end());
            auto r = s.c.run_json(upd);
            INFO(r.describe());
            REQUIRE(r.exited(0));
            CHECK(json_of(r).at("id") == id);

            auto after = ok_json(s.c, {k.kind, "show", id});
            CHECK(after.at(k.updated_column) == k.updated_value);
            // Every other column is as it was.
            for (auto& [col, v] : before.items())
                if (col != k.updated_column) CHECK(after.at(col) == v);
            CHECK(pending_changes(s.c) == pending + 1);
        }
    }
}

TEST_CASE("cli: update with nothing to change or of a missing row is refused", "[cli]") {
    seeded_replica s;
    auto before = s.c.dump();
    auto none = s.c.run({"agreement", "update", s.agreement});
    CHECK(none.exited(2));
    auto missing = s.c.run({"agreement", "update", "0000ffff-0000-7000-8000-000000000000", "--title", "X"});
    CHECK(missing.exited(2));
    CHECK(missing.err.find("id") != std::string::npos);
    CHECK(dump_diff(before, s.c.dump()).empty());
}

TEST_CASE("cli: money is stored in minor units and shown in major units", "[cli]") {
    seeded_replica s;
    auto id = s.c.add({"agreement", "add", "--title", "Convenio con monto", "--kind", "convenio_especifico",
                       "--status", "vigente", "--signed-on", "2024-03-01", "--currency", "USD",
                       "--cooperant-amount", "1500.50"});
    auto doc = ok_json(s.c, {"agreement", "show", id});
    CHECK(doc.at("cooperant_amount") == 150050);
    CHECK(doc.at("currency") == "USD");
    CHECK(doc.at("signed_on") == "2024-03-01");
    CHECK(doc.at("agreement_party") == json::array());

    auto text = s.c.run({"agreement", "show", id});
    REQUIRE(text.exited(0));
    CHECK(text.out.find("monto del cooperante: 1500.50 USD") != std::string::npos);

    SECTION("an amount without a currency is taken as US dollars") {
        auto id2 = s.c.add({"agreement", "add", "--title", "Sin moneda", "--kind", "convenio_marco",
                            "--status", "vigente", "--counterpart-amount", "10"});
        auto d2 = ok_json(s.c, {"agreement", "show", id2});
        CHECK(d2.at("counterpart_amount") == 1000);
        CHECK(d2.at("currency") == "USD");
    }
}

TEST_CASE("cli: a project's SDGs and sectors and locations and budget are child rows", "[cli]") {
    seeded_replica s;
    auto pending = pending_changes(s.c);
    auto id = s.c.add({"project", "add", "--title", "Reforestación", "--modality", "fin_no_reembolsable",
                       "--sdg", "6", "--sdg", "15", "--sector", "31220:60",
                       "--location", "170150:Comunidad:-0.2:-78.5", "--budget", "2025-01-01:2025-12-31:15000"});
    // The project and each of its five child rows are queued.
    CHECK(pending_changes(s.c) == pending + 6);
    auto doc = ok_json(s.c, {"project", "show", id});
    std::set<std::int64_t> goals;
    for (const auto& g : doc.at("project_sdg")) goals.insert(g.at("goal").get<std::int64_t>());
    CHECK(goals == std::set<std::int64_t>{6, 15});
    REQUIRE(doc.at("project_sector").size() == 1);
    CHECK(doc.at("project_sector")[0].at("sector") == "31220");
    CHECK(doc.at("project_sector")[0].at("percentage") == 60.0);
    REQUIRE(doc.at("project_location").size() == 1);
    const auto& loc = doc.at("project_location")[0];
    CHECK(loc.at("territory") == "170150");
    CHECK(loc.at("name") == "Comunidad");
    CHECK(loc.at("lat") == -0.2);
    CHECK(loc.at("lon") == -78.5);
    REQUIRE(doc.at("project_budget").size() == 1);
    CHECK(doc.at("project_budget")[0].at("amount") == 1500000);
    CHECK(doc.at("project_budget")[0].at("currency") == "USD");
    CHECK(doc.at("project_budget")[0].at("period_start") == "2025-01-01");

    SECTION("giving a set on update replaces it") {
        pending = pending_changes(s.c);
        ok_json(s.c, {"project", "update", id, "--sdg", "15", "--sdg", "13"});
        auto upd = ok_json(s.c, {"project", "show", id});
        goals.clear();
        for (const auto& g : upd.at("project_sdg")) goals.insert(g.at("goal").get<std::int64_t>());
        CHECK(goals == std::set<std::int64_t>{13, 15});
        CHECK(upd.at("title") == "Reforestación");
        CHECK(upd.at("project_sector").size() == 1);  // sets not given are kept
        // upsert 15, upsert 13, tombstone 6
        CHECK(pending_changes(s.c) == pending + 3);
    }
    SECTION("an empty value empties a set; the other sets are kept") {
        pending = pending_changes(s.c);
        ok_json(s.c, {"project", "update", id, "--sdg", "", "--budget", ""});
        auto upd = ok_json(s.c, {"project", "show", id});
        CHECK(upd.at("project_sdg").empty());
        CHECK(upd.at("project_budget").empty());
        CHECK(upd.at("project_sector").size() == 1);
        CHECK(upd.at("project_location").size() == 1);
        CHECK(pending_changes(s.c) == pending + 3);  // tombstones of 6, 15 and the budget row
        // Emptying an empty set writes nothing.
        ok_json(s.c, {"project", "update", id, "--sdg", ""});
        CHECK(pending_changes(s.c) == pending + 3);
    }
    SECTION("deleting the project tombstones its child rows too") {
        pending = pending_changes(s.c);
        ok_json(s.c, {"project", "delete", id});
        CHECK(pending_changes(s.c) == pending + 6);
        for (const char* t : {"project_sdg", "project_sector", "project_location", "project_budget"})
            CHECK(count_rows(s.c.db_file(), t, "project_id = '" + id + "' AND deleted = 0") == 0);
    }
}

TEST_CASE("cli: ids can be given as a unique prefix of at least 4 characters", "[cli]") {
    seeded_replica s;
    const std::string& a = s.agreement;
    SECTION("show, update and delete accept a prefix") {
        auto doc = ok_json(s.c, {"agreement", "show", a.substr(0, 30)});
        CHECK(doc.at("id") == a);
        auto upper = a.substr(0, 30);
        std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
        CHECK(ok_json(s.c, {"agreement", "show", upper}).at("id") == a);
    }
    SECTION("references accept a prefix and store the full id") {
        auto ind = s.c.add({"indicator", "add", "--project", s.project.substr(0, 28), "--title", "Personas",
                            "--unit", "personas"});
        CHECK(ok_json(s.c, {"indicator", "show", ind}).at("project_id") == s.project);
        auto obs = s.c.add({"observe", "--indicator", ind.substr(0, 28), "--value", "3", "--date", "2025-01-01"});
        CHECK(ok_json(s.c, {"observation", "show", obs.substr(0, 30)}).at("indicator_id") == ind);
        auto filtered = ok_json(s.c, {"observation", "list", "--indicator", ind.substr(0, 28)});
        CHECK(ids_of(filtered) == std::set<std::string>{obs});
    }
    SECTION("a prefix shorter than 4 characters is refused") {
        auto r = s.c.run({"agreement", "show", a.substr(0, 3)});
        CHECK(r.exited(2));
        CHECK(r.err.find("id") != std::string::npos);
        CHECK(r.err.find("4") != std::string::npos);
    }
    SECTION("an ambiguous prefix is refused") {
        auto b = s.c.add({"agreement", "add", "--title", "B", "--kind", "adenda", "--status", "vigente"});
        std::size_t common = 0;
        while (common < a.size() && a[common] == b[common]) ++common;
        if (common < 4) {
            WARN("ids made within seconds share under 4 characters; skipped");
            return;
        }
        auto before = s.c.dump();
        auto r = s.c.run({"agreement", "show", a.substr(0, common)});
        CHECK(r.exited(2));
        auto d = s.c.run({"agreement", "delete", a.substr(0, common)});
        CHECK(d.exited(2));
        CHECK(dump_diff(before, s.c.dump()).empty());
    }
}

TEST_CASE("cli: --json errors are one JSON document naming the code and field", "[cli]") {
    seeded_replica s;
    auto r = s.c.run_json({"agreement", "add", "--kind", "convenio_marco", "--status", "vigente"});
    CHECK(r.exited(2));
    auto doc = json_of(r);
    CHECK(doc.at("ok") == false);
    CHECK(doc.at("error").at("code") == "bad_input");
    CHECK(doc.at("error").at("field") == "--title");
    CHECK(doc.at("error").at("message").get<std::string>().find("título") != std::string::npos);

    auto nf = s.c.run_json({"agreement", "show", "ffff0000"});
    CHECK(nf.exited(2));
    CHECK(json_of(nf).at("error").at("field") == "id");

    auto list = ok_json(s.c, {"list", "indicator"});
    REQUIRE(list.at("count") == 1);
    const auto& row = list.at("rows")[0];
    CHECK(row.at("id") == s.indicator);
    CHECK(row.at("title") == "Hectáreas restauradas");
    CHECK(row.at("unit") == "ha");
    CHECK(row.at("baseline_value") == 0.0);
    CHECK(row.at("target_value") == 100.0);
}

TEST_CASE("cli: --lang en gives English messages and Spanish is the default", "[cli]") {
    seeded_replica s;
    auto missing = std::vector<std::string>{"agreement", "add", "--kind", "convenio_marco", "--status", "vigente"};
    auto es = s.c.run(missing);
    CHECK(es.exited(2));
    CHECK(es.err.find("--title: falta el campo obligatorio (título)") != std::string::npos);

    std::vector<std::string> en_args{"--lang", "en"};
    en_args.insert(en_args.end(), missing.begin(), missing.end());
    auto en = s.c.run(en_args);
    CHECK(en.exited(2));
    CHECK(en.err.find("--title: the required field is missing (title)") != std::string::npos);
    CHECK(en.err.find("falta") == std::string::npos);

    auto en_json = s.c.run_json({"--lang", "en", "project", "add", "--title", "X", "--modality",
                                 "fin_no_reembolsable", "--sdg", "18"});
    CHECK(en_json.exited(2));
    CHECK(json_of(en_json).at("error").at("message") == "SDG 18 does not exist; goals go from 1 to 17");

    auto ok = s.c.run({"--lang", "en", "agreement", "add", "--title", "T", "--kind", "adenda", "--status", "vigente"});
    REQUIRE(ok.exited(0));
    CHECK(ok.out.rfind("agreement recorded: ", 0) == 0);
    auto st = s.c.run({"--lang", "en", "status"});
    CHECK(st.out.find("changes waiting to be sent: ") != std::string::npos);

    SECTION("MINGA_LANG=en does the same") {
        minga::test::run_options o;
        o.env = {{"MINGA_LANG", "en"}};
        auto e = s.c.run(missing, o);
        CHECK(e.err.find("the required field is missing") != std::string::npos);
    }
    SECTION("an unsupported language is a usage error") {
        auto bad = s.c.run({"--lang", "fr", "status"});
        CHECK(bad.exited(2));
    }
}

TEST_CASE("cli: delete with dependents is refused and writes nothing", "[cli]") {
    seeded_replica s;
    auto obs = s.c.add({"observe", "--indicator", s.indicator, "--value", "1", "--date", "2025-01-01"});
    auto before = s.c.dump();
    struct refusal {
        std::string kind, id, names;
    };
    for (const auto& x : {refusal{"agreement", s.agreement, "proyecto"},
                          refusal{"project", s.project, "indicador"},
                          refusal{"indicator", s.indicator, "observación"}}) {
        auto r = s.c.run({x.kind, "delete", x.id});
        INFO(x.kind << "\n" << r.describe());
        CHECK(r.exited(2));
        CHECK(r.err.find("no se puede eliminar") != std::string::npos);
        CHECK(r.err.find(x.names) != std::string::npos);
    }
    CHECK(dump_diff(before, s.c.dump()).empty());

    SECTION("once the dependents are gone the delete goes through") {
        ok_json(s.c, {"observation", "delete", obs});
        ok_json(s.c, {"indicator", "delete", s.indicator});
        ok_json(s.c, {"project", "delete", s.project});
        ok_json(s.c, {"agreement", "delete", s.agreement});
        CHECK(ok_json(s.c, {"list", "agreement"}).at("count") == 0);
    }
}

TEST_CASE("cli: catalogue kinds are read-only on a device", "[cli]") {
    seeded_replica s;
    auto before = s.c.dump();
    for (const char* kind : {"organisation", "offer", "gad"}) {
        auto r = s.c.run({kind, "add", "--name", "X"});
        INFO(kind << "\n" << r.describe());
        CHECK(r.exited(2));
    }
    CHECK(s.c.run({"gad", "delete", test_gad}).exited(2));
    CHECK(dump_diff(before, s.c.dump()).empty());

    auto gad = ok_json(s.c, {"gad", "show", test_gad});
    CHECK(gad.at("level") == "parroquial_rural");
    CHECK(gad.at("territory") == test_gad);
    CHECK(ok_json(s.c, {"list", "gad", "--limit", "5"}).at("count") == 5);
    auto offers = ok_json(s.c, {"offer", "search", "agua"});
    CHECK(offers.at("query") == "agua");
    CHECK(offers.at("count") == offers.at("offers").size());
}

TEST_CASE("cli: a command without a replica says how to make one", "[cli]") {
    minga_client c;
    auto r = c.run({"status"});
    CHECK(r.exited(2));
    CHECK(r.err.find("minga init --gad") != std::string::npos);
    CHECK_FALSE(fs::exists(c.data_dir()));
}
