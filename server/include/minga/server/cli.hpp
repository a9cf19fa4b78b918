#pragma once
/// The `minga-server` command line: parses arguments, runs one administrative command (or the
/// server) and returns the process exit code: 0 ok, 2 bad usage or bad input, 75 try again
/// later, 1 anything else. Human text (Spanish by default, `--lang en`) or, with `--json`, one
/// JSON document on stdout. `serve` prints `listening on http://HOST:PORT` as its first line.

#include <iosfwd>

namespace minga::server {

/// Exit codes of every minga-server command (the same as the client's).
enum class exit_code : int { ok = 0, failure = 1, bad_input = 2, try_later = 75 };

[[nodiscard]] int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace minga::server
