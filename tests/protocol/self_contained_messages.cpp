// Compiles <minga/protocol/messages.hpp> alone: a public header includes what it uses.
#include <minga/protocol/messages.hpp>
