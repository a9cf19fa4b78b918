-- minga central store, version 5: look a row up by id alone, whatever its table. A push checks
-- that every reference it writes (a column ending in _id) does not point to a row of another
-- GAD (shared/src/central_push.cpp); without this index that check would scan change_index.
CREATE INDEX change_index_row ON change_index(row_id);
