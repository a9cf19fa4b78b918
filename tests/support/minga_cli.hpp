#pragma once
/// Test support: drive the real `minga` client binary on a replica in a scratch directory.
///
/// `minga_client` owns a temporary directory; its replica lives in `<tmp>/replica` and every
/// run passes `--data` explicitly. Runs get a deterministic environment: MINGA_DATA and
/// MINGA_LANG removed (messages default to Spanish) and HOME pointed into the scratch
/// directory, so a test can never touch a real user's replica.
///
/// Needs nlohmann::json (linked by minga::client) and minga::shared (for the dump).

#include "db_dump.hpp"
#include "process.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <vector>

namespace minga::test {

/// stdout parsed as one JSON document; throws with the whole run described if it is not.
[[nodiscard]] inline nlohmann::json json_of(const process_result& r) {
    try {
        return nlohmann::json::parse(r.out);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(std::string("stdout is not one JSON document: ") + e.what() + "\n" +
                                 r.describe());
    }
}

class minga_client {
public:
    minga_client() : dir_("minga-cli") {}

    /// The replica folder given as --data (it does not exist before `init`).
    [[nodiscard]] fs::path data_dir() const { return dir_ / "replica"; }
    [[nodiscard]] fs::path db_file() const { return data_dir() / "minga.db"; }
    /// The scratch directory (for CSV files and the like).
    [[nodiscard]] const temp_dir& scratch() const noexcept { return dir_; }

    /// `minga --data DIR ARGS...`
    [[nodiscard]] process_result run(const std::vector<std::string>& args, run_options o = {}) const {
        std::vector<std::string> full{"--data", data_dir().string()};
        full.insert(full.end(), args.begin(), args.end());
        return run_raw(full, std::move(o));
    }
    /// `minga --data DIR --json ARGS...`
    [[nodiscard]] process_result run_json(const std::vector<std::string>& args, run_options o = {}) const {
        std::vector<std::string> full{"--json"};
        full.insert(full.end(), args.begin(), args.end());
        return run(full, std::move(o));
    }
    /// `minga ARGS...` with the test environment but no --data.
    [[nodiscard]] process_result run_raw(const std::vector<std::string>& args, run_options o = {}) const {
        o.env.insert(o.env.begin(), {{"MINGA_DATA", std::nullopt},
                                     {"MINGA_LANG", std::nullopt},
                                     {"HOME", dir_.str()}});
        return run_process(minga_bin(), args, o);
    }

    /// `init --gad GAD`; throws unless it succeeds. Returns the device id.
    std::string init(const std::string& gad = "170151") const {
        auto r = run_json({"init", "--gad", gad});
        if (!r.exited(0)) throw std::runtime_error("minga init failed\n" + r.describe());
        return json_of(r).at("device_id").get<std::string>();
    }

    /// Runs a writing command with --json and returns the id it printed; throws unless it
    /// succeeds (for test setup; assertions on failures use run()).
    std::string add(const std::vector<std::string>& args) const {
        auto r = run_json(args);
        if (!r.exited(0)) throw std::runtime_error("minga command failed\n" + r.describe());
        return json_of(r).at("id").get<std::string>();
    }

    /// The whole replica database as text (see db_dump.hpp).
    [[nodiscard]] std::string dump() const { return dump_database(db_file()); }

    /// Writes `text` to a file in the scratch directory and returns its path.
    fs::path write_file(const std::string& name, const std::string& text) const {
        fs::path p = dir_ / name;
        std::FILE* f = std::fopen(p.c_str(), "wb");
        if (!f) throw std::runtime_error("cannot write " + p.string());
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
        return p;
    }

private:
    temp_dir dir_;
};

}  // namespace minga::test
