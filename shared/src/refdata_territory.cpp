// Territory (INEC DPA) and the GADs derived from it. See reference_data.hpp for the mapping.

#include "reference_loader.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <unordered_set>

namespace minga::refdata {

namespace {

/// INEC's code for the zones not delimited between provinces; never a province of its own.
constexpr std::string_view zone_code = "90";
/// Provinces 01..24 have a province-level government (Galápagos: its special-regime council).
constexpr int last_province_with_gad = 24;

const std::string unit_sql =
    "INSERT INTO territorial_unit (code, level, parent_code, name, kind, iso_3166_2, status) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
    "ON CONFLICT (code) DO UPDATE SET level = excluded.level, parent_code = excluded.parent_code, "
    "name = excluded.name, kind = excluded.kind, iso_3166_2 = excluded.iso_3166_2, "
    "status = excluded.status "
    "WHERE (level, parent_code, name, kind, iso_3166_2, status) IS NOT (excluded.level, "
    "excluded.parent_code, excluded.name, excluded.kind, excluded.iso_3166_2, excluded.status)";

const std::string gad_sql =
    "INSERT INTO gad (code, level, name, territory) VALUES (?1, ?2, ?3, ?1) "
    "ON CONFLICT (code) DO UPDATE SET level = excluded.level, name = excluded.name, "
    "territory = excluded.territory "
    "WHERE (level, name, territory) IS NOT (excluded.level, excluded.name, excluded.territory)";

struct unit {
    std::string_view code;
    int level;
    std::optional<std::string_view> parent;
    std::string_view name;
    std::string_view kind;
    std::optional<std::string_view> iso;
    std::string_view state;  // column status
};

bool is_code(std::string_view s, std::size_t length) noexcept {
    if (s.size() != length) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

std::optional<std::string_view> non_empty(std::string_view s) noexcept {
    if (s.empty()) return std::nullopt;
    return s;
}

/// Writes the territorial unit and the GAD that governs it (when `gad_level` is non-empty).
class territory_writer {
public:
    explicit territory_writer(sql::transaction& tx) : db_(tx.conn()) {}

    void put_unit(const unit& u) {
        sql::stmt& s = db_.cached(unit_sql);
        sql::reset_guard guard(s);
        s.bind(1, u.code).bind(2, u.level).bind(3, u.parent).bind(4, u.name).bind(5, u.kind);
        s.bind(6, u.iso).bind(7, u.state);
        changed_ += write(db_, s);
    }

    void put_gad(std::string_view code, std::string_view level, const std::string& name) {
        sql::stmt& s = db_.cached(gad_sql);
        sql::reset_guard guard(s);
        s.bind(1, code).bind(2, level).bind(3, name);
        changed_ += write(db_, s);
        ++gads_;
    }

    [[nodiscard]] std::int64_t changed() const noexcept { return changed_; }
    [[nodiscard]] std::int64_t gads() const noexcept { return gads_; }

private:
    sql::db& db_;  // the connection of the caller's transaction, alive for the whole load
    std::int64_t changed_ = 0;
    std::int64_t gads_ = 0;
};

/// "GAD Provincial de Azuay"; for a province governed by another body, the file names it in
/// parentheses ("no (Consejo de Gobierno del Régimen Especial)").
std::string provincial_gad_name(std::string_view gad_column, std::string_view province) {
    const auto open = gad_column.find('(');
    const auto close = gad_column.rfind(')');
    if (open != std::string_view::npos && close != std::string_view::npos && close > open + 1) {
        return fmt::format("{} de {}", gad_column.substr(open + 1, close - open - 1), province);
    }
    return fmt::format("GAD Provincial de {}", province);
}

result<std::int64_t> load_provinces(territory_writer& out, const std::filesystem::path& dir,
                                    std::unordered_set<std::string>& provinces) {
    return for_each_row(
        dir, "ecuador/provincias.csv", {"code", "name", "iso_3166_2", "gad_provincial"},
        [&](const row& r) -> status {
            const std::string_view code = r[0];
            if (!is_code(code, 2)) {
                return r.fail(fmt::format("código de provincia inválido «{}»: se esperan 2 dígitos",
                                          code),
                              fmt::format("invalid province code '{}': 2 digits expected", code));
            }
            const bool zone = code == zone_code;
            out.put_unit({code, 1, std::nullopt, r[1], zone ? "zona_no_delimitada" : "provincia",
                          non_empty(r[2]), "vigente"});
            const int number = (code[0] - '0') * 10 + (code[1] - '0');
            if (!zone && number <= last_province_with_gad) {
                out.put_gad(code, "provincial", provincial_gad_name(r[3], r[1]));
            }
            provinces.emplace(code);
            return {};
        });
}

result<std::int64_t> load_cantons(territory_writer& out, const std::filesystem::path& dir,
                                  const std::unordered_set<std::string>& provinces,
                                  std::unordered_set<std::string>& cantons) {
    return for_each_row(
        dir, "ecuador-dpa/cantones.csv", {"code", "province_code", "name", "status"},
        [&](const row& r) -> status {
            const std::string_view code = r[0];
            const std::string_view province = r[1];
            const std::string_view state = r[3];
            if (!is_code(code, 4) || code.substr(0, 2) != province ||
                !provinces.contains(std::string(province))) {
                return r.fail(fmt::format("cantón «{}» inválido: se esperan 4 dígitos que empiecen "
                                          "por una provincia conocida ({})",
                                          code, province),
                              fmt::format("invalid canton '{}': 4 digits starting with a known "
                                          "province ({}) expected",
                                          code, province));
            }
            const bool zone = state == "zona_no_delimitada";
            if (!zone && state != "vigente" && state != "historico") {
                return r.fail(fmt::format("estado de cantón desconocido «{}»", state),
                              fmt::format("unknown canton status '{}'", state));
            }
            out.put_unit({code, 2, province, r[2], zone ? "zona_no_delimitada" : "canton",
                          std::nullopt, zone ? "vigente" : state});
            if (state == "vigente") {
                out.put_gad(code, "municipal", fmt::format("GAD Municipal de {}", r[2]));
            }
            cantons.emplace(code);
            return {};
        });
}

result<std::int64_t> load_parishes(territory_writer& out, const std::filesystem::path& dir,
                                   const std::unordered_set<std::string>& cantons) {
    return for_each_row(
        dir, "ecuador-dpa/parroquias.csv", {"code", "canton_code", "name", "kind"},
        [&](const row& r) -> status {
            const std::string_view code = r[0];
            const std::string_view canton = r[1];
            const std::string_view kind = r[3];
            if (!is_code(code, 6) || code.substr(0, 4) != canton ||
                !cantons.contains(std::string(canton))) {
                return r.fail(fmt::format("parroquia «{}» inválida: se esperan 6 dígitos que "
                                          "empiecen por un cantón conocido ({})",
                                          code, canton),
                              fmt::format("invalid parish '{}': 6 digits starting with a known "
                                          "canton ({}) expected",
                                          code, canton));
            }
            if (kind != "urbana" && kind != "cabecera_cantonal" && kind != "rural" &&
                kind != "zona_no_delimitada") {
                return r.fail(fmt::format("tipo de parroquia desconocido «{}»", kind),
                              fmt::format("unknown parish kind '{}'", kind));
            }
            out.put_unit({code, 3, canton, r[2], kind, std::nullopt, "vigente"});
            if (kind == "rural") {
                out.put_gad(code, "parroquial_rural",
                            fmt::format("GAD Parroquial Rural de {}", r[2]));
            }
            return {};
        });
}

}  // namespace

status load_territory(sql::transaction& tx, const std::filesystem::path& data_dir,
                      reference_counts& counts) {
    territory_writer out(tx);
    std::unordered_set<std::string> provinces;
    std::unordered_set<std::string> cantons;
    auto n = load_provinces(out, data_dir, provinces);
    if (!n) return std::move(n).err();
    counts.provinces = *n;
    n = load_cantons(out, data_dir, provinces, cantons);
    if (!n) return std::move(n).err();
    counts.cantons = *n;
    n = load_parishes(out, data_dir, cantons);
    if (!n) return std::move(n).err();
    counts.parishes = *n;
    counts.gads = out.gads();
    counts.changed += out.changed();
    return {};
}

}  // namespace minga::refdata
