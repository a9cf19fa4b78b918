#include "refdata_fixture.hpp"

#include <minga/shared/validate.hpp>
#include <minga/shared/validate_db.hpp>

#include <catch2/catch.hpp>

namespace v = minga::validate;

TEST_CASE("validate_db: territory and parish codes are looked up") {
    auto db = minga::test::loaded_db();
    for (const char* code : {"17", "1701", "170150", "0808", "90", "900151"}) {
        INFO(code);
        CHECK(v::check_territory_exists(db, "territorio", code).ok());
    }
    CHECK(v::check_parish_exists(db, "parroquia", "170150").ok());
    CHECK(v::check_parish_exists(db, "parroquia", "170151").ok());

    auto unknown = v::check_parish_exists(db, "parroquia", "999999");
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.err().code == minga::errc::bad_input);
    CHECK(unknown.err().field == "parroquia");
    CHECK(unknown.err().es ==
          "código de parroquia desconocido: 999999; use un código INEC de 6 dígitos "
          "(p. ej. 170150)");
    CHECK(unknown.err().en.find("unknown parish code: 999999") != std::string::npos);
    for (const char* bad : {"1701", "17", "", "17015x", "1701500"}) {
        INFO(bad);
        CHECK_FALSE(v::check_parish_exists(db, "parroquia", bad).ok());
    }
    auto territory = v::check_territory_exists(db, "territorio", "2599");
    REQUIRE_FALSE(territory.ok());
    CHECK(territory.err().es.find("desconocido: 2599") != std::string::npos);
    CHECK_FALSE(v::check_territory_exists(db, "territorio", "1").ok());
    CHECK_FALSE(v::check_territory_exists(db, "territorio", "17a").ok());
}

TEST_CASE("validate_db: code lists accept active codes and list valid ones otherwise") {
    auto db = minga::test::loaded_db();
    CHECK(v::check_codelist(db, "modalidad", "cinr.modalidad", "tecnica_becas").ok());
    CHECK(v::check_codelist(db, "tipo", "iati.OrganisationType", "21").ok());
    CHECK(v::check_codelist(db, "pais", "iati.Country", "EC").ok());

    auto bad = v::check_codelist(db, "fuente", "cinr.fuente", "donacion");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().code == minga::errc::bad_input);
    CHECK(bad.err().field == "fuente");
    CHECK(bad.err().es.find("«donacion»") != std::string::npos);
    CHECK(bad.err().es.find("bilateral") != std::string::npos);
    CHECK(bad.err().es.find("academia") != std::string::npos);

    auto many = v::check_codelist(db, "pais", "iati.Country", "XX");
    REQUIRE_FALSE(many.ok());
    CHECK(many.err().en.find(", …") != std::string::npos);  // 250 codes: only a few shown

    // Withdrawn IATI codes exist but may not be used for new data.
    auto withdrawn = v::check_codelist(db, "moneda", "iati.Currency", "VEF");
    REQUIRE_FALSE(withdrawn.ok());
    CHECK(withdrawn.err().es.find("retirado") != std::string::npos);

    // The code of one list is not valid in another.
    CHECK_FALSE(v::check_codelist(db, "modalidad", "cinr.fuente", "tecnica_becas").ok());
}

TEST_CASE("validate_db: an empty code list means the reference data is missing") {
    auto db = minga::test::schema_db();
    auto st = v::check_codelist(db, "fuente", "cinr.fuente", "bilateral");
    REQUIRE_FALSE(st.ok());
    CHECK(st.err().code == minga::errc::internal);
}

TEST_CASE("validate_db: currencies give their minor unit") {
    auto db = minga::test::loaded_db();
    auto usd = v::check_currency(db, "moneda", "USD");
    REQUIRE(usd.ok());
    CHECK(*usd == 2);
    CHECK(*v::check_currency(db, "moneda", "JPY") == 0);
    CHECK(*v::check_currency(db, "moneda", "BHD") == 3);
    auto amount = v::parse_money("monto", "1500.25", *usd);
    REQUIRE(amount.ok());
    CHECK(*amount == 150025);
    for (const char* bad : {"usd", "US$", "", "DOLAR", "XXX"}) {
        INFO(bad);
        auto r = v::check_currency(db, "moneda", bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.err().field == "moneda");
        CHECK(r.err().es.find("USD") != std::string::npos);
    }
}

TEST_CASE("validate_db: DAC sectors of 3 and 5 digits") {
    auto db = minga::test::loaded_db();
    CHECK(v::check_dac_sector(db, "sector", "31220").ok());
    CHECK(v::check_dac_sector(db, "sector", "311").ok());
    for (const char* bad : {"31299", "999", "3122", "312200", "abc", ""}) {
        INFO(bad);
        auto st = v::check_dac_sector(db, "sector", bad);
        REQUIRE_FALSE(st.ok());
        CHECK(st.err().field == "sector");
        CHECK(st.err().es.find("31220") != std::string::npos);
    }
}
