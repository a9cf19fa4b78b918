// Compiles <minga/server/store_executor.hpp> alone: a public header includes what it uses.
#include <minga/server/store_executor.hpp>
#include <minga/server/store_executor.hpp>  // and twice: it has an include guard
