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
    FLAG_NAMES
        .iter()
        .filter(move |(f, _)| flags & f != 0)
        .map(|(_, n)| *n)
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
    Keyword {
        keyword: &'static str,
        startfrom: i32,
    },
}

/// How the keys are found from where the search begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindKeys {
    /// Not known from the arguments' shape alone.
    Unknown,
    /// `lastkey` relative to the start (negative: from the end of the arguments), every
    /// `keystep`-th argument; `limit` > 1 stops at 1/limit of the remaining arguments.
    Range {
        lastkey: i32,
        keystep: i32,
        limit: i32,
    },
    /// The argument at `keynumidx` (relative to the start) holds the number of keys;
    /// the first key is at `firstkey` (relative to the start), then every `keystep`-th.
    Keynum {
        keynumidx: i32,
        firstkey: i32,
        keystep: i32,
    },
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
        KeySpec {
            notes: "",
            flags,
            begin_search: BeginSearch::Unknown,
            find_keys: FindKeys::Unknown,
        }
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
        self.find_keys = FindKeys::Range {
            lastkey,
            keystep,
            limit,
        };
        self
    }

    /// find_keys: keynum.
    pub const fn keynum(mut self, keynumidx: i32, firstkey: i32, keystep: i32) -> KeySpec {
        self.find_keys = FindKeys::Keynum {
            keynumidx,
            firstkey,
            keystep,
        };
        self
    }

    /// Redis's notes for this spec.
    pub const fn notes(mut self, notes: &'static str) -> KeySpec {
        self.notes = notes;
        self
    }
}

/// A command's own key-finding procedure, for the commands Redis gives one (its
/// `getkeys_proc`): argv with the command name first, answering each key's position in
/// argv and its flags (0 when Redis's procedure gives none). Redis uses it when the key
/// specs have VARIABLE_FLAGS, or when they fail (an unknown or incomplete spec, a bad
/// numkeys): see [`find_keys`].
pub type GetKeysProc = fn(&[&[u8]]) -> Vec<(usize, KeyFlags)>;

/// True if the command has keys to find (Redis's `doesCommandHaveKeys`): a getkeys
/// procedure, or a key spec not marked NOT_KEY.
pub fn has_keys(specs: &[KeySpec], getkeys: Option<GetKeysProc>) -> bool {
    getkeys.is_some() || specs.iter().any(|s| s.flags & NOT_KEY == 0)
}

/// The keys of a full command line (name first) with their flags, as Redis 7's
/// `getKeysFromCommandWithSpecs` finds them: by the key specs unless one has
/// VARIABLE_FLAGS, falling back to the command's procedure when a spec fails.
pub fn find_keys(
    specs: &[KeySpec],
    getkeys: Option<GetKeysProc>,
    argv: &[&[u8]],
) -> Vec<(usize, KeyFlags)> {
    let has_keyspec = specs.iter().any(|s| s.flags & NOT_KEY == 0);
    let has_varflags = specs.iter().any(|s| s.flags & VARIABLE_FLAGS != 0);
    if has_keyspec && !has_varflags {
        if let Some(keys) = keys_from_specs(specs, argv) {
            return keys;
        }
    }
    getkeys.map(|proc_| proc_(argv)).unwrap_or_default()
}

/// Redis's `getKeysUsingKeySpecs`: the keys the specs find (NOT_KEY specs skipped), or
/// None when a spec cannot be applied (unknown, incomplete, out of bounds, a numkeys
/// that is not a non-negative integer).
pub fn keys_from_specs(specs: &[KeySpec], argv: &[&[u8]]) -> Option<Vec<(usize, KeyFlags)>> {
    let argc = argv.len() as i64;
    let mut keys = Vec::new();
    for spec in specs {
        if spec.flags & NOT_KEY != 0 {
            continue;
        }
        let mut first: i64 = match spec.begin_search {
            BeginSearch::Index(pos) => pos as i64,
            BeginSearch::Keyword { keyword, startfrom } => {
                match search_keyword(argv, keyword, startfrom as i64) {
                    Some(i) => i + 1,
                    None => continue, // keyword absent: this spec has no keys
                }
            }
            BeginSearch::Unknown => return None,
        };
        let (last, step) = match spec.find_keys {
            FindKeys::Range {
                lastkey,
                keystep,
                limit,
            } => {
                let (lastkey, limit) = (lastkey as i64, limit as i64);
                let last = if lastkey >= 0 {
                    first + lastkey
                } else if limit == 0 {
                    argc + lastkey
                } else {
                    first + ((argc - first) / limit + lastkey)
                };
                (last, keystep as i64)
            }
            FindKeys::Keynum {
                keynumidx,
                firstkey,
                keystep,
            } => {
                let idx = first + keynumidx as i64;
                if !(0..argc).contains(&idx) {
                    return None;
                }
                let numkeys = crate::command::args::parse_i64(argv[idx as usize])?;
                if numkeys < 0 {
                    return None;
                }
                first += firstkey as i64;
                // Redis keeps numkeys in a C int here.
                (first + (numkeys as i32) as i64 - 1, keystep as i64)
            }
            FindKeys::Unknown => return None,
        };
        if last >= argc || last < first || first >= argc || first < 0 {
            return None;
        }
        let mut i = first;
        while i <= last {
            keys.push((i as usize, spec.flags));
            i += step.max(1);
        }
        if spec.flags & INCOMPLETE != 0 {
            return None;
        }
    }
    Some(keys)
}

/// The index of `keyword` (any case) searched as Redis does: from `startfrom` forward to
/// the second-to-last argument, or from argc+startfrom backwards to argument 2.
fn search_keyword(argv: &[&[u8]], keyword: &str, startfrom: i64) -> Option<i64> {
    let argc = argv.len() as i64;
    let start = if startfrom > 0 {
        startfrom
    } else {
        argc + startfrom
    };
    let end = if startfrom > 0 { argc - 1 } else { 1 };
    let dir = if start <= end { 1 } else { -1 };
    let mut i = start;
    while i != end {
        if i >= argc || i < 1 {
            break;
        }
        if argv[i as usize].eq_ignore_ascii_case(keyword.as_bytes()) {
            return Some(i);
        }
        i += dir;
    }
    None
}

/// Redis's key-finding procedures (`*GetKeys` in db.c), for the table entries of the
/// commands Redis gives one: `.getkeys(getkeys::set)`.
pub mod getkeys {
    use super::*;

    /// C's `atoi` (as glibc's: strtol, then cut to an int).
    fn atoi(s: &[u8]) -> i32 {
        let mut i = s
            .iter()
            .take_while(|c| matches!(c, b' ' | b'\t'..=b'\r'))
            .count();
        let neg = match s.get(i) {
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
        let mut v: i64 = 0;
        for &c in s[i..].iter().take_while(|c| c.is_ascii_digit()) {
            v = v.saturating_mul(10).saturating_add((c - b'0') as i64);
        }
        (if neg { v.saturating_neg() } else { v }) as i32
    }

    /// Redis's `genericGetKeys`: `[destkey] numkeys key [key ...]`, the keys counted by
    /// the argument at `count_ofs`, the destination (if any) last; no flags.
    fn numkeys(
        store_ofs: usize,
        count_ofs: usize,
        first_ofs: usize,
        argv: &[&[u8]],
    ) -> Vec<(usize, KeyFlags)> {
        let Some(count) = argv.get(count_ofs) else {
            return vec![];
        };
        let num = atoi(count) as i64;
        if num < 1 || num > argv.len() as i64 - first_ofs as i64 {
            return vec![];
        }
        let mut keys: Vec<(usize, KeyFlags)> =
            (0..num as usize).map(|i| (first_ofs + i, 0)).collect();
        if store_ofs != 0 {
            keys.push((store_ofs, 0));
        }
        keys
    }

    /// SET: RW ACCESS UPDATE with GET, OW UPDATE without.
    pub fn set(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        // Redis compares the C string: "get" exactly, or "get" cut by a NUL byte.
        let is_get = |a: &&[u8]| {
            a.len() >= 3 && a[..3].eq_ignore_ascii_case(b"get") && a.get(3).is_none_or(|&c| c == 0)
        };
        if argv.iter().skip(3).any(is_get) {
            vec![(1, RW | ACCESS | UPDATE)]
        } else {
            vec![(1, OW | UPDATE)]
        }
    }

    /// BITFIELD: RO ACCESS when only GET (and OVERFLOW) operations, else RW ACCESS UPDATE.
    pub fn bitfield(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        let argc = argv.len();
        let mut readonly = true;
        let mut i = 2;
        while i < argc {
            let remargs = argc - i - 1;
            let arg = argv[i];
            if arg.eq_ignore_ascii_case(b"get") && remargs >= 2 {
                i += 2;
            } else if (arg.eq_ignore_ascii_case(b"set") || arg.eq_ignore_ascii_case(b"incrby"))
                && remargs >= 3
            {
                readonly = false;
                break;
            } else if arg.eq_ignore_ascii_case(b"overflow") && remargs >= 1 {
                i += 1;
            } else {
                readonly = false; // a syntax error: Redis assumes a write
                break;
            }
            i += 1;
        }
        vec![(
            1,
            if readonly {
                RO | ACCESS
            } else {
                RW | ACCESS | UPDATE
            },
        )]
    }

    /// SORT key ... [STORE destination] ...: the sorted key, then the last STORE's.
    pub fn sort(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        let mut keys = vec![(1, RO | ACCESS)];
        let mut store = None;
        let mut i = 2;
        while i < argv.len() {
            let arg = argv[i];
            if arg.eq_ignore_ascii_case(b"limit") {
                i += 2;
            } else if arg.eq_ignore_ascii_case(b"get") || arg.eq_ignore_ascii_case(b"by") {
                i += 1;
            } else if arg.eq_ignore_ascii_case(b"store") && i + 1 < argv.len() {
                store = Some(i + 1);
            }
            i += 1;
        }
        keys.extend(store.map(|p| (p, OW | UPDATE)));
        keys
    }

    /// SORT_RO key ...: the sorted key only.
    pub fn sort_ro(_argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        vec![(1, RO | ACCESS)]
    }

    /// ZUNION / ZINTER / ZDIFF / ZINTERCARD numkeys key [key ...] ...
    pub fn zunion_inter_diff(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(0, 1, 2, argv)
    }

    /// ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE destination numkeys key [key ...] ...
    pub fn zunion_inter_diff_store(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(1, 2, 3, argv)
    }

    /// SINTERCARD numkeys key [key ...] ...
    pub fn sintercard(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(0, 1, 2, argv)
    }

    /// LMPOP numkeys key [key ...] ...
    pub fn lmpop(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(0, 1, 2, argv)
    }

    /// BLMPOP timeout numkeys key [key ...] ...
    pub fn blmpop(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(0, 2, 3, argv)
    }

    /// ZMPOP numkeys key [key ...] ...
    pub fn zmpop(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(0, 1, 2, argv)
    }

    /// BZMPOP timeout numkeys key [key ...] ...
    pub fn bzmpop(argv: &[&[u8]]) -> Vec<(usize, KeyFlags)> {
        numkeys(0, 2, 3, argv)
    }
}
