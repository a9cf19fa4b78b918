#include <minga/shared/sqlite.hpp>
#include <minga/shared/tables.hpp>

#include <array>

namespace minga {

namespace {
constexpr std::array<table_def, 27> tables = {{
    {"gad", ownership::catalogue},
    {"gad_membership", ownership::catalogue},
    {"organisation", ownership::catalogue},
    {"offer", ownership::catalogue},
    {"indicator_def", ownership::catalogue},
    {"agreement", ownership::gad},
    {"agreement_party", ownership::gad},
    {"project", ownership::gad},
    {"project_participant", ownership::gad},
    {"project_sector", ownership::gad},
    {"project_sdg", ownership::gad},
    {"project_location", ownership::gad},
    {"project_budget", ownership::gad},
    {"project_transaction", ownership::gad},
    {"project_result", ownership::gad},
    {"indicator", ownership::gad},
    {"reporting_period", ownership::gad},
    {"monitoring_report", ownership::gad},
    {"observation", ownership::gad},
    {"demand", ownership::gad},
    {"demand_sdg", ownership::gad},
    {"demand_sector", ownership::gad},
    {"demand_territory", ownership::gad},
    {"application", ownership::gad},
    {"application_event", ownership::gad},
    {"good_practice", ownership::gad},
    {"conflict", ownership::gad},
}};
}  // namespace

std::span<const table_def> synced_tables() noexcept { return tables; }

std::optional<table_def> find_table(std::string_view name) noexcept {
    for (const auto& t : tables)
        if (t.name == name) return t;
    return std::nullopt;
}

std::string_view id_column(std::string_view table) noexcept {
    return (table == "gad" || table == "indicator_def") ? "code" : "id";
}

std::vector<std::string> payload_columns(sql::db& db, std::string_view table) {
    std::vector<std::string> cols;
    // The table name comes from the compiled-in list, never from input.
    auto s = db.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    s.bind(1, table);
    while (s.step()) {
        auto n = s.get_text(0);
        if (n == id_column(table) || n == "owner_gad" || n == "hlc" || n == "rev" || n == "deleted") continue;
        cols.push_back(std::move(n));
    }
    return cols;
}

}  // namespace minga
