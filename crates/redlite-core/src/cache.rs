//! The read cache: string values kept in memory, so that a GET of a key this process
//! wrote or read lately answers without SQLite (no read transaction, no file locks,
//! no B-tree descent).
//!
//! Every entry mirrors a `keys` row as it is in one state of the database, named by
//! the WAL-index header SQLite keeps in the `-shm` file: the header changes with every
//! COMMIT, by any connection of any process. The cache records the header its
//! entries belong to (`stamp`), and an entry answers only while the header in shared
//! memory still equals it. So a write of another process (or of another `Db` of this
//! one) makes the whole cache stale at once; the next fill or COMMIT of ours clears
//! it. The header's layout is part of SQLite's documented WAL file format
//! (walformat.html); it is read through the mapping SQLite itself made
//! (`xShmMap` of a connection kept open for it).
//!
//! How entries come and stay true:
//! - A GET that missed (a read transaction of its own: `Ctx::alone`) fills the entry
//!   if the header was the same before and after its read: the read's snapshot is
//!   that state. A fill for another state than `stamp` empties the cache first.
//! - The writer connection's update hook records the id of every `keys` row a write
//!   transaction changes (a string's value lives in its keys row, and every write to a
//!   key, an expiry or a rename changes that row). Before COMMIT the writer reads the
//!   new state of a few of those rows (`WRITE_THROUGH`); after it, if the header moved
//!   by exactly this COMMIT from `stamp`, the changed ids' entries go, the rows read
//!   come in, and `stamp` becomes the new header. Otherwise the cache is emptied.
//! - Deletes that bypass the update hook (SQLite's truncate optimization, a DELETE
//!   without WHERE) must not be used on `keys` (see keyspace::flush).
//!
//! A hit checks the entry's expiry against the command's clock; an expired entry is a
//! miss, and the command goes to SQLite as before. The cache holds at most `BUDGET`
//! bytes, and is emptied when a fill would pass that. In-memory databases have no
//! cache (they have no shared memory, and their reads are cheap already).

use std::collections::HashMap;
use std::ffi::{c_int, c_void};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{fence, Ordering};
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};
use rusqlite::types::ValueRef;
use rusqlite::{ffi, params, Connection, OptionalExtension};

/// Most bytes of keys and values the cache holds (an entry also counts `OVERHEAD`).
const BUDGET: usize = 32 << 20;
/// What an entry costs beyond its key and value: the maps' slots and allocations.
const OVERHEAD: usize = 96;
/// Values longer than this are never cached.
const MAX_VALUE: usize = 64 << 10;
/// Changed rows a COMMIT reads back into the cache; the others' entries just go.
const WRITE_THROUGH: usize = 16;
/// Changed rows remembered for one COMMIT; past that the cache is emptied instead.
const MAX_DIRTY: usize = 4096;

/// A copy of the WAL-index header (the first of its two copies, 48 bytes).
type Header = [u32; 12];
/// Its `iChange` field: incremented by every COMMIT.
const I_CHANGE: usize = 2;

pub(crate) struct ReadCache {
    shm: Option<Shm>,
    state: RwLock<State>,
    /// Ids of the keys rows the open write transaction changed (the update hook's).
    dirty: std::sync::Arc<Mutex<Dirty>>,
}

#[derive(Default)]
struct Dirty {
    ids: Vec<i64>,
    overflow: bool,
}

#[derive(Default)]
struct State {
    /// The database state every entry belongs to; `None`: no entries.
    stamp: Option<Header>,
    /// Per database number, key → entry.
    dbs: HashMap<u32, HashMap<Arc<[u8]>, Entry>>,
    /// Row id → its entry's database and key.
    ids: HashMap<i64, (u32, Arc<[u8]>), BuildIdHasher>,
    bytes: usize,
}

struct Entry {
    id: i64,
    value: Vec<u8>,
    expire_at: Option<i64>,
}

/// A string key's row, as a read or a COMMIT found it.
struct Row {
    id: i64,
    db: u32,
    key: Arc<[u8]>,
    value: Vec<u8>,
    expire_at: Option<i64>,
}

/// What the writer learned before its COMMIT, for `after_commit`.
pub(crate) struct Pending {
    before: Option<Header>,
    changed: Vec<i64>,
    rows: Vec<Row>,
    overflow: bool,
}

/// The WAL-index header in shared memory, as SQLite mapped it for `_conn`.
struct Shm {
    header: *const u32,
    /// Keeps the mapping: SQLite unmaps it when the last connection of this process
    /// to the file closes. Never used otherwise.
    _conn: Mutex<Connection>,
}

// SAFETY: `header` points into a shared mapping that lives as long as `_conn`; it is
// only read, with volatile reads, and checked for tearing as SQLite checks it.
unsafe impl Send for Shm {}
unsafe impl Sync for Shm {}

impl Shm {
    /// Map the header through `conn` (a connection of its own, opened on the file).
    fn map(conn: Connection) -> Option<Shm> {
        // A first read opens the WAL index, which maps its first region.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
            .ok()?;
        let mut file: *mut ffi::sqlite3_file = std::ptr::null_mut();
        // SAFETY: the handle is open; FILE_POINTER writes the main database's
        // sqlite3_file into `file`, which the connection owns while it is open.
        let header = unsafe {
            let rc = ffi::sqlite3_file_control(
                conn.handle(),
                c"main".as_ptr(),
                ffi::SQLITE_FCNTL_FILE_POINTER,
                &mut file as *mut *mut ffi::sqlite3_file as *mut c_void,
            );
            if rc != ffi::SQLITE_OK || file.is_null() || (*file).pMethods.is_null() {
                return None;
            }
            let methods = &*(*file).pMethods;
            let shm_map = match methods.xShmMap {
                Some(f) if methods.iVersion >= 2 => f,
                _ => return None,
            };
            let mut region: *mut c_void = std::ptr::null_mut();
            // Region 0 of 32 KiB, without extending the file: it exists once a
            // connection has read the WAL.
            let rc = shm_map(
                file,
                0,
                32768,
                0 as c_int,
                &mut region as *mut *mut c_void as _,
            );
            if rc != ffi::SQLITE_OK || region.is_null() {
                return None;
            }
            region as *const u32
        };
        let shm = Shm {
            header,
            _conn: Mutex::new(conn),
        };
        shm.read()?;
        Some(shm)
    }

    /// The header now, or `None` while a writer is changing it (its two copies
    /// differ). SQLite's readers read the copies in the same order.
    fn read(&self) -> Option<Header> {
        // SAFETY: see `Shm`: 96 readable bytes (both copies) at `header`.
        let (first, second) = unsafe {
            let first = std::ptr::read_volatile(self.header as *const Header);
            fence(Ordering::SeqCst);
            let second = std::ptr::read_volatile(self.header.add(12) as *const Header);
            (first, second)
        };
        (first == second).then_some(first)
    }
}

impl ReadCache {
    /// No cache (in-memory databases, or a file whose shared memory can't be read).
    pub(crate) fn disabled() -> ReadCache {
        ReadCache {
            shm: None,
            state: RwLock::default(),
            dirty: Default::default(),
        }
    }

    /// A cache for the file `watch` is open on; `writer` gets the update hook that
    /// tells it which rows each transaction changed.
    pub(crate) fn new(watch: Connection, writer: &mut Connection) -> ReadCache {
        let Some(shm) = Shm::map(watch) else {
            return ReadCache::disabled();
        };
        let cache = ReadCache {
            shm: Some(shm),
            state: RwLock::default(),
            dirty: Default::default(),
        };
        let dirty = cache.dirty.clone();
        let hooked = writer.update_hook(Some(
            move |_: rusqlite::hooks::Action, db: &str, table: &str, id: i64| {
                if db == "main" && table == "keys" {
                    let mut d = dirty.lock();
                    if d.ids.len() < MAX_DIRTY {
                        d.ids.push(id);
                    } else {
                        d.overflow = true;
                    }
                }
            },
        ));
        // Without the hook the cache would never learn of a write: no cache then.
        if hooked.is_err() {
            return ReadCache::disabled();
        }
        cache
    }

    /// The value of string key `key` of database `db` as of now, if cached and live
    /// at `now` (unix ms).
    pub(crate) fn get(&self, db: u32, key: &[u8], now: i64) -> Option<Vec<u8>> {
        let shm = self.shm.as_ref()?;
        let state = self.state.read();
        let stamp = state.stamp?;
        if shm.read()? != stamp {
            return None;
        }
        let e = state.dbs.get(&db)?.get(key)?;
        if e.expire_at.is_some_and(|t| t <= now) {
            return None;
        }
        Some(e.value.clone())
    }

    /// The header before a read, for `fill` after it.
    pub(crate) fn before_read(&self) -> Option<Header> {
        self.shm.as_ref()?.read()
    }

    /// Remember what a read found: string key `key` (row `id`) holds `value`. `seen`
    /// is `before_read`'s header; the read belongs to it if the header is unchanged.
    pub(crate) fn fill(
        &self,
        seen: Option<Header>,
        db: u32,
        key: &[u8],
        id: i64,
        value: &[u8],
        expire_at: Option<i64>,
    ) {
        let (Some(shm), Some(seen)) = (self.shm.as_ref(), seen) else {
            return;
        };
        if value.len() > MAX_VALUE || shm.read() != Some(seen) {
            return;
        }
        let mut state = self.state.write();
        if state.stamp != Some(seen) {
            state.clear();
            state.stamp = Some(seen);
        }
        state.insert(Row {
            id,
            db,
            key: key.into(),
            value: value.to_vec(),
            expire_at,
        });
    }

    /// Before the writer's COMMIT: the header, the rows the transaction changed, and
    /// the new state of the first few of them (read in the transaction itself).
    pub(crate) fn before_commit(&self, conn: &Connection) -> Option<Pending> {
        let shm = self.shm.as_ref()?;
        let (mut changed, overflow) = {
            let mut d = self.dirty.lock();
            (std::mem::take(&mut d.ids), std::mem::take(&mut d.overflow))
        };
        changed.sort_unstable();
        changed.dedup();
        let mut rows = Vec::new();
        if !overflow && changed.len() <= WRITE_THROUGH {
            for &id in &changed {
                match read_row(conn, id) {
                    Ok(Some(row)) => rows.push(row),
                    Ok(None) => {}
                    // Not read back: its entry just goes.
                    Err(_) => {}
                }
            }
        }
        Some(Pending {
            before: shm.read(),
            changed,
            rows,
            overflow,
        })
    }

    /// After the writer's COMMIT (`committed`: it succeeded): bring the cache to the
    /// new state, or empty it when that state is not exactly `stamp` plus this COMMIT.
    pub(crate) fn after_commit(&self, pending: Option<Pending>, committed: bool) {
        let (Some(shm), Some(p)) = (self.shm.as_ref(), pending) else {
            return;
        };
        let after = shm.read();
        if committed && p.before.is_some() && after == p.before && p.changed.is_empty() {
            // A transaction that wrote nothing (the expiry sweeper's, most often).
            return;
        }
        let mut state = self.state.write();
        let only_ours = match (p.before, after) {
            (Some(b), Some(a)) => committed && a[I_CHANGE] == b[I_CHANGE].wrapping_add(1),
            _ => false,
        };
        if !only_ours {
            state.clear();
            return;
        }
        if p.overflow || state.stamp != p.before {
            // The entries are not known to be of the state this COMMIT started from
            // (or not all changes are known): start afresh from this COMMIT's rows.
            state.clear();
        }
        for id in &p.changed {
            state.remove(*id);
        }
        for row in p.rows {
            state.insert(row);
        }
        state.stamp = after;
    }
}

impl State {
    fn clear(&mut self) {
        self.stamp = None;
        self.dbs.clear();
        self.ids.clear();
        self.bytes = 0;
    }

    fn remove(&mut self, id: i64) {
        if let Some((db, key)) = self.ids.remove(&id) {
            if let Some(e) = self.dbs.get_mut(&db).and_then(|m| m.remove(&key)) {
                self.bytes -= key.len() + e.value.len() + OVERHEAD;
            }
        }
    }

    fn insert(&mut self, row: Row) {
        let size = row.key.len() + row.value.len() + OVERHEAD;
        if self.bytes + size > BUDGET {
            let stamp = self.stamp;
            self.clear();
            self.stamp = stamp;
        }
        self.remove(row.id);
        let entry = Entry {
            id: row.id,
            value: row.value,
            expire_at: row.expire_at,
        };
        let key = row.key;
        if let Some(old) = self
            .dbs
            .entry(row.db)
            .or_default()
            .insert(key.clone(), entry)
        {
            self.ids.remove(&old.id);
            self.bytes -= key.len() + old.value.len() + OVERHEAD;
        }
        self.ids.insert(row.id, (row.db, key));
        self.bytes += size;
    }
}

/// Hashes row ids, which SQLite hands out (no client chooses them), with one
/// multiplication instead of SipHash.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ *b as u64).wrapping_mul(0x9e3779b97f4a7c15);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = (n as u64).wrapping_mul(0x9e3779b97f4a7c15);
    }
}

type BuildIdHasher = BuildHasherDefault<IdHasher>;

/// Row `id` as the open transaction has it, if it is a string key whose value may be
/// cached.
fn read_row(conn: &Connection, id: i64) -> rusqlite::Result<Option<Row>> {
    let row = conn
        .prepare_cached("SELECT db, key, expire_at, value FROM keys WHERE id = ?1 AND type = 0")?
        .query_row(params![id], |r| {
            let value = match r.get_ref(3)? {
                ValueRef::Null => Vec::new(),
                ValueRef::Blob(b) | ValueRef::Text(b) if b.len() <= MAX_VALUE => b.to_vec(),
                _ => return Ok(None),
            };
            let key: Arc<[u8]> = match r.get_ref(1)? {
                ValueRef::Blob(b) | ValueRef::Text(b) => b.into(),
                _ => return Ok(None),
            };
            Ok(Some(Row {
                id,
                db: r.get(0)?,
                key,
                value,
                expire_at: r.get(2)?,
            }))
        })
        .optional()?;
    Ok(row.flatten())
}

#[cfg(test)]
mod tests {
    use crate::db::{now_ms, Options};
    use crate::rng::Rng;
    use crate::{Db, Reply, Session};

    fn temp_dir(tag: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("redlite-cache-{}-{}", tag, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn uncached(path: &std::path::Path) -> Db {
        Db::open_with(
            path,
            Options {
                read_cache: false,
                ..Options::default()
            },
        )
        .unwrap()
    }

    #[test]
    fn a_set_is_read_back_from_memory() {
        let dir = temp_dir("set");
        let db = Db::open(dir.join("c.db")).unwrap();
        assert!(db.read_cache().shm.is_some(), "the shared memory is mapped");
        let mut s = Session::new(db.clone());
        assert_eq!(s.execute(&["SET", "k", "v"]), Reply::ok());
        let now = now_ms();
        assert_eq!(db.read_cache().get(0, b"k", now), Some(b"v".to_vec()));
        // Too many rows for one COMMIT to read back: their entries only go; a GET
        // fills one.
        let mut argv = vec!["MSET".to_string()];
        for i in 0..100 {
            argv.push(format!("m{i}"));
            argv.push(format!("v{i}"));
        }
        assert_eq!(s.execute(&argv), Reply::ok());
        assert_eq!(db.read_cache().get(0, b"m1", now), None);
        assert_eq!(s.execute(&["GET", "m1"]), Reply::Bulk(b"v1".to_vec()));
        assert_eq!(db.read_cache().get(0, b"m1", now), Some(b"v1".to_vec()));
        assert_eq!(db.read_cache().get(0, b"k", now), Some(b"v".to_vec()));
        // Another database number is another key.
        assert_eq!(db.read_cache().get(1, b"k", now), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A write through another `Db` (another writer connection, as another process
    /// has) makes what this one cached stale at once.
    #[test]
    fn another_writer_is_seen() {
        let dir = temp_dir("other");
        let path = dir.join("c.db");
        let mut mine = Session::new(Db::open(&path).unwrap());
        let mut other = Session::new(Db::open(&path).unwrap());
        assert_eq!(mine.execute(&["SET", "k", "1"]), Reply::ok());
        assert_eq!(mine.execute(&["GET", "k"]), Reply::Bulk(b"1".to_vec()));
        assert_eq!(other.execute(&["SET", "k", "2"]), Reply::ok());
        assert_eq!(mine.execute(&["GET", "k"]), Reply::Bulk(b"2".to_vec()));
        assert_eq!(other.execute(&["APPEND", "k", "3"]), Reply::Int(2));
        assert_eq!(mine.execute(&["GET", "k"]), Reply::Bulk(b"23".to_vec()));
        assert_eq!(mine.execute(&["SET", "j", "x"]), Reply::ok());
        assert_eq!(other.execute(&["DEL", "k"]), Reply::Int(1));
        assert_eq!(mine.execute(&["GET", "k"]), Reply::Nil);
        assert_eq!(mine.execute(&["GET", "j"]), Reply::Bulk(b"x".to_vec()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An entry answers only until its key expires.
    #[test]
    fn an_expired_entry_is_no_answer() {
        let dir = temp_dir("expiry");
        let mut s = Session::new(Db::open(dir.join("c.db")).unwrap());
        assert_eq!(s.execute(&["SET", "k", "v", "PX", "30"]), Reply::ok());
        assert_eq!(s.execute(&["GET", "k"]), Reply::Bulk(b"v".to_vec()));
        std::thread::sleep(std::time::Duration::from_millis(40));
        assert_eq!(s.execute(&["GET", "k"]), Reply::Nil);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Random writes of every kind that can change a string key, each followed by
    /// GETs of every key: through the cache they answer what a `Db` without one reads.
    #[test]
    fn gets_agree_with_the_file_after_any_write() {
        let dir = temp_dir("agree");
        let path = dir.join("c.db");
        let db = Db::open(&path).unwrap();
        let mut s = Session::new(db.clone());
        let mut other = Session::new(Db::open(&path).unwrap());
        let mut truth = Session::new(uncached(&path));
        let keys = ["a", "b", "c"];
        let mut rng = Rng::new();
        let writes: &[&[&str]] = &[
            &["SET", "$1", "v"],
            &["SET", "$1", "w", "PX", "100000"],
            &["SET", "$1", "x", "XX", "KEEPTTL"],
            &["SETNX", "$1", "n"],
            &["MSET", "$1", "m1", "$2", "m2"],
            &["APPEND", "$1", "+"],
            &["SETRANGE", "$1", "1", "R"],
            &["SETBIT", "$1", "3", "1"],
            &["INCR", "$1"],
            &["INCRBYFLOAT", "$1", "1.5"],
            &["DEL", "$1"],
            &["UNLINK", "$1", "$2"],
            &["GETDEL", "$1"],
            &["GETEX", "$1", "PX", "100000"],
            &["GETSET", "$1", "gs"],
            &["RENAME", "$1", "$2"],
            &["COPY", "$1", "$2", "REPLACE"],
            &["MOVE", "$1", "1"],
            &["PEXPIREAT", "$1", "1"],
            &["PERSIST", "$1"],
            &["LPUSH", "$1", "l"],
            &["SADD", "$1", "s"],
            &["BITOP", "OR", "$1", "$2", "$3"],
            &["SWAPDB", "0", "1"],
            &["FLUSHDB"],
            &["FLUSHALL"],
            &[
                "EVAL",
                "redis.call('SET', KEYS[1], 'lua'); return 1",
                "1",
                "$1",
            ],
            &["MULTI"],
        ];
        for round in 0..600 {
            let w = writes[rng.below(writes.len() as u64) as usize];
            let argv: Vec<String> = w
                .iter()
                .map(|a| match *a {
                    "$1" | "$2" | "$3" => keys[rng.below(keys.len() as u64) as usize].to_string(),
                    other => other.to_string(),
                })
                .collect();
            // Now and then the write goes through the other `Db`.
            let by = if rng.below(5) == 0 {
                &mut other
            } else {
                &mut s
            };
            if argv[0] == "MULTI" {
                // A transaction: a write, a failing write, a write.
                let (k1, k2) = (keys[rng.below(3) as usize], keys[rng.below(3) as usize]);
                by.execute(&["MULTI"]);
                by.execute(&["SET", k1, "t"]);
                by.execute(&["LPUSH", k2, "x"]);
                by.execute(&["APPEND", k2, "y"]);
                by.execute(&["EXEC"]);
            } else {
                by.execute(&argv);
            }
            for k in keys {
                for n in ["0", "1"] {
                    for t in [&mut s, &mut truth] {
                        t.execute(&["SELECT", n]);
                    }
                    assert_eq!(
                        s.execute(&["GET", k]),
                        truth.execute(&["GET", k]),
                        "round {round}: GET {k} in db {n} after {argv:?}"
                    );
                }
            }
            for t in [&mut s, &mut truth] {
                t.execute(&["SELECT", "0"]);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
