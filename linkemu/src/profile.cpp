// The named link profiles and the planned cut offsets.
#include "rng.hpp"

#include <minga/linkemu/link.hpp>

#include <array>
#include <cmath>

namespace minga::linkemu {

namespace {

link_profile make(std::string name, std::uint64_t rate_bps, milliseconds rtt, milliseconds jitter,
                  double cut_mean_bytes) {
    link_profile p;
    p.name = std::move(name);
    p.rate_bps = rate_bps;
    p.rtt = rtt;
    p.jitter = jitter;
    p.cut_mean_bytes = cut_mean_bytes;
    return p;
}

std::array<link_profile, 4> all_profiles() {
    using std::chrono::milliseconds;
    return {
        make("clean", 0, milliseconds(0), milliseconds(0), 0),
        make("3g", 2'000'000, milliseconds(200), milliseconds(20), 0),
        make("2g", 256'000, milliseconds(600), milliseconds(50), 1'000'000),
        make("satellite", 1'000'000, milliseconds(1200), milliseconds(30), 0),
    };
}

bool bad(double v) {
    return !std::isfinite(v) || v < 0;
}

}  // namespace

std::optional<std::string> link_profile::invalid() const {
    if (rtt.count() < 0) return "rtt";
    if (jitter.count() < 0) return "jitter";
    if (stall.count() < 0) return "stall";
    if (outage.count() < 0) return "outage";
    if (bad(cut_mean_bytes)) return "cut_mean_bytes";
    if (bad(stall_mean_interval_s)) return "stall_mean_interval_s";
    if (bad(outage_mean_interval_s)) return "outage_mean_interval_s";
    return std::nullopt;
}

std::optional<link_profile> profile(std::string_view name) {
    for (auto& p : all_profiles())
        if (p.name == name) return p;
    return std::nullopt;
}

std::vector<std::string> profile_names() {
    std::vector<std::string> out;
    for (auto& p : all_profiles()) out.push_back(p.name);
    return out;
}

std::optional<std::uint64_t> planned_cut(std::uint64_t seed, std::uint64_t index,
                                         double mean_bytes) {
    if (!(mean_bytes > 0)) return std::nullopt;
    rng r(seed, index, stream::cuts);
    // At least one byte passes: a cut at 0 would be indistinguishable from a refusal.
    return static_cast<std::uint64_t>(std::ceil(r.exponential(mean_bytes))) + 1;
}

}  // namespace minga::linkemu
