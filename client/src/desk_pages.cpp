// Home, offers, conflicts and sync pages of the desk.
#include "desk_routes.hpp"
#include "desk_tuning.hpp"
#include "sync_text.hpp"

#include <minga/shared/conflicts.hpp>
#include <minga/shared/desk_query.hpp>
#include <minga/shared/offer_search.hpp>
#include <minga/shared/time_text.hpp>

#include <fmt/format.h>

namespace minga::client::desk {

namespace {

std::string sync_summary(const page_ctx& c, const sync_state& s) {
    if (s.running) return notice("ok", c.en() ? s.progress_en : s.progress_es);
    if (!s.finished) return {};
    if (!s.ok && s.failure)
        return notice("error", std::string(c.t("La sincronización no terminó: ", "The sync did not finish: ")) +
                                   (c.en() ? s.failure->en : s.failure->es));
    return notice("ok", fmt::format("{}: {} {}, {} {}, {} {}.", c.t("Sincronización completa", "Sync complete"),
                                    group_digits(s.report.pushed, c.en()), c.t("cambio(s) enviado(s)", "change(s) sent"),
                                    group_digits(s.report.pulled, c.en()), c.t("fila(s) recibida(s)", "row(s) received"),
                                    s.report.conflicts, c.t("conflicto(s) nuevo(s)", "new conflict(s)")));
}

}  // namespace

response home_page(exchange& x) {
    const auto& c = x.c;
    const auto pending = x.r.changes().pending_count();
    const auto last = x.r.meta("last_sync_ms");
    const auto link = stored_link(x.r);
    const auto conflicts = list_conflicts(x.r);
    std::string h = "<dl class=\"status\">";
    h += fmt::format("<dt>GAD</dt><dd>{}</dd>", esc(x.r.gad()));
    h += fmt::format("<dt>{}</dt><dd id=\"pendientes\" data-valor=\"{}\">{}</dd>",
                     c.t("Cambios pendientes de enviar", "Changes waiting to be sent"), pending,
                     group_digits(static_cast<std::uint64_t>(pending), c.en()));
    h += fmt::format("<dt>{}</dt><dd id=\"ultima-sincronizacion\">{}</dd>", c.t("Última sincronización", "Last sync"),
                     last ? minutes_utc(std::stoll(*last)) : std::string(c.t("nunca", "never")));
    h += fmt::format("<dt>{}</dt><dd id=\"enlace\">{}</dd>", c.t("Servidor", "Server"),
                     link.server_url.empty() ? std::string(c.t("sin inscribir", "not enrolled")) : esc(link.server_url));
    h += "</dl>";
    h += sync_summary(c, x.sync.state());
    std::string warn;
    if (link.server_url.empty())
        warn += notice("warn", c.t("Este dispositivo no está inscrito en un servidor: sus cambios se guardan aquí y se "
                                   "enviarán después de `minga enroll`.",
                                   "This device is not enrolled with a server: changes are kept here and go after "
                                   "`minga enroll`."));
    else if (link.server_url.rfind("http://", 0) == 0)
        warn += notice("warn", c.t("El enlace con el servidor no está cifrado (http://).",
                                   "The link to the server is not encrypted (http://)."));
    if (!conflicts.empty())
        warn += fmt::format("<div class=\"notice warn\">{} <a href=\"/conflictos\">{}</a></div>",
                            fmt::format("{} {}", conflicts.size(), c.t("conflicto(s) por revisar.", "conflict(s) to review.")),
                            c.t("Revisar conflictos", "Review conflicts"));
    if (!warn.empty()) h += fmt::format("<h2>{}</h2>", c.t("Avisos", "Warnings")) + warn;
    h += fmt::format("<p class=\"actions\"><a class=\"button\" href=\"/sincronizar\">{}</a> "
                     "<a class=\"button\" href=\"/proyectos/nuevo\">{}</a> <a class=\"button\" href=\"/seguimiento\">{}</a></p>",
                     c.t("Sincronizar", "Sync"), c.t("Registrar proyecto", "Record project"),
                     c.t("Registrar observaciones", "Record observations"));
    return x.page(http::status::ok, c.t("Inicio", "Home"), "inicio", h);
}

std::optional<response> offer_routes(exchange& x, std::string_view path) {
    const auto& c = x.c;
    if (path.rfind("/ofertas/", 0) == 0 && !x.post) {
        entity_service svc(x.r);
        const auto& e = *find_entity("offer");
        auto rec = svc.get(e, path.substr(9));
        if (!rec) return x.not_found();
        std::string h = "<dl class=\"record\">";
        for (const auto& [opt, v] : svc.form_of(e, *rec)) {
            const auto* fs = find_field(e, opt);
            h += fmt::format("<dt>{}</dt><dd>{}</dd>", esc(fs ? (c.en() ? fs->label_en : fs->label_es) : opt), esc(v));
        }
        h += "</dl>";
        h += fmt::format("<p><a class=\"button\" href=\"/convenios/nuevo?offer={}\">{}</a></p>", esc(rec->id),
                         c.t("Registrar un convenio de esta oferta", "Record an agreement from this offer"));
        return x.page(http::status::ok, value_in(svc.form_of(e, *rec), "title"), "ofertas", h);
    }
    if (path != "/ofertas" || x.post) return std::nullopt;
    offer_filter f;
    f.text = x.query.get("q");
    f.source = x.query.get("fuente");
    f.modality = x.query.get("modalidad");
    f.sdg = x.query.get("ods");
    f.closes_after = x.query.get("cierre");
    f.limit = desk_tuning::max_offer_hits;
    auto select = [&](std::string_view name, std::string_view label, const std::vector<desk_choice>& ch,
                      const std::string& cur) {
        std::string h = fmt::format("<div class=\"field\"><label for=\"o-{0}\">{1}</label><select id=\"o-{0}\" name=\"{0}\">"
                                    "<option value=\"\">{2}</option>", name, label, c.t("todas", "all"));
        for (const auto& o : ch)
            h += fmt::format("<option value=\"{}\"{}>{}</option>", esc(o.code), o.code == cur ? " selected" : "",
                             esc(o.code + " · " + o.name));
        return h + "</select></div>";
    };
    std::string h = "<form method=\"get\" action=\"/ofertas\" class=\"search\" role=\"search\">";
    h += fmt::format("<div class=\"field\"><label for=\"o-q\">{}</label><input type=\"search\" id=\"o-q\" name=\"q\" value=\"{}\"></div>",
                     c.t("Palabras", "Words"), esc(f.text));
    h += select("fuente", c.t("Fuente", "Source"), codelist_choices(x.r, "cinr.fuente", c.lang), f.source);
    h += select("modalidad", c.t("Modalidad", "Modality"), codelist_choices(x.r, "cinr.modalidad", c.lang), f.modality);
    h += select("ods", c.t("ODS", "SDG"), sdg_choices(x.r, c.lang), f.sdg);
    h += fmt::format("<div class=\"field\"><label for=\"o-cierre\">{}</label><input type=\"date\" id=\"o-cierre\" "
                     "name=\"cierre\" value=\"{}\"></div>",
                     c.t("Abiertas al menos hasta", "Still open on"), esc(f.closes_after));
    h += fmt::format("<p class=\"actions\"><button type=\"submit\">{}</button></p></form>", c.t("Buscar", "Search"));
    const auto hits = find_offers(x.r, f);
    h += fmt::format("<p id=\"ofertas-encontradas\" data-valor=\"{}\">{} {}</p>", hits.size(), hits.size(),
                     c.t("oferta(s)", "offer(s)"));
    if (!hits.empty()) {
        h += fmt::format("<table class=\"list\"><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>"
                         "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                         c.t("Oferta", "Offer"), c.t("Cooperante", "Cooperant"), c.t("Modalidad", "Modality"),
                         c.t("Cierre", "Deadline"));
        for (const auto& o : hits)
            h += fmt::format("<tr><td><a href=\"/ofertas/{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>", esc(o.id),
                             esc(o.title), esc(o.cooperant), esc(o.modality),
                             o.closes_on.empty() ? std::string(c.t("permanente", "open")) : esc(o.closes_on));
        h += "</tbody></table>";
    }
    return x.page(http::status::ok, c.t("Ofertas de cooperación", "Cooperation offers"), "ofertas", h);
}

std::optional<response> conflict_routes(exchange& x, std::string_view path) {
    const auto& c = x.c;
    if (x.post && path.rfind("/conflictos/", 0) == 0) {
        if (auto busy = x.refuse_while_syncing()) return busy;
        const auto keep = x.posted.get("conservar");
        if (keep != "mio" && keep != "otro") return x.not_found();
        auto done = resolve_conflict(x.r, path.substr(12), keep == "mio");
        if (!done)
            return x.page(http::status::unprocessable_entity, c.t("Conflictos", "Conflicts"), "conflictos",
                          notice("error", c.en() ? done.err().en : done.err().es));
        return redirect(x.req, "/conflictos?hecho=1");
    }
    if (path != "/conflictos" || x.post) return std::nullopt;
    std::string h;
    if (x.query.has("hecho"))
        h += notice("ok", c.t("Conflicto resuelto; la decisión se enviará en la próxima sincronización.",
                              "Conflict resolved; the decision goes with the next sync."));
    const auto list = list_conflicts(x.r);
    h += fmt::format("<p id=\"conflictos-abiertos\" data-valor=\"{}\">{} {}</p>", list.size(), list.size(),
                     c.t("conflicto(s) abierto(s)", "open conflict(s)"));
    for (const auto& k : list) {
        const auto mine = k.mine_lost ? k.loser_value : k.winner_value;
        const auto theirs = k.mine_lost ? k.winner_value : k.loser_value;
        h += fmt::format("<section class=\"conflict\" aria-labelledby=\"c-{0}\"><h2 id=\"c-{0}\">{1} · {2}</h2>"
                         "<p>{3} <code>{4}</code></p><table class=\"list\"><tbody>"
                         "<tr><th scope=\"row\">{5}</th><td class=\"mine\">{6}</td></tr>"
                         "<tr><th scope=\"row\">{7}</th><td class=\"theirs\">{8}</td></tr></tbody></table>",
                         esc(k.id), esc(k.table), esc(k.column), c.t("Registro", "Record"), esc(k.row_id),
                         c.t("Su valor (este dispositivo)", "Your value (this device)"), esc(mine),
                         c.t("Valor del otro dispositivo", "The other device's value"), esc(theirs));
        h += fmt::format("<form method=\"post\" action=\"/conflictos/{}\">{}<button type=\"submit\" name=\"conservar\" "
                         "value=\"mio\">{}</button> <button type=\"submit\" name=\"conservar\" value=\"otro\">{}</button>"
                         "</form></section>",
                         esc(k.id), token_input(c), c.t("Conservar el mío", "Keep mine"),
                         c.t("Conservar el del otro", "Keep theirs"));
    }
    return x.page(http::status::ok, c.t("Conflictos", "Conflicts"), "conflictos", h);
}

std::optional<response> sync_routes(exchange& x, std::string_view path) {
    if (path != "/sincronizar") return std::nullopt;
    const auto& c = x.c;
    if (x.post) {
        (void)x.sync.start();  // a second press while one runs just shows the running one
        return redirect(x.req, "/sincronizar");
    }
    const auto s = x.sync.state();
    std::string h = fmt::format("<p>{} <strong id=\"pendientes\" data-valor=\"{}\">{}</strong></p>",
                                c.t("Cambios pendientes de enviar:", "Changes waiting to be sent:"),
                                x.r.changes().pending_count(), x.r.changes().pending_count());
    h += fmt::format("<div id=\"estado-sincronizacion\" data-estado=\"{}\" aria-live=\"polite\">{}</div>",
                     s.running ? "en_curso" : !s.finished ? "inactivo" : s.ok ? "completa" : "fallida", sync_summary(c, s));
    if (s.finished)
        h += fmt::format("<dl class=\"status\"><dt>{}</dt><dd id=\"enviados\" data-valor=\"{}\">{}</dd><dt>{}</dt>"
                         "<dd id=\"recibidos\" data-valor=\"{}\">{}</dd><dt>{}</dt><dd>{}</dd></dl>",
                         c.t("Enviados", "Sent"), s.report.pushed, group_digits(s.report.pushed, c.en()),
                         c.t("Recibidos", "Received"), s.report.pulled, group_digits(s.report.pulled, c.en()),
                         c.t("Solicitudes (reintentos)", "Requests (retries)"),
                         fmt::format("{} ({})", s.report.requests, s.report.retries));
    if (s.running) h += fmt::format("<p><progress aria-label=\"{}\"></progress></p>", c.t("Avance", "Progress"));
    else
        h += fmt::format("<form method=\"post\" action=\"/sincronizar\">{}<button type=\"submit\" id=\"sincronizar\">{}</button></form>",
                         token_input(c), c.t("Sincronizar ahora", "Sync now"));
    return x.page(http::status::ok, c.t("Sincronizar", "Sync"), "sincronizar", h, s.running ? 1 : 0);
}

}  // namespace minga::client::desk
