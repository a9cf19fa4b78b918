// Compiles <minga/protocol/value.hpp> alone: a public header includes what it uses.
#include <minga/protocol/value.hpp>
