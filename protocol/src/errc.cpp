#include <minga/protocol/errc.hpp>
#include <minga/protocol/result.hpp>

#include <utility>

namespace minga {

std::string_view to_string(errc e) noexcept {
    switch (e) {
        case errc::ok: return "ok";
        case errc::bad_input: return "bad_input";
        case errc::not_found: return "not_found";
        case errc::conflict: return "conflict";
        case errc::unauthorized: return "unauthorized";
        case errc::forbidden: return "forbidden";
        case errc::busy: return "busy";
        case errc::unavailable: return "unavailable";
        case errc::bad_frame: return "bad_frame";
        case errc::too_large: return "too_large";
        case errc::unsupported_version: return "unsupported_version";
        case errc::internal: return "internal";
        case errc::timeout: return "timeout";
        case errc::expired: return "expired";
    }
    return "unknown";
}

std::string error::text(std::string_view lang) const {
    if (lang != "en") return field.empty() ? es : field + ": " + es;
    if (field.empty()) return en;
    // Field labels of files people wrote are Spanish ("línea 14, columna fecha"): name them in
    // English too when the message is English.
    std::string f = field;
    for (auto [from, to] : {std::pair<std::string_view, std::string_view>{"línea ", "line "},
                            {"columna ", "column "}}) {
        for (auto pos = f.find(from); pos != std::string::npos; pos = f.find(from, pos + to.size()))
            f.replace(pos, from.size(), to);
    }
    return f + ": " + en;
}

}  // namespace minga
