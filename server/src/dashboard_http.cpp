// The HTTP side of the dashboard: copies the request, runs respond_dashboard() on the store
// thread (all SQL stays there), and writes the answer on the session's strand.
#include "dashboard_api.hpp"
#include "http_headers.hpp"
#include "http_session.hpp"

#include <minga/shared/hlc.hpp>

namespace minga::server {

namespace http = boost::beast::http;

namespace {

constexpr std::string_view dashboard_route = "/dashboard";  // the log's name for every page

std::string str(boost::beast::string_view s) { return {s.data(), s.size()}; }

}  // namespace

void http_session::handle_dashboard() {
    route_ = dashboard_route;
    auto& req = parser_->get();
    if (req.body().size() > dashboard_tuning::max_body_bytes)
        return send_text(413, "cuerpo demasiado grande / body too large");
    auto in = std::make_shared<dashboard_request>();
    in->method = str(req.method_string());
    const auto target = str(req.target());
    const auto q = target.find('?');
    in->path = target.substr(0, q);
    if (q != std::string::npos) in->query = target.substr(q + 1);
    in->cookie = str(req[http::field::cookie]);
    in->content_type = str(req[http::field::content_type]);
    in->body.assign(req.body().begin(), req.body().end());
    in->secure = stream_.is_tls();
    auto out = std::make_shared<dashboard_response>();
    out->status = 500;
    out->content_type = "text/plain; charset=utf-8";
    out->body = "error interno del servidor / internal server error\n";
    phase_ = phase::busy;
    auto st = ctx_->store.submit_task(
        [in, out](store_backend& b) {
            if (auto* c = b.store()) *out = respond_dashboard(*c, *in, system_ms());
        },
        stream_.get_executor(), [self = shared_from_this(), out] { self->send_dashboard(std::move(*out)); });
    if (!st) send_text(503, "el servidor está ocupado; intente de nuevo / the server is busy; try again");
}

void http_session::send_dashboard(dashboard_response r) {
    try {
        res_ = {};
        res_.result(r.status);
        res_.set(http::field::content_type, r.content_type);
        res_.set(http::field::cache_control, "no-store");
        res_.set("X-Content-Type-Options", "nosniff");
        res_.set("Referrer-Policy", "no-referrer");
        res_.set("Content-Security-Policy",
                 "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                 "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        for (const auto& [name, value] : r.headers) res_.insert(name, value);
        res_.body().assign(r.body.begin(), r.body.end());
        do_write(false);
    } catch (const std::exception& e) {
        ctx_->log.error("c={} {} {}: {}", id_, method_, route_, e.what());
        do_close();
    }
}

}  // namespace minga::server
