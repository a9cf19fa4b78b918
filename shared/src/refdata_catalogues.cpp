// SDGs, DAC sectors, currencies and code lists. See reference_data.hpp for the mapping.

#include "reference_loader.hpp"

#include <minga/shared/validate.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>

namespace minga::refdata {

namespace {

const std::string sdg_sql =
    "INSERT INTO sdg (goal, name_es, title_es, name_en, color) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (goal) DO UPDATE SET name_es = excluded.name_es, title_es = excluded.title_es, "
    "name_en = excluded.name_en, color = excluded.color "
    "WHERE (name_es, title_es, name_en, color) IS NOT (excluded.name_es, excluded.title_es, "
    "excluded.name_en, excluded.color)";

const std::string dac_sql =
    "INSERT INTO dac_sector (code, parent, name_en, name_es) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (code) DO UPDATE SET parent = excluded.parent, name_en = excluded.name_en, "
    "name_es = excluded.name_es "
    "WHERE (parent, name_en, name_es) IS NOT (excluded.parent, excluded.name_en, "
    "excluded.name_es)";

const std::string currency_sql =
    "INSERT INTO currency (code, name, minor_unit) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, minor_unit = excluded.minor_unit "
    "WHERE (name, minor_unit) IS NOT (excluded.name, excluded.minor_unit)";

const std::string codelist_sql =
    "INSERT INTO codelist (list, code, name_es, name_en, parent_code, iati_list, iati_code, "
    "active) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (list, code) DO UPDATE SET name_es = excluded.name_es, "
    "name_en = excluded.name_en, parent_code = excluded.parent_code, "
    "iati_list = excluded.iati_list, iati_code = excluded.iati_code, active = excluded.active "
    "WHERE (name_es, name_en, parent_code, iati_list, iati_code, active) IS NOT "
    "(excluded.name_es, excluded.name_en, excluded.parent_code, excluded.iati_list, "
    "excluded.iati_code, excluded.active)";

/// The IATI lists the model refers to, loaded as code lists 'iati.<name>'.
constexpr std::array<std::string_view, 16> iati_lists{
    "OrganisationType", "OrganisationRole",  "TransactionType", "ActivityStatus",
    "CollaborationType", "FinanceType",      "AidType",         "FlowType",
    "IndicatorMeasure", "BudgetStatus",      "ResultType",      "Country",
    "Currency",         "Sector",            "SectorCategory",
    "UNSDG-Targets"};

/// ISO 4217 minor units that are not 2 (the IATI list does not carry them). Codes with no
/// minor unit in ISO 4217 (XDR) or outside it (XBT) keep the default 2.
int minor_unit(std::string_view code) noexcept {
    constexpr std::array<std::string_view, 18> zero{"BIF", "BYR", "CLP", "DJF", "GNF", "ISK",
                                                    "JPY", "KMF", "KRW", "PYG", "RWF", "UGX",
                                                    "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
    constexpr std::array<std::string_view, 7> three{"BHD", "IQD", "JOD", "KWD",
                                                    "LYD", "OMR", "TND"};
    constexpr std::array<std::string_view, 2> four{"CLF", "UYW"};
    const auto in = [code](const auto& codes) {
        return std::find(codes.begin(), codes.end(), code) != codes.end();
    };
    if (in(zero)) return 0;
    if (in(three)) return 3;
    if (in(four)) return 4;
    return 2;
}

std::optional<std::string_view> non_empty(std::string_view s) noexcept {
    if (s.empty()) return std::nullopt;
    return s;
}

bool is_digits(std::string_view s, std::size_t length) noexcept {
    if (s.size() != length) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

struct codelist_entry {
    std::string_view list;
    std::string_view code;
    std::string_view name_es;
    std::optional<std::string_view> name_en;
    std::optional<std::string_view> parent;
    std::optional<std::string_view> iati_list;
    std::optional<std::string_view> iati_code;
    bool active;
};

/// Runs the upserts of the catalogues and counts what they changed.
class catalogue_writer {
public:
    explicit catalogue_writer(sql::transaction& tx) : db_(tx.conn()) {}

    template <class... Args>
    void put(const std::string& query, const Args&... args) {
        sql::stmt& s = db_.cached(query);
        sql::reset_guard guard(s);
        int i = 0;
        (s.bind(++i, args), ...);
        changed_ += write(db_, s);
    }

    void put_code(const codelist_entry& e) {
        put(codelist_sql, e.list, e.code, e.name_es, e.name_en, e.parent, e.iati_list,
            e.iati_code, e.active ? 1 : 0);
    }

    [[nodiscard]] std::int64_t changed() const noexcept { return changed_; }

private:
    sql::db& db_;  // the connection of the caller's transaction, alive for the whole load
    std::int64_t changed_ = 0;
};

result<std::int64_t> load_sdgs(catalogue_writer& out, const std::filesystem::path& dir) {
    return for_each_row(
        dir, "ecuador/ods.csv",
        {"ods", "nombre_corto_es", "titulo_es", "short_name_en", "color_hex"},
        [&](const row& r) -> status {
            auto goal = validate::parse_int("ods", r[0], 1, 17);
            if (!goal) return r.fail(goal.err().es, goal.err().en);
            out.put(sdg_sql, *goal, r[1], r[2], r[3], r[4]);
            return {};
        });
}

result<std::int64_t> load_currencies(catalogue_writer& out, const std::filesystem::path& dir) {
    return for_each_row(dir, "iati/Currency.csv", {"code", "name"}, [&](const row& r) -> status {
        const std::string_view code = r[0];
        if (code.size() != 3) {
            return r.fail(fmt::format("código de moneda inválido «{}»", code),
                          fmt::format("invalid currency code '{}'", code));
        }
        out.put(currency_sql, code, r[1], minor_unit(code));
        return {};
    });
}

/// 3-digit groups (with Spanish names) first, then the 5-digit codes under them. Returns the
/// Spanish group names, which also name the 'iati.SectorCategory' code list.
result<std::int64_t> load_dac(catalogue_writer& out, const std::filesystem::path& dir,
                              std::map<std::string, std::string, std::less<>>& groups_es) {
    auto groups = for_each_row(
        dir, "iati/dac_sectores_3d_es.csv", {"code", "name_en", "name_es"},
        [&](const row& r) -> status {
            if (!is_digits(r[0], 3)) {
                return r.fail(fmt::format("grupo CAD inválido «{}»: 3 dígitos", r[0]),
                              fmt::format("invalid DAC group '{}': 3 digits", r[0]));
            }
            out.put(dac_sql, r[0], std::optional<std::string_view>(), r[1], non_empty(r[2]));
            groups_es.emplace(r[0], r[2]);
            return {};
        });
    if (!groups) return groups;
    auto codes = for_each_row(
        dir, "iati/Sector.csv", {"code", "name"}, [&](const row& r) -> status {
            const std::string_view code = r[0];
            if (!is_digits(code, 5) || !groups_es.contains(code.substr(0, 3))) {
                return r.fail(
                    fmt::format("sector CAD «{}» inválido: 5 dígitos bajo un grupo conocido", code),
                    fmt::format("invalid DAC sector '{}': 5 digits under a known group", code));
            }
            out.put(dac_sql, code, code.substr(0, 3), r[1], std::optional<std::string_view>());
            return {};
        });
    if (!codes) return codes;
    return *groups + *codes;
}

result<std::int64_t> load_cinr(catalogue_writer& out, const std::filesystem::path& dir) {
    return for_each_row(
        dir, "ecuador/cinr_clasificaciones.csv",
        {"dimension", "code", "name_es", "iati_element", "iati_code"},
        [&](const row& r) -> status {
            if (r[0].empty() || r[1].empty() || r[2].empty()) {
                return r.fail("dimensión, código y nombre son obligatorios",
                              "dimension, code and name are required");
            }
            const std::string list = fmt::format("cinr.{}", r[0]);
            out.put_code({list, r[1], r[2], std::nullopt, std::nullopt, non_empty(r[3]),
                          non_empty(r[4]), true});
            return {};
        });
}

result<std::int64_t> load_iati_list(catalogue_writer& out, const std::filesystem::path& dir,
                                    std::string_view name,
                                    const std::map<std::string, std::string, std::less<>>& es) {
    const std::string list = fmt::format("iati.{}", name);
    const bool spanish = name == "SectorCategory";
    return for_each_row(
        dir, fmt::format("iati/{}.csv", name), {"code", "name", "category", "status"},
        [&](const row& r) -> status {
            const std::string_view state = r[3];
            if (r[0].empty() || r[1].empty() || (state != "active" && state != "withdrawn")) {
                return r.fail("código y nombre obligatorios; estado active o withdrawn",
                              "code and name required; status active or withdrawn");
            }
            std::string_view name_es = r[1];
            if (auto it = es.find(r[0]); spanish && it != es.end() && !it->second.empty()) {
                name_es = it->second;
            }
            out.put_code({list, r[0], name_es, r[1], non_empty(r[2]), std::nullopt, std::nullopt,
                          state == "active"});
            return {};
        });
}

}  // namespace

status load_catalogues(sql::transaction& tx, const std::filesystem::path& data_dir,
                       reference_counts& counts) {
    catalogue_writer out(tx);
    std::map<std::string, std::string, std::less<>> groups_es;
    auto n = load_sdgs(out, data_dir);
    if (!n) return std::move(n).err();
    counts.sdgs = *n;
    n = load_currencies(out, data_dir);
    if (!n) return std::move(n).err();
    counts.currencies = *n;
    n = load_dac(out, data_dir, groups_es);
    if (!n) return std::move(n).err();
    counts.dac_sectors = *n;
    n = load_cinr(out, data_dir);
    if (!n) return std::move(n).err();
    counts.codelist_entries = *n;
    for (std::string_view name : iati_lists) {
        n = load_iati_list(out, data_dir, name, groups_es);
        if (!n) return std::move(n).err();
        counts.codelist_entries += *n;
    }
    counts.changed += out.changed();
    return {};
}

}  // namespace minga::refdata
