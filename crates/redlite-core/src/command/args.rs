//! `Args`: a cursor over a command's arguments. Argument errors are produced here,
//! in one place, with Redis's texts.

use crate::command::strtod::{is_c_space, strtod};
use crate::error::{msg, Error, Result};

pub struct Args<'a> {
    argv: &'a [&'a [u8]],
    pos: usize,
}

/// The arguments not yet read, in order: `next()` is the next one, if any.
impl<'a> Iterator for Args<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let a = self.argv.get(self.pos).copied();
        if a.is_some() {
            self.pos += 1;
        }
        a
    }
}

impl<'a> Args<'a> {
    /// `argv` without the command name.
    pub fn new(argv: &'a [&'a [u8]]) -> Args<'a> {
        Args { argv, pos: 0 }
    }

    /// Where the next argument stands in the command's argv (the name is 0): what
    /// `Ctx::redact` takes.
    pub fn argv_index(&self) -> usize {
        self.pos + 1
    }

    /// Every argument after the command name, read or not (a subcommand's handler
    /// finds its name as sent at 0).
    pub fn all(&self) -> &'a [&'a [u8]] {
        self.argv
    }

    /// Arguments not yet read.
    pub fn remaining(&self) -> usize {
        self.argv.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The next argument, if any, without reading it.
    pub fn peek(&self) -> Option<&'a [u8]> {
        self.argv.get(self.pos).copied()
    }

    /// The next argument; a syntax error when there is none.
    pub fn bytes(&mut self) -> Result<&'a [u8]> {
        self.next().ok_or_else(|| Error::redis(msg::SYNTAX))
    }

    /// The next argument as an integer (Redis's `string2ll` rules).
    pub fn int(&mut self) -> Result<i64> {
        parse_i64(self.bytes()?).ok_or_else(|| Error::redis(msg::NOT_INTEGER))
    }

    /// The next argument as a float (Redis's `strtod` rules: no NaN, no spaces).
    pub fn float(&mut self) -> Result<f64> {
        parse_f64(self.bytes()?).ok_or_else(|| Error::redis(msg::NOT_FLOAT))
    }

    /// All remaining arguments.
    pub fn rest(&mut self) -> &'a [&'a [u8]] {
        let r = &self.argv[self.pos..];
        self.pos = self.argv.len();
        r
    }

    /// A syntax error if anything is left.
    pub fn finish(&self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::redis(msg::SYNTAX))
        }
    }
}

/// Case-insensitive comparison of an argument with an option name.
pub fn eq(arg: &[u8], word: &str) -> bool {
    arg.eq_ignore_ascii_case(word.as_bytes())
}

/// Redis's `string2ll`: an optional '-', then digits with no leading zero (except
/// "0" itself); no '+', no spaces, nothing after; within i64.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !(b'1'..=b'9').contains(&digits[0]) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else if v > i64::MAX as u64 {
        None
    } else {
        Some(v as i64)
    }
}

/// A float argument as Redis's `getDoubleFromObject` reads it (ZADD's scores,
/// ZINCRBY's increment, WEIGHTS, blocking timeouts): all of it a number for `strtod`,
/// no leading space, not NaN, and not out of a double's range. "inf", "-inf", "+inf"
/// and hex floats pass.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    if s.first().is_none_or(|&c| is_c_space(c)) {
        return None;
    }
    let (v, n, erange) = strtod(s);
    if n != s.len() || v.is_nan() || (erange && (v.is_infinite() || v == 0.0)) {
        return None;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_follow_string2ll() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        for bad in [
            &b"01"[..],
            b"+1",
            b" 1",
            b"1 ",
            b"-0",
            b"",
            b"-",
            b"1a",
            b"1.0",
        ] {
            assert_eq!(parse_i64(bad), None, "{:?}", bad);
        }
    }

    #[test]
    fn floats_follow_strtod() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"nan"), None);
        assert_eq!(parse_f64(b" 1"), None);
        assert_eq!(parse_f64(b"abc"), None);
        assert_eq!(parse_f64(b"0x10"), Some(16.0));
        assert_eq!(parse_f64(b"1e400"), None);
        assert_eq!(parse_f64(b"1e-400"), None);
    }
}
