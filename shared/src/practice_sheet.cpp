// Printable good-practice sheets (practice_sheet.hpp).
#include "export_text.hpp"

#include <minga/shared/practice_sheet.hpp>

#include <array>

namespace minga {

namespace {

std::string html_escape(std::string_view s) { return export_text::xml(s); }

struct section {
    std::string_view es;
    std::string_view en;
    std::string practice_record::*field;
};

constexpr std::array<section, 9> sections = {{
    {"GAD", "GAD", &practice_record::gad_name},
    {"Territorio", "Territory", &practice_record::territory_name},
    {"Proyecto", "Project", &practice_record::project_title},
    {"Objetivo", "Objective", &practice_record::objective},
    {"Socios", "Partners", &practice_record::partners},
    {"Financiador", "Funder", &practice_record::funder},
    {"Pasos del proceso", "Process steps", &practice_record::process_steps},
    {"Resultados", "Results", &practice_record::results},
    {"Compromisos", "Commitments", &practice_record::commitments},
}};
constexpr section lessons{"Lecciones aprendidas", "Lessons learned", &practice_record::lessons};

}  // namespace

std::vector<practice_record> load_practices(sql::db& db, std::string_view gad, std::string_view id) {
    auto s = db.prepare(
        "SELECT p.id, p.owner_gad, coalesce(g.name, ''), p.title, coalesce(p.objective, ''), "
        "coalesce(p.partners, ''), coalesce(p.funder, ''), coalesce(p.process_steps, ''), "
        "coalesce(p.results, ''), coalesce(p.commitments, ''), coalesce(p.lessons, ''), "
        "coalesce(pr.title, ''), coalesce(t.name, '') FROM good_practice p "
        "LEFT JOIN gad g ON g.code = p.owner_gad LEFT JOIN project pr ON pr.id = p.project_id "
        "LEFT JOIN territorial_unit t ON t.code = p.territory "
        "WHERE p.deleted = 0 AND (?1 = '' OR p.owner_gad = ?1) AND (?2 = '' OR p.id = ?2) "
        "ORDER BY p.owner_gad, p.title, p.id");
    s.bind(1, gad).bind(2, id);
    std::vector<practice_record> out;
    while (s.step()) {
        practice_record r;
        int i = 0;
        for (auto* f : {&r.id, &r.owner_gad, &r.gad_name, &r.title, &r.objective, &r.partners, &r.funder,
                        &r.process_steps, &r.results, &r.commitments, &r.lessons, &r.project_title,
                        &r.territory_name})
            *f = s.get_text(i++);
        out.push_back(std::move(r));
    }
    return out;
}

std::string practice_sheets(const std::vector<practice_record>& records, sheet_format format,
                            std::string_view lang) {
    bool en = lang == "en";
    std::string heading = en ? "Good-practice record" : "Ficha de buena práctica";
    std::string out;
    if (format == sheet_format::html) {
        out += "<!DOCTYPE html>\n<html lang=\"" + std::string(en ? "en" : "es") +
               "\">\n<head><meta charset=\"utf-8\"><title>" + heading +
               "</title>\n<style>body{font-family:sans-serif;max-width:48em;margin:auto}"
               "section{page-break-after:always}h2{margin-top:1.2em}dt{font-weight:bold;margin-top:.6em}"
               "dd{margin-left:0;white-space:pre-wrap}</style></head>\n<body>\n";
    }
    for (const auto& r : records) {
        auto field = [&](const section& sec, bool always) {
            const std::string& v = r.*(sec.field);
            if (v.empty() && !always) return;
            std::string label(en ? sec.en : sec.es);
            std::string value = v.empty() ? "—" : v;
            if (format == sheet_format::html)
                out += "<dt>" + label + "</dt><dd>" + html_escape(value) + "</dd>\n";
            else
                out += label + ":\n  " + value + "\n";
        };
        if (format == sheet_format::html) {
            out += "<section>\n<h1>" + heading + "</h1>\n<h2>" + html_escape(r.title) + "</h2>\n<dl>\n";
        } else {
            out += heading + "\n" + std::string(heading.size(), '=') + "\n" + r.title + "\n\n";
        }
        for (const auto& sec : sections) field(sec, sec.field != &practice_record::territory_name &&
                                                        sec.field != &practice_record::project_title);
        field(lessons, true);
        if (format == sheet_format::html) out += "</dl>\n<p><small>" + html_escape(r.id) + "</small></p>\n</section>\n";
        else out += "(" + r.id + ")\n\f\n";
    }
    if (format == sheet_format::html) out += "</body>\n</html>\n";
    return out;
}

}  // namespace minga
