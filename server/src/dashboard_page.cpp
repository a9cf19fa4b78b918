// The dashboard's Spanish HTML, rendered on the server: no script, no external asset, so it
// works on a slow link, prints as it is shown, and a headless browser sees the final page.
// Every figure also carries its exact value in `data-valor` (dollars with a '.', as in the
// report's CSV) so tools and tests can read it without parsing Spanish number formats.
#include "dashboard_api.hpp"
#include "dashboard_view.hpp"

#include <minga/server/version.hpp>
#include <minga/shared/export.hpp>
#include <minga/shared/time_text.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace minga::server {

namespace {

std::string thousands(std::uint64_t n) {
    auto s = std::to_string(n);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ".");
    return s;
}

/// "1.234.567,89" (Spanish grouping) for cents; exact value "1234567.89" for data-valor.
std::string usd_text(std::int64_t cents) {
    const auto abs = static_cast<std::uint64_t>(cents < 0 ? -cents : cents);
    return (cents < 0 ? "-" : "") + thousands(abs / 100) + fmt::format(",{:02}", abs % 100);
}
std::string usd_value(std::int64_t cents) {
    const auto abs = static_cast<std::uint64_t>(cents < 0 ? -cents : cents);
    return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", abs / 100, abs % 100);
}

/// A measured value with two decimals, Spanish style ("1.234,50").
std::string dec_text(double v) {
    const auto cents = static_cast<std::int64_t>(v * 100 + (v >= 0 ? 0.5 : -0.5));
    return usd_text(cents);
}

std::string date_text(std::int64_t ms) {
    return ms <= 0 ? "nunca" : minutes_utc(ms);
}

/// One cell: number cells right-aligned with their exact value.
std::string td(const report_cell& c) {
    if (const auto* s = std::get_if<std::string>(&c)) return "<td>" + html(*s) + "</td>";
    if (const auto* n = std::get_if<std::int64_t>(&c))
        return fmt::format("<td class=\"num\" data-valor=\"{}\">{}</td>", *n,
                           thousands(static_cast<std::uint64_t>(std::max<std::int64_t>(*n, 0))));
    if (const auto* u = std::get_if<usd_cents>(&c))
        return fmt::format("<td class=\"num\" data-valor=\"{}\">{}</td>", usd_value(u->cents), usd_text(u->cents));
    return "<td></td>";
}

std::int64_t cents_of(const report_cell& c) {
    if (const auto* u = std::get_if<usd_cents>(&c)) return u->cents;
    return 0;
}

constexpr std::string_view metric_heads =
    "<th class=\"num\">Proyectos</th><th class=\"num\">Comprometido (USD)</th>"
    "<th class=\"num\">Desembolsado (USD)</th><th class=\"num\">Beneficiarios</th>";

/// A dimension table: code+name (optionally a link, a colour chip), the four metrics and a bar
/// of the committed amount relative to the largest row.
template <class Link, class Chip>
std::string dimension_table(const report_table& t, std::string_view id, std::string_view head, Link link,
                            Chip chip) {
    if (t.columns.size() < 6) return {};
    const std::size_t n = t.columns.size();  // last five: the metrics
    std::int64_t top = 1;
    for (const auto& row : t.rows) top = std::max(top, cents_of(row[n - 4]));
    std::string out = fmt::format("<table id=\"{}\" class=\"dim\"><thead><tr><th>{}</th>{}<th class=\"bar\">Comprometido</th></tr></thead><tbody>",
                                  id, head, metric_heads);
    for (const auto& row : t.rows) {
        const auto* code = std::get_if<std::string>(&row[0]);
        const auto* number = std::get_if<std::int64_t>(&row[0]);  // SDG goals, years
        const auto* name = std::get_if<std::string>(&row[1]);
        const std::string key = code ? *code : number ? std::to_string(*number) : "";
        std::string label = html(name ? *name : key);
        if (auto href = link(key); !href.empty()) label = "<a href=\"" + html(href) + "\">" + label + "</a>";
        const auto colour = chip(key);
        out += fmt::format("<tr data-codigo=\"{}\"><td>{}{}</td>", html(key),
                           colour.empty() ? "" : "<span class=\"chip\" style=\"background:" + html(colour) + "\">" + html(key) + "</span> ",
                           label);
        for (std::size_t i = n - 5; i < n - 1; ++i) out += td(row[i]);
        const double pct = 100.0 * static_cast<double>(std::max<std::int64_t>(cents_of(row[n - 4]), 0)) / static_cast<double>(top);
        out += fmt::format("<td class=\"bar\"><span style=\"width:{:.1f}%;background:{}\"></span></td></tr>", pct,
                           colour.empty() ? "#2a6f97" : html(colour));
    }
    return out + "</tbody></table>";
}

auto no_link = [](const std::string&) { return std::string(); };
auto no_chip = [](const std::string&) { return std::string(); };

std::string totals(const consolidation_summary& s) {
    auto card = [](std::string_view id, std::string_view label, const std::string& value, const std::string& text) {
        return fmt::format("<div class=\"card\"><span class=\"label\">{}</span><span class=\"value\" id=\"{}\" "
                           "data-valor=\"{}\">{}</span></div>",
                           label, id, value, text);
    };
    std::string out = "<section id=\"totales\" class=\"cards\">";
    out += card("total-proyectos", "Proyectos", std::to_string(s.projects), thousands(static_cast<std::uint64_t>(s.projects)));
    out += card("total-comprometido", "Comprometido (USD)", usd_value(s.committed_usd_cents), usd_text(s.committed_usd_cents));
    out += card("total-desembolsado", "Desembolsado (USD)", usd_value(s.disbursed_usd_cents), usd_text(s.disbursed_usd_cents));
    out += card("total-beneficiarios", "Beneficiarios", std::to_string(s.beneficiaries), thousands(static_cast<std::uint64_t>(s.beneficiaries)));
    out += card("total-sin-conversion", "Proyectos sin tipo de cambio", std::to_string(s.unconverted_projects),
                std::to_string(s.unconverted_projects));
    out += "</section>";
    if (!s.unconverted_currencies.empty()) {
        std::string list;
        for (const auto& c : s.unconverted_currencies) list += (list.empty() ? "" : ", ") + c;
        out += "<p class=\"aviso\">Montos sin convertir a USD por falta de tipo de cambio en: " + html(list) +
               ". No se suman a los totales.</p>";
    }
    return out;
}

std::string territory_section(const dashboard_view& v) {
    std::string title = "Por provincia";
    std::string crumbs = "<a href=\"/dashboard\">Ecuador</a>";
    auto link = [&](const std::string& code) -> std::string {
        if (code.empty()) return "";
        if (code.size() == 2) return "/dashboard?provincia=" + code;
        if (code.size() == 4) return "/dashboard?canton=" + code;
        return "";
    };
    if (!v.scope.province.empty()) {
        title = v.scope.canton.empty() ? "Por cantón" : "Por parroquia";
        crumbs += " › " + html(v.scope_name);
    }
    return "<section id=\"territorio\"><h2>" + title + "</h2><nav class=\"migas\">" + crumbs + "</nav>" +
           dimension_table(*v.territory, "tabla-territorio", "Territorio", link, no_chip) + "</section>";
}

std::string indicators_section(const dashboard_view& v) {
    std::string out = "<section id=\"indicadores\"><h2>Indicadores: avance frente a la meta</h2>";
    if (v.indicators.empty())
        return out + "<p>No hay indicadores de la biblioteca en la última consolidación.</p></section>";
    out += "<table id=\"tabla-indicadores\"><thead><tr><th>Indicador</th><th>Unidad</th><th class=\"num\">Proyectos</th>"
           "<th class=\"num\">Línea base</th><th class=\"num\">Actual</th><th class=\"num\">Meta</th>"
           "<th class=\"bar\">Avance</th></tr></thead><tbody>";
    for (const auto& i : v.indicators) {
        const double pct = i.progress_pct.value_or(0);
        out += fmt::format("<tr data-indicador=\"{}\"><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                           "<td class=\"num\" data-valor=\"{:.2f}\">{}</td><td class=\"num\">{}</td><td class=\"bar\">",
                           html(i.key), html(i.name), html(i.unit), i.projects, dec_text(i.baseline), i.current,
                           dec_text(i.current), i.with_target > 0 ? dec_text(i.target) : "—");
        if (i.progress_pct)
            out += fmt::format("<span style=\"width:{:.1f}%\"></span><em data-valor=\"{:.2f}\">{:.0f} %</em>",
                               std::clamp(pct, 0.0, 100.0), pct, pct);
        else
            out += "<em>sin meta</em>";
        out += "</td></tr>";
    }
    return out + "</tbody></table></section>";
}

std::string sync_section(const dashboard_view& v) {
    std::string out = "<section id=\"sincronizacion\"><h2>Salud de la sincronización por GAD</h2>";
    if (v.sync.empty()) return out + "<p>Ningún GAD tiene dispositivos inscritos todavía.</p></section>";
    out += "<table id=\"tabla-sincronizacion\"><thead><tr><th>GAD</th><th>Nombre</th><th class=\"num\">Dispositivos activos</th>"
           "<th class=\"num\">Pendientes</th><th class=\"num\">Revocados</th><th>Última sincronización</th>"
           "<th class=\"num\">Conflictos abiertos</th><th class=\"num\">Proyectos</th></tr></thead><tbody>";
    const std::int64_t stale = v.now_ms - dashboard_tuning::stale_sync_days * 24 * 3600 * 1000;
    for (const auto& h : v.sync) {
        const bool late = h.last_sync_ms < stale;
        out += fmt::format("<tr data-codigo=\"{}\"{}><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                           "<td class=\"num\">{}</td><td>{}{}</td><td class=\"num{}\">{}</td><td class=\"num\">{}</td></tr>",
                           html(h.gad), late ? " class=\"atrasado\"" : "", html(h.gad), html(h.name), h.devices_active,
                           h.devices_pending, h.devices_revoked, date_text(h.last_sync_ms),
                           late ? fmt::format(" (más de {} días)", dashboard_tuning::stale_sync_days) : "",
                           h.open_conflicts > 0 ? " alerta" : "", h.open_conflicts, h.projects);
    }
    return out + "</tbody></table></section>";
}

std::string page(std::string_view title, const std::string& body) {
    return fmt::format("<!DOCTYPE html>\n<html lang=\"es\"><head><meta charset=\"utf-8\">"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                       "<title>{}</title><style>{}</style></head><body>{}</body></html>\n",
                       title, dashboard_css(), body);
}

}  // namespace

std::string html(std::string_view s) { return markup_escape(s); }

namespace {

/// The demand plan by year and province, as the report gives it (every column, Spanish heads).
std::string demand_section(const dashboard_view& v) {
    std::string out = "<section id=\"demandas\"><h2>Plan anual de demanda de cooperación</h2>";
    if (!v.demand_plan || v.demand_plan->rows.empty())
        return out + "<p>Ningún GAD ha sincronizado demandas todavía.</p></section>";
    out += "<table id=\"tabla-demandas\"><thead><tr>";
    for (const auto& c : v.demand_plan->columns) out += "<th>" + html(c) + "</th>";
    out += "</tr></thead><tbody>";
    for (const auto& row : v.demand_plan->rows) {
        out += "<tr>";
        for (const auto& cell : row) out += td(cell);
        out += "</tr>";
    }
    return out + "</tbody></table><p class=\"nota\">Brechas: demandas sin oferta disponible ni convenio firmado "
                 "(`minga-server report --by demand-gaps`).</p></section>";
}

}  // namespace

std::string render_page(const dashboard_view& v) {
    std::string body = "<header><div><h1>Cooperación internacional no reembolsable</h1><p class=\"meta\">Tablero nacional";
    if (v.territory) body += " · datos consolidados al " + date_text(v.territory->summary.as_of_ms);
    body += " · usuario: " + html(v.user) +
            "</p></div><form method=\"post\" action=\"/dashboard/logout\" class=\"no-print\">"
            "<button type=\"submit\">Cerrar sesión</button></form></header><main>";
    if (v.no_data) {
        body += "<p class=\"aviso\" id=\"sin-datos\">" + html(v.no_data->text("es")) + "</p>";
    } else {
        body += totals(v.territory->summary);
        body += territory_section(v);
        body += "<div class=\"grid\">";
        if (v.ods) {
            auto chip = [&](const std::string& code) -> std::string {
                const int goal = code.empty() ? 0 : std::atoi(code.c_str());
                return goal >= 1 && goal <= 17 ? v.sdg_colour[static_cast<std::size_t>(goal)] : "";
            };
            body += "<section id=\"ods\" class=\"ancho\"><h2>Por Objetivo de Desarrollo Sostenible (ODS)</h2>" +
                    dimension_table(*v.ods, "tabla-ods", "ODS", no_link, chip) +
                    "<p class=\"nota\">Un proyecto cuenta completo en cada uno de sus ODS.</p></section>";
        }
        if (v.source)
            body += "<section id=\"fuente\" class=\"compacto\"><h2>Por fuente</h2>" +
                    dimension_table(*v.source, "tabla-fuente", "Fuente", no_link, no_chip) + "</section>";
        if (v.modality)
            body += "<section id=\"modalidad\" class=\"compacto\"><h2>Por modalidad</h2>" +
                    dimension_table(*v.modality, "tabla-modalidad", "Modalidad", no_link, no_chip) + "</section>";
        body += "</div>";
    }
    body += indicators_section(v);
    body += demand_section(v);
    body += sync_section(v);
    body += "</main><footer>minga-server " + std::string(version()) + " · generado el " + date_text(v.now_ms) +
            " · montos en dólares de EE. UU.; reglas en docs/consolidation.md</footer>";
    return page("minga · Tablero nacional de cooperación", body);
}

std::string render_login(std::string_view error) {
    std::string body =
        "<main class=\"login\"><h1>Tablero nacional de cooperación</h1>"
        "<p>Ingrese la clave de usuario central que le entregó el administrador "
        "(<code>minga-server user add NOMBRE</code>).</p>";
    if (!error.empty()) body += "<p class=\"aviso\" id=\"error\">" + html(error) + "</p>";
    body +=
        "<form method=\"post\" action=\"/dashboard/login\"><label for=\"secret\">Clave</label>"
        "<input id=\"secret\" name=\"secret\" type=\"password\" autocomplete=\"current-password\" required "
        "autofocus><button type=\"submit\">Ingresar</button></form></main>"
        // A sign-in link (`/dashboard/login#clave=SECRET`, for kiosks and automation): the
        // fragment never reaches the server or its log, and is removed from history first.
        "<script>(function(){var m=location.hash.match(/^#clave=([^&]+)$/);if(!m)return;"
        "history.replaceState(null,'',location.pathname);var f=document.forms[0];"
        "f.secret.value=decodeURIComponent(m[1]);f.submit();})();</script>";
    return page("minga · Ingreso", body);
}

}  // namespace minga::server
