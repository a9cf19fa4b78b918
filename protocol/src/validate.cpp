// The rules of each message beyond its wire types. Paths match decode's, so an error reads
// the same whether the sender's validate() or the receiver's decode() found it.

#include "checker.hpp"

#include <minga/protocol/validate.hpp>
#include <minga/protocol/version.hpp>

namespace minga::protocol {

using detail::checker;
using detail::path;

namespace {

/// v3 public keys: none (empty) or exactly tuning::public_key_bytes.
void check_key(checker& ck, const std::vector<std::uint8_t>& key, const path& at) {
    ck.require(key.empty() || key.size() == tuning::public_key_bytes, errc::bad_input, at,
               "una clave pública tiene 32 bytes", "a public key has 32 bytes");
}

void check_bundle_size(checker& ck, std::size_t n, const path& at) {
    const auto max = ck.lim().max_carried_bundle_bytes;
    ck.require(n <= max, errc::too_large, at,
               "el paquete tiene " + std::to_string(n) + " bytes; se llevan hasta " + std::to_string(max) +
                   " (impórtelo en la oficina central o expórtelo en partes con --max-changes)",
               "the bundle has " + std::to_string(n) + " bytes; up to " + std::to_string(max) +
                   " can be carried (import it at the central office or export it in parts with --max-changes)");
}

}  // namespace

status validate(const error_body& m, const limits& lim) {
    checker ck(lim);
    const path p{"error"};
    ck.require(m.code != errc::ok, errc::bad_input, path{p, "code"},
               "un error no puede tener el código ok (0)", "an error cannot carry code ok (0)");
    ck.text(m.field, path{p, "field"}, lim.max_label_bytes);
    ck.text(m.message, path{p, "message"}, lim.max_string_bytes);
    return ck.take();
}

status validate(const hello& m, const limits& lim) {
    checker ck(lim);
    const path p{"hello"};
    ck.require(m.min_version >= 1, errc::bad_input, path{p, "min_version"},
               "las versiones empiezan en 1", "versions start at 1");
    ck.require(m.min_version <= m.max_version, errc::bad_input, path{p, "min_version"},
               "la versión mínima es mayor que la máxima",
               "the minimum version is above the maximum");
    ck.id(m.device_id, path{p, "device_id"});
    ck.text(m.app_version, path{p, "app_version"}, lim.max_label_bytes);
    check_key(ck, m.sign_pk, path{p, "sign_pk"});
    check_key(ck, m.box_pk, path{p, "box_pk"});
    return ck.take();
}

status validate(const hello_ack& m, const limits& lim) {
    checker ck(lim);
    const path p{"hello_ack"};
    ck.require(m.version >= 1, errc::bad_input, path{p, "version"}, "las versiones empiezan en 1",
               "versions start at 1");
    ck.id(m.server_id, path{p, "server_id"});
    check_key(ck, m.server_box_pk, path{p, "server_box_pk"});
    return ck.take();
}

status validate(const enroll& m, const limits& lim) {
    checker ck(lim);
    const path p{"enroll"};
    ck.token(m.enrol_token, path{p, "enrol_token"});
    ck.text(m.device_name, path{p, "device_name"}, lim.max_label_bytes);
    ck.id(m.device_id, path{p, "device_id"});
    check_key(ck, m.sign_pk, path{p, "sign_pk"});
    check_key(ck, m.box_pk, path{p, "box_pk"});
    return ck.take();
}

status validate(const enroll_ack& m, const limits& lim) {
    checker ck(lim);
    const path p{"enroll_ack"};
    ck.id(m.device_id, path{p, "device_id"});
    ck.token(m.credential, path{p, "credential"});
    const path gads{p, "gads"};
    ck.count(m.gads.size(), lim.max_gads_per_device, gads);
    ck.unique_ids(m.gads, gads);
    check_key(ck, m.server_box_pk, path{p, "server_box_pk"});
    return ck.take();
}

namespace {

void check_fields(checker& ck, const field_map& fields, const path& at) {
    ck.count(fields.size(), ck.lim().max_fields, at);
    std::vector<std::string_view> names;
    names.reserve(fields.size());
    for (std::size_t i = 0; i < fields.size() && !ck.failed(); ++i) {
        const auto& [name, v] = fields[i];
        ck.identifier(name, path{at, i});
        ck.value_of(v, path{at, std::string_view(name)});
        names.push_back(name);
    }
    ck.unique_names(std::move(names), at);
}

void check_change(checker& ck, const change& c, std::uint64_t previous_seq, const path& p) {
    ck.require(c.seq > previous_seq, errc::bad_input, path{p, "seq"},
               "los números de secuencia deben crecer dentro del lote (y empezar en 1)",
               "sequence numbers must increase within the batch (and start at 1)");
    ck.identifier(c.table, path{p, "table"});
    ck.id(c.row_id, path{p, "row_id"});
    ck.require(c.op == change_op::upsert || c.op == change_op::remove, errc::bad_input,
               path{p, "op"}, "operación desconocida (1 = upsert, 2 = borrar)",
               "unknown operation (1 = upsert, 2 = delete)");
    ck.require(c.hlc != 0, errc::bad_input, path{p, "hlc"}, "marca de reloj HLC vacía (0)",
               "empty HLC clock stamp (0)");
    if (!c.owner_gad.empty()) ck.id(c.owner_gad, path{p, "owner_gad"});
    ck.require(c.op != change_op::remove || c.fields.empty(), errc::bad_input, path{p, "fields"},
               "un borrado no lleva campos", "a delete carries no fields");
    check_fields(ck, c.fields, path{p, "fields"});
}

void check_row(checker& ck, const row& r, std::size_t columns, const path& p) {
    ck.id(r.row_id, path{p, "row_id"});
    if (r.owner_gad) ck.id(*r.owner_gad, path{p, "owner_gad"});
    ck.require(r.hlc != 0, errc::bad_input, path{p, "hlc"}, "marca de reloj HLC vacía (0)",
               "empty HLC clock stamp (0)");
    if (!ck.failed() && r.values.size() != columns) {
        const std::string n = std::to_string(r.values.size());
        const std::string want = std::to_string(columns);
        ck.require(false, errc::bad_input, p, n + " valores para " + want + " columnas",
                   n + " values for " + want + " columns");
    }
    for (std::size_t i = 0; i < r.values.size() && !ck.failed(); ++i) {
        ck.value_of(r.values[i], path{p, 4 + i});  // index in the row array, as decode names it
    }
}

void check_block(checker& ck, const table_block& b, const path& p) {
    ck.identifier(b.table, path{p, "table"});
    const path columns{p, "columns"};
    ck.count(b.columns.size(), ck.lim().max_fields, columns);
    ck.unique_identifiers(b.columns, columns);
    const path rows{p, "rows"};
    for (std::size_t i = 0; i < b.rows.size() && !ck.failed(); ++i) {
        check_row(ck, b.rows[i], b.columns.size(), path{rows, i});
    }
}

}  // namespace

status validate(const push& m, const limits& lim) {
    checker ck(lim);
    const path p{"push"};
    ck.id(m.device_id, path{p, "device_id"});
    const path changes{p, "changes"};
    ck.count(m.changes.size(), lim.max_changes_per_push, changes);
    std::uint64_t previous_seq = 0;
    for (std::size_t i = 0; i < m.changes.size() && !ck.failed(); ++i) {
        check_change(ck, m.changes[i], previous_seq, path{changes, i});
        previous_seq = m.changes[i].seq;
    }
    ck.require(m.device_time_ms >= 0 && m.device_time_ms <= tuning::max_device_time_ms,
               errc::bad_input, path{p, "device_time_ms"},
               "la hora del dispositivo está fuera del rango 1970–9999",
               "the device time is outside the range 1970–9999");
    return ck.take();
}

status validate(const push_ack&, const limits&) {
    return {};  // every combination of its numbers is meaningful
}

status validate(const pull& m, const limits& lim) {
    checker ck(lim);
    const path p{"pull"};
    ck.require(m.max_rows >= 1, errc::bad_input, path{p, "max_rows"}, "debe ser al menos 1",
               "must be at least 1");
    ck.require(m.max_bytes >= 1, errc::bad_input, path{p, "max_bytes"}, "debe ser al menos 1",
               "must be at least 1");
    return ck.take();
}

status validate(const pull_page& m, const limits& lim) {
    checker ck(lim);
    const path p{"pull_page"};
    ck.require(m.remaining <= m.total, errc::bad_input, path{p, "remaining"},
               "quedan más filas que el total anunciado",
               "more rows remain than the announced total");
    const path blocks{p, "blocks"};
    ck.count(m.blocks.size(), lim.max_blocks_per_page, blocks);
    std::size_t rows = 0;
    for (std::size_t i = 0; i < m.blocks.size() && !ck.failed(); ++i) {
        const path at{blocks, i};
        rows += m.blocks[i].rows.size();
        ck.count(rows, lim.max_rows_per_page, path{at, "rows"});
        check_block(ck, m.blocks[i], at);
    }
    return ck.take();
}

status validate(const bundle_carry& m, const limits& lim) {
    checker ck(lim);
    const path p{"bundle_carry"};
    ck.require(!m.bundle.empty(), errc::bad_input, path{p, "bundle"}, "el paquete está vacío",
               "the bundle is empty");
    check_bundle_size(ck, m.bundle.size(), path{p, "bundle"});
    return ck.take();
}

status validate(const bundle_answer& m, const limits& lim) {
    checker ck(lim);
    check_bundle_size(ck, m.answer.size(), path{path{"bundle_answer"}, "answer"});
    return ck.take();
}

status validate(const frame& f, const limits& lim) {
    if (!is_supported_version(f.version)) {
        return make_error(errc::unsupported_version, "version",
                          "versión de protocolo no atendida: " + std::to_string(f.version),
                          "protocol version not served: " + std::to_string(f.version));
    }
    return std::visit([&lim](const auto& body) { return validate(body, lim); }, f.body);
}

}  // namespace minga::protocol
