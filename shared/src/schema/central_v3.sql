-- minga central store, version 3: the tombstone horizon.
-- changed_ms: the server's wall clock (Unix ms) when the row got its current sequence. The
-- compaction (`minga-server compact`) purges tombstones whose changed_ms is older than its
-- horizon; the server's own clock, not the device's stamp, decides how old a deletion is.
-- Rows indexed before this migration count as changed at the migration: their tombstones are
-- purged only `--keep-days` after the upgrade. The horizon itself (the highest purged sequence)
-- is central_meta 'horizon'.
ALTER TABLE change_index ADD COLUMN changed_ms INTEGER NOT NULL DEFAULT 0;
UPDATE change_index SET changed_ms = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
CREATE INDEX change_index_age ON change_index(tbl, changed_ms);

-- A device that pulled as a v1 client while behind the horizon may still hold rows whose
-- deletion was purged (v1 has no snapshot): its first pull as v2 is a snapshot.
ALTER TABLE device ADD COLUMN snapshot_due INTEGER NOT NULL DEFAULT 0 CHECK (snapshot_due IN (0,1));
