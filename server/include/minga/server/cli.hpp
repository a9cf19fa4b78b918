#pragma once
/// The `minga-server` command line: parses arguments, runs one administrative command (or the
/// server) and returns the process exit code: 0 ok, 2 bad usage or bad input, 75 try again
/// later, 1 anything else. Human text (Spanish by default, `--lang en`) or, with `--json`, one
/// JSON document on stdout. `serve` prints `listening on http://HOST:PORT` as its first line.

#include <minga/shared/cli_output.hpp>

#include <iosfwd>

namespace minga::server {

using cli::exit_code;  // 0 ok, 1 failure, 2 bad input, 75 try later (minga/shared/cli_output.hpp)

[[nodiscard]] int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace minga::server
