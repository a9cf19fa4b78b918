#pragma once
/// The rules of each message beyond its wire types: ids present and short enough, ops known,
/// names unique, counts within `limits`, one value per column. `decode()` runs these; senders
/// may run them before `encode()` on frames built from data they do not control.
///
/// Failures are `bad_input` (a rule broken) or `too_large` (a bound exceeded), with `field`
/// naming the offending field as decode does ("pull_page.blocks[0].rows[2]").

#include <minga/protocol/messages.hpp>
#include <minga/protocol/result.hpp>
#include <minga/protocol/tuning.hpp>

namespace minga::protocol {

[[nodiscard]] status validate(const error_body& m, const limits& lim = limits{});
[[nodiscard]] status validate(const hello& m, const limits& lim = limits{});
[[nodiscard]] status validate(const hello_ack& m, const limits& lim = limits{});
[[nodiscard]] status validate(const enroll& m, const limits& lim = limits{});
[[nodiscard]] status validate(const enroll_ack& m, const limits& lim = limits{});
[[nodiscard]] status validate(const push& m, const limits& lim = limits{});
[[nodiscard]] status validate(const push_ack& m, const limits& lim = limits{});
[[nodiscard]] status validate(const pull& m, const limits& lim = limits{});
[[nodiscard]] status validate(const pull_page& m, const limits& lim = limits{});
[[nodiscard]] status validate(const bundle_carry& m, const limits& lim = limits{});
[[nodiscard]] status validate(const bundle_answer& m, const limits& lim = limits{});

/// The body's rules, and a supported version (`unsupported_version` otherwise).
[[nodiscard]] status validate(const frame& f, const limits& lim = limits{});

}  // namespace minga::protocol
