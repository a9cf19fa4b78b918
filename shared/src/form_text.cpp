// entity_service::form_of: a stored record back into the text of its form (the inverse of
// form_checker::check for what a person can type).
#include <minga/shared/entity_service.hpp>

#include "form_util.hpp"

namespace minga {

namespace {

std::string text_at(const field_list& row, std::string_view column) {
    for (const auto& [k, v] : row)
        if (k == column) return display_value(v);
    return {};
}

/// "a:b:c" with trailing empty parts dropped.
std::string joined(std::initializer_list<std::string> parts) {
    std::vector<std::string> v(parts);
    while (!v.empty() && v.back().empty()) v.pop_back();
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ":" : "") + v[i];
    return out;
}

}  // namespace

form entity_service::form_of(const entity_spec& e, const record& rec) {
    std::string currency = "USD";
    for (const auto& fs : e.fields)
        if (fs.kind == field_kind::currency)
            if (auto c = text_at(rec.fields, fs.column); !c.empty()) currency = c;
    form f;
    for (const auto& fs : e.fields) {
        const std::string opt(fs.option);
        if (!is_set_kind(fs.kind)) {
            for (const auto& [k, v] : rec.fields) {
                if (k != fs.column || std::holds_alternative<std::monostate>(v)) continue;
                if (fs.kind == field_kind::money && std::holds_alternative<std::int64_t>(v))
                    f.emplace_back(opt, checker_.format_money(std::get<std::int64_t>(v), currency));
                else
                    f.emplace_back(opt, display_value(v));
            }
            continue;
        }
        const std::string table(child_table(fs));
        for (const auto& [t, rows] : rec.children) {
            if (t != table) continue;
            for (const auto& row : rows) {
                std::string text;
                switch (fs.kind) {
                    case field_kind::sdg_set: text = text_at(row, "goal"); break;
                    case field_kind::sdg_target_set: {
                        auto target = text_at(row, "target");
                        text = target.empty() ? text_at(row, "goal") : target;
                        break;
                    }
                    case field_kind::territory_set: text = text_at(row, "territory"); break;
                    case field_kind::sector_set: {
                        auto pct = text_at(row, "percentage");
                        text = joined({text_at(row, "sector"), pct == "100" ? std::string() : pct});
                        break;
                    }
                    case field_kind::location_set:
                        text = joined({text_at(row, "territory"), text_at(row, "name"),
                                       text_at(row, "lat"), text_at(row, "lon")});
                        break;
                    case field_kind::participant_set:
                        text = joined({text_at(row, "organisation_id"), text_at(row, "role")});
                        break;
                    case field_kind::party_set:
                        text = joined({text_at(row, "organisation_id"), text_at(row, "role")});
                        break;
                    case field_kind::budget_set: {
                        std::int64_t amount = 0;
                        for (const auto& [k, v] : row)
                            if (k == "amount" && std::holds_alternative<std::int64_t>(v))
                                amount = std::get<std::int64_t>(v);
                        auto cur = text_at(row, "currency");
                        text = joined({text_at(row, "period_start"), text_at(row, "period_end"),
                                       checker_.format_money(amount, cur.empty() ? currency : cur)});
                        break;
                    }
                    default: break;
                }
                if (!text.empty()) f.emplace_back(opt, std::move(text));
            }
        }
    }
    return f;
}

}  // namespace minga
