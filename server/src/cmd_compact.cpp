// `compact --keep-days N`: purges tombstones older than N days and raises the tombstone horizon
// (shared/include/minga/shared/compaction.hpp). Runs beside `serve` on the same store: each
// batch is one short transaction, and devices behind the new horizon get a snapshot.
#include "commands.hpp"

#include <minga/shared/compaction.hpp>
#include <minga/shared/hlc.hpp>

#include <fmt/format.h>

#include <memory>

namespace minga::server {

void register_compact_command(CLI::App& app, cmd_env& env) {
    auto keep_days = std::make_shared<std::int64_t>(compaction_tuning::default_keep_days);
    auto* cmd = app.add_subcommand(
        "compact", "purgar las eliminaciones (lápidas) más antiguas que el horizonte");
    cmd->add_option("--keep-days", *keep_days,
                    fmt::format("días que se conservan las eliminaciones (predeterminado {}; 0 purga "
                                "todas); un dispositivo sin sincronizar desde antes recibe una "
                                "instantánea de su alcance",
                                compaction_tuning::default_keep_days));
    cmd->callback([&env, keep_days] {
        env.action = [keep_days, &g = env.g](printer& p) {
            int code = 0;
            auto c = open_central(p, g, code);
            if (!c) return code;
            compact_options o;
            o.keep_days = *keep_days;
            o.now_ms = system_ms();
            auto rep = compact_tombstones(c->conn(), o);
            if (!rep) return p.fail(rep.err());
            p.done(fmt::format("{}: {} {}; {} {}", p.pick("Compactación", "Compaction"), rep->purged,
                               p.pick("eliminaciones purgadas", "tombstones purged"),
                               p.pick("horizonte", "horizon"), rep->horizon),
                   {{"ok", true},
                    {"purged", rep->purged},
                    {"horizon", rep->horizon},
                    {"keep_days", *keep_days},
                    {"cutoff_ms", rep->cutoff_ms},
                    {"transactions", rep->transactions}});
            return 0;
        };
    });
}

}  // namespace minga::server
