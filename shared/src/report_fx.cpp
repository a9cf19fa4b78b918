// `minga-server fx import FILE`: dated exchange rates from CSV, all or nothing.
#include <minga/shared/csv.hpp>
#include <minga/shared/report.hpp>
#include <minga/shared/validate.hpp>

#include <fmt/format.h>

#include <map>

namespace minga {

namespace {

/// Prefixes an error of one field with the line and column it came from.
error at(std::size_t line, std::string_view column, error e) {
    e.field = fmt::format("{}, columna {}", csv::line_field(line), column);
    return e;
}

}  // namespace

result<fx_import_summary> import_fx_rates(sql::db& central_db, std::istream& in) {
    auto rd = csv::reader::open(in);
    if (!rd) return std::move(rd).err();
    const std::array<std::string_view, 4> known = {"currency", "valid_from", "usd_per_unit",
                                                   "source"};
    for (const auto& name : rd->header()) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        return make_error(errc::bad_input, fmt::format("{}, columna {}", csv::line_field(1), name),
                          "columna desconocida; las columnas son currency, valid_from, "
                          "usd_per_unit y source (opcional)",
                          "unknown column; the columns are currency, valid_from, usd_per_unit "
                          "and source (optional)");
    }
    std::array<std::size_t, 3> col{};
    for (std::size_t i = 0; i < 3; ++i) {
        auto c = rd->require(known[i]);
        if (!c) return std::move(c).err();
        col[i] = *c;
    }
    auto source_col = rd->index("source");

    fx_import_summary sum;
    sql::transaction tx(central_db);
    auto& db = tx.conn();
    auto old = db.prepare(
        "SELECT usd_per_unit, coalesce(source, '') FROM fx_rate WHERE currency = ?1 AND "
        "valid_from = ?2");
    std::map<std::pair<std::string, std::string>, std::size_t> seen;  // -> line
    for (;;) {
        auto next = rd->next();
        if (!next) return std::move(next).err();
        if (!*next) break;
        const auto& rec = **next;
        ++sum.rows;
        fx_rate rate;
        rate.currency = std::string(rec[col[0]]);
        rate.valid_from = std::string(rec[col[1]]);
        if (source_col) rate.source = std::string(rec[*source_col]);
        auto value = validate::parse_double("usd_per_unit", rec[col[2]]);
        if (!value) return at(rec.line(), "usd_per_unit", std::move(value).err());
        rate.usd_per_unit = *value;
        auto [it, fresh] = seen.emplace(std::make_pair(rate.currency, rate.valid_from), rec.line());
        if (!fresh) {
            return make_error(
                errc::bad_input, fmt::format("{}, columna valid_from", csv::line_field(rec.line())),
                fmt::format("{} {} ya aparece en la línea {}: una tasa por moneda y fecha",
                            rate.currency, rate.valid_from, it->second),
                fmt::format("{} {} already appears on line {}: one rate per currency and date",
                            rate.currency, rate.valid_from, it->second));
        }
        old.bind(1, rate.currency).bind(2, rate.valid_from);
        bool existed = old.step();
        bool same =
            existed && old.get_double(0) == rate.usd_per_unit && old.get_text(1) == rate.source;
        old.reset();
        if (auto ok = put_fx_rate(tx, rate); !ok) {
            auto e = std::move(ok).err();
            auto column = e.field;
            return at(rec.line(), column, std::move(e));
        }
        if (same)
            ++sum.unchanged;
        else if (existed)
            ++sum.updated;
        else
            ++sum.inserted;
    }
    if (sum.rows == 0) {
        return make_error(errc::bad_input, "file", "el archivo no tiene tasas (solo el encabezado)",
                          "the file has no rates (only the header)");
    }
    tx.commit();
    return sum;
}

}  // namespace minga
