-- minga central store, version 11: offline bundles (docs/bundles.md).

-- The device's public keys (protocol v3): Ed25519 to verify its bundles, X25519 to encrypt
-- the answers to it. Registered at enrolment, or by the first v3 hello of a device enrolled
-- before v3; NULL until then.
ALTER TABLE device ADD COLUMN sign_pk BLOB;
ALTER TABLE device ADD COLUMN box_pk BLOB;

-- Every bundle applied, by its device-side number: the chain. A bundle names the hash of the
-- device's previous bundle; the server compares it with the one it received under that number.
CREATE TABLE bundle_log (
  device_num  INTEGER NOT NULL,
  number      INTEGER NOT NULL,
  hash        TEXT NOT NULL,      -- BLAKE2b-256 of the whole bundle file, hex
  prev_hash   TEXT NOT NULL,      -- what the bundle says its predecessor's hash was ('' for 1)
  received_ms INTEGER NOT NULL,
  changes     INTEGER NOT NULL,   -- changes the bundle carried (applied or already applied)
  PRIMARY KEY (device_num, number)
) STRICT;

-- Bundles kept aside, never applied: from a revoked device (correctly signed, so they are its
-- data). An administrator reviews them with `minga-server bundle list-held`.
CREATE TABLE bundle_held (
  id          INTEGER PRIMARY KEY,
  device_id   TEXT NOT NULL,
  number      INTEGER NOT NULL,
  hash        TEXT NOT NULL UNIQUE,
  reason      TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  changes     INTEGER NOT NULL,
  file        BLOB NOT NULL       -- the bundle exactly as received (still encrypted)
) STRICT;
