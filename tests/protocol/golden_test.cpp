// The committed .mpac fixtures freeze protocol v1 and v2: today's encoder must produce them byte
// for byte and today's decoder must read them back. Run with MINGA_WRITE_GOLDEN=1 to rewrite
// them, which is only right before a version ships or when adding a fixture for a new message.

#include "samples.hpp"

#include <minga/protocol/codec.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace minga::protocol::test {
namespace {

std::string fixture_path(const std::string& name) {
    return std::string(MINGA_SOURCE_DIR) + "/tests/protocol/golden/" + name + ".mpac";
}

bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    return bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool writing_golden() {
    const char* flag = std::getenv("MINGA_WRITE_GOLDEN");
    return flag != nullptr && std::string(flag) == "1";
}

}  // namespace

TEST_CASE("golden: every message type has a fixture") {
    REQUIRE(samples().size() == 9);
    for (std::size_t i = 0; i < samples().size(); ++i) {
        CHECK(static_cast<std::size_t>(type_of(samples()[i].f.body)) == i + 1);
        CHECK(to_string(type_of(samples()[i].f.body)) == samples()[i].name);
    }
}

void check_encoding(const std::vector<sample>& all) {
    for (const auto& s : all) {
        INFO("fixture " << s.name);
        const bytes encoded = encode(s.f);
        if (writing_golden()) {
            std::ofstream out(fixture_path(s.name), std::ios::binary | std::ios::trunc);
            out.write(reinterpret_cast<const char*>(encoded.data()),
                      static_cast<std::streamsize>(encoded.size()));
            REQUIRE(out.good());
        }
        const bytes frozen = read_file(fixture_path(s.name));
        INFO("encoded " << to_hex(encoded));
        INFO("frozen  " << to_hex(frozen));
        CHECK(encoded == frozen);
    }
}

void check_decoding(const std::vector<sample>& all) {
    for (const auto& s : all) {
        INFO("fixture " << s.name);
        const auto decoded = decode(read_file(fixture_path(s.name)));
        INFO(error_of(decoded).en << " at " << error_of(decoded).field);
        REQUIRE(decoded.ok());
        CHECK(*decoded == s.f);
    }
}

TEST_CASE("golden: encoding matches the frozen v1 fixtures byte for byte") {
    check_encoding(samples());
}

TEST_CASE("golden: the frozen fixtures decode to the sample frames") {
    check_decoding(samples());
}

TEST_CASE("golden: encoding matches the frozen v2 fixtures byte for byte") {
    check_encoding(v2_samples());
}

TEST_CASE("golden: the frozen v2 fixtures decode to the sample frames") {
    check_decoding(v2_samples());
}

TEST_CASE("golden: encoding matches the frozen v3 device-clock fixture byte for byte") {
    check_encoding(clock_v3_samples());
}

TEST_CASE("golden: the frozen v3 device-clock fixture decodes to its sample frame") {
    check_decoding(clock_v3_samples());
}

TEST_CASE("golden: a v3 push is the v1 push with the device time appended") {
    frame v1 = sample_frame("push");
    frame v3 = sample_frame("push_v3");
    v1.request_id = v3.request_id;
    const bytes old_bytes = encode(v1);
    const bytes new_bytes = encode(v3);
    REQUIRE(new_bytes.size() == old_bytes.size() + 9);  // int64: 0xd3 + 8 bytes
    CHECK(new_bytes[1] == 0x03);
    CHECK(new_bytes[4] == 0x93);  // body: array of 3
    CHECK(old_bytes[4] == 0x92);  // body: array of 2
    CHECK(bytes(new_bytes.begin() + 5, new_bytes.end() - 9) ==
          bytes(old_bytes.begin() + 5, old_bytes.end()));
}

TEST_CASE("golden: a v1 fixture is a v2 fixture cut after its v1 fields") {
    // The v2 pull_page re-encoded as v1 loses exactly its appended fields: same prefix bytes.
    frame v1 = sample_frame("pull_page");
    frame v2 = v1;
    v2.version = 2;
    const bytes old_bytes = encode(v1);
    const bytes new_bytes = encode(v2);
    REQUIRE(new_bytes.size() == old_bytes.size() + 2);  // false + 0
    CHECK(new_bytes[1] == 0x02);
    CHECK(new_bytes[4] == 0x97);  // body: array of 7
    CHECK(old_bytes[4] == 0x95);  // body: array of 5
    CHECK(bytes(new_bytes.end() - 2, new_bytes.end()) == bytes{0xc2, 0x00});
    CHECK(bytes(new_bytes.begin() + 5, new_bytes.end() - 2) ==
          bytes(old_bytes.begin() + 5, old_bytes.end()));
}

TEST_CASE("golden: the hex dumps in docs/protocol.md match the fixtures") {
    std::ifstream in(std::string(MINGA_SOURCE_DIR) + "/docs/protocol.md");
    REQUIRE(in.good());
    const std::string marker = "<!-- golden: ";
    std::size_t dumps = 0;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(marker, 0) != 0) continue;
        const std::string name =
            line.substr(marker.size(), line.find(' ', marker.size()) - marker.size());
        std::getline(in, line);
        REQUIRE(line == "```hex");
        std::string hex;
        while (std::getline(in, line) && line != "```") hex += line + " ";
        INFO("dump of " << name);
        CHECK(from_hex(hex) == read_file(fixture_path(name)));
        ++dumps;
    }
    CHECK(dumps == samples().size() + v2_samples().size() + clock_v3_samples().size());
}

TEST_CASE("golden: a hello fixture starts with the frozen envelope bytes") {
    // [1, 2, 1, [1, 1, "0190...", "minga 0.1.0"]]: fixarray 4, version 1, type 2, request 1,
    // body fixarray 4. If this breaks, the envelope changed and v1 peers can no longer talk.
    const bytes b = read_file(fixture_path("hello"));
    REQUIRE(b.size() > 7);
    CHECK(to_hex(bytes(b.begin(), b.begin() + 7)) == "94 01 02 01 94 01 01");
}

}  // namespace minga::protocol::test
