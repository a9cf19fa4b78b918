-- minga replica schema, version 1. Same DDL on every device and on the server.
-- Ownership classes (enforced by the store API and, for sync, by the server):
--   catalogue (CAT): reference data and catalogues; written by central, read everywhere.
--                    Envelope: rev (central's sequence when it last changed), deleted.
--   gad (GAD):       owned by one GAD (owner_gad); written by that GAD's devices.
--                    Envelope: owner_gad, hlc (hybrid logical clock of the last write), deleted.
-- References between synced rows carry no SQL foreign keys: a pull may deliver a child before
-- its parent, and a parent is never removed (deletes are tombstones). The store API checks
-- references when a device writes. References to reference data shipped with the binary
-- (territory, SDGs, DAC sectors, currencies) are real foreign keys.
-- Ids of synced rows are UUIDv7 text; money is INTEGER minor units with a currency code;
-- dates are ISO-8601 text (YYYY-MM-DD).

CREATE TABLE replica_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

------------------------------------------------------------------------------ reference data
CREATE TABLE codelist (
  list        TEXT NOT NULL,
  code        TEXT NOT NULL,
  name_es     TEXT NOT NULL,
  name_en     TEXT,
  parent_code TEXT,
  iati_list   TEXT,
  iati_code   TEXT,
  active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
  rev         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (list, code)
) STRICT, WITHOUT ROWID;

CREATE TABLE territorial_unit (
  code        TEXT PRIMARY KEY CHECK (code NOT GLOB '*[^0-9]*' AND length(code) IN (2,4,6)),
  level       INTEGER NOT NULL CHECK (level IN (1,2,3)),
  parent_code TEXT REFERENCES territorial_unit(code),
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('provincia','canton','urbana','cabecera_cantonal',
                                            'rural','zona_no_delimitada')),
  iso_3166_2  TEXT,
  status      TEXT NOT NULL DEFAULT 'vigente' CHECK (status IN ('vigente','historico')),
  rev         INTEGER NOT NULL DEFAULT 0,
  CHECK (length(code) = 2 * level),
  CHECK ((level = 1) = (parent_code IS NULL))
) STRICT;
CREATE INDEX territorial_unit_parent ON territorial_unit(parent_code);

CREATE TABLE currency (
  code       TEXT PRIMARY KEY CHECK (length(code) = 3),
  name       TEXT NOT NULL,
  minor_unit INTEGER NOT NULL DEFAULT 2 CHECK (minor_unit BETWEEN 0 AND 4),
  rev        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE sdg (
  goal     INTEGER PRIMARY KEY CHECK (goal BETWEEN 1 AND 17),
  name_es  TEXT NOT NULL,
  title_es TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  color    TEXT NOT NULL,
  rev      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE dac_sector (
  code    TEXT PRIMARY KEY CHECK (length(code) IN (3,5) AND code NOT GLOB '*[^0-9]*'),
  parent  TEXT REFERENCES dac_sector(code),
  name_en TEXT NOT NULL,
  name_es TEXT,
  rev     INTEGER NOT NULL DEFAULT 0,
  CHECK ((length(code) = 3) = (parent IS NULL))
) STRICT;

-- Local governments that own data: provincial, municipal and rural-parish GADs derived from the
-- territory (code = territorial code), and mancomunidades/consorcios (code 'M' + digits).
CREATE TABLE gad (
  code      TEXT PRIMARY KEY,
  level     TEXT NOT NULL CHECK (level IN ('provincial','municipal','parroquial_rural',
                                           'mancomunidad','consorcio')),
  name      TEXT NOT NULL,
  territory TEXT REFERENCES territorial_unit(code),
  rev       INTEGER NOT NULL DEFAULT 0,
  deleted   INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK (level IN ('mancomunidad','consorcio') OR territory = code)
) STRICT;

CREATE TABLE gad_membership (
  id         TEXT PRIMARY KEY,
  group_code TEXT NOT NULL REFERENCES gad(code),
  member     TEXT NOT NULL REFERENCES gad(code),
  rev        INTEGER NOT NULL DEFAULT 0,
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  UNIQUE (group_code, member)
) STRICT;

------------------------------------------------------------------------------ catalogue (CAT)
-- Cooperants, GADs as parties, ministries; the foreign-NGO directory lives here too
-- (cinr_source = 'ong_extranjera', with RUC, country and status).
CREATE TABLE organisation (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  acronym      TEXT,
  ruc          TEXT CHECK (ruc IS NULL OR (length(ruc) = 13 AND ruc NOT GLOB '*[^0-9]*')),
  org_type     INTEGER NOT NULL,         -- IATI OrganisationType
  cinr_source  TEXT,                     -- codelist cinr.fuente
  country      TEXT CHECK (country IS NULL OR length(country) = 2),
  status       TEXT NOT NULL DEFAULT 'activa'
               CHECK (status IN ('activa','inactiva','suspendida','convenio_finalizado')),
  cbf_valid_to TEXT,                     -- foreign NGO: basic operating agreement valid until
  website      TEXT,
  rev          INTEGER NOT NULL DEFAULT 0,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX organisation_ruc ON organisation(ruc);

CREATE TABLE offer (
  id           TEXT PRIMARY KEY,
  cooperant_id TEXT NOT NULL,
  title        TEXT NOT NULL,
  summary      TEXT,
  requirements TEXT,
  url          TEXT,
  source       TEXT,                     -- codelist cinr.fuente
  modality     TEXT NOT NULL,            -- codelist cinr.modalidad
  geopolitical TEXT CHECK (geopolitical IN ('norte_sur','sur_sur','triangular')),
  sectors      TEXT NOT NULL DEFAULT '', -- DAC codes, comma separated
  sdgs         TEXT NOT NULL DEFAULT '', -- goals, comma separated
  eligible     TEXT NOT NULL DEFAULT '', -- GAD levels that may apply, comma separated ('' = all)
  currency     TEXT REFERENCES currency(code),
  amount_min   INTEGER CHECK (amount_min IS NULL OR amount_min >= 0),
  amount_max   INTEGER,
  opens_on     TEXT,
  closes_on    TEXT,                     -- NULL = permanent window
  status       TEXT NOT NULL DEFAULT 'abierta'
               CHECK (status IN ('abierta','permanente','cerrada','archivada')),
  rev          INTEGER NOT NULL DEFAULT 0,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK (amount_max IS NULL OR amount_min IS NULL OR amount_max >= amount_min)
) STRICT;

-- Accent- and case-insensitive full-text search ("educacion" finds "Educación").
CREATE VIRTUAL TABLE offer_fts USING fts5(
  offer_id UNINDEXED,
  title, summary, requirements, cooperant,
  tokenize='unicode61 remove_diacritics 2'
);

CREATE TABLE indicator_def (
  code        TEXT PRIMARY KEY,
  name_es     TEXT NOT NULL,
  unit        TEXT NOT NULL,
  measure     INTEGER NOT NULL CHECK (measure BETWEEN 1 AND 5),
  aggregation TEXT NOT NULL CHECK (aggregation IN ('sum','last','max','mean')),
  sdg_goal    INTEGER REFERENCES sdg(goal),
  sector      TEXT REFERENCES dac_sector(code),
  rev         INTEGER NOT NULL DEFAULT 0,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;

------------------------------------------------------------------------------ GAD-owned rows
CREATE TABLE agreement (
  id                 TEXT PRIMARY KEY,
  owner_gad          TEXT NOT NULL,
  kind               TEXT NOT NULL CHECK (kind IN ('convenio_marco','convenio_especifico',
                       'hermanamiento','memorando_entendimiento','carta_intencion','adenda')),
  parent_id          TEXT,
  offer_id           TEXT,
  reference          TEXT,
  title              TEXT NOT NULL,
  purpose            TEXT,
  source             TEXT,             -- codelist cinr.fuente
  modality           TEXT,             -- codelist cinr.modalidad
  geopolitical       TEXT CHECK (geopolitical IN ('norte_sur','sur_sur','triangular')),
  intl_kind          TEXT CHECK (intl_kind IN ('hermanamiento','redes','diplomacia_ciudades')),
  decentralized_via  TEXT CHECK (decentralized_via IN ('directa','indirecta')),
  signed_on          TEXT,
  valid_from         TEXT,
  valid_to           TEXT,
  status             TEXT NOT NULL CHECK (status IN ('negociacion','vigente','finalizado',
                                                     'terminado','suspendido')),
  currency           TEXT REFERENCES currency(code),
  cooperant_amount   INTEGER CHECK (cooperant_amount IS NULL OR cooperant_amount >= 0),
  counterpart_amount INTEGER CHECK (counterpart_amount IS NULL OR counterpart_amount >= 0),
  hlc                INTEGER NOT NULL,
  deleted            INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX agreement_owner ON agreement(owner_gad);

CREATE TABLE agreement_party (
  id              TEXT PRIMARY KEY,
  owner_gad       TEXT NOT NULL,
  agreement_id    TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('cooperante','gad','ejecutor','cofinanciador','otro')),
  signatory       TEXT,
  hlc             INTEGER NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX agreement_party_agreement ON agreement_party(agreement_id);

CREATE TABLE project (
  id                 TEXT PRIMARY KEY,
  owner_gad          TEXT NOT NULL,
  agreement_id       TEXT,
  local_code         TEXT,
  title              TEXT NOT NULL,
  description        TEXT,
  objectives         TEXT,
  target_groups      TEXT,
  activity_status    INTEGER NOT NULL DEFAULT 1 CHECK (activity_status BETWEEN 1 AND 6),
  planned_start      TEXT,
  planned_end        TEXT,
  actual_start       TEXT,
  actual_end         TEXT,
  source             TEXT,             -- codelist cinr.fuente
  modality           TEXT NOT NULL,    -- codelist cinr.modalidad
  geopolitical       TEXT CHECK (geopolitical IN ('norte_sur','sur_sur','triangular')),
  collaboration_type INTEGER,          -- IATI CollaborationType
  finance_type       INTEGER,          -- IATI FinanceType
  aid_type           TEXT,             -- IATI AidType
  default_currency   TEXT NOT NULL DEFAULT 'USD' REFERENCES currency(code),
  pdot_ref           TEXT,             -- objective/programme of the GAD's development plan
  beneficiaries      INTEGER CHECK (beneficiaries IS NULL OR beneficiaries >= 0),
  hlc                INTEGER NOT NULL,
  deleted            INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX project_owner ON project(owner_gad);

CREATE TABLE project_participant (
  id              TEXT PRIMARY KEY,
  owner_gad       TEXT NOT NULL,
  project_id      TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  role            INTEGER NOT NULL CHECK (role BETWEEN 1 AND 4),  -- IATI OrganisationRole
  hlc             INTEGER NOT NULL,
  deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX project_participant_project ON project_participant(project_id);

CREATE TABLE project_sector (
  id           TEXT PRIMARY KEY,
  owner_gad    TEXT NOT NULL,
  project_id   TEXT NOT NULL,
  sector       TEXT NOT NULL REFERENCES dac_sector(code),
  percentage   REAL NOT NULL CHECK (percentage > 0 AND percentage <= 100),
  hlc          INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX project_sector_project ON project_sector(project_id);

CREATE TABLE project_sdg (
  id         TEXT PRIMARY KEY,
  owner_gad  TEXT NOT NULL,
  project_id TEXT NOT NULL,
  goal       INTEGER NOT NULL REFERENCES sdg(goal),
  hlc        INTEGER NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX project_sdg_project ON project_sdg(project_id);

CREATE TABLE project_location (
  id         TEXT PRIMARY KEY,
  owner_gad  TEXT NOT NULL,
  project_id TEXT NOT NULL,
  territory  TEXT NOT NULL REFERENCES territorial_unit(code),
  name       TEXT,
  lat        REAL,
  lon        REAL,
  share      REAL CHECK (share IS NULL OR (share > 0 AND share <= 100)),
  hlc        INTEGER NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK ((lat IS NULL) = (lon IS NULL)),
  CHECK (lat IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180))
) STRICT;
CREATE INDEX project_location_project ON project_location(project_id);

CREATE TABLE project_budget (
  id           TEXT PRIMARY KEY,
  owner_gad    TEXT NOT NULL,
  project_id   TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  status       INTEGER NOT NULL DEFAULT 1 CHECK (status IN (1,2)),  -- IATI BudgetStatus
  amount       INTEGER NOT NULL CHECK (amount >= 0),
  currency     TEXT NOT NULL REFERENCES currency(code),
  funder_id    TEXT,
  hlc          INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK (period_end >= period_start)
) STRICT;
CREATE INDEX project_budget_project ON project_budget(project_id);

CREATE TABLE project_transaction (
  id          TEXT PRIMARY KEY,
  owner_gad   TEXT NOT NULL,
  project_id  TEXT NOT NULL,
  type        INTEGER NOT NULL CHECK (type BETWEEN 1 AND 13),   -- IATI TransactionType
  tx_date     TEXT NOT NULL,
  amount      INTEGER NOT NULL CHECK (amount >= 0),
  currency    TEXT NOT NULL REFERENCES currency(code),
  provider_id TEXT,
  receiver_id TEXT,
  description TEXT,
  hlc         INTEGER NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX project_transaction_project ON project_transaction(project_id);

CREATE TABLE project_result (
  id          TEXT PRIMARY KEY,
  owner_gad   TEXT NOT NULL,
  project_id  TEXT NOT NULL,
  type        INTEGER NOT NULL DEFAULT 1 CHECK (type IN (1,2,3,9)),  -- IATI ResultType
  title       TEXT NOT NULL,
  description TEXT,
  hlc         INTEGER NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX project_result_project ON project_result(project_id);

CREATE TABLE indicator (
  id             TEXT PRIMARY KEY,
  owner_gad      TEXT NOT NULL,
  project_id     TEXT NOT NULL,
  result_id      TEXT,
  indicator_code TEXT,                  -- indicator_def.code, NULL for a project-specific one
  title          TEXT NOT NULL,
  unit           TEXT NOT NULL,
  measure        INTEGER NOT NULL DEFAULT 1 CHECK (measure BETWEEN 1 AND 5),  -- IATI IndicatorMeasure
  aggregation    TEXT NOT NULL DEFAULT 'sum' CHECK (aggregation IN ('sum','last','max','mean')),
  ascending      INTEGER NOT NULL DEFAULT 1 CHECK (ascending IN (0,1)),
  baseline_year  INTEGER,
  baseline_value REAL,
  target_value   REAL,
  target_date    TEXT,
  hlc            INTEGER NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX indicator_project ON indicator(project_id);

CREATE TABLE reporting_period (
  id           TEXT PRIMARY KEY,
  owner_gad    TEXT NOT NULL,
  indicator_id TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  target_value REAL,
  hlc          INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK (period_end >= period_start)
) STRICT;
CREATE INDEX reporting_period_indicator ON reporting_period(indicator_id);

CREATE TABLE monitoring_report (
  id           TEXT PRIMARY KEY,
  owner_gad    TEXT NOT NULL,
  project_id   TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end   TEXT NOT NULL,
  kind         TEXT NOT NULL DEFAULT 'seguimiento' CHECK (kind IN ('seguimiento',
                 'evaluacion_intermedia','evaluacion_final','cierre')),
  status       TEXT NOT NULL DEFAULT 'borrador' CHECK (status IN ('borrador','enviado',
                 'observado','aprobado')),
  narrative    TEXT,
  lessons      TEXT,
  hlc          INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK (period_end >= period_start)
) STRICT;
CREATE INDEX monitoring_report_project ON monitoring_report(project_id);

CREATE TABLE observation (
  id           TEXT PRIMARY KEY,
  owner_gad    TEXT NOT NULL,
  indicator_id TEXT NOT NULL,
  period_id    TEXT,
  report_id    TEXT,
  observed_on  TEXT NOT NULL,
  value        REAL NOT NULL,
  territory    TEXT REFERENCES territorial_unit(code),
  lat          REAL,
  lon          REAL,
  accuracy_m   REAL CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
  sex          TEXT CHECK (sex IN ('mujer','hombre','otro')),
  age_group    TEXT,
  collected_by TEXT,
  device_id    TEXT NOT NULL,
  note         TEXT,
  hlc          INTEGER NOT NULL,
  deleted      INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1)),
  CHECK ((lat IS NULL) = (lon IS NULL)),
  CHECK (lat IS NULL OR (lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180))
) STRICT;
CREATE INDEX observation_indicator ON observation(indicator_id, observed_on);

------------------------------------------------------------------------------ change capture
-- Every local write to a GAD-owned table appends here in the same transaction (store API).
-- seq is the device sequence: AUTOINCREMENT so a number is never reused after acked entries
-- are removed. op: 1 = upsert (fields = msgpack map of the columns written), 2 = delete.
-- base tells the server what this device had seen, so it can tell concurrent edits apart;
-- wall lets the device re-stamp unsent changes once it learns its clock was wrong.
CREATE TABLE outbox (
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  tbl    TEXT NOT NULL,
  row_id TEXT NOT NULL,
  op     INTEGER NOT NULL CHECK (op IN (1,2)),
  hlc       INTEGER NOT NULL,
  owner_gad TEXT NOT NULL,
  base      INTEGER NOT NULL DEFAULT 0,  -- the pull cursor when the change was made
  wall      INTEGER NOT NULL DEFAULT 0,  -- the raw local wall clock (ms) when it was made
  fields    BLOB NOT NULL
) STRICT;
