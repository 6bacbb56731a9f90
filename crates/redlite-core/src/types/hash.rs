//! Hashes: one row per field in `hashes`, primary key (key_id, field).
//!
//! Fields come back in field byte order (the primary key's order): HGETALL, HKEYS,
//! HVALS and HSCAN all walk it. The element count lives in `keys.len`, kept by the
//! caller through `keyspace::set_len`; nothing here touches the `keys` table.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::types::{put_blob, Reader};

/// Redis 7.0's `hash-max-listpack-entries` and `hash-max-listpack-value` defaults.
const LISTPACK_MAX_ENTRIES: i64 = 512;
const LISTPACK_MAX_VALUE: i64 = 64;

/// The value of `field`, if the hash has it.
pub fn get(conn: &Connection, id: i64, field: &[u8]) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT value FROM hashes WHERE key_id = ?1 AND field = ?2")?
        .query_row(params![id, field], |r| r.get(0))
        .optional()?)
}

/// True if the hash has `field`.
pub fn exists(conn: &Connection, id: i64, field: &[u8]) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM hashes WHERE key_id = ?1 AND field = ?2")?
        .query_row(params![id, field], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The length in bytes of `field`'s value; 0 if there is no such field.
pub fn value_len(conn: &Connection, id: i64, field: &[u8]) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT length(value) FROM hashes WHERE key_id = ?1 AND field = ?2")?
        .query_row(params![id, field], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Set `field` to `value`; true if the field is new.
pub fn put(conn: &Connection, id: i64, field: &[u8], value: &[u8]) -> Result<bool> {
    if put_new(conn, id, field, value)? {
        return Ok(true);
    }
    crate::db::execute_hot(
        conn,
        "UPDATE hashes SET value = ?3 WHERE key_id = ?1 AND field = ?2",
        params![id, field, value],
    )?;
    Ok(false)
}

/// Set `field` to `value` only if the hash has no such field; true if it was added.
pub fn put_new(conn: &Connection, id: i64, field: &[u8], value: &[u8]) -> Result<bool> {
    let n = crate::db::execute_hot(
        conn,
        "INSERT OR IGNORE INTO hashes (key_id, field, value) VALUES (?1, ?2, ?3)",
        params![id, field, value],
    )?;
    Ok(n == 1)
}

/// Remove `field`; true if it was there.
pub fn remove(conn: &Connection, id: i64, field: &[u8]) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM hashes WHERE key_id = ?1 AND field = ?2")?
        .execute(params![id, field])?;
    Ok(n == 1)
}

/// Every (field, value), in field order.
pub fn all(conn: &Connection, id: i64) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let rows = conn
        .prepare_cached("SELECT field, value FROM hashes WHERE key_id = ?1 ORDER BY field")?
        .query_map(params![id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Every field, in field order.
pub fn fields(conn: &Connection, id: i64) -> Result<Vec<Vec<u8>>> {
    let rows = conn
        .prepare_cached("SELECT field FROM hashes WHERE key_id = ?1 ORDER BY field")?
        .query_map(params![id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Every value, in field order.
pub fn values(conn: &Connection, id: i64) -> Result<Vec<Vec<u8>>> {
    let rows = conn
        .prepare_cached("SELECT value FROM hashes WHERE key_id = ?1 ORDER BY field")?
        .query_map(params![id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Up to `limit` (field, value) pairs from position `offset` of the field order
/// (HSCAN of a listpack hash, HRANDFIELD's picks).
pub fn page(
    conn: &Connection,
    id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let rows = conn
        .prepare_cached(
            "SELECT field, value FROM hashes WHERE key_id = ?1 ORDER BY field LIMIT ?3 OFFSET ?2",
        )?
        .query_map(params![id, offset, limit], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Fields from `from` on, in field order (HSCAN's pages), with their values, while
/// `keep(field, taken so far)` says so; also the first field refused, if any.
pub fn fields_from(
    conn: &Connection,
    id: i64,
    from: &[u8],
    mut keep: impl FnMut(&[u8], usize) -> bool,
) -> Result<super::ScanPage<(Vec<u8>, Vec<u8>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT field, value FROM hashes WHERE key_id = ?1 AND field >= ?2 ORDER BY field",
    )?;
    let mut rows = stmt.query(params![id, from])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let field: Vec<u8> = row.get(0)?;
        if !keep(&field, out.len()) {
            return Ok((out, Some(field)));
        }
        out.push((field, row.get(1)?));
    }
    Ok((out, None))
}

/// `count` distinct (field, value) pairs chosen at random (HRANDFIELD with a positive
/// count smaller than the hash), in random order.
pub fn sample(conn: &Connection, id: i64, count: i64) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let rows = conn
        .prepare_cached(
            "SELECT field, value FROM hashes WHERE key_id = ?1 ORDER BY random() LIMIT ?2",
        )?
        .query_map(params![id, count], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Remove every element of key `id`.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM hashes WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Give key `to` (empty) a copy of the elements of key `from` (COPY).
pub fn copy(conn: &Connection, from: i64, to: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO hashes (key_id, field, value) SELECT ?2, field, value FROM hashes \
         WHERE key_id = ?1",
    )?
    .execute(params![from, to])?;
    Ok(())
}

/// Append the DUMP encoding of key `id`'s elements to `out` (see types/mod.rs):
/// field, value, field, value, ... in field order.
pub fn dump(conn: &Connection, id: i64, out: &mut Vec<u8>) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT field, value FROM hashes WHERE key_id = ?1 ORDER BY field")?;
    let mut rows = stmt.query(params![id])?;
    while let Some(row) = rows.next()? {
        let (field, value): (Vec<u8>, Vec<u8>) = (row.get(0)?, row.get(1)?);
        put_blob(out, &field);
        put_blob(out, &value);
    }
    Ok(())
}

/// Store the elements of a DUMP payload as key `id`'s (empty); returns their count.
/// A payload repeating a field is "Bad data format", as Redis rejects duplicates.
pub fn restore(conn: &Connection, id: i64, body: &mut Reader<'_>) -> Result<i64> {
    let mut n = 0;
    while !body.is_empty() {
        let field = body.blob()?;
        let value = body.blob()?;
        if !put_new(conn, id, field, value)? {
            return Err(Error::redis("ERR Bad data format"));
        }
        n += 1;
    }
    Ok(n)
}

/// OBJECT ENCODING, as Redis 7.0 would choose for this key of `len` elements:
/// "listpack" while it has at most 512 fields and no field or value longer than 64
/// bytes, else "hashtable" (Redis 7.0.15's defaults, as its CONFIG GET reports them).
///
/// An approximation: Redis converts a hash to a hashtable once, when it outgrows the
/// listpack, and never back; this looks only at the hash as it is now, so a hash that
/// grew and then shrank reads "listpack" here where Redis still says "hashtable".
pub fn encoding(conn: &Connection, id: i64, len: i64) -> Result<&'static str> {
    if len > LISTPACK_MAX_ENTRIES {
        return Ok("hashtable");
    }
    let longest: Option<i64> = conn
        .prepare_cached(
            "SELECT max(max(length(field)), max(length(value))) FROM hashes WHERE key_id = ?1",
        )?
        .query_row(params![id], |r| r.get(0))?;
    Ok(if longest.unwrap_or(0) > LISTPACK_MAX_VALUE {
        "hashtable"
    } else {
        "listpack"
    })
}
