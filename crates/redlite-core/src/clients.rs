//! The client registry: every `Session` of a `Db`, embedded or served, with what
//! CLIENT LIST / INFO / KILL and INFO's clients section need to know about it.
//!
//! A `Session` registers on creation and leaves when dropped. The engine keeps the
//! figures it sees (selected database, last command, name, idle time); a front end
//! fills in what only it knows (`attach`: peer and local address, file descriptor,
//! and the hooks through which CLIENT KILL closes the socket and MONITOR pushes lines).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicPtr, AtomicU32, AtomicU8, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::command::Spec;
use crate::db::now_ms;

/// An out-of-band reply for a client (MONITOR lines): into its session's outbox,
/// which the front end delivers between replies (outbox.rs).
pub type Push = Arc<dyn Fn(crate::reply::Reply) + Send + Sync>;

/// CLIENT REPLY's modes.
pub const REPLY_ON: u8 = 0;
pub const REPLY_OFF: u8 = 1;
/// Skip the reply of the next command (the one after CLIENT REPLY SKIP).
pub const REPLY_SKIP_NEXT: u8 = 2;
/// Skip the reply of this command (CLIENT REPLY SKIP itself is answered... not at all).
pub const REPLY_SKIP: u8 = 3;

/// What the front end knows about a client's connection.
#[derive(Debug, Clone, Default)]
pub struct Peer {
    /// "ip:port" of the client, "/path/to/socket:0" on a Unix socket; "" embedded.
    pub addr: String,
    /// "ip:port" the client connected to.
    pub laddr: String,
    /// The socket's file descriptor; -1 embedded.
    pub fd: i64,
}

#[derive(Default)]
struct Mutable {
    peer: Peer,
    name: Vec<u8>,
    /// CLIENT SETINFO LIB-NAME / LIB-VER (Redis 7.2): empty when unset.
    lib_name: Vec<u8>,
    lib_ver: Vec<u8>,
    user: String,
    kill: Option<Box<dyn Fn() + Send + Sync>>,
    push: Option<Push>,
}

/// One client.
pub struct Client {
    pub id: u64,
    created_ms: i64,
    last_ms: AtomicI64,
    db: AtomicU32,
    resp: AtomicU8,
    /// CLIENT REPLY's mode (REPLY_*).
    reply: AtomicU8,
    /// MULTI's queue length + 1 (0: not in MULTI).
    multi: AtomicI64,
    blocked: AtomicBool,
    monitor: AtomicBool,
    no_evict: AtomicBool,
    killed: AtomicBool,
    served: AtomicBool,
    /// The command running or last run (null before the first): an entry of the
    /// command table, which is static. Kept outside `m`, as is `named`, so that
    /// `note`, twice a command, takes no lock for a client without a name.
    last_cmd: AtomicPtr<Spec>,
    /// `m.name` is not empty.
    named: AtomicBool,
    /// The session's outbox: subscriptions and output memory for CLIENT LIST.
    outbox: Option<Arc<crate::outbox::Outbox>>,
    m: Mutex<Mutable>,
}

impl Client {
    /// True once CLIENT KILL has chosen this client: the front end closes it.
    pub fn killed(&self) -> bool {
        self.killed.load(Ordering::Acquire)
    }

    /// Close this client: mark it, and run the front end's hook.
    pub fn kill(&self) {
        self.killed.store(true, Ordering::Release);
        if let Some(kill) = &self.m.lock().kill {
            kill();
        }
    }

    pub fn peer(&self) -> Peer {
        self.m.lock().peer.clone()
    }

    pub fn set_blocked(&self, blocked: bool) {
        self.blocked.store(blocked, Ordering::Relaxed);
    }

    pub fn is_monitor(&self) -> bool {
        self.monitor.load(Ordering::Relaxed)
    }

    pub(crate) fn set_monitor(&self) {
        self.monitor.store(true, Ordering::Relaxed);
    }

    pub(crate) fn set_no_evict(&self, on: bool) {
        self.no_evict.store(on, Ordering::Relaxed);
    }

    pub fn set_user(&self, user: &str) {
        let mut m = self.m.lock();
        if m.user != user {
            m.user = user.to_string();
        }
    }

    /// CLIENT SETINFO: `lib_name` true for LIB-NAME, false for LIB-VER; empty unsets.
    pub(crate) fn set_lib_info(&self, lib_name: bool, value: &[u8]) {
        let mut m = self.m.lock();
        let field = if lib_name {
            &mut m.lib_name
        } else {
            &mut m.lib_ver
        };
        *field = value.to_vec();
    }

    /// CLIENT REPLY's mode.
    pub fn reply_mode(&self) -> u8 {
        self.reply.load(Ordering::Relaxed)
    }

    pub(crate) fn set_reply_mode(&self, mode: u8) {
        self.reply.store(mode, Ordering::Relaxed);
    }

    /// Whether the reply of the command that just ran is sent, moving SKIP on (the
    /// command after CLIENT REPLY SKIP is the one skipped).
    pub fn take_reply_allowed(&self) -> bool {
        match self.reply.load(Ordering::Relaxed) {
            REPLY_ON => true,
            REPLY_OFF => false,
            REPLY_SKIP => {
                self.reply.store(REPLY_SKIP_NEXT, Ordering::Relaxed);
                false
            }
            _ => {
                self.reply.store(REPLY_ON, Ordering::Relaxed);
                false
            }
        }
    }

    /// Whether `reply`, the answer of the command that just ran, is sent: as
    /// `take_reply_allowed`, except that a push (a pub/sub confirmation) always is,
    /// as Redis sends them whatever CLIENT REPLY says (its CLIENT_PUSHING).
    pub fn reply_allowed(&self, reply: &crate::reply::Reply) -> bool {
        let allowed = self.take_reply_allowed();
        allowed || matches!(reply, crate::reply::Reply::Push(_))
    }

    /// Push a reply to this client out of band (MONITOR).
    pub fn push(&self, reply: crate::reply::Reply) {
        let push = self.m.lock().push.clone();
        if let Some(p) = push {
            p(reply);
        }
    }

    pub fn can_push(&self) -> bool {
        self.m.lock().push.is_some()
    }

    /// Before and after each command: what CLIENT LIST shows of it; `at` (unix ms),
    /// when given, is the client's last interaction (before the command).
    pub(crate) fn note(
        &self,
        db: u32,
        resp: u8,
        name: Option<&[u8]>,
        cmd: &'static Spec,
        multi: i64,
        at: Option<i64>,
    ) {
        if let Some(at) = at {
            self.last_ms.store(at, Ordering::Relaxed);
        }
        self.db.store(db, Ordering::Relaxed);
        self.resp.store(resp, Ordering::Relaxed);
        self.multi.store(multi, Ordering::Relaxed);
        self.last_cmd
            .store(cmd as *const Spec as *mut Spec, Ordering::Release);
        let name = name.unwrap_or(b"");
        if name.is_empty() && !self.named.load(Ordering::Acquire) {
            return;
        }
        let mut m = self.m.lock();
        if m.name != name {
            m.name = name.to_vec();
            self.named.store(!name.is_empty(), Ordering::Release);
        }
    }

    /// CLIENT LIST's `cmd=`: the command running or last run, "NULL" before any.
    fn last_cmd(&self) -> &'static str {
        let p = self.last_cmd.load(Ordering::Acquire);
        // SAFETY: `note` stores only pointers made from `&'static Spec`.
        unsafe { p.as_ref() }.map_or("NULL", |spec| spec.name)
    }

    /// "normal" or "pubsub" (while subscribed), as CLIENT LIST TYPE / KILL TYPE
    /// match them.
    fn kind(&self) -> &'static str {
        self.outbox.as_ref().map_or("normal", |o| o.class())
    }

    /// One line of CLIENT LIST, in Redis 7.0's format and field order, with the two
    /// fields Redis 7.2 appends for CLIENT SETINFO (lib-name, lib-ver).
    pub fn info_line(&self, now: i64) -> String {
        let m = self.m.lock();
        let mut flags = String::new();
        if self.monitor.load(Ordering::Relaxed) {
            flags.push('O');
        }
        if self.blocked.load(Ordering::Relaxed) {
            flags.push('b');
        }
        let (sub, psub, ssub) = self
            .outbox
            .as_ref()
            .map_or((0, 0, 0), |o| o.subscriptions());
        if sub + psub + ssub > 0 {
            flags.push('P');
        }
        if self.multi.load(Ordering::Relaxed) > 0 {
            flags.push('x');
        }
        if self.no_evict.load(Ordering::Relaxed) {
            flags.push('e');
        }
        if self.killed() {
            flags.push('A');
        }
        if flags.is_empty() {
            flags.push('N');
        }
        let multi = self.multi.load(Ordering::Relaxed) - 1;
        let (oll, omem) = self
            .outbox
            .as_ref()
            .map_or((0, 0), |o| (o.queued(), o.memory()));
        let age = (now - self.created_ms).max(0) / 1000;
        let idle = (now - self.last_ms.load(Ordering::Relaxed)).max(0) / 1000;
        let cmd = self.last_cmd();
        let user = if m.user.is_empty() {
            "default"
        } else {
            m.user.as_str()
        };
        format!(
            "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} \
             ssub={} multi={} qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=1024 rbp=0 obl=0 \
             oll={} omem={} tot-mem={} events={} cmd={} user={} redir=-1 resp={} lib-name={} \
             lib-ver={}",
            self.id,
            m.peer.addr,
            m.peer.laddr,
            m.peer.fd,
            String::from_utf8_lossy(&m.name),
            age,
            idle,
            flags,
            self.db.load(Ordering::Relaxed),
            sub,
            psub,
            ssub,
            multi,
            oll,
            omem,
            1024 + omem,
            if omem > 0 { "rw" } else { "r" },
            cmd,
            user,
            self.resp.load(Ordering::Relaxed).max(2),
            String::from_utf8_lossy(&m.lib_name),
            String::from_utf8_lossy(&m.lib_ver),
        )
    }
}

/// Which clients CLIENT KILL / LIST pick.
#[derive(Debug, Default)]
pub struct Filter {
    pub ids: Option<Vec<u64>>,
    pub addr: Option<String>,
    pub laddr: Option<String>,
    pub user: Option<String>,
    pub kind: Option<String>,
    /// Leave out this client (SKIPME yes).
    pub skip: Option<u64>,
}

impl Filter {
    fn picks(&self, c: &Client) -> bool {
        if self.skip == Some(c.id) {
            return false;
        }
        if let Some(ids) = &self.ids {
            if !ids.contains(&c.id) {
                return false;
            }
        }
        if let Some(kind) = &self.kind {
            if c.kind() != kind {
                return false;
            }
        }
        if self.addr.is_some() || self.laddr.is_some() || self.user.is_some() {
            let m = c.m.lock();
            if self.addr.as_ref().is_some_and(|a| *a != m.peer.addr)
                || self.laddr.as_ref().is_some_and(|a| *a != m.peer.laddr)
            {
                return false;
            }
            let user = if m.user.is_empty() {
                "default"
            } else {
                m.user.as_str()
            };
            if self.user.as_ref().is_some_and(|u| u != user) {
                return false;
            }
        }
        true
    }
}

/// Every client of one `Db`, by id.
#[derive(Default)]
pub struct Registry {
    clients: Mutex<BTreeMap<u64, Arc<Client>>>,
    monitors: AtomicI64,
    /// `client-output-buffer-limit`, enforced by the outboxes of served clients.
    obuf_limits: Arc<crate::outbox::Limits>,
    /// The front end's check of a new `maxclients` (`set_maxclients_check`).
    maxclients_check: Mutex<Option<MaxclientsCheck>>,
}

/// Whether the process can serve `maxclients` clients (making room if it can); if
/// not, how many it can.
pub type MaxclientsCheck = Box<dyn Fn(&crate::Db, u64) -> Result<(), u64> + Send + Sync>;

/// CONFIG SET maxclients: refused, as Redis refuses it, when the front end cannot
/// open that many sockets (its open files limit).
pub(crate) fn apply_maxclients(db: &crate::Db, value: &str) -> Result<(), String> {
    let Ok(n) = value.parse::<u64>() else {
        return Ok(());
    };
    let check = db.ops().clients.maxclients_check.lock();
    match check.as_ref().map_or(Ok(()), |check| check(db, n)) {
        Ok(()) => Ok(()),
        Err(fits) => Err(format!(
            "The operating system is not able to handle the specified number of clients, \
             try with {}",
            fits
        )),
    }
}

/// CONFIG SET client-output-buffer-limit (and the config file's lines): groups of
/// `<class> <hard> <soft> <soft seconds>`, checked all before any is applied, with
/// Redis's errors; the classes not named keep their limits. The stored value is then
/// all three classes, as CONFIG GET shows them.
pub(crate) fn apply_client_output_buffer_limit(db: &crate::Db, value: &str) -> Result<(), String> {
    // Redis splits the value on single spaces (sdssplitlen): two spaces make an
    // empty word, which is no class.
    let words: Vec<&str> = if value.is_empty() {
        Vec::new()
    } else {
        value.split(' ').collect()
    };
    if !words.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    let mut parsed = Vec::new();
    for group in words.chunks(4) {
        let class = match group[0].to_ascii_lowercase().as_str() {
            "normal" => 0,
            "slave" | "replica" => 1,
            "pubsub" => 2,
            _ => {
                return Err("Invalid client class specified in buffer limit configuration.".into())
            }
        };
        let hard = crate::config::parse_memory(group[1]);
        let soft = crate::config::parse_memory(group[2]);
        let seconds = strtoll(group[3]);
        match (hard, soft, seconds) {
            (Some(hard), Some(soft), Some(seconds)) if seconds >= 0 => {
                parsed.push((class, hard as u64, soft as u64, seconds as u64))
            }
            _ => {
                return Err(
                    "Error in hard, soft or soft_seconds setting in buffer limit \
                            configuration."
                        .into(),
                )
            }
        }
    }
    let limits = &db.ops().clients.obuf_limits;
    for (class, hard, soft, seconds) in parsed {
        limits.set(class, hard, soft, seconds);
    }
    db.config()
        .set_raw("client-output-buffer-limit", limits.shown());
    Ok(())
}

/// C's `strtoll(s, &end, 10)` with `*end == '\0'` required, as Redis reads the soft
/// seconds (truncated to an int): leading spaces and a sign are allowed, and an
/// empty string is 0.
fn strtoll(s: &str) -> Option<i64> {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    if t.is_empty() {
        return if s.is_empty() { Some(0) } else { None };
    }
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = t.parse::<i64>().unwrap_or(if t.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    });
    Some(n as i32 as i64)
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Registry({} clients)", self.clients.lock().len())
    }
}

impl Registry {
    /// Set by a front end whose clients use file descriptors: see `apply_maxclients`.
    pub fn set_maxclients_check(&self, check: Option<MaxclientsCheck>) {
        *self.maxclients_check.lock() = check;
    }

    /// The output buffer limits, for a front end to give its clients' outboxes.
    pub fn obuf_limits(&self) -> &Arc<crate::outbox::Limits> {
        &self.obuf_limits
    }

    pub(crate) fn register(
        &self,
        id: u64,
        push: Option<Push>,
        outbox: Option<Arc<crate::outbox::Outbox>>,
    ) -> Arc<Client> {
        let now = now_ms();
        let c = Arc::new(Client {
            id,
            created_ms: now,
            last_ms: AtomicI64::new(now),
            db: AtomicU32::new(0),
            resp: AtomicU8::new(2),
            reply: AtomicU8::new(REPLY_ON),
            multi: AtomicI64::new(0),
            blocked: AtomicBool::new(false),
            monitor: AtomicBool::new(false),
            no_evict: AtomicBool::new(false),
            killed: AtomicBool::new(false),
            served: AtomicBool::new(false),
            last_cmd: AtomicPtr::new(std::ptr::null_mut()),
            named: AtomicBool::new(false),
            outbox,
            m: Mutex::new(Mutable {
                push,
                ..Mutable::default()
            }),
        });
        self.clients.lock().insert(id, c.clone());
        c
    }

    pub(crate) fn unregister(&self, id: u64) {
        if let Some(c) = self.clients.lock().remove(&id) {
            if c.is_monitor() {
                self.monitors.fetch_sub(1, Ordering::Relaxed);
            }
        }
    }

    pub fn get(&self, id: u64) -> Option<Arc<Client>> {
        self.clients.lock().get(&id).cloned()
    }

    /// Every client, by id.
    pub fn all(&self) -> Vec<Arc<Client>> {
        self.clients.lock().values().cloned().collect()
    }

    pub fn pick(&self, filter: &Filter) -> Vec<Arc<Client>> {
        self.all().into_iter().filter(|c| filter.picks(c)).collect()
    }

    /// The clients of a network front end (CLIENT LIST shows embedded ones too).
    pub fn served_count(&self) -> usize {
        self.clients
            .lock()
            .values()
            .filter(|c| c.served.load(Ordering::Relaxed))
            .count()
    }

    pub fn blocked_count(&self) -> usize {
        self.clients
            .lock()
            .values()
            .filter(|c| c.blocked.load(Ordering::Relaxed))
            .count()
    }

    /// A front end attaches its connection to the client of a session: where it
    /// comes from, and how CLIENT KILL closes it.
    pub fn attach(&self, id: u64, peer: Peer, kill: Box<dyn Fn() + Send + Sync>) {
        if let Some(c) = self.get(id) {
            c.served.store(true, Ordering::Relaxed);
            let mut m = c.m.lock();
            m.peer = peer;
            m.kill = Some(kill);
        }
    }

    pub(crate) fn add_monitor(&self, c: &Client) {
        if !c.is_monitor() {
            c.set_monitor();
            self.monitors.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Feed a command to every MONITOR client (Redis's `replicationFeedMonitors`).
    pub(crate) fn feed_monitors(&self, client: &Client, db: u32, argv: &[&[u8]]) {
        if self.monitors.load(Ordering::Relaxed) <= 0 {
            return;
        }
        let us = crate::db::now_us();
        let peer = client.peer();
        let source = if peer.addr.is_empty() {
            "embedded".to_string()
        } else {
            peer.addr
        };
        let mut line = format!(
            "{}.{:06} [{} {}]",
            us / 1_000_000,
            us % 1_000_000,
            db,
            source
        );
        for a in argv {
            line.push(' ');
            line.push_str(&repr(a));
        }
        for m in self.all().into_iter().filter(|c| c.is_monitor()) {
            m.push(crate::reply::Reply::Simple(line.clone()));
        }
    }
}

/// Redis's `sdscatrepr`: a quoted string with C escapes.
pub fn repr(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &c in s {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            7 => out.push_str("\\a"),
            8 => out.push_str("\\b"),
            c if c.is_ascii_graphic() || c == b' ' => out.push(c as char),
            c => out.push_str(&format!("\\x{:02x}", c)),
        }
    }
    out.push('"');
    out
}
