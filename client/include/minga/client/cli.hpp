#pragma once
/// The `minga` command line: parses arguments, runs one command against the local replica and
/// returns the process exit code (0 ok, 2 bad usage or bad input, 75 try again later,
/// 1 anything else). Prints human text (Spanish by default, `--lang en`) or, with `--json`,
/// one JSON document on stdout.

#include <iosfwd>

namespace minga::client {

/// Exit codes of every minga command (sysexits-style for "try again later").
enum class exit_code : int { ok = 0, failure = 1, bad_input = 2, try_later = 75 };

[[nodiscard]] int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace minga::client
