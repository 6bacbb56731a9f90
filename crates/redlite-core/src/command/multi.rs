//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, and RESET.
//!
//! A client's transaction state is a [`Transaction`] in its `SessionState`:
//!
//! - MULTI opens a queue. Every later command is checked as Redis's `processCommand`
//!   checks it (unknown command, arity, unknown subcommand, `no_multi`) and queued
//!   (`+QUEUED`); a command refused at queue time marks the transaction, and its EXEC
//!   answers EXECABORT. EXEC, DISCARD, MULTI, WATCH, QUIT and RESET are never queued.
//! - EXEC runs the queue as one SQLite write transaction (`run_queue`): no other
//!   client, thread or process sees part of it, and a crash leaves all of it or
//!   none. A command that fails at run time answers its error and the others go on,
//!   as in Redis; its own partial writes, if any, are rolled back (a savepoint per
//!   command). Blocking commands do not wait (`Ctx::may_block` false): they answer
//!   as on timeout. The clients blocked on keys the queue made ready are served
//!   before the commit, as after any write.
//! - WATCH records, for each key, its row id and version, or that it does not exist,
//!   under the writer lock (so no write of this process is half done). EXEC compares
//!   them again inside its write transaction: any difference aborts (a null reply).
//!   Every write Redis signals bumps a key's version, and a key that is deleted and
//!   created again starts from a random version (it may get its old row id back), so
//!   a write by another client, thread or process, an expiry, FLUSHDB, SWAPDB, or DEL
//!   followed by a re-create are all seen (the last but for a chance of 2^-62); the
//!   client's own writes between WATCH and MULTI too, as in Redis.
//! - A key absent at WATCH and absent again at EXEC may have lived in between (SET
//!   then DEL): Redis aborts then. That leaves no row to compare, so [`Births`] counts
//!   the creations of such keys: a TEMP trigger on the writer connection, installed
//!   at the first WATCH, calls back into Rust for every key row inserted or renamed.
//!   It sees the writes of this `Db` only: a key created and deleted again by another
//!   process between WATCH and EXEC goes unseen.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};

use parking_lot::Mutex;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::command::keyspec::RO;
use crate::command::{lookup, serve, Access, Args, Ctx, KeySpec, SessionState, Spec};
use crate::db::{now_ms, Db};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, Scope};
use crate::notify::Claims;
use crate::reply::Reply;

pub const COMMANDS: &[Spec] = &[
    Spec::nodb("multi", 1, multi)
        .flags(&["noscript", "loading", "stale", "fast", "allow_busy"])
        .acl(&["fast", "transaction"])
        .doc(
            "transactions",
            "1.2.0",
            "Mark the start of a transaction block",
            "MULTI",
        )
        .complexity("O(1)"),
    Spec::nodb("exec", 1, exec)
        .flags(&["noscript", "loading", "stale", "skip_slowlog"])
        .acl(&["slow", "transaction"])
        .doc(
            "transactions",
            "1.2.0",
            "Execute all commands issued after MULTI",
            "EXEC",
        )
        .complexity("Depends on commands in the transaction"),
    Spec::nodb("discard", 1, discard)
        .flags(&["noscript", "loading", "stale", "fast", "allow_busy"])
        .acl(&["fast", "transaction"])
        .doc(
            "transactions",
            "2.0.0",
            "Discard all commands issued after MULTI",
            "DISCARD",
        )
        .complexity("O(N), when N is the number of queued commands"),
    Spec::nodb("watch", -2, watch)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(-1, 1, 0)])
        .flags(&["noscript", "loading", "stale", "fast", "allow_busy"])
        .acl(&["fast", "transaction"])
        .doc(
            "transactions",
            "2.2.0",
            "Watch the given keys to determine execution of the MULTI/EXEC block",
            "WATCH key [key ...]",
        )
        .complexity("O(1) for every key."),
    Spec::nodb("unwatch", 1, unwatch)
        .flags(&["noscript", "loading", "stale", "fast", "allow_busy"])
        .acl(&["fast", "transaction"])
        .doc(
            "transactions",
            "2.2.0",
            "Forget about all watched keys",
            "UNWATCH",
        )
        .complexity("O(1)"),
    Spec::nodb("reset", 1, reset)
        .flags(&[
            "noscript",
            "loading",
            "stale",
            "fast",
            "no_auth",
            "allow_busy",
        ])
        .acl(&["fast", "connection"])
        .doc("connection", "6.2.0", "Reset the connection", "RESET")
        .complexity("O(1)"),
];

const EXECABORT: &str = "EXECABORT Transaction discarded because of previous errors.";

/// A client's MULTI queue and watched keys (one field of `SessionState`).
#[derive(Debug, Clone, Default)]
pub struct Transaction {
    /// `Some` between MULTI and EXEC / DISCARD: the commands queued so far.
    queue: Option<Vec<Queued>>,
    /// A command was refused while queueing: EXEC answers EXECABORT.
    dirty: bool,
    /// What WATCH saw of each watched key, in WATCH order.
    watched: Vec<Watched>,
}

#[derive(Debug, Clone)]
struct Queued {
    spec: &'static Spec,
    argv: Vec<Vec<u8>>,
}

#[derive(Debug, Clone)]
struct Watched {
    db: u32,
    key: Vec<u8>,
    /// (row id, version) of the live key; `None`: no such key.
    seen: Option<(i64, i64)>,
    /// For a key absent at WATCH: its creations counter, and its count then.
    births: Option<(Arc<AtomicU64>, u64)>,
}

impl Watched {
    /// True if the key is not as WATCH saw it (the write transaction on `conn`).
    fn changed(&self, conn: &Connection, now: i64) -> Result<bool> {
        let scope = Scope {
            conn,
            db: self.db,
            now,
            writable: false,
        };
        if seen(scope, &self.key)? != self.seen {
            return Ok(true);
        }
        Ok(self
            .births
            .as_ref()
            .is_some_and(|(n, then)| n.load(Ordering::Acquire) != *then))
    }
}

/// The birth counter of each watched-while-absent key, by (db, key).
type BirthCounters = HashMap<(u32, Vec<u8>), Weak<AtomicU64>>;

/// The creations of keys watched while absent, per `Db` (see the module doc). Each
/// watching session holds its key's counter; the registry only a weak reference, so
/// a key no session watches any more is forgotten.
#[derive(Default)]
pub(crate) struct Births {
    installed: AtomicBool,
    /// Live entries (rough): the registry is pruned when it doubles.
    keys: Mutex<BirthCounters>,
    pruned_at: AtomicU64,
}

impl Births {
    /// The trigger and its callback on the writer connection, once per `Db`.
    fn install(self: &Arc<Self>, db: &Db) -> Result<()> {
        if self.installed.load(Ordering::Acquire) {
            return Ok(());
        }
        let me = Arc::downgrade(self);
        db.write(|c| {
            c.create_scalar_function(
                "redlite_key_born",
                2,
                FunctionFlags::SQLITE_UTF8,
                move |f| {
                    if let (Some(me), ValueRef::Integer(n)) = (me.upgrade(), f.get_raw(0)) {
                        if let ValueRef::Blob(key) | ValueRef::Text(key) = f.get_raw(1) {
                            me.born(n, key);
                        }
                    }
                    Ok(0i64)
                },
            )?;
            c.execute_batch(
                "CREATE TEMP TRIGGER IF NOT EXISTS redlite_watch_insert AFTER INSERT ON main.keys \
                 BEGIN SELECT redlite_key_born(NEW.db, NEW.key); END; \
                 CREATE TEMP TRIGGER IF NOT EXISTS redlite_watch_rename \
                 AFTER UPDATE OF db, key ON main.keys \
                 BEGIN SELECT redlite_key_born(NEW.db, NEW.key); END;",
            )?;
            Ok(())
        })?;
        self.installed.store(true, Ordering::Release);
        Ok(())
    }

    /// The creations counter of `key`, shared with the other sessions watching it.
    fn counter(&self, db: u32, key: &[u8]) -> Arc<AtomicU64> {
        let mut keys = self.keys.lock();
        let slot = (db, key.to_vec());
        if let Some(n) = keys.get(&slot).and_then(Weak::upgrade) {
            return n;
        }
        let n = Arc::new(AtomicU64::new(0));
        keys.insert(slot, Arc::downgrade(&n));
        let live = keys.len() as u64;
        if live >= 64 && live >= 2 * self.pruned_at.load(Ordering::Relaxed) {
            keys.retain(|_, w| w.strong_count() > 0);
            self.pruned_at.store(keys.len() as u64, Ordering::Relaxed);
        }
        n
    }

    /// A key row named (db, key) was inserted or renamed into place.
    fn born(&self, db: i64, key: &[u8]) {
        let Ok(db) = u32::try_from(db) else { return };
        let mut keys = self.keys.lock();
        if keys.is_empty() {
            return;
        }
        let slot = (db, key.to_vec());
        match keys.get(&slot).map(Weak::upgrade) {
            Some(Some(n)) => {
                n.fetch_add(1, Ordering::AcqRel);
            }
            Some(None) => {
                keys.remove(&slot);
            }
            None => {}
        }
    }
}

impl Transaction {
    /// True between MULTI and EXEC / DISCARD.
    pub fn in_multi(&self) -> bool {
        self.queue.is_some()
    }

    /// The number of commands queued (0 outside MULTI).
    pub fn queued(&self) -> usize {
        self.queue.as_ref().map_or(0, Vec::len)
    }

    /// The number of keys watched.
    pub fn watching(&self) -> usize {
        self.watched.len()
    }

    /// A command was refused before it ran (unknown command, wrong arity, a refusal
    /// by ACL ...): inside MULTI this dooms the transaction, as Redis's
    /// `flagTransaction`. Outside MULTI it does nothing.
    pub fn reject(&mut self) {
        if self.in_multi() {
            self.dirty = true;
        }
    }

    /// Leave MULTI (if in it) and forget the watched keys.
    pub fn clear(&mut self) {
        *self = Transaction::default();
    }
}

/// A command refused before it ran (`Session::try_start`): an EXEC that is refused
/// (a busy script, a permission, its arity) discards the transaction and says why, as
/// Redis's `execCommandAbort`, so the client never stays in MULTI behind it; any
/// other command's error is passed on.
pub(crate) fn refused(state: &mut SessionState, spec: &Spec, e: Error) -> Error {
    if spec.name != "exec" {
        return e;
    }
    state.multi.clear();
    // Redis's own refusals carry no "ERR " (addReplyError adds it): only an error
    // with a code of its own (NOPERM, BUSY, NOAUTH) shows one after the colon.
    let text = e.reply_text();
    let text = text.strip_prefix("ERR ").unwrap_or(&text);
    Error::redis(format!(
        "EXECABORT Transaction discarded because of: {}",
        text
    ))
}

/// The commands that run at once even inside MULTI, as in Redis's `processCommand`.
fn never_queued(spec: &Spec) -> bool {
    matches!(
        spec.name,
        "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
    )
}

/// Called by `Session::try_start` for every command that passed the lookup, arity
/// and permission checks. Inside MULTI, queue it (`Some(+QUEUED)`) or refuse it
/// (`Some(error)`, marking the transaction); otherwise `None`: run it now.
pub(crate) fn intercept(
    state: &mut SessionState,
    spec: &'static Spec,
    argv: &[&[u8]],
) -> Option<Reply> {
    let tx = &mut state.multi;
    if !tx.in_multi() || never_queued(spec) {
        return None;
    }
    if let Err(e) = check_queueable(spec, argv) {
        tx.dirty = true;
        return Some(Reply::Error(e.reply_bytes()));
    }
    if let Some(queue) = tx.queue.as_mut() {
        queue.push(Queued {
            spec,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
        });
    }
    Some(Reply::Simple("QUEUED".into()))
}

/// What Redis checks before queueing that a top-level lookup has not: the
/// subcommand of a container (known, right arity) and the `no_multi` flag.
fn check_queueable(spec: &'static Spec, argv: &[&[u8]]) -> Result<()> {
    let mut effective = spec;
    if !spec.subcommands.is_empty() && argv.len() >= 2 {
        effective = resolve_subcommand(spec, argv)?;
    }
    if effective.flags.contains(&"no_multi") {
        return Err(Error::redis("ERR Command not allowed inside a transaction"));
    }
    Ok(())
}

/// The subcommand `argv[1]` of the container `spec`, checked as `run_subcommand`
/// checks it (same error texts).
fn resolve_subcommand(spec: &'static Spec, argv: &[&[u8]]) -> Result<&'static Spec> {
    let name = argv[1];
    let Some(sub) = spec.subcommand(name) else {
        return Err(Error::redis(msg::unknown_subcommand(name, spec.name)));
    };
    if !sub.arity_ok(argv.len()) {
        return Err(Error::redis(msg::wrong_arity(sub.name)));
    }
    Ok(sub)
}

/// MULTI
fn multi(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let tx = &mut ctx.session.multi;
    if tx.in_multi() {
        return Err(Error::redis("ERR MULTI calls can not be nested"));
    }
    tx.queue = Some(Vec::new());
    tx.dirty = false;
    Ok(Reply::ok())
}

/// DISCARD
fn discard(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    if !ctx.session.multi.in_multi() {
        return Err(Error::redis("ERR DISCARD without MULTI"));
    }
    ctx.session.multi.clear();
    Ok(Reply::ok())
}

/// UNWATCH
fn unwatch(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.session.multi.watched.clear();
    Ok(Reply::ok())
}

/// WATCH key [key ...]
///
/// Looks under the writer lock: no write of this `Db` is half done, so a creation
/// counted after this look is one the look did not see.
fn watch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    if ctx.session.multi.in_multi() {
        return Err(Error::redis("ERR WATCH inside MULTI is not allowed"));
    }
    let db = ctx.db;
    let births = &db.inner.births;
    births.install(db)?;
    let n = ctx.session.db;
    let mut new: Vec<Watched> = Vec::new();
    for key in args.rest() {
        // A key watched twice keeps what the first WATCH saw, as in Redis.
        let known = |w: &Watched| w.db == n && w.key == *key;
        if ctx.session.multi.watched.iter().any(known) || new.iter().any(known) {
            continue;
        }
        new.push(Watched {
            db: n,
            key: key.to_vec(),
            seen: None,
            births: None,
        });
    }
    let now = now_ms();
    db.write(|c| {
        for w in &mut new {
            w.seen = seen(
                Scope {
                    conn: c,
                    db: n,
                    now,
                    writable: false,
                },
                &w.key,
            )?;
            if w.seen.is_none() {
                let counter = births.counter(n, &w.key);
                let then = counter.load(Ordering::Acquire);
                w.births = Some((counter, then));
            }
        }
        Ok(())
    })?;
    ctx.session.multi.watched.extend(new);
    Ok(Reply::ok())
}

/// (row id, version) of the live key, or `None`.
fn seen(scope: Scope<'_>, key: &[u8]) -> Result<Option<(i64, i64)>> {
    Ok(keyspace::lookup(scope, key)?.map(|m| (m.id, m.version)))
}

/// RESET
fn reset(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    ctx.db.pubsub().forget(ctx.session.id);
    ctx.session.reset();
    Ok(Reply::Simple("RESET".into()))
}

/// EXEC
fn exec(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let tx = std::mem::take(&mut ctx.session.multi);
    let Some(queue) = tx.queue else {
        // Outside MULTI, EXEC changes nothing: the watched keys stay watched.
        ctx.session.multi = tx;
        return Err(Error::redis("ERR EXEC without MULTI"));
    };
    if tx.dirty {
        return Err(Error::redis(EXECABORT));
    }
    run_queue(ctx.db, ctx.session, &tx.watched, queue)
}

/// Run the queue in one write transaction, unless a watched key changed (then the
/// null array, and nothing runs). Serves the clients blocked on keys it made ready
/// before the commit, as `write_or_block` does, and hands them their replies after.
fn run_queue(
    db: &Db,
    state: &mut SessionState,
    watched: &[Watched],
    queue: Vec<Queued>,
) -> Result<Reply> {
    let registry = db.blocking();
    let mut claims = Claims::new(registry);
    let now = now_ms();
    let result = db.write(|c| {
        for w in watched {
            if w.changed(c, now)? {
                return Ok(Reply::NilArray);
            }
        }
        let mut replies = Vec::with_capacity(queue.len());
        for q in &queue {
            // Counted as they run, as Redis counts them (not when queued).
            db.stats()
                .total_commands_processed
                .fetch_add(1, Ordering::Relaxed);
            let argv: Vec<&[u8]> = q.argv.iter().map(|a| a.as_slice()).collect();
            // The user's rules may have changed since the command was queued.
            if let Err(reason) =
                super::acl::check_nested(db, state, q.spec, &argv, crate::acl::Context::Multi)
            {
                replies.push(Reply::error(acl_changed(reason)));
                continue;
            }
            replies.push(run_spec(db, c, state, q.spec, &argv, now));
        }
        serve(db, c, now, VecDeque::new(), &mut claims)?;
        Ok(Reply::Array(replies))
    });
    // Served waiters get their replies once the work is committed (see write_or_block).
    let result = match result {
        Ok(reply) if !claims.is_empty() => db.settle().map(|()| reply),
        other => other,
    };
    if result.is_ok() {
        registry.note_commit();
        claims.publish();
    }
    result
}

/// EXEC's answer for a queued command the user may no longer run (Redis's execCommand).
fn acl_changed(reason: Option<&str>) -> String {
    let why = match reason {
        Some("command") => "no permission to execute the command or subcommand",
        Some("key") => "no permission to touch the specified keys",
        Some("channel") => "no permission to access one of the channels used as arguments",
        _ => "no permission",
    };
    format!(
        "NOPERM ACLs rules changed between the moment the transaction was accumulated and the \
         EXEC call. This command is no longer allowed for the following reason: {}",
        why
    )
}

/// Run one command (name first) inside the write transaction already open on
/// `conn`, in `state`'s session, and return its reply: lookup, arity, the handler,
/// and any error as an error reply. The command cannot block (a blocking command
/// answers as on timeout). Its writes, if it fails, are rolled back; the rest of
/// the transaction is untouched. The caller serves blocked clients (`serve`) once,
/// before it commits. For EXEC, and for scripts' `redis.call`.
#[allow(dead_code)] // the scripting engine's entry point; tested below
pub(crate) fn run_in_transaction(
    db: &Db,
    conn: &Connection,
    state: &mut SessionState,
    argv: &[&[u8]],
    now: i64,
) -> Reply {
    let Some((name, rest)) = argv.split_first() else {
        return Reply::Error("ERR empty command".into());
    };
    let Some(spec) = lookup(name) else {
        return Reply::Error(msg::unknown_command(name, rest));
    };
    if !spec.arity_ok(argv.len()) {
        return Reply::error(msg::wrong_arity(spec.name));
    }
    run_spec(db, conn, state, spec, argv, now)
}

/// `run_in_transaction` for a command already looked up; `argv` includes the name.
fn run_spec(
    db: &Db,
    conn: &Connection,
    state: &mut SessionState,
    spec: &'static Spec,
    argv: &[&[u8]],
    now: i64,
) -> Reply {
    const SAVEPOINT: &str = "SAVEPOINT redlite_cmd";
    // A container runs in the transaction its subcommand needs (FUNCTION LOAD).
    let sub = super::effective_spec(spec, &argv[1..]);
    let has_db = spec.access != Access::None || sub.access != Access::None;
    let events = db.pubsub().events_mark();
    if has_db {
        if let Err(e) = conn.execute_batch(SAVEPOINT) {
            return Reply::Error(Error::from(e).reply_bytes());
        }
    }
    let result = {
        let c = if has_db { Some(conn) } else { None };
        let mut ctx = Ctx::new(c, has_db, now, state, db, spec);
        crate::command::events::run(&mut ctx, &argv[1..])
    };
    if has_db {
        let end = if result.is_ok() {
            "RELEASE redlite_cmd"
        } else {
            // Its writes go, and so do the keyspace events they queued.
            db.pubsub().truncate_events(events);
            "ROLLBACK TO redlite_cmd; RELEASE redlite_cmd"
        };
        if let Err(e) = conn.execute_batch(end) {
            return Reply::Error(Error::from(e).reply_bytes());
        }
    }
    match result {
        Ok(reply) => reply,
        Err(e) => Reply::Error(e.reply_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_in_transaction_runs_commands_in_an_open_transaction() {
        let db = Db::open_memory().unwrap();
        let mut state = SessionState::default();
        let now = now_ms();
        let replies = db
            .write(|c| {
                let mut run = |argv: &[&str]| {
                    let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
                    run_in_transaction(&db, c, &mut state, &argv, now)
                };
                Ok(vec![
                    run(&["SET", "k", "1"]),
                    run(&["incr", "k"]),
                    run(&["LPUSH", "k", "x"]),
                    run(&["GET"]),
                    run(&["NOPE", "a"]),
                    run(&["SELECT", "2"]),
                    run(&["GET", "k"]),
                    run(&["BLPOP", "l", "0"]),
                    run(&[]),
                ])
            })
            .unwrap();
        assert_eq!(
            replies,
            vec![
                Reply::ok(),
                Reply::Int(2),
                Reply::Error(msg::WRONGTYPE.into()),
                Reply::Error("ERR wrong number of arguments for 'get' command".into()),
                Reply::Error("ERR unknown command 'NOPE', with args beginning with: 'a' ".into()),
                Reply::ok(),
                Reply::Nil,
                Reply::NilArray,
                Reply::Error("ERR empty command".into()),
            ]
        );
        assert_eq!(state.db, 2);
        let mut s = crate::Session::new(db);
        assert_eq!(s.execute(&["GET", "k"]), Reply::bulk("2"));
    }
}
