//! `Args`: a cursor over a command's arguments. Argument errors are produced here,
//! in one place, with Redis's texts.

use crate::error::{msg, Error, Result};
// Kept reachable here: every family reads its numbers through `args`.
pub use crate::num::{parse_f64, parse_i64};

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
    /// finds its name as sent at 0). Not named `all`: `Args` is an `Iterator`, and on a
    /// `&mut Args` that name resolved to `Iterator::all`.
    pub fn argv(&self) -> &'a [&'a [u8]] {
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

/// Redis's `getIntFromObjectOrReply`: an integer within C's `int`. Errors are `msg` if
/// given, else Redis's two texts (not an integer / out of int range).
pub(crate) fn int_arg(arg: &[u8], msg: Option<&'static str>) -> Result<i32> {
    let custom = |default: String| Error::redis(msg.map(String::from).unwrap_or(default));
    let n = parse_i64(arg).ok_or_else(|| custom(msg::NOT_INTEGER.into()))?;
    i32::try_from(n).map_err(|_| {
        custom(format!(
            "ERR value is out of range, value must between {} and {}",
            i32::MIN,
            i32::MAX
        ))
    })
}

/// A database number as Redis's `selectDb` takes it.
pub(crate) fn db_index(n: i32) -> Result<u32> {
    if (0..crate::keyspace::DATABASES as i32).contains(&n) {
        Ok(n as u32)
    } else {
        Err(Error::redis(msg::DB_INDEX))
    }
}
