// Central users and their sessions (central_v6). Secrets and tokens are random (libsodium's
// CSPRNG via random_hex) and stored only as BLAKE2b hashes (hash_secret), like device
// credentials; a high-entropy secret needs no slow password hash.
#include <minga/shared/central_users.hpp>

#include "central_impl.hpp"

#include <minga/shared/ids.hpp>

namespace minga {

namespace {

constexpr std::string_view secret_prefix = "mu_";

error unauthorized(std::string es, std::string en) {
    return make_error(errc::unauthorized, "secret", std::move(es), std::move(en));
}

bool has_users_table(sql::db& db) {
    return db.scalar_int("SELECT count(*) FROM sqlite_master WHERE name = 'central_user'") > 0;
}

status check_name(std::string_view name) {
    auto bad = [&](std::string es, std::string en) {
        return make_error(errc::bad_input, "NAME", std::move(es), std::move(en));
    };
    if (name.empty() || name.size() > users_tuning::max_name_bytes)
        return bad("el nombre debe tener entre 1 y " + std::to_string(users_tuning::max_name_bytes) +
                       " bytes",
                   "the name must have between 1 and " + std::to_string(users_tuning::max_name_bytes) +
                       " bytes");
    for (char c : name)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            return bad("el nombre no puede tener caracteres de control",
                       "the name cannot contain control characters");
    return {};
}

}  // namespace

result<new_central_user> add_central_user(sql::db& db, std::string_view name, std::int64_t now_ms) {
    if (auto st = check_name(name); !st) return st.err();
    if (!has_users_table(db))
        return make_error(errc::not_found, "--data", "el almacén no es de un servidor central",
                          "the store is not a central store");
    sql::transaction tx(db);
    auto dup = db.prepare("SELECT 1 FROM central_user WHERE name = ?1");
    dup.bind(1, name);
    if (dup.step())
        return make_error(errc::bad_input, "NAME", "ya existe un usuario '" + std::string(name) + "'",
                          "a user '" + std::string(name) + "' already exists");
    new_central_user u{std::string(name), std::string(secret_prefix) + random_hex(users_tuning::secret_bytes)};
    auto ins = db.prepare("INSERT INTO central_user(name, secret_hash, created_ms) VALUES (?1, ?2, ?3)");
    ins.bind(1, name).bind(2, hash_secret(u.secret)).bind(3, now_ms).exec();
    tx.commit();
    return u;
}

std::vector<central_user_info> central_users(sql::db& db) {
    std::vector<central_user_info> out;
    if (!has_users_table(db)) return out;
    auto s = db.prepare("SELECT name, status, created_ms, coalesce(last_login_ms, 0) FROM central_user ORDER BY name");
    while (s.step()) out.push_back({s.get_text(0), s.get_text(1), s.get_int(2), s.get_int(3)});
    return out;
}

result<user_session> sign_in(sql::db& db, std::string_view secret, std::int64_t now_ms, std::int64_t ttl_ms) {
    const auto refused = [] {
        return unauthorized("clave de usuario no válida", "invalid user secret");
    };
    if (secret.size() > users_tuning::max_secret_chars || secret.rfind(secret_prefix, 0) != 0)
        return refused();
    sql::transaction tx(db);
    auto s = db.prepare("SELECT id, name FROM central_user WHERE secret_hash = ?1 AND status = 'activo'");
    s.bind(1, hash_secret(secret));
    if (!s.step()) return refused();
    const auto id = s.get_int(0);
    user_session u{s.get_text(1), random_hex(users_tuning::session_bytes), now_ms + ttl_ms};
    db.prepare("DELETE FROM user_session WHERE expires_ms <= ?1").bind(1, now_ms).exec();
    db.prepare("INSERT INTO user_session(token_hash, user_id, created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, hash_secret(u.token))
        .bind(2, id)
        .bind(3, now_ms)
        .bind(4, u.expires_ms)
        .exec();
    db.prepare("UPDATE central_user SET last_login_ms = ?1 WHERE id = ?2").bind(1, now_ms).bind(2, id).exec();
    tx.commit();
    return u;
}

result<std::string> session_user(sql::db& db, std::string_view token, std::int64_t now_ms) {
    if (token.empty() || token.size() > users_tuning::max_secret_chars)
        return unauthorized("inicie sesión para ver el tablero", "sign in to see the dashboard");
    auto& s = db.cached(
        "SELECT u.name FROM user_session x JOIN central_user u ON u.id = x.user_id "
        "WHERE x.token_hash = ?1 AND x.expires_ms > ?2 AND u.status = 'activo'");
    sql::reset_guard g(s);
    s.bind(1, hash_secret(token)).bind(2, now_ms);
    if (!s.step())
        return unauthorized("la sesión no es válida o caducó; inicie sesión de nuevo",
                            "the session is invalid or expired; sign in again");
    return s.get_text(0);
}

void sign_out(sql::db& db, std::string_view token) {
    if (token.empty() || token.size() > users_tuning::max_secret_chars) return;
    db.prepare("DELETE FROM user_session WHERE token_hash = ?1").bind(1, hash_secret(token)).exec();
}

}  // namespace minga
