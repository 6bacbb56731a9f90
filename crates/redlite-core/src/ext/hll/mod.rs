//! HyperLogLog: PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST, byte for byte as
//! Redis 7.0 (a port of the logic of its hyperloglog.c).
//!
//! A HyperLogLog is a plain string value, as in Redis: a 16-byte header ("HYLL", the
//! encoding, three unused bytes, the cached cardinality in 8 little-endian bytes whose
//! top bit marks it stale) and the 16384 registers, sparse (sparse.rs) or dense
//! (dense.rs). Elements reach their register through MurmurHash64A (hash.rs); the
//! count comes from the register histogram (estimate.rs). GET of the key shows the
//! same bytes Redis would hold after the same commands, and a value written by Redis
//! (SET of its bytes) works here, and back.
//!
//! Storage is the string storage of the core (keyspace.rs, types/string.rs): the
//! value is read whole, changed in memory and written back, so the read cache and
//! WATCH see an HLL write as any string write. Redis marks what the commands touch
//! as a "raw" string (OBJECT ENCODING), and so does this.
//!
//! PFCOUNT is a read in Redis's table, yet it writes the cached cardinality into the
//! string (and makes it "raw"). Here it runs in a read transaction, and when it finds
//! something to write it runs again in a write transaction (`upgrade`). A read-only
//! script has no write transaction to upgrade to: there PFCOUNT answers the same but
//! leaves the string as it was (Redis would update the cache).

mod dense;
mod estimate;
mod hash;
mod sparse;

use crate::command::keyspec::{ACCESS, INSERT, RO, RW};
use crate::command::lookup::count_lookup;
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::config::{self, Slot};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyMeta, KeyType};
use crate::reply::Reply;
use crate::types::string::{self, Form};

/// log2 of the register count: the bits of the hash that pick the register.
const P: usize = 14;
/// The bits of the hash left for the run of zeros.
const Q: usize = 64 - P;
const REGISTERS: usize = 1 << P;
const BITS: usize = 6;
/// "HYLL", encoding, 3 unused bytes, 8 bytes of cached cardinality.
const HEADER: usize = 16;
const DENSE: u8 = 0;
const SPARSE: u8 = 1;

const WRONGTYPE_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const INVALIDOBJ: &str = "INVALIDOBJ Corrupted HLL object detected";
const SPARSE_MAX_BYTES: Slot = config::slot("hll-sparse-max-bytes");

pub const COMMANDS: &[Spec] = &[
    Spec::write("pfadd", -2, pfadd)
        .fails_clean()
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | INSERT).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom", "fast"])
        .acl(&["write", "hyperloglog", "fast"])
        .doc(
            "hyperloglog",
            "2.8.9",
            "Adds the specified elements to the specified HyperLogLog.",
            "PFADD key [element [element ...]]",
        )
        .complexity("O(1) to add every element."),
    Spec::read("pfcount", -2, pfcount)
        .keys(1, -1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS)
            .index(1)
            .range(-1, 1, 0)
            .notes("RW because it may change the internal representation of the key, and propagate to replicas")])
        .flags(&["readonly"])
        .acl(&["read", "hyperloglog", "slow"])
        .doc(
            "hyperloglog",
            "2.8.9",
            "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
            "PFCOUNT key [key ...]",
        )
        .complexity("O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys."),
    Spec::write("pfmerge", -2, pfmerge)
        .keys(1, -1, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | INSERT).index(1).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(2).range(-1, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "hyperloglog", "slow"])
        .doc(
            "hyperloglog",
            "2.8.9",
            "Merge N different HyperLogLogs into a single one.",
            "PFMERGE destkey sourcekey [sourcekey ...]",
        )
        .complexity("O(N) to merge N HyperLogLogs, but with high constant times."),
    Spec::write("pfdebug", 3, pfdebug)
        .keys(2, 2, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS).index(2).range(0, 1, 0)])
        .flags(&["write", "denyoom", "admin"])
        .acl(&["write", "hyperloglog", "admin", "slow", "dangerous"])
        .doc(
            "hyperloglog",
            "2.8.9",
            "Internal commands for debugging HyperLogLog values",
            "PFDEBUG subcommand key",
        )
        .complexity("N/A")
        .doc_flags(&["syscmd"]),
    Spec::nodb("pfselftest", 1, pfselftest)
        .flags(&["admin"])
        .acl(&["hyperloglog", "admin", "slow", "dangerous"])
        .doc(
            "hyperloglog",
            "2.8.9",
            "An internal command for testing HyperLogLog values",
            "PFSELFTEST",
        )
        .complexity("N/A")
        .doc_flags(&["syscmd"]),
];

// -- the value ----------------------------------------------------------------------------

/// A new, empty HyperLogLog (`createHLLObject`): sparse, cardinality 0.
fn empty() -> Vec<u8> {
    let mut v = Vec::with_capacity(HEADER + 2);
    v.extend_from_slice(b"HYLL");
    v.extend_from_slice(&[SPARSE, 0, 0, 0]);
    v.extend_from_slice(&[0; 8]);
    v.extend_from_slice(&sparse::empty_code());
    v
}

/// Whether a string value is a HyperLogLog (`isHLLObjectOrReply`): the magic, a known
/// encoding and, dense, the exact length. A corrupt sparse code passes: the commands
/// find that out when they read it.
fn is_hll(v: &[u8]) -> bool {
    v.len() >= HEADER
        && v.starts_with(b"HYLL")
        && v[4] <= SPARSE
        && (v[4] != DENSE || v.len() == HEADER + dense::SIZE)
}

/// Mark the cached cardinality stale.
fn invalidate(v: &mut [u8]) {
    v[HEADER - 1] |= 0x80;
}

/// The cached cardinality, if it is not stale.
fn cached(v: &[u8]) -> Option<u64> {
    let card = u64::from_le_bytes(v[8..HEADER].try_into().ok()?);
    (v[HEADER - 1] & 0x80 == 0).then_some(card)
}

/// Add one element (`hllAdd`).
fn add(v: &mut Vec<u8>, element: &[u8], max_bytes: i64) -> sparse::Set {
    let (index, count) = hash::pattern(element);
    if v[4] == DENSE {
        if dense::raise(&mut v[HEADER..], index, count) {
            sparse::Set::Raised
        } else {
            sparse::Set::Unchanged
        }
    } else {
        sparse::set(v, index, count, max_bytes)
    }
}

/// The estimated cardinality (`hllCount`); `None` for a corrupt sparse code.
fn count(v: &[u8]) -> Option<u64> {
    let mut hist = [0u32; 64];
    if v[4] == DENSE {
        dense::histogram(&v[HEADER..], &mut hist);
    } else if !sparse::histogram(&v[HEADER..], &mut hist) {
        return None;
    }
    Some(estimate::cardinality(&hist))
}

/// Raise `max` to the registers of `v` (`hllMerge`); false for a corrupt code.
fn merge_into(v: &[u8], max: &mut [u8]) -> bool {
    if v[4] == DENSE {
        dense::merge_into(&v[HEADER..], max);
        true
    } else {
        sparse::merge_into(&v[HEADER..], max)
    }
}

/// The cardinality of registers held one per byte (PFCOUNT of several keys).
fn count_bytes(max: &[u8]) -> u64 {
    let mut hist = [0u32; 64];
    for &r in max {
        hist[usize::from(r & 63)] += 1;
    }
    estimate::cardinality(&hist)
}

// -- storage ------------------------------------------------------------------------------

/// The HyperLogLog at `key`, if any: WRONGTYPE for another type, the HyperLogLog
/// WRONGTYPE for a string that is not one. `read` counts the look-up as a read.
fn load(ctx: &Ctx<'_>, key: &[u8], read: bool) -> Result<Option<(KeyMeta, Vec<u8>)>> {
    let found = keyspace::lookup_value(ctx.scope()?, key)?;
    if read {
        count_lookup(ctx, found.is_some());
    }
    match found {
        None => Ok(None),
        Some((m, _)) if m.ktype != KeyType::String => Err(Error::redis(msg::WRONGTYPE)),
        Some((m, value)) => {
            let value = value.unwrap_or_default();
            if !is_hll(&value) {
                return Err(Error::redis(WRONGTYPE_HLL));
            }
            Ok(Some((m, value)))
        }
    }
}

/// How a write shows to WATCH: Redis's `signalModifiedKey` (a new version), or not
/// (a change of encoding, or bytes changed on the way to an error).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Signal {
    Yes,
    No,
}

/// Store `value` as the HyperLogLog at `key` (a new key when `found` is `None`),
/// keeping its expiry, as a "raw" string.
fn store(
    ctx: &Ctx<'_>,
    key: &[u8],
    found: Option<&KeyMeta>,
    value: &[u8],
    signal: Signal,
) -> Result<()> {
    let s = ctx.scope()?;
    let id = match found {
        None => keyspace::create_string(s, key, None, value)?.id,
        Some(m) if signal == Signal::Yes => {
            keyspace::put_string(s, m.id, m.expire_at, value)?;
            m.id
        }
        Some(m) => {
            string::put(s.conn, m.id, value)?;
            m.id
        }
    };
    string::mark_raw(s.conn, id)
}

/// Make the existing key "raw" without changing its bytes (Redis's
/// `dbUnshareStringValue` on a shared or embedded string).
fn make_raw(ctx: &Ctx<'_>, m: &KeyMeta) -> Result<()> {
    let conn = ctx.conn()?;
    if string::form(conn, m.id)? != Form::Raw {
        string::mark_raw(conn, m.id)?;
    }
    Ok(())
}

fn sparse_max_bytes(ctx: &Ctx<'_>) -> i64 {
    ctx.db.config().int_at(SPARSE_MAX_BYTES)
}

// -- commands -----------------------------------------------------------------------------

/// PFADD key [element [element ...]]
fn pfadd(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let elements = args.rest();
    let max_bytes = sparse_max_bytes(ctx);
    let found = load(ctx, key, false)?;
    let (meta, mut value) = match found {
        Some((m, v)) => (Some(m), v),
        None => (None, empty()),
    };
    let before = value.clone();
    let mut updated = meta.is_none();
    for element in elements {
        match add(&mut value, element, max_bytes) {
            sparse::Set::Raised => updated = true,
            sparse::Set::Unchanged => {}
            sparse::Set::Corrupt => {
                // Redis answers the error with the elements before this one added.
                if let Some(m) = &meta {
                    if value != before {
                        store(ctx, key, Some(m), &value, Signal::No)?;
                    } else {
                        make_raw(ctx, m)?;
                    }
                }
                return Ok(Reply::Error(INVALIDOBJ.into()));
            }
        }
    }
    if updated {
        invalidate(&mut value);
        store(ctx, key, meta.as_ref(), &value, Signal::Yes)?;
    } else if let Some(m) = &meta {
        make_raw(ctx, m)?;
    }
    Ok(Reply::Int(i64::from(updated)))
}

/// PFCOUNT key [key ...]
fn pfcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let keys = args.rest();
    if keys.len() > 1 {
        // The union's cardinality, in registers of a byte each; nothing is written.
        let mut max = vec![0u8; REGISTERS];
        for key in keys {
            if let Some((_, value)) = load(ctx, key, true)? {
                if !merge_into(&value, &mut max) {
                    return Err(Error::redis(INVALIDOBJ));
                }
            }
        }
        return Ok(Reply::Int(count_bytes(&max) as i64));
    }
    let key = keys[0];
    let found = keyspace::lookup_value(ctx.scope()?, key)?;
    let Some((meta, value)) = found else {
        count_lookup(ctx, false);
        return Ok(Reply::Int(0));
    };
    let mut value = value.unwrap_or_default();
    if meta.ktype != KeyType::String || !is_hll(&value) {
        count_lookup(ctx, true);
        return Err(Error::redis(if meta.ktype != KeyType::String {
            msg::WRONGTYPE
        } else {
            WRONGTYPE_HLL
        }));
    }
    let raw = string::form(ctx.conn()?, meta.id)? == Form::Raw;
    if (!raw || cached(&value).is_none()) && !ctx.writable && ctx.may_block {
        // Counted by the run that answers.
        return upgrade(ctx);
    }
    count_lookup(ctx, true);
    if let Some(card) = cached(&value) {
        if ctx.writable {
            make_raw(ctx, &meta)?;
        }
        return Ok(Reply::Int(card as i64));
    }
    let Some(card) = count(&value) else {
        if ctx.writable {
            make_raw(ctx, &meta)?;
        }
        return Ok(Reply::Error(INVALIDOBJ.into()));
    };
    value[8..HEADER].copy_from_slice(&card.to_le_bytes());
    if ctx.writable {
        store(ctx, key, Some(&meta), &value, Signal::Yes)?;
    }
    Ok(Reply::Int(card as i64))
}

/// Run the command again in a write transaction: a read that has something to write
/// (PFCOUNT's cached cardinality). It goes through the path a blocking read takes to
/// the writer (`Ctx::block` with no keys: the second run does not block, so nothing
/// waits), which runs the handler again with `ctx.writable`.
fn upgrade(ctx: &mut Ctx<'_>) -> Result<Reply> {
    ctx.block(&[], None, Reply::Nil)
}

/// PFMERGE destkey sourcekey [sourcekey ...]
fn pfmerge(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let keys = args.rest();
    let mut max = vec![0u8; REGISTERS];
    let mut use_dense = false;
    let mut dest: Option<(KeyMeta, Vec<u8>)> = None;
    for (i, key) in keys.iter().enumerate() {
        let Some((m, value)) = load(ctx, key, true)? else {
            continue;
        };
        use_dense |= value[4] == DENSE;
        if !merge_into(&value, &mut max) {
            return Err(Error::redis(INVALIDOBJ));
        }
        if i == 0 {
            dest = Some((m, value));
        }
    }
    let (meta, mut value) = match dest {
        Some((m, v)) => (Some(m), v),
        None => (None, empty()),
    };
    if use_dense && value[4] == SPARSE {
        value = sparse::to_dense(&value).ok_or_else(|| Error::redis(INVALIDOBJ))?;
    }
    let max_bytes = sparse_max_bytes(ctx);
    for (j, &m) in max.iter().enumerate() {
        if m == 0 {
            continue;
        }
        if value[4] == DENSE {
            dense::raise(&mut value[HEADER..], j, m);
        } else {
            sparse::set(&mut value, j, m, max_bytes);
        }
    }
    invalidate(&mut value);
    store(ctx, keys[0], meta.as_ref(), &value, Signal::Yes)?;
    Ok(Reply::ok())
}

/// PFDEBUG <GETREG | DECODE | ENCODING | TODENSE> key
fn pfdebug(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let sub = args.bytes()?;
    let key = args.bytes()?;
    let Some((meta, value)) = load(ctx, key, false)? else {
        return Err(Error::redis("ERR The specified key does not exist"));
    };
    // Redis makes the string "raw" before it reads the subcommand.
    let mut stored = false;
    let name = String::from_utf8_lossy(sub).to_ascii_lowercase();
    let reply = match name.as_str() {
        "getreg" | "todense" => {
            let converted = value[4] == SPARSE;
            let dense = if converted {
                match sparse::to_dense(&value) {
                    Some(d) => {
                        store(ctx, key, Some(&meta), &d, Signal::No)?;
                        stored = true;
                        d
                    }
                    None => {
                        make_raw(ctx, &meta)?;
                        return Ok(Reply::Error(INVALIDOBJ.into()));
                    }
                }
            } else {
                value
            };
            if name == "todense" {
                Reply::Int(i64::from(converted))
            } else {
                Reply::Array(
                    (0..REGISTERS)
                        .map(|i| Reply::Int(i64::from(dense::get(&dense[HEADER..], i))))
                        .collect(),
                )
            }
        }
        "decode" if value[4] != SPARSE => Reply::Error("ERR HLL encoding is not sparse".into()),
        "decode" => Reply::Bulk(sparse::decode(&value[HEADER..]).into_bytes()),
        "encoding" => Reply::Simple(if value[4] == DENSE { "dense" } else { "sparse" }.into()),
        _ => {
            // The client's bytes as they came, on one line (as Redis's %s).
            let mut text = b"ERR Unknown PFDEBUG subcommand '".to_vec();
            text.extend(
                sub.iter()
                    .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
            );
            text.push(b'\'');
            Reply::Error(text)
        }
    };
    if !stored {
        make_raw(ctx, &meta)?;
    }
    Ok(reply)
}

/// PFSELFTEST: Redis's self-test of the registers and the estimator. First random
/// values in every register, read back; then ten million distinct elements added to a
/// dense and a sparse HyperLogLog side by side, checked at every power of ten: the
/// sparse one still sparse while small, both estimating the same, within six
/// standard errors.
fn pfselftest(ctx: &mut Ctx<'_>, _args: &mut Args<'_>) -> Result<Reply> {
    let mut rng = crate::rng::Rng::new();
    let mut regs = vec![0u8; dense::SIZE];
    let mut want = vec![0u8; REGISTERS];
    for _ in 0..1000 {
        for (i, w) in want.iter_mut().enumerate() {
            *w = (rng.next_u64() & 63) as u8;
            dense::set(&mut regs, i, *w);
        }
        for (i, w) in want.iter().enumerate() {
            let got = dense::get(&regs, i);
            if got != *w {
                return Err(Error::redis(format!(
                    "TESTFAILED Register {} should be {} but is {}",
                    i, w, got
                )));
            }
        }
    }
    let max_bytes = sparse_max_bytes(ctx);
    let mut dense_hll = empty_dense();
    let mut sparse_hll = empty();
    let relerr = 1.04 / (REGISTERS as f64).sqrt();
    let mut checkpoint: u64 = 1;
    let seed = rng.next_u64();
    for j in 1..=10_000_000u64 {
        let element = (j ^ seed).to_le_bytes();
        add(&mut dense_hll, &element, max_bytes);
        add(&mut sparse_hll, &element, max_bytes);
        if j != checkpoint {
            continue;
        }
        if (j as i64) < max_bytes / 2 && sparse_hll[4] != SPARSE {
            return Err(Error::redis("TESTFAILED sparse encoding not used"));
        }
        let card = count(&dense_hll).unwrap_or(0);
        if count(&sparse_hll) != Some(card) {
            return Err(Error::redis("TESTFAILED dense/sparse disagree"));
        }
        let abserr = (checkpoint as i64 - card as i64).unsigned_abs();
        let maxerr = if j == 10 {
            1
        } else {
            (relerr * 6.0 * checkpoint as f64).ceil() as u64
        };
        if abserr > maxerr {
            return Err(Error::redis(format!(
                "TESTFAILED Too big error. card:{} abserr:{}",
                checkpoint, abserr
            )));
        }
        checkpoint *= 10;
    }
    Ok(Reply::ok())
}

/// An empty dense HyperLogLog (the self-test's).
fn empty_dense() -> Vec<u8> {
    let mut v = vec![0u8; HEADER + dense::SIZE];
    v[..4].copy_from_slice(b"HYLL");
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redis 7.0.15: `PFADD k a b c` leaves these bytes; `PFCOUNT k` then answers 3
    /// and stores it in the header.
    const ABC: &str = "48594c4c01000000000000000000008060f38050b1844bfb80425a";
    const ABC_COUNTED: &str = "48594c4c01000000030000000000000060f38050b1844bfb80425a";

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn sparse_bytes_as_redis() {
        let mut v = empty();
        for e in [&b"a"[..], b"b", b"c"] {
            assert_eq!(add(&mut v, e, 3000), sparse::Set::Raised);
        }
        invalidate(&mut v);
        assert_eq!(v, hex(ABC));
        assert_eq!(
            sparse::decode(&v[HEADER..]),
            "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603"
        );
        assert_eq!(count(&v), Some(3));
        assert_eq!(cached(&hex(ABC_COUNTED)), Some(3));
        assert_eq!(cached(&v), None);
    }

    #[test]
    fn sparse_and_dense_agree_and_promote() {
        let mut s = empty();
        let mut d = empty_dense();
        for i in 0..5000u32 {
            let e = i.to_string();
            let a = add(&mut s, e.as_bytes(), 3000);
            let b = add(&mut d, e.as_bytes(), 3000);
            assert_eq!(a, b, "element {}", i);
            if s[4] == SPARSE {
                assert!(s.len() <= 3000);
                assert_eq!(
                    sparse::to_dense(&s).map(|v| v[HEADER..].to_vec()),
                    Some(d[HEADER..].to_vec())
                );
            }
        }
        assert_eq!(s[4], DENSE);
        assert_eq!(s[HEADER..], d[HEADER..]);
        assert_eq!(count(&s), count(&d));
    }

    #[test]
    fn corrupt_sparse_codes_are_found() {
        let mut v = hex(ABC);
        v.extend_from_slice(b"hello");
        assert_eq!(count(&v), None);
        let mut max = vec![0u8; REGISTERS];
        assert!(!merge_into(&v, &mut max));
        let mut short = hex(ABC);
        short.truncate(HEADER);
        assert_eq!(add(&mut short, b"a", 3000), sparse::Set::Corrupt);
    }
}
