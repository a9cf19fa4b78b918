#pragma once
// Private: the rules shared by every message's validate(), with a sticky first error.

#include "wire_path.hpp"

#include <minga/protocol/tuning.hpp>
#include <minga/protocol/value.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace minga::protocol::detail {

/// Runs checks in order and keeps the first failure; every check is a no-op after it.
/// Holds a reference to the caller's limits, which outlive the checker (one validate call).
class checker {
  public:
    explicit checker(const limits& lim) noexcept : lim_(lim) {}

    [[nodiscard]] const limits& lim() const noexcept { return lim_; }
    [[nodiscard]] bool failed() const noexcept { return errors_.failed(); }
    [[nodiscard]] status take() { return errors_.take(); }

    /// Records `code` at `at` when `ok` is false.
    void require(bool ok, errc code, const path& at, std::string_view es, std::string_view en);

    /// A row, device, server id or GAD code: 1..max_id_bytes of printable ASCII, no spaces.
    void id(const std::string& s, const path& at);
    /// A table or column name: 1..max_identifier_bytes of [A-Za-z0-9_], not starting with a digit.
    void identifier(const std::string& s, const path& at);
    /// An enrolment token or credential: 1..max_token_bytes of printable ASCII, no spaces.
    void token(const std::string& s, const path& at);
    /// Free text: well-formed UTF-8 of at most `max` bytes (may be empty).
    void text(const std::string& s, const path& at, std::size_t max);
    /// At most `max` items.
    void count(std::size_t n, std::size_t max, const path& at);
    /// A str value within max_string_bytes and UTF-8, or a bin within max_blob_bytes.
    void value_of(const value& v, const path& at);
    /// Identifiers, each valid, none repeated.
    void unique_identifiers(std::span<const std::string> names, const path& at);
    /// Ids, each valid, none repeated.
    void unique_ids(std::span<const std::string> ids, const path& at);

    /// No name repeated (names are checked one by one elsewhere).
    void unique_names(std::vector<std::string_view> names, const path& at);

  private:
    void ascii_word(const std::string& s, const path& at, std::size_t max, std::string_view what_es,
                    std::string_view what_en);

    const limits& lim_;  // owned by the caller of validate(), alive for the whole call
    first_error errors_;
};

}  // namespace minga::protocol::detail
