#pragma once
// Comma-separated lists as stored in a few text columns and meta values (GAD scopes, the
// columns a `list` shows): one split and one join for the whole engine.
#include <string>
#include <string_view>
#include <vector>

namespace minga {

/// The non-empty items of `text` separated by `sep`.
[[nodiscard]] inline std::vector<std::string> split_list(std::string_view text, char sep = ',') {
    std::vector<std::string> out;
    for (std::size_t start = 0; start <= text.size();) {
        auto end = text.find(sep, start);
        if (end == std::string_view::npos) end = text.size();
        if (end > start) out.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

[[nodiscard]] inline std::string join_list(const std::vector<std::string>& items, char sep = ',') {
    std::string out;
    for (const auto& s : items) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

}  // namespace minga
