#pragma once
/// Central users: the people of the national/provincial office who may open the dashboard.
///
/// `minga-server user add NAME` creates one and prints its secret once; only a hash of the
/// secret is stored (`central_user`, central_v6). Signing in with the secret gives a session
/// token (for an HttpOnly cookie); only its hash is stored (`user_session`), and it expires.
/// A device credential is never a user secret: the two live in different tables and have
/// different shapes, so one can never be used as the other.
///
/// Thread affinity: the caller's connection, on the caller's thread. Expected outcomes (bad
/// name, unknown or expired secret/session) are `result` errors; SQLite failures throw.

#include <minga/protocol/result.hpp>
#include <minga/shared/sqlite.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace minga {

namespace users_tuning {
/// Longest user name (characters of UTF-8 text, no control characters).
inline constexpr std::size_t max_name_bytes = 64;
/// Random bytes in a user's secret (shown as hex, so twice as many characters).
inline constexpr std::size_t secret_bytes = 24;
/// Random bytes in a session token.
inline constexpr std::size_t session_bytes = 32;
/// Longest secret or token accepted before hashing (anything longer is refused unread).
inline constexpr std::size_t max_secret_chars = 256;
}  // namespace users_tuning

/// A user just created: `secret` is shown once and never stored.
struct new_central_user {
    std::string name;
    std::string secret;  ///< "mu_" + hex; typed or pasted into the dashboard's sign-in page
};

struct central_user_info {
    std::string name;
    std::string status;  ///< "activo" or "desactivado"
    std::int64_t created_ms = 0;
    std::int64_t last_login_ms = 0;  ///< 0 = never
};

/// A signed-in browser.
struct user_session {
    std::string user;        ///< the user's name
    std::string token;       ///< goes into the cookie; only its hash is stored
    std::int64_t expires_ms = 0;
};

/// Creates a user. A bad or taken name is `errc::bad_input` on "NAME"; nothing is written then.
[[nodiscard]] result<new_central_user> add_central_user(sql::db& db, std::string_view name,
                                                        std::int64_t now_ms);
[[nodiscard]] std::vector<central_user_info> central_users(sql::db& db);

/// Exchanges a user's secret for a session valid `ttl_ms`. An unknown secret (or a device
/// credential) is `errc::unauthorized`. Also removes expired sessions.
[[nodiscard]] result<user_session> sign_in(sql::db& db, std::string_view secret,
                                           std::int64_t now_ms, std::int64_t ttl_ms);
/// The user of a live session token; `errc::unauthorized` for none, unknown or expired.
[[nodiscard]] result<std::string> session_user(sql::db& db, std::string_view token,
                                               std::int64_t now_ms);
/// Ends a session (unknown tokens are ignored).
void sign_out(sql::db& db, std::string_view token);

}  // namespace minga
