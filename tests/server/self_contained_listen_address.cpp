// Compiles <minga/server/listen_address.hpp> alone: a public header includes what it uses.
#include <minga/server/listen_address.hpp>
#include <minga/server/listen_address.hpp>  // and twice: it has an include guard
