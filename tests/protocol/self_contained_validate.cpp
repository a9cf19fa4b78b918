// Compiles <minga/protocol/validate.hpp> alone: a public header includes what it uses.
#include <minga/protocol/validate.hpp>
