-- minga replica schema, version 4: a snapshot in progress.
-- A device whose pull cursor is behind the server's tombstone horizon receives a snapshot of its
-- scope instead of incremental pages. Each delivered row is remembered here until the last page,
-- whose transaction removes the local rows of the scope the snapshot did not deliver (except
-- rows with unsent changes) and empties this table. An interrupted snapshot resumes from
-- replica_meta 'snapshot_cursor' and never removes anything. Unused on the server.
CREATE TABLE snapshot_seen (
  tbl    TEXT NOT NULL,
  row_id TEXT NOT NULL,
  PRIMARY KEY (tbl, row_id)
) STRICT, WITHOUT ROWID;
