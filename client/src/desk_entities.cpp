// The record pages of every kind staff write (agreements, projects, indicators...): list,
// new, create, show, edit, update, delete; forms and validation from the entity specs.
#include "desk_routes.hpp"
#include "desk_tuning.hpp"

#include <fmt/format.h>

namespace minga::client::desk {

namespace {

struct kind_page {
    std::string_view kind, slug, plural_es, plural_en;
};

constexpr kind_page kind_pages[] = {
    {"agreement", "convenios", "Convenios", "Agreements"},
    {"project", "proyectos", "Proyectos", "Projects"},
    {"indicator", "indicadores", "Indicadores", "Indicators"},
    {"observation", "observaciones", "Observaciones", "Observations"},
    {"period", "periodos", "Períodos de reporte", "Reporting periods"},
    {"monitoring", "informes", "Informes de seguimiento", "Monitoring reports"},
    {"practice", "practicas", "Buenas prácticas", "Good practices"},
    {"demand", "demandas", "Demandas", "Demands"},
    {"result", "resultados", "Resultados", "Results"},
    {"transaction", "transacciones", "Transacciones", "Transactions"},
};

/// Which navigation entry a kind's pages belong to.
std::string_view nav_of(std::string_view slug) {
    if (slug == "indicadores" || slug == "observaciones" || slug == "periodos" || slug == "informes")
        return "seguimiento";
    if (slug == "resultados" || slug == "transacciones") return "proyectos";
    return slug;
}

std::string cell(const sql::value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&v)) return format_number(*d);
    return {};
}

std::string label_of(const page_ctx& c, const entity_spec& e, std::string_view column) {
    for (const auto& fs : e.fields)
        if (fs.column == column) return std::string(c.en() ? fs.label_en : fs.label_es);
    return std::string(column);
}

std::string title_of(const entity_spec& e, const record& rec) {
    for (const auto& [k, v] : rec.fields)
        if ((k == "title" || k == "name") && std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
    return std::string(e.label_es) + " " + rec.id.substr(0, 8);
}

response list_page(exchange& x, const kind_page& k, const entity_spec& e) {
    entity_service svc(x.r);
    const auto rows = svc.list(e, list_filter{"", desk_tuning::max_list_rows});
    std::string h;
    if (e.writable)
        h += fmt::format("<p><a class=\"button\" href=\"/{}/nuevo\">{} {}</a></p>", k.slug, x.c.t("Registrar", "Record"),
                         esc(x.c.en() ? e.label_en : e.label_es));
    if (rows.empty()) {
        h += notice("ok", x.c.t("Todavía no hay registros.", "No records yet."));
        return x.page(http::status::ok, x.c.en() ? k.plural_en : k.plural_es, nav_of(k.slug), h);
    }
    h += "<table class=\"list\"><thead><tr>";
    for (const auto& [col, v] : rows.front().fields) h += fmt::format("<th scope=\"col\">{}</th>", esc(label_of(x.c, e, col)));
    h += "</tr></thead><tbody>";
    for (const auto& rec : rows) {
        h += "<tr>";
        bool first = true;
        for (const auto& [col, v] : rec.fields) {
            auto text = cell(v);
            if (col.size() > 3 && col.ends_with("_id") && text.size() > 8) text = text.substr(0, 8);
            if (first) h += fmt::format("<td><a href=\"/{}/{}\">{}</a></td>", k.slug, esc(rec.id), esc(text.empty() ? rec.id : text));
            else h += fmt::format("<td>{}</td>", esc(text));
            first = false;
        }
        h += "</tr>";
    }
    h += "</tbody></table>";
    return x.page(http::status::ok, x.c.en() ? k.plural_en : k.plural_es, nav_of(k.slug), h);
}

response form_page(exchange& x, const kind_page& k, const entity_spec& e, form values, std::optional<error> err,
                   const std::string& id) {
    entity_service svc(x.r);
    form_view v;
    v.spec = &e;
    v.values = std::move(values);
    v.err = std::move(err);
    v.action = id.empty() ? fmt::format("/{}", k.slug) : fmt::format("/{}/{}", k.slug, id);
    v.submit_es = "Guardar";
    v.submit_en = "Save";
    const auto title = fmt::format("{} {}", id.empty() ? x.c.t("Registrar", "Record") : x.c.t("Modificar", "Edit"),
                                   x.c.en() ? e.label_en : e.label_es);
    const auto st = v.err ? http::status::unprocessable_entity : http::status::ok;
    return x.page(st, title, nav_of(k.slug), render_form(x.c, svc, v));
}

response show_page(exchange& x, const kind_page& k, const entity_spec& e, const record& rec) {
    entity_service svc(x.r);
    const auto f = svc.form_of(e, rec);
    std::string h;
    if (auto ok = x.query.get("hecho"); !ok.empty())
        h += notice("ok", ok == "creado" ? x.c.t("Registrado. Se enviará en la próxima sincronización.",
                                                   "Recorded. It goes with the next sync.")
                                         : x.c.t("Guardado. Se enviará en la próxima sincronización.",
                                                 "Saved. It goes with the next sync."));
    h += "<dl class=\"record\">";
    h += fmt::format("<dt>{}</dt><dd><code>{}</code></dd>", x.c.t("Identificador", "Identifier"), esc(rec.id));
    for (const auto& fs : e.fields) {
        std::string text;
        for (const auto& [opt, v] : f)
            if (opt == fs.option) text += (text.empty() ? "" : "; ") + v;
        if (text.empty()) continue;
        h += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(x.c.en() ? fs.label_en : fs.label_es), esc(text));
    }
    h += "</dl>";
    if (e.writable) {
        h += fmt::format("<p class=\"actions\"><a class=\"button\" href=\"/{}/{}/editar\">{}</a>", k.slug, esc(rec.id),
                         x.c.t("Modificar", "Edit"));
        if (e.kind == "project") {
            h += fmt::format(" <a class=\"button\" href=\"/proyectos/{0}/ficha\">{1}</a>"
                             " <a class=\"button\" href=\"/indicadores/nuevo?project={0}\">{2}</a>",
                             esc(rec.id), x.c.t("Ficha para imprimir", "Printable sheet"),
                             x.c.t("Agregar indicador", "Add indicator"));
        }
        if (e.kind == "indicator")
            h += fmt::format(" <a class=\"button\" href=\"/seguimiento/{}\">{}</a>", esc(rec.id),
                             x.c.t("Seguimiento y observaciones", "Monitoring and observations"));
        h += "</p>";
        h += fmt::format("<form method=\"post\" action=\"/{}/{}/eliminar\" class=\"danger\" data-confirmar=\"{}\">{}"
                         "<button type=\"submit\">{}</button></form>",
                         k.slug, esc(rec.id), x.c.t("¿Eliminar este registro?", "Delete this record?"), token_input(x.c),
                         x.c.t("Eliminar", "Delete"));
    }
    return x.page(http::status::ok, title_of(e, rec), nav_of(k.slug), h);
}

}  // namespace

std::string_view slug_of(std::string_view kind) {
    for (const auto& k : kind_pages)
        if (k.kind == kind) return k.slug;
    return {};
}

std::optional<response> entity_routes(exchange& x, std::string_view path) {
    for (const auto& k : kind_pages) {
        const std::string base = "/" + std::string(k.slug);
        if (path != base && path.rfind(base + "/", 0) != 0) continue;
        const entity_spec& e = *find_entity(k.kind);
        std::string_view rest = path.substr(base.size());
        if (!rest.empty()) rest.remove_prefix(1);
        entity_service svc(x.r);
        if (rest.empty() && !x.post) return list_page(x, k, e);
        if (rest == "nuevo" && !x.post) {
            form prefill;
            for (const auto& [name, v] : x.query.items)
                if (find_field(e, name)) prefill.emplace_back(name, v);
            return form_page(x, k, e, prefill, std::nullopt, "");
        }
        if (rest.empty() && x.post) {
            if (auto busy = x.refuse_while_syncing()) return busy;
            const auto f = form_from_post(e, x.posted);
            auto w = svc.add(e, f);
            if (!w) return form_page(x, k, e, f, w.err(), "");
            return redirect(x.req, fmt::format("/{}/{}?hecho=creado", k.slug, w->id));
        }
        const auto slash = rest.find('/');
        const std::string id(rest.substr(0, slash));
        const std::string_view action = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
        auto rec = svc.get(e, id);
        if (!rec) return x.not_found();
        if (action.empty() && !x.post) return show_page(x, k, e, *rec);
        if (action == "editar" && !x.post) return form_page(x, k, e, svc.form_of(e, *rec), std::nullopt, rec->id);
        if (action.empty() && x.post) {
            if (auto busy = x.refuse_while_syncing()) return busy;
            const auto posted = form_from_post(e, x.posted);
            const auto changes = changed_fields(e, posted, svc.form_of(e, *rec));
            if (!changes.empty()) {
                auto w = svc.update(e, rec->id, changes);
                if (!w) return form_page(x, k, e, posted, w.err(), rec->id);
            }
            return redirect(x.req, fmt::format("/{}/{}?hecho=guardado", k.slug, rec->id));
        }
        if (action == "eliminar" && x.post) {
            if (auto busy = x.refuse_while_syncing()) return busy;
            auto removed = svc.remove(e, rec->id);
            if (!removed) {
                auto res = show_page(x, k, e, *rec);
                res.result(http::status::conflict);
                res.body() = layout(x.c, title_of(e, *rec), nav_of(k.slug),
                                    notice("error", x.c.en() ? removed.err().en : removed.err().es));
                res.prepare_payload();
                return res;
            }
            return redirect(x.req, "/" + std::string(k.slug));
        }
        return x.not_found();
    }
    return std::nullopt;
}

}  // namespace minga::client::desk
