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

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

use crate::reply::Reply;

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

    /// Queue a reply for the client and wake whoever delivers it.
    pub fn push(&self, reply: Reply) {
        self.queue.lock().push_back(reply);
        self.pending.store(true, Ordering::Release);
        self.wake();
    }

    /// Everything queued, oldest first.
    pub fn take(&self) -> Vec<Reply> {
        if !self.pending.load(Ordering::Acquire) {
            return Vec::new();
        }
        let mut q = self.queue.lock();
        self.pending.store(false, Ordering::Release);
        q.drain(..).collect()
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
}
