#pragma once
/// Applications (postulaciones): a GAD's request to an offer or to a cooperant, moved through a
/// pipeline with a dated history, and turned into an agreement when approved.
///
/// Pipeline (statuses are stored and synced: never change, never reuse a value):
///   identificada -> postulada -> negociacion -> aprobada | rechazada
///   postulada -> rechazada (the cooperant may refuse before negotiating)
///   identificada | postulada | negociacion -> retirada (the GAD withdraws)
/// aprobada, rechazada and retirada are final. Every move writes the new status and one
/// `application_event` row (from, to, date, note) in one transaction through the change log,
/// so it syncs like any other write. An illegal move is refused with an error naming the
/// moves allowed from the current status; nothing is written then.
///
/// Not thread-safe; works on the caller's replica.

#include <minga/protocol/result.hpp>
#include <minga/shared/replica.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// The statuses in pipeline order (Spanish values, as stored).
[[nodiscard]] const std::vector<std::string_view>& application_statuses() noexcept;
/// The English name of a status ("postulada" -> "applied").
[[nodiscard]] std::string_view application_status_en(std::string_view value) noexcept;
/// A status as typed: the stored Spanish value or its English name. Unknown text is
/// `errc::bad_input` on `field`, listing the accepted values.
[[nodiscard]] result<std::string> parse_application_status(std::string_view field,
                                                           std::string_view text);
/// The statuses reachable in one move from `from` (empty for a final status).
[[nodiscard]] std::vector<std::string_view> allowed_moves(std::string_view from);

struct move_request {
    std::string to;    ///< target status (Spanish or English)
    std::string note;  ///< may be empty
    std::string date;  ///< YYYY-MM-DD of the move; empty = today (UTC)
};

/// What a move or an approval wrote.
struct move_outcome {
    std::string application_id;
    std::string from;
    std::string to;
    std::string event_id;
    std::string agreement_id;    ///< set by an approval
    std::vector<error> warnings; ///< from the agreement's checks (e.g. an inactive NGO)
};

/// Moves the application `id` (full id or unique prefix) to `req.to`. Moving to `aprobada` is
/// an approval (see `approve_application`).
[[nodiscard]] result<move_outcome> move_application(replica& r, std::string_view id,
                                                    const move_request& req);

struct approve_request {
    std::string kind = "convenio_especifico";  ///< agreement kind
    std::string signed_on;  ///< when given, the agreement is `vigente` (else `negociacion`)
    std::string note;
    std::string date;       ///< date of the move; empty = today (UTC)
};

/// Approves an application in negotiation and creates its agreement without retyping: title,
/// cooperant (the offer's, else the application's), currency and amounts (requested ->
/// cooperant amount, counterpart), planned dates (-> valid from/to), offer, modality, source
/// and geopolitical type (from the offer, else the demand and the cooperant). The agreement is
/// validated like any other (`agreement add`) and linked back (`application.agreement_id`).
/// All in one transaction: on any error nothing is written.
[[nodiscard]] result<move_outcome> approve_application(replica& r, std::string_view id,
                                                       const approve_request& req);

/// One row of an application's history.
struct application_event_row {
    std::string id;
    std::string from;
    std::string to;
    std::string on_date;
    std::string note;
};

/// The history of application `application_id` (a full id), oldest first.
[[nodiscard]] std::vector<application_event_row> application_history(replica& r,
                                                                     std::string_view application_id);

}  // namespace minga
