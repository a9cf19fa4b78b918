// Compatibility rules: a newer peer's appended fields are ignored, missing fields are refused,
// versions are negotiated, unknown error codes degrade gracefully.

#include "samples.hpp"
#include "wire_tree.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/version.hpp>

#include <catch2/catch.hpp>

#include <map>

namespace minga::protocol::test {
namespace {

/// The v1 required fields of each struct, in wire order. Freezing them here means a reorder
/// or a rename of the wire layout fails a test.
const std::map<std::string, std::vector<std::string>>& required_fields() {
    static const std::map<std::string, std::vector<std::string>> all{
        {"error", {"code", "field", "message"}},
        {"hello", {"min_version", "max_version", "device_id", "app_version"}},
        {"hello_ack", {"version", "server_time_ms", "server_id"}},
        {"enroll", {"enrol_token", "device_name", "device_id"}},
        {"enroll_ack", {"device_id", "credential", "gads", "server_time_ms"}},
        {"push", {"device_id", "changes"}},
        {"push_ack", {"acked_through", "server_time_ms", "applied", "conflicts"}},
        {"pull", {"cursor", "max_rows", "max_bytes"}},
        {"pull_page", {"cursor_after", "total", "remaining", "server_time_ms", "blocks"}},
    };
    return all;
}

/// The v1 fields of a change, in wire order (frozen like the bodies' above).
const std::vector<std::string>& change_fields() {
    static const std::vector<std::string> all{"seq", "table",     "row_id", "op",
                                              "hlc", "owner_gad", "fields", "base"};
    return all;
}

node future_fields() {
    return node{
        node_array{node{std::string("a v2 field")}, node{std::uint64_t{99}}, node{node_array{}}}};
}

}  // namespace

TEST_CASE("decode: extra trailing body fields from a newer peer are ignored") {
    for (const auto& s : samples()) {
        INFO(s.name);
        node tree = parse(encode(s.f));
        node_array& body = at(tree, {3}).array();
        const node extras = future_fields();
        for (const auto& extra : std::get<node_array>(extras.v)) body.push_back(extra);
        const auto r = decode(pack(tree));
        INFO(error_of(r).en << " at " << error_of(r).field);
        REQUIRE(r.ok());
        CHECK(*r == s.f);
    }
}

TEST_CASE("decode: extra trailing fields of a change and a table block are ignored") {
    node push_tree = parse(encode(sample_frame("push")));
    at(push_tree, {3, 1, 0}).array().push_back(node{std::string("v2")});
    const auto p = decode(pack(push_tree));
    REQUIRE(p.ok());
    CHECK(*p == sample_frame("push"));

    node page_tree = parse(encode(sample_frame("pull_page")));
    at(page_tree, {3, 4, 1}).array().push_back(node{std::uint64_t{3}});
    const auto q = decode(pack(page_tree));
    REQUIRE(q.ok());
    CHECK(*q == sample_frame("pull_page"));
}

TEST_CASE("decode: a body missing a required field is refused, naming it") {
    for (const auto& s : samples()) {
        const auto& names = required_fields().at(s.name);
        for (std::size_t keep = 0; keep < names.size(); ++keep) {
            INFO(s.name << " keeping " << keep << " fields");
            node tree = parse(encode(s.f));
            at(tree, {3}).array().resize(keep);
            const auto r = decode(pack(tree));
            REQUIRE_FALSE(r.ok());
            CHECK(r.err().code == errc::bad_frame);
            CHECK(r.err().field == s.name + "." + names[keep]);
        }
    }
}

TEST_CASE("decode: a change missing any field is refused, naming it") {
    const auto& names = change_fields();
    node whole = parse(encode(sample_frame("push")));
    REQUIRE(at(whole, {3, 1, 1}).array().size() == names.size());  // v1 sends exactly these
    for (std::size_t keep = 0; keep < names.size(); ++keep) {
        INFO("change keeping " << keep << " fields");
        node tree = parse(encode(sample_frame("push")));
        at(tree, {3, 1, 1}).array().resize(keep);
        const auto r = decode(pack(tree));
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == errc::bad_frame);
        CHECK(r.err().field == "push.changes[1]." + names[keep]);
    }
}

TEST_CASE("decode: a block or row missing a field is refused, naming it") {
    node page_tree = parse(encode(sample_frame("pull_page")));
    at(page_tree, {3, 4, 0}).array().resize(2);
    auto r = decode(pack(page_tree));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().field == "pull_page.blocks[0].rows");

    page_tree = parse(encode(sample_frame("pull_page")));
    at(page_tree, {3, 4, 1, 2, 0}).array().resize(3);
    r = decode(pack(page_tree));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_frame);
    CHECK(r.err().field == "pull_page.blocks[1].rows[0].hlc");
}

TEST_CASE("negotiate: the server picks the highest common version") {
    REQUIRE(current_version == 3);
    REQUIRE(min_supported_version == 1);
    CHECK(*negotiate(1, 1) == 1);  // a v1 client keeps being served in v1
    CHECK(*negotiate(1, 2) == 2);  // and a v2 client in v2
    CHECK(*negotiate(2, 2) == 2);
    CHECK(*negotiate(1, 7) == 3);  // a newer client that still speaks 3
}

TEST_CASE("v2: a v1 pull and pull page decode with the v2 fields at their defaults") {
    const auto p = decode(encode(sample_frame("pull")));
    REQUIRE(p.ok());
    CHECK(p->version == 1);
    CHECK_FALSE(std::get<pull>(p->body).snapshot);
    const auto q = decode(encode(sample_frame("pull_page")));
    REQUIRE(q.ok());
    CHECK_FALSE(std::get<pull_page>(q->body).snapshot);
    CHECK(std::get<pull_page>(q->body).horizon == 0);
}

TEST_CASE("v2: a v1 frame never carries the v2 fields, even when the struct has them set") {
    frame f = sample_frame("pull_page");
    std::get<pull_page>(f.body).snapshot = true;
    std::get<pull_page>(f.body).horizon = 77;
    node tree = parse(encode(f));
    CHECK(at(tree, {3}).array().size() == 5);
    const auto back = decode(pack(tree));
    REQUIRE(back.ok());
    CHECK_FALSE(std::get<pull_page>(back->body).snapshot);
    f.version = 2;
    tree = parse(encode(f));
    CHECK(at(tree, {3}).array().size() == 7);
    const auto v2 = decode(pack(tree));
    REQUIRE(v2.ok());
    CHECK(std::get<pull_page>(v2->body).snapshot);
    CHECK(std::get<pull_page>(v2->body).horizon == 77);
}

TEST_CASE("v2: a v2 pull or page missing a v2 field is refused, naming it") {
    node pull_tree = parse(encode(sample_frame("pull_v2")));
    at(pull_tree, {3}).array().resize(3);
    auto r = decode(pack(pull_tree));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_frame);
    CHECK(r.err().field == "pull.snapshot");

    node page_tree = parse(encode(sample_frame("pull_page_v2")));
    at(page_tree, {3}).array().resize(6);
    r = decode(pack(page_tree));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().field == "pull_page.horizon");

    page_tree = parse(encode(sample_frame("pull_page_v2")));
    at(page_tree, {3, 5}) = node{std::uint64_t{1}};  // snapshot must be a boolean
    r = decode(pack(page_tree));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().field == "pull_page.snapshot");
}

TEST_CASE("v2: a v2 frame with fields from a later version still decodes") {
    node tree = parse(encode(sample_frame("pull_page_v2")));
    at(tree, {3}).array().push_back(node{std::string("v3")});
    const auto r = decode(pack(tree));
    REQUIRE(r.ok());
    CHECK(*r == sample_frame("pull_page_v2"));
}

TEST_CASE("negotiate: no common version is unsupported_version") {
    const auto newer = negotiate(4, 5);  // a client that dropped v3
    REQUIRE_FALSE(newer.ok());
    CHECK(newer.err().code == errc::unsupported_version);
    CHECK(newer.err().field == "hello.min_version");
    CHECK(newer.err().en.find("server is older") != std::string::npos);

    const auto zero = negotiate(0, 0);  // no such version
    REQUIRE_FALSE(zero.ok());
    CHECK(zero.err().code == errc::unsupported_version);
    CHECK(zero.err().field == "hello.max_version");
}

TEST_CASE("negotiate: an inverted range is bad input") {
    const auto r = negotiate(3, 1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == errc::bad_input);
}

TEST_CASE("decode: an error code from a newer peer reads as internal, keeping the message") {
    node tree = parse(encode(sample_frame("error")));
    at(tree, {3, 0}) = node{std::uint64_t{999}};
    const auto r = decode(pack(tree));
    REQUIRE(r.ok());
    const auto& body = std::get<error_body>(r->body);
    CHECK(body.code == errc::internal);
    CHECK_FALSE(is_transient(body.code));
    CHECK(body.message == "credencial revocada");
}

TEST_CASE("decode: every known error code round trips") {
    for (std::uint16_t n = 1; is_known_errc(n); ++n) {
        frame f = sample_frame("error");
        std::get<error_body>(f.body).code = static_cast<errc>(n);
        const auto r = decode(encode(f));
        REQUIRE(r.ok());
        CHECK(static_cast<std::uint16_t>(std::get<error_body>(r->body).code) == n);
    }
}

TEST_CASE("messages: an error body carries the error in the asked language") {
    const error e = make_error(errc::busy, "", "servidor ocupado", "server busy");
    CHECK(to_error_body(e, "es").message == "servidor ocupado");
    CHECK(to_error_body(e, "en").message == "server busy");
    CHECK(to_error_body(e, "en").code == errc::busy);
}

}  // namespace minga::protocol::test
