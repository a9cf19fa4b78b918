// Writing the rows of one rpt_* table. A full run empties the table and inserts every row; an
// incremental one reads the rows its scope had and writes only the difference (compare before
// write): a row computed equal to the stored one is not touched, so its pages stay clean and
// the commit writes less.
#include "report_rows.hpp"

#include <map>
#include <optional>

namespace minga::rpt {

namespace {

std::string joined(const std::vector<const char*>& cols, std::size_t from, std::size_t to,
                   const char* sep, bool with_params) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (i > from) out += sep;
        out += cols[i];
        if (with_params) out += " = ?" + std::to_string(i + 1);
    }
    return out;
}

void bind_row(sql::stmt& s, const std::vector<sql::value>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) s.bind(static_cast<int>(i + 1), row[i]);
}

sql::value v(const std::string& x) { return x; }
sql::value v(double x) { return x; }
sql::value v(std::int64_t x) { return x; }
template <class T>
sql::value v(const std::optional<T>& x) {
    return x ? v(*x) : sql::value();
}

}  // namespace

const std::array<table_spec, report_table_count>& report_table_specs() {
    static const std::array<table_spec, report_table_count> specs{{
        {"rpt_project",
         {"project_id", "owner_gad", "province", "canton", "parish", "source", "modality",
          "geopolitical", "year", "committed_basis", "committed_usd_cents", "disbursed_usd_cents",
          "beneficiaries", "unconverted_currencies", "no_amount", "rescaled", "no_territory"},
         1, "project"},
        {"rpt_project_territory",
         {"project_id", "territory", "province", "canton", "parish", "share",
          "committed_usd_cents", "disbursed_usd_cents", "beneficiaries"},
         2, "project"},
        {"rpt_project_sector",
         {"project_id", "sector", "category", "share", "committed_usd_cents",
          "disbursed_usd_cents", "beneficiaries"},
         2, "project"},
        {"rpt_project_sdg", {"project_id", "goal"}, 2, "project"},
        {"rpt_project_cooperant", {"project_id", "organisation_id", "name", "cinr_source"}, 2,
         "project"},
        {"rpt_duplicate", {"project_id", "owner_gad", "dedup_key", "counted_owner"}, 1, "project"},
        {"rpt_indicator",
         {"indicator_id", "project_id", "indicator_code", "unit", "aggregation", "baseline_value",
          "target_value", "observations", "value", "sum_value", "last_on"},
         1, "indicator"},
        {"rpt_indicator_territory",
         {"indicator_id", "territory", "province", "canton", "parish", "observations", "value",
          "sum_value"},
         2, "indicator"},
    }};
    return specs;
}

std::string insert_sql(const table_spec& t) {
    std::string cols, params;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
        cols += (i ? ", " : "") + std::string(t.columns[i]);
        params += (i ? ",?" : "?") + std::to_string(i + 1);
    }
    return std::string("INSERT INTO ") + t.table + "(" + cols + ") VALUES (" + params + ")";
}

std::array<table_rows, report_table_count> report_tables(const report_rows& r) {
    std::array<table_rows, report_table_count> out;
    each_report_row(r, [&](std::size_t t, const auto&... x) { out[t].push_back({v(x)...}); });
    return out;
}

void write_changed(sql::db& db, const table_spec& t, const table_rows& rows, write_counts& n) {
    const auto ncol = t.columns.size();
    auto ins = db.prepare(insert_sql(t));
    auto insert = [&](const std::vector<sql::value>& row) {
        bind_row(ins, row);
        ins.exec();
        ins.reset();
        ++n.inserted;
    };
    // The rows the scope has now, by key (a range of each scope id's key index).
    using row = std::vector<sql::value>;
    std::map<row, row> old;
    auto s = db.prepare(std::string("SELECT ") + joined(t.columns, 0, ncol, ", ", false) +
                        " FROM " + t.table + " WHERE " + t.scope + "_id IN (SELECT id FROM temp.rpt_w_" +
                        t.scope + ")");
    while (s.step()) {
        row key, rest;
        for (std::size_t i = 0; i < ncol; ++i)
            (i < t.key ? key : rest).push_back(s.get_value(static_cast<int>(i)));
        old.emplace(std::move(key), std::move(rest));
    }
    const std::string where = " WHERE " + joined(t.columns, 0, t.key, " AND ", true);
    // An UPDATE sets only the columns that differ (one statement per set of columns): an index
    // whose columns are not set is left alone.
    std::map<std::vector<bool>, sql::stmt> updates;
    std::vector<bool> differs(ncol - t.key);
    row key;
    for (const auto& r : rows) {
        key.assign(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(t.key));
        auto it = old.find(key);
        if (it == old.end()) {
            insert(r);
            continue;
        }
        bool any = false;
        for (std::size_t i = t.key; i < ncol; ++i) {
            differs[i - t.key] = !(r[i] == it->second[i - t.key]);
            any = any || differs[i - t.key];
        }
        old.erase(it);
        if (!any) {
            ++n.unchanged;
            continue;
        }
        auto u = updates.find(differs);
        if (u == updates.end()) {
            std::string set;
            for (std::size_t i = t.key; i < ncol; ++i)
                if (differs[i - t.key])
                    set += (set.empty() ? "" : ", ") + std::string(t.columns[i]) + " = ?" +
                           std::to_string(i + 1);
            u = updates.emplace(differs, db.prepare(std::string("UPDATE ") + t.table + " SET " +
                                                    set + where))
                    .first;
        }
        for (std::size_t i = 0; i < ncol; ++i)
            if (i < t.key || differs[i - t.key]) u->second.bind(static_cast<int>(i + 1), r[i]);
        u->second.exec();
        u->second.reset();
        ++n.updated;
    }
    // Rows of the scope that are no longer computed.
    auto del = db.prepare(std::string("DELETE FROM ") + t.table + where);
    for (const auto& [k, v] : old) {
        bind_row(del, k);
        del.exec();
        del.reset();
        ++n.deleted;
    }
}

}  // namespace minga::rpt
