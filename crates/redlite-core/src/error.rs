//! Engine errors. A `Redis` error is an answer to the client (its text is Redis's,
//! prefix included); the others are failures of the storage underneath.

use std::fmt;

#[derive(Debug)]
pub enum Error {
    /// A reply error with Redis's exact text, e.g. `ERR syntax error`.
    Redis(String),
    Sqlite(rusqlite::Error),
    Io(std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn redis(text: impl Into<String>) -> Error {
        Error::Redis(text.into())
    }

    /// The text a client receives.
    pub fn reply_text(&self) -> String {
        match self {
            Error::Redis(s) => s.clone(),
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
    /// with CR and LF turned into spaces so the reply stays one line.
    pub fn unknown_command(name: &[u8], args: &[&[u8]]) -> String {
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
        let text = format!(
            "ERR unknown command '{}', with args beginning with: {}",
            String::from_utf8_lossy(c_str(name, 128)),
            String::from_utf8_lossy(&listed)
        );
        text.replace(['\r', '\n'], " ")
    }

    pub fn invalid_expire(cmd: &str) -> String {
        INVALID_EXPIRE.replace("{}", cmd)
    }
}
