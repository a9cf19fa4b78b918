#pragma once
// Registration of minga-server's subcommands. Each registers its options on the CLI11 app and,
// when chosen, sets `env.action` to the function that runs it.
#include "output.hpp"

#include <minga/shared/central.hpp>
#include <minga/shared/demand_plan.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace minga::server {

using cmd_env = cli::command_env<printer>;

/// `init`, `gad list`, `device enroll|list|revoke`, `digest`.
void register_admin_commands(CLI::App& app, cmd_env& env);
/// `catalog import KIND FILE`, `consolidate [--full]`, `fx import FILE`, `report --by X`,
/// `report indicators --by X`, `report quality [--days N]` (each `--format text|csv|json`).
void register_central_commands(CLI::App& app, cmd_env& env);
/// `export registry|iati`, `user add|list` (cmd_exports.cpp).
void register_export_commands(CLI::App& app, cmd_env& env);
/// `serve --listen HOST:PORT`.
void register_serve_command(CLI::App& app, cmd_env& env);
/// `compact --keep-days N` (cmd_compact.cpp).
void register_compact_command(CLI::App& app, cmd_env& env);
/// `bundle import FILE`, `bundle list-held` (docs/bundles.md).
void register_bundle_commands(CLI::App& app, cmd_env& env);

/// `export demand-plan`, `export practices` (docs/demands.md).
void register_demand_commands(CLI::App& app, cmd_env& env);
/// `report --by demand...`: the grouped demand plan or its coverage (called by `report`).
[[nodiscard]] int run_demand_report(printer& p, const global_options& g,
                                    const result<demand_report_kind>& kind, const std::string& format);
/// A report table as aligned text columns.
[[nodiscard]] std::string as_text(const report_table& t);
/// `serve --listen HOST:PORT [--plain-http | --tls-cert F --tls-key F]`.
void register_serve_command(CLI::App& app, cmd_env& env);
/// `cert create [--tls-host NAME]...`, `cert show`.
void register_cert_commands(CLI::App& app, cmd_env& env);

/// A self-signed certificate and key in the data folder (cmd_cert.cpp); the fingerprint.
[[nodiscard]] result<std::string> create_server_cert(const global_options& g,
                                                     const std::vector<std::string>& hosts);
/// What `init` and `cert create` say after creating it: where, the fingerprint, what next.
[[nodiscard]] std::string cert_created_text(printer& p, const global_options& g,
                                            const std::string& fingerprint);

/// Opens the store in the data folder, or prints why not and returns nullopt with `code` set.
[[nodiscard]] std::optional<central> open_central(printer& p, const global_options& g, int& code);

}  // namespace minga::server
