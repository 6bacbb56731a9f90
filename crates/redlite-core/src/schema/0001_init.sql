-- The keyspace: one row per live key. `id` is AUTOINCREMENT so that an id is never
-- reused: (id, version) names one state of one key for ever, which WATCH relies on.
CREATE TABLE keys (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    db         INTEGER NOT NULL,
    key        BLOB    NOT NULL,
    type       INTEGER NOT NULL,  -- 0 string, 1 list, 2 set, 3 zset, 4 hash, 5 stream
    expire_at  INTEGER,           -- unix ms; NULL = no expiry
    version    INTEGER NOT NULL,  -- bumped by every write to the key
    created_at INTEGER NOT NULL,  -- unix ms
    updated_at INTEGER NOT NULL   -- unix ms
);
CREATE UNIQUE INDEX keys_db_key ON keys (db, key);
CREATE INDEX keys_expire_at ON keys (expire_at) WHERE expire_at IS NOT NULL;

-- Strings: the value of each string key. `raw` is 1 once the value was edited in
-- place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP's result), which Redis reports as
-- OBJECT ENCODING "raw" whatever the value; a whole-value write resets it.
CREATE TABLE strings (
    key_id INTEGER PRIMARY KEY,
    value  BLOB NOT NULL,
    raw    INTEGER NOT NULL DEFAULT 0
);
