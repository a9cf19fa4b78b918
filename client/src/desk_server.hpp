#pragma once
// The desk's HTTP listener: Beast on 127.0.0.1 only, one I/O thread (the caller's), every
// request handed to one store thread (desk_app: SQL never runs on the I/O thread), sync on its
// own thread (desk_sync). Bounded: body and header limits, idle timeout (desk_tuning.hpp).
#include "desk_app.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace minga::client::desk {

class desk_server {
public:
    /// Binds 127.0.0.1:`port` (0: any free port) and prepares the app over `data_dir`.
    /// Throws boost::system::system_error when the port cannot be bound.
    desk_server(std::filesystem::path data_dir, std::uint16_t port);
    ~desk_server();
    desk_server(const desk_server&) = delete;
    desk_server& operator=(const desk_server&) = delete;

    /// The port actually bound.
    [[nodiscard]] std::uint16_t port() const noexcept;
    /// "http://127.0.0.1:PORT"
    [[nodiscard]] std::string url() const;
    /// The link that signs the browser in (contains the session secret: print it, never log it).
    [[nodiscard]] std::string sign_in_url() const;

    /// Serves until SIGINT/SIGTERM or stop(); returns after a clean shutdown.
    void run();
    /// Stops run() from another thread.
    void stop();

private:
    struct impl;
    std::unique_ptr<impl> p_;
};

}  // namespace minga::client::desk
