#pragma once
// Fixed example frames, one per message type: the golden fixtures, the spec's hex examples and
// the base of every hostile-frame test. Changing any content here changes the fixtures.

#include <minga/protocol/messages.hpp>
#include <minga/protocol/result.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace minga::protocol::test {

using bytes = std::vector<std::uint8_t>;

struct sample {
    std::string name;  ///< the message name, also the fixture's file name without ".mpac"
    frame f;
};

/// One frame per message type, in wire-number order.
[[nodiscard]] const std::vector<sample>& samples();

/// The v2 fixtures: negotiation up to v2 and the snapshot fields of pull and pull_page.
[[nodiscard]] const std::vector<sample>& v2_samples();

/// The v3 device-clock fixture: a push carrying the device's raw clock (a year ahead).
[[nodiscard]] const std::vector<sample>& clock_v3_samples();

/// The sample of the message called `name` ("push", ...).
[[nodiscard]] const frame& sample_frame(const std::string& name);

/// `hex` ("94 01 02") as bytes; spaces ignored.
[[nodiscard]] bytes from_hex(const std::string& hex);

/// Bytes as lowercase hex, space-separated.
[[nodiscard]] std::string to_hex(const bytes& b);

/// The error of a failed decode or validate, or a readable failure when it succeeded.
template <class T>
[[nodiscard]] error error_of(const result<T>& r) {
    if (r.ok()) return make_error(errc::ok, "<succeeded>", "", "");
    return r.err();
}

}  // namespace minga::protocol::test
