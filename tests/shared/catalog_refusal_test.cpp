// import_catalog on bad files: every kind of bad row is refused with the line and column in
// error.field, and nothing is written (not even the good rows before it).

#include "catalog_fixture.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <vector>

namespace minga::test {

namespace {

using cells = std::map<std::string, std::string>;

struct format {
    catalog_kind kind;
    std::vector<std::string> columns;
    cells good;          ///< a valid new row; the bad row is this one with overrides
    std::string second;  ///< the code of the bad row (unless a test gives another)
};

const format ngo_format{catalog_kind::ngos,
                        {"code", "name", "acronym", "ruc", "country", "status", "cbf_valid_to"},
                        {{"code", "ONG-NUEVA"},
                         {"name", "Fundación Nueva"},
                         {"acronym", "FN"},
                         {"ruc", "1797601892001"},
                         {"country", "ES"},
                         {"status", "activa"},
                         {"cbf_valid_to", "2027-01-31"}},
                        "ONG-NUEVA-2"};

const format org_format{catalog_kind::organisations,
                        {"code", "name", "org_type", "source", "country"},
                        {{"code", "NUEVA"},
                         {"name", "Agencia Nueva"},
                         {"org_type", "10"},
                         {"source", "bilateral"},
                         {"country", "PE"}},
                        "NUEVA-2"};

const format offer_format{
    catalog_kind::offers,
    {"code", "cooperant", "title", "modality", "sdgs", "sectors", "eligible", "currency",
     "amount_min", "amount_max", "opens_on", "closes_on", "url", "geopolitical"},
    {{"code", "OF-T-1"},
     {"cooperant", "AECID"},
     {"title", "Oferta de prueba"},
     {"modality", "tecnica_asesoria"},
     {"sdgs", "6;15"},
     {"sectors", "31220;41010"},
     {"eligible", "parroquial_rural"},
     {"currency", "USD"},
     {"amount_min", "1000"},
     {"amount_max", "2000.50"},
     {"opens_on", "2024-01-01"},
     {"closes_on", "2024-12-31"},
     {"url", "https://example.org/oferta"},
     {"geopolitical", "norte_sur"}},
    "OF-T-2"};

const format mancomunidad_format{
    catalog_kind::mancomunidades,
    {"code", "name", "members"},
    {{"code", "M0100"}, {"name", "Mancomunidad de prueba"}, {"members", "1702;1703"}},
    "M0101"};

const format indicator_format{catalog_kind::indicators,
                              {"code", "name", "unit", "measure", "aggregation", "sdg", "sector"},
                              {{"code", "IND-T-1"},
                               {"name", "Indicador de prueba"},
                               {"unit", "ha"},
                               {"measure", "1"},
                               {"aggregation", "sum"},
                               {"sdg", "15"},
                               {"sector", "31220"}},
                              "IND-T-2"};

std::string csv_line(const std::vector<std::string>& columns, const cells& row) {
    std::string line;
    for (const auto& c : columns) {
        if (!line.empty()) line += ',';
        auto it = row.find(c);
        if (it != row.end()) line += it->second;
    }
    return line + "\n";
}

/// Header, the good row (line 2), then the good row with the code `second_code` and
/// `overrides` (line 3).
std::string file_with(const format& f, const cells& overrides,
                      const std::string& second_code = "") {
    cells bad = f.good;
    bad["code"] = second_code.empty() ? f.second : second_code;
    for (const auto& [k, v] : overrides) bad[k] = v;
    std::string header;
    for (const auto& c : f.columns) header += (header.empty() ? "" : ",") + c;
    return header + "\n" + csv_line(f.columns, f.good) + csv_line(f.columns, bad);
}

struct refusal {
    const char* what;
    catalog_kind kind;
    std::string text;
    std::string field;
};

std::vector<refusal> row_refusals() {
    const auto& n = ngo_format;
    const auto& o = offer_format;
    const auto& g = org_format;
    const auto& m = mancomunidad_format;
    const auto& i = indicator_format;
    return {
        {"RUC too short", n.kind, file_with(n, {{"ruc", "1790012345"}}), "línea 3, columna ruc"},
        {"RUC province 25", n.kind, file_with(n, {{"ruc", "2590012345001"}}),
         "línea 3, columna ruc"},
        {"missing RUC", n.kind, file_with(n, {{"ruc", ""}}), "línea 3, columna ruc"},
        {"unknown country", n.kind, file_with(n, {{"country", "XX"}}), "línea 3, columna country"},
        {"status not in the list", n.kind, file_with(n, {{"status", "activo"}}),
         "línea 3, columna status"},
        {"date that does not exist", n.kind, file_with(n, {{"cbf_valid_to", "2024-02-30"}}),
         "línea 3, columna cbf_valid_to"},
        {"unknown org type", g.kind, file_with(g, {{"org_type", "99"}}),
         "línea 3, columna org_type"},
        {"unknown source", g.kind, file_with(g, {{"source", "bilaterales"}}),
         "línea 3, columna source"},
        {"unknown modality", o.kind, file_with(o, {{"modality", "tecnica_magia"}}),
         "línea 3, columna modality"},
        {"unknown cooperant", o.kind, file_with(o, {{"cooperant", "NADIE"}}),
         "línea 3, columna cooperant"},
        {"SDG 18", o.kind, file_with(o, {{"sdgs", "6;18"}}), "línea 3, columna sdgs"},
        {"SDG with a leading zero", o.kind, file_with(o, {{"sdgs", "06"}}),
         "línea 3, columna sdgs"},
        {"empty list item", o.kind, file_with(o, {{"sdgs", "6;;15"}}), "línea 3, columna sdgs"},
        {"repeated list item", o.kind, file_with(o, {{"sectors", "31220;31220"}}),
         "línea 3, columna sectors"},
        {"unknown DAC sector", o.kind, file_with(o, {{"sectors", "99999"}}),
         "línea 3, columna sectors"},
        {"unknown GAD level", o.kind, file_with(o, {{"eligible", "parroquial"}}),
         "línea 3, columna eligible"},
        {"unknown geopolitical class", o.kind, file_with(o, {{"geopolitical", "este_oeste"}}),
         "línea 3, columna geopolitical"},
        {"date in another format", o.kind, file_with(o, {{"closes_on", "31/12/2024"}}),
         "línea 3, columna closes_on"},
        {"closes before it opens", o.kind, file_with(o, {{"closes_on", "2023-12-31"}}),
         "línea 3, columna closes_on"},
        {"amounts without currency", o.kind, file_with(o, {{"currency", ""}}),
         "línea 3, columna currency"},
        {"unknown currency", o.kind, file_with(o, {{"currency", "XYZ"}}),
         "línea 3, columna currency"},
        {"too many decimals", o.kind, file_with(o, {{"amount_min", "10.505"}}),
         "línea 3, columna amount_min"},
        {"max below min", o.kind, file_with(o, {{"amount_max", "999"}}),
         "línea 3, columna amount_max"},
        {"web address without scheme", o.kind, file_with(o, {{"url", "www.example.org"}}),
         "línea 3, columna url"},
        {"empty title", o.kind, file_with(o, {{"title", ""}}), "línea 3, columna title"},
        {"text that is not UTF-8", o.kind, file_with(o, {{"title", "Educaci\xC3\x28n"}}),
         "línea 3, columna title"},
        {"duplicate code", o.kind, file_with(o, {}, "OF-T-1"), "línea 3, columna code"},
        {"code with a space", o.kind, file_with(o, {}, "OF T"), "línea 3, columna code"},
        {"unknown member", m.kind, file_with(m, {{"members", "1702;999999"}}),
         "línea 3, columna members"},
        {"a single member", m.kind, file_with(m, {{"members", "1702"}}),
         "línea 3, columna members"},
        {"a mancomunidad as member", m.kind, file_with(m, {{"members", "1702;M0100"}}),
         "línea 3, columna members"},
        {"mancomunidad code without M", m.kind, file_with(m, {}, "0101"), "línea 3, columna code"},
        {"unknown measure", i.kind, file_with(i, {{"measure", "9"}}), "línea 3, columna measure"},
        {"indicator SDG 18", i.kind, file_with(i, {{"sdg", "18"}}), "línea 3, columna sdg"},
        {"indicator unknown sector", i.kind, file_with(i, {{"sector", "99999"}}),
         "línea 3, columna sector"},
        {"unknown aggregation", i.kind, file_with(i, {{"aggregation", "avg"}}),
         "línea 3, columna aggregation"},
    };
}

std::vector<refusal> file_refusals() {
    const std::string good = csv_line(offer_format.columns, offer_format.good);
    return {
        {"missing required column", catalog_kind::offers,
         "code,cooperant,title\nOF-T-1,AECID,Oferta\n", "línea 1, columna modality"},
        {"unknown column", catalog_kind::offers,
         "code,cooperant,title,modality,color\nOF-T-1,AECID,Oferta,mixta,rojo\n",
         "línea 1, columna color"},
        {"row with a missing field", catalog_kind::indicators,
         "code,name,unit\nIND-T-1,Indicador,ha\nIND-T-2,Indicador\n", "línea 3"},
        {"no data rows", catalog_kind::indicators, "code,name,unit\n", "CSV"},
    };
}

/// Row counts of every catalogue table, and of rows carrying the refused import's rev.
std::vector<std::int64_t> catalogue_state(catalog_replica& c) {
    std::vector<std::int64_t> out;
    for (const char* t :
         {"organisation", "offer", "offer_fts", "gad", "gad_membership", "indicator_def"}) {
        out.push_back(c.count(t));
        if (std::string(t) != "offer_fts") out.push_back(c.count(t, "rev = 9 OR deleted = 1"));
    }
    return out;
}

void import_samples(catalog_replica& c) {
    (void)c.import_sample(catalog_kind::organisations, "organisations.csv");
    (void)c.import_sample(catalog_kind::ngos, "ngos.csv");
    (void)c.import_sample(catalog_kind::offers, "offers.csv");
    (void)c.import_sample(catalog_kind::mancomunidades, "mancomunidades.csv");
}

void check_refused(catalog_replica& c, const refusal& t) {
    INFO(t.what);
    const auto before = catalogue_state(c);
    auto sum = c.import(t.kind, t.text, 9);
    REQUIRE_FALSE(sum.ok());
    CHECK(sum.err().code == errc::bad_input);
    CHECK(sum.err().field == t.field);
    CHECK_FALSE(sum.err().es.empty());
    CHECK_FALSE(sum.err().en.empty());
    CHECK(catalogue_state(c) == before);
}

}  // namespace

TEST_CASE("catalog: each kind of bad row is refused with its line and column, nothing written") {
    catalog_replica c;
    import_samples(c);
    for (const auto& t : row_refusals()) check_refused(c, t);
    // The good rows on line 2 of those files were never written.
    CHECK(c.count("offer", "id = '" + catalog_id(catalog_kind::offers, "OF-T-1") + "'") == 0);
    CHECK(c.count("organisation", "id = '" + catalog_id(catalog_kind::ngos, "ONG-NUEVA") + "'") ==
          0);
    CHECK(c.count("gad", "code = 'M0100'") == 0);
    CHECK(c.count("indicator_def") == 0);
}

TEST_CASE("catalog: a bad header or a malformed file is refused, nothing written") {
    catalog_replica c;
    import_samples(c);
    for (const auto& t : file_refusals()) check_refused(c, t);
}

TEST_CASE("catalog: the good rows of each test file import once the bad row is fixed") {
    // Guards the refusal tests: they fail for the bad row, not for the row before it.
    catalog_replica c;
    import_samples(c);
    for (const format* f :
         {&ngo_format, &org_format, &offer_format, &mancomunidad_format, &indicator_format}) {
        auto sum = c.import(f->kind, file_with(*f, {}));
        INFO((sum ? std::string() : sum.err().text("en")));
        REQUIRE(sum.ok());
        CHECK(sum->inserted == 2);
    }
}

TEST_CASE("catalog: a refused file leaves nothing behind even if the caller commits") {
    catalog_replica c;
    import_samples(c);
    const auto before = catalogue_state(c);
    std::istringstream in(file_with(offer_format, {{"sdgs", "18"}}));
    sql::transaction tx(c.r().conn());
    auto sum = import_catalog(tx, catalog_kind::offers, in, 9);
    REQUIRE_FALSE(sum.ok());
    CHECK(sum.err().field == "línea 3, columna sdgs");
    c.r().commit(tx);
    CHECK(catalogue_state(c) == before);
    CHECK(c.count("offer", "id = '" + catalog_id(catalog_kind::offers, "OF-T-1") + "'") == 0);
}

}  // namespace minga::test
