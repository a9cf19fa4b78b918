// `minga desk [--port P] [--open]`: the parish desk, a local web app on 127.0.0.1.
#include "commands.hpp"
#include "desk_server.hpp"

#include <fmt/format.h>

#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

namespace minga::client {

namespace {

/// Opens `url` in the person's browser (xdg-open), without waiting for it.
void open_browser(const std::string& url, printer& p) {
    pid_t pid = 0;
    std::string exe = "xdg-open";
    char* argv[] = {exe.data(), const_cast<char*>(url.c_str()), nullptr};
    if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) != 0)
        p.err() << p.pick("no se pudo abrir el navegador; abra el enlace a mano\n",
                          "could not open the browser; open the link by hand\n");
}

}  // namespace

void register_desk_command(CLI::App& app, cmd_env& env) {
    struct opts {
        std::uint16_t port = 0;
        bool open = false;
    };
    auto o = std::make_shared<opts>();
    auto* cmd = app.add_subcommand("desk", "escritorio parroquial: la aplicación web local (solo en este equipo)");
    cmd->add_option("--port", o->port, "puerto en 127.0.0.1 (predeterminado: uno libre)");
    cmd->add_flag("--open", o->open, "abrir el navegador en el escritorio");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) {
            int code = 0;
            if (!open_replica(p, g, code)) return code;  // says why (no replica, bad folder)
            std::optional<desk::desk_server> server;
            try {
                server.emplace(g.data_dir, o->port);
            } catch (const std::system_error& e) {
                return p.fail(make_error(errc::bad_input, "--port",
                                         fmt::format("no se puede escuchar en 127.0.0.1:{}: {}", o->port, e.what()),
                                         fmt::format("cannot listen on 127.0.0.1:{}: {}", o->port, e.what())));
            }
            p.out() << "listening on " << server->url() << '\n'
                    << p.pick("Abra en su navegador: ", "Open in your browser: ") << server->sign_in_url() << '\n'
                    << std::flush;
            if (o->open) open_browser(server->sign_in_url(), p);
            server->run();
            return 0;
        };
    });
}

}  // namespace minga::client
