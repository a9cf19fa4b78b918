#include "central_impl.hpp"
#include "text_list.hpp"
#include "schema_sql.hpp"
#include "store_file.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/tuning.hpp>
#include <minga/shared/bundle.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/migrate.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/tables.hpp>

#include <algorithm>
#include <system_error>

namespace minga {

namespace fs = std::filesystem;

namespace {

/// Applies the central-only migrations (tracked in central_meta 'schema').
void migrate_central(sql::db& db) {
    int current = 0;
    if (db.scalar_int("SELECT count(*) FROM sqlite_master WHERE name = 'central_meta'") > 0)
        current = static_cast<int>(
            db.scalar_int("SELECT CAST(value AS INTEGER) FROM central_meta WHERE key = 'schema'"));
    for (const auto& step : schema_sql::central()) {
        if (step.version <= current) continue;
        sql::transaction tx(db);
        db.exec(step.sql);
        auto s = db.prepare(
            "INSERT INTO central_meta(key, value) VALUES ('schema', ?1) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        s.bind(1, std::to_string(step.version)).exec();
        tx.commit();
    }
}

}  // namespace

bool device_auth::in_scope(std::string_view gad) const noexcept {
    return std::find(gads.begin(), gads.end(), gad) != gads.end();
}

const std::vector<std::string>& central::impl::cols(std::string_view table) {
    auto it = columns_.find(table);
    if (it == columns_.end())
        it = columns_.emplace(std::string(table), payload_columns(*db, table)).first;
    return it->second;
}

std::uint64_t central::impl::bump_seq(std::string_view table, std::string_view row_id,
                                      std::string_view owner_gad, std::int64_t echo_device) {
    auto& del = db->cached("DELETE FROM change_index WHERE tbl = ?1 AND row_id = ?2");
    {
        sql::reset_guard g(del);
        del.bind(1, table).bind(2, row_id).exec();
    }
    // changed_ms (central_v3): when the row got this sequence, by the server's clock; the
    // tombstone horizon (central_compact.cpp) purges deletions by it.
    auto& ins = db->cached(
        "INSERT INTO change_index(tbl, row_id, owner_gad, echo_device, changed_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    sql::reset_guard g(ins);
    ins.bind(1, table).bind(2, row_id).bind(3, owner_gad).bind(5, opts.wall());
    if (echo_device > 0)
        ins.bind(4, echo_device);
    else
        ins.bind(4, nullptr);
    ins.exec();
    return static_cast<std::uint64_t>(db->last_insert_rowid());
}

central::central(std::unique_ptr<impl> p) : p_(std::move(p)) {}
central::central(central&&) noexcept = default;
central& central::operator=(central&&) noexcept = default;
central::~central() = default;

sql::db& central::conn() noexcept {
    return *p_->db;
}

result<central> central::create(const fs::path& dir, const fs::path& data_dir) {
    auto built = create_store_file(
        dir, file_name, "un almacén central", "a central store", [&](sql::db& db) -> status {
            auto v = migrate(db);
            if (!v) return std::move(v).err();
            migrate_central(db);
            sql::transaction tx(db);
            auto loaded = load_reference_data(tx, data_dir);
            if (!loaded) return std::move(loaded).err();
            auto put = db.prepare("INSERT INTO central_meta(key, value) VALUES ('server_id', ?1)");
            put.bind(1, new_uuid_v7()).exec();
            tx.commit();
            return {};
        });
    if (!built) return std::move(built).err();
    return open(dir);
}

result<central> central::open(const fs::path& dir, const central_options& opts) {
    fs::path file = dir / file_name;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return make_error(
            errc::not_found, "--data",
            "no hay almacén central en " + dir.string() + "; cree uno con `minga-server init`",
            "no central store in " + dir.string() + "; create one with `minga-server init`");
    }
    auto p = std::make_unique<impl>();
    p->db = std::make_unique<sql::db>(file.string(), sql::open_options{.create = false});
    auto v = migrate(*p->db);
    if (!v) return std::move(v).err();
    migrate_central(*p->db);
    p->load_box_keys(dir);
    p->opts = opts;
    p->clock = hlc_clock(opts.wall);
    auto s = p->db->prepare("SELECT value FROM central_meta WHERE key = 'server_id'");
    if (s.step()) p->server_id = s.get_text(0);
    // Never issue a stamp below one already stored.
    p->clock.observe(
        static_cast<hlc_t>(p->db->scalar_int("SELECT coalesce(max(hlc), 0) FROM conflict")));
    return central(std::move(p));
}

std::vector<std::uint8_t> central::handle(std::span<const std::uint8_t> request,
                                          std::string_view bearer) {
    auto fail = [](std::uint32_t version, std::uint64_t rid, const error& e) {
        return protocol::encode(protocol::frame{version, rid, protocol::to_error_body(e, "es")});
    };
    auto in = protocol::decode(request);
    if (!in) return fail(protocol::current_version, 0, in.err());
    const auto& f = *in;
    auto answer = [&](protocol::message body) {
        return protocol::encode(protocol::frame{f.version, f.request_id, std::move(body)});
    };
    if (const auto* h = std::get_if<protocol::hello>(&f.body)) {
        auto v = protocol::negotiate(h->min_version, h->max_version);
        if (!v) return fail(protocol::current_version, f.request_id, v.err());
        // v3: a device enrolled before v3 registers its bundle keys with its first v3 hello
        // (only with its own credential, and only when it has none yet).
        if (!h->sign_pk.empty() && !bearer.empty())
            if (auto dev = p_->authenticate(bearer); dev && dev->id == h->device_id)
                p_->register_keys(*dev, h->sign_pk, h->box_pk);
        protocol::hello_ack ack{*v, p_->clock.corrected_ms(), p_->server_id, p_->box_pk};
        return protocol::encode(protocol::frame{*v, f.request_id, std::move(ack)});
    }
    if (const auto* e = std::get_if<protocol::enroll>(&f.body)) {
        auto ack = p_->on_enroll(*e);
        if (!ack) return fail(f.version, f.request_id, ack.err());
        return answer(std::move(*ack));
    }
    auto dev = p_->authenticate(bearer);
    if (!dev) return fail(f.version, f.request_id, dev.err());
    if (const auto* push = std::get_if<protocol::push>(&f.body)) {
        auto ack = p_->on_push(*dev, *push, f.version);
        if (!ack) return fail(f.version, f.request_id, ack.err());
        return answer(std::move(*ack));
    }
    if (const auto* pull = std::get_if<protocol::pull>(&f.body)) {
        auto page = p_->on_pull(*dev, *pull, f.version);
        if (!page) return fail(f.version, f.request_id, page.err());
        return answer(std::move(*page));
    }
    if (const auto* carry = std::get_if<protocol::bundle_carry>(&f.body)) {
        // The carrier only moves the bytes: the bundle is authenticated by its own device.
        auto out = import_bundle(carry->bundle, bundle_tuning::max_carried_answer_rows);
        if (!out) return fail(f.version, f.request_id, out.err());
        if (out->answer.size() > protocol::tuning::max_carried_bundle_bytes) {
            return fail(f.version, f.request_id,
                        make_error(errc::too_large, "bundle_answer.answer",
                                   "el paquete se aplicó, pero su respuesta es demasiado grande para llevarla; "
                                   "sincronice el dispositivo en línea o impórtelo en la oficina central",
                                   "the bundle was applied, but its answer is too large to carry; sync the "
                                   "device online or import it at the central office"));
        }
        return answer(protocol::bundle_answer{std::move(out->answer), out->number,
                                              static_cast<std::uint32_t>(out->applied),
                                              static_cast<std::uint32_t>(out->rows)});
    }
    return fail(f.version, f.request_id,
                make_error(errc::bad_frame, "type", "el servidor no acepta este mensaje",
                           "the server does not accept this message"));
}

std::vector<device_info> central::devices() {
    auto s = p_->db->prepare(
        "SELECT id, name, gads, status, created_ms, coalesce(last_seen_ms, 0), acked_through "
        "FROM device ORDER BY num");
    std::vector<device_info> out;
    while (s.step())
        out.push_back({s.get_text(0), s.get_text(1), split_list(s.get_text(2)), s.get_text(3),
                       s.get_int(4), s.get_int(5), static_cast<std::uint64_t>(s.get_int(6))});
    return out;
}

status central::revoke_device(std::string_view id) {
    sql::transaction tx(*p_->db);
    auto s = p_->db->prepare(
        "UPDATE device SET status = 'revocado', token_hash = NULL, credential_hash = NULL "
        "WHERE id = ?1 AND status <> 'revocado'");
    s.bind(1, id).exec();
    if (p_->db->changes() == 0) {
        return make_error(errc::not_found, "ID",
                          "no hay un dispositivo activo o pendiente con id " + std::string(id),
                          "no active or pending device with id " + std::string(id));
    }
    tx.commit();
    return {};
}

std::vector<gad_info> central::gads(std::string_view level) {
    auto s = p_->db->prepare(
        "SELECT g.code, g.level, g.name, (SELECT count(*) FROM device d WHERE d.status = 'activo' "
        "AND (',' || d.gads || ',') LIKE ('%,' || g.code || ',%')) FROM gad g "
        "WHERE g.deleted = 0 AND (?1 = '' OR g.level = ?1) ORDER BY g.code");
    s.bind(1, level);
    std::vector<gad_info> out;
    while (s.step()) out.push_back({s.get_text(0), s.get_text(1), s.get_text(2), s.get_int(3)});
    return out;
}

result<catalog_summary> central::import_catalog(catalog_kind kind, std::istream& in) {
    auto& db = *p_->db;
    sql::transaction tx(db);
    auto rev = db.scalar_int(
                   "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM central_meta "
                   "WHERE key = 'catalog_rev'), 0)") +
               1;
    auto sum = minga::import_catalog(tx, kind, in, rev);
    if (!sum) return sum;
    std::size_t changed = 0;
    for (const auto& [table, keys] : sum->changed) {
        for (const auto& key : keys) {
            p_->bump_seq(table, key, "", 0);
            ++changed;
        }
    }
    if (changed > 0) {
        auto s = db.prepare(
            "INSERT INTO central_meta(key, value) VALUES ('catalog_rev', ?1) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        s.bind(1, std::to_string(rev)).exec();
    }
    tx.commit();
    return sum;
}

result<std::string> central::digest(const std::vector<std::string>& gads) {
    for (const auto& g : gads) {
        auto s = p_->db->prepare("SELECT 1 FROM gad WHERE code = ?1");
        s.bind(1, g);
        if (!s.step())
            return make_error(errc::bad_input, "--gad", "GAD desconocido: " + g,
                              "unknown GAD: " + g);
    }
    return scope_digest(*p_->db, gads);
}

}  // namespace minga
