#pragma once
/// The `minga` command line: parses arguments, runs one command against the local replica and
/// returns the process exit code (0 ok, 2 bad usage or bad input, 75 try again later,
/// 1 anything else). Prints human text (Spanish by default, `--lang en`) or, with `--json`,
/// one JSON document on stdout.

#include <minga/shared/cli_output.hpp>

#include <iosfwd>

namespace minga::client {

using cli::exit_code;  // 0 ok, 1 failure, 2 bad input, 75 try later (minga/shared/cli_output.hpp)

[[nodiscard]] int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace minga::client
