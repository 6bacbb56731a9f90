//! The pub/sub broker of one `Db`: channels, patterns and shard channels, and the
//! keyspace notifications (`notify-keyspace-events`) published through it.
//!
//! A subscribed client is its `Outbox` (see outbox.rs): PUBLISH pushes each message
//! into the outbox of every receiver, and the front end delivers it. The broker also
//! keeps each client's own subscriptions (to count them in the confirmations and to
//! unsubscribe from all), under the same lock as the channel tables, so the two can
//! never disagree. Shard channels (SSUBSCRIBE, SPUBLISH) are a namespace of their
//! own; on a single node that is all they are.
//!
//! Keyspace events happen inside write transactions, and a subscriber must not hear
//! of a change that then rolls back: `Ctx::notify` queues them here (there is one
//! writer, so one queue), the writer takes the queue before it lets go of the
//! database (`take_events`) and publishes it once the transaction has committed.
//! The commands of this family live in command/pubsub.rs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;

use crate::db::Db;
use crate::glob;
use crate::outbox::Outbox;
use crate::reply::Reply;

/// Which table a subscription lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Channel,
    Pattern,
    Shard,
}

impl Kind {
    fn subscribe(self) -> &'static str {
        match self {
            Kind::Channel => "subscribe",
            Kind::Pattern => "psubscribe",
            Kind::Shard => "ssubscribe",
        }
    }

    fn unsubscribe(self) -> &'static str {
        match self {
            Kind::Channel => "unsubscribe",
            Kind::Pattern => "punsubscribe",
            Kind::Shard => "sunsubscribe",
        }
    }
}

/// A client's pub/sub side, carried in its `SessionState`: its outbox, and how many
/// subscriptions it holds (Redis's "pub/sub context" in RESP2 while any).
#[derive(Debug, Clone)]
pub struct ClientPubSub {
    pub outbox: Arc<Outbox>,
    /// Channels + patterns + shard channels subscribed to.
    pub subscriptions: usize,
}

impl Default for ClientPubSub {
    fn default() -> Self {
        ClientPubSub {
            outbox: Outbox::new(),
            subscriptions: 0,
        }
    }
}

impl ClientPubSub {
    /// True while the client is subscribed to anything.
    pub fn subscribed(&self) -> bool {
        self.subscriptions > 0
    }
}

struct Subscriber {
    client: u64,
    outbox: Arc<Outbox>,
}

/// One client's subscriptions, each with its order of arrival.
#[derive(Default)]
struct ClientSubs {
    channels: HashMap<Vec<u8>, u64>,
    patterns: HashMap<Vec<u8>, u64>,
    shard: HashMap<Vec<u8>, u64>,
}

impl ClientSubs {
    fn of(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, u64> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// The count a confirmation carries: channels + patterns, or shard channels.
    fn count(&self, kind: Kind) -> i64 {
        match kind {
            Kind::Channel | Kind::Pattern => (self.channels.len() + self.patterns.len()) as i64,
            Kind::Shard => self.shard.len() as i64,
        }
    }

    fn total(&self) -> usize {
        self.channels.len() + self.patterns.len() + self.shard.len()
    }
}

#[derive(Default)]
struct Tables {
    channels: HashMap<Vec<u8>, Vec<Subscriber>>,
    patterns: HashMap<Vec<u8>, Vec<Subscriber>>,
    shard: HashMap<Vec<u8>, Vec<Subscriber>>,
    clients: HashMap<u64, ClientSubs>,
    seq: u64,
}

impl Tables {
    fn of(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, Vec<Subscriber>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard,
        }
    }

    /// Take `client` off `name`; false if it was not subscribed.
    fn remove(&mut self, kind: Kind, client: u64, name: &[u8]) -> bool {
        let removed = self
            .clients
            .get_mut(&client)
            .is_some_and(|c| c.of(kind).remove(name).is_some());
        if removed {
            let table = self.of(kind);
            if let Some(subs) = table.get_mut(name) {
                subs.retain(|s| s.client != client);
                if subs.is_empty() {
                    table.remove(name);
                }
            }
        }
        removed
    }
}

/// The broker: see the module documentation.
#[derive(Default)]
pub struct Broker {
    tables: Mutex<Tables>,
    /// notify-keyspace-events, as `keyspace_events_flags` reads it.
    events: AtomicU32,
    /// Keyspace events of the running write transaction: (channel, message).
    pending: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
}

fn push(kind: &str, a: &[u8], count: Option<i64>) -> Reply {
    let mut items = vec![Reply::bulk(kind), Reply::bulk(a)];
    if let Some(n) = count {
        items.push(Reply::Int(n));
    }
    Reply::Push(items)
}

impl Broker {
    /// Subscribe `client` to each name in turn: one confirmation per name (a repeated
    /// one is confirmed again), carrying the client's count after it. Returns the
    /// confirmations and the client's total of subscriptions.
    pub fn subscribe(
        &self,
        kind: Kind,
        client: u64,
        outbox: &Arc<Outbox>,
        names: &[&[u8]],
    ) -> (Vec<Reply>, usize) {
        let mut t = self.tables.lock();
        let mut replies = Vec::with_capacity(names.len());
        for &name in names {
            let seq = t.seq + 1;
            let subs = t.clients.entry(client).or_default();
            let added = !subs.of(kind).contains_key(name);
            if added {
                subs.of(kind).insert(name.to_vec(), seq);
            }
            let count = subs.count(kind);
            if added {
                t.seq = seq;
                t.of(kind)
                    .entry(name.to_vec())
                    .or_default()
                    .push(Subscriber {
                        client,
                        outbox: outbox.clone(),
                    });
            }
            replies.push(push(kind.subscribe(), name, Some(count)));
        }
        let total = t.clients.get(&client).map_or(0, ClientSubs::total);
        (replies, total)
    }

    /// Unsubscribe `client` from each name, or from all of its subscriptions of that
    /// kind (in the order it made them) when `names` is empty: one confirmation per
    /// name, and one with a null name when there was nothing to leave.
    pub fn unsubscribe(&self, kind: Kind, client: u64, names: &[&[u8]]) -> (Vec<Reply>, usize) {
        let mut t = self.tables.lock();
        let names: Vec<Vec<u8>> = if names.is_empty() {
            let mut all: Vec<(u64, Vec<u8>)> = t
                .clients
                .get_mut(&client)
                .map(|c| c.of(kind).iter().map(|(n, s)| (*s, n.clone())).collect())
                .unwrap_or_default();
            all.sort();
            all.into_iter().map(|(_, n)| n).collect()
        } else {
            names.iter().map(|n| n.to_vec()).collect()
        };
        let mut replies = Vec::with_capacity(names.len().max(1));
        for name in &names {
            t.remove(kind, client, name);
            let count = t.clients.get(&client).map_or(0, |c| c.count(kind));
            replies.push(push(kind.unsubscribe(), name, Some(count)));
        }
        let total = t.clients.get(&client).map_or(0, ClientSubs::total);
        if replies.is_empty() {
            let count = t.clients.get(&client).map_or(0, |c| c.count(kind));
            replies.push(Reply::Push(vec![
                Reply::bulk(kind.unsubscribe()),
                Reply::Nil,
                Reply::Int(count),
            ]));
        }
        if total == 0 {
            t.clients.remove(&client);
        }
        (replies, total)
    }

    /// The channels, patterns and shard channels `client` is subscribed to.
    pub fn counts(&self, client: u64) -> (usize, usize, usize) {
        let t = self.tables.lock();
        t.clients.get(&client).map_or((0, 0, 0), |c| {
            (c.channels.len(), c.patterns.len(), c.shard.len())
        })
    }

    /// Drop every subscription of `client`, silently (RESET, disconnect).
    pub fn forget(&self, client: u64) {
        let mut t = self.tables.lock();
        let Some(mut subs) = t.clients.remove(&client) else {
            return;
        };
        for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
            for name in subs.of(kind).keys() {
                let table = t.of(kind);
                if let Some(list) = table.get_mut(name) {
                    list.retain(|s| s.client != client);
                    if list.is_empty() {
                        table.remove(name);
                    }
                }
            }
        }
    }

    /// PUBLISH: deliver `message` to the subscribers of `channel` and of every pattern
    /// matching it; the number of deliveries (a client subscribed both ways counts
    /// twice, as in Redis).
    pub fn publish(&self, channel: &[u8], message: &[u8]) -> i64 {
        let t = self.tables.lock();
        let mut n = 0;
        if let Some(subs) = t.channels.get(channel) {
            for s in subs {
                s.outbox.push(Reply::Push(vec![
                    Reply::bulk("message"),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]));
                n += 1;
            }
        }
        for (pattern, subs) in &t.patterns {
            if !glob::matches(pattern, channel) {
                continue;
            }
            for s in subs {
                s.outbox.push(Reply::Push(vec![
                    Reply::bulk("pmessage"),
                    Reply::bulk(pattern.as_slice()),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]));
                n += 1;
            }
        }
        n
    }

    /// SPUBLISH: deliver to the subscribers of the shard channel.
    pub fn spublish(&self, channel: &[u8], message: &[u8]) -> i64 {
        let t = self.tables.lock();
        let mut n = 0;
        if let Some(subs) = t.shard.get(channel) {
            for s in subs {
                s.outbox.push(Reply::Push(vec![
                    Reply::bulk("smessage"),
                    Reply::bulk(channel),
                    Reply::bulk(message),
                ]));
                n += 1;
            }
        }
        n
    }

    /// PUBSUB CHANNELS / SHARDCHANNELS: the channels with subscribers, matching `pattern`.
    pub fn channels(&self, kind: Kind, pattern: Option<&[u8]>) -> Vec<Vec<u8>> {
        let mut t = self.tables.lock();
        t.of(kind)
            .keys()
            .filter(|c| pattern.is_none_or(|p| glob::matches(p, c)))
            .cloned()
            .collect()
    }

    /// PUBSUB NUMSUB / SHARDNUMSUB: the subscribers of `channel`.
    pub fn numsub(&self, kind: Kind, channel: &[u8]) -> i64 {
        let mut t = self.tables.lock();
        t.of(kind).get(channel).map_or(0, |s| s.len() as i64)
    }

    /// PUBSUB NUMPAT: the patterns with subscribers.
    pub fn numpat(&self) -> i64 {
        self.tables.lock().patterns.len() as i64
    }

    /// The notify-keyspace-events flags (see `keyspace_events_flags`).
    pub fn event_flags(&self) -> u32 {
        self.events.load(Ordering::Relaxed)
    }

    pub fn set_event_flags(&self, flags: u32) {
        self.events.store(flags, Ordering::Relaxed);
    }

    /// Queue the keyspace event `event` of class `class` on `key` of database `db`,
    /// to be published once the running write transaction commits (if the flags
    /// ask for it).
    pub fn notify(&self, class: u32, event: &str, db: u32, key: &[u8]) {
        let flags = self.event_flags();
        if flags & class == 0 || flags & (KEYSPACE | KEYEVENT) == 0 {
            return;
        }
        let mut pending = self.pending.lock();
        if flags & KEYSPACE != 0 {
            let mut chan = format!("__keyspace@{}__:", db).into_bytes();
            chan.extend_from_slice(key);
            pending.push((chan, event.as_bytes().to_vec()));
        }
        if flags & KEYEVENT != 0 {
            let chan = format!("__keyevent@{}__:{}", db, event).into_bytes();
            pending.push((chan, key.to_vec()));
        }
    }

    /// The events queued so far (the writer calls this before it lets go of the
    /// database: they belong to its transaction).
    pub fn take_events(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        std::mem::take(&mut *self.pending.lock())
    }

    /// How many events are queued: a savepoint that rolls back drops those after it
    /// (`truncate_events`).
    pub fn events_mark(&self) -> usize {
        self.pending.lock().len()
    }

    pub fn truncate_events(&self, mark: usize) {
        self.pending.lock().truncate(mark);
    }

    /// Publish the events of a committed transaction.
    pub fn publish_events(&self, events: Vec<(Vec<u8>, Vec<u8>)>) {
        for (channel, message) in events {
            self.publish(&channel, &message);
        }
    }
}

thread_local! {
    /// The `Db` whose write transaction this thread runs (see `in_write`).
    static WRITING: RefCell<Option<Db>> = const { RefCell::new(None) };
}

/// Run `f`, a write transaction of `db`, with `db` known to `notify_here`: code
/// below the command layer (keyspace.rs: lazy expiry) has a connection, not a `Db`.
pub(crate) fn in_write<T>(db: &Db, f: impl FnOnce() -> T) -> T {
    let previous = WRITING.with(|w| w.replace(Some(db.clone())));
    let out = f();
    WRITING.with(|w| *w.borrow_mut() = previous);
    out
}

/// Queue a keyspace event of the write transaction running on this thread (none
/// outside one).
pub(crate) fn notify_here(class: u32, event: &str, db: u32, key: &[u8]) {
    WRITING.with(|w| {
        if let Some(d) = w.borrow().as_ref() {
            d.pubsub().notify(class, event, db, key);
        }
    });
}

/// The `apply` hook of the notify-keyspace-events parameter (config.rs): Redis's
/// check, the flags to the broker, and the value in Redis's canonical spelling.
pub fn apply_notify_keyspace_events(db: &Db, value: &str) -> std::result::Result<(), String> {
    let flags = keyspace_events_flags(value.as_bytes())
        .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".to_string())?;
    db.pubsub().set_event_flags(flags);
    let shown = keyspace_events_string(flags);
    if shown != value {
        db.config().set_raw("notify-keyspace-events", shown);
    }
    Ok(())
}

// The classes of notify-keyspace-events (Redis's NOTIFY_* of server.h).
pub const KEYSPACE: u32 = 1 << 0; // K
pub const KEYEVENT: u32 = 1 << 1; // E
pub const GENERIC: u32 = 1 << 2; // g
pub const STRING: u32 = 1 << 3; // $
pub const LIST: u32 = 1 << 4; // l
pub const SET: u32 = 1 << 5; // s
pub const HASH: u32 = 1 << 6; // h
pub const ZSET: u32 = 1 << 7; // z
pub const EXPIRED: u32 = 1 << 8; // x
pub const EVICTED: u32 = 1 << 9; // e
pub const STREAM: u32 = 1 << 10; // t
pub const KEY_MISS: u32 = 1 << 11; // m
pub const MODULE: u32 = 1 << 13; // d
pub const NEW: u32 = 1 << 14; // n
/// `A`: every class but m and n.
pub const ALL: u32 =
    GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

/// notify-keyspace-events' value as flags, as Redis's `keyspaceEventsStringToFlags`;
/// `None` for a character that is no class.
pub fn keyspace_events_flags(classes: &[u8]) -> Option<u32> {
    let mut flags = 0;
    for &c in classes {
        flags |= match c {
            b'A' => ALL,
            b'g' => GENERIC,
            b'$' => STRING,
            b'l' => LIST,
            b's' => SET,
            b'h' => HASH,
            b'z' => ZSET,
            b'x' => EXPIRED,
            b'e' => EVICTED,
            b'K' => KEYSPACE,
            b'E' => KEYEVENT,
            b't' => STREAM,
            b'm' => KEY_MISS,
            b'd' => MODULE,
            b'n' => NEW,
            _ => return None,
        };
    }
    Some(flags)
}

/// The flags as CONFIG GET shows them, as Redis's `keyspaceEventsFlagsToString`.
pub fn keyspace_events_string(flags: u32) -> String {
    let mut s = String::new();
    if flags & ALL == ALL {
        s.push('A');
    } else {
        for (bit, c) in [
            (GENERIC, 'g'),
            (STRING, '$'),
            (LIST, 'l'),
            (SET, 's'),
            (HASH, 'h'),
            (ZSET, 'z'),
            (EXPIRED, 'x'),
            (EVICTED, 'e'),
            (STREAM, 't'),
            (MODULE, 'd'),
            (NEW, 'n'),
        ] {
            if flags & bit != 0 {
                s.push(c);
            }
        }
    }
    for (bit, c) in [(KEYSPACE, 'K'), (KEYEVENT, 'E'), (KEY_MISS, 'm')] {
        if flags & bit != 0 {
            s.push(c);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msgs(o: &Outbox) -> Vec<Reply> {
        o.take()
    }

    #[test]
    fn publish_counts_channel_and_pattern_receivers() {
        let b = Broker::default();
        let (a, c) = (Outbox::new(), Outbox::new());
        let (r, total) = b.subscribe(Kind::Channel, 1, &a, &[b"news", b"sport", b"news"]);
        assert_eq!(total, 2);
        assert_eq!(r[2], push("subscribe", b"news", Some(2)));
        let (r, _) = b.subscribe(Kind::Pattern, 1, &a, &[b"n*"]);
        assert_eq!(r, vec![push("psubscribe", b"n*", Some(3))]);
        b.subscribe(Kind::Channel, 2, &c, &[b"news"]);
        assert_eq!(b.publish(b"news", b"hi"), 3);
        assert_eq!(msgs(&a).len(), 2);
        assert_eq!(
            msgs(&c),
            vec![Reply::Push(vec![
                Reply::bulk("message"),
                Reply::bulk("news"),
                Reply::bulk("hi")
            ])]
        );
        assert_eq!(b.numsub(Kind::Channel, b"news"), 2);
        assert_eq!(b.numpat(), 1);
        let mut ch = b.channels(Kind::Channel, None);
        ch.sort();
        assert_eq!(ch, vec![b"news".to_vec(), b"sport".to_vec()]);
        assert_eq!(
            b.channels(Kind::Channel, Some(b"s*")),
            vec![b"sport".to_vec()]
        );
        // Unsubscribing from all goes in subscription order.
        let (r, total) = b.unsubscribe(Kind::Channel, 1, &[]);
        assert_eq!(
            r,
            vec![
                push("unsubscribe", b"news", Some(2)),
                push("unsubscribe", b"sport", Some(1))
            ]
        );
        assert_eq!(total, 1);
        let (r, _) = b.unsubscribe(Kind::Channel, 1, &[]);
        assert_eq!(
            r,
            vec![Reply::Push(vec![
                Reply::bulk("unsubscribe"),
                Reply::Nil,
                Reply::Int(1)
            ])]
        );
        b.forget(1);
        assert_eq!(b.numpat(), 0);
        assert_eq!(b.publish(b"news", b"x"), 1);
        b.forget(2);
        assert_eq!(b.publish(b"news", b"x"), 0);
        assert!(b.tables.lock().clients.is_empty());
    }

    #[test]
    fn shard_channels_are_their_own_namespace() {
        let b = Broker::default();
        let a = Outbox::new();
        b.subscribe(Kind::Channel, 1, &a, &[b"x"]);
        let (r, total) = b.subscribe(Kind::Shard, 1, &a, &[b"x"]);
        assert_eq!(r, vec![push("ssubscribe", b"x", Some(1))]);
        assert_eq!(total, 2);
        assert_eq!(b.spublish(b"x", b"m"), 1);
        assert_eq!(b.publish(b"x", b"m"), 1);
        assert_eq!(b.numsub(Kind::Shard, b"x"), 1);
    }

    #[test]
    fn keyspace_event_flags_round_trip() {
        assert_eq!(keyspace_events_flags(b""), Some(0));
        assert_eq!(keyspace_events_flags(b"Q"), None);
        assert_eq!(
            keyspace_events_string(keyspace_events_flags(b"KEA").unwrap()),
            "AKE"
        );
        assert_eq!(
            keyspace_events_string(keyspace_events_flags(b"Eg$lshzxetdKm").unwrap()),
            "AKEm"
        );
        assert_eq!(
            keyspace_events_string(keyspace_events_flags(b"nEl$").unwrap()),
            "$lnE"
        );
        assert_eq!(
            keyspace_events_string(keyspace_events_flags(b"AnK").unwrap()),
            "AK"
        );
    }

    #[test]
    fn events_are_published_only_when_flagged() {
        let b = Broker::default();
        let a = Outbox::new();
        b.subscribe(Kind::Pattern, 1, &a, &[b"__key*__:*"]);
        b.notify(STRING, "set", 0, b"k");
        assert!(b.take_events().is_empty());
        b.set_event_flags(keyspace_events_flags(b"KE$").unwrap());
        b.notify(STRING, "set", 3, b"k");
        b.notify(LIST, "lpush", 3, b"k");
        let events = b.take_events();
        assert_eq!(
            events,
            vec![
                (b"__keyspace@3__:k".to_vec(), b"set".to_vec()),
                (b"__keyevent@3__:set".to_vec(), b"k".to_vec())
            ]
        );
        b.publish_events(events);
        assert_eq!(msgs(&a).len(), 2);
    }
}
