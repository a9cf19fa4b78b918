// Device credentials and enrolment tokens: random, stored only as hashes, one-time and
// expiring tokens, credentials checked on every request, revocation at once.
#include "store_state.hpp"
#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>

using namespace minga;

namespace {

protocol::message ask(central& c, protocol::message body, const std::string& bearer) {
    protocol::frame f;
    f.body = std::move(body);
    auto back = protocol::decode(c.handle(protocol::encode(f), bearer));
    REQUIRE(back.ok());
    return back->body;
}

errc code_of(const protocol::message& m) {
    if (const auto* e = std::get_if<protocol::error_body>(&m)) return e->code;
    return errc::ok;
}

std::string text_of(sql::db& db, const std::string& sql) {
    auto s = db.prepare(sql);
    return s.step() ? s.get_text(0) : std::string();
}

}  // namespace

TEST_CASE("credentials: 256-bit secrets, stored only as hashes", "[shared][security]") {
    testing::sync_world w;
    auto tok = w.server->enroll_device("170151", "tableta", 3600 * 1000);
    REQUIRE(tok.ok());
    CHECK(tok->token.size() == 32);  // 128 random bits, hex
    auto ack = ask(*w.server, protocol::enroll{tok->token, "t", "01a21c6c-d432-7b67-9c60-3e5cd6db6d3b"}, "");
    REQUIRE(std::holds_alternative<protocol::enroll_ack>(ack));
    const auto credential = std::get<protocol::enroll_ack>(ack).credential;
    const auto secret = credential.substr(credential.rfind('.') + 1);
    CHECK(secret.size() == 64);  // 256 random bits, hex
    auto& db = w.server->conn();
    const auto stored = text_of(db, "SELECT credential_hash FROM device WHERE status = 'activo'");
    CHECK(stored.size() == 64);
    CHECK(stored != secret);
    // Neither secret appears anywhere in the device table.
    auto s = db.prepare("SELECT * FROM device");
    while (s.step())
        for (int i = 0; i < s.columns(); ++i) {
            auto v = s.get_value(i);
            if (auto* t = std::get_if<std::string>(&v)) {
                CHECK(t->find(secret) == std::string::npos);
                CHECK(t->find(tok->token) == std::string::npos);
            }
        }
    // One character off is refused like no credential at all.
    std::string wrong = credential;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    CHECK(code_of(ask(*w.server, protocol::pull{0, 10, 65536}, wrong)) == errc::unauthorized);
    CHECK(code_of(ask(*w.server, protocol::pull{0, 10, 65536}, credential)) == errc::ok);
}

TEST_CASE("credentials: an enrolment token expires, and is refused with nothing written",
          "[shared][security]") {
    testing::manual_clock mc;
    central_options opts;
    opts.wall = mc.fn();
    testing::sync_world w(opts);
    auto tok = w.server->enroll_device("170151", "tableta", 60 * 1000);
    REQUIRE(tok.ok());
    mc.now_ms += 61 * 1000;
    auto& db = w.server->conn();
    const auto before = testing::stored_state(db);
    auto late = ask(*w.server, protocol::enroll{tok->token, "t", "01a21c6c-d432-7b67-9c60-3e5cd6db6d3b"}, "");
    CHECK(code_of(late) == errc::expired);
    CHECK(testing::stored_state(db) == before);
    CHECK(text_of(db, "SELECT status FROM device") == "pendiente");
}

TEST_CASE("credentials: revocation takes effect on the very next request", "[shared][security]") {
    testing::sync_world w;
    auto& r = w.add_device("170151");
    const auto credential = stored_link(r).credential;
    CHECK(code_of(ask(*w.server, protocol::pull{0, 10, 65536}, credential)) == errc::ok);
    REQUIRE(w.server->revoke_device(r.device_id()).ok());
    CHECK(code_of(ask(*w.server, protocol::pull{0, 10, 65536}, credential)) == errc::unauthorized);
    protocol::push p{r.device_id(), {}};
    CHECK(code_of(ask(*w.server, p, credential)) == errc::unauthorized);
    auto rep = minga::sync(r, w.transport());
    REQUIRE_FALSE(rep.ok());
    CHECK(rep.err().code == errc::unauthorized);
}
