// The national-registry CSV (SIGECI-style): one row per live project with its agreement.
// Columns, sources and formats: docs/exports.md.
#include <minga/shared/export.hpp>

#include "export_rows.hpp"
#include "export_text.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace minga {

namespace {

using export_rows::project_row;

constexpr std::array<std::string_view, 38> columns = {
    "gad_codigo", "gad_nombre", "gad_nivel", "convenio_id", "convenio_referencia", "convenio_tipo",
    "convenio_titulo", "convenio_estado", "convenio_fecha_firma", "convenio_vigencia_desde",
    "convenio_vigencia_hasta", "proyecto_id", "proyecto_codigo_local", "proyecto_titulo",
    "estado_iati", "estado", "cooperantes", "cooperantes_ruc", "cooperantes_pais", "fuente",
    "fuente_nombre", "modalidad", "modalidad_nombre", "geopolitica", "base_comprometido",
    "moneda_original", "comprometido_original", "desembolsado_original", "comprometido_usd",
    "desembolsado_usd", "territorios", "provincias", "ods", "sectores_cad", "inicio_previsto",
    "fin_previsto", "inicio_real", "fin_real"};
// (beneficiaries last, appended below, so the array stays a readable block of 38 + 1)
constexpr std::string_view last_column = "beneficiarios";

/// IATI ActivityStatus in Spanish (codes 1-6, the values the schema allows).
std::string_view status_es(std::int64_t code) {
    static constexpr std::array<std::string_view, 6> names = {
        "En identificación", "En ejecución", "Finalizado", "Cerrado", "Cancelado", "Suspendido"};
    return code >= 1 && code <= 6 ? names[static_cast<std::size_t>(code - 1)] : "";
}

std::string codelist_name(sql::db& db, std::string_view list, const std::string& code) {
    if (code.empty()) return "";
    auto& s = db.cached("SELECT name_es FROM codelist WHERE list = ?1 AND code = ?2");
    sql::reset_guard g(s);
    s.bind(1, list).bind(2, code);
    return s.step() ? s.get_text(0) : "";
}

std::string province_name(sql::db& db, const std::string& territory) {
    auto& s = db.cached("SELECT name FROM territorial_unit WHERE code = substr(?1, 1, 2)");
    sql::reset_guard g(s);
    s.bind(1, territory);
    return s.step() ? s.get_text(0) : "";
}

std::string join(const std::vector<std::string>& items, std::string_view sep = ";") {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

std::string number(double v) {
    // Shares and percentages: up to two decimals, no trailing zeros ("60", "33.33").
    auto s = export_text::money(static_cast<std::int64_t>(v * 100 + (v >= 0 ? 0.5 : -0.5)), 2);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

std::string usd(const std::optional<std::int64_t>& cents) {
    return cents ? export_text::money(*cents, 2) : "";
}

/// The committed and disbursed amounts in their original currencies, per currency, by the
/// consolidation's rule (docs/consolidation.md: commitments, else committed budgets, else all
/// budgets; disbursements).
struct original_amounts {
    std::string basis;
    std::map<std::string, std::int64_t> committed, disbursed;
};

original_amounts originals(const project_row& p) {
    original_amounts o;
    for (const auto& t : p.transactions) {
        if (t.type == 2) o.committed[t.currency] += t.amount;
        if (t.type == 3) o.disbursed[t.currency] += t.amount;
    }
    if (!o.committed.empty()) {
        o.basis = "commitment";
    } else {
        for (const auto& b : p.budgets)
            if (b.status == 2) o.committed[b.currency] += b.amount;
        if (!o.committed.empty()) {
            o.basis = "committed_budget";
        } else {
            for (const auto& b : p.budgets) o.committed[b.currency] += b.amount;
            o.basis = o.committed.empty() ? "none" : "budget";
        }
    }
    return o;
}

void append_row(std::string& out, sql::db& db, const project_row& p) {
    std::vector<std::string> cells;
    cells.reserve(columns.size() + 1);
    auto add = [&](std::string v) { cells.push_back(std::move(v)); };
    add(p.owner_gad);
    add(p.owner_name);
    add(p.owner_level);
    const auto& a = p.agreement;
    add(a ? a->id : "");
    add(a ? a->reference : "");
    add(a ? a->kind : "");
    add(a ? a->title : "");
    add(a ? a->status : "");
    add(a ? a->signed_on : "");
    add(a ? a->valid_from : "");
    add(a ? a->valid_to : "");
    add(p.id);
    add(p.local_code);
    add(p.title);
    add(std::to_string(p.activity_status));
    add(std::string(status_es(p.activity_status)));
    std::vector<std::string> names, rucs;
    std::set<std::string> countries;
    for (const auto& x : p.participants) {
        if (x.role != 1) continue;
        names.push_back(x.name);
        rucs.push_back(x.ruc);
        if (!x.country.empty()) countries.insert(x.country);
    }
    add(join(names, "; "));
    add(join(rucs));
    add(join({countries.begin(), countries.end()}));
    // Source and geopolitical type fall back to the agreement's, as in the consolidation.
    const std::string source = !p.source.empty() ? p.source : a ? a->source : "";
    add(source);
    add(codelist_name(db, "cinr.fuente", source));
    add(p.modality);
    add(codelist_name(db, "cinr.modalidad", p.modality));
    add(!p.geopolitical.empty() ? p.geopolitical : a ? a->geopolitical : "");
    const auto o = originals(p);
    add(o.basis);
    std::set<std::string> currencies;
    for (const auto& [c, v] : o.committed) currencies.insert(c);
    for (const auto& [c, v] : o.disbursed) currencies.insert(c);
    std::vector<std::string> cur, com, dis;
    for (const auto& c : currencies) {
        const int digits = export_rows::minor_digits(db, c);
        cur.push_back(c);
        com.push_back(export_text::money(o.committed.count(c) ? o.committed.at(c) : 0, digits));
        dis.push_back(export_text::money(o.disbursed.count(c) ? o.disbursed.at(c) : 0, digits));
    }
    add(join(cur));
    add(join(com));
    add(join(dis));
    add(usd(p.committed_usd_cents));
    add(usd(p.disbursed_usd_cents));
    std::vector<std::string> parts;
    std::vector<std::string> provinces;
    for (const auto& s : p.split) {
        parts.push_back(s.territory + ":" + number(s.share));
        auto name = province_name(db, s.territory);
        if (std::find(provinces.begin(), provinces.end(), name) == provinces.end()) provinces.push_back(name);
    }
    add(join(parts));
    add(join(provinces, "; "));
    std::vector<std::string> goals, sectors;
    for (int g : p.sdgs) goals.push_back(std::to_string(g));
    for (const auto& s : p.sectors) sectors.push_back(s.code + ":" + number(s.percentage));
    add(join(goals));
    add(join(sectors));
    add(p.planned_start);
    add(p.planned_end);
    add(p.actual_start);
    add(p.actual_end);
    add(p.beneficiaries ? std::to_string(*p.beneficiaries) : "");
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out += ',';
        export_text::append_csv_field(out, cells[i]);
    }
    out += '\n';
}

}  // namespace

result<registry_export> export_registry(sql::db& db, const export_filter& f) {
    if (!f.gad.empty()) {
        auto s = db.prepare("SELECT 1 FROM gad WHERE code = ?1");
        s.bind(1, f.gad);
        if (!s.step())
            return make_error(errc::bad_input, "--gad",
                              "GAD desconocido: '" + f.gad + "'; vea `minga-server gad list`",
                              "unknown GAD: '" + f.gad + "'; see `minga-server gad list`");
    }
    registry_export r;
    for (const auto c : columns) {
        r.csv.append(c);
        r.csv += ',';
    }
    r.csv.append(last_column);
    r.csv += '\n';
    for (const auto& p : export_rows::load(db, f.gad)) {
        append_row(r.csv, db, p);
        ++r.projects;
        if (!p.consolidated) ++r.without_usd;
    }
    return r;
}

}  // namespace minga
