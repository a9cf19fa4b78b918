-- minga central store, version 2: exchange rates and the consolidated report tables.
-- Server only, never synced. The rpt_* tables are written by consolidate() alone
-- (shared/src/report_consolidate.cpp), which empties and rebuilds all of them in one
-- transaction; docs/consolidation.md gives the rules. Amounts are integer US cents.

-- Dated exchange rates to USD. A line in `currency` dated D converts with the rate whose
-- valid_from is the latest on or before D; with no such rate the amount is not convertible
-- (never 1:1). USD needs no rate.
CREATE TABLE fx_rate (
  currency     TEXT NOT NULL REFERENCES currency(code) CHECK (currency <> 'USD'),
  valid_from   TEXT NOT NULL CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  usd_per_unit REAL NOT NULL CHECK (usd_per_unit > 0),  -- US dollars for one unit of currency
  source       TEXT,                                     -- where the rate comes from
  PRIMARY KEY (currency, valid_from)
) STRICT, WITHOUT ROWID;

-- The last consolidation (one row, id = 1). No row: never consolidated.
CREATE TABLE rpt_meta (
  id                      INTEGER PRIMARY KEY CHECK (id = 1),
  as_of_ms                INTEGER NOT NULL,
  source_seq              INTEGER NOT NULL,  -- last change_index.seq included
  projects                INTEGER NOT NULL,
  committed_usd_cents     INTEGER NOT NULL,
  disbursed_usd_cents     INTEGER NOT NULL,
  beneficiaries           INTEGER NOT NULL,
  unconverted_projects    INTEGER NOT NULL,
  unconverted_currencies  TEXT NOT NULL,     -- comma separated, sorted
  no_amount_projects      INTEGER NOT NULL,
  no_territory_projects   INTEGER NOT NULL,
  rescaled_share_projects INTEGER NOT NULL
) STRICT;

-- One row per live project, whatever number of GADs or devices wrote it.
-- province/canton/parish: where the owner GAD is (a mancomunidad: what its members share).
CREATE TABLE rpt_project (
  project_id          TEXT PRIMARY KEY,
  owner_gad           TEXT NOT NULL,
  province            TEXT,
  canton              TEXT,
  parish              TEXT,
  source              TEXT,
  modality            TEXT NOT NULL,
  geopolitical        TEXT,
  year                INTEGER,
  committed_basis     TEXT NOT NULL
                      CHECK (committed_basis IN ('commitment','committed_budget','budget','none')),
  committed_usd_cents INTEGER,  -- NULL: a line of the basis has no usable rate
  disbursed_usd_cents INTEGER,  -- NULL: a disbursement has no usable rate
  beneficiaries       INTEGER
) STRICT;

-- The project split over its territories (parts add up exactly to the project's figures).
CREATE TABLE rpt_project_territory (
  project_id          TEXT NOT NULL,
  territory           TEXT NOT NULL,  -- INEC code of a province, canton or parish
  province            TEXT NOT NULL,
  canton              TEXT,
  parish              TEXT,
  share               REAL NOT NULL,  -- percent of the project; 100 per project in total
  committed_usd_cents INTEGER,
  disbursed_usd_cents INTEGER,
  beneficiaries       INTEGER,
  PRIMARY KEY (project_id, territory)
) STRICT, WITHOUT ROWID;
CREATE INDEX rpt_project_territory_province ON rpt_project_territory(province);

-- The SDGs of each project (a project counts in full under each of its goals).
CREATE TABLE rpt_project_sdg (
  project_id TEXT NOT NULL,
  goal       INTEGER NOT NULL,
  PRIMARY KEY (project_id, goal)
) STRICT, WITHOUT ROWID;

-- The funders (participant role 1) of each project, with the organisation as it was then.
CREATE TABLE rpt_project_cooperant (
  project_id      TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  name            TEXT NOT NULL,
  cinr_source     TEXT,
  PRIMARY KEY (project_id, organisation_id)
) STRICT, WITHOUT ROWID;
