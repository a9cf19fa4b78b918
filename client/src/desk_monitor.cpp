// Indicators and periodic monitoring: progress against target, observations entered per
// period, reporting periods with their targets.
#include "desk_routes.hpp"
#include "desk_tuning.hpp"

#include <minga/shared/desk_query.hpp>

#include <fmt/format.h>

namespace minga::client::desk {

namespace {

std::string opt_number(const std::optional<double>& v) { return v ? format_number(*v) : "—"; }

std::string progress_cell(const indicator_progress& p) {
    if (!p.percent) return "—";
    const double shown = std::max(0.0, std::min(100.0, *p.percent));
    return fmt::format("<progress max=\"100\" value=\"{:.0f}\" aria-label=\"{:.0f} %\"></progress> {:.0f} %", shown,
                       *p.percent, *p.percent);
}

std::string text_of(const record& rec, std::string_view column) {
    for (const auto& [k, v] : rec.fields) {
        if (k != column) continue;
        if (const auto* s = std::get_if<std::string>(&v)) return *s;
        if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
        if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    }
    return {};
}

double number_of(const record& rec, std::string_view column) {
    for (const auto& [k, v] : rec.fields) {
        if (k != column) continue;
        if (const auto* d = std::get_if<double>(&v)) return *d;
        if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    }
    return 0;
}

response overview(exchange& x) {
    const auto& c = x.c;
    const auto list = indicator_progress_of(x.r, "");
    std::string h = fmt::format("<p><a class=\"button\" href=\"/indicadores/nuevo\">{}</a></p>",
                                c.t("Registrar indicador", "Record indicator"));
    if (list.empty()) return x.page(http::status::ok, c.t("Indicadores y seguimiento", "Indicators and monitoring"),
                                    "seguimiento", h + notice("ok", c.t("Todavía no hay indicadores.", "No indicators yet.")));
    h += fmt::format("<table class=\"list\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
                     "<th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                     c.t("Indicador", "Indicator"), c.t("Línea base", "Baseline"), c.t("Meta", "Target"),
                     c.t("Valor", "Value"), c.t("Observaciones", "Observations"), c.t("Avance", "Progress"));
    for (const auto& p : list)
        h += fmt::format("<tr><td><a href=\"/seguimiento/{}\">{}</a> ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                         esc(p.id), esc(p.title), esc(p.unit), opt_number(p.baseline), opt_number(p.target),
                         opt_number(p.value), p.observations, progress_cell(p));
    h += "</tbody></table>";
    return x.page(http::status::ok, c.t("Indicadores y seguimiento", "Indicators and monitoring"), "seguimiento", h);
}

response indicator_page(exchange& x, const record& ind, std::optional<error> obs_err, form obs_values,
                        std::optional<error> period_err, form period_values) {
    const auto& c = x.c;
    entity_service svc(x.r);
    const auto& obs_spec = *find_entity("observation");
    const auto& period_spec = *find_entity("period");
    std::string h;
    if (x.query.has("hecho")) h += notice("ok", c.t("Guardado. Se enviará en la próxima sincronización.", "Saved. It goes with the next sync."));
    std::optional<indicator_progress> prog;
    for (auto& p : indicator_progress_of(x.r, text_of(ind, "project_id")))
        if (p.id == ind.id) prog = p;
    if (prog)
        h += fmt::format("<dl class=\"status\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd id=\"valor-indicador\" "
                         "data-valor=\"{}\">{} {}</dd><dt>{}</dt><dd>{}</dd></dl>",
                         c.t("Línea base", "Baseline"), opt_number(prog->baseline), c.t("Meta", "Target"),
                         opt_number(prog->target), c.t("Valor actual", "Current value"), opt_number(prog->value),
                         opt_number(prog->value), esc(prog->unit), c.t("Avance", "Progress"), progress_cell(*prog));
    const auto observations = svc.list(obs_spec, list_filter{ind.id, desk_tuning::max_list_rows});
    const auto periods = svc.list(period_spec, list_filter{ind.id, desk_tuning::max_list_rows});
    h += fmt::format("<h2>{}</h2>", c.t("Períodos", "Periods"));
    if (!periods.empty()) {
        h += fmt::format("<table class=\"list\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
                         "<th scope=\"col\">{}</th></tr></thead><tbody>",
                         c.t("Desde", "From"), c.t("Hasta", "To"), c.t("Meta del período", "Period target"),
                         c.t("Observado (suma)", "Observed (sum)"));
        for (const auto& p : periods) {
            const auto from = text_of(p, "period_start"), to = text_of(p, "period_end");
            double sum = 0;
            for (const auto& o : observations) {
                const auto on = text_of(o, "observed_on");
                if (on >= from && on <= to) sum += number_of(o, "value");
            }
            h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(from), esc(to),
                             esc(text_of(p, "target_value")), format_number(sum));
        }
        h += "</tbody></table>";
    }
    form_view pv{&period_spec, std::move(period_values), std::move(period_err),
                 fmt::format("/seguimiento/{}/periodo", ind.id), "Agregar período", "Add period",
                 {"indicator"}, {"start", "end", "target"}};
    if (value_in(pv.values, "indicator").empty()) pv.values.emplace_back("indicator", ind.id);
    h += fmt::format("<details{}><summary>{}</summary>{}</details>", pv.err ? " open" : "",
                     c.t("Agregar un período de reporte", "Add a reporting period"), render_form(c, svc, pv));
    h += fmt::format("<h2 id=\"observar\">{}</h2>", c.t("Registrar una observación", "Record an observation"));
    form_view ov{&obs_spec, std::move(obs_values), std::move(obs_err), fmt::format("/seguimiento/{}/observacion", ind.id),
                 "Guardar observación", "Save observation", {"indicator"},
                 {"date", "value", "period", "territory", "sex", "collected-by", "note"}};
    if (value_in(ov.values, "indicator").empty()) ov.values.emplace_back("indicator", ind.id);
    h += render_form(c, svc, ov);
    h += fmt::format("<h2>{}</h2>", c.t("Observaciones", "Observations"));
    h += fmt::format("<table class=\"list\" id=\"observaciones\" data-filas=\"{}\"><thead><tr><th scope=\"col\">{}</th>"
                     "<th scope=\"col\">{}</th></tr></thead><tbody>",
                     observations.size(), c.t("Fecha", "Date"), c.t("Valor", "Value"));
    for (const auto& o : observations)
        h += fmt::format("<tr><td><a href=\"/observaciones/{}\">{}</a></td><td>{}</td></tr>", esc(o.id),
                         esc(text_of(o, "observed_on")), esc(text_of(o, "value")));
    h += "</tbody></table>";
    const bool bad = obs_err || period_err;
    return x.page(bad ? http::status::unprocessable_entity : http::status::ok,
                  fmt::format("{}: {}", c.t("Indicador", "Indicator"), text_of(ind, "title")), "seguimiento", h);
}

}  // namespace

std::optional<response> monitor_routes(exchange& x, std::string_view path) {
    if (path == "/seguimiento" && !x.post) return overview(x);
    if (path.rfind("/seguimiento/", 0) != 0) return std::nullopt;
    std::string_view rest = path.substr(13);
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
    entity_service svc(x.r);
    auto ind = svc.get(*find_entity("indicator"), id);
    if (!ind) return x.not_found();
    if (!x.post && action.empty()) return indicator_page(x, *ind, std::nullopt, {}, std::nullopt, {});
    if (!x.post || (action != "observacion" && action != "periodo")) return x.not_found();
    if (auto busy = x.refuse_while_syncing()) return busy;
    const auto& spec = *find_entity(action == "observacion" ? "observation" : "period");
    auto f = form_from_post(spec, x.posted);
    for (auto& [k, v] : f)
        if (k == "indicator") v = ind->id;  // the page's indicator, whatever was posted
    if (value_in(f, "indicator").empty()) f.emplace_back("indicator", ind->id);
    auto w = svc.add(spec, f);
    if (!w) {
        if (action == "observacion") return indicator_page(x, *ind, w.err(), f, std::nullopt, {});
        return indicator_page(x, *ind, std::nullopt, {}, w.err(), f);
    }
    return redirect(x.req, fmt::format("/seguimiento/{}?hecho=1", ind->id));
}

}  // namespace minga::client::desk
