#pragma once
// How a device trusts its server, from `minga enroll --pin|--ca` to every `minga sync`: the
// options are checked before anything is sent, stored in the replica at enrolment (the pin, or
// the CA certificates themselves, so moving the file later breaks nothing) and used for every
// connection. A plain http:// link is allowed only when the URL says so, and is announced with
// a warning on stderr at every enrol and sync.
#include "output.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/shared/replica.hpp>

#include <string>
#include <string_view>

namespace minga::client {

/// The trust `enroll` asks for: `pin` (sha256:HEX) or `ca_file`, at most one, only with
/// https://. `bad_input` naming the option otherwise.
[[nodiscard]] result<tls_trust> trust_from_options(std::string_view url, const std::string& pin,
                                                   const std::string& ca_file);

/// Stores `t` in the replica (after a successful enrolment).
void save_trust(replica& r, const tls_trust& t);

/// The transport to `url` with the trust stored at enrolment (and `o`'s other settings, e.g.
/// timeouts); warns when the link is plain.
[[nodiscard]] result<http_transport> open_link(replica& r, std::string_view url, printer& p,
                                               const transport_options& o = {});

/// The transport to `url` with `t` (and `o`'s other settings); warns when the link is plain.
[[nodiscard]] result<http_transport> open_link(std::string_view url, const tls_trust& t, printer& p,
                                               transport_options o = {});

}  // namespace minga::client
