//! The command table: every command once, for every front end.
//!
//! A command is a `Spec` (name, arity, access, flags, key positions, docs) and a
//! handler `fn(&mut Ctx, &mut Args) -> Result<Reply>`. `Session::execute` looks the
//! name up, checks the arity, opens the one SQLite transaction the command runs in
//! (write, read, or none) and turns an error into Redis's error reply. Each family
//! lives in its own file and exports its `COMMANDS`; `COMMAND`, `COMMAND DOCS` and
//! docs/commands.md are generated from the same table.

pub(crate) mod acl;
mod admin;
pub mod args;
mod bits;
mod client;
mod config;
pub(crate) mod events;
mod hashes;
mod keys;
pub mod keyspec;
mod lists;
pub(crate) mod multi;
mod pubsub;
mod scan;
mod scripting;
mod server;
mod sets;
mod sort;
mod streams;
mod strings;
pub mod strtod;
mod zsets;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::OnceLock;

use rusqlite::Connection;

pub use args::Args;
pub use keyspec::{GetKeysProc, KeySpec};
pub use multi::Transaction;

use crate::db::{now_ms, Db, Join};
use crate::error::{msg, Error, Result};
use crate::keyspace::Scope;
use crate::notify::{BlockOn, Blocked, Claims};
use crate::reply::Reply;

pub type Handler = fn(&mut Ctx<'_>, &mut Args<'_>) -> Result<Reply>;

/// The command flags tested on every command, as bits (`Spec::has`), so that the
/// hot path compares no strings. `Spec::flags` keeps the names COMMAND INFO shows.
pub mod flag {
    pub const WRITE: u32 = 1 << 0;
    pub const ADMIN: u32 = 1 << 1;
    pub const SKIP_MONITOR: u32 = 1 << 2;
    pub const SKIP_SLOWLOG: u32 = 1 << 3;
    pub const NO_AUTH: u32 = 1 << 4;
    pub const MAY_REPLICATE: u32 = 1 << 5;
    /// redlite's own, not Redis's (`Spec::fails_clean`): every error the command
    /// returns comes before its first write, storage errors aside. It then joins a
    /// group commit without a SAVEPOINT of its own (db.rs, `Join::Bare`).
    pub const FAILS_CLEAN: u32 = 1 << 6;
    pub const READONLY: u32 = 1 << 7;
    pub const BLOCKING: u32 = 1 << 8;

    const NAMES: &[(&str, u32)] = &[
        ("write", WRITE),
        ("admin", ADMIN),
        ("skip_monitor", SKIP_MONITOR),
        ("skip_slowlog", SKIP_SLOWLOG),
        ("no_auth", NO_AUTH),
        ("may_replicate", MAY_REPLICATE),
        ("readonly", READONLY),
        ("blocking", BLOCKING),
    ];

    /// The bits of the named flags (at compile time: the command table is const).
    pub(super) const fn bits_of(flags: &[&str]) -> u32 {
        let mut bits = 0;
        let mut i = 0;
        while i < flags.len() {
            let mut j = 0;
            while j < NAMES.len() {
                if same(flags[i], NAMES[j].0) {
                    bits |= NAMES[j].1;
                }
                j += 1;
            }
            i += 1;
        }
        bits
    }

    /// `a == b`, in a const fn.
    pub(crate) const fn same(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }
}

/// A read command's answer from the read cache (cache.rs), without a transaction;
/// `None` sends it to its handler.
pub type Peek = fn(&mut Ctx<'_>, &mut Args<'_>) -> Option<Reply>;

/// Which transaction a command runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `BEGIN IMMEDIATE` on the writer.
    Write,
    /// A snapshot on a reader.
    Read,
    /// No database work at all (PING, ECHO, SELECT, ...).
    None,
}

/// One entry of the command table.
#[derive(Debug)]
pub struct Spec {
    /// Lower case, as Redis reports it.
    pub name: &'static str,
    /// Redis's convention: N means exactly N arguments counting the name; -N at least N.
    pub arity: i32,
    pub access: Access,
    /// Redis's command flags as COMMAND INFO reports them (write, readonly, denyoom, fast, ...).
    pub flags: &'static [&'static str],
    /// The `flag` bits of `flags`, for the tests made on every command.
    pub flag_bits: u32,
    /// ACL categories without the '@' (string, keyspace, read, write, fast, ...).
    pub acl: &'static [&'static str],
    /// First key, last key (negative counts from the end) and step; 0, 0, 0 for none.
    pub first_key: i32,
    pub last_key: i32,
    pub step: i32,
    /// The command group of COMMAND DOCS (string, generic, server, connection, bitmap).
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    /// The syntax line, as on redis.io.
    pub syntax: &'static str,
    /// Redis's command tips as COMMAND INFO reports them (e.g. "nondeterministic_output").
    pub tips: &'static [&'static str],
    /// Redis 7's key specs, in Redis's order (COMMAND INFO, COMMAND GETKEYS).
    pub key_specs: &'static [KeySpec],
    /// The command's own key-finding procedure, for the commands Redis gives one
    /// (`keyspec::getkeys::set`, `sort`, ...): COMMAND GETKEYS uses it when a key spec has
    /// VARIABLE_FLAGS or cannot find the keys, as Redis does.
    pub getkeys: Option<GetKeysProc>,
    /// COMMAND DOCS's complexity ("O(1)"); "" for none.
    pub complexity: &'static str,
    /// COMMAND DOCS's doc_flags: "deprecated", "syscmd".
    pub doc_flags: &'static [&'static str],
    /// The version that deprecated the command, and what replaces it; "" for none.
    pub deprecated_since: &'static str,
    pub replaced_by: &'static str,
    /// COMMAND DOCS's history: (version, what changed), oldest first.
    pub history: &'static [(&'static str, &'static str)],
    /// The subcommands of a container command (OBJECT, COMMAND, CONFIG, ...), each a full
    /// entry named "container|sub" as Redis names them. The container's handler
    /// dispatches with `run_subcommand`; `Session` only ever looks up top-level names.
    pub subcommands: &'static [Spec],
    pub run: Handler,
    /// Tried before `run` opens a read transaction (GET).
    pub peek: Option<Peek>,
}

impl Spec {
    const fn new(name: &'static str, arity: i32, access: Access, run: Handler) -> Spec {
        Spec {
            name,
            arity,
            access,
            flags: &[],
            flag_bits: 0,
            acl: &[],
            first_key: 0,
            last_key: 0,
            step: 0,
            group: "",
            since: "",
            summary: "",
            syntax: "",
            tips: &[],
            key_specs: &[],
            getkeys: None,
            complexity: "",
            doc_flags: &[],
            deprecated_since: "",
            replaced_by: "",
            history: &[],
            subcommands: &[],
            run,
            peek: None,
        }
    }

    pub const fn write(name: &'static str, arity: i32, run: Handler) -> Spec {
        Spec::new(name, arity, Access::Write, run)
    }

    pub const fn read(name: &'static str, arity: i32, run: Handler) -> Spec {
        Spec::new(name, arity, Access::Read, run)
    }

    pub const fn nodb(name: &'static str, arity: i32, run: Handler) -> Spec {
        Spec::new(name, arity, Access::None, run)
    }

    pub const fn keys(mut self, first: i32, last: i32, step: i32) -> Spec {
        self.first_key = first;
        self.last_key = last;
        self.step = step;
        self
    }

    pub const fn flags(mut self, flags: &'static [&'static str]) -> Spec {
        self.flags = flags;
        self.flag_bits |= flag::bits_of(flags);
        self
    }

    /// Mark a write command whose errors all come before its first write
    /// (`flag::FAILS_CLEAN`). A lazily expired key deleted by the look-up counts as
    /// a write: a command that can fail after finding its key missing is not one.
    pub const fn fails_clean(mut self) -> Spec {
        self.flag_bits |= flag::FAILS_CLEAN;
        self
    }

    /// Whether the command has the `flag` bit `bit` (flag::WRITE ...).
    pub const fn has(&self, bit: u32) -> bool {
        self.flag_bits & bit != 0
    }

    pub const fn acl(mut self, acl: &'static [&'static str]) -> Spec {
        self.acl = acl;
        self
    }

    pub const fn doc(
        mut self,
        group: &'static str,
        since: &'static str,
        summary: &'static str,
        syntax: &'static str,
    ) -> Spec {
        self.group = group;
        self.since = since;
        self.summary = summary;
        self.syntax = syntax;
        self
    }

    pub const fn tips(mut self, tips: &'static [&'static str]) -> Spec {
        self.tips = tips;
        self
    }

    /// Redis 7's key specs, copied from Redis's COMMAND INFO, e.g.
    /// `.key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)])`.
    pub const fn key_specs(mut self, key_specs: &'static [KeySpec]) -> Spec {
        self.key_specs = key_specs;
        self
    }

    /// The command's own key-finding procedure (Redis's `getkeys_proc`), e.g.
    /// `.getkeys(keyspec::getkeys::sort)`.
    pub const fn getkeys(mut self, getkeys: GetKeysProc) -> Spec {
        self.getkeys = Some(getkeys);
        self
    }

    /// COMMAND DOCS's complexity, as Redis 7.0.15 words it.
    pub const fn complexity(mut self, complexity: &'static str) -> Spec {
        self.complexity = complexity;
        self
    }

    /// COMMAND DOCS's history: (version, change), as Redis 7.0.15 words it.
    pub const fn history(mut self, history: &'static [(&'static str, &'static str)]) -> Spec {
        self.history = history;
        self
    }

    /// COMMAND DOCS's doc_flags ("syscmd", "deprecated").
    pub const fn doc_flags(mut self, doc_flags: &'static [&'static str]) -> Spec {
        self.doc_flags = doc_flags;
        self
    }

    /// A deprecated command: doc_flags "deprecated", the version that deprecated it and
    /// what replaces it, as Redis 7.0.15 words them.
    pub const fn deprecated(mut self, since: &'static str, replaced_by: &'static str) -> Spec {
        self.doc_flags = &["deprecated"];
        self.deprecated_since = since;
        self.replaced_by = replaced_by;
        self
    }

    pub const fn subcommands(mut self, subcommands: &'static [Spec]) -> Spec {
        self.subcommands = subcommands;
        self
    }

    pub const fn peek(mut self, peek: Peek) -> Spec {
        self.peek = Some(peek);
        self
    }

    /// The subcommand `name` (any case) of this container command.
    pub fn subcommand(&'static self, name: &[u8]) -> Option<&'static Spec> {
        self.subcommands.iter().find(|s| {
            s.name
                .split_once('|')
                .is_some_and(|(_, sub)| sub.as_bytes().eq_ignore_ascii_case(name))
        })
    }

    /// True if `argc` arguments (the name included) satisfy the arity.
    pub fn arity_ok(&self, argc: usize) -> bool {
        if self.arity >= 0 {
            argc == self.arity as usize
        } else {
            argc >= (-self.arity) as usize
        }
    }
}

const FAMILIES: &[&[Spec]] = &[
    strings::COMMANDS,
    bits::COMMANDS,
    keys::COMMANDS,
    hashes::COMMANDS,
    lists::COMMANDS,
    sets::COMMANDS,
    zsets::COMMANDS,
    streams::COMMANDS,
    sort::COMMANDS,
    multi::COMMANDS,
    scripting::COMMANDS,
    server::COMMANDS,
    config::COMMANDS,
    pubsub::COMMANDS,
    client::COMMANDS,
    admin::COMMANDS,
    acl::COMMANDS,
    crate::ext::hll::COMMANDS,
];

/// Every command, in table order.
pub fn all() -> impl Iterator<Item = &'static Spec> {
    FAMILIES.iter().flat_map(|f| f.iter())
}

fn index() -> &'static HashMap<&'static [u8], &'static Spec> {
    static INDEX: OnceLock<HashMap<&'static [u8], &'static Spec>> = OnceLock::new();
    INDEX.get_or_init(|| all().map(|s| (s.name.as_bytes(), s)).collect())
}

/// The table entry for a command name, in any case.
pub fn lookup(name: &[u8]) -> Option<&'static Spec> {
    let mut buf = [0u8; 32];
    if name.len() > buf.len() {
        return None;
    }
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    index().get(&*lower).copied()
}

/// Run the subcommand named by the next argument of a container command, as Redis
/// does: an unknown name is "unknown subcommand", a wrong count is the arity error of
/// "container|sub". The subcommand's handler sees the arguments after its name.
pub fn run_subcommand(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let container = ctx.spec;
    let name = args.bytes()?;
    let Some(sub) = container.subcommand(name) else {
        return Err(Error::redis(format!(
            "ERR unknown subcommand '{}'. Try {} HELP.",
            String::from_utf8_lossy(&name[..name.len().min(128)]),
            container.name.to_ascii_uppercase()
        )));
    };
    if !sub.arity_ok(args.remaining() + 2) {
        return Err(Error::redis(msg::wrong_arity(sub.name)));
    }
    ctx.spec = sub;
    let reply = (sub.run)(ctx, args);
    ctx.spec = container;
    reply
}

/// What a client connection (or an embedded client) carries between commands.
#[derive(Debug, Clone)]
pub struct SessionState {
    /// The selected database, 0..=15.
    pub db: u32,
    /// Set by QUIT: the front end closes the connection after sending the reply.
    pub closing: bool,
    /// 2 or 3 (HELLO).
    pub protocol: u8,
    pub name: Option<Vec<u8>>,
    pub id: u64,
    /// MULTI's queue and the watched keys (command/multi.rs).
    pub multi: Transaction,
    /// The client's outbox and subscriptions (see pubsub.rs).
    pub pubsub: crate::pubsub::ClientPubSub,
    /// Whether the client has authenticated, and as whom (AUTH, HELLO ... AUTH).
    pub auth: crate::acl::AuthState,
    /// The argv positions the running command hides from MONITOR and SLOWLOG, and
    /// which command hid them (`Ctx::redact`); taken after each command.
    pub redacted: Option<(&'static str, Vec<usize>)>,
}

impl Default for SessionState {
    fn default() -> Self {
        SessionState {
            db: 0,
            closing: false,
            protocol: 2,
            name: None,
            id: 0,
            auth: crate::acl::AuthState::default(),
            redacted: None,
            multi: Transaction::default(),
            pubsub: Default::default(),
        }
    }
}
impl SessionState {
    /// RESET: the state of a new connection, keeping the client id (MULTI discarded,
    /// keys unwatched, database 0, RESP2, no name). A field that needs more than its
    /// default (leaving registries, the default user's authentication) says so here.
    pub fn reset(&mut self) {
        // The outbox stays: the front end delivers from it (RESET's caller has left
        // the channels, see multi.rs).
        let pubsub = crate::pubsub::ClientPubSub {
            outbox: self.pubsub.outbox.clone(),
            subscriptions: 0,
        };
        *self = SessionState {
            id: self.id,
            pubsub,
            ..SessionState::default()
        };
    }
}

/// What a handler sees: its transaction (if its access has one), the session, the
/// database handle and the command's clock.
pub struct Ctx<'a> {
    conn: Option<&'a Connection>,
    pub writable: bool,
    /// The command's clock, unix ms: one instant for the whole command.
    pub now: i64,
    pub session: &'a mut SessionState,
    pub db: &'a Db,
    pub spec: &'static Spec,
    /// False where a blocking command must answer at once instead of waiting: inside
    /// MULTI or a script, and when it runs to serve a waiter (see `block`).
    pub may_block: bool,
    /// Set by `block`: what the command waits for.
    pub(crate) blocked: Option<BlockOn>,
    /// True when the command runs again to serve a client blocked on it (a push
    /// woke it): some replies differ then, as in Redis.
    pub serving: bool,
    /// True when the command is the only one in its read transaction (not in MULTI,
    /// a script, or a write): it may answer from the read cache (cache.rs).
    pub alone: bool,
}

impl<'a> Ctx<'a> {
    /// A context that may not block (`may_block` false; set it where a command may wait).
    pub fn new(
        conn: Option<&'a Connection>,
        writable: bool,
        now: i64,
        session: &'a mut SessionState,
        db: &'a Db,
        spec: &'static Spec,
    ) -> Ctx<'a> {
        Ctx {
            conn,
            writable,
            now,
            session,
            db,
            spec,
            may_block: false,
            blocked: None,
            serving: false,
            alone: false,
        }
    }

    /// The transaction's connection. Only `Access::None` commands have none.
    pub fn conn(&self) -> Result<&'a Connection> {
        self.conn
            .ok_or_else(|| Error::redis("ERR internal: command has no transaction"))
    }

    /// Keyspace look-ups in the selected database.
    pub fn scope(&self) -> Result<Scope<'a>> {
        Ok(Scope {
            conn: self.conn()?,
            db: self.session.db,
            now: self.now,
            writable: self.writable,
        })
    }

    /// Show the argument at `argv_index` (`Args::argv_index`) as "(redacted)" to MONITOR
    /// and SLOWLOG: Redis's `redactClientCommandArgument`, called where the command's
    /// parsing reaches a secret, so a command refused before then shows it as sent.
    pub fn redact(&mut self, argv_index: usize) {
        let name = self.spec.name;
        match &mut self.session.redacted {
            Some((n, at)) if *n == name => at.push(argv_index),
            other => *other = Some((name, vec![argv_index])),
        }
    }

    /// The same, in another database (MOVE, COPY ... DB).
    pub fn scope_in(&self, db: u32) -> Result<Scope<'a>> {
        Ok(Scope {
            db,
            ..self.scope()?
        })
    }

    /// This write may let clients blocked on `key` (selected database) go on: a push
    /// to a list, an add to a sorted set, an append to a stream. Their commands are
    /// run, first come first served, before this transaction commits.
    pub fn signal_ready(&self, key: &[u8]) {
        self.db.blocking().signal(self.session.db, key);
    }

    /// The same, for a key of database `db` (MOVE, COPY ... DB, SWAPDB).
    pub fn signal_ready_in(&self, db: u32, key: &[u8]) {
        self.db.blocking().signal(db, key);
    }

    /// A blocking command found nothing to take on `keys` (of the selected database):
    /// wait until a write to one of them lets the command run, or until `deadline`
    /// (unix ms; `None`: for ever, see `notify::timeout_secs`). Returns `nowait`, the
    /// reply where the command may not wait (inside MULTI: BLPOP's null array,
    /// BLMOVE's null); the handler returns what this returns, e.g.
    /// `return ctx.block(&[key], deadline, Reply::NilArray)`. On timeout the client
    /// gets a null array, as Redis 7.0 answers every blocking command that times out.
    ///
    /// When the command waits, it runs again (the same handler, the same arguments)
    /// each time one of its keys is ready, until it answers without calling `block`.
    pub fn block(&mut self, keys: &[&[u8]], deadline: Option<i64>, nowait: Reply) -> Result<Reply> {
        self.block_on(
            BlockOn {
                keys: keys.iter().map(|k| k.to_vec()).collect(),
                deadline,
                rerun: None,
            },
            nowait,
        )
    }

    /// `block`, spelled out: `req.rerun` replaces the arguments the command runs with
    /// when a key is ready (XREAD BLOCK with `$` re-runs with the last id it saw).
    pub fn block_on(&mut self, req: BlockOn, nowait: Reply) -> Result<Reply> {
        self.blocked = Some(req);
        Ok(nowait)
    }
}

/// One client of the engine: a selected database and connection state.
pub struct Session {
    db: Db,
    state: SessionState,
    /// This session's entry in the client registry (clients.rs).
    client: std::sync::Arc<crate::clients::Client>,
}

impl Session {
    pub fn new(db: Db) -> Session {
        let id = db.next_client_id();
        let auth = crate::acl::AuthState::new(db.acl());
        let state = SessionState {
            id,
            auth,
            ..SessionState::default()
        };
        let outbox = state.pubsub.outbox.clone();
        let push: crate::clients::Push = std::sync::Arc::new(move |reply| outbox.push(reply));
        let client = db.ops().clients.register(id, Some(push));
        Session { db, state, client }
    }

    /// This session's entry in the client registry (CLIENT LIST, KILL, REPLY).
    pub fn client(&self) -> &crate::clients::Client {
        &self.client
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    pub fn state_mut(&mut self) -> &mut SessionState {
        &mut self.state
    }

    /// The selected database.
    pub fn selected_db(&self) -> u32 {
        self.state.db
    }

    /// True once QUIT has run: close after sending its reply.
    pub fn closing(&self) -> bool {
        self.state.closing
    }

    /// The client's out-of-band replies (pub/sub messages, ...): a front end delivers
    /// them between replies, and before each reply (see outbox.rs).
    pub fn outbox(&self) -> &std::sync::Arc<crate::outbox::Outbox> {
        &self.state.pubsub.outbox
    }

    /// Run one command (name first) as one transaction; every failure is an error reply.
    /// A blocking command that has to wait (BLPOP on empty lists) blocks the calling
    /// thread until it is served or times out.
    pub fn execute<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> Reply {
        match self.start(argv) {
            Execution::Done(reply) => reply,
            Execution::Blocked(blocked) => blocked.wait(),
        }
    }

    /// Run one command, but never wait: a blocking command that has to wait comes
    /// back as `Execution::Blocked`, to be waited for by the caller (an event loop
    /// need not give it a thread). The session is free meanwhile, but its client must
    /// not run another command before this one answers, as in Redis.
    pub fn start<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> Execution {
        let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_ref()).collect();
        match self.try_start(&argv, false) {
            Ok(Some(e)) => e,
            Ok(None) => Execution::Done(Reply::Error("ERR internal: command not run".into())),
            Err(e) => Execution::Done(Reply::Error(e.reply_text())),
        }
    }

    /// Run one command only if it needs no SQLite: a command with a read-cache answer
    /// (`Spec::peek`, GET) whose key the cache holds, as `start` would run it (ACL,
    /// MULTI, statistics, MONITOR, the slow log). `None`, with nothing done, for any
    /// other command or a miss: run it with `start` where SQLite may block. The
    /// server's async workers answer cached reads this way, without a hand-off.
    pub fn start_cached<A: AsRef<[u8]>>(&mut self, argv: &[A]) -> Option<Reply> {
        let name = argv.first()?;
        if lookup(name.as_ref())?.peek.is_none() || self.db.ops().paused() {
            return None;
        }
        let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_ref()).collect();
        match self.try_start(&argv, true) {
            Ok(Some(Execution::Done(reply))) => Some(reply),
            Ok(_) => None,
            Err(e) => Some(Reply::Error(e.reply_text())),
        }
    }

    /// `start`, or with `cached_only` `start_cached`: `Ok(None)` when the read cache
    /// had no answer, before anything was counted or run.
    fn try_start(&mut self, argv: &[&[u8]], cached_only: bool) -> Result<Option<Execution>> {
        let Some((name, rest)) = argv.split_first() else {
            return Err(Error::redis("ERR empty command"));
        };
        let Some(spec) = lookup(name) else {
            self.state.multi.reject();
            return Err(Error::redis(msg::unknown_command(name, rest)));
        };
        if !spec.arity_ok(argv.len()) {
            self.state.multi.reject();
            return Err(Error::redis(msg::wrong_arity(spec.name)));
        }
        // Redis logs a refusal inside MULTI with the context "multi".
        let context = if self.state.multi.in_multi() {
            crate::acl::Context::Multi
        } else {
            crate::acl::Context::Toplevel
        };
        if let Err(e) = acl::check(&self.db, &mut self.state, spec, argv, context) {
            self.state.multi.reject();
            return Err(e);
        }
        if self.state.protocol == 2 && self.state.pubsub.subscribed() {
            pubsub::check_context(spec, rest)?;
        }
        let effective = effective_spec(spec, rest);
        if let Some(busy) = self.db.scripting().busy_error(effective, self.state.id) {
            self.state.multi.reject();
            return Err(busy);
        }
        if let Some(reply) = multi::intercept(&mut self.state, spec, argv) {
            return Ok(Some(Execution::Done(reply)));
        }
        // The clock, read once for the command: its time, the client's last
        // interaction, the ops/sec sample.
        let now = now_ms();
        let mut peeked = None;
        if cached_only {
            peeked = peek_cache(&self.db, &mut self.state, spec, rest, now);
            if peeked.is_none() {
                return Ok(None);
            }
        }
        if !effective.has(flag::WRITE) {
            // In a batch (`Db::batch`) only consecutive writes share a COMMIT: anything
            // else (a read, PUBLISH, a script) runs after theirs is over, so what it
            // sees and what it sends (its messages after their keyspace events) comes
            // in Redis's order.
            let _ = self.db.settle();
        }
        let total = self
            .db
            .stats()
            .total_commands_processed
            .fetch_add(1, Ordering::Relaxed)
            + 1;
        let Session { db, state, client } = self;
        if db.ops().paused() {
            // A paused command may wait long: the batch's deferred writes don't.
            let _ = db.settle();
        }
        let now = db.ops().before(client, state, spec, argv, now);
        let started = std::time::Instant::now();
        let result = (|| {
            if let Some(reply) = peeked {
                // Answered from the read cache already (start_cached).
                return Ok(Execution::Done(reply));
            }
            // A container runs in the transaction its subcommand needs (FUNCTION LOAD
            // writes, FUNCTION KILL must not wait for the writer a script holds).
            let access = match (spec.access, effective.access) {
                (Access::Write, _) | (_, Access::Write) => Access::Write,
                (Access::Read, _) | (_, Access::Read) => Access::Read,
                _ => Access::None,
            };
            match access {
                Access::None => {
                    let mut ctx = Ctx::new(None, false, now, state, db, spec);
                    (spec.run)(&mut ctx, &mut Args::new(rest)).map(Execution::Done)
                }
                Access::Read => {
                    if let Some(reply) = peek_cache(db, state, spec, rest, now) {
                        return Ok(Execution::Done(reply));
                    }
                    let mut wants_to_wait = false;
                    let reply = db.read(|c| {
                        let mut ctx = Ctx::new(Some(c), false, now, state, db, spec);
                        ctx.may_block = true;
                        ctx.alone = true;
                        let reply = (spec.run)(&mut ctx, &mut Args::new(rest));
                        wants_to_wait = ctx.blocked.is_some();
                        reply
                    })?;
                    if !wants_to_wait {
                        return Ok(Execution::Done(reply));
                    }
                    // A read that has to wait (XREAD ... BLOCK) runs again under the
                    // writer, where no write can come between its look and its registration.
                    write_or_block(db, state, spec, rest, now)
                }
                Access::Write => write_or_block(db, state, spec, rest, now),
            }
        })();
        let micros = started.elapsed().as_micros() as i64;
        db.ops()
            .after(client, state, spec, argv, now, micros, total);
        result.map(Some)
    }
}

impl Drop for Session {
    /// A client that goes away leaves its channels and the client registry.
    fn drop(&mut self) {
        if self.state.pubsub.subscribed() {
            self.db.pubsub().forget(self.state.id);
        }
        self.db.ops().clients.unregister(self.state.id);
    }
}

/// The read cache's answer to the command (its `Spec::peek`), if it has one. The
/// cache holds committed values only: this thread's deferred writes are committed
/// first, as before any read.
fn peek_cache(
    db: &Db,
    state: &mut SessionState,
    spec: &'static Spec,
    rest: &[&[u8]],
    now: i64,
) -> Option<Reply> {
    let peek = spec.peek?;
    db.settle_before_read();
    let mut ctx = Ctx::new(None, false, now, state, db, spec);
    peek(&mut ctx, &mut Args::new(rest))
}

/// The entry whose flags apply to a call: a container's subcommand (SCRIPT KILL's
/// allow_busy), else the command itself.
fn effective_spec(spec: &'static Spec, rest: &[&[u8]]) -> &'static Spec {
    match rest.first() {
        Some(sub) if !spec.subcommands.is_empty() => spec.subcommand(sub).unwrap_or(spec),
        _ => spec,
    }
}

/// Run a command in a write transaction. If it found nothing to take and may wait,
/// register it there as a waiter (no push can come between: a push needs the writer
/// too); otherwise serve the clients blocked on the keys it made ready, before the
/// commit, and hand them their replies after it.
fn write_or_block(
    db: &Db,
    state: &mut SessionState,
    spec: &'static Spec,
    rest: &[&[u8]],
    now: i64,
) -> Result<Execution> {
    let registry = db.blocking();
    let mut claims = Claims::new(registry);
    let mut blocked: Option<Blocked> = None;
    let join = if spec.has(flag::FAILS_CLEAN) {
        Join::Bare
    } else {
        Join::Guarded
    };
    let result = db.write_as(join, |c| {
        let mut ctx = Ctx::new(Some(c), true, now, state, db, spec);
        ctx.may_block = true;
        let reply = events::run(&mut ctx, rest)?;
        if let Some(req) = ctx.blocked.take() {
            blocked = Some(registry.register(db, c, req, ctx.session, spec, rest, now)?);
            return Ok(reply);
        }
        serve(db, c, now, VecDeque::new(), &mut claims)?;
        Ok(reply)
    });
    // A waiter gets its reply, and a blocked command its wait, only once the work
    // is committed: in a batch (`Db::batch`), settle it now.
    let result = match result {
        Ok(reply) if blocked.is_some() || !claims.is_empty() => db.settle().map(|()| reply),
        other => other,
    };
    match result {
        Ok(reply) => {
            registry.note_commit();
            claims.publish();
            Ok(match blocked {
                Some(b) => Execution::Blocked(b),
                None => Execution::Done(reply),
            })
        }
        Err(e) => {
            // The commit failed after the waiter was registered: if a push served it
            // meanwhile, that element is its answer.
            if let Some(reply) = blocked.as_mut().and_then(|b| b.leave()) {
                return Ok(Execution::Done(reply));
            }
            Err(e)
        }
    }
}

/// What `Session::start` gives back.
#[derive(Debug)]
pub enum Execution {
    /// The command answered.
    Done(Reply),
    /// The command waits for a push (BLPOP on empty lists, ...).
    Blocked(Blocked),
}

/// Serve the clients blocked on `keys` and on every key signalled ready in the write
/// transaction on `conn`, before it commits: for each key in signal order, its
/// waiters first come, first served, each by running its own command again in its
/// own database under a savepoint. A waiter whose command takes something (or fails:
/// a WRONGTYPE destination) is claimed with that reply, handed over by `claims`
/// once the transaction commits; one whose command finds nothing keeps its place.
/// Keys that the served commands make ready (BLMOVE's destination) are served in
/// turn. Every write transaction that can signal must call this before it commits
/// (EXEC and scripts too, once, at the end).
pub(crate) fn serve(
    db: &Db,
    conn: &Connection,
    now: i64,
    mut queue: VecDeque<(u32, Vec<u8>)>,
    claims: &mut Claims<'_>,
) -> Result<()> {
    let registry = db.blocking();
    queue.extend(registry.take_ready());
    while let Some(slot) = queue.pop_front() {
        let mut after = 0;
        while let Some(waiter) = registry.claim(&slot, after) {
            after = waiter.seq();
            conn.execute_batch("SAVEPOINT redlite_serve")?;
            let events = db.pubsub().events_mark();
            let mut session = waiter.session.clone();
            let args: Vec<&[u8]> = waiter.args.iter().map(|a| a.as_slice()).collect();
            let mut ctx = Ctx::new(Some(conn), true, now, &mut session, db, waiter.spec);
            ctx.serving = true;
            let result = events::run(&mut ctx, &args);
            let found_nothing = ctx.blocked.is_some();
            match result {
                Ok(reply) if !found_nothing => {
                    conn.execute_batch("RELEASE redlite_serve")?;
                    claims.push(waiter, reply);
                }
                other => {
                    conn.execute_batch("ROLLBACK TO redlite_serve; RELEASE redlite_serve")?;
                    db.pubsub().truncate_events(events);
                    match other {
                        Err(e) => claims.push(waiter, Reply::Error(e.reply_text())),
                        Ok(_) => {
                            registry.unclaim(&waiter);
                            // An emptied list or sorted set is gone: no one else can
                            // be served from it.
                            let scope = Scope {
                                conn,
                                db: slot.0,
                                now,
                                writable: false,
                            };
                            if crate::keyspace::lookup(scope, &slot.1)?.is_none() {
                                break;
                            }
                        }
                    }
                }
            }
            queue.extend(registry.take_ready());
        }
        let scope = Scope {
            conn,
            db: slot.0,
            now,
            writable: false,
        };
        let seen = crate::keyspace::lookup(scope, &slot.1)?.map(|m| (m.id, m.version));
        registry.saw(&slot, seen);
    }
    Ok(())
}

/// Serve the clients blocked on `keys` in a write transaction of its own (the
/// poller's, for writes that did not signal: other processes, RENAME ...).
pub(crate) fn serve_keys(db: &Db, keys: Vec<(u32, Vec<u8>)>) -> Result<()> {
    let registry = db.blocking();
    let mut claims = Claims::new(registry);
    let now = now_ms();
    let result = db.write(|c| serve(db, c, now, keys.into(), &mut claims));
    if result.is_ok() {
        claims.publish();
    }
    result
}
