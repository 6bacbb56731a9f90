//! Wake-ups for blocking commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, the
//! sorted sets' BZPOPMIN, BZPOPMAX, BZMPOP, and later XREAD BLOCK.
//!
//! How a blocking command runs (`Session::start`, in command/mod.rs):
//!
//! 1. Its handler runs in a write transaction like any command. Finding something to
//!    take, it answers. Finding nothing, it calls `ctx.block(keys, deadline, nowait)`.
//! 2. The session registers a waiter on those keys *inside that same transaction*: a
//!    push needs the writer too, so none can slip between the empty look and the
//!    registration. The transaction commits and the client waits (a [`Blocked`]).
//! 3. A write that may feed a waiter calls `ctx.signal_ready(key)` (LPUSH, LMOVE's
//!    push, ZADD, ...). Before that transaction commits, the session serves the ready
//!    keys: for each, its waiters first come, first served, each by running the
//!    waiter's own command again (in the waiter's database, not allowed to block) in
//!    the same transaction, under a savepoint. A waiter whose command takes something
//!    is claimed with that reply; one whose command finds nothing keeps waiting, in
//!    its place. A served command may make more keys ready (BLMOVE pushes), and those
//!    are served in turn, in the same transaction.
//! 4. After the commit, claimed waiters get their replies and wake up; after a
//!    rollback they go back to waiting, in their place.
//! 5. Writes that do not signal (another process sharing the file, RENAME or RESTORE
//!    onto a waited key, ...) are found by a poller thread: every [`POLL_INTERVAL`],
//!    while anyone waits, if `PRAGMA data_version` says the file changed it compares
//!    each waited key's (id, version) with what its waiters last saw, and serves
//!    those that changed, in one write transaction.
//!
//! Being served, timing out and being cancelled are decided under one lock, so a
//! waiter that gave up never takes an element, and one that took an element always
//! receives it.
//!
//! Redis 7.0 serves a list waiter from the key that became ready; redlite re-runs the
//! waiter's command, which takes from its first non-empty key, as Redis 7.2 does.

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};
use rusqlite::{Connection, OpenFlags};

use crate::command::{SessionState, Spec};
use crate::db::{now_ms, Db, Inner as DbInner};
use crate::error::{Error, Result};
use crate::keyspace::{self, Scope};
use crate::num::{parse_f64, parse_i64};
use crate::reply::Reply;

/// How often the poller looks for writes that did not signal (other processes).
pub const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// What a blocking handler that found nothing waits for (see `Ctx::block`).
#[derive(Debug, Clone, PartialEq)]
pub struct BlockOn {
    /// The keys, in the selected database, whose writes may serve it.
    pub keys: Vec<Vec<u8>>,
    /// Unix ms; `None` waits for ever.
    pub deadline: Option<i64>,
    /// The arguments (after the command name) to run when a key is ready, if not the
    /// command's own: XREAD BLOCK turns `$` into the last id it saw.
    pub rerun: Option<Vec<Vec<u8>>>,
}

/// A blocking command's timeout in seconds (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, ...), read
/// as Redis 7.0 reads it: a float ("ERR timeout is not a float or out of range"),
/// times 1000 and truncated to whole milliseconds (so 0.0001 is 0: for ever), negative
/// → "ERR timeout is negative" (as is anything beyond the range of a long long, which
/// the C conversion turns into LLONG_MIN, `inf` included). Returns the deadline in
/// unix ms, `None` for 0 (wait for ever).
pub fn timeout_secs(arg: &[u8], now: i64) -> Result<Option<i64>> {
    let secs =
        parse_f64(arg).ok_or_else(|| Error::redis("ERR timeout is not a float or out of range"))?;
    // Redis computes in long double, exact for any integer below 2^63; the decimal
    // digits give the same truncation without rounding through an f64.
    let ms = match decimal_ms(arg) {
        Some(ms) => ms,
        None => {
            let ms = secs * 1000.0;
            const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
            if ms.is_finite() && ms > -LIMIT && ms < LIMIT {
                ms.trunc() as i64
            } else {
                i64::MIN
            }
        }
    };
    deadline_after(ms, now)
}

/// A plain decimal number of seconds ([-+]digits[.digits][e[-+]digits]) times 1000,
/// truncated toward zero, exactly; `i64::MIN` beyond the range of an i64 (as C's
/// conversion gives). `None` for anything else (inf, hex floats).
fn decimal_ms(arg: &[u8]) -> Option<i64> {
    let (neg, rest) = match arg.first()? {
        b'-' => (true, &arg[1..]),
        b'+' => (false, &arg[1..]),
        _ => (false, arg),
    };
    let (mantissa, exp) = match rest.iter().position(|&c| c == b'e' || c == b'E') {
        Some(i) => (
            &rest[..i],
            std::str::from_utf8(&rest[i + 1..])
                .ok()?
                .parse::<i64>()
                .ok()?,
        ),
        None => (rest, 0),
    };
    let (int, frac) = match mantissa.iter().position(|&c| c == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, &b""[..]),
    };
    if int.is_empty() && frac.is_empty() || !int.iter().chain(frac).all(u8::is_ascii_digit) {
        return None;
    }
    // value = digits × 10^point_shift; times 1000.
    let digits: Vec<u8> = int
        .iter()
        .chain(frac)
        .copied()
        .skip_while(|&c| c == b'0')
        .collect();
    let shift = exp.checked_add(3)?.checked_sub(frac.len() as i64)?;
    let whole: &[u8] = if shift >= 0 {
        &digits
    } else {
        let keep = digits
            .len()
            .saturating_sub(shift.unsigned_abs().min(usize::MAX as u64) as usize);
        &digits[..keep]
    };
    let zeros = if shift > 0 { shift as usize } else { 0 };
    if whole.is_empty() {
        return Some(0);
    }
    if whole.len() + zeros > 19 {
        return Some(i64::MIN);
    }
    let mut n: i64 = 0;
    for &c in whole.iter().chain(std::iter::repeat_n(&b'0', zeros)) {
        n = match n
            .checked_mul(10)
            .and_then(|n| n.checked_add((c - b'0') as i64))
        {
            Some(n) => n,
            None => return Some(i64::MIN),
        };
    }
    Some(if neg { -n } else { n })
}

/// A blocking timeout in milliseconds (XREAD ... BLOCK): an integer ("ERR timeout is
/// not an integer or out of range"), not negative; the deadline, `None` for 0.
pub fn timeout_ms(arg: &[u8], now: i64) -> Result<Option<i64>> {
    let ms = parse_i64(arg)
        .ok_or_else(|| Error::redis("ERR timeout is not an integer or out of range"))?;
    deadline_after(ms, now)
}

fn deadline_after(ms: i64, now: i64) -> Result<Option<i64>> {
    if ms < 0 {
        return Err(Error::redis("ERR timeout is negative"));
    }
    if ms == 0 {
        return Ok(None);
    }
    // Past the end of time Redis's deadline wraps around and never fires.
    Ok(now.checked_add(ms))
}

/// (database, key)
type Slot = (u32, Vec<u8>);

/// The waiters of one `Db`, by key, in arrival order; and the keys the running write
/// transaction made ready.
#[derive(Default)]
pub struct Registry {
    inner: Mutex<Waiting>,
    /// Waiters registered: `signal` does nothing while there are none.
    count: AtomicUsize,
    /// `ready` is not empty.
    has_ready: AtomicBool,
    next_seq: AtomicU64,
    /// Write transactions committed by sessions of this `Db`: the poller's test for
    /// change on an in-memory database, which has no `data_version` to ask.
    commits: AtomicU64,
}

#[derive(Default)]
struct Waiting {
    keys: HashMap<Slot, KeyQueue>,
    /// Keys signalled by the running write transaction (there is one writer, so one
    /// such transaction at a time), in signal order, without repeats.
    ready: Vec<Slot>,
    poller: bool,
}

struct KeyQueue {
    waiters: VecDeque<Arc<Waiter>>,
    /// (id, version) of the key when its waiters last tried it; `None`: no such key.
    seen: Option<(i64, i64)>,
}

/// One blocked command.
pub(crate) struct Waiter {
    /// Arrival order, across all keys.
    seq: u64,
    db: u32,
    keys: Vec<Vec<u8>>,
    pub(crate) spec: &'static Spec,
    /// The arguments after the command name.
    pub(crate) args: Vec<Vec<u8>>,
    /// The client's state when it blocked (its database, its protocol ...).
    pub(crate) session: SessionState,
    state: Mutex<State>,
    cv: Condvar,
    waker: Mutex<Option<Box<dyn Fn() + Send + Sync>>>,
}

impl Waiter {
    /// Arrival order, across all keys.
    pub(crate) fn seq(&self) -> u64 {
        self.seq
    }
}

enum State {
    Waiting,
    /// A write transaction took something for it and has not committed yet.
    Claimed,
    Served(Reply),
    /// The reply was handed over, or the waiter timed out or was cancelled.
    Done,
}

impl Registry {
    /// Waiters registered now.
    pub fn waiters(&self) -> usize {
        self.count.load(Ordering::Acquire)
    }

    /// A write made `key` of database `db` able to serve waiters (a push): if anyone
    /// waits on it, serve them before the transaction commits.
    pub(crate) fn signal(&self, db: u32, key: &[u8]) {
        if self.count.load(Ordering::Acquire) == 0 {
            return;
        }
        let mut w = self.inner.lock();
        let slot = (db, key.to_vec());
        if w.keys.contains_key(&slot) && !w.ready.contains(&slot) {
            w.ready.push(slot);
            self.has_ready.store(true, Ordering::Release);
        }
    }

    /// The keys signalled since the last call.
    pub(crate) fn take_ready(&self) -> Vec<Slot> {
        if !self.has_ready.load(Ordering::Acquire) {
            return Vec::new();
        }
        let mut w = self.inner.lock();
        self.has_ready.store(false, Ordering::Release);
        std::mem::take(&mut w.ready)
    }

    /// Forget the signals of a write that is over (rolled back, or served). Only
    /// `Db::write` calls this, before another write may run: with group commit a
    /// write's `Db::write` returns after other writes ran, so a call there would drop
    /// their signals.
    pub(crate) fn forget_ready(&self) {
        if self.has_ready.load(Ordering::Acquire) {
            self.inner.lock().ready.clear();
            self.has_ready.store(false, Ordering::Release);
        }
    }

    /// A session's write transaction committed.
    pub(crate) fn note_commit(&self) {
        self.commits.fetch_add(1, Ordering::Relaxed);
    }

    /// Register a waiter for `req` inside the transaction on `conn` that found
    /// nothing to take (so no push can come between). The waiter runs `spec` with
    /// `args` (or `req.rerun`) in `session`'s database when one of the keys is ready.
    #[allow(clippy::too_many_arguments)] // the command, its client and its transaction
    pub(crate) fn register(
        &self,
        db: &Db,
        conn: &Connection,
        req: BlockOn,
        session: &SessionState,
        spec: &'static Spec,
        args: &[&[u8]],
        now: i64,
    ) -> Result<Blocked> {
        let mut keys: Vec<Vec<u8>> = Vec::with_capacity(req.keys.len());
        for k in req.keys {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let scope = Scope {
            conn,
            db: session.db,
            now,
            writable: false,
        };
        let mut seen = Vec::with_capacity(keys.len());
        for k in &keys {
            seen.push(version_of(scope, k)?);
        }
        let waiter = Arc::new(Waiter {
            seq: self.next_seq.fetch_add(1, Ordering::Relaxed) + 1,
            db: session.db,
            keys,
            spec,
            args: req
                .rerun
                .unwrap_or_else(|| args.iter().map(|a| a.to_vec()).collect()),
            session: session.clone(),
            state: Mutex::new(State::Waiting),
            cv: Condvar::new(),
            waker: Mutex::new(None),
        });
        let start_poller = {
            let mut w = self.inner.lock();
            for (k, seen) in waiter.keys.iter().zip(seen) {
                let q = w
                    .keys
                    .entry((waiter.db, k.clone()))
                    .or_insert_with(|| KeyQueue {
                        waiters: VecDeque::new(),
                        seen: None,
                    });
                q.waiters.push_back(waiter.clone());
                q.seen = seen;
            }
            self.count.fetch_add(1, Ordering::AcqRel);
            !std::mem::replace(&mut w.poller, true)
        };
        if start_poller {
            spawn_poller(db);
        }
        db.stats().blocked_clients.fetch_add(1, Ordering::Relaxed);
        // The whole timeout from now: the command's clock `now` is a little behind.
        let deadline = req.deadline.map(|at| {
            let wait = Duration::from_millis(at.saturating_sub(now).max(0) as u64);
            Instant::now().checked_add(wait).unwrap_or_else(far_future)
        });
        Ok(Blocked {
            db: db.clone(),
            waiter,
            deadline,
            finished: false,
        })
    }

    /// Claim the first waiter on `slot`, in arrival order after `after` (a waiter's
    /// seq; 0 for the first), that is still waiting.
    pub(crate) fn claim(&self, slot: &Slot, after: u64) -> Option<Arc<Waiter>> {
        let w = self.inner.lock();
        let q = w.keys.get(slot)?;
        for waiter in q.waiters.iter().filter(|w| w.seq > after) {
            let mut state = waiter.state.lock();
            if matches!(*state, State::Waiting) {
                *state = State::Claimed;
                return Some(waiter.clone());
            }
        }
        None
    }

    /// A claimed waiter's command found nothing after all: it waits on, in its place.
    pub(crate) fn unclaim(&self, waiter: &Waiter) {
        let mut state = waiter.state.lock();
        if matches!(*state, State::Claimed) {
            *state = State::Waiting;
        }
        waiter.cv.notify_all();
    }

    /// CLIENT UNBLOCK: end the wait of the blocked command of client `id` with `reply`
    /// (its timeout reply, or an UNBLOCKED error), as if served. False if that client
    /// is not waiting (or a write has just taken something for it).
    pub(crate) fn unblock(&self, id: u64, reply: Reply) -> bool {
        let waiter = {
            let mut w = self.inner.lock();
            let found = w
                .keys
                .values()
                .flat_map(|q| q.waiters.iter())
                .find(|x| x.session.id == id)
                .cloned();
            let Some(waiter) = found else { return false };
            let mut state = waiter.state.lock();
            if !matches!(*state, State::Waiting) {
                return false;
            }
            *state = State::Served(reply);
            drop(state);
            self.unlink(&mut w, &waiter);
            waiter.cv.notify_all();
            waiter
        };
        if let Some(wake) = waiter.waker.lock().as_ref() {
            wake();
        }
        true
    }

    /// Record what the waiters of `slot` last saw of the key.
    pub(crate) fn saw(&self, slot: &Slot, seen: Option<(i64, i64)>) {
        if let Some(q) = self.inner.lock().keys.get_mut(slot) {
            q.seen = seen;
        }
    }

    /// Every waited key with what its waiters last saw.
    fn watched(&self) -> Vec<(Slot, Option<(i64, i64)>)> {
        self.inner
            .lock()
            .keys
            .iter()
            .map(|(slot, q)| (slot.clone(), q.seen))
            .collect()
    }

    /// Take `waiter` out of every queue it is in (the registry lock held).
    fn unlink(&self, w: &mut Waiting, waiter: &Waiter) {
        for k in &waiter.keys {
            let slot = (waiter.db, k.clone());
            if let Some(q) = w.keys.get_mut(&slot) {
                q.waiters.retain(|x| x.seq != waiter.seq);
                if q.waiters.is_empty() {
                    w.keys.remove(&slot);
                }
            }
        }
        self.count.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The (id, version) of a live key, which changes with every write to it.
fn version_of(scope: Scope<'_>, key: &[u8]) -> Result<Option<(i64, i64)>> {
    Ok(keyspace::lookup(scope, key)?.map(|m| (m.id, m.version)))
}

/// The waiters one write transaction served, handed their replies once it commits
/// (`publish`); if it rolls back instead, dropping this puts them back to waiting.
pub(crate) struct Claims<'a> {
    registry: &'a Registry,
    served: Vec<(Arc<Waiter>, Reply)>,
}

impl<'a> Claims<'a> {
    pub(crate) fn new(registry: &'a Registry) -> Claims<'a> {
        Claims {
            registry,
            served: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, waiter: Arc<Waiter>, reply: Reply) {
        self.served.push((waiter, reply));
    }

    /// No waiter was served.
    pub(crate) fn is_empty(&self) -> bool {
        self.served.is_empty()
    }

    /// The transaction committed: give each served waiter its reply and wake it.
    pub(crate) fn publish(mut self) {
        if self.served.is_empty() {
            return;
        }
        let mut served = std::mem::take(&mut self.served);
        {
            let mut w = self.registry.inner.lock();
            for (waiter, reply) in &mut served {
                self.registry.unlink(&mut w, waiter);
                *waiter.state.lock() = State::Served(std::mem::replace(reply, Reply::Nil));
                waiter.cv.notify_all();
            }
        }
        for (waiter, _) in &served {
            if let Some(wake) = waiter.waker.lock().as_ref() {
                wake();
            }
        }
    }
}

impl Drop for Claims<'_> {
    fn drop(&mut self) {
        for (waiter, _) in self.served.drain(..) {
            self.registry.unclaim(&waiter);
        }
    }
}

/// A command that is waiting (`Session::start` returned it): wait for it with `wait`
/// (blocking the thread), or poll it from an event loop (`set_waker`, `poll`,
/// `expire` once `deadline` passes, `cancel` when the client goes away).
/// Dropping it unfinished cancels it.
pub struct Blocked {
    db: Db,
    waiter: Arc<Waiter>,
    deadline: Option<Instant>,
    finished: bool,
}

impl std::fmt::Debug for Blocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blocked")
            .field("command", &self.waiter.spec.name)
            .field("deadline", &self.deadline)
            .finish()
    }
}

impl Blocked {
    /// When the command times out; `None`: never.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Call `wake` (from whatever thread serves it) once the command has its reply;
    /// then `poll` takes it. Set it, then poll once: a reply that came before is
    /// not announced.
    pub fn set_waker(&self, wake: impl Fn() + Send + Sync + 'static) {
        *self.waiter.waker.lock() = Some(Box::new(wake));
    }

    /// The reply, if the command was served; `None` while it waits (or once finished).
    pub fn poll(&mut self) -> Option<Reply> {
        if self.finished {
            return None;
        }
        let mut state = self.waiter.state.lock();
        if matches!(*state, State::Served(_)) {
            if let State::Served(reply) = std::mem::replace(&mut *state, State::Done) {
                drop(state);
                self.finish();
                return Some(reply);
            }
        }
        None
    }

    /// Block the thread until the command is served or times out; its reply.
    pub fn wait(mut self) -> Reply {
        loop {
            if let Some(reply) = self.wait_for(None) {
                return reply;
            }
        }
    }

    /// Block the thread until the command is served or times out (then `Some` of its
    /// reply: the command is finished), or for at most `max` (then `None`).
    pub fn wait_for(&mut self, max: Option<Duration>) -> Option<Reply> {
        if self.finished {
            return None;
        }
        let until = match (self.deadline, max) {
            (Some(d), Some(m)) => Some(d.min(Instant::now() + m)),
            (Some(d), None) => Some(d),
            (None, Some(m)) => Some(Instant::now() + m),
            (None, None) => None,
        };
        {
            let mut state = self.waiter.state.lock();
            loop {
                if let State::Served(_) = *state {
                    if let State::Served(reply) = std::mem::replace(&mut *state, State::Done) {
                        drop(state);
                        self.finish();
                        return Some(reply);
                    }
                }
                match until {
                    None => self.waiter.cv.wait(&mut state),
                    Some(t) => {
                        if self.waiter.cv.wait_until(&mut state, t).timed_out() {
                            break;
                        }
                    }
                }
            }
        }
        match self.deadline {
            Some(d) if Instant::now() >= d => Some(self.leave().unwrap_or(Reply::NilArray)),
            _ => None,
        }
    }

    /// The deadline passed: stop waiting. The reply if the command was served just
    /// before, else Redis's timeout reply (a null array).
    pub fn expire(mut self) -> Reply {
        self.leave().unwrap_or(Reply::NilArray)
    }

    /// The client went away: stop waiting. Decided under the registry lock: if this
    /// comes first, no element is taken for it.
    pub fn cancel(mut self) {
        let _ = self.leave();
    }

    /// Leave the registry; the reply if the command was served first.
    pub(crate) fn leave(&mut self) -> Option<Reply> {
        if self.finished {
            return None;
        }
        let registry = self.db.blocking();
        let reply = loop {
            let mut w = registry.inner.lock();
            let mut state = self.waiter.state.lock();
            match std::mem::replace(&mut *state, State::Done) {
                State::Waiting => {
                    registry.unlink(&mut w, &self.waiter);
                    break None;
                }
                State::Served(reply) => break Some(reply),
                State::Done => break None,
                State::Claimed => {
                    // A transaction took something for it: wait for its commit or
                    // rollback, which is quick (the writer is busy with it now).
                    *state = State::Claimed;
                    drop(w);
                    self.waiter
                        .cv
                        .wait_for(&mut state, Duration::from_millis(10));
                }
            }
        };
        self.finish();
        reply
    }

    fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            self.db
                .stats()
                .blocked_clients
                .fetch_sub(1, Ordering::Relaxed);
        }
    }
}

impl Drop for Blocked {
    fn drop(&mut self) {
        let _ = self.leave();
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(100 * 365 * 24 * 3600)
}

/// Serve, every `POLL_INTERVAL` while anyone waits, the waited keys that changed
/// without a signal. Ends when no one waits any more, or the `Db` is gone.
fn spawn_poller(db: &Db) {
    let weak = Arc::downgrade(&db.inner);
    let path = db.path().map(|p| p.to_path_buf());
    let spawned = std::thread::Builder::new()
        .name("redlite-blocking".into())
        .spawn(move || poll(weak, path));
    if spawned.is_err() {
        // No thread: in-process pushes still wake waiters; let a later waiter retry.
        db.blocking().inner.lock().poller = false;
    }
}

fn poll(weak: Weak<DbInner>, path: Option<PathBuf>) {
    // A connection of its own: `data_version` changes when any other connection
    // (this process's writer included) commits.
    let own = path.and_then(|p| {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(p, flags).ok()?;
        conn.busy_timeout(Duration::from_secs(1)).ok()?;
        Some(conn)
    });
    let mut last: Option<i64> = None;
    loop {
        std::thread::sleep(POLL_INTERVAL);
        let Some(inner) = weak.upgrade() else { return };
        let db = Db { inner };
        let registry = db.blocking();
        {
            let mut w = registry.inner.lock();
            if w.keys.is_empty() {
                w.poller = false;
                return;
            }
        }
        let version = match &own {
            Some(conn) => match conn.query_row("PRAGMA data_version", [], |r| r.get::<_, i64>(0)) {
                Ok(v) => v,
                Err(_) => continue,
            },
            None => registry.commits.load(Ordering::Relaxed) as i64,
        };
        if last == Some(version) {
            continue;
        }
        last = Some(version);
        let watched = registry.watched();
        let now = now_ms();
        let changed = |conn: &Connection| -> Result<Vec<Slot>> {
            let mut out = Vec::new();
            for (slot, seen) in watched {
                let scope = Scope {
                    conn,
                    db: slot.0,
                    now,
                    writable: false,
                };
                if version_of(scope, &slot.1)? != seen {
                    out.push(slot);
                }
            }
            Ok(out)
        };
        let changed = match &own {
            Some(conn) => changed(conn),
            None => db.read(changed),
        };
        if let Ok(changed) = changed {
            if !changed.is_empty() {
                let _ = crate::command::serve_keys(&db, changed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_read_as_redis_7_0() {
        let now = 1_000;
        assert_eq!(timeout_secs(b"0", now).unwrap(), None);
        assert_eq!(timeout_secs(b"1.5", now).unwrap(), Some(2_500));
        assert_eq!(timeout_secs(b"0.0001", now).unwrap(), None);
        assert_eq!(timeout_secs(b"-0.0001", now).unwrap(), None);
        assert_eq!(timeout_secs(b"0.001", now).unwrap(), Some(1_001));
        for bad in [&b"x"[..], b"", b" 1", b"nan", b"1x"] {
            assert_eq!(
                timeout_secs(bad, now).unwrap_err().reply_text(),
                "ERR timeout is not a float or out of range"
            );
        }
        for neg in [
            &b"-1"[..],
            b"inf",
            b"-inf",
            b"1e300",
            b"9223372036854775807",
        ] {
            assert_eq!(
                timeout_secs(neg, now).unwrap_err().reply_text(),
                "ERR timeout is negative"
            );
        }
        assert_eq!(timeout_secs(b"9223372036854775", now).unwrap(), None);
        assert_eq!(
            timeout_secs(b"9223372036854775", -now).unwrap(),
            Some(9_223_372_036_854_774_000)
        );
        assert_eq!(timeout_secs(b"0.0015", now).unwrap(), Some(1_001));
        assert_eq!(timeout_secs(b"1e-3", now).unwrap(), Some(1_001));
        assert_eq!(timeout_secs(b"+2.", now).unwrap(), Some(3_000));
        assert_eq!(timeout_secs(b".5", now).unwrap(), Some(1_500));
        assert_eq!(timeout_secs(b"5e2", now).unwrap(), Some(501_000));
        assert_eq!(timeout_ms(b"10", now).unwrap(), Some(1_010));
        assert_eq!(
            timeout_ms(b"1.5", now).unwrap_err().reply_text(),
            "ERR timeout is not an integer or out of range"
        );
    }
}
