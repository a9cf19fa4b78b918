#include <minga/shared/ids.hpp>
#include "text_list.hpp"
#include <minga/shared/migrate.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/replica.hpp>

#include "store_file.hpp"

#include <algorithm>
#include <system_error>

namespace minga {

namespace fs = std::filesystem;

replica::replica(std::unique_ptr<sql::db> db)
    : db_(std::move(db)),
      clock_(std::make_unique<hlc_clock>()),
      log_(std::make_unique<change_log>(*db_, *clock_)) {}

result<replica> replica::create(const fs::path& dir, std::string_view gad,
                                const fs::path& data_dir) {
    // Built in a temporary file and renamed into place, so a failed init (bad GAD code,
    // missing reference data) leaves nothing behind.
    auto built =
        create_store_file(dir, file_name, "una réplica", "a replica", [&](sql::db& db) -> status {
            auto v = migrate(db);
            if (!v) return std::move(v).err();
            {
                sql::transaction tx(db);
                auto loaded = load_reference_data(tx, data_dir);
                if (!loaded) return std::move(loaded).err();
                auto s = db.prepare("SELECT level FROM gad WHERE code = ?1 AND deleted = 0");
                s.bind(1, gad);
                if (!s.step()) {
                    return make_error(
                        errc::bad_input, "--gad",
                        "GAD desconocido: '" + std::string(gad) +
                            "'; use el código INEC del GAD (provincia 2 dígitos, cantón 4, "
                            "parroquia rural 6; p. ej. 170151)",
                        "unknown GAD: '" + std::string(gad) +
                            "'; use the GAD's INEC code (province 2 digits, canton 4, "
                            "rural parish 6; e.g. 170151)");
                }
                auto put = db.prepare("INSERT INTO replica_meta(key, value) VALUES (?1, ?2)");
                put.bind(1, "device_id").bind(2, new_uuid_v7()).exec();
                put.reset();
                put.bind(1, "gads").bind(2, gad).exec();
                put.reset();
                put.bind(1, "created_at").bind(2, std::to_string(system_ms())).exec();
                tx.commit();
            }
            return {};
        });
    if (!built) return std::move(built).err();
    return open(dir);
}

result<replica> replica::open(const fs::path& dir) {
    fs::path file = dir / file_name;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
        return make_error(
            errc::not_found, "--data",
            "no hay réplica en " + dir.string() + "; cree una con `minga init --gad CÓDIGO`",
            "no replica in " + dir.string() + "; create one with `minga init --gad CODE`");
    }
    auto db = std::make_unique<sql::db>(file.string(), sql::open_options{.create = false});
    auto v = migrate(*db);
    if (!v) return std::move(v).err();
    replica r(std::move(db));
    r.load_identity();
    return r;
}

void replica::load_identity() {
    device_id_ = meta("device_id").value_or("");
    gads_ = split_list(meta("gads").value_or(""));
    if (device_id_.empty() || gads_.empty())
        throw std::runtime_error("replica: identity missing from replica_meta (corrupt store)");
    if (auto seen = meta("hlc_observed")) clock_->observe(std::stoull(*seen));
    if (auto last = meta("hlc_last")) clock_->restart(std::stoull(*last));
    if (auto off = meta("clock_offset_ms")) clock_->set_offset_ms(std::stoll(*off));
    if (auto cursor = meta("pull_cursor")) log_->set_base(std::stoull(*cursor));
}

void replica::set_scope(sql::transaction& tx, const std::vector<std::string>& gads) {
    std::vector<std::string> scope{gads_.front()};
    for (const auto& g : gads)
        if (std::find(scope.begin(), scope.end(), g) == scope.end()) scope.push_back(g);
    set_meta(tx, "gads", join_list(scope));
    gads_ = std::move(scope);
}

bool replica::in_scope(std::string_view gad) const noexcept {
    return std::find(gads_.begin(), gads_.end(), gad) != gads_.end();
}

std::optional<std::string> replica::meta(std::string_view key) {
    auto& s = db_->cached("SELECT value FROM replica_meta WHERE key = ?1");
    sql::reset_guard g(s);
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.get_text(0);
}

void replica::set_meta(sql::transaction& tx, std::string_view key, std::string_view value) {
    (void)tx;
    auto& s = db_->cached(
        "INSERT INTO replica_meta(key, value) VALUES (?1, ?2) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    sql::reset_guard g(s);
    s.bind(1, key).bind(2, value).exec();
}

void replica::commit(sql::transaction& tx) {
    set_meta(tx, "hlc_last", std::to_string(clock_->last()));
    set_meta(tx, "hlc_observed", std::to_string(clock_->observed()));
    tx.commit();
}

}  // namespace minga
