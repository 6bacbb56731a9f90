//! Strings: one row per key in `strings`, the value as a BLOB.
//!
//! Partial reads and writes (GETRANGE, SETRANGE, APPEND, the bit commands) are done
//! by SQLite on the stored blob (`substr`, `||`, `zeroblob`), so a command that
//! touches a few bytes does not carry the whole value through Rust. SQLite's `||`
//! yields TEXT; every write casts back to BLOB, which keeps the bytes as they are.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::Result;

/// Redis's default `proto-max-bulk-len` (512 MB): no string may grow beyond it.
pub const MAX_LEN: i64 = 512 * 1024 * 1024;

/// The value of string key `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    let v: Option<Vec<u8>> = conn
        .prepare_cached("SELECT value FROM strings WHERE key_id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    Ok(v.unwrap_or_default())
}

/// The value of string key `id` if it is at most `max` bytes long; `None` if longer
/// (INCR and INCRBYFLOAT reject long values without reading them).
pub fn get_short(conn: &Connection, id: i64, max: i64) -> Result<Option<Vec<u8>>> {
    let v: Option<Option<Vec<u8>>> = conn
        .prepare_cached(
            "SELECT CASE WHEN length(value) <= ?2 THEN value END FROM strings WHERE key_id = ?1",
        )?
        .query_row(params![id, max], |r| r.get(0))
        .optional()?;
    Ok(match v {
        Some(inner) => inner,
        None => Some(Vec::new()),
    })
}

/// Set the value of string key `id`.
pub fn put(conn: &Connection, id: i64, value: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO strings (key_id, value) VALUES (?1, ?2)")?
        .execute(params![id, value])?;
    Ok(())
}

/// Set the value of string key `id` to `len` zero bytes.
pub fn put_zeros(conn: &Connection, id: i64, len: i64) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO strings (key_id, value) VALUES (?1, zeroblob(?2))")?
        .execute(params![id, len])?;
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

/// `count` bytes of string key `id` from byte `start` (0-based); fewer if the value
/// ends first.
pub fn range(conn: &Connection, id: i64, start: i64, count: i64) -> Result<Vec<u8>> {
    let v: Option<Option<Vec<u8>>> = conn
        .prepare_cached("SELECT substr(value, ?2 + 1, ?3) FROM strings WHERE key_id = ?1")?
        .query_row(params![id, start, count], |r| r.get(0))
        .optional()?;
    Ok(v.flatten().unwrap_or_default())
}

/// Append `tail` to string key `id`; returns the new length.
pub fn append(conn: &Connection, id: i64, tail: &[u8]) -> Result<i64> {
    let n: i64 = conn
        .prepare_cached(
            "UPDATE strings SET value = CAST(value || ?2 AS BLOB) WHERE key_id = ?1 \
             RETURNING length(value)",
        )?
        .query_row(params![id, tail], |r| r.get(0))?;
    Ok(n)
}

/// Overwrite string key `id` with `bytes` from byte `offset`, zero-padding the value
/// first if it is shorter than `offset`; returns the new length (SETRANGE).
/// (`substr` of an empty blob is NULL, hence the `coalesce`s.)
pub fn write_at(conn: &Connection, id: i64, offset: i64, bytes: &[u8]) -> Result<i64> {
    let n: i64 = conn
        .prepare_cached(
            "UPDATE strings SET value = CAST( \
                 coalesce(substr(value, 1, ?2), x'') || zeroblob(max(?2 - length(value), 0)) \
                 || ?3 || coalesce(substr(value, ?2 + length(?3) + 1), x'') AS BLOB) \
             WHERE key_id = ?1 RETURNING length(value)",
        )?
        .query_row(params![id, offset, bytes], |r| r.get(0))?;
    Ok(n)
}

/// Zero-pad string key `id` to at least `len` bytes (SETBIT, BITFIELD); true if it grew.
pub fn grow(conn: &Connection, id: i64, len: i64) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE strings SET value = CAST(value || zeroblob(?2 - length(value)) AS BLOB) \
             WHERE key_id = ?1 AND length(value) < ?2",
        )?
        .execute(params![id, len])?;
    Ok(n > 0)
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM strings WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}
