#pragma once
// Integration support: finding Chromium and chromedriver for the browser tests. Missing on a
// dev machine: the test is skipped with a warning; in CI (CI=true) that is a failure.
#include "process.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <initializer_list>
#include <optional>

namespace minga::test {

/// The first of `paths` that exists; nullopt (with a WARN, or FAIL when CI=true) otherwise.
inline std::optional<fs::path> find_browser_program(std::initializer_list<const char*> paths, const char* what) {
    for (const char* p : paths)
        if (fs::exists(p)) return fs::path(p);
    if (const char* ci = std::getenv("CI"); ci && std::string_view(ci) == "true")
        FAIL(std::string(what) + " is missing: install chromium and chromium-driver (scripts/install-deps.sh)");
    WARN(std::string(what) + " not installed: this browser test is skipped on this machine "
         "(apt install chromium chromium-driver)");
    return std::nullopt;
}

inline std::optional<fs::path> find_chromium() {
    return find_browser_program({"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/local/bin/chromium"},
                                "chromium");
}

inline std::optional<fs::path> find_chromedriver() {
    return find_browser_program({"/usr/bin/chromedriver", "/usr/local/bin/chromedriver"}, "chromedriver");
}

}  // namespace minga::test
