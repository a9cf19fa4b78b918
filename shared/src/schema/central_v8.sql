-- minga central store, version 8: the consolidation's incremental totals (report helper).
-- Server only, never synced.

-- The currencies an incremental run lists as unconverted, read from the few projects that have
-- some instead of a scan of every report row (docs/consolidation.md, "Incremental runs").
CREATE INDEX rpt_project_unconverted ON rpt_project(unconverted_currencies)
  WHERE unconverted_currencies <> '';

-- The co-financing dedup reads the head of every live project and the reference of every live
-- agreement on each run: covering indexes, so it reads these narrow entries instead of the
-- wide rows (titles, descriptions, objectives). `deleted` comes last: leading with it (or a
-- partial index on `deleted = 0`) would make SQLite, which has no statistics here, walk every
-- live project to find a few by id (measured: the incremental run's indicator step got slower).
CREATE INDEX project_dedup_head ON project(agreement_id, owner_gad, id, deleted);
CREATE INDEX agreement_dedup_key ON agreement(reference, id, deleted);
