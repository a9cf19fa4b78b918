#pragma once
// How minga-server's administrative commands print: the printer both programs share
// (minga/shared/cli_output.hpp). Errors go to stderr (text) or stdout (JSON).
#include <minga/shared/cli_output.hpp>

namespace minga::server {

using cli::exit_code;
using cli::exit_for;
using cli::global_options;
using cli::printer;

}  // namespace minga::server
