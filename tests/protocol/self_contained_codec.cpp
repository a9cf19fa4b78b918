// Compiles <minga/protocol/codec.hpp> alone: a public header includes what it uses.
#include <minga/protocol/codec.hpp>
