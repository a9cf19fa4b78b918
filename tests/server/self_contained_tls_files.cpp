// Compiles <minga/server/tls_files.hpp> alone: a public header includes what it uses.
#include <minga/server/tls_files.hpp>
#include <minga/server/tls_files.hpp>  // and twice: it has an include guard
