// Protocol v3 bundle keys (docs/protocol.md §15): frozen fixtures of the four messages that
// carry them, and the compatibility rules around them (a v2 peer sees no key fields; a hello's
// keys follow its maximum version, not its envelope's).

#include "samples.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/validate.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

namespace minga::protocol::test {

// Defined in golden_test.cpp: encode/decode every sample against its .mpac fixture.
void check_encoding(const std::vector<sample>& all);
void check_decoding(const std::vector<sample>& all);

namespace {

constexpr const char* device = "0190a6e2-7c4d-7b3a-9f10-5c2e8d4a1b01";
constexpr std::int64_t server_time = 1733000000000;

std::vector<std::uint8_t> key(std::uint8_t fill) {
    return std::vector<std::uint8_t>(tuning::public_key_bytes, fill);
}

const std::vector<sample>& keys_samples() {
    static const std::vector<sample> all = [] {
        hello h{1, 3, device, "minga 0.3.0"};
        h.sign_pk = key(0x51);
        h.box_pk = key(0xb0);
        hello_ack ha{3, server_time, "srv-quito-1"};
        ha.server_box_pk = key(0x5e);
        enroll e{"K7QX-94TB-M2WD", "Tablet técnica Yaruquí", device};
        e.sign_pk = key(0x51);
        e.box_pk = key(0xb0);
        enroll_ack ea{device, "mgc1.pY3rT9vXq2", {"170185"}, server_time};
        ea.server_box_pk = key(0x5e);
        return std::vector<sample>{
            // A v3 client's hello still travels in a v1 envelope; its keys follow max_version.
            {"hello_v3_keys", frame{1, 1, h}},
            {"hello_ack_v3_keys", frame{3, 1, ha}},
            {"enroll_v3_keys", frame{3, 2, e}},
            {"enroll_ack_v3_keys", frame{3, 2, ea}},
        };
    }();
    return all;
}

}  // namespace

TEST_CASE("golden: encoding matches the frozen v3 key fixtures byte for byte") {
    check_encoding(keys_samples());
}

TEST_CASE("golden: the frozen v3 key fixtures decode to the sample frames") {
    check_decoding(keys_samples());
}

TEST_CASE("v3 keys: a v2 answer carries no key fields and a v2 peer reads it") {
    hello_ack ha{2, server_time, "srv-quito-1"};
    ha.server_box_pk = key(0x5e);
    auto d = decode(encode(frame{2, 1, ha}));
    REQUIRE(d.ok());
    CHECK(std::get<hello_ack>(d->body).server_box_pk.empty());
    CHECK(encode(frame{2, 1, ha}) == encode(frame{2, 1, hello_ack{2, server_time, "srv-quito-1"}}));
    enroll_ack ea{device, "mgc1.x", {"170185"}, server_time};
    ea.server_box_pk = key(1);
    auto e = decode(encode(frame{2, 2, ea}));
    REQUIRE(e.ok());
    CHECK(std::get<enroll_ack>(e->body).server_box_pk.empty());
}

TEST_CASE("v3 keys: a v3 hello missing its keys is refused, naming the field") {
    // max_version 3 but only the four v1 fields: as a v3 hello cut short.
    const auto v2 = encode(frame{1, 1, hello{1, 2, device, "minga"}});
    auto v3 = encode(frame{1, 1, [] {
                              hello h{1, 3, device, "minga"};
                              h.sign_pk = key(1);
                              h.box_pk = key(2);
                              return h;
                          }()});
    REQUIRE(v3.size() == v2.size() + 2 * (2 + 32));
    // Same frame with the array header saying 4 elements and the keys cut off.
    std::vector<std::uint8_t> cut(v3.begin(), v3.end() - 2 * (2 + 32));
    const auto header = std::find(cut.begin(), cut.end(), std::uint8_t{0x96});
    REQUIRE(header != cut.end());
    *header = 0x94;
    auto r = decode(cut);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_frame);
    CHECK(r.err().field == "hello.sign_pk");
}

TEST_CASE("v3 keys: a key that is not 32 bytes is refused, naming it") {
    enroll e{"K7QX-94TB-M2WD", "t", device};
    e.sign_pk = std::vector<std::uint8_t>(31, 1);
    auto bad = validate(e);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().field == "enroll.sign_pk");
    auto d = decode(encode(frame{3, 1, e}));
    REQUIRE_FALSE(d.ok());
    CHECK(d.err().field == "enroll.sign_pk");
    e.sign_pk.clear();  // no keys at all is fine (a device whose keys are not made yet)
    CHECK(validate(e).ok());
}

}  // namespace minga::protocol::test
