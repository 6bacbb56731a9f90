//! The `keys` table: lookup, type checks, expiry and versions.
//!
//! An expired key is never visible: every lookup filters on `expire_at`. Inside a
//! write transaction a lookup that meets an expired key deletes it (lazy expiry);
//! the sweeper in `db.rs` removes the rest.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{msg, Error, Result};
use crate::types;

/// The Redis type of a key, as stored in `keys.type`: the core types 0..=5, and an
/// extension's types (ext/mod.rs, `KeyTypeDef`) from `ext::FIRST_TYPE_CODE` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String,
    List,
    Set,
    ZSet,
    Hash,
    Stream,
    /// A type of an extension, by its code.
    Ext(u8),
}

impl KeyType {
    const CORE: [KeyType; 6] = [
        KeyType::String,
        KeyType::List,
        KeyType::Set,
        KeyType::ZSet,
        KeyType::Hash,
        KeyType::Stream,
    ];

    /// The type stored as `n`; `None` for a code this build does not know (an
    /// extension it was built without).
    pub fn from_i64(n: i64) -> Option<KeyType> {
        Some(match n {
            0 => KeyType::String,
            1 => KeyType::List,
            2 => KeyType::Set,
            3 => KeyType::ZSet,
            4 => KeyType::Hash,
            5 => KeyType::Stream,
            _ => {
                let code = u8::try_from(n).ok()?;
                crate::ext::key_type(code)?;
                KeyType::Ext(code)
            }
        })
    }

    /// What `keys.type` holds.
    pub fn code(self) -> i64 {
        match self {
            KeyType::String => 0,
            KeyType::List => 1,
            KeyType::Set => 2,
            KeyType::ZSet => 3,
            KeyType::Hash => 4,
            KeyType::Stream => 5,
            KeyType::Ext(code) => code as i64,
        }
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
            KeyType::Ext(code) => crate::ext::key_type(code).map_or("none", |t| t.name),
        }
    }

    /// The type TYPE calls `name` (any case), core or extension.
    pub fn from_name(name: &[u8]) -> Option<KeyType> {
        let lower = name.to_ascii_lowercase();
        Self::CORE
            .into_iter()
            .chain(crate::ext::key_types().map(|t| t.key_type()))
            .find(|t| t.name().to_ascii_lowercase().as_bytes() == lower.as_slice())
    }
}

/// The number of logical databases, as Redis's default `databases 16`.
pub const DATABASES: u32 = 16;

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
    /// Element count of a collection (0 for strings).
    pub len: i64,
    /// Lists: the position of the first element.
    pub head: i64,
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

static SELECT_KEY: &str = "SELECT id, type, expire_at, version, created_at, updated_at, len, head \
     FROM keys WHERE db = ?1 AND key = ?2";

static SELECT_KEY_VALUE: &str =
    "SELECT id, type, expire_at, version, created_at, updated_at, len, \
     head, value FROM keys WHERE db = ?1 AND key = ?2";

fn row_to_meta(r: &rusqlite::Row<'_>) -> rusqlite::Result<KeyMeta> {
    let t: i64 = r.get(1)?;
    Ok(KeyMeta {
        id: r.get(0)?,
        ktype: KeyType::from_i64(t).unwrap_or(KeyType::String),
        expire_at: r.get(2)?,
        version: r.get(3)?,
        created_at: r.get(4)?,
        updated_at: r.get(5)?,
        len: r.get(6)?,
        head: r.get(7)?,
    })
}

/// The live key `key`, if any.
pub fn lookup(s: Scope<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    Ok(lookup_with(s, key, SELECT_KEY, |_| Ok(()))?.map(|(m, ())| m))
}

/// The live key `key` and, read by the same statement, its value: a string's bytes,
/// `None` for the other types (GET).
pub fn lookup_value(s: Scope<'_>, key: &[u8]) -> Result<Option<(KeyMeta, Option<Vec<u8>>)>> {
    lookup_with(s, key, SELECT_KEY_VALUE, |r| r.get(8))
}

/// The live key `key` through `sql` (SELECT_KEY's columns first), with what `more`
/// reads of the rest of its row. An expired key is no key (and is deleted when the
/// transaction may write).
fn lookup_with<X>(
    s: Scope<'_>,
    key: &[u8],
    sql: &'static str,
    more: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<X>,
) -> Result<Option<(KeyMeta, X)>> {
    let found = crate::db::with_statement(s.conn, sql, |stmt| {
        Ok(stmt
            .query_row(params![s.db, key], |r| Ok((row_to_meta(r)?, more(r)?)))
            .optional()?)
    })?;
    match found {
        Some((m, _)) if m.expire_at.is_some_and(|t| t <= s.now) => {
            if s.writable {
                delete(s.conn, &m)?;
                crate::pubsub::notify_here(crate::pubsub::EXPIRED, "expired", s.db, key);
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
///
/// Its version starts at a random number below 2^62, not at 1: SQLite gives a new row
/// the largest id + 1, so a key deleted and made again may get back the id it had,
/// and WATCH (which compares id and version) must still see that it changed.
pub fn create(s: Scope<'_>, key: &[u8], ktype: KeyType, expire_at: Option<i64>) -> Result<KeyMeta> {
    insert(s, key, ktype, expire_at, None)
}

/// A new string key holding `value`, in one statement (SET of a new key).
pub fn create_string(
    s: Scope<'_>,
    key: &[u8],
    expire_at: Option<i64>,
    value: &[u8],
) -> Result<KeyMeta> {
    insert(s, key, KeyType::String, expire_at, Some(value))
}

fn insert(
    s: Scope<'_>,
    key: &[u8],
    ktype: KeyType,
    expire_at: Option<i64>,
    value: Option<&[u8]>,
) -> Result<KeyMeta> {
    let version = (crate::rng::next_u64() >> 2) as i64;
    crate::db::execute_hot(
        s.conn,
        "INSERT INTO keys (db, key, type, expire_at, version, created_at, updated_at, value) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        params![s.db, key, ktype.code(), expire_at, version, s.now, value],
    )?;
    Ok(KeyMeta {
        id: s.conn.last_insert_rowid(),
        ktype,
        expire_at,
        version,
        created_at: s.now,
        updated_at: s.now,
        len: 0,
        head: 0,
    })
}

/// SET's common case in one statement: make `key` a new string key, or overwrite
/// the live string key it is. `false`, with nothing done, when it is a key of
/// another type or an expired one: the caller then looks it up.
pub fn upsert_string(
    s: Scope<'_>,
    key: &[u8],
    expire_at: Option<i64>,
    value: &[u8],
) -> Result<bool> {
    static UPSERT: &str =
        "INSERT INTO keys (db, key, type, expire_at, version, created_at, updated_at, value) \
         VALUES (?1, ?2, 0, ?3, ?4, ?5, ?5, ?6) \
         ON CONFLICT (db, key) DO UPDATE \
         SET version = version + 1, updated_at = ?5, expire_at = ?3, value = ?6, raw = 0 \
         WHERE type = 0 AND (expire_at IS NULL OR expire_at > ?5)";
    let version = (crate::rng::next_u64() >> 2) as i64;
    let changed = crate::db::execute_hot(
        s.conn,
        UPSERT,
        params![s.db, key, expire_at, version, s.now, value],
    )?;
    Ok(changed == 1)
}

/// Record a write to the key: bump its version and `updated_at`.
pub fn touch(s: Scope<'_>, id: i64) -> Result<()> {
    crate::db::execute_hot(
        s.conn,
        "UPDATE keys SET version = version + 1, updated_at = ?2 WHERE id = ?1",
        params![id, s.now],
    )?;
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

/// A whole new value for the string key `id` (SET, INCR): the write is recorded, the
/// expiry set (or cleared) and the value stored, in one statement. The value is no
/// longer "raw" (see types/string.rs).
pub fn put_string(s: Scope<'_>, id: i64, expire_at: Option<i64>, value: &[u8]) -> Result<()> {
    crate::db::execute_hot(
        s.conn,
        "UPDATE keys SET version = version + 1, updated_at = ?2, expire_at = ?3, \
         value = ?4, raw = 0 WHERE id = ?1",
        params![id, s.now, expire_at, value],
    )?;
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
        .execute(params![meta.id, s.now, expire_at, ktype.code()])?;
    Ok(())
}

/// After a write that changed a collection's size: store its new length (and, for a
/// list, its head position) and bump its version. A collection that became empty is
/// deleted, as Redis never keeps an empty one.
pub fn set_len(s: Scope<'_>, meta: &KeyMeta, len: i64, head: i64) -> Result<()> {
    if len <= 0 {
        return delete(s.conn, meta);
    }
    crate::db::execute_hot(
        s.conn,
        "UPDATE keys SET len = ?2, head = ?3, version = version + 1, updated_at = ?4 \
         WHERE id = ?1",
        params![meta.id, len, head, s.now],
    )?;
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
    let expired: Vec<(KeyMeta, u32, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT id, type, expire_at, version, created_at, updated_at, len, head, db, key \
             FROM keys WHERE expire_at IS NOT NULL AND expire_at <= ?1 LIMIT ?2",
        )?
        .query_map(params![now, limit as i64], |r| {
            Ok((row_to_meta(r)?, r.get(8)?, r.get(9)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (m, db, key) in &expired {
        delete(conn, m)?;
        crate::pubsub::notify_here(crate::pubsub::EXPIRED, "expired", *db, key);
    }
    Ok(expired.len())
}

/// Delete every key of database `db` (FLUSHDB), or of all databases (`None`).
pub fn flush(conn: &Connection, db: Option<u32>) -> Result<()> {
    crate::ext::flush_contents(conn, db)?;
    match db {
        Some(db) => {
            types::delete_contents_of_db(conn, db)?;
            conn.prepare_cached("DELETE FROM keys WHERE db = ?1")?
                .execute(params![db])?;
        }
        None => {
            types::delete_all_contents(conn)?;
            // Not a bare DELETE: SQLite would truncate the table without telling the
            // update hook, which the read cache (cache.rs) learns deletions from.
            conn.execute("DELETE FROM keys WHERE true", [])?;
        }
    }
    Ok(())
}

/// Give the key row `id` a new name and database (RENAME, MOVE): the contents stay
/// keyed by id, so every type moves with no per-type work. A write: the version bumps.
/// The caller has removed any live key already holding the new name.
pub fn rename(s: Scope<'_>, id: i64, to_db: u32, to_key: &[u8]) -> Result<()> {
    s.conn
        .prepare_cached(
            "UPDATE keys SET db = ?2, key = ?3, version = version + 1, updated_at = ?4 \
             WHERE id = ?1",
        )?
        .execute(params![id, to_db, to_key, s.now])?;
    // An extension type that keeps the key's name in its own rows hears of it.
    if crate::ext::any_rename_hook() {
        let code: i64 = s
            .conn
            .prepare_cached("SELECT type FROM keys WHERE id = ?1")?
            .query_row(params![id], |r| r.get(0))?;
        if let Some(KeyType::Ext(code)) = KeyType::from_i64(code) {
            crate::ext::renamed(s.conn, id, code, to_db, to_key)?;
        }
    }
    Ok(())
}

/// Set the key's last-access time without counting a write (TOUCH, RESTORE ... IDLETIME):
/// OBJECT IDLETIME reads it; WATCH does not see it.
pub fn set_access_time(s: Scope<'_>, id: i64, at_ms: i64) -> Result<()> {
    s.conn
        .prepare_cached("UPDATE keys SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, at_ms])?;
    Ok(())
}

/// A row of the keyspace as SCAN and KEYS see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRow {
    pub id: i64,
    pub key: Vec<u8>,
    pub ktype: KeyType,
}

/// What a keyspace walk keeps: keys starting with `prefix` (a glob's literal prefix;
/// empty for all) and of one type, if given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'p> {
    pub prefix: &'p [u8],
    pub ktype: Option<KeyType>,
}

/// The smallest byte string greater than every string that starts with `prefix`, or
/// `None` if there is none (the prefix is all 0xff): the exclusive end of a prefix range.
fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// The SQL conditions and parameters of a filter, numbered from `?{first}`.
fn filter_sql(f: &Filter<'_>, first: usize) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut sql = String::new();
    let mut vals = Vec::new();
    if !f.prefix.is_empty() {
        sql.push_str(&format!(" AND key >= ?{}", first + vals.len()));
        vals.push(Value::Blob(f.prefix.to_vec()));
        if let Some(end) = prefix_end(f.prefix) {
            sql.push_str(&format!(" AND key < ?{}", first + vals.len()));
            vals.push(Value::Blob(end));
        }
    }
    if let Some(t) = f.ktype {
        sql.push_str(&format!(" AND type = ?{}", first + vals.len()));
        vals.push(Value::Integer(t.code()));
    }
    (sql, vals)
}

/// One page of SCAN: live keys of database `db` with id > `after`, in id order, at
/// most `limit` of them, and whether more rows follow the page.
///
/// Walking by id is what makes the cursor sound: ids only grow, so a full walk
/// never returns a key twice, and a key that lives through the whole walk keeps its id
/// and is met exactly once. (`+db` keeps SQLite on the rowid order instead of sorting
/// the whole database through the (db, key) index on every page.)
pub fn scan(s: Scope<'_>, after: i64, limit: usize, f: &Filter<'_>) -> Result<(Vec<KeyRow>, bool)> {
    use rusqlite::types::Value;
    let (cond, mut vals) = filter_sql(f, 5);
    let sql = format!(
        "SELECT id, key, type FROM keys WHERE +db = ?1 AND id > ?2 \
         AND (expire_at IS NULL OR expire_at > ?3){} ORDER BY id LIMIT ?4",
        cond
    );
    let probe = limit.saturating_add(1).min(i64::MAX as usize) as i64;
    let mut all = vec![
        Value::Integer(s.db as i64),
        Value::Integer(after),
        Value::Integer(s.now),
        Value::Integer(probe),
    ];
    all.append(&mut vals);
    let mut rows: Vec<KeyRow> = s
        .conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(all), |r| {
            Ok(KeyRow {
                id: r.get(0)?,
                key: r.get(1)?,
                ktype: KeyType::from_i64(r.get(2)?).unwrap_or(KeyType::String),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let more = rows.len() > limit;
    rows.truncate(limit);
    Ok((rows, more))
}

/// Every live key of database `db` passing the filter (KEYS), in key order: the
/// prefix, if any, is a range of the (db, key) index.
pub fn all_keys(s: Scope<'_>, f: &Filter<'_>) -> Result<Vec<Vec<u8>>> {
    use rusqlite::types::Value;
    let (cond, mut vals) = filter_sql(f, 3);
    let sql = format!(
        "SELECT key FROM keys WHERE db = ?1 AND (expire_at IS NULL OR expire_at > ?2){} \
         ORDER BY key",
        cond
    );
    let mut all = vec![Value::Integer(s.db as i64), Value::Integer(s.now)];
    all.append(&mut vals);
    let keys = s
        .conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(all), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

/// A random live key of database `db`, or `None` if it has none. O(log n) when the
/// databases are not interleaved: pick a random id in the table's range, take the first
/// live key of `db` from there, wrapping around once.
pub fn random_key(s: Scope<'_>) -> Result<Option<Vec<u8>>> {
    // min and max in separate subqueries, so that each is one b-tree descent.
    let pivot: Option<i64> = s
        .conn
        .prepare_cached(
            "SELECT lo + abs(random() % (hi - lo + 1)) FROM \
             (SELECT (SELECT min(id) FROM keys) AS lo, (SELECT max(id) FROM keys) AS hi) \
             WHERE lo IS NOT NULL",
        )?
        .query_row([], |r| r.get(0))
        .optional()?;
    let Some(pivot) = pivot else { return Ok(None) };
    for sql in [
        "SELECT key FROM keys WHERE +db = ?1 AND id >= ?2 \
         AND (expire_at IS NULL OR expire_at > ?3) ORDER BY id LIMIT 1",
        "SELECT key FROM keys WHERE +db = ?1 AND id < ?2 \
         AND (expire_at IS NULL OR expire_at > ?3) ORDER BY id LIMIT 1",
    ] {
        let key: Option<Vec<u8>> = s
            .conn
            .prepare_cached(sql)?
            .query_row(params![s.db, pivot, s.now], |r| r.get(0))
            .optional()?;
        if key.is_some() {
            return Ok(key);
        }
    }
    Ok(None)
}

/// The number of live keys of database `db` (DBSIZE).
pub fn count(s: Scope<'_>) -> Result<i64> {
    let n = s
        .conn
        .prepare_cached(
            "SELECT count(*) FROM keys WHERE db = ?1 AND (expire_at IS NULL OR expire_at > ?2)",
        )?
        .query_row(params![s.db, s.now], |r| r.get(0))?;
    Ok(n)
}

/// Per non-empty database: (db, live keys, live keys with an expiry), for INFO keyspace.
pub fn census(conn: &Connection, now: i64) -> Result<Vec<(u32, i64, i64)>> {
    let rows = conn
        .prepare_cached(
            "SELECT db, count(*), count(expire_at) FROM keys \
             WHERE expire_at IS NULL OR expire_at > ?1 GROUP BY db ORDER BY db",
        )?
        .query_map(params![now], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Exchange the keys of databases `a` and `b` (SWAPDB). Rows keep their ids, so the
/// contents follow; a name taken in both stays unique through a parking number.
pub fn swap_db(conn: &Connection, a: u32, b: u32) -> Result<()> {
    if a == b {
        return Ok(());
    }
    const PARKED: i64 = -1;
    let mut park = conn.prepare_cached("UPDATE keys SET db = ?2 WHERE db = ?1")?;
    park.execute(params![a as i64, PARKED])?;
    park.execute(params![b as i64, a as i64])?;
    park.execute(params![PARKED, b as i64])?;
    Ok(())
}
