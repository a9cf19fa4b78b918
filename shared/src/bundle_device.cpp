// The device side of bundles: keys, export, and applying an answer (docs/bundles.md).
#include "bundle_file.hpp"
#include "pull_position.hpp"
#include "sync_session.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/tuning.hpp>
#include <minga/shared/bundle.hpp>
#include <minga/shared/sync_client.hpp>

#include <sodium.h>

namespace minga {

namespace {

namespace bf = bundle_file;

error refused(errc code, std::string es, std::string en) {
    return make_error(code, "FILE", std::move(es), std::move(en));
}

bf::bytes meta_key(replica& r, std::string_view key) {
    auto v = r.meta(key);
    return v ? bf::from_hex(*v) : bf::bytes{};
}

error no_server_key() {
    return make_error(errc::bad_input, "server_box_pk",
                      "este dispositivo aún no conoce la clave del servidor: sincronícelo en línea una vez "
                      "(o inscríbalo) con un servidor actualizado",
                      "this device does not know the server's key yet: sync it online once (or enrol "
                      "it) with an upgraded server");
}

template <class T>
result<T> decode_as(const bf::bytes& b, const char* what) {
    auto f = protocol::decode(b);
    if (!f) return std::move(f).err();
    if (auto* m = std::get_if<T>(&f->body)) return std::move(*m);
    return refused(errc::bad_input, std::string("la respuesta tiene un mensaje inesperado en lugar de ") + what,
                   std::string("the answer holds an unexpected message instead of ") + what);
}

}  // namespace

namespace detail {

device_keys load_or_make_keys(replica& r) {
    device_keys k;
    if (r.meta("bundle_sign_pk") && r.meta("bundle_box_pk")) {
        k.sign_pk = meta_key(r, "bundle_sign_pk");
        k.box_pk = meta_key(r, "bundle_box_pk");
        k.stored = true;
        return k;
    }
    k.sign_pk.resize(crypto_sign_PUBLICKEYBYTES);
    k.sign_sk.resize(crypto_sign_SECRETKEYBYTES);
    k.box_pk.resize(crypto_box_PUBLICKEYBYTES);
    k.box_sk.resize(crypto_box_SECRETKEYBYTES);
    crypto_sign_keypair(k.sign_pk.data(), k.sign_sk.data());
    crypto_box_keypair(k.box_pk.data(), k.box_sk.data());
    return k;
}

void store_keys(sql::transaction& tx, replica& r, device_keys& k) {
    if (k.stored) return;
    // The secret keys never leave the replica (replica_meta is never synced).
    r.set_meta(tx, "bundle_sign_sk", bf::to_hex(k.sign_sk));
    r.set_meta(tx, "bundle_box_sk", bf::to_hex(k.box_sk));
    r.set_meta(tx, "bundle_sign_pk", bf::to_hex(k.sign_pk));
    r.set_meta(tx, "bundle_box_pk", bf::to_hex(k.box_pk));
    sodium_memzero(k.sign_sk.data(), k.sign_sk.size());
    sodium_memzero(k.box_sk.data(), k.box_sk.size());
    k.stored = true;
}

}  // namespace detail

device_public_keys ensure_device_keys(replica& r) {
    auto k = detail::load_or_make_keys(r);
    if (!k.stored) {
        sql::transaction tx(r.conn());
        detail::store_keys(tx, r, k);
        r.commit(tx);
    }
    return {k.sign_pk, k.box_pk};
}

result<std::vector<std::uint8_t>> export_bundle(replica& r, bundle_export_report& rep,
                                                std::size_t max_changes) {
    if (stored_link(r).credential.empty()) {
        return make_error(errc::bad_input, "enroll",
                          "este dispositivo no está inscrito; use `minga enroll --server URL --token T`",
                          "this device is not enrolled; use `minga enroll --server URL --token T`");
    }
    const bf::bytes server_pk = meta_key(r, "server_box_pk");
    if (server_pk.size() != crypto_box_PUBLICKEYBYTES) return no_server_key();
    (void)ensure_device_keys(r);
    bf::device_body body;
    body.device_id = r.device_id();
    body.number = std::stoull(r.meta("bundle_number").value_or("0")) + 1;
    body.prev_hash = r.meta("bundle_hash").value_or("");
    body.created_ms = r.clock().wall_ms();
    rep.pending = static_cast<std::uint64_t>(r.changes().pending_count());
    auto pending = r.changes().pending(0, std::min(max_changes, bundle_tuning::max_changes));
    rep.changes = pending.size();
    for (std::size_t i = 0; i < pending.size(); i += bundle_tuning::changes_per_frame) {
        protocol::push p{r.device_id(), {}};
        const auto end = std::min(pending.size(), i + bundle_tuning::changes_per_frame);
        for (std::size_t k = i; k < end; ++k) p.changes.push_back(detail::to_wire(std::move(pending[k])));
        body.pushes.push_back(protocol::encode(protocol::frame{protocol::current_version, 0, std::move(p)}));
    }
    pull_position pos(r);
    body.pull = protocol::encode(protocol::frame{
        protocol::current_version, 0, pos.request(bundle_tuning::rows_per_page, 1024 * 1024)});
    const bf::bytes sign_sk = meta_key(r, "bundle_sign_sk");
    auto file = bf::wrap(bf::kind::device, bf::seal_device(body, sign_sk, server_pk));
    rep.number = body.number;
    rep.bytes = file.size();
    rep.hash = bf::hash_hex(file);
    sql::transaction tx(r.conn());
    r.set_meta(tx, "bundle_number", std::to_string(rep.number));
    r.set_meta(tx, "bundle_hash", rep.hash);
    r.commit(tx);
    return file;
}

result<answer_report> apply_answer(replica& r, std::span<const std::uint8_t> file) {
    auto payload = bf::unwrap(bf::kind::answer, file);
    if (!payload) return std::move(payload).err();
    const bf::bytes server_pk = meta_key(r, "server_box_pk");
    if (server_pk.size() != crypto_box_PUBLICKEYBYTES) return no_server_key();
    auto body = bf::open_answer(*payload, server_pk, meta_key(r, "bundle_box_sk"));
    if (!body) return std::move(body).err();
    if (body->device_id != r.device_id()) {
        return refused(errc::forbidden, "la respuesta es para otro dispositivo (" + body->device_id + ")",
                       "the answer is for another device (" + body->device_id + ")");
    }
    auto ack = decode_as<protocol::push_ack>(body->push_ack, "push_ack");
    if (!ack) return std::move(ack).err();
    auto from = decode_as<protocol::pull>(body->pull, "pull");
    if (!from) return std::move(from).err();
    std::vector<protocol::pull_page> pages;
    for (const auto& b : body->pages) {
        auto p = decode_as<protocol::pull_page>(b, "pull_page");
        if (!p) return std::move(p).err();
        pages.push_back(std::move(*p));
    }
    answer_report rep;
    rep.answers = body->answers;
    rep.acked_through = ack->acked_through;
    // The ack is cumulative: applying an old or repeated answer acknowledges nothing new.
    {
        sql::transaction tx(r.conn());
        r.changes().acknowledge(tx, static_cast<std::int64_t>(ack->acked_through));
        rep.acked = static_cast<std::uint64_t>(r.conn().changes());
        r.commit(tx);
    }
    pull_position pos(r);
    const auto now = pos.request(1, 1);
    if (now.cursor != from->cursor || now.snapshot != from->snapshot) {
        rep.rows_skipped = true;  // pulled elsewhere since: these rows may be older than ours
        return rep;
    }
    for (const auto& page : pages) {
        if (auto ok = pos.check(page); !ok) return std::move(ok).err();
        rep.pulled += detail::apply_pulled(r, pos, page);
        rep.remaining = page.remaining;
    }
    return rep;
}

result<carried_bundle> carry_bundle(replica& carrier, const transport_fn& t,
                                    std::span<const std::uint8_t> file) {
    auto link = stored_link(carrier);
    if (link.credential.empty()) {
        return make_error(errc::bad_input, "enroll",
                          "este dispositivo no está inscrito y no puede llevar paquetes; use `minga enroll`",
                          "this device is not enrolled and cannot carry bundles; use `minga enroll`");
    }
    const auto max = protocol::tuning::max_carried_bundle_bytes;
    if (file.size() > max) {
        return make_error(errc::too_large, "FILE",
                          "el paquete tiene " + std::to_string(file.size()) + " bytes; se llevan hasta " +
                              std::to_string(max) + ": impórtelo en la oficina central o expórtelo en partes con --max-changes",
                          "the bundle has " + std::to_string(file.size()) + " bytes; up to " + std::to_string(max) +
                              " can be carried: import it at the central office or export it in parts with --max-changes");
    }
    sync_options o;
    o.retry.max_retries = 2;
    sync_report rep;
    detail::sync_session s(carrier, t, link.credential, o, {}, rep);
    if (auto h = s.hello(); !h) return std::move(h).err();
    if (std::stoul(carrier.meta("protocol_version").value_or("1")) < protocol::keys_version) {
        return make_error(errc::unsupported_version, "version",
                          "el servidor no acepta paquetes (es anterior a la versión 3 del protocolo)",
                          "the server does not take bundles (it predates protocol version 3)");
    }
    auto a = s.call<protocol::bundle_answer>(
        protocol::bundle_carry{std::vector<std::uint8_t>(file.begin(), file.end())});
    if (!a) return std::move(a).err();
    return carried_bundle{std::move(a->answer), a->number, a->applied, a->rows};
}

}  // namespace minga
