//! String commands.

use crate::command::args::eq;
use crate::command::{Args, Ctx, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyType, Scope};
use crate::reply::Reply;
use crate::types::string;

pub const COMMANDS: &[Spec] = &[
    Spec::read("get", 2, get)
        .keys(1, 1, 1)
        .flags(&["readonly", "fast"])
        .acl(&["read", "string", "fast"])
        .doc("string", "1.0.0", "Returns the string value of a key.", "GET key"),
    Spec::write("set", -3, set)
        .keys(1, 1, 1)
        .flags(&["write", "denyoom"])
        .acl(&["write", "string", "slow"])
        .doc(
            "string",
            "1.0.0",
            "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
            "SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
        ),
];

/// The value of string key `key`, or `None`; WRONGTYPE for another type.
pub(crate) fn get_value(s: Scope<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    match keyspace::lookup_typed(s, key, KeyType::String)? {
        Some(m) => Ok(Some(string::get(s.conn, m.id)?)),
        None => Ok(None),
    }
}

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
    let existing = keyspace::lookup(s, key)?;
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
            if m.ktype == KeyType::String {
                keyspace::touch_expire(s, m.id, expire_at)?;
            } else {
                keyspace::retype(s, &m, KeyType::String, expire_at)?;
            }
            string::put(s.conn, m.id, value)
        }
        None => {
            let expire_at = match expiry {
                Expiry::At(t) => Some(t),
                _ => None,
            };
            let id = keyspace::create(s, key, KeyType::String, expire_at)?;
            string::put(s.conn, id, value)
        }
    }
}

/// Turn a relative or absolute expiry argument into unix ms, with Redis's checks:
/// not an integer → "value is not an integer"; zero, negative or overflowing →
/// "invalid expire time in '<cmd>' command".
pub(crate) fn expire_at_ms(cmd: &str, arg: &[u8], unit_ms: i64, absolute: bool, now: i64) -> Result<i64> {
    let n = crate::command::args::parse_i64(arg).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
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

/// GET key
fn get(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let v = get_value(ctx.scope()?, key)?;
    let stats = ctx.db.stats();
    let counter = if v.is_some() { &stats.keyspace_hits } else { &stats.keyspace_misses };
    counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    Ok(Reply::opt_bulk(v))
}

/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds |
///   EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
fn set(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let value = args.bytes()?;
    let (mut nx, mut xx, mut want_get, mut keepttl) = (false, false, false, false);
    // (unit in ms, absolute?, argument)
    let mut expire: Option<(i64, bool, &[u8])> = None;
    while let Some(opt) = args.next() {
        if eq(opt, "NX") && !xx {
            nx = true;
        } else if eq(opt, "XX") && !nx {
            xx = true;
        } else if eq(opt, "GET") {
            want_get = true;
        } else if eq(opt, "KEEPTTL") && expire.is_none() {
            keepttl = true;
        } else if !keepttl && expire.is_none() && args.peek().is_some() {
            let unit = if eq(opt, "EX") {
                (1000, false)
            } else if eq(opt, "PX") {
                (1, false)
            } else if eq(opt, "EXAT") {
                (1000, true)
            } else if eq(opt, "PXAT") {
                (1, true)
            } else {
                return Err(Error::redis(msg::SYNTAX));
            };
            expire = Some((unit.0, unit.1, args.bytes()?));
        } else {
            return Err(Error::redis(msg::SYNTAX));
        }
    }
    let expiry = match expire {
        Some((unit, absolute, arg)) => Expiry::At(expire_at_ms("set", arg, unit, absolute, ctx.now)?),
        None if keepttl => Expiry::Keep,
        None => Expiry::Clear,
    };
    let s = ctx.scope()?;
    let old = if want_get { get_value(s, key)? } else { None };
    let exists = if want_get { old.is_some() } else { keyspace::lookup(s, key)?.is_some() };
    if (nx && exists) || (xx && !exists) {
        return Ok(if want_get { Reply::opt_bulk(old) } else { Reply::Nil });
    }
    set_value(s, key, value, expiry)?;
    Ok(if want_get { Reply::opt_bulk(old) } else { Reply::ok() })
}
