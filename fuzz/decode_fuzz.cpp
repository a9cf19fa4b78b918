// libFuzzer target: protocol::decode() on arbitrary bytes. It must never crash, hang, leak or
// allocate beyond its limits (ASan/UBSan report those), and a frame it accepts must survive
// encode() and decode() again unchanged (the round trip is the property checked here).
#include <minga/protocol/codec.hpp>

#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto first = minga::protocol::decode(std::span<const std::uint8_t>(data, size));
    if (!first) {
        // Every refusal carries a code and both languages' messages.
        if (first.err().code == minga::errc::ok || first.err().es.empty() || first.err().en.empty())
            std::abort();
        return 0;
    }
    const auto bytes = minga::protocol::encode(*first);
    const auto second = minga::protocol::decode(bytes);
    if (!second || !(*second == *first)) std::abort();
    return 0;
}
