// Compiles <minga/server/cli.hpp> alone: a public header includes what it uses.
#include <minga/server/cli.hpp>
#include <minga/server/cli.hpp>  // and twice: it has an include guard
