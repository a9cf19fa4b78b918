#pragma once
// Registration of the client's subcommands. Each registers its options on the CLI11 app and,
// when chosen, sets `env.action` to the function that runs it.
#include "output.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace minga::client {

using cmd_env = cli::command_env<printer>;

void register_entity_commands(CLI::App& app, cmd_env& env);
void register_offline_commands(CLI::App& app, cmd_env& env);
/// `minga catalog import KIND FILE`: loads a catalogue file received out of band.
void register_catalog_commands(CLI::App& app, cmd_env& env);
/// `minga enroll`, `sync`, `conflicts [resolve]`, `digest`: the commands that talk to (or
/// compare with) the server.
void register_sync_commands(CLI::App& app, cmd_env& env);

/// `bundle export|import|carry`: sync through files (docs/bundles.md).
void register_bundle_commands(CLI::App& app, cmd_env& env);

/// `demand match`, `application show|move|approve`, `practice print`, `actors` (after the
/// entity commands, whose nouns they extend).
void register_demand_commands(CLI::App& app, cmd_env& env);
/// `actors [--territory CODE] [--sector CODE]`: the actor map.
void register_actors(CLI::App& app, cmd_env& env);

/// `minga desk [--port P] [--open]`: the parish desk on 127.0.0.1.
void register_desk_command(CLI::App& app, cmd_env& env);

/// Opens the replica in the data folder, or prints why not and returns nullopt with `code` set.
[[nodiscard]] std::optional<replica> open_replica(printer& p, const global_options& g, int& code);

}  // namespace minga::client
