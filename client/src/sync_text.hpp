#pragma once
// What `minga sync` tells a person: progress lines, the final summary and the message when it
// stops at --max-time, in Spanish (or English), with digits grouped the local way.
#include "output.hpp"

#include <minga/shared/sync_client.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace minga::client {

/// 12345 -> "12.345" (es) or "12,345" (en).
[[nodiscard]] std::string group_digits(std::uint64_t n, bool en);

/// One progress line, without a line end: "Enviando cambios: 1.200 de 3.400 (35 %)",
/// "Recibiendo: página 3, 12.000 filas de ~40.000", "Reintento 2 de 6 en 3,2 s: …".
[[nodiscard]] std::string progress_line(const sync_progress& p, bool en);

/// "se enviaron 1.200 de 3.400 cambios y se recibieron 12.000 filas de ~40.000" (how far a
/// sync got, or that the download has not started), for a sync that did not finish.
[[nodiscard]] std::string how_far(const sync_report& r, bool en);

/// What a person reads when a sync (`tally` set: how far it got), an enrolment or a carried
/// bundle (`tally` null) failed with `e`: a refused credential says how to enrol again, a
/// transient failure says that nothing was lost and how many of the `pending` changes wait;
/// others are `e`. A refusal the server sent carries only its Spanish words (es == en): the
/// English text is then what its code means, followed by the server's words.
[[nodiscard]] error explain_sync_failure(const error& e, std::int64_t pending, std::string_view url,
                                         const sync_report* tally);

/// Prints a sync, enrol or carry failure of replica `r` explained as above (in the printer's
/// language, or as one JSON document) and returns its exit code. A refused credential
/// (revoked, expired, unknown) is the operator's matter, not the network's: exit 2.
int fail_sync(printer& p, replica& r, const error& e, const sync_report* tally = nullptr);

/// The counts of `r` as JSON fields (pushed, pulled, requests, retries, frame bytes...).
[[nodiscard]] nlohmann::json report_json(const sync_report& r);

}  // namespace minga::client
