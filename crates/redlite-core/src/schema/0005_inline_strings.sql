-- A string's value moves into its `keys` row: a SET then writes one table row (and,
-- for a new key, its index entry) instead of two rows in two tables, so its COMMIT
-- writes one WAL page fewer. `raw` keeps its meaning (see 0001): 1 once edited in
-- place, 2 when made by INCRBYFLOAT. Other types leave `value` NULL.
ALTER TABLE keys ADD COLUMN value BLOB;
ALTER TABLE keys ADD COLUMN raw INTEGER NOT NULL DEFAULT 0;
UPDATE keys
   SET value = (SELECT s.value FROM strings s WHERE s.key_id = keys.id),
       raw = coalesce((SELECT s.raw FROM strings s WHERE s.key_id = keys.id), 0)
 WHERE type = 0;
DROP TABLE strings;
