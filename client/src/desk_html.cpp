// The desk's common layout and small HTML pieces.
#include "desk_html.hpp"

#include <minga/shared/export.hpp>

#include <fmt/format.h>

#include <cmath>

namespace minga::client::desk {

namespace {

struct nav_item {
    std::string_view key, href, es, en;
};

constexpr nav_item nav_items[] = {
    {"inicio", "/", "Inicio", "Home"},
    {"ofertas", "/ofertas", "Ofertas", "Offers"},
    {"convenios", "/convenios", "Convenios", "Agreements"},
    {"proyectos", "/proyectos", "Proyectos", "Projects"},
    {"seguimiento", "/seguimiento", "Indicadores y seguimiento", "Indicators and monitoring"},
    {"practicas", "/practicas", "Buenas prácticas", "Good practices"},
    {"demandas", "/demandas", "Demandas", "Demands"},
    {"conflictos", "/conflictos", "Conflictos", "Conflicts"},
    {"sincronizar", "/sincronizar", "Sincronizar", "Sync"},
};

}  // namespace

std::string esc(std::string_view s) { return markup_escape(s); }

std::string token_input(const page_ctx& c) {
    return fmt::format(R"(<input type="hidden" name="{}" value="{}">)", token_field, c.secrets.form_token);
}

std::string layout(const page_ctx& c, std::string_view title, std::string_view nav, const std::string& body,
                   int refresh_s) {
    std::string h;
    h += fmt::format("<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">", c.lang);
    h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    if (refresh_s > 0) h += fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">", refresh_s);
    h += fmt::format("<title>{} · minga</title>", esc(title));
    h += "<link rel=\"stylesheet\" href=\"/recursos/desk.css\"><script src=\"/recursos/desk.js\" defer></script>";
    h += "</head><body>";
    h += fmt::format("<a class=\"skip\" href=\"#contenido\">{}</a>", c.t("Saltar al contenido", "Skip to content"));
    h += "<header class=\"top\"><p class=\"brand\">minga · ";
    h += c.t("escritorio parroquial", "parish desk");
    h += fmt::format("</p><nav aria-label=\"{}\"><ul>", c.t("Secciones", "Sections"));
    for (const auto& n : nav_items) {
        h += fmt::format("<li><a href=\"{}\"{}>{}</a></li>", n.href,
                         n.key == nav ? " aria-current=\"page\"" : "", c.en() ? n.en : n.es);
    }
    h += "</ul></nav>";
    h += "<form method=\"post\" action=\"/idioma\" class=\"lang\">" + token_input(c);
    h += fmt::format("<input type=\"hidden\" name=\"volver\" value=\"{}\">", esc(c.path));
    h += fmt::format("<button type=\"submit\" name=\"idioma\" value=\"{}\" lang=\"{}\">{}</button></form>",
                     c.en() ? "es" : "en", c.en() ? "es" : "en", c.en() ? "Español" : "English");
    h += "</header>";
    h += fmt::format("<main id=\"contenido\" tabindex=\"-1\"><h1>{}</h1>", esc(title));
    h += body;
    h += "</main></body></html>\n";
    return h;
}

std::string notice(std::string_view kind, std::string_view text) {
    return fmt::format("<div class=\"notice {}\"{}>{}</div>", kind, kind == "error" ? " role=\"alert\"" : "",
                       esc(text));
}

std::string format_number(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
    auto s = fmt::format("{:.2f}", v);
    while (s.back() == '0') s.pop_back();
    return s;
}

}  // namespace minga::client::desk
