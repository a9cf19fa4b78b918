#include "form_util.hpp"

#include <fmt/format.h>

#include <ctime>
#include <stdexcept>

namespace minga {

std::string today_iso() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

std::string display_value(const sql::value& v) {
    struct visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(std::int64_t x) const { return std::to_string(x); }
        std::string operator()(double x) const { return fmt::format("{}", x); }
        std::string operator()(const std::string& x) const { return x; }
        std::string operator()(const sql::blob& x) const { return fmt::format("<{} bytes>", x.size()); }
    };
    return std::visit(visitor{}, v);
}

error missing_field(const field_spec& fs) {
    return make_error(errc::bad_input, "--" + std::string(fs.option),
                      "falta el campo obligatorio (" + std::string(fs.label_es) + ")",
                      "the required field is missing (" + std::string(fs.label_en) + ")");
}

error ambiguous_id(std::string_view field, std::string_view prefix) {
    return make_error(errc::bad_input, std::string(field),
                      "el identificador '" + std::string(prefix) +
                          "' coincide con varios registros; escriba más caracteres",
                      "the id '" + std::string(prefix) + "' matches several rows; type more characters");
}

error not_found_id(std::string_view field, std::string_view table, std::string_view id) {
    return make_error(errc::bad_input, std::string(field),
                      "no existe " + std::string(table) + " con identificador '" + std::string(id) +
                          "' (use `minga list` para ver los identificadores; al menos 4 caracteres)",
                      "no " + std::string(table) + " with id '" + std::string(id) +
                          "' (see `minga list` for ids; at least 4 characters)");
}

std::string_view child_table(field_kind k) {
    switch (k) {
        case field_kind::sdg_set: return "project_sdg";
        case field_kind::sector_set: return "project_sector";
        case field_kind::location_set: return "project_location";
        case field_kind::participant_set: return "project_participant";
        case field_kind::budget_set: return "project_budget";
        case field_kind::party_set: return "agreement_party";
        case field_kind::sdg_target_set: return "demand_sdg";
        case field_kind::territory_set: return "demand_territory";
        default: throw std::logic_error("child_table: not a set kind");
    }
}

std::string_view child_table(const field_spec& fs) {
    return fs.arg.empty() ? child_table(fs.kind) : fs.arg;
}

std::string_view parent_column(const entity_spec& e) {
    if (e.table == "project") return "project_id";
    if (e.table == "agreement") return "agreement_id";
    if (e.table == "demand") return "demand_id";
    return "";
}

status check_range(std::string_view field, std::string_view range, std::int64_t n) {
    auto dots = range.find("..");
    if (dots == std::string_view::npos) return {};
    auto lo = std::stoll(std::string(range.substr(0, dots)));
    auto hi = std::stoll(std::string(range.substr(dots + 2)));
    if (n >= lo && n <= hi) return {};
    return make_error(errc::bad_input, std::string(field),
                      fmt::format("{} está fuera del rango {}–{}", n, lo, hi),
                      fmt::format("{} is outside the range {}–{}", n, lo, hi));
}

status check_choice(std::string_view field, std::string_view choices, std::string_view text) {
    std::size_t start = 0;
    while (start <= choices.size()) {
        auto bar = choices.find('|', start);
        auto item = choices.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
        if (item == text) return {};
        if (bar == std::string_view::npos) break;
        start = bar + 1;
    }
    std::string list(choices);
    for (auto& c : list)
        if (c == '|') c = ',';
    return make_error(errc::bad_input, std::string(field),
                      "valor no válido '" + std::string(text) + "'; valores posibles: " + list,
                      "invalid value '" + std::string(text) + "'; possible values: " + list);
}

}  // namespace minga
