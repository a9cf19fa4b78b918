// Entity forms from the specs: one input per field kind, the message next to the field.
#include "desk_forms.hpp"
#include "desk_tuning.hpp"

#include <minga/shared/desk_query.hpp>

#include <fmt/format.h>

#include <algorithm>

namespace minga::client::desk {

namespace {

/// Free-text fields that take paragraphs.
constexpr std::string_view long_text[] = {"description", "objectives", "target-groups", "purpose", "narrative",
                                          "lessons",     "objective",  "steps",         "results", "commitments",
                                          "note",        "partners"};
/// Fields most parish staff never fill in: drawn inside a closed "more fields" box.
constexpr std::string_view advanced[] = {"collaboration-type", "finance-type", "aid-type", "activity-status",
                                         "participant",        "sector",       "measure",  "ascending",
                                         "library-code",       "result",       "intl-kind", "decentralized-via",
                                         "parent",             "offer",        "accuracy", "report",
                                         "geopolitical",       "actual-start", "actual-end"};

bool in(std::string_view x, std::span<const std::string_view> list) {
    return std::find(list.begin(), list.end(), x) != list.end();
}

std::vector<std::string> values_in(const form& f, std::string_view option) {
    std::vector<std::string> out;
    for (const auto& [k, v] : f)
        if (k == option) out.push_back(v);
    return out;
}

std::string options_html(const std::vector<desk_choice>& choices, const std::string& current, bool blank) {
    std::string h = blank ? "<option value=\"\">—</option>" : "";
    for (const auto& ch : choices)
        h += fmt::format("<option value=\"{}\"{}>{}</option>", esc(ch.code), ch.code == current ? " selected" : "",
                         esc(ch.code == ch.name ? ch.name : ch.code + " · " + ch.name));
    return h;
}

/// The live rows of `table` that a reference field can point to (only those under `parent_id`
/// when given), labelled by their title, or by their dates for a period.
std::vector<desk_choice> ref_choices(entity_service& svc, std::string_view table, const std::string& parent_id = "") {
    std::vector<desk_choice> out;
    for (const auto& e : entities()) {
        if (e.table != table || !e.writable) continue;
        for (const auto& rec : svc.list(e, list_filter{parent_id, desk_tuning::max_list_rows})) {
            std::string label, from, to;
            for (const auto& [k, v] : rec.fields) {
                const auto* text = std::get_if<std::string>(&v);
                if (!text) continue;
                if (k == "period_start") from = *text;
                if (k == "period_end") to = *text;
                if (label.empty() && !k.ends_with("_id")) label = *text;
            }
            if (!from.empty()) label = from + " – " + to;
            out.push_back({rec.id, label.empty() ? rec.id : label + " (" + rec.id.substr(0, 8) + ")"});
        }
    }
    return out;
}

/// For a reference to a kind that lives under a parent (a period under its indicator): the
/// field of `spec` that names that parent, or null.
const field_spec* parent_field(const entity_spec& spec, std::string_view table) {
    for (const auto& target : entities()) {
        if (target.table != table || !target.writable || target.owner_from.empty()) continue;
        for (const auto& owner : target.fields) {
            if (owner.column != target.owner_from) continue;
            for (const auto& fs : spec.fields)
                if (fs.kind == field_kind::ref && fs.arg == owner.arg) return &fs;
        }
    }
    return nullptr;
}

/// The choices of a reference whose rows live under a parent named elsewhere in the form: only
/// that parent's rows once it is chosen, else every row grouped under its parent's label.
std::string scoped_ref_options(entity_service& svc, const field_spec& fs, const field_spec& parent,
                               const form& values, const std::string& cur) {
    const std::string parent_id = value_in(values, parent.option);
    if (!parent_id.empty()) return options_html(ref_choices(svc, fs.arg, parent_id), cur, true);
    std::string h = "<option value=\"\">—</option>";
    for (const auto& p : ref_choices(svc, parent.arg)) {
        const auto rows = ref_choices(svc, fs.arg, p.code);
        if (!rows.empty()) h += fmt::format("<optgroup label=\"{}\">{}</optgroup>", esc(p.name), options_html(rows, cur, false));
    }
    return h;
}

bool is_catalogue_ref(std::string_view table) {
    for (const auto& e : entities())
        if (e.table == table) return !e.writable;
    return true;
}

std::string control(const page_ctx& c, entity_service& svc, const entity_spec& spec, const field_spec& fs,
                    const form& values, const std::string& attrs) {
    const std::string opt(fs.option);
    const std::string cur = value_in(values, opt);
    const std::string id = "f-" + opt;
    replica& r = svc.checker().store();
    switch (fs.kind) {
        case field_kind::date:
            return fmt::format(R"(<input type="date" id="{}" name="{}" value="{}"{}>)", id, opt, esc(cur), attrs);
        case field_kind::money:
        case field_kind::decimal:
        case field_kind::latitude:
        case field_kind::longitude:
            return fmt::format(R"(<input type="text" inputmode="decimal" id="{}" name="{}" value="{}"{}>)", id, opt,
                               esc(cur), attrs);
        case field_kind::integer:
            return fmt::format(R"(<input type="text" inputmode="numeric" id="{}" name="{}" value="{}"{}>)", id, opt,
                               esc(cur), attrs);
        case field_kind::choice: {
            std::vector<desk_choice> ch;
            std::string_view rest = fs.arg;
            while (!rest.empty()) {
                auto bar = rest.find('|');
                std::string code(rest.substr(0, bar));
                std::string name = code;
                std::replace(name.begin(), name.end(), '_', ' ');
                ch.push_back({code, name});
                rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
            }
            return fmt::format(R"(<select id="{}" name="{}"{}>{}</select>)", id, opt, attrs,
                               options_html(ch, cur, !fs.required || cur.empty()));
        }
        case field_kind::codelist:
            return fmt::format(R"(<select id="{}" name="{}"{}>{}</select>)", id, opt, attrs,
                               options_html(codelist_choices(r, fs.arg, c.lang), cur, !fs.required || cur.empty()));
        case field_kind::territory:
            return fmt::format(R"(<select id="{}" name="{}"{}>{}</select>)", id, opt, attrs,
                               options_html(parish_choices(r), cur, true));
        case field_kind::currency:
            return fmt::format(R"(<select id="{}" name="{}"{}>{}</select>)", id, opt, attrs,
                               options_html(currency_choices(r), cur.empty() ? "USD" : cur, false));
        case field_kind::ref:
            if (is_catalogue_ref(fs.arg))
                return fmt::format(R"(<input type="text" id="{}" name="{}" value="{}"{}>)", id, opt, esc(cur), attrs);
            if (const auto* parent = parent_field(spec, fs.arg))
                return fmt::format(R"(<select id="{}" name="{}"{}>{}</select>)", id, opt, attrs,
                                   scoped_ref_options(svc, fs, *parent, values, cur));
            return fmt::format(R"(<select id="{}" name="{}"{}>{}</select>)", id, opt, attrs,
                               options_html(ref_choices(svc, fs.arg), cur, true));
        case field_kind::text:
            if (in(opt, long_text))
                return fmt::format(R"(<textarea id="{}" name="{}" rows="3"{}>{}</textarea>)", id, opt, attrs, esc(cur));
            return fmt::format(R"(<input type="text" id="{}" name="{}" value="{}"{}>)", id, opt, esc(cur), attrs);
        default: {
            std::string lines;
            for (const auto& v : values_in(values, opt)) lines += v + "\n";
            return fmt::format(R"(<textarea id="{}" name="{}" rows="3"{}>{}</textarea>)", id, opt, attrs, esc(lines));
        }
    }
}

/// A set of checkboxes (SDGs, parishes): ticked when a stored value starts with the code.
std::string checkbox_set(const field_spec& fs, const std::vector<desk_choice>& choices, const form& values,
                         const std::string& attrs, std::string_view css) {
    const std::string opt(fs.option);
    const auto current = values_in(values, opt);
    std::string h = fmt::format("<div class=\"checks {}\" id=\"f-{}\"{}>", css, opt, attrs);
    for (const auto& ch : choices) {
        std::string value = ch.code;
        bool ticked = false;
        for (const auto& v : current)
            if (v == ch.code || v.rfind(ch.code + ":", 0) == 0) {
                ticked = true;
                value = v;
            }
        h += fmt::format(R"(<label><input type="checkbox" name="{}" value="{}"{}> {}</label>)", opt, esc(value),
                         ticked ? " checked" : "", esc(ch.code + " · " + ch.name));
    }
    return h + "</div>";
}

std::string budget_rows(const page_ctx& c, const field_spec& fs, const form& values, const std::string& attrs) {
    std::string h = fmt::format("<table class=\"budget\" id=\"f-{}\"{}><thead><tr><th scope=\"col\">{}</th>"
                                "<th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
                                fs.option, attrs, c.t("Desde", "From"), c.t("Hasta", "To"), c.t("Monto", "Amount"));
    auto rows = values_in(values, fs.option);
    for (std::size_t i = 0; i < desk_tuning::blank_budget_rows; ++i) rows.emplace_back();
    std::size_t n = 0;
    for (const auto& row : rows) {
        ++n;
        std::string parts[3];
        std::size_t at = 0;
        for (int i = 0; i < 3; ++i) {
            auto colon = i < 2 ? row.find(':', at) : std::string::npos;
            parts[i] = row.substr(std::min(at, row.size()), colon == std::string::npos ? std::string::npos : colon - at);
            at = colon == std::string::npos ? row.size() : colon + 1;
        }
        h += fmt::format("<tr><td><input type=\"date\" name=\"budget-start\" value=\"{}\" aria-label=\"{} {} {}\"></td>"
                         "<td><input type=\"date\" name=\"budget-end\" value=\"{}\" aria-label=\"{} {} {}\"></td>"
                         "<td><input type=\"text\" inputmode=\"decimal\" name=\"budget-amount\" value=\"{}\" "
                         "aria-label=\"{} {} {}\"></td></tr>",
                         esc(parts[0]), c.t("Presupuesto", "Budget"), n, c.t("desde", "from"), esc(parts[1]),
                         c.t("Presupuesto", "Budget"), n, c.t("hasta", "to"), esc(parts[2]),
                         c.t("Presupuesto", "Budget"), n, c.t("monto", "amount"));
    }
    return h + "</tbody></table>";
}

std::string field_html(const page_ctx& c, entity_service& svc, const field_spec& fs, const form_view& v) {
    const std::string opt(fs.option);
    const bool bad = v.err && v.err->field == "--" + opt;
    std::string attrs;
    if (fs.required) attrs += " aria-required=\"true\"";
    if (bad) attrs += fmt::format(" aria-invalid=\"true\" aria-describedby=\"err-{}\"", opt);
    const std::string label = fmt::format("{}{}", c.en() ? fs.label_en : fs.label_es, fs.required ? " *" : "");
    std::string input;
    replica& r = svc.checker().store();
    const bool group = fs.kind == field_kind::sdg_set || fs.kind == field_kind::location_set ||
                       fs.kind == field_kind::budget_set;
    if (fs.kind == field_kind::sdg_set) input = checkbox_set(fs, sdg_choices(r, c.lang), v.values, attrs, "sdgs");
    else if (fs.kind == field_kind::location_set) input = checkbox_set(fs, parish_choices(r), v.values, attrs, "parishes");
    else if (fs.kind == field_kind::budget_set) input = budget_rows(c, fs, v.values, attrs);
    else input = control(c, svc, *v.spec, fs, v.values, attrs);
    std::string h = fmt::format("<div class=\"field{}\">", bad ? " invalid" : "");
    if (group) h += fmt::format("<fieldset><legend>{}</legend>", esc(label));
    else h += fmt::format("<label for=\"f-{}\">{}</label>", opt, esc(label));
    if (bad) h += fmt::format("<p class=\"field-error\" id=\"err-{}\">{}</p>", opt, esc(c.en() ? v.err->en : v.err->es));
    h += input;
    if (is_set_kind(fs.kind) && !group)
        h += fmt::format("<p class=\"hint\">{}</p>", c.t("Uno por línea.", "One per line."));
    if (group) h += "</fieldset>";
    return h + "</div>";
}

}  // namespace

std::string value_in(const form& f, std::string_view option) {
    for (const auto& [k, v] : f)
        if (k == option) return v;
    return {};
}

std::string error_summary(const page_ctx& c, const entity_spec& spec, const error& err) {
    const std::string msg = c.en() ? err.en : err.es;
    std::string label;
    if (err.field.rfind("--", 0) == 0)
        if (const auto* fs = find_field(spec, err.field.substr(2))) label = c.en() ? fs->label_en : fs->label_es;
    std::string h = fmt::format("<div class=\"notice error\" role=\"alert\" id=\"resumen-errores\" tabindex=\"-1\"><p>{}</p>",
                                c.t("No se guardó nada. Corrija el campo indicado:", "Nothing was saved. Fix this field:"));
    if (!label.empty())
        h += fmt::format("<p><a href=\"#f-{}\">{}</a>: {}</p>", esc(err.field.substr(2)), esc(label), esc(msg));
    else
        h += fmt::format("<p>{}</p>", esc(msg));
    return h + "</div>";
}

std::string render_form(const page_ctx& c, entity_service& svc, const form_view& v) {
    std::string h;
    if (v.err) h += error_summary(c, *v.spec, *v.err);
    h += fmt::format("<form method=\"post\" action=\"{}\" class=\"entity\" novalidate>", esc(v.action));
    h += token_input(c);
    std::string main_fields, more;
    bool more_has_error = false;
    for (const auto& fs : v.spec->fields) {
        const std::string opt(fs.option);
        if (v.fixed.count(opt)) {
            h += fmt::format("<input type=\"hidden\" name=\"{}\" value=\"{}\">", opt, esc(value_in(v.values, opt)));
            continue;
        }
        if (!v.only.empty() && std::find(v.only.begin(), v.only.end(), opt) == v.only.end()) continue;
        auto html = field_html(c, svc, fs, v);
        if (in(opt, advanced) && v.only.empty()) {
            more += html;
            if (v.err && v.err->field == "--" + opt) more_has_error = true;
        } else {
            main_fields += html;
        }
    }
    h += main_fields;
    if (!more.empty())
        h += fmt::format("<details{}><summary>{}</summary>{}</details>", more_has_error ? " open" : "",
                         c.t("Más campos (IATI y detalles)", "More fields (IATI and details)"), more);
    h += fmt::format("<p class=\"actions\"><button type=\"submit\">{}</button></p></form>",
                     esc(c.en() ? v.submit_en : v.submit_es));
    return h;
}

form form_from_post(const entity_spec& spec, const form_data& posted) {
    form f;
    for (const auto& fs : spec.fields) {
        const std::string opt(fs.option);
        if (fs.kind == field_kind::budget_set) {
            const auto s = posted.all("budget-start"), e = posted.all("budget-end"), a = posted.all("budget-amount");
            for (std::size_t i = 0; i < std::max({s.size(), e.size(), a.size()}); ++i) {
                const std::string si = i < s.size() ? s[i] : "", ei = i < e.size() ? e[i] : "",
                                  ai = i < a.size() ? a[i] : "";
                if (si.empty() && ei.empty() && ai.empty()) continue;
                f.emplace_back(opt, si + ":" + ei + ":" + ai);
            }
            continue;
        }
        for (const auto& raw : posted.all(opt)) {
            if (is_set_kind(fs.kind)) {
                // Checkboxes give one value each; text areas one per line.
                std::size_t at = 0;
                while (at <= raw.size()) {
                    auto nl = raw.find('\n', at);
                    auto line = raw.substr(at, nl == std::string::npos ? std::string::npos : nl - at);
                    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
                    while (!line.empty() && line.front() == ' ') line.erase(0, 1);
                    if (!line.empty()) f.emplace_back(opt, line);
                    if (nl == std::string::npos) break;
                    at = nl + 1;
                }
            } else if (!raw.empty()) {
                f.emplace_back(opt, raw);
            }
            if (!is_set_kind(fs.kind)) break;  // a single field counts once
        }
    }
    return f;
}

form changed_fields(const entity_spec& spec, const form& posted, const form& stored) {
    form out;
    for (const auto& fs : spec.fields) {
        const std::string opt(fs.option);
        if (is_set_kind(fs.kind)) {
            auto now = values_in(posted, opt), before = values_in(stored, opt);
            std::sort(now.begin(), now.end());
            std::sort(before.begin(), before.end());
            if (now == before) continue;
            // A set left with nothing ticked is sent as one empty value: the store empties it.
            if (now.empty()) out.emplace_back(opt, "");
            for (auto& x : values_in(posted, opt)) out.emplace_back(opt, std::move(x));
            continue;
        }
        const auto now = value_in(posted, opt);
        if (now != value_in(stored, opt)) out.emplace_back(opt, now);
    }
    return out;
}

}  // namespace minga::client::desk
