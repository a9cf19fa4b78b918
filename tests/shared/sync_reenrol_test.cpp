// A revoked or expired credential never discards queued data; re-enrolment with a fresh
// token keeps the device's server row (id, field-clock number, high-water mark), so what it
// sends afterwards is applied exactly once.
#include "sync_faults.hpp"

using namespace minga;
using minga::testing::add_agreements;
using minga::testing::faulty_link;
using minga::testing::sync_world;

namespace {

struct device_row {
    std::int64_t num = 0;
    std::int64_t acked_through = 0;
    std::string status;
};

device_row server_row(sync_world& w, const std::string& id) {
    auto s = w.server->conn().prepare("SELECT num, acked_through, status FROM device WHERE id = ?1");
    s.bind(1, id);
    REQUIRE(s.step());
    return {s.get_int(0), s.get_int(1), s.get_text(2)};
}

/// Changes the server applied, summed from every push answer that went through `t`.
transport_fn counting(transport_fn t, std::uint64_t& applied) {
    return [t = std::move(t), &applied](std::span<const std::uint8_t> req, std::string_view bearer)
               -> result<std::vector<std::uint8_t>> {
        auto resp = t(req, bearer);
        if (resp)
            if (auto f = protocol::decode(*resp))
                if (const auto* a = std::get_if<protocol::push_ack>(&f->body)) applied += a->applied;
        return resp;
    };
}

sync_options no_retry() {
    sync_options o;
    o.retry.max_retries = 0;
    return o;
}

errc refusal_of(sync_world& w, const std::string& bearer) {
    auto req = protocol::encode(protocol::frame{protocol::min_supported_version, 1, protocol::pull{0, 10, 4096}});
    auto resp = protocol::decode(w.server->handle(req, bearer));
    REQUIRE(resp.ok());
    const auto* e = std::get_if<protocol::error_body>(&resp->body);
    return e ? e->code : errc::ok;
}

}  // namespace

TEST_CASE("re-enrol: a revoked device keeps its queue and, re-enrolled, sends it exactly once") {
    sync_world w;
    auto& a = w.add_device("170151");
    std::uint64_t applied = 0;
    add_agreements(a, 10, "antes");
    REQUIRE(minga::sync(a, counting(w.transport(), applied)).ok());
    const auto before = server_row(w, a.device_id());

    // Five more: the server applies them but the answer is lost, and the device is revoked.
    add_agreements(a, 5, "perdida");
    faulty_link lossy(w);
    lossy.lose_answer = {2};  // hello, then the push
    auto lost = minga::sync(a, counting(lossy.fn(), applied), no_retry());
    REQUIRE_FALSE(lost.ok());
    CHECK(a.changes().pending_count() == 5);
    REQUIRE(w.server->revoke_device(a.device_id()).ok());

    // Offline work while revoked; the sync is refused and nothing is lost.
    add_agreements(a, 3, "revocado");
    entity_service sa(a);
    auto own = a.conn().prepare("SELECT id FROM agreement WHERE title = 'perdida 0'");
    REQUIRE(own.step());
    const std::string own_id = own.get_text(0);
    REQUIRE(sa.update(*find_entity("agreement"), own_id, {{"purpose", "agua"}}).ok());
    auto refused = minga::sync(a, counting(w.transport(), applied));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.err().code == errc::unauthorized);
    CHECK(a.changes().pending_count() == 9);

    // A fresh token: same server row, same field-clock number, same high-water mark.
    auto tok = w.server->enroll_device("170151", "tableta repuesta", 3600 * 1000);
    REQUIRE(tok.ok());
    auto again = enroll(a, w.transport(), "inproc://", tok->token, "tablet");
    REQUIRE(again.ok());
    CHECK(again->requeued == 9);
    const auto after = server_row(w, a.device_id());
    CHECK(after.status == "activo");
    CHECK(after.num == before.num);
    CHECK(after.acked_through == before.acked_through + 5);
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM device") == 1);  // the slot was used up

    applied = 0;
    auto rep = minga::sync(a, counting(w.transport(), applied));
    REQUIRE(rep.ok());
    CHECK(rep->pushed == 9);
    CHECK(rep->conflicts == 0);  // its own earlier write is not "another device's"
    CHECK(applied == 4);  // the lost batch was applied once, before; not again after re-enrolment
    CHECK(a.changes().pending_count() == 0);
    CHECK(w.server->conn().scalar_int("SELECT count(*) FROM agreement") == 18);
    CHECK(scope_digest(a.conn(), a.gads()) == w.server_digest("170151"));
}

TEST_CASE("re-enrol: an enrolled device takes a fresh token; its old credential stops working") {
    sync_world w;
    auto& a = w.add_device("170151");
    const std::string old_credential = stored_link(a).credential;
    const auto before = server_row(w, a.device_id());
    CHECK(refusal_of(w, old_credential) == errc::ok);
    auto tok = w.server->enroll_device("170151", "", 3600 * 1000);
    REQUIRE(tok.ok());
    REQUIRE(enroll(a, w.transport(), "inproc://", tok->token, "tablet").ok());
    CHECK(stored_link(a).credential != old_credential);
    CHECK(refusal_of(w, old_credential) == errc::unauthorized);
    CHECK(refusal_of(w, stored_link(a).credential) == errc::ok);
    CHECK(server_row(w, a.device_id()).num == before.num);
    add_agreements(a, 2);
    CHECK(w.sync_ok(a).pushed == 2);
}

TEST_CASE("re-enrol: an enrolment whose answer was lost can be repeated with the same token") {
    sync_world w;
    auto dir = w.root / "lost";
    auto r = replica::create(dir, "170151", w.data);
    REQUIRE(r.ok());
    auto tok = w.server->enroll_device("170151", "", 3600 * 1000);
    REQUIRE(tok.ok());
    faulty_link lossy(w);
    lossy.lose_answer = {2};  // hello, then the enrol
    REQUIRE_FALSE(enroll(*r, lossy.fn(), "inproc://", tok->token, "tablet").ok());
    CHECK(server_row(w, r->device_id()).status == "activo");
    REQUIRE(enroll(*r, w.transport(), "inproc://", tok->token, "tablet").ok());
    add_agreements(*r, 1);
    REQUIRE(minga::sync(*r, w.transport()).ok());
    CHECK(r->changes().pending_count() == 0);

    // The same token from another device is refused: it was used.
    auto other = replica::create(w.root / "other", "170151", w.data);
    REQUIRE(other.ok());
    auto stolen = enroll(*other, w.transport(), "inproc://", tok->token, "tablet");
    REQUIRE_FALSE(stolen.ok());
    CHECK(stolen.err().code == errc::unauthorized);
}

TEST_CASE("re-enrol: a token of another GAD cannot take over a known device, and stays usable") {
    sync_world w;
    auto& a = w.add_device("170151");
    auto tok = w.server->enroll_device("170152", "", 3600 * 1000);
    REQUIRE(tok.ok());
    auto refused = enroll(a, w.transport(), "inproc://", tok->token, "tablet");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.err().code == errc::forbidden);
    CHECK(refused.err().field == "enrol_token");
    CHECK(server_row(w, a.device_id()).status == "activo");
    CHECK(stored_link(a).credential.size() > 0);
    auto& b = w.add_device("170152");  // a new token for the add; the refused one is still pending
    CHECK(b.gads() == std::vector<std::string>{"170152"});
    auto fresh = replica::create(w.root / "fresh", "170152", w.data);
    REQUIRE(fresh.ok());
    CHECK(enroll(*fresh, w.transport(), "inproc://", tok->token, "tablet").ok());
}
