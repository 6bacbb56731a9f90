//! Out-of-band replies: what a client receives without asking for it at that moment.
//!
//! Pub/sub messages, keyspace notifications, and later MONITOR lines reach a client
//! between its replies, whenever they happen. Every `Session` has an `Outbox`; anyone
//! holding it (the pub/sub broker, for a subscribed client) `push`es replies into it,
//! and the front end delivers them:
//!
//! - the server writes them while the client is idle (it waits on the socket and on
//!   the outbox's waker at once) and, during a batch, just before each reply, so a
//!   message is never written inside another reply (see redlite-server's connection.rs);
//! - the embedded Python client takes them with `take` and waits for them with
//!   `wait_for` (redis-py's `PubSub.get_message`).
//!
//! `close` asks the front end to close the connection once what is queued is sent
//! (CLIENT KILL).
//!
//! Output buffer limits (Redis's `client-output-buffer-limit`): a front end that
//! enforces them gives the outbox the server's `Limits` (`set_limits`) and tells it
//! how much of the client's output it holds unsent (`set_unsent`). A push that takes
//! the client past its class's hard limit, or past its soft limit for longer than the
//! soft seconds, drops everything queued at once (the memory is returned then, not
//! when the client is gone) and closes the outbox: the front end closes the
//! connection without sending more (`over_limit`). The class is `pubsub` while the
//! client is subscribed to anything, else `normal`, as in Redis.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::reply::Reply;

/// Redis's client classes for output buffer limits, in CONFIG GET's order.
pub const CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];
const NORMAL: usize = 0;
/// Redis's per-client reply buffer (`PROTO_REPLY_CHUNK_BYTES`), not counted
/// against the limits.
pub const REPLY_BUFFER: usize = 16 * 1024;
const PUBSUB: usize = 2;

/// One class's limits: bytes (0: none) and the soft limit's seconds.
#[derive(Default)]
struct ClassLimit {
    hard: AtomicU64,
    soft: AtomicU64,
    soft_seconds: AtomicU64,
}

/// Redis's `client-output-buffer-limit`, one per server, read by every outbox at
/// each push (see the module documentation).
pub struct Limits {
    classes: [ClassLimit; 3],
}

impl Default for Limits {
    /// Redis's defaults: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60".
    fn default() -> Self {
        let l = Limits {
            classes: Default::default(),
        };
        l.set(1, 256 << 20, 64 << 20, 60);
        l.set(PUBSUB, 32 << 20, 8 << 20, 60);
        l
    }
}

impl std::fmt::Debug for Limits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown())
    }
}

impl Limits {
    /// Set class `class` (an index of `CLASSES`).
    pub fn set(&self, class: usize, hard: u64, soft: u64, soft_seconds: u64) {
        let c = &self.classes[class];
        c.hard.store(hard, Ordering::Relaxed);
        c.soft.store(soft, Ordering::Relaxed);
        c.soft_seconds.store(soft_seconds, Ordering::Relaxed);
    }

    /// (hard, soft, soft seconds) of class `class`.
    pub fn get(&self, class: usize) -> (u64, u64, u64) {
        let c = &self.classes[class];
        (
            c.hard.load(Ordering::Relaxed),
            c.soft.load(Ordering::Relaxed),
            c.soft_seconds.load(Ordering::Relaxed),
        )
    }

    /// As CONFIG GET shows them.
    pub fn shown(&self) -> String {
        let mut out = Vec::new();
        for (i, name) in CLASSES.iter().enumerate() {
            let (hard, soft, secs) = self.get(i);
            out.push(format!("{} {} {} {}", name, hard, soft, secs));
        }
        out.join(" ")
    }
}

fn now_ms() -> i64 {
    crate::db::now_ms()
}

type Waker = Arc<dyn Fn() + Send + Sync>;

#[derive(Default)]
pub struct Outbox {
    queue: Mutex<VecDeque<Reply>>,
    /// Wakes threads waiting in `wait_for` (the embedded client).
    cv: Condvar,
    /// Wakes an event loop (the server's connection task).
    waker: Mutex<Option<Waker>>,
    /// Replies queued: lets `is_empty` skip the lock.
    pending: AtomicBool,
    closed: AtomicBool,
    /// Set by `nudge`: the next `wait_for` returns at once.
    nudged: AtomicBool,
    /// The size of the queued replies, as RESP.
    queued_bytes: AtomicUsize,
    /// Output the front end holds and has not written yet (`set_unsent`).
    unsent: AtomicUsize,
    /// Channels, patterns and shard channels subscribed to (CLIENT LIST's sub, psub,
    /// ssub; the client's class).
    subs: [AtomicU32; 3],
    /// The limits, once a front end enforces them.
    limits: OnceLock<Arc<Limits>>,
    /// When (unix ms) the soft limit was first seen reached; 0 when it is not.
    soft_since: AtomicI64,
    /// Closed for going over its output buffer limit.
    over_limit: AtomicBool,
    /// The bytes it held when it went over its limit.
    dropped: AtomicUsize,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox")
            .field("queued", &self.queue.lock().len())
            .field("closed", &self.closed.load(Ordering::Relaxed))
            .finish()
    }
}

impl Outbox {
    pub fn new() -> Arc<Outbox> {
        Arc::new(Outbox::default())
    }

    /// Queue a reply for the client and wake whoever delivers it. Past the client's
    /// output buffer limit, everything queued is dropped and the outbox closes.
    pub fn push(&self, reply: Reply) {
        let size = resp_size(&reply);
        {
            let mut q = self.queue.lock();
            if self.over_limit.load(Ordering::Acquire) {
                return;
            }
            q.push_back(reply);
            let queued = self.queued_bytes.fetch_add(size, Ordering::AcqRel) + size;
            self.pending.store(true, Ordering::Release);
            if self.reached_limit(queued + self.unsent.load(Ordering::Acquire)) {
                self.drop_all(&mut q);
            }
        }
        self.wake();
    }

    /// Everything queued, oldest first.
    pub fn take(&self) -> Vec<Reply> {
        if !self.pending.load(Ordering::Acquire) {
            return Vec::new();
        }
        let mut q = self.queue.lock();
        self.pending.store(false, Ordering::Release);
        self.queued_bytes.store(0, Ordering::Release);
        q.drain(..).collect()
    }

    /// Enforce `limits` on this client from now on (a front end that can close it).
    pub fn set_limits(&self, limits: Arc<Limits>) {
        let _ = self.limits.set(limits);
    }

    /// The front end holds `bytes` of this client's output not yet written: they
    /// count towards its limit.
    pub fn set_unsent(&self, bytes: usize) {
        self.unsent.store(bytes, Ordering::Release);
    }

    /// Check the limit with the front end's unsent output at `unsent` bytes (its own
    /// replies, which do not pass through `push`): true if the client is over it,
    /// and is then closed as by `push`.
    pub fn check_limit(&self, unsent: usize) -> bool {
        self.unsent.store(unsent, Ordering::Release);
        let mut q = self.queue.lock();
        if self.over_limit.load(Ordering::Acquire) {
            return true;
        }
        let queued = self.queued_bytes.load(Ordering::Acquire);
        if self.reached_limit(queued + unsent) {
            self.drop_all(&mut q);
            drop(q);
            self.wake();
            return true;
        }
        false
    }

    /// True once the client went over its output buffer limit: close it at once,
    /// without writing what it has not read.
    pub fn over_limit(&self) -> bool {
        self.over_limit.load(Ordering::Acquire)
    }

    /// The bytes the client held when it went over its limit (0 if it did not):
    /// memory its front end may hand back to the system.
    pub fn dropped_bytes(&self) -> usize {
        self.dropped.load(Ordering::Acquire)
    }

    /// Bytes queued and unsent: CLIENT LIST's `omem`.
    pub fn memory(&self) -> usize {
        self.queued_bytes.load(Ordering::Acquire) + self.unsent.load(Ordering::Acquire)
    }

    /// Replies queued: CLIENT LIST's `oll`.
    pub fn queued(&self) -> usize {
        if self.is_empty() {
            return 0;
        }
        self.queue.lock().len()
    }

    /// Record the client's subscriptions: channels, patterns, shard channels.
    pub fn set_subscriptions(&self, channels: usize, patterns: usize, shard: usize) {
        for (slot, n) in self.subs.iter().zip([channels, patterns, shard]) {
            slot.store(n as u32, Ordering::Relaxed);
        }
    }

    /// (channels, patterns, shard channels) subscribed to.
    pub fn subscriptions(&self) -> (u32, u32, u32) {
        let [c, p, s] = &self.subs;
        (
            c.load(Ordering::Relaxed),
            p.load(Ordering::Relaxed),
            s.load(Ordering::Relaxed),
        )
    }

    /// Redis's client class: pubsub while subscribed to anything, else normal.
    pub fn class(&self) -> &'static str {
        CLASSES[self.class_index()]
    }

    fn class_index(&self) -> usize {
        let (c, p, s) = self.subscriptions();
        if c + p + s > 0 {
            PUBSUB
        } else {
            NORMAL
        }
    }

    /// Redis's checkClientOutputBufferLimits: the hard limit reached, or the soft one
    /// reached continuously for more than its seconds. Updates when the soft limit
    /// was first reached.
    fn reached_limit(&self, used: usize) -> bool {
        let Some(limits) = self.limits.get() else {
            return false;
        };
        let (hard, soft, secs) = limits.get(self.class_index());
        // Redis counts only what overflows a client's reply buffer (16 KB at most),
        // so a limit below that never closes a client for one small reply.
        let used = used.saturating_sub(REPLY_BUFFER) as u64;
        if hard > 0 && used >= hard {
            return true;
        }
        if soft > 0 && used >= soft {
            let now = now_ms();
            let since = self.soft_since.load(Ordering::Acquire);
            if since == 0 {
                self.soft_since.store(now, Ordering::Release);
                return false;
            }
            return (now - since) / 1000 > secs as i64;
        }
        self.soft_since.store(0, Ordering::Release);
        false
    }

    /// Over the limit: drop everything queued (returning its memory now) and close.
    fn drop_all(&self, q: &mut VecDeque<Reply>) {
        self.dropped.store(self.memory(), Ordering::Release);
        *q = VecDeque::new();
        self.queued_bytes.store(0, Ordering::Release);
        self.pending.store(false, Ordering::Release);
        self.over_limit.store(true, Ordering::Release);
        self.closed.store(true, Ordering::Release);
    }

    pub fn is_empty(&self) -> bool {
        !self.pending.load(Ordering::Acquire)
    }

    /// Call `wake` (from the pushing thread) whenever a reply is queued or the outbox
    /// is closed. Set it, then `take`: what came before is not announced.
    pub fn set_waker(&self, wake: impl Fn() + Send + Sync + 'static) {
        *self.waker.lock() = Some(Arc::new(wake));
    }

    /// Block the thread until something is queued (or the outbox is closed), for at
    /// most `max`; true if something is queued.
    pub fn wait_for(&self, max: Duration) -> bool {
        let until = Instant::now() + max;
        let mut q = self.queue.lock();
        while q.is_empty() && !self.is_closed() && !self.nudged.load(Ordering::Acquire) {
            if self.cv.wait_until(&mut q, until).timed_out() {
                break;
            }
        }
        self.nudged.swap(false, Ordering::AcqRel) || !q.is_empty()
    }

    /// Wake a thread waiting in `wait_for` without queueing anything: the embedded
    /// client queued a reply of its own (another thread's UNSUBSCRIBE on the same
    /// connection) that the waiting reader must see.
    pub fn nudge(&self) {
        let _q = self.queue.lock();
        self.nudged.store(true, Ordering::Release);
        self.cv.notify_all();
    }

    /// Ask the front end to close the connection once the queued replies are sent.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.wake();
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    fn wake(&self) {
        {
            // Taken so that a waiter between its emptiness check and its wait is not
            // missed.
            let _q = self.queue.lock();
            self.cv.notify_all();
        }
        let waker = self.waker.lock().clone();
        if let Some(wake) = waker {
            wake();
        }
    }
}

/// The size of `reply` encoded as RESP2 (what the client's output buffer would hold).
pub fn resp_size(reply: &Reply) -> usize {
    // A header ("$123\r\n", "*3\r\n") and the trailing CRLF.
    const HEADER: usize = 8;
    match reply {
        Reply::Nil | Reply::NilArray | Reply::Bool(_) => 5,
        Reply::Int(_) | Reply::Double(_) | Reply::HumanDouble(_) => 24,
        Reply::Simple(s) => s.len() + 3,
        Reply::Error(e) => e.len() + 3,
        Reply::Bulk(b) | Reply::Verbatim(_, b) => b.len() + HEADER,
        Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
            HEADER + items.iter().map(resp_size).sum::<usize>()
        }
        Reply::Map(pairs) => {
            HEADER
                + pairs
                    .iter()
                    .map(|(k, v)| resp_size(k) + resp_size(v))
                    .sum::<usize>()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn push_take_and_wake() {
        let o = Outbox::new();
        assert!(o.is_empty());
        let woken = Arc::new(AtomicUsize::new(0));
        let w = woken.clone();
        o.set_waker(move || {
            w.fetch_add(1, Ordering::SeqCst);
        });
        o.push(Reply::Int(1));
        o.push(Reply::Int(2));
        assert_eq!(woken.load(Ordering::SeqCst), 2);
        assert!(!o.is_empty());
        assert!(o.wait_for(Duration::from_millis(1)));
        assert_eq!(o.take(), vec![Reply::Int(1), Reply::Int(2)]);
        assert!(o.is_empty());
        assert!(!o.wait_for(Duration::from_millis(1)));
        let o2 = o.clone();
        let t = std::thread::spawn(move || o2.wait_for(Duration::from_secs(60)));
        std::thread::sleep(Duration::from_millis(20));
        o.push(Reply::Int(3));
        assert!(t.join().unwrap());
    }

    fn message(size: usize) -> Reply {
        Reply::Push(vec![
            Reply::bulk("message"),
            Reply::bulk("ch"),
            Reply::bulk(vec![b'x'; size]),
        ])
    }

    #[test]
    fn hard_limit_drops_the_queue_and_closes() {
        let o = Outbox::new();
        let limits = Arc::new(Limits::default());
        limits.set(PUBSUB, 10_000, 0, 0);
        o.set_unsent(REPLY_BUFFER);
        o.set_limits(limits.clone());
        // Not subscribed: the normal class, without limits.
        for _ in 0..20 {
            o.push(message(1000));
        }
        assert!(!o.over_limit());
        o.take();
        o.set_subscriptions(1, 0, 0);
        assert_eq!(o.class(), "pubsub");
        for _ in 0..9 {
            o.push(message(1000));
        }
        assert!(!o.over_limit());
        assert_eq!(o.queued(), 9);
        o.set_unsent(REPLY_BUFFER + 2000);
        o.push(message(1000));
        assert!(o.over_limit() && o.is_closed());
        assert_eq!((o.queued(), o.memory()), (0, REPLY_BUFFER + 2000));
        o.push(message(1));
        assert_eq!(o.queued(), 0);
    }

    #[test]
    fn soft_limit_needs_its_seconds() {
        let o = Outbox::new();
        let limits = Arc::new(Limits::default());
        limits.set(NORMAL, 0, 100, 0);
        o.set_limits(limits.clone());
        let over = REPLY_BUFFER + 200;
        // First seen: not yet.
        assert!(!o.check_limit(over));
        // Still reached a second later (0 seconds allowed): over.
        o.soft_since.store(now_ms() - 1500, Ordering::Release);
        assert!(o.check_limit(over));
        let o = Outbox::new();
        limits.set(NORMAL, 0, 100, 60);
        o.set_limits(limits);
        assert!(!o.check_limit(over));
        assert!(!o.check_limit(over));
        // Below the soft limit: the clock starts again.
        assert!(!o.check_limit(REPLY_BUFFER));
        assert_eq!(o.soft_since.load(Ordering::Acquire), 0);
    }

    #[test]
    fn default_limits_as_redis_shows_them() {
        assert_eq!(
            Limits::default().shown(),
            "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"
        );
    }
}
