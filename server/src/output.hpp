#pragma once
// How minga-server's administrative commands print: human text in the chosen language, or one
// JSON document with --json. Errors go to stderr (text) or stdout (JSON).
#include <minga/protocol/result.hpp>

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace minga::server {

/// Options every command takes (parsed in run_cli only).
struct global_options {
    std::string data_dir;
    std::string lang = "es";
    bool json = false;
};

/// Exit code for an error code: 75 transient, 2 the caller's input, 1 otherwise.
[[nodiscard]] int exit_for(errc code) noexcept;

class printer {
public:
    printer(const global_options& g, std::ostream& out, std::ostream& err)
        : g_(g), out_(out), err_(err) {}

    [[nodiscard]] bool json() const noexcept { return g_.json; }
    [[nodiscard]] bool en() const noexcept { return g_.lang == "en"; }
    [[nodiscard]] std::string_view pick(std::string_view es, std::string_view en) const {
        return this->en() ? en : es;
    }
    /// Prints the error and returns its exit code.
    int fail(const error& e);
    /// Prints `text`, or `doc` with --json.
    void done(std::string_view text, const nlohmann::json& doc);

    [[nodiscard]] std::ostream& out() noexcept { return out_; }
    [[nodiscard]] std::ostream& err() noexcept { return err_; }

private:
    const global_options& g_;  // owned by run_cli, which outlives the printer
    std::ostream& out_;
    std::ostream& err_;
};

}  // namespace minga::server
