// Importing a device bundle on the server (docs/bundles.md): open, authenticate by the
// device's signature, check the chain, apply its push frames with the same code as an online
// push (so scope checks, merge and idempotence are the same), and answer with the pull pages
// the device would have pulled online from the position it wrote in the bundle.
#include "bundle_file.hpp"
#include "central_impl.hpp"
#include "text_list.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/shared/bundle.hpp>

namespace minga {

namespace {

namespace bf = bundle_file;

error refused(errc code, std::string es, std::string en) {
    return make_error(code, "FILE", std::move(es), std::move(en));
}

/// The frames inside a bundle, decoded with the protocol's own limits.
struct frames {
    std::vector<protocol::push> pushes;
    protocol::pull pull;
    std::uint64_t changes = 0;
};

result<frames> decode_frames(const bf::device_body& b) {
    frames out;
    if (b.pushes.size() > bundle_tuning::max_changes / bundle_tuning::changes_per_frame + 1) {
        return refused(errc::too_large, "el paquete tiene demasiados lotes",
                       "the bundle has too many batches");
    }
    for (std::size_t i = 0; i < b.pushes.size(); ++i) {
        auto f = protocol::decode(b.pushes[i]);
        if (!f) return std::move(f).err();
        auto* p = std::get_if<protocol::push>(&f->body);
        if (p == nullptr || p->device_id != b.device_id) {
            return refused(errc::bad_input, "el lote " + std::to_string(i + 1) + " del paquete no es un envío de su dispositivo",
                           "batch " + std::to_string(i + 1) + " of the bundle is not a push of its device");
        }
        out.changes += p->changes.size();
        if (out.changes > bundle_tuning::max_changes) {
            return refused(errc::too_large,
                           "el paquete pasa el límite de " + std::to_string(bundle_tuning::max_changes) + " cambios",
                           "the bundle exceeds the limit of " + std::to_string(bundle_tuning::max_changes) + " changes");
        }
        out.pushes.push_back(std::move(*p));
    }
    auto f = protocol::decode(b.pull);
    if (!f) return std::move(f).err();
    auto* p = std::get_if<protocol::pull>(&f->body);
    if (p == nullptr)
        return refused(errc::bad_input, "el paquete no dice su posición de descarga",
                       "the bundle does not state its pull position");
    out.pull = *p;
    return out;
}

std::string chain_hash(sql::db& db, std::int64_t num, std::uint64_t number) {
    auto& s = db.cached("SELECT hash FROM bundle_log WHERE device_num = ?1 AND number = ?2");
    sql::reset_guard g(s);
    s.bind(1, num).bind(2, static_cast<std::int64_t>(number));
    return s.step() ? s.get_text(0) : std::string();
}

/// Earlier numbers never received (at most a few named; the data is not lost: every bundle
/// carries every change still unacknowledged).
std::vector<std::uint64_t> missing_before(sql::db& db, std::int64_t num, std::uint64_t number) {
    std::vector<std::uint64_t> out;
    for (std::uint64_t n = number; n > 1 && out.size() < 20; --n)
        if (chain_hash(db, num, n - 1).empty()) out.insert(out.begin(), n - 1);
        else break;
    return out;
}

}  // namespace

result<bundle_outcome> central::import_bundle(std::span<const std::uint8_t> file,
                                              std::size_t max_rows) {
    auto& db = *p_->db;
    auto payload = bf::unwrap(bf::kind::device, file);
    if (!payload) return std::move(payload).err();
    if (p_->box_sk.empty()) {
        return make_error(errc::internal, "bundle_box.key",
                          "este servidor no tiene su clave de paquetes (bundle_box.key en la carpeta de datos): "
                          "revise que la carpeta se pueda escribir o restaure la clave de la copia de seguridad",
                          "this server has no bundle key (bundle_box.key in the data folder): check that the "
                          "folder is writable or restore the key from the backup");
    }
    auto opened = bf::open_device(*payload, p_->box_pk, p_->box_sk);
    if (!opened) return std::move(opened).err();
    const std::string& id = opened->device_id;
    auto s = db.prepare(
        "SELECT num, gads, status, sign_pk, box_pk, acked_through FROM device WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        return refused(errc::unauthorized, "el paquete viene de un dispositivo desconocido (" + id + "); no se aplicó",
                       "the bundle comes from an unknown device (" + id + "); it was not applied");
    }
    if (s.is_null(3) || s.is_null(4)) {
        return refused(errc::unauthorized,
                       "el dispositivo " + id + " no ha registrado sus claves: sincronícelo en línea una vez o vuelva a inscribirlo",
                       "device " + id + " has not registered its keys: sync it online once or enrol it again");
    }
    const bf::bytes sign_pk = s.get_blob(3);
    const bf::bytes box_pk = s.get_blob(4);
    auto body = bf::verify_device(*opened, sign_pk);
    if (!body) return std::move(body).err();
    device_auth dev{s.get_int(0), id, split_list(s.get_text(1)), static_cast<std::uint64_t>(s.get_int(5))};
    const std::string dev_status = s.get_text(2);
    auto fr = decode_frames(*body);
    if (!fr) return std::move(fr).err();
    bundle_outcome out;
    out.device_id = id;
    out.number = body->number;
    out.changes = fr->changes;
    out.hash = bf::hash_hex(file);
    const std::int64_t now = p_->clock.wall_ms();
    if (dev_status == "revocado") {
        sql::transaction tx(db);
        auto h = db.prepare(
            "INSERT OR IGNORE INTO bundle_held(device_id, number, hash, reason, received_ms, changes, file) "
            "VALUES (?1, ?2, ?3, 'revocado', ?4, ?5, ?6)");
        h.bind(1, id).bind(2, static_cast<std::int64_t>(out.number)).bind(3, out.hash).bind(4, now);
        h.bind(5, static_cast<std::int64_t>(out.changes)).bind(6, file).exec();
        tx.commit();
        return refused(errc::unauthorized,
                       "el dispositivo " + id + " fue revocado: su paquete " + std::to_string(out.number) +
                           " no se aplicó y quedó guardado para revisión (`minga-server bundle list-held`)",
                       "device " + id + " was revoked: its bundle " + std::to_string(out.number) +
                           " was not applied and is kept for review (`minga-server bundle list-held`)");
    }
    if (dev_status != "activo") {
        return refused(errc::unauthorized, "el dispositivo " + id + " no está activo",
                       "device " + id + " is not active");
    }
    // The chain: the same number must be the same bundle, and the previous number's hash must
    // be the one this bundle names.
    const std::string same = chain_hash(db, dev.num, out.number);
    if (!same.empty() && same != out.hash) {
        return refused(errc::conflict,
                       "el paquete " + std::to_string(out.number) + " de " + id +
                           " ya se recibió con otro contenido: este fue alterado o reemplazado; no se aplicó",
                       "bundle " + std::to_string(out.number) + " of " + id +
                           " was received before with other content: this one was altered or replaced; not applied");
    }
    out.repeated = !same.empty();
    if (out.number > 1) {
        const std::string prev = chain_hash(db, dev.num, out.number - 1);
        if (!prev.empty() && prev != body->prev_hash) {
            return refused(errc::conflict,
                           "el paquete " + std::to_string(out.number) + " de " + id + " no sigue al paquete " +
                               std::to_string(out.number - 1) + " recibido (cadena rota); no se aplicó",
                           "bundle " + std::to_string(out.number) + " of " + id + " does not follow the bundle " +
                               std::to_string(out.number - 1) + " received (broken chain); not applied");
        }
        out.missing = missing_before(db, dev.num, out.number);
    }
    // Exactly an online push: batch by batch, each idempotent by device seq.
    protocol::push_ack ack;
    if (fr->pushes.empty()) fr->pushes.push_back(protocol::push{id, {}});
    // A bundle's clock is days old by the time it is applied: it must not count as the device's
    // clock offset, so its pushes are applied as a pre-v3 push (no clock recorded).
    constexpr std::uint32_t no_clock = protocol::device_clock_version - 1;
    for (const auto& push : fr->pushes) {
        auto a = p_->on_push(dev, push, no_clock);
        if (!a) return std::move(a).err();
        out.applied += a->applied;
        out.conflicts += a->conflicts;
        ack = *a;
    }
    {
        sql::transaction tx(db);
        auto log = db.prepare(
            "INSERT OR IGNORE INTO bundle_log(device_num, number, hash, prev_hash, received_ms, changes) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        log.bind(1, dev.num).bind(2, static_cast<std::int64_t>(out.number)).bind(3, out.hash);
        log.bind(4, body->prev_hash).bind(5, now).bind(6, static_cast<std::int64_t>(out.changes)).exec();
        tx.commit();
    }
    bf::answer_body answer{id, out.number, out.hash, {}, {}, body->pull};
    answer.push_ack = protocol::encode(protocol::frame{protocol::current_version, 0, ack});
    protocol::pull req = fr->pull;
    max_rows = std::min(max_rows, bundle_tuning::max_answer_rows);
    req.max_rows = static_cast<std::uint32_t>(std::min<std::size_t>(bundle_tuning::rows_per_page, max_rows));
    req.max_bytes = p_->opts.max_page_bytes;
    for (;;) {
        auto page = p_->on_pull(dev, req, protocol::current_version);
        if (!page) return std::move(page).err();
        for (const auto& b : page->blocks) out.rows += b.rows.size();
        out.remaining = page->remaining;
        req.cursor = page->cursor_after;
        req.snapshot = page->snapshot;
        const bool done = page->remaining == 0;
        answer.pages.push_back(protocol::encode(protocol::frame{protocol::current_version, 0, std::move(*page)}));
        if (done || out.rows >= max_rows) break;
    }
    out.answer = bf::wrap(bf::kind::answer,
                          bf::box_answer(answer, box_pk, p_->box_sk));
    return out;
}

std::vector<held_bundle> central::held_bundles() {
    auto s = p_->db->prepare(
        "SELECT id, device_id, number, hash, reason, received_ms, changes, length(file) "
        "FROM bundle_held ORDER BY id");
    std::vector<held_bundle> out;
    while (s.step())
        out.push_back({s.get_int(0), s.get_text(1), static_cast<std::uint64_t>(s.get_int(2)), s.get_text(3),
                       s.get_text(4), s.get_int(5), static_cast<std::uint64_t>(s.get_int(6)),
                       static_cast<std::uint64_t>(s.get_int(7))});
    return out;
}

}  // namespace minga
