#pragma once
// The parish desk's request handler: from a parsed HTTP request to the response, with every
// security check (desk_http.hpp) before anything else runs. Writes go through the store API
// (`entity_service`, `resolve_conflict`) only, each in one transaction.
//
// Threading: `handle` runs on one thread at a time (the desk's store thread); it opens the
// replica per request, so what the background sync wrote is always seen. `sync` is shared
// with no lock needed (desk_sync is thread-safe). No sockets here: tests call `handle`.
#include "desk_http.hpp"
#include "desk_sync.hpp"

#include <filesystem>

namespace minga::client::desk {

class desk_app {
public:
    /// `sync` must outlive the app.
    desk_app(std::filesystem::path data_dir, desk_secrets secrets, desk_sync& sync)
        : dir_(std::move(data_dir)), secrets_(std::move(secrets)), sync_(sync) {}

    [[nodiscard]] response handle(const request& req);
    [[nodiscard]] const desk_secrets& secrets() const noexcept { return secrets_; }
    /// The path that signs a browser in: "/entrar?clave=SECRET".
    [[nodiscard]] std::string sign_in_path() const;

private:
    [[nodiscard]] response route(const request& req);

    std::filesystem::path dir_;
    desk_secrets secrets_;
    desk_sync& sync_;  // owned by the caller; outlives the app
};

}  // namespace minga::client::desk
