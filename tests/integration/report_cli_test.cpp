// `minga-server report` on a real store with synced data: every `--by` dimension (English and
// Spanish names) and `report indicators` in CSV and JSON, the two formats giving the same table.
#include "dashboard_fixture.hpp"

#include <minga/shared/csv.hpp>

#include <cstdio>

using namespace minga::test;
using nlohmann::json;

namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    auto r = minga::csv::reader::open(text);
    REQUIRE(r.ok());
    std::vector<std::vector<std::string>> out{r->header()};
    for (;;) {
        auto row = r->next();
        REQUIRE(row.ok());
        if (!row->has_value()) return out;
        std::vector<std::string> cells;
        for (auto f : (*row)->fields()) cells.emplace_back(f);
        out.push_back(std::move(cells));
    }
}

/// A JSON cell as the CSV writes it: null is empty, numbers as printed (amounts: two decimals).
std::string as_csv_cell(const json& v, const std::string& column) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    char buf[64];
    std::snprintf(buf, sizeof buf, column.find("usd") != std::string::npos ? "%.2f" : "%.15g", v.get<double>());
    return buf;
}

void same_table(const minga_server& server, const std::vector<std::string>& args) {
    INFO(args.back());
    auto c = args;
    c.insert(c.end(), {"--format", "csv"});
    auto j = args;
    j.insert(j.end(), {"--format", "json"});
    auto csv_run = server.run(c);
    auto json_run = server.run(j);
    REQUIRE(csv_run.exited(0));
    REQUIRE(json_run.exited(0));
    const auto table = read_csv(csv_run.out);
    const auto doc = json::parse(json_run.out);
    REQUIRE_FALSE(table.empty());
    const auto& columns = doc.at("columns");
    REQUIRE(table[0].size() == columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) CHECK(table[0][i] == columns[i].get<std::string>());
    const auto& rows = doc.at("rows");
    REQUIRE(table.size() == rows.size() + 1);
    CHECK_FALSE(rows.empty());
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const auto col = columns[i].get<std::string>();
            const auto cell = as_csv_cell(rows[r].at(col), col);
            if (rows[r].at(col).is_number_float() && col.find("usd") == std::string::npos)
                CHECK(std::stod(table[r + 1][i]) == Approx(rows[r].at(col).get<double>()));
            else
                CHECK(table[r + 1][i] == cell);
        }
}

}  // namespace

TEST_CASE("report cli: every dimension in CSV and JSON gives the same table", "[integration][report]") {
    dashboard_world x;
    for (const std::string by : {"province", "canton", "parish", "ods", "source", "modality", "geopolitical",
                                 "cooperant", "year", "sector", "provincia", "cantón", "parroquia", "fuente",
                                 "modalidad", "geopolitica", "cooperante", "año"}) {
        same_table(x.server, {"report", "--by", by});
    }
    for (const std::string by : {"province", "ods", "year"}) same_table(x.server, {"report", "indicators", "--by", by});
    // The JSON carries the totals of the whole report in every dimension.
    for (const std::string by : {"province", "canton", "parish", "ods", "source", "modality", "geopolitical",
                                 "cooperant", "year", "sector"})
        CHECK(x.report(by).at("totals").at("proyectos") == 2);
    auto bad = x.server.run({"report", "--by", "galaxia"});
    CHECK_FALSE(bad.exited(0));
    CHECK(bad.err.find("galaxia") != std::string::npos);
}
