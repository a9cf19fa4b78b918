// Compiles <minga/protocol/tuning.hpp> alone: a public header includes what it uses.
#include <minga/protocol/tuning.hpp>
