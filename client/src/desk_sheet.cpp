// The printable project sheet: one page to take to a meeting (print CSS hides the navigation).
#include "desk_routes.hpp"

#include <minga/shared/desk_query.hpp>

#include <fmt/format.h>

namespace minga::client::desk {

namespace {

std::string names_of(const std::vector<std::string>& codes, const std::vector<desk_choice>& choices) {
    std::string out;
    for (const auto& v : codes) {
        const auto code = v.substr(0, v.find(':'));
        std::string name = code;
        for (const auto& ch : choices)
            if (ch.code == code) name = ch.code + " · " + ch.name;
        out += fmt::format("<li>{}</li>", esc(name));
    }
    return out.empty() ? "<li>—</li>" : out;
}

}  // namespace

std::optional<response> sheet_routes(exchange& x, std::string_view path) {
    if (x.post || path.rfind("/proyectos/", 0) != 0 || !path.ends_with("/ficha")) return std::nullopt;
    const std::string id(path.substr(11, path.size() - 11 - 6));
    const auto& c = x.c;
    entity_service svc(x.r);
    const auto& e = *find_entity("project");
    auto rec = svc.get(e, id);
    if (!rec) return x.not_found();
    const auto f = svc.form_of(e, *rec);
    auto all = [&](std::string_view opt) {
        std::vector<std::string> v;
        for (const auto& [k, val] : f)
            if (k == opt) v.push_back(val);
        return v;
    };
    std::string h = "<article class=\"sheet\">";
    h += fmt::format("<p class=\"no-print\"><button type=\"button\" data-imprimir>{}</button></p>",
                     c.t("Imprimir", "Print"));
    h += "<dl class=\"record\">";
    for (const auto* opt : {"code", "modality", "source", "agreement", "planned-start", "planned-end", "currency",
                            "pdot", "beneficiaries", "description", "objectives", "target-groups"}) {
        const auto v = value_in(f, opt);
        if (v.empty()) continue;
        const auto* fs = find_field(e, opt);
        h += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(c.en() ? fs->label_en : fs->label_es), esc(v));
    }
    h += "</dl>";
    h += fmt::format("<h2>{}</h2><ul>{}</ul>", c.t("ODS", "SDGs"), names_of(all("sdg"), sdg_choices(x.r, c.lang)));
    h += fmt::format("<h2>{}</h2><ul>{}</ul>", c.t("Ubicaciones", "Locations"), names_of(all("location"), parish_choices(x.r)));
    h += fmt::format("<h2>{}</h2><table class=\"list\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
                     "<th scope=\"col\">{}</th></tr></thead><tbody>",
                     c.t("Presupuesto", "Budget"), c.t("Desde", "From"), c.t("Hasta", "To"), c.t("Monto", "Amount"));
    for (const auto& b : all("budget")) {
        const auto a = b.find(':'), z = b.find(':', a + 1);
        h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", esc(b.substr(0, a)), esc(b.substr(a + 1, z - a - 1)),
                         esc(b.substr(z + 1)));
    }
    h += "</tbody></table>";
    h += fmt::format("<h2>{}</h2><table class=\"list\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
                     "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                     c.t("Indicadores", "Indicators"), c.t("Indicador", "Indicator"), c.t("Meta", "Target"),
                     c.t("Valor", "Value"), c.t("Avance", "Progress"));
    for (const auto& p : indicator_progress_of(x.r, rec->id))
        h += fmt::format("<tr><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(p.title), esc(p.unit),
                         p.target ? format_number(*p.target) : "—", p.value ? format_number(*p.value) : "—",
                         p.percent ? fmt::format("{:.0f} %", *p.percent) : "—");
    h += "</tbody></table></article>";
    return x.page(http::status::ok, value_in(f, "title"), "proyectos", h);
}

}  // namespace minga::client::desk
