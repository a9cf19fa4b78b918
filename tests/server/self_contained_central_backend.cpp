// Compiles <minga/server/central_backend.hpp> alone: a public header includes what it uses.
#include <minga/server/central_backend.hpp>
#include <minga/server/central_backend.hpp>  // and twice: it has an include guard
