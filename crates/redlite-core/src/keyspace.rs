//! The `keys` table: lookup, type checks, expiry and versions.
//!
//! An expired key is never visible: every lookup filters on `expire_at`. Inside a
//! write transaction a lookup that meets an expired key deletes it (lazy expiry);
//! the sweeper in `db.rs` removes the rest.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{msg, Error, Result};
use crate::types;

/// The Redis type of a key, as stored in `keys.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String = 0,
    List = 1,
    Set = 2,
    ZSet = 3,
    Hash = 4,
    Stream = 5,
}

impl KeyType {
    pub fn from_i64(n: i64) -> Option<KeyType> {
        Some(match n {
            0 => KeyType::String,
            1 => KeyType::List,
            2 => KeyType::Set,
            3 => KeyType::ZSet,
            4 => KeyType::Hash,
            5 => KeyType::Stream,
            _ => return None,
        })
    }

    /// The name TYPE answers and SCAN ... TYPE takes.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::String => "string",
            KeyType::List => "list",
            KeyType::Set => "set",
            KeyType::ZSet => "zset",
            KeyType::Hash => "hash",
            KeyType::Stream => "stream",
        }
    }

    pub fn from_name(name: &[u8]) -> Option<KeyType> {
        let lower = name.to_ascii_lowercase();
        [
            KeyType::String,
            KeyType::List,
            KeyType::Set,
            KeyType::ZSet,
            KeyType::Hash,
            KeyType::Stream,
        ]
        .into_iter()
        .find(|t| t.name().as_bytes() == lower.as_slice())
    }
}

/// One live key's row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyMeta {
    pub id: i64,
    pub ktype: KeyType,
    /// Unix ms, or `None` for no expiry.
    pub expire_at: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// Where a lookup happens: the database number, the clock of the command, and whether
/// the transaction may write (and so delete an expired key it meets).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub conn: &'a Connection,
    pub db: u32,
    pub now: i64,
    pub writable: bool,
}

const SELECT_KEY: &str = "SELECT id, type, expire_at, version, created_at, updated_at \
     FROM keys WHERE db = ?1 AND key = ?2";

fn row_to_meta(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyMeta> {
    let t: i64 = r.get(1)?;
    Ok(KeyMeta {
        id: r.get(0)?,
        ktype: KeyType::from_i64(t).unwrap_or(KeyType::String),
        expire_at: r.get(2)?,
        version: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
    })
}

/// The live key `key`, if any.
pub fn lookup(s: Scope<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    let meta = s
        .conn
        .prepare_cached(SELECT_KEY)?
        .query_row(params![s.db, key], row_to_meta)
        .optional()?;
    match meta {
        Some(m) if m.expire_at.is_some_and(|t| t <= s.now) => {
            if s.writable {
                delete(s.conn, &m)?;
            }
            Ok(None)
        }
        other => Ok(other),
    }
}

/// The live key `key` if it holds `want`; WRONGTYPE if it holds another type.
pub fn lookup_typed(s: Scope<'_>, key: &[u8], want: KeyType) -> Result<Option<KeyMeta>> {
    match lookup(s, key)? {
        Some(m) if m.ktype != want => Err(Error::redis(msg::WRONGTYPE)),
        other => Ok(other),
    }
}

/// Insert a new key row; the caller has checked that no live key has this name.
pub fn create(s: Scope<'_>, key: &[u8], ktype: KeyType, expire_at: Option<i64>) -> Result<i64> {
    s.conn
        .prepare_cached(
            "INSERT INTO keys (db, key, type, expire_at, version, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
        )?
        .execute(params![s.db, key, ktype as i64, expire_at, s.now])?;
    Ok(s.conn.last_insert_rowid())
}

/// Record a write to the key: bump its version and `updated_at`.
pub fn touch(s: Scope<'_>, id: i64) -> Result<()> {
    s.conn
        .prepare_cached("UPDATE keys SET version = version + 1, updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, s.now])?;
    Ok(())
}

/// Record a write that also sets (or clears) the expiry.
pub fn touch_expire(s: Scope<'_>, id: i64, expire_at: Option<i64>) -> Result<()> {
    s.conn
        .prepare_cached(
            "UPDATE keys SET version = version + 1, updated_at = ?2, expire_at = ?3 WHERE id = ?1",
        )?
        .execute(params![id, s.now, expire_at])?;
    Ok(())
}

/// Turn an existing key into a fresh key of another type (SET over a list, say):
/// its old contents go, its row stays (so its version keeps counting up).
pub fn retype(s: Scope<'_>, meta: &KeyMeta, ktype: KeyType, expire_at: Option<i64>) -> Result<()> {
    types::delete_contents(s.conn, meta.id, meta.ktype)?;
    s.conn
        .prepare_cached(
            "UPDATE keys SET version = version + 1, updated_at = ?2, expire_at = ?3, type = ?4 \
             WHERE id = ?1",
        )?
        .execute(params![meta.id, s.now, expire_at, ktype as i64])?;
    Ok(())
}

/// Delete a key and its contents.
pub fn delete(conn: &Connection, meta: &KeyMeta) -> Result<()> {
    types::delete_contents(conn, meta.id, meta.ktype)?;
    conn.prepare_cached("DELETE FROM keys WHERE id = ?1")?
        .execute(params![meta.id])?;
    Ok(())
}

/// Delete the live key `key`; true if there was one.
pub fn delete_key(s: Scope<'_>, key: &[u8]) -> Result<bool> {
    match lookup(s, key)? {
        Some(m) => {
            delete(s.conn, &m)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// Delete up to `limit` keys whose expiry has passed, in any database.
pub fn delete_expired(conn: &Connection, now: i64, limit: usize) -> Result<usize> {
    let expired: Vec<KeyMeta> = conn
        .prepare_cached(
            "SELECT id, type, expire_at, version, created_at, updated_at FROM keys \
             WHERE expire_at IS NOT NULL AND expire_at <= ?1 LIMIT ?2",
        )?
        .query_map(params![now, limit as i64], row_to_meta)?
        .collect::<rusqlite::Result<_>>()?;
    for m in &expired {
        delete(conn, m)?;
    }
    Ok(expired.len())
}

/// Delete every key of database `db` (FLUSHDB), or of all databases (`None`).
pub fn flush(conn: &Connection, db: Option<u32>) -> Result<()> {
    match db {
        Some(db) => {
            types::delete_contents_of_db(conn, db)?;
            conn.prepare_cached("DELETE FROM keys WHERE db = ?1")?
                .execute(params![db])?;
        }
        None => {
            types::delete_all_contents(conn)?;
            conn.execute("DELETE FROM keys", [])?;
        }
    }
    Ok(())
}
