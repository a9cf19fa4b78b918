#pragma once
// The parish desk's HTTP vocabulary: requests and responses (Beast string bodies), posted
// forms, query strings and cookies, and the per-session secrets with the checks every request
// passes (Host and Origin of this desk only, the session cookie, the form token on posts).
// Pure functions: no I/O, no SQL; the handlers and their tests build requests directly.
#include <minga/protocol/result.hpp>

#include <boost/beast/http.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minga::client::desk {

namespace http = boost::beast::http;
using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

/// Decoded name=value pairs of a query string or an urlencoded form body, in order.
struct form_data {
    std::vector<std::pair<std::string, std::string>> items;

    /// The first value of `name`, or empty.
    [[nodiscard]] std::string get(std::string_view name) const;
    [[nodiscard]] bool has(std::string_view name) const;
    /// Every value of `name`, in order.
    [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
};

/// Parses `a=1&b=x+y%C3%A1`. `bad_input` on a broken %-escape or more than
/// desk_tuning::max_form_fields fields.
[[nodiscard]] result<form_data> parse_urlencoded(std::string_view text);
/// Percent-encodes `s` for a query string value.
[[nodiscard]] std::string url_encode(std::string_view s);

/// The path of a request target ("/proyectos/ab12" of "/proyectos/ab12?x=1").
[[nodiscard]] std::string_view target_path(std::string_view target);
/// Its query string ("x=1"), empty when none.
[[nodiscard]] std::string_view target_query(std::string_view target);
/// The value of cookie `name` in the request, or empty.
[[nodiscard]] std::string cookie_of(const request& req, std::string_view name);

/// The secrets of one desk run: `session` (the sign-in key printed in the link, then the
/// cookie) and `form_token` (embedded in every page's forms, checked on every post). Both
/// random from libsodium, never stored, never logged.
struct desk_secrets {
    std::string session;
    std::string form_token;
    std::uint16_t port = 0;  ///< the port the desk listens on (Host and Origin must name it)

    [[nodiscard]] static desk_secrets make(std::uint16_t port);
};

/// Name of the session cookie.
inline constexpr std::string_view session_cookie = "minga_escritorio";
/// Name of the form field that carries the form token.
inline constexpr std::string_view token_field = "_clave";

/// Why a request was refused (none: it may go on).
enum class refusal { none, bad_host, bad_origin, no_session, bad_token };

/// Host must be 127.0.0.1:PORT or localhost:PORT (a DNS-rebinding name is refused); an
/// Origin, when sent, must be http:// with the same; a cross-site Sec-Fetch-Site is refused.
[[nodiscard]] refusal check_origin(const desk_secrets& s, const request& req);
/// The session cookie must be this run's.
[[nodiscard]] bool has_session(const desk_secrets& s, const request& req);
/// A state-changing request (POST): origin checks, the session cookie, an Origin header
/// naming this desk (browsers send one with every post) and the form token in `form`.
[[nodiscard]] refusal check_post(const desk_secrets& s, const request& req, const form_data& form);

/// A response with the desk's security headers (CSP without inline script, no framing, no
/// caching, no referrer) and `body` of `type`.
[[nodiscard]] response make_response(const request& req, http::status st, std::string body,
                                      std::string_view type = "text/html; charset=utf-8");
/// 303 See Other to `location` (a path of this desk).
[[nodiscard]] response redirect(const request& req, std::string location);

}  // namespace minga::client::desk
