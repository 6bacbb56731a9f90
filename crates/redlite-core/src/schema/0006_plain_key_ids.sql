-- `keys.id` loses AUTOINCREMENT, which made every new key also write its
-- sqlite_sequence row: one more WAL page per new key. WATCH no longer needs ids that
-- are never reused, since a new key row's version starts at a random number (see
-- keyspace::create). Only the table's declaration changes, not its B-tree, so the
-- declaration is edited in place (SQLite's documented way for changes that leave the
-- stored format alone) instead of copying every row into a new table. The CREATE and
-- DROP after it change the schema cookie, which makes every connection, in any
-- process, read the new declaration.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'INTEGER PRIMARY KEY AUTOINCREMENT', 'INTEGER PRIMARY KEY')
 WHERE type = 'table' AND name = 'keys';
PRAGMA writable_schema = RESET;
DELETE FROM sqlite_sequence WHERE name = 'keys';
CREATE TABLE schema_cookie_bump (x);
DROP TABLE schema_cookie_bump;
