-- minga replica schema, version 2: conflict records.
-- When two devices change the same field concurrently, the server keeps the losing value here.
-- Conflicts are GAD-owned rows like any other: created by the server, synced to the GAD's
-- devices, resolved by a person on any of them (status -> 'resuelto').
-- Values are msgpack-encoded so "keep mine" can write back exactly the typed value that lost.

CREATE TABLE conflict (
  id            TEXT PRIMARY KEY,
  owner_gad     TEXT NOT NULL,
  tbl           TEXT NOT NULL,
  row_id        TEXT NOT NULL,
  column_name   TEXT NOT NULL,
  winner_value  BLOB,
  loser_value   BLOB,
  winner_device TEXT NOT NULL,
  loser_device  TEXT NOT NULL,
  winner_hlc    INTEGER NOT NULL,
  loser_hlc     INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'abierto' CHECK (status IN ('abierto','resuelto')),
  resolution    TEXT CHECK (resolution IN ('ganador','perdedor')),
  hlc           INTEGER NOT NULL,
  deleted       INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0,1))
) STRICT;
CREATE INDEX conflict_row ON conflict(tbl, row_id);
