#pragma once
// How the client prints: human text in the chosen language, or one JSON document.
#include <minga/client/cli.hpp>
#include <minga/protocol/result.hpp>
#include <minga/shared/entity_service.hpp>

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>
#include <string_view>

namespace minga::client {

/// Options every command takes.
struct global_options {
    std::string data_dir;
    std::string lang = "es";
    bool json = false;
};

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
    /// Prints warnings (never fatal).
    void warn(const std::vector<error>& warnings, nlohmann::json* doc = nullptr);
    /// Prints a one-line success message or, with --json, `doc`.
    void done(std::string_view message, const nlohmann::json& doc);

    void print_record(const entity_spec& e, const record& r, form_checker& money);
    void print_list(const entity_spec& e, const std::vector<record>& rows);

    [[nodiscard]] std::ostream& out() noexcept { return out_; }
    [[nodiscard]] std::ostream& err() noexcept { return err_; }

private:
    const global_options& g_;  // owned by the command run, which outlives the printer
    std::ostream& out_;
    std::ostream& err_;
};

/// Exit code for an error code.
[[nodiscard]] int exit_for(errc code) noexcept;
/// A stored value as JSON.
[[nodiscard]] nlohmann::json to_json(const sql::value& v);
[[nodiscard]] nlohmann::json to_json(const record& r);

}  // namespace minga::client
