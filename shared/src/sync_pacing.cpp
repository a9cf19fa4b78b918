#include <minga/shared/sync_pacing.hpp>

#include <algorithm>
#include <cmath>

namespace minga {

request_sizer::request_sizer(std::uint32_t first, std::uint32_t floor, std::uint32_t cap) noexcept
    : size_(std::max<std::uint32_t>(1, std::min(first, cap))),
      floor_(std::max<std::uint32_t>(1, std::min(floor, cap))),
      cap_(std::max<std::uint32_t>(1, cap)) {
    size_ = std::max(size_, floor_);
}

std::uint32_t request_sizer::ask(std::int64_t budget_ms) const noexcept {
    if (budget_ms <= 0 || rate_ <= 0) return size_;
    // Less time left than a full request takes: ask for what fits at the last measured rate.
    const double fits = rate_ * static_cast<double>(budget_ms);
    if (fits >= size_) return size_;
    return std::max(floor_, static_cast<std::uint32_t>(fits));
}

void request_sizer::on_answer(std::uint64_t units, std::int64_t ms, std::int64_t target_ms) noexcept {
    if (units == 0) return;
    // An exchange faster than 1 ms (in process, loopback) says only "fast": grow at max speed.
    const double took = static_cast<double>(std::max<std::int64_t>(1, ms));
    rate_ = static_cast<double>(units) / took;
    const double want = rate_ * static_cast<double>(std::max<std::int64_t>(1, target_ms));
    const double ceiling = std::min<double>(cap_, static_cast<double>(size_) * sync_tuning::max_growth);
    size_ = static_cast<std::uint32_t>(std::clamp(std::floor(want), static_cast<double>(floor_), ceiling));
}

void request_sizer::on_failure() noexcept { size_ = std::max(floor_, size_ / 2); }

std::uint32_t page_bytes_with_tail(std::uint32_t ask, std::uint64_t rest_rows, double bytes_per_row,
                                  std::uint32_t cap) noexcept {
    if (rest_rows == 0 || !(bytes_per_row > 0) || ask >= cap) return ask;
    const double rest = static_cast<double>(rest_rows) * bytes_per_row;
    if (rest > static_cast<double>(ask) * (1 + sync_tuning::tail_merge)) return ask;
    // A quarter more than the estimate: the rows still to come may be larger than the last ones.
    const double want = std::ceil(rest * 1.25);
    return static_cast<std::uint32_t>(std::clamp(want, static_cast<double>(ask), static_cast<double>(cap)));
}

std::int64_t backoff_ceiling(const retry_policy& p, std::uint32_t attempt) noexcept {
    const std::int64_t base = std::max<std::int64_t>(0, p.base_ms);
    const std::int64_t cap = std::max<std::int64_t>(0, p.cap_ms);
    if (base == 0) return 0;
    std::int64_t c = base;
    for (std::uint32_t i = 0; i < attempt && c < cap; ++i) c *= 2;  // no overflow: stops at cap
    return std::min(c, cap);
}

std::int64_t backoff::delay_ms(std::uint32_t attempt) {
    std::uniform_int_distribution<std::int64_t> d(0, backoff_ceiling(p_, attempt));
    return d(rng_);
}

}  // namespace minga
