// The data-quality report (`minga-server report quality`): what a person should check before
// trusting the national figures. Read from the live store; rules in docs/consolidation.md.
#include "report_detail.hpp"

#include <minga/shared/report_extra.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>

namespace minga {

namespace {

constexpr std::array<std::string_view, 4> kinds = {"sin_observacion", "ong_no_activa",
                                                   "gad_sin_sincronizar", "reloj_desfasado"};

std::string day_of(std::int64_t ms) {
    return rpt::iso_text(ms).substr(0, 10);
}

/// Projects whose every indicator with a reporting period ended by `today` has no live
/// observation in its last ended period (by period_id or by date inside the period).
void no_observation(sql::db& db, const std::string& today, bool en, std::vector<quality_row>& out) {
    auto s = db.prepare(
        "WITH last_period AS ("
        "  SELECT r.indicator_id, r.id, r.period_start, r.period_end, "
        "    row_number() OVER (PARTITION BY r.indicator_id ORDER BY r.period_end DESC, r.id DESC) "
        "n "
        "  FROM reporting_period r JOIN indicator i ON i.id = r.indicator_id AND i.deleted = 0 "
        "  WHERE r.deleted = 0 AND r.period_end <= ?1), "
        "per_indicator AS ("
        "  SELECT i.project_id, l.period_start, l.period_end, EXISTS (SELECT 1 FROM observation o "
        "    WHERE o.indicator_id = l.indicator_id AND o.deleted = 0 AND (o.period_id = l.id OR "
        "    o.observed_on BETWEEN l.period_start AND l.period_end)) AS observed "
        "  FROM last_period l JOIN indicator i ON i.id = l.indicator_id WHERE l.n = 1) "
        "SELECT p.owner_gad, p.id, p.title, min(x.period_start), max(x.period_end) "
        "FROM per_indicator x JOIN project p ON p.id = x.project_id AND p.deleted = 0 "
        "GROUP BY p.id HAVING max(x.observed) = 0 ORDER BY p.owner_gad, p.id");
    s.bind(1, today);
    while (s.step()) {
        auto period = s.get_text(3) + "/" + s.get_text(4);
        out.push_back({"sin_observacion", s.get_text(0), s.get_text(1), s.get_text(2),
                       (en ? "no observation in the last reporting period "
                           : "sin observaciones en el último período de reporte ") +
                           period,
                       s.get_text(4)});
    }
}

/// Live agreements (not finished) with a foreign-NGO party that is not active, whose basic
/// operating agreement has expired, or that is not in the directory at all.
void inactive_ngo(sql::db& db, const std::string& today, bool en, std::vector<quality_row>& out) {
    auto s = db.prepare(
        "SELECT a.owner_gad, a.id, a.title, coalesce(o.name, x.organisation_id), o.status, "
        "o.cbf_valid_to, o.id IS NULL FROM agreement a "
        "JOIN agreement_party x ON x.agreement_id = a.id AND x.deleted = 0 "
        "LEFT JOIN organisation o ON o.id = x.organisation_id "
        "WHERE a.deleted = 0 AND a.status IN ('negociacion', 'vigente', 'suspendido') "
        "AND (o.id IS NULL AND x.role = 'cooperante' OR o.cinr_source = 'ong_extranjera' AND "
        "(o.deleted = 1 OR o.status <> 'activa' OR (o.cbf_valid_to IS NOT NULL AND "
        "o.cbf_valid_to < ?1))) ORDER BY a.owner_gad, a.id, x.organisation_id");
    s.bind(1, today);
    while (s.step()) {
        std::string detail;
        if (s.get_int(6))
            detail = en ? "the cooperant is not in the directory"
                        : "la cooperante no está en el directorio";
        else if (s.get_text(4) != "activa")
            detail = fmt::format(fmt::runtime(en ? "{}: status {}" : "{}: estado {}"),
                                 s.get_text(3), s.get_text(4));
        else
            detail = fmt::format(
                fmt::runtime(en ? "{}: operating agreement expired on {}"
                                : "{}: convenio básico de funcionamiento vencido el {}"),
                s.get_text(3), s.get_text(5));
        out.push_back({"ong_no_activa", s.get_text(0), s.get_text(1), s.get_text(2), detail,
                       s.get_opt_text(5).value_or("")});
    }
}

/// GADs with at least one enrolled device and no sync from any within `days`.
void not_synced(sql::db& db, const quality_options& o, bool en, std::vector<quality_row>& out) {
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> last;  // gad -> devices, last ms
    auto s =
        db.prepare("SELECT gads, coalesce(last_seen_ms, 0) FROM device WHERE status = 'activo'");
    while (s.step()) {
        std::string gads = s.get_text(0);
        for (std::size_t start = 0; start < gads.size();) {
            auto end = gads.find(',', start);
            if (end == std::string::npos) end = gads.size();
            auto& e = last[gads.substr(start, end - start)];
            ++e.first;
            e.second = std::max(e.second, s.get_int(1));
            start = end + 1;
        }
    }
    const std::int64_t limit = o.now_ms - o.days * 86'400'000;
    auto name = db.prepare("SELECT name FROM gad WHERE code = ?1");
    for (const auto& [gad, e] : last) {
        if (e.second >= limit) continue;
        name.bind(1, gad);
        std::string n = name.step() ? name.get_text(0) : "";
        name.reset();
        std::string detail =
            e.second == 0
                ? fmt::format(fmt::runtime(en ? "{} device(s), never synced"
                                              : "{} dispositivo(s), nunca sincronizado"),
                              e.first)
                : fmt::format(
                      fmt::runtime(en ? "{} device(s), last sync {} days ago"
                                      : "{} dispositivo(s), última sincronización hace {} días"),
                      e.first, (o.now_ms - e.second) / 86'400'000);
        out.push_back(
            {"gad_sin_sincronizar", gad, gad, n, detail, e.second ? day_of(e.second) : ""});
    }
}

void clock_skew(sql::db& db, const quality_options& o, bool en, std::vector<quality_row>& out) {
    auto s = db.prepare(
        "SELECT d.gads, d.id, d.name, c.offset_ms, c.observed_ms FROM device_clock c "
        "JOIN device d ON d.num = c.device_num WHERE d.status = 'activo' AND abs(c.offset_ms) > ?1 "
        "ORDER BY d.gads, d.id");
    s.bind(1, o.max_skew_ms);
    while (s.step()) {
        auto off = s.get_int(3);
        std::string detail =
            fmt::format(fmt::runtime(en ? "clock {} by {} s" : "reloj {} {} s"),
                        off > 0 ? (en ? "ahead" : "adelantado") : (en ? "behind" : "atrasado"),
                        std::llabs(off) / 1000);
        out.push_back({"reloj_desfasado", s.get_text(0), s.get_text(1), s.get_text(2), detail,
                       day_of(s.get_int(4))});
    }
}

}  // namespace

result<quality_report> quality(sql::db& central_db, const quality_options& opts,
                               std::string_view lang) {
    if (opts.days < 1) {
        return make_error(errc::bad_input, "--days", "los días deben ser 1 o más",
                          "days must be 1 or more");
    }
    if (opts.max_skew_ms < 0) {
        return make_error(errc::bad_input, "--max-skew", "el desfase máximo no puede ser negativo",
                          "the maximum skew cannot be negative");
    }
    if (central_db.scalar_int("SELECT count(*) FROM sqlite_master WHERE name = 'device_clock'") ==
        0) {
        return make_error(errc::not_found, "--data", "esta base no es un almacén central",
                          "this database is not a central store");
    }
    quality_report q;
    q.lang = lang == "en" ? "en" : "es";
    q.opts = opts;
    bool en = q.lang == "en";
    rpt::read_txn snapshot(central_db);
    auto today = day_of(opts.now_ms);
    no_observation(central_db, today, en, q.rows);
    inactive_ngo(central_db, today, en, q.rows);
    not_synced(central_db, opts, en, q.rows);
    clock_skew(central_db, opts, en, q.rows);
    snapshot.end();
    return q;
}

std::string to_csv(const quality_report& q) {
    bool en = q.lang == "en";
    std::string out = en ? "kind,gad,id,name,detail,date\n" : "tipo,gad,id,nombre,detalle,fecha\n";
    for (const auto& r : q.rows) {
        for (const auto* f : {&r.kind, &r.gad, &r.subject, &r.name, &r.detail, &r.date}) {
            if (f != &r.kind) out += ',';
            rpt::csv_field(out, *f);
        }
        out += '\n';
    }
    return out;
}

std::string to_json(const quality_report& q) {
    bool en = q.lang == "en";
    std::string out = "{\"report\":\"quality\",\"lang\":";
    rpt::json_string(out, q.lang);
    out += ",\"as_of\":";
    rpt::json_string(out, rpt::iso_text(q.opts.now_ms));
    out += ",\"days\":" + std::to_string(q.opts.days) + ",\"counts\":{";
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        auto n = std::count_if(q.rows.begin(), q.rows.end(),
                               [&](const quality_row& r) { return r.kind == kinds[i]; });
        out += (i ? ",\"" : "\"") + std::string(kinds[i]) + "\":" + std::to_string(n);
    }
    const std::array<std::string_view, 6> cols_es = {"tipo",   "gad",     "id",
                                                     "nombre", "detalle", "fecha"};
    const std::array<std::string_view, 6> cols_en = {"kind", "gad", "id", "name", "detail", "date"};
    const auto& cols = en ? cols_en : cols_es;
    out += "},\"columns\":[";
    for (std::size_t i = 0; i < cols.size(); ++i) {
        if (i) out += ',';
        rpt::json_string(out, cols[i]);
    }
    out += "],\"rows\":[";
    for (std::size_t k = 0; k < q.rows.size(); ++k) {
        const auto& r = q.rows[k];
        out += k ? ",{" : "{";
        const std::array<const std::string*, 6> v = {&r.kind, &r.gad,    &r.subject,
                                                     &r.name, &r.detail, &r.date};
        for (std::size_t i = 0; i < cols.size(); ++i) {
            if (i) out += ',';
            rpt::json_string(out, cols[i]);
            out += ':';
            rpt::json_string(out, *v[i]);
        }
        out += '}';
    }
    return out + "]}";
}

std::string to_text(const quality_report& q) {
    bool en = q.lang == "en";
    const std::array<std::string_view, 4> titles_es = {
        "Proyectos sin observaciones en el último período de reporte",
        "Convenios con una ONG extranjera no activa en el directorio", "GAD sin sincronizar",
        "Dispositivos con el reloj desfasado"};
    const std::array<std::string_view, 4> titles_en = {
        "Projects with no observation in the last reporting period",
        "Agreements with a foreign NGO not active in the directory", "GADs not synced",
        "Devices with clock skew"};
    std::string out;
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        std::vector<const quality_row*> rows;
        for (const auto& r : q.rows)
            if (r.kind == kinds[i]) rows.push_back(&r);
        out += fmt::format(
            "{} ({}){}\n", en ? titles_en[i] : titles_es[i], rows.size(),
            i == 2 ? fmt::format(fmt::runtime(en ? ", more than {} days" : ", más de {} días"),
                                 q.opts.days)
                   : "");
        for (const auto* r : rows)
            out += fmt::format("  {}  {}  {}  {}\n", r->gad, r->subject, r->name, r->detail);
    }
    return out;
}

}  // namespace minga
