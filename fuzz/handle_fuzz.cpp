// libFuzzer target: the server's whole request handling, central::handle(), on a real store
// (a temporary folder) with one enrolled device. The first input byte picks the credential
// (the device's, none, or a wrong one); the rest is the request body. handle() must always
// answer a frame that decodes, and never throw, crash or corrupt the store.
#include <minga/protocol/codec.hpp>
#include <minga/shared/central.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <span>
#include <string>

namespace {

/// The device id the hostile corpus and the golden frames use, so seeds reach the push path.
constexpr const char* device_id = "0190a6e2-7c4d-7b3a-9f10-5c2e8d4a1b01";

struct world {
    std::optional<minga::central> store;
    std::string credential;

    world() {
        char tmpl[] = "/tmp/minga-fuzz-XXXXXX";
        if (mkdtemp(tmpl) == nullptr) std::abort();
        auto created = minga::central::create(tmpl, MINGA_DATA_SOURCE_DIR);
        if (!created) std::abort();
        store.emplace(std::move(*created));
        auto token = store->enroll_device("170151", "fuzz", 3600 * 1000);
        if (!token) std::abort();
        minga::protocol::frame f;
        f.body = minga::protocol::enroll{token->token, "fuzz", device_id};
        auto ack = minga::protocol::decode(store->handle(minga::protocol::encode(f), ""));
        if (!ack) std::abort();
        credential = std::get<minga::protocol::enroll_ack>(ack->body).credential;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static world w;
    if (size == 0) return 0;
    std::string bearer;
    switch (data[0] % 3) {
        case 0: bearer = w.credential; break;
        case 1: break;
        default: bearer = std::string(device_id) + ".00"; break;
    }
    const auto answer = w.store->handle(std::span<const std::uint8_t>(data + 1, size - 1), bearer);
    if (!minga::protocol::decode(answer)) std::abort();
    return 0;
}
