//! Hashes: one row per field in `hashes`.

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::types::Reader;

/// Remove every element of key `id`.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM hashes WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Give key `to` (empty) a copy of the elements of key `from` (COPY).
pub fn copy(_conn: &Connection, _from: i64, _to: i64) -> Result<()> {
    Err(Error::redis("ERR COPY of a hash key is not supported yet"))
}

/// Append the DUMP encoding of key `id`'s elements to `out` (see types/mod.rs).
pub fn dump(_conn: &Connection, _id: i64, _out: &mut Vec<u8>) -> Result<()> {
    Err(Error::redis("ERR DUMP of a hash key is not supported yet"))
}

/// Store the elements of a DUMP payload as key `id`'s (empty); returns their count.
pub fn restore(_conn: &Connection, _id: i64, _body: &mut Reader<'_>) -> Result<i64> {
    Err(Error::redis("ERR RESTORE of a hash key is not supported yet"))
}

/// OBJECT ENCODING, as Redis 7.0 would choose for this key of `len` elements.
pub fn encoding(_conn: &Connection, _id: i64, _len: i64) -> Result<&'static str> {
    Err(Error::redis("ERR OBJECT ENCODING of a hash key is not supported yet"))
}
