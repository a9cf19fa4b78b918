// What every consolidation run reads whole before it computes anything: exchange rates and
// where each GAD is; the read snapshot and the temp tables of ids.
#include "report_detail.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>

namespace minga::rpt {

read_txn::read_txn(sql::db& db) : db_(db) {
    // A savepoint outside a transaction is a deferred transaction; inside a caller's read
    // transaction (a report read within a larger one) it nests.
    db_.exec("SAVEPOINT minga_read");
    // The snapshot starts at the first read, not at BEGIN: read now so it is this moment's.
    (void)db_.scalar_int("SELECT count(*) FROM sqlite_master");
}

read_txn::~read_txn() {
    // A destructor must not throw; a read transaction that fails to roll back leaves nothing
    // written, and the connection's next statement reports a broken connection anyway.
    if (open_)
        sqlite3_exec(db_.handle(), "ROLLBACK TO minga_read; RELEASE minga_read", nullptr, nullptr,
                     nullptr);
}

void read_txn::end() {
    if (!open_) return;
    open_ = false;
    db_.exec("ROLLBACK TO minga_read; RELEASE minga_read");
}

fx_table::fx_table(sql::db& db) {
    auto c = db.prepare("SELECT code, minor_unit FROM currency");
    while (c.step()) minor_[c.get_text(0)] = static_cast<int>(c.get_int(1));
    auto r = db.prepare(
        "SELECT currency, valid_from, usd_per_unit FROM fx_rate ORDER BY currency, valid_from");
    while (r.step()) rates_[r.get_text(0)].emplace_back(r.get_text(1), r.get_double(2));
}

std::optional<std::int64_t> fx_table::to_cents(std::int64_t amount, const std::string& currency,
                                               const std::string& date) const {
    auto mu = minor_.find(currency);
    int minor = mu == minor_.end() ? 2 : mu->second;
    if (currency == "USD" && minor == 2) return amount;
    long double rate = 1;
    if (currency != "USD") {
        auto it = rates_.find(currency);
        if (it == rates_.end()) return std::nullopt;
        const auto& list = it->second;
        auto after =
            std::upper_bound(list.begin(), list.end(), date,
                             [](const std::string& d, const auto& e) { return d < e.first; });
        if (after == list.begin()) return std::nullopt;  // only rates dated after the line
        rate = std::prev(after)->second;
    }
    long double v = static_cast<long double>(amount) * rate * 100.0L / std::pow(10.0L, minor);
    return static_cast<std::int64_t>(std::llround(v));
}

std::optional<std::string> province_of(const std::string& t) {
    return t.substr(0, 2);
}
std::optional<std::string> canton_of(const std::string& t) {
    if (t.size() < 4) return std::nullopt;
    return t.substr(0, 4);
}
std::optional<std::string> parish_of(const std::string& t) {
    if (t.size() < 6) return std::nullopt;
    return t;
}

gad_places::gad_places(sql::db& db) {
    auto g = db.prepare("SELECT code, territory FROM gad WHERE territory IS NOT NULL");
    while (g.step()) territory[g.get_text(0)] = g.get_text(1);
    auto m = db.prepare(
        "SELECT m.group_code, g.territory, g.code FROM gad_membership m "
        "JOIN gad g ON g.code = m.member "
        "WHERE m.deleted = 0 AND g.territory IS NOT NULL ORDER BY m.group_code, g.territory");
    while (m.step()) {
        members[m.get_text(0)].push_back(m.get_text(1));
        member_codes[m.get_text(0)].push_back(m.get_text(2));
    }
}

std::optional<std::string> gad_places::place(const std::string& gad) const {
    if (auto t = territory.find(gad); t != territory.end()) return t->second;
    auto m = members.find(gad);
    if (m == members.end() || m->second.empty()) return std::nullopt;
    for (std::size_t len : {6u, 4u, 2u}) {
        const auto& first = m->second.front();
        if (first.size() < len) continue;
        bool shared = std::all_of(m->second.begin(), m->second.end(), [&](const std::string& t) {
            return t.size() >= len && t.compare(0, len, first, 0, len) == 0;
        });
        if (shared) return first.substr(0, len);
    }
    return std::nullopt;
}

void fill_temp(sql::db& db, const std::string& name, const id_set& ids) {
    db.exec("CREATE TEMP TABLE IF NOT EXISTS " + name + "(id TEXT PRIMARY KEY) WITHOUT ROWID");
    db.exec("DELETE FROM temp." + name);
    auto ins = db.prepare("INSERT INTO temp." + name + "(id) VALUES (?1)");
    for (const auto& id : ids) {
        ins.bind(1, id);
        ins.exec();
        ins.reset();
    }
}

}  // namespace minga::rpt
