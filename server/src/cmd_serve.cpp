// `minga-server serve`: the store executor, the HTTP endpoint on one io_context, and a clean
// stop on SIGINT/SIGTERM (stop accepting, finish requests in flight, stop the executor).
#include "commands.hpp"
#include <minga/server/tls_files.hpp>

#include <minga/server/central_backend.hpp>
#include <minga/server/http_server.hpp>
#include <minga/server/listen_address.hpp>
#include <minga/server/log.hpp>
#include <minga/server/store_executor.hpp>
#include <minga/server/version.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

namespace minga::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

struct serve_options {
    std::string listen = "127.0.0.1:8080";
    std::string log_level = "info";
    std::size_t max_connections = tuning::max_connections;
    std::size_t store_queue = tuning::store_queue_capacity;
    std::size_t threads = tuning::io_threads;
    bool plain_http = false;
    std::string tls_cert;  // "" = <data>/server.crt
    std::string tls_key;   // "" = <data>/server.key
};

log_level level_of(std::string_view s) {
    if (s == "debug") return log_level::debug;
    if (s == "warn") return log_level::warn;
    if (s == "error") return log_level::error;
    return log_level::info;
}

/// The endpoint for `a`: a literal address, else the first address the name resolves to.
/// Runs before the io_context serves anyone, so a blocking lookup here delays nothing.
result<tcp::endpoint> endpoint_of(const listen_address& a) {
    boost::system::error_code ec;
    const auto addr = net::ip::make_address(a.host, ec);
    if (!ec) return tcp::endpoint(addr, a.port);
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    const auto found = resolver.resolve(a.host, std::to_string(a.port), ec);
    if (ec || found.empty())
        return make_error(errc::bad_input, "--listen",
                          "no se encontró la dirección " + a.host + ": " + ec.message(),
                          "cannot resolve the address " + a.host + ": " + ec.message());
    return found.begin()->endpoint();
}

/// TLS unless `--plain-http`: the certificate and key given, else the ones `init` made.
/// Returns the fingerprint to log ("" for plain HTTP).
result<std::string> tls_setup(const global_options& g, const serve_options& o, server_config& cfg) {
    if (o.plain_http) {
        if (!o.tls_cert.empty() || !o.tls_key.empty())
            return make_error(errc::bad_input, "--plain-http",
                              "--plain-http no admite --tls-cert ni --tls-key",
                              "--plain-http does not go with --tls-cert or --tls-key");
        return std::string();
    }
    const auto def = tls_paths::in(g.data_dir);
    const tls_paths p{o.tls_cert.empty() ? def.cert : std::filesystem::path(o.tls_cert),
                      o.tls_key.empty() ? def.key : std::filesystem::path(o.tls_key)};
    std::error_code ec;
    if (!std::filesystem::exists(p.cert, ec))
        return make_error(errc::bad_input, "--tls-cert",
                          "no hay certificado en " + p.cert.string() +
                              "; cree uno con `minga-server cert create`, indique --tls-cert y "
                              "--tls-key, o use --plain-http (sin cifrado)",
                          "no certificate at " + p.cert.string() +
                              "; create one with `minga-server cert create`, give --tls-cert and "
                              "--tls-key, or use --plain-http (unencrypted)");
    cfg.tls_cert = p.cert;
    cfg.tls_key = p.key;
    return fingerprint_of(p.cert);
}

int serve(printer& p, const global_options& g, const serve_options& o) {
    auto addr = parse_listen(o.listen);
    if (!addr) return p.fail(addr.err());
    auto ep = endpoint_of(*addr);
    if (!ep) return p.fail(ep.err());

    server_config cfg;
    cfg.max_connections = o.max_connections;
    cfg.lang = g.lang;
    auto fingerprint = tls_setup(g, o, cfg);
    if (!fingerprint) return p.fail(fingerprint.err());
    if (auto st = cfg.validate(); !st) return p.fail(st.err());

    int code = 0;
    auto c = open_central(p, g, code);
    if (!c) return code;

    log_sink sink(std::cerr, level_of(o.log_level));
    const logger log(sink, "server");
    store_executor store(make_central_backend(std::move(*c)),
                         store_executor_options{o.store_queue, g.lang}, logger(sink, "store"));
    {
        net::io_context ioc(static_cast<int>(o.threads));
        // Registered before the "listening" line: a signal sent as soon as it is read is caught.
        net::signal_set signals(ioc, SIGINT, SIGTERM);
        auto srv = http_server::start(ioc, *ep, store, cfg, sink);
        if (!srv) {
            store.stop();
            return p.fail(srv.err());
        }
        http_server& server = **srv;
        signals.async_wait([&server, &log](const boost::system::error_code& ec, int sig) {
            if (ec) return;
            log.info("señal {} recibida: se termina lo pendiente y se detiene", sig);
            server.stop();
        });
        const auto port = server.local_endpoint().port();
        const std::string url = addr->url(port, server.tls());
        p.out() << "listening on " << url << std::endl;
        log.info("minga-server {} escuchando en {} (datos: {}, hilos: {}, cola del almacén: {}, "
                 "conexiones: {})",
                 version(), url, g.data_dir, o.threads, o.store_queue, o.max_connections);
        if (server.tls())
            log.info("TLS con el certificado {} (huella {})", cfg.tls_cert.string(), *fingerprint);
        else
            log.warn("HTTP sin cifrar (--plain-http): credenciales y datos viajan legibles; "
                     "úselo solo detrás de un túnel o una VPN");

        auto run = [&ioc, &log] {
            try {
                ioc.run();
            } catch (const std::exception& e) {
                // Handlers do not throw; if one ever does, stop everything rather than half-run.
                log.error("error inesperado en el bucle de red: {}", e.what());
                ioc.stop();
            }
        };
        std::vector<std::thread> threads;
        for (std::size_t i = 1; i < o.threads; ++i) threads.emplace_back(run);
        run();
        for (auto& t : threads) t.join();
    }
    store.stop();
    log.info("detenido");
    return 0;
}

}  // namespace

void register_serve_command(CLI::App& app, cmd_env& env) {
    auto o = std::make_shared<serve_options>();
    auto* cmd = app.add_subcommand("serve", "atender la sincronización por HTTPS (o HTTP con --plain-http)");
    cmd->add_option("--listen", o->listen, "dirección y puerto, HOST:PUERTO (0 = uno libre)")
        ->capture_default_str();
    cmd->add_option("--log-level", o->log_level, "debug, info, warn o error")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
        ->capture_default_str();
    cmd->add_option("--max-connections", o->max_connections, "conexiones abiertas a la vez")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
        ->capture_default_str();
    cmd->add_option("--store-queue", o->store_queue, "solicitudes en espera del almacén")
        ->check(CLI::Range(std::size_t{1}, std::size_t{10000}))
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "hilos de red")
        ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
        ->capture_default_str();
    cmd->add_flag("--plain-http", o->plain_http,
                  "atender HTTP sin cifrar (solo detrás de un túnel o una VPN)");
    cmd->add_option("--tls-cert", o->tls_cert, "certificado PEM (predeterminado: DATOS/server.crt)");
    cmd->add_option("--tls-key", o->tls_key, "clave privada PEM (predeterminada: DATOS/server.key)");
    cmd->callback([&env, o] {
        env.action = [o, &g = env.g](printer& p) { return serve(p, g, *o); };
    });
}

}  // namespace minga::server
