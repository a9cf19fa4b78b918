// Bundles as a field team uses them, with the real programs: a parish tablet with no link
// exports to a stick; another enrolled tablet carries it to the server and brings the answer
// back; the next bundle goes to the central office instead; then the parish syncs online.
// Every refusal names what is wrong, in Spanish (and English with --lang en).
#include "server_fixture.hpp"

#include <catch2/catch.hpp>

using namespace minga::test;

namespace {

constexpr const char* gad_a = "170151";
constexpr const char* gad_b = "170152";

nlohmann::json sync_ok(const minga_client& c) { return ok_json(c, {"sync"}); }

}  // namespace

TEST_CASE("bundle: export, carry, import at the central office, then online: one converged state",
          "[integration]") {
    minga_server server;
    server.start();
    minga_client parish, team;
    parish.init(gad_a);
    team.init(gad_b);
    ok_json(parish, server.enroll_args(server.token(gad_a)));
    ok_json(team, server.enroll_args(server.token(gad_b)));

    // The parish has no link for weeks: two agreements go on a stick.
    parish.add({"agreement", "add", "--title", "Convenio de riego", "--kind", "convenio_marco", "--status", "vigente"});
    parish.add({"agreement", "add", "--title", "Convenio de vialidad", "--kind", "convenio_marco", "--status", "vigente"});
    const auto stick = parish.scratch() / "paquete-1.mingab";
    auto exported = ok_json(parish, {"bundle", "export", stick.string()});
    CHECK(exported.at("number") == 1);
    CHECK(exported.at("changes") == 2);

    // The team's tablet (another GAD) carries it to the server and brings the answer back.
    const auto answer = team.scratch() / "respuesta-1.mingab";
    auto carried = ok_json(team, {"bundle", "carry", stick.string(), "--out", answer.string()});
    CHECK(carried.at("applied") == 2);
    auto applied = ok_json(parish, {"bundle", "import", answer.string()});
    CHECK(applied.at("acked") == 2);
    CHECK(ok_json(parish, {"status"}).at("pending_changes") == 0);
    CHECK(client_digest(parish) == server.digest(gad_a));

    // Applying the same answer again changes nothing.
    auto twice = ok_json(parish, {"bundle", "import", answer.string()});
    CHECK(twice.at("acked") == 0);
    CHECK(client_digest(parish) == server.digest(gad_a));

    // The next bundle goes to the central office on the stick.
    parish.add({"agreement", "add", "--title", "Convenio de salud", "--kind", "convenio_marco", "--status", "vigente"});
    const auto stick2 = parish.scratch() / "paquete-2.mingab";
    ok_json(parish, {"bundle", "export", stick2.string()});
    const auto answer2 = parish.scratch() / "respuesta-2.mingab";
    auto imported = server.run_json({"bundle", "import", stick2.string(), "--out", answer2.string()});
    CHECK(imported.at("number") == 2);
    CHECK(imported.at("applied") == 1);
    ok_json(parish, {"bundle", "import", answer2.string()});
    CHECK(client_digest(parish) == server.digest(gad_a));

    // And online the next day: nothing lost, nothing twice.
    auto online = sync_ok(parish);
    CHECK(online.at("pushed") == 0);
    CHECK(client_digest(parish) == server.digest(gad_a));
    auto listed = ok_json(parish, {"list", "agreement"});
    CHECK(listed.at("rows").size() == 3);
}

TEST_CASE("bundle: bad files and revoked devices are refused with a clear reason", "[integration]") {
    minga_server server;
    server.start();
    minga_client parish, team;
    const std::string parish_id = parish.init(gad_a);
    team.init(gad_b);
    ok_json(parish, server.enroll_args(server.token(gad_a)));
    ok_json(team, server.enroll_args(server.token(gad_b)));
    parish.add({"agreement", "add", "--title", "Convenio", "--kind", "convenio_marco", "--status", "vigente"});
    const auto stick = parish.scratch() / "paquete.mingab";
    ok_json(parish, {"bundle", "export", stick.string()});

    // Truncated on the stick.
    std::filesystem::copy_file(stick, parish.scratch() / "cortado.mingab");
    std::filesystem::resize_file(parish.scratch() / "cortado.mingab", std::filesystem::file_size(stick) - 10);
    auto cut = server.run({"bundle", "import", (parish.scratch() / "cortado.mingab").string()});
    CHECK_FALSE(cut.exited(0));
    CHECK(cut.err.find("el paquete está truncado") != std::string::npos);
    // Carried, the server's refusal comes back in its language (clients localise by code).
    auto cut_carried = team.run({"bundle", "carry", (parish.scratch() / "cortado.mingab").string()});
    CHECK_FALSE(cut_carried.exited(0));
    CHECK(cut_carried.err.find("el paquete está truncado") != std::string::npos);
    // With --lang en the carrier reads what the refusal's code means in English, then the
    // server's own (Spanish) words; the same code in --json.
    auto cut_en = team.run({"--lang", "en", "bundle", "carry", (parish.scratch() / "cortado.mingab").string()});
    CHECK(cut_en.exit_code == cut_carried.exit_code);
    CHECK(cut_en.err.find("the server refused it as invalid (the server's words, in Spanish: \"el paquete está "
                          "truncado") != std::string::npos);
    CHECK(cut_carried.err.find("the server refused it") == std::string::npos);
    auto cut_json = team.run_json({"--lang", "en", "bundle", "carry", (parish.scratch() / "cortado.mingab").string()});
    const auto doc = json_of(cut_json);
    CHECK(doc.at("ok") == false);
    CHECK(doc.at("error").at("code") == "bad_input");
    CHECK(doc.at("error").at("message").get<std::string>().rfind("the server refused it as invalid", 0) == 0);

    // An answer is not a bundle and a bundle is not an answer.
    auto wrong_kind = parish.run({"bundle", "import", stick.string()});
    CHECK_FALSE(wrong_kind.exited(0));
    CHECK(wrong_kind.err.find("no una respuesta del servidor") != std::string::npos);
    auto wrong_kind_en = parish.run({"--lang", "en", "bundle", "import", stick.string()});
    CHECK(wrong_kind_en.err.find("not a server answer") != std::string::npos);

    // A revoked device: refused, kept for review.
    auto revoked = server.run({"device", "revoke", parish_id});
    REQUIRE(revoked.exited(0));
    auto refused = server.run({"bundle", "import", stick.string()});
    CHECK_FALSE(refused.exited(0));
    CHECK(refused.err.find("fue revocado") != std::string::npos);
    auto held = server.run_json({"bundle", "list-held"});
    REQUIRE(held.at("held").size() == 1);
    CHECK(held.at("held")[0].at("device_id") == parish_id);
    CHECK(held.at("held")[0].at("changes") == 1);
    CHECK(server.digest(gad_a) != client_digest(parish));  // nothing of it applied
}
