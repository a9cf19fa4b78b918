#pragma once
// Private: where in a message a field sits ("push.changes[3].hlc"), and the first error seen.

#include <minga/protocol/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace minga::protocol::detail {

/// One step of a field path, linked to its parent on the caller's stack. Building one costs
/// nothing; the string is only made when an error names it. A path never outlives the full
/// expression or scope of its parent, which owns nothing but the names (string literals).
class path {
  public:
    explicit path(std::string_view root) noexcept : name_(root) {}
    path(const path& parent, std::string_view member) noexcept : parent_(&parent), name_(member) {}
    path(const path& parent, std::size_t index) noexcept
        : parent_(&parent), index_(index), is_index_(true) {}

    [[nodiscard]] std::string str() const;

  private:
    const path* parent_ = nullptr;  // owned by the caller's frame, which outlives this step
    std::string_view name_;
    std::size_t index_ = 0;
    bool is_index_ = false;
};

/// Keeps the first error reported and ignores the rest, so a reader or checker can run a
/// sequence of steps and be asked once at the end. Every step is a no-op after a failure.
class first_error {
  public:
    [[nodiscard]] bool failed() const noexcept { return err_.has_value(); }

    void fail(errc code, const path& at, std::string_view es, std::string_view en);

    /// Success, or the first error (moved out).
    [[nodiscard]] status take();

  private:
    std::optional<error> err_;
};

}  // namespace minga::protocol::detail
