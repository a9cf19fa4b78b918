// Offer matching on a generated catalogue, against expectations computed here from the
// generated values (not by calling the ranking code), and the refusal of bad demands.
#include "catalog_fixture.hpp"
#include "offer_catalog.hpp"

#include <minga/shared/demand_match.hpp>
#include <minga/shared/entity_service.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <tuple>

using namespace minga;

namespace {

constexpr const char* today = "2026-06-15";

struct expected {
    std::string id;
    int score;
    std::string closes_on;
};

bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

/// The rules of docs/demands.md, written out for one demand: GAD 170151 (parroquial_rural),
/// concerning 170151 and 170150, SDGs 6 and 15, sectors 31220 and 14030, tecnica_asesoria,
/// preferred source bilateral.
std::vector<expected> expected_matches(const std::vector<test::gen_offer>& offers) {
    const std::vector<std::string> places = {"170151", "170150"};
    std::vector<expected> out;
    for (const auto& o : offers) {
        if (o.status == "cerrada" || o.status == "archivada") continue;
        if (!o.closes_on.empty() && o.closes_on < today) continue;
        if (!o.eligible.empty() && !has(o.eligible, "parroquial_rural")) continue;
        if (!o.territories.empty()) {
            bool near = false;
            for (const auto& t : o.territories)
                for (const auto& p : places)
                    if (p.rfind(t, 0) == 0 || t.rfind(p, 0) == 0) near = true;
            if (!near) continue;
        }
        int goals = static_cast<int>(has(o.sdgs, "6")) + static_cast<int>(has(o.sdgs, "15"));
        int halves = 0;
        for (std::string s : {"31220", "14030"}) {
            if (has(o.sectors, s)) halves += 2;
            else if (std::any_of(o.sectors.begin(), o.sectors.end(),
                                 [&](const std::string& x) { return x.substr(0, 3) == s.substr(0, 3); }))
                halves += 1;
        }
        if (goals == 0 && halves == 0) continue;
        int score = 35 * goals / 2 + 35 * halves / 4;
        if (o.modality == "tecnica_asesoria") score += 20;
        else if (o.modality.rfind("tecnica_", 0) == 0 || o.modality == "mixta") score += 10;
        if (o.source == "bilateral") score += 10;
        out.push_back({catalog_id(catalog_kind::offers, o.code), score, o.closes_on});
    }
    std::sort(out.begin(), out.end(), [](const expected& a, const expected& b) {
        auto da = a.closes_on.empty() ? std::string("9999") : a.closes_on;
        auto db = b.closes_on.empty() ? std::string("9999") : b.closes_on;
        return std::tuple(-a.score, da, a.id) < std::tuple(-b.score, db, b.id);
    });
    return out;
}

std::string add_demand(replica& r) {
    entity_service svc(r);
    auto w = svc.add(*find_entity("demand"),
                     {{"title", "Agua y páramos"}, {"year", "2026"}, {"modality", "tecnica_asesoria"},
                      {"source", "bilateral"}, {"sdg", "6"}, {"sdg", "15.3"}, {"sdg", "15"},
                      {"sector", "31220"}, {"sector", "14030:50"}, {"territory", "170150"},
                      {"amount", "25000"}, {"priority", "alta"}});
    REQUIRE(w.ok());
    return w->id;
}

}  // namespace

TEST_CASE("demand match: ranks a generated catalogue as the written rules say") {
    test::catalog_replica cr;
    cr.import_sample(catalog_kind::organisations, "organisations.csv");
    auto offers = test::generate_offers(600, 7);
    REQUIRE(cr.import(catalog_kind::offers, test::offers_csv(offers)).ok());
    auto demand = add_demand(cr.r());
    auto want = expected_matches(offers);
    REQUIRE(want.size() > 20);  // the catalogue exercises the rules, not an empty list

    auto got = match_demand(cr.r().conn(), demand, match_options{0, today, false});
    REQUIRE(got.ok());
    REQUIRE(got->size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO("rank " << i);
        CHECK((*got)[i].offer_id == want[i].id);
        CHECK((*got)[i].score == want[i].score);
    }
    SECTION("the full scan finds exactly the same ranking") {
        auto scan = match_demand(cr.r().conn(), demand, match_options{0, today, true});
        REQUIRE(scan.ok());
        REQUIRE(scan->size() == got->size());
        for (std::size_t i = 0; i < got->size(); ++i) CHECK((*scan)[i].offer_id == (*got)[i].offer_id);
    }
    SECTION("--limit keeps the best") {
        auto top = match_demand(cr.r().conn(), demand, match_options{5, today, false});
        REQUIRE(top.ok());
        REQUIRE(top->size() == 5);
        for (std::size_t i = 0; i < 5; ++i) CHECK((*top)[i].offer_id == want[i].id);
    }
    SECTION("each match is explained in Spanish and English") {
        for (const auto& m : *got) {
            if (!m.common_sdgs.empty()) CHECK(m.explanation_es.find("coincide en ODS") != std::string::npos);
            if (m.closes_on.empty()) CHECK(m.explanation_es.find("ventana permanente") != std::string::npos);
            else {
                std::string dmy = m.closes_on.substr(8, 2) + "/" + m.closes_on.substr(5, 2) + "/" + m.closes_on.substr(0, 4);
                CHECK(m.explanation_es.find("plazo " + dmy) != std::string::npos);
                CHECK(m.explanation_en.find("deadline " + dmy) != std::string::npos);
            }
        }
    }
}

TEST_CASE("demand match: an offer whose sectors change is re-tagged on re-import") {
    test::catalog_replica cr;
    cr.import_sample(catalog_kind::organisations, "organisations.csv");
    auto offers = test::generate_offers(1, 3);
    offers[0].status = "permanente";
    offers[0].closes_on.clear();
    offers[0].eligible.clear();
    offers[0].territories.clear();
    offers[0].sdgs = {"1"};
    offers[0].sectors = {"25010"};
    REQUIRE(cr.import(catalog_kind::offers, test::offers_csv(offers)).ok());
    auto demand = add_demand(cr.r());
    auto none = match_demand(cr.r().conn(), demand, match_options{0, today, false});
    REQUIRE(none.ok());
    CHECK(none->empty());
    offers[0].sectors = {"31220"};
    REQUIRE(cr.import(catalog_kind::offers, test::offers_csv(offers), 2).ok());
    auto one = match_demand(cr.r().conn(), demand, match_options{0, today, false});
    REQUIRE(one.ok());
    REQUIRE(one->size() == 1);
    CHECK(one->front().explanation_es.find("coincide en sector 31220") != std::string::npos);
}

TEST_CASE("demand: bad input is refused naming the field, and nothing is written") {
    test::catalog_replica cr;
    entity_service svc(cr.r());
    const auto& e = *find_entity("demand");
    form base = {{"title", "Riego"}, {"year", "2026"}, {"modality", "fin_no_reembolsable"}};
    auto outbox = cr.count("outbox");
    struct bad_case {
        std::pair<std::string, std::string> field;
        std::string named;
    };
    for (const auto& [field, named] : std::vector<bad_case>{{{"sdg", "18"}, "--sdg"},
                                                          {{"sdg", "15.99"}, "--sdg"},
                                                          {{"sector", "99999"}, "--sector"},
                                                          {{"modality", "donacion"}, "--modality"},
                                                          {{"territory", "999999"}, "--territory"},
                                                          {{"priority", "urgente"}, "--priority"},
                                                          {{"year", "1999"}, "--year"}}) {
        form f = base;
        if (field.first == "modality") f[2].second = field.second;
        else if (field.first == "year") f[1].second = field.second;
        else f.push_back(field);
        auto w = svc.add(e, f);
        INFO(field.first << "=" << field.second);
        REQUIRE_FALSE(w.ok());
        CHECK(w.err().code == errc::bad_input);
        CHECK(w.err().field == named);
    }
    CHECK(cr.count("demand") == 0);
    CHECK(cr.count("demand_sdg") == 0);
    CHECK(cr.count("outbox") == outbox);
}
