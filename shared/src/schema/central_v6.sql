-- minga central store, version 6: central users (the dashboard's people) and their sessions.
-- Server only, never synced. Only hashes of secrets and session tokens are stored
-- (shared/src/central_users.cpp); a secret is shown once by `minga-server user add`.

CREATE TABLE central_user (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  secret_hash TEXT NOT NULL UNIQUE,
  status      TEXT NOT NULL DEFAULT 'activo' CHECK (status IN ('activo','desactivado')),
  created_ms  INTEGER NOT NULL,
  last_login_ms INTEGER
) STRICT;

-- A signed-in browser: the cookie holds the token, the table its hash. Expired rows are
-- removed at the next sign-in.
CREATE TABLE user_session (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES central_user(id),
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX user_session_expires ON user_session(expires_ms);
