// The co-financing dedup (docs/consolidation.md, "What counts as a project"): which live
// projects share a registry reference across GADs, and which GAD's record is counted. A full
// run decides it from every live project; an incremental one re-decides only the keys of the
// projects whose head changed, from the keys the last run stored (rpt_dedup_key, central_v12).
#include "report_detail.hpp"

#include <cctype>

namespace minga::rpt {

namespace {

/// A registry reference as people type it: case, spaces and dashes vary ("sigeci 2024-0123",
/// "SIGECI-2024-0123 "). Only letters and digits count, upper-cased.
std::string normalise_reference(const std::string& r) {
    std::string out;
    for (unsigned char ch : r) {
        if (std::isalnum(ch))
            out += static_cast<char>(std::toupper(ch));
        else if (ch >= 0x80)
            out += static_cast<char>(ch);  // keep non-ASCII bytes as they are
    }
    return out;
}

/// The rule on the records of one key: the lowest owner code is counted, the other GADs'
/// records are duplicates of it.
void decide(const std::string& key, const std::vector<key_row>& members, dedup_result& out) {
    const std::string* counted = nullptr;
    for (const auto& m : members)
        if (!counted || m.owner < *counted) counted = &m.owner;
    for (const auto& m : members)
        if (m.owner != *counted) out.duplicate_of[m.project] = {m.owner, key, *counted};
}

}  // namespace

dedup_result dedup_all(sql::db& db) {
    dedup_result out;
    // Two scans (covering indexes, central_v8) and a hash join: much cheaper than a lookup of
    // the agreement per project.
    std::unordered_map<std::string, std::string> keys;  // live agreement -> normalised reference
    auto a = db.prepare(
        "SELECT id, reference FROM agreement WHERE deleted = 0 AND reference IS NOT NULL");
    while (a.step()) {
        auto k = normalise_reference(a.get_text(1));
        if (!k.empty()) keys.emplace(a.get_text(0), std::move(k));
    }
    // No ORDER BY: a scan in index order, not a walk of the id index with a lookup per row.
    auto s = db.prepare(
        "SELECT id, owner_gad, agreement_id FROM project WHERE deleted = 0 "
        "AND agreement_id IS NOT NULL");
    std::unordered_map<std::string, std::vector<key_row>> by_key;
    while (s.step()) {
        auto k = keys.find(s.get_text(2));
        if (k == keys.end()) continue;
        key_row r{s.get_text(0), k->second, s.get_text(1)};
        by_key[r.key].push_back(r);
        out.keys.push_back(std::move(r));
    }
    for (const auto& [key, members] : by_key) decide(key, members, out);
    return out;
}

dedup_result dedup_changed(sql::db& db, const id_set& heads_changed, id_set& recompute) {
    dedup_result out;
    // The last run's decisions (a few hundred rows): what stays as it was.
    auto d = db.prepare("SELECT project_id, owner_gad, dedup_key, counted_owner FROM rpt_duplicate");
    while (d.step()) out.duplicate_of[d.get_text(0)] = {d.get_text(1), d.get_text(2), d.get_text(3)};
    const auto before = out.duplicate_of;

    // The keys the changed projects had and have now: only those are decided again.
    auto old_key = db.prepare("SELECT dedup_key FROM rpt_dedup_key WHERE project_id = ?1");
    auto head = db.prepare(
        "SELECT p.owner_gad, a.reference FROM project p "
        "JOIN agreement a ON a.id = p.agreement_id AND a.deleted = 0 "
        "WHERE p.id = ?1 AND p.deleted = 0 AND a.reference IS NOT NULL");
    std::set<std::string> keys;
    std::unordered_map<std::string, std::vector<key_row>> members;
    for (const auto& id : heads_changed) {
        old_key.bind(1, id);
        if (old_key.step()) keys.insert(old_key.get_text(0));
        old_key.reset();
        head.bind(1, id);
        if (head.step()) {
            auto k = normalise_reference(head.get_text(1));
            if (!k.empty()) {
                keys.insert(k);
                key_row r{id, k, head.get_text(0)};
                members[k].push_back(r);
                out.keys.push_back(std::move(r));
            }
        }
        head.reset();
        out.duplicate_of.erase(id);
    }
    // The other records under those keys are as the last run stored them.
    auto under = db.prepare("SELECT project_id, owner_gad FROM rpt_dedup_key WHERE dedup_key = ?1");
    for (const auto& k : keys) {
        under.bind(1, k);
        while (under.step()) {
            auto id = under.get_text(0);
            if (heads_changed.count(id)) continue;
            out.duplicate_of.erase(id);
            members[k].push_back({std::move(id), k, under.get_text(1)});
        }
        under.reset();
    }
    for (const auto& [key, list] : members) decide(key, list, out);

    // A project that became a duplicate, stopped being one, or now duplicates another GAD's
    // record is recomputed (its rows appear in or leave the report tables).
    for (const auto& [id, now] : out.duplicate_of) {
        auto was = before.find(id);
        if (was == before.end() || was->second.counted_owner != now.counted_owner ||
            was->second.key != now.key || was->second.owner != now.owner)
            recompute.insert(id);
    }
    for (const auto& [id, was] : before)
        if (!out.duplicate_of.count(id)) recompute.insert(id);
    out.rewritten = heads_changed;
    return out;
}

}  // namespace minga::rpt
