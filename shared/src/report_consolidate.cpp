// The overnight consolidation: live synced rows -> rpt_* tables (rules in docs/consolidation.md).
// Two phases: everything is computed from one read snapshot (WAL: devices keep syncing
// meanwhile), then written in one short BEGIN IMMEDIATE transaction, so a failed or killed
// run leaves the previous report untouched.
#include "report_rows.hpp"
#include "text_list.hpp"

#include <algorithm>

namespace minga {

namespace {

using namespace rpt;

bool has_report_tables(sql::db& db) {
    return db.scalar_int(
               "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
               "('rpt_meta', 'change_index', 'rpt_indicator', 'rpt_dedup_key')") == 4;
}

error not_central() {
    return make_error(
        errc::not_found, "--data",
        "esta base no es un almacén central con tablas de reporte; ábrala con `minga-server`",
        "this database is not a central store with report tables; open it with `minga-server`");
}

/// What the read phase produced.
struct computed {
    bool full = true;
    std::optional<std::int64_t> previous_seq;  // rpt_meta.source_seq when the run started
    std::int64_t source_seq = 0;
    touched scope;  // incremental only
    std::vector<project_row> projects;
    std::vector<indicator_row> indicators;
    std::vector<std::pair<std::string, duplicate>> duplicates;  // to write (all, or the scope's)
    std::array<table_rows, report_table_count> tables;           // incremental: rows as values
    dedup_result dedup;
    std::map<std::string, fx_table::rate_list, std::less<>> rates;
};

void step(const consolidate_options& opts, std::string_view name) {
    if (opts.on_step) opts.on_step(name);
}

computed read_phase(sql::db& db, const consolidate_options& opts) {
    read_txn snapshot(db);
    computed c;
    {
        auto prev = db.prepare("SELECT source_seq FROM rpt_meta WHERE id = 1");
        if (prev.step()) c.previous_seq = prev.get_int(0);
    }
    c.full = !opts.incremental || !c.previous_seq;
    c.source_seq = db.scalar_int("SELECT coalesce(max(seq), 0) FROM change_index");
    fx_table fx(db);
    gad_places places(db);
    if (c.full) {
        c.dedup = dedup_all(db);
        step(opts, "heads");
    } else {
        c.scope = find_touched(db, *c.previous_seq, fx, places, c.dedup);
        step(opts, "touched");
    }
    id_set dups;
    for (const auto& [id, d] : c.dedup.duplicate_of) dups.insert(id);
    c.projects = compute_projects(db, fx, places, c.full ? nullptr : &c.scope.projects, dups);
    step(opts, "projects");
    c.indicators = compute_indicators(db, places, c.full ? nullptr : &c.scope.indicators, dups);
    step(opts, "indicators");
    for (const auto& [id, d] : c.dedup.duplicate_of)
        if (c.full || c.scope.projects.count(id)) c.duplicates.emplace_back(id, d);
    if (!c.full) c.tables = report_tables({c.projects, c.indicators, c.duplicates});
    c.rates = fx.rates();
    snapshot.end();
    step(opts, "read");
    return c;
}

/// The ids an incremental run rewrites, as temp tables for set-based statements: the touched
/// projects (temp.rpt_w_project) and every indicator whose rows go (temp.rpt_w_indicator): the
/// touched ones and all of the touched projects' (their rows may be gone for good).
void fill_scope(sql::db& db, const computed& c) {
    fill_temp(db, "rpt_w_project", c.scope.projects);
    id_set indicators = c.scope.indicators;
    auto by_project = db.prepare(
        "SELECT indicator_id FROM rpt_indicator WHERE project_id IN (SELECT id FROM temp.rpt_w_project)");
    while (by_project.step()) indicators.insert(by_project.get_text(0));
    fill_temp(db, "rpt_w_indicator", indicators);
}

/// A full run: every rpt_* table emptied and every row inserted, bound straight from the
/// computed rows.
void write_all(sql::db& db, const computed& c, write_counts& n) {
    std::vector<sql::stmt> ins;
    for (const auto& t : report_table_specs()) {
        db.exec(std::string("DELETE FROM ") + t.table);
        ins.push_back(db.prepare(insert_sql(t)));
    }
    each_report_row({c.projects, c.indicators, c.duplicates},
                    [&](std::size_t t, const auto&... x) {
                        int i = 0;
                        (ins[t].bind(++i, x), ...);
                        ins[t].exec();
                        ins[t].reset();
                        ++n.inserted;
                    });
}

void write_rest(sql::db& db, const computed& c) {
    // The dedup keys the next incremental run decides from (central_v12).
    if (c.full) {
        db.exec("DELETE FROM rpt_dedup_key");
    } else {
        auto del = db.prepare("DELETE FROM rpt_dedup_key WHERE project_id = ?1");
        for (const auto& id : c.dedup.rewritten) {
            del.bind(1, id);
            del.exec();
            del.reset();
        }
    }
    auto k = db.prepare(
        "INSERT INTO rpt_dedup_key(project_id, dedup_key, owner_gad) VALUES (?1, ?2, ?3)");
    for (const auto& r : c.dedup.keys) {
        k.bind(1, r.project).bind(2, r.key).bind(3, r.owner);
        k.exec();
        k.reset();
    }
    db.exec("DELETE FROM rpt_fx_used");
    auto f =
        db.prepare("INSERT INTO rpt_fx_used(currency, valid_from, usd_per_unit) VALUES (?1,?2,?3)");
    for (const auto& [currency, list] : c.rates)
        for (const auto& [from, rate] : list) {
            f.bind(1, currency).bind(2, from).bind(3, rate);
            f.exec();
            f.reset();
        }
}

/// What rpt_project and rpt_indicator rows add up to: over every row, or (`scope`) over the
/// rows of an incremental run's temp.rpt_w_* ids.
struct row_totals {
    std::int64_t projects = 0, committed = 0, disbursed = 0, beneficiaries = 0, unconverted = 0;
    std::int64_t no_amount = 0, no_territory = 0, rescaled = 0, indicators = 0, observations = 0;
};

row_totals totals_of(sql::db& db, bool scope) {
    row_totals t;
    auto q = db.prepare(
        "SELECT count(*), coalesce(sum(committed_usd_cents), 0), "
        "coalesce(sum(disbursed_usd_cents), 0), coalesce(sum(beneficiaries), 0), "
        "count(CASE WHEN committed_usd_cents IS NULL OR disbursed_usd_cents IS NULL THEN 1 END), "
        "coalesce(sum(no_amount), 0), coalesce(sum(no_territory), 0), coalesce(sum(rescaled), 0) "
        "FROM rpt_project" +
        std::string(scope ? " WHERE project_id IN (SELECT id FROM temp.rpt_w_project)" : ""));
    q.step();
    t.projects = q.get_int(0);
    t.committed = q.get_int(1);
    t.disbursed = q.get_int(2);
    t.beneficiaries = q.get_int(3);
    t.unconverted = q.get_int(4);
    t.no_amount = q.get_int(5);
    t.no_territory = q.get_int(6);
    t.rescaled = q.get_int(7);
    auto i = db.prepare(
        "SELECT count(*), coalesce(sum(observations), 0) FROM rpt_indicator" +
        std::string(scope ? " WHERE indicator_id IN (SELECT id FROM temp.rpt_w_indicator)" : ""));
    i.step();
    t.indicators = i.get_int(0);
    t.observations = i.get_int(1);
    return t;
}

/// The totals of the whole report. A full run sums the rpt_* tables; an incremental one takes
/// the last run's totals, minus what the rewritten rows added up to before (`before`), plus what
/// they add up to now: the same numbers without reading the 20,000 project and 60,000
/// indicator rows it did not touch (the bench checks them against a full run's).
consolidation_summary write_meta(sql::db& db, std::int64_t now_ms, std::int64_t source_seq,
                                 const std::optional<row_totals>& before) {
    consolidation_summary s;
    s.as_of_ms = now_ms;
    s.source_seq = source_seq;
    row_totals t;
    if (before) {
        auto prev = last_consolidation(db);
        if (!prev) throw std::logic_error("incremental consolidation without a previous run");
        const auto now = totals_of(db, true);
        t.projects = prev->projects - before->projects + now.projects;
        t.committed = prev->committed_usd_cents - before->committed + now.committed;
        t.disbursed = prev->disbursed_usd_cents - before->disbursed + now.disbursed;
        t.beneficiaries = prev->beneficiaries - before->beneficiaries + now.beneficiaries;
        t.unconverted = prev->unconverted_projects - before->unconverted + now.unconverted;
        t.no_amount = prev->no_amount_projects - before->no_amount + now.no_amount;
        t.no_territory = prev->no_territory_projects - before->no_territory + now.no_territory;
        t.rescaled = prev->rescaled_share_projects - before->rescaled + now.rescaled;
        t.indicators = prev->indicators - before->indicators + now.indicators;
        t.observations = prev->observations - before->observations + now.observations;
    } else {
        t = totals_of(db, false);
    }
    s.projects = t.projects;
    s.committed_usd_cents = t.committed;
    s.disbursed_usd_cents = t.disbursed;
    s.beneficiaries = t.beneficiaries;
    s.unconverted_projects = t.unconverted;
    s.no_amount_projects = t.no_amount;
    s.no_territory_projects = t.no_territory;
    s.rescaled_share_projects = t.rescaled;
    s.indicators = t.indicators;
    s.observations = t.observations;
    // The few projects with unconverted amounts, through their partial index (central_v8).
    std::set<std::string> currencies;
    auto u = db.prepare(
        "SELECT DISTINCT unconverted_currencies FROM rpt_project WHERE unconverted_currencies <> ''");
    while (u.step())
        for (auto& c : split_list(u.get_text(0))) currencies.insert(std::move(c));
    s.unconverted_currencies.assign(currencies.begin(), currencies.end());
    s.duplicate_projects = db.scalar_int("SELECT count(*) FROM rpt_duplicate");

    db.exec("DELETE FROM rpt_meta");
    auto ins = db.prepare(
        "INSERT INTO rpt_meta(id, as_of_ms, source_seq, projects, committed_usd_cents, "
        "disbursed_usd_cents, beneficiaries, unconverted_projects, unconverted_currencies, "
        "no_amount_projects, no_territory_projects, rescaled_share_projects, duplicate_projects, "
        "indicators, observations) VALUES (1,?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)");
    ins.bind(1, s.as_of_ms)
        .bind(2, s.source_seq)
        .bind(3, s.projects)
        .bind(4, s.committed_usd_cents);
    ins.bind(5, s.disbursed_usd_cents).bind(6, s.beneficiaries).bind(7, s.unconverted_projects);
    ins.bind(8, join_list(s.unconverted_currencies)).bind(9, s.no_amount_projects);
    ins.bind(10, s.no_territory_projects).bind(11, s.rescaled_share_projects);
    ins.bind(12, s.duplicate_projects).bind(13, s.indicators).bind(14, s.observations);
    ins.exec();
    return s;
}

}  // namespace

result<consolidation_summary> consolidate(sql::db& central_db, std::int64_t now_ms) {
    return consolidate(central_db, now_ms, consolidate_options{false, {}, {}});
}

result<consolidation_summary> consolidate(sql::db& central_db, std::int64_t now_ms,
                                          const consolidate_options& opts) {
    if (!has_report_tables(central_db)) return not_central();
    auto c = read_phase(central_db, opts);
    if (opts.after_snapshot) opts.after_snapshot();

    sql::transaction tx(central_db);
    auto& db = tx.conn();
    // Another run committed since our snapshot: ours would undo its work. Say so; run again.
    std::optional<std::int64_t> now_prev;
    {
        auto prev = db.prepare("SELECT source_seq FROM rpt_meta WHERE id = 1");
        if (prev.step()) now_prev = prev.get_int(0);
    }
    if (now_prev != c.previous_seq) {
        return make_error(
            errc::busy, "",
            "otra consolidación terminó mientras esta calculaba; vuelva a ejecutarla",
            "another consolidation finished while this one was computing; run it again");
    }
    std::optional<row_totals> before;
    if (!c.full) {
        fill_scope(db, c);
        before = totals_of(db, true);
    }
    step(opts, "scope");
    write_counts n;
    if (c.full)
        write_all(db, c, n);
    else
        for (std::size_t t = 0; t < report_table_count; ++t)
            write_changed(db, report_table_specs()[t], c.tables[t], n);
    write_rest(db, c);
    step(opts, "write");
    auto sum = write_meta(db, now_ms, c.source_seq, before);
    step(opts, "meta");
    tx.commit();
    step(opts, "commit");
    sum.incremental = !c.full;
    sum.recomputed_projects = static_cast<std::int64_t>(c.projects.size());
    sum.recomputed_indicators = static_cast<std::int64_t>(c.indicators.size());
    sum.rows_inserted = n.inserted;
    sum.rows_updated = n.updated;
    sum.rows_deleted = n.deleted;
    sum.rows_unchanged = n.unchanged;
    return sum;
}

result<consolidation_summary> last_consolidation(sql::db& central_db) {
    if (!has_report_tables(central_db)) return not_central();
    auto s = central_db.prepare(
        "SELECT as_of_ms, source_seq, projects, committed_usd_cents, disbursed_usd_cents, "
        "beneficiaries, unconverted_projects, unconverted_currencies, no_amount_projects, "
        "no_territory_projects, rescaled_share_projects, duplicate_projects, indicators, "
        "observations FROM rpt_meta WHERE id = 1");
    if (!s.step()) {
        return make_error(errc::not_found, "",
                          "no hay datos consolidados: ejecute `minga-server consolidate` primero",
                          "no consolidated data yet: run `minga-server consolidate` first");
    }
    consolidation_summary out;
    out.as_of_ms = s.get_int(0);
    out.source_seq = s.get_int(1);
    out.projects = s.get_int(2);
    out.committed_usd_cents = s.get_int(3);
    out.disbursed_usd_cents = s.get_int(4);
    out.beneficiaries = s.get_int(5);
    out.unconverted_projects = s.get_int(6);
    out.unconverted_currencies = split_list(s.get_text(7));
    out.no_amount_projects = s.get_int(8);
    out.no_territory_projects = s.get_int(9);
    out.rescaled_share_projects = s.get_int(10);
    out.duplicate_projects = s.get_int(11);
    out.indicators = s.get_int(12);
    out.observations = s.get_int(13);
    return out;
}

}  // namespace minga
