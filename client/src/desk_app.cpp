// The desk's front door: security checks, sign-in, assets, language, then the pages.
#include "desk_app.hpp"
#include "desk_assets.hpp"
#include "desk_routes.hpp"

#include <minga/shared/ids.hpp>

#include <fmt/format.h>

namespace minga::client::desk {

namespace {

constexpr std::string_view lang_cookie = "minga_idioma";

response refused(const request& req, http::status st, std::string_view es, std::string_view en) {
    // A bare page: no navigation, no token (the request may come from another site).
    auto body = fmt::format("<!doctype html>\n<html lang=\"es\"><head><meta charset=\"utf-8\"><title>minga</title>"
                            "</head><body><main><h1>{}</h1><p lang=\"en\">{}</p></main></body></html>\n",
                            esc(es), esc(en));
    return make_response(req, st, std::move(body));
}

std::string_view why(refusal r) {
    switch (r) {
        case refusal::bad_host: return "host";
        case refusal::bad_origin: return "origin";
        case refusal::no_session: return "session";
        case refusal::bad_token: return "token";
        case refusal::none: break;
    }
    return "";
}

}  // namespace

response exchange::not_found() const {
    return page(http::status::not_found, c.t("No encontrado", "Not found"), "",
                notice("warn", c.t("Esta página o este registro no existe (o no es de su GAD).",
                                   "This page or record does not exist (or is not your GAD's).")));
}

std::optional<response> exchange::refuse_while_syncing() const {
    if (!sync.state().running) return std::nullopt;
    return page(http::status::conflict, c.t("Sincronización en curso", "Sync in progress"), "sincronizar",
                notice("warn", c.t("Espere a que termine la sincronización y envíe el formulario otra vez; "
                                   "no se guardó nada.",
                                   "Wait until the sync ends and send the form again; nothing was saved.")));
}

std::string desk_app::sign_in_path() const { return "/entrar?clave=" + secrets_.session; }

response desk_app::handle(const request& req) {
    try {
        return route(req);
    } catch (const std::exception& e) {
        // A broken local database or a bug: the page says what broke; nothing half-written
        // (every write is one transaction).
        return refused(req, http::status::internal_server_error,
                       std::string("Fallo local del escritorio: ") + e.what(),
                       std::string("Local failure of the desk: ") + e.what());
    }
}

response desk_app::route(const request& req) {
    if (auto r = check_origin(secrets_, req); r != refusal::none) {
        auto res = refused(req, http::status::forbidden,
                           "Solicitud rechazada: no viene de este escritorio (" + std::string(why(r)) + ").",
                           "Request refused: it does not come from this desk.");
        return res;
    }
    const std::string target(req.target());
    const std::string path(target_path(target));
    auto query = parse_urlencoded(target_query(target));
    if (!query) return refused(req, http::status::bad_request, query.err().es, query.err().en);

    if (req.method() == http::verb::get && path.rfind("/recursos/", 0) == 0) {
        auto a = find_asset(std::string_view(path).substr(10));
        if (!a) return refused(req, http::status::not_found, "No existe.", "Not found.");
        return make_response(req, http::status::ok, std::string(a->body), a->content_type);
    }
    if (req.method() == http::verb::get && path == "/entrar") {
        if (!same_secret(query->get("clave"), secrets_.session))
            return refused(req, http::status::forbidden,
                           "Clave incorrecta: abra el enlace que imprimió `minga desk` en la terminal.",
                           "Wrong key: open the link that `minga desk` printed in the terminal.");
        auto res = redirect(req, "/");
        res.set(http::field::set_cookie, fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", session_cookie,
                                                     secrets_.session));
        return res;
    }
    if (!has_session(secrets_, req))
        return refused(req, http::status::forbidden,
                       "Sin sesión: abra el enlace que imprimió `minga desk` en la terminal.",
                       "No session: open the link that `minga desk` printed in the terminal.");
    const bool post = req.method() == http::verb::post;
    if (!post && req.method() != http::verb::get && req.method() != http::verb::head)
        return refused(req, http::status::method_not_allowed, "Método no permitido.", "Method not allowed.");
    form_data posted;
    if (post) {
        auto body = parse_urlencoded(req.body());
        if (!body) return refused(req, http::status::bad_request, body.err().es, body.err().en);
        posted = std::move(*body);
        if (auto r = check_post(secrets_, req, posted); r != refusal::none)
            return refused(req, http::status::forbidden,
                           "Solicitud rechazada: falta la clave de este escritorio (" + std::string(why(r)) +
                               "). No se guardó nada.",
                           "Request refused: this desk's key is missing. Nothing was saved.");
    }
    std::string lang = cookie_of(req, lang_cookie) == "en" ? "en" : "es";
    if (post && path == "/idioma") {
        const auto to = posted.get("idioma") == "en" ? "en" : "es";
        auto back = posted.get("volver");
        if (back.empty() || back[0] != '/' || back.rfind("//", 0) == 0) back = "/";
        auto res = redirect(req, back);
        res.set(http::field::set_cookie, fmt::format("{}={}; Path=/; SameSite=Strict", lang_cookie, to));
        return res;
    }
    auto r = replica::open(dir_);
    if (!r) return refused(req, http::status::internal_server_error, r.err().es, r.err().en);
    exchange x{req, page_ctx{lang, secrets_, path}, std::move(*query), std::move(posted), post, *r, sync_};
    if (path == "/" && !post) return home_page(x);
    for (auto* routes : {&offer_routes, &conflict_routes, &sync_routes, &monitor_routes, &sheet_routes,
                         &entity_routes}) {
        if (auto res = (*routes)(x, path)) return std::move(*res);
    }
    return x.not_found();
}

}  // namespace minga::client::desk
