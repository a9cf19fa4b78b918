#pragma once
// Forms drawn from the entity specs (the same specs that drive the CLI and its validation),
// and posted forms turned back into the store API's `form`. A validation error is shown next
// to its field and in a summary at the top that links to it.
#include "desk_html.hpp"

#include <minga/shared/entity_service.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace minga::client::desk {

/// One form to draw.
struct form_view {
    const entity_spec* spec = nullptr;
    form values;                    ///< what to show (the stored record or what was posted)
    std::optional<error> err;       ///< the refusal to show next to its field
    std::string action;             ///< where it posts
    std::string submit_es, submit_en;
    std::set<std::string, std::less<>> fixed;  ///< options sent hidden (e.g. the indicator of an observation)
    std::vector<std::string> only;  ///< options to draw (empty: every field)
};

/// The form's HTML (a <form> with the token, fields, errors and the submit button).
[[nodiscard]] std::string render_form(const page_ctx& c, entity_service& svc, const form_view& v);

/// The error summary box for `err` (links to the field when it names one of `spec`'s).
[[nodiscard]] std::string error_summary(const page_ctx& c, const entity_spec& spec, const error& err);

/// The posted fields of `spec` as form text: empty values left out, set fields one value per
/// ticked box or line, budget rows joined as "start:end:amount".
[[nodiscard]] form form_from_post(const entity_spec& spec, const form_data& posted);

/// The part of `posted` that differs from `stored` (an update writes only what changed; a
/// cleared field goes as empty text, which the store reads as "no value", and a set emptied
/// in the form as one empty value, which the store reads as "no rows").
[[nodiscard]] form changed_fields(const entity_spec& spec, const form& posted, const form& stored);

/// The first value of `option` in `f`, or empty.
[[nodiscard]] std::string value_in(const form& f, std::string_view option);

}  // namespace minga::client::desk
