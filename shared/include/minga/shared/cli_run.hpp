#pragma once
// The end of both programs' run_cli: parse, answer help/version/usage errors, run the chosen
// command, and turn a storage failure into a named error. Header-only: CLI11 is header-only and
// only the two programs include this.
#include <minga/shared/cli_output.hpp>
#include <minga/shared/sqlite.hpp>

#include <CLI/CLI.hpp>

#include <string>

namespace minga::cli {

/// What run_app needs to know about the program: its name (for "see `NAME --help`") and how
/// to name its store in a storage failure.
struct program_text {
    std::string_view name;
    std::string_view store_es;  ///< "fallo de la base de datos local"
    std::string_view store_en;  ///< "local database failure"
};

/// Parses `argv` into `app` and runs `env.action` with a `Printer` (the program's printer,
/// constructible from (global_options, out, err)). Returns the process exit code.
template <class Printer, class Env>
int run_app(CLI::App& app, Env& env, const program_text& prog, int argc, const char* const* argv,
            std::ostream& out, std::ostream& err) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return 0;
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return 0;
    } catch (const CLI::CallForVersion& e) {
        out << e.what() << '\n';  // the string given to set_version_flag
        return 0;
    } catch (const CLI::ParseError& e) {
        const bool en = env.g.lang == "en";
        err << (en ? "usage error: " : "error de uso: ") << e.what() << '\n'
            << (en ? "see `" : "vea `") << prog.name << " --help`" << '\n';
        return static_cast<int>(exit_code::bad_input);
    }
    Printer p(env.g, out, err);
    if (!env.action) {
        out << app.help();
        return static_cast<int>(exit_code::bad_input);
    }
    try {
        return env.action(p);
    } catch (const sql::sql_error& e) {
        // A storage failure is not the caller's input: say what broke and where.
        return p.fail(make_error(errc::internal, "--data",
                                 std::string(prog.store_es) + ": " + e.what(),
                                 std::string(prog.store_en) + ": " + e.what()));
    }
}

}  // namespace minga::cli
