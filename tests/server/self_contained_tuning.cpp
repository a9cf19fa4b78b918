// Compiles <minga/server/tuning.hpp> alone: a public header includes what it uses.
#include <minga/server/tuning.hpp>
#include <minga/server/tuning.hpp>  // and twice: it has an include guard
