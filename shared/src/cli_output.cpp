#include <minga/shared/cli_output.hpp>

#include <cstdlib>

namespace minga::cli {

int exit_for(errc code) noexcept {
    if (code == errc::ok) return static_cast<int>(exit_code::ok);
    if (is_transient(code)) return static_cast<int>(exit_code::try_later);
    switch (code) {
        case errc::bad_input:
        case errc::too_large:
        case errc::not_found:
        case errc::conflict:
        case errc::forbidden: return static_cast<int>(exit_code::bad_input);
        default: return static_cast<int>(exit_code::failure);
    }
}

std::string default_lang() {
    if (const char* l = std::getenv("MINGA_LANG"); l && std::string_view(l) == "en") return "en";
    return "es";
}

int printer::fail(const error& e) {
    if (g_.json) {
        out_ << nlohmann::json{{"ok", false},
                               {"error",
                                {{"code", std::string(to_string(e.code))},
                                 {"field", e.field},
                                 {"message", en() ? e.en : e.es}}}}
                    .dump()
             << std::endl;
    } else {
        err_ << "error: " << e.text(g_.lang) << std::endl;
    }
    return exit_for(e.code);
}

void printer::warn(const std::vector<error>& warnings, nlohmann::json* doc) {
    for (const auto& w : warnings) {
        if (doc) (*doc)["warnings"].push_back({{"field", w.field}, {"message", en() ? w.en : w.es}});
        if (!g_.json) err_ << pick("aviso: ", "warning: ") << (en() ? w.en : w.es) << '\n';
    }
}

void printer::done(std::string_view message, const nlohmann::json& doc) {
    if (g_.json) out_ << doc.dump() << '\n';
    else out_ << message << '\n';
    out_.flush();
}

}  // namespace minga::cli
