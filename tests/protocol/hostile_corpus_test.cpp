// The committed corpus of hostile frames (tests/protocol/hostile/, made by
// fuzz/make_hostile_corpus.py), replayed through decode(). Each file's name starts with the
// code decode() must answer; `ok__` frames decode and are for the server to refuse (see
// tests/shared/hostile_replay_test.cpp).
#include <minga/protocol/codec.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> corpus_files() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(fs::path(MINGA_SOURCE_DIR) / "tests/protocol/hostile"))
        if (e.path().extension() == ".mpac") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::uint8_t> read_all(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("hostile corpus: every frame is refused by decode with its stable code", "[protocol][hostile]") {
    const std::map<std::string, minga::errc> codes{
        {"bad_frame", minga::errc::bad_frame},
        {"too_large", minga::errc::too_large},
        {"unsupported_version", minga::errc::unsupported_version},
        {"bad_input", minga::errc::bad_input},
        {"ok", minga::errc::ok}};
    const auto files = corpus_files();
    REQUIRE(files.size() >= 50);
    std::size_t refused = 0;
    for (const auto& f : files) {
        const std::string name = f.stem().string();
        INFO(name);
        const auto want = codes.find(name.substr(0, name.find("__")));
        REQUIRE(want != codes.end());
        const auto bytes = read_all(f);
        const auto r = minga::protocol::decode(bytes);
        if (want->second == minga::errc::ok) {
            CHECK(r.ok());
            continue;
        }
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == want->second);
        CHECK_FALSE(r.err().es.empty());
        CHECK_FALSE(r.err().en.empty());
        ++refused;
    }
    CHECK(refused >= 40);
}
