#pragma once
/// Hybrid logical clock (Kulkarni et al.): a stamp packs physical milliseconds in the high 48
/// bits and a logical counter in the low 16, so stamps compare as plain integers and never go
/// backwards, even when the wall clock does.
///
/// The physical part is the local wall clock corrected by `offset_ms` (server time minus local
/// time, learnt at each sync), so a device whose clock is a year wrong still stamps in the
/// server's time once it has synced. Not thread-safe: one clock per store connection.

#include <cstdint>
#include <functional>

namespace minga {

using hlc_t = std::uint64_t;

[[nodiscard]] constexpr hlc_t make_hlc(std::int64_t ms, std::uint32_t logical) noexcept {
    return (static_cast<hlc_t>(ms) << 16) | (logical & 0xffffu);
}
[[nodiscard]] constexpr std::int64_t hlc_ms(hlc_t h) noexcept { return static_cast<std::int64_t>(h >> 16); }
[[nodiscard]] constexpr std::uint32_t hlc_logical(hlc_t h) noexcept { return static_cast<std::uint32_t>(h & 0xffffu); }

/// Milliseconds since the Unix epoch from the system clock.
[[nodiscard]] std::int64_t system_ms();

class hlc_clock {
public:
    using wall_fn = std::function<std::int64_t()>;

    explicit hlc_clock(wall_fn wall = system_ms) : wall_(std::move(wall)) {}

    /// A fresh stamp, greater than every stamp issued or observed before.
    [[nodiscard]] hlc_t now();
    /// Moves the clock past a stamp seen from elsewhere (never backwards).
    void observe(hlc_t remote) noexcept;

    void set_offset_ms(std::int64_t off) noexcept { offset_ms_ = off; }
    /// After a clock correction: the clock continues from `floor` (the last re-stamped local
    /// change) or from the largest stamp seen from elsewhere, whichever is greater, dropping a
    /// future the wrong wall clock had run into.
    void restart(hlc_t floor) noexcept { last_ = floor > observed_ ? floor : observed_; }
    /// The largest stamp observed from elsewhere.
    [[nodiscard]] hlc_t observed() const noexcept { return observed_; }
    [[nodiscard]] std::int64_t offset_ms() const noexcept { return offset_ms_; }
    /// The corrected physical time in ms (wall clock + offset).
    [[nodiscard]] std::int64_t corrected_ms() const { return wall_() + offset_ms_; }
    [[nodiscard]] hlc_t last() const noexcept { return last_; }
    /// The uncorrected local wall clock in ms.
    [[nodiscard]] std::int64_t wall_ms() const { return wall_(); }

private:
    wall_fn wall_;
    std::int64_t offset_ms_ = 0;
    hlc_t last_ = 0;
    hlc_t observed_ = 0;
};

}  // namespace minga
