#pragma once
// What both command lines (`minga`, `minga-server`) share: the global options, the exit codes,
// and the printer that writes human text in the chosen language or one JSON document.
#include <minga/protocol/result.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace minga::cli {

/// Exit codes of every minga and minga-server command (sysexits-style for "try again later").
enum class exit_code : int { ok = 0, failure = 1, bad_input = 2, try_later = 75 };

/// Exit code for an error code: 75 transient, 2 the caller's input, 1 otherwise.
[[nodiscard]] int exit_for(errc code) noexcept;

/// Options every command takes (parsed by the program's run_cli).
struct global_options {
    std::string data_dir;
    std::string lang = "es";
    bool json = false;
};

/// "en" when MINGA_LANG=en, otherwise "es".
[[nodiscard]] std::string default_lang();

/// Prints results and errors for one command run. Holds references to the caller's streams.
class printer {
public:
    printer(const global_options& g, std::ostream& out, std::ostream& err)
        : g_(g), out_(out), err_(err) {}

    [[nodiscard]] bool json() const noexcept { return g_.json; }
    [[nodiscard]] bool en() const noexcept { return g_.lang == "en"; }
    [[nodiscard]] std::string_view pick(std::string_view es, std::string_view en) const {
        return this->en() ? en : es;
    }

    /// Prints an error (stderr in text mode, a JSON document on stdout with --json) and
    /// returns the exit code that goes with it.
    int fail(const error& e);
    /// Prints warnings (never fatal); with --json they go into `doc` when given.
    void warn(const std::vector<error>& warnings, nlohmann::json* doc = nullptr);
    /// Prints a one-line success message or, with --json, `doc`. Flushed: a long-running
    /// command (serve, desk) prints its address this way.
    void done(std::string_view message, const nlohmann::json& doc);

    [[nodiscard]] std::ostream& out() noexcept { return out_; }
    [[nodiscard]] std::ostream& err() noexcept { return err_; }

protected:
    const global_options& g_;  // owned by the command run, which outlives the printer
    std::ostream& out_;
    std::ostream& err_;
};

/// The global options and the command chosen on the command line (set by its registration).
template <class Printer>
struct command_env {
    global_options g;
    std::function<int(Printer&)> action;
};

}  // namespace minga::cli
