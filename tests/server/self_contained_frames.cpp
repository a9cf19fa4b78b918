// Compiles <minga/server/frames.hpp> alone: a public header includes what it uses.
#include <minga/server/frames.hpp>
#include <minga/server/frames.hpp>  // and twice: it has an include guard
