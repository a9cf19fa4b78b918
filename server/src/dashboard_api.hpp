#pragma once
// The dashboard and its JSON API (docs/dashboard.md) as a plain function from a request to a
// response, run on the store executor's thread with the central store. No Beast here: the
// HTTP glue is dashboard_http.cpp.
#include <minga/shared/central.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minga::server {

namespace dashboard_tuning {
/// How long a dashboard session lasts after sign-in: one working day.
inline constexpr std::int64_t session_ttl_ms = 12LL * 3600 * 1000;
/// Most rows of indicator progress shown or returned.
inline constexpr std::size_t max_indicator_rows = 100;
/// A GAD whose devices have not synced for this many days is flagged on the dashboard.
inline constexpr std::int64_t stale_sync_days = 14;
/// Largest request body the dashboard reads (a sign-in form); larger ones get 413.
inline constexpr std::size_t max_body_bytes = 4096;
}  // namespace dashboard_tuning

/// Name of the session cookie.
inline constexpr std::string_view session_cookie = "minga_sesion";

struct dashboard_request {
    std::string method;        // "GET", "POST", ...
    std::string path;          // without the query
    std::string query;         // after '?', still percent-encoded
    std::string cookie;        // the Cookie header
    std::string content_type;
    std::string body;
    bool secure = false;       // arrived over TLS: the session cookie gets `Secure`
};

struct dashboard_response {
    unsigned status = 200;
    std::string content_type = "text/html; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra (Set-Cookie, Location...)
};

/// True for the paths this module answers: `/dashboard...` and `/api/v1/dashboard...`,
/// `/api/v1/session`.
[[nodiscard]] bool is_dashboard_path(std::string_view path) noexcept;

/// Answers one request. `now_ms` is the server's wall clock. Never throws for bad input;
/// SQLite failures throw (the store executor logs them).
[[nodiscard]] dashboard_response respond_dashboard(central& c, const dashboard_request& r,
                                                   std::int64_t now_ms);

// Helpers shared by the dashboard files.
/// The value of `name` in an `a=1&b=2` text (percent- and '+'-decoded), or "".
[[nodiscard]] std::string form_value(std::string_view text, std::string_view name);
/// The value of cookie `name` in a Cookie header, or "".
[[nodiscard]] std::string cookie_value(std::string_view header, std::string_view name);

}  // namespace minga::server
