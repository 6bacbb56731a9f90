//! Redis 7's key specs: where a command's keys are in its arguments and what the
//! command does to each. COMMAND INFO shows them (element 9 of an entry) and COMMAND
//! GETKEYS / GETKEYSANDFLAGS find keys with them, as Redis does.
//!
//! A key spec is written in a table entry as
//!
//! ```ignore
//! KeySpec::new(RW | ACCESS | DELETE).index(1).range(0, 1, 0)
//! KeySpec::new(RO | ACCESS).keyword("STREAMS", 1).range(-1, 1, 2)
//! KeySpec::new(RW | ACCESS | DELETE).index(1).keynum(0, 1, 1)
//! ```
//!
//! with the values Redis 7.0.15's `COMMAND INFO` reports for the command.

/// The flags of a key spec, a bit set of the constants below (`RW | ACCESS | DELETE`).
pub type KeyFlags = u16;

/// Read-only: the command reads the key's value but does not change it.
pub const RO: KeyFlags = 1 << 0;
/// Read-write: the command modifies the key's value.
pub const RW: KeyFlags = 1 << 1;
/// Overwrite: the key's value is replaced without being read.
pub const OW: KeyFlags = 1 << 2;
/// Remove: the key is deleted.
pub const RM: KeyFlags = 1 << 3;
/// The command returns, copies or uses the user data of the key.
pub const ACCESS: KeyFlags = 1 << 4;
/// The command updates existing data (changes a value, a score, ...).
pub const UPDATE: KeyFlags = 1 << 5;
/// The command only adds data, never changes or deletes existing data.
pub const INSERT: KeyFlags = 1 << 6;
/// The command deletes data from the key's value (or the key).
pub const DELETE: KeyFlags = 1 << 7;
/// The argument is not a key name, though it hashes to a slot (SPUBLISH's channel).
pub const NOT_KEY: KeyFlags = 1 << 8;
/// The spec may miss keys (SORT's BY/GET patterns, MIGRATE's KEYS, ...).
pub const INCOMPLETE: KeyFlags = 1 << 9;
/// The flags depend on other arguments: see the command's own getkeys procedure.
pub const VARIABLE_FLAGS: KeyFlags = 1 << 10;

/// Each flag with its name as COMMAND INFO and GETKEYSANDFLAGS write it, in Redis's order.
pub const FLAG_NAMES: &[(KeyFlags, &str)] = &[
    (RO, "RO"),
    (RW, "RW"),
    (OW, "OW"),
    (RM, "RM"),
    (ACCESS, "access"),
    (UPDATE, "update"),
    (INSERT, "insert"),
    (DELETE, "delete"),
    (NOT_KEY, "not_key"),
    (INCOMPLETE, "incomplete"),
    (VARIABLE_FLAGS, "variable_flags"),
];

/// The names of the flags set in `flags`, in Redis's order.
pub fn flag_names(flags: KeyFlags) -> impl Iterator<Item = &'static str> {
    FLAG_NAMES.iter().filter(move |(f, _)| flags & f != 0).map(|(_, n)| *n)
}

/// Where the search for the keys starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeginSearch {
    /// Not known from the arguments' shape alone.
    Unknown,
    /// At this argument index (the command name is 0).
    Index(i32),
    /// After the keyword, searched from argument `startfrom` (negative: from the end,
    /// searching backwards).
    Keyword { keyword: &'static str, startfrom: i32 },
}

/// How the keys are found from where the search begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindKeys {
    /// Not known from the arguments' shape alone.
    Unknown,
    /// `lastkey` relative to the start (negative: from the end of the arguments), every
    /// `keystep`-th argument; `limit` > 1 stops at 1/limit of the remaining arguments.
    Range { lastkey: i32, keystep: i32, limit: i32 },
    /// The argument at `keynumidx` (relative to the start) holds the number of keys;
    /// the first key is at `firstkey` (relative to the start), then every `keystep`-th.
    Keynum { keynumidx: i32, firstkey: i32, keystep: i32 },
}

/// One key spec of a command, as Redis 7 defines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySpec {
    /// Redis's notes on the spec ("" for none): shown in COMMAND INFO when present.
    pub notes: &'static str,
    pub flags: KeyFlags,
    pub begin_search: BeginSearch,
    pub find_keys: FindKeys,
}

impl KeySpec {
    /// A spec with these flags; begin_search and find_keys unknown until set.
    pub const fn new(flags: KeyFlags) -> KeySpec {
        KeySpec { notes: "", flags, begin_search: BeginSearch::Unknown, find_keys: FindKeys::Unknown }
    }

    /// begin_search: index `pos`.
    pub const fn index(mut self, pos: i32) -> KeySpec {
        self.begin_search = BeginSearch::Index(pos);
        self
    }

    /// begin_search: keyword `keyword` searched from `startfrom`.
    pub const fn keyword(mut self, keyword: &'static str, startfrom: i32) -> KeySpec {
        self.begin_search = BeginSearch::Keyword { keyword, startfrom };
        self
    }

    /// find_keys: range.
    pub const fn range(mut self, lastkey: i32, keystep: i32, limit: i32) -> KeySpec {
        self.find_keys = FindKeys::Range { lastkey, keystep, limit };
        self
    }

    /// find_keys: keynum.
    pub const fn keynum(mut self, keynumidx: i32, firstkey: i32, keystep: i32) -> KeySpec {
        self.find_keys = FindKeys::Keynum { keynumidx, firstkey, keystep };
        self
    }

    /// Redis's notes for this spec.
    pub const fn notes(mut self, notes: &'static str) -> KeySpec {
        self.notes = notes;
        self
    }
}
