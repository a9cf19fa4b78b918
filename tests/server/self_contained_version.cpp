// Compiles <minga/server/version.hpp> alone: a public header includes what it uses.
#include <minga/server/version.hpp>
#include <minga/server/version.hpp>  // and twice: it has an include guard
