-- minga replica schema, version 3: cooperation demands, applications (postulaciones) and
-- good-practice records, all GAD-owned and synced; and a local index of offer tags for
-- matching (like offer_fts: derived on every device, never synced).
-- As in v1: no SQL foreign keys between synced rows; link rows have derived ids
-- (parent id, kind, natural key). Money is INTEGER minor units beside its currency.

-- Territories where an offer may be used (INEC codes of provinces, cantons or parishes, comma
-- separated, sorted). '' = the whole country.
ALTER TABLE offer ADD COLUMN territories TEXT NOT NULL DEFAULT '';

-- What a GAD needs from cooperation, tied to its development plan (PDOT).
CREATE TABLE demand (
  id               TEXT PRIMARY KEY,
  owner_gad        TEXT NOT NULL,
  title            TEXT NOT NULL,
  description      TEXT,
  pdot_objective   TEXT,              -- objective/programme of the GAD's PDOT
  year             INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  modality         TEXT NOT NULL,     -- codelist cinr.modalidad (the modality sought)
  source           TEXT,              -- codelist cinr.fuente (preferred source, optional)
  currency         TEXT REFERENCES currency(code),
  estimated_amount INTEGER CHECK (estimated_amount IS NULL OR estimated_amount >= 0),
  priority         TEXT NOT NULL DEFAULT 'media' CHECK (priority IN ('alta','media','baja')),
  status           TEXT NOT NULL DEFAULT 'identificada'
                   CHECK (status IN ('identificada','priorizada','en_gestion','atendida','descartada')),
  hlc              INTEGER NOT NULL,
  deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX demand_owner ON demand(owner_gad);
CREATE INDEX demand_year ON demand(year);

-- A demand's SDGs: a goal, or a goal and one of its targets ("15" or "15.3").
CREATE TABLE demand_sdg (
  id        TEXT PRIMARY KEY,
  owner_gad TEXT NOT NULL,
  demand_id TEXT NOT NULL,
  goal      INTEGER NOT NULL REFERENCES sdg(goal),
  target    TEXT,                     -- codelist iati.UNSDG-Targets, under `goal`
  hlc       INTEGER NOT NULL,
  deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX demand_sdg_demand ON demand_sdg(demand_id);

CREATE TABLE demand_sector (
  id         TEXT PRIMARY KEY,
  owner_gad  TEXT NOT NULL,
  demand_id  TEXT NOT NULL,
  sector     TEXT NOT NULL REFERENCES dac_sector(code),
  percentage REAL NOT NULL CHECK (percentage > 0 AND percentage <= 100),
  hlc        INTEGER NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX demand_sector_demand ON demand_sector(demand_id);

-- The parishes or cantons a demand concerns.
CREATE TABLE demand_territory (
  id        TEXT PRIMARY KEY,
  owner_gad TEXT NOT NULL,
  demand_id TEXT NOT NULL,
  territory TEXT NOT NULL REFERENCES territorial_unit(code),
  hlc       INTEGER NOT NULL,
  deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX demand_territory_demand ON demand_territory(demand_id);

-- An application (postulación) of a GAD to an offer or to a cooperant. `status` moves only
-- through the pipeline (shared/src/application.cpp); every move is an application_event.
-- Never change, never reuse a status value: they are synced.
CREATE TABLE application (
  id                 TEXT PRIMARY KEY,
  owner_gad          TEXT NOT NULL,
  title              TEXT NOT NULL,
  offer_id           TEXT,
  cooperant_id       TEXT,
  demand_id          TEXT,
  status             TEXT NOT NULL DEFAULT 'identificada'
                     CHECK (status IN ('identificada','postulada','negociacion','aprobada',
                                       'rechazada','retirada')),
  status_on          TEXT,             -- date of the last move
  currency           TEXT REFERENCES currency(code),
  requested_amount   INTEGER CHECK (requested_amount IS NULL OR requested_amount >= 0),
  counterpart_amount INTEGER CHECK (counterpart_amount IS NULL OR counterpart_amount >= 0),
  planned_start      TEXT,
  planned_end        TEXT,
  agreement_id       TEXT,             -- the agreement an approval created
  note               TEXT,
  hlc                INTEGER NOT NULL,
  deleted            INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX application_owner ON application(owner_gad);

-- The dated history of an application's moves, with notes. Append-only.
CREATE TABLE application_event (
  id             TEXT PRIMARY KEY,
  owner_gad      TEXT NOT NULL,
  application_id TEXT NOT NULL,
  from_status    TEXT NOT NULL,
  to_status      TEXT NOT NULL,
  on_date        TEXT NOT NULL,
  note           TEXT,
  hlc            INTEGER NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX application_event_application ON application_event(application_id);

-- Good-practice records (fichas de buenas prácticas), optionally about one project.
CREATE TABLE good_practice (
  id            TEXT PRIMARY KEY,
  owner_gad     TEXT NOT NULL,
  title         TEXT NOT NULL,
  objective     TEXT,
  partners      TEXT,
  funder        TEXT,
  process_steps TEXT,
  results       TEXT,
  commitments   TEXT,
  lessons       TEXT,
  project_id    TEXT,
  territory     TEXT REFERENCES territorial_unit(code),
  hlc           INTEGER NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX good_practice_owner ON good_practice(owner_gad);

-- Local index of the offer catalogue for matching: one row per (tag, offer), tags
-- 'ods:15', 'sec:31220' and 'grp:312' (the DAC group of a sector). Rebuilt for an offer
-- whenever the offer row is written (index_offer), like offer_fts. Never synced.
CREATE TABLE offer_tag (
  tag      TEXT NOT NULL,
  offer_id TEXT NOT NULL,
  PRIMARY KEY (tag, offer_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX offer_tag_offer ON offer_tag(offer_id);

WITH RECURSIVE split(offer_id, kind, rest, item) AS (
  SELECT id, 'ods', sdgs || ',', '' FROM offer WHERE deleted = 0
  UNION ALL
  SELECT id, 'sec', sectors || ',', '' FROM offer WHERE deleted = 0
  UNION ALL
  SELECT offer_id, kind, substr(rest, instr(rest, ',') + 1),
         trim(substr(rest, 1, instr(rest, ',') - 1))
  FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO offer_tag(tag, offer_id)
SELECT kind || ':' || item, offer_id FROM split WHERE item <> ''
UNION
SELECT 'grp:' || substr(item, 1, 3), offer_id FROM split WHERE kind = 'sec' AND item <> '';
