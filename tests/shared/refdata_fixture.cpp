#include "refdata_fixture.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace minga::test {

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE(in);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

std::filesystem::path source_data_dir() { return std::filesystem::path(MINGA_SOURCE_DIR) / "data"; }

sql::db schema_db() {
    sql::db db(":memory:");
    db.exec(read_file(std::filesystem::path(MINGA_SOURCE_DIR) / "shared/src/schema/v1.sql"));
    return db;
}

sql::db loaded_db() {
    sql::db db = schema_db();
    sql::transaction tx(db);
    auto counts = load_reference_data(tx, source_data_dir());
    REQUIRE(counts.ok());
    tx.commit();
    return db;
}

scratch_data::scratch_data() {
    std::random_device rd;
    root_ = std::filesystem::temp_directory_path() /
            ("minga-refdata-test-" + std::to_string(rd()) + std::to_string(rd()));
    dir_ = root_ / "data";
    std::filesystem::create_directories(root_);
    std::filesystem::copy(source_data_dir(), dir_, std::filesystem::copy_options::recursive);
}

scratch_data::~scratch_data() {
    std::error_code ec;  // best effort: a leftover temp directory is not worth failing a test
    std::filesystem::remove_all(root_, ec);
}

void scratch_data::replace_line(std::string_view file, std::size_t line,
                                std::string_view text) const {
    const auto path = dir_ / file;
    std::istringstream in(read_file(path));
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    REQUIRE(line >= 1);
    REQUIRE(line <= lines.size());
    lines[line - 1] = std::string(text);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto& l : lines) out << l << '\n';
    REQUIRE(out);
}

}  // namespace minga::test
