// Two rules of the consolidation that stand on their own: splitting an amount into parts that
// add up exactly, and the exchange rates it converts with.
#include <minga/shared/report.hpp>
#include <minga/shared/validate.hpp>
#include <minga/shared/validate_db.hpp>

#include <cmath>

namespace minga {

std::vector<std::int64_t> apportion(std::int64_t total, std::span<const double> weights) {
    std::vector<std::int64_t> parts;
    parts.reserve(weights.size());
    long double sum = 0;
    for (double w : weights) sum += w;
    if (weights.empty() || !(sum > 0)) return std::vector<std::int64_t>(weights.size(), 0);
    // Cumulative rounding: each running total is rounded once, so the parts add up to `total`
    // exactly and none is negative (the running totals never decrease).
    long double running = 0;
    std::int64_t before = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        running += weights[i];
        std::int64_t upto = i + 1 == weights.size()
                                ? total
                                : static_cast<std::int64_t>(std::llround(
                                      static_cast<long double>(total) * running / sum));
        parts.push_back(upto - before);
        before = upto;
    }
    return parts;
}

status put_fx_rate(sql::transaction& tx, const fx_rate& rate) {
    auto& db = tx.conn();
    if (rate.currency == "USD") {
        return make_error(errc::bad_input, "currency",
                          "el dólar (USD) no necesita tipo de cambio: es la moneda de los reportes",
                          "the US dollar (USD) needs no rate: it is the reporting currency");
    }
    if (auto c = validate::check_currency(db, "currency", rate.currency); !c)
        return std::move(c).err();
    if (auto d = validate::parse_date("valid_from", rate.valid_from); !d) return std::move(d).err();
    if (!std::isfinite(rate.usd_per_unit) || rate.usd_per_unit <= 0) {
        return make_error(
            errc::bad_input, "usd_per_unit",
            "el tipo de cambio debe ser un número positivo (dólares por unidad, p. ej. 1.08)",
            "the rate must be a positive number (dollars per unit, e.g. 1.08)");
    }
    auto s = db.prepare(
        "INSERT INTO fx_rate(currency, valid_from, usd_per_unit, source) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(currency, valid_from) DO UPDATE SET usd_per_unit = excluded.usd_per_unit, "
        "source = excluded.source");
    s.bind(1, rate.currency).bind(2, rate.valid_from).bind(3, rate.usd_per_unit);
    if (rate.source.empty())
        s.bind(4, nullptr);
    else
        s.bind(4, rate.source);
    s.exec();
    return {};
}

}  // namespace minga
