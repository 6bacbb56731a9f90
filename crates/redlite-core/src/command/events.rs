//! Keyspace notifications of write commands (notify-keyspace-events), in one place.
//!
//! Every write command runs through `run`. When notifications are off (the usual
//! case) it is just the handler. When they are on, it looks at the command's keys
//! (found by its key specs, as COMMAND GETKEYS finds them) before and after the
//! handler, and derives Redis's events from what changed: every write bumps a key's
//! version, a deleted key is gone, a re-created one has a new row id. The table in
//! `events` names, per command, Redis's event and class for each changed key (as
//! the `notifyKeyspaceEvent` calls of Redis 7.0's t_*.c, db.c and expire.c do),
//! and "del" for a collection the command emptied. Lazy and active expiry queue
//! their "expired" in keyspace.rs. The events are queued in the broker and published
//! once the transaction commits (see pubsub.rs).
//!
//! So the families' handlers carry no notification code; a new write command adds a
//! line to `events`.

use crate::command::args::eq;
use crate::command::keyspec;
use crate::command::{Args, Ctx, Spec};
use crate::error::Result;
use crate::keyspace::{self, Scope};
use crate::pubsub::{GENERIC, HASH, LIST, NEW, SET, STREAM, STRING, ZSET};
use crate::reply::Reply;

/// One key of the command: its database and name, and (id, version, len) before and
/// after the handler ran (`None`: no live key).
struct Seen {
    db: u32,
    key: Vec<u8>,
    before: Option<(i64, i64, i64)>,
    after: Option<(i64, i64, i64)>,
}

impl Seen {
    fn changed(&self) -> bool {
        self.before != self.after
    }

    fn gone(&self) -> bool {
        self.before.is_some() && self.after.is_none()
    }

    fn exists(&self) -> bool {
        self.after.is_some()
    }

    /// Created by the command (Redis's dbAdd): absent before, or another row now.
    fn created(&self) -> bool {
        match (self.before, self.after) {
            (None, Some(_)) => true,
            (Some(b), Some(a)) => a.0 != b.0,
            _ => false,
        }
    }
}

/// Run the command's handler, and queue its keyspace events if notifications are on.
pub(crate) fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) -> Result<Reply> {
    let spec = ctx.spec;
    if ctx.db.pubsub().event_flags() == 0
        || ctx.conn.is_none()
        || !spec.flags.contains(&"write") && spec.subcommands.is_empty()
    {
        return (spec.run)(ctx, &mut Args::new(args));
    }
    let name = command_name(spec, args);
    let keys = keys_of(ctx, spec, args);
    let mut seen = Vec::with_capacity(keys.len());
    for (db, key) in keys {
        let before = observe(ctx, db, &key)?;
        seen.push(Seen {
            db,
            key,
            before,
            after: None,
        });
    }
    let reply = (spec.run)(ctx, &mut Args::new(args))?;
    if ctx.blocked.is_some() {
        return Ok(reply);
    }
    for s in seen.iter_mut() {
        s.after = observe(ctx, s.db, &s.key)?;
    }
    let broker = ctx.db.pubsub();
    // Redis announces a new key when it adds it: just before the command's first
    // event on that key.
    let mut announced: Vec<bool> = seen.iter().map(|s| !s.created()).collect();
    for (class, event, i) in events(&name, args, &seen, &reply) {
        let s = &seen[i];
        if !announced[i] && class != NEW {
            broker.notify(NEW, "new", s.db, &s.key);
        }
        announced[i] = true;
        broker.notify(class, event, s.db, &s.key);
    }
    for (i, s) in seen.iter().enumerate().filter(|(i, _)| !announced[*i]) {
        let _ = i;
        broker.notify(NEW, "new", s.db, &s.key);
    }
    Ok(reply)
}

fn observe(ctx: &Ctx<'_>, db: u32, key: &[u8]) -> Result<Option<(i64, i64, i64)>> {
    let scope = Scope {
        conn: ctx.conn()?,
        db,
        now: ctx.now,
        writable: false,
    };
    Ok(keyspace::lookup(scope, key)?.map(|m| (m.id, m.version, m.len)))
}

/// "xgroup|create" for a container's subcommand, else the command's name.
fn command_name(spec: &'static Spec, args: &[&[u8]]) -> String {
    match args.first().and_then(|a| spec.subcommand(a)) {
        Some(sub) if !spec.subcommands.is_empty() => sub.name.to_string(),
        _ => spec.name.to_string(),
    }
}

/// The command's keys, each with its database: by the key specs, plus MOVE's and
/// COPY ... DB's destination in another database.
fn keys_of(ctx: &Ctx<'_>, spec: &'static Spec, args: &[&[u8]]) -> Vec<(u32, Vec<u8>)> {
    let mut argv: Vec<&[u8]> = Vec::with_capacity(args.len() + 1);
    argv.push(spec.name.as_bytes());
    argv.extend_from_slice(args);
    let spec = match args.first().and_then(|a| spec.subcommand(a)) {
        Some(sub) => sub,
        None => spec,
    };
    let db = ctx.session.db;
    let mut keys: Vec<(u32, Vec<u8>)> = Vec::new();
    for (i, _) in keyspec::find_keys(spec.key_specs, spec.getkeys, &argv) {
        if let Some(k) = argv.get(i) {
            keys.push((db, k.to_vec()));
        }
    }
    let other_db =
        |arg: Option<&&[u8]>| arg.and_then(|a| std::str::from_utf8(a).ok()?.parse::<u32>().ok());
    match spec.name {
        "move" => {
            if let (Some(key), Some(to)) = (args.first(), other_db(args.get(1))) {
                keys.push((to, key.to_vec()));
            }
        }
        "copy" => {
            if let Some(i) = args.iter().position(|a| eq(a, "DB")) {
                if let (Some(to), Some(dst)) = (other_db(args.get(i + 1)), args.get(1)) {
                    // The destination is the second key: observe it in its database.
                    keys.retain(|(_, k)| k.as_slice() != *dst);
                    keys.push((to, dst.to_vec()));
                }
            }
        }
        _ => {}
    }
    keys
}

fn has(args: &[&[u8]], word: &str) -> bool {
    args.iter().any(|a| eq(a, word))
}

type Event = (u32, &'static str, usize);

/// Redis's events for the command `name` (lower case, "container|sub") given what
/// happened to its keys (`seen`, in key-spec order) and its reply.
fn events(name: &str, args: &[&[u8]], seen: &[Seen], reply: &Reply) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    let changed = |class: u32, event: &'static str, out: &mut Vec<Event>| {
        for (i, s) in seen.iter().enumerate() {
            if s.changed() {
                out.push((class, event, i));
            }
        }
    };
    // The event on each changed key, then "del" on each key the command emptied.
    let emptied = |class: u32, event: &'static str, out: &mut Vec<Event>| {
        for (i, s) in seen.iter().enumerate() {
            if s.changed() {
                out.push((class, event, i));
                if s.gone() {
                    out.push((GENERIC, "del", i));
                }
            }
        }
    };
    // A STORE command: its event on the destination (key 0) if it holds a result,
    // "del" if an empty result deleted it.
    let store = |class: u32, event: &'static str, out: &mut Vec<Event>| {
        if let Some(dst) = seen.first() {
            if dst.exists() {
                out.push((class, event, 0));
            } else if dst.gone() {
                out.push((GENERIC, "del", 0));
            }
        }
    };
    let pop_side = |args: &[&[u8]]| if has(args, "RIGHT") { "rpop" } else { "lpop" };
    let zpop_side = |args: &[&[u8]]| {
        if has(args, "MAX") {
            "zpopmax"
        } else {
            "zpopmin"
        }
    };
    match name {
        "set" | "setnx" | "getset" | "mset" | "msetnx" | "setex" | "psetex" => {
            let expires = matches!(name, "setex" | "psetex")
                || name == "set"
                    && ["EX", "PX", "EXAT", "PXAT"]
                        .iter()
                        .any(|w| has(&args[2..], w));
            for (i, s) in seen.iter().enumerate() {
                if s.changed() {
                    out.push((STRING, "set", i));
                    if expires && s.exists() {
                        out.push((GENERIC, "expire", i));
                    }
                }
            }
        }
        "getdel" | "del" | "unlink" => {
            for (i, s) in seen.iter().enumerate() {
                if s.gone() {
                    out.push((GENERIC, "del", i));
                }
            }
        }
        "getex" | "expire" | "pexpire" | "expireat" | "pexpireat" => {
            let event = if has(args, "PERSIST") {
                "persist"
            } else {
                "expire"
            };
            for (i, s) in seen.iter().enumerate() {
                if s.gone() {
                    out.push((GENERIC, "del", i));
                } else if s.changed() {
                    out.push((GENERIC, event, i));
                }
            }
        }
        "persist" => changed(GENERIC, "persist", &mut out),
        "restore" => {
            if let Some(s) = seen.first().filter(|s| s.changed()) {
                if s.before.is_some() {
                    out.push((NEW, "new", 0));
                }
                out.push((GENERIC, "restore", 0));
            }
        }
        "incr" | "decr" | "incrby" | "decrby" => changed(STRING, "incrby", &mut out),
        "incrbyfloat" => changed(STRING, "incrbyfloat", &mut out),
        "append" => changed(STRING, "append", &mut out),
        "setrange" => changed(STRING, "setrange", &mut out),
        "setbit" | "bitfield" => changed(STRING, "setbit", &mut out),
        "bitop" => store(STRING, "set", &mut out),
        // ext/hll: PFMERGE announces itself as a PFADD, as in Redis.
        "pfadd" => changed(STRING, "pfadd", &mut out),
        "pfmerge" if seen.first().is_some_and(|s| s.changed()) => out.push((STRING, "pfadd", 0)),
        "rename" | "renamenx" if seen.len() == 2 && seen[0].gone() => {
            out.push((GENERIC, "rename_from", 0));
            out.push((GENERIC, "rename_to", 1));
        }
        "move" if seen.len() == 2 && seen[0].gone() => {
            out.push((GENERIC, "move_from", 0));
            out.push((GENERIC, "move_to", 1));
        }
        "copy" if seen.len() == 2 && seen[1].changed() => {
            // REPLACE deletes the old destination and adds the copy: a new key.
            if seen[1].before.is_some() {
                out.push((NEW, "new", 1));
            }
            out.push((GENERIC, "copy_to", 1));
        }
        "sort" => {
            // SORT ... STORE: the destination is the key after STORE.
            if let Some(i) = seen.iter().position(|s| {
                args.windows(2)
                    .any(|w| eq(w[0], "STORE") && w[1] == s.key.as_slice())
            }) {
                if seen[i].exists() {
                    out.push((LIST, "sortstore", i));
                } else if seen[i].gone() {
                    out.push((GENERIC, "del", i));
                }
            }
        }
        "hset" | "hmset" | "hsetnx" => changed(HASH, "hset", &mut out),
        "hdel" => emptied(HASH, "hdel", &mut out),
        "hincrby" => changed(HASH, "hincrby", &mut out),
        "hincrbyfloat" => changed(HASH, "hincrbyfloat", &mut out),
        "lpush" | "lpushx" => changed(LIST, "lpush", &mut out),
        "rpush" | "rpushx" => changed(LIST, "rpush", &mut out),
        "lpop" | "blpop" => emptied(LIST, "lpop", &mut out),
        "rpop" | "brpop" => emptied(LIST, "rpop", &mut out),
        "lmpop" | "blmpop" => emptied(LIST, pop_side(args), &mut out),
        "lset" => changed(LIST, "lset", &mut out),
        "linsert" => changed(LIST, "linsert", &mut out),
        "lrem" => emptied(LIST, "lrem", &mut out),
        "ltrim" => emptied(LIST, "ltrim", &mut out),
        "lmove" | "blmove" | "rpoplpush" | "brpoplpush" => {
            let (pop, push) = if name.ends_with("rpoplpush") {
                ("rpop", "lpush")
            } else {
                let sides: Vec<&[u8]> = args
                    .iter()
                    .filter(|a| eq(a, "LEFT") || eq(a, "RIGHT"))
                    .copied()
                    .collect();
                let side = |i: usize| sides.get(i).is_some_and(|a| eq(a, "RIGHT"));
                (
                    if side(0) { "rpop" } else { "lpop" },
                    if side(1) { "rpush" } else { "lpush" },
                )
            };
            // Redis pushes onto the destination, then announces the pop.
            let same = seen.len() == 2 && seen[0].key == seen[1].key;
            if seen.len() == 2 && (seen[0].changed() || same && seen[1].changed()) {
                out.push((LIST, push, 1));
                out.push((LIST, pop, 0));
                if seen[0].gone() && !same {
                    out.push((GENERIC, "del", 0));
                }
            }
        }
        "sadd" => changed(SET, "sadd", &mut out),
        "srem" => emptied(SET, "srem", &mut out),
        "spop" => emptied(SET, "spop", &mut out),
        "smove" if seen.len() == 2 && seen[0].changed() && seen[0].key != seen[1].key => {
            out.push((SET, "srem", 0));
            if seen[0].gone() {
                out.push((GENERIC, "del", 0));
            }
            if seen[1].changed() {
                out.push((SET, "sadd", 1));
            }
        }
        "sinterstore" => store(SET, "sinterstore", &mut out),
        "sunionstore" => store(SET, "sunionstore", &mut out),
        "sdiffstore" => store(SET, "sdiffstore", &mut out),
        "zadd" => changed(
            ZSET,
            if has(args, "INCR") { "zincr" } else { "zadd" },
            &mut out,
        ),
        "zincrby" => changed(ZSET, "zincr", &mut out),
        "zrem" => emptied(ZSET, "zrem", &mut out),
        "zremrangebyrank" => emptied(ZSET, "zremrangebyrank", &mut out),
        "zremrangebyscore" => emptied(ZSET, "zremrangebyscore", &mut out),
        "zremrangebylex" => emptied(ZSET, "zremrangebylex", &mut out),
        "zpopmin" | "bzpopmin" => emptied(ZSET, "zpopmin", &mut out),
        "zpopmax" | "bzpopmax" => emptied(ZSET, "zpopmax", &mut out),
        "zmpop" | "bzmpop" => emptied(ZSET, zpop_side(args), &mut out),
        "zunionstore" => store(ZSET, "zunionstore", &mut out),
        "zinterstore" => store(ZSET, "zinterstore", &mut out),
        "zdiffstore" => store(ZSET, "zdiffstore", &mut out),
        "zrangestore" => store(ZSET, "zrangestore", &mut out),
        // GEOADD is ZADD (Redis runs zaddCommand for it).
        "geoadd" => changed(ZSET, "zadd", &mut out),
        "geosearchstore" => store(ZSET, "geosearchstore", &mut out),
        "georadius" | "georadiusbymember" => {
            // The destination is the key after the last STORE or STOREDIST (the
            // source is key 0, and may be the destination too).
            let dst = args
                .windows(2)
                .rfind(|w| eq(w[0], "STORE") || eq(w[0], "STOREDIST"))
                .map(|w| w[1]);
            if let Some(i) = dst.and_then(|d| seen.iter().rposition(|s| s.key == d)) {
                if seen[i].exists() {
                    out.push((ZSET, "georadiusstore", i));
                } else if seen[i].gone() {
                    out.push((GENERIC, "del", i));
                }
            }
        }
        "xadd" => {
            if let Some(s) = seen.first().filter(|s| s.changed()) {
                out.push((STREAM, "xadd", 0));
                let trims = has(args, "MAXLEN") || has(args, "MINID");
                let before = s.before.map_or(0, |b| b.2);
                if trims && s.after.is_some_and(|a| a.2 < before + 1) {
                    out.push((STREAM, "xtrim", 0));
                }
            }
        }
        "xdel" => changed(STREAM, "xdel", &mut out),
        "xtrim" => changed(STREAM, "xtrim", &mut out),
        // Redis announces XSETID whenever it succeeds, even to the same id.
        "xsetid" if !reply.is_error() => out.push((STREAM, "xsetid", 0)),
        "xgroup|create" if !reply.is_error() => out.push((STREAM, "xgroup-create", 0)),
        "xgroup|setid" if !reply.is_error() => out.push((STREAM, "xgroup-setid", 0)),
        "xgroup|destroy" if *reply == Reply::Int(1) => out.push((STREAM, "xgroup-destroy", 0)),
        "xgroup|createconsumer" if *reply == Reply::Int(1) => {
            out.push((STREAM, "xgroup-createconsumer", 0))
        }
        "xgroup|delconsumer" if !reply.is_error() => out.push((STREAM, "xgroup-delconsumer", 0)),
        // An extension's command: the event its registration names (ext/mod.rs).
        _ => {
            if let Some((class, event)) = crate::ext::event_of(name) {
                emptied(class, event, &mut out);
            }
        }
    }
    out.retain(|(_, _, i)| *i < seen.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(before: Option<(i64, i64, i64)>, after: Option<(i64, i64, i64)>) -> Seen {
        Seen {
            db: 0,
            key: b"k".to_vec(),
            before,
            after,
        }
    }

    #[test]
    fn events_follow_what_changed() {
        let argv: Vec<&[u8]> = vec![b"k", b"v", b"EX", b"10"];
        let s = [seen(None, Some((1, 1, 0)))];
        assert_eq!(
            events("set", &argv, &s, &Reply::ok()),
            vec![(STRING, "set", 0), (GENERIC, "expire", 0)]
        );
        let s = [seen(Some((1, 1, 1)), None)];
        assert_eq!(
            events("lpop", &[b"k"], &s, &Reply::bulk("x")),
            vec![(LIST, "lpop", 0), (GENERIC, "del", 0)]
        );
        let s = [seen(Some((1, 1, 1)), Some((1, 1, 1)))];
        assert!(events("sadd", &[b"k", b"m"], &s, &Reply::Int(0)).is_empty());
    }
}
