#include <minga/shared/validate_db.hpp>

#include "validate_text.hpp"

#include <minga/shared/validate.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <optional>
#include <string>
#include <vector>

namespace minga::validate {

using detail::all_digits;
using detail::bad;
using detail::shown;

namespace {

/// True when the one-parameter query returns a row for `key`.
bool exists(sql::db& db, const std::string& query, std::string_view key) {
    sql::stmt& s = db.cached(query);
    sql::reset_guard guard(s);
    s.bind(1, key);
    return s.step();
}

struct list_sample {
    std::vector<std::string> codes;
    std::int64_t total = 0;
};

list_sample active_codes(sql::db& db, std::string_view list) {
    static const std::string count_sql =
        "SELECT count(*) FROM codelist WHERE list = ?1 AND active = 1";
    static const std::string sample_sql =
        "SELECT code FROM codelist WHERE list = ?1 AND active = 1 "
        "ORDER BY length(code), code LIMIT ?2";
    list_sample out;
    {
        sql::stmt& s = db.cached(count_sql);
        sql::reset_guard guard(s);
        s.bind(1, list);
        if (s.step()) out.total = s.get_int(0);
    }
    sql::stmt& s = db.cached(sample_sql);
    sql::reset_guard guard(s);
    s.bind(1, list).bind(2, codelist_examples);
    while (s.step()) out.codes.push_back(s.get_text(0));
    return out;
}

std::string describe(const list_sample& sample) {
    std::string text = fmt::format("{}", fmt::join(sample.codes, ", "));
    if (sample.total > static_cast<std::int64_t>(sample.codes.size())) text += ", …";
    return text;
}

}  // namespace

status check_territory_exists(sql::db& db, std::string_view field, std::string_view code) {
    if (auto st = check_territorial_code_format(field, code); !st) return st;
    static const std::string query = "SELECT 1 FROM territorial_unit WHERE code = ?1";
    if (exists(db, query, code)) return {};
    return bad(field,
               fmt::format("código territorial desconocido: {}; use un código INEC de 2, 4 o 6 "
                           "dígitos (p. ej. 17, 1701 o 170150)",
                           code),
               fmt::format("unknown territorial code: {}; use an INEC code of 2, 4 or 6 digits "
                           "(e.g. 17, 1701 or 170150)",
                           code));
}

status check_parish_exists(sql::db& db, std::string_view field, std::string_view code) {
    static const std::string query =
        "SELECT 1 FROM territorial_unit WHERE code = ?1 AND level = 3";
    if (code.size() == 6 && all_digits(code) && exists(db, query, code)) return {};
    return bad(field,
               fmt::format("código de parroquia desconocido: {}; use un código INEC de 6 dígitos "
                           "(p. ej. 170150)",
                           shown(code)),
               fmt::format("unknown parish code: {}; use a 6-digit INEC code (e.g. 170150)",
                           shown(code)));
}

status check_codelist(sql::db& db, std::string_view field, std::string_view list,
                      std::string_view code) {
    static const std::string query = "SELECT active FROM codelist WHERE list = ?1 AND code = ?2";
    sql::stmt& s = db.cached(query);
    std::optional<std::int64_t> active;
    {
        sql::reset_guard guard(s);
        s.bind(1, list).bind(2, code);
        if (s.step()) active = s.get_int(0);
    }
    if (active == 1) return {};
    const list_sample sample = active_codes(db, list);
    if (sample.total == 0) {
        return make_error(errc::internal, std::string(field),
                          fmt::format("la lista de códigos «{}» está vacía; cargue los datos de "
                                      "referencia",
                                      list),
                          fmt::format("the code list '{}' is empty; load the reference data",
                                      list));
    }
    const std::string_view what_es = active ? "retirado" : "desconocido";
    const std::string_view what_en = active ? "withdrawn" : "unknown";
    return bad(field,
               fmt::format("código {} en {}: «{}»; valores válidos: {}", what_es, list,
                           shown(code), describe(sample)),
               fmt::format("{} code in {}: '{}'; valid values: {}", what_en, list, shown(code),
                           describe(sample)));
}

result<int> check_currency(sql::db& db, std::string_view field, std::string_view code) {
    static const std::string query = "SELECT minor_unit FROM currency WHERE code = ?1";
    sql::stmt& s = db.cached(query);
    sql::reset_guard guard(s);
    s.bind(1, code);
    if (s.step()) return static_cast<int>(s.get_int(0));
    return bad(field,
               fmt::format("moneda desconocida: «{}»; use el código ISO 4217 de tres letras "
                           "mayúsculas (p. ej. USD, EUR)",
                           shown(code)),
               fmt::format("unknown currency: '{}'; use the three-letter upper-case ISO 4217 "
                           "code (e.g. USD, EUR)",
                           shown(code)));
}

status check_dac_sector(sql::db& db, std::string_view field, std::string_view code) {
    static const std::string query = "SELECT 1 FROM dac_sector WHERE code = ?1";
    if ((code.size() == 3 || code.size() == 5) && all_digits(code) && exists(db, query, code)) {
        return {};
    }
    return bad(field,
               fmt::format("sector CAD desconocido: «{}»; use un código CAD de 5 dígitos "
                           "(p. ej. 31220) o un grupo de 3 dígitos (p. ej. 311)",
                           shown(code)),
               fmt::format("unknown DAC sector: '{}'; use a 5-digit DAC code (e.g. 31220) or a "
                           "3-digit group (e.g. 311)",
                           shown(code)));
}

}  // namespace minga::validate
