#include <minga/shared/hlc.hpp>

#include <chrono>

namespace minga {

std::int64_t system_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

hlc_t hlc_clock::now() {
    hlc_t physical = make_hlc(corrected_ms(), 0);
    // When the physical part has not advanced (same ms, or the wall clock went back), the
    // logical counter carries the order; it overflows into the ms part, which stays monotonic.
    last_ = physical > last_ ? physical : last_ + 1;
    return last_;
}

void hlc_clock::observe(hlc_t remote) noexcept {
    if (remote > last_) last_ = remote;
    if (remote > observed_) observed_ = remote;
}

}  // namespace minga
