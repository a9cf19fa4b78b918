-- minga central store, version 12: the co-financing dedup keys the last consolidation used
-- (consolidation helper, issue 7). Server only, never synced. docs/consolidation.md,
-- "Incremental runs".

-- Every live project whose live agreement carries a registry reference, under its normalised
-- reference. An incremental run re-decides only the keys of the projects whose head changed,
-- reading the other records under those keys here, instead of the head of every project.
CREATE TABLE rpt_dedup_key (
  project_id TEXT PRIMARY KEY,
  dedup_key  TEXT NOT NULL,
  owner_gad  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX rpt_dedup_key_key ON rpt_dedup_key(dedup_key, owner_gad);

-- The table starts empty: the first run after this migration is a full one.
DELETE FROM rpt_meta;
