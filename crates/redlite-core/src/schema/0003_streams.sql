-- Streams and their consumer groups.
--
-- A stream id is two u64 (ms, seq). SQLite integers are i64, so every id column holds
-- a u64 with its top bit flipped (`u ^ 2^63`, read as i64): the stored integers sort
-- exactly as the ids do, 0-0 first and 18446744073709551615-18446744073709551615 last.
-- `keys.len` is the stream's length (XLEN); an empty stream stays a key, as in Redis.

-- What Redis keeps beside the entries of a stream.
CREATE TABLE stream_meta (
    key_id     INTEGER PRIMARY KEY,
    last_ms    INTEGER NOT NULL,  -- last-generated-id: ids only grow past it
    last_seq   INTEGER NOT NULL,
    maxdel_ms  INTEGER NOT NULL,  -- max-deleted-entry-id (0-0: none)
    maxdel_seq INTEGER NOT NULL,
    added      INTEGER NOT NULL   -- entries-added: every entry ever appended
);

-- One row per live entry; its field/value pairs in one BLOB (see types/stream.rs).
CREATE TABLE stream_entries (
    key_id INTEGER NOT NULL,
    ms     INTEGER NOT NULL,
    seq    INTEGER NOT NULL,
    pairs  BLOB    NOT NULL,
    PRIMARY KEY (key_id, ms, seq)
) WITHOUT ROWID;

-- Redis's macro nodes (one listpack each), kept as bookkeeping only: which id each
-- starts at (its master id), the last id appended to it, its live and deleted entry
-- counts, its listpack size in bytes and its master fields. Approximate trimming
-- (MAXLEN ~, MINID ~) removes whole nodes, and XINFO STREAM reports them.
CREATE TABLE stream_nodes (
    key_id   INTEGER NOT NULL,
    ms       INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    last_ms  INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    live     INTEGER NOT NULL,
    deleted  INTEGER NOT NULL,
    bytes    INTEGER NOT NULL,
    fields   BLOB    NOT NULL,
    PRIMARY KEY (key_id, ms, seq)
) WITHOUT ROWID;

-- Consumer groups. entries_read is -1 when unknown (Redis's SCG_INVALID_ENTRIES_READ).
CREATE TABLE stream_groups (
    id           INTEGER PRIMARY KEY,
    key_id       INTEGER NOT NULL,
    name         BLOB    NOT NULL,
    last_ms      INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL,
    entries_read INTEGER NOT NULL
);
CREATE UNIQUE INDEX stream_groups_by_name ON stream_groups (key_id, name);

CREATE TABLE stream_consumers (
    id       INTEGER PRIMARY KEY,
    key_id   INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    name     BLOB    NOT NULL,
    seen_at  INTEGER NOT NULL  -- unix ms of its last read or claim
);
CREATE UNIQUE INDEX stream_consumers_by_name ON stream_consumers (key_id, group_id, name);

-- Pending entries lists: one row per entry delivered to a group and not yet acked,
-- with the consumer that holds it. A consumer's own PEL is the index below.
CREATE TABLE stream_pel (
    key_id       INTEGER NOT NULL,
    group_id     INTEGER NOT NULL,
    ms           INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    consumer_id  INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL,  -- unix ms of the last delivery
    deliveries   INTEGER NOT NULL,
    PRIMARY KEY (key_id, group_id, ms, seq)
) WITHOUT ROWID;
CREATE INDEX stream_pel_by_consumer ON stream_pel (consumer_id, ms, seq);
