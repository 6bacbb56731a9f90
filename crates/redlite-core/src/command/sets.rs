//! Set commands, and the pieces the collection families share (hashes.rs, sort.rs):
//! counted read look-ups, get-or-create, random picks, and the HSCAN/SSCAN options
//! (their cursors are scan.rs's).
//!
//! Members are read in member byte order (types/set.rs). Whole sets are answered as
//! Redis would order them where that is known (an intset ascending by value, see
//! `in_redis_order`), else in that byte order (Redis's is its hash table's).

use std::collections::BTreeSet;

use crate::command::args::{eq, parse_i64};
use crate::command::keyspec::{getkeys, ACCESS, DELETE, INSERT, OW, RO, RW, UPDATE};
use crate::command::lookup::{get_or_create, overwrite, read_typed};
use crate::command::random::{check_picks, picks_with_repetition, random_count, Rng};
use crate::command::scan::{
    page_keeper, parse_cursor, scan_cursor_of, scan_reply, scan_start, ScanOptions,
};
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType, Scope};
use crate::reply::Reply;
use crate::types::set;

// ---------------------------------------------------------------------------------
// Shared by the collection families.
// ---------------------------------------------------------------------------------

/// A whole set's members in the order Redis would answer them where that order is
/// known: an intset (at most 512 members, all integers) ascending by value; any other
/// set in member byte order (Redis's is its hash table's).
pub(crate) fn in_redis_order(mut members: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    if members.len() as i64 <= set::INTSET_MAX_ENTRIES
        && members.iter().all(|m| parse_i64(m).is_some())
    {
        members.sort_by_cached_key(|m| parse_i64(m).unwrap_or(0));
    }
    members
}

fn bulks(items: Vec<Vec<u8>>) -> Vec<Reply> {
    items.into_iter().map(Reply::Bulk).collect()
}

// ---------------------------------------------------------------------------------
// Set commands.
// ---------------------------------------------------------------------------------

/// SADD key member [member ...]
fn sadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let members = args.rest();
    let s = ctx.scope()?;
    let meta = get_or_create(s, key, KeyType::Set)?;
    let mut added = 0;
    for m in members {
        if set::add(s.conn, meta.id, m)? {
            added += 1;
        }
    }
    if added > 0 {
        keyspace::set_len(s, &meta, meta.len + added, 0)?;
    }
    Ok(Reply::Int(added))
}

/// SREM key member [member ...]
fn srem(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let members = args.rest();
    let s = ctx.scope()?;
    let Some(meta) = keyspace::lookup_typed(s, key, KeyType::Set)? else {
        return Ok(Reply::Int(0));
    };
    let mut removed = 0;
    for m in members {
        if set::remove(s.conn, meta.id, m)? {
            removed += 1;
        }
    }
    if removed > 0 {
        keyspace::set_len(s, &meta, meta.len - removed, 0)?;
    }
    Ok(Reply::Int(removed))
}

/// SMEMBERS key
fn smembers(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    match read_typed(ctx, key, KeyType::Set)? {
        Some(m) => Ok(Reply::Set(bulks(in_redis_order(set::members(
            ctx.conn()?,
            m.id,
        )?)))),
        None => Ok(Reply::Set(vec![])),
    }
}

/// SISMEMBER key member
fn sismember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (key, member) = (args.bytes()?, args.bytes()?);
    let found = match read_typed(ctx, key, KeyType::Set)? {
        Some(m) => set::contains(ctx.conn()?, m.id, member)?,
        None => false,
    };
    Ok(Reply::Int(found as i64))
}

/// SMISMEMBER key member [member ...]
fn smismember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let meta = read_typed(ctx, key, KeyType::Set)?;
    let conn = ctx.conn()?;
    let mut out = Vec::new();
    for member in args.rest() {
        let found = match &meta {
            Some(m) => set::contains(conn, m.id, member)?,
            None => false,
        };
        out.push(Reply::Int(found as i64));
    }
    Ok(Reply::Array(out))
}

/// SCARD key
fn scard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    Ok(Reply::Int(
        read_typed(ctx, key, KeyType::Set)?.map_or(0, |m| m.len),
    ))
}

/// SPOP key [count]
fn spop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let count = match args.next() {
        None => None,
        Some(arg) => {
            args.finish()?;
            let n = parse_i64(arg)
                .filter(|&n| n >= 0)
                .ok_or_else(|| Error::redis("ERR value is out of range, must be positive"))?;
            Some(n)
        }
    };
    let s = ctx.scope()?;
    let meta = keyspace::lookup_typed(s, key, KeyType::Set)?;
    let Some(count) = count else {
        let Some(meta) = meta else {
            return Ok(Reply::Nil);
        };
        let picked = set::page(s.conn, meta.id, Rng::new().below(meta.len), 1)?;
        for m in &picked {
            set::remove(s.conn, meta.id, m)?;
        }
        keyspace::set_len(s, &meta, meta.len - picked.len() as i64, 0)?;
        return Ok(Reply::opt_bulk(picked.into_iter().next()));
    };
    let Some(meta) = meta else {
        return Ok(Reply::Set(vec![]));
    };
    if count == 0 {
        return Ok(Reply::Set(vec![]));
    }
    if count >= meta.len {
        let all = set::members(s.conn, meta.id)?;
        keyspace::delete(s.conn, &meta)?;
        return Ok(Reply::Set(bulks(in_redis_order(all))));
    }
    let picked = set::sample(s.conn, meta.id, count)?;
    for m in &picked {
        set::remove(s.conn, meta.id, m)?;
    }
    keyspace::set_len(s, &meta, meta.len - picked.len() as i64, 0)?;
    Ok(Reply::Set(bulks(picked)))
}

/// SRANDMEMBER key [count]
fn srandmember(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let count = match args.next() {
        None => None,
        Some(arg) => {
            let n = random_count(arg)?;
            args.finish()?;
            Some(n)
        }
    };
    let meta = read_typed(ctx, key, KeyType::Set)?;
    let conn = ctx.conn()?;
    let Some(count) = count else {
        let Some(meta) = meta else {
            return Ok(Reply::Nil);
        };
        let picked = set::page(conn, meta.id, Rng::new().below(meta.len), 1)?;
        return Ok(Reply::opt_bulk(picked.into_iter().next()));
    };
    let Some(meta) = meta else {
        return Ok(Reply::Array(vec![]));
    };
    let picked = if count < 0 {
        check_picks(count.unsigned_abs())?;
        picks_with_repetition(meta.len, count.unsigned_abs(), |o, l| {
            set::page(conn, meta.id, o, l)
        })?
    } else if count >= meta.len {
        in_redis_order(set::members(conn, meta.id)?)
    } else {
        set::sample(conn, meta.id, count)?
    };
    Ok(Reply::Array(bulks(picked)))
}

/// SMOVE source destination member
fn smove(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let (src, dst, member) = (args.bytes()?, args.bytes()?, args.bytes()?);
    let s = ctx.scope()?;
    let Some(from) = keyspace::lookup(s, src)? else {
        return Ok(Reply::Int(0));
    };
    let to = keyspace::lookup(s, dst)?;
    if from.ktype != KeyType::Set || to.is_some_and(|t| t.ktype != KeyType::Set) {
        return Err(Error::redis(msg::WRONGTYPE));
    }
    if src == dst {
        return Ok(Reply::Int(set::contains(s.conn, from.id, member)? as i64));
    }
    if !set::remove(s.conn, from.id, member)? {
        return Ok(Reply::Int(0));
    }
    keyspace::set_len(s, &from, from.len - 1, 0)?;
    let to = get_or_create(s, dst, KeyType::Set)?;
    if set::add(s.conn, to.id, member)? {
        keyspace::set_len(s, &to, to.len + 1, 0)?;
    }
    Ok(Reply::Int(1))
}

/// The source sets of SINTER, SUNION, SDIFF and their STORE forms, in argument order
/// (`None` for a missing key, an empty set). Every key is checked for WRONGTYPE, as
/// Redis does, even after a missing one. A reading command counts hits and misses; a
/// STORE command looks its sources up as writes, as Redis does.
fn source_sets(ctx: &Ctx<'_>, keys: &[&[u8]], store: bool) -> Result<Vec<Option<KeyMeta>>> {
    keys.iter()
        .map(|k| {
            if store {
                keyspace::lookup_typed(ctx.scope()?, k, KeyType::Set)
            } else {
                read_typed(ctx, k, KeyType::Set)
            }
        })
        .collect()
}

/// The intersection of the sets, in member order; at most `limit` members (0: all).
/// Walks the smallest set and keeps what every other set has.
fn intersection(ctx: &Ctx<'_>, sets: &[Option<KeyMeta>], limit: usize) -> Result<Vec<Vec<u8>>> {
    let Some(sets) = sets.iter().copied().collect::<Option<Vec<KeyMeta>>>() else {
        return Ok(Vec::new());
    };
    let Some(smallest) = sets.iter().min_by_key(|m| m.len) else {
        return Ok(Vec::new());
    };
    let conn = ctx.conn()?;
    let mut out = Vec::new();
    for member in set::members(conn, smallest.id)? {
        let mut everywhere = true;
        for other in sets.iter().filter(|m| m.id != smallest.id) {
            if !set::contains(conn, other.id, &member)? {
                everywhere = false;
                break;
            }
        }
        if everywhere {
            out.push(member);
            if out.len() == limit {
                break;
            }
        }
    }
    Ok(out)
}

/// The union of the sets, in member order.
fn union(ctx: &Ctx<'_>, sets: &[Option<KeyMeta>]) -> Result<Vec<Vec<u8>>> {
    let conn = ctx.conn()?;
    let mut all = BTreeSet::new();
    for m in sets.iter().flatten() {
        all.extend(set::members(conn, m.id)?);
    }
    Ok(all.into_iter().collect())
}

/// The members of the first set that no other set has, in member order.
fn difference(ctx: &Ctx<'_>, sets: &[Option<KeyMeta>]) -> Result<Vec<Vec<u8>>> {
    let Some((Some(first), others)) = sets.split_first() else {
        return Ok(Vec::new());
    };
    let conn = ctx.conn()?;
    let mut out = Vec::new();
    'members: for member in set::members(conn, first.id)? {
        for other in others.iter().flatten() {
            if other.id == first.id || set::contains(conn, other.id, &member)? {
                continue 'members;
            }
        }
        out.push(member);
    }
    Ok(out)
}

#[derive(Clone, Copy)]
enum Algebra {
    Inter,
    Union,
    Diff,
}

fn combine(ctx: &Ctx<'_>, op: Algebra, keys: &[&[u8]], store: bool) -> Result<Vec<Vec<u8>>> {
    let sets = source_sets(ctx, keys, store)?;
    match op {
        Algebra::Inter => intersection(ctx, &sets, 0),
        Algebra::Union => union(ctx, &sets),
        Algebra::Diff => difference(ctx, &sets),
    }
}

/// Store `members` as the set `dst`, replacing whatever it held (expiry included); an
/// empty result deletes `dst`. Returns the new size.
fn store_set(s: Scope<'_>, dst: &[u8], members: &[Vec<u8>]) -> Result<i64> {
    if members.is_empty() {
        keyspace::delete_key(s, dst)?;
        return Ok(0);
    }
    let meta = overwrite(s, dst, KeyType::Set)?;
    for m in members {
        set::add(s.conn, meta.id, m)?;
    }
    let n = members.len() as i64;
    keyspace::set_len(s, &meta, n, 0)?;
    Ok(n)
}

fn algebra_reply(ctx: &mut Ctx<'_>, args: &mut Args<'_>, op: Algebra) -> Result<Reply> {
    let members = combine(ctx, op, args.rest(), false)?;
    Ok(Reply::Set(bulks(in_redis_order(members))))
}

fn algebra_store(ctx: &mut Ctx<'_>, args: &mut Args<'_>, op: Algebra) -> Result<Reply> {
    let dst = args.bytes()?;
    let members = combine(ctx, op, args.rest(), true)?;
    Ok(Reply::Int(store_set(ctx.scope()?, dst, &members)?))
}

/// SINTER key [key ...]
fn sinter(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    algebra_reply(ctx, args, Algebra::Inter)
}

/// SUNION key [key ...]
fn sunion(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    algebra_reply(ctx, args, Algebra::Union)
}

/// SDIFF key [key ...]
fn sdiff(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    algebra_reply(ctx, args, Algebra::Diff)
}

/// SINTERSTORE destination key [key ...]
fn sinterstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    algebra_store(ctx, args, Algebra::Inter)
}

/// SUNIONSTORE destination key [key ...]
fn sunionstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    algebra_store(ctx, args, Algebra::Union)
}

/// SDIFFSTORE destination key [key ...]
fn sdiffstore(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    algebra_store(ctx, args, Algebra::Diff)
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
fn sintercard(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let numkeys = parse_i64(args.bytes()?)
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::redis("ERR numkeys should be greater than 0"))?;
    if numkeys > args.remaining() as i64 {
        return Err(Error::redis(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    let keys = args.rest();
    let (keys, opts) = keys.split_at(numkeys as usize);
    let mut limit = 0;
    let mut opts = Args::new(opts);
    while let Some(opt) = opts.next() {
        match opts.next() {
            Some(value) if eq(opt, "limit") => {
                limit = parse_i64(value)
                    .filter(|&n| n >= 0)
                    .ok_or_else(|| Error::redis("ERR LIMIT can't be negative"))?;
            }
            _ => return Err(Error::redis(msg::SYNTAX)),
        }
    }
    let sets = source_sets(ctx, keys, false)?;
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    Ok(Reply::Int(intersection(ctx, &sets, limit)?.len() as i64))
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]
///
/// As Redis: the cursor is checked first, then the key (a missing one answers an empty
/// page before the options are read), then the options. A set Redis would keep as an
/// intset is answered whole (ascending by value), with cursor 0; a larger one is paged
/// in member order as scan.rs describes.
fn sscan(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let cursor = parse_cursor(args.bytes()?)?;
    let Some(meta) = read_typed(ctx, key, KeyType::Set)? else {
        return Ok(scan_reply(0, vec![]));
    };
    let opts = ScanOptions::parse(args)?;
    let conn = ctx.conn()?;
    let (next, page) = if set::encoding(conn, meta.id, meta.len)? == "intset" {
        (0, in_redis_order(set::members(conn, meta.id)?))
    } else {
        let start = scan_start(cursor);
        let (page, refused) = set::members_from(conn, meta.id, &start, page_keeper(opts.count))?;
        (refused.map_or(0, |m| scan_cursor_of(&m)), page)
    };
    let items = page
        .into_iter()
        .filter(|m| opts.matches(m))
        .map(Reply::Bulk)
        .collect();
    Ok(scan_reply(next, items))
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("sadd", -3, sadd)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "set", "fast"])
        .doc(
            "set",
            "1.0.0",
            "Add one or more members to a set",
            "SADD key member [member ...]",
        )
        .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
        .history(&[("2.4.0", "Accepts multiple `member` arguments.")]),
    Spec::write("srem", -3, srem)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["write", "set", "fast"])
        .doc(
            "set",
            "1.0.0",
            "Remove one or more members from a set",
            "SREM key member [member ...]",
        )
        .complexity("O(N) where N is the number of members to be removed.")
        .history(&[("2.4.0", "Accepts multiple `member` arguments.")]),
    Spec::read("smembers", 2, smembers)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "set", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "set",
            "1.0.0",
            "Get all the members in a set",
            "SMEMBERS key",
        )
        .complexity("O(N) where N is the set cardinality."),
    Spec::read("sismember", 3, sismember)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "set", "fast"])
        .doc(
            "set",
            "1.0.0",
            "Determine if a given value is a member of a set",
            "SISMEMBER key member",
        )
        .complexity("O(1)"),
    Spec::read("smismember", -3, smismember)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "set", "fast"])
        .doc(
            "set",
            "6.2.0",
            "Returns the membership associated with the given elements for a set",
            "SMISMEMBER key member [member ...]",
        )
        .complexity("O(N) where N is the number of elements being checked for membership"),
    Spec::read("scard", 2, scard)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "set", "fast"])
        .doc(
            "set",
            "1.0.0",
            "Get the number of members in a set",
            "SCARD key",
        )
        .complexity("O(1)"),
    Spec::write("spop", -2, spop)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["write", "set", "fast"])
        .tips(&["nondeterministic_output"])
        .doc(
            "set",
            "1.0.0",
            "Remove and return one or multiple random members from a set",
            "SPOP key [count]",
        )
        .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
        .history(&[("3.2.0", "Added the `count` argument.")]),
    Spec::read("srandmember", -2, srandmember)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "set", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "set",
            "1.0.0",
            "Get one or multiple random members from a set",
            "SRANDMEMBER key [count]",
        )
        .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.")
        .history(&[("2.6.0", "Added the optional `count` argument.")]),
    Spec::write("smove", 4, smove)
        .keys(1, 2, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0),
            KeySpec::new(RW | INSERT).index(2).range(0, 1, 0),
        ])
        .flags(&["write", "fast"])
        .acl(&["write", "set", "fast"])
        .doc(
            "set",
            "1.0.0",
            "Move a member from one set to another",
            "SMOVE source destination member",
        )
        .complexity("O(1)"),
    Spec::read("sdiff", -2, sdiff)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(-1, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "set", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "set",
            "1.0.0",
            "Subtract multiple sets",
            "SDIFF key [key ...]",
        )
        .complexity("O(N) where N is the total number of elements in all given sets."),
    Spec::read("sinter", -2, sinter)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(-1, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "set", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "set",
            "1.0.0",
            "Intersect multiple sets",
            "SINTER key [key ...]",
        )
        .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."),
    Spec::read("sunion", -2, sunion)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(-1, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "set", "slow"])
        .tips(&["nondeterministic_output_order"])
        .doc(
            "set",
            "1.0.0",
            "Add multiple sets",
            "SUNION key [key ...]",
        )
        .complexity("O(N) where N is the total number of elements in all given sets."),
    Spec::write("sdiffstore", -3, sdiffstore)
        .keys(1, -1, 1)
        .key_specs(&[
            KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).range(-1, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "set", "slow"])
        .doc(
            "set",
            "1.0.0",
            "Subtract multiple sets and store the resulting set in a key",
            "SDIFFSTORE destination key [key ...]",
        )
        .complexity("O(N) where N is the total number of elements in all given sets."),
    Spec::write("sinterstore", -3, sinterstore)
        .keys(1, -1, 1)
        .key_specs(&[
            KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).range(-1, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "set", "slow"])
        .doc(
            "set",
            "1.0.0",
            "Intersect multiple sets and store the resulting set in a key",
            "SINTERSTORE destination key [key ...]",
        )
        .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."),
    Spec::write("sunionstore", -3, sunionstore)
        .keys(1, -1, 1)
        .key_specs(&[
            KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).range(-1, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "set", "slow"])
        .doc(
            "set",
            "1.0.0",
            "Add multiple sets and store the resulting set in a key",
            "SUNIONSTORE destination key [key ...]",
        )
        .complexity("O(N) where N is the total number of elements in all given sets."),
    Spec::read("sintercard", -3, sintercard)
        .keys(0, 0, 0)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).keynum(0, 1, 1)])
        .getkeys(getkeys::sintercard)
        .flags(&["readonly", "movablekeys"])
        .acl(&["read", "set", "slow"])
        .doc(
            "set",
            "7.0.0",
            "Intersect multiple sets and return the cardinality of the result",
            "SINTERCARD numkeys key [key ...] [LIMIT limit]",
        )
        .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets."),
    Spec::read("sscan", -3, sscan)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "set", "slow"])
        .tips(&["nondeterministic_output"])
        .doc(
            "set",
            "2.8.0",
            "Incrementally iterate Set elements",
            "SSCAN key cursor [MATCH pattern] [COUNT count]",
        )
        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.."),
];
