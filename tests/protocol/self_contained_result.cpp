// Compiles <minga/protocol/result.hpp> alone: a public header includes what it uses.
#include <minga/protocol/result.hpp>
