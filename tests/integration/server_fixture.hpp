#pragma once
// Integration support: a real `minga-server` process on 127.0.0.1:0 with its own store in a
// scratch directory. Start-up is synchronised on the "listening on http(s)://HOST:PORT" line;
// the stop sends SIGTERM and waits (bounded) for the exit. No sleeps.
//
// `init` creates a self-signed certificate. `start()` serves plain HTTP (`--plain-http`), so a
// client enrols with just `--server URL --token T`; `start(link::tls)` serves HTTPS with that
// certificate, and clients enrol with `enroll_args(token)` (which adds `--pin FINGERPRINT`).
#include "minga_cli.hpp"
#include "process.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace minga::test {

class minga_server {
public:
    enum class link { plain, tls };

    /// Creates the store (`init`); throws when that fails.
    minga_server() : dir_("minga-srv") {
        auto r = run({"init"});
        if (!r.exited(0)) throw std::runtime_error("minga-server init failed\n" + r.describe());
    }

    /// A store copied from `store_template` (a store made by another minga_server's `init`),
    /// for tests that need many fresh servers: a copy is much faster than `init`.
    explicit minga_server(const fs::path& store_template) : dir_("minga-srv") {
        fs::copy(store_template, data_dir(), fs::copy_options::recursive);
    }

    [[nodiscard]] fs::path data_dir() const { return dir_ / "store"; }

    /// `minga-server --data DIR ARGS...` run to completion, in Spanish, MINGA_* removed.
    [[nodiscard]] process_result run(const std::vector<std::string>& args) const {
        std::vector<std::string> full{"--data", data_dir().string()};
        full.insert(full.end(), args.begin(), args.end());
        run_options o;
        o.env = {{"MINGA_DATA", std::nullopt}, {"MINGA_LANG", std::nullopt}};
        return run_process(minga_server_bin(), full, o);
    }
    [[nodiscard]] nlohmann::json run_json(const std::vector<std::string>& args) const {
        std::vector<std::string> full{"--json"};
        full.insert(full.end(), args.begin(), args.end());
        auto r = run(full);
        if (!r.exited(0)) throw std::runtime_error("minga-server command failed\n" + r.describe());
        return json_of(r);
    }

    /// Starts `serve --listen 127.0.0.1:0` (plain HTTP unless `link::tls`, then `extra`
    /// options) and returns the URL from its first line.
    std::string start(link l = link::plain, const std::vector<std::string>& extra = {}) {
        run_options o;
        o.env = {{"MINGA_DATA", std::nullopt}, {"MINGA_LANG", std::nullopt}};
        std::vector<std::string> args{"--data", data_dir().string(), "serve", "--listen",
                                      "127.0.0.1:0"};
        if (l == link::plain) args.emplace_back("--plain-http");
        args.insert(args.end(), extra.begin(), extra.end());
        tls_ = l == link::tls;
        child_.emplace(minga_server_bin(), args, o);
        auto line = child_->read_line();
        const std::string prefix = "listening on ";
        if (!line || line->rfind(prefix, 0) != 0)
            throw std::runtime_error("minga-server did not print its address; stderr:\n" +
                                     child_->stderr_text());
        url_ = line->substr(prefix.size());
        return url_;
    }
    [[nodiscard]] const std::string& url() const noexcept { return url_; }
    /// The port of the running server (from its URL).
    [[nodiscard]] std::uint16_t port() const {
        return static_cast<std::uint16_t>(std::stoul(url_.substr(url_.rfind(':') + 1)));
    }

    /// The fingerprint of the server's certificate (`sha256:HEX`), as `cert show` prints it.
    [[nodiscard]] std::string pin() const {
        return run_json({"cert", "show"}).at("fingerprint").get<std::string>();
    }
    /// `enroll --server URL --token T`, plus `--pin FINGERPRINT` when serving TLS.
    [[nodiscard]] std::vector<std::string> enroll_args(const std::string& token) const {
        std::vector<std::string> a{"enroll", "--server", url_, "--token", token};
        if (tls_) {
            a.emplace_back("--pin");
            a.push_back(pin());
        }
        return a;
    }

    /// SIGTERM, then the exit (bounded by a guard of 30 s).
    process_result stop(int sig = SIGTERM) {
        auto r = child_->stop(sig, std::chrono::seconds(30));
        return r;
    }
    [[nodiscard]] std::string log_text() const { return child_ ? child_->stderr_text() : ""; }

    /// A one-time enrolment token for a device of `gad`.
    [[nodiscard]] std::string token(const std::string& gad) const {
        return run_json({"device", "enroll", "--gad", gad, "--name", "tableta " + gad})
            .at("token")
            .get<std::string>();
    }
    [[nodiscard]] std::string digest(const std::string& gad) const {
        auto r = run({"digest", "--gad", gad});
        if (!r.exited(0)) throw std::runtime_error("minga-server digest failed\n" + r.describe());
        return r.out.substr(0, r.out.find('\n'));
    }

private:
    temp_dir dir_;
    std::optional<child_process> child_;
    std::string url_;
    bool tls_ = false;
};

/// Runs a minga command with --json, REQUIREs exit 0 and returns the document.
inline nlohmann::json ok_json(const minga_client& c, const std::vector<std::string>& args) {
    auto r = c.run_json(args);
    INFO(r.describe());
    REQUIRE(r.exited(0));
    return json_of(r);
}

/// `minga digest` of a replica.
inline std::string client_digest(const minga_client& c) {
    return ok_json(c, {"digest"}).at("digest").get<std::string>();
}

}  // namespace minga::test
