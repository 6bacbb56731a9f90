//! Hash commands.
//!
//! Fields are read in field byte order (types/hash.rs), so HGETALL, HKEYS and HVALS
//! answer in that order, where Redis's order is its own (insertion order while the
//! hash is a listpack).

use crate::command::args::{eq, parse_i64};
use crate::command::keyspec::{ACCESS, DELETE, INSERT, RO, RW, UPDATE};
use crate::command::lookup::{get_or_create, read_typed};
use crate::command::random::{check_picks, picks_with_repetition, random_count, Rng};
use crate::command::scan::{
    page_keeper, parse_cursor, scan_cursor_of, scan_reply, scan_start, ScanOptions,
};
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType};
use crate::num::longdouble::LongDouble;
use crate::reply::Reply;
use crate::types::hash;

/// A read of hash `key` (counted as a keyspace hit or miss; WRONGTYPE for another type).
fn read(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    read_typed(ctx, key, KeyType::Hash)
}

/// HSET and HMSET: set the field/value pairs (an odd count is the arity error of
/// `cmd`, as Redis reports it); returns how many fields are new. Every call is a write
/// of the key, even when each value was already there.
fn set_pairs(ctx: &Ctx<'_>, args: &mut Args<'_>, cmd: &str) -> Result<i64> {
    let key = args.bytes()?;
    let pairs = args.rest();
    if !pairs.len().is_multiple_of(2) {
        return Err(Error::redis(msg::wrong_arity(cmd)));
    }
    let s = ctx.scope()?;
    let meta = get_or_create(s, key, KeyType::Hash)?;
    let mut added = 0;
    for pair in pairs.chunks_exact(2) {
        if hash::put(s.conn, meta.id, pair[0], pair[1])? {
            added += 1;
        }
    }
    keyspace::set_len(s, &meta, meta.len + added, 0)?;
    Ok(added)
}

/// HSET key field value [field value ...]
fn hset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(set_pairs(ctx, args, "hset")?))
}

/// HMSET key field value [field value ...]
fn hmset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    set_pairs(ctx, args, "hmset")?;
    Ok(Reply::ok())
}

/// HSETNX key field value
fn hsetnx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, field, value) = (args.bytes()?, args.bytes()?, args.bytes()?);
    let s = ctx.scope()?;
    let meta = get_or_create(s, key, KeyType::Hash)?;
    if !hash::put_new(s.conn, meta.id, field, value)? {
        return Ok(Reply::Int(0));
    }
    keyspace::set_len(s, &meta, meta.len + 1, 0)?;
    Ok(Reply::Int(1))
}

/// HGET key field
fn hget(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (args.bytes()?, args.bytes()?);
    match read(ctx, key)? {
        Some(m) => Ok(Reply::opt_bulk(hash::get(ctx.conn()?, m.id, field)?)),
        None => Ok(Reply::Nil),
    }
}

/// HMGET key field [field ...]
fn hmget(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let meta = read(ctx, key)?;
    let conn = ctx.conn()?;
    let mut out = Vec::new();
    for field in args.rest() {
        out.push(match &meta {
            Some(m) => Reply::opt_bulk(hash::get(conn, m.id, field)?),
            None => Reply::Nil,
        });
    }
    Ok(Reply::Array(out))
}

/// HGETALL key
fn hgetall(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let pairs = match read(ctx, key)? {
        Some(m) => hash::all(ctx.conn()?, m.id)?,
        None => Vec::new(),
    };
    Ok(Reply::Map(
        pairs
            .into_iter()
            .map(|(f, v)| (Reply::Bulk(f), Reply::Bulk(v)))
            .collect(),
    ))
}

/// HKEYS key
fn hkeys(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let fields = match read(ctx, key)? {
        Some(m) => hash::fields(ctx.conn()?, m.id)?,
        None => Vec::new(),
    };
    Ok(Reply::Array(fields.into_iter().map(Reply::Bulk).collect()))
}

/// HVALS key
fn hvals(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let values = match read(ctx, key)? {
        Some(m) => hash::values(ctx.conn()?, m.id)?,
        None => Vec::new(),
    };
    Ok(Reply::Array(values.into_iter().map(Reply::Bulk).collect()))
}

/// HLEN key
fn hlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(read(ctx, key)?.map_or(0, |m| m.len)))
}

/// HEXISTS key field
fn hexists(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (args.bytes()?, args.bytes()?);
    let found = match read(ctx, key)? {
        Some(m) => hash::exists(ctx.conn()?, m.id, field)?,
        None => false,
    };
    Ok(Reply::Int(found as i64))
}

/// HSTRLEN key field
fn hstrlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (args.bytes()?, args.bytes()?);
    match read(ctx, key)? {
        Some(m) => Ok(Reply::Int(hash::value_len(ctx.conn()?, m.id, field)?)),
        None => Ok(Reply::Int(0)),
    }
}

/// HDEL key field [field ...]
fn hdel(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let s = ctx.scope()?;
    let Some(meta) = keyspace::lookup_typed(s, key, KeyType::Hash)? else {
        return Ok(Reply::Int(0));
    };
    let mut removed = 0;
    for field in args.rest() {
        if hash::remove(s.conn, meta.id, field)? {
            removed += 1;
        }
    }
    if removed > 0 {
        keyspace::set_len(s, &meta, meta.len - removed, 0)?;
    }
    Ok(Reply::Int(removed))
}

/// Write `value` to `field` of the hash `meta` (created by the caller if need be).
fn store_field(ctx: &Ctx<'_>, meta: &KeyMeta, field: &[u8], value: &[u8]) -> Result<()> {
    let s = ctx.scope()?;
    let added = hash::put(s.conn, meta.id, field, value)? as i64;
    keyspace::set_len(s, meta, meta.len + added, 0)
}

/// HINCRBY key field increment
///
/// In Redis's order: the increment, then the key's type, then the field's value.
fn hincrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (args.bytes()?, args.bytes()?);
    let increment = args.int()?;
    let meta = get_or_create(ctx.scope()?, key, KeyType::Hash)?;
    let current = match hash::get(ctx.conn()?, meta.id, field)? {
        Some(v) => parse_i64(&v).ok_or_else(|| Error::redis("ERR hash value is not an integer"))?,
        None => 0,
    };
    let sum = current
        .checked_add(increment)
        .ok_or_else(|| Error::redis(msg::OVERFLOW))?;
    store_field(ctx, &meta, field, sum.to_string().as_bytes())?;
    Ok(Reply::Int(sum))
}

/// HINCRBYFLOAT key field increment
///
/// Computed in x87 `long double` and printed as Redis does (the same arithmetic as
/// INCRBYFLOAT, see strings/longdouble.rs). In Redis's order: the increment (not a
/// float; then NaN or infinite), the key's type, the field's value, the sum.
fn hincrbyfloat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (args.bytes()?, args.bytes()?);
    let increment = LongDouble::parse(args.bytes()?).ok_or_else(|| Error::redis(msg::NOT_FLOAT))?;
    if !increment.is_finite() {
        return Err(Error::redis("ERR value is NaN or Infinity"));
    }
    let meta = get_or_create(ctx.scope()?, key, KeyType::Hash)?;
    let current = match hash::get(ctx.conn()?, meta.id, field)? {
        Some(v) => {
            LongDouble::parse(&v).ok_or_else(|| Error::redis("ERR hash value is not a float"))?
        }
        None => LongDouble::ZERO,
    };
    let sum = current.add(increment);
    if !sum.is_finite() {
        return Err(Error::redis("ERR increment would produce NaN or Infinity"));
    }
    let text = sum.to_human().into_bytes();
    store_field(ctx, &meta, field, &text)?;
    Ok(Reply::Bulk(text))
}

/// HRANDFIELD key [count [WITHVALUES]]
///
/// A positive count answers distinct fields (the whole hash when it has no more than
/// count), a negative one |count| fields that may repeat. With WITHVALUES each field is
/// followed by its value, or in RESP3 each is a [field, value] pair, as Redis replies.
fn hrandfield(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let Some(count_arg) = args.next() else {
        let Some(meta) = read(ctx, key)? else {
            return Ok(Reply::Nil);
        };
        let picked = hash::page(ctx.conn()?, meta.id, Rng::new().below(meta.len), 1)?;
        return Ok(Reply::opt_bulk(picked.into_iter().next().map(|(f, _)| f)));
    };
    let count = random_count(count_arg)?;
    let with_values = match args.next() {
        None => false,
        Some(opt) if eq(opt, "withvalues") && args.is_empty() => {
            if count.unsigned_abs() > (i64::MAX / 2) as u64 {
                return Err(Error::redis("ERR value is out of range"));
            }
            true
        }
        Some(_) => return Err(Error::redis(msg::SYNTAX)),
    };
    let Some(meta) = read(ctx, key)? else {
        return Ok(Reply::Array(vec![]));
    };
    let conn = ctx.conn()?;
    let picked = if count < 0 {
        check_picks(count.unsigned_abs())?;
        picks_with_repetition(meta.len, count.unsigned_abs(), |o, l| {
            hash::page(conn, meta.id, o, l)
        })?
    } else if count == 0 {
        Vec::new()
    } else if count >= meta.len {
        hash::all(conn, meta.id)?
    } else {
        hash::sample(conn, meta.id, count)?
    };
    let out = if !with_values {
        picked.into_iter().map(|(f, _)| Reply::Bulk(f)).collect()
    } else if ctx.session.protocol >= 3 {
        picked
            .into_iter()
            .map(|(f, v)| Reply::Array(vec![Reply::Bulk(f), Reply::Bulk(v)]))
            .collect()
    } else {
        picked
            .into_iter()
            .flat_map(|(f, v)| [Reply::Bulk(f), Reply::Bulk(v)])
            .collect()
    };
    Ok(Reply::Array(out))
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
///
/// As Redis: the cursor is checked first, then the key (a missing one answers an empty
/// page before the options are read), then the options. A hash Redis would keep as a
/// listpack is answered whole, with cursor 0; a larger one is paged in field order as
/// scan.rs describes. MATCH filters on the field.
fn hscan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let cursor = parse_cursor(args.bytes()?)?;
    let Some(meta) = read(ctx, key)? else {
        return Ok(scan_reply(0, vec![]));
    };
    let opts = ScanOptions::parse(args)?;
    let conn = ctx.conn()?;
    let (next, page) = if hash::encoding(conn, meta.id, meta.len)? == "listpack" {
        (0, hash::page(conn, meta.id, 0, meta.len)?)
    } else {
        let start = scan_start(cursor);
        let (page, refused) = hash::fields_from(conn, meta.id, &start, page_keeper(opts.count))?;
        (refused.map_or(0, |f| scan_cursor_of(&f)), page)
    };
    let items = page
        .into_iter()
        .filter(|(f, _)| opts.matches(f))
        .flat_map(|(f, v)| [Reply::Bulk(f), Reply::Bulk(v)])
        .collect();
    Ok(scan_reply(next, items))
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("hset", -4, hset)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Set the string value of a hash field",
            "HSET key field value [field value ...]",
        )
        .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.")
        .history(&[("4.0.0", "Accepts multiple `field` and `value` arguments.")]),
    Spec::write("hsetnx", 4, hsetnx)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Set the value of a hash field, only if the field does not exist",
            "HSETNX key field value",
        )
        .complexity("O(1)"),
    Spec::read("hget", 3, hget)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Get the value of a hash field",
            "HGET key field",
        )
        .complexity("O(1)"),
    Spec::read("hmget", -3, hmget)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Get the values of all the given hash fields",
            "HMGET key field [field ...]",
        )
        .complexity("O(N) where N is the number of fields being requested."),
    Spec::write("hmset", -4, hmset)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Set multiple hash fields to multiple values",
            "HMSET key field value [field value ...]",
        )
        .complexity("O(N) where N is the number of fields being set.")
        .deprecated("4.0.0", "`HSET` with multiple field-value pairs"),
    Spec::read("hgetall", 2, hgetall)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "hash", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "hash",
            "2.0.0",
            "Get all the fields and values in a hash",
            "HGETALL key",
        )
        .complexity("O(N) where N is the size of the hash."),
    Spec::write("hdel", -3, hdel)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["write", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Delete one or more hash fields",
            "HDEL key field [field ...]",
        )
        .complexity("O(N) where N is the number of fields to be removed.")
        .history(&[("2.4.0", "Accepts multiple `field` arguments.")]),
    Spec::read("hexists", 3, hexists)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Determine if a hash field exists",
            "HEXISTS key field",
        )
        .complexity("O(1)"),
    Spec::read("hkeys", 2, hkeys)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "hash", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "hash",
            "2.0.0",
            "Get all the fields in a hash",
            "HKEYS key",
        )
        .complexity("O(N) where N is the size of the hash."),
    Spec::read("hvals", 2, hvals)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "hash", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "hash",
            "2.0.0",
            "Get all the values in a hash",
            "HVALS key",
        )
        .complexity("O(N) where N is the size of the hash."),
    Spec::read("hlen", 2, hlen)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Get the number of fields in a hash",
            "HLEN key",
        )
        .complexity("O(1)"),
    Spec::read("hstrlen", 3, hstrlen)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "hash", "fast"])
        .doc(
            "hash",
            "3.2.0",
            "Get the length of the value of a hash field",
            "HSTRLEN key field",
        )
        .complexity("O(1)"),
    Spec::write("hincrby", 4, hincrby)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "hash", "fast"])
        .doc(
            "hash",
            "2.0.0",
            "Increment the integer value of a hash field by the given number",
            "HINCRBY key field increment",
        )
        .complexity("O(1)"),
    Spec::write("hincrbyfloat", 4, hincrbyfloat)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "hash", "fast"])
        .doc(
            "hash",
            "2.6.0",
            "Increment the float value of a hash field by the given amount",
            "HINCRBYFLOAT key field increment",
        )
        .complexity("O(1)"),
    Spec::read("hrandfield", -2, hrandfield)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "hash", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "hash",
            "6.2.0",
            "Get one or multiple random fields from a hash",
            "HRANDFIELD key [count [WITHVALUES]]",
        )
        .complexity("O(N) where N is the number of fields returned"),
    Spec::read("hscan", -3, hscan)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "hash", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "hash",
            "2.8.0",
            "Incrementally iterate hash fields and associated values",
            "HSCAN key cursor [MATCH pattern] [COUNT count]",
        )
        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.."),
];
