// IATI 2.03 activity XML: one iati-activity per live project, the owner GAD reporting.
// Element order follows the 2.03 XSD (data/iati/schema-2.03/); docs/exports.md gives the mapping.
#include <minga/shared/export.hpp>

#include "export_rows.hpp"
#include "export_text.hpp"

#include <algorithm>
#include <map>

namespace minga {

namespace {

using export_rows::project_row;
using export_text::xml;

/// Organisation identifier of a GAD. GADs have no registered IATI identifier in minga's data
/// yet; `EC-INEC-<code>` is provisional (see docs/exports.md).
std::string gad_ref(const std::string& code) { return "EC-INEC-" + code; }

/// IATI OrganisationType of a GAD (local government), or 10 (government) for none.
constexpr std::string_view gad_org_type = "11";

std::string narrative(std::string_view text) { return "<narrative>" + xml(text) + "</narrative>"; }

std::string attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + xml(value) + "\"";
}

std::string number(double v) {
    auto s = export_text::money(static_cast<std::int64_t>(v * 100 + (v >= 0 ? 0.5 : -0.5)), 2);
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

/// The earliest date IATI can carry for the project (activity-date is required), in order:
/// its own dates, else its first budget period or transaction. Empty when it has none.
struct dated {
    std::vector<std::pair<int, std::string>> dates;  // (ActivityDateType, iso date)
};

dated activity_dates(const project_row& p) {
    dated d;
    if (!p.planned_start.empty()) d.dates.emplace_back(1, p.planned_start);
    if (!p.actual_start.empty()) d.dates.emplace_back(2, p.actual_start);
    if (!p.planned_end.empty()) d.dates.emplace_back(3, p.planned_end);
    if (!p.actual_end.empty()) d.dates.emplace_back(4, p.actual_end);
    if (!d.dates.empty()) return d;
    std::string first;
    for (const auto& b : p.budgets)
        if (first.empty() || b.period_start < first) first = b.period_start;
    for (const auto& t : p.transactions)
        if (first.empty() || t.date < first) first = t.date;
    if (!first.empty()) d.dates.emplace_back(1, first);  // planned start: the first money line
    return d;
}

void org_element(std::string& out, std::string_view tag, const export_rows::participant_row& o,
                 std::string_view extra) {
    out += "<" + std::string(tag);
    if (!o.ruc.empty()) out += attr("ref", "EC-RUC-" + o.ruc);
    out += extra;
    if (o.org_type > 0) out += attr("type", std::to_string(o.org_type));
    out += ">" + narrative(o.name.empty() ? o.organisation_id : o.name) + "</" + std::string(tag) + ">";
}

const export_rows::participant_row* find_org(const project_row& p, const std::string& id) {
    if (id.empty()) return nullptr;
    for (const auto& x : p.participants)
        if (x.organisation_id == id) return &x;
    return nullptr;
}

void append_locations(std::string& out, const project_row& p) {
    for (const auto& l : p.locations) {
        out += "<location" + attr("ref", "EC-DPA-" + l.territory + "-" + l.id.substr(0, 8)) + ">";
        out += "<location-reach code=\"1\"/>";
        out += "<name>" + narrative(l.name.empty() ? l.territory_name : l.name) + "</name>";
        std::string where = "DPA INEC " + l.territory + ": " + l.province_name;
        if (!l.canton_name.empty() && l.territory.size() >= 4) where += " / " + l.canton_name;
        if (l.territory.size() == 6) where += " / " + l.territory_name;
        out += "<description>" + narrative(where) + "</description>";
        if (l.lat && l.lon) {
            out += "<point srsName=\"http://www.opengis.net/def/crs/EPSG/0/4326\"><pos>" +
                   std::to_string(*l.lat) + " " + std::to_string(*l.lon) + "</pos></point>";
            out += "<exactness code=\"1\"/>";
        }
        out += "<location-class code=\"1\"/>";  // administrative region (an INEC territory)
        out += "</location>\n";
    }
}

/// Finance type when the project does not say: non-reimbursable and technical cooperation are
/// grants (110), reimbursable is a loan (421) (data/ecuador/cinr_clasificaciones.csv).
std::string finance_type(const project_row& p) {
    if (p.finance_type) return std::to_string(*p.finance_type);
    if (p.modality == "fin_reembolsable") return "421";
    if (p.modality == "fin_no_reembolsable" || p.modality.rfind("tecnica_", 0) == 0) return "110";
    return "";
}

void append_money(std::string& out, sql::db& db, std::int64_t amount, const std::string& currency,
                  const std::string& date) {
    out += "<value" + attr("currency", currency) + attr("value-date", date) + ">" +
           export_text::money(amount, export_rows::minor_digits(db, currency)) + "</value>";
}

/// IATI's value attribute of a baseline, target or actual: the number as recorded, to 6 places.
std::string value_attr(double v) {
    auto s = std::to_string(v);  // "%f": six decimals, no exponent
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return attr("value", s);
}

void append_indicator(std::string& out, const export_rows::indicator_row& i, int fallback_year) {
    out += "<indicator" + attr("measure", std::to_string(i.measure)) + attr("ascending", i.ascending ? "1" : "0") +
           "><title>" + narrative(i.title) + "</title><description>" + narrative("Unidad: " + i.unit) +
           "</description>";
    // A library indicator: its code in the reporting organisation's own vocabulary (99).
    if (!i.code.empty()) out += "<reference vocabulary=\"99\"" + attr("code", i.code) + "/>";
    if (i.baseline) {
        const auto year = i.baseline_year.value_or(fallback_year);
        out += "<baseline" + attr("year", std::to_string(year)) + value_attr(*i.baseline) + "/>";
    }
    auto period = [&](const std::string& start, const std::string& end, std::optional<double> target,
                      const export_rows::observed& actual) {
        out += "<period><period-start" + attr("iso-date", start) + "/><period-end" + attr("iso-date", end) + "/>";
        if (target) out += "<target" + value_attr(*target) + "/>";
        if (auto v = actual.by_rule(i.aggregation)) out += "<actual" + value_attr(*v) + "/>";
        out += "</period>";
    };
    for (const auto& p : i.periods) period(p.start, p.end, p.target, p.actual);
    // No reporting periods: one period from the first observation to the last (or to the target
    // date), with the indicator's own target.
    if (i.periods.empty() && i.actual.count > 0) {
        const auto end = std::max(i.actual.last_on, i.target_date);
        period(i.actual.first_on, end, i.target, i.actual);
    }
    out += "</indicator>";
}

/// One `result` per project result that has indicators, then one (output, type 1) for the
/// indicators that belong to no result. IATI requires at least one indicator per result.
void append_results(std::string& out, const project_row& p, int fallback_year) {
    auto append = [&](std::int64_t type, const std::string& title, const std::string& description,
                      const std::string& result_id, bool orphans) {
        std::string inner;
        for (const auto& i : p.indicators) {
            const bool known = std::any_of(p.results.begin(), p.results.end(),
                                           [&](const auto& r) { return r.id == i.result_id; });
            if (orphans ? !known : i.result_id == result_id) append_indicator(inner, i, fallback_year);
        }
        if (inner.empty()) return;
        out += "<result" + attr("type", std::to_string(type)) + "><title>" + narrative(title) + "</title>";
        if (!description.empty()) out += "<description>" + narrative(description) + "</description>";
        out += inner + "</result>\n";
    };
    for (const auto& r : p.results) append(r.type, r.title, r.description, r.id, false);
    append(1, "Indicadores del proyecto: " + p.title, "", "", true);
}

void append_activity(std::string& out, sql::db& db, const project_row& p, const dated& d,
                     std::int64_t generated_ms) {
    const std::string org = gad_ref(p.owner_gad);
    out += "<iati-activity xml:lang=\"es\"" + attr("default-currency", p.default_currency) +
           attr("last-updated-datetime", export_text::iso_utc(generated_ms)) + ">\n";
    out += "<iati-identifier>" + xml(org + "-" + p.id) + "</iati-identifier>\n";
    out += "<reporting-org" + attr("ref", org) + attr("type", gad_org_type) + ">" +
           narrative(p.owner_name.empty() ? p.owner_gad : p.owner_name) + "</reporting-org>\n";
    out += "<title>" + narrative(p.title) + "</title>\n";
    out += "<description type=\"1\">" + narrative(p.description.empty() ? p.title : p.description) +
           "</description>\n";
    if (!p.objectives.empty())
        out += "<description type=\"2\">" + narrative(p.objectives) + "</description>\n";
    for (const auto& x : p.participants) {
        org_element(out, "participating-org", x, attr("role", std::to_string(x.role)));
        out += "\n";
    }
    // The GAD is accountable for the activity (and reports it).
    out += "<participating-org" + attr("ref", org) + " role=\"2\"" + attr("type", gad_org_type) + ">" +
           narrative(p.owner_name.empty() ? p.owner_gad : p.owner_name) + "</participating-org>\n";
    // A1: the GAD's own code for the project; A9: the agreement's reference number.
    if (!p.local_code.empty()) out += "<other-identifier" + attr("ref", p.local_code) + " type=\"A1\"/>\n";
    if (p.agreement && !p.agreement->reference.empty())
        out += "<other-identifier" + attr("ref", p.agreement->reference) + " type=\"A9\"/>\n";
    out += "<activity-status code=\"" + std::to_string(p.activity_status) + "\"/>\n";
    for (const auto& [type, date] : d.dates)
        out += "<activity-date type=\"" + std::to_string(type) + "\"" + attr("iso-date", date) + "/>\n";
    out += "<recipient-country code=\"EC\" percentage=\"100\"/>\n";
    append_locations(out, p);
    for (const auto& s : p.sectors)
        out += "<sector vocabulary=\"" + std::string(s.code.size() == 5 ? "1" : "2") + "\"" +
               attr("code", s.code) + attr("percentage", number(s.percentage)) + "/>\n";
    for (int g : p.sdgs) out += "<tag vocabulary=\"2\" code=\"" + std::to_string(g) + "\"/>\n";
    if (p.collaboration_type)
        out += "<collaboration-type code=\"" + std::to_string(*p.collaboration_type) + "\"/>\n";
    else if (p.geopolitical == "triangular")
        out += "<collaboration-type code=\"8\"/>\n";
    if (auto ft = finance_type(p); !ft.empty()) out += "<default-finance-type" + attr("code", ft) + "/>\n";
    if (!p.aid_type.empty()) out += "<default-aid-type" + attr("code", p.aid_type) + " vocabulary=\"1\"/>\n";
    for (const auto& b : p.budgets) {
        out += "<budget type=\"1\" status=\"" + std::to_string(b.status) + "\"><period-start" +
               attr("iso-date", b.period_start) + "/><period-end" + attr("iso-date", b.period_end) + "/>";
        append_money(out, db, b.amount, b.currency, b.period_start);
        out += "</budget>\n";
    }
    for (const auto& t : p.transactions) {
        out += "<transaction><transaction-type code=\"" + std::to_string(t.type) +
               "\"/><transaction-date" + attr("iso-date", t.date) + "/>";
        append_money(out, db, t.amount, t.currency, t.date);
        if (!t.description.empty()) out += "<description>" + narrative(t.description) + "</description>";
        if (const auto* o = find_org(p, t.provider_id)) org_element(out, "provider-org", *o, "");
        if (const auto* o = find_org(p, t.receiver_id)) org_element(out, "receiver-org", *o, "");
        out += "</transaction>\n";
    }
    append_results(out, p, std::stoi(d.dates.front().second.substr(0, 4)));
    out += "</iati-activity>\n";
}

std::string open_document(std::int64_t generated_ms) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\"" +
           attr("generated-datetime", export_text::iso_utc(generated_ms)) + ">\n";
}

}  // namespace

result<iati_export> export_iati(sql::db& db, const iati_options& o) {
    if (!o.gad.empty()) {
        auto s = db.prepare("SELECT 1 FROM gad WHERE code = ?1");
        s.bind(1, o.gad);
        if (!s.step())
            return make_error(errc::bad_input, "--gad",
                              "GAD desconocido: '" + o.gad + "'; vea `minga-server gad list`",
                              "unknown GAD: '" + o.gad + "'; see `minga-server gad list`");
    }
    iati_export e;
    std::map<std::string, iati_document> docs;  // by reporting GAD ("" when one for all)
    for (const auto& p : export_rows::load(db, o.gad)) {
        const auto d = activity_dates(p);
        if (d.dates.empty()) {
            e.skipped_no_date.push_back(p.id);
            continue;
        }
        auto& doc = docs[o.per_gad ? p.owner_gad : std::string()];
        if (doc.xml.empty()) {
            doc.reporting_gad = o.per_gad ? p.owner_gad : std::string();
            doc.xml = open_document(o.generated_ms);
        }
        append_activity(doc.xml, db, p, d, o.generated_ms);
        ++doc.activities;
        ++e.activities;
    }
    for (auto& [gad, doc] : docs) {
        doc.xml += "</iati-activities>\n";
        e.documents.push_back(std::move(doc));
    }
    return e;
}

}  // namespace minga
