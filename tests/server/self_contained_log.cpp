// Compiles <minga/server/log.hpp> alone: a public header includes what it uses.
#include <minga/server/log.hpp>
#include <minga/server/log.hpp>  // and twice: it has an include guard
