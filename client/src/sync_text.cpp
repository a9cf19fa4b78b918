#include "sync_text.hpp"

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

error explain_sync_failure(const error& e, std::int64_t pending, std::string_view url,
                           const sync_report* tally) {
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

}  // namespace minga::client
