// The pure parts of the reports: apportioning, dimension names, CSV and JSON text.
#include <minga/shared/csv.hpp>
#include <minga/shared/report.hpp>

#include <catch2/catch.hpp>

#include <numeric>
#include <random>

using namespace minga;

namespace {

report_table sample_table() {
    report_table t;
    t.by = report_by::cooperant;
    t.lang = "es";
    t.columns = {
        "cooperante",       "nombre",           "fuente",        "proyectos",
        "comprometido_usd", "desembolsado_usd", "beneficiarios", "proyectos_sin_conversion"};
    t.rows.push_back({std::string("id-1"), std::string("Fundación \"Agua, Vida\"\nQuito"),
                      std::monostate{}, std::int64_t{2}, usd_cents{123456}, usd_cents{5},
                      std::int64_t{0}, std::int64_t{0}});
    t.rows.push_back({std::monostate{}, std::string("bad \xff byte \x01 tab\t"),
                      std::string("privada"), std::int64_t{1}, usd_cents{0}, usd_cents{100},
                      std::int64_t{7}, std::int64_t{1}});
    t.summary.as_of_ms = 1'780'000'000'000;
    t.summary.projects = 3;
    t.summary.committed_usd_cents = 123456;
    t.summary.disbursed_usd_cents = 105;
    t.summary.beneficiaries = 7;
    t.summary.unconverted_projects = 1;
    t.summary.unconverted_currencies = {"EUR", "JPY"};
    return t;
}

}  // namespace

TEST_CASE("report: apportion splits an amount into parts that add up exactly") {
    CHECK(apportion(100, std::vector<double>{60, 40}) == std::vector<std::int64_t>{60, 40});
    CHECK(apportion(100'001, std::vector<double>{1, 1}) ==
          std::vector<std::int64_t>{50'001, 50'000});
    CHECK(apportion(10, std::vector<double>{1, 1, 1}) == std::vector<std::int64_t>{3, 4, 3});
    CHECK(apportion(0, std::vector<double>{5, 7}) == std::vector<std::int64_t>{0, 0});
    CHECK(apportion(42, std::vector<double>{}).empty());
    std::mt19937_64 rng(7);
    for (int round = 0; round < 500; ++round) {
        std::vector<double> w(1 + rng() % 12);
        for (auto& x : w) x = 0.01 + static_cast<double>(rng() % 10'000) / 100.0;
        auto total = static_cast<std::int64_t>(rng() % 1'000'000'000'000);
        auto parts = apportion(total, w);
        REQUIRE(parts.size() == w.size());
        CHECK(std::accumulate(parts.begin(), parts.end(), std::int64_t{0}) == total);
        for (auto p : parts) CHECK(p >= 0);
    }
}

TEST_CASE("report: dimensions parse in English and Spanish, and nothing else") {
    CHECK(*parse_report_by("province") == report_by::province);
    CHECK(*parse_report_by("provincia") == report_by::province);
    CHECK(*parse_report_by("cantón") == report_by::canton);
    CHECK(*parse_report_by("sdg") == report_by::ods);
    CHECK(*parse_report_by("año") == report_by::year);
    CHECK(*parse_report_by("cooperante") == report_by::cooperant);
    auto bad = parse_report_by("pais");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().code == errc::bad_input);
    CHECK(bad.err().field == "--by");
    CHECK(bad.err().es.find(
              "province|canton|parish|ods|source|modality|geopolitical|cooperant|year") !=
          std::string::npos);
    for (int i = 1; i <= 9; ++i) {
        auto by = static_cast<report_by>(i);
        CHECK(*parse_report_by(to_string(by)) == by);
    }
}

TEST_CASE("report: CSV quotes what needs quoting and reads back with the project's reader") {
    auto text = to_csv(sample_table());
    CHECK(text.substr(0, text.find('\n')) ==
          "cooperante,nombre,fuente,proyectos,comprometido_usd,desembolsado_usd,beneficiarios,"
          "proyectos_sin_conversion");
    CHECK(text.find("id-1,\"Fundación \"\"Agua, Vida\"\"\nQuito\",,2,1234.56,0.05,0,0\n") !=
          std::string::npos);
    auto reader = csv::reader::open(text);
    REQUIRE(reader.ok());
    auto first = reader->next();
    REQUIRE(first.ok());
    REQUIRE(first->has_value());
    CHECK((**first)[1] == "Fundación \"Agua, Vida\"\nQuito");
    CHECK((**first)[4] == "1234.56");
}

TEST_CASE("report: JSON is escaped, valid UTF-8, with totals and data quality") {
    auto json = to_json(sample_table());
    CHECK(json.rfind("{\"report\":\"cooperant\",\"lang\":\"es\",\"as_of\":\"2026-05-28T", 0) == 0);
    CHECK(json.find("\"nombre\":\"Fundación \\\"Agua, Vida\\\"\\nQuito\"") != std::string::npos);
    CHECK(json.find("\"fuente\":null") != std::string::npos);
    CHECK(json.find("\"comprometido_usd\":1234.56,\"desembolsado_usd\":0.05") != std::string::npos);
    CHECK(json.find("\"bad \\ufffd byte \\u0001 tab\\t\"") != std::string::npos);
    CHECK(json.find(
              "\"totals\":{\"proyectos\":3,\"comprometido_usd\":1234.56,\"desembolsado_usd\":1.05,"
              "\"beneficiarios\":7,\"proyectos_sin_conversion\":1}") != std::string::npos);
    CHECK(json.find("\"unconverted_currencies\":[\"EUR\",\"JPY\"]") != std::string::npos);
    CHECK(json.back() == '}');
    // Every byte >= 0x80 left in the text is part of a well-formed sequence (here only "ó").
    CHECK(json.find('\xff') == std::string::npos);
}
