//! Stream commands: XADD .. XAUTOCLAIM, consumer groups included.
//!
//! Arguments are read as Redis 7.0 reads them. An id is `ms-seq` or `ms` (each part
//! what C's `strtoull` takes after `string2ll` refused it: leading spaces, a sign,
//! leading zeros), cut at a NUL and refused past 127 bytes; `-` and `+` are the ends of
//! the id space where a range allows them, `(` makes a range end exclusive. Errors
//! come in Redis's order: options first, then the key, then the group.
//!
//! The counters XINFO shows are kept as Redis keeps them: last-generated-id only
//! grows (XADD `*` after a clock that went back takes the next sequence number),
//! max-deleted-entry-id follows XDEL (not trimming), entries-added counts every
//! append, and a group's entries-read and lag follow Redis's rules for when they are
//! known (`estimate_read`, `has_tombstones`).
//!
//! Blocking (notify.rs): XREAD and XREADGROUP with BLOCK that find nothing wait on
//! their keys; XADD signals its key, and a waiter runs its command again inside the
//! XADD's transaction (XREAD with each `$` turned into the id it stood for when the
//! command blocked; XREAD reads in a snapshot, and only when it has to wait runs again
//! under the writer to register). On timeout the reply is a null array.

use crate::command::args::{eq, parse_i64};
use crate::command::help;
use crate::command::keyspec::{ACCESS, DELETE, INSERT, RO, RW, UPDATE};
use crate::command::lookup::count_lookup;
use crate::command::{run_subcommand, Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType, Scope};
use crate::notify::{self, BlockOn};
use crate::reply::Reply;
use crate::types::stream::{
    self, Entry, Group, Meta, Pending, StreamId, Trim, INVALID_ENTRIES_READ,
};

const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";
const SMALLER_ID: &str =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";
const ZERO_ID: &str = "ERR The ID specified in XADD must be greater than 0-0";
const EXHAUSTED: &str =
    "ERR The stream has exhausted the last possible ID, unable to add more items";
const START_ID: &str = "ERR invalid start ID for the interval";
const END_ID: &str = "ERR invalid end ID for the interval";
const MAXLEN_MINID: &str =
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
const LIMIT_NO_STRATEGY: &str =
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
const LIMIT_NO_APPROX: &str = "ERR syntax error, LIMIT cannot be used without the special ~ option";
const XTRIM_NO_STRATEGY: &str = "ERR syntax error, XTRIM must be called with a trimming strategy";
const NO_KEY_XGROUP: &str = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";
const BUSYGROUP: &str = "BUSYGROUP Consumer Group name already exists";
/// Redis's cap on XADD/XTRIM `~` trimming without LIMIT: 100 * stream-node-max-entries.
const DEFAULT_TRIM_LIMIT: i64 = 10_000;

const KS_RO: &[KeySpec] = &[KeySpec::new(RO).index(1).range(0, 1, 0)];
const KS_READ: &[KeySpec] = &[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)];
const KS_DELETE: &[KeySpec] = &[KeySpec::new(RW | DELETE).index(1).range(0, 1, 0)];
const KS_UPDATE: &[KeySpec] = &[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)];
/// The key of a subcommand (XGROUP CREATE key ..., XINFO STREAM key ...), argument 2.
const KS2_READ: &[KeySpec] = &[KeySpec::new(RO | ACCESS).index(2).range(0, 1, 0)];
const KS2_INSERT: &[KeySpec] = &[KeySpec::new(RW | INSERT).index(2).range(0, 1, 0)];
const KS2_DELETE: &[KeySpec] = &[KeySpec::new(RW | DELETE).index(2).range(0, 1, 0)];
const KS2_UPDATE: &[KeySpec] = &[KeySpec::new(RW | UPDATE).index(2).range(0, 1, 0)];

const XINFO: &[Spec] = &[
    Spec::read("xinfo|consumers", 4, xinfo_consumers)
        .keys(2, 2, 1)
        .key_specs(KS2_READ)
        .flags(&["readonly"])
        .acl(&["read", "stream", "slow"])
        .tips(&["nondeterministic_output"])
        .doc("stream", "5.0.0", "List the consumers in a consumer group", "XINFO CONSUMERS key group")
        .complexity("O(1)"),
    Spec::read("xinfo|groups", 3, xinfo_groups)
        .keys(2, 2, 1)
        .key_specs(KS2_READ)
        .flags(&["readonly"])
        .acl(&["read", "stream", "slow"])
        .doc("stream", "5.0.0", "List the consumer groups of a stream", "XINFO GROUPS key")
        .complexity("O(1)")
        .history(&[("7.0.0", "Added the `entries-read` and `lag` fields")]),
    Spec::read("xinfo|help", 2, xinfo_help)
        .flags(&["loading", "stale"])
        .acl(&["stream", "slow"])
        .doc("stream", "5.0.0", "Show helpful text about the different subcommands", "XINFO HELP")
        .complexity("O(1)"),
    Spec::read("xinfo|stream", -3, xinfo_stream)
        .keys(2, 2, 1)
        .key_specs(KS2_READ)
        .flags(&["readonly"])
        .acl(&["read", "stream", "slow"])
        .doc("stream", "5.0.0", "Get information about a stream", "XINFO STREAM key [FULL [COUNT count]]")
        .complexity("O(1)")
        .history(&[
            ("6.0.0", "Added the `FULL` modifier."),
            (
                "7.0.0",
                "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields",
            ),
        ]),
];

const XGROUP: &[Spec] = &[
    Spec::write("xgroup|create", -5, xgroup_create)
        .keys(2, 2, 1)
        .key_specs(KS2_INSERT)
        .flags(&["write", "denyoom"])
        .acl(&["write", "stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Create a consumer group.",
            "XGROUP CREATE key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]",
        )
        .complexity("O(1)")
        .history(&[("7.0.0", "Added the `entries_read` named argument.")]),
    Spec::write("xgroup|createconsumer", 5, xgroup_createconsumer)
        .keys(2, 2, 1)
        .key_specs(KS2_INSERT)
        .flags(&["write", "denyoom"])
        .acl(&["write", "stream", "slow"])
        .doc(
            "stream",
            "6.2.0",
            "Create a consumer in a consumer group.",
            "XGROUP CREATECONSUMER key group consumer",
        )
        .complexity("O(1)"),
    Spec::write("xgroup|delconsumer", 5, xgroup_delconsumer)
        .keys(2, 2, 1)
        .key_specs(KS2_DELETE)
        .flags(&["write"])
        .acl(&["write", "stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Delete a consumer from a consumer group.",
            "XGROUP DELCONSUMER key group consumer",
        )
        .complexity("O(1)"),
    Spec::write("xgroup|destroy", 4, xgroup_destroy)
        .keys(2, 2, 1)
        .key_specs(KS2_DELETE)
        .flags(&["write"])
        .acl(&["write", "stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Destroy a consumer group.",
            "XGROUP DESTROY key group",
        )
        .complexity(
            "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        ),
    Spec::read("xgroup|help", 2, xgroup_help)
        .flags(&["loading", "stale"])
        .acl(&["stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "XGROUP HELP",
        )
        .complexity("O(1)"),
    Spec::write("xgroup|setid", -5, xgroup_setid)
        .keys(2, 2, 1)
        .key_specs(KS2_UPDATE)
        .flags(&["write"])
        .acl(&["write", "stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Set a consumer group to an arbitrary last delivered ID value.",
            "XGROUP SETID key group <id | $> [ENTRIESREAD entries-read]",
        )
        .complexity("O(1)")
        .history(&[("7.0.0", "Added the optional `entries_read` argument.")]),
];

// ---------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------

/// An argument as a C string: up to its first NUL.
fn c_str(arg: &[u8]) -> &[u8] {
    match arg.iter().position(|&c| c == 0) {
        Some(nul) => &arg[..nul],
        None => arg,
    }
}

/// A name in an error message, as Redis's `%s` prints it.
fn shown(name: &[u8]) -> String {
    String::from_utf8_lossy(c_str(name)).into_owned()
}

/// Redis's `string2ull`: `string2ll` if it succeeds (refusing negatives), else C's
/// `strtoull` over the whole string (leading white space and one sign allowed; a
/// minus wraps around, as in C).
fn string2ull(s: &[u8]) -> Option<u64> {
    if let Some(v) = parse_i64(s) {
        return u64::try_from(v).ok();
    }
    let mut i = s
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
        .count();
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let digits = &s[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Redis's `streamGenericParseIDOrReply`: `ms-seq`, `ms` (seq = `missing_seq`), and,
/// unless `strict`, `-` and `+`. With `star`, `ms-*` gives seq_given = false.
fn parse_id_full(
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    star: bool,
) -> Result<(StreamId, bool)> {
    let invalid = || Error::redis(INVALID_ID);
    if arg.len() > 127 {
        return Err(invalid());
    }
    let s = c_str(arg);
    match s {
        b"-" | b"+" if strict => return Err(invalid()),
        b"-" => return Ok((StreamId::MIN, true)),
        b"+" => return Ok((StreamId::MAX, true)),
        _ => {}
    }
    let (ms, seq) = match s.iter().position(|&c| c == b'-') {
        Some(dash) => (&s[..dash], Some(&s[dash + 1..])),
        None => (s, None),
    };
    let ms = string2ull(ms).ok_or_else(invalid)?;
    match seq {
        Some(b"*") if star => Ok((StreamId::new(ms, 0), false)),
        Some(seq) => Ok((
            StreamId::new(ms, string2ull(seq).ok_or_else(invalid)?),
            true,
        )),
        None => Ok((StreamId::new(ms, missing_seq), true)),
    }
}

/// An id where `-` and `+` are allowed (Redis's `streamParseID`).
fn parse_id(arg: &[u8], missing_seq: u64) -> Result<StreamId> {
    Ok(parse_id_full(arg, missing_seq, false, false)?.0)
}

/// An id where `-` and `+` are not (Redis's `streamParseStrictIDOrReply`).
fn parse_strict_id(arg: &[u8]) -> Result<StreamId> {
    Ok(parse_id_full(arg, 0, true, false)?.0)
}

/// One end of a range: an id, or `(id` for an exclusive end (Redis's
/// `streamParseIntervalIDOrReply`).
fn parse_interval(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool)> {
    if arg.len() > 1 && arg[0] == b'(' {
        Ok((parse_id_full(&arg[1..], missing_seq, true, false)?.0, true))
    } else {
        Ok((parse_id(arg, missing_seq)?, false))
    }
}

/// The start of a range, an exclusive one moved past its id.
fn range_start(arg: &[u8]) -> Result<StreamId> {
    match parse_interval(arg, 0)? {
        (id, true) => id.next().ok_or_else(|| Error::redis(START_ID)),
        (id, false) => Ok(id),
    }
}

/// The end of a range, an exclusive one moved before its id.
fn range_end(arg: &[u8]) -> Result<StreamId> {
    match parse_interval(arg, u64::MAX)? {
        (id, true) => id.prev().ok_or_else(|| Error::redis(END_ID)),
        (id, false) => Ok(id),
    }
}

fn int_arg(a: &[u8]) -> Result<i64> {
    parse_i64(a).ok_or_else(|| Error::redis(msg::NOT_INTEGER))
}

/// An integer argument whose error is the command's own text.
fn int_arg_or(a: &[u8], text: &str) -> Result<i64> {
    parse_i64(a).ok_or_else(|| Error::redis(text))
}

fn id_reply(id: StreamId) -> Reply {
    Reply::Bulk(id.to_string().into_bytes())
}

/// An entry as Redis answers it: [id, [field, value, ...]].
fn entry_reply(e: &Entry) -> Result<Reply> {
    let fields = e
        .fields()?
        .into_iter()
        .map(|f| Reply::Bulk(f.to_vec()))
        .collect();
    Ok(Reply::Array(vec![id_reply(e.id), Reply::Array(fields)]))
}

fn entries_reply(entries: &[Entry]) -> Result<Reply> {
    Ok(Reply::Array(
        entries.iter().map(entry_reply).collect::<Result<_>>()?,
    ))
}

/// A map reply (RESP3), a flat array in RESP2, with string keys.
fn info_map(pairs: Vec<(&str, Reply)>) -> Reply {
    Reply::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (Reply::Bulk(k.as_bytes().to_vec()), v))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------
// Look-ups and the stream's state
// ---------------------------------------------------------------------------------

/// A read of stream `key`: counted as a keyspace hit or miss, WRONGTYPE for another type.
fn read_stream(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    let m = keyspace::lookup(ctx.scope()?, key)?;
    count_lookup(ctx, m.is_some());
    match m {
        Some(m) if m.ktype != KeyType::Stream => Err(Error::redis(msg::WRONGTYPE)),
        other => Ok(other),
    }
}

/// What the group logic needs to know of a stream (Redis's `stream` struct).
#[derive(Debug, Clone, Copy)]
struct State {
    meta: Meta,
    length: i64,
    first: StreamId,
}

impl State {
    fn load(s: Scope<'_>, m: &KeyMeta) -> Result<State> {
        Ok(State {
            meta: stream::meta(s.conn, m.id)?,
            length: m.len,
            first: stream::first_id(s.conn, m.id)?.unwrap_or(StreamId::MIN),
        })
    }

    /// Redis's `streamRangeHasTombstones(s, start, NULL)`: may a deleted entry lie at or
    /// after `start`?
    fn has_tombstones(&self, start: StreamId) -> bool {
        let del = self.meta.max_deleted;
        if self.length == 0 || del.is_zero() || self.first > del {
            return false;
        }
        start <= del
    }

    /// Redis's `streamEstimateDistanceFromFirstEverEntry`: the entries-read counter of
    /// a group whose last delivered id is `id`, when it can be known.
    fn estimate_read(&self, id: StreamId) -> i64 {
        let m = &self.meta;
        if m.added == 0 {
            return 0;
        }
        if self.length == 0 && id <= m.last {
            return m.added;
        }
        if id == m.last {
            return m.added;
        } else if id > m.last {
            return INVALID_ENTRIES_READ;
        }
        if m.max_deleted.is_zero() || m.max_deleted < self.first {
            if id < self.first {
                return m.added - self.length;
            } else if id == self.first {
                return m.added - self.length + 1;
            }
        }
        INVALID_ENTRIES_READ
    }

    /// A group's lag (Redis's `streamReplyWithCGLag`), `None` when unknown.
    fn lag(&self, g: &Group) -> Option<i64> {
        if self.meta.added == 0 {
            return Some(0);
        }
        if g.entries_read != INVALID_ENTRIES_READ && !self.has_tombstones(g.last) {
            return Some(self.meta.added - g.entries_read);
        }
        match self.estimate_read(g.last) {
            INVALID_ENTRIES_READ => None,
            read => Some(self.meta.added - read),
        }
    }
}

/// Record a write to stream `m` of new length `len`: keys.len and the version.
fn wrote(s: Scope<'_>, m: &KeyMeta, len: i64) -> Result<()> {
    if len == m.len {
        keyspace::touch(s, m.id)
    } else if len > 0 {
        // One statement: keys.len, the version and updated_at.
        keyspace::set_len(s, m, len, m.head)
    } else {
        // keyspace::set_len deletes an emptied collection; an empty stream stays.
        stream::set_len(s.conn, m.id, 0)?;
        keyspace::touch(s, m.id)
    }
}

/// Record a change to a stream's last id (XSETID) or to its groups, consumers and
/// pending entries (XGROUP, XREADGROUP, XACK, XCLAIM, XAUTOCLAIM): Redis 7.0 does not
/// count these as writes to the key (no `signalModifiedKey`, so a WATCH of it does not
/// abort EXEC), so the version stays; only the access time moves.
fn wrote_groups(s: Scope<'_>, m: &KeyMeta) -> Result<()> {
    keyspace::set_access_time(s, m.id, s.now)
}

/// The group `name` of the stream, or Redis's NOGROUP error for XREADGROUP & co.
fn nogroup(key: &[u8], group: &[u8]) -> Error {
    Error::redis(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        shown(key),
        shown(group)
    ))
}

fn nogroup_for_key(key: &[u8], group: &[u8]) -> Error {
    Error::redis(format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        shown(group),
        shown(key)
    ))
}

/// The consumer `name` of a group, created (seen now) if it does not exist; with
/// `refresh`, an existing one is seen now too (Redis's `streamLookupConsumer`).
fn consumer_id(s: Scope<'_>, key: i64, group: i64, name: &[u8]) -> Result<i64> {
    match stream::consumer(s.conn, key, group, name)? {
        Some(c) => {
            stream::see_consumer(s.conn, c.id, s.now)?;
            Ok(c.id)
        }
        None => stream::create_consumer(s.conn, key, group, name, s.now),
    }
}

// ---------------------------------------------------------------------------------
// XADD, XTRIM
// ---------------------------------------------------------------------------------

/// The options XADD and XTRIM share (Redis's `streamParseAddOrTrimArgsOrReply`).
#[derive(Debug, Default)]
struct AddTrim {
    trim: Option<Trim>,
    approx: bool,
    limit: i64,
    nomkstream: bool,
    /// XADD's explicit id and whether its sequence was given (not `ms-*`).
    id: Option<(StreamId, bool)>,
}

/// Parse the options after the key; for XADD, up to the id, whose index is returned.
fn parse_add_trim(argv: &[&[u8]], xadd: bool) -> Result<(AddTrim, usize)> {
    let mut o = AddTrim::default();
    let mut limit_given = false;
    let mut i = 0;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let opt = argv[i];
        if xadd && c_str(opt) == b"*" {
            break;
        } else if (eq(opt, "MAXLEN") || eq(opt, "MINID")) && more > 0 {
            if o.trim.is_some() {
                return Err(Error::redis(MAXLEN_MINID));
            }
            o.approx = false;
            let next = c_str(argv[i + 1]);
            if more >= 2 && next == b"~" {
                o.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            let arg = argv[i + 1];
            o.trim = Some(if eq(opt, "MAXLEN") {
                let n = int_arg(arg)?;
                if n < 0 {
                    return Err(Error::redis("ERR The MAXLEN argument must be >= 0."));
                }
                Trim::MaxLen(n)
            } else {
                Trim::MinId(parse_strict_id(arg)?)
            });
            i += 1;
        } else if eq(opt, "LIMIT") && more > 0 {
            o.limit = int_arg(argv[i + 1])?;
            if o.limit < 0 {
                return Err(Error::redis("ERR The LIMIT argument must be >= 0."));
            }
            limit_given = true;
            i += 1;
        } else if xadd && eq(opt, "NOMKSTREAM") {
            o.nomkstream = true;
        } else if xadd {
            o.id = Some(parse_id_full(opt, 0, true, true)?);
            break;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
        i += 1;
    }
    if o.limit != 0 && o.trim.is_none() {
        return Err(Error::redis(LIMIT_NO_STRATEGY));
    }
    if !xadd && o.trim.is_none() {
        return Err(Error::redis(XTRIM_NO_STRATEGY));
    }
    if limit_given {
        if !o.approx {
            return Err(Error::redis(LIMIT_NO_APPROX));
        }
    } else {
        o.limit = if o.approx { DEFAULT_TRIM_LIMIT } else { 0 };
    }
    Ok((o, i))
}

/// XADD key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]
fn xadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let argv = args.rest();
    let (o, at) = parse_add_trim(argv, true)?;
    let pairs = argv.get(at + 1..).unwrap_or(&[]);
    if pairs.len() < 2 || pairs.len() % 2 == 1 {
        return Err(Error::redis(msg::wrong_arity("xadd")));
    }
    if let Some((id, true)) = o.id {
        if id.is_zero() {
            return Err(Error::redis(ZERO_ID));
        }
    }
    let s = ctx.scope()?;
    let existing = keyspace::lookup_typed(s, key, KeyType::Stream)?;
    if existing.is_none() && o.nomkstream {
        return Ok(Reply::Nil);
    }
    let mut meta = match &existing {
        Some(m) => stream::meta(s.conn, m.id)?,
        None => Meta::default(),
    };
    if meta.last == StreamId::MAX {
        return Err(Error::redis(EXHAUSTED));
    }
    let last = meta.last;
    let id = match o.id {
        Some((id, true)) => id,
        Some((id, false)) if id.ms == last.ms => match last.seq.checked_add(1) {
            Some(seq) => StreamId::new(last.ms, seq),
            None => return Err(Error::redis(SMALLER_ID)),
        },
        Some((id, false)) => id,
        None => {
            // Redis's streamNextID: the clock, or after the last id if the clock is behind.
            let now = u64::try_from(ctx.now).unwrap_or(0);
            if now > last.ms {
                StreamId::new(now, 0)
            } else {
                last.next().ok_or_else(|| Error::redis(EXHAUSTED))?
            }
        }
    };
    if id <= last {
        return Err(Error::redis(SMALLER_ID));
    }
    let m = match existing {
        Some(m) => m,
        None => keyspace::create(s, key, KeyType::Stream, None)?,
    };
    stream::append(s.conn, m.id, id, pairs)?;
    meta.last = id;
    meta.added += 1;
    let mut len = m.len + 1;
    if let Some(how) = o.trim {
        len -= stream::trim(s.conn, m.id, len, how, o.approx, o.limit)?;
    }
    stream::put_meta(s.conn, m.id, &meta)?;
    wrote(s, &m, len)?;
    ctx.signal_ready(key);
    Ok(id_reply(id))
}

/// XTRIM key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]
fn xtrim(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let (o, _) = parse_add_trim(args.rest(), false)?;
    let s = ctx.scope()?;
    let Some(m) = keyspace::lookup_typed(s, key, KeyType::Stream)? else {
        return Ok(Reply::Int(0));
    };
    let Some(how) = o.trim else {
        return Ok(Reply::Int(0));
    };
    let removed = stream::trim(s.conn, m.id, m.len, how, o.approx, o.limit)?;
    if removed > 0 {
        wrote(s, &m, m.len - removed)?;
    }
    Ok(Reply::Int(removed))
}

// ---------------------------------------------------------------------------------
// XLEN, XRANGE, XREVRANGE, XDEL, XSETID
// ---------------------------------------------------------------------------------

/// XLEN key
fn xlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let m = read_stream(ctx, args.bytes()?)?;
    Ok(Reply::Int(m.map_or(0, |m| m.len)))
}

/// XRANGE key start end [COUNT count]
fn xrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_command(ctx, args, false)
}

/// XREVRANGE key end start [COUNT count]
fn xrevrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_command(ctx, args, true)
}

fn range_command(ctx: &mut Ctx<'_>, args: &mut Args<'_>, rev: bool) -> Result<Reply> {
    let key = args.bytes()?;
    let (a, b) = (args.bytes()?, args.bytes()?);
    let (start, end) = if rev { (b, a) } else { (a, b) };
    let start = range_start(start)?;
    let end = range_end(end)?;
    let mut count: Option<i64> = None;
    while let Some(opt) = args.next() {
        if eq(opt, "COUNT") && !args.is_empty() {
            count = Some(int_arg(args.bytes()?)?.max(0));
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let Some(m) = read_stream(ctx, key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    if count == Some(0) {
        return Ok(Reply::NilArray);
    }
    let count = count.map_or(0, |c| usize::try_from(c).unwrap_or(usize::MAX));
    entries_reply(&stream::range(ctx.conn()?, m.id, start, end, count, rev)?)
}

/// XDEL key id [id ...]
fn xdel(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let s = ctx.scope()?;
    let Some(m) = keyspace::lookup_typed(s, key, KeyType::Stream)? else {
        return Ok(Reply::Int(0));
    };
    let ids = args
        .rest()
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>>>()?;
    let mut meta = stream::meta(s.conn, m.id)?;
    let mut deleted = 0;
    for id in ids {
        if stream::delete_entry(s.conn, m.id, id)? {
            meta.max_deleted = meta.max_deleted.max(id);
            deleted += 1;
        }
    }
    if deleted > 0 {
        stream::put_meta(s.conn, m.id, &meta)?;
        wrote(s, &m, m.len - deleted)?;
    }
    Ok(Reply::Int(deleted))
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
fn xsetid(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let id = parse_strict_id(args.bytes()?)?;
    let mut added: Option<i64> = None;
    let mut max_deleted = StreamId::MIN;
    while let Some(opt) = args.next() {
        if eq(opt, "ENTRIESADDED") && !args.is_empty() {
            let n = int_arg(args.bytes()?)?;
            if n < 0 {
                return Err(Error::redis("ERR entries_added must be positive"));
            }
            added = Some(n);
        } else if eq(opt, "MAXDELETEDID") && !args.is_empty() {
            max_deleted = parse_strict_id(args.bytes()?)?;
            if id < max_deleted {
                return Err(Error::redis(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                ));
            }
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let s = ctx.scope()?;
    let Some(m) = keyspace::lookup_typed(s, key, KeyType::Stream)? else {
        return Err(Error::redis(msg::NO_SUCH_KEY));
    };
    let mut meta = stream::meta(s.conn, m.id)?;
    if m.len > 0 {
        let top = stream::last_id(s.conn, m.id)?.unwrap_or(StreamId::MIN);
        if id < top {
            return Err(Error::redis(
                "ERR The ID specified in XSETID is smaller than the target stream top item",
            ));
        }
        if added.is_some_and(|n| m.len > n) {
            return Err(Error::redis(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            ));
        }
    }
    meta.last = id;
    if let Some(n) = added {
        meta.added = n;
    }
    if !max_deleted.is_zero() {
        meta.max_deleted = max_deleted;
    }
    stream::put_meta(s.conn, m.id, &meta)?;
    wrote_groups(s, &m)?;
    Ok(Reply::ok())
}

// ---------------------------------------------------------------------------------
// XREAD, XREADGROUP
// ---------------------------------------------------------------------------------

/// What XREAD / XREADGROUP asked for.
struct ReadArgs<'a> {
    count: usize,
    /// BLOCK's deadline (unix ms; `None` inside: for ever), if BLOCK was given.
    block: Option<Option<i64>>,
    group: Option<(&'a [u8], &'a [u8])>,
    noack: bool,
    keys: &'a [&'a [u8]],
    ids: &'a [&'a [u8]],
}

fn parse_read<'a>(argv: &'a [&'a [u8]], xreadgroup: bool, now: i64) -> Result<ReadArgs<'a>> {
    let mut r = ReadArgs {
        count: 0,
        block: None,
        group: None,
        noack: false,
        keys: &[],
        ids: &[],
    };
    let mut streams: Option<usize> = None;
    let mut i = 0;
    while i < argv.len() {
        let more = argv.len() - 1 - i;
        let o = argv[i];
        if eq(o, "BLOCK") && more > 0 {
            i += 1;
            r.block = Some(notify::timeout_ms(argv[i], now)?);
        } else if eq(o, "COUNT") && more > 0 {
            i += 1;
            r.count = usize::try_from(int_arg(argv[i])?.max(0)).unwrap_or(usize::MAX);
        } else if eq(o, "STREAMS") && more > 0 {
            let n = argv.len() - (i + 1);
            if !n.is_multiple_of(2) {
                // Redis 7.0 words it so for XREADGROUP too.
                return Err(Error::redis(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
                ));
            }
            streams = Some(i + 1);
            break;
        } else if eq(o, "GROUP") && more >= 2 {
            if !xreadgroup {
                return Err(Error::redis(
                    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            r.group = Some((argv[i + 1], argv[i + 2]));
            i += 2;
        } else if eq(o, "NOACK") {
            if !xreadgroup {
                return Err(Error::redis(
                    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
                ));
            }
            r.noack = true;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
        i += 1;
    }
    let Some(at) = streams else {
        return Err(Error::redis(msg::SYNTAX));
    };
    if xreadgroup && r.group.is_none() {
        return Err(Error::redis("ERR Missing GROUP option for XREADGROUP"));
    }
    let n = (argv.len() - at) / 2;
    r.keys = &argv[at..at + n];
    r.ids = &argv[at + n..];
    Ok(r)
}

/// The reply of a read that served something: {key: entries} in RESP3, [[key, entries]] in RESP2.
fn read_reply(ctx: &Ctx<'_>, served: Vec<(Vec<u8>, Reply)>) -> Reply {
    if served.is_empty() {
        return Reply::NilArray;
    }
    if ctx.session.protocol >= 3 {
        Reply::Map(
            served
                .into_iter()
                .map(|(k, v)| (Reply::Bulk(k), v))
                .collect(),
        )
    } else {
        Reply::Array(
            served
                .into_iter()
                .map(|(k, v)| Reply::Array(vec![Reply::Bulk(k), v]))
                .collect(),
        )
    }
}

/// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
fn xread(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv = args.rest();
    let r = parse_read(argv, false, ctx.now)?;
    let s = ctx.scope()?;
    // Resolve every id first: `$` is the stream's last id now.
    let mut after = Vec::with_capacity(r.keys.len());
    for (key, arg) in r.keys.iter().zip(r.ids) {
        let m = read_stream(ctx, key)?;
        let id = match c_str(arg) {
            b"$" => match &m {
                Some(m) => stream::meta(s.conn, m.id)?.last,
                None => StreamId::MIN,
            },
            b">" => {
                return Err(Error::redis(
                    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
                ))
            }
            _ => parse_strict_id(arg)?,
        };
        after.push(id);
    }
    let ids_resolved = after.clone();
    let mut served = Vec::new();
    for (key, gt) in r.keys.iter().zip(after) {
        let Some(m) = keyspace::lookup_typed(s, key, KeyType::Stream)? else {
            continue;
        };
        if m.len == 0 || stream::last_id(s.conn, m.id)?.is_none_or(|top| top <= gt) {
            continue;
        }
        let Some(start) = gt.next() else { continue };
        let entries = stream::range(s.conn, m.id, start, StreamId::MAX, r.count, false)?;
        served.push((key.to_vec(), entries_reply(&entries)?));
    }
    if let (true, Some(deadline)) = (served.is_empty(), r.block) {
        // Wait for entries after the ids resolved now: `$` is re-run as the id it was.
        let mut rerun: Vec<Vec<u8>> = argv.iter().map(|a| a.to_vec()).collect();
        let first_id = argv.len() - r.ids.len();
        for (i, id) in ids_resolved.iter().enumerate() {
            rerun[first_id + i] = id.to_string().into_bytes();
        }
        let keys = r.keys.iter().map(|k| k.to_vec()).collect();
        return ctx.block_on(
            BlockOn {
                keys,
                deadline,
                rerun: Some(rerun),
            },
            Reply::NilArray,
        );
    }
    Ok(read_reply(ctx, served))
}

/// XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]
fn xreadgroup(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv = args.rest();
    let r = parse_read(argv, true, ctx.now)?;
    let Some((group_name, consumer_name)) = r.group else {
        return Err(Error::redis("ERR Missing GROUP option for XREADGROUP"));
    };
    let s = ctx.scope()?;
    // Every key and group must exist, and every id parse, before anything is read.
    let mut targets = Vec::with_capacity(r.keys.len());
    for (key, arg) in r.keys.iter().zip(r.ids) {
        let m = read_stream(ctx, key)?;
        let g = match &m {
            Some(m) => stream::group(s.conn, m.id, group_name)?,
            None => None,
        };
        let (Some(m), Some(g)) = (m, g) else {
            if ctx.serving {
                // A reader woken after its group went (XGROUP DESTROY, DEL and a new
                // stream): Redis's reply to a blocked client in that case.
                return Err(Error::redis(
                    "NOGROUP the consumer group this client was blocked on no longer exists",
                ));
            }
            return Err(Error::redis(format!(
                "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                shown(key),
                shown(group_name)
            )));
        };
        // `>` is kept as Redis keeps it: the greatest id (which an explicit
        // 18446744073709551615-18446744073709551615 therefore also means).
        let id = match c_str(arg) {
            b"$" => {
                return Err(Error::redis(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.",
                ))
            }
            b">" => StreamId::MAX,
            _ => parse_strict_id(arg)?,
        };
        targets.push((*key, m, g, id));
    }
    let mut served = Vec::new();
    for (key, m, mut g, gt) in targets {
        let history = gt != StreamId::MAX;
        let start = if history {
            gt
        } else {
            if m.len == 0 {
                continue;
            }
            match stream::last_id(s.conn, m.id)? {
                Some(top) if top > g.last => g.last,
                _ => continue,
            }
        };
        let start = start.next().unwrap_or(StreamId::MIN);
        let consumer = consumer_id(s, m.id, g.id, consumer_name)?;
        let reply = if history {
            read_history(s, m.id, g.id, consumer, start, r.count)?
        } else {
            read_new(s, &m, &mut g, consumer, start, r.count, r.noack)?
        };
        wrote_groups(s, &m)?;
        served.push((key.to_vec(), reply));
    }
    if let (true, Some(deadline)) = (served.is_empty(), r.block) {
        return ctx.block(r.keys, deadline, Reply::NilArray);
    }
    Ok(read_reply(ctx, served))
}

/// Deliver the entries after the group's last id to `consumer` (XREADGROUP `>`).
fn read_new(
    s: Scope<'_>,
    m: &KeyMeta,
    g: &mut Group,
    consumer: i64,
    start: StreamId,
    count: usize,
    noack: bool,
) -> Result<Reply> {
    let state = State::load(s, m)?;
    let entries = stream::range(s.conn, m.id, start, StreamId::MAX, count, false)?;
    let mut out = Vec::with_capacity(entries.len());
    for e in &entries {
        if e.id > g.last {
            if g.entries_read != INVALID_ENTRIES_READ && !state.has_tombstones(e.id) {
                g.entries_read += 1;
            } else if state.meta.added != 0 {
                g.entries_read = state.estimate_read(e.id);
            }
            g.last = e.id;
        }
        out.push(entry_reply(e)?);
        if !noack {
            stream::deliver(s.conn, m.id, g.id, e.id, consumer, s.now)?;
        }
    }
    stream::set_group(s.conn, g)?;
    Ok(Reply::Array(out))
}

/// The consumer's own pending entries from `start` (XREADGROUP with an id): each one
/// still in the stream is delivered again; a deleted one answers [id, nil].
fn read_history(
    s: Scope<'_>,
    key: i64,
    group: i64,
    consumer: i64,
    start: StreamId,
    count: usize,
) -> Result<Reply> {
    let pel = stream::pending_range(
        s.conn,
        key,
        group,
        Some(consumer),
        start,
        StreamId::MAX,
        count,
    )?;
    let mut out = Vec::with_capacity(pel.len());
    for mut p in pel {
        match stream::get(s.conn, key, p.id)? {
            Some(e) => {
                out.push(entry_reply(&e)?);
                p.delivered = s.now;
                p.deliveries += 1;
                stream::put_pending(s.conn, key, group, &p)?;
            }
            None => out.push(Reply::Array(vec![id_reply(p.id), Reply::NilArray])),
        }
    }
    Ok(Reply::Array(out))
}

// ---------------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------------

/// Stands for the subcommand as the client spelled it, which only the container sees.
const SUBCOMMAND: &str = "\u{1}subcommand\u{1}";

/// Redis's `addReplySubcommandSyntaxError`; the container (`container`) fills in the
/// subcommand's name.
fn subcommand_syntax(ctx: &Ctx<'_>) -> Error {
    let container = ctx.spec.name.split('|').next().unwrap_or_default();
    Error::redis(format!(
        "ERR unknown subcommand or wrong number of arguments for '{SUBCOMMAND}'. Try {} HELP.",
        container.to_ascii_uppercase()
    ))
}

/// XGROUP and XINFO: `run_subcommand`, with the subcommand's own spelling (cut at a NUL
/// and at 128 bytes, as Redis's `%.128s`) in a subcommand syntax error.
fn container(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let sub = args.peek().map(c_str).unwrap_or_default();
    match run_subcommand(ctx, args) {
        Err(Error::Redis(text)) => {
            let marker = SUBCOMMAND.as_bytes();
            match text.windows(marker.len()).position(|w| w == marker) {
                Some(at) => {
                    let mut filled = text[..at].to_vec();
                    filled.extend_from_slice(&sub[..sub.len().min(128)]);
                    filled.extend_from_slice(&text[at + marker.len()..]);
                    Err(Error::Redis(filled))
                }
                None => Err(Error::Redis(text)),
            }
        }
        other => other,
    }
}

/// The preamble of Redis's `xgroupCommand`: options of CREATE and SETID, the key (which
/// must exist unless MKSTREAM), the group.
struct GroupCall<'a> {
    key: &'a [u8],
    name: &'a [u8],
    stream: Option<KeyMeta>,
    group: Option<Group>,
    mkstream: bool,
    entries_read: i64,
    argc: usize,
}

fn group_call<'a>(
    ctx: &Ctx<'_>,
    args: &mut Args<'a>,
    options: bool,
    create: bool,
) -> Result<GroupCall<'a>> {
    let argv = args.rest();
    // Redis counts the arguments from the command name: XGROUP SUB key group ...
    let argc = argv.len() + 2;
    let (key, name) = (argv[0], argv[1]);
    let mut mkstream = false;
    let mut entries_read = INVALID_ENTRIES_READ;
    if options {
        let mut i = 3;
        while i < argv.len() {
            if create && eq(argv[i], "MKSTREAM") {
                mkstream = true;
                i += 1;
            } else if eq(argv[i], "ENTRIESREAD") && i + 1 < argv.len() {
                entries_read = int_arg(argv[i + 1])?;
                if entries_read < 0 && entries_read != INVALID_ENTRIES_READ {
                    return Err(Error::redis(
                        "ERR value for ENTRIESREAD must be positive or -1",
                    ));
                }
                i += 2;
            } else {
                return Err(subcommand_syntax(ctx));
            }
        }
    }
    let s = ctx.scope()?;
    let stream = keyspace::lookup_typed(s, key, KeyType::Stream)?;
    let mut group = None;
    if !mkstream {
        let Some(m) = &stream else {
            return Err(Error::redis(NO_KEY_XGROUP));
        };
        group = stream::group(s.conn, m.id, name)?;
    } else if let Some(m) = &stream {
        group = stream::group(s.conn, m.id, name)?;
    }
    Ok(GroupCall {
        key,
        name,
        stream,
        group,
        mkstream,
        entries_read,
        argc,
    })
}

fn required_group(c: &GroupCall<'_>) -> Result<Group> {
    c.group
        .clone()
        .ok_or_else(|| nogroup_for_key(c.key, c.name))
}

/// XGROUP CREATE key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]
fn xgroup_create(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv: Vec<&[u8]> = args.rest().to_vec();
    let mut args = Args::new(&argv);
    let c = group_call(ctx, &mut args, true, true)?;
    if !(5..=8).contains(&c.argc) {
        return Err(subcommand_syntax(ctx));
    }
    let s = ctx.scope()?;
    let id = if c_str(argv[2]) == b"$" {
        match &c.stream {
            Some(m) => stream::meta(s.conn, m.id)?.last,
            None => StreamId::MIN,
        }
    } else {
        parse_strict_id(argv[2])?
    };
    let m = match c.stream {
        Some(m) => m,
        None => {
            debug_assert!(c.mkstream);
            let m = keyspace::create(s, c.key, KeyType::Stream, None)?;
            stream::put_meta(s.conn, m.id, &Meta::default())?;
            m
        }
    };
    if c.group.is_some() {
        return Err(Error::redis(BUSYGROUP));
    }
    stream::create_group(s.conn, m.id, c.name, id, c.entries_read)?;
    wrote_groups(s, &m)?;
    Ok(Reply::ok())
}

/// XGROUP SETID key group <id | $> [ENTRIESREAD entries-read]
fn xgroup_setid(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv: Vec<&[u8]> = args.rest().to_vec();
    let mut args = Args::new(&argv);
    let c = group_call(ctx, &mut args, true, false)?;
    let mut g = required_group(&c)?;
    if c.argc != 5 && c.argc != 7 {
        return Err(subcommand_syntax(ctx));
    }
    let s = ctx.scope()?;
    let Some(m) = c.stream else {
        return Err(Error::redis(NO_KEY_XGROUP));
    };
    g.last = if c_str(argv[2]) == b"$" {
        stream::meta(s.conn, m.id)?.last
    } else {
        parse_id(argv[2], 0)?
    };
    g.entries_read = c.entries_read;
    stream::set_group(s.conn, &g)?;
    wrote_groups(s, &m)?;
    Ok(Reply::ok())
}

/// XGROUP DESTROY key group
fn xgroup_destroy(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let c = group_call(ctx, args, false, false)?;
    let (Some(m), Some(g)) = (c.stream, c.group) else {
        return Ok(Reply::Int(0));
    };
    let s = ctx.scope()?;
    stream::destroy_group(s.conn, m.id, g.id)?;
    wrote_groups(s, &m)?;
    // Its blocked readers answer NOGROUP.
    ctx.signal_ready(c.key);
    Ok(Reply::Int(1))
}

/// XGROUP CREATECONSUMER key group consumer
fn xgroup_createconsumer(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv: Vec<&[u8]> = args.rest().to_vec();
    let mut args = Args::new(&argv);
    let c = group_call(ctx, &mut args, false, false)?;
    let g = required_group(&c)?;
    let Some(m) = c.stream else {
        return Err(Error::redis(NO_KEY_XGROUP));
    };
    let s = ctx.scope()?;
    if stream::consumer(s.conn, m.id, g.id, argv[2])?.is_some() {
        return Ok(Reply::Int(0));
    }
    stream::create_consumer(s.conn, m.id, g.id, argv[2], s.now)?;
    wrote_groups(s, &m)?;
    Ok(Reply::Int(1))
}

/// XGROUP DELCONSUMER key group consumer
fn xgroup_delconsumer(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv: Vec<&[u8]> = args.rest().to_vec();
    let mut args = Args::new(&argv);
    let c = group_call(ctx, &mut args, false, false)?;
    let g = required_group(&c)?;
    let Some(m) = c.stream else {
        return Err(Error::redis(NO_KEY_XGROUP));
    };
    let s = ctx.scope()?;
    let Some(consumer) = stream::consumer(s.conn, m.id, g.id, argv[2])? else {
        return Ok(Reply::Int(0));
    };
    stream::delete_consumer(s.conn, consumer.id)?;
    wrote_groups(s, &m)?;
    Ok(Reply::Int(consumer.pending))
}

/// XGROUP HELP
fn xgroup_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "XGROUP",
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    ))
}

// ---------------------------------------------------------------------------------
// XINFO
// ---------------------------------------------------------------------------------

/// XINFO HELP
fn xinfo_help(_ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    Ok(help(
        "XINFO",
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    ))
}

/// The stream every XINFO subcommand but HELP starts with: "ERR no such key" if none.
fn info_stream(ctx: &Ctx<'_>, key: &[u8]) -> Result<KeyMeta> {
    read_stream(ctx, key)?.ok_or_else(|| Error::redis(msg::NO_SUCH_KEY))
}

/// XINFO CONSUMERS key group
fn xinfo_consumers(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let name = args.bytes()?;
    let m = info_stream(ctx, key)?;
    let conn = ctx.conn()?;
    let g = stream::group(conn, m.id, name)?.ok_or_else(|| nogroup_for_key(key, name))?;
    let out = stream::consumers(conn, m.id, g.id)?
        .into_iter()
        .map(|c| {
            info_map(vec![
                ("name", Reply::Bulk(c.name)),
                ("pending", Reply::Int(c.pending)),
                ("idle", Reply::Int((ctx.now - c.seen).max(0))),
            ])
        })
        .collect();
    Ok(Reply::Array(out))
}

/// XINFO GROUPS key
fn xinfo_groups(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let m = info_stream(ctx, key)?;
    let s = ctx.scope()?;
    let state = State::load(s, &m)?;
    let mut out = Vec::new();
    for g in stream::groups(s.conn, m.id)? {
        let (pending, _) = stream::pending_summary(s.conn, m.id, g.id)?;
        out.push(info_map(vec![
            ("name", Reply::Bulk(g.name.clone())),
            (
                "consumers",
                Reply::Int(stream::consumer_count(s.conn, m.id, g.id)?),
            ),
            ("pending", Reply::Int(pending)),
            ("last-delivered-id", id_reply(g.last)),
            ("entries-read", entries_read_reply(&g)),
            ("lag", state.lag(&g).map_or(Reply::Nil, Reply::Int)),
        ]));
    }
    Ok(Reply::Array(out))
}

fn entries_read_reply(g: &Group) -> Reply {
    if g.entries_read == INVALID_ENTRIES_READ {
        Reply::Nil
    } else {
        Reply::Int(g.entries_read)
    }
}

/// XINFO STREAM key [FULL [COUNT count]]
fn xinfo_stream(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let m = info_stream(ctx, key)?;
    let mut full = false;
    let mut count: i64 = 10;
    if let Some(opt) = args.next() {
        // XINFO STREAM key FULL [COUNT count]: anything else is a syntax error.
        let rest = args.rest();
        if !eq(opt, "FULL") {
            return Err(subcommand_syntax(ctx));
        }
        full = true;
        match rest {
            [] => {}
            [c, n] if eq(c, "COUNT") => {
                count = int_arg(n)?;
                if count < 0 {
                    count = 10;
                }
            }
            _ => return Err(subcommand_syntax(ctx)),
        }
    }
    let s = ctx.scope()?;
    let state = State::load(s, &m)?;
    let nodes = stream::node_keys(s.conn, m.id)?;
    let mut out = vec![
        ("length", Reply::Int(m.len)),
        ("radix-tree-keys", Reply::Int(nodes.len() as i64)),
        ("radix-tree-nodes", Reply::Int(stream::rax_nodes(&nodes))),
        ("last-generated-id", id_reply(state.meta.last)),
        ("max-deleted-entry-id", id_reply(state.meta.max_deleted)),
        ("entries-added", Reply::Int(state.meta.added)),
        ("recorded-first-entry-id", id_reply(state.first)),
    ];
    if !full {
        let edge = |rev: bool| -> Result<Reply> {
            let e = stream::range(s.conn, m.id, StreamId::MIN, StreamId::MAX, 1, rev)?;
            match e.first() {
                Some(e) => entry_reply(e),
                None => Ok(Reply::Nil),
            }
        };
        out.push(("groups", Reply::Int(stream::group_count(s.conn, m.id)?)));
        out.push(("first-entry", edge(false)?));
        out.push(("last-entry", edge(true)?));
        return Ok(info_map(out));
    }
    let limit = usize::try_from(count).unwrap_or(usize::MAX);
    let entries = stream::range(s.conn, m.id, StreamId::MIN, StreamId::MAX, limit, false)?;
    out.push(("entries", entries_reply(&entries)?));
    let mut groups = Vec::new();
    for g in stream::groups(s.conn, m.id)? {
        let (pel_count, _) = stream::pending_summary(s.conn, m.id, g.id)?;
        let pel = stream::pending_range(
            s.conn,
            m.id,
            g.id,
            None,
            StreamId::MIN,
            StreamId::MAX,
            limit,
        )?;
        let pending = pel
            .into_iter()
            .map(|p| {
                Reply::Array(vec![
                    id_reply(p.id),
                    Reply::Bulk(p.consumer_name),
                    Reply::Int(p.delivered),
                    Reply::Int(p.deliveries),
                ])
            })
            .collect();
        let mut consumers = Vec::new();
        for c in stream::consumers(s.conn, m.id, g.id)? {
            let pel = stream::pending_range(
                s.conn,
                m.id,
                g.id,
                Some(c.id),
                StreamId::MIN,
                StreamId::MAX,
                limit,
            )?;
            let pending = pel
                .into_iter()
                .map(|p| {
                    Reply::Array(vec![
                        id_reply(p.id),
                        Reply::Int(p.delivered),
                        Reply::Int(p.deliveries),
                    ])
                })
                .collect();
            consumers.push(info_map(vec![
                ("name", Reply::Bulk(c.name)),
                ("seen-time", Reply::Int(c.seen)),
                ("pel-count", Reply::Int(c.pending)),
                ("pending", Reply::Array(pending)),
            ]));
        }
        groups.push(info_map(vec![
            ("name", Reply::Bulk(g.name.clone())),
            ("last-delivered-id", id_reply(g.last)),
            ("entries-read", entries_read_reply(&g)),
            ("lag", state.lag(&g).map_or(Reply::Nil, Reply::Int)),
            ("pel-count", Reply::Int(pel_count)),
            ("pending", Reply::Array(pending)),
            ("consumers", Reply::Array(consumers)),
        ]));
    }
    out.push(("groups", Reply::Array(groups)));
    Ok(info_map(out))
}

// ---------------------------------------------------------------------------------
// XACK, XPENDING, XCLAIM, XAUTOCLAIM
// ---------------------------------------------------------------------------------

/// The stream and group a command works on, or None if either is missing.
fn stream_and_group(ctx: &Ctx<'_>, key: &[u8], name: &[u8]) -> Result<Option<(KeyMeta, Group)>> {
    let Some(m) = read_stream(ctx, key)? else {
        return Ok(None);
    };
    Ok(stream::group(ctx.conn()?, m.id, name)?.map(|g| (m, g)))
}

/// XACK key group id [id ...]
fn xack(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let name = args.bytes()?;
    let Some((m, g)) = stream_and_group(ctx, key, name)? else {
        return Ok(Reply::Int(0));
    };
    let ids = args
        .rest()
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>>>()?;
    let s = ctx.scope()?;
    let mut acked = 0;
    for id in ids {
        if stream::ack(s.conn, m.id, g.id, id)? {
            acked += 1;
        }
    }
    if acked > 0 {
        wrote_groups(s, &m)?;
    }
    Ok(Reply::Int(acked))
}

/// XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
fn xpending(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv = args.rest();
    let argc = argv.len() + 1;
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(Error::redis(msg::SYNTAX));
    }
    let (key, name) = (argv[0], argv[1]);
    let mut range = None;
    if argc >= 6 {
        let mut at = 2;
        let mut min_idle = 0;
        if eq(argv[2], "IDLE") {
            min_idle = int_arg(argv[3])?;
            if argc < 8 {
                return Err(Error::redis(msg::SYNTAX));
            }
            at += 2;
        }
        let count = int_arg(argv[at + 2])?.max(0);
        let start = range_start(argv[at])?;
        let end = range_end(argv[at + 1])?;
        range = Some((min_idle, start, end, count, argv.get(at + 3).copied()));
    }
    let m = read_stream(ctx, key)?;
    let conn = ctx.conn()?;
    let g = match &m {
        Some(m) => stream::group(conn, m.id, name)?,
        None => None,
    };
    let (Some(m), Some(g)) = (m, g) else {
        return Err(nogroup(key, name));
    };
    let Some((min_idle, start, end, count, consumer)) = range else {
        let (n, edges) = stream::pending_summary(conn, m.id, g.id)?;
        let Some((first, last)) = edges else {
            return Ok(Reply::Array(vec![
                Reply::Int(0),
                Reply::Nil,
                Reply::Nil,
                Reply::NilArray,
            ]));
        };
        let per = stream::pending_per_consumer(conn, m.id, g.id)?
            .into_iter()
            .map(|(c, n)| {
                Reply::Array(vec![
                    Reply::Bulk(c),
                    Reply::Bulk(n.to_string().into_bytes()),
                ])
            })
            .collect();
        return Ok(Reply::Array(vec![
            Reply::Int(n),
            id_reply(first),
            id_reply(last),
            Reply::Array(per),
        ]));
    };
    let consumer = match consumer {
        Some(c) => match stream::consumer(conn, m.id, g.id, c)? {
            Some(c) => Some(c.id),
            None => return Ok(Reply::Array(Vec::new())),
        },
        None => None,
    };
    if count == 0 {
        return Ok(Reply::Array(Vec::new()));
    }
    // With IDLE the entries are filtered as they are walked: walk them all.
    let limit = if min_idle != 0 {
        0
    } else {
        usize::try_from(count).unwrap_or(usize::MAX)
    };
    let mut out = Vec::new();
    for p in stream::pending_range(conn, m.id, g.id, consumer, start, end, limit)? {
        let idle = ctx.now - p.delivered;
        if min_idle != 0 && idle < min_idle {
            continue;
        }
        out.push(Reply::Array(vec![
            id_reply(p.id),
            Reply::Bulk(p.consumer_name),
            Reply::Int(idle.max(0)),
            Reply::Int(p.deliveries),
        ]));
        if out.len() as i64 >= count {
            break;
        }
    }
    Ok(Reply::Array(out))
}

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]
fn xclaim(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let argv = args.rest();
    let (key, name, consumer_name) = (argv[0], argv[1], argv[2]);
    let Some((m, mut g)) = stream_and_group(ctx, key, name)? else {
        return Err(nogroup(key, name));
    };
    let min_idle = int_arg_or(argv[3], "ERR Invalid min-idle-time argument for XCLAIM")?.max(0);
    let mut ids = Vec::new();
    let mut j = 4;
    while j < argv.len() {
        match parse_strict_id(argv[j]) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        j += 1;
    }
    let now = ctx.now;
    let mut delivery: Option<i64> = None;
    let mut retrycount: i64 = -1;
    let (mut force, mut justid) = (false, false);
    let mut last_id = StreamId::MIN;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        let opt = argv[j];
        if eq(opt, "FORCE") {
            force = true;
        } else if eq(opt, "JUSTID") {
            justid = true;
        } else if eq(opt, "IDLE") && more > 0 {
            j += 1;
            let idle = int_arg_or(argv[j], "ERR Invalid IDLE option argument for XCLAIM")?;
            delivery = Some(now.wrapping_sub(idle));
        } else if eq(opt, "TIME") && more > 0 {
            j += 1;
            delivery = Some(int_arg_or(
                argv[j],
                "ERR Invalid TIME option argument for XCLAIM",
            )?);
        } else if eq(opt, "RETRYCOUNT") && more > 0 {
            j += 1;
            retrycount = int_arg_or(argv[j], "ERR Invalid RETRYCOUNT option argument for XCLAIM")?;
        } else if eq(opt, "LASTID") && more > 0 {
            j += 1;
            last_id = parse_strict_id(argv[j])?;
        } else {
            return Err(Error::redis(format!(
                "ERR Unrecognized XCLAIM option '{}'",
                shown(opt)
            )));
        }
        j += 1;
    }
    let s = ctx.scope()?;
    let mut changed = false;
    if last_id > g.last {
        g.last = last_id;
        stream::set_group(s.conn, &g)?;
        changed = true;
    }
    // A bogus delivery time (negative, or in the future) is now, as in Redis.
    let delivered = match delivery {
        Some(t) if (0..=now).contains(&t) => t,
        _ => now,
    };
    let mut consumer: Option<i64> = None;
    let mut out = Vec::new();
    for id in ids {
        let mut p = stream::pending(s.conn, m.id, g.id, id)?;
        let Some(e) = stream::get(s.conn, m.id, id)? else {
            // The entry is gone: its pending entry goes too.
            if p.is_some() {
                stream::ack(s.conn, m.id, g.id, id)?;
                changed = true;
            }
            continue;
        };
        if p.is_none() && force {
            p = Some(Pending {
                id,
                consumer: 0,
                consumer_name: Vec::new(),
                delivered: now,
                deliveries: 1,
            });
        }
        let Some(mut p) = p else { continue };
        if p.consumer != 0 && min_idle > 0 && now - p.delivered < min_idle {
            continue;
        }
        let c = match consumer {
            Some(c) => c,
            None => {
                let c = consumer_id(s, m.id, g.id, consumer_name)?;
                consumer = Some(c);
                c
            }
        };
        p.consumer = c;
        p.delivered = delivered;
        if retrycount >= 0 {
            p.deliveries = retrycount;
        } else if !justid {
            p.deliveries += 1;
        }
        stream::put_pending(s.conn, m.id, g.id, &p)?;
        changed = true;
        out.push(if justid {
            id_reply(id)
        } else {
            entry_reply(&e)?
        });
    }
    if changed || consumer.is_some() {
        wrote_groups(s, &m)?;
    }
    Ok(Reply::Array(out))
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
fn xautoclaim(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    const ATTEMPTS_FACTOR: i64 = 10;
    let argv = args.rest();
    let (key, name, consumer_name) = (argv[0], argv[1], argv[2]);
    let min_idle = int_arg_or(argv[3], "ERR Invalid min-idle-time argument for XAUTOCLAIM")?.max(0);
    let start = range_start(argv[4])?;
    let mut count: i64 = 100;
    let mut justid = false;
    let mut j = 5;
    while j < argv.len() {
        let more = argv.len() - 1 - j;
        if eq(argv[j], "COUNT") && more > 0 {
            // LONG_MAX / max(sizeof(streamID), attempts factor), as Redis bounds it.
            let max = i64::MAX / 16;
            count = parse_i64(argv[j + 1])
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| Error::redis("ERR COUNT must be > 0"))?;
            j += 1;
        } else if eq(argv[j], "JUSTID") {
            justid = true;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
        j += 1;
    }
    let Some((m, g)) = stream_and_group(ctx, key, name)? else {
        return Err(nogroup(key, name));
    };
    let s = ctx.scope()?;
    let now = ctx.now;
    let mut attempts = count * ATTEMPTS_FACTOR;
    let window = usize::try_from(attempts + 1).unwrap_or(usize::MAX);
    let pel = stream::pending_range(s.conn, m.id, g.id, None, start, StreamId::MAX, window)?;
    let mut consumer: Option<i64> = None;
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut next = 0;
    while attempts > 0 && count > 0 && next < pel.len() {
        attempts -= 1;
        let mut p = pel[next].clone();
        next += 1;
        let Some(e) = stream::get(s.conn, m.id, p.id)? else {
            stream::ack(s.conn, m.id, g.id, p.id)?;
            deleted.push(id_reply(p.id));
            count -= 1;
            continue;
        };
        if min_idle > 0 && now - p.delivered < min_idle {
            continue;
        }
        let c = match consumer {
            Some(c) => c,
            None => {
                let c = consumer_id(s, m.id, g.id, consumer_name)?;
                consumer = Some(c);
                c
            }
        };
        p.consumer = c;
        p.delivered = now;
        if !justid {
            p.deliveries += 1;
        }
        stream::put_pending(s.conn, m.id, g.id, &p)?;
        claimed.push(if justid {
            id_reply(p.id)
        } else {
            entry_reply(&e)?
        });
        count -= 1;
    }
    let cursor = pel.get(next).map_or(StreamId::MIN, |p| p.id);
    if consumer.is_some() || !deleted.is_empty() {
        wrote_groups(s, &m)?;
    }
    Ok(Reply::Array(vec![
        id_reply(cursor),
        Reply::Array(claimed),
        Reply::Array(deleted),
    ]))
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("xadd", -5, xadd)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE)
            .notes("UPDATE instead of INSERT because of the optional trimming feature")
            .index(1)
            .range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "stream", "fast"])
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "Appends a new entry to a stream",
            "XADD key [NOMKSTREAM] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]",
        )
        .complexity("O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.")
        .history(&[
            ("6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."),
            ("7.0.0", "Added support for the `<ms>-*` explicit ID form."),
        ]),
    Spec::read("xlen", 2, xlen)
        .keys(1, 1, 1)
        .key_specs(KS_RO)
        .flags(&["readonly", "fast"])
        .acl(&["read", "stream", "fast"])
        .doc("stream", "5.0.0", "Return the number of entries in a stream", "XLEN key")
        .complexity("O(1)"),
    Spec::read("xrange", -4, xrange)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Return a range of elements in a stream, with IDs matching the specified IDs interval",
            "XRANGE key start end [COUNT count]",
        )
        .complexity("O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
        .history(&[("6.2.0", "Added exclusive ranges.")]),
    Spec::read("xrevrange", -4, xrevrange)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "stream", "slow"])
        .doc(
            "stream",
            "5.0.0",
            "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE",
            "XREVRANGE key end start [COUNT count]",
        )
        .complexity("O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
        .history(&[("6.2.0", "Added exclusive ranges.")]),
    Spec::read("xread", -4, xread)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RO | ACCESS).keyword("STREAMS", 1).range(-1, 1, 2)])
        .flags(&["readonly", "blocking", "movablekeys"])
        .acl(&["read", "stream", "slow", "blocking"])
        .doc(
            "stream",
            "5.0.0",
            "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.",
            "XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]",
        )
        .complexity("For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data."),
    Spec::write("xdel", -3, xdel)
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write", "fast"])
        .acl(&["write", "stream", "fast"])
        .doc(
            "stream",
            "5.0.0",
            "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.",
            "XDEL key id [id ...]",
        )
        .complexity("O(1) for each single item to delete in the stream, regardless of the stream size."),
    Spec::write("xtrim", -4, xtrim)
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write"])
        .acl(&["write", "stream", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "Trims the stream to (approximately if '~' is passed) a certain size",
            "XTRIM key <MAXLEN | MINID> [= | ~] threshold [LIMIT count]",
        )
        .complexity("O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.")
        .history(&[("6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option.")]),
    Spec::write("xsetid", -3, xsetid)
        .keys(1, 1, 1)
        .key_specs(KS_UPDATE)
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "stream", "fast"])
        .doc(
            "stream",
            "5.0.0",
            "An internal command for replicating stream values",
            "XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]",
        )
        .complexity("O(1)")
        .history(&[("7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments.")]),
    Spec::read("xinfo", -2, container)
        .acl(&["slow"])
        .subcommands(XINFO)
        .doc("stream", "5.0.0", "A container for stream introspection commands", "XINFO")
        .complexity("Depends on subcommand."),
    Spec::write("xgroup", -2, container)
        .acl(&["slow"])
        .subcommands(XGROUP)
        .doc("stream", "5.0.0", "A container for consumer groups commands", "XGROUP")
        .complexity("Depends on subcommand."),
    Spec::write("xreadgroup", -7, xreadgroup)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RO | ACCESS).keyword("STREAMS", 4).range(-1, 1, 2)])
        .flags(&["write", "blocking", "movablekeys"])
        .acl(&["write", "stream", "slow", "blocking"])
        .doc(
            "stream",
            "5.0.0",
            "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
            "XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]",
        )
        .complexity("For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data."),
    Spec::write("xack", -4, xack)
        .keys(1, 1, 1)
        .key_specs(KS_UPDATE)
        .flags(&["write", "fast"])
        .acl(&["write", "stream", "fast"])
        .doc(
            "stream",
            "5.0.0",
            "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
            "XACK key group id [id ...]",
        )
        .complexity("O(1) for each message ID processed."),
    Spec::read("xpending", -3, xpending)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "stream", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
            "XPENDING key group [[IDLE min-idle-time] start end count [consumer]]",
        )
        .complexity("O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.")
        .history(&[("6.2.0", "Added the `IDLE` option and exclusive range intervals.")]),
    Spec::write("xclaim", -6, xclaim)
        .keys(1, 1, 1)
        .key_specs(KS_UPDATE)
        .flags(&["write", "fast"])
        .acl(&["write", "stream", "fast"])
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
            "XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]",
        )
        .complexity("O(log N) with N being the number of messages in the PEL of the consumer group."),
    Spec::write("xautoclaim", -6, xautoclaim)
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write", "fast"])
        .acl(&["write", "stream", "fast"])
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "6.2.0",
            "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
            "XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]",
        )
        .complexity("O(1) if COUNT is small.")
        .history(&[("7.0.0", "Added an element to the reply array, containing deleted entries the command cleared from the PEL")]),
];
