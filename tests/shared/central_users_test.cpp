// Central users of the dashboard (central_v6): secrets shown once and stored hashed, sessions
// that expire, and device credentials that are never user secrets.
#include "sync_fixture.hpp"

#include <minga/shared/central_users.hpp>

using namespace minga;
using minga::testing::sync_world;

namespace {

constexpr std::int64_t now = 1'780'000'000'000;
constexpr std::int64_t hour = 3600 * 1000;

std::int64_t count(sql::db& db, const std::string& sql) { return db.scalar_int(sql); }

}  // namespace

TEST_CASE("users: a secret signs in once created, and only its hash is stored", "[users]") {
    sync_world w;
    auto& db = w.server->conn();
    auto u = add_central_user(db, "Ana Pérez", now);
    REQUIRE(u.ok());
    CHECK(u->secret.rfind("mu_", 0) == 0);
    CHECK(u->secret.size() == 3 + 2 * users_tuning::secret_bytes);
    CHECK(count(db, "SELECT count(*) FROM central_user WHERE secret_hash LIKE '%" + u->secret + "%'") == 0);
    CHECK(count(db, "SELECT count(*) FROM central_user") == 1);

    auto s = sign_in(db, u->secret, now, hour);
    REQUIRE(s.ok());
    CHECK(s->user == "Ana Pérez");
    CHECK(s->expires_ms == now + hour);
    CHECK(count(db, "SELECT count(*) FROM user_session WHERE token_hash = '" + s->token + "'") == 0);
    auto who = session_user(db, s->token, now + 1);
    REQUIRE(who.ok());
    CHECK(*who == "Ana Pérez");
    CHECK(central_users(db).at(0).last_login_ms == now);

    SECTION("a session expires") {
        auto late = session_user(db, s->token, now + hour);
        REQUIRE_FALSE(late.ok());
        CHECK(late.err().code == errc::unauthorized);
    }
    SECTION("signing out ends the session") {
        sign_out(db, s->token);
        CHECK_FALSE(session_user(db, s->token, now + 1).ok());
    }
    SECTION("a wrong secret, a token used as a secret, or nothing are refused") {
        for (const std::string& bad : {u->secret + "0", s->token, std::string("mu_"), std::string(),
                                      std::string(1000, 'a')}) {
            auto r = sign_in(db, bad, now, hour);
            REQUIRE_FALSE(r.ok());
            CHECK(r.err().code == errc::unauthorized);
        }
        CHECK_FALSE(session_user(db, u->secret, now).ok());  // a secret is not a session token
    }
}

TEST_CASE("users: a device credential is not a user secret", "[users]") {
    sync_world w;
    replica& dev = w.add_device("170151");
    REQUIRE(add_central_user(w.server->conn(), "ana", now).ok());
    const auto cred = dev.meta("credential").value_or("");
    REQUIRE_FALSE(cred.empty());
    auto r = sign_in(w.server->conn(), cred, now, hour);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::unauthorized);
    CHECK_FALSE(session_user(w.server->conn(), cred, now).ok());
}

TEST_CASE("users: bad or taken names are refused and nothing is written", "[users]") {
    sync_world w;
    auto& db = w.server->conn();
    REQUIRE(add_central_user(db, "ana", now).ok());
    for (const std::string& bad : {std::string(), std::string("ana"), std::string("a\nb"),
                                  std::string(users_tuning::max_name_bytes + 1, 'x')}) {
        auto r = add_central_user(db, bad, now);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == errc::bad_input);
        CHECK(r.err().field == "NAME");
    }
    CHECK(add_central_user(db, std::string(users_tuning::max_name_bytes, 'x'), now).ok());
    CHECK(count(db, "SELECT count(*) FROM central_user") == 2);
}
