//! Sets: one row per member in `sets`, primary key (key_id, member).
//!
//! Members come back in member byte order (the primary key's order): SMEMBERS,
//! SSCAN and the set algebra all walk it. The element count lives in `keys.len`,
//! kept by the caller through `keyspace::set_len`; nothing here touches `keys`.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};
use crate::num::parse_i64;
use crate::types::{put_blob, Reader};

/// Redis 7.0's `set-max-intset-entries` default.
pub const INTSET_MAX_ENTRIES: i64 = 512;

/// Add `member`; true if it is new.
pub fn add(conn: &Connection, id: i64, member: &[u8]) -> Result<bool> {
    let n = crate::db::execute_hot(
        conn,
        "INSERT OR IGNORE INTO sets (key_id, member) VALUES (?1, ?2)",
        params![id, member],
    )?;
    Ok(n == 1)
}

/// Remove `member`; true if it was there.
pub fn remove(conn: &Connection, id: i64, member: &[u8]) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM sets WHERE key_id = ?1 AND member = ?2")?
        .execute(params![id, member])?;
    Ok(n == 1)
}

/// True if the set has `member`.
pub fn contains(conn: &Connection, id: i64, member: &[u8]) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sets WHERE key_id = ?1 AND member = ?2")?
        .query_row(params![id, member], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Every member, in member order.
pub fn members(conn: &Connection, id: i64) -> Result<Vec<Vec<u8>>> {
    let rows = conn
        .prepare_cached("SELECT member FROM sets WHERE key_id = ?1 ORDER BY member")?
        .query_map(params![id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Up to `limit` members from position `offset` of the member order (SRANDMEMBER's
/// picks).
pub fn page(conn: &Connection, id: i64, offset: i64, limit: i64) -> Result<Vec<Vec<u8>>> {
    let rows = conn
        .prepare_cached(
            "SELECT member FROM sets WHERE key_id = ?1 ORDER BY member LIMIT ?3 OFFSET ?2",
        )?
        .query_map(params![id, offset, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Members from `from` on, in member order (SSCAN's pages), while `keep(member, taken
/// so far)` says so; also the first member refused, if any.
pub fn members_from(
    conn: &Connection,
    id: i64,
    from: &[u8],
    mut keep: impl FnMut(&[u8], usize) -> bool,
) -> Result<super::ScanPage<Vec<u8>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT member FROM sets WHERE key_id = ?1 AND member >= ?2 ORDER BY member",
    )?;
    let mut rows = stmt.query(params![id, from])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let member: Vec<u8> = row.get(0)?;
        if !keep(&member, out.len()) {
            return Ok((out, Some(member)));
        }
        out.push(member);
    }
    Ok((out, None))
}

/// `count` distinct members chosen at random, in random order (SPOP, SRANDMEMBER).
pub fn sample(conn: &Connection, id: i64, count: i64) -> Result<Vec<Vec<u8>>> {
    let rows = conn
        .prepare_cached("SELECT member FROM sets WHERE key_id = ?1 ORDER BY random() LIMIT ?2")?
        .query_map(params![id, count], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Remove every element of key `id`.
pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM sets WHERE key_id = ?1")?
        .execute(params![id])?;
    Ok(())
}

/// Give key `to` (empty) a copy of the elements of key `from` (COPY).
pub fn copy(conn: &Connection, from: i64, to: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sets (key_id, member) SELECT ?2, member FROM sets WHERE key_id = ?1",
    )?
    .execute(params![from, to])?;
    Ok(())
}

/// Append the DUMP encoding of key `id`'s elements to `out` (see types/mod.rs): the
/// members, in member order.
pub fn dump(conn: &Connection, id: i64, out: &mut Vec<u8>) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("SELECT member FROM sets WHERE key_id = ?1 ORDER BY member")?;
    let mut rows = stmt.query(params![id])?;
    while let Some(row) = rows.next()? {
        let member: Vec<u8> = row.get(0)?;
        put_blob(out, &member);
    }
    Ok(())
}

/// Store the elements of a DUMP payload as key `id`'s (empty); returns their count.
/// A payload repeating a member is "Bad data format", as Redis rejects duplicates.
pub fn restore(conn: &Connection, id: i64, body: &mut Reader<'_>) -> Result<i64> {
    let mut n = 0;
    while !body.is_empty() {
        if !add(conn, id, body.blob()?)? {
            return Err(Error::redis("ERR Bad data format"));
        }
        n += 1;
    }
    Ok(n)
}

/// OBJECT ENCODING, as Redis 7.0 would choose for this key of `len` elements:
/// "intset" while it has at most 512 members and every one is an integer (as
/// `string2ll` reads it), else "hashtable" (7.0 has no listpack sets).
///
/// An approximation: Redis converts a set to a hashtable once, when a non-integer
/// member arrives or it outgrows the intset, and never back; this looks only at the
/// set as it is now, so a set that lost its non-integer members reads "intset" here
/// where Redis still says "hashtable".
pub fn encoding(conn: &Connection, id: i64, len: i64) -> Result<&'static str> {
    if len > INTSET_MAX_ENTRIES {
        return Ok("hashtable");
    }
    let all_integers = members(conn, id)?.iter().all(|m| parse_i64(m).is_some());
    Ok(if all_integers { "intset" } else { "hashtable" })
}
