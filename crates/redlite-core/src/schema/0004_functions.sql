-- FUNCTION libraries (FUNCTION LOAD), kept with the data as Redis keeps them in its
-- RDB: one row per library, its code exactly as loaded. The functions are compiled
-- from it when a Db first runs a script or a FUNCTION command.
CREATE TABLE functions (
    name TEXT PRIMARY KEY,
    code BLOB NOT NULL
);
