#include <minga/shared/form.hpp>
#include <minga/shared/tables.hpp>
#include <minga/shared/validate.hpp>
#include <minga/shared/validate_db.hpp>

#include "form_util.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace minga {

using namespace validate;  // NOLINT: the parse_/check_ family reads best unqualified

namespace {

/// Longest free text a field takes; longer input is refused, never cut.
constexpr std::size_t max_text_bytes = 8000;

error unknown_field(const entity_spec& e, std::string_view opt) {
    std::string names;
    for (const auto& f : e.fields) {
        if (!names.empty()) names += ", ";
        names += "--" + std::string(f.option);
    }
    return make_error(errc::bad_input, "--" + std::string(opt),
                      "campo desconocido para " + std::string(e.label_es) + "; campos: " + names,
                      "unknown field for " + std::string(e.label_en) + "; fields: " + names);
}

const std::string* value_of(const form& f, std::string_view opt) {
    for (const auto& [k, v] : f)
        if (k == opt) return &v;
    return nullptr;
}

std::string text_of(const field_list* existing, std::string_view column) {
    if (!existing) return {};
    for (const auto& [k, v] : *existing)
        if (k == column) return display_value(v);
    return {};
}

}  // namespace

result<checked_form> form_checker::check(const entity_spec& e, const form& f,
                                         const field_list* existing) {
    if (!e.writable) {
        return make_error(errc::forbidden, std::string(e.kind),
                          "el catálogo de " + std::string(e.label_es) +
                              " solo se modifica en el servidor central",
                          "the " + std::string(e.label_en) + " catalogue is changed only on the central server");
    }
    for (std::size_t i = 0; i < f.size(); ++i) {
        const field_spec* fs = find_field(e, f[i].first);
        if (!fs) return unknown_field(e, f[i].first);
        if (is_set_kind(fs->kind)) continue;
        for (std::size_t j = i + 1; j < f.size(); ++j)
            if (f[j].first == f[i].first)
                return make_error(errc::bad_input, "--" + f[i].first, "se indicó dos veces",
                                  "given twice");
    }
    // The currency of money fields: the form's, else the stored row's, else US dollars.
    std::string currency = "USD";
    for (const auto& fs : e.fields) {
        if (fs.kind != field_kind::currency) continue;
        if (const auto* v = value_of(f, fs.option); v && !v->empty()) currency = *v;
        else if (auto t = text_of(existing, fs.column); !t.empty()) currency = t;
    }
    checked_form out;
    bool money_given = false;
    for (const auto& fs : e.fields) {
        if (is_set_kind(fs.kind)) {
            child_set set{&fs, std::string(child_table(fs)), std::string(parent_column(e)), {}};
            bool given = false;
            for (const auto& [k, text] : f) {
                if (k != fs.option) continue;
                given = true;
                // An empty value gives the set with no row from it: `--sdg ""` alone empties
                // the stored set on update (a list is never "not given" once named).
                if (text.empty()) continue;
                auto row = check_child(fs, text, currency);
                if (!row) return std::move(row).err();
                set.rows.push_back(std::move(*row));
            }
            if (given) out.children.push_back(std::move(set));
            continue;
        }
        const std::string* text = value_of(f, fs.option);
        if (!text) {
            if (fs.required && !existing) return missing_field(fs);
            continue;
        }
        if (text->empty()) {
            if (fs.required) return missing_field(fs);
            out.fields.emplace_back(std::string(fs.column), std::monostate{});
            continue;
        }
        auto v = check_value(fs, *text, currency);
        if (!v) return std::move(v).err();
        if (fs.kind == field_kind::money) money_given = true;
        out.fields.emplace_back(std::string(fs.column), std::move(*v));
    }
    // A money amount needs its currency stored beside it.
    if (money_given && !existing) {
        for (const auto& fs : e.fields) {
            if (fs.kind != field_kind::currency) continue;
            bool has = std::any_of(out.fields.begin(), out.fields.end(),
                                   [&](const auto& p) { return p.first == fs.column; });
            if (!has) out.fields.emplace_back(std::string(fs.column), currency);
        }
    }
    if (auto ok = check_order(e, out, existing); !ok) return std::move(ok).err();
    // Owner: the parent's GAD for child kinds, else this device's GAD.
    out.owner_gad = r_.gad();
    if (!e.owner_from.empty()) {
        for (const auto& fs : e.fields) {
            if (fs.column != e.owner_from) continue;
            if (const auto* v = value_of(f, fs.option)) {
                auto parent = find_row("--" + std::string(fs.option), fs.arg, *v);
                if (!parent) return std::move(parent).err();
                out.owner_gad = parent->owner_gad;
            }
        }
    }
    add_warnings(e, out);
    normalize(e.table, out.fields);
    for (auto& set : out.children)
        for (auto& row : set.rows) normalize(set.table, row.fields);
    return out;
}

void form_checker::normalize(std::string_view table, field_list& fields) {
    auto it = column_types_.find(table);
    if (it == column_types_.end()) {
        std::map<std::string, std::string, std::less<>> types;
        auto s = r_.conn().prepare("SELECT name, type FROM pragma_table_info(?1)");
        s.bind(1, table);
        while (s.step()) types.emplace(s.get_text(0), s.get_text(1));
        it = column_types_.emplace(std::string(table), std::move(types)).first;
    }
    for (auto& [name, v] : fields) {
        auto t = it->second.find(name);
        if (t == it->second.end()) continue;
        if (t->second == "INTEGER") {
            if (const auto* text = std::get_if<std::string>(&v)) {
                auto n = parse_int(name, *text);
                if (n) v = *n;
            }
        } else if (t->second == "REAL") {
            if (const auto* n = std::get_if<std::int64_t>(&v)) v = static_cast<double>(*n);
        }
    }
}

result<sql::value> form_checker::check_value(const field_spec& fs, std::string_view text,
                                             std::string_view currency) {
    std::string field = "--" + std::string(fs.option);
    switch (fs.kind) {
        case field_kind::text: {
            if (text.size() > max_text_bytes)
                return make_error(errc::too_large, field,
                                  "texto demasiado largo (máximo " + std::to_string(max_text_bytes) + " bytes)",
                                  "text too long (at most " + std::to_string(max_text_bytes) + " bytes)");
            return sql::value(std::string(text));
        }
        case field_kind::date: {
            auto d = parse_date(field, text);
            if (!d) return std::move(d).err();
            return sql::value(std::string(text));
        }
        case field_kind::money: {
            auto mu = minor_unit(field, currency);
            if (!mu) return std::move(mu).err();
            auto m = parse_money(field, text, *mu);
            if (!m) return std::move(m).err();
            return sql::value(*m);
        }
        case field_kind::integer: {
            auto n = parse_int(field, text);
            if (!n) return std::move(n).err();
            if (auto ok = check_range(field, fs.arg, *n); !ok) return std::move(ok).err();
            return sql::value(*n);
        }
        case field_kind::decimal: {
            auto x = parse_double(field, text);
            if (!x) return std::move(x).err();
            return sql::value(*x);
        }
        case field_kind::latitude:
        case field_kind::longitude: {
            auto x = parse_double(field, text);
            if (!x) return std::move(x).err();
            auto ok = fs.kind == field_kind::latitude ? check_lat(field, *x) : check_lon(field, *x);
            if (!ok) return std::move(ok).err();
            return sql::value(*x);
        }
        case field_kind::choice: {
            if (auto ok = check_choice(field, fs.arg, text); !ok) return std::move(ok).err();
            return sql::value(std::string(text));
        }
        case field_kind::codelist: {
            if (auto ok = check_codelist(r_.conn(), field, fs.arg, text); !ok) return std::move(ok).err();
            return sql::value(std::string(text));
        }
        case field_kind::territory: {
            if (auto ok = check_territory_exists(r_.conn(), field, text); !ok) return std::move(ok).err();
            return sql::value(std::string(text));
        }
        case field_kind::currency: {
            auto mu = minor_unit(field, text);
            if (!mu) return std::move(mu).err();
            return sql::value(std::string(text));
        }
        case field_kind::ref: {
            auto row = find_row(field, fs.arg, text);
            if (!row) return std::move(row).err();
            return sql::value(row->id);
        }
        default: break;
    }
    throw std::logic_error("form_checker: set field passed as a column");
}

result<row_ref> form_checker::find_row(std::string_view field, std::string_view table,
                                       std::string_view id_or_prefix) {
    std::string key = std::string(table) + '\x1f' + std::string(id_or_prefix);
    if (auto it = ref_cache_.find(key); it != ref_cache_.end()) return it->second;
    auto t = find_table(table);
    bool gad_owned = t && t->owner == ownership::gad;
    bool by_code = table == "indicator_def" || table == "gad";
    std::string lo(id_or_prefix);
    if (!by_code) {
        if (lo.size() < 4) return not_found_id(field, table, id_or_prefix);
        std::transform(lo.begin(), lo.end(), lo.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    }
    // Ids are lowercase hex and dashes, so every id starting with `lo` sorts in [lo, lo+DEL):
    // an index range, fast on 100,000 rows. An exact id sorts first.
    std::string col = by_code ? "code" : "id";
    std::string sql = "SELECT " + col + ", " + (gad_owned ? "owner_gad" : "''") + " FROM " +
                      std::string(table) + " WHERE deleted = 0 AND " + col + " >= ?1 AND " + col +
                      " < ?2 ORDER BY " + col + " LIMIT 2";
    auto& s = r_.conn().cached(sql);
    sql::reset_guard g(s);
    s.bind(1, lo).bind(2, lo + "\x7f");
    std::vector<row_ref> found;
    while (s.step()) found.push_back({s.get_text(0), s.get_text(1)});
    if (found.size() == 2 && found[0].id != lo) return ambiguous_id(field, id_or_prefix);
    if (found.empty() || (by_code && found[0].id != lo) ||
        (gad_owned && !r_.in_scope(found[0].owner_gad)))
        return not_found_id(field, table, id_or_prefix);
    ref_cache_.emplace(std::move(key), found[0]);
    return found[0];
}

result<int> form_checker::minor_unit(std::string_view field, std::string_view currency) {
    if (auto it = minor_cache_.find(currency); it != minor_cache_.end()) return it->second;
    auto mu = check_currency(r_.conn(), field, currency);
    if (!mu) return mu;
    minor_cache_.emplace(std::string(currency), *mu);
    return mu;
}

std::string form_checker::format_money(std::int64_t amount, std::string_view currency) {
    auto mu = minor_unit("currency", currency);
    int digits = mu ? *mu : 2;
    std::int64_t scale = 1;
    for (int i = 0; i < digits; ++i) scale *= 10;
    std::string out = std::to_string(amount / scale);
    if (digits > 0) {
        std::string frac = std::to_string(amount % scale);
        out += '.' + std::string(static_cast<std::size_t>(digits) - frac.size(), '0') + frac;
    }
    return out;
}

}  // namespace minga
