#pragma once
// Page building for the parish desk: the request's language and secrets, escaping, the common
// layout (skip link, navigation, language switch) and small pieces every page uses.
#include "desk_http.hpp"

#include <string>
#include <string_view>

namespace minga::client::desk {

/// What a page needs to know about its request. Holds a reference to the run's secrets,
/// which outlive every request.
struct page_ctx {
    std::string lang = "es";       ///< "es" or "en"
    const desk_secrets& secrets;   // owned by the desk app
    std::string path;              ///< the request's path (to come back after a language change)

    [[nodiscard]] bool en() const noexcept { return lang == "en"; }
    [[nodiscard]] std::string_view t(std::string_view es, std::string_view en) const {
        return this->en() ? en : es;
    }
};

/// `s` escaped for HTML text and attribute values.
[[nodiscard]] std::string esc(std::string_view s);
/// The hidden input carrying the form token (inside every form that posts).
[[nodiscard]] std::string token_input(const page_ctx& c);
/// A whole page: `title`, the navigation with `nav` marked current, `body` in <main>.
/// `refresh_s` > 0 reloads the page after that many seconds (a running sync).
[[nodiscard]] std::string layout(const page_ctx& c, std::string_view title, std::string_view nav,
                                 const std::string& body, int refresh_s = 0);
/// A message box: kind "ok", "warn" or "error" (role=alert for errors).
[[nodiscard]] std::string notice(std::string_view kind, std::string_view text);
/// A number for people: up to two decimals, none when whole.
[[nodiscard]] std::string format_number(double v);

}  // namespace minga::client::desk
