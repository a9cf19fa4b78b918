#pragma once
// Bounds of the parish desk (`minga desk`): every request, form and wait it accepts is bounded
// here, so a misbehaving local page cannot make it grow.
#include <chrono>
#include <cstddef>

namespace minga::client::desk_tuning {

/// Largest request body (a form post); larger is refused with 413 before it is read.
inline constexpr std::size_t max_body_bytes = 256 * 1024;
/// Largest request header block.
inline constexpr std::size_t max_header_bytes = 16 * 1024;
/// Most fields in one posted form (a project with every parish ticked stays well below).
inline constexpr std::size_t max_form_fields = 2000;
/// A connection that sends nothing for this long is closed (browsers keep idle ones open).
inline constexpr std::chrono::seconds idle_timeout{60};
/// Rows a list page shows, at most (the newest first).
inline constexpr std::size_t max_list_rows = 500;
/// Offers an offer search shows, at most.
inline constexpr std::size_t max_offer_hits = 100;
/// Empty budget rows a project form offers beside the stored ones.
inline constexpr std::size_t blank_budget_rows = 3;
/// Bytes of random in the session secret and in the form token.
inline constexpr std::size_t secret_bytes = 32;

}  // namespace minga::client::desk_tuning
