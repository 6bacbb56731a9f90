-- Collections: hashes, lists, sets and sorted sets.
--
-- `keys.len` is the element count of a collection (HLEN, LLEN, SCARD, ZCARD read it,
-- never COUNT(*)); `keys.head` is, for a list, the position of its first element:
-- a list's elements sit at the contiguous positions head .. head + len - 1, so
-- LINDEX / LSET / LRANGE are primary-key look-ups.
ALTER TABLE keys ADD COLUMN len INTEGER NOT NULL DEFAULT 0;
ALTER TABLE keys ADD COLUMN head INTEGER NOT NULL DEFAULT 0;

CREATE TABLE hashes (
    key_id INTEGER NOT NULL,
    field  BLOB    NOT NULL,
    value  BLOB    NOT NULL,
    PRIMARY KEY (key_id, field)
) WITHOUT ROWID;

CREATE TABLE lists (
    key_id INTEGER NOT NULL,
    pos    INTEGER NOT NULL,
    value  BLOB    NOT NULL,
    PRIMARY KEY (key_id, pos)
) WITHOUT ROWID;

CREATE TABLE sets (
    key_id INTEGER NOT NULL,
    member BLOB    NOT NULL,
    PRIMARY KEY (key_id, member)
) WITHOUT ROWID;

-- Sorted sets order by score, then member bytes (memcmp), as Redis does.
CREATE TABLE zsets (
    key_id INTEGER NOT NULL,
    member BLOB    NOT NULL,
    score  REAL    NOT NULL,
    PRIMARY KEY (key_id, member)
) WITHOUT ROWID;
CREATE INDEX zsets_by_score ON zsets (key_id, score, member);
