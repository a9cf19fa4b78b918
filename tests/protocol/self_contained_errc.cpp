// Compiles <minga/protocol/errc.hpp> alone: a public header includes what it uses.
#include <minga/protocol/errc.hpp>
