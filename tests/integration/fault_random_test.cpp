// Randomized fault runs (issue 5): per seed, 2–4 devices of two parishes work offline, then
// sync through the link emulator (in process) with random cuts, while the test SIGKILLs the
// `minga sync` process or the `minga-server` process at random points of the traffic (the
// server restarts on the same store, the emulator's upstream follows it). Each `minga sync` is
// re-run until it succeeds (bounded). At the end every replica's `minga digest` equals the
// server's `minga-server digest` for its scope, and an oracle of every row written finds none
// lost, duplicated, stale or resurrected, on every replica and on the server.
//
// Seeds: MINGA_FAULT_SEEDS (default 200; 25 under sanitizers), starting at
// MINGA_FAULT_FIRST_SEED (default 1). A failure names its seed; re-run it alone with
// `MINGA_FAULT_FIRST_SEED=S MINGA_FAULT_SEEDS=1`. The counts are printed as one JSON line.
//
// GADs 170151 and 170152: two rural parishes of Quito (170150 is not a GAD).
#include "fault_oracle.hpp"
#include "server_fixture.hpp"

#include <minga/client/http_transport.hpp>
#include <minga/linkemu/link.hpp>
#include <minga/shared/central.hpp>
#include <minga/shared/ids.hpp>
#include <minga/shared/reference_data.hpp>
#include <minga/shared/sync_client.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <thread>

using namespace minga::test;

namespace {

#ifdef MINGA_SANITIZED
constexpr std::uint64_t default_seeds = 25;
#else
constexpr std::uint64_t default_seeds = 200;
#endif
/// A `minga sync` that has not succeeded after this many runs is a sync that never finishes.
constexpr int max_attempts = 60;
/// Server kills per seed at most (each restart costs a process start).
constexpr int max_server_kills = 2;

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::stoull(v) : fallback;
}

struct fault_counts {
    std::uint64_t seeds = 0, syncs = 0, attempts = 0, cuts = 0, client_kills = 0, server_kills = 0,
                  rows_checked = 0;
    std::string json(double seconds) const {
        return "{\"seconds\":" + std::to_string(seconds) + ",\"seeds\":" + std::to_string(seeds) +
               ",\"syncs\":" + std::to_string(syncs) + ",\"attempts\":" + std::to_string(attempts) +
               ",\"cuts\":" + std::to_string(cuts) +
               ",\"client_kills\":" + std::to_string(client_kills) +
               ",\"server_kills\":" + std::to_string(server_kills) +
               ",\"rows_checked\":" + std::to_string(rows_checked) + "}";
    }
};

struct device {
    minga_client cli;
    std::string gad;
    std::vector<std::string> own;  // rows this device created, in order (agreement first)
};

/// A fresh replica of each parish, made once with `replica::create`. A device's replica is a
/// copy with a new device id: exactly what `create` would make (it writes nothing else that
/// is per device), without loading the reference data again for each of ~600 devices.
class replica_templates {
  public:
    replica_templates() {
        auto data = minga::find_data_dir();
        if (!data) throw std::runtime_error("reference data not found: " + data.err().text("en"));
        for (const char* gad : {"170151", "170152"})
            if (!minga::replica::create(dir_.path() / gad, gad, *data))
                throw std::runtime_error(std::string("replica::create ") + gad);
    }
    void clone(const std::string& gad, const fs::path& to) const {
        fs::create_directories(to);
        const std::string file(minga::replica::file_name);
        fs::copy_file(dir_.path() / gad / file, to / file);
        minga::sql::db db((to / file).string(), minga::sql::open_options{.create = false});
        auto s = db.prepare("UPDATE replica_meta SET value = ?1 WHERE key = 'device_id'");
        s.bind(1, minga::new_uuid_v7()).exec();
        if (db.changes() != 1) throw std::runtime_error("replica template without a device id");
    }

  private:
    temp_dir dir_{"minga-replica-templates"};
};

/// One seed's world: a server, an emulated link in front of it, devices and the oracle.
class fault_run {
  public:
    fault_run(std::uint64_t seed, const fs::path& store_template, const replica_templates& replicas,
              fault_counts& counts)
        : seed_(seed), rng_(seed), server_(store_template), replicas_(replicas), counts_(counts) {}

    void run() {
        const int devices = 2 + static_cast<int>(rng_() % 3);
        std::vector<std::string> tokens;
        {
            auto c = minga::central::open(server_.data_dir());
            REQUIRE(c);
            for (int i = 0; i < devices; ++i) {
                // The first two cover both parishes; the others go to either.
                const std::string gad = i == 0   ? "170151"
                                        : i == 1 ? "170152"
                                                 : (rng_() % 2 ? "170151" : "170152");
                auto e = c->enroll_device(gad, "tableta " + std::to_string(i), 3'600'000);
                REQUIRE(e);
                tokens.push_back(e->token);
                devices_.push_back(std::make_unique<device>());
                devices_.back()->gad = gad;
            }
        }
        server_.start();
        start_link();
        for (std::size_t i = 0; i < devices_.size(); ++i) create_and_enrol(*devices_[i], tokens[i]);

        for (auto& d : devices_) first_edits(*d);
        sync_all();
        for (auto& d : devices_) second_edits(*d);
        sync_all();
        sync_all();  // everyone pulls what the others pushed last
        check();
        counts_.cuts += link_->counters().cuts;
        ++counts_.seeds;
    }

  private:
    void start_link() {
        // One seed in 25 crosses the 3g profile (200 ms round trips make it ~10 times slower).
        auto p = *minga::linkemu::profile(seed_ % 25 == 0 ? "3g" : "clean");
        // Cuts about every 3 to 50 kB: a sync of a few kB is cut now and then, never always.
        const double means[] = {3'000, 8'000, 20'000, 50'000};
        p.cut_mean_bytes = means[rng_() % 4];
        minga::linkemu::link_options o;
        o.upstream_port = server_.port();
        o.profile = p;
        o.seed = seed_;
        link_ = minga::linkemu::link::start(o);
    }

    void create_and_enrol(device& d, const std::string& token) {
        replicas_.clone(d.gad, d.cli.data_dir());
        auto r = minga::replica::open(d.cli.data_dir());
        REQUIRE(r);
        // Enrolment goes straight to the server (a one-time token is not the subject here),
        // but the replica keeps the emulator's URL, so every sync crosses the link.
        auto t = minga::client::http_transport::create(server_.url());
        REQUIRE(t);
        auto e = minga::enroll(*r, t->as_transport_fn(), link_->url(), token, "tableta");
        INFO((e ? "" : e.err().text("en")));
        REQUIRE(e);
    }

    std::string tag() { return std::to_string(rng_() % 100'000); }

    /// Offline work: an agreement, 1–2 projects with an indicator each, 1–4 observations per
    /// indicator, and maybe an agreement and a project nothing depends on (deletable).
    void first_edits(device& d) {
        auto r = minga::replica::open(d.cli.data_dir());
        REQUIRE(r);
        const auto title = "Convenio " + tag();
        const auto agreement = oracle_.add(*r, "agreement",
                                           {{"title", title},
                                            {"kind", "convenio_especifico"},
                                            {"status", "vigente"},
                                            {"source", "bilateral"},
                                            {"modality", "fin_no_reembolsable"}},
                                           title);
        d.own.push_back(agreement);
        if (rng_() % 2) {
            const auto t = "Carta de intención " + tag();
            const auto id = oracle_.add(*r, "agreement",
                                        {{"title", t},
                                         {"kind", "carta_intencion"},
                                         {"status", "vigente"},
                                         {"source", "bilateral"},
                                         {"modality", "fin_no_reembolsable"}},
                                        t);
            d.own.push_back(id);
            standalone_.insert(id);
        }
        if (rng_() % 2) {
            const auto t = "Proyecto suelto " + tag();
            const auto id = oracle_.add(
                *r, "project",
                {{"title", t}, {"modality", "fin_no_reembolsable"}, {"source", "bilateral"}}, t);
            d.own.push_back(id);
            standalone_.insert(id);
        }
        const int projects = 1 + static_cast<int>(rng_() % 2);
        for (int p = 0; p < projects; ++p) {
            const auto pt = "Proyecto " + tag();
            const auto project = oracle_.add(*r, "project",
                                             {{"title", pt},
                                              {"agreement", agreement},
                                              {"modality", "fin_no_reembolsable"},
                                              {"source", "bilateral"}},
                                             pt);
            d.own.push_back(project);
            const auto it = "Familias " + tag();
            const auto indicator = oracle_.add(
                *r, "indicator", {{"project", project}, {"title", it}, {"unit", "familias"}}, it);
            d.own.push_back(indicator);
            const int observations = 1 + static_cast<int>(rng_() % 4);
            for (int o = 0; o < observations; ++o) {
                const auto v = std::to_string(rng_() % 1000);
                d.own.push_back(oracle_.add(
                    *r, "observation",
                    {{"indicator", indicator}, {"value", v}, {"date", "2024-05-01"}}, v));
            }
        }
    }

    /// After a sync: updates (own rows and rows other devices of the parish made, each row by
    /// one device only), deletes of own observations and of own rows nothing depends on, and
    /// new observations.
    void second_edits(device& d) {
        auto r = minga::replica::open(d.cli.data_dir());
        REQUIRE(r);
        for (const auto& [id, row] : std::vector(oracle_.rows().begin(), oracle_.rows().end())) {
            if (row.gad != d.gad || row.deleted || updated_.count(id) || rng_() % 3) continue;
            if (!oracle_.present(*r, id)) continue;
            updated_.insert(id);
            const bool own = std::find(d.own.begin(), d.own.end(), id) != d.own.end();
            if (own && (row.table == "observation" || standalone_.count(id)) && rng_() % 2) {
                oracle_.remove(*r, id);
                continue;
            }
            if (row.table == "observation") {
                oracle_.update(*r, id, "value", std::to_string(1000 + rng_() % 1000));
            } else {
                oracle_.update(*r, id, "title", row.table + " corregido " + tag());
            }
        }
        for (const auto& id : d.own) {
            auto row = oracle_.rows().at(id);
            if (row.table != "indicator" || rng_() % 2) continue;
            const auto v = std::to_string(rng_() % 1000);
            (void)oracle_.add(*r, "observation",
                              {{"indicator", id}, {"value", v}, {"date", "2024-06-01"}}, v);
        }
    }

    void sync_all() {
        std::vector<std::size_t> order(devices_.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::shuffle(order.begin(), order.end(), rng_);
        for (auto i : order) sync_until_ok(*devices_[i]);
    }

    void sync_until_ok(device& d) {
        for (int attempt = 1; attempt <= max_attempts; ++attempt)
            if (sync_once(d)) return;
        FAIL("seed " << seed_ << ": a sync of a device of " << d.gad << " did not finish in "
                     << max_attempts << " runs");
    }

    std::uint64_t link_bytes() const {
        const auto c = link_->counters();
        return c.bytes_up + c.bytes_down;
    }

    /// One `minga sync`; true when it succeeded. Maybe kills the client or the server once
    /// the link has carried a random number of bytes of this run.
    bool sync_once(device& d) {
        ++counts_.attempts;
        enum { none, kill_client, kill_server } fault = none;
        const auto dice = rng_() % 100;
        if (dice < 15)
            fault = kill_client;
        else if (dice < 23 && server_kills_ < max_server_kills)
            fault = kill_server;
        const std::uint64_t at = rng_() % 6000;

        run_options o;
        o.env = {{"MINGA_DATA", std::nullopt},
                 {"MINGA_LANG", std::nullopt},
                 {"HOME", d.cli.scratch().path().string()}};
        child_process c(minga_bin(), {"--data", d.cli.data_dir().string(), "--json", "sync"}, o);
        if (fault != none) {
            // Fault injection, not a wait for a result: look at the traffic every millisecond.
            const auto base = link_bytes();
            while (c.running()) {
                if (link_bytes() - base >= at) {
                    if (fault == kill_client) {
                        c.signal(SIGKILL);
                        ++counts_.client_kills;
                    } else {
                        restart_server();
                    }
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
        auto r = c.wait(std::chrono::minutes(2));
        INFO("seed " << seed_ << ": minga sync\n"
                     << r.describe() << "\nserver log:\n"
                     << server_.log_text());
        REQUIRE_FALSE(r.timed_out);
        if (r.term_signal == SIGKILL) return false;
        if (r.exited(0)) {
            ++counts_.syncs;
            return true;
        }
        REQUIRE(r.exited(75));  // a transient failure, said so; anything else is a bug
        return false;
    }

    void restart_server() {
        auto r = server_.stop(SIGKILL);
        CHECK(r.term_signal == SIGKILL);
        server_.start();
        link_->set_upstream("127.0.0.1", server_.port());
        ++server_kills_;
        ++counts_.server_kills;
    }

    void check() {
        std::map<std::string, std::string> digests;
        for (const char* gad : {"170151", "170152"}) digests[gad] = server_.digest(gad);
        for (auto& d : devices_) {
            INFO("seed " << seed_ << ", device of " << d->gad);
            CHECK(client_digest(d->cli) == digests.at(d->gad));
            const auto problems = oracle_.check(d->cli.db_file(), {d->gad}, counts_.rows_checked);
            for (const auto& p : problems)
                FAIL_CHECK("seed " << seed_ << ": replica of " << d->gad << ": " << p);
        }
        auto stopped = server_.stop(SIGTERM);
        CHECK(stopped.exited(0));
        const auto problems =
            oracle_.check(server_.data_dir() / std::string(minga::central::file_name),
                          {"170151", "170152"}, counts_.rows_checked);
        for (const auto& p : problems) FAIL_CHECK("seed " << seed_ << ": server: " << p);
    }

    std::uint64_t seed_;
    std::mt19937_64 rng_;
    minga_server server_;
    const replica_templates& replicas_;  // the test case's, outlives every run
    fault_counts& counts_;
    std::unique_ptr<minga::linkemu::link> link_;
    std::vector<std::unique_ptr<device>> devices_;
    fault_oracle oracle_;
    std::set<std::string> updated_;     // rows already updated or deleted by some device
    std::set<std::string> standalone_;  // agreements and projects nothing depends on
    int server_kills_ = 0;
};

}  // namespace

TEST_CASE("fault: random cuts and kills lose and duplicate nothing", "[integration][fault]") {
    const auto seeds = env_number("MINGA_FAULT_SEEDS", default_seeds);
    const auto first = env_number("MINGA_FAULT_FIRST_SEED", 1);
    minga_server store_template;  // one `init`, copied for every seed
    const replica_templates replicas;
    fault_counts counts;
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t s = first; s < first + seeds; ++s) {
        fault_run run(s, store_template.data_dir(), replicas, counts);
        run.run();
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << counts.json(secs) << std::endl;
    CHECK(counts.seeds == seeds);
}
