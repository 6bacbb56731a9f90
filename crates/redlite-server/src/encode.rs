//! Writing replies: a `Reply` as RESP2 or RESP3 bytes, as Redis 7 writes them.
//!
//! RESP2 has no null, double, boolean, map, set, push or verbatim types, so there
//! they become what Redis sends a RESP2 client: `$-1` (or `*-1` for the null array),
//! a bulk string formatted like `%.17g`, the integer 1 or 0, a flat array of keys and
//! values, an array, an array, a bulk string.

use redlite_core::reply::{format_double, format_human};
use redlite_core::Reply;

/// Append `reply` to `out` in the given protocol (2 or 3; anything else is RESP2).
pub fn encode(reply: &Reply, protocol: u8, out: &mut Vec<u8>) {
    let resp3 = protocol >= 3;
    match reply {
        Reply::Nil => out.extend_from_slice(if resp3 { b"_\r\n" } else { b"$-1\r\n" }),
        Reply::NilArray => out.extend_from_slice(if resp3 { b"_\r\n" } else { b"*-1\r\n" }),
        Reply::Simple(s) => line(out, b'+', s.as_bytes()),
        Reply::Error(s) => error(out, s),
        Reply::Int(n) => {
            out.push(b':');
            int(out, *n);
            out.extend_from_slice(b"\r\n");
        }
        Reply::Bulk(b) => bulk(out, b),
        Reply::Double(d) => {
            let text = format_double(*d);
            if resp3 {
                line(out, b',', text.as_bytes());
            } else {
                bulk(out, text.as_bytes());
            }
        }
        Reply::HumanDouble(d) => {
            let text = format_human(*d);
            if resp3 {
                line(out, b',', text.as_bytes());
            } else {
                bulk(out, text.as_bytes());
            }
        }
        Reply::Bool(b) => out.extend_from_slice(match (resp3, b) {
            (true, true) => b"#t\r\n",
            (true, false) => b"#f\r\n",
            (false, true) => b":1\r\n",
            (false, false) => b":0\r\n",
        }),
        Reply::Array(items) => aggregate(out, b'*', items, protocol),
        Reply::Set(items) => aggregate(out, if resp3 { b'~' } else { b'*' }, items, protocol),
        Reply::Push(items) => aggregate(out, if resp3 { b'>' } else { b'*' }, items, protocol),
        Reply::Map(pairs) => {
            if resp3 {
                header(out, b'%', pairs.len());
            } else {
                header(out, b'*', pairs.len() * 2);
            }
            for (k, v) in pairs {
                encode(k, protocol, out);
                encode(v, protocol, out);
            }
        }
        Reply::Verbatim(format, text) => {
            if resp3 {
                // `=<len>\r\ntxt:<text>\r\n`: the length counts the "txt:" prefix.
                let format = format.as_bytes();
                header(out, b'=', format.len() + 1 + text.len());
                out.extend_from_slice(format);
                out.push(b':');
                out.extend_from_slice(text);
                out.extend_from_slice(b"\r\n");
            } else {
                bulk(out, text);
            }
        }
    }
}

/// An error reply: `-` and the text (which carries its own prefix, `ERR ...`); an
/// empty text becomes `-ERR`. As Redis's `addReplyErrorFormat`, line breaks become
/// spaces so the reply stays one line.
pub fn error(out: &mut Vec<u8>, text: &[u8]) {
    if text.is_empty() {
        out.extend_from_slice(b"-ERR\r\n");
        return;
    }
    line(out, b'-', text);
}

fn line(out: &mut Vec<u8>, kind: u8, text: &[u8]) {
    out.push(kind);
    if text.iter().any(|&b| b == b'\r' || b == b'\n') {
        out.extend(
            text.iter()
                .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
    } else {
        out.extend_from_slice(text);
    }
    out.extend_from_slice(b"\r\n");
}

fn bulk(out: &mut Vec<u8>, bytes: &[u8]) {
    header(out, b'$', bytes.len());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

fn aggregate(out: &mut Vec<u8>, kind: u8, items: &[Reply], protocol: u8) {
    header(out, kind, items.len());
    for item in items {
        encode(item, protocol, out);
    }
}

fn header(out: &mut Vec<u8>, kind: u8, len: usize) {
    out.push(kind);
    uint(out, len as u64);
    out.extend_from_slice(b"\r\n");
}

fn int(out: &mut Vec<u8>, n: i64) {
    if n < 0 {
        out.push(b'-');
    }
    uint(out, n.unsigned_abs());
}

fn uint(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(reply: &Reply, protocol: u8) -> Vec<u8> {
        let mut out = Vec::new();
        encode(reply, protocol, &mut out);
        out
    }

    fn both(reply: Reply, resp2: &[u8], resp3: &[u8]) {
        assert_eq!(resp(&reply, 2), resp2, "RESP2 of {:?}", reply);
        assert_eq!(resp(&reply, 3), resp3, "RESP3 of {:?}", reply);
    }

    #[test]
    fn scalars() {
        both(Reply::Nil, b"$-1\r\n", b"_\r\n");
        both(Reply::NilArray, b"*-1\r\n", b"_\r\n");
        both(Reply::ok(), b"+OK\r\n", b"+OK\r\n");
        both(
            Reply::Error("ERR bad".into()),
            b"-ERR bad\r\n",
            b"-ERR bad\r\n",
        );
        both(Reply::Int(0), b":0\r\n", b":0\r\n");
        both(Reply::Int(-42), b":-42\r\n", b":-42\r\n");
        both(
            Reply::Int(i64::MIN),
            b":-9223372036854775808\r\n",
            b":-9223372036854775808\r\n",
        );
        both(
            Reply::Int(i64::MAX),
            b":9223372036854775807\r\n",
            b":9223372036854775807\r\n",
        );
        both(Reply::bulk(&b""[..]), b"$0\r\n\r\n", b"$0\r\n\r\n");
        both(
            Reply::bulk(&b"a\r\n\0b"[..]),
            b"$5\r\na\r\n\0b\r\n",
            b"$5\r\na\r\n\0b\r\n",
        );
        both(Reply::Bool(true), b":1\r\n", b"#t\r\n");
        both(Reply::Bool(false), b":0\r\n", b"#f\r\n");
    }

    /// GEOPOS's coordinates, as Redis 7.0.15 writes them (`addReplyHumanLongDouble`).
    #[test]
    fn human_doubles() {
        both(
            Reply::HumanDouble(13.361389338970184),
            b"$20\r\n13.36138933897018433\r\n",
            b",13.36138933897018433\r\n",
        );
        both(Reply::HumanDouble(180.0), b"$3\r\n180\r\n", b",180\r\n");
        both(Reply::HumanDouble(-0.0), b"$1\r\n0\r\n", b",0\r\n");
    }

    #[test]
    fn doubles() {
        both(Reply::Double(3.0), b"$1\r\n3\r\n", b",3\r\n");
        both(
            Reply::Double(0.1),
            b"$19\r\n0.10000000000000001\r\n",
            b",0.10000000000000001\r\n",
        );
        both(Reply::Double(f64::INFINITY), b"$3\r\ninf\r\n", b",inf\r\n");
        both(
            Reply::Double(f64::NEG_INFINITY),
            b"$4\r\n-inf\r\n",
            b",-inf\r\n",
        );
        both(Reply::Double(1.5e-5), b"$7\r\n1.5e-05\r\n", b",1.5e-05\r\n");
    }

    #[test]
    fn aggregates() {
        both(Reply::Array(vec![]), b"*0\r\n", b"*0\r\n");
        both(
            Reply::Array(vec![
                Reply::Int(1),
                Reply::Nil,
                Reply::Array(vec![Reply::bulk(&b"x"[..])]),
            ]),
            b"*3\r\n:1\r\n$-1\r\n*1\r\n$1\r\nx\r\n",
            b"*3\r\n:1\r\n_\r\n*1\r\n$1\r\nx\r\n",
        );
        both(
            Reply::Map(vec![
                (Reply::bulk(&b"a"[..]), Reply::Int(1)),
                (Reply::bulk(&b"b"[..]), Reply::Double(2.5)),
            ]),
            b"*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n$3\r\n2.5\r\n",
            b"%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n,2.5\r\n",
        );
        both(
            Reply::Set(vec![Reply::bulk(&b"m"[..])]),
            b"*1\r\n$1\r\nm\r\n",
            b"~1\r\n$1\r\nm\r\n",
        );
        both(
            Reply::Push(vec![Reply::bulk(&b"message"[..]), Reply::Int(1)]),
            b"*2\r\n$7\r\nmessage\r\n:1\r\n",
            b">2\r\n$7\r\nmessage\r\n:1\r\n",
        );
        both(Reply::Map(vec![]), b"*0\r\n", b"%0\r\n");
    }

    #[test]
    fn verbatim() {
        both(
            Reply::Verbatim("txt", b"hello\r\n".to_vec()),
            b"$7\r\nhello\r\n\r\n",
            b"=11\r\ntxt:hello\r\n\r\n",
        );
    }

    #[test]
    fn line_breaks_never_break_a_line() {
        both(
            Reply::Error("ERR a\r\nb".into()),
            b"-ERR a  b\r\n",
            b"-ERR a  b\r\n",
        );
        both(Reply::Simple("a\nb".into()), b"+a b\r\n", b"+a b\r\n");
        both(Reply::Error(Vec::new()), b"-ERR\r\n", b"-ERR\r\n");
    }
}
