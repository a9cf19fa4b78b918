#include <minga/shared/validate.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace v = minga::validate;

namespace {

/// The check digit of a cédula's first nine digits (modulo 10, coefficients 2,1,2,...).
char cedula_digit(const std::string& nine) {
    int sum = 0;
    for (std::size_t i = 0; i < 9; ++i) {
        int p = (nine[i] - '0') * (i % 2 == 0 ? 2 : 1);
        sum += p > 9 ? p - 9 : p;
    }
    return static_cast<char>('0' + (10 - sum % 10) % 10);
}

/// The modulo-11 check digit for `digits` with `coef`, or 'X' when none exists (remainder 1).
template <std::size_t N>
char mod11_digit(const std::string& digits, const std::array<int, N>& coef) {
    int sum = 0;
    for (std::size_t i = 0; i < N; ++i) sum += (digits[i] - '0') * coef[i];
    int d = (11 - sum % 11) % 11;
    return d == 10 ? 'X' : static_cast<char>('0' + d);
}

std::string natural_ruc(const std::string& nine, const std::string& establishment = "001") {
    return nine + cedula_digit(nine) + establishment;
}
std::string public_ruc(const std::string& eight, const std::string& establishment = "0001") {
    return eight + mod11_digit(eight, std::array<int, 8>{3, 2, 7, 6, 5, 4, 3, 2}) + establishment;
}
std::string private_ruc(const std::string& nine, const std::string& establishment = "001") {
    return nine + mod11_digit(nine, std::array<int, 9>{4, 3, 2, 7, 6, 5, 4, 3, 2}) + establishment;
}

/// The RUC with its `i`-th digit changed to the next digit (mod 10).
std::string bump(std::string ruc, std::size_t i) {
    ruc[i] = static_cast<char>('0' + (ruc[i] - '0' + 1) % 10);
    return ruc;
}

}  // namespace

TEST_CASE("validate: parse_date accepts real calendar dates only") {
    auto d = v::parse_date("fecha", "2024-02-29");
    REQUIRE(d.ok());
    CHECK(d->year() == std::chrono::year{2024});
    CHECK(d->month() == std::chrono::February);
    CHECK(d->day() == std::chrono::day{29});
    CHECK(v::format_date(*d) == "2024-02-29");
    CHECK(v::parse_date("fecha", "2000-02-29").ok());  // divisible by 400: leap
    CHECK(v::parse_date("fecha", "2023-12-31").ok());
    CHECK(v::parse_date("fecha", "1900-01-01").ok());
    CHECK(v::parse_date("fecha", "2100-12-31").ok());

    for (const char* bad : {"2023-02-29", "1900-02-29", "2100-02-29", "2024-04-31", "2024-13-01",
                            "2024-00-10", "2024-01-00", "2024-1-05", "2024/01/05", "05-01-2024",
                            "2024-01-05T10:00", " 2024-01-05", "", "abcd-ef-gh", "1899-12-31",
                            "2101-01-01", "2024-01-+5"}) {
        INFO(bad);
        auto r = v::parse_date("fecha", bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == minga::errc::bad_input);
        CHECK(r.err().field == "fecha");
        CHECK_FALSE(r.err().es.empty());
        CHECK_FALSE(r.err().en.empty());
    }
    auto feb = v::parse_date("fecha", "2023-02-29");
    CHECK(feb.err().es == "la fecha «2023-02-29» no existe: ese mes tiene 28 días");
}

TEST_CASE("validate: parse_money gives integer minor units") {
    CHECK(*v::parse_money("monto", "1234.5", 2) == 123450);
    CHECK(*v::parse_money("monto", "1234.50", 2) == 123450);
    CHECK(*v::parse_money("monto", "1234", 2) == 123400);
    CHECK(*v::parse_money("monto", "0", 2) == 0);
    CHECK(*v::parse_money("monto", "0.01", 2) == 1);
    CHECK(*v::parse_money("monto", "1500", 0) == 1500);            // JPY
    CHECK(*v::parse_money("monto", "12.345", 3) == 12345);         // KWD
    CHECK(*v::parse_money("monto", "92233720368547758.07", 2) ==
          std::numeric_limits<std::int64_t>::max());
}

TEST_CASE("validate: parse_money refuses negatives, extra decimals, overflow and garbage") {
    for (auto [text, unit] : std::initializer_list<std::pair<const char*, int>>{
             {"-5", 2}, {"-0.01", 2}, {"1.234", 2}, {"1.5", 0}, {"12.3456", 3},
             {"92233720368547758.08", 2}, {"99999999999999999999", 0}, {"1,234.50", 2},
             {"1234,50", 2}, {"", 2}, {".5", 2}, {"5.", 2}, {"+5", 2}, {"1e3", 2},
             {" 12", 2}, {"12 ", 2}, {"USD 12", 2}, {"1.2.3", 2}, {"0x10", 2}}) {
        INFO(text);
        auto r = v::parse_money("monto", text, unit);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().code == minga::errc::bad_input);
        CHECK(r.err().field == "monto");
    }
    CHECK(v::parse_money("monto", "-5", 2).err().en.find("negative") != std::string::npos);
    CHECK(v::parse_money("monto", "1.234", 2).err().es.find("admite 2") != std::string::npos);
    CHECK_THROWS_AS(v::parse_money("monto", "1", 5), std::invalid_argument);
    CHECK_THROWS_AS(v::parse_money("monto", "1", -1), std::invalid_argument);
}

TEST_CASE("validate: parse_int and parse_double") {
    CHECK(*v::parse_int("n", "42") == 42);
    CHECK(*v::parse_int("n", "-7") == -7);
    CHECK(*v::parse_int("n", "9223372036854775807") == std::numeric_limits<std::int64_t>::max());
    CHECK(*v::parse_int("n", "17", 1, 17) == 17);
    for (const char* bad : {"", "+1", " 1", "1 ", "1.0", "1e3", "abc", "12abc", "-",
                            "9223372036854775808"}) {
        INFO(bad);
        CHECK_FALSE(v::parse_int("n", bad).ok());
    }
    auto range = v::parse_int("año", "18", 1, 17);
    REQUIRE_FALSE(range.ok());
    CHECK(range.err().field == "año");
    CHECK(range.err().en.find("1 to 17") != std::string::npos);

    CHECK(*v::parse_double("x", "12.5") == 12.5);
    CHECK(*v::parse_double("x", "-0.25") == -0.25);
    CHECK(*v::parse_double("x", "3") == 3.0);
    CHECK(*v::parse_double("x", "1e3") == 1000.0);
    for (const char* bad : {"", "nan", "NaN", "inf", "-inf", "infinity", "1e400", "1,5", "1.5 ",
                            " 1.5", "+1", "abc", "1.5x", "0x1p3"}) {
        INFO(bad);
        auto r = v::parse_double("x", bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().field == "x");
    }
}

TEST_CASE("validate: SDG goals and coordinates") {
    for (int g = 1; g <= 17; ++g) CHECK(v::check_sdg_goal("ods", g).ok());
    for (int g : {0, 18, -1, 100}) {
        auto st = v::check_sdg_goal("ods", g);
        REQUIRE_FALSE(st.ok());
        CHECK(st.err().field == "ods");
        CHECK(st.err().es.find("1 al 17") != std::string::npos);
    }
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    for (double lat : {-90.0, 90.0, 0.0, -0.22985}) CHECK(v::check_lat("lat", lat).ok());
    for (double lat : {-90.0001, 90.5, nan, inf, -inf}) CHECK_FALSE(v::check_lat("lat", lat).ok());
    for (double lon : {-180.0, 180.0, -78.52495}) CHECK(v::check_lon("lon", lon).ok());
    for (double lon : {-180.01, 181.0, nan, inf}) CHECK_FALSE(v::check_lon("lon", lon).ok());
    CHECK(v::check_lat("lat", 91).err().field == "lat");
}

TEST_CASE("validate: RUCs with correct check digits are accepted") {
    // Sanity of the helpers against numbers worked out by hand.
    REQUIRE(natural_ruc("171430710") == "1714307103001");
    REQUIRE(public_ruc("17600015") == "1760001550001");
    REQUIRE(private_ruc("179206034") == "1792060346001");
    for (const std::string& ruc :
         {natural_ruc("171430710"), natural_ruc("010203040"), natural_ruc("240000015", "002"),
          natural_ruc("300000001"), natural_ruc("095123456"), public_ruc("17600015"),
          public_ruc("01600012", "0010"), private_ruc("179206034"), private_ruc("099000001"),
          private_ruc("309000004", "003")}) {
        INFO(ruc);
        REQUIRE(ruc.size() == 13);
        REQUIRE(ruc.find('X') == std::string::npos);
        CHECK(v::check_ruc("ruc", ruc).ok());
        CHECK(v::check_ruc("ruc", ruc, v::ruc_rules::structure_only_for_entities).ok());
    }
}

TEST_CASE("validate: malformed RUCs are refused without echoing the number") {
    const std::string natural = natural_ruc("171430710");
    const std::string pub = public_ruc("17600015");
    const std::string priv = private_ruc("179206034");
    for (const std::string& ruc : std::vector<std::string>{
             bump(natural, 9), bump(natural, 4),  // cédula check digit
             bump(pub, 8), bump(pub, 3),          // public modulo 11
             bump(priv, 9), bump(priv, 5),        // private modulo 11
             natural.substr(0, 10) + "000",       // establishment zero
             pub.substr(0, 9) + "0000", pub.substr(0, 9) + "1000",
             priv.substr(0, 10) + "000",
             "25" + natural.substr(2), "00" + natural.substr(2), "29" + natural.substr(2),
             natural.substr(0, 2) + "7" + natural.substr(3),
             natural.substr(0, 2) + "8" + natural.substr(3),
             natural.substr(0, 12), natural + "1", "17143071O3001", "1714307103-001", "",
             " 1714307103001"}) {
        INFO(ruc);
        auto st = v::check_ruc("ruc", ruc);
        REQUIRE_FALSE(st.ok());
        CHECK(st.err().code == minga::errc::bad_input);
        CHECK(st.err().field == "ruc");
        if (ruc.size() >= 10) {
            CHECK(st.err().es.find(ruc.substr(0, 10)) == std::string::npos);
            CHECK(st.err().en.find(ruc.substr(0, 10)) == std::string::npos);
        }
    }
}

TEST_CASE("validate: company RUCs without a matching modulo-11 digit pass only when relaxed") {
    // 1793213150001 is a real, active company RUC (SRI registry) whose modulo-11 digit does not
    // match; the SRI does not derive company RUCs with that algorithm any more.
    const std::string real = "1793213150001";
    CHECK_FALSE(v::check_ruc("ruc", real).ok());
    CHECK(v::check_ruc("ruc", real, v::ruc_rules::structure_only_for_entities).ok());
    const std::string pub = bump(public_ruc("17600015"), 8);
    CHECK(v::check_ruc("ruc", pub, v::ruc_rules::structure_only_for_entities).ok());
    // Natural persons keep their check digit, and the structure still applies.
    const std::string natural = bump(natural_ruc("171430710"), 9);
    CHECK_FALSE(v::check_ruc("ruc", natural, v::ruc_rules::structure_only_for_entities).ok());
    CHECK_FALSE(
        v::check_ruc("ruc", "1793213150000", v::ruc_rules::structure_only_for_entities).ok());
    CHECK_FALSE(
        v::check_ruc("ruc", "2593213150001", v::ruc_rules::structure_only_for_entities).ok());
}

TEST_CASE("validate: UUIDs in canonical lowercase form") {
    CHECK(v::check_uuid("id", "0190a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b").ok());
    CHECK(v::check_uuid("id", "00000000-0000-0000-0000-000000000000").ok());
    for (const char* bad :
         {"0190A2B4-5C6D-7E8F-9A0B-1C2D3E4F5A6B", "0190a2b45c6d7e8f9a0b1c2d3e4f5a6b",
          "{0190a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b}", "0190a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6",
          "0190a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6bb", "0190a2b4-5c6d-7e8f-9a0b_1c2d3e4f5a6b",
          "0190a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6g", ""}) {
        INFO(bad);
        auto st = v::check_uuid("id", bad);
        REQUIRE_FALSE(st.ok());
        CHECK(st.err().field == "id");
    }
}

TEST_CASE("validate: territorial code format is 2, 4 or 6 digits") {
    for (const char* ok : {"17", "1701", "170150", "90", "900151"}) {
        CHECK(v::check_territorial_code_format("parroquia", ok).ok());
    }
    for (const char* bad : {"", "1", "170", "17015", "1701500", "17a1", "17-01", " 17"}) {
        INFO(bad);
        auto st = v::check_territorial_code_format("parroquia", bad);
        REQUIRE_FALSE(st.ok());
        CHECK(st.err().field == "parroquia");
        CHECK(st.err().es.find("170150") != std::string::npos);
    }
}

TEST_CASE("validate: long values are echoed cut, never in the middle of a character") {
    const std::string long_text = std::string(39, 'a') + "ñ" + std::string(100, 'b');
    auto r = v::parse_int("n", long_text);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().es.find(std::string(39, 'a') + "…") != std::string::npos);
    CHECK(r.err().es.find("bbbb") == std::string::npos);
}
