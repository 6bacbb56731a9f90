//! List commands, blocking pops included.
//!
//! The blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) run as their
//! non-blocking forms; finding every key empty they call `ctx.block` (see notify.rs),
//! and they run again, first come first served, when a push makes one of their keys
//! ready. Every push signals its key (`ctx.signal_ready`).

use crate::command::args::{eq, parse_i64};
use crate::command::keyspec::{getkeys, ACCESS, DELETE, INSERT, RO, RW, UPDATE};
use crate::command::lookup::count_lookup;
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType, Scope};
use crate::notify;
use crate::reply::Reply;
use crate::types::list::{self, End, Span};

const PUSH_COMPLEXITY: &str =
    "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.";

// ---------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------

/// A key and the elements popped from it.
type Popped = (Vec<u8>, Vec<Vec<u8>>);

fn span(m: &KeyMeta) -> Span {
    Span {
        head: m.head,
        len: m.len,
    }
}

/// The list `key` for a write (WRONGTYPE if it holds another type).
fn write_lookup(s: Scope<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    keyspace::lookup_typed(s, key, KeyType::List)
}

/// The list `key` for a read, counted as a keyspace hit or miss as Redis's
/// `lookupKeyRead` counts it (before the type check).
fn read_lookup(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    let m = keyspace::lookup(ctx.scope()?, key)?;
    count_lookup(ctx, m.is_some());
    match m {
        Some(m) if m.ktype != KeyType::List => Err(Error::redis(msg::WRONGTYPE)),
        other => Ok(other),
    }
}

/// Store the new span of list `m` after a write (deleting it if it became empty).
fn store_span(s: Scope<'_>, m: &KeyMeta, after: Span) -> Result<()> {
    keyspace::set_len(s, m, after.len, after.head)
}

/// LEFT or RIGHT, as LMOVE and LMPOP read it.
fn end_arg(arg: &[u8]) -> Result<End> {
    if eq(arg, "LEFT") {
        Ok(End::Left)
    } else if eq(arg, "RIGHT") {
        Ok(End::Right)
    } else {
        Err(Error::redis(msg::SYNTAX))
    }
}

/// Redis's `getRangeLongFromObjectOrReply(min..=LONG_MAX)` with a message of its own:
/// a non-integer gets the same message as an out-of-range one.
fn int_at_least(arg: &[u8], min: i64, message: &str) -> Result<i64> {
    match parse_i64(arg) {
        Some(n) if n >= min => Ok(n),
        _ => Err(Error::redis(message)),
    }
}

/// Redis's index arithmetic (LINDEX, LSET): a negative index counts from the end;
/// `None` if it falls outside the list.
fn index_in(len: i64, index: i64) -> Option<i64> {
    let i = if index < 0 {
        len.checked_add(index)?
    } else {
        index
    };
    (0..len).contains(&i).then_some(i)
}

/// Push `values` onto list `key` at `end`, creating it if `create`; the new length
/// (0 when the key is missing and not created).
fn push_values(ctx: &Ctx<'_>, key: &[u8], values: &[&[u8]], end: End, create: bool) -> Result<i64> {
    let s = ctx.scope()?;
    let m = match write_lookup(s, key)? {
        Some(m) => m,
        None if !create => return Ok(0),
        None => new_list(s, key)?,
    };
    let after = list::push(s.conn, m.id, span(&m), values, end)?;
    store_span(s, &m, after)?;
    ctx.signal_ready(key);
    Ok(after.len)
}

/// A new, empty list key (the caller pushes at once, so it never stays empty).
fn new_list(s: Scope<'_>, key: &[u8]) -> Result<KeyMeta> {
    keyspace::create(s, key, KeyType::List, None)
}

// ---------------------------------------------------------------------------------
// Pushes
// ---------------------------------------------------------------------------------

/// LPUSH key element [element ...]
fn lpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(push_values(
        ctx,
        key,
        args.rest(),
        End::Left,
        true,
    )?))
}

/// RPUSH key element [element ...]
fn rpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(push_values(
        ctx,
        key,
        args.rest(),
        End::Right,
        true,
    )?))
}

/// LPUSHX key element [element ...]
fn lpushx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(push_values(
        ctx,
        key,
        args.rest(),
        End::Left,
        false,
    )?))
}

/// RPUSHX key element [element ...]
fn rpushx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(push_values(
        ctx,
        key,
        args.rest(),
        End::Right,
        false,
    )?))
}

// ---------------------------------------------------------------------------------
// Pops
// ---------------------------------------------------------------------------------

/// LPOP key [count]
fn lpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    pop_command(ctx, args, End::Left)
}

/// RPOP key [count]
fn rpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    pop_command(ctx, args, End::Right)
}

fn pop_command(ctx: &mut Ctx<'_>, args: &mut Args<'_>, end: End) -> Result<Reply> {
    if args.remaining() > 2 {
        return Err(Error::redis(msg::wrong_arity(ctx.spec.name)));
    }
    let key = args.bytes()?;
    let count = match args.next() {
        Some(a) => Some(int_at_least(
            a,
            0,
            "ERR value is out of range, must be positive",
        )?),
        None => None,
    };
    let s = ctx.scope()?;
    let Some(m) = write_lookup(s, key)? else {
        return Ok(if count.is_some() {
            Reply::NilArray
        } else {
            Reply::Nil
        });
    };
    let (values, after) = list::pop(s.conn, m.id, span(&m), count.unwrap_or(1), end)?;
    if count != Some(0) {
        store_span(s, &m, after)?;
    }
    Ok(match count {
        Some(_) => Reply::Array(values.into_iter().map(Reply::Bulk).collect()),
        None => Reply::opt_bulk(values.into_iter().next()),
    })
}

/// Pop up to `count` elements from the first non-empty list of `keys`: the key and
/// the elements, or `None` if every key is missing. WRONGTYPE for a key of another
/// type met before a non-empty list.
fn pop_first(s: Scope<'_>, keys: &[&[u8]], end: End, count: i64) -> Result<Option<Popped>> {
    for &key in keys {
        if let Some(m) = write_lookup(s, key)? {
            let (values, after) = list::pop(s.conn, m.id, span(&m), count, end)?;
            store_span(s, &m, after)?;
            return Ok(Some((key.to_vec(), values)));
        }
    }
    Ok(None)
}

/// BLPOP key [key ...] timeout
fn blpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    blocking_pop(ctx, args, End::Left)
}

/// BRPOP key [key ...] timeout
fn brpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    blocking_pop(ctx, args, End::Right)
}

fn blocking_pop(ctx: &mut Ctx<'_>, args: &mut Args<'_>, end: End) -> Result<Reply> {
    let all = args.rest();
    let (timeout, keys) = all.split_last().ok_or_else(|| Error::redis(msg::SYNTAX))?;
    let deadline = notify::timeout_secs(timeout, ctx.now)?;
    match pop_first(ctx.scope()?, keys, end, 1)? {
        Some((key, mut values)) => {
            let value = values.pop().unwrap_or_default();
            Ok(Reply::Array(vec![Reply::Bulk(key), Reply::Bulk(value)]))
        }
        None => ctx.block(keys, deadline, Reply::NilArray),
    }
}

/// LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
fn lmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (keys, end, count) = mpop_args(args)?;
    mpop_reply(pop_first(ctx.scope()?, &keys, end, count)?)
}

/// BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]
fn blmpop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    // Redis reads the timeout last, after the rest.
    let timeout = args.bytes()?;
    let (keys, end, count) = mpop_args(args)?;
    let deadline = notify::timeout_secs(timeout, ctx.now)?;
    match pop_first(ctx.scope()?, &keys, end, count)? {
        Some(popped) => mpop_reply(Some(popped)),
        None => ctx.block(&keys, deadline, Reply::NilArray),
    }
}

/// LMPOP's arguments after the command's own: the keys, the end, the count (1 if
/// not given), read as Redis's `lmpopGenericCommand` reads them.
fn mpop_args<'a>(args: &mut Args<'a>) -> Result<(Vec<&'a [u8]>, End, i64)> {
    let numkeys = int_at_least(args.bytes()?, 1, "ERR numkeys should be greater than 0")?;
    if numkeys >= args.remaining() as i64 {
        return Err(Error::redis(msg::SYNTAX));
    }
    let keys: Vec<&[u8]> = (0..numkeys).filter_map(|_| args.next()).collect();
    let end = end_arg(args.bytes()?)?;
    let mut count = None;
    while let Some(opt) = args.next() {
        if count.is_none() && eq(opt, "COUNT") && !args.is_empty() {
            count = Some(int_at_least(
                args.bytes()?,
                1,
                "ERR count should be greater than 0",
            )?);
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    Ok((keys, end, count.unwrap_or(1)))
}

fn mpop_reply(popped: Option<Popped>) -> Result<Reply> {
    Ok(match popped {
        Some((key, values)) => Reply::Array(vec![
            Reply::Bulk(key),
            Reply::Array(values.into_iter().map(Reply::Bulk).collect()),
        ]),
        None => Reply::NilArray,
    })
}

// ---------------------------------------------------------------------------------
// Moves
// ---------------------------------------------------------------------------------

/// Pop from `src` at `from` and push onto `dst` at `to`: the element, or `None` if
/// `src` is missing. WRONGTYPE if `src` holds another type, or `dst` does while
/// `src` has an element.
fn move_one(ctx: &Ctx<'_>, src: &[u8], dst: &[u8], from: End, to: End) -> Result<Option<Vec<u8>>> {
    let s = ctx.scope()?;
    let Some(sm) = write_lookup(s, src)? else {
        return Ok(None);
    };
    let dm = write_lookup(s, dst)?;
    let (mut values, after) = list::pop(s.conn, sm.id, span(&sm), 1, from)?;
    let Some(value) = values.pop() else {
        return Ok(None);
    };
    if dm.is_some_and(|d| d.id == sm.id) {
        // Rotation of one list: the popped element goes back in, the key stays.
        let rotated = list::push(s.conn, sm.id, after, &[&value], to)?;
        store_span(s, &sm, rotated)?;
    } else {
        store_span(s, &sm, after)?;
        let dm = match dm {
            Some(d) => d,
            None => new_list(s, dst)?,
        };
        let pushed = list::push(s.conn, dm.id, span(&dm), &[&value], to)?;
        store_span(s, &dm, pushed)?;
    }
    ctx.signal_ready(dst);
    Ok(Some(value))
}

/// LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>
fn lmove(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (args.bytes()?, args.bytes()?);
    let (from, to) = (end_arg(args.bytes()?)?, end_arg(args.bytes()?)?);
    Ok(Reply::opt_bulk(move_one(ctx, src, dst, from, to)?))
}

/// RPOPLPUSH source destination
fn rpoplpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (args.bytes()?, args.bytes()?);
    Ok(Reply::opt_bulk(move_one(
        ctx,
        src,
        dst,
        End::Right,
        End::Left,
    )?))
}

/// BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout
fn blmove(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (args.bytes()?, args.bytes()?);
    let (from, to) = (end_arg(args.bytes()?)?, end_arg(args.bytes()?)?);
    let deadline = notify::timeout_secs(args.bytes()?, ctx.now)?;
    blocking_move(ctx, src, dst, from, to, deadline)
}

/// BRPOPLPUSH source destination timeout
fn brpoplpush(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (src, dst) = (args.bytes()?, args.bytes()?);
    let deadline = notify::timeout_secs(args.bytes()?, ctx.now)?;
    blocking_move(ctx, src, dst, End::Right, End::Left, deadline)
}

fn blocking_move(
    ctx: &mut Ctx<'_>,
    src: &[u8],
    dst: &[u8],
    from: End,
    to: End,
    deadline: Option<i64>,
) -> Result<Reply> {
    match move_one(ctx, src, dst, from, to)? {
        Some(value) => Ok(Reply::Bulk(value)),
        None => ctx.block(&[src], deadline, Reply::Nil),
    }
}

// ---------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------

/// LLEN key
fn llen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(read_lookup(ctx, key)?.map_or(0, |m| m.len)))
}

/// LRANGE key start stop
fn lrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let (start, stop) = (args.int()?, args.int()?);
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let Some((start, stop)) = clamp_range(m.len, start, stop) else {
        return Ok(Reply::Array(Vec::new()));
    };
    let values = list::range(ctx.conn()?, m.id, span(&m), start, stop)?;
    Ok(Reply::Array(values.into_iter().map(Reply::Bulk).collect()))
}

/// Redis's LRANGE / LTRIM range arithmetic: negative indexes count from the end,
/// then the range is clamped to the list; `None` if nothing is left.
fn clamp_range(len: i64, start: i64, stop: i64) -> Option<(i64, i64)> {
    let start = if start < 0 {
        len.saturating_add(start)
    } else {
        start
    }
    .max(0);
    let stop = if stop < 0 {
        len.saturating_add(stop)
    } else {
        stop
    };
    if start > stop || start >= len {
        return None;
    }
    Some((start, stop.min(len - 1)))
}

/// LINDEX key index
fn lindex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Nil);
    };
    let index = args.int()?;
    match index_in(m.len, index) {
        Some(i) => Ok(Reply::opt_bulk(list::get(ctx.conn()?, m.id, span(&m), i)?)),
        None => Ok(Reply::Nil),
    }
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
fn lpos(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let element = args.bytes()?;
    let (mut rank, mut count, mut maxlen) = (1i64, None::<i64>, 0i64);
    while let Some(opt) = args.next() {
        let more = !args.is_empty();
        if eq(opt, "RANK") && more {
            rank = args.int()?;
            if rank == 0 {
                return Err(Error::redis(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
                ));
            }
        } else if eq(opt, "COUNT") && more {
            count = Some(int_at_least(
                args.bytes()?,
                0,
                "ERR COUNT can't be negative",
            )?);
        } else if eq(opt, "MAXLEN") && more {
            maxlen = int_at_least(args.bytes()?, 0, "ERR MAXLEN can't be negative")?;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(if count.is_some() {
            Reply::Array(Vec::new())
        } else {
            Reply::Nil
        });
    };
    let from = if rank < 0 { End::Right } else { End::Left };
    // Redis negates the rank in a long: LONG_MIN stays negative, so every match
    // counts from the first one on, and no COUNT limit is ever reached.
    let (skip, unlimited) = match rank.checked_abs() {
        Some(r) => (r - 1, false),
        None => (0, true),
    };
    let limit = match count {
        None => Some(1),
        Some(0) => None,
        Some(_) if unlimited => None,
        Some(c) => Some(c),
    };
    let found = list::positions(
        ctx.conn()?,
        m.id,
        span(&m),
        element,
        from,
        maxlen,
        skip,
        limit,
    )?;
    Ok(match count {
        Some(_) => Reply::Array(found.into_iter().map(Reply::Int).collect()),
        None => found.first().map_or(Reply::Nil, |&i| Reply::Int(i)),
    })
}

// ---------------------------------------------------------------------------------
// Edits
// ---------------------------------------------------------------------------------

/// LSET key index element
fn lset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let s = ctx.scope()?;
    let m = write_lookup(s, key)?.ok_or_else(|| Error::redis(msg::NO_SUCH_KEY))?;
    let index = args.int()?;
    let value = args.bytes()?;
    let i = index_in(m.len, index).ok_or_else(|| Error::redis("ERR index out of range"))?;
    list::set(s.conn, m.id, span(&m), i, value)?;
    keyspace::touch(s, m.id)?;
    Ok(Reply::ok())
}

/// LINSERT key <BEFORE | AFTER> pivot element
fn linsert(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let where_ = args.bytes()?;
    let after = if eq(where_, "AFTER") {
        true
    } else if eq(where_, "BEFORE") {
        false
    } else {
        return Err(Error::redis(msg::SYNTAX));
    };
    let (pivot, value) = (args.bytes()?, args.bytes()?);
    let s = ctx.scope()?;
    let Some(m) = write_lookup(s, key)? else {
        return Ok(Reply::Int(0));
    };
    let Some(at) = list::find(s.conn, m.id, span(&m), pivot)? else {
        return Ok(Reply::Int(-1));
    };
    let grown = list::insert(s.conn, m.id, span(&m), at + after as i64, value)?;
    store_span(s, &m, grown)?;
    ctx.signal_ready(key);
    Ok(Reply::Int(grown.len))
}

/// LREM key count element
fn lrem(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let count = args.int()?;
    let value = args.bytes()?;
    let s = ctx.scope()?;
    let Some(m) = write_lookup(s, key)? else {
        return Ok(Reply::Int(0));
    };
    let (removed, after) = list::remove(s.conn, m.id, span(&m), value, count)?;
    if removed > 0 {
        store_span(s, &m, after)?;
    }
    Ok(Reply::Int(removed))
}

/// LTRIM key start stop
fn ltrim(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let (start, stop) = (args.int()?, args.int()?);
    let s = ctx.scope()?;
    let Some(m) = write_lookup(s, key)? else {
        return Ok(Reply::ok());
    };
    let (start, stop) = clamp_range(m.len, start, stop).unwrap_or((1, 0));
    let after = list::trim(s.conn, m.id, span(&m), start, stop)?;
    store_span(s, &m, after)?;
    Ok(Reply::ok())
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("lpush", -3, lpush)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "list", "fast"])
        .doc("list", "1.0.0", "Prepend one or multiple elements to a list", "LPUSH key element [element ...]")
        .complexity(PUSH_COMPLEXITY)
        .history(&[("2.4.0", "Accepts multiple `element` arguments.")]),
    Spec::write("rpush", -3, rpush)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "list", "fast"])
        .doc("list", "1.0.0", "Append one or multiple elements to a list", "RPUSH key element [element ...]")
        .complexity(PUSH_COMPLEXITY)
        .history(&[("2.4.0", "Accepts multiple `element` arguments.")]),
    Spec::write("lpushx", -3, lpushx)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "list", "fast"])
        .doc(
            "list",
            "2.2.0",
            "Prepend an element to a list, only if the list exists",
            "LPUSHX key element [element ...]",
        )
        .complexity(PUSH_COMPLEXITY)
        .history(&[("4.0.0", "Accepts multiple `element` arguments.")]),
    Spec::write("rpushx", -3, rpushx)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "list", "fast"])
        .doc(
            "list",
            "2.2.0",
            "Append an element to a list, only if the list exists",
            "RPUSHX key element [element ...]",
        )
        .complexity(PUSH_COMPLEXITY)
        .history(&[("4.0.0", "Accepts multiple `element` arguments.")]),
    Spec::write("lpop", -2, lpop)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["write", "list", "fast"])
        .doc("list", "1.0.0", "Remove and get the first elements in a list", "LPOP key [count]")
        .complexity("O(N) where N is the number of elements returned")
        .history(&[("6.2.0", "Added the `count` argument.")]),
    Spec::write("rpop", -2, rpop)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["write", "list", "fast"])
        .doc("list", "1.0.0", "Remove and get the last elements in a list", "RPOP key [count]")
        .complexity("O(N) where N is the number of elements returned")
        .history(&[("6.2.0", "Added the `count` argument.")]),
    Spec::read("llen", 2, llen)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "list", "fast"])
        .doc("list", "1.0.0", "Get the length of a list", "LLEN key")
        .complexity("O(1)"),
    Spec::read("lrange", 4, lrange)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "list", "slow"])
        .doc("list", "1.0.0", "Get a range of elements from a list", "LRANGE key start stop")
        .complexity(
            "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.",
        ),
    Spec::read("lindex", 3, lindex)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "list", "slow"])
        .doc("list", "1.0.0", "Get an element from a list by its index", "LINDEX key index")
        .complexity(
            "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).",
        ),
    Spec::write("lset", 4, lset)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "list", "slow"])
        .doc("list", "1.0.0", "Set the value of an element in a list by its index", "LSET key index element")
        .complexity(
            "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).",
        ),
    Spec::write("linsert", 5, linsert)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "list", "slow"])
        .doc(
            "list",
            "2.2.0",
            "Insert an element before or after another element in a list",
            "LINSERT key <BEFORE | AFTER> pivot element",
        )
        .complexity(
            "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).",
        ),
    Spec::write("lrem", 4, lrem)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write"])
        .acl(&["write", "list", "slow"])
        .doc("list", "1.0.0", "Remove elements from a list", "LREM key count element")
        .complexity("O(N+M) where N is the length of the list and M is the number of elements removed."),
    Spec::write("ltrim", 4, ltrim)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write"])
        .acl(&["write", "list", "slow"])
        .doc("list", "1.0.0", "Trim a list to the specified range", "LTRIM key start stop")
        .complexity("O(N) where N is the number of elements to be removed by the operation."),
    Spec::read("lpos", -3, lpos)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "list", "slow"])
        .doc(
            "list",
            "6.0.6",
            "Return the index of matching elements on a list",
            "LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]",
        )
        .complexity(
            "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.",
        ),
    Spec::write("lmove", 5, lmove)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(RW | INSERT).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "list", "slow"])
        .doc(
            "list",
            "6.2.0",
            "Pop an element from a list, push it to another list and return it",
            "LMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT>",
        )
        .complexity("O(1)"),
    Spec::write("rpoplpush", 3, rpoplpush)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(RW | INSERT).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "list", "slow"])
        .doc(
            "list",
            "1.2.0",
            "Remove the last element in a list, prepend it to another list and return it",
            "RPOPLPUSH source destination",
        )
        .complexity("O(1)")
        .deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments"),
    Spec::write("lmpop", -4, lmpop)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).keynum(0, 1, 1)])
        .getkeys(getkeys::lmpop)
        .flags(&["write", "movablekeys"])
        .acl(&["write", "list", "slow"])
        .doc(
            "list",
            "7.0.0",
            "Pop elements from a list",
            "LMPOP numkeys key [key ...] <LEFT | RIGHT> [COUNT count]",
        )
        .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned."),
    Spec::write("blpop", -3, blpop)
        .keys(1, -2, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(-2, 1, 0)])
        .flags(&["write", "noscript", "blocking"])
        .acl(&["write", "list", "slow", "blocking"])
        .doc(
            "list",
            "2.0.0",
            "Remove and get the first element in a list, or block until one is available",
            "BLPOP key [key ...] timeout",
        )
        .complexity("O(N) where N is the number of provided keys.")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    Spec::write("brpop", -3, brpop)
        .keys(1, -2, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(-2, 1, 0)])
        .flags(&["write", "noscript", "blocking"])
        .acl(&["write", "list", "slow", "blocking"])
        .doc(
            "list",
            "2.0.0",
            "Remove and get the last element in a list, or block until one is available",
            "BRPOP key [key ...] timeout",
        )
        .complexity("O(N) where N is the number of provided keys.")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    Spec::write("blmove", 6, blmove)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(RW | INSERT).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom", "noscript", "blocking"])
        .acl(&["write", "list", "slow", "blocking"])
        .doc(
            "list",
            "6.2.0",
            "Pop an element from a list, push it to another list and return it; or block until one is available",
            "BLMOVE source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout",
        )
        .complexity("O(1)"),
    Spec::write("brpoplpush", 4, brpoplpush)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(RW | INSERT).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "denyoom", "noscript", "blocking"])
        .acl(&["write", "list", "slow", "blocking"])
        .doc(
            "list",
            "2.2.0",
            "Pop an element from a list, push it to another list and return it; or block until one is available",
            "BRPOPLPUSH source destination timeout",
        )
        .complexity("O(1)")
        .deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments")
        .history(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")]),
    Spec::write("blmpop", -5, blmpop)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(2).keynum(0, 1, 1)])
        .getkeys(getkeys::blmpop)
        .flags(&["write", "blocking", "movablekeys"])
        .acl(&["write", "list", "slow", "blocking"])
        .doc(
            "list",
            "7.0.0",
            "Pop elements from a list, or block until one is available",
            "BLMPOP timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]",
        )
        .complexity("O(N+M) where N is the number of provided keys and M is the number of elements returned."),
];
