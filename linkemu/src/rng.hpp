#pragma once
// The emulator's random numbers: splitmix64, chosen because its output is fixed by its
// definition (std::*_distribution are not the same across standard libraries), so a seed means
// the same cuts everywhere.
#include <cmath>
#include <cstdint>

namespace minga::linkemu {

class rng {
  public:
    /// Stream `stream` of connection `index` of a link seeded with `seed`: independent streams
    /// for cuts, stalls and each direction's jitter, so one's draws never shift another's.
    rng(std::uint64_t seed, std::uint64_t index, std::uint64_t stream) : s_(seed) {
        s_ = next() ^ (index * 0x9E3779B97F4A7C15ULL);
        s_ = next() ^ (stream * 0xD1B54A32D192ED03ULL);
        (void)next();
    }

    std::uint64_t next() noexcept {
        std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1).
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Exponential with the given mean.
    double exponential(double mean) noexcept { return -mean * std::log1p(-uniform()); }

  private:
    std::uint64_t s_;
};

/// Stream numbers (never reuse one for another purpose: it would change every seed's draws).
namespace stream {
inline constexpr std::uint64_t cuts = 0;
inline constexpr std::uint64_t stalls = 1;
inline constexpr std::uint64_t jitter_up = 2;
inline constexpr std::uint64_t jitter_down = 3;
inline constexpr std::uint64_t outages = 4;
}  // namespace stream

}  // namespace minga::linkemu
