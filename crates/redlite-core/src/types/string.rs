//! Strings: one row per key in `strings`, the value as a BLOB.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// The value of string key `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    let v: Option<Vec<u8>> = conn
        .prepare_cached("SELECT value FROM strings WHERE key_id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    Ok(v.unwrap_or_default())
}

/// Set the value of string key `id`.
pub fn put(conn: &Connection, id: i64, value: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO strings (key_id, value) VALUES (?1, ?2)")?
        .execute(params![id, value])?;
    Ok(())
}

/// The length of string key `id`, without reading the value.
pub fn len(conn: &Connection, id: i64) -> Result<i64> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT length(value) FROM strings WHERE key_id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    Ok(n.unwrap_or(0))
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM strings WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}
