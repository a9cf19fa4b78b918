// The rules beyond wire types, through decode (what a peer sees) and validate (what a sender
// can check before sending).

#include "samples.hpp"

#include <minga/protocol/codec.hpp>
#include <minga/protocol/validate.hpp>

#include <catch2/catch.hpp>

namespace minga::protocol::test {
namespace {

/// Encodes `f` and expects decode to refuse it with `code` at `field`.
void require_refused(const frame& f, errc code, const std::string& field,
                     const limits& lim = limits{}) {
    const auto r = decode(encode(f), lim);
    REQUIRE_FALSE(r.ok());
    CHECK(to_string(r.err().code) == to_string(code));
    CHECK(r.err().field == field);
    CHECK_FALSE(r.err().es.empty());
    CHECK_FALSE(r.err().en.empty());
    // The sender's validate() finds the same problem at the same place.
    const status s = validate(f, lim);
    REQUIRE_FALSE(s.ok());
    CHECK(s.err().field == field);
}

frame sample_push() {
    return sample_frame("push");
}
push& body_of_push(frame& f) {
    return std::get<push>(f.body);
}
pull_page& body_of_page(frame& f) {
    return std::get<pull_page>(f.body);
}

}  // namespace

TEST_CASE("validate: duplicate field names in a change are refused") {
    frame f = sample_push();
    body_of_push(f).changes[0].fields.emplace_back("value", std::int64_t{1});
    require_refused(f, errc::bad_input, "push.changes[0].fields");
}

TEST_CASE("validate: duplicate column names in a block are refused") {
    frame f = sample_frame("pull_page");
    auto& block = body_of_page(f).blocks[0];
    block.columns[1] = "title";
    require_refused(f, errc::bad_input, "pull_page.blocks[0].columns");
}

TEST_CASE("validate: a row whose value count differs from the columns is refused") {
    frame f = sample_frame("pull_page");
    body_of_page(f).blocks[0].rows[1].values.pop_back();
    require_refused(f, errc::bad_input, "pull_page.blocks[0].rows[1]");

    frame g = sample_frame("pull_page");
    body_of_page(g).blocks[1].rows[0].values.emplace_back(std::int64_t{1});
    require_refused(g, errc::bad_input, "pull_page.blocks[1].rows[0]");
}

TEST_CASE("validate: an unknown change op is bad input") {
    frame f = sample_push();
    body_of_push(f).changes[1].op = static_cast<change_op>(3);
    require_refused(f, errc::bad_input, "push.changes[1].op");
}

TEST_CASE("validate: a delete carrying fields is refused") {
    frame f = sample_push();
    body_of_push(f).changes[1].fields.emplace_back("value", 1.0);
    require_refused(f, errc::bad_input, "push.changes[1].fields");
}

TEST_CASE("validate: sequence numbers start at 1 and increase within a batch") {
    frame f = sample_push();
    body_of_push(f).changes[1].seq = 41;
    require_refused(f, errc::bad_input, "push.changes[1].seq");
    frame g = sample_push();
    body_of_push(g).changes[0].seq = 0;
    require_refused(g, errc::bad_input, "push.changes[0].seq");
}

TEST_CASE("validate: a zero HLC stamp is refused") {
    frame f = sample_push();
    body_of_push(f).changes[0].hlc = 0;
    require_refused(f, errc::bad_input, "push.changes[0].hlc");
}

TEST_CASE("validate: ids must be present, short and visible ASCII") {
    frame f = sample_push();
    body_of_push(f).device_id.clear();
    require_refused(f, errc::bad_input, "push.device_id");

    frame g = sample_push();
    body_of_push(g).changes[0].row_id = std::string(65, 'a');
    require_refused(g, errc::too_large, "push.changes[0].row_id");

    frame h = sample_push();
    body_of_push(h).changes[1].row_id = "row 1";
    require_refused(h, errc::bad_input, "push.changes[1].row_id");

    frame page = sample_frame("pull_page");
    body_of_page(page).blocks[0].rows[0].owner_gad = std::string();
    require_refused(page, errc::bad_input, "pull_page.blocks[0].rows[0].owner_gad");
}

TEST_CASE("validate: table and column names must be identifiers") {
    frame f = sample_push();
    body_of_push(f).changes[0].table = "observation; drop table project";
    require_refused(f, errc::bad_input, "push.changes[0].table");

    frame g = sample_push();
    body_of_push(g).changes[0].fields[1].first = "1st";
    require_refused(g, errc::bad_input, "push.changes[0].fields[1]");

    frame h = sample_frame("pull_page");
    body_of_page(h).blocks[1].columns[0] = std::string(65, 'c');
    require_refused(h, errc::too_large, "pull_page.blocks[1].columns[0]");
}

TEST_CASE("validate: strings must be UTF-8") {
    frame f = sample_push();
    body_of_push(f).changes[0].fields[1].second = std::string("caf\xc3", 4);
    require_refused(f, errc::bad_input, "push.changes[0].fields.observed_at");

    frame g = sample_frame("enroll");
    std::get<enroll>(g.body).device_name = "\xed\xa0\x80";  // a UTF-16 surrogate
    require_refused(g, errc::bad_input, "enroll.device_name");

    frame h = sample_frame("error");
    std::get<error_body>(h.body).message = "\xc0\xaf";  // an overlong '/'
    require_refused(h, errc::bad_input, "error.message");
}

TEST_CASE("validate: hello needs min_version <= max_version, both at least 1") {
    frame f = sample_frame("hello");
    std::get<hello>(f.body).min_version = 2;
    require_refused(f, errc::bad_input, "hello.min_version");
    frame g = sample_frame("hello");
    std::get<hello>(g.body).min_version = 0;
    require_refused(g, errc::bad_input, "hello.min_version");
}

TEST_CASE("validate: an error body cannot carry code ok") {
    frame f = sample_frame("error");
    std::get<error_body>(f.body).code = errc::ok;
    require_refused(f, errc::bad_input, "error.code");
}

TEST_CASE("validate: pull bounds must be at least 1") {
    frame f = sample_frame("pull");
    std::get<pull>(f.body).max_rows = 0;
    require_refused(f, errc::bad_input, "pull.max_rows");
    frame g = sample_frame("pull");
    std::get<pull>(g.body).max_bytes = 0;
    require_refused(g, errc::bad_input, "pull.max_bytes");
}

TEST_CASE("validate: a page cannot have more remaining rows than its total") {
    frame f = sample_frame("pull_page");
    body_of_page(f).remaining = 6;
    require_refused(f, errc::bad_input, "pull_page.remaining");
}

TEST_CASE("validate: enrolment needs a token and unique GADs") {
    frame f = sample_frame("enroll");
    std::get<enroll>(f.body).enrol_token.clear();
    require_refused(f, errc::bad_input, "enroll.enrol_token");
    frame g = sample_frame("enroll_ack");
    std::get<enroll_ack>(g.body).gads = {"170185", "170150", "170185"};
    require_refused(g, errc::bad_input, "enroll_ack.gads");
}

TEST_CASE("validate: counts above their limits are too_large, naming the list") {
    limits lim;
    lim.max_changes_per_push = 1;
    require_refused(sample_push(), errc::too_large, "push.changes", lim);

    limits fields;
    fields.max_fields = 4;
    require_refused(sample_push(), errc::too_large, "push.changes[0].fields", fields);

    limits rows;
    rows.max_rows_per_page = 2;
    require_refused(sample_frame("pull_page"), errc::too_large, "pull_page.blocks[1].rows", rows);

    limits blocks;
    blocks.max_blocks_per_page = 1;
    require_refused(sample_frame("pull_page"), errc::too_large, "pull_page.blocks", blocks);

    limits gads;
    gads.max_gads_per_device = 0;
    require_refused(sample_frame("enroll_ack"), errc::too_large, "enroll_ack.gads", gads);

    limits strings;
    strings.max_string_bytes = 5;
    require_refused(sample_push(), errc::too_large, "push.changes[0].fields.observed_at", strings);
}

TEST_CASE("validate: the samples are valid and at the limits they still pass") {
    for (const auto& s : samples()) {
        INFO(s.name);
        CHECK(validate(s.f).ok());
    }
    limits exact;
    exact.max_changes_per_push = 2;
    exact.max_fields = 5;
    exact.max_rows_per_page = 3;
    exact.max_blocks_per_page = 2;
    CHECK(decode(encode(sample_push()), exact).ok());
    CHECK(decode(encode(sample_frame("pull_page")), exact).ok());
}

}  // namespace minga::protocol::test
