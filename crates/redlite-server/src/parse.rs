//! Reading requests: RESP multibulk and inline commands, exactly as Redis 7 reads them.
//!
//! This is a transcription of `processInputBuffer`, `processMultibulkBuffer` and
//! `processInlineBuffer` (networking.c) and `sdssplitargs` (sds.c), down to their
//! quirks, because clients and fuzzers depend on them:
//!
//! - the first byte of a request decides its kind: `*` starts a multibulk request,
//!   anything else is an inline command (a line, as telnet or a shell pipe sends it);
//! - a multibulk count of zero or less is an empty request, silently skipped, and so
//!   is an empty inline line;
//! - the two bytes after a `\r` that ends a count line, and the two bytes after a bulk
//!   argument, are skipped without being looked at (Redis does not check they are `\r\n`);
//! - numbers are parsed by `string2ll`: no `+`, no leading zeros, no spaces, no `-0`.
//!
//! The parser is incremental: it consumes each argument from the buffer as soon as it
//! is complete and remembers where it is (how many arguments are left, the length of
//! the bulk it waits for, how far it has already searched for a line end), so a large
//! pipelined buffer or a large argument that arrives in many reads is parsed once, in
//! linear time. Arguments are split off the buffer without copying.
//!
//! One deliberate difference: Redis searches for line ends with `strchr`, which stops
//! at a NUL byte, so a NUL inside a count line or an inline command makes Redis wait
//! for more input until the 64 KB limit. Here a NUL is an ordinary byte in a count
//! line (so `*1\0\r\n` is an invalid multibulk length) and, as `sdssplitargs` sees a
//! C string, ends the arguments of an inline command.

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};

/// Redis's `PROTO_INLINE_MAX_SIZE`: the longest inline command, and the longest count
/// line (`*N` or `$N`) it waits for before giving up.
pub const MAX_INLINE_SIZE: usize = 64 * 1024;

/// Redis 7.0 refuses a multibulk count above `INT_MAX`.
pub const MAX_MULTIBULK_LEN: i64 = i32::MAX as i64;

/// Redis's default `proto-max-bulk-len`: 512 MB.
pub const MAX_BULK_LEN: i64 = 512 * 1024 * 1024;

/// Redis's limits on a client that has not authenticated (networking.c): a request
/// of at most 10 arguments, each of at most 16 KB, so that a client without the
/// password cannot make the server buffer more than that.
pub const UNAUTHENTICATED_MAX_ARGS: i64 = 10;
pub const UNAUTHENTICATED_MAX_BULK: i64 = 16 * 1024;

/// A request Redis would refuse. The connection answers with `reply_text()` and
/// closes, as Redis does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProtocolError {
    InvalidMultibulkLength,
    InvalidBulkLength,
    /// A multibulk argument did not start with `$`; the byte it started with.
    ExpectedDollar(u8),
    UnbalancedQuotes,
    TooBigInline,
    TooBigMultibulkCount,
    TooBigBulkCount,
    /// Before AUTH, a multibulk of more than `UNAUTHENTICATED_MAX_ARGS` arguments.
    UnauthenticatedMultibulkLength,
    /// Before AUTH, an argument longer than `UNAUTHENTICATED_MAX_BULK` bytes.
    UnauthenticatedBulkLength,
}

impl ProtocolError {
    /// The error reply, without the leading `-`.
    pub fn reply_text(&self) -> String {
        let what = match self {
            ProtocolError::InvalidMultibulkLength => "invalid multibulk length".to_string(),
            ProtocolError::InvalidBulkLength => "invalid bulk length".to_string(),
            ProtocolError::ExpectedDollar(b) => {
                // Redis formats the byte with %c: it goes out raw.
                format!("expected '$', got '{}'", char::from(*b))
            }
            ProtocolError::UnbalancedQuotes => "unbalanced quotes in request".to_string(),
            ProtocolError::TooBigInline => "too big inline request".to_string(),
            ProtocolError::TooBigMultibulkCount => "too big mbulk count string".to_string(),
            ProtocolError::TooBigBulkCount => "too big bulk count string".to_string(),
            ProtocolError::UnauthenticatedMultibulkLength => {
                "unauthenticated multibulk length".to_string()
            }
            ProtocolError::UnauthenticatedBulkLength => "unauthenticated bulk length".to_string(),
        };
        format!("ERR Protocol error: {}", what)
    }

    /// The error reply as raw bytes (the `%c` of `ExpectedDollar` may not be UTF-8).
    pub fn reply_bytes(&self) -> Vec<u8> {
        match self {
            ProtocolError::ExpectedDollar(b) => {
                let mut v = b"ERR Protocol error: expected '$', got '".to_vec();
                v.push(*b);
                v.push(b'\'');
                v
            }
            other => other.reply_text().into_bytes(),
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reply_text())
    }
}

impl std::error::Error for ProtocolError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between requests: the next byte decides multibulk or inline.
    Start,
    /// Inside a multibulk request, waiting for a `$<len>` line; `left` arguments to go.
    BulkCount { left: usize },
    /// Waiting for `len` bytes of argument plus the two that end it.
    BulkData { left: usize, len: usize },
}

/// Splits a stream of bytes into requests (argument vectors).
#[derive(Debug)]
pub struct RequestParser {
    state: State,
    /// Arguments of the multibulk request in progress, and their total size.
    args: Vec<Bytes>,
    args_bytes: usize,
    /// How many bytes at the start of the buffer have already been searched for the
    /// end of the current line without finding it.
    scanned: usize,
    /// The client has not authenticated: the `UNAUTHENTICATED_*` limits apply.
    auth_required: bool,
}

impl Default for RequestParser {
    fn default() -> Self {
        RequestParser::new()
    }
}

impl RequestParser {
    pub fn new() -> RequestParser {
        RequestParser {
            state: State::Start,
            args: Vec::new(),
            args_bytes: 0,
            scanned: 0,
            auth_required: false,
        }
    }

    /// Whether the client still has to authenticate (Redis's `authRequired`): while
    /// it does, requests larger than the `UNAUTHENTICATED_*` limits are refused.
    pub fn set_auth_required(&mut self, required: bool) {
        self.auth_required = required;
    }

    /// The next complete request at the front of `buf`, consuming it. `Ok(None)`: more
    /// bytes are needed (what was complete so far has been consumed and remembered).
    /// Empty requests are skipped. After an error the connection must be closed.
    pub fn next(&mut self, buf: &mut BytesMut) -> Result<Option<Vec<Bytes>>, ProtocolError> {
        loop {
            match self.state {
                State::Start => {
                    let Some(&first) = buf.first() else {
                        return Ok(None);
                    };
                    let request = if first == b'*' {
                        self.multibulk_header(buf)?
                    } else {
                        self.inline(buf)?
                    };
                    match request {
                        Step::NeedMore => return Ok(None),
                        Step::Empty => continue,
                        Step::Request(argv) => return Ok(Some(argv)),
                        Step::Continue => continue,
                    }
                }
                State::BulkCount { left } => {
                    let Some(end) = self.find_line_end(buf, b'\r', 0) else {
                        if buf.len() > MAX_INLINE_SIZE {
                            return Err(ProtocolError::TooBigBulkCount);
                        }
                        return Ok(None);
                    };
                    // Redis needs one byte after the '\r' (it assumes it is '\n').
                    if end + 1 >= buf.len() {
                        return Ok(None);
                    }
                    if buf[0] != b'$' {
                        return Err(ProtocolError::ExpectedDollar(buf[0]));
                    }
                    let len = match string2ll(&buf[1..end]) {
                        Some(n) if (0..=MAX_BULK_LEN).contains(&n) => n as usize,
                        _ => return Err(ProtocolError::InvalidBulkLength),
                    };
                    if self.auth_required && len as i64 > UNAUTHENTICATED_MAX_BULK {
                        return Err(ProtocolError::UnauthenticatedBulkLength);
                    }
                    buf.advance(end + 2);
                    self.scanned = 0;
                    self.state = State::BulkData { left, len };
                }
                State::BulkData { left, len } => {
                    if buf.len() < len + 2 {
                        return Ok(None);
                    }
                    let arg = buf.split_to(len).freeze();
                    buf.advance(2);
                    self.args.push(arg);
                    self.args_bytes += len;
                    if left == 1 {
                        self.state = State::Start;
                        self.args_bytes = 0;
                        return Ok(Some(std::mem::take(&mut self.args)));
                    }
                    self.state = State::BulkCount { left: left - 1 };
                }
            }
        }
    }

    /// How many bytes the request in progress still needs at least, so a reader can
    /// make room for a large argument in one allocation.
    pub fn bytes_wanted(&self, buffered: usize) -> usize {
        match self.state {
            State::BulkData { len, .. } => (len + 2).saturating_sub(buffered),
            _ => 0,
        }
    }

    /// The size of the arguments of the request in progress read so far (they are no
    /// longer in the buffer), for the query buffer limit.
    pub fn pending_bytes(&self) -> usize {
        self.args_bytes
    }

    /// True between requests (nothing of a request has been read).
    pub fn is_idle(&self) -> bool {
        self.state == State::Start
    }

    fn multibulk_header(&mut self, buf: &mut BytesMut) -> Result<Step, ProtocolError> {
        let Some(end) = self.find_line_end(buf, b'\r', 1) else {
            if buf.len() > MAX_INLINE_SIZE {
                return Err(ProtocolError::TooBigMultibulkCount);
            }
            return Ok(Step::NeedMore);
        };
        if end + 1 >= buf.len() {
            return Ok(Step::NeedMore);
        }
        let count = match string2ll(&buf[1..end]) {
            Some(n) if n <= MAX_MULTIBULK_LEN => n,
            _ => return Err(ProtocolError::InvalidMultibulkLength),
        };
        if self.auth_required && count > UNAUTHENTICATED_MAX_ARGS {
            return Err(ProtocolError::UnauthenticatedMultibulkLength);
        }
        buf.advance(end + 2);
        self.scanned = 0;
        if count <= 0 {
            return Ok(Step::Empty);
        }
        let count = count as usize;
        // As Redis: do not trust the count for the allocation.
        self.args = Vec::with_capacity(count.min(1024));
        self.state = State::BulkCount { left: count };
        Ok(Step::Continue)
    }

    fn inline(&mut self, buf: &mut BytesMut) -> Result<Step, ProtocolError> {
        let Some(newline) = self.find_line_end(buf, b'\n', 0) else {
            if buf.len() > MAX_INLINE_SIZE {
                return Err(ProtocolError::TooBigInline);
            }
            return Ok(Step::NeedMore);
        };
        let mut line_end = newline;
        if line_end > 0 && buf[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        let argv = split_args(&buf[..line_end]).ok_or(ProtocolError::UnbalancedQuotes)?;
        buf.advance(newline + 1);
        self.scanned = 0;
        if argv.is_empty() {
            return Ok(Step::Empty);
        }
        Ok(Step::Request(argv.into_iter().map(Bytes::from).collect()))
    }

    /// The index of the first `byte` in `buf` at or after `from`, remembering how far
    /// the search went so the next call, with more bytes, does not search again.
    fn find_line_end(&mut self, buf: &BytesMut, byte: u8, from: usize) -> Option<usize> {
        let start = self.scanned.max(from).min(buf.len());
        match memchr(byte, &buf[start..]) {
            Some(i) => Some(start + i),
            None => {
                self.scanned = buf.len();
                None
            }
        }
    }
}

enum Step {
    NeedMore,
    Empty,
    Continue,
    Request(Vec<Bytes>),
}

fn memchr(byte: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == byte)
}

/// Redis's `string2ll`: a strict decimal integer. No sign but `-`, no leading zeros,
/// no surrounding space, at most 20 characters, and not `-0`.
pub fn string2ll(s: &[u8]) -> Option<i64> {
    // LONG_STR_SIZE is 21: a string of 21 bytes or more is refused outright.
    if s.is_empty() || s.len() >= 21 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        if v > i64::MAX as u64 + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// Redis's `sdssplitargs`: split an inline command line into arguments, with its
/// quoting rules. `"..."` understands `\n \r \t \b \a`, `\xHH` and `\<any>`; `'...'`
/// only `\'`. A closing quote must be followed by a space or the end. `None` for
/// unbalanced quotes. The line is read as a C string: a NUL byte ends it.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = match memchr(0, line) {
        Some(nul) => &line[..nul],
        None => line,
    };
    // `at(i)` is the byte at i, or the C string's terminating NUL past the end.
    let at = |i: usize| line.get(i).copied().unwrap_or(0);
    let mut args = Vec::new();
    let mut p = 0;
    loop {
        while p < line.len() && is_space(line[p]) {
            p += 1;
        }
        if p >= line.len() {
            return Some(args);
        }
        let mut current = Vec::new();
        let mut in_double = false;
        let mut in_single = false;
        loop {
            let c = at(p);
            if in_double {
                if c == b'\\' && at(p + 1) == b'x' && is_hex(at(p + 2)) && is_hex(at(p + 3)) {
                    current.push(hex(at(p + 2)) * 16 + hex(at(p + 3)));
                    p += 3;
                } else if c == b'\\' && at(p + 1) != 0 {
                    p += 1;
                    current.push(match at(p) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                } else if c == b'"' {
                    if at(p + 1) != 0 && !is_space(at(p + 1)) {
                        return None;
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else if in_single {
                if c == b'\\' && at(p + 1) == b'\'' {
                    p += 1;
                    current.push(b'\'');
                } else if c == b'\'' {
                    if at(p + 1) != 0 && !is_space(at(p + 1)) {
                        return None;
                    }
                    p += 1;
                    break;
                } else if c == 0 {
                    return None;
                } else {
                    current.push(c);
                }
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => {
                        if c != 0 {
                            p += 1;
                        }
                        break;
                    }
                    b'"' => in_double = true,
                    b'\'' => in_single = true,
                    other => current.push(other),
                }
            }
            p += 1;
        }
        args.push(current);
    }
}

/// C's `isspace` in the "C" locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

fn hex(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every request in `input`, fed in one piece.
    fn parse_all(input: &[u8]) -> (Vec<Vec<Vec<u8>>>, Option<ProtocolError>, usize) {
        let mut parser = RequestParser::new();
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        loop {
            match parser.next(&mut buf) {
                Ok(Some(argv)) => out.push(argv.iter().map(|a| a.to_vec()).collect()),
                Ok(None) => return (out, None, buf.len()),
                Err(e) => return (out, Some(e), buf.len()),
            }
        }
    }

    fn argv(words: &[&[u8]]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.to_vec()).collect()
    }

    #[test]
    fn multibulk() {
        let (reqs, err, rest) =
            parse_all(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$4\r\nPING\r\n");
        assert_eq!(reqs, vec![argv(&[b"SET", b"k", b"v"]), argv(&[b"PING"])]);
        assert_eq!(err, None);
        assert_eq!(rest, 0);
    }

    #[test]
    fn unauthenticated_limits() {
        let parse = |input: &[u8]| {
            let mut parser = RequestParser::new();
            parser.set_auth_required(true);
            parser.next(&mut BytesMut::from(input))
        };
        assert_eq!(
            parse(b"*11\r\n"),
            Err(ProtocolError::UnauthenticatedMultibulkLength)
        );
        assert_eq!(parse(b"*10\r\n"), Ok(None));
        assert_eq!(
            parse(b"*1\r\n$16385\r\n"),
            Err(ProtocolError::UnauthenticatedBulkLength)
        );
        assert_eq!(parse(b"*1\r\n$16384\r\n"), Ok(None));
        // Redis checks the length is valid first.
        assert_eq!(
            parse(b"*1\r\n$-5\r\n"),
            Err(ProtocolError::InvalidBulkLength)
        );
        assert_eq!(
            ProtocolError::UnauthenticatedBulkLength.reply_text(),
            "ERR Protocol error: unauthenticated bulk length"
        );
        // Once authenticated, no such limits.
        let (reqs, err, _) = parse_all(b"*11\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n$1\r\na\r\n");
        assert_eq!((reqs.len(), err), (1, None));
    }

    #[test]
    fn binary_safe_arguments() {
        let (reqs, err, _) = parse_all(b"*2\r\n$3\r\na\r\n\r\n$4\r\n\0\r\n\0\r\n");
        assert_eq!(reqs, vec![argv(&[b"a\r\n", b"\0\r\n\0"])]);
        assert_eq!(err, None);
        let (reqs, _, _) = parse_all(b"*1\r\n$0\r\n\r\n");
        assert_eq!(reqs, vec![argv(&[b""])]);
    }

    #[test]
    fn empty_requests_are_skipped() {
        let (reqs, err, _) = parse_all(b"*0\r\n*-1\r\n\r\n\n   \r\nPING\r\n*-2147483649\r\nPING\n");
        assert_eq!(reqs, vec![argv(&[b"PING"]), argv(&[b"PING"])]);
        assert_eq!(err, None);
    }

    #[test]
    fn bytes_after_an_argument_are_not_checked() {
        // As Redis: the two bytes after a bulk, and after a count's '\r', are skipped.
        let (reqs, err, _) = parse_all(b"*1\r\n$4\r\nPINGxxPING\r\n");
        assert_eq!(reqs, vec![argv(&[b"PING"]), argv(&[b"PING"])]);
        assert_eq!(err, None);
        let (reqs, _, _) = parse_all(b"*1\rx$4\rxPING\r\r\n");
        assert_eq!(reqs, vec![argv(&[b"PING"])]);
    }

    #[test]
    fn inline_commands() {
        let (reqs, err, _) = parse_all(b"set k v\r\nGET k\nPING\r\r\n  echo   a\t\tb  \r\n");
        assert_eq!(
            reqs,
            vec![
                argv(&[b"set", b"k", b"v"]),
                argv(&[b"GET", b"k"]),
                argv(&[b"PING"]),
                argv(&[b"echo", b"a", b"b"])
            ]
        );
        assert_eq!(err, None);
    }

    #[test]
    fn inline_waits_for_the_newline() {
        let (reqs, err, rest) = parse_all(b"PING");
        assert!(reqs.is_empty());
        assert_eq!(err, None);
        assert_eq!(rest, 4);
    }

    #[test]
    fn quotes() {
        let split = |s: &[u8]| split_args(s);
        assert_eq!(
            split(br#"set "a b" 'c d'"#),
            Some(argv(&[b"set", b"a b", b"c d"]))
        );
        assert_eq!(
            split(br#""\n\r\t\b\a\"\\\q""#),
            Some(argv(&[b"\n\r\t\x08\x07\"\\q"]))
        );
        assert_eq!(split(br#""\x41\xff\xZZ\x4""#), Some(argv(&[b"A\xffxZZx4"])));
        assert_eq!(split(br#"'a\'b' '\n'"#), Some(argv(&[b"a'b", b"\\n"])));
        assert_eq!(split(br#"a"b" x'y'"#), Some(argv(&[b"ab", b"xy"])));
        assert_eq!(split(br#""" ''"#), Some(argv(&[b"", b""])));
        assert_eq!(split(b"a\x0bb \x0b c"), Some(argv(&[b"a\x0bb", b"c"])));
        assert_eq!(split(b"PI\0NG x"), Some(argv(&[b"PI"])));
        assert_eq!(split(b""), Some(vec![]));
        assert_eq!(split(br#""abc"#), None);
        assert_eq!(split(br#"'abc"#), None);
        assert_eq!(split(br#""a"b"#), None);
        assert_eq!(split(br#"'a'b"#), None);
        assert_eq!(split(br#""abc\"#), None);
        assert_eq!(split(br#""a"	b"#), Some(argv(&[b"a", b"b"])));
    }

    #[test]
    fn protocol_errors() {
        use ProtocolError::*;
        let cases: &[(&[u8], ProtocolError)] = &[
            (b"*abc\r\n", InvalidMultibulkLength),
            (b"*\r\n", InvalidMultibulkLength),
            (b"*-0\r\n", InvalidMultibulkLength),
            (b"*+1\r\n", InvalidMultibulkLength),
            (b"*01\r\n", InvalidMultibulkLength),
            (b"*2147483648\r\n", InvalidMultibulkLength),
            (b"*1\0\r\n", InvalidMultibulkLength),
            (b"*1\r\n$abc\r\n", InvalidBulkLength),
            (b"*1\r\n$\r\n", InvalidBulkLength),
            (b"*1\r\n$-1\r\n", InvalidBulkLength),
            (b"*1\r\n$-0\r\n", InvalidBulkLength),
            (b"*1\r\n$04\r\n", InvalidBulkLength),
            (b"*1\r\n$536870913\r\n", InvalidBulkLength),
            (b"*1\r\n+PING\r\n", ExpectedDollar(b'+')),
            (b"*1\r\n*4\r\n", ExpectedDollar(b'*')),
            (b"set a \"b\r\n", UnbalancedQuotes),
        ];
        for (input, want) in cases {
            let (_, err, _) = parse_all(input);
            assert_eq!(
                err.as_ref(),
                Some(want),
                "input {:?}",
                String::from_utf8_lossy(input)
            );
        }
        assert_eq!(parse_all(&[b'A'; 65537]).1, Some(TooBigInline));
        assert_eq!(parse_all(&[b'A'; 65536]).1, None);
        let mut count = b"*".to_vec();
        count.extend_from_slice(&[b'1'; 65536]);
        assert_eq!(parse_all(&count).1, Some(TooBigMultibulkCount));
        let mut bulk = b"*1\r\n$".to_vec();
        bulk.extend_from_slice(&[b'1'; 65536]);
        assert_eq!(parse_all(&bulk).1, Some(TooBigBulkCount));
    }

    #[test]
    fn limits_that_are_accepted() {
        // Redis 7.0 waits for the arguments of these rather than refusing them.
        for input in [&b"*2147483647\r\n"[..], b"*1\r\n$536870912\r\n"] {
            let (reqs, err, _) = parse_all(input);
            assert!(reqs.is_empty());
            assert_eq!(err, None);
        }
    }

    #[test]
    fn error_texts() {
        assert_eq!(
            ProtocolError::InvalidMultibulkLength.reply_text(),
            "ERR Protocol error: invalid multibulk length"
        );
        assert_eq!(
            ProtocolError::ExpectedDollar(b'+').reply_text(),
            "ERR Protocol error: expected '$', got '+'"
        );
        assert_eq!(
            ProtocolError::ExpectedDollar(0xff).reply_bytes(),
            b"ERR Protocol error: expected '$', got '\xff'".to_vec()
        );
    }

    #[test]
    fn string2ll_is_strict() {
        assert_eq!(string2ll(b"0"), Some(0));
        assert_eq!(string2ll(b"-1"), Some(-1));
        assert_eq!(string2ll(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(string2ll(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b""[..],
            b"-",
            b"-0",
            b"00",
            b"01",
            b"+1",
            b" 1",
            b"1 ",
            b"9223372036854775808",
            b"1x",
        ] {
            assert_eq!(string2ll(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    /// A stream of requests split at every byte offset, and fed one byte at a time,
    /// parses to the same requests as in one piece.
    #[test]
    fn split_at_every_offset() {
        let stream: &[u8] = b"*3\r\n$3\r\nSET\r\n$4\r\nk\r\n\0\r\n$0\r\n\r\n\
            PING\r\n*0\r\n\r\necho \"a\\x41 b\" 'c'\n*2\r\n$4\r\nECHO\r\n$10\r\n0123456789\r\n";
        let (want, err, rest) = parse_all(stream);
        assert_eq!(err, None);
        assert_eq!(rest, 0);
        assert_eq!(want.len(), 4);
        for cut in 0..=stream.len() {
            let mut parser = RequestParser::new();
            let mut buf = BytesMut::new();
            let mut got = Vec::new();
            for piece in [&stream[..cut], &stream[cut..]] {
                buf.extend_from_slice(piece);
                while let Some(argv) = parser.next(&mut buf).expect("valid stream") {
                    got.push(argv.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
                }
            }
            assert_eq!(got, want, "split at {}", cut);
            assert!(parser.is_idle());
        }
        let mut parser = RequestParser::new();
        let mut buf = BytesMut::new();
        let mut got = Vec::new();
        for &b in stream {
            buf.extend_from_slice(&[b]);
            while let Some(argv) = parser.next(&mut buf).expect("valid stream") {
                got.push(argv.iter().map(|a| a.to_vec()).collect::<Vec<_>>());
            }
        }
        assert_eq!(got, want);
    }

    /// An error is found however the bytes before it were split.
    #[test]
    fn errors_split_at_every_offset() {
        let stream: &[u8] = b"*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n+x\r\n";
        for cut in 0..=stream.len() {
            let mut parser = RequestParser::new();
            let mut buf = BytesMut::new();
            let mut got = 0;
            let mut err = None;
            for piece in [&stream[..cut], &stream[cut..]] {
                buf.extend_from_slice(piece);
                loop {
                    match parser.next(&mut buf) {
                        Ok(Some(_)) => got += 1,
                        Ok(None) => break,
                        Err(e) => {
                            err = Some(e);
                            break;
                        }
                    }
                }
                if err.is_some() {
                    break;
                }
            }
            assert_eq!(got, 1, "split at {}", cut);
            assert_eq!(
                err,
                Some(ProtocolError::ExpectedDollar(b'+')),
                "split at {}",
                cut
            );
        }
    }

    #[test]
    fn large_pipeline_is_linear() {
        let mut stream = Vec::new();
        for i in 0..100_000 {
            stream.extend_from_slice(
                format!(
                    "*2\r\n$3\r\nGET\r\n${}\r\nkey{}\r\n",
                    3 + i.to_string().len(),
                    i
                )
                .as_bytes(),
            );
        }
        let (reqs, err, rest) = parse_all(&stream);
        assert_eq!(reqs.len(), 100_000);
        assert_eq!(err, None);
        assert_eq!(rest, 0);
    }

    /// Random streams built from the protocol's own bytes, split at random points:
    /// the parser never panics, always consumes or waits, and each request it yields
    /// is non-empty.
    #[test]
    fn random_input_never_panics() {
        const PIECES: &[&[u8]] = &[
            b"*",
            b"$",
            b"\r",
            b"\n",
            b"\r\n",
            b"0",
            b"1",
            b"2",
            b"-",
            b"9999999999",
            b"\"",
            b"'",
            b"\\",
            b"\\x",
            b"4",
            b"a",
            b" ",
            b"\t",
            b"\0",
            b"+",
            b"PING",
            b"*1\r\n$4\r\nPING\r\n",
            b"$3\r\nabc\r\n",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..20_000 {
            let mut stream = Vec::new();
            for _ in 0..(next() % 24) {
                stream.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            let cut = (next() as usize) % (stream.len() + 1);
            let mut parser = RequestParser::new();
            let mut buf = BytesMut::new();
            'feed: for piece in [&stream[..cut], &stream[cut..]] {
                buf.extend_from_slice(piece);
                loop {
                    let before = buf.len();
                    match parser.next(&mut buf) {
                        Ok(Some(argv)) => assert!(!argv.is_empty()),
                        Ok(None) => {
                            assert!(buf.len() <= before);
                            break;
                        }
                        Err(_) => break 'feed,
                    }
                }
            }
        }
    }

    #[test]
    fn bytes_wanted_for_a_large_argument() {
        let mut parser = RequestParser::new();
        let mut buf = BytesMut::from(&b"*1\r\n$1000000\r\nabc"[..]);
        assert_eq!(parser.next(&mut buf), Ok(None));
        assert_eq!(parser.bytes_wanted(buf.len()), 1_000_002 - 3);
    }
}
