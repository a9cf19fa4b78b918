-- minga central store, version 4: incremental consolidation, co-financing dedup, DAC sectors,
-- indicator totals, the exchange rates a run used, and device clock health for the quality
-- report. Server only, never synced. Rules in docs/consolidation.md.

-- Totals of the last run that the v2 row lacks.
ALTER TABLE rpt_meta ADD COLUMN duplicate_projects INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rpt_meta ADD COLUMN indicators INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rpt_meta ADD COLUMN observations INTEGER NOT NULL DEFAULT 0;

-- Per-project data-quality flags, so a run that recomputes only some projects can still total
-- them all. unconverted_currencies: comma separated, sorted ('' = none).
ALTER TABLE rpt_project ADD COLUMN unconverted_currencies TEXT NOT NULL DEFAULT '';
ALTER TABLE rpt_project ADD COLUMN no_amount INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rpt_project ADD COLUMN rescaled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rpt_project ADD COLUMN no_territory INTEGER NOT NULL DEFAULT 0;

-- Live projects that are another GAD's record of a project already counted (co-financing
-- reported twice, or by a GAD and its mancomunidad): left out of every other rpt_* table.
CREATE TABLE rpt_duplicate (
  project_id    TEXT PRIMARY KEY,
  owner_gad     TEXT NOT NULL,
  dedup_key     TEXT NOT NULL,   -- the shared registry reference (normalised)
  counted_owner TEXT NOT NULL    -- the GAD whose record of it is counted
) STRICT;

-- The project split over its DAC sectors by percentage (exact parts, like territories).
CREATE TABLE rpt_project_sector (
  project_id          TEXT NOT NULL,
  sector              TEXT NOT NULL,  -- DAC 5-digit purpose code
  category            TEXT NOT NULL,  -- its 3-digit DAC category
  share               REAL NOT NULL,
  committed_usd_cents INTEGER,
  disbursed_usd_cents INTEGER,
  beneficiaries       INTEGER,
  PRIMARY KEY (project_id, sector)
) STRICT, WITHOUT ROWID;

-- One row per live indicator of a counted project: its observations aggregated by its own
-- rule across periods and territories.
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
) STRICT;
CREATE INDEX rpt_indicator_project ON rpt_indicator(project_id);

-- The same, per territory where it was observed ('' = not stated).
CREATE TABLE rpt_indicator_territory (
  indicator_id TEXT NOT NULL,
  territory    TEXT NOT NULL,
  province     TEXT,
  canton       TEXT,
  parish       TEXT,
  observations INTEGER NOT NULL,
  value        REAL NOT NULL,
  sum_value    REAL NOT NULL,
  PRIMARY KEY (indicator_id, territory)
) STRICT, WITHOUT ROWID;

-- The exchange rates the last run converted with: the next run recomputes the projects with
-- lines in a currency whose rates differ from these.
CREATE TABLE rpt_fx_used (
  currency     TEXT NOT NULL,
  valid_from   TEXT NOT NULL,
  usd_per_unit REAL NOT NULL,
  PRIMARY KEY (currency, valid_from)
) STRICT, WITHOUT ROWID;

-- The clock offset last seen for a device (device time minus server time, ms), for the
-- data-quality report. Written by the sync engine when it sees a device's clock.
CREATE TABLE device_clock (
  device_num  INTEGER PRIMARY KEY REFERENCES device(num),
  offset_ms   INTEGER NOT NULL,
  observed_ms INTEGER NOT NULL
) STRICT;

-- Reports of a v2 run lack the flags above: the next run is a full one.
DELETE FROM rpt_meta;
