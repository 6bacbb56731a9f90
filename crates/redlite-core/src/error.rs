//! Engine errors. A `Redis` error is an answer to the client (its text is Redis's,
//! prefix included); the others are failures of the storage underneath.

use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// A reply error with Redis's exact text, e.g. `ERR syntax error`: bytes, as
    /// it may echo what the client sent.
    Redis(Vec<u8>),
    Sqlite(rusqlite::Error),
    Io(std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// CR and LF in the text (a client's bytes echoed in it) become spaces, as
    /// Redis's addReplyErrorFormat makes them: the reply stays one line for every
    /// front end, not only on the wire.
    pub fn redis(text: impl Into<Vec<u8>>) -> Error {
        Error::Redis(msg::one_line(text.into()))
    }

    /// The bytes a client receives.
    pub fn reply_bytes(&self) -> Vec<u8> {
        match self {
            Error::Redis(s) => s.clone(),
            other => other.reply_text().into_bytes(),
        }
    }

    /// The text a client receives, for a person (bytes that are not UTF-8 shown as
    /// U+FFFD): logs, and errors built into other texts.
    pub fn reply_text(&self) -> String {
        match self {
            Error::Redis(s) => String::from_utf8_lossy(s).into_owned(),
            Error::Sqlite(e) => format!("ERR storage error: {}", e),
            Error::Io(e) => format!("ERR io error: {}", e),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reply_text())
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// Redis's standard error texts, in one place.
pub mod msg {
    pub const SYNTAX: &str = "ERR syntax error";
    pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
    pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
    pub const NOT_FLOAT: &str = "ERR value is not a valid float";
    pub const OVERFLOW: &str = "ERR increment or decrement would overflow";
    pub const NO_SUCH_KEY: &str = "ERR no such key";
    pub const DB_INDEX: &str = "ERR DB index is out of range";
    pub const INVALID_EXPIRE: &str = "ERR invalid expire time in '{}' command";
    pub const BIT_OFFSET: &str = "ERR bit offset is not an integer or out of range";
    pub const BIT_VALUE: &str = "ERR bit is not an integer or out of range";
    pub const STRING_TOO_LONG: &str =
        "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    pub fn wrong_arity(cmd: &str) -> String {
        format!("ERR wrong number of arguments for '{}' command", cmd)
    }

    /// Redis's text for an unknown command: the name and the first arguments, each
    /// read as a C string (cut at a NUL) and the arguments' total kept near 128 bytes,
    /// with CR and LF turned into spaces so the reply stays one line. The client's
    /// bytes go back as they came.
    pub fn unknown_command(name: &[u8], args: &[&[u8]]) -> Vec<u8> {
        fn c_str(b: &[u8], max: usize) -> &[u8] {
            let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
            &b[..end.min(max)]
        }
        let mut listed = Vec::new();
        for arg in args {
            if listed.len() >= 128 {
                break;
            }
            let room = 128 - listed.len();
            listed.push(b'\'');
            listed.extend_from_slice(c_str(arg, room));
            listed.extend_from_slice(b"' ");
        }
        let mut text = b"ERR unknown command '".to_vec();
        text.extend_from_slice(c_str(name, 128));
        text.extend_from_slice(b"', with args beginning with: ");
        text.extend_from_slice(&listed);
        one_line(text)
    }

    /// Redis's "unknown subcommand" text: the subcommand as sent (at most 128
    /// bytes, cut at a NUL as `%.128s` reads it).
    pub fn unknown_subcommand(sub: &[u8], container: &str) -> Vec<u8> {
        let end = sub
            .iter()
            .position(|&c| c == 0)
            .unwrap_or(sub.len())
            .min(128);
        let mut text = b"ERR unknown subcommand '".to_vec();
        text.extend_from_slice(&sub[..end]);
        text.extend_from_slice(b"'. Try ");
        text.extend_from_slice(container.to_ascii_uppercase().as_bytes());
        text.extend_from_slice(b" HELP.");
        one_line(text)
    }

    /// CR and LF as spaces, as Redis's addReplyErrorFormat makes them.
    pub fn one_line(mut text: Vec<u8>) -> Vec<u8> {
        for c in text.iter_mut() {
            if *c == b'\r' || *c == b'\n' {
                *c = b' ';
            }
        }
        text
    }

    pub fn invalid_expire(cmd: &str) -> String {
        INVALID_EXPIRE.replace("{}", cmd)
    }
}
