#include <minga/shared/csv.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

using minga::csv::reader;

namespace {

/// Every remaining record of `r` as owned strings, REQUIREing that reading succeeds.
std::vector<std::vector<std::string>> all_records(reader& r,
                                                  std::vector<std::size_t>* lines = nullptr) {
    std::vector<std::vector<std::string>> out;
    for (;;) {
        auto rec = r.next();
        REQUIRE(rec.ok());
        if (!*rec) break;
        out.emplace_back((*rec)->fields().begin(), (*rec)->fields().end());
        if (lines) lines->push_back((*rec)->line());
    }
    return out;
}

/// The error of the first failing `next()` (REQUIREs that one fails).
minga::error first_error(reader& r) {
    for (;;) {
        auto rec = r.next();
        if (!rec) return rec.err();
        REQUIRE(rec->has_value());
    }
}

}  // namespace

TEST_CASE("csv: the header maps column names to indexes") {
    auto r = reader::open("code,name,kind\n01,Azuay,provincia\n");
    REQUIRE(r.ok());
    CHECK(r->header() == std::vector<std::string>{"code", "name", "kind"});
    CHECK(r->index("name") == 1u);
    CHECK_FALSE(r->index("Name").has_value());
    REQUIRE(r->require("kind").ok());
    auto missing = r->require("status");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.err().field == "columna status");
    CHECK(missing.err().code == minga::errc::bad_input);
    auto recs = all_records(*r);
    REQUIRE(recs.size() == 1);
    CHECK(recs[0] == std::vector<std::string>{"01", "Azuay", "provincia"});
    CHECK(r->records_read() == 1);
}

TEST_CASE("csv: quoted fields keep commas, doubled quotes and line breaks") {
    const std::string text =
        "a,b,c\n"
        "\"x, y\",\"say \"\"hi\"\"\",plain\n"
        "\"two\nlines\",,\"\"\n"
        "last,\"\",end\n";
    auto r = reader::open(text);
    REQUIRE(r.ok());
    std::vector<std::size_t> lines;
    auto recs = all_records(*r, &lines);
    REQUIRE(recs.size() == 3);
    CHECK(recs[0] == std::vector<std::string>{"x, y", "say \"hi\"", "plain"});
    CHECK(recs[1] == std::vector<std::string>{"two\nlines", "", ""});
    CHECK(recs[2] == std::vector<std::string>{"last", "", "end"});
    CHECK(lines == std::vector<std::size_t>{2, 3, 5});  // the quoted break moves the next record
}

TEST_CASE("csv: CRLF, LF, lone CR and a last line without a newline all end records") {
    auto r = reader::open("a,b\r\n1,2\r\n3,\"4\r\nx\"\n5,6\r7,8");
    REQUIRE(r.ok());
    std::vector<std::size_t> lines;
    auto recs = all_records(*r, &lines);
    REQUIRE(recs.size() == 4);
    CHECK(recs[0] == std::vector<std::string>{"1", "2"});
    CHECK(recs[1] == std::vector<std::string>{"3", "4\r\nx"});  // data inside quotes is verbatim
    CHECK(recs[2] == std::vector<std::string>{"5", "6"});
    CHECK(recs[3] == std::vector<std::string>{"7", "8"});
    CHECK(lines == std::vector<std::size_t>{2, 3, 5, 6});
}

TEST_CASE("csv: a UTF-8 byte-order mark before the header is skipped") {
    auto r = reader::open("\xEF\xBB\xBF" "código,nombre\n170150,QUITO\n");
    REQUIRE(r.ok());
    CHECK(r->header()[0] == "código");
    CHECK(all_records(*r)[0][0] == "170150");
}

TEST_CASE("csv: blank lines are skipped but counted in line numbers") {
    auto r = reader::open("\na,b\n\n1,2\n\r\n\n3,4\n\n");
    REQUIRE(r.ok());
    std::vector<std::size_t> lines;
    auto recs = all_records(*r, &lines);
    CHECK(recs.size() == 2);
    CHECK(lines == std::vector<std::size_t>{4, 7});
}

TEST_CASE("csv: a trailing comma is an empty last field") {
    auto r = reader::open("a,b,c\n1,2,\n");
    REQUIRE(r.ok());
    CHECK(all_records(*r)[0] == std::vector<std::string>{"1", "2", ""});
}

TEST_CASE("csv: an unterminated quote names the line where the field opened") {
    auto r = reader::open("a,b\n1,2\n3,4\n5,\"never closed\n6,7\n");
    REQUIRE(r.ok());
    auto e = first_error(*r);
    CHECK(e.code == minga::errc::bad_input);
    CHECK(e.field == "línea 4");
    CHECK(e.text("en").find("line 4: ") == 0);
    CHECK(e.en.find("unterminated quote") != std::string::npos);
    CHECK_FALSE(e.es.empty());
}

TEST_CASE("csv: a record whose field count differs from the header is refused with its line") {
    std::string text = "a,b,c\n";
    for (int i = 2; i < 14; ++i) text += "1,2,3\n";
    text += "1,2,3,4\n";  // line 14
    auto r = reader::open(text);
    REQUIRE(r.ok());
    auto e = first_error(*r);
    CHECK(e.field == "línea 14");
    CHECK(e.text("en") == "line 14: expected 3 fields, as in the header, found 4");
    CHECK(r->records_read() == 12);

    auto few = reader::open("a,b,c\n1,2\n");
    REQUIRE(few.ok());
    CHECK(first_error(*few).field == "línea 2");
}

TEST_CASE("csv: stray quotes are refused") {
    auto bare = reader::open("a,b\n1,x\"y\n");
    REQUIRE(bare.ok());
    auto e1 = first_error(*bare);
    CHECK(e1.field == "línea 2");
    CHECK(e1.en.find("quote inside an unquoted field") != std::string::npos);

    auto after = reader::open("a,b\n1,\"x\"y\n");
    REQUIRE(after.ok());
    auto e2 = first_error(*after);
    CHECK(e2.field == "línea 2");
    CHECK(e2.en.find("text after the closing quote") != std::string::npos);
}

TEST_CASE("csv: text after a closing quote also names the line where the quote opened") {
    auto r = reader::open("a,b\n1,\"forgot to close\n2,3\n4,\"x\"\n");
    REQUIRE(r.ok());
    auto e = first_error(*r);
    CHECK(e.field == "línea 4");  // where the parser noticed
    CHECK(e.en.find("(the field opened on line 2)") != std::string::npos);
    CHECK(e.es.find("(el campo se abrió en la línea 2)") != std::string::npos);
}

TEST_CASE("csv: after an error the reader keeps returning it") {
    auto r = reader::open("a\n\"open\n");
    REQUIRE(r.ok());
    auto e1 = first_error(*r);
    auto again = r->next();
    REQUIRE_FALSE(again.ok());
    CHECK(again.err().field == e1.field);
    CHECK(again.err().en == e1.en);
}

TEST_CASE("csv: an empty input or a bad header is refused") {
    auto empty = reader::open("");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.err().en.find("header row is missing") != std::string::npos);
    auto blank = reader::open("\n\n");
    REQUIRE_FALSE(blank.ok());

    auto dup = reader::open("code,name,code\n");
    REQUIRE_FALSE(dup.ok());
    CHECK(dup.err().field == "línea 1");
    CHECK(dup.err().en.find("duplicate column") != std::string::npos);

    auto header_only = reader::open("a,b");
    REQUIRE(header_only.ok());
    CHECK(all_records(*header_only).empty());
}

TEST_CASE("csv: limits on record bytes, fields and records") {
    minga::csv::limits lim;
    SECTION("record bytes") {
        lim.max_record_bytes = 16;
        auto r = reader::open("a,b\n1,2\n123456789,1234567890\n", lim);
        REQUIRE(r.ok());
        auto e = first_error(*r);
        CHECK(e.code == minga::errc::too_large);
        CHECK(e.field == "línea 3");
        CHECK(r->records_read() == 1);
    }
    SECTION("an unterminated quote stops at the record bound, not at the end of the input") {
        lim.max_record_bytes = 64;
        const std::string text = "a\n\"" + std::string(10'000, 'x') + "\n";
        auto r = reader::open(text, lim);
        REQUIRE(r.ok());
        CHECK(first_error(*r).code == minga::errc::too_large);
    }
    SECTION("fields") {
        lim.max_fields = 3;
        auto header = reader::open("a,b,c,d\n", lim);
        REQUIRE_FALSE(header.ok());
        CHECK(header.err().code == minga::errc::too_large);
        CHECK(header.err().field == "línea 1");
        auto ok = reader::open("a,b,c\n1,2,3\n", lim);
        REQUIRE(ok.ok());
        auto wide = reader::open("a,b,c\n1,2,3,4,5\n", lim);
        REQUIRE(wide.ok());
        CHECK(first_error(*wide).code == minga::errc::too_large);
    }
    SECTION("records") {
        lim.max_records = 2;
        auto r = reader::open("a\n1\n2\n3\n", lim);
        REQUIRE(r.ok());
        auto e = first_error(*r);
        CHECK(e.code == minga::errc::too_large);
        CHECK(e.field == "línea 4");
        auto exact = reader::open("a\n1\n2\n", lim);
        REQUIRE(exact.ok());
        CHECK(all_records(*exact).size() == 2);
    }
}

TEST_CASE("csv: a stream reader gives the same records across chunk boundaries") {
    std::string text = "\xEF\xBB\xBFid,text,n\r\n";
    for (int i = 0; i < 5000; ++i) {
        text += std::to_string(i) + ",\"línea " + std::to_string(i) + ", con \"\"comillas\"\"\n" +
                std::string(static_cast<std::size_t>(i % 50), 'z') + "\"," + std::to_string(i * 7) +
                "\r\n";
    }
    REQUIRE(text.size() > 3 * minga::csv::stream_chunk_bytes);
    auto from_text = reader::open(text);
    REQUIRE(from_text.ok());
    std::vector<std::size_t> text_lines;
    auto expected = all_records(*from_text, &text_lines);

    std::istringstream in(text);
    auto from_stream = reader::open(in);
    REQUIRE(from_stream.ok());
    std::vector<std::size_t> stream_lines;
    auto got = all_records(*from_stream, &stream_lines);
    REQUIRE(got.size() == 5000);
    CHECK(got == expected);
    CHECK(stream_lines == text_lines);
    CHECK(got[4999][1] == "línea 4999, con \"comillas\"\n" + std::string(49, 'z'));
    CHECK(stream_lines[4999] == 2 + 2 * 4999);
}

TEST_CASE("csv: 100,000 rows stream through in one pass") {
    std::string text = "indicator,observed_on,value,territory,note\n";
    for (int i = 0; i < 100'000; ++i) {
        text += "0190a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b,2024-06-30," + std::to_string(i) +
                ".5,170150,\"nota, con coma\"\n";
    }
    std::istringstream in(text);
    const auto start = std::chrono::steady_clock::now();
    auto r = reader::open(in);
    REQUIRE(r.ok());
    std::size_t rows = 0;
    std::size_t bytes = 0;
    for (;;) {
        auto rec = r->next();
        REQUIRE(rec.ok());
        if (!*rec) break;
        ++rows;
        bytes += (**rec)[2].size();
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    CHECK(rows == 100'000);
    CHECK(bytes > 0);
    INFO("read 100,000 rows in " << ms << " ms");
    CHECK(ms < 5000);  // generous: catches accidental quadratic behaviour, not a benchmark
}
