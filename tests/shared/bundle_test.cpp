// Bundles (docs/bundles.md) in process: a device exports, the server imports exactly like an
// online push and answers, the device applies the answer exactly like a pull. Repeats are
// harmless; bad bundles are refused naming what is wrong; a revoked device's bundle is held.
#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/tuning.hpp>
#include <minga/shared/bundle.hpp>
#include <minga/shared/entity_service.hpp>

using namespace minga;
using minga::testing::sync_world;

namespace {

using bytes = std::vector<std::uint8_t>;

void add_agreement(replica& r, const std::string& title) {
    entity_service svc(r);
    REQUIRE(svc.add(*find_entity("agreement"), {{"title", title}, {"kind", "convenio_marco"}, {"status", "vigente"}}).ok());
}

bytes export_ok(replica& r, bundle_export_report* out = nullptr) {
    bundle_export_report rep;
    auto b = export_bundle(r, rep);
    if (!b) FAIL(b.err().text("en"));
    if (out) *out = rep;
    return *b;
}

bundle_outcome import_ok(sync_world& w, const bytes& b) {
    auto o = w.server->import_bundle(b, bundle_tuning::max_answer_rows);
    if (!o) FAIL(o.err().text("en"));
    return *o;
}

answer_report apply_ok(replica& r, const bytes& b) {
    auto a = apply_answer(r, b);
    if (!a) FAIL(a.err().text("en"));
    return *a;
}

std::int64_t agreements(sync_world& w) {
    return w.server->conn().scalar_int("SELECT count(*) FROM agreement");
}

}  // namespace

TEST_CASE("bundle: export, import and answer converge like an online sync") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& b = w.add_device("170151");
    add_agreement(b, "En línea");
    w.sync_ok(b);
    add_agreement(a, "Sin conexión 1");
    add_agreement(a, "Sin conexión 2");
    bundle_export_report rep;
    auto file = export_ok(a, &rep);
    CHECK(rep.number == 1);
    CHECK(rep.changes == 2);
    CHECK(a.changes().pending_count() == 2);  // only an ack takes them out
    auto out = import_ok(w, file);
    CHECK(out.device_id == a.device_id());
    CHECK(out.applied == 2);
    CHECK(out.rows >= 1);  // b's agreement
    CHECK(agreements(w) == 3);
    auto ans = apply_ok(a, out.answer);
    CHECK(ans.answers == 1);
    CHECK(ans.acked == 2);
    CHECK_FALSE(ans.rows_skipped);
    CHECK(a.changes().pending_count() == 0);
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
    // And online again the next day: nothing to send, nothing new to pull but b's next edit.
    add_agreement(b, "Otro");
    w.sync_ok(b);
    auto next = w.sync_ok(a);
    CHECK(next.pushed == 0);
    CHECK(next.pulled == 1);
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
}

TEST_CASE("bundle: a bundle and an answer applied twice change nothing the second time") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreement(a, "Uno");
    auto file = export_ok(a);
    auto first = import_ok(w, file);
    auto again = import_ok(w, file);
    CHECK(first.applied == 1);
    CHECK(again.applied == 0);
    CHECK(again.repeated);
    CHECK(agreements(w) == 1);
    apply_ok(a, first.answer);
    const auto digest = scope_digest(a.conn(), a.gads());
    auto twice = apply_ok(a, first.answer);
    CHECK(twice.acked == 0);
    CHECK(twice.rows_skipped);  // position moved on: old rows are never applied over newer ones
    auto late = apply_ok(a, again.answer);
    CHECK(late.acked == 0);
    CHECK(scope_digest(a.conn(), a.gads()) == digest);
    // Exporting again with nothing new: a harmless bundle.
    auto empty = export_ok(a);
    auto out = import_ok(w, empty);
    CHECK(out.changes == 0);
    CHECK(out.applied == 0);
    CHECK(out.number == 2);
    CHECK(agreements(w) == 1);
}

TEST_CASE("bundle: damaged, truncated or foreign files are refused naming what is wrong") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreement(a, "Uno");
    auto file = export_ok(a);
    auto refused = [&](const bytes& b, const std::string& words) {
        auto r = w.server->import_bundle(b, bundle_tuning::max_answer_rows);
        REQUIRE_FALSE(r.ok());
        INFO(r.err().en);
        CHECK(r.err().en.find(words) != std::string::npos);
        CHECK_FALSE(r.err().es.empty());
        CHECK(agreements(w) == 0);
    };
    refused(bytes(file.begin(), file.begin() + static_cast<long>(file.size() / 2)), "truncated");
    bytes flipped = file;
    flipped[flipped.size() / 2] ^= 0x01;
    refused(flipped, "damaged or was altered");
    refused(bytes{'h', 'o', 'l', 'a'}, "not a minga bundle");
    {
        sync_world other;  // a second server: its key cannot open a bundle sealed to the first
        auto& c = other.add_device("170151");
        add_agreement(c, "Otro servidor");
        auto foreign = export_ok(c);
        refused(foreign, "not encrypted to this server");
    }
    // The answer is for its device only, and a device bundle is not an answer.
    auto out = import_ok(w, file);
    auto& b = w.add_device("170151");
    auto wrong = apply_answer(b, out.answer);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.err().en.find("does not come from this device's server or is not for it") != std::string::npos);
    auto not_answer = apply_answer(a, file);
    REQUIRE_FALSE(not_answer.ok());
    CHECK(not_answer.err().en.find("not a server answer") != std::string::npos);
    bytes bad_answer = out.answer;
    bad_answer.resize(bad_answer.size() - 1);
    auto cut = apply_answer(a, bad_answer);
    REQUIRE_FALSE(cut.ok());
    CHECK(cut.err().en.find("truncated") != std::string::npos);
    CHECK(a.changes().pending_count() == 1);  // nothing written by the refused answers
}

TEST_CASE("bundle: a revoked device's bundle is refused and held for review, never applied") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreement(a, "Antes de revocar");
    auto file = export_ok(a);
    REQUIRE(w.server->revoke_device(a.device_id()).ok());
    auto r = w.server->import_bundle(file, bundle_tuning::max_answer_rows);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::unauthorized);
    CHECK(r.err().en.find("was revoked") != std::string::npos);
    CHECK(r.err().en.find("kept for review") != std::string::npos);
    CHECK(agreements(w) == 0);
    auto again = w.server->import_bundle(file, bundle_tuning::max_answer_rows);
    REQUIRE_FALSE(again.ok());
    auto held = w.server->held_bundles();
    REQUIRE(held.size() == 1);  // the same bundle twice is held once
    CHECK(held[0].device_id == a.device_id());
    CHECK(held[0].number == 1);
    CHECK(held[0].changes == 1);
    CHECK(held[0].reason == "revocado");
    CHECK(w.server->conn().scalar_int("SELECT length(file) FROM bundle_held") ==
          static_cast<std::int64_t>(file.size()));
}

TEST_CASE("bundle: the chain names a missing bundle and refuses a replaced one") {
    sync_world w;
    auto& a = w.add_device("170151");
    add_agreement(a, "Uno");
    auto one = export_ok(a);
    add_agreement(a, "Dos");
    auto two = export_ok(a);  // lost on the way
    add_agreement(a, "Tres");
    auto three = export_ok(a);
    import_ok(w, one);
    auto out = import_ok(w, three);
    CHECK(out.missing == std::vector<std::uint64_t>{2});
    CHECK(agreements(w) == 3);  // bundle 3 carried bundle 2's changes too: nothing lost
    // Bundle 2 arrives late: harmless.
    auto late = import_ok(w, two);
    CHECK(late.applied == 0);
    // A different bundle under number 3 (the device's chain state was rolled back, e.g. a
    // replica restored from a copy): refused, naming the bundle.
    sql::transaction tx(a.conn());
    a.set_meta(tx, "bundle_number", "2");
    a.set_meta(tx, "bundle_hash", "00");
    a.commit(tx);
    add_agreement(a, "Cuatro");
    auto other = w.server->import_bundle(export_ok(a), bundle_tuning::max_answer_rows);
    REQUIRE_FALSE(other.ok());
    CHECK(other.err().en.find("bundle 3 of " + a.device_id() + " was received before with other content") !=
          std::string::npos);
    // And one that does not follow the bundle received before it.
    auto broken = w.server->import_bundle(export_ok(a), bundle_tuning::max_answer_rows);
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.err().en.find("broken chain") != std::string::npos);
    CHECK(agreements(w) == 3);
}

TEST_CASE("bundle: a device enrolled before v3 registers its keys at its next online sync") {
    sync_world w;
    auto& a = w.add_device("170151");
    // As before v3: the server has no keys for it, it does not know the server's.
    w.server->conn().exec("UPDATE device SET sign_pk = NULL, box_pk = NULL");
    a.conn().exec("DELETE FROM replica_meta WHERE key = 'server_box_pk'");
    add_agreement(a, "Uno");
    bundle_export_report rep;
    auto no_key = export_bundle(a, rep);
    REQUIRE_FALSE(no_key.ok());
    CHECK(no_key.err().en.find("does not know the server's key yet") != std::string::npos);
    w.sync_ok(a);  // the hello carries its keys; the hello_ack the server's
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM device WHERE sign_pk IS NOT NULL") == 1);
    add_agreement(a, "Dos");
    auto out = import_ok(w, export_ok(a));
    CHECK(out.applied == 1);
    // A second hello never replaces registered keys (only an enrolment does).
    const auto keys = w.server->conn().scalar_int("SELECT count(*) FROM device WHERE sign_pk IS NOT NULL");
    w.sync_ok(a);
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM device WHERE sign_pk IS NOT NULL") == keys);
}

TEST_CASE("bundle: a v2 device keeps syncing with the v3 server") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& b = w.add_device("170151");
    sync_options v2;
    v2.max_protocol_version = 2;
    add_agreement(a, "v2");
    auto rep = minga::sync(a, w.transport(), v2);
    REQUIRE(rep.ok());
    CHECK(rep->pushed == 1);
    CHECK(a.meta("protocol_version") == "2");
    w.sync_ok(b);
    CHECK(scope_digest(a.conn(), a.gads()) == scope_digest(b.conn(), b.gads()));
}

TEST_CASE("bundle: a scope violation inside a bundle is refused like an online push") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& b = w.add_device("170152");
    (void)b;
    add_agreement(a, "Uno");
    // Rewrite the pending change's owner to another GAD, as a tampered replica would.
    a.conn().exec("UPDATE outbox SET owner_gad = '170152'");
    auto r = w.server->import_bundle(export_ok(a), bundle_tuning::max_answer_rows);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::forbidden);
    CHECK(r.err().field.find("owner_gad") != std::string::npos);
    CHECK(agreements(w) == 0);
}

TEST_CASE("bundle: limits on changes per bundle and on a carried bundle") {
    sync_world w;
    auto& a = w.add_device("170151");
    for (int i = 0; i < 5; ++i) add_agreement(a, "N" + std::to_string(i));
    bundle_export_report rep;
    auto part = export_bundle(a, rep, 3);
    REQUIRE(part.ok());
    CHECK(rep.changes == 3);
    CHECK(rep.pending == 5);
    auto out = import_ok(w, *part);
    apply_ok(a, out.answer);
    CHECK(a.changes().pending_count() == 2);
    auto rest = import_ok(w, export_ok(a));
    CHECK(rest.applied == 2);
    // A carried bundle over the frame limit is refused before anything is sent.
    auto& carrier = w.add_device("170152");
    bytes big(protocol::tuning::max_carried_bundle_bytes + 1, 0);
    std::size_t sent = 0;
    transport_fn t = [&](std::span<const std::uint8_t> req, std::string_view bearer) -> result<bytes> {
        ++sent;
        return w.server->handle(req, bearer);
    };
    auto c = carry_bundle(carrier, t, big);
    REQUIRE_FALSE(c.ok());
    CHECK(c.err().code == errc::too_large);
    CHECK(sent == 0);
    // And the server refuses one that says it is too big (decode limit).
    protocol::frame f{protocol::current_version, 1, protocol::bundle_carry{big}};
    auto answer = protocol::decode(w.server->handle(protocol::encode(f), stored_link(carrier).credential));
    REQUIRE(answer.ok());
    auto* e = std::get_if<protocol::error_body>(&answer->body);
    REQUIRE(e != nullptr);
    CHECK(e->code == errc::too_large);
    CHECK(e->field == "bundle_carry.bundle");
}

TEST_CASE("bundle: carried through another device, authenticated by its own device") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto& carrier = w.add_device("170152");  // another GAD: the carrier's scope does not matter
    add_agreement(a, "Llevado");
    auto file = export_ok(a);
    auto c = carry_bundle(carrier, w.transport(), file);
    if (!c) FAIL(c.err().text("en"));
    CHECK(c->number == 1);
    CHECK(c->applied == 1);
    auto ans = apply_ok(a, c->answer);
    CHECK(ans.acked == 1);
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
    CHECK(scope_digest(carrier.conn(), carrier.gads()) != w.server_digest("170151"));
    // A revoked carrier cannot carry.
    REQUIRE(w.server->revoke_device(carrier.device_id()).ok());
    auto refused = carry_bundle(carrier, w.transport(), file);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.err().code == errc::unauthorized);
}
