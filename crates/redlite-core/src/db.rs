//! `Db`: one SQLite file (or an in-memory database), one writer connection and a pool
//! of reader connections.
//!
//! Every command is one SQLite transaction: writes take the writer and run inside
//! `BEGIN IMMEDIATE ... COMMIT`; reads take a reader and run inside a deferred
//! `BEGIN ... COMMIT`, which gives them one consistent snapshot while WAL lets them
//! run beside the write. `Db` is cheap to clone and `Send + Sync`.
//!
//! Group commit. A COMMIT costs more than most commands (the WAL frames are written
//! and checksummed, locks taken and dropped), so when writes queue for the writer,
//! several share one: a `write` that finishes while another thread waits for the
//! writer leaves the transaction open and hands the writer over; the last of the
//! group (no one waiting, or `MAX_GROUP` members) commits and wakes the others. Each
//! member after the first runs under a SAVEPOINT, so a failing one rolls back only
//! its own work (save those whose errors all come before they write, which need
//! none: `Join::Bare`); a failing COMMIT fails every member. Every `write` returns
//! only once the COMMIT that holds its work is done, so a reply is never sent for a
//! write that is not durable (as durable as `synchronous` makes it). A lone writer
//! commits at once, as before.
//!
//! Batches. A front end running a client's pipeline opens a `Batch` on its thread
//! (`Db::batch`): its writes then leave their group open instead of waiting for its
//! COMMIT, so consecutive writes of one pipeline share one (the replies are sent
//! together at the end anyway), up to `MAX_DEFERRED_GROUP` of them. Whatever needs
//! their work committed settles it first: a read on this thread (reader connections
//! see only committed data), a command that served or registered blocked clients,
//! and the end of the batch. The batch tells the front end the outcome of each such
//! COMMIT (`Batch::settled`), so a reply already encoded for a write whose COMMIT
//! then failed is replaced by the error; keyspace events of deferred writes are
//! published once their COMMIT is over.
//!
//! Checkpoints. SQLite's automatic checkpoint runs inside the COMMIT that takes the
//! WAL past 1,000 pages: the writer then copies pages into the database file and
//! waits for its fsync while every write queues (a fifth of the server's time under
//! redis-benchmark's SET). Instead, the writer's WAL hook only records the WAL's
//! size, and a checkpointer thread with a connection of its own runs the PASSIVE
//! checkpoint beside the writes once it passes `CHECKPOINT_PAGES`. Under a steady
//! stream of writes that never ends the WAL (see `CHECKPOINT_PAGES_MAX`): the writer
//! then checkpoints what is left itself, so the WAL stays bounded.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use parking_lot::{Condvar, Mutex, MutexGuard};
use rusqlite::{Connection, OpenFlags, Statement};

use crate::error::{Error, Result};
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
    /// Checkpoint the WAL from a background thread (see the module's doc); without
    /// it, SQLite's automatic checkpoint runs in the COMMITs.
    pub checkpointer: bool,
    /// Keep string values in memory for GET (see cache.rs).
    pub read_cache: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            durability: Durability::Normal,
            max_idle_readers: 8,
            busy_timeout: Duration::from_secs(5),
            sweeper: true,
            checkpointer: true,
            read_cache: true,
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
    writer: Mutex<Writer>,
    /// Threads in `write` waiting for the writer: the group's reason to stay open.
    queued: AtomicUsize,
    /// The groups whose COMMIT is over, for the members waiting on them.
    finished: Mutex<Finished>,
    committed: Condvar,
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
    /// The users (ACL) and the ACL LOG.
    pub(crate) acl: crate::acl::Acl,
    /// String values in memory, for GET (see cache.rs).
    pub(crate) cache: crate::cache::ReadCache,
}

/// Most writes one COMMIT carries: a bound on how long the first of a group waits.
const MAX_GROUP: usize = 32;

/// The bound for writes a batch defers (`Db::batch`: a pipeline, or the server's
/// writer lane running every queued client's batch). Their replies wait for the end
/// of the batch or the COMMIT anyway, and a COMMIT, with the replies it releases,
/// costs as much as tens of SETs: redis-benchmark SET -P 16 went from 490k to 700k/s
/// on 2 cores going from 32 to 512, with its median latency 1.6 → 1.0 ms.
const MAX_DEFERRED_GROUP: usize = 512;

/// How a write joins a group transaction that is already open (`Db::write_as`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Join {
    /// Under a SAVEPOINT: if it fails, only its own work is rolled back.
    Guarded,
    /// Without one, for work whose errors all come before its first write (commands
    /// with `flag::FAILS_CLEAN`): the SAVEPOINT copies every page the write touches
    /// into a statement journal, a fifth of the writer's time under redis-benchmark's
    /// LPUSH. If it fails after writing all the same, the whole group fails, as
    /// when its COMMIT fails.
    Bare,
}

/// The writer connection and the group transaction left open on it, if any.
struct Writer {
    /// Declared before `conn`: its statements are finalized before `conn` closes.
    hot: Hot,
    conn: Connection,
    /// The open group: its number and how many writes it holds.
    open: Option<(u64, usize)>,
    last_group: u64,
}

#[derive(Default)]
struct Finished {
    /// Every group up to this one has committed (or failed to).
    through: u64,
    /// The groups whose COMMIT failed: the error, and the members yet to read it.
    failed: Vec<(u64, String, usize)>,
}

/// How a write's turn ended (`end_turn`).
enum Turn {
    /// Its COMMIT is over (or nothing of it was kept).
    Committed,
    /// Its work waits in the open group for this thread's batch to settle it.
    Deferred,
}

/// The writer's statements for the hottest SQL (`with_statement`), kept by the
/// address of their text. Each holds a reference to the writer connection: its
/// `Writer` keeps the connection at one place (in the `Db`'s `Arc`) for as long as
/// these live, and drops them first.
#[derive(Default)]
struct Hot(RefCell<Vec<(usize, Statement<'static>)>>);

// SAFETY: the statements are used only by the thread holding the writer's lock, as
// the connection they belong to is (a connection is Send, not Sync).
unsafe impl Send for Hot {}

impl Hot {
    /// The most statements kept: a linear search by address stays cheaper than
    /// rusqlite's cache.
    const MAX: usize = 16;

    fn run<T>(
        &self,
        conn: &Connection,
        sql: &'static str,
        f: impl FnOnce(&mut Statement<'_>) -> Result<T>,
    ) -> Result<T> {
        let Ok(mut list) = self.0.try_borrow_mut() else {
            return f(&mut *conn.prepare_cached(sql)?);
        };
        let at = sql.as_ptr() as usize;
        let i = match list.iter().position(|(a, _)| *a == at) {
            Some(i) => i,
            None if list.len() < Hot::MAX => {
                let stmt =
                    conn.prepare_with_flags(sql, rusqlite::PrepFlags::SQLITE_PREPARE_PERSISTENT)?;
                // SAFETY: the statement borrows the writer connection, which neither
                // moves nor closes while its `Writer` (which owns this `Hot`, and
                // drops it first) lives.
                let stmt: Statement<'static> = unsafe { std::mem::transmute(stmt) };
                list.push((at, stmt));
                list.len() - 1
            }
            None => return f(&mut *conn.prepare_cached(sql)?),
        };
        let stmt = &mut list[i].1;
        let result = f(stmt);
        // Values bound stay until the next use otherwise (a large one, held).
        stmt.clear_bindings();
        result
    }
}

/// Run `f` on the statement for `sql` prepared on `conn`. On the writer, inside a
/// write on this thread, the statement is the writer's own, found by the address of
/// `sql` (`Hot`); anywhere else it comes from `prepare_cached`, which hashes and
/// compares the SQL text, copies it into a new key and moves a list node on every
/// call (a tenth of the writer's time under redis-benchmark SET -P 16). For the few
/// statements nearly every write runs.
pub(crate) fn with_statement<T>(
    conn: &Connection,
    sql: &'static str,
    f: impl FnOnce(&mut Statement<'_>) -> Result<T>,
) -> Result<T> {
    match HOT.with(|h| h.get()) {
        Some((writer, hot)) if std::ptr::eq(writer, conn) => {
            // SAFETY: `write_as` points HOT at its writer's `Hot` only while its
            // closure runs on this thread, holding the writer's lock.
            unsafe { &*hot }.run(conn, sql, f)
        }
        _ => f(&mut *conn.prepare_cached(sql)?),
    }
}

/// `execute` of `sql` on `conn`, through `with_statement`: the number of rows changed.
pub(crate) fn execute_hot(
    conn: &Connection,
    sql: &'static str,
    params: impl rusqlite::Params,
) -> Result<usize> {
    with_statement(conn, sql, |stmt| Ok(stmt.execute(params)?))
}

/// Points HOT at a writer's statements while it lives.
struct HotScope(Option<(*const Connection, *const Hot)>);

impl HotScope {
    fn enter(w: &Writer) -> HotScope {
        HotScope(
            HOT.with(|h| h.replace(Some((&w.conn as *const Connection, &w.hot as *const Hot)))),
        )
    }
}

impl Drop for HotScope {
    fn drop(&mut self) {
        HOT.with(|h| h.set(self.0));
    }
}

thread_local! {
    /// The writer connection and its `Hot` statements while a write closure runs
    /// on this thread (`Db::write_as`).
    static HOT: std::cell::Cell<Option<(*const Connection, *const Hot)>> = const { std::cell::Cell::new(None) };

    /// The batch running on this thread, if any (`Db::batch`).
    static BATCH: RefCell<Option<BatchState>> = const { RefCell::new(None) };
}

struct BatchState {
    /// The `Db` the batch is for (its `Inner`'s address; the `Batch` keeps it alive).
    db: usize,
    /// The group holding this thread's deferred writes, and how many they are.
    pending: Option<(u64, usize)>,
    /// Their keyspace events, published once that group has committed.
    events: Vec<(Vec<u8>, Vec<u8>)>,
    /// Writes deferred so far.
    deferred: u64,
    /// The outcome of the last COMMIT that settled deferred writes, until read.
    settled: Option<std::result::Result<(), String>>,
    /// A write closure is running on this thread (its reads must not settle).
    writing: bool,
}

impl BatchState {
    fn new(inner: &Arc<Inner>) -> BatchState {
        BatchState {
            db: Arc::as_ptr(inner) as usize,
            pending: None,
            events: Vec::new(),
            deferred: 0,
            settled: None,
            writing: false,
        }
    }

    fn is(&self, inner: &Inner) -> bool {
        self.db == inner as *const Inner as usize
    }
}

/// Marks this thread's batch as inside a write closure while it lives.
struct Writing;

impl Writing {
    fn enter() -> Writing {
        BATCH.with(|b| {
            if let Some(b) = b.borrow_mut().as_mut() {
                b.writing = true;
            }
        });
        Writing
    }
}

impl Drop for Writing {
    fn drop(&mut self) {
        BATCH.with(|b| {
            if let Some(b) = b.borrow_mut().as_mut() {
                b.writing = false;
            }
        });
    }
}

/// True inside a write closure of this thread's batch.
fn in_batch_write() -> bool {
    BATCH.with(|b| b.borrow().as_ref().is_some_and(|b| b.writing))
}

/// A batch of one client's commands running on this thread (`Db::batch`; see the
/// module's doc). Dropping it settles what is pending.
pub struct Batch {
    db: Db,
    /// This guard started the batch (and ends it).
    own: bool,
}

impl Batch {
    /// Writes deferred so far: take it before a command, and ask `awaits_commit`
    /// after it.
    pub fn deferred(&self) -> u64 {
        self.db.with_batch(|b| b.deferred).unwrap_or(0)
    }

    /// Some deferred writes wait for their COMMIT.
    pub fn pending(&self) -> bool {
        self.db.with_batch(|b| b.pending.is_some()).unwrap_or(false)
    }

    /// The command run since `deferred()` was `before` left work waiting for a
    /// COMMIT: its reply stands only if that COMMIT succeeds (`settled`).
    pub fn awaits_commit(&self, before: u64) -> bool {
        self.deferred() > before && self.pending()
    }

    /// The outcome of the COMMIT that settled deferred writes since the last call
    /// (the error text if it failed: their work is gone).
    pub fn settled(&self) -> Option<std::result::Result<(), String>> {
        self.db.with_batch(|b| b.settled.take()).flatten()
    }

    /// Settle what is pending now; the outcome is then given by `settled`.
    pub fn settle(&self) {
        let _ = self.db.settle();
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if self.own {
            let _ = self.db.settle();
            BATCH.with(|b| *b.borrow_mut() = None);
        }
    }
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

    fn from_writer(path: Option<PathBuf>, mut writer: Connection, opts: Options) -> Result<Db> {
        let sweeper = opts.sweeper;
        let checkpointer = opts.checkpointer && path.is_some();
        let cache = match &path {
            Some(p) if opts.read_cache => {
                let watch = open_connection(Some(p), &opts, true)?;
                crate::cache::ReadCache::new(watch, &mut writer)
            }
            _ => crate::cache::ReadCache::disabled(),
        };
        let db = Db {
            inner: Arc::new(Inner {
                path,
                opts,
                writer: Mutex::new(Writer {
                    hot: Hot::default(),
                    conn: writer,
                    open: None,
                    last_group: 0,
                }),
                queued: AtomicUsize::new(0),
                finished: Mutex::new(Finished::default()),
                committed: Condvar::new(),
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
                acl: crate::acl::Acl::default(),
                cache,
            }),
        };
        if sweeper {
            spawn_sweeper(Arc::downgrade(&db.inner));
        }
        if checkpointer {
            let wal_pages: &'static AtomicI64 = Box::leak(Box::new(AtomicI64::new(0)));
            watch_wal(&db.inner.writer.lock().conn, wal_pages);
            spawn_checkpointer(Arc::downgrade(&db.inner), wal_pages);
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

    /// String values in memory, for GET (see cache.rs).
    pub(crate) fn read_cache(&self) -> &crate::cache::ReadCache {
        &self.inner.cache
    }

    /// Lua scripting and functions (see scripting/).
    pub fn scripting(&self) -> &crate::scripting::Engine {
        &self.inner.scripting
    }

    /// The users and their permissions (ACL), shared by every session of this `Db`.
    pub fn acl(&self) -> &crate::acl::Acl {
        &self.inner.acl
    }

    /// Time since this `Db` was opened.
    pub fn uptime(&self) -> Duration {
        self.inner.started.elapsed()
    }

    /// Run `f` inside one write transaction (`BEGIN IMMEDIATE`); commit on `Ok`,
    /// roll back on `Err`. Returns once the work is committed: with the writes of
    /// other threads that queued meanwhile, in one COMMIT (see the module's doc).
    /// The keys `f` signalled ready for blocked clients are forgotten before another
    /// write runs (`f` serves them, see `command::serve`). The keyspace events `f`
    /// queued (pubsub.rs) are taken before the writer is let go and published once
    /// the COMMIT that holds them is over.
    pub fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.write_as(Join::Guarded, f)
    }

    /// `write`, joining an open group as `join` says.
    pub fn write_as<T>(&self, join: Join, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let inner = &*self.inner;
        if inner.path.is_none() {
            // In memory, a COMMIT costs next to nothing, and reads share the
            // connection: no groups.
            let w = inner.writer.lock();
            let result =
                crate::pubsub::in_write(self, || transaction(&w.conn, "BEGIN IMMEDIATE", f));
            inner.blocking.forget_ready();
            let events = inner.pubsub.take_events();
            drop(w);
            if result.is_ok() {
                inner.pubsub.publish_events(events);
            }
            return result;
        }
        let defer = self.with_batch(|_| ()).is_some();
        inner.queued.fetch_add(1, Ordering::SeqCst);
        let mut w = inner.writer.lock();
        inner.queued.fetch_sub(1, Ordering::SeqCst);
        let joined = w.open.is_some();
        let guarded = joined && join == Join::Guarded;
        // What a bare member had changed when it began (see its failure below).
        let changes = if joined && !guarded {
            w.conn.total_changes()
        } else {
            0
        };
        if guarded {
            if let Err(e) = exec_cached(&w.conn, "SAVEPOINT redlite_group") {
                // Nothing of ours is in the transaction: just pass it on.
                let _ = self.end_turn(w, false, defer); // ours is the error to report
                return Err(e);
            }
        } else if !joined {
            exec_cached(&w.conn, "BEGIN IMMEDIATE")?;
            w.last_group += 1;
            w.open = Some((w.last_group, 0));
        }
        let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _writing = defer.then(Writing::enter);
            let _hot = HotScope::enter(&w);
            crate::pubsub::in_write(self, || f(&w.conn))
        }));
        inner.blocking.forget_ready();
        let events = inner.pubsub.take_events();
        let kept = match &ran {
            Ok(Ok(_)) if guarded => match exec_cached(&w.conn, "RELEASE redlite_group") {
                Ok(()) => Ok(true),
                Err(e) => {
                    let _ = w
                        .conn
                        .execute_batch("ROLLBACK TO redlite_group; RELEASE redlite_group");
                    Err(e)
                }
            },
            Ok(Ok(_)) => Ok(true),
            _ if guarded => {
                let _ = w
                    .conn
                    .execute_batch("ROLLBACK TO redlite_group; RELEASE redlite_group");
                Ok(false)
            }
            _ if joined => {
                if w.conn.total_changes() != changes {
                    // A bare member failed after writing after all (a storage
                    // error): its part cannot be told from the others', so the
                    // group goes, as when a COMMIT fails (`end_turn` finds it lost).
                    let _ = exec_cached(&w.conn, "ROLLBACK");
                }
                Ok(false)
            }
            _ => {
                // The first of a group: the transaction holds nothing else.
                let _ = exec_cached(&w.conn, "ROLLBACK");
                w.open = None;
                drop(w);
                return match ran {
                    Ok(r) => r,
                    Err(panic) => std::panic::resume_unwind(panic),
                };
            }
        };
        let kept = match kept {
            Ok(k) => k,
            Err(e) => {
                let _ = self.end_turn(w, false, defer); // ours is the error to report
                return Err(e);
            }
        };
        let group = self.end_turn(w, kept, defer);
        let value = match ran {
            Ok(r) => r?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match group {
            Ok(Turn::Committed) => {
                inner.pubsub.publish_events(events);
                Ok(value)
            }
            Ok(Turn::Deferred) => {
                self.with_batch(|b| b.events.extend(events));
                Ok(value)
            }
            Err(e) => Err(e),
        }
    }

    /// A write's turn with the writer is over (`kept`: its work is in the open
    /// transaction): hand the writer to the next in the queue, the transaction left
    /// open, or commit it. The outcome of the COMMIT that holds the work, once over;
    /// or, in a batch (`defer`), `Deferred` at once while the group may grow.
    fn end_turn(&self, mut w: MutexGuard<'_, Writer>, kept: bool, defer: bool) -> Result<Turn> {
        let inner = &*self.inner;
        let Some((group, members)) = w.open else {
            return Ok(Turn::Committed);
        };
        let members = members + kept as usize;
        // SQLite rolled the whole transaction back (an I/O error, a full disk): it
        // cannot stay open for anyone (`close_group` reports the loss).
        let lost = w.conn.is_autocommit();
        if !lost && defer && members < MAX_DEFERRED_GROUP {
            w.open = Some((group, members));
            drop(w);
            if kept {
                self.defer_into(group);
                return Ok(Turn::Deferred);
            }
            return Ok(Turn::Committed);
        }
        if !lost && inner.queued.load(Ordering::SeqCst) > 0 && members < MAX_GROUP {
            w.open = Some((group, members));
            drop(w);
            if !kept {
                return Ok(Turn::Committed);
            }
            return self.outcome_of(group, 1).map(|_| Turn::Committed);
        }
        // This thread's deferred writes in this group learn its outcome here too.
        let pending = if defer { self.pending_in(group) } else { 0 };
        let commit = self.close_group(&mut w, group, members, kept as usize + pending);
        drop(w);
        if defer {
            self.settled(&commit);
        }
        commit.map(|_| Turn::Committed)
    }

    /// End the open `group` of `members` writes: COMMIT it, or, if SQLite already
    /// rolled it back, report its work lost; then tell the members waiting for it
    /// (all but `mine`, who learn the outcome from the return value).
    fn close_group(&self, w: &mut Writer, group: u64, members: usize, mine: usize) -> Result<()> {
        let commit = if w.conn.is_autocommit() {
            w.open = None;
            Err(Error::redis(
                "ERR storage error: the write transaction was rolled back",
            ))
        } else {
            finish_group(w, &self.inner.cache)
        };
        self.group_finished(group, members, mine, &commit);
        commit
    }

    /// Wait until `group` is over; its outcome, read by `count` of its members.
    fn outcome_of(&self, group: u64, count: usize) -> Result<()> {
        let inner = &*self.inner;
        let mut f = inner.finished.lock();
        while f.through < group {
            inner.committed.wait(&mut f);
        }
        match f.failed.iter().position(|(g, ..)| *g == group) {
            None => Ok(()),
            Some(i) => {
                let text = f.failed[i].1.clone();
                f.failed[i].2 = f.failed[i].2.saturating_sub(count);
                if f.failed[i].2 == 0 {
                    f.failed.remove(i);
                }
                Err(Error::redis(text))
            }
        }
    }

    /// A write of this thread's batch left its work in the open `group`. A group it
    /// deferred into before is over by now (another is open): settle it first.
    fn defer_into(&self, group: u64) {
        let earlier = self
            .with_batch(|b| b.pending.filter(|(g, _)| *g != group))
            .flatten();
        if let Some((g, count)) = earlier {
            let outcome = self.outcome_of(g, count);
            self.with_batch(|b| b.pending = None);
            self.settled(&outcome);
        }
        self.with_batch(|b| {
            let count = b.pending.map_or(0, |(_, n)| n);
            b.pending = Some((group, count + 1));
            b.deferred += 1;
        });
    }

    /// Record the outcome of the COMMIT that held this thread's deferred writes, and
    /// publish their keyspace events if it succeeded.
    fn settled(&self, outcome: &Result<()>) {
        let events = self
            .with_batch(|b| {
                b.pending = None;
                b.settled = Some(outcome.as_ref().map(|_| ()).map_err(|e| e.reply_text()));
                std::mem::take(&mut b.events)
            })
            .unwrap_or_default();
        if outcome.is_ok() {
            self.inner.pubsub.publish_events(events);
        }
    }

    /// Commit the writes this thread's batch left in an open group (if that group is
    /// still open) and return the outcome; at once if there are none.
    pub fn settle(&self) -> Result<()> {
        let Some((group, count)) = self.with_batch(|b| b.pending).flatten() else {
            return Ok(());
        };
        let mut w = self.inner.writer.lock();
        let outcome = match w.open {
            Some((g, members)) if g == group => {
                let commit = self.close_group(&mut w, group, members, count);
                drop(w);
                commit
            }
            _ => {
                // Committed (or failed) by another member meanwhile.
                drop(w);
                self.outcome_of(group, count)
            }
        };
        self.settled(&outcome);
        outcome
    }

    /// Start a batch on this thread (see the module's doc): until the `Batch` is
    /// dropped, this thread's writes to this `Db` do not wait for their COMMIT. An
    /// in-memory database, or a thread already in a batch, gets one that defers
    /// nothing more.
    pub fn batch(&self) -> Batch {
        let own = self.inner.path.is_some()
            && BATCH.with(|b| {
                let mut b = b.borrow_mut();
                if b.is_some() {
                    return false;
                }
                *b = Some(BatchState::new(&self.inner));
                true
            });
        Batch {
            db: self.clone(),
            own,
        }
    }

    /// Run `f` inside one read transaction: a consistent snapshot on a reader
    /// connection (on the only connection, for an in-memory database).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        if self.inner.path.is_none() {
            let w = self.inner.writer.lock();
            return transaction(&w.conn, "BEGIN", f);
        }
        self.settle_before_read();
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

    /// A reader sees only committed data: commit this thread's deferred writes first
    /// (unless it is inside a write). Their outcome goes to the batch's front end;
    /// the read goes on.
    pub(crate) fn settle_before_read(&self) {
        if !in_batch_write() {
            let _ = self.settle();
        }
    }

    /// Run `f` on this thread's batch, if it is one of this `Db`.
    fn with_batch<R>(&self, f: impl FnOnce(&mut BatchState) -> R) -> Option<R> {
        BATCH.with(|b| b.borrow_mut().as_mut().filter(|b| b.is(&self.inner)).map(f))
    }

    /// How many of this thread's deferred writes are in `group`.
    fn pending_in(&self, group: u64) -> usize {
        self.with_batch(|b| b.pending.filter(|(g, _)| *g == group).map_or(0, |(_, n)| n))
            .unwrap_or(0)
    }

    /// Checkpoint the WAL into the main file (on shutdown).
    pub fn checkpoint(&self) -> Result<()> {
        if self.inner.path.is_some() {
            let mut w = self.inner.writer.lock();
            if let Some((group, members)) = w.open {
                // A group handed over to a write still queued: commit it now.
                let _ = self.close_group(&mut w, group, members, 0);
            }
            w.conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Tell the members of `group` waiting in `end_turn` that its COMMIT is over.
    /// `mine`: members that learn the outcome otherwise (the committer itself).
    fn group_finished(&self, group: u64, members: usize, mine: usize, commit: &Result<()>) {
        let inner = &*self.inner;
        let mut f = inner.finished.lock();
        f.through = group;
        if let Err(e) = commit {
            let others = members.saturating_sub(mine);
            if others > 0 {
                f.failed.push((group, e.reply_text(), others));
            }
        }
        drop(f);
        inner.committed.notify_all();
    }

    /// Delete up to `limit` expired keys now; returns how many went.
    pub fn sweep_expired(&self, limit: usize) -> Result<usize> {
        let now = now_ms();
        let n = self.write(|conn| keyspace::delete_expired(conn, now, limit))?;
        self.inner
            .stats
            .expired_keys
            .fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn transaction<T>(
    conn: &Connection,
    begin: &str,
    f: impl FnOnce(&Connection) -> Result<T>,
) -> Result<T> {
    exec_cached(conn, begin)?;
    match f(conn) {
        Ok(v) => match exec_cached(conn, "COMMIT") {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = exec_cached(conn, "ROLLBACK");
                Err(e)
            }
        },
        Err(e) => {
            let _ = exec_cached(conn, "ROLLBACK");
            Err(e)
        }
    }
}

/// COMMIT the open group (ROLLBACK if that fails), leaving none open.
/// The read cache learns what the COMMIT changed (see cache.rs).
fn finish_group(w: &mut Writer, cache: &crate::cache::ReadCache) -> Result<()> {
    w.open = None;
    let pending = cache.before_commit(&w.conn);
    match exec_cached(&w.conn, "COMMIT") {
        Ok(()) => {
            cache.after_commit(pending, true);
            Ok(())
        }
        Err(e) => {
            let _ = exec_cached(&w.conn, "ROLLBACK");
            cache.after_commit(pending, false);
            Err(e)
        }
    }
}

/// A statement without parameters or rows (BEGIN, COMMIT, SAVEPOINT ...), prepared
/// once per connection: these run several times per command.
fn exec_cached(conn: &Connection, sql: &str) -> Result<()> {
    conn.prepare_cached(sql)?.raw_execute()?;
    Ok(())
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

/// The WAL size at which the checkpointer copies it into the database file
/// (SQLite's own automatic checkpoint threshold).
const CHECKPOINT_PAGES: i64 = 1000;

/// The WAL size at which the writer checkpoints itself (16 MB of 4 KiB pages). Under
/// a steady stream of writes the checkpointer's copy never quite catches up with the
/// end of the WAL, which SQLite restarts from its beginning only once every frame is
/// in the database file: the writer's own checkpoint copies what is left (little, the
/// checkpointer having done the rest) while no write runs, and the WAL restarts.
const CHECKPOINT_PAGES_MAX: i64 = 4_000;

/// Replace SQLite's automatic checkpoint on the writer by a WAL hook that records the
/// WAL's size in `pages` after each COMMIT (and checkpoints only past
/// `CHECKPOINT_PAGES_MAX`).
fn watch_wal(conn: &Connection, pages: &'static AtomicI64) {
    unsafe extern "C" fn on_commit(
        pages: *mut std::ffi::c_void,
        db: *mut rusqlite::ffi::sqlite3,
        name: *const std::ffi::c_char,
        n: std::ffi::c_int,
    ) -> std::ffi::c_int {
        // SAFETY: `pages` is the &'static AtomicI64 given to sqlite3_wal_hook below.
        let pages = unsafe { &*(pages as *const AtomicI64) };
        pages.store(n as i64, Ordering::Relaxed);
        if n as i64 >= CHECKPOINT_PAGES_MAX {
            // SAFETY: SQLite's own default hook does this: a checkpoint of the
            // database that just committed, on the connection that committed it.
            unsafe {
                rusqlite::ffi::sqlite3_wal_checkpoint_v2(
                    db,
                    name,
                    rusqlite::ffi::SQLITE_CHECKPOINT_PASSIVE,
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                );
            }
        }
        rusqlite::ffi::SQLITE_OK
    }
    // SAFETY: the handle is the writer's, open for as long as the hook may run; the
    // hook's argument is 'static.
    unsafe {
        rusqlite::ffi::sqlite3_wal_hook(
            conn.handle(),
            Some(on_commit),
            pages as *const AtomicI64 as *mut std::ffi::c_void,
        );
    }
}

/// Checkpoint the WAL beside the writes: every 20 ms, a PASSIVE checkpoint on a
/// connection of its own if the writer's WAL hook saw it pass `CHECKPOINT_PAGES`.
fn spawn_checkpointer(inner: Weak<Inner>, pages: &'static AtomicI64) {
    let _ = std::thread::Builder::new()
        .name("redlite-checkpoint".into())
        .spawn(move || {
            let mut conn: Option<Connection> = None;
            loop {
                std::thread::sleep(Duration::from_millis(20));
                let Some(inner) = inner.upgrade() else { return };
                let seen = pages.load(Ordering::Relaxed);
                if seen < CHECKPOINT_PAGES {
                    continue;
                }
                if conn.is_none() {
                    conn = open_connection(inner.path.as_deref(), &inner.opts, false).ok();
                }
                drop(inner);
                let Some(c) = conn.as_ref() else { continue };
                if c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    .is_ok()
                {
                    // The next COMMIT reports the WAL's size again (from its start,
                    // once the writer has restarted it).
                    let _ = pages.compare_exchange(seen, 0, Ordering::Relaxed, Ordering::Relaxed);
                }
            }
        });
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    fn temp_db(name: &str) -> (Db, PathBuf) {
        let dir = std::env::temp_dir().join(format!("redlite-db-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let opts = Options {
            sweeper: false,
            ..Options::default()
        };
        (Db::open_with(dir.join("t.db"), opts).unwrap(), dir)
    }

    /// The bundled SQLite is past the WAL-reset corruption bug (fixed in 3.51.3; a
    /// writer plus a separate checkpointing connection, as here, is its trigger), and
    /// the compile options of .cargo/config.toml's LIBSQLITE3_FLAGS reached its build.
    #[test]
    fn bundled_sqlite_is_current_and_built_with_our_flags() {
        assert!(
            rusqlite::version_number() >= 3_051_003,
            "SQLite {} has the WAL-reset bug",
            rusqlite::version()
        );
        let conn = Connection::open_in_memory().unwrap();
        let opts: Vec<String> = conn
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(opts.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{opts:?}");
        assert!(
            !opts.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{opts:?}"
        );
    }

    /// `temp_db` with a table `t (n INTEGER)`.
    fn table_db(name: &str) -> (Db, PathBuf) {
        let (db, dir) = temp_db(name);
        db.write(|c| Ok(c.execute_batch("CREATE TABLE t (n INTEGER)")?))
            .unwrap();
        (db, dir)
    }

    /// One write transaction inserting `n` into `t`.
    fn insert(db: &Db, n: i64) -> Result<()> {
        db.write(|c| Ok(c.execute("INSERT INTO t VALUES (?1)", [n]).map(|_| ())?))
    }

    fn count(db: &Db) -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
            .unwrap()
    }

    /// Threads writing at once: every write that returned Ok is committed, and every
    /// one that failed left nothing, whichever group it was part of.
    #[test]
    fn concurrent_writes_share_commits_and_fail_alone() {
        let (db, dir) = table_db("group");
        let threads = 8;
        let per = 200;
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let db = db.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let mut ok = 0;
                    for i in 0..per {
                        let fail = (t * per + i) % 7 == 0;
                        let r = db.write(|c| {
                            c.execute("INSERT INTO t VALUES (?1)", [i as i64])?;
                            if fail {
                                return Err(Error::redis("ERR failed on purpose"));
                            }
                            Ok(())
                        });
                        assert_eq!(r.is_ok(), !fail);
                        ok += r.is_ok() as i64;
                    }
                    ok
                })
            })
            .collect();
        let ok: i64 = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(count(&db), ok);
        let w = db.inner.writer.lock();
        assert!(w.open.is_none());
        eprintln!("{} writes in {} transactions", threads * per, w.last_group);
        drop(w);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// In a batch, consecutive writes share one COMMIT, made before a read on the
    /// thread and when the batch ends; the read sees them.
    #[test]
    fn a_batch_defers_commits_until_a_read() {
        let (db, dir) = table_db("batch");
        let before = db.inner.writer.lock().last_group;
        let batch = db.batch();
        for i in 0..5 {
            insert(&db, i).unwrap();
        }
        assert_eq!(batch.deferred(), 5);
        assert!(batch.pending());
        assert_eq!(batch.settled(), None);
        // Another thread sees nothing yet.
        let other = db.clone();
        assert_eq!(std::thread::spawn(move || count(&other)).join().unwrap(), 0);
        assert_eq!(count(&db), 5); // settles first
        assert!(!batch.pending());
        assert_eq!(batch.settled(), Some(Ok(())));
        insert(&db, 9).unwrap();
        drop(batch);
        assert_eq!(db.inner.writer.lock().last_group, before + 2);
        assert!(db.inner.writer.lock().open.is_none());
        assert_eq!(count(&db), 6);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A COMMIT that fails reaches the batch: the deferred writes' work is gone, and
    /// `settled` says so.
    #[test]
    fn a_batch_learns_of_a_lost_commit() {
        let (db, dir) = table_db("batch-lost");
        let batch = db.batch();
        insert(&db, 1).unwrap();
        assert!(batch.pending());
        // A write that ends the transaction under everyone's feet, as an I/O error would.
        let r = db.write(|c| Ok(c.execute_batch("ROLLBACK")?));
        assert!(r.is_err());
        assert!(matches!(batch.settled(), Some(Err(_))));
        assert!(!batch.pending());
        drop(batch);
        assert_eq!(count(&db), 0);
        insert(&db, 2).unwrap();
        assert_eq!(count(&db), 1);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Writers on other threads join a batch's open group and commit it; the batch
    /// then finds its writes committed.
    #[test]
    fn others_may_commit_a_batch_group() {
        let (db, dir) = table_db("batch-join");
        let batch = db.batch();
        insert(&db, 1).unwrap();
        let other = db.clone();
        std::thread::spawn(move || {
            insert(&other, 2).unwrap();
        })
        .join()
        .unwrap();
        assert!(db.inner.writer.lock().open.is_none());
        assert_eq!(db.settle().ok(), Some(()));
        assert_eq!(batch.settled(), Some(Ok(())));
        drop(batch);
        assert_eq!(count(&db), 2);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A bare member of a group (no SAVEPOINT) that fails before writing leaves the
    /// group as it was; one that fails after writing takes the whole group down with
    /// it, and every member learns so, as of a failed COMMIT.
    #[test]
    fn a_bare_member_fails_alone_only_before_writing() {
        let (db, dir) = table_db("bare");
        let bare_insert = |n: i64, fail: bool| {
            db.write_as(Join::Bare, |c| {
                c.execute("INSERT INTO t VALUES (?1)", [n])?;
                if fail {
                    return Err(Error::redis("ERR failed on purpose"));
                }
                Ok(())
            })
        };
        let batch = db.batch();
        insert(&db, 1).unwrap();
        bare_insert(2, false).unwrap();
        let r = db.write_as(Join::Bare, |_| -> Result<()> {
            Err(Error::redis("ERR before writing"))
        });
        assert!(r.is_err());
        assert!(batch.pending());
        assert_eq!(count(&db), 2);
        assert_eq!(batch.settled(), Some(Ok(())));

        insert(&db, 3).unwrap();
        assert!(batch.pending());
        assert!(bare_insert(4, true).is_err());
        assert!(!batch.pending());
        assert!(matches!(batch.settled(), Some(Err(_))));
        drop(batch);
        assert_eq!(count(&db), 2);
        assert!(db.inner.writer.lock().open.is_none());
        insert(&db, 5).unwrap();
        assert_eq!(count(&db), 3);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The writer's own statements (`with_statement`) go before its connection: a
    /// connection with statements left does not close (rusqlite ignores the error),
    /// and its file descriptors stay open.
    #[test]
    fn the_writer_closes_after_its_own_statements() {
        let dir = std::env::temp_dir().join(format!("redlite-db-hot-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let opts = Options {
            sweeper: false,
            checkpointer: false,
            ..Options::default()
        };
        let db = Db::open_with(dir.join("t.db"), opts).unwrap();
        let mut s = crate::Session::new(db.clone());
        assert_eq!(s.execute(&["SET", "k", "v"]), crate::Reply::ok());
        assert_eq!(s.execute(&["SET", "k", "w"]), crate::Reply::ok());
        assert_eq!(s.execute(&["INCR", "n"]), crate::Reply::Int(1));
        assert!(db.inner.writer.lock().hot.0.borrow().len() >= 2);
        let open = || {
            std::fs::read_dir("/proc/self/fd")
                .unwrap()
                .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .filter(|target| target.starts_with(&dir))
                .count()
        };
        assert!(open() > 0);
        drop(s);
        drop(db);
        assert_eq!(open(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A write that panics rolls back only itself; the writer goes on.
    #[test]
    fn a_panicking_write_leaves_nothing() {
        let (db, dir) = table_db("panic");
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            db.write(|c| {
                c.execute("INSERT INTO t VALUES (1)", [])?;
                panic!("on purpose");
                #[allow(unreachable_code)]
                Ok(())
            })
        }));
        assert!(r.is_err());
        insert(&db, 2).unwrap();
        assert_eq!(count(&db), 1);
        let _ = std::fs::remove_dir_all(dir);
    }
}
