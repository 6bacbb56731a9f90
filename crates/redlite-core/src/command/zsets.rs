//! Sorted set commands, blocking pops included.
//!
//! Arguments are read as Redis reads them: scores, increments and weights with
//! `getDoubleFromObject` (C's `strtod` over the whole argument: hex floats allowed, no
//! leading space, no NaN, no overflow), the ends of a score range with
//! `zslParseRange` (a bare `strtod`: leading spaces and even an empty string pass),
//! lex ranges as `-`, `+`, `[member`, `(member`. Scores are answered as doubles
//! (`Reply::Double`: RESP3 doubles, Redis's `%.17g` in RESP2); WITHSCORES replies are a
//! flat member, score, ... array in RESP2 and an array of [member, score] pairs in
//! RESP3, as Redis 7.0 answers.
//!
//! Every write that adds members (ZADD, ZINCRBY, the STORE forms) signals its key, so
//! that BZPOPMIN, BZPOPMAX and BZMPOP waiting on it run again before the write commits
//! (notify.rs).

use std::collections::{HashMap, HashSet};

use crate::command::args::{eq, parse_f64, parse_i64};
use crate::command::keyspec::{ACCESS, DELETE, OW, RO, RW, UPDATE};
use crate::command::lookup::count_lookup;
use crate::command::scan::{page_keeper, parse_cursor, scan_cursor_of, scan_reply, scan_start};
use crate::command::strtod::strtod;
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::glob;
use crate::keyspace::{self, KeyMeta, KeyType, Scope};
use crate::notify;
use crate::reply::{format_double, format_g, Reply};
use crate::rng::Rng;
use crate::types::zset::{Entry, LexBound, LexRange, ScoreRange};
use crate::types::{set, zset};

const NOT_FLOAT_RANGE: &str = "ERR min or max is not a float";
const NOT_LEX_RANGE: &str = "ERR min or max not valid string range item";
const NAN_SCORE: &str = "ERR resulting score is not a number (NaN)";
const NOT_POSITIVE: &str = "ERR value is out of range, must be positive";

/// The key specs most commands share: one key, argument 1.
const KS_RO: &[KeySpec] = &[KeySpec::new(RO).index(1).range(0, 1, 0)];
const KS_READ: &[KeySpec] = &[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)];
const KS_DELETE: &[KeySpec] = &[KeySpec::new(RW | DELETE).index(1).range(0, 1, 0)];
const KS_POP: &[KeySpec] = &[KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)];
/// BZPOPMIN/BZPOPMAX: key [key ...] timeout.
const KS_BLOCKING_POP: &[KeySpec] = &[KeySpec::new(RW | ACCESS | DELETE).index(1).range(-2, 1, 0)];
/// numkeys key [key ...] at argument 1.
const KS_READ_NUMKEYS: &[KeySpec] = &[KeySpec::new(RO | ACCESS).index(1).keynum(0, 1, 1)];
/// destination numkeys key [key ...].
const KS_STORE_NUMKEYS: &[KeySpec] = &[
    KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0),
    KeySpec::new(RO | ACCESS).index(2).keynum(0, 1, 1),
];

const RANGE_COMPLEXITY: &str = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).";
const REMRANGE_COMPLEXITY: &str = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.";
const POP_COMPLEXITY: &str = "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.";
const MPOP_COMPLEXITY: &str = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.";
const UNION_COMPLEXITY: &str = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";
const INTER_COMPLEXITY: &str = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
const DIFF_COMPLEXITY: &str = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.";

// ---------------------------------------------------------------------------------
// Argument parsing
// ---------------------------------------------------------------------------------

/// One end of a score range, as Redis's `zslParseRange` reads it: an optional '(' for
/// an exclusive end, then whatever strtod reads up to the end of the argument (where C
/// sees a NUL): an empty string is 0, leading spaces pass; NaN does not.
fn parse_score_bound(s: &[u8]) -> Option<(f64, bool)> {
    let (body, exclusive) = match s.first() {
        Some(b'(') => (&s[1..], true),
        _ => (s, false),
    };
    let (v, n, _) = strtod(body);
    if body.get(n).is_some_and(|&c| c != 0) || v.is_nan() {
        return None;
    }
    Some((v, exclusive))
}

fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange> {
    match (parse_score_bound(min), parse_score_bound(max)) {
        (Some((min, min_ex)), Some((max, max_ex))) => Ok(ScoreRange {
            min,
            min_ex,
            max,
            max_ex,
        }),
        _ => Err(Error::redis(NOT_FLOAT_RANGE)),
    }
}

/// One end of a lex range: "-", "+", "[member" or "(member" (Redis's
/// `zslParseLexRangeItem`; a NUL right after '-' or '+' ends the C string there).
fn parse_lex_bound(s: &[u8]) -> Option<LexBound> {
    let alone = s.get(1).is_none_or(|&c| c == 0);
    match s.first()? {
        b'+' if alone => Some(LexBound::Max),
        b'-' if alone => Some(LexBound::Min),
        b'(' => Some(LexBound::Excl(s[1..].to_vec())),
        b'[' => Some(LexBound::Incl(s[1..].to_vec())),
        _ => None,
    }
}

fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange> {
    match (parse_lex_bound(min), parse_lex_bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => Err(Error::redis(NOT_LEX_RANGE)),
    }
}

fn int_arg(a: &[u8]) -> Result<i64> {
    parse_i64(a).ok_or_else(|| Error::redis(msg::NOT_INTEGER))
}

/// Redis's `getRangeLongFromObjectOrReply(.., 1, LONG_MAX, msg)`: `msg` both for what
/// is not an integer and for what is below 1.
fn positive_arg(a: &[u8], text: &str) -> Result<i64> {
    parse_i64(a)
        .filter(|&n| n >= 1)
        .ok_or_else(|| Error::redis(text))
}

// ---------------------------------------------------------------------------------
// Look-ups and replies
// ---------------------------------------------------------------------------------

/// A read of sorted set `key` (Redis's `lookupKeyRead`): counted as a keyspace hit or
/// miss, WRONGTYPE if the key holds another type.
pub(crate) fn read_zset(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    let m = keyspace::lookup(ctx.scope()?, key)?;
    count_lookup(ctx, m.is_some());
    match m {
        Some(m) if m.ktype != KeyType::ZSet => Err(Error::redis(msg::WRONGTYPE)),
        other => Ok(other),
    }
}

/// A write's look-up of sorted set `key`.
fn write_zset(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    keyspace::lookup_typed(ctx.scope()?, key, KeyType::ZSet)
}

fn resp3(ctx: &Ctx<'_>) -> bool {
    ctx.session.protocol >= 3
}

/// A scored pair of a reply: [member, score] in RESP3, or its two items flat.
fn push_scored(out: &mut Vec<Reply>, e: Entry, nested: bool) {
    if nested {
        out.push(Reply::Array(vec![
            Reply::Bulk(e.member),
            Reply::Double(e.score),
        ]));
    } else {
        out.push(Reply::Bulk(e.member));
        out.push(Reply::Double(e.score));
    }
}

/// Members, with their scores if `withscores` (nested pairs when `nested`).
fn entries_reply(entries: Vec<Entry>, withscores: bool, nested: bool) -> Reply {
    let mut out = Vec::with_capacity(entries.len() * if withscores && !nested { 2 } else { 1 });
    for e in entries {
        if withscores {
            push_scored(&mut out, e, nested);
        } else {
            out.push(Reply::Bulk(e.member));
        }
    }
    Reply::Array(out)
}

/// Record that `removed` members left the set `meta` (deleting it if it is empty).
fn shrink(s: Scope<'_>, meta: &KeyMeta, removed: i64) -> Result<()> {
    if removed > 0 {
        keyspace::set_len(s, meta, meta.len - removed, meta.head)?;
    }
    Ok(())
}

/// Replace whatever `dst` holds with a sorted set of `entries` (distinct members), or
/// delete it when there are none (the ...STORE commands); returns the new length.
/// The new set's encoding follows its size, as Redis converts a stored result.
fn store(s: Scope<'_>, dst: &[u8], entries: &[Entry]) -> Result<i64> {
    let existing = keyspace::lookup(s, dst)?;
    if entries.is_empty() {
        if let Some(m) = existing {
            keyspace::delete(s.conn, &m)?;
        }
        return Ok(0);
    }
    match existing {
        Some(m) => keyspace::retype(s, &m, KeyType::ZSet, None)?,
        None => {
            keyspace::create(s, dst, KeyType::ZSet, None)?;
        }
    }
    let meta = keyspace::lookup(s, dst)?
        .ok_or_else(|| Error::redis("ERR internal: stored key vanished"))?;
    zset::insert_all(s.conn, meta.id, entries)?;
    let len = entries.len() as i64;
    keyspace::set_len(s, &meta, len, 0)?;
    Ok(len)
}

// ---------------------------------------------------------------------------------
// ZADD, ZINCRBY, ZREM, and the single-member reads
// ---------------------------------------------------------------------------------

/// ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]
fn zadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let mut o = AddOptions::default();
    while let Some(a) = args.peek() {
        if eq(a, "NX") {
            o.nx = true;
        } else if eq(a, "XX") {
            o.xx = true;
        } else if eq(a, "CH") {
            o.ch = true;
        } else if eq(a, "INCR") {
            o.incr = true;
        } else if eq(a, "GT") {
            o.gt = true;
        } else if eq(a, "LT") {
            o.lt = true;
        } else {
            break;
        }
        args.next();
    }
    add_generic(ctx, key, args.rest(), o)
}

/// ZINCRBY key increment member
fn zincrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    add_generic(
        ctx,
        key,
        args.rest(),
        AddOptions {
            incr: true,
            ..AddOptions::default()
        },
    )
}

#[derive(Default, Clone, Copy)]
pub(crate) struct AddOptions {
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
    pub ch: bool,
    pub incr: bool,
}

/// Redis's `zaddGenericCommand`: the checks in its order, then each pair in turn.
pub(crate) fn add_generic(
    ctx: &mut Ctx<'_>,
    key: &[u8],
    pairs: &[&[u8]],
    o: AddOptions,
) -> Result<Reply> {
    if pairs.is_empty() || !pairs.len().is_multiple_of(2) {
        return Err(Error::redis(msg::SYNTAX));
    }
    if o.nx && o.xx {
        return Err(Error::redis(
            "ERR XX and NX options at the same time are not compatible",
        ));
    }
    if (o.nx && (o.gt || o.lt)) || (o.gt && o.lt) {
        return Err(Error::redis(
            "ERR GT, LT, and/or NX options at the same time are not compatible",
        ));
    }
    if o.incr && pairs.len() > 2 {
        return Err(Error::redis(
            "ERR INCR option supports a single increment-element pair",
        ));
    }
    let pairs: Vec<(f64, &[u8])> = pairs
        .chunks(2)
        .map(|p| parse_f64(p[0]).map(|score| (score, p[1])))
        .collect::<Option<_>>()
        .ok_or_else(|| Error::redis(msg::NOT_FLOAT))?;
    let s = ctx.scope()?;
    let (meta, created) = match write_zset(ctx, key)? {
        Some(m) => (m, false),
        None if o.xx => return Ok(if o.incr { Reply::Nil } else { Reply::Int(0) }),
        None => (keyspace::create(s, key, KeyType::ZSet, None)?, true),
    };
    let (mut added, mut updated, mut processed) = (0i64, 0i64, 0i64);
    let mut last_score = 0.0;
    let mut added_long = false;
    for &(score, member) in &pairs {
        match zset::score(s.conn, meta.id, member)? {
            Some(current) => {
                if o.nx {
                    continue;
                }
                let new = if o.incr { score + current } else { score };
                if new.is_nan() {
                    return Err(Error::redis(NAN_SCORE));
                }
                if (o.lt && new >= current) || (o.gt && new <= current) {
                    continue;
                }
                processed += 1;
                last_score = new;
                if new != current {
                    zset::update(s.conn, meta.id, member, new)?;
                    updated += 1;
                }
            }
            None => {
                if o.xx {
                    continue;
                }
                zset::insert(s.conn, meta.id, member, score)?;
                added += 1;
                added_long |= member.len() > zset::LISTPACK_MAX_VALUE;
                processed += 1;
                last_score = score;
            }
        }
    }
    // Redis creates a skiplist at once for a new key given more than 128 pairs or a
    // member over 64 bytes, and converts a listpack when an add outgrows it.
    let len = meta.len + added;
    let skiplist = meta.head != 0
        || (created
            && (pairs.len() as i64 > zset::LISTPACK_MAX_ENTRIES
                || pairs.iter().any(|p| p.1.len() > zset::LISTPACK_MAX_VALUE)))
        || (added > 0 && (len > zset::LISTPACK_MAX_ENTRIES || added_long));
    if added > 0 || created {
        keyspace::set_len(s, &meta, len, i64::from(skiplist))?;
        ctx.signal_ready(key);
    } else if updated > 0 {
        keyspace::touch(s, meta.id)?;
    }
    Ok(if o.incr {
        if processed > 0 {
            Reply::Double(last_score)
        } else {
            Reply::Nil
        }
    } else {
        Reply::Int(if o.ch { added + updated } else { added })
    })
}

/// ZREM key member [member ...]
fn zrem(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let Some(meta) = write_zset(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let s = ctx.scope()?;
    let mut removed = 0;
    for member in args.rest() {
        if zset::remove(s.conn, meta.id, member)? {
            removed += 1;
        }
    }
    shrink(s, &meta, removed)?;
    Ok(Reply::Int(removed))
}

/// ZSCORE key member
fn zscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let member = args.bytes()?;
    let Some(meta) = read_zset(ctx, key)? else {
        return Ok(Reply::Nil);
    };
    Ok(match zset::score(ctx.conn()?, meta.id, member)? {
        Some(score) => Reply::Double(score),
        None => Reply::Nil,
    })
}

/// ZMSCORE key member [member ...]
fn zmscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let meta = read_zset(ctx, key)?;
    let conn = ctx.conn()?;
    let mut out = Vec::with_capacity(args.remaining());
    for member in args.rest() {
        let score = match &meta {
            Some(m) => zset::score(conn, m.id, member)?,
            None => None,
        };
        out.push(score.map_or(Reply::Nil, Reply::Double));
    }
    Ok(Reply::Array(out))
}

/// ZCARD key
fn zcard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(
        read_zset(ctx, args.bytes()?)?.map_or(0, |m| m.len),
    ))
}

/// ZCOUNT key min max
fn zcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let range = parse_score_range(args.bytes()?, args.bytes()?)?;
    let Some(meta) = read_zset(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    Ok(Reply::Int(zset::count_by_score(
        ctx.conn()?,
        meta.id,
        &range,
    )?))
}

/// ZLEXCOUNT key min max
fn zlexcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let range = parse_lex_range(args.bytes()?, args.bytes()?)?;
    let Some(meta) = read_zset(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    Ok(Reply::Int(zset::count_by_lex(
        ctx.conn()?,
        meta.id,
        &range,
    )?))
}

/// ZRANK key member
fn zrank(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    rank_generic(ctx, args, false)
}

/// ZREVRANK key member
fn zrevrank(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    rank_generic(ctx, args, true)
}

fn rank_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, rev: bool) -> Result<Reply> {
    let key = args.bytes()?;
    let member = args.bytes()?;
    let Some(meta) = read_zset(ctx, key)? else {
        return Ok(Reply::Nil);
    };
    let conn = ctx.conn()?;
    let Some(score) = zset::score(conn, meta.id, member)? else {
        return Ok(Reply::Nil);
    };
    let rank = zset::rank(conn, meta.id, member, score)?;
    Ok(Reply::Int(if rev { meta.len - 1 - rank } else { rank }))
}

// ---------------------------------------------------------------------------------
// The ZRANGE family
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum By {
    Rank,
    Score,
    Lex,
}

/// ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
fn zrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, false, None, false)
}

/// ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]
fn zrangestore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, true, None, false)
}

/// ZREVRANGE key start stop [WITHSCORES]
fn zrevrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, false, Some(By::Rank), true)
}

/// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
fn zrangebyscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, false, Some(By::Score), false)
}

/// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
fn zrevrangebyscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, false, Some(By::Score), true)
}

/// ZRANGEBYLEX key min max [LIMIT offset count]
fn zrangebylex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, false, Some(By::Lex), false)
}

/// ZREVRANGEBYLEX key max min [LIMIT offset count]
fn zrevrangebylex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    range_generic(ctx, args, false, Some(By::Lex), true)
}

/// Redis's `zrangeGenericCommand`: options, then their conflicts, then the range, then
/// the key. `by` and `rev` are fixed by the older commands (ZREVRANGE, ZRANGEBYSCORE,
/// ...), which then refuse REV, BYSCORE and BYLEX.
fn range_generic(
    ctx: &mut Ctx<'_>,
    args: &mut Args<'_>,
    store: bool,
    fixed_by: Option<By>,
    fixed_rev: bool,
) -> Result<Reply> {
    let dst = if store { Some(args.bytes()?) } else { None };
    let key = args.bytes()?;
    let (mut lo, mut hi) = (args.bytes()?, args.bytes()?);
    let mut by = fixed_by;
    let mut rev = fixed_rev;
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    while let Some(opt) = args.next() {
        if !store && eq(opt, "WITHSCORES") {
            withscores = true;
        } else if eq(opt, "LIMIT") && args.remaining() >= 2 {
            offset = int_arg(args.bytes()?)?;
            limit = int_arg(args.bytes()?)?;
        } else if fixed_by.is_none() && !rev && eq(opt, "REV") {
            rev = true;
        } else if by.is_none() && eq(opt, "BYLEX") {
            by = Some(By::Lex);
        } else if by.is_none() && eq(opt, "BYSCORE") {
            by = Some(By::Score);
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let by = by.unwrap_or(By::Rank);
    // Redis's "no limit" is a limit of -1: LIMIT x -1 passes with a rank range.
    if limit != -1 && by == By::Rank {
        return Err(Error::redis(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        ));
    }
    if withscores && by == By::Lex {
        return Err(Error::redis(
            "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
        ));
    }
    if rev && by != By::Rank {
        // The range is given as max, min.
        std::mem::swap(&mut lo, &mut hi);
    }
    enum Parsed {
        Rank(i64, i64),
        Score(ScoreRange),
        Lex(LexRange),
    }
    let parsed = match by {
        By::Rank => Parsed::Rank(int_arg(lo)?, int_arg(hi)?),
        By::Score => Parsed::Score(parse_score_range(lo, hi)?),
        By::Lex => Parsed::Lex(parse_lex_range(lo, hi)?),
    };
    let entries = match read_zset(ctx, key)? {
        None => Vec::new(),
        Some(meta) => {
            let conn = ctx.conn()?;
            match parsed {
                Parsed::Rank(start, stop) => rank_range(conn, &meta, start, stop, rev)?,
                Parsed::Score(range) => {
                    zset::range_by_score(conn, meta.id, &range, rev, offset, limit)?
                }
                Parsed::Lex(range) => {
                    zset::range_by_lex(conn, meta.id, &range, rev, offset, limit)?
                }
            }
        }
    };
    match dst {
        Some(dst) => {
            let n = store_and_signal(ctx, dst, &entries)?;
            Ok(Reply::Int(n))
        }
        None => Ok(entries_reply(entries, withscores, resp3(ctx))),
    }
}

/// Ranks `start..=stop` as Redis reads them (negative from the end, clamped), in
/// order, or from the top if `rev`.
fn rank_range(
    conn: &rusqlite::Connection,
    meta: &KeyMeta,
    start: i64,
    stop: i64,
    rev: bool,
) -> Result<Vec<Entry>> {
    let Some((start, stop)) = clamp_ranks(meta.len, start, stop) else {
        return Ok(Vec::new());
    };
    if rev {
        let mut rows = zset::range_by_rank(
            conn,
            meta.id,
            meta.len,
            meta.len - 1 - stop,
            meta.len - 1 - start,
        )?;
        rows.reverse();
        Ok(rows)
    } else {
        zset::range_by_rank(conn, meta.id, meta.len, start, stop)
    }
}

/// Redis's index sanitising: negative counts from the end, start clamps to 0, stop to
/// the last; None when the range is empty.
fn clamp_ranks(len: i64, start: i64, stop: i64) -> Option<(i64, i64)> {
    let start = if start < 0 {
        (len + start).max(0)
    } else {
        start
    };
    let stop = if stop < 0 { len + stop } else { stop };
    if start > stop || start >= len {
        return None;
    }
    Some((start, stop.min(len - 1)))
}

/// ZREMRANGEBYRANK key start stop
fn zremrangebyrank(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let (start, stop) = (int_arg(args.bytes()?)?, int_arg(args.bytes()?)?);
    let Some(meta) = write_zset(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let Some((start, stop)) = clamp_ranks(meta.len, start, stop) else {
        return Ok(Reply::Int(0));
    };
    let s = ctx.scope()?;
    let removed = zset::remove_by_rank(s.conn, meta.id, meta.len, start, stop)?;
    shrink(s, &meta, removed)?;
    Ok(Reply::Int(removed))
}

/// ZREMRANGEBYSCORE key min max
fn zremrangebyscore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let range = parse_score_range(args.bytes()?, args.bytes()?)?;
    let Some(meta) = write_zset(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let s = ctx.scope()?;
    let removed = zset::remove_by_score(s.conn, meta.id, &range)?;
    shrink(s, &meta, removed)?;
    Ok(Reply::Int(removed))
}

/// ZREMRANGEBYLEX key min max
fn zremrangebylex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let range = parse_lex_range(args.bytes()?, args.bytes()?)?;
    let Some(meta) = write_zset(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let s = ctx.scope()?;
    let removed = zset::remove_by_lex(s.conn, meta.id, &range)?;
    shrink(s, &meta, removed)?;
    Ok(Reply::Int(removed))
}

// ---------------------------------------------------------------------------------
// Pops
// ---------------------------------------------------------------------------------

/// ZPOPMIN key [count]
fn zpopmin(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    pop_command(ctx, args, false)
}

/// ZPOPMAX key [count]
fn zpopmax(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    pop_command(ctx, args, true)
}

fn pop_command(ctx: &mut Ctx<'_>, args: &mut Args<'_>, max: bool) -> Result<Reply> {
    if args.remaining() > 2 {
        return Err(Error::redis(msg::SYNTAX));
    }
    let key = args.bytes()?;
    let count = match args.next() {
        Some(a) => Some(
            parse_i64(a)
                .filter(|&n| n >= 0)
                .ok_or_else(|| Error::redis(NOT_POSITIVE))?,
        ),
        None => None,
    };
    // RESP3 nests the pairs when a count was given, as Redis 7.0 does.
    let nested = resp3(ctx) && count.is_some();
    let popped = pop_first(ctx.scope()?, &[key], count.unwrap_or(1), max)?;
    Ok(match popped {
        Some((_, entries)) => entries_reply(entries, true, nested),
        None => Reply::Array(Vec::new()),
    })
}

/// Redis's `genericZpopCommand`: pop from the first of `keys` that exists (a key of
/// another type stops the search with WRONGTYPE); None when none exists. A count of 0
/// pops nothing from an existing set.
fn pop_first(
    s: Scope<'_>,
    keys: &[&[u8]],
    count: i64,
    max: bool,
) -> Result<Option<(Vec<u8>, Vec<Entry>)>> {
    for &key in keys {
        let Some(meta) = keyspace::lookup_typed(s, key, KeyType::ZSet)? else {
            continue;
        };
        if count == 0 {
            return Ok(Some((key.to_vec(), Vec::new())));
        }
        let popped = zset::pop(s.conn, meta.id, count, max)?;
        shrink(s, &meta, popped.len() as i64)?;
        return Ok(Some((key.to_vec(), popped)));
    }
    Ok(None)
}

/// What ZMPOP and BZMPOP read after their keys: MIN | MAX, then an optional COUNT.
fn parse_mpop_tail(args: &mut Args<'_>) -> Result<(bool, i64)> {
    let which = args.bytes()?;
    let max = if eq(which, "MIN") {
        false
    } else if eq(which, "MAX") {
        true
    } else {
        return Err(Error::redis(msg::SYNTAX));
    };
    let mut count = None;
    while let Some(opt) = args.next() {
        if count.is_none() && eq(opt, "COUNT") && !args.is_empty() {
            count = Some(positive_arg(
                args.bytes()?,
                "ERR count should be greater than 0",
            )?);
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    Ok((max, count.unwrap_or(1)))
}

/// The numkeys and keys of ZMPOP and BZMPOP; a syntax error when the keys and the
/// MIN | MAX after them do not fit in the arguments.
fn parse_numkeys<'a>(args: &mut Args<'a>) -> Result<&'a [&'a [u8]]> {
    let numkeys = positive_arg(args.bytes()?, "ERR numkeys should be greater than 0")?;
    if numkeys as u64 >= args.remaining() as u64 {
        return Err(Error::redis(msg::SYNTAX));
    }
    let rest = args.rest();
    let (keys, tail) = rest.split_at(numkeys as usize);
    *args = Args::new(tail);
    Ok(keys)
}

/// ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]
fn zmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let keys = parse_numkeys(args)?;
    let (max, count) = parse_mpop_tail(args)?;
    Ok(match pop_first(ctx.scope()?, keys, count, max)? {
        Some((key, entries)) => mpop_reply(key, entries),
        None => Reply::NilArray,
    })
}

/// ZMPOP's answer: [key, [[member, score], ...]] in both protocols.
fn mpop_reply(key: Vec<u8>, entries: Vec<Entry>) -> Reply {
    Reply::Array(vec![Reply::Bulk(key), entries_reply(entries, true, true)])
}

/// BZPOPMIN key [key ...] timeout
fn bzpopmin(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    blocking_pop(ctx, args, false)
}

/// BZPOPMAX key [key ...] timeout
fn bzpopmax(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    blocking_pop(ctx, args, true)
}

/// Redis's `blockingGenericZpopCommand` for BZPOPMIN/BZPOPMAX: the timeout first, then
/// the first key holding members answers [key, member, score] (flat in both
/// protocols); none does, the command waits on them all (see notify.rs). A waiter
/// served later runs this again and pops from its first non-empty key.
fn blocking_pop(ctx: &mut Ctx<'_>, args: &mut Args<'_>, max: bool) -> Result<Reply> {
    let rest = args.rest();
    let Some((timeout, keys)) = rest.split_last() else {
        return Err(Error::redis(msg::SYNTAX));
    };
    let deadline = notify::timeout_secs(timeout, ctx.now)?;
    match pop_first(ctx.scope()?, keys, 1, max)? {
        Some((key, entries)) => {
            let mut out = vec![Reply::Bulk(key)];
            for e in entries {
                push_scored(&mut out, e, false);
            }
            Ok(Reply::Array(out))
        }
        None => ctx.block(keys, deadline, Reply::NilArray),
    }
}

/// BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]
///
/// As ZMPOP, but waits while every key is empty; the timeout is read after the rest,
/// as Redis reads it.
fn bzmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let timeout = args.bytes()?;
    let keys = parse_numkeys(args)?;
    let (max, count) = parse_mpop_tail(args)?;
    let deadline = notify::timeout_secs(timeout, ctx.now)?;
    match pop_first(ctx.scope()?, keys, count, max)? {
        Some((key, entries)) => Ok(mpop_reply(key, entries)),
        None => ctx.block(keys, deadline, Reply::NilArray),
    }
}

// ---------------------------------------------------------------------------------
// ZRANDMEMBER
// ---------------------------------------------------------------------------------

/// The most elements ZRANDMEMBER with a negative count answers (repetitions allowed):
/// Redis streams any number until memory runs out; redlite builds the reply first and
/// refuses beyond this rather than exhausting memory.
const RANDMEMBER_MAX_REPEATS: u64 = 1 << 24;

/// ZRANDMEMBER key [count [WITHSCORES]]
fn zrandmember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let Some(count_arg) = args.next() else {
        let Some(meta) = read_zset(ctx, key)? else {
            return Ok(Reply::Nil);
        };
        let conn = ctx.conn()?;
        let rank = Rng::new().below(meta.len as u64) as i64;
        return Ok(Reply::opt_bulk(
            zset::at_rank(conn, meta.id, meta.len, rank)?.map(|e| e.member),
        ));
    };
    let count = int_arg(count_arg)?;
    if count == i64::MIN {
        return Err(Error::redis(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        ));
    }
    let withscores = match args.rest() {
        [] => false,
        [w] if eq(w, "WITHSCORES") => true,
        _ => return Err(Error::redis(msg::SYNTAX)),
    };
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return Err(Error::redis("ERR value is out of range"));
    }
    let Some(meta) = read_zset(ctx, key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let nested = resp3(ctx) && withscores;
    if count == 0 {
        return Ok(Reply::Array(Vec::new()));
    }
    let conn = ctx.conn()?;
    let len = meta.len;
    if count < 0 {
        // With repetitions, in the order drawn.
        let n = count.unsigned_abs();
        if n > RANDMEMBER_MAX_REPEATS {
            return Err(Error::redis("ERR value is out of range"));
        }
        let mut rng = Rng::new();
        let draws: Vec<i64> = (0..n).map(|_| rng.below(len as u64) as i64).collect();
        let mut ranks = draws.clone();
        ranks.sort_unstable();
        ranks.dedup();
        let rows = zset::at_ranks(conn, meta.id, &ranks)?;
        let by_rank: HashMap<i64, &Entry> = ranks.iter().copied().zip(rows.iter()).collect();
        let picked = draws
            .iter()
            .filter_map(|r| by_rank.get(r).map(|e| (*e).clone()))
            .collect();
        return Ok(entries_reply(picked, withscores, nested));
    }
    if count >= len {
        // The whole set, from the top down, as Redis's iterator walks it.
        let mut all = zset::all(conn, meta.id)?;
        all.reverse();
        return Ok(entries_reply(all, withscores, nested));
    }
    // Distinct members, in (score, member) order as from Redis's listpack.
    let mut rng = Rng::new();
    let ranks = sample_distinct(&mut rng, len, count);
    Ok(entries_reply(
        zset::at_ranks(conn, meta.id, &ranks)?,
        withscores,
        nested,
    ))
}

/// `k` distinct ranks of `0..n` (k < n), sorted (Floyd's sampling).
fn sample_distinct(rng: &mut Rng, n: i64, k: i64) -> Vec<i64> {
    let mut chosen = HashSet::with_capacity(k as usize);
    for j in (n - k)..n {
        let t = rng.below(j as u64 + 1) as i64;
        if !chosen.insert(t) {
            chosen.insert(j);
        }
    }
    let mut ranks: Vec<i64> = chosen.into_iter().collect();
    ranks.sort_unstable();
    ranks
}

// ---------------------------------------------------------------------------------
// ZUNION, ZINTER, ZDIFF and their STORE forms, ZINTERCARD
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    /// Redis's `zunionInterAggregate` (a sum of +inf and -inf is 0).
    fn apply(self, target: &mut f64, val: f64) {
        match self {
            Aggregate::Sum => {
                *target += val;
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => {
                if val < *target {
                    *target = val;
                }
            }
            Aggregate::Max => {
                if val > *target {
                    *target = val;
                }
            }
        }
    }
}

/// One input of the set algebra: a sorted set, a plain set (every member scores 1),
/// or a missing key (empty).
#[derive(Debug, Clone, Copy)]
struct Source {
    kind: Option<(KeyType, i64)>,
    len: i64,
    weight: f64,
}

impl Source {
    /// Every member and its score, unweighted.
    fn entries(&self, conn: &rusqlite::Connection) -> Result<Vec<Entry>> {
        Ok(match self.kind {
            Some((KeyType::ZSet, id)) => zset::all(conn, id)?,
            Some((_, id)) => set::members(conn, id)?
                .into_iter()
                .map(|member| Entry { member, score: 1.0 })
                .collect(),
            None => Vec::new(),
        })
    }

    /// The unweighted score of `member`, if it is in this input.
    fn score(&self, conn: &rusqlite::Connection, member: &[u8]) -> Result<Option<f64>> {
        Ok(match self.kind {
            Some((KeyType::ZSet, id)) => zset::score(conn, id, member)?,
            Some((_, id)) => set::contains(conn, id, member)?.then_some(1.0),
            None => None,
        })
    }
}

/// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]
fn zunion(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Union, false, false)
}

/// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]
fn zinter(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Inter, false, false)
}

/// ZDIFF numkeys key [key ...] [WITHSCORES]
fn zdiff(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Diff, false, false)
}

/// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]
fn zunionstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Union, true, false)
}

/// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]
fn zinterstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Inter, true, false)
}

/// ZDIFFSTORE destination numkeys key [key ...]
fn zdiffstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Diff, true, false)
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
fn zintercard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    setop_generic(ctx, args, SetOp::Inter, false, true)
}

/// Redis's `zunionInterDiffGenericCommand`: numkeys, the keys (looked up, WRONGTYPE
/// before any option is read), the options, then the algebra in Redis's order of
/// inputs, so that sums of floats round as Redis's do.
fn setop_generic(
    ctx: &mut Ctx<'_>,
    args: &mut Args<'_>,
    op: SetOp,
    store: bool,
    card_only: bool,
) -> Result<Reply> {
    let dst = if store { Some(args.bytes()?) } else { None };
    let numkeys = int_arg(args.bytes()?)?;
    if numkeys < 1 {
        return Err(Error::redis(format!(
            "ERR at least 1 input key is needed for '{}' command",
            ctx.spec.name
        )));
    }
    if numkeys as u64 > args.remaining() as u64 {
        return Err(Error::redis(msg::SYNTAX));
    }
    let mut sources = Vec::with_capacity(numkeys as usize);
    for _ in 0..numkeys {
        let key = args.bytes()?;
        let m = keyspace::lookup(ctx.scope()?, key)?;
        count_lookup(ctx, m.is_some());
        sources.push(match m {
            Some(m) if m.ktype == KeyType::ZSet || m.ktype == KeyType::Set => Source {
                kind: Some((m.ktype, m.id)),
                len: m.len,
                weight: 1.0,
            },
            Some(_) => return Err(Error::redis(msg::WRONGTYPE)),
            None => Source {
                kind: None,
                len: 0,
                weight: 1.0,
            },
        });
    }
    let mut aggregate = Aggregate::Sum;
    let mut withscores = false;
    let mut limit = 0i64;
    while let Some(opt) = args.next() {
        // `left` counts the option word itself, as Redis's `remaining` does.
        let left = args.remaining() + 1;
        let algebra = op != SetOp::Diff && !card_only;
        if algebra && left > sources.len() && eq(opt, "WEIGHTS") {
            for src in sources.iter_mut() {
                src.weight = parse_f64(args.bytes()?)
                    .ok_or_else(|| Error::redis("ERR weight value is not a float"))?;
            }
        } else if algebra && left >= 2 && eq(opt, "AGGREGATE") {
            let a = args.bytes()?;
            aggregate = if eq(a, "SUM") {
                Aggregate::Sum
            } else if eq(a, "MIN") {
                Aggregate::Min
            } else if eq(a, "MAX") {
                Aggregate::Max
            } else {
                return Err(Error::redis(msg::SYNTAX));
            };
        } else if !store && !card_only && eq(opt, "WITHSCORES") {
            withscores = true;
        } else if card_only && left >= 2 && eq(opt, "LIMIT") {
            limit = parse_i64(args.bytes()?)
                .filter(|&n| n >= 0)
                .ok_or_else(|| Error::redis("ERR LIMIT can't be negative"))?;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let conn = ctx.conn()?;
    if op != SetOp::Diff {
        // Smallest first, as Redis sorts its inputs (stable, as glibc's qsort is here).
        sources.sort_by_key(|s| s.len);
    }
    if card_only {
        return Ok(Reply::Int(inter_card(conn, &sources, limit)?));
    }
    let mut result = match op {
        SetOp::Union => union(conn, &sources, aggregate)?,
        SetOp::Inter => inter(conn, &sources, aggregate)?,
        SetOp::Diff => diff(conn, &sources)?,
    };
    // Scores are never NaN here; -0 and 0 compare equal, as in Redis's skiplist.
    result.sort_by(|a, b| {
        a.score
            .partial_cmp(&b.score)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.member.cmp(&b.member))
    });
    match dst {
        Some(dst) => Ok(Reply::Int(store_and_signal(ctx, dst, &result)?)),
        None => Ok(entries_reply(result, withscores, resp3(ctx))),
    }
}

/// Redis's union: every input in turn, each member's weighted score (a NaN product,
/// 0 times infinity, counts as 0) aggregated into the first one met.
fn union(
    conn: &rusqlite::Connection,
    sources: &[Source],
    aggregate: Aggregate,
) -> Result<Vec<Entry>> {
    let mut acc: HashMap<Vec<u8>, f64> = HashMap::new();
    let mut order: Vec<Vec<u8>> = Vec::new();
    for src in sources {
        for e in src.entries(conn)? {
            let mut score = src.weight * e.score;
            if score.is_nan() {
                score = 0.0;
            }
            match acc.get_mut(&e.member) {
                Some(target) => aggregate.apply(target, score),
                None => {
                    order.push(e.member.clone());
                    acc.insert(e.member, score);
                }
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|member| {
            let score = acc.get(&member).copied().unwrap_or(0.0);
            Entry { member, score }
        })
        .collect())
}

/// Redis's intersection: the members of the smallest input found in every other,
/// aggregated input by input (there a NaN product is not zeroed first: a SUM turns it
/// into 0, MIN and MAX ignore it).
fn inter(
    conn: &rusqlite::Connection,
    sources: &[Source],
    aggregate: Aggregate,
) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let Some((first, others)) = sources.split_first() else {
        return Ok(out);
    };
    if first.len == 0 {
        return Ok(out);
    }
    'members: for e in first.entries(conn)? {
        let mut score = first.weight * e.score;
        if score.is_nan() {
            score = 0.0;
        }
        for src in others {
            match src.score(conn, &e.member)? {
                Some(v) => aggregate.apply(&mut score, v * src.weight),
                None => continue 'members,
            }
        }
        out.push(Entry {
            member: e.member,
            score,
        });
    }
    Ok(out)
}

/// ZINTERCARD: how many members the intersection has, stopping at `limit` (0: none).
fn inter_card(conn: &rusqlite::Connection, sources: &[Source], limit: i64) -> Result<i64> {
    let Some((first, others)) = sources.split_first() else {
        return Ok(0);
    };
    let mut n = 0;
    'members: for e in first.entries(conn)? {
        for src in others {
            if src.score(conn, &e.member)?.is_none() {
                continue 'members;
            }
        }
        n += 1;
        if limit > 0 && n >= limit {
            break;
        }
    }
    Ok(n)
}

/// Redis's difference: the members of the first input in none of the others, with
/// their scores in the first (no weights).
fn diff(conn: &rusqlite::Connection, sources: &[Source]) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    let Some((first, others)) = sources.split_first() else {
        return Ok(out);
    };
    'members: for e in first.entries(conn)? {
        for src in others {
            if src.score(conn, &e.member)?.is_some() {
                continue 'members;
            }
        }
        out.push(e);
    }
    Ok(out)
}

/// Store a result (ZRANGESTORE, ZUNIONSTORE, ...) and wake what waits on `dst`.
pub(crate) fn store_and_signal(ctx: &Ctx<'_>, dst: &[u8], entries: &[Entry]) -> Result<i64> {
    let n = store(ctx.scope()?, dst, entries)?;
    if n > 0 {
        ctx.signal_ready(dst);
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------
// ZSCAN
// ---------------------------------------------------------------------------------

/// Redis's `d2string`, how a listpack holds a score and so how ZSCAN shows it there:
/// integers (within ±2^62) as integers, else `%.17g`.
fn d2string(d: f64) -> String {
    if d.is_nan() || d.is_infinite() {
        return format_double(d);
    }
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if (-LIMIT..=LIMIT).contains(&d) && d == d.trunc() {
        return format!("{}", d as i64);
    }
    format_g(d, 17)
}

/// ZSCAN key cursor [MATCH pattern] [COUNT count]
///
/// A set Redis would keep as a listpack (at most 128 members of at most 64 bytes)
/// comes back whole in one page, in (score, member) order, with cursor 0, as Redis
/// answers. A larger one is paged in member order: the cursor carries the first bytes
/// of the next page's first member, a page runs until COUNT members and then on to
/// the end of the members sharing the last one's cursor (see scan.rs), so every page
/// makes progress. A member present for the whole walk is returned at least once,
/// however the set changes between calls, and once only if the set does not change.
fn zscan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let cursor = parse_cursor(args.bytes()?)?;
    let page = scan_reply;
    let Some(meta) = read_zset(ctx, key)? else {
        return Ok(page(0, Vec::new()));
    };
    let mut count: i64 = 10;
    let mut pattern: Option<&[u8]> = None;
    while let Some(opt) = args.next() {
        if eq(opt, "COUNT") && !args.is_empty() {
            count = int_arg(args.bytes()?)?;
            if count < 1 {
                return Err(Error::redis(msg::SYNTAX));
            }
        } else if eq(opt, "MATCH") && !args.is_empty() {
            pattern = Some(args.bytes()?).filter(|p| !glob::is_match_all(p));
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let conn = ctx.conn()?;
    let listpack = zset::is_listpack(conn, meta.id, meta.len, meta.head != 0)?;
    let (next, entries, format): (u64, Vec<Entry>, fn(f64) -> String) = if listpack {
        (0, zset::all(conn, meta.id)?, d2string)
    } else {
        // A page: COUNT members, then on while they share the last one's cursor; the
        // first member refused starts the next page.
        let (rows, refused) =
            zset::members_from(conn, meta.id, &scan_start(cursor), page_keeper(count))?;
        let next = refused.map_or(0, |e| scan_cursor_of(&e.member));
        (next, rows, format_double)
    };
    let mut items = Vec::new();
    for e in entries {
        if pattern.is_none_or(|p| glob::matches(p, &e.member)) {
            items.push(Reply::Bulk(e.member));
            items.push(Reply::bulk(format(e.score)));
        }
    }
    Ok(page(next, items))
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("zadd", -4, zadd)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "1.2.0",
            "Add one or more members to a sorted set, or update its score if it already exists",
            "ZADD key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]",
        )
        .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
        .history(&[
            ("2.4.0", "Accepts multiple elements."),
            ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."),
            ("6.2.0", "Added the `GT` and `LT` options."),
        ]),
    Spec::write("zrem", -3, zrem)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write", "fast"])
        .acl(&["write", "sortedset", "fast"])
        .doc("sorted-set", "1.2.0", "Remove one or more members from a sorted set", "ZREM key member [member ...]")
        .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.")
        .history(&[("2.4.0", "Accepts multiple elements.")]),
    Spec::read("zscore", 3, zscore)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc("sorted-set", "1.2.0", "Get the score associated with the given member in a sorted set", "ZSCORE key member")
        .complexity("O(1)"),
    Spec::read("zmscore", -3, zmscore)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "6.2.0",
            "Get the score associated with the given members in a sorted set",
            "ZMSCORE key member [member ...]",
        )
        .complexity("O(N) where N is the number of members being requested."),
    Spec::write("zincrby", 4, zincrby)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "sortedset", "fast"])
        .doc("sorted-set", "1.2.0", "Increment the score of a member in a sorted set", "ZINCRBY key increment member")
        .complexity("O(log(N)) where N is the number of elements in the sorted set."),
    Spec::read("zcard", 2, zcard)
        .keys(1, 1, 1)
        .key_specs(KS_RO)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc("sorted-set", "1.2.0", "Get the number of members in a sorted set", "ZCARD key")
        .complexity("O(1)"),
    Spec::read("zcount", 4, zcount)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "2.0.0",
            "Count the members in a sorted set with scores within the given values",
            "ZCOUNT key min max",
        )
        .complexity("O(log(N)) with N being the number of elements in the sorted set."),
    Spec::read("zlexcount", 4, zlexcount)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "2.8.9",
            "Count the number of members in a sorted set between a given lexicographical range",
            "ZLEXCOUNT key min max",
        )
        .complexity("O(log(N)) with N being the number of elements in the sorted set."),
    Spec::read("zrank", 3, zrank)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc("sorted-set", "2.0.0", "Determine the index of a member in a sorted set", "ZRANK key member")
        .complexity("O(log(N))"),
    Spec::read("zrevrank", 3, zrevrank)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly", "fast"])
        .acl(&["read", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "2.0.0",
            "Determine the index of a member in a sorted set, with scores ordered from high to low",
            "ZREVRANK key member",
        )
        .complexity("O(log(N))"),
    Spec::read("zrange", -4, zrange)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "1.2.0",
            "Return a range of members in a sorted set",
            "ZRANGE key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]",
        )
        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.")
        .history(&[("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")]),
    Spec::write("zrangestore", -5, zrangestore)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "6.2.0",
            "Store a range of members from sorted set into another key",
            "ZRANGESTORE dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]",
        )
        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key."),
    Spec::read("zrevrange", -4, zrevrange)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "1.2.0",
            "Return a range of members in a sorted set, by index, with scores ordered from high to low",
            "ZREVRANGE key start stop [WITHSCORES]",
        )
        .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.")
        .deprecated("6.2.0", "`ZRANGE` with the `REV` argument"),
    Spec::read("zrangebyscore", -4, zrangebyscore)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "1.0.5",
            "Return a range of members in a sorted set, by score",
            "ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]",
        )
        .complexity(RANGE_COMPLEXITY)
        .deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument")
        .history(&[("2.0.0", "Added the `WITHSCORES` modifier.")]),
    Spec::read("zrevrangebyscore", -4, zrevrangebyscore)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.2.0",
            "Return a range of members in a sorted set, by score, with scores ordered from high to low",
            "ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]",
        )
        .complexity(RANGE_COMPLEXITY)
        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments")
        .history(&[("2.1.6", "`min` and `max` can be exclusive.")]),
    Spec::read("zrangebylex", -4, zrangebylex)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.8.9",
            "Return a range of members in a sorted set, by lexicographical range",
            "ZRANGEBYLEX key min max [LIMIT offset count]",
        )
        .complexity(RANGE_COMPLEXITY)
        .deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument"),
    Spec::read("zrevrangebylex", -4, zrevrangebylex)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.8.9",
            "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
            "ZREVRANGEBYLEX key max min [LIMIT offset count]",
        )
        .complexity(RANGE_COMPLEXITY)
        .deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments"),
    Spec::write("zremrangebyrank", 4, zremrangebyrank)
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.0.0",
            "Remove all members in a sorted set within the given indexes",
            "ZREMRANGEBYRANK key start stop",
        )
        .complexity(REMRANGE_COMPLEXITY),
    Spec::write("zremrangebyscore", 4, zremrangebyscore)
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "1.2.0",
            "Remove all members in a sorted set within the given scores",
            "ZREMRANGEBYSCORE key min max",
        )
        .complexity(REMRANGE_COMPLEXITY),
    Spec::write("zremrangebylex", 4, zremrangebylex)
        .keys(1, 1, 1)
        .key_specs(KS_DELETE)
        .flags(&["write"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.8.9",
            "Remove all members in a sorted set between the given lexicographical range",
            "ZREMRANGEBYLEX key min max",
        )
        .complexity(REMRANGE_COMPLEXITY),
    Spec::write("zpopmin", -2, zpopmin)
        .keys(1, 1, 1)
        .key_specs(KS_POP)
        .flags(&["write", "fast"])
        .acl(&["write", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "5.0.0",
            "Remove and return members with the lowest scores in a sorted set",
            "ZPOPMIN key [count]",
        )
        .complexity(POP_COMPLEXITY),
    Spec::write("zpopmax", -2, zpopmax)
        .keys(1, 1, 1)
        .key_specs(KS_POP)
        .flags(&["write", "fast"])
        .acl(&["write", "sortedset", "fast"])
        .doc(
            "sorted-set",
            "5.0.0",
            "Remove and return members with the highest scores in a sorted set",
            "ZPOPMAX key [count]",
        )
        .complexity(POP_COMPLEXITY),
    Spec::write("zmpop", -4, zmpop)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).keynum(0, 1, 1)])
        .flags(&["write", "movablekeys"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "7.0.0",
            "Remove and return members with scores in a sorted set",
            "ZMPOP numkeys key [key ...] <MIN | MAX> [COUNT count]",
        )
        .complexity(MPOP_COMPLEXITY),
    Spec::read("zrandmember", -2, zrandmember)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "sorted-set",
            "6.2.0",
            "Get one or multiple random elements from a sorted set",
            "ZRANDMEMBER key [count [WITHSCORES]]",
        )
        .complexity("O(N) where N is the number of elements returned"),
    Spec::read("zunion", -3, zunion)
        .keys(0, 0, 0)
        .key_specs(KS_READ_NUMKEYS)
        .flags(&["readonly", "movablekeys"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "6.2.0",
            "Add multiple sorted sets",
            "ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]",
        )
        .complexity(UNION_COMPLEXITY),
    Spec::read("zinter", -3, zinter)
        .keys(0, 0, 0)
        .key_specs(KS_READ_NUMKEYS)
        .flags(&["readonly", "movablekeys"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "6.2.0",
            "Intersect multiple sorted sets",
            "ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]",
        )
        .complexity(INTER_COMPLEXITY),
    Spec::read("zdiff", -3, zdiff)
        .keys(0, 0, 0)
        .key_specs(KS_READ_NUMKEYS)
        .flags(&["readonly", "movablekeys"])
        .acl(&["read", "sortedset", "slow"])
        .doc("sorted-set", "6.2.0", "Subtract multiple sorted sets", "ZDIFF numkeys key [key ...] [WITHSCORES]")
        .complexity(DIFF_COMPLEXITY),
    Spec::write("zunionstore", -4, zunionstore)
        .keys(1, 1, 1)
        .key_specs(KS_STORE_NUMKEYS)
        .flags(&["write", "denyoom", "movablekeys"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.0.0",
            "Add multiple sorted sets and store the resulting sorted set in a new key",
            "ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]",
        )
        .complexity("O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."),
    Spec::write("zinterstore", -4, zinterstore)
        .keys(1, 1, 1)
        .key_specs(KS_STORE_NUMKEYS)
        .flags(&["write", "denyoom", "movablekeys"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "2.0.0",
            "Intersect multiple sorted sets and store the resulting sorted set in a new key",
            "ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]",
        )
        .complexity(INTER_COMPLEXITY),
    Spec::write("zdiffstore", -4, zdiffstore)
        .keys(1, 1, 1)
        .key_specs(KS_STORE_NUMKEYS)
        .flags(&["write", "denyoom", "movablekeys"])
        .acl(&["write", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "6.2.0",
            "Subtract multiple sorted sets and store the resulting sorted set in a new key",
            "ZDIFFSTORE destination numkeys key [key ...]",
        )
        .complexity(DIFF_COMPLEXITY),
    Spec::read("zintercard", -3, zintercard)
        .keys(0, 0, 0)
        .key_specs(KS_READ_NUMKEYS)
        .flags(&["readonly", "movablekeys"])
        .acl(&["read", "sortedset", "slow"])
        .doc(
            "sorted-set",
            "7.0.0",
            "Intersect multiple sorted sets and return the cardinality of the result",
            "ZINTERCARD numkeys key [key ...] [LIMIT limit]",
        )
        .complexity("O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets."),
    Spec::read("zscan", -3, zscan)
        .keys(1, 1, 1)
        .key_specs(KS_READ)
        .flags(&["readonly"])
        .acl(&["read", "sortedset", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "sorted-set",
            "2.8.0",
            "Incrementally iterate sorted sets elements and associated scores",
            "ZSCAN key cursor [MATCH pattern] [COUNT count]",
        )
        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.."),
    Spec::write("bzpopmin", -3, bzpopmin)
        .keys(1, -2, 1)
        .key_specs(KS_BLOCKING_POP)
        .flags(&["write", "noscript", "blocking", "fast"])
        .acl(&["write", "sortedset", "fast", "blocking"])
        .doc(
            "sorted-set",
            "5.0.0",
            "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
            "BZPOPMIN key [key ...] timeout",
        )
        .complexity("O(log(N)) with N being the number of elements in the sorted set.")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    Spec::write("bzpopmax", -3, bzpopmax)
        .keys(1, -2, 1)
        .key_specs(KS_BLOCKING_POP)
        .flags(&["write", "noscript", "blocking", "fast"])
        .acl(&["write", "sortedset", "fast", "blocking"])
        .doc(
            "sorted-set",
            "5.0.0",
            "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
            "BZPOPMAX key [key ...] timeout",
        )
        .complexity("O(log(N)) with N being the number of elements in the sorted set.")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    Spec::write("bzmpop", -5, bzmpop)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(2).keynum(0, 1, 1)])
        .flags(&["write", "blocking", "movablekeys"])
        .acl(&["write", "sortedset", "slow", "blocking"])
        .doc(
            "sorted-set",
            "7.0.0",
            "Remove and return members with scores in a sorted set or block until one is available",
            "BZMPOP timeout numkeys key [key ...] <MIN | MAX> [COUNT count]",
        )
        .complexity(MPOP_COMPLEXITY),
];
