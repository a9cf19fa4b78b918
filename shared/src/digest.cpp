#include <minga/shared/change_log.hpp>
#include <minga/shared/digest.hpp>
#include <minga/shared/tables.hpp>

#include <sodium.h>

#include <algorithm>

namespace minga {

std::string scope_digest(sql::db& db, std::vector<std::string> gads) {
    std::sort(gads.begin(), gads.end());
    gads.erase(std::unique(gads.begin(), gads.end()), gads.end());
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    auto feed = [&](const sql::blob& b) { crypto_hash_sha256_update(&st, b.data(), b.size()); };
    for (const auto& t : synced_tables()) {
        if (t.owner != ownership::gad) continue;
        auto cols = payload_columns(db, t.name);
        std::string sql = "SELECT id, owner_gad, deleted";
        for (const auto& c : cols) sql += ", " + c;
        sql += " FROM " + std::string(t.name) + " WHERE deleted = 0 AND owner_gad IN (";
        for (std::size_t i = 0; i < gads.size(); ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 1);
        sql += ") ORDER BY id";
        if (gads.empty()) continue;
        auto s = db.prepare(sql);
        for (std::size_t i = 0; i < gads.size(); ++i) s.bind(static_cast<int>(i + 1), gads[i]);
        // Each row is hashed as the msgpack map of its columns, prefixed by its table name:
        // canonical (same column order from the same schema) and unambiguous.
        while (s.step()) {
            field_list row;
            row.emplace_back("table", std::string(t.name));
            for (int i = 0; i < s.columns(); ++i) row.emplace_back(s.column_name(i), s.get_value(i));
            feed(encode_fields(row));
        }
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    char hex[2 * sizeof h + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

}  // namespace minga
