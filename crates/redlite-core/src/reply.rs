//! `Reply`: the protocol-agnostic answer of every command.
//!
//! The engine never produces bytes for the wire. The server encodes a `Reply` as
//! RESP2 or RESP3, the Python module turns it into Python objects, the C ABI into a
//! tagged struct. Errors carry Redis's exact text, prefix included
//! (`ERR ...`, `WRONGTYPE ...`): clients match on it.

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// RESP2 `$-1`, RESP3 `_`.
    Nil,
    /// RESP2 `*-1`, RESP3 `_`: the "null array" some commands answer (BLPOP on timeout).
    NilArray,
    /// `+OK`
    Simple(String),
    /// `-ERR ...`: the text includes its prefix. Bytes, not a `String`: Redis echoes
    /// the client's bytes in its errors (an unknown command's name, a subcommand) as
    /// they came, UTF-8 or not, and so does every front end.
    Error(Vec<u8>),
    Int(i64),
    Bulk(Vec<u8>),
    /// RESP3 double; a bulk string in RESP2.
    Double(f64),
    /// A double written as Redis's `addReplyHumanLongDouble` writes it (`%.17Lf`,
    /// trailing zeros cut, `format_human`): a RESP3 double of that text, a bulk
    /// string of it in RESP2. GEOPOS's and WITHCOORD's coordinates.
    HumanDouble(f64),
    /// RESP3 boolean; the integer 1 or 0 in RESP2.
    Bool(bool),
    Array(Vec<Reply>),
    /// RESP3 map; a flat array of key, value, ... in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// RESP3 set; an array in RESP2.
    Set(Vec<Reply>),
    /// RESP3 push (pub/sub messages); an array in RESP2.
    Push(Vec<Reply>),
    /// RESP3 verbatim string (`=`), e.g. INFO; a bulk string in RESP2. The format is
    /// the three-letter type, "txt" or "mkd".
    Verbatim(&'static str, Vec<u8>),
}

impl Reply {
    pub fn ok() -> Reply {
        Reply::Simple("OK".to_string())
    }

    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    pub fn opt_bulk(bytes: Option<Vec<u8>>) -> Reply {
        match bytes {
            Some(b) => Reply::Bulk(b),
            None => Reply::Nil,
        }
    }

    /// An error reply with Redis's text (prefix included).
    pub fn error(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Error(text.into())
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }
}

/// Format a double the way Redis's RESP2 `addReplyDouble` does (`%.17g`, with
/// `inf`, `-inf` and `nan` spelled as Redis spells them).
pub fn format_double(d: f64) -> String {
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if d.is_nan() {
        return "nan".into();
    }
    format_g(d, 17)
}

/// Redis's `ld2string(.., LD_STR_HUMAN)` of a double: 17 decimals (`%.17Lf`; the
/// double is exact as a long double, and Rust's `{:.17}` rounds its exact value as
/// glibc does), trailing zeros and a trailing '.' cut, "-0" written "0".
pub fn format_human(d: f64) -> String {
    if d.is_infinite() {
        return if d > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if d.is_nan() {
        return "nan".into();
    }
    let text = format!("{:.17}", d);
    let trimmed = text.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.into()
    }
}

/// The value a RESP3 client reads from `format_human`'s text (`strtod` of it): 17
/// decimals keep every digit of a coordinate's integer part but not all of a tiny
/// value's (2.682209014892578e-06 is sent, and read, as 0.00000268220901489). Where
/// a reply becomes a value without going through text (the Python module, Lua), it
/// is this one, as a client of Redis would get.
pub fn human_value(d: f64) -> f64 {
    format_human(d).parse().unwrap_or(d)
}

/// C's `%.<precision>g`.
pub fn format_g(d: f64, precision: usize) -> String {
    if d == 0.0 {
        return if d.is_sign_negative() {
            "-0".into()
        } else {
            "0".into()
        };
    }
    let p = precision.max(1);
    let exp = format!("{:.*e}", p - 1, d);
    let (mantissa, e) = exp.split_once('e').unwrap_or((&exp, "0"));
    let e: i32 = e.parse().unwrap_or(0);
    if e < -4 || e >= p as i32 {
        let m = trim_fraction(mantissa);
        let sign = if e < 0 { '-' } else { '+' };
        format!("{}e{}{:02}", m, sign, e.abs())
    } else {
        let decimals = (p as i32 - 1 - e).max(0) as usize;
        trim_fraction(&format!("{:.*}", decimals, d)).to_string()
    }
}

fn trim_fraction(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_c() {
        assert_eq!(format_g(3.0, 17), "3");
        assert_eq!(format_g(0.1, 17), "0.10000000000000001");
        assert_eq!(format_g(1e20, 17), "1e+20");
        assert_eq!(format_g(1.5e-5, 17), "1.5e-05");
        assert_eq!(format_g(123456.0, 6), "123456");
        assert_eq!(format_g(1234567.0, 6), "1.23457e+06");
    }
}
