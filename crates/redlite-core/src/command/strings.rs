//! String commands.

use crate::num::longdouble::LongDouble;

use crate::command::args::{eq, parse_i64};
use crate::command::keyspec::{
    getkeys, ACCESS, DELETE, INSERT, OW, RO, RW, UPDATE, VARIABLE_FLAGS,
};
use crate::command::lookup::{count_lookup, read_lookup};
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType, Scope};
use crate::reply::Reply;
use crate::types::string;

/// What a write does to the key's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expiry {
    /// Remove any expiry (a plain SET).
    Clear,
    /// Leave it as it is (KEEPTTL, SETRANGE, APPEND, INCR ...).
    Keep,
    /// Expire at this unix ms.
    At(i64),
}

/// Store `value` under `key` as a string, replacing whatever was there (of any type).
pub(crate) fn set_value(s: Scope<'_>, key: &[u8], value: &[u8], expiry: Expiry) -> Result<()> {
    let expire_at = match expiry {
        Expiry::Clear => Some(None),
        Expiry::At(t) if t > s.now => Some(Some(t)),
        _ => None,
    };
    if let Some(expire_at) = expire_at {
        if keyspace::upsert_string(s, key, expire_at, value)? {
            return Ok(());
        }
    }
    let existing = keyspace::lookup(s, key)?;
    set_found(s, key, existing, value, expiry)
}

/// `set_value` for a key the caller has just looked up (`existing`).
fn set_found(
    s: Scope<'_>,
    key: &[u8],
    existing: Option<KeyMeta>,
    value: &[u8],
    expiry: Expiry,
) -> Result<()> {
    if let Expiry::At(t) = expiry {
        if t <= s.now {
            // Redis sets and at once expires: the key is simply gone.
            if let Some(m) = existing {
                keyspace::delete(s.conn, &m)?;
            }
            return Ok(());
        }
    }
    match existing {
        Some(m) => {
            let expire_at = match expiry {
                Expiry::Clear => None,
                Expiry::Keep => m.expire_at,
                Expiry::At(t) => Some(t),
            };
            if m.ktype != KeyType::String {
                keyspace::retype(s, &m, KeyType::String, expire_at)?;
            }
            keyspace::put_string(s, m.id, expire_at, value)
        }
        None => {
            let expire_at = match expiry {
                Expiry::At(t) => Some(t),
                _ => None,
            };
            keyspace::create_string(s, key, expire_at, value).map(|_| ())
        }
    }
}

/// Overwrite the value of the string key `existing` (keeping its expiry), or create
/// `key` with `value` when there is none: the write of INCR, INCRBYFLOAT and such.
/// Returns the key's id.
fn store(s: Scope<'_>, key: &[u8], existing: Option<&KeyMeta>, value: &[u8]) -> Result<i64> {
    match existing {
        Some(m) => {
            keyspace::put_string(s, m.id, m.expire_at, value)?;
            Ok(m.id)
        }
        None => Ok(keyspace::create_string(s, key, None, value)?.id),
    }
}

/// Turn a relative or absolute expiry argument into unix ms, with Redis's checks:
/// not an integer → "value is not an integer"; zero, negative or overflowing →
/// "invalid expire time in '<cmd>' command".
pub(crate) fn expire_at_ms(
    cmd: &str,
    arg: &[u8],
    unit_ms: i64,
    absolute: bool,
    now: i64,
) -> Result<i64> {
    let n = parse_i64(arg).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
    let invalid = || Error::redis(msg::invalid_expire(cmd));
    if n <= 0 {
        return Err(invalid());
    }
    let ms = n.checked_mul(unit_ms).ok_or_else(invalid)?;
    if absolute {
        Ok(ms)
    } else {
        ms.checked_add(now).ok_or_else(invalid)
    }
}

/// The options SET and GETEX share, read as Redis's `parseExtendedStringArgumentsOrReply`
/// reads them: an expiry option may repeat (the last one counts) but not mix with another
/// kind of expiry; NX, XX, GET and KEEPTTL are SET's only, PERSIST is GETEX's only.
#[derive(Default)]
struct StringOptions<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keepttl: bool,
    persist: bool,
    /// (the option: EX, PX, EXAT or PXAT, its argument)
    expire: Option<(&'static str, &'a [u8])>,
}

impl<'a> StringOptions<'a> {
    fn parse(args: &mut Args<'a>, for_set: bool) -> Result<StringOptions<'a>> {
        let mut o = StringOptions::default();
        while let Some(opt) = args.next() {
            let kind = o.expire.map(|(k, _)| k);
            let other_expiry = |this: &str| kind.is_some_and(|k| k != this);
            if for_set && eq(opt, "NX") && !o.xx {
                o.nx = true;
            } else if for_set && eq(opt, "XX") && !o.nx {
                o.xx = true;
            } else if for_set && eq(opt, "GET") {
                o.get = true;
            } else if for_set && eq(opt, "KEEPTTL") && !o.persist && kind.is_none() {
                o.keepttl = true;
            } else if !for_set && eq(opt, "PERSIST") && kind.is_none() && !o.keepttl {
                o.persist = true;
            } else if let Some(name) = ["EX", "PX", "EXAT", "PXAT"]
                .into_iter()
                .find(|n| eq(opt, n))
            {
                if o.keepttl || o.persist || other_expiry(name) || args.peek().is_none() {
                    return Err(Error::redis(msg::SYNTAX));
                }
                o.expire = Some((name, args.bytes()?));
            } else {
                return Err(Error::redis(msg::SYNTAX));
            }
        }
        Ok(o)
    }

    /// The expiry as unix ms, if one was given.
    fn expire_at(&self, cmd: &str, now: i64) -> Result<Option<i64>> {
        match self.expire {
            None => Ok(None),
            Some((name, arg)) => {
                let (unit, absolute) = match name {
                    "EX" => (1000, false),
                    "PX" => (1, false),
                    "EXAT" => (1000, true),
                    _ => (1, true),
                };
                expire_at_ms(cmd, arg, unit, absolute, now).map(Some)
            }
        }
    }

    fn absolute(&self) -> bool {
        matches!(self.expire, Some(("EXAT" | "PXAT", _)))
    }
}

/// GET key
fn get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    // A GET in a read transaction of its own (not in MULTI or a script, which read
    // their own snapshot) tells the read cache what it found (`get_cached` missed).
    let cache = ctx.alone.then(|| ctx.db.read_cache());
    let seen = cache.and_then(|c| c.before_read());
    let found = keyspace::lookup_value(ctx.scope()?, key)?;
    count_lookup(ctx, found.is_some());
    match found {
        Some((m, _)) if m.ktype != KeyType::String => Err(Error::redis(msg::WRONGTYPE)),
        Some((m, value)) => {
            let value = value.unwrap_or_default();
            if let Some(c) = cache {
                c.fill(seen, ctx.session.db, key, m.id, &value, m.expire_at);
            }
            Ok(Reply::Bulk(value))
        }
        None => Ok(Reply::Nil),
    }
}

/// GET answered from the read cache, before any transaction (see cache.rs).
fn get_cached(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Option<Reply> {
    let key = args.bytes().ok()?;
    let value = ctx.db.read_cache().get(ctx.session.db, key, ctx.now)?;
    count_lookup(ctx, true);
    Some(Reply::Bulk(value))
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
///   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
fn set(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let value = args.bytes()?;
    let opts = StringOptions::parse(args, true)?;
    let expiry = match opts.expire_at("set", ctx.now)? {
        Some(t) => Expiry::At(t),
        None if opts.keepttl => Expiry::Keep,
        None => Expiry::Clear,
    };
    let s = ctx.scope()?;
    if !(opts.get || opts.nx || opts.xx) {
        set_value(s, key, value, expiry)?;
        return Ok(Reply::ok());
    }
    let old = match opts.get {
        true => match read_lookup(ctx, key)? {
            Some(m) => Some(string::get(s.conn, m.id)?),
            None => None,
        },
        false => None,
    };
    let existing = keyspace::lookup(s, key)?;
    if (opts.nx && existing.is_some()) || (opts.xx && existing.is_none()) {
        return Ok(if opts.get {
            Reply::opt_bulk(old)
        } else {
            Reply::Nil
        });
    }
    set_found(s, key, existing, value, expiry)?;
    Ok(if opts.get {
        Reply::opt_bulk(old)
    } else {
        Reply::ok()
    })
}

/// SETNX key value
fn setnx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let value = args.bytes()?;
    let s = ctx.scope()?;
    if keyspace::lookup(s, key)?.is_some() {
        return Ok(Reply::Int(0));
    }
    set_found(s, key, None, value, Expiry::Clear)?;
    Ok(Reply::Int(1))
}

/// SETEX key seconds value
fn setex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    set_with_expiry(ctx, args, "setex", 1000)
}

/// PSETEX key milliseconds value
fn psetex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    set_with_expiry(ctx, args, "psetex", 1)
}

fn set_with_expiry(
    ctx: &mut Ctx<'_>,
    args: &mut Args<'_>,
    cmd: &str,
    unit_ms: i64,
) -> Result<Reply> {
    let key = args.bytes()?;
    let at = expire_at_ms(cmd, args.bytes()?, unit_ms, false, ctx.now)?;
    let value = args.bytes()?;
    set_value(ctx.scope()?, key, value, Expiry::At(at))?;
    Ok(Reply::ok())
}

/// GETSET key value
fn getset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let value = args.bytes()?;
    let s = ctx.scope()?;
    let old = match read_lookup(ctx, key)? {
        Some(m) => Some(string::get(s.conn, m.id)?),
        None => None,
    };
    set_value(s, key, value, Expiry::Clear)?;
    Ok(Reply::opt_bulk(old))
}

/// GETDEL key
fn getdel(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Nil);
    };
    let conn = ctx.conn()?;
    let value = string::get(conn, m.id)?;
    keyspace::delete(conn, &m)?;
    Ok(Reply::Bulk(value))
}

/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///   PXAT unix-time-milliseconds | PERSIST]
fn getex(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let opts = StringOptions::parse(args, false)?;
    // Redis looks the key up before it reads the expiry: a missing key is nil even
    // with an invalid time.
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Nil);
    };
    let at = opts.expire_at("getex", ctx.now)?;
    let s = ctx.scope()?;
    let value = string::get(s.conn, m.id)?;
    match at {
        Some(t) if opts.absolute() && t <= ctx.now => keyspace::delete(s.conn, &m)?,
        Some(t) => keyspace::touch_expire(s, m.id, Some(t))?,
        None if opts.persist && m.expire_at.is_some() => keyspace::touch_expire(s, m.id, None)?,
        None => {}
    }
    Ok(Reply::Bulk(value))
}

/// MGET key [key ...]
fn mget(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    let mut out = Vec::with_capacity(args.remaining());
    for key in args.rest() {
        let m = keyspace::lookup(s, key)?;
        count_lookup(ctx, m.is_some());
        out.push(match m {
            Some(m) if m.ktype == KeyType::String => Reply::Bulk(string::get(s.conn, m.id)?),
            _ => Reply::Nil,
        });
    }
    Ok(Reply::Array(out))
}

/// The key/value pairs of MSET and MSETNX; an odd count is an arity error.
fn pairs<'a>(args: &mut Args<'a>, cmd: &str) -> Result<Vec<(&'a [u8], &'a [u8])>> {
    let rest = args.rest();
    if !rest.len().is_multiple_of(2) {
        return Err(Error::redis(msg::wrong_arity(cmd)));
    }
    Ok(rest.chunks(2).map(|p| (p[0], p[1])).collect())
}

/// MSET key value [key value ...]
fn mset(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let pairs = pairs(args, "mset")?;
    let s = ctx.scope()?;
    for (key, value) in pairs {
        set_value(s, key, value, Expiry::Clear)?;
    }
    Ok(Reply::ok())
}

/// MSETNX key value [key value ...]
fn msetnx(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let pairs = pairs(args, "msetnx")?;
    let s = ctx.scope()?;
    for (key, _) in &pairs {
        if keyspace::lookup(s, key)?.is_some() {
            return Ok(Reply::Int(0));
        }
    }
    for (key, value) in pairs {
        set_value(s, key, value, Expiry::Clear)?;
    }
    Ok(Reply::Int(1))
}

/// The longest decimal a 64-bit integer takes ("-9223372036854775808").
const MAX_INT_LEN: i64 = 20;

/// Add `delta` to the integer in string key `key` (0 if missing), keeping its expiry.
fn incr_by(ctx: &Ctx<'_>, key: &[u8], delta: i64) -> Result<Reply> {
    let s = ctx.scope()?;
    let m = keyspace::lookup_typed(s, key, KeyType::String)?;
    let current = match &m {
        Some(m) => string::get_short(s.conn, m.id, MAX_INT_LEN)?
            .and_then(|v| parse_i64(&v))
            .ok_or_else(|| Error::redis(msg::NOT_INTEGER))?,
        None => 0,
    };
    let new = current
        .checked_add(delta)
        .ok_or_else(|| Error::redis(msg::OVERFLOW))?;
    store(s, key, m.as_ref(), new.to_string().as_bytes())?;
    Ok(Reply::Int(new))
}

/// INCR key
fn incr(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    incr_by(ctx, args.bytes()?, 1)
}

/// DECR key
fn decr(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    incr_by(ctx, args.bytes()?, -1)
}

/// INCRBY key increment
fn incrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let delta = args.int()?;
    incr_by(ctx, key, delta)
}

/// DECRBY key decrement
fn decrby(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let delta = args.int()?;
    if delta == i64::MIN {
        return Err(Error::redis("ERR decrement would overflow"));
    }
    incr_by(ctx, key, -delta)
}

/// INCRBYFLOAT key increment
///
/// Computed in x87 `long double` as Redis computes it (see `longdouble`), and stored
/// as the text Redis would store.
fn incrbyfloat(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let increment = args.bytes()?;
    let not_float = || Error::redis(msg::NOT_FLOAT);
    let s = ctx.scope()?;
    let m = keyspace::lookup_typed(s, key, KeyType::String)?;
    let current = match &m {
        Some(m) => string::get_short(s.conn, m.id, 5 * 1024 - 1)?
            .and_then(|v| LongDouble::parse(&v))
            .ok_or_else(not_float)?,
        None => LongDouble::ZERO,
    };
    let increment = LongDouble::parse(increment).ok_or_else(not_float)?;
    let sum = current.add(increment);
    if !sum.is_finite() {
        return Err(Error::redis("ERR increment would produce NaN or Infinity"));
    }
    let text = sum.to_human().into_bytes();
    let id = store(s, key, m.as_ref(), &text)?;
    // Redis makes the result a plain string object, never an integer one.
    string::set_form(s.conn, id, string::Form::Plain)?;
    Ok(Reply::Bulk(text))
}

/// The error of a string that would outgrow proto-max-bulk-len.
fn check_length(len: i64, extra: i64) -> Result<()> {
    match len.checked_add(extra) {
        Some(n) if n <= string::MAX_LEN => Ok(()),
        _ => Err(Error::redis(msg::STRING_TOO_LONG)),
    }
}

/// APPEND key value
fn append(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let value = args.bytes()?;
    let s = ctx.scope()?;
    match keyspace::lookup_typed(s, key, KeyType::String)? {
        None => {
            let id = keyspace::create(s, key, KeyType::String, None)?.id;
            string::put(s.conn, id, value)?;
            Ok(Reply::Int(value.len() as i64))
        }
        Some(m) => {
            check_length(string::len(s.conn, m.id)?, value.len() as i64)?;
            let n = string::append(s.conn, m.id, value)?;
            keyspace::touch(s, m.id)?;
            Ok(Reply::Int(n))
        }
    }
}

/// STRLEN key
fn strlen(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    match read_lookup(ctx, key)? {
        Some(m) => Ok(Reply::Int(string::len(ctx.conn()?, m.id)?)),
        None => Ok(Reply::Int(0)),
    }
}

/// GETRANGE key start end (and SUBSTR key start end)
fn getrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let mut start = args.int()?;
    let mut end = args.int()?;
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Bulk(Vec::new()));
    };
    let conn = ctx.conn()?;
    let len = string::len(conn, m.id)?;
    if start < 0 && end < 0 && start > end {
        return Ok(Reply::Bulk(Vec::new()));
    }
    if start < 0 {
        start = start.wrapping_add(len).max(0);
    }
    if end < 0 {
        end = end.wrapping_add(len).max(0);
    }
    end = end.min(len - 1);
    if start > end || len == 0 {
        return Ok(Reply::Bulk(Vec::new()));
    }
    Ok(Reply::Bulk(string::range(
        conn,
        m.id,
        start,
        end - start + 1,
    )?))
}

/// SETRANGE key offset value
fn setrange(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let offset = args.int()?;
    let value = args.bytes()?;
    if offset < 0 {
        return Err(Error::redis("ERR offset is out of range"));
    }
    let s = ctx.scope()?;
    let id = match keyspace::lookup_typed(s, key, KeyType::String)? {
        None => {
            // Setting nothing on a missing key creates nothing.
            if value.is_empty() {
                return Ok(Reply::Int(0));
            }
            check_length(offset, value.len() as i64)?;
            let id = keyspace::create(s, key, KeyType::String, None)?.id;
            string::put(s.conn, id, b"")?;
            id
        }
        Some(m) => {
            if value.is_empty() {
                return Ok(Reply::Int(string::len(s.conn, m.id)?));
            }
            check_length(offset, value.len() as i64)?;
            keyspace::touch(s, m.id)?;
            m.id
        }
    };
    Ok(Reply::Int(string::write_at(s.conn, id, offset, value)?))
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
fn lcs(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let s = ctx.scope()?;
    let mut values: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut wrong_type = false;
    for v in values.iter_mut() {
        let key = args.bytes()?;
        let m = keyspace::lookup(s, key)?;
        count_lookup(ctx, m.is_some());
        match m {
            Some(m) if m.ktype == KeyType::String => *v = string::get(s.conn, m.id)?,
            Some(_) => wrong_type = true,
            None => {}
        }
    }
    if wrong_type {
        return Err(Error::redis(
            "ERR The specified keys must contain string values",
        ));
    }
    let (mut want_len, mut want_idx, mut with_len, mut min_len) = (false, false, false, 0i64);
    while let Some(opt) = args.next() {
        if eq(opt, "IDX") {
            want_idx = true;
        } else if eq(opt, "LEN") {
            want_len = true;
        } else if eq(opt, "WITHMATCHLEN") {
            with_len = true;
        } else if eq(opt, "MINMATCHLEN") && args.peek().is_some() {
            min_len = args.int()?.max(0);
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    if want_idx && want_len {
        return Err(Error::redis(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    let [a, b] = &values;
    let table = LcsTable::new(a, b)?;
    if want_len {
        return Ok(Reply::Int(table.at(a.len(), b.len()) as i64));
    }
    let (common, matches) = table.walk(a, b);
    if !want_idx {
        return Ok(Reply::Bulk(common));
    }
    let pair = |x: usize, y: usize| Reply::Array(vec![Reply::Int(x as i64), Reply::Int(y as i64)]);
    let matches = matches
        .into_iter()
        .filter(|m| min_len == 0 || m.len as i64 >= min_len)
        .map(|m| {
            let mut item = vec![pair(m.a.0, m.a.1), pair(m.b.0, m.b.1)];
            if with_len {
                item.push(Reply::Int(m.len as i64));
            }
            Reply::Array(item)
        })
        .collect();
    Ok(Reply::Map(vec![
        (Reply::bulk("matches"), Reply::Array(matches)),
        (
            Reply::bulk("len"),
            Reply::Int(table.at(a.len(), b.len()) as i64),
        ),
    ]))
}

/// Redis's LCS dynamic-programming table: `at(i, j)` is the length of the longest
/// common subsequence of `a[..i]` and `b[..j]`.
struct LcsTable {
    cells: Vec<u32>,
    width: usize,
}

/// One matching range of LCS IDX: inclusive positions in each string.
struct LcsMatch {
    a: (usize, usize),
    b: (usize, usize),
    len: usize,
}

impl LcsTable {
    fn new(a: &[u8], b: &[u8]) -> Result<LcsTable> {
        if a.len() as u64 >= u32::MAX as u64 - 1 || b.len() as u64 >= u32::MAX as u64 - 1 {
            return Err(Error::redis("ERR String too long for LCS"));
        }
        let width = b.len() + 1;
        let cells_needed = (a.len() as u64 + 1) * width as u64;
        if cells_needed * 4 > string::MAX_LEN as u64 {
            return Err(Error::redis(
                "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
            ));
        }
        let mut cells = vec![0u32; cells_needed as usize];
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                cells[i * width + j] = if a[i - 1] == b[j - 1] {
                    cells[(i - 1) * width + j - 1] + 1
                } else {
                    cells[(i - 1) * width + j].max(cells[i * width + j - 1])
                };
            }
        }
        Ok(LcsTable { cells, width })
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells[i * self.width + j]
    }

    /// Walk back from the end as Redis does: the common subsequence, and its
    /// contiguous ranges from the last to the first.
    fn walk(&self, a: &[u8], b: &[u8]) -> (Vec<u8>, Vec<LcsMatch>) {
        let mut idx = self.at(a.len(), b.len()) as usize;
        let mut common = vec![0u8; idx];
        let mut matches = Vec::new();
        let (mut i, mut j) = (a.len(), b.len());
        // The range being grown backwards: (a_start, a_end, b_start, b_end).
        let mut range: Option<(usize, usize, usize, usize)> = None;
        while i > 0 && j > 0 {
            let mut emit = false;
            if a[i - 1] == b[j - 1] {
                common[idx - 1] = a[i - 1];
                range = match range {
                    None => Some((i - 1, i - 1, j - 1, j - 1)),
                    Some((as_, ae, bs, be)) if as_ == i && bs == j => {
                        Some((as_ - 1, ae, bs - 1, be))
                    }
                    Some(r) => {
                        emit = true;
                        Some(r)
                    }
                };
                if let Some((as_, _, bs, _)) = range {
                    if as_ == 0 || bs == 0 {
                        emit = true;
                    }
                }
                idx -= 1;
                i -= 1;
                j -= 1;
            } else {
                if self.at(i - 1, j) > self.at(i, j - 1) {
                    i -= 1;
                } else {
                    j -= 1;
                }
                emit = range.is_some();
            }
            if emit {
                if let Some((as_, ae, bs, be)) = range.take() {
                    matches.push(LcsMatch {
                        a: (as_, ae),
                        b: (bs, be),
                        len: ae - as_ + 1,
                    });
                }
            }
        }
        (common, matches)
    }
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::read("get", 2, get)
        .peek(get_cached)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "string", "fast"])
        .doc("string", "1.0.0", "Get the value of a key", "GET key")
        .complexity("O(1)"),
    Spec::write("set", -3, set)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | UPDATE | VARIABLE_FLAGS)
                .index(1)
                .range(0, 1, 0)
                .notes("RW and ACCESS due to the optional `GET` argument"),
        ])
        .getkeys(getkeys::set)
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .doc(
            "string",
            "1.0.0",
            "Set the string value of a key",
            "SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
        )
        .complexity("O(1)")
        .history(&[
            ("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."),
            ("6.0.0", "Added the `KEEPTTL` option."),
            ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."),
            ("7.0.0", "Allowed the `NX` and `GET` options to be used together."),
        ]),
    Spec::write("setnx", 3, setnx)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(OW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "1.0.0",
            "Set the value of a key, only if the key does not exist",
            "SETNX key value",
        )
        .complexity("O(1)"),
    Spec::write("setex", 4, setex)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .doc(
            "string",
            "2.0.0",
            "Set the value and expiration of a key",
            "SETEX key seconds value",
        )
        .complexity("O(1)"),
    Spec::write("psetex", 4, psetex)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(OW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .doc(
            "string",
            "2.6.0",
            "Set the value and expiration in milliseconds of a key",
            "PSETEX key milliseconds value",
        )
        .complexity("O(1)"),
    Spec::write("getset", 3, getset)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "1.0.0",
            "Set the string value of a key and return its old value",
            "GETSET key value",
        )
        .complexity("O(1)")
        .deprecated("6.2.0", "`SET` with the `!GET` argument"),
    Spec::write("getdel", 2, getdel)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)])
        .flags(&["write", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "6.2.0",
            "Get the value of a key and delete the key",
            "GETDEL key",
        )
        .complexity("O(1)"),
    Spec::write("getex", -2, getex)
        .keys(1, 1, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | UPDATE)
                .index(1)
                .range(0, 1, 0)
                .notes("RW and UPDATE because it changes the TTL"),
        ])
        .flags(&["write", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "6.2.0",
            "Get the value of a key and optionally set its expiration",
            "GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
        )
        .complexity("O(1)"),
    Spec::read("mget", -2, mget)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(-1, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "string", "fast"])
        .tips(&["request_policy:multi_shard"])
        .doc(
            "string",
            "1.0.0",
            "Get the values of all the given keys",
            "MGET key [key ...]",
        )
        .complexity("O(N) where N is the number of keys to retrieve."),
    Spec::write("mset", -3, mset)
        .fails_clean()
        .keys(1, -1, 2)
        .key_specs(&[KeySpec::new(OW | UPDATE).index(1).range(-1, 2, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .tips(&["request_policy:multi_shard", "response_policy:all_succeeded"])
        .doc(
            "string",
            "1.0.1",
            "Set multiple keys to multiple values",
            "MSET key value [key value ...]",
        )
        .complexity("O(N) where N is the number of keys to set."),
    Spec::write("msetnx", -3, msetnx)
        .keys(1, -1, 2)
        .key_specs(&[KeySpec::new(OW | INSERT).index(1).range(-1, 2, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .tips(&["request_policy:multi_shard", "response_policy:agg_min"])
        .doc(
            "string",
            "1.0.1",
            "Set multiple keys to multiple values, only if none of the keys exist",
            "MSETNX key value [key value ...]",
        )
        .complexity("O(N) where N is the number of keys to set."),
    Spec::write("incr", 2, incr)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "1.0.0",
            "Increment the integer value of a key by one",
            "INCR key",
        )
        .complexity("O(1)"),
    Spec::write("decr", 2, decr)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "1.0.0",
            "Decrement the integer value of a key by one",
            "DECR key",
        )
        .complexity("O(1)"),
    Spec::write("incrby", 3, incrby)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "1.0.0",
            "Increment the integer value of a key by the given amount",
            "INCRBY key increment",
        )
        .complexity("O(1)"),
    Spec::write("decrby", 3, decrby)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "1.0.0",
            "Decrement the integer value of a key by the given number",
            "DECRBY key decrement",
        )
        .complexity("O(1)"),
    Spec::write("incrbyfloat", 3, incrbyfloat)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "2.6.0",
            "Increment the float value of a key by the given amount",
            "INCRBYFLOAT key increment",
        )
        .complexity("O(1)"),
    Spec::write("append", 3, append)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "string", "fast"])
        .doc(
            "string",
            "2.0.0",
            "Append a value to a key",
            "APPEND key value",
        )
        .complexity(
            "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
        ),
    Spec::read("strlen", 2, strlen)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "string", "fast"])
        .doc("string", "2.2.0", "Get the length of the value stored in a key", "STRLEN key")
        .complexity("O(1)"),
    Spec::read("getrange", 4, getrange)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "string", "slow"])
        .doc(
            "string",
            "2.4.0",
            "Get a substring of the string stored at a key",
            "GETRANGE key start end",
        )
        .complexity(
            "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        ),
    Spec::write("setrange", 4, setrange)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .doc(
            "string",
            "2.2.0",
            "Overwrite part of a string at key starting at the specified offset",
            "SETRANGE key offset value",
        )
        .complexity(
            "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
        ),
    Spec::read("substr", 4, getrange)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "string", "slow"])
        .doc(
            "string",
            "1.0.0",
            "Get a substring of the string stored at a key",
            "SUBSTR key start end",
        )
        .complexity(
            "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
        )
        .deprecated("2.0.0", "`GETRANGE`"),
    Spec::read("lcs", -3, lcs)
        .keys(1, 2, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(1, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "string", "slow"])
        .doc(
            "string",
            "7.0.0",
            "Find longest common substring",
            "LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]",
        )
        .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively"),
];
