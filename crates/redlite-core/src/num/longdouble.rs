//! INCRBYFLOAT's arithmetic: the x86-64 `long double` (x87 80-bit extended precision,
//! 64-bit mantissa) that Redis computes in, emulated exactly in software.
//!
//! Redis parses both operands with `strtold`, adds them in `long double` and prints
//! the sum with `%.17Lf`, trailing zeros trimmed. With a 64-bit mantissa the 17
//! decimals show rounding that `f64` would not reproduce (`3000 + 1000.1` is
//! `4000.10000000000000009` in Redis), so the parse (correctly rounded), the sum
//! (one rounding, ties to even) and the print (exact decimal expansion, ties to even,
//! as glibc does) are each done exactly here on big integers.

use std::cmp::Ordering;

/// Smallest exponent of the unit in the last place: 2^-16445 is the smallest subnormal.
const MIN_ULP_EXP: i64 = -16445;
/// Largest exponent of the unit in the last place of a finite value:
/// the largest finite value is (2^64 - 1) * 2^16320.
const MAX_ULP_EXP: i64 = 16320;
/// Redis's `MAX_LONG_DOUBLE_CHARS`: longer arguments are not floats.
const MAX_CHARS: usize = 5 * 1024;

/// An 80-bit extended value: zero, a finite `mant * 2^exp`, or an infinity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LongDouble {
    neg: bool,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Zero,
    /// `mant != 0`; normalised (bit 63 set) unless subnormal (`exp == MIN_ULP_EXP`).
    Finite {
        mant: u64,
        exp: i64,
    },
    Inf,
}

impl LongDouble {
    pub const ZERO: LongDouble = LongDouble {
        neg: false,
        kind: Kind::Zero,
    };

    pub fn is_finite(&self) -> bool {
        !matches!(self.kind, Kind::Inf)
    }

    /// Redis's `string2ld`: what `strtold` accepts over the whole argument, with no
    /// leading space, not NaN, and neither overflowing nor underflowing to zero.
    /// Infinity spelled out ("inf") is accepted.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_CHARS || is_c_space(s[0]) {
            return None;
        }
        let (neg, body) = match s[0] {
            b'-' => (true, &s[1..]),
            b'+' => (false, &s[1..]),
            _ => (false, s),
        };
        let lower = body.to_ascii_lowercase();
        if lower == b"inf" || lower == b"infinity" {
            return Some(LongDouble {
                neg,
                kind: Kind::Inf,
            });
        }
        let parsed = if lower.len() > 2 && lower.starts_with(b"0x") {
            parse_hex(&lower[2..])?
        } else {
            parse_decimal(body)?
        };
        match parsed {
            // A zero mantissa is an exact zero; anything else that rounds to zero or
            // to infinity is strtold's ERANGE, which Redis rejects.
            Parsed::Zero => Some(LongDouble {
                neg,
                kind: Kind::Zero,
            }),
            Parsed::Value(v) => match v.kind {
                Kind::Finite { .. } => Some(LongDouble { neg, ..v }),
                _ => None,
            },
        }
    }

    /// `self + other`, rounded once to the 64-bit mantissa (ties to even).
    pub fn add(self, other: LongDouble) -> LongDouble {
        match (self.kind, other.kind) {
            (Kind::Inf, Kind::Inf) if self.neg != other.neg => {
                // NaN: reported by the caller as not finite, like an infinity.
                LongDouble {
                    neg: false,
                    kind: Kind::Inf,
                }
            }
            (Kind::Inf, _) => self,
            (_, Kind::Inf) => other,
            (Kind::Zero, Kind::Zero) => LongDouble {
                neg: self.neg && other.neg,
                kind: Kind::Zero,
            },
            (Kind::Zero, _) => other,
            (_, Kind::Zero) => self,
            (Kind::Finite { mant: ma, exp: ea }, Kind::Finite { mant: mb, exp: eb }) => {
                let e = ea.min(eb);
                let a = Big::from_u64(ma).shl((ea - e) as u64);
                let b = Big::from_u64(mb).shl((eb - e) as u64);
                if self.neg == other.neg {
                    round(self.neg, &a.add(&b), e, false)
                } else {
                    match a.cmp(&b) {
                        Ordering::Equal => LongDouble::ZERO,
                        Ordering::Greater => round(self.neg, &a.sub(&b), e, false),
                        Ordering::Less => round(other.neg, &b.sub(&a), e, false),
                    }
                }
            }
        }
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros (and a bare
    /// point) removed, "-0" written "0". Only for finite values.
    pub fn to_human(self) -> String {
        let digits = match self.kind {
            Kind::Zero | Kind::Inf => String::from("0"),
            Kind::Finite { mant, exp } => {
                let scaled = Big::from_u64(mant).mul_pow10(17);
                let q = if exp >= 0 {
                    scaled.shl(exp as u64)
                } else {
                    let s = (-exp) as u64;
                    let mut q = scaled.shr(s);
                    let half = scaled.bit(s - 1);
                    let below = scaled.any_below(s - 1);
                    if half && (below || q.bit(0)) {
                        q = q.add(&Big::from_u64(1));
                    }
                    q
                };
                q.to_decimal()
            }
        };
        let padded = if digits.len() < 18 {
            format!("{:0>18}", digits)
        } else {
            digits
        };
        let (int_part, frac) = padded.split_at(padded.len() - 17);
        let frac = frac.trim_end_matches('0');
        let mut out = String::with_capacity(padded.len() + 2);
        if self.neg {
            out.push('-');
        }
        out.push_str(int_part);
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
        if out == "-0" {
            out = String::from("0");
        }
        out
    }
}

fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

enum Parsed {
    Zero,
    Value(LongDouble),
}

/// `digits [. digits] [e [sign] digits]`, at least one digit; the whole input.
fn parse_decimal(s: &[u8]) -> Option<Parsed> {
    let mut i = 0;
    let mut digits: Vec<u8> = Vec::new();
    let mut frac_digits: i64 = 0;
    let mut seen_digit = false;
    while i < s.len() && s[i].is_ascii_digit() {
        digits.push(s[i] - b'0');
        seen_digit = true;
        i += 1;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        while i < s.len() && s[i].is_ascii_digit() {
            digits.push(s[i] - b'0');
            frac_digits += 1;
            seen_digit = true;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    let mut exp10: i64 = 0;
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        i += 1;
        let eneg = match s.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if i >= s.len() || !s[i].is_ascii_digit() {
            return None;
        }
        while i < s.len() && s[i].is_ascii_digit() {
            // Saturate: anything this large over- or underflows anyway.
            exp10 = (exp10 * 10 + (s[i] - b'0') as i64).min(1_000_000_000);
            i += 1;
        }
        if eneg {
            exp10 = -exp10;
        }
    }
    if i != s.len() {
        return None;
    }
    let first = digits.iter().position(|&d| d != 0);
    let Some(first) = first else {
        return Some(Parsed::Zero);
    };
    let digits = &digits[first..];
    let k = exp10 - frac_digits;
    let n = digits.len() as i64;
    // The value lies in [10^(n-1+k), 10^(n+k)): far outside the range, no arithmetic.
    if n - 1 + k > 4940 {
        return Some(Parsed::Value(LongDouble {
            neg: false,
            kind: Kind::Inf,
        }));
    }
    if n + k < -4970 {
        return Some(Parsed::Value(LongDouble::ZERO));
    }
    let mut d = Big::zero();
    for chunk in digits.chunks(9) {
        let mut v: u32 = 0;
        for &c in chunk {
            v = v * 10 + c as u32;
        }
        d = d
            .mul_small(10u32.pow(chunk.len() as u32))
            .add(&Big::from_u64(v as u64));
    }
    if k >= 0 {
        return Some(Parsed::Value(round(
            false,
            &d.mul_pow10(k as u32),
            0,
            false,
        )));
    }
    // value = d / 10^-k: divide with enough quotient bits (66+) for the rounding,
    // keeping the remainder as the sticky bit.
    let p = Big::from_u64(1).mul_pow10((-k) as u32);
    let t = d.bits() as i64 - p.bits() as i64 - 66;
    let (num, den) = if t >= 0 {
        (d, p.shl(t as u64))
    } else {
        (d.shl((-t) as u64), p)
    };
    let (q, r) = num.divmod(&den);
    Some(Parsed::Value(round(false, &q, t, !r.is_zero())))
}

/// After "0x": `hexdigits [. hexdigits] [p [sign] digits]`, at least one hex digit.
fn parse_hex(s: &[u8]) -> Option<Parsed> {
    let mut i = 0;
    let mut m = Big::zero();
    let mut frac_digits: i64 = 0;
    let mut seen_digit = false;
    let hex = |c: u8| (c as char).to_digit(16);
    while let Some(v) = s.get(i).and_then(|&c| hex(c)) {
        m = m.mul_small(16).add(&Big::from_u64(v as u64));
        seen_digit = true;
        i += 1;
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
        while let Some(v) = s.get(i).and_then(|&c| hex(c)) {
            m = m.mul_small(16).add(&Big::from_u64(v as u64));
            frac_digits += 1;
            seen_digit = true;
            i += 1;
        }
    }
    if !seen_digit {
        return None;
    }
    let mut exp2: i64 = 0;
    if s.get(i) == Some(&b'p') {
        i += 1;
        let eneg = match s.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if i >= s.len() || !s[i].is_ascii_digit() {
            return None;
        }
        while i < s.len() && s[i].is_ascii_digit() {
            exp2 = (exp2 * 10 + (s[i] - b'0') as i64).min(1_000_000_000);
            i += 1;
        }
        if eneg {
            exp2 = -exp2;
        }
    }
    if i != s.len() {
        return None;
    }
    if m.is_zero() {
        return Some(Parsed::Zero);
    }
    let e = exp2 - 4 * frac_digits;
    let top = m.bits() as i64 - 1 + e;
    if top > 16400 {
        return Some(Parsed::Value(LongDouble {
            neg: false,
            kind: Kind::Inf,
        }));
    }
    if top < -16500 {
        return Some(Parsed::Value(LongDouble::ZERO));
    }
    Some(Parsed::Value(round(false, &m, e, false)))
}

/// Round the exact value `(n + f) * 2^e` (0 <= f < 1, f > 0 iff `sticky`) to the
/// nearest long double, ties to even. `n` carries at least 66 significant bits
/// whenever `sticky` is set, so the sticky part always lies below the rounding bit.
fn round(neg: bool, n: &Big, e: i64, sticky: bool) -> LongDouble {
    if n.is_zero() {
        return LongDouble {
            neg,
            kind: Kind::Zero,
        };
    }
    let top = n.bits() as i64 - 1 + e;
    let q = (top - 63).max(MIN_ULP_EXP);
    let shift = q - e;
    let (mut mant, mut q) = if shift <= 0 {
        (n.shl((-shift) as u64).low_u64(), q)
    } else {
        let s = shift as u64;
        let mut m = n.shr(s).low_u64() as u128;
        let half = n.bit(s - 1);
        let below = sticky || n.any_below(s - 1);
        if half && (below || m & 1 == 1) {
            m += 1;
        }
        if m == 1u128 << 64 {
            (1u64 << 63, q + 1)
        } else {
            (m as u64, q)
        }
    };
    if mant == 0 {
        return LongDouble {
            neg,
            kind: Kind::Zero,
        };
    }
    if q > MAX_ULP_EXP {
        return LongDouble {
            neg,
            kind: Kind::Inf,
        };
    }
    // Keep the representation canonical: normalised unless subnormal.
    while mant & (1 << 63) == 0 && q > MIN_ULP_EXP {
        mant <<= 1;
        q -= 1;
    }
    LongDouble {
        neg,
        kind: Kind::Finite { mant, exp: q },
    }
}

/// A small unsigned big integer: little-endian 32-bit limbs, no high zero limbs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn zero() -> Big {
        Big(Vec::new())
    }

    fn from_u64(v: u64) -> Big {
        let mut b = Big(vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u64 - 1) * 32 + (32 - top.leading_zeros()) as u64,
        }
    }

    fn bit(&self, i: u64) -> bool {
        let limb = (i / 32) as usize;
        limb < self.0.len() && (self.0[limb] >> (i % 32)) & 1 == 1
    }

    /// Is any bit below position `n` set?
    fn any_below(&self, n: u64) -> bool {
        let full = ((n / 32) as usize).min(self.0.len());
        if self.0[..full].iter().any(|&l| l != 0) {
            return true;
        }
        let rem = n % 32;
        rem > 0 && full < self.0.len() && self.0[full] & ((1u32 << rem) - 1) != 0
    }

    fn low_u64(&self) -> u64 {
        let lo = self.0.first().copied().unwrap_or(0) as u64;
        let hi = self.0.get(1).copied().unwrap_or(0) as u64;
        lo | (hi << 32)
    }

    fn shl(&self, n: u64) -> Big {
        if self.is_zero() {
            return Big::zero();
        }
        let limbs = (n / 32) as usize;
        let bits = (n % 32) as u32;
        let mut out = vec![0u32; limbs];
        out.reserve(self.0.len() + 1);
        if bits == 0 {
            out.extend_from_slice(&self.0);
        } else {
            let mut carry = 0u32;
            for &l in &self.0 {
                out.push((l << bits) | carry);
                carry = l >> (32 - bits);
            }
            out.push(carry);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn shr(&self, n: u64) -> Big {
        let limbs = (n / 32) as usize;
        if limbs >= self.0.len() {
            return Big::zero();
        }
        let bits = (n % 32) as u32;
        let src = &self.0[limbs..];
        let mut out = Vec::with_capacity(src.len());
        for i in 0..src.len() {
            let lo = src[i] >> bits;
            let hi = if bits > 0 {
                src.get(i + 1).map_or(0, |&h| h << (32 - bits))
            } else {
                0
            };
            out.push(lo | hi);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn mul_small(&self, m: u32) -> Big {
        let mut out = Vec::with_capacity(self.0.len() + 1);
        let mut carry = 0u64;
        for &l in &self.0 {
            let v = l as u64 * m as u64 + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn mul_pow10(&self, mut k: u32) -> Big {
        let mut b = self.clone();
        while k >= 9 {
            b = b.mul_small(1_000_000_000);
            k -= 9;
        }
        b.mul_small(10u32.pow(k))
    }

    fn add(&self, o: &Big) -> Big {
        let (long, short) = if self.0.len() >= o.0.len() {
            (self, o)
        } else {
            (o, self)
        };
        let mut out = Vec::with_capacity(long.0.len() + 1);
        let mut carry = 0u64;
        for i in 0..long.0.len() {
            let v = long.0[i] as u64 + short.0.get(i).copied().unwrap_or(0) as u64 + carry;
            out.push(v as u32);
            carry = v >> 32;
        }
        if carry > 0 {
            out.push(carry as u32);
        }
        Big(out)
    }

    /// `self - o`, for `self >= o`.
    fn sub(&self, o: &Big) -> Big {
        let mut out = Vec::with_capacity(self.0.len());
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let mut v = self.0[i] as i64 - o.0.get(i).copied().unwrap_or(0) as i64 - borrow;
            borrow = 0;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            }
            out.push(v as u32);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn cmp(&self, o: &Big) -> Ordering {
        self.0
            .len()
            .cmp(&o.0.len())
            .then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }

    /// Quotient and remainder, by binary long division (the quotients asked for
    /// here are short: about 66 bits).
    fn divmod(&self, d: &Big) -> (Big, Big) {
        if self.cmp(d) == Ordering::Less {
            return (Big::zero(), self.clone());
        }
        let nb = self.bits();
        let db = d.bits();
        // Start from the top `db` bits of the numerator, then bring down one bit at a time.
        let mut r = self.shr(nb - db);
        let qbits = nb - db + 1;
        let mut q = vec![0u32; (qbits as usize).div_ceil(32)];
        let mut pos = nb - db;
        loop {
            if r.cmp(d) != Ordering::Less {
                r = r.sub(d);
                q[(pos / 32) as usize] |= 1 << (pos % 32);
            }
            if pos == 0 {
                break;
            }
            pos -= 1;
            r = r.shl(1);
            if self.bit(pos) {
                r = r.add(&Big::from_u64(1));
            }
        }
        let mut q = Big(q);
        q.trim();
        (q, r)
    }

    fn to_decimal(&self) -> String {
        if self.is_zero() {
            return String::from("0");
        }
        let mut chunks: Vec<u32> = Vec::new();
        let mut cur = self.0.clone();
        while !cur.is_empty() {
            let mut rem = 0u64;
            for l in cur.iter_mut().rev() {
                let v = (rem << 32) | *l as u64;
                *l = (v / 1_000_000_000) as u32;
                rem = v % 1_000_000_000;
            }
            while cur.last() == Some(&0) {
                cur.pop();
            }
            chunks.push(rem as u32);
        }
        let mut s = String::new();
        for (i, c) in chunks.iter().rev().enumerate() {
            if i == 0 {
                s.push_str(&c.to_string());
            } else {
                s.push_str(&format!("{:09}", c));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incr(a: &str, b: &str) -> Option<String> {
        let x = LongDouble::parse(a.as_bytes())?;
        let y = LongDouble::parse(b.as_bytes())?;
        let s = x.add(y);
        s.is_finite().then(|| s.to_human())
    }

    // Expected values taken from Redis 7.0.15 on x86-64.
    #[test]
    fn sums_print_as_redis_prints_them() {
        assert_eq!(incr("10.5", "0.1").as_deref(), Some("10.6"));
        assert_eq!(incr("5.0e3", "2.0e2").as_deref(), Some("5200"));
        assert_eq!(
            incr("3.0e3", "1000.1").as_deref(),
            Some("4000.10000000000000009")
        );
        assert_eq!(
            incr("4000.10000000000000009", "0.3").as_deref(),
            Some("4000.40000000000000013")
        );
        assert_eq!(incr("0.1", "0.2").as_deref(), Some("0.3"));
        assert_eq!(
            incr("0", "123456789.123456789").as_deref(),
            Some("123456789.12345678899873747")
        );
        assert_eq!(
            incr("0", "1.0000038146972656250").as_deref(),
            Some("1.00000381469726562")
        );
        assert_eq!(incr("0", "-0.0").as_deref(), Some("0"));
        assert_eq!(incr("0", "0x1p3").as_deref(), Some("8"));
        assert_eq!(incr("8", "1e-4940").as_deref(), Some("8"));
        assert_eq!(incr("6.5", "+1.").as_deref(), Some("7.5"));
        assert_eq!(incr("7.5", ".5").as_deref(), Some("8"));
        assert_eq!(
            incr("0", "1e300").as_deref(),
            Some("1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144")
        );
    }

    #[test]
    fn rejects_what_string2ld_rejects() {
        for bad in [
            "", " 1", "1 ", "nan", "1e5000", "1e-5000", "1e", "abc", ".", "0x", "1\0",
        ] {
            assert!(LongDouble::parse(bad.as_bytes()).is_none(), "{:?}", bad);
        }
        assert!(!LongDouble::parse(b"inf").is_some_and(|v| v.is_finite()));
        assert_eq!(incr("inf", "1"), None);
        assert_eq!(incr("inf", "-inf"), None);
        assert_eq!(incr("1.1e4932", "1.1e4932"), None);
    }
}
