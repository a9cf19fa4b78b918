// Compiles <minga/protocol/version.hpp> alone: a public header includes what it uses.
#include <minga/protocol/version.hpp>
