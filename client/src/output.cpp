#include "output.hpp"

#include <fmt/format.h>

namespace minga::client {

nlohmann::json to_json(const sql::value& v) {
    struct visitor {
        nlohmann::json operator()(std::monostate) const { return nullptr; }
        nlohmann::json operator()(std::int64_t x) const { return x; }
        nlohmann::json operator()(double x) const { return x; }
        nlohmann::json operator()(const std::string& x) const { return x; }
        nlohmann::json operator()(const sql::blob& x) const { return x.size(); }
    };
    return std::visit(visitor{}, v);
}

nlohmann::json to_json(const record& r) {
    nlohmann::json doc = {{"id", r.id}};
    if (!r.owner_gad.empty()) doc["owner_gad"] = r.owner_gad;
    for (const auto& [k, v] : r.fields) doc[k] = to_json(v);
    for (const auto& [table, rows] : r.children) {
        auto& arr = doc[table] = nlohmann::json::array();
        for (const auto& row : rows) {
            nlohmann::json item = nlohmann::json::object();
            for (const auto& [k, v] : row) item[k] = to_json(v);
            arr.push_back(std::move(item));
        }
    }
    return doc;
}

void printer::print_record(const entity_spec& e, const record& r, form_checker& money) {
    if (g_.json) {
        out_ << to_json(r).dump() << '\n';
        return;
    }
    out_ << pick(e.label_es, e.label_en) << ' ' << r.id;
    if (!r.owner_gad.empty()) out_ << "  (GAD " << r.owner_gad << ')';
    out_ << '\n';
    std::string currency = "USD";
    for (const auto& [k, v] : r.fields)
        if ((k == "currency" || k == "default_currency") && !std::holds_alternative<std::monostate>(v))
            currency = std::get<std::string>(v);
    for (const auto& [k, v] : r.fields) {
        if (std::holds_alternative<std::monostate>(v)) continue;
        std::string label = k;
        std::string text = std::holds_alternative<std::string>(v) ? std::get<std::string>(v)
                                                                   : to_json(v).dump();
        for (const auto& fs : e.fields) {
            if (fs.column != k) continue;
            label = std::string(pick(fs.label_es, fs.label_en));
            if (fs.kind == field_kind::money && std::holds_alternative<std::int64_t>(v))
                text = money.format_money(std::get<std::int64_t>(v), currency) + " " + currency;
        }
        out_ << fmt::format("  {}: {}\n", label, text);
    }
    for (const auto& [table, rows] : r.children) {
        if (rows.empty()) continue;
        out_ << "  " << table << ":\n";
        for (const auto& row : rows) {
            std::string line;
            for (const auto& [k, v] : row) {
                if (std::holds_alternative<std::monostate>(v) || k == "id") continue;
                line += (line.empty() ? "" : ", ") + k + "=" +
                        (std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : to_json(v).dump());
            }
            out_ << "    - " << line << '\n';
        }
    }
}

void printer::print_list(const entity_spec& e, const std::vector<record>& rows) {
    if (g_.json) {
        auto arr = nlohmann::json::array();
        for (const auto& r : rows) arr.push_back(to_json(r));
        out_ << nlohmann::json{{"kind", e.kind}, {"count", rows.size()}, {"rows", arr}}.dump() << '\n';
        return;
    }
    for (const auto& r : rows) {
        std::string line = r.id;
        for (const auto& [k, v] : r.fields) {
            if (std::holds_alternative<std::monostate>(v)) continue;
            line += "  " + (std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : to_json(v).dump());
        }
        out_ << line << '\n';
    }
    out_ << fmt::format("{} {}\n", rows.size(), pick("registro(s)", "row(s)"));
}

}  // namespace minga::client
