#include "output.hpp"

#include <minga/server/cli.hpp>

namespace minga::server {

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

void printer::done(std::string_view text, const nlohmann::json& doc) {
    if (g_.json) out_ << doc.dump() << '\n';
    else out_ << text << '\n';
    out_.flush();
}

}  // namespace minga::server
