//! Strings: the value of a string key is a BLOB in its own `keys` row (`value`, with
//! `raw`; see migration 0005), so a SET writes one row.
//!
//! Partial reads and writes (GETRANGE, SETRANGE, GETBIT, SETBIT, BITFIELD ...) go
//! through SQLite's incremental blob I/O: reading or overwriting a few bytes of a
//! large value costs those bytes, not a copy of the value. Only growing a value
//! rewrites it, in SQL (`||`, `zeroblob`); SQLite's `||` yields TEXT, so every such
//! write casts back to BLOB, which keeps the bytes as they are.

use rusqlite::{params, Connection, OptionalExtension, MAIN_DB};

use crate::error::Result;

/// Redis's default `proto-max-bulk-len` (512 MB): no string may grow beyond it.
pub const MAX_LEN: i64 = 512 * 1024 * 1024;

/// The value of string key `id`.
pub fn get(conn: &Connection, id: i64) -> Result<Vec<u8>> {
    let v: Option<Vec<u8>> = conn
        .prepare_cached("SELECT value FROM keys WHERE id = ?1")?
        .query_row(params![id], |r| r.get::<_, Option<Vec<u8>>>(0))
        .optional()?
        .flatten();
    Ok(v.unwrap_or_default())
}

/// The value of string key `id` if it is at most `max` bytes long; `None` if longer
/// (INCR and INCRBYFLOAT reject long values without reading them).
pub fn get_short(conn: &Connection, id: i64, max: i64) -> Result<Option<Vec<u8>>> {
    let v: Option<Option<Vec<u8>>> = conn
        .prepare_cached(
            "SELECT CASE WHEN length(value) <= ?2 THEN coalesce(value, x'') END FROM keys \
             WHERE id = ?1",
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
    conn.prepare_cached("UPDATE keys SET value = ?2, raw = 0 WHERE id = ?1")?
        .execute(params![id, value])?;
    Ok(())
}

/// Set the value of string key `id` to `len` zero bytes.
pub fn put_zeros(conn: &Connection, id: i64, len: i64) -> Result<()> {
    conn.prepare_cached("UPDATE keys SET value = zeroblob(?2), raw = 0 WHERE id = ?1")?
        .execute(params![id, len])?;
    Ok(())
}

/// The length of string key `id`, without reading the value.
pub fn len(conn: &Connection, id: i64) -> Result<i64> {
    let n: Option<i64> = conn
        .prepare_cached("SELECT length(value) FROM keys WHERE id = ?1")?
        .query_row(params![id], |r| r.get::<_, Option<i64>>(0))
        .optional()?
        .flatten();
    Ok(n.unwrap_or(0))
}

/// `count` bytes of string key `id` from byte `start` (0-based); fewer if the value
/// ends first.
pub fn range(conn: &Connection, id: i64, start: i64, count: i64) -> Result<Vec<u8>> {
    let blob = match conn.blob_open(MAIN_DB, "keys", "value", id, true) {
        Ok(b) => b,
        Err(rusqlite::Error::SqliteFailure(_, _)) if !exists(conn, id)? => return Ok(Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let len = blob.len() as i64;
    if start < 0 || count <= 0 || start >= len {
        return Ok(Vec::new());
    }
    let mut buf = vec![0u8; count.min(len - start) as usize];
    blob.read_at_exact(&mut buf, start as usize)?;
    Ok(buf)
}

fn exists(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM keys WHERE id = ?1 AND value IS NOT NULL")?
        .query_row(params![id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// How Redis holds a string value, as far as OBJECT ENCODING can tell (the `raw`
/// column): as a whole-value write leaves it (SET tries "int", then "embstr"), or
/// edited in place ("raw" whatever it holds), or made by INCRBYFLOAT (a plain string:
/// "embstr" while short, never "int").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Encoded = 0,
    Raw = 1,
    Plain = 2,
}

/// The form of string key `id`.
pub fn form(conn: &Connection, id: i64) -> Result<Form> {
    let raw: Option<i64> = conn
        .prepare_cached("SELECT raw FROM keys WHERE id = ?1")?
        .query_row(params![id], |r| r.get(0))
        .optional()?;
    Ok(match raw {
        Some(1) => Form::Raw,
        Some(2) => Form::Plain,
        _ => Form::Encoded,
    })
}

/// Record the form of string key `id` (a whole-value write resets it to `Encoded`).
pub fn set_form(conn: &Connection, id: i64, form: Form) -> Result<()> {
    conn.prepare_cached("UPDATE keys SET raw = ?2 WHERE id = ?1")?
        .execute(params![id, form as i64])?;
    Ok(())
}

/// Record that string key `id` was edited in place: Redis then holds it "raw".
pub fn mark_raw(conn: &Connection, id: i64) -> Result<()> {
    set_form(conn, id, Form::Raw)
}

/// Append `tail` to string key `id`; returns the new length.
pub fn append(conn: &Connection, id: i64, tail: &[u8]) -> Result<i64> {
    let len = len(conn, id)?;
    write_at(conn, id, len, tail)
}

/// Overwrite string key `id` with `bytes` from byte `offset`, zero-padding the value
/// first if it is shorter than `offset`; returns the new length (SETRANGE).
pub fn write_at(conn: &Connection, id: i64, offset: i64, bytes: &[u8]) -> Result<i64> {
    mark_raw(conn, id)?;
    let len = len(conn, id)?;
    let end = offset + bytes.len() as i64;
    if end > len && len < SMALL {
        // A small value that grows: rebuilt in one statement. (`substr` of an empty
        // blob is NULL, hence the `coalesce`.)
        let n: i64 = conn
            .prepare_cached(
                "UPDATE keys SET value = CAST(coalesce(substr(value, 1, ?2), x'') \
                     || zeroblob(max(?2 - coalesce(length(value), 0), 0)) || ?3 AS BLOB) \
                 WHERE id = ?1 RETURNING length(value)",
            )?
            .query_row(params![id, offset, bytes], |r| r.get(0))?;
        return Ok(n);
    }
    if end > len {
        resize(conn, id, len, end)?;
    }
    if !bytes.is_empty() {
        let mut blob = conn.blob_open(MAIN_DB, "keys", "value", id, false)?;
        blob.write_at(bytes, offset as usize)?;
    }
    Ok(end.max(len))
}

/// Zero-pad string key `id` to at least `len` bytes (SETBIT, BITFIELD); true if it grew.
pub fn grow(conn: &Connection, id: i64, len: i64) -> Result<bool> {
    let current = self::len(conn, id)?;
    if current >= len {
        return Ok(false);
    }
    resize(conn, id, current, len)?;
    Ok(true)
}

/// Values below this size grow by rewriting them in one SQL statement; larger ones
/// through `resize`, which copies them fewer times.
const SMALL: i64 = 1 << 20;

/// Grow string key `id` from `len` to `new_len` bytes, zero-padded. SQLite cannot
/// extend a blob in place, so the value is rewritten: for a small value by
/// concatenation in SQL; for a large one by storing a zero blob of the new size and
/// copying the old bytes into it (several times faster than `||` on hundreds of MB).
fn resize(conn: &Connection, id: i64, len: i64, new_len: i64) -> Result<()> {
    if len < SMALL {
        conn.prepare_cached(
            "UPDATE keys SET value = CAST(coalesce(value, x'') \
                 || zeroblob(?2 - coalesce(length(value), 0)) AS BLOB) WHERE id = ?1",
        )?
        .execute(params![id, new_len])?;
        return Ok(());
    }
    let old = get(conn, id)?;
    put_zeros(conn, id, new_len)?;
    let mut blob = conn.blob_open(MAIN_DB, "keys", "value", id, false)?;
    blob.write_at(&old, 0)?;
    Ok(())
}

/// Clear the value of key `id` (it is deleted, or becomes another type).
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("UPDATE keys SET value = NULL, raw = 0 WHERE id = ?1")?
        .execute(params![id])?;
    Ok(())
}
