//! Bit commands: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO.
//!
//! A bitmap is a string: bit 0 is the most significant bit of byte 0. The commands
//! read and write only the bytes they need (`types::string::range` / `write_at`);
//! a string grows, zero-padded, as Redis grows it.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Connection;

use crate::command::args::{eq, parse_i64};
use crate::command::keyspec::{getkeys, ACCESS, OW, RO, RW, UPDATE, VARIABLE_FLAGS};
use crate::command::lookup::{count_lookup, read_lookup};
use crate::command::strings::{set_value, Expiry};
use crate::command::{Args, Ctx, KeySpec, Spec};
use crate::error::{msg, Error, Result};
use crate::keyspace::{self, KeyType, Scope};
use crate::reply::Reply;
use crate::types::string;

/// Redis's `getBitOffsetFromArgument`: a bit offset below 2^32 (512 MB of bits).
/// With `bits` (BITFIELD), "#N" means N times the field width.
fn bit_offset(arg: &[u8], bits: u32) -> Result<u64> {
    let err = || Error::redis(msg::BIT_OFFSET);
    let hash = bits > 0 && arg.first() == Some(&b'#');
    let n = parse_i64(if hash { &arg[1..] } else { arg }).ok_or_else(err)?;
    // Redis multiplies in C, where the product wraps; so does this.
    let n = if hash { n.wrapping_mul(bits as i64) } else { n };
    if n < 0 || (n >> 3) >= string::MAX_LEN {
        return Err(err());
    }
    Ok(n as u64)
}

/// Redis's `lookupStringForBitCommand`: string key `key`, created or zero-padded to
/// at least `len` bytes. Returns its id and whether it was created or grew.
fn string_for_bits(s: Scope<'_>, key: &[u8], len: i64) -> Result<(i64, bool)> {
    let (id, dirty) = match keyspace::lookup_typed(s, key, KeyType::String)? {
        Some(m) => (m.id, string::grow(s.conn, m.id, len)?),
        None => {
            let id = keyspace::create(s, key, KeyType::String, None)?.id;
            string::put_zeros(s.conn, id, len)?;
            (id, true)
        }
    };
    // Redis unshares the value for a bit write, which leaves it "raw".
    string::mark_raw(s.conn, id)?;
    Ok((id, dirty))
}

/// SETBIT key offset value
fn setbit(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let offset = bit_offset(args.bytes()?, 0)?;
    let on = parse_i64(args.bytes()?).ok_or_else(|| Error::redis(msg::BIT_VALUE))?;
    if on & !1 != 0 {
        return Err(Error::redis(msg::BIT_VALUE));
    }
    let s = ctx.scope()?;
    let byte = (offset >> 3) as i64;
    let mask = 1u8 << (7 - (offset & 7));
    let (id, dirty) = string_for_bits(s, key, byte + 1)?;
    let old = string::range(s.conn, id, byte, 1)?
        .first()
        .copied()
        .unwrap_or(0);
    let was = old & mask != 0;
    if dirty || was != (on == 1) {
        let new = if on == 1 { old | mask } else { old & !mask };
        string::write_at(s.conn, id, byte, &[new])?;
        keyspace::touch(s, id)?;
    }
    Ok(Reply::Int(was as i64))
}

/// GETBIT key offset
fn getbit(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let offset = bit_offset(args.bytes()?, 0)?;
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let byte = string::range(ctx.conn()?, m.id, (offset >> 3) as i64, 1)?;
    let bit = byte
        .first()
        .is_some_and(|b| b & (1 << (7 - (offset & 7))) != 0);
    Ok(Reply::Int(bit as i64))
}

/// BYTE or BIT, the unit of BITCOUNT's and BITPOS's range; true for BIT.
fn range_unit(arg: &[u8]) -> Result<bool> {
    if eq(arg, "BIT") {
        Ok(true)
    } else if eq(arg, "BYTE") {
        Ok(false)
    } else {
        Err(Error::redis(msg::SYNTAX))
    }
}

/// Clamp a start..=end range given with negative indexes over `total` units, as
/// Redis does; `None` when it is empty.
fn clamp_range(start: i64, end: i64, total: i64) -> Option<(i64, i64)> {
    let start = if start < 0 {
        start.wrapping_add(total).max(0)
    } else {
        start
    };
    let end = if end < 0 {
        end.wrapping_add(total).max(0)
    } else {
        end
    };
    let end = end.min(total - 1);
    (start <= end).then_some((start, end))
}

fn int_arg(arg: &[u8]) -> Result<i64> {
    parse_i64(arg).ok_or_else(|| Error::redis(msg::NOT_INTEGER))
}

/// The inclusive bit range of BITCOUNT's and BITPOS's start and end, given in bytes
/// or in bits over a string of `len` bytes.
fn bit_range(start: i64, end: i64, len: i64, in_bits: bool) -> Option<(i64, i64)> {
    if in_bits {
        clamp_range(start, end, len * 8)
    } else {
        clamp_range(start, end, len).map(|(s, e)| (s * 8, e * 8 + 7))
    }
}

/// BITCOUNT key [start end [BYTE | BIT]]
fn bitcount(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    // Redis looks the key up before it reads the range: a missing key counts 0
    // whatever follows.
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Int(0));
    };
    let conn = ctx.conn()?;
    let len = string::len(conn, m.id)?;
    // The range in bits, inclusive.
    let bits = match args.rest() {
        [] => clamp_range(0, len * 8 - 1, len * 8),
        [start, end, unit @ ..] if unit.len() <= 1 => {
            let start = int_arg(start)?;
            let end = int_arg(end)?;
            let in_bits = match unit.first() {
                Some(unit) => range_unit(unit)?,
                None => false,
            };
            if start < 0 && end < 0 && start > end {
                return Ok(Reply::Int(0));
            }
            bit_range(start, end, len, in_bits)
        }
        _ => return Err(Error::redis(msg::SYNTAX)),
    };
    let Some((first, last)) = bits else {
        return Ok(Reply::Int(0));
    };
    let bytes = string::range(conn, m.id, first / 8, last / 8 - first / 8 + 1)?;
    let mut count: i64 = bytes.iter().map(|b| b.count_ones() as i64).sum();
    // Take off the bits of the edge bytes that lie outside the range.
    if let (Some(&head), Some(&tail)) = (bytes.first(), bytes.last()) {
        count -= (head & !(0xffu8 >> (first % 8))).count_ones() as i64;
        count -= (tail & (0x7fu8 >> (last % 8))).count_ones() as i64;
    }
    Ok(Reply::Int(count))
}

/// BITPOS key bit [start [end [BYTE | BIT]]]
fn bitpos(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let key = args.bytes()?;
    let bit = args.int()?;
    if bit != 0 && bit != 1 {
        return Err(Error::redis("ERR The bit argument must be 1 or 0."));
    }
    let want = bit == 1;
    // A missing key is an endless run of zeros.
    let Some(m) = read_lookup(ctx, key)? else {
        return Ok(Reply::Int(if want { -1 } else { 0 }));
    };
    let conn = ctx.conn()?;
    let len = string::len(conn, m.id)?;
    let rest = args.rest();
    let end_given = rest.len() >= 2;
    let bits = match rest {
        [] => clamp_range(0, len * 8 - 1, len * 8),
        [start, more @ ..] if more.len() <= 2 => {
            let start = int_arg(start)?;
            // Redis reads the unit before the end.
            let in_bits = match more.get(1) {
                Some(unit) => range_unit(unit)?,
                None => false,
            };
            let end = match more.first() {
                Some(end) => int_arg(end)?,
                None => len - 1,
            };
            bit_range(start, end, len, in_bits)
        }
        _ => return Err(Error::redis(msg::SYNTAX)),
    };
    // An empty range holds neither a 0 nor a 1.
    let Some((first, last)) = bits else {
        return Ok(Reply::Int(-1));
    };
    let bytes = string::range(conn, m.id, first / 8, last / 8 - first / 8 + 1)?;
    let base = first / 8 * 8;
    if let Some(pos) = first_bit(&bytes, first - base, last - base, want) {
        return Ok(Reply::Int(base + pos));
    }
    // Looking for a 0 with no end given: the string is taken as zero-padded on the
    // right, so the answer is the first bit after the range.
    Ok(Reply::Int(if !want && !end_given { last + 1 } else { -1 }))
}

/// The position of the first bit equal to `want` in bits `from..=to` of `bytes`.
fn first_bit(bytes: &[u8], from: i64, to: i64, want: bool) -> Option<i64> {
    let skip = if want { 0x00 } else { 0xff };
    let mut pos = from;
    while pos <= to {
        let byte = *bytes.get((pos / 8) as usize)?;
        if pos % 8 == 0 && pos + 7 <= to && byte == skip {
            pos += 8;
            continue;
        }
        if (byte & (0x80 >> (pos % 8)) != 0) == want {
            return Some(pos);
        }
        pos += 1;
    }
    None
}

/// BITOP <AND | OR | XOR | NOT> destkey key [key ...]
fn bitop(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    let op = args.bytes()?;
    let op = ["AND", "OR", "XOR", "NOT"]
        .into_iter()
        .find(|name| eq(op, name))
        .ok_or_else(|| Error::redis(msg::SYNTAX))?;
    let dest = args.bytes()?;
    let keys = args.rest();
    if op == "NOT" && keys.len() != 1 {
        return Err(Error::redis(
            "ERR BITOP NOT must be called with a single source key.",
        ));
    }
    let s = ctx.scope()?;
    let mut sources = Vec::with_capacity(keys.len());
    for key in keys {
        let m = keyspace::lookup(s, key)?;
        count_lookup(ctx, m.is_some());
        sources.push(match m {
            None => Vec::new(),
            Some(m) if m.ktype == KeyType::String => string::get(s.conn, m.id)?,
            Some(_) => return Err(Error::redis(msg::WRONGTYPE)),
        });
    }
    let max = sources.iter().map(Vec::len).max().unwrap_or(0);
    if max == 0 {
        keyspace::delete_key(s, dest)?;
        return Ok(Reply::Int(0));
    }
    let byte = |src: &Vec<u8>, i: usize| src.get(i).copied().unwrap_or(0);
    let result: Vec<u8> = (0..max)
        .map(|i| {
            let mut it = sources.iter().map(|src| byte(src, i));
            let first = it.next().unwrap_or(0);
            match op {
                "AND" => it.fold(first, |acc, b| acc & b),
                "OR" => it.fold(first, |acc, b| acc | b),
                "XOR" => it.fold(first, |acc, b| acc ^ b),
                _ => !first,
            }
        })
        .collect();
    set_value(s, dest, &result, Expiry::Clear)?;
    // Redis stores BITOP's result as a new "raw" string, never re-encoded.
    if let Some(m) = keyspace::lookup(s, dest)? {
        string::mark_raw(s.conn, m.id)?;
    }
    Ok(Reply::Int(max as i64))
}

/// What BITFIELD does on overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldOp {
    Get,
    Set(i64),
    IncrBy(i64),
}

/// One BITFIELD operation on a field of `bits` bits at bit `offset`.
#[derive(Debug, Clone, Copy)]
struct Field {
    op: FieldOp,
    signed: bool,
    bits: u32,
    offset: u64,
    overflow: Overflow,
}

/// Redis's `getBitfieldTypeFromArgument`: i1..i64 or u1..u63 (lower case). Redis reads the width
/// as a C string, so it stops at a NUL byte.
fn field_type(arg: &[u8]) -> Result<(bool, u32)> {
    let err = || {
        Error::redis(
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
        )
    };
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(err()),
    };
    let width = &arg[1..];
    let width = &width[..width.iter().position(|&c| c == 0).unwrap_or(width.len())];
    let bits = parse_i64(width).ok_or_else(err)?;
    if bits < 1 || (signed && bits > 64) || (!signed && bits > 63) {
        return Err(err());
    }
    Ok((signed, bits as u32))
}

/// Parse BITFIELD's subcommands, all of them before anything runs.
fn parse_fields(args: &mut Args<'_>) -> Result<Vec<Field>> {
    let mut fields = Vec::new();
    let mut overflow = Overflow::Wrap;
    while let Some(sub) = args.next() {
        let remaining = args.remaining();
        let op = if eq(sub, "GET") && remaining >= 2 {
            FieldOp::Get
        } else if eq(sub, "SET") && remaining >= 3 {
            FieldOp::Set(0)
        } else if eq(sub, "INCRBY") && remaining >= 3 {
            FieldOp::IncrBy(0)
        } else if eq(sub, "OVERFLOW") && remaining >= 1 {
            let kind = args.bytes()?;
            overflow = if eq(kind, "WRAP") {
                Overflow::Wrap
            } else if eq(kind, "SAT") {
                Overflow::Sat
            } else if eq(kind, "FAIL") {
                Overflow::Fail
            } else {
                return Err(Error::redis("ERR Invalid OVERFLOW type specified"));
            };
            continue;
        } else {
            return Err(Error::redis(msg::SYNTAX));
        };
        let (signed, bits) = field_type(args.bytes()?)?;
        let offset = bit_offset(args.bytes()?, bits)?;
        let op = match op {
            FieldOp::Get => FieldOp::Get,
            FieldOp::Set(_) => FieldOp::Set(args.int()?),
            FieldOp::IncrBy(_) => FieldOp::IncrBy(args.int()?),
        };
        fields.push(Field {
            op,
            signed,
            bits,
            offset,
            overflow,
        });
    }
    Ok(fields)
}

/// BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
///   <SET encoding offset value | INCRBY encoding offset increment> ...]
fn bitfield(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    run_bitfield(ctx, args, false)
}

/// BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]
fn bitfield_ro(ctx: &mut Ctx<'_>, args: &mut Args<'_>) -> Result<Reply> {
    run_bitfield(ctx, args, true)
}

fn run_bitfield(ctx: &mut Ctx<'_>, args: &mut Args<'_>, read_only: bool) -> Result<Reply> {
    let key = args.bytes()?;
    let fields = parse_fields(args)?;
    let writes = fields.iter().any(|f| f.op != FieldOp::Get);
    let id = if writes {
        if read_only {
            return Err(Error::redis(
                "ERR BITFIELD_RO only supports the GET subcommand",
            ));
        }
        // Make room for the furthest bit written, as Redis does before it starts.
        let highest = fields
            .iter()
            .filter(|f| f.op != FieldOp::Get)
            .map(|f| f.offset + f.bits as u64 - 1)
            .max()
            .unwrap_or(0);
        Some(string_for_bits(ctx.scope()?, key, (highest / 8) as i64 + 1)?.0)
    } else {
        read_lookup(ctx, key)?.map(|m| m.id)
    };
    let mut bytes = FieldBytes::new(ctx.conn()?, id);
    let mut out = Vec::with_capacity(fields.len());
    for f in &fields {
        let reply = match f.op {
            FieldOp::Get => {
                let raw = bytes.get(f.offset, f.bits)?;
                Reply::Int(if f.signed {
                    sign_extend(raw, f.bits)
                } else {
                    raw as i64
                })
            }
            FieldOp::Set(value) | FieldOp::IncrBy(value) => {
                let incr = matches!(f.op, FieldOp::IncrBy(_));
                let old = bytes.get(f.offset, f.bits)?;
                let (new, overflowed, reply) = if f.signed {
                    let old = sign_extend(old, f.bits);
                    let (base, by) = if incr { (old, value) } else { (value, 0) };
                    let (ov, limit) = signed_overflow(base, by, f.bits, f.overflow);
                    let new = if ov { limit } else { base.wrapping_add(by) };
                    (new as u64, ov, if incr { new } else { old })
                } else {
                    let (base, by) = if incr {
                        (old, value)
                    } else {
                        (value as u64, 0)
                    };
                    let (ov, limit) = unsigned_overflow(base, by, f.bits, f.overflow);
                    let new = if ov {
                        limit
                    } else {
                        base.wrapping_add(by as u64)
                    };
                    (new, ov, if incr { new as i64 } else { old as i64 })
                };
                if overflowed && f.overflow == Overflow::Fail {
                    Reply::Nil
                } else {
                    bytes.set(f.offset, f.bits, new)?;
                    Reply::Int(reply)
                }
            }
        };
        out.push(reply);
    }
    if let (true, Some(id)) = (writes, id) {
        bytes.write_back()?;
        keyspace::touch(ctx.scope()?, id)?;
    }
    Ok(Reply::Array(out))
}

/// The bytes of a string that BITFIELD's fields touch: each field spans at most
/// 9 bytes, read when first needed, changed here, and written back in runs at the
/// end. Bytes past the end of the string read as zeros (only GET goes there: the
/// string was grown to cover every write).
struct FieldBytes<'c> {
    conn: &'c Connection,
    id: Option<i64>,
    bytes: BTreeMap<u64, u8>,
    dirty: BTreeSet<u64>,
}

impl<'c> FieldBytes<'c> {
    fn new(conn: &'c Connection, id: Option<i64>) -> FieldBytes<'c> {
        FieldBytes {
            conn,
            id,
            bytes: BTreeMap::new(),
            dirty: BTreeSet::new(),
        }
    }

    /// Make sure bytes `first..=last` are at hand.
    fn load(&mut self, first: u64, last: u64) -> Result<()> {
        if (first..=last).all(|i| self.bytes.contains_key(&i)) {
            return Ok(());
        }
        let read = match self.id {
            Some(id) => string::range(self.conn, id, first as i64, (last - first + 1) as i64)?,
            None => Vec::new(),
        };
        for i in first..=last {
            let b = read.get((i - first) as usize).copied().unwrap_or(0);
            self.bytes.entry(i).or_insert(b);
        }
        Ok(())
    }

    fn bit(&self, pos: u64) -> bool {
        self.bytes
            .get(&(pos / 8))
            .is_some_and(|b| b & (0x80 >> (pos % 8)) != 0)
    }

    /// The `bits`-wide unsigned field at bit `offset` (most significant bit first).
    fn get(&mut self, offset: u64, bits: u32) -> Result<u64> {
        self.load(offset / 8, (offset + bits as u64 - 1) / 8)?;
        Ok((0..bits as u64).fold(0u64, |v, i| (v << 1) | self.bit(offset + i) as u64))
    }

    fn set(&mut self, offset: u64, bits: u32, value: u64) -> Result<()> {
        self.load(offset / 8, (offset + bits as u64 - 1) / 8)?;
        for i in 0..bits as u64 {
            let pos = offset + i;
            let on = value & (1u64 << (bits as u64 - 1 - i)) != 0;
            let mask = 0x80u8 >> (pos % 8);
            if let Some(b) = self.bytes.get_mut(&(pos / 8)) {
                *b = if on { *b | mask } else { *b & !mask };
            }
            self.dirty.insert(pos / 8);
        }
        Ok(())
    }

    fn write_back(&self) -> Result<()> {
        let Some(id) = self.id else { return Ok(()) };
        let mut run: Vec<u8> = Vec::new();
        let mut start = 0u64;
        for &i in &self.dirty {
            if !run.is_empty() && i != start + run.len() as u64 {
                string::write_at(self.conn, id, start as i64, &run)?;
                run.clear();
            }
            if run.is_empty() {
                start = i;
            }
            run.push(self.bytes.get(&i).copied().unwrap_or(0));
        }
        if !run.is_empty() {
            string::write_at(self.conn, id, start as i64, &run)?;
        }
        Ok(())
    }
}

fn sign_extend(raw: u64, bits: u32) -> i64 {
    if bits < 64 && raw & (1u64 << (bits - 1)) != 0 {
        (raw | (u64::MAX << bits)) as i64
    } else {
        raw as i64
    }
}

/// Redis's `checkSignedBitfieldOverflow`: whether `value + incr` leaves the range of
/// a signed `bits`-wide field, and then the value to store (wrapped or saturated).
fn signed_overflow(value: i64, incr: i64, bits: u32, how: Overflow) -> (bool, i64) {
    let max: i64 = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min: i64 = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrap = || {
        let mut c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & (1u64 << (bits - 1)) != 0 {
                c |= mask;
            } else {
                c &= !mask;
            }
        }
        c as i64
    };
    let high = value > max
        || (bits != 64 && incr > max_incr)
        || (value >= 0 && incr > 0 && incr > max_incr);
    let low = value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr);
    if high || low {
        let limit = match how {
            Overflow::Wrap => wrap(),
            Overflow::Sat if high => max,
            Overflow::Sat => min,
            Overflow::Fail => 0,
        };
        (true, limit)
    } else {
        (false, 0)
    }
}

/// Redis's `checkUnsignedBitfieldOverflow` (widths up to 63 bits).
fn unsigned_overflow(value: u64, incr: i64, bits: u32, how: Overflow) -> (bool, u64) {
    let max: u64 = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = (value as i64).wrapping_neg();
    let high = value > max || (incr > 0 && incr > max_incr);
    let low = !high && incr < 0 && incr < min_incr;
    if high || low {
        let limit = match how {
            Overflow::Wrap => value.wrapping_add(incr as u64) & !(u64::MAX << bits),
            Overflow::Sat if high => max,
            Overflow::Sat => 0,
            Overflow::Fail => 0,
        };
        (true, limit)
    } else {
        (false, 0)
    }
}

// ---------------------------------------------------------------------------------
// The command table of this family (at the bottom, so the file reads handlers first):
// each entry's name, arity and handler, its key specs, flags and ACL categories, and
// Redis 7.0.15's documentation of it (COMMAND INFO / DOCS, docs/commands.md).
// ---------------------------------------------------------------------------------

pub const COMMANDS: &[Spec] = &[
    Spec::write("setbit", 4, setbit)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RW | ACCESS | UPDATE).index(1).range(0, 1, 0)])
        .flags(&["write", "denyoom"])
        .acl(&["write", "bitmap", "slow"])
        .doc(
            "bitmap",
            "2.2.0",
            "Sets or clears the bit at offset in the string value stored at key",
            "SETBIT key offset value",
        )
        .complexity("O(1)"),
    Spec::read("getbit", 3, getbit)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "bitmap", "fast"])
        .doc("bitmap", "2.2.0", "Returns the bit value at offset in the string value stored at key", "GETBIT key offset")
        .complexity("O(1)"),
    Spec::read("bitcount", -2, bitcount)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "bitmap", "slow"])
        .doc(
            "bitmap",
            "2.6.0",
            "Count set bits in a string",
            "BITCOUNT key [start end [BYTE | BIT]]",
        )
        .complexity("O(N)")
        .history(&[
            ("7.0.0", "Added the `BYTE|BIT` option."),
        ]),
    Spec::read("bitpos", -3, bitpos)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly"])
        .acl(&["read", "bitmap", "slow"])
        .doc(
            "bitmap",
            "2.8.7",
            "Find first bit set or clear in a string",
            "BITPOS key bit [start [end [BYTE | BIT]]]",
        )
        .complexity("O(N)")
        .history(&[
            ("7.0.0", "Added the `BYTE|BIT` option."),
        ]),
    Spec::write("bitop", -4, bitop)
        .keys(2, -1, 1)
        .key_specs(&[
            KeySpec::new(OW | UPDATE).index(2).range(0, 1, 0),
            KeySpec::new(RO | ACCESS).index(3).range(-1, 1, 0),
        ])
        .flags(&["write", "denyoom"])
        .acl(&["write", "bitmap", "slow"])
        .doc(
            "bitmap",
            "2.6.0",
            "Perform bitwise operations between strings",
            "BITOP <AND | OR | XOR | NOT> destkey key [key ...]",
        )
        .complexity("O(N)"),
    Spec::write("bitfield", -2, bitfield)
        .keys(1, 1, 1)
        .key_specs(&[
            KeySpec::new(RW | ACCESS | UPDATE | VARIABLE_FLAGS)
                .index(1)
                .range(0, 1, 0)
                .notes("This command allows both access and modification of the key"),
        ])
        .getkeys(getkeys::bitfield)
        .flags(&["write", "denyoom"])
        .acl(&["write", "bitmap", "slow"])
        .doc(
            "bitmap",
            "3.2.0",
            "Perform arbitrary bitfield integer operations on strings",
            "BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]]",
        )
        .complexity("O(1) for each subcommand specified"),
    Spec::read("bitfield_ro", -2, bitfield_ro)
        .keys(1, 1, 1)
        .key_specs(&[KeySpec::new(RO | ACCESS).index(1).range(0, 1, 0)])
        .flags(&["readonly", "fast"])
        .acl(&["read", "bitmap", "fast"])
        .doc(
            "bitmap",
            "6.0.0",
            "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
            "BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]",
        )
        .complexity("O(1) for each subcommand specified"),
];
