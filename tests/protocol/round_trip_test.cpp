#include "samples.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/validate.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

namespace minga::protocol::test {

TEST_CASE("round trip: every sample message decodes to what was encoded") {
    for (const auto& s : samples()) {
        INFO("message " << s.name);
        REQUIRE(validate(s.f).ok());
        const auto decoded = decode(encode(s.f));
        INFO(error_of(decoded).en << " at " << error_of(decoded).field);
        REQUIRE(decoded.ok());
        CHECK(*decoded == s.f);
        CHECK(type_of(decoded->body) == type_of(s.f.body));
    }
}

TEST_CASE("round trip: request ids and versions keep their full width") {
    frame f = sample_frame("pull");
    f.request_id = std::numeric_limits<std::uint64_t>::max();
    const auto decoded = decode(encode(f));
    REQUIRE(decoded.ok());
    CHECK(decoded->request_id == std::numeric_limits<std::uint64_t>::max());
    CHECK(decoded->version == 1);
}

TEST_CASE("round trip: values keep their type and extremes") {
    const field_map fields{
        {"nil", std::monostate{}},
        {"zero", std::int64_t{0}},
        {"min", std::numeric_limits<std::int64_t>::min()},
        {"max", std::numeric_limits<std::int64_t>::max()},
        {"minus_one", std::int64_t{-1}},
        {"real", -0.1},
        {"inf", std::numeric_limits<double>::infinity()},
        {"int_like_real", 3.0},
        {"negative_zero", -0.0},
        {"empty_str", std::string()},
        {"utf8", std::string("ñandú · 日本")},
        {"empty_bin", std::vector<std::uint8_t>{}},
        {"bin", std::vector<std::uint8_t>{0x00, 0xc1, 0xff}},
    };
    frame f{1, 9, push{"dev-1", {change{1, "t", "r", change_op::upsert, 1, "", fields}}}};
    const auto decoded = decode(encode(f));
    INFO(error_of(decoded).en << " at " << error_of(decoded).field);
    REQUIRE(decoded.ok());
    REQUIRE(*decoded == f);
    const auto& got = std::get<push>(decoded->body).changes[0].fields;
    CHECK(std::holds_alternative<double>(got[7].second));  // 3.0 stays a float, not an int
    REQUIRE(std::holds_alternative<double>(got[8].second));
    CHECK(std::signbit(std::get<double>(got[8].second)));  // -0.0 keeps its sign
    CHECK(std::holds_alternative<std::int64_t>(got[1].second));
}

TEST_CASE("encode: floats are always float64, even integral ones") {
    // [1, 6, 0, ["d", [[1, "t", "r", 1, 1, "", {"x": 2.0}, 0]]]]
    const frame f{1, 0, push{"d", {change{1, "t", "r", change_op::upsert, 1, "", {{"x", 2.0}}}}}};
    CHECK(to_hex(encode(f)) ==
          "94 01 06 00 92 a1 64 91 98 01 a1 74 a1 72 01 01 a0 81 a1 78"
          " cb 40 00 00 00 00 00 00 00 00");
}

TEST_CASE("round trip: a change's base keeps its full width, and 0 means nothing pulled yet") {
    for (const std::uint64_t base :
         {std::uint64_t{0}, std::uint64_t{1100}, std::numeric_limits<std::uint64_t>::max()}) {
        INFO("base " << base);
        frame f = sample_frame("push");
        std::get<push>(f.body).changes[1].base = base;
        REQUIRE(validate(f).ok());
        const auto decoded = decode(encode(f));
        REQUIRE(decoded.ok());
        CHECK(std::get<push>(decoded->body).changes[1].base == base);
        CHECK(*decoded == f);
    }
}

TEST_CASE("round trip: NaN survives as NaN") {
    frame f{1, 9,
            push{"dev-1",
                 {change{1,
                         "t",
                         "r",
                         change_op::upsert,
                         1,
                         "",
                         {{"x", std::numeric_limits<double>::quiet_NaN()}}}}}};
    const auto decoded = decode(encode(f));
    REQUIRE(decoded.ok());
    const value& v = std::get<push>(decoded->body).changes[0].fields[0].second;
    REQUIRE(std::holds_alternative<double>(v));
    CHECK(std::isnan(std::get<double>(v)));
}

TEST_CASE("round trip: an empty push asks for the high-water mark and is valid") {
    const frame f{1, 2, push{"dev-1", {}}};
    const auto decoded = decode(encode(f));
    REQUIRE(decoded.ok());
    CHECK(std::get<push>(decoded->body).changes.empty());
}

TEST_CASE("round trip: a float32 value decodes as a double") {
    // [1, 6, 0, ["d", [[1, "t", "r", 1, 1, "", {"x": float32 1.5}, 0]]]]
    const bytes b = from_hex(
        "94 01 06 00 92 a1 64 91 98 01 a1 74 a1 72 01 01 a0 81 a1 78"
        " ca 3f c0 00 00 00");
    const auto decoded = decode(b);
    INFO(error_of(decoded).en << " at " << error_of(decoded).field);
    REQUIRE(decoded.ok());
    const value& v = std::get<push>(decoded->body).changes[0].fields[0].second;
    REQUIRE(std::holds_alternative<double>(v));
    CHECK(std::get<double>(v) == 1.5);
}

TEST_CASE("round trip: non-minimal integer encodings are accepted") {
    // The pull sample with cursor as uint64 (cf) and max_rows as int16 (d1): same values.
    const bytes b = from_hex("94 01 08 04 93 cf 00 00 00 00 00 00 04 4c d1 01 f4 ce 00 04 00 00");
    const auto decoded = decode(b);
    INFO(error_of(decoded).en << " at " << error_of(decoded).field);
    REQUIRE(decoded.ok());
    CHECK(*decoded == sample_frame("pull"));
}

}  // namespace minga::protocol::test
