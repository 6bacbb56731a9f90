//! Looking up a command's keys, as Redis's `lookupKeyRead` / `lookupKeyWrite` and
//! `setKey` do for every family: a read counted as a keyspace hit or miss, the
//! WRONGTYPE check, a key created empty for a write, a key replaced whole by a STORE.
//! (The `keys` table itself is keyspace.rs; these add what a command does around it.)

use std::sync::atomic::Ordering;

use crate::command::Ctx;
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType, Scope};

/// Count a read lookup as Redis's `lookupKeyRead` does: a hit if the key exists
/// (of whatever type), a miss if not.
pub(crate) fn count_lookup(ctx: &Ctx<'_>, found: bool) {
    let stats = ctx.db.stats();
    let counter = if found {
        &stats.keyspace_hits
    } else {
        &stats.keyspace_misses
    };
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A read of string key `key` (GET, STRLEN, GETRANGE, ...): counted as a hit or a
/// miss, then WRONGTYPE if the key holds another type.
pub(crate) fn read_lookup(ctx: &Ctx<'_>, key: &[u8]) -> Result<Option<KeyMeta>> {
    let m = keyspace::lookup(ctx.scope()?, key)?;
    count_lookup(ctx, m.is_some());
    match m {
        Some(m) if m.ktype != KeyType::String => Err(Error::redis(msg::WRONGTYPE)),
        other => Ok(other),
    }
}

/// A read of key `key` on behalf of a reading command, as Redis's `lookupKeyRead`:
/// counted as a keyspace hit or miss (whatever the key holds), then WRONGTYPE if it
/// holds another type than `want`.
pub(crate) fn read_typed(ctx: &Ctx<'_>, key: &[u8], want: KeyType) -> Result<Option<KeyMeta>> {
    let m = keyspace::lookup(ctx.scope()?, key)?;
    let stats = ctx.db.stats();
    let counter = if m.is_some() {
        &stats.keyspace_hits
    } else {
        &stats.keyspace_misses
    };
    counter.fetch_add(1, Ordering::Relaxed);
    match m {
        Some(m) if m.ktype != want => Err(Error::redis(msg::WRONGTYPE)),
        other => Ok(other),
    }
}

/// The live key `key` of type `want`, created empty (no expiry) if there is none;
/// WRONGTYPE if it holds another type. The caller stores its new length with
/// `keyspace::set_len` once it has written the elements.
pub(crate) fn get_or_create(s: Scope<'_>, key: &[u8], want: KeyType) -> Result<KeyMeta> {
    if let Some(m) = keyspace::lookup_typed(s, key, want)? {
        return Ok(m);
    }
    keyspace::create(s, key, want, None)
}

/// Replace whatever `key` holds (of any type, its expiry too) with a fresh, empty key
/// of type `ktype`, as Redis's `setKey` does for the STORE commands; the caller writes
/// the elements and then the length with `keyspace::set_len`.
pub(crate) fn overwrite(s: Scope<'_>, key: &[u8], ktype: KeyType) -> Result<KeyMeta> {
    match keyspace::lookup(s, key)? {
        Some(mut m) => {
            keyspace::retype(s, &m, ktype, None)?;
            m.ktype = ktype;
            m.expire_at = None;
            m.len = 0;
            m.head = 0;
            Ok(m)
        }
        None => get_or_create(s, key, ktype),
    }
}
