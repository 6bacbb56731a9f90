//! Generic key commands: existence, types, names, expiry, iteration, introspection,
//! and moving keys between names and databases.
//!
//! Contents are keyed by the key row's id, so RENAME and MOVE only rename the row
//! (every type follows at no cost); COPY, DUMP and RESTORE go through `types/`.

use std::sync::atomic::Ordering;

use crate::command::args::{db_index, eq, int_arg, parse_i64};
use crate::command::keyspec::{ACCESS, DELETE, INSERT, OW, RM, RO, RW, UPDATE};
use crate::command::{help, run_subcommand, scan, Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::glob;
use crate::keyspace::{self, Filter, KeyMeta, KeyType};
use crate::reply::Reply;
use crate::types;

const SAME_OBJECT: &str = "ERR source and destination objects are the same";
const BUSYKEY: &str = "BUSYKEY Target key name already exists.";

const OBJECT: &[Spec] = &[
    Spec::read("object|encoding", 3, object_encoding)
        .keys(2, 2, 1)
        .key_specs(&[KeySpec::new(RO).index(2).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "generic",
            "2.2.3",
            "Inspect the internal encoding of a Redis object",
            "OBJECT ENCODING key",
        )
        .complexity("O(1)"),
    Spec::read("object|freq", 3, object_freq)
        .keys(2, 2, 1)
        .key_specs(&[KeySpec::new(RO).index(2).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "generic",
            "4.0.0",
            "Get the logarithmic access frequency counter of a Redis object",
            "OBJECT FREQ key",
        )
        .complexity("O(1)"),
    Spec::read("object|help", 2, object_help)
        .flags(&["loading", "stale"])
        .acl(&["keyspace", "slow"])
        .doc(
            "generic",
            "6.2.0",
            "Show helpful text about the different subcommands",
            "OBJECT HELP",
        )
        .complexity("O(1)"),
    Spec::read("object|idletime", 3, object_idletime)
        .keys(2, 2, 1)
        .key_specs(&[KeySpec::new(RO).index(2).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "generic",
            "2.2.3",
            "Get the time since a Redis object was last accessed",
            "OBJECT IDLETIME key",
        )
        .complexity("O(1)"),
    Spec::read("object|refcount", 3, object_refcount)
        .keys(2, 2, 1)
        .key_specs(&[KeySpec::new(RO).index(2).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "generic",
            "2.2.3",
            "Get the number of references to the value of the key",
            "OBJECT REFCOUNT key",
        )
        .complexity("O(1)"),
];

/// A lookup on behalf of a reading command: counts a keyspace hit or miss for INFO.
fn lookup_read(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    let found = keyspace::lookup(ctx.scope()?, key)?;
    let stats = ctx.db.stats();
    match found {
        Some(_) => stats.keyspace_hits.fetch_add(1, Ordering::Relaxed),
        None => stats.keyspace_misses.fetch_add(1, Ordering::Relaxed),
    };
    Ok(found)
}

/// DEL key [key ...] / UNLINK key [key ...]
fn del(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    let mut n = 0;
    for key in args.rest() {
        if keyspace::delete_key(s, key)? {
            n += 1;
        }
    }
    Ok(Reply::Int(n))
}

/// EXISTS key [key ...]
fn exists(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let mut n = 0;
    for key in args.rest() {
        if lookup_read(ctx, key)?.is_some() {
            n += 1;
        }
    }
    Ok(Reply::Int(n))
}

/// TYPE key
fn type_(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let name = match lookup_read(ctx, args.bytes()?)? {
        Some(m) => m.ktype.name(),
        None => "none",
    };
    Ok(Reply::Simple(name.into()))
}

/// KEYS pattern
fn keys(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let pattern = args.bytes()?;
    let all = glob::is_match_all(pattern);
    let filter = Filter {
        prefix: glob::literal_prefix(pattern),
        ktype: None,
    };
    let found = keyspace::all_keys(ctx.scope()?, &filter)?;
    Ok(Reply::Array(
        found
            .into_iter()
            .filter(|k| all || glob::matches(pattern, k))
            .map(Reply::Bulk)
            .collect(),
    ))
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
///
/// The cursor is a key row id: a page holds live keys with a larger id, in id order,
/// and the next cursor is the last id of the page (0 once the walk is done). A key
/// present for the whole walk is returned exactly once, and none twice. COUNT is how
/// many keys a page holds at most once the literal prefix of MATCH and TYPE have been
/// applied in SQL; the rest of MATCH is applied after, so a page may hold fewer.
fn scan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let cursor = scan::parse_cursor(args.bytes()?)?;
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_name: Option<&[u8]> = None;
    while let Some(opt) = args.next() {
        let value = args.next().ok_or_else(|| Error::redis(msg::SYNTAX))?;
        if eq(opt, "count") {
            count = parse_i64(value).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
            if count < 1 {
                return Err(Error::redis(msg::SYNTAX));
            }
        } else if eq(opt, "match") {
            pattern = Some(value);
        } else if eq(opt, "type") {
            type_name = Some(value);
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let done = || Reply::Array(vec![Reply::bulk("0"), Reply::Array(vec![])]);
    let ktype = match type_name {
        // Redis 7.0 compares the name without an error for unknown types: nothing matches.
        Some(name) => match KeyType::from_name(name) {
            Some(t) => Some(t),
            None => return Ok(done()),
        },
        None => None,
    };
    let Ok(after) = i64::try_from(cursor) else {
        return Ok(done());
    };
    let pattern = pattern.filter(|p| !glob::is_match_all(p));
    let filter = Filter {
        prefix: pattern.map(glob::literal_prefix).unwrap_or(b""),
        ktype,
    };
    let (rows, more) = keyspace::scan(ctx.scope()?, after, count as usize, &filter)?;
    let next = match rows.last() {
        Some(last) if more => last.id,
        _ => 0,
    };
    let keys = rows
        .into_iter()
        .filter(|r| pattern.is_none_or(|p| glob::matches(p, &r.key)))
        .map(|r| Reply::Bulk(r.key))
        .collect();
    Ok(Reply::Array(vec![
        Reply::bulk(next.to_string()),
        Reply::Array(keys),
    ]))
}

/// RANDOMKEY
fn randomkey(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::opt_bulk(keyspace::random_key(ctx.scope()?)?))
}

/// RENAME key newkey
fn rename(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    rename_generic(ctx, args, false)
}

/// RENAMENX key newkey
fn renamenx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    rename_generic(ctx, args, true)
}

/// RENAME and RENAMENX as Redis's `renameGenericCommand`: a missing source is an error
/// even when the names are the same; the key keeps its TTL; the row (and so its id and
/// contents) moves to the new name, replacing whatever was there.
fn rename_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, nx: bool) -> Result<Reply> {
    let (from, to) = (args.bytes()?, args.bytes()?);
    let s = ctx.scope()?;
    let src = keyspace::lookup(s, from)?.ok_or_else(|| Error::redis(msg::NO_SUCH_KEY))?;
    let ok = |moved: bool| {
        if nx {
            Reply::Int(moved as i64)
        } else {
            Reply::ok()
        }
    };
    if from == to {
        return Ok(ok(false));
    }
    if let Some(dst) = keyspace::lookup(s, to)? {
        if nx {
            return Ok(ok(false));
        }
        keyspace::delete(s.conn, &dst)?;
    }
    keyspace::rename(s, src.id, s.db, to)?;
    Ok(ok(true))
}

/// COPY source destination [DB destination-db] [REPLACE]
fn copy(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (from, to) = (args.bytes()?, args.bytes()?);
    let mut replace = false;
    let mut dst_db = ctx.session.db;
    while let Some(opt) = args.next() {
        if eq(opt, "replace") {
            replace = true;
        } else if eq(opt, "db") && !args.is_empty() {
            dst_db = db_index(int_arg(args.bytes()?, None)?)?;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    if dst_db == ctx.session.db && from == to {
        return Err(Error::redis(SAME_OBJECT));
    }
    let Some(src) = lookup_read(ctx, from)? else {
        return Ok(Reply::Int(0));
    };
    let d = ctx.scope_in(dst_db)?;
    let to_id = match keyspace::lookup(d, to)? {
        Some(_) if !replace => return Ok(Reply::Int(0)),
        // Keep the destination's row (its id, its version counting on): a write to it.
        Some(old) => {
            keyspace::retype(d, &old, src.ktype, src.expire_at)?;
            old.id
        }
        None => keyspace::create(d, to, src.ktype, src.expire_at)?.id,
    };
    types::copy_contents(d.conn, src.id, to_id, src.ktype)?;
    Ok(Reply::Int(1))
}

/// MOVE key db
fn move_(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let dst_db = db_index(int_arg(args.bytes()?, None)?)?;
    if dst_db == ctx.session.db {
        return Err(Error::redis(SAME_OBJECT));
    }
    let s = ctx.scope()?;
    let Some(src) = keyspace::lookup(s, key)? else {
        return Ok(Reply::Int(0));
    };
    if keyspace::lookup(ctx.scope_in(dst_db)?, key)?.is_some() {
        return Ok(Reply::Int(0));
    }
    keyspace::rename(s, src.id, dst_db, key)?;
    Ok(Reply::Int(1))
}

/// TOUCH key [key ...]
fn touch(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    let mut n = 0;
    for key in args.rest() {
        if let Some(m) = lookup_read(ctx, key)? {
            keyspace::set_access_time(s, m.id, s.now)?;
            n += 1;
        }
    }
    Ok(Reply::Int(n))
}

/// What the TTL family reports: -2 for no key, -1 for no expiry, else `f(expire_at)`.
fn expiry_report(ctx: &Ctx<'_>, key: &[u8], f: impl Fn(i64) -> i64) -> Result<Reply> {
    Ok(Reply::Int(match lookup_read(ctx, key)? {
        None => -2,
        Some(KeyMeta {
            expire_at: None, ..
        }) => -1,
        Some(KeyMeta {
            expire_at: Some(at),
            ..
        }) => f(at),
    }))
}

/// TTL key
fn ttl(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let now = ctx.now;
    expiry_report(ctx, args.bytes()?, |at| ((at - now).max(0) + 500) / 1000)
}

/// PTTL key
fn pttl(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let now = ctx.now;
    expiry_report(ctx, args.bytes()?, |at| (at - now).max(0))
}

/// EXPIRETIME key
fn expiretime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    // Rounded without overflow, as Redis's build answers for an expiry near i64::MAX.
    expiry_report(ctx, args.bytes()?, |at| ((at as i128 + 500) / 1000) as i64)
}

/// PEXPIRETIME key
fn pexpiretime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    expiry_report(ctx, args.bytes()?, |at| at)
}

/// EXPIRE key seconds [NX | XX | GT | LT]
fn expire(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let now = ctx.now;
    expire_generic(ctx, args, now, true)
}

/// PEXPIRE key milliseconds [NX | XX | GT | LT]
fn pexpire(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let now = ctx.now;
    expire_generic(ctx, args, now, false)
}

/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
fn expireat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    expire_generic(ctx, args, 0, true)
}

/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
fn pexpireat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    expire_generic(ctx, args, 0, false)
}

/// Redis's `expireGenericCommand`: options first, then the time (overflow is an
/// error), then the key; a time not in the future deletes the key.
fn expire_generic(
    ctx: &mut Ctx<'_>,
    args: &mut Args<'_>,
    base: i64,
    seconds: bool,
) -> Result<Reply> {
    let (key, param) = (args.bytes()?, args.bytes()?);
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for opt in args.rest() {
        if eq(opt, "nx") {
            nx = true;
        } else if eq(opt, "xx") {
            xx = true;
        } else if eq(opt, "gt") {
            gt = true;
        } else if eq(opt, "lt") {
            lt = true;
        } else {
            return Err(Error::redis(format!(
                "ERR Unsupported option {}",
                String::from_utf8_lossy(opt)
            )));
        }
    }
    if nx && (xx || gt || lt) {
        return Err(Error::redis(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if gt && lt {
        return Err(Error::redis(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    let invalid = || Error::redis(msg::invalid_expire(ctx.spec.name));
    let mut when = parse_i64(param).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
    if seconds {
        when = when.checked_mul(1000).ok_or_else(invalid)?;
    }
    let when = when.checked_add(base).ok_or_else(invalid)?;
    let s = ctx.scope()?;
    let Some(m) = keyspace::lookup(s, key)? else {
        return Ok(Reply::Int(0));
    };
    let refused = match m.expire_at {
        // No expiry counts as an infinite one.
        None => xx || gt,
        Some(current) => nx || (gt && when <= current) || (lt && when >= current),
    };
    if refused {
        return Ok(Reply::Int(0));
    }
    if when <= s.now {
        keyspace::delete(s.conn, &m)?;
    } else {
        keyspace::touch_expire(s, m.id, Some(when))?;
    }
    Ok(Reply::Int(1))
}

/// PERSIST key
fn persist(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    match keyspace::lookup(s, args.bytes()?)? {
        Some(m) if m.expire_at.is_some() => {
            keyspace::touch_expire(s, m.id, None)?;
            Ok(Reply::Int(1))
        }
        _ => Ok(Reply::Int(0)),
    }
}

/// OBJECT ENCODING key
fn object_encoding(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match lookup_read(ctx, args.bytes()?)? {
        Some(m) => Ok(Reply::bulk(types::encoding(ctx.conn()?, m.id, m.ktype)?)),
        None => Ok(Reply::Nil),
    }
}

/// OBJECT FREQ key: redlite keeps no access counts, which is what Redis says under its
/// default maxmemory-policy (noeviction).
fn object_freq(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match lookup_read(ctx, args.bytes()?)? {
        Some(_) => Err(Error::redis(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. \
             Please note that when switching between policies at runtime LRU and LFU data \
             will take some time to adjust.",
        )),
        None => Ok(Reply::Nil),
    }
}

/// OBJECT IDLETIME key: seconds since the key was last written or touched.
fn object_idletime(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match lookup_read(ctx, args.bytes()?)? {
        Some(m) => Ok(Reply::Int((ctx.now - m.updated_at).max(0) / 1000)),
        None => Ok(Reply::Nil),
    }
}

/// OBJECT REFCOUNT key
fn object_refcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match lookup_read(ctx, args.bytes()?)? {
        Some(m) => Ok(Reply::Int(types::refcount(ctx.conn()?, m.id, m.ktype)?)),
        None => Ok(Reply::Nil),
    }
}

/// OBJECT HELP
fn object_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "OBJECT",
        &[
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
        ],
    ))
}

/// DUMP key (the payload format is documented in `types`).
fn dump(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    match lookup_read(ctx, args.bytes()?)? {
        Some(m) => Ok(Reply::Bulk(types::dump(ctx.conn()?, m.id, m.ktype)?)),
        None => Ok(Reply::Nil),
    }
}

/// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
///
/// In Redis's order: options, then BUSYKEY, then the TTL, then the payload. FREQ is
/// accepted and checked but not kept (redlite tracks no access frequency).
fn restore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, ttl_arg, payload) = (args.bytes()?, args.bytes()?, args.bytes()?);
    let (mut replace, mut absttl) = (false, false);
    let (mut idle, mut freq): (Option<i64>, Option<i64>) = (None, None);
    while let Some(opt) = args.next() {
        if eq(opt, "replace") {
            replace = true;
        } else if eq(opt, "absttl") {
            absttl = true;
        } else if eq(opt, "idletime") && !args.is_empty() && freq.is_none() {
            let v = args.int()?;
            if v < 0 {
                return Err(Error::redis("ERR Invalid IDLETIME value, must be >= 0"));
            }
            idle = Some(v);
        } else if eq(opt, "freq") && !args.is_empty() && idle.is_none() {
            let v = args.int()?;
            if !(0..=255).contains(&v) {
                return Err(Error::redis(
                    "ERR Invalid FREQ value, must be >= 0 and <= 255",
                ));
            }
            freq = Some(v);
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let s = ctx.scope()?;
    let existing = keyspace::lookup(s, key)?;
    if existing.is_some() && !replace {
        return Err(Error::redis(BUSYKEY));
    }
    let mut ttl = parse_i64(ttl_arg).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
    if ttl < 0 {
        return Err(Error::redis("ERR Invalid TTL value, must be >= 0"));
    }
    let payload = types::verify_payload(payload)?;
    if ttl != 0 && !absttl {
        ttl = ttl.wrapping_add(s.now);
    }
    if ttl != 0 && ttl <= s.now {
        // Already expired: the key is gone, as if restored and expired at once.
        if let Some(old) = existing {
            keyspace::delete(s.conn, &old)?;
        }
        return Ok(Reply::ok());
    }
    let expire_at = (ttl != 0).then_some(ttl);
    let id = match existing {
        Some(old) => {
            keyspace::retype(s, &old, payload.ktype, expire_at)?;
            old.id
        }
        None => keyspace::create(s, key, payload.ktype, expire_at)?.id,
    };
    types::restore(s.conn, id, &payload)?;
    if let Some(idle) = idle {
        let at = s.now.saturating_sub(idle.saturating_mul(1000));
        keyspace::set_access_time(s, id, at)?;
    }
    Ok(Reply::ok())
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("del", -2, del)
        .fails_clean()
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RM | DELETE).index(1).range(-1, 1, 0)])
        .flags(&["write"])
        .acl(&["keyspace", "write", "slow"])
        .tips(&["request_policy:multi_shard", "response_policy:agg_sum"])
        .doc("generic", "1.0.0", "Delete a key", "DEL key [key ...]")
        .complexity(
            "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
        ),
    Spec::write("unlink", -2, del)
        .fails_clean()
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RM | DELETE).index(1).range(-1, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .tips(&["request_policy:multi_shard", "response_policy:agg_sum"])
        .doc("generic", "4.0.0", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", "UNLINK key [key ...]")
        .complexity(
            "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
        ),
    Spec::read("exists", -2, exists)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(-1, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .tips(&["request_policy:multi_shard", "response_policy:agg_sum"])
        .doc("generic", "1.0.0", "Determine if a key exists", "EXISTS key [key ...]")
        .complexity("O(N) where N is the number of keys to check.")
        .history(&[
            ("3.0.3", "Accepts multiple `key` arguments."),
        ]),
    Spec::read("type", 2, type_)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .doc("generic", "1.0.0", "Determine the type stored at key", "TYPE key")
        .complexity("O(1)"),
    Spec::read("keys", 2, keys)
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow", "dangerous"])
        .tips(&["request_policy:all_shards", "nondeterministic_output_order"])
        .doc("generic", "1.0.0", "Find all keys matching the given pattern", "KEYS pattern")
        .complexity(
            "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
        ),
    Spec::read("scan", -2, scan)
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["nondeterministic_output", "request_policy:special"])
        .doc(
            "generic",
            "2.8.0",
            "Incrementally iterate the keys space",
            "SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]",
        )
        .complexity(
            "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
        )
        .history(&[
            ("6.0.0", "Added the `TYPE` subcommand."),
        ]),
    Spec::read("randomkey", 1, randomkey)
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["request_policy:all_shards", "nondeterministic_output"])
        .doc("generic", "1.0.0", "Return a random key from the keyspace", "RANDOMKEY")
        .complexity("O(1)"),
    Spec::write("rename", 3, rename)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(OW | UPDATE).index(2).range(0, 1, 0),
        ])
        .flags(&["write"])
        .acl(&["keyspace", "write", "slow"])
        .doc("generic", "1.0.0", "Rename a key", "RENAME key newkey")
        .complexity("O(1)"),
    Spec::write("renamenx", 3, renamenx)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(OW | INSERT).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc(
            "generic",
            "1.0.0",
            "Rename a key, only if the new key does not exist",
            "RENAMENX key newkey",
        )
        .complexity("O(1)")
        .history(&[
            (
                "3.2.0",
                "The command no longer returns an error when source and destination names are the same.",
            ),
        ]),
    Spec::write("copy", -3, copy)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0),
            KeySpec::new(OW | UPDATE).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["keyspace", "write", "slow"])
        .doc(
            "generic",
            "6.2.0",
            "Copy a key",
            "COPY source destination [DB destination-db] [REPLACE]",
        )
        .complexity(
            "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
        ),
    Spec::write("move", 3, move_)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc("generic", "1.0.0", "Move a key to another database", "MOVE key db")
        .complexity("O(1)"),
    // Redis flags TOUCH readonly; redlite records the access time, so it writes.
    Spec::write("touch", -2, touch)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(-1, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .tips(&["request_policy:multi_shard", "response_policy:agg_sum"])
        .doc(
            "generic",
            "3.2.1",
            "Alters the last access time of a key(s). Returns the number of existing keys specified.",
            "TOUCH key [key ...]",
        )
        .complexity("O(N) where N is the number of keys that will be touched."),
    Spec::read("ttl", 2, ttl)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .tips(&["nondeterministic_output"])
        .doc("generic", "1.0.0", "Get the time to live for a key in seconds", "TTL key")
        .complexity("O(1)")
        .history(&[
            ("2.8.0", "Added the -2 reply."),
        ]),
    Spec::read("pttl", 2, pttl)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .tips(&["nondeterministic_output"])
        .doc("generic", "2.6.0", "Get the time to live for a key in milliseconds", "PTTL key")
        .complexity("O(1)")
        .history(&[
            ("2.8.0", "Added the -2 reply."),
        ]),
    Spec::write("expire", -3, expire)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc(
            "generic",
            "1.0.0",
            "Set a key's time to live in seconds",
            "EXPIRE key seconds [NX | XX | GT | LT]",
        )
        .complexity("O(1)")
        .history(&[
            ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
        ]),
    Spec::write("pexpire", -3, pexpire)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc(
            "generic",
            "2.6.0",
            "Set a key's time to live in milliseconds",
            "PEXPIRE key milliseconds [NX | XX | GT | LT]",
        )
        .complexity("O(1)")
        .history(&[
            ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
        ]),
    Spec::write("expireat", -3, expireat)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc(
            "generic",
            "1.2.0",
            "Set the expiration for a key as a UNIX timestamp",
            "EXPIREAT key unix-time-seconds [NX | XX | GT | LT]",
        )
        .complexity("O(1)")
        .history(&[
            ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
        ]),
    Spec::write("pexpireat", -3, pexpireat)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc(
            "generic",
            "2.6.0",
            "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
            "PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]",
        )
        .complexity("O(1)")
        .history(&[
            ("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`."),
        ]),
    Spec::read("expiretime", 2, expiretime)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .doc(
            "generic",
            "7.0.0",
            "Get the expiration Unix timestamp for a key",
            "EXPIRETIME key",
        )
        .complexity("O(1)"),
    Spec::read("pexpiretime", 2, pexpiretime)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["keyspace", "read", "fast"])
        .doc(
            "generic",
            "7.0.0",
            "Get the expiration Unix timestamp for a key in milliseconds",
            "PEXPIRETIME key",
        )
        .complexity("O(1)"),
    Spec::write("persist", 2, persist)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["keyspace", "write", "fast"])
        .doc("generic", "2.2.0", "Remove the expiration from a key", "PERSIST key")
        .complexity("O(1)"),
    Spec::read("object", -2, run_subcommand)
        .acl(&["slow"])
        .subcommands(OBJECT)
        .doc("generic", "2.2.3", "A container for object introspection commands", "OBJECT")
        .complexity("Depends on subcommand."),
    Spec::read("dump", 2, dump)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["keyspace", "read", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "generic",
            "2.6.0",
            "Return a serialized version of the value stored at the specified key.",
            "DUMP key",
        )
        .complexity(
            "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
        ),
    Spec::write("restore", -4, restore)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["keyspace", "write", "slow", "dangerous"])
        .doc(
            "generic",
            "2.6.0",
            "Create a key using the provided serialized value, previously obtained using DUMP.",
            "RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]",
        )
        .complexity(
            "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
        )
        .history(&[
            ("3.0.0", "Added the `REPLACE` modifier."),
            ("5.0.0", "Added the `ABSTTL` modifier."),
            ("5.0.0", "Added the `IDLETIME` and `FREQ` options."),
        ]),
];
