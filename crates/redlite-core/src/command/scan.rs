//! The cursors and options (`ScanOptions`: MATCH, COUNT) of HSCAN, SSCAN and ZSCAN.
//!
//! A collection Redis keeps compact (a listpack hash or sorted set, an intset) is
//! answered whole with cursor 0, as Redis does. A larger one is paged by key in element
//! byte order: the cursor carries the first bytes of the next page's first element
//! (`scan_cursor_of`), a page starts at `scan_start(cursor)` and runs until COUNT
//! elements and then on to the end of the elements sharing the last one's cursor
//! (`page_keeper`). Every page so holds at least one element and its next cursor is
//! larger than its own, so a walk always ends; and as no element at or after a cursor
//! is ever left behind it, every element present for the whole walk is returned at
//! least once, whatever is added or removed between calls (as Redis guarantees).

use crate::command::args::{eq, parse_i64};
use crate::command::Args;
use crate::error::{msg, Error, Result};
use crate::glob;
use crate::reply::Reply;

/// A SCAN cursor as Redis's `parseScanCursorOrReply` reads it with C's `strtoul`: the
/// whole argument (up to a NUL) in base 10, no leading space, a sign allowed ("-n"
/// wraps, as in C), and "ERR invalid cursor" otherwise.
pub(crate) fn parse_cursor(arg: &[u8]) -> Result<u64> {
    let invalid = || Error::redis("ERR invalid cursor");
    let s = match arg.iter().position(|&c| c == 0) {
        Some(nul) => &arg[..nul],
        None => arg,
    };
    if s.is_empty() {
        return Ok(0);
    }
    if s[0].is_ascii_whitespace() || s[0] == 0x0b {
        return Err(invalid());
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(invalid());
    }
    let mut v: u64 = 0;
    for &c in digits {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add((c - b'0') as u64))
            .ok_or_else(invalid)?;
    }
    Ok(if neg { v.wrapping_neg() } else { v })
}

/// An element's cursor: the first 8 bytes of the element (zero-padded, big endian),
/// less their lowest bit, plus 1, so that 0 stays "done". Monotonic in element order.
pub(crate) fn scan_cursor_of(element: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = element.len().min(8);
    b[..n].copy_from_slice(&element[..n]);
    (u64::from_be_bytes(b) >> 1) + 1
}

/// Where a page starts for a cursor: a byte string at or below every element whose
/// cursor is at least `cursor`.
pub(crate) fn scan_start(cursor: u64) -> Vec<u8> {
    if cursor == 0 {
        return Vec::new();
    }
    let mut b = ((cursor - 1) << 1).to_be_bytes().to_vec();
    while b.last() == Some(&0) {
        b.pop();
    }
    b
}

/// Which elements a page takes, met in element order from its start, with how many it
/// has taken: COUNT of them, then on while they share the last one's cursor. A page so
/// ends where the cursor changes: its next cursor, the first refused element's, is
/// above every element it took, so no element comes back twice in a walk over an
/// unchanged collection, however many elements share their first 8 bytes.
pub(crate) fn page_keeper(count: i64) -> impl FnMut(&[u8], usize) -> bool {
    let count = usize::try_from(count).unwrap_or(usize::MAX);
    let mut last = 0;
    move |element, taken| {
        let c = scan_cursor_of(element);
        if taken < count || c == last {
            last = c;
            true
        } else {
            false
        }
    }
}

/// A SCAN reply: the next cursor (a bulk string) and the page.
pub(crate) fn scan_reply(cursor: u64, items: Vec<Reply>) -> Reply {
    Reply::Array(vec![Reply::bulk(cursor.to_string()), Reply::Array(items)])
}

/// The options of HSCAN, SSCAN (and ZSCAN): `[MATCH pattern] [COUNT count]`, any
/// number of times, the last one winning. No TYPE (SCAN's only) and no NOVALUES
/// (Redis 7.4).
pub(crate) struct ScanOptions<'a> {
    /// `None` when there is no pattern or it is `*`.
    pub pattern: Option<&'a [u8]>,
    pub count: i64,
}

impl<'a> ScanOptions<'a> {
    pub(crate) fn parse(args: &mut Args<'a>) -> Result<ScanOptions<'a>> {
        let mut opts = ScanOptions {
            pattern: None,
            count: 10,
        };
        while let Some(opt) = args.next() {
            let value = args.next().ok_or_else(|| Error::redis(msg::SYNTAX))?;
            if eq(opt, "count") {
                opts.count = parse_i64(value).ok_or_else(|| Error::redis(msg::NOT_INTEGER))?;
                if opts.count < 1 {
                    return Err(Error::redis(msg::SYNTAX));
                }
            } else if eq(opt, "match") {
                opts.pattern = Some(value).filter(|p| !glob::is_match_all(p));
            } else {
                return Err(Error::redis(msg::SYNTAX));
            }
        }
        Ok(opts)
    }

    pub(crate) fn matches(&self, element: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob::matches(p, element))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_cursor_as_strtoul() {
        assert_eq!(parse_cursor(b"0").ok(), Some(0));
        assert_eq!(parse_cursor(b"").ok(), Some(0));
        assert_eq!(parse_cursor(b"+1").ok(), Some(1));
        assert_eq!(parse_cursor(b"01").ok(), Some(1));
        assert_eq!(parse_cursor(b"-1").ok(), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615").ok(), Some(u64::MAX));
        assert_eq!(parse_cursor(b"7\x00junk").ok(), Some(7));
        for bad in [
            &b"18446744073709551616"[..],
            b" 1",
            b"\x0b1",
            b"1 ",
            b"x",
            b"-",
        ] {
            assert!(parse_cursor(bad).is_err(), "{:?}", bad);
        }
    }

    #[test]
    fn start_is_at_or_below_the_cursor_elements() {
        for e in [
            &b"a"[..],
            b"ab",
            b"f0001",
            b"abcdefgh",
            b"abcdefghij",
            b"\x00",
            b"\xff\xff\xff\xff\xff\xff\xff\xff\xff",
        ] {
            let c = scan_cursor_of(e);
            assert!(c > 0);
            assert!(scan_start(c).as_slice() <= e, "{:?}", e);
        }
        assert!(scan_cursor_of(b"a") < scan_cursor_of(b"b"));
        assert!(scan_cursor_of(b"") <= scan_cursor_of(b"\x00"));
    }

    #[test]
    fn a_page_ends_where_the_cursor_changes() {
        let elements: Vec<&[u8]> = vec![b"a", b"field:10", b"field:100", b"field:101", b"z"];
        let mut keep = page_keeper(2);
        let taken: Vec<bool> = elements
            .iter()
            .enumerate()
            .map(|(i, e)| keep(e, i))
            .collect();
        assert_eq!(taken, [true, true, true, true, false]);
        let mut keep = page_keeper(1);
        assert!(keep(b"field:10", 0));
        assert!(keep(b"field:11", 1)); // the same cursor: the lowest bit is dropped
        assert!(!keep(b"field:12", 2));
    }
}
