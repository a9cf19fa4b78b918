#include "catalog_fixture.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace minga::test {

namespace {

std::filesystem::path samples_dir() {
    return std::filesystem::path(MINGA_SOURCE_DIR) / "data" / "samples";
}

/// "SELECT column FROM table WHERE key_column = ?1" (names from the tests, never from input).
std::string select_one(std::string_view table, std::string_view column,
                       std::string_view key_column) {
    return "SELECT " + std::string(column) + " FROM " + std::string(table) + " WHERE " +
           std::string(key_column) + " = ?1";
}

}  // namespace

std::string sample_text(std::string_view file) {
    std::ifstream in(samples_dir() / file, std::ios::binary);
    REQUIRE(in);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string with_line(std::string_view text, std::size_t line, std::string_view replacement) {
    std::istringstream in{std::string(text)};
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    REQUIRE(line >= 1);
    REQUIRE(line <= lines.size());
    lines[line - 1] = std::string(replacement);
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
}

catalog_replica::catalog_replica() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("minga-catalog-test-" + std::to_string(rd()) + std::to_string(rd()));
    auto created =
        replica::create(dir_, "170151", std::filesystem::path(MINGA_SOURCE_DIR) / "data");
    REQUIRE(created.ok());
    replica_.emplace(std::move(*created));
}

catalog_replica::~catalog_replica() {
    replica_.reset();    // close the database before removing its folder
    std::error_code ec;  // best effort: a leftover temp folder is not worth failing a test
    std::filesystem::remove_all(dir_, ec);
}

result<catalog_summary> catalog_replica::import(catalog_kind kind, std::string_view text,
                                                std::int64_t rev) {
    std::istringstream in{std::string(text)};
    sql::transaction tx(r().conn());
    auto summary = import_catalog(tx, kind, in, rev);
    if (summary) r().commit(tx);
    return summary;
}

catalog_summary catalog_replica::import_sample(catalog_kind kind, std::string_view file,
                                               std::int64_t rev) {
    auto summary = import(kind, sample_text(file), rev);
    INFO((summary ? std::string() : summary.err().text("en")));
    REQUIRE(summary.ok());
    return *summary;
}

std::int64_t catalog_replica::count(std::string_view table, std::string_view where) {
    std::string q = "SELECT count(*) FROM " + std::string(table);
    if (!where.empty()) q += " WHERE " + std::string(where);
    return r().conn().scalar_int(q);
}

std::optional<std::string> catalog_replica::text_of(std::string_view table, std::string_view column,
                                                    std::string_view key_column,
                                                    std::string_view key) {
    auto s = r().conn().prepare(select_one(table, column, key_column));
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.get_opt_text(0);
}

std::optional<std::int64_t> catalog_replica::int_of(std::string_view table, std::string_view column,
                                                    std::string_view key_column,
                                                    std::string_view key) {
    auto s = r().conn().prepare(select_one(table, column, key_column));
    s.bind(1, key);
    if (!s.step()) return std::nullopt;
    return s.get_opt_int(0);
}

}  // namespace minga::test
