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

-- The report tables keyed by one id become WITHOUT ROWID tables (the rows in their key's
-- B-tree, like the other rpt_* tables): an incremental run reads and updates a row with one
-- descent instead of two (key index, then table). They hold derived data only: emptied here,
-- rebuilt by the next run.
-- rpt_project: as central_v2 + v4 (committed/disbursed NULL: a line has no usable rate;
-- unconverted_currencies comma separated, sorted). No comments inside the statement: SQLite
-- rewrites its text on ALTER TABLE ... DROP COLUMN.
DROP TABLE rpt_project;
CREATE TABLE rpt_project (
  project_id             TEXT PRIMARY KEY,
  owner_gad              TEXT NOT NULL,
  province               TEXT,
  canton                 TEXT,
  parish                 TEXT,
  source                 TEXT,
  modality               TEXT NOT NULL,
  geopolitical           TEXT,
  year                   INTEGER,
  committed_basis        TEXT NOT NULL
                         CHECK (committed_basis IN ('commitment','committed_budget','budget','none')),
  committed_usd_cents    INTEGER,
  disbursed_usd_cents    INTEGER,
  beneficiaries          INTEGER,
  unconverted_currencies TEXT NOT NULL DEFAULT '',
  no_amount              INTEGER NOT NULL DEFAULT 0,
  rescaled               INTEGER NOT NULL DEFAULT 0,
  no_territory           INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX rpt_project_unconverted ON rpt_project(unconverted_currencies)
  WHERE unconverted_currencies <> '';

DROP TABLE rpt_duplicate;
CREATE TABLE rpt_duplicate (
  project_id    TEXT PRIMARY KEY,
  owner_gad     TEXT NOT NULL,
  dedup_key     TEXT NOT NULL,   -- the shared registry reference (normalised)
  counted_owner TEXT NOT NULL    -- the GAD whose record of it is counted
) STRICT, WITHOUT ROWID;

DROP TABLE rpt_indicator;
CREATE TABLE rpt_indicator (
  indicator_id   TEXT PRIMARY KEY,
  project_id     TEXT NOT NULL,
  indicator_code TEXT,             -- indicator_def.code; NULL: specific to the project
  unit           TEXT NOT NULL,
  aggregation    TEXT NOT NULL CHECK (aggregation IN ('sum','last','max','mean')),
  baseline_value REAL,
  target_value   REAL,
  observations   INTEGER NOT NULL,
  value          REAL,             -- NULL: no observation yet
  sum_value      REAL NOT NULL,    -- sum of the observed values (for means across rows)
  last_on        TEXT              -- date of the latest observation
) STRICT, WITHOUT ROWID;
CREATE INDEX rpt_indicator_project ON rpt_indicator(project_id);

DELETE FROM rpt_project_territory;
DELETE FROM rpt_project_sdg;
DELETE FROM rpt_project_cooperant;
DELETE FROM rpt_project_sector;
DELETE FROM rpt_indicator_territory;
DELETE FROM rpt_fx_used;

-- The tables start empty: the first run after this migration is a full one.
DELETE FROM rpt_meta;
