//! The sparse encoding: the registers as a run-length code after the header.
//!
//! Three opcodes: ZERO `00xxxxxx` (1 to 64 registers at 0), XZERO `01xxxxxx yyyyyyyy`
//! (1 to 16384 registers at 0, the length in 14 bits), and VAL `1vvvvvxx` (1 to 4
//! registers at value 1 to 32). An empty register set is XZERO:16384. A register
//! above 32, or a code longer than `hll-sparse-max-bytes`, turns the value dense.
//!
//! The functions take the whole value (header included) and work on it in place as
//! hyperloglog.c does on its string, byte for byte: where Redis splits, merges or
//! promotes, so does this, so the bytes after any sequence of commands are Redis's.

use super::{dense, HEADER, REGISTERS};

const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
const XZERO_MAX_LEN: usize = 16384;

fn is_zero(b: u8) -> bool {
    b & 0xc0 == 0
}

fn is_xzero(b: u8) -> bool {
    b & 0xc0 == 0x40
}

fn is_val(b: u8) -> bool {
    b & 0x80 != 0
}

fn zero_len(b: u8) -> usize {
    usize::from(b & 0x3f) + 1
}

/// An XZERO's length from its two bytes; a code cut after its first byte reads the
/// string's terminating zero as Redis does (`None` here).
fn xzero_len(b: u8, next: Option<u8>) -> usize {
    (usize::from(b & 0x3f) << 8 | usize::from(next.unwrap_or(0))) + 1
}

fn val_value(b: u8) -> u8 {
    ((b >> 2) & 0x1f) + 1
}

fn val_len(b: u8) -> usize {
    usize::from(b & 0x3) + 1
}

fn val(value: u8, len: usize) -> u8 {
    ((value - 1) << 2 | (len as u8 - 1)) | 0x80
}

fn zero(len: usize) -> u8 {
    (len - 1) as u8
}

fn xzero(len: usize) -> [u8; 2] {
    let l = len - 1;
    [(l >> 8) as u8 | 0x40, (l & 0xff) as u8]
}

/// One opcode of a code, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `len` registers at 0 (ZERO or XZERO: `wide`).
    Zero { len: usize, wide: bool },
    /// `len` registers at `value`.
    Val { value: u8, len: usize },
}

/// The opcodes of `code` (the bytes after the header), in order.
pub fn ops(code: &[u8]) -> impl Iterator<Item = Op> + '_ {
    let mut p = 0;
    std::iter::from_fn(move || {
        let b = *code.get(p)?;
        Some(if is_zero(b) {
            p += 1;
            Op::Zero {
                len: zero_len(b),
                wide: false,
            }
        } else if is_xzero(b) {
            let len = xzero_len(b, code.get(p + 1).copied());
            p += 2;
            Op::Zero { len, wide: true }
        } else {
            p += 1;
            Op::Val {
                value: val_value(b),
                len: val_len(b),
            }
        })
    })
}

/// The sparse code of an empty register set: XZERO opcodes covering every register.
pub fn empty_code() -> Vec<u8> {
    let mut code = Vec::with_capacity(2);
    let mut left = REGISTERS;
    while left > 0 {
        let n = left.min(XZERO_MAX_LEN);
        code.extend_from_slice(&xzero(n));
        left -= n;
    }
    code
}

/// The dense form of the sparse value `value` (`hllSparseToDense`): the header is
/// kept (the cached cardinality too), the encoding byte becomes dense. `None` if the
/// code does not cover exactly the 16384 registers.
pub fn to_dense(value: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; HEADER + dense::SIZE];
    out[..HEADER].copy_from_slice(&value[..HEADER]);
    out[4] = super::DENSE;
    let regs = &mut out[HEADER..];
    let mut idx = 0usize;
    for op in ops(&value[HEADER..]) {
        match op {
            Op::Zero { len, .. } => idx += len,
            Op::Val { value, len } => {
                if idx + len > REGISTERS {
                    break;
                }
                for i in idx..idx + len {
                    dense::set(regs, i, value);
                }
                idx += len;
            }
        }
    }
    (idx == REGISTERS).then_some(out)
}

/// How many registers hold each value (`hllSparseRegHisto`); false if the code does
/// not cover exactly the 16384 registers.
pub fn histogram(code: &[u8], hist: &mut [u32; 64]) -> bool {
    let mut idx = 0usize;
    for op in ops(code) {
        match op {
            Op::Zero { len, .. } => {
                hist[0] += len as u32;
                idx += len;
            }
            Op::Val { value, len } => {
                hist[usize::from(value)] += len as u32;
                idx += len;
            }
        }
    }
    idx == REGISTERS
}

/// `max[i] = max(max[i], register i)` (`hllMerge`, sparse); false if the code is
/// corrupt (then `max` may hold part of it, as in Redis, whose callers then fail).
pub fn merge_into(code: &[u8], max: &mut [u8]) -> bool {
    let mut idx = 0usize;
    for op in ops(code) {
        match op {
            Op::Zero { len, .. } => idx += len,
            Op::Val { value, len } => {
                if idx + len > REGISTERS {
                    break;
                }
                for m in &mut max[idx..idx + len] {
                    *m = (*m).max(value);
                }
                idx += len;
            }
        }
    }
    idx == REGISTERS
}

/// PFDEBUG DECODE's text: "Z:8436 v:1,1 z:12 ...".
pub fn decode(code: &[u8]) -> String {
    let words: Vec<String> = ops(code)
        .map(|op| match op {
            Op::Zero { len, wide: false } => format!("z:{}", len),
            Op::Zero { len, wide: true } => format!("Z:{}", len),
            Op::Val { value, len } => format!("v:{},{}", value, len),
        })
        .collect();
    words.join(" ")
}

/// What `set` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    /// The register already held as much.
    Unchanged,
    /// The register was raised (the value may now be dense).
    Raised,
    /// The code is corrupt; the value is as it was.
    Corrupt,
}

/// Raise register `index` of the sparse value `value` to `count` if it is lower
/// (`hllSparseSet`). The opcode covering the register is split (an XZERO in the
/// middle becomes XZERO VAL XZERO), then equal neighbouring VALs are merged. When
/// `count` is above 32 or the code would pass `max_bytes` the value turns dense.
pub fn set(value: &mut Vec<u8>, index: usize, count: u8, max_bytes: i64) -> Set {
    if count > VAL_MAX_VALUE {
        return promote(value, index, count);
    }
    // Step 1: find the opcode covering the register.
    let end = value.len();
    let mut p = HEADER;
    let mut first = 0usize;
    let mut prev: Option<usize> = None;
    let mut span = 0usize;
    while p < end {
        let b = value[p];
        let mut oplen = 1;
        span = if is_zero(b) {
            zero_len(b)
        } else if is_val(b) {
            val_len(b)
        } else {
            oplen = 2;
            xzero_len(b, value.get(p + 1).copied())
        };
        if index < first + span {
            break;
        }
        prev = Some(p);
        p += oplen;
        first += span;
    }
    if span == 0 || p >= end {
        return Set::Corrupt;
    }
    let b = value[p];
    let (zero_run, wide) = (is_zero(b), is_xzero(b));
    let runlen = if zero_run {
        zero_len(b)
    } else if wide {
        xzero_len(b, value.get(p + 1).copied())
    } else {
        val_len(b)
    };

    // Step 2: the trivial cases in place, else the split sequence.
    let in_place = if !zero_run && !wide {
        let old = val_value(b);
        if old >= count {
            return Set::Unchanged;
        }
        runlen == 1
    } else {
        zero_run && runlen == 1
    };
    if in_place {
        value[p] = val(count, 1);
    } else {
        let last = first + span - 1;
        let mut seq: Vec<u8> = Vec::with_capacity(5);
        let zeros = |seq: &mut Vec<u8>, len: usize| {
            if len > ZERO_MAX_LEN {
                seq.extend_from_slice(&xzero(len));
            } else {
                seq.push(zero(len));
            }
        };
        if zero_run || wide {
            if index != first {
                zeros(&mut seq, index - first);
            }
            seq.push(val(count, 1));
            if index != last {
                zeros(&mut seq, last - index);
            }
        } else {
            let current = val_value(b);
            if index != first {
                seq.push(val(current, index - first));
            }
            seq.push(val(count, 1));
            if index != last {
                seq.push(val(current, last - index));
            }
        }
        // Step 3: the sequence replaces the opcode, if the code may grow that much.
        let oldlen = if wide { 2 } else { 1 };
        let delta = seq.len() as i64 - oldlen as i64;
        if delta > 0 && end as i64 + delta > max_bytes {
            return promote(value, index, count);
        }
        if p + oldlen <= end {
            value.splice(p..p + oldlen, seq);
        } else {
            // An XZERO cut after its first byte: Redis writes the sequence over the
            // terminating zero, and the string ends `delta` bytes further.
            let new_len = (end as i64 + delta) as usize;
            value.truncate(p);
            value.extend_from_slice(&seq);
            value.truncate(new_len);
        }
    }

    // Step 4: merge equal VALs next to each other, up to 5 opcodes from the one
    // before ours.
    let mut p = prev.unwrap_or(HEADER);
    let mut scan = 5;
    while p < value.len() && scan > 0 {
        scan -= 1;
        let b = value[p];
        if is_xzero(b) {
            p += 2;
            continue;
        }
        if is_zero(b) {
            p += 1;
            continue;
        }
        if let Some(&next) = value.get(p + 1) {
            if is_val(next) && val_value(b) == val_value(next) {
                let len = val_len(b) + val_len(next);
                if len <= VAL_MAX_LEN {
                    value[p + 1] = val(val_value(b), len);
                    value.remove(p);
                    // Try the merged one with its right neighbour.
                    continue;
                }
            }
        }
        p += 1;
    }
    super::invalidate(value);
    Set::Raised
}

/// Turn the value dense, then raise the register there.
fn promote(value: &mut Vec<u8>, index: usize, count: u8) -> Set {
    let Some(mut out) = to_dense(value) else {
        return Set::Corrupt;
    };
    // Redis asserts this raised the register: promotion only happens for a raise.
    dense::raise(&mut out[HEADER..], index, count);
    *value = out;
    Set::Raised
}
