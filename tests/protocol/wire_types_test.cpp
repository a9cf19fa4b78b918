// Every position of every message with a value of the wrong msgpack type must be refused as a
// bad frame that names a field; a few positions are checked for their exact path.

#include "samples.hpp"
#include "wire_tree.hpp"

#include <minga/protocol/codec.hpp>

#include <catch2/catch.hpp>

namespace minga::protocol::test {
namespace {

/// A value no position accepts in place of `n`: a container for a scalar would change the
/// nesting depth, so scalars become `true` (bool is no value type and no scalar field but
/// `deleted` is one), bools become a string, containers an integer.
node wrong_for(const node& n) {
    if (n.is_container()) return node{std::uint64_t{7}};
    if (std::holds_alternative<bool>(n.v)) return node{std::string("x")};
    return node{true};
}

/// The sample `name` with the node at `pos` replaced by `replacement`.
bytes with_node(const std::string& name, const position& pos, node replacement) {
    node tree = parse(encode(sample_frame(name)));
    at(tree, pos) = std::move(replacement);
    return pack(tree);
}

error refused(const bytes& b) {
    const auto r = decode(b);
    REQUIRE_FALSE(r.ok());
    return r.err();
}

}  // namespace

TEST_CASE("decode: a wrong type at any position is a bad frame naming a field") {
    std::size_t positions = 0;
    for (const auto& s : samples()) {
        const node tree = parse(encode(s.f));
        for (const position& pos : all_positions(tree)) {
            node broken = tree;
            node& target = at(broken, pos);
            target = wrong_for(target);
            INFO(s.name << " position " << to_string(pos));
            const auto r = decode(pack(broken));
            REQUIRE_FALSE(r.ok());
            CHECK(r.err().code == errc::bad_frame);
            CHECK_FALSE(r.err().field.empty());
            CHECK(r.err().field != "frame");
            ++positions;
        }
    }
    CHECK(positions > 100);  // the walk really covered the messages
}

TEST_CASE("decode: wrong types name the exact field path") {
    // push.changes[1] is the delete; element 4 of a change is hlc, element 7 its base.
    CHECK(refused(with_node("push", {3, 1, 1, 4}, node{std::string("7")})).field ==
          "push.changes[1].hlc");
    CHECK(refused(with_node("push", {3, 1, 1, 7}, node{std::string("1100")})).field ==
          "push.changes[1].base");
    CHECK(refused(with_node("push", {3, 1, 0, 7}, node{})).field == "push.changes[0].base");
    CHECK(refused(with_node("push", {3, 1, 0, 0}, node{std::int64_t{-1}})).field ==
          "push.changes[0].seq");
    CHECK(refused(with_node("push", {3, 0}, node{std::uint64_t{5}})).field == "push.device_id");
    // the value of field "value" (map entry 0, value at 2*0+1)
    CHECK(refused(with_node("push", {3, 1, 0, 6, 1}, node{true})).field ==
          "push.changes[0].fields.value");
    // the key of map entry 2
    CHECK(refused(with_node("push", {3, 1, 0, 6, 4}, node{std::uint64_t{1}})).field ==
          "push.changes[0].fields[2]");
    CHECK(refused(with_node("pull_page", {3, 4, 0, 2, 1, 2}, node{std::uint64_t{1}})).field ==
          "pull_page.blocks[0].rows[1].deleted");
    CHECK(refused(with_node("pull_page", {3, 4, 0, 2, 0, 5}, node{true})).field ==
          "pull_page.blocks[0].rows[0][5]");
    CHECK(refused(with_node("pull_page", {3, 4, 1, 1, 0}, node{})).field ==
          "pull_page.blocks[1].columns[0]");
    CHECK(refused(with_node("enroll_ack", {3, 2, 0}, node{std::uint64_t{170185}})).field ==
          "enroll_ack.gads[0]");
    CHECK(refused(with_node("hello", {2}, node{std::string("x")})).field == "request_id");
    CHECK(refused(with_node("hello", {3}, node{node_map{}})).field == "hello");
}

TEST_CASE("decode: integers out of their field's range are bad frames") {
    SECTION("a signed field above 2^63-1") {
        const error e = refused(with_node("hello_ack", {3, 1}, node{std::uint64_t{1} << 63}));
        CHECK(e.code == errc::bad_frame);
        CHECK(e.field == "hello_ack.server_time_ms");
    }
    SECTION("a value above 2^63-1") {
        const error e = refused(with_node("push", {3, 1, 0, 6, 5}, node{~std::uint64_t{0}}));
        CHECK(e.code == errc::bad_frame);
        CHECK(e.field == "push.changes[0].fields.count");
    }
    SECTION("a 32-bit field above 2^32-1") {
        const error e = refused(with_node("pull", {3, 1}, node{std::uint64_t{1} << 32}));
        CHECK(e.code == errc::bad_frame);
        CHECK(e.field == "pull.max_rows");
    }
    SECTION("a negative unsigned field") {
        const error e = refused(with_node("push_ack", {3, 0}, node{std::int64_t{-42}}));
        CHECK(e.code == errc::bad_frame);
        CHECK(e.field == "push_ack.acked_through");
    }
    SECTION("a negative base") {
        const error e = refused(with_node("push", {3, 1, 0, 7}, node{std::int64_t{-1}}));
        CHECK(e.code == errc::bad_frame);
        CHECK(e.field == "push.changes[0].base");
    }
    SECTION("a float where an integer belongs") {
        const error e = refused(with_node("push_ack", {3, 2}, node{2.0}));
        CHECK(e.code == errc::bad_frame);
        CHECK(e.field == "push_ack.applied");
    }
}

TEST_CASE("decode: a negative int64 field and value decode") {
    frame f = sample_frame("hello_ack");
    std::get<hello_ack>(f.body).server_time_ms = -5;  // a clock before 1970 is odd, not invalid
    const auto r = decode(encode(f));
    REQUIRE(r.ok());
    CHECK(std::get<hello_ack>(r->body).server_time_ms == -5);
}

}  // namespace minga::protocol::test
