//! SORT and SORT_RO, over lists, sets and sorted sets, as Redis 7.0's sort.c.
//!
//! The elements are loaded (a list in order, a set in member order, a sorted set by
//! score), weighed (the element itself, or the value a BY pattern points at), sorted
//! numerically or with ALPHA by bytes, cut by LIMIT, and answered, or mapped through
//! GET patterns, or stored as a list (STORE).
//!
//! Lists and sorted sets are read through types/list.rs and types/zset.rs; STORE
//! writes its list with types/list.rs into the destination's own key row (so its
//! version keeps counting up, for WATCH) and signals the clients blocked on it.

use std::cmp::Ordering;

use crate::command::args::eq;
use crate::command::keyspec::{getkeys, ACCESS, OW, RO, UPDATE};
use crate::command::lookup::{count_lookup, overwrite};
use crate::command::sets::in_redis_order;
use crate::command::strtod::strtod;
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType};
use crate::reply::Reply;
use crate::types::{hash, list, set, string, zset};

pub const COMMANDS: &[Spec] = &[
    Spec::write("sort", -2, sort)
        .keys(1, 1, 1)
        .key_specs(&[
            KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS)
                .notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
            KeySpec::new(OW | UPDATE)
                .notes("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array"),
        ])
        .getkeys(getkeys::sort)
        .flags(&["write", "denyoom", "movablekeys"])
        .acl(&["write", "set", "sortedset", "list", "slow", "dangerous"])
        .doc(
            "generic",
            "1.0.0",
            "Sort the elements in a list, set or sorted set",
            "SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA] [STORE destination]",
        )
        .complexity("O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N)."),
    Spec::read("sort_ro", -2, sort_ro)
        .keys(1, 1, 1)
        .key_specs(&[
            KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS)
                .notes("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort"),
        ])
        .getkeys(getkeys::sort_ro)
        .flags(&["readonly", "movablekeys"])
        .acl(&["read", "set", "sortedset", "list", "slow", "dangerous"])
        .doc(
            "generic",
            "7.0.0",
            "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
            "SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]",
        )
        .complexity("O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N)."),
];

/// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
///   [ASC | DESC] [ALPHA] [STORE destination]
fn sort(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    sort_generic(ctx, args, false)
}

/// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]]
///   [ASC | DESC] [ALPHA]
fn sort_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    sort_generic(ctx, args, true)
}

/// The options of one SORT, as Redis's parser reads them: in any order, any number of
/// times (the last one wins), a keyword missing its arguments being a syntax error.
struct SortOptions<'a> {
    desc: bool,
    alpha: bool,
    /// LIMIT offset count; (0, -1) when absent.
    offset: i64,
    count: i64,
    by: Option<&'a [u8]>,
    /// A BY pattern without `*` (BY nosort): keep the elements' own order. Once set by
    /// any BY it stays set, as in Redis.
    dontsort: bool,
    gets: Vec<&'a [u8]>,
    store: Option<&'a [u8]>,
}

impl<'a> SortOptions<'a> {
    /// `full_key_access`: whether the user may read any key (see
    /// `acl::has_full_key_access`); without it a BY pattern that makes key names, and
    /// any GET (even `GET #`, as Redis 7.0 has it), is refused.
    fn parse(
        args: &mut Args<'a>,
        readonly: bool,
        full_key_access: bool,
    ) -> Result<SortOptions<'a>> {
        let mut o = SortOptions {
            desc: false,
            alpha: false,
            offset: 0,
            count: -1,
            by: None,
            dontsort: false,
            gets: Vec::new(),
            store: None,
        };
        while let Some(arg) = args.next() {
            let left = args.remaining();
            if eq(arg, "asc") {
                o.desc = false;
            } else if eq(arg, "desc") {
                o.desc = true;
            } else if eq(arg, "alpha") {
                o.alpha = true;
            } else if eq(arg, "limit") && left >= 2 {
                o.offset = args.int()?;
                o.count = args.int()?;
            } else if !readonly && eq(arg, "store") && left >= 1 {
                o.store = Some(args.bytes()?);
            } else if eq(arg, "by") && left >= 1 {
                let pattern = args.bytes()?;
                o.by = Some(pattern);
                if !c_str(pattern).contains(&b'*') {
                    o.dontsort = true;
                } else if !full_key_access {
                    return Err(Error::redis(
                        "ERR BY option of SORT denied due to insufficient ACL permissions.",
                    ));
                }
            } else if eq(arg, "get") && left >= 1 {
                if !full_key_access {
                    return Err(Error::redis(
                        "ERR GET option of SORT denied due to insufficient ACL permissions.",
                    ));
                }
                o.gets.push(args.bytes()?);
            } else {
                return Err(Error::redis(msg::SYNTAX));
            }
        }
        Ok(o)
    }
}

/// What Redis's C code sees of an argument it reads with `strchr` / `strstr`: the
/// bytes before the first NUL.
fn c_str(s: &[u8]) -> &[u8] {
    match s.iter().position(|&c| c == 0) {
        Some(nul) => &s[..nul],
        None => s,
    }
}

/// One element being sorted, and what it is sorted by.
struct Item {
    element: Vec<u8>,
    /// Numeric sorts: the weight (0 when a BY pattern finds nothing).
    score: f64,
    /// ALPHA sorts by a BY pattern: the value found, `None` sorting first.
    by_value: Option<Vec<u8>>,
}

fn sort_generic(ctx: &mut Ctx<'_>, args: &mut Args<'_>, readonly: bool) -> Result<Reply> {
    let mut argv = vec![ctx.spec.name.as_bytes()];
    argv.extend_from_slice(args.argv());
    let full_key_access =
        crate::acl::has_full_key_access(ctx.db.acl(), &mut ctx.session.auth, ctx.spec, &argv);
    let key = args.bytes()?;
    let mut o = SortOptions::parse(args, readonly, full_key_access)?;
    let s = ctx.scope()?;
    let meta = keyspace::lookup(s, key)?;
    count_lookup(ctx, meta.is_some());
    let meta = match meta {
        Some(m) if !matches!(m.ktype, KeyType::List | KeyType::Set | KeyType::ZSet) => {
            return Err(Error::redis(msg::WRONGTYPE));
        }
        other => other,
    };
    let ktype = meta.map_or(KeyType::List, |m| m.ktype);
    let len = meta.map_or(0, |m| m.len);

    // A set answered in its own order would differ between a replica and a script
    // run: Redis sorts it (ALPHA) when storing.
    if o.dontsort && ktype == KeyType::Set && o.store.is_some() {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }

    // LIMIT, clamped to the collection as Redis does.
    let mut start = o.offset.max(0).min(len);
    let count = o.count.max(-1).min(len);
    let mut end = if count < 0 {
        len - 1
    } else {
        start + count - 1
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }

    // Load the elements. A list or sorted set left in its own order loads only the
    // LIMIT range (DESC reversing it), and the range then covers the whole vector.
    let elements = match meta {
        None => Vec::new(),
        Some(m) if o.dontsort && m.ktype != KeyType::Set => {
            let loaded = if end >= start {
                let (lo, hi) = if o.desc {
                    (len - 1 - end, len - 1 - start)
                } else {
                    (start, end)
                };
                let mut range = match m.ktype {
                    KeyType::List => list::range(s.conn, m.id, span(&m), lo, hi)?,
                    _ => zset::range_by_rank(s.conn, m.id, len, lo, hi)?
                        .into_iter()
                        .map(|e| e.member)
                        .collect(),
                };
                if o.desc {
                    range.reverse();
                }
                range
            } else {
                Vec::new()
            };
            end -= start;
            start = 0;
            loaded
        }
        Some(m) => match m.ktype {
            KeyType::List => list::all(s.conn, m.id, m.head, m.len)?,
            KeyType::ZSet => zset::members_in_order(s.conn, m.id)?,
            _ => in_redis_order(set::members(s.conn, m.id)?),
        },
    };
    let mut items: Vec<Item> = elements
        .into_iter()
        .map(|element| Item {
            element,
            score: 0.0,
            by_value: None,
        })
        .collect();

    // Weigh and sort.
    let mut bad_score = false;
    if !o.dontsort {
        for item in &mut items {
            let by_value = match o.by {
                Some(pattern) => match lookup_by_pattern(ctx, pattern, &item.element)? {
                    Some(v) => v,
                    None => continue,
                },
                None => {
                    if !o.alpha {
                        match weight(&item.element) {
                            Some(score) => item.score = score,
                            None => bad_score = true,
                        }
                    }
                    continue;
                }
            };
            if o.alpha {
                item.by_value = Some(by_value);
            } else {
                match weight(&by_value) {
                    Some(score) => item.score = score,
                    None => bad_score = true,
                }
            }
        }
        let binary = o.store.is_some();
        let by_pattern = o.by.is_some();
        let (alpha, desc) = (o.alpha, o.desc);
        // A stable sort, as glibc's qsort (a merge sort) is: ties keep their order.
        items.sort_by(|a, b| {
            let cmp = if !alpha {
                a.score
                    .partial_cmp(&b.score)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| a.element.cmp(&b.element))
            } else if by_pattern {
                match (&a.by_value, &b.by_value) {
                    (Some(x), Some(y)) => collate(x, y, binary),
                    (x, y) => x.is_some().cmp(&y.is_some()),
                }
            } else {
                collate(&a.element, &b.element, binary)
            };
            if desc {
                cmp.reverse()
            } else {
                cmp
            }
        });
    }
    if bad_score {
        return Err(Error::redis(
            "ERR One or more scores can't be converted into double",
        ));
    }

    // Answer, or store.
    let chosen: &[Item] = if end >= start {
        items.get(start as usize..=end as usize).unwrap_or(&[])
    } else {
        &[]
    };
    match o.store {
        None => {
            let mut out = Vec::new();
            for item in chosen {
                if o.gets.is_empty() {
                    out.push(Reply::Bulk(item.element.clone()));
                }
                for pattern in &o.gets {
                    out.push(Reply::opt_bulk(lookup_by_pattern(
                        ctx,
                        pattern,
                        &item.element,
                    )?));
                }
            }
            Ok(Reply::Array(out))
        }
        Some(dst) => {
            let mut values = Vec::new();
            for item in chosen {
                if o.gets.is_empty() {
                    values.push(item.element.clone());
                }
                for pattern in &o.gets {
                    values
                        .push(lookup_by_pattern(ctx, pattern, &item.element)?.unwrap_or_default());
                }
            }
            store_list(ctx, dst, &values)?;
            Ok(Reply::Int(values.len() as i64))
        }
    }
}

/// ALPHA order: by bytes when storing (Redis's binary `compareStringObjects`), else as
/// `strcoll` in the C locale compares C strings (up to the first NUL).
fn collate(a: &[u8], b: &[u8], binary: bool) -> Ordering {
    if binary {
        a.cmp(b)
    } else {
        c_str(a).cmp(c_str(b))
    }
}

/// Redis's `lookupKeyByPattern`: the value a GET or BY pattern points at for `subst`.
///
/// `#` is the element itself. Otherwise the first `*` (a pattern without one finds
/// nothing) is replaced by the element to make a key name, and a `->field` after the
/// `*` reads that field of a hash instead of a string. A missing key, or one of the
/// other type, finds nothing. Redis's C string reading is kept: `*` and `->` are
/// searched before the first NUL of the pattern.
fn lookup_by_pattern(ctx: &Ctx<'_>, pattern: &[u8], subst: &[u8]) -> Result<Option<Vec<u8>>> {
    if pattern.first() == Some(&b'#') && pattern.get(1).is_none_or(|&c| c == 0) {
        return Ok(Some(subst.to_vec()));
    }
    let visible = c_str(pattern);
    let Some(star) = visible.iter().position(|&c| c == b'*') else {
        return Ok(None);
    };
    let arrow = visible[star + 1..]
        .windows(2)
        .position(|w| w == b"->")
        .map(|i| star + 1 + i)
        .filter(|&f| visible.get(f + 2).is_some());
    let (key_end, field) = match arrow {
        Some(f) => (f, Some(&pattern[f + 2..])),
        None => (pattern.len(), None),
    };
    let mut key = Vec::with_capacity(key_end + subst.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(subst);
    key.extend_from_slice(&pattern[star + 1..key_end]);
    let s = ctx.scope()?;
    let meta = keyspace::lookup(s, &key)?;
    count_lookup(ctx, meta.is_some());
    match (meta, field) {
        (Some(m), Some(field)) if m.ktype == KeyType::Hash => hash::get(s.conn, m.id, field),
        (Some(m), None) if m.ktype == KeyType::String => Ok(Some(string::get(s.conn, m.id)?)),
        _ => Ok(None),
    }
}

/// Redis's SORT weight: `strtod` over the whole value (as a C string: up to its first
/// NUL), leading white space allowed, rejected when anything is left over, when it
/// overflows or underflows (any ERANGE), or when it is NaN. An empty value weighs 0.
fn weight(value: &[u8]) -> Option<f64> {
    let s = c_str(value);
    if s.is_empty() {
        return Some(0.0);
    }
    let (v, n, erange) = strtod(s);
    if n != s.len() || erange || v.is_nan() {
        return None;
    }
    Some(v)
}

/// Where the list `m`'s elements are.
fn span(m: &KeyMeta) -> list::Span {
    list::Span {
        head: m.head,
        len: m.len,
    }
}

/// SORT ... STORE: `dst` becomes a list of `values` (whatever it held before, its
/// expiry too, is gone), or is deleted when there are none. Clients blocked on `dst`
/// (BLPOP ...) are signalled, as Redis's `setKey` does.
fn store_list(ctx: &Ctx<'_>, dst: &[u8], values: &[Vec<u8>]) -> Result<()> {
    let s = ctx.scope()?;
    if values.is_empty() {
        keyspace::delete_key(s, dst)?;
        return Ok(());
    }
    let meta = overwrite(s, dst, KeyType::List)?;
    let written = list::write_all(s.conn, meta.id, values)?;
    keyspace::set_len(s, &meta, written.len, written.head)?;
    ctx.signal_ready(dst);
    Ok(())
}
