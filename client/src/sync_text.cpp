#include "sync_text.hpp"

#include <minga/shared/sync_client.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace minga::client {

std::string group_digits(std::uint64_t n, bool en) {
    std::string digits = std::to_string(n);
    std::string out;
    const char sep = en ? ',' : '.';
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += sep;
        out += digits[i];
    }
    return out;
}

namespace {

std::string seconds_text(std::int64_t ms, bool en) {
    auto s = fmt::format("{:.1f}", static_cast<double>(ms) / 1000.0);
    if (!en) std::replace(s.begin(), s.end(), '.', ',');
    return s;
}

}  // namespace

std::string progress_line(const sync_progress& p, bool en) {
    if (p.phase == "push") {
        const auto pct = p.total == 0 ? 100 : p.done * 100 / p.total;
        return en ? fmt::format("Sending changes: {} of {} ({}%)", group_digits(p.done, en),
                                group_digits(p.total, en), pct)
                  : fmt::format("Enviando cambios: {} de {} ({} %)", group_digits(p.done, en),
                                group_digits(p.total, en), pct);
    }
    if (p.phase == "pull") {
        const auto page = p.so_far ? p.so_far->pages : 0;
        return en ? fmt::format("Receiving: page {}, {} rows of ~{}", page, group_digits(p.done, en),
                                group_digits(p.total, en))
                  : fmt::format("Recibiendo: página {}, {} filas de ~{}", page, group_digits(p.done, en),
                                group_digits(p.total, en));
    }
    const std::string cause = p.cause ? (en ? p.cause->en : p.cause->es) : std::string();
    return en ? fmt::format("Retry {} of {} in {} s: {}", p.retry, p.max_retries, seconds_text(p.wait_ms, en), cause)
              : fmt::format("Reintento {} de {} en {} s: {}", p.retry, p.max_retries,
                            seconds_text(p.wait_ms, en), cause);
}

std::string how_far(const sync_report& r, bool en) {
    const auto sent = group_digits(r.pushed, en), of = group_digits(r.push_total, en);
    if (r.pages == 0)
        return en ? fmt::format("{} of {} changes sent; the download has not started", sent, of)
                  : fmt::format("se enviaron {} de {} cambios; la descarga aún no empezó", sent, of);
    const auto got = group_digits(r.pulled, en), total = group_digits(r.pull_total, en);
    return en ? fmt::format("{} of {} changes sent and {} rows of ~{} received", sent, of, got, total)
              : fmt::format("se enviaron {} de {} cambios y se recibieron {} filas de ~{}", sent, of, got, total);
}

nlohmann::json report_json(const sync_report& r) {
    return {{"pushed", r.pushed},
            {"push_total", r.push_total},
            {"pulled", r.pulled},
            {"pull_total", r.pull_total},
            {"pages", r.pages},
            {"conflicts", r.conflicts},
            {"requests", r.requests},
            {"retries", r.retries},
            {"offset_ms", r.offset_ms},
            {"frame_bytes_sent", r.bytes_sent},
            {"frame_bytes_received", r.bytes_received},
            {"stopped_by_deadline", r.stopped_by_deadline}};
}

}  // namespace minga::client

namespace minga::client {

namespace {

/// What a refusal with `code` means, in English, for a server message that came in Spanish
/// only (the wire carries one language; clients localise by code, docs/protocol.md).
std::string_view server_refusal_en(errc code) {
    switch (code) {
        case errc::bad_input: return "the server refused it as invalid";
        case errc::not_found: return "the server does not have what was asked for";
        case errc::conflict: return "the server refused it: it clashes with what the server already holds";
        case errc::unauthorized: return "the server did not accept the credential or signature";
        case errc::forbidden: return "the server refused it: it is outside this device's scope";
        case errc::busy: return "the server is busy";
        case errc::unavailable: return "the server cannot be reached";
        case errc::bad_frame: return "the server could not read the request";
        case errc::too_large: return "the server refused it as too large";
        case errc::unsupported_version: return "the server does not speak this protocol version";
        case errc::internal: return "the server failed with an internal error; tell the central office";
        case errc::timeout: return "the server took too long";
        case errc::expired: return "the server says the credential or code has expired";
        case errc::ok: break;
    }
    return "the server refused it";
}

/// `e` with English words when it came from the server in Spanish only.
error localised(const error& e) {
    if (e.en != e.es || e.es.empty()) return e;
    error out = e;
    out.en = fmt::format("{} (the server's words, in Spanish: \"{}\")", server_refusal_en(e.code), e.es);
    return out;
}

}  // namespace

error explain_sync_failure(const error& server_error, std::int64_t pending, std::string_view url,
                           const sync_report* tally) {
    const error e = localised(server_error);
    const bool refused = e.code == errc::unauthorized || e.code == errc::expired;
    if (refused && tally) {
        return make_error(
            e.code, e.field,
            fmt::format("el servidor rechazó la credencial: este dispositivo fue revocado o su "
                        "credencial caducó. Pida a la oficina central un nuevo código de inscripción y "
                        "ejecute `minga enroll --server {} --token CÓDIGO`; sus {} cambio(s) "
                        "pendiente(s) se conservan y se enviarán en la próxima sincronización",
                        url.empty() ? "URL" : url, pending),
            fmt::format("the server refused the credential: this device was revoked or its credential "
                        "expired. Ask the central office for a new enrolment code and run `minga enroll "
                        "--server {} --token CODE`; its {} pending change(s) are kept and will be sent "
                        "at the next sync",
                        url.empty() ? "URL" : url, pending));
    }
    if (is_transient(e.code)) {
        const std::string es_far = tally ? how_far(*tally, false) + "; " : std::string();
        const std::string en_far = tally ? how_far(*tally, true) + "; " : std::string();
        return make_error(
            e.code, e.field,
            fmt::format("{}. Nada se perdió: {}{} cambio(s) siguen pendientes; intente más tarde (la "
                        "próxima sincronización continúa desde aquí)",
                        e.es, es_far, pending),
            fmt::format("{}. Nothing was lost: {}{} change(s) are still pending; try again later (the "
                        "next sync resumes from here)",
                        e.en, en_far, pending));
    }
    return e;
}

int fail_sync(printer& p, replica& r, const error& e, const sync_report* tally) {
    const auto pending = r.changes().pending_count();
    const auto url = stored_link(r).server_url;
    const bool refused = e.code == errc::unauthorized || e.code == errc::expired;
    const error shown = explain_sync_failure(e, pending, url, tally);
    const int code = refused ? static_cast<int>(exit_code::bad_input) : exit_for(e.code);
    if (!p.json()) {
        (void)p.fail(shown);
        return code;
    }
    nlohmann::json doc = tally ? report_json(*tally) : nlohmann::json::object();
    doc["ok"] = false;
    doc["pending_changes"] = pending;
    doc["error"] = {{"code", std::string(to_string(e.code))},
                    {"field", e.field},
                    {"message", p.en() ? shown.en : shown.es}};
    p.out() << doc.dump() << '\n';
    return code;
}

}  // namespace minga::client
