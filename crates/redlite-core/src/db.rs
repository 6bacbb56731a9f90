//! `Db`: one SQLite file (or an in-memory database), one writer connection and a pool
//! of reader connections.
//!
//! Every command is one SQLite transaction: writes take the writer and run inside
//! `BEGIN IMMEDIATE ... COMMIT`; reads take a reader and run inside a deferred
//! `BEGIN ... COMMIT`, which gives them one consistent snapshot while WAL lets them
//! run beside the write. `Db` is cheap to clone and `Send + Sync`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use rusqlite::{Connection, OpenFlags};

use crate::error::Result;
use crate::{keyspace, schema};

/// How hard a commit tries to reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=NORMAL`: survives a process crash; the newest commits may be lost
    /// on power loss.
    Normal,
    /// `synchronous=FULL`: every acknowledged commit survives power loss.
    Full,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub durability: Durability,
    /// Reader connections kept open at most (more are opened under load, then closed).
    pub max_idle_readers: usize,
    /// How long a connection waits for another process's lock.
    pub busy_timeout: Duration,
    /// Run the background expiry sweeper.
    pub sweeper: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            durability: Durability::Normal,
            max_idle_readers: 8,
            busy_timeout: Duration::from_secs(5),
            sweeper: true,
        }
    }
}

/// Counters for INFO. Front ends (the server) update the connection figures.
#[derive(Debug, Default)]
pub struct Stats {
    pub total_commands_processed: AtomicU64,
    pub keyspace_hits: AtomicU64,
    pub keyspace_misses: AtomicU64,
    pub expired_keys: AtomicU64,
    pub total_connections_received: AtomicU64,
    pub connected_clients: AtomicI64,
    pub blocked_clients: AtomicI64,
    pub total_net_input_bytes: AtomicU64,
    pub total_net_output_bytes: AtomicU64,
    pub rejected_connections: AtomicU64,
}

#[derive(Clone)]
pub struct Db {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    path: Option<PathBuf>,
    opts: Options,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    pub(crate) stats: Stats,
    pub(crate) started: Instant,
    pub(crate) started_unix_ms: i64,
    next_client_id: AtomicU64,
    /// Clients blocked on keys (BLPOP ...), and the keys writes made ready for them.
    pub(crate) blocking: crate::notify::Registry,
    /// Keys watched while absent, and their creations (command/multi.rs).
    pub(crate) births: Arc<crate::command::multi::Births>,
    /// Configuration, clients, slow log (see ops.rs).
    ops: crate::ops::Ops,
    /// Pub/sub channels and subscribers, keyspace notifications (see pubsub.rs).
    pub(crate) pubsub: crate::pubsub::Broker,
    /// The Lua VM, EVAL's script cache and FUNCTION's libraries.
    scripting: crate::scripting::Engine,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Microseconds since the Unix epoch.
pub fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

impl Db {
    /// Open (creating if needed) the database file at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Db> {
        Db::open_with(path, Options::default())
    }

    pub fn open_with(path: impl AsRef<Path>, opts: Options) -> Result<Db> {
        let path = path.as_ref().to_path_buf();
        let writer = open_connection(Some(&path), &opts, false)?;
        schema::migrate(&writer)?;
        Db::from_writer(Some(path), writer, opts)
    }

    /// A private in-memory database: everything runs on the one connection.
    pub fn open_memory() -> Result<Db> {
        let opts = Options::default();
        let writer = open_connection(None, &opts, false)?;
        schema::migrate(&writer)?;
        Db::from_writer(None, writer, opts)
    }

    fn from_writer(path: Option<PathBuf>, writer: Connection, opts: Options) -> Result<Db> {
        let sweeper = opts.sweeper;
        let db = Db {
            inner: Arc::new(Inner {
                path,
                opts,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                stats: Stats::default(),
                started: Instant::now(),
                started_unix_ms: now_ms(),
                next_client_id: AtomicU64::new(1),
                blocking: crate::notify::Registry::default(),
                births: Arc::default(),
                ops: crate::ops::Ops::default(),
                pubsub: crate::pubsub::Broker::default(),
                scripting: crate::scripting::Engine::default(),
            }),
        };
        if sweeper {
            spawn_sweeper(Arc::downgrade(&db.inner));
        }
        Ok(db)
    }

    /// The file, or `None` for an in-memory database.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    pub fn options(&self) -> &Options {
        &self.inner.opts
    }

    pub fn stats(&self) -> &Stats {
        &self.inner.stats
    }

    /// A new client id (CLIENT ID, HELLO): unique among the clients of this `Db`,
    /// embedded and served alike, starting at 1 as Redis's do.
    pub fn next_client_id(&self) -> u64 {
        self.inner.next_client_id.fetch_add(1, Ordering::Relaxed)
    }

    /// The clients blocked on keys of this `Db` (see notify.rs).
    pub fn blocking(&self) -> &crate::notify::Registry {
        &self.inner.blocking
    }

    /// Configuration, clients, slow log (see ops.rs).
    pub fn ops(&self) -> &crate::ops::Ops {
        &self.inner.ops
    }

    /// The configuration parameters (see config.rs).
    pub fn config(&self) -> &crate::config::Store {
        &self.inner.ops.config
    }

    /// The pub/sub broker of this `Db` (see pubsub.rs).
    pub fn pubsub(&self) -> &crate::pubsub::Broker {
        &self.inner.pubsub
    }

    /// Lua scripting and functions (see scripting/).
    pub fn scripting(&self) -> &crate::scripting::Engine {
        &self.inner.scripting
    }

    /// Time since this `Db` was opened.
    pub fn uptime(&self) -> Duration {
        self.inner.started.elapsed()
    }

    /// Run `f` inside one write transaction (`BEGIN IMMEDIATE`); commit on `Ok`,
    /// roll back on `Err`.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.inner.writer.lock();
        transaction(&conn, "BEGIN IMMEDIATE", f)
    }

    /// Run `f` inside one read transaction: a consistent snapshot on a reader
    /// connection (on the only connection, for an in-memory database).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.inner.path.is_none() {
            let conn = self.inner.writer.lock();
            return transaction(&conn, "BEGIN", f);
        }
        let conn = match self.inner.readers.lock().pop() {
            Some(c) => c,
            None => open_connection(self.inner.path.as_deref(), &self.inner.opts, true)?,
        };
        let result = transaction(&conn, "BEGIN", f);
        let mut idle = self.inner.readers.lock();
        if idle.len() < self.inner.opts.max_idle_readers {
            idle.push(conn);
        }
        result
    }

    /// Checkpoint the WAL into the main file (on shutdown).
    pub fn checkpoint(&self) -> Result<()> {
        if self.inner.path.is_some() {
            let conn = self.inner.writer.lock();
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Delete up to `limit` expired keys now; returns how many went.
    pub fn sweep_expired(&self, limit: usize) -> Result<usize> {
        let now = now_ms();
        let n = self.write(|conn| keyspace::delete_expired(conn, now, limit))?;
        self.inner.stats.expired_keys.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn transaction<T>(
    conn: &Connection,
    begin: &str,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    conn.execute_batch(begin)?;
    match f(conn) {
        Ok(v) => match conn.execute_batch("COMMIT") {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e.into())
            }
        },
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

fn open_connection(path: Option<&Path>, opts: &Options, reader: bool) -> Result<Connection> {
    let conn = match path {
        Some(p) => {
            let mut flags = OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
            flags |= if reader {
                OpenFlags::SQLITE_OPEN_READ_ONLY
            } else {
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
            };
            Connection::open_with_flags(p, flags)?
        }
        None => Connection::open_in_memory()?,
    };
    conn.busy_timeout(opts.busy_timeout)?;
    conn.set_prepared_statement_cache_capacity(256);
    if path.is_some() {
        if !reader {
            conn.query_row("PRAGMA journal_mode=WAL", [], |_| Ok(()))?;
        }
        let sync = match opts.durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        conn.execute_batch(&format!("PRAGMA synchronous={}", sync))?;
    }
    conn.execute_batch("PRAGMA cache_size=-16000; PRAGMA temp_store=MEMORY;")?;
    Ok(conn)
}

/// Active expiry, as Redis does it: every 100 ms remove expired keys in small
/// batches, and keep going while batches come back full.
fn spawn_sweeper(inner: Weak<Inner>) {
    const BATCH: usize = 200;
    let _ = std::thread::Builder::new()
        .name("redlite-sweeper".into())
        .spawn(move || loop {
            std::thread::sleep(Duration::from_millis(100));
            let Some(inner) = inner.upgrade() else { return };
            let db = Db { inner };
            for _ in 0..10 {
                match db.sweep_expired(BATCH) {
                    Ok(n) if n == BATCH => continue,
                    _ => break,
                }
            }
        });
}
