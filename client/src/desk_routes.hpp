#pragma once
// The desk's pages, one function per page family. Private to the desk (desk_app dispatches).
#include "desk_forms.hpp"
#include "desk_sync.hpp"

#include <minga/shared/replica.hpp>

#include <optional>

namespace minga::client::desk {

/// One request on its way through the pages: already past the security checks.
struct exchange {
    const request& req;
    page_ctx c;
    form_data query;
    form_data posted;  ///< the urlencoded body of a POST (empty for GET)
    bool post = false;
    replica& r;
    desk_sync& sync;

    /// A whole page as a response.
    [[nodiscard]] response page(http::status st, std::string_view title, std::string_view nav,
                                const std::string& body, int refresh_s = 0) const {
        return make_response(req, st, layout(c, title, nav, body, refresh_s));
    }
    [[nodiscard]] response not_found() const;
    /// 409 while a sync runs: writes wait until it ends (one writer at a time).
    [[nodiscard]] std::optional<response> refuse_while_syncing() const;
};

/// "/" : pending changes, last sync, link, warnings.
[[nodiscard]] response home_page(exchange& x);
/// "/ofertas" and "/ofertas/ID".
[[nodiscard]] std::optional<response> offer_routes(exchange& x, std::string_view path);
/// "/conflictos" and "POST /conflictos/ID".
[[nodiscard]] std::optional<response> conflict_routes(exchange& x, std::string_view path);
/// "/sincronizar" and its POST.
[[nodiscard]] std::optional<response> sync_routes(exchange& x, std::string_view path);
/// "/seguimiento", "/seguimiento/ID" and its observation and period posts.
[[nodiscard]] std::optional<response> monitor_routes(exchange& x, std::string_view path);
/// "/proyectos/ID/ficha": the printable project sheet.
[[nodiscard]] std::optional<response> sheet_routes(exchange& x, std::string_view path);
/// "/convenios", "/proyectos", "/indicadores", ... : list, new, create, show, edit, update, delete.
[[nodiscard]] std::optional<response> entity_routes(exchange& x, std::string_view path);

/// The desk's URL folder of an entity kind ("proyectos" for project), or empty.
[[nodiscard]] std::string_view slug_of(std::string_view kind);

}  // namespace minga::client::desk
