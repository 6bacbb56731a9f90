//! The configuration parameters: CONFIG GET / SET, the config file, the command line.
//!
//! One table, `PARAMS`, names every parameter redlite knows, as redis.conf spells it:
//! its aliases, its type (which fixes how a value is parsed, checked and shown), its
//! default, and whether CONFIG SET may change it. The values live in a `Store`, one per
//! `Db` (`db.config()`); whoever needs a setting reads it from there when it needs it
//! (`db.config().int("maxclients")`), so a CONFIG SET takes effect at once.
//!
//! # Adding a parameter
//!
//! Add one entry to `PARAMS`, e.g.
//!
//! ```text
//! Param::new("notify-keyspace-events", Kind::Str, "").apply(notify::set_flags),
//! Param::new("requirepass", Kind::Str, "").apply(acl::set_default_password),
//! Param::new("busy-reply-threshold", Kind::Int(0, i64::MAX), "5000").alias("lua-time-limit"),
//! ```
//!
//! and read it where it is used: `db.config().get("notify-keyspace-events")`,
//! `int(..)`, `bool(..)`. A parameter whose value must be checked beyond its type, or
//! pushed somewhere when it changes, gives an `apply` hook: it runs on every CONFIG SET
//! of it (and at start, for values from the config file or the command line), after
//! the value has been stored; an `Err(text)` refuses the value (CONFIG SET answers
//! `ERR CONFIG SET failed (possibly related to argument '<name>') - <text>` and puts
//! back every value it had set). `Kind::Enum` takes its words; `Kind::Memory` takes
//! Redis's units (1k = 1000, 1kb = 1024, mb, gb); `Kind::Bool` yes/no.
//!
//! Parameters Redis has and redlite has no use for (save, appendonly, maxmemory ...)
//! are in the table too, so configuration files and tools written for Redis work:
//! they are accepted, checked as Redis checks them and reported, and change nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::OnceLock;

use parking_lot::{Mutex, RwLock};

use crate::db::Db;

/// How a parameter's value is parsed and shown.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// yes / no.
    Bool,
    /// An integer within the bounds (inclusive).
    Int(i64, i64),
    /// A byte count, with Redis's units; within the bounds.
    Memory(i64, i64),
    /// One of the words (shown in lower case).
    Enum(&'static [&'static str]),
    /// Any string.
    Str,
}

/// The check-and-push hook of a parameter (see the module docs).
pub type Apply = fn(&Db, &str) -> Result<(), String>;

/// One configuration parameter.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    /// The value at start, as the config file would spell it.
    pub default: &'static str,
    /// Set only at start (config file, command line): CONFIG SET refuses it.
    pub immutable: bool,
    /// A secret: CONFIG SET shows its value as "(redacted)" to MONITOR and SLOWLOG
    /// (Redis's SENSITIVE_CONFIG).
    pub sensitive: bool,
    pub apply: Option<Apply>,
}

impl Param {
    pub const fn new(name: &'static str, kind: Kind, default: &'static str) -> Param {
        Param {
            name,
            aliases: &[],
            kind,
            default,
            immutable: false,
            sensitive: false,
            apply: None,
        }
    }

    pub const fn sensitive(mut self) -> Param {
        self.sensitive = true;
        self
    }

    pub const fn immutable(mut self) -> Param {
        self.immutable = true;
        self
    }

    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Param {
        self.aliases = aliases;
        self
    }

    pub const fn apply(mut self, apply: Apply) -> Param {
        self.apply = Some(apply);
        self
    }
}

const LOGLEVELS: &[&str] = &["debug", "verbose", "notice", "warning"];
const INT_MAX: i64 = i32::MAX as i64;
const UINT_MAX: i64 = u32::MAX as i64;

/// Every parameter, in the order CONFIG GET and CONFIG REWRITE list them.
pub const PARAMS: &[Param] = &[
    // Where and how the server listens (redlite-server reads these at start).
    Param::new("bind", Kind::Str, "127.0.0.1").immutable(),
    Param::new("port", Kind::Int(0, 65535), "6379").immutable(),
    // Set at start only: Redis 7.0 can change the TLS ones (and port and bind) with
    // CONFIG SET, rebinding or reloading at once; redlite-server cannot, so it refuses
    // them as Redis refuses its immutable unixsocket and unixsocketperm.
    Param::new("tls-port", Kind::Int(0, 65535), "0").immutable(),
    Param::new("tls-cert-file", Kind::Str, "").immutable(),
    Param::new("tls-key-file", Kind::Str, "").immutable(),
    Param::new("tls-ca-cert-file", Kind::Str, "").immutable(),
    Param::new(
        "tls-auth-clients",
        Kind::Enum(&["no", "yes", "optional"]),
        "yes",
    )
    .immutable(),
    Param::new("unixsocket", Kind::Str, "").immutable(),
    // In octal, as Redis shows it.
    Param::new("unixsocketperm", Kind::Str, "0").immutable(),
    Param::new("maxclients", Kind::Int(1, UINT_MAX), "10000"),
    Param::new("timeout", Kind::Int(0, INT_MAX), "0"),
    Param::new("tcp-keepalive", Kind::Int(0, INT_MAX), "300"),
    Param::new("tcp-backlog", Kind::Int(0, INT_MAX), "511").immutable(),
    // The database.
    Param::new("db", Kind::Str, "redlite.db").immutable(),
    Param::new("durability", Kind::Enum(&["normal", "full"]), "normal").immutable(),
    Param::new("databases", Kind::Int(1, INT_MAX), "16").immutable(),
    // Logging, the slow log, metrics.
    Param::new("loglevel", Kind::Enum(LOGLEVELS), "notice"),
    Param::new("logfile", Kind::Str, "").immutable(),
    Param::new("slowlog-log-slower-than", Kind::Int(-1, i64::MAX), "10000"),
    Param::new("slowlog-max-len", Kind::Int(0, i64::MAX), "128"),
    Param::new("metrics-port", Kind::Int(0, 65535), "0").immutable(),
    // Redis's, accepted and reported, without effect here: every write is already in
    // the SQLite file, and there is no eviction.
    Param::new("daemonize", Kind::Bool, "no").immutable(),
    Param::new("dir", Kind::Str, ".").immutable(),
    Param::new("save", Kind::Str, "").apply(check_save),
    Param::new("appendonly", Kind::Bool, "no"),
    Param::new(
        "appendfsync",
        Kind::Enum(&["everysec", "always", "no"]),
        "everysec",
    ),
    Param::new("maxmemory", Kind::Memory(0, i64::MAX), "0"),
    Param::new(
        "maxmemory-policy",
        Kind::Enum(&[
            "volatile-lru",
            "volatile-lfu",
            "volatile-random",
            "volatile-ttl",
            "allkeys-lru",
            "allkeys-lfu",
            "allkeys-random",
            "noeviction",
        ]),
        "noeviction",
    ),
    Param::new("hz", Kind::Int(0, INT_MAX), "10").apply(clamp_hz),
    // Security: the default user's password (see acl.rs), and protected mode (while
    // the default user has none, redlite-server serves only local clients).
    Param::new("requirepass", Kind::Str, "")
        .sensitive()
        .apply(crate::acl::apply_requirepass),
    Param::new("protected-mode", Kind::Bool, "yes"),
    // Scripts: how long one may run before other clients get BUSY.
    Param::new("busy-reply-threshold", Kind::Int(0, i64::MAX), "5000")
        .aliases(&["lua-time-limit"])
        .apply(crate::scripting::apply_busy_reply_threshold),
    // The size past which a sparse HyperLogLog turns dense (ext/hll).
    Param::new("hll-sparse-max-bytes", Kind::Memory(0, i64::MAX), "3000"),
    Param::new("notify-keyspace-events", Kind::Str, "")
        .apply(crate::pubsub::apply_notify_keyspace_events),
];

/// Redis's check of `save`: pairs of seconds and changes.
fn check_save(_db: &Db, value: &str) -> Result<(), String> {
    let words: Vec<&str> = value.split_whitespace().collect();
    if words.len() % 2 != 0
        || words
            .iter()
            .any(|w| w.parse::<i64>().map_or(true, |n| n < 0))
    {
        return Err("Invalid save parameters".into());
    }
    Ok(())
}

/// Redis keeps hz within 1..=500.
fn clamp_hz(db: &Db, value: &str) -> Result<(), String> {
    let hz = value.parse::<i64>().unwrap_or(10);
    if !(1..=500).contains(&hz) {
        db.config().set_raw("hz", hz.clamp(1, 500).to_string());
    }
    Ok(())
}

/// Where a parameter is in `PARAMS` (`slot`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot(usize);

/// The slot of parameter `name` (as `PARAMS` spells it), found at compile time:
/// `const SLOWER: Slot = slot("slowlog-log-slower-than");` fails to build if there
/// is no such parameter.
pub const fn slot(name: &str) -> Slot {
    let mut i = 0;
    while i < PARAMS.len() {
        if crate::command::flag::same(PARAMS[i].name, name) {
            return Slot(i);
        }
        i += 1;
    }
    panic!("no such configuration parameter")
}

fn index() -> &'static HashMap<String, usize> {
    static INDEX: OnceLock<HashMap<String, usize>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m = HashMap::new();
        for (i, p) in PARAMS.iter().enumerate() {
            m.insert(p.name.to_string(), i);
            for a in p.aliases {
                m.insert(a.to_string(), i);
            }
        }
        m
    })
}

/// The parameter called `name` (or one of its aliases), in any case.
pub fn lookup(name: &str) -> Option<&'static Param> {
    index().get(&name.to_ascii_lowercase()).map(|&i| &PARAMS[i])
}

/// Redis's `memtoull`: a number with an optional unit (b, k, kb, m, mb, g, gb).
pub fn parse_memory(s: &str) -> Option<i64> {
    let digits = s
        .find(|c: char| !(c.is_ascii_digit() || c == '-'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(digits);
    let mul: i64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" => 1000,
        "kb" => 1024,
        "m" => 1000 * 1000,
        "mb" => 1024 * 1024,
        "g" => 1000 * 1000 * 1000,
        "gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    let n: i64 = num.parse().ok()?;
    if n < 0 {
        return None;
    }
    n.checked_mul(mul)
}

/// `value` for parameter `p` in its shown form, or Redis's complaint.
pub fn normalize(p: &Param, value: &str) -> Result<String, String> {
    let in_range = |n: i64, lo: i64, hi: i64| {
        if n < lo || n > hi {
            Err(format!(
                "argument must be between {} and {} inclusive",
                lo, hi
            ))
        } else {
            Ok(n.to_string())
        }
    };
    match p.kind {
        Kind::Bool => match value.to_ascii_lowercase().as_str() {
            "yes" => Ok("yes".into()),
            "no" => Ok("no".into()),
            _ => Err("argument must be 'yes' or 'no'".into()),
        },
        Kind::Int(lo, hi) => {
            let n = crate::command::args::parse_i64(value.as_bytes())
                .ok_or_else(|| "argument couldn't be parsed into an integer".to_string())?;
            in_range(n, lo, hi)
        }
        Kind::Memory(lo, hi) => {
            let n =
                parse_memory(value).ok_or_else(|| "argument must be a memory value".to_string())?;
            in_range(n, lo, hi)
        }
        Kind::Enum(words) => {
            let lower = value.to_ascii_lowercase();
            match words.iter().find(|w| **w == lower) {
                Some(w) => Ok(w.to_string()),
                None => Err(format!(
                    "argument(s) must be one of the following: {}",
                    words.join(", ")
                )),
            }
        }
        Kind::Str => Ok(value.to_string()),
    }
}

/// The values of one `Db`'s parameters, and the config file they came from.
#[derive(Debug)]
pub struct Store {
    values: RwLock<Vec<String>>,
    /// Each value parsed as an integer (0 if it is not one), for `int`, which runs on
    /// every command (the slow log's threshold).
    ints: Vec<AtomicI64>,
    file: Mutex<Option<PathBuf>>,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            values: RwLock::new(PARAMS.iter().map(|p| p.default.to_string()).collect()),
            ints: PARAMS
                .iter()
                .map(|p| AtomicI64::new(p.default.parse().unwrap_or(0)))
                .collect(),
            file: Mutex::new(None),
        }
    }
}

impl Store {
    /// The value of `name` in its shown form ("" for an unknown name).
    pub fn get(&self, name: &str) -> String {
        match index().get(name) {
            Some(&i) => self.values.read()[i].clone(),
            None => String::new(),
        }
    }

    /// `int` of the parameter at `slot` (`config::slot`), without a look-up by name:
    /// for values read on every command.
    pub fn int_at(&self, slot: Slot) -> i64 {
        self.ints[slot.0].load(Ordering::Acquire)
    }

    /// An integer or memory parameter's value (0 for anything else).
    pub fn int(&self, name: &str) -> i64 {
        match index().get(name) {
            Some(&i) => self.ints[i].load(Ordering::Acquire),
            None => 0,
        }
    }

    /// A yes/no parameter's value.
    pub fn bool(&self, name: &str) -> bool {
        self.get(name) == "yes"
    }

    /// Store a value as it is, without checks or hooks (for `apply` hooks that
    /// adjust their own value, as hz's clamp).
    pub fn set_raw(&self, name: &str, value: String) {
        if let Some(&i) = index().get(name) {
            self.put(i, value);
        }
    }

    /// Set several parameters at once, all or nothing, as CONFIG SET does. `startup`
    /// also sets immutable parameters (config file, command line). Errors are Redis's
    /// texts without the leading "ERR ".
    pub fn set_many(
        &self,
        db: &Db,
        pairs: &[(String, String)],
        startup: bool,
    ) -> Result<(), String> {
        let mut params: Vec<(usize, String)> = Vec::new();
        for (name, value) in pairs {
            let Some(&i) = index().get(&name.to_ascii_lowercase()) else {
                return Err(format!(
                    "Unknown option or number of arguments for CONFIG SET - '{}'",
                    name
                ));
            };
            let failed = |why: &str| {
                format!(
                    "CONFIG SET failed (possibly related to argument '{}') - {}",
                    name, why
                )
            };
            // At start a later setting overrides an earlier one (flags after the file).
            if !startup && params.iter().any(|(j, _)| *j == i) {
                return Err(failed("duplicate parameter"));
            }
            if PARAMS[i].immutable && !startup {
                return Err(failed("can't set immutable config"));
            }
            params.push((i, name.clone()));
            let _ = value;
        }
        let mut old = Vec::new();
        for ((i, name), (_, value)) in params.iter().zip(pairs) {
            let failed = |why: &str| {
                format!(
                    "CONFIG SET failed (possibly related to argument '{}') - {}",
                    name, why
                )
            };
            let shown = match normalize(&PARAMS[*i], value) {
                Ok(v) => v,
                Err(why) => {
                    self.restore(db, &old);
                    return Err(failed(&why));
                }
            };
            let before = self.put(*i, shown.clone());
            old.push((*i, before));
            if let Some(apply) = PARAMS[*i].apply {
                if let Err(why) = apply(db, &shown) {
                    self.restore(db, &old);
                    return Err(failed(&why));
                }
            }
        }
        Ok(())
    }

    /// Store parameter `i`'s value (and its integer form); the value it had.
    fn put(&self, i: usize, value: String) -> String {
        self.ints[i].store(value.parse().unwrap_or(0), Ordering::Release);
        std::mem::replace(&mut self.values.write()[i], value)
    }

    /// Put back the values a failed CONFIG SET changed, newest first, re-running their hooks.
    fn restore(&self, db: &Db, old: &[(usize, String)]) {
        for (i, value) in old.iter().rev() {
            self.put(*i, value.clone());
            if let Some(apply) = PARAMS[*i].apply {
                let _ = apply(db, value);
            }
        }
    }

    /// (name, value) of every parameter or alias matching one of the glob patterns,
    /// in table order; a pattern without glob characters names one parameter exactly
    /// and is answered under the name as asked, as Redis does.
    pub fn matching(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let values = self.values.read();
        let mut out: Vec<(String, String)> = Vec::new();
        for pat in patterns {
            if !pat.iter().any(|c| matches!(c, b'*' | b'?' | b'[')) {
                let name = String::from_utf8_lossy(pat).into_owned();
                if out.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                    continue;
                }
                if let Some(&i) = index().get(&name.to_ascii_lowercase()) {
                    out.push((name, values[i].clone()));
                }
                continue;
            }
            for (i, p) in PARAMS.iter().enumerate() {
                for name in std::iter::once(&p.name).chain(p.aliases.iter()) {
                    if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
                        && crate::glob::matches_nocase(pat, name.as_bytes())
                    {
                        out.push((name.to_string(), values[i].clone()));
                    }
                }
            }
        }
        out
    }

    /// The config file the server was started with (CONFIG REWRITE rewrites it).
    pub fn file(&self) -> Option<PathBuf> {
        self.file.lock().clone()
    }

    pub fn set_file(&self, path: Option<PathBuf>) {
        *self.file.lock() = path;
    }

    /// CONFIG REWRITE: rewrite the config file as Redis does. Lines that set a known
    /// parameter are replaced by its current value (the first occurrence; later ones
    /// go); comments, blank lines and unknown directives stay as they are; parameters
    /// that differ from their default and had no line are appended after Redis's
    /// marker comment. Written to a temporary file, then renamed over the old one.
    pub fn rewrite(&self) -> Result<(), String> {
        let path = self
            .file()
            .ok_or("The server is running without a config file")?;
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        let text = self.rewritten(&old);
        write_atomically(&path, &text).map_err(|e| format!("Rewriting config file: {}", e))
    }

    fn rewritten(&self, old: &str) -> String {
        const MARKER: &str = "# Generated by CONFIG REWRITE";
        let values = self.values.read();
        let mut done = vec![false; PARAMS.len()];
        let mut out: Vec<String> = Vec::new();
        for line in old.lines() {
            if line.trim() == MARKER {
                continue;
            }
            let directive = line.split_whitespace().next().unwrap_or("");
            let found = if line.trim_start().starts_with('#') {
                None
            } else {
                index().get(&directive.to_ascii_lowercase()).copied()
            };
            match found {
                Some(i) if done[i] => {}
                Some(i) => {
                    done[i] = true;
                    out.push(format!("{} {}", PARAMS[i].name, quote(&values[i])));
                }
                None => out.push(line.to_string()),
            }
        }
        while out.last().is_some_and(|l| l.trim().is_empty()) {
            out.pop();
        }
        let mut appended = false;
        for (i, p) in PARAMS.iter().enumerate() {
            if done[i] || values[i] == p.default {
                continue;
            }
            if !appended {
                out.push(MARKER.to_string());
                appended = true;
            }
            out.push(format!("{} {}", p.name, quote(&values[i])));
        }
        let mut text = out.join("\n");
        text.push('\n');
        text
    }
}

/// A value as a config file line carries it: bare if it is one plain word, else in
/// double quotes with Redis's escapes.
fn quote(v: &str) -> String {
    if !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_graphic() && c != b'"' && c != b'\'' && c != b'\\')
    {
        return v.to_string();
    }
    let mut s = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// Redis's `sdssplitargs`: the words of one config file line (or one redis-cli
/// line), with "double" quotes (and \n, \xHH ... escapes) and 'single' quotes.
/// `None` for unbalanced quotes.
pub fn split_args(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Some(out);
        }
        let mut word = String::new();
        let (mut inq, mut insq) = (false, false);
        loop {
            let Some(c) = chars.next() else {
                if inq || insq {
                    return None;
                }
                break;
            };
            if inq {
                match c {
                    '\\' => match chars.next()? {
                        'n' => word.push('\n'),
                        'r' => word.push('\r'),
                        't' => word.push('\t'),
                        'b' => word.push('\u{8}'),
                        'a' => word.push('\u{7}'),
                        'x' => {
                            let h: String = [chars.next()?, chars.next()?].iter().collect();
                            word.push(u8::from_str_radix(&h, 16).ok()? as char);
                        }
                        other => word.push(other),
                    },
                    '"' => {
                        if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                            return None;
                        }
                        break;
                    }
                    c => word.push(c),
                }
            } else if insq {
                match c {
                    '\\' if chars.peek() == Some(&'\'') => {
                        chars.next();
                        word.push('\'');
                    }
                    '\'' => {
                        if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                            return None;
                        }
                        break;
                    }
                    c => word.push(c),
                }
            } else {
                match c {
                    c if c.is_whitespace() => break,
                    '"' => inq = true,
                    '\'' => insq = true,
                    c => word.push(c),
                }
            }
        }
        out.push(word);
    }
}

/// A redis.conf-style file as (directive, value) pairs: blank lines and `#` comments
/// skipped, a directive's arguments joined by spaces (`save 900 1`). Errors name the
/// line, as Redis's do.
pub fn parse_file(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let words = split_args(t).ok_or_else(|| format!("line {}: unbalanced quotes", n + 1))?;
        let Some((name, rest)) = words.split_first() else {
            continue;
        };
        out.push((name.to_ascii_lowercase(), rest.join(" ")));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory("100"), Some(100));
        assert_eq!(parse_memory("1k"), Some(1000));
        assert_eq!(parse_memory("1KB"), Some(1024));
        assert_eq!(parse_memory("2mb"), Some(2 * 1024 * 1024));
        assert_eq!(parse_memory("1gb"), Some(1 << 30));
        assert_eq!(parse_memory("1.5gb"), None);
        assert_eq!(parse_memory("-1"), None);
        assert_eq!(parse_memory("1x"), None);
    }

    #[test]
    fn split_like_sdssplitargs() {
        assert_eq!(split_args("save 900 1").unwrap(), vec!["save", "900", "1"]);
        assert_eq!(
            split_args(r#"logfile "a b\n""#).unwrap(),
            vec!["logfile", "a b\n"]
        );
        assert_eq!(split_args("x 'it''").is_none(), true);
        assert_eq!(split_args(r#"save """#).unwrap(), vec!["save", ""]);
    }

    #[test]
    fn rewrite_keeps_comments_and_unknown_lines() {
        let store = Store::default();
        store.set_raw("maxclients", "100".into());
        store.set_raw("timeout", "5".into());
        let old = "# my config\nport 7000\nmaxclients 5\nunknown-thing 1\nmaxclients 6\n\n";
        let new = store.rewritten(old);
        assert_eq!(
            new,
            "# my config\nport 6379\nmaxclients 100\nunknown-thing 1\n# Generated by CONFIG REWRITE\ntimeout 5\n"
        );
    }
}
