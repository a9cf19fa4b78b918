// import_catalog on well-formed files: the samples, stable ids, idempotence, updates with a new
// rev, partial files, mancomunidad membership and the offer search index.

#include "catalog_fixture.hpp"

#include <minga/shared/ids.hpp>
#include <minga/shared/offer_search.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

namespace minga::test {

namespace {

struct sample {
    catalog_kind kind;
    const char* file;
    const char* table;
    std::size_t rows;
};

/// Every sample, in the order their references need (offers after their cooperants).
constexpr sample samples[] = {
    {catalog_kind::organisations, "organisations.csv", "organisation", 14},
    {catalog_kind::ngos, "ngos.csv", "organisation", 13},
    {catalog_kind::offers, "offers.csv", "offer", 16},
    {catalog_kind::mancomunidades, "mancomunidades.csv", "gad", 3},
    {catalog_kind::indicators, "indicators.csv", "indicator_def", 10},
};

void import_all(catalog_replica& c, std::int64_t rev = 1) {
    for (const auto& s : samples) (void)c.import_sample(s.kind, s.file, rev);
}

bool found(const std::vector<offer_hit>& hits, std::string_view id) {
    return std::any_of(hits.begin(), hits.end(), [&](const offer_hit& h) { return h.id == id; });
}

}  // namespace

TEST_CASE("catalog: each sample file imports with every row new") {
    catalog_replica c;
    const auto orgs_before = c.count("organisation");
    const auto gads_before = c.count("gad");
    for (const auto& s : samples) {
        INFO(s.file);
        const auto sum = c.import_sample(s.kind, s.file);
        CHECK(sum.kind == s.kind);
        CHECK(sum.rows_read == s.rows);
        CHECK(sum.inserted == s.rows);
        CHECK(sum.updated == 0);
        CHECK(sum.unchanged == 0);
        REQUIRE(sum.changed.count(s.table) == 1);
        CHECK(sum.changed.at(s.table).size() == s.rows);
    }
    CHECK(c.count("organisation") == orgs_before + 14 + 13);
    CHECK(c.count("offer") == 16);
    CHECK(c.count("offer_fts") == 16);
    CHECK(c.count("gad") == gads_before + 3);
    CHECK(c.count("gad_membership") == 4 + 4 + 3);
    CHECK(c.count("indicator_def") == 10);
    CHECK(c.count("organisation", "rev <> 1 OR deleted <> 0") == 0);
    CHECK(c.count("outbox") == 0);  // catalogue rows are central's: no outbox entries
}

TEST_CASE("catalog: stored values follow the file, with ids derived from the code") {
    catalog_replica c;
    import_all(c);
    const std::string offer = catalog_id(catalog_kind::offers, "OF-2024-002");
    CHECK(offer == derived_id("catalog", "offer", "OF-2024-002"));
    CHECK(c.text_of("offer", "title", "id", offer) ==
          "Fondo de agua potable y saneamiento para parroquias rurales");
    CHECK(c.text_of("offer", "cooperant_id", "id", offer) ==
          derived_id("catalog", "organisation", "AECID"));
    CHECK(c.int_of("offer", "amount_min", "id", offer) == 5'000'000);  // USD 50000.00 in cents
    CHECK(c.int_of("offer", "amount_max", "id", offer) == 40'000'000);
    CHECK(c.text_of("offer", "eligible", "id", offer) == "municipal,parroquial_rural");
    // Lists are stored in canonical order, whatever order the file used.
    CHECK(c.text_of("offer", "sdgs", "id", catalog_id(catalog_kind::offers, "OF-2024-012")) ==
          "2,3,6");

    const std::string ngo = catalog_id(catalog_kind::ngos, "ONG-ALTIPLANO");
    CHECK(ngo == catalog_id(catalog_kind::organisations, "ONG-ALTIPLANO"));
    CHECK(c.text_of("organisation", "status", "id", ngo) == "inactiva");
    CHECK(c.text_of("organisation", "cinr_source", "id", ngo) == "ong_extranjera");
    CHECK(c.text_of("organisation", "cbf_valid_to", "id", ngo) == "2023-05-31");
    CHECK(c.int_of("organisation", "org_type", "id",
                   catalog_id(catalog_kind::ngos, "ONG-PUENTES")) == 21);  // default

    CHECK(c.text_of("gad", "level", "code", "M0003") == "consorcio");
    CHECK(c.count("gad_membership", "group_code = 'M0001' AND deleted = 0") == 4);
    CHECK(c.text_of("indicator_def", "aggregation", "code", "IND-COBERT-AGUA") == "last");
    CHECK(c.int_of("indicator_def", "measure", "code", "IND-COBERT-AGUA") == 2);
}

TEST_CASE("catalog: re-importing the same file changes nothing") {
    catalog_replica c;
    import_all(c, 1);
    for (const auto& s : samples) {
        INFO(s.file);
        const auto again = c.import_sample(s.kind, s.file, 2);
        CHECK(again.rows_read == s.rows);
        CHECK(again.inserted == 0);
        CHECK(again.updated == 0);
        CHECK(again.unchanged == s.rows);
        CHECK(again.changed.empty());
    }
    CHECK(c.count("organisation", "rev = 2") == 0);
    CHECK(c.count("offer", "rev = 2") == 0);
    CHECK(c.count("gad", "rev = 2") == 0);
    CHECK(c.count("gad_membership", "rev = 2") == 0);
    CHECK(c.count("indicator_def", "rev = 2") == 0);
    CHECK(c.count("offer_fts") == 16);
}

TEST_CASE("catalog: a changed row is updated with the new rev") {
    catalog_replica c;
    import_all(c, 1);
    std::string text = sample_text("offers.csv");
    const std::string before = "Gestión integral de residuos sólidos municipales";
    const auto at = text.find(before);
    REQUIRE(at != std::string::npos);
    text.replace(at, before.size(), "Gestión integral de residuos y compostaje municipal");

    auto sum = c.import(catalog_kind::offers, text, 7);
    REQUIRE(sum.ok());
    CHECK(sum->inserted == 0);
    CHECK(sum->updated == 1);
    CHECK(sum->unchanged == 15);
    const std::string id = catalog_id(catalog_kind::offers, "OF-2024-007");
    REQUIRE(sum->changed.count("offer") == 1);
    CHECK(sum->changed.at("offer") == std::vector<std::string>{id});
    CHECK(c.int_of("offer", "rev", "id", id) == 7);
    CHECK(c.count("offer", "rev = 7") == 1);
    CHECK(c.text_of("offer", "title", "id", id) ==
          "Gestión integral de residuos y compostaje municipal");
    // The search index follows the new title.
    CHECK(found(search_offers(c.r(), "compostaje"), id));
}

TEST_CASE("catalog: offer search is accent-insensitive") {
    catalog_replica c;
    import_all(c);
    const std::string becas = catalog_id(catalog_kind::offers, "OF-2024-001");
    REQUIRE(c.text_of("offer", "title", "id", becas) ==
            "Becas de Educación superior en Corea para servidores de GAD");
    const auto hits = search_offers(c.r(), "educacion");
    CHECK(found(hits, becas));
    CHECK(found(search_offers(c.r(), "EDUCACIÓN superior"), becas));
    // The cooperant's acronym is searchable too.
    CHECK(found(search_offers(c.r(), "koica"), becas));
}

TEST_CASE("catalog: renaming a cooperant refreshes the search index of its offers") {
    catalog_replica c;
    import_all(c);
    const std::string becas = catalog_id(catalog_kind::offers, "OF-2024-001");
    REQUIRE_FALSE(found(search_offers(c.r(), "Hanguk"), becas));
    const std::string orgs = with_line(
        sample_text("organisations.csv"), 4,
        "KOICA,Agencia Hanguk de Cooperación Internacional,KOICA,10,bilateral,KR,,activa,,"
        "https://www.koica.go.kr");
    auto sum = c.import(catalog_kind::organisations, orgs, 3);
    REQUIRE(sum.ok());
    CHECK(sum->updated == 1);
    CHECK(found(search_offers(c.r(), "hanguk"), becas));
}

TEST_CASE("catalog: rows absent from the file are left alone") {
    catalog_replica c;
    import_all(c);
    const auto orgs = c.count("organisation");
    auto sum = c.import(catalog_kind::organisations,
                        "code,name,org_type,status\nCAF,CAF Banco de Desarrollo,40,activa\n", 5);
    REQUIRE(sum.ok());
    CHECK(sum->rows_read == 1);
    CHECK(sum->updated == 1);
    CHECK(c.count("organisation") == orgs);
    CHECK(c.count("organisation", "deleted = 1") == 0);
    CHECK(c.count("organisation", "rev = 5") == 1);
    // Optional columns left out of the header are empty: CAF lost its acronym and source.
    const std::string caf = catalog_id(catalog_kind::organisations, "CAF");
    CHECK(c.text_of("organisation", "acronym", "id", caf) == std::nullopt);
    CHECK(
        c.text_of("organisation", "name", "id", catalog_id(catalog_kind::organisations, "AECID")) ==
        "Agencia Española de Cooperación Internacional para el Desarrollo");
}

TEST_CASE("catalog: a mancomunidad's member list replaces its links") {
    catalog_replica c;
    (void)c.import_sample(catalog_kind::mancomunidades, "mancomunidades.csv", 1);
    const std::string dropped = derived_id("catalog", "gad_membership", "M0001/170162");
    const std::string added = derived_id("catalog", "gad_membership", "M0001/170157");
    const char* header = "code,name,members,level\n";
    const std::string name = "Mancomunidad de Gobiernos Parroquiales del Valle de Los Chillos";

    auto sum =
        c.import(catalog_kind::mancomunidades,
                 header + ("M0001," + name + ",170151;170152;170156;170157,mancomunidad\n"), 4);
    REQUIRE(sum.ok());
    CHECK(sum->updated == 1);
    CHECK(sum->inserted == 0);
    REQUIRE(sum->changed.count("gad_membership") == 1);
    CHECK(sum->changed.at("gad_membership").size() == 2);
    CHECK(sum->changed.count("gad") == 0);  // the mancomunidad row itself did not change
    CHECK(c.int_of("gad_membership", "deleted", "id", dropped) == 1);
    CHECK(c.int_of("gad_membership", "rev", "id", dropped) == 4);
    CHECK(c.int_of("gad_membership", "deleted", "id", added) == 0);
    CHECK(c.count("gad_membership", "group_code = 'M0001' AND deleted = 0") == 4);
    CHECK(c.count("gad_membership", "group_code = 'M0002' AND deleted = 0") == 4);

    // Listing the member again revives its link.
    sum = c.import(catalog_kind::mancomunidades,
                   header + ("M0001," + name + ",170151;170152;170156;170157;170162,\n"), 5);
    REQUIRE(sum.ok());
    CHECK(sum->updated == 1);
    CHECK(c.int_of("gad_membership", "deleted", "id", dropped) == 0);
    CHECK(c.int_of("gad_membership", "rev", "id", dropped) == 5);
    CHECK(c.int_of("gad_membership", "rev", "id", added) == 4);
}

TEST_CASE("catalog: kinds are read in English and Spanish") {
    CHECK(*parse_catalog_kind("organisations") == catalog_kind::organisations);
    CHECK(*parse_catalog_kind("organizaciones") == catalog_kind::organisations);
    CHECK(*parse_catalog_kind("ngos") == catalog_kind::ngos);
    CHECK(*parse_catalog_kind("ong") == catalog_kind::ngos);
    CHECK(*parse_catalog_kind("offers") == catalog_kind::offers);
    CHECK(*parse_catalog_kind("ofertas") == catalog_kind::offers);
    CHECK(*parse_catalog_kind("mancomunidades") == catalog_kind::mancomunidades);
    CHECK(*parse_catalog_kind("indicators") == catalog_kind::indicators);
    CHECK(*parse_catalog_kind("indicadores") == catalog_kind::indicators);
    CHECK(to_string(catalog_kind::ngos) == "ngos");
    auto bad = parse_catalog_kind("projects");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.err().code == errc::bad_input);
    CHECK(bad.err().field == "KIND");
    CHECK(bad.err().es.find("ofertas") != std::string::npos);
}

}  // namespace minga::test
