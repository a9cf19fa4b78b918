// Compiles <minga/server/http_server.hpp> alone: a public header includes what it uses.
#include <minga/server/http_server.hpp>
#include <minga/server/http_server.hpp>  // and twice: it has an include guard
