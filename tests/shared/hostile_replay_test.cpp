// The hostile corpus (tests/protocol/hostile/) through the server's whole request handling,
// central::handle(), with a valid credential of the device the frames name: every frame gets
// an error frame with a stable code, and nothing in the store changes.
#include "store_state.hpp"
#include "sync_fixture.hpp"

#include <minga/protocol/codec.hpp>

#include <fstream>
#include <iterator>

using namespace minga;

TEST_CASE("hostile corpus: central::handle answers an error frame and writes nothing",
          "[shared][hostile]") {
    testing::sync_world w;
    // The device id every corpus frame uses, enrolled for real.
    const std::string device = "0190a6e2-7c4d-7b3a-9f10-5c2e8d4a1b01";
    auto tok = w.server->enroll_device("170151", "corpus", 3600 * 1000);
    REQUIRE(tok.ok());
    protocol::frame enrol;
    enrol.body = protocol::enroll{tok->token, "corpus", device};
    auto ack = protocol::decode(w.server->handle(protocol::encode(enrol), ""));
    REQUIRE(ack.ok());
    const auto* e = std::get_if<protocol::enroll_ack>(&ack->body);
    REQUIRE(e != nullptr);
    const std::string credential = e->credential;

    auto& db = w.server->conn();
    std::size_t replayed = 0;
    for (const auto& entry : std::filesystem::directory_iterator(
             std::filesystem::path(MINGA_SOURCE_DIR) / "tests/protocol/hostile")) {
        if (entry.path().extension() != ".mpac") continue;
        INFO(entry.path().filename().string());
        std::ifstream in(entry.path(), std::ios::binary);
        const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
        const auto before = testing::stored_state(db);
        const auto answer = protocol::decode(w.server->handle(bytes, credential));
        REQUIRE(answer.ok());
        const auto* err = std::get_if<protocol::error_body>(&answer->body);
        REQUIRE(err != nullptr);
        CHECK(err->code != errc::ok);
        CHECK(err->code != errc::internal);
        CHECK(testing::stored_state(db) == before);
        ++replayed;
    }
    CHECK(replayed >= 50);
}
