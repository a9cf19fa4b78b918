// Enrolment tokens and device credentials. Only hashes are stored; credentials are compared in
// constant time. A credential is "<device id>.<64 hex chars>" (256 random bits).
#include "central_impl.hpp"
#include "text_list.hpp"

#include <minga/shared/ids.hpp>

#include <sodium.h>


namespace minga {

namespace {

/// Random bytes in an enrolment token (shown once, typed or pasted by an administrator).
constexpr std::size_t token_bytes = 16;
/// Random bytes in a device credential's secret part.
constexpr std::size_t credential_bytes = 32;

/// The GAD a device was enrolled for: the first of its scope (members of a group follow).
std::string first_gad(std::string_view gads) { return std::string(gads.substr(0, gads.find(','))); }

error unauthorized(std::string es, std::string en) {
    return make_error(errc::unauthorized, "credential", std::move(es), std::move(en));
}

}  // namespace

std::string hash_secret(std::string_view secret) {
    unsigned char h[crypto_generichash_BYTES];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(secret.data()),
                       secret.size(), nullptr, 0);
    char hex[2 * sizeof h + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

result<enrolment> central::enroll_device(std::string_view gad, std::string_view name,
                                         std::int64_t ttl_ms) {
    auto& db = *p_->db;
    auto s = db.prepare("SELECT level FROM gad WHERE code = ?1 AND deleted = 0");
    s.bind(1, gad);
    if (!s.step()) {
        return make_error(errc::bad_input, "--gad",
                          "GAD desconocido: '" + std::string(gad) + "'; vea `minga-server gad list`",
                          "unknown GAD: '" + std::string(gad) + "'; see `minga-server gad list`");
    }
    if (ttl_ms <= 0)
        return make_error(errc::bad_input, "--ttl-hours", "la vigencia debe ser positiva",
                          "the validity must be positive");
    enrolment e;
    e.gads.emplace_back(gad);
    if (s.get_text(0) == "mancomunidad" || s.get_text(0) == "consorcio") {
        auto m = db.prepare(
            "SELECT member FROM gad_membership WHERE group_code = ?1 AND deleted = 0 ORDER BY member");
        m.bind(1, gad);
        while (m.step()) e.gads.push_back(m.get_text(0));
    }
    e.device_slot = new_uuid_v7();
    e.token = random_hex(token_bytes);
    std::int64_t now = p_->clock.wall_ms();
    e.expires_ms = now + ttl_ms;
    sql::transaction tx(db);
    auto ins = db.prepare(
        "INSERT INTO device(id, name, gads, status, token_hash, token_expires_ms, created_ms) "
        "VALUES (?1, ?2, ?3, 'pendiente', ?4, ?5, ?6)");
    ins.bind(1, e.device_slot).bind(2, name.empty() ? std::string_view("dispositivo") : name);
    ins.bind(3, join_list(e.gads)).bind(4, hash_secret(e.token)).bind(5, e.expires_ms).bind(6, now);
    ins.exec();
    tx.commit();
    return e;
}

// Enrolment trades a one-time token for a credential. The token's row is either a pending
// slot (made by `device enroll`) or, once used, the device's own row, which keeps the token's
// hash until it expires so that the same device can repeat an enrolment whose answer it never
// received. A device the server already knows (revoked, or enrolled before and now without a
// working credential) is re-enrolled in place: same row, so the same `num` in field clocks and
// the same `acked_through`, and a batch it resends is not applied twice. Its old credential
// stops working.
result<protocol::enroll_ack> central::impl::on_enroll(const protocol::enroll& m) {
    const std::string token_hash = hash_secret(m.enrol_token);
    auto s = db->prepare(
        "SELECT num, id, name, gads, status, token_expires_ms FROM device WHERE token_hash = ?1");
    s.bind(1, token_hash);
    const bool found = s.step();
    const bool retry = found && s.get_text(4) == "activo" && s.get_text(1) == m.device_id;
    if (!found || (s.get_text(4) != "pendiente" && !retry)) {
        return make_error(errc::unauthorized, "enrol_token",
                          "código de inscripción desconocido o ya usado; pida uno nuevo al administrador",
                          "unknown or already used enrolment token; ask the administrator for a new one");
    }
    const std::int64_t slot = s.get_int(0);
    const std::string slot_name = s.get_text(2);
    const std::string gads = s.get_text(3);
    const std::int64_t expires = s.get_int(5);
    const std::int64_t now = clock.wall_ms();
    if (expires < now) {
        return make_error(errc::expired, "enrol_token",
                          "el código de inscripción caducó; pida uno nuevo al administrador",
                          "the enrolment token has expired; ask the administrator for a new one");
    }
    // The device's own row when the server knows it already (from an earlier enrolment).
    std::int64_t num = slot;
    std::string name = slot_name;
    auto old = db->prepare("SELECT num, name, gads FROM device WHERE id = ?1");
    old.bind(1, m.device_id);
    if (!retry && old.step()) {
        const std::string was = first_gad(old.get_text(2));
        if (was != first_gad(gads)) {
            return make_error(errc::forbidden, "enrol_token",
                              "el código es para otro GAD que el de este dispositivo; pida uno para el GAD " + was,
                              "the token is for another GAD than this device's; ask for one for GAD " + was);
        }
        num = old.get_int(0);
        if (slot_name == "dispositivo") name = old.get_text(1);
    } else if (slot_name == "dispositivo" && !m.device_name.empty()) {
        // The administrator's name for the device wins over the one the device sends.
        name = m.device_name;
    }
    const std::string secret = random_hex(credential_bytes);
    sql::transaction tx(*db);
    if (num != slot) {
        auto rm = db->prepare("DELETE FROM device WHERE num = ?1 AND status = 'pendiente'");
        rm.bind(1, slot).exec();
    }
    auto up = db->prepare(
        "UPDATE device SET id = ?1, name = ?2, gads = ?3, status = 'activo', token_hash = ?4, "
        "token_expires_ms = ?5, credential_hash = ?6, enrolled_ms = ?7, last_seen_ms = ?7 "
        "WHERE num = ?8");
    up.bind(1, m.device_id).bind(2, name).bind(3, gads).bind(4, token_hash).bind(5, expires);
    up.bind(6, hash_secret(secret)).bind(7, now).bind(8, num).exec();
    if (!m.sign_pk.empty() && !m.box_pk.empty()) {
        // v3: an enrolment (re-enrolment too) replaces the device's bundle keys.
        auto keys = db->prepare("UPDATE device SET sign_pk = ?1, box_pk = ?2 WHERE num = ?3");
        keys.bind(1, std::span<const std::uint8_t>(m.sign_pk))
            .bind(2, std::span<const std::uint8_t>(m.box_pk))
            .bind(3, num)
            .exec();
    }
    tx.commit();
    protocol::enroll_ack ack;
    ack.device_id = m.device_id;
    ack.credential = m.device_id + "." + secret;
    ack.gads = split_list(gads);
    ack.server_time_ms = clock.corrected_ms();
    ack.server_box_pk = box_pk;
    return ack;
}

result<device_auth> central::impl::authenticate(std::string_view bearer) {
    auto dot = bearer.rfind('.');
    if (bearer.empty() || dot == std::string_view::npos) {
        return unauthorized("falta la credencial del dispositivo; inscríbalo con `minga enroll`",
                            "the device credential is missing; enrol it with `minga enroll`");
    }
    auto id = bearer.substr(0, dot);
    auto secret = bearer.substr(dot + 1);
    auto& s = db->cached(
        "SELECT num, gads, status, credential_hash, acked_through FROM device WHERE id = ?1");
    sql::reset_guard g(s);
    s.bind(1, id);
    if (!s.step()) return unauthorized("credencial no válida", "invalid credential");
    if (s.get_text(2) == "revocado") {
        return unauthorized(
            "este dispositivo fue revocado; sus datos pendientes se conservan: pida un nuevo código "
            "y use `minga enroll`",
            "this device was revoked; its pending data is kept: ask for a new token and run "
            "`minga enroll`");
    }
    auto want = s.get_text(3);
    auto got = hash_secret(secret);
    if (s.get_text(2) != "activo" || want.size() != got.size() ||
        sodium_memcmp(want.data(), got.data(), want.size()) != 0)
        return unauthorized("credencial no válida", "invalid credential");
    device_auth a;
    a.num = s.get_int(0);
    a.id = std::string(id);
    a.gads = split_list(s.get_text(1));
    a.acked_through = static_cast<std::uint64_t>(s.get_int(4));
    return a;
}

std::string central::impl::device_id_of(std::int64_t num) {
    if (num == 0) return "central";
    auto& s = db->cached("SELECT id FROM device WHERE num = ?1");
    sql::reset_guard g(s);
    s.bind(1, num);
    return s.step() ? s.get_text(0) : "desconocido";
}

}  // namespace minga
