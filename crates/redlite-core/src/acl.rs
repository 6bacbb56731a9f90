//! Users and their permissions: Redis 7.0's ACL, for every front end.
//!
//! `Acl` lives in `Db` (one set of users per open database, in memory, as Redis keeps
//! them): the users (`default` first of all, `on nopass ~* &* +@all` until told
//! otherwise), the ACL LOG, and a generation counter that sessions compare with to
//! notice a change cheaply. A session carries an `AuthState`: whether it has
//! authenticated and as which user.
//!
//! The rules are Redis's (`ACL SETUSER`): a user is a list of selectors, the first the
//! root one; a command is allowed when one selector allows the command (its bit, set
//! by `+cmd`, `+@category`, ..., or a `+cmd|firstarg`), every key it touches (a
//! pattern with the read/write permission the key spec asks for) and every channel it
//! publishes or subscribes to. Rule strings (ACL LIST, GETUSER) are rebuilt from the
//! bits the way Redis 7.0 does it: `+@all` or `-@all`, then the categories that fit
//! best, then single commands. Where Redis walks its command table in hash order, this
//! walks the table in its own order, so a description with several single commands may
//! list them in another order than Redis would.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use parking_lot::RwLock;
use sha2::{Digest, Sha256};

use crate::command::keyspec::{self, KeyFlags};
use crate::command::{all, flag, Spec};
use crate::glob;

/// The ACL categories, in Redis 7.0's order (ACL CAT).
pub const CATEGORIES: &[&str] = &[
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

/// Redis's `acllog-max-len`.
const LOG_MAX_LEN: usize = 128;

const READ: u8 = 1;
const WRITE: u8 = 2;

// -- the command table, numbered -------------------------------------------------------

/// Every command and subcommand with an id (Redis's command bit), its categories
/// (a bit per entry of `CATEGORIES`) and its subcommands' ids.
struct Table {
    specs: Vec<&'static Spec>,
    cats: Vec<u32>,
    subs: Vec<Vec<usize>>,
    parent: Vec<Option<usize>>,
    by_name: HashMap<&'static str, usize>,
    top: Vec<usize>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Table {
            specs: Vec::new(),
            cats: Vec::new(),
            subs: Vec::new(),
            parent: Vec::new(),
            by_name: HashMap::new(),
            top: Vec::new(),
        };
        fn add(t: &mut Table, spec: &'static Spec, parent: Option<usize>) -> usize {
            let id = t.specs.len();
            t.specs.push(spec);
            t.cats.push(categories_of(spec));
            t.subs.push(Vec::new());
            t.parent.push(parent);
            t.by_name.insert(spec.name, id);
            for sub in spec.subcommands {
                let sid = add(t, sub, Some(id));
                t.subs[id].push(sid);
            }
            id
        }
        for spec in all() {
            let id = add(&mut t, spec, None);
            t.top.push(id);
        }
        t
    })
}

fn category_bit(name: &str) -> Option<u32> {
    CATEGORIES
        .iter()
        .position(|c| c.eq_ignore_ascii_case(name))
        .map(|i| 1 << i)
}

/// The command's categories: its table entry's, plus those Redis derives from its
/// flags (`setImplicitACLCategories`), so a command whose entry forgot one still gets it.
fn categories_of(spec: &Spec) -> u32 {
    let mut cats = 0;
    for c in spec.acl {
        cats |= category_bit(c).unwrap_or(0);
    }
    let has = |f: &str| spec.flags.contains(&f);
    let bit = |c: &str| category_bit(c).unwrap_or(0);
    if has("write") {
        cats |= bit("write");
    }
    if has("readonly") && cats & bit("scripting") == 0 {
        cats |= bit("read");
    }
    if has("admin") {
        cats |= bit("admin") | bit("dangerous");
    }
    if has("pubsub") {
        cats |= bit("pubsub");
    }
    if has("fast") {
        cats |= bit("fast");
    }
    if has("blocking") {
        cats |= bit("blocking");
    }
    if cats & bit("fast") == 0 {
        cats |= bit("slow");
    }
    cats
}

/// The id of a command or subcommand ("config|get"), by name in any case.
fn command_id(name: &str) -> Option<usize> {
    table()
        .by_name
        .get(name.to_ascii_lowercase().as_str())
        .copied()
}

/// The commands of a category (ACL CAT category), subcommands included, as Redis 7.0
/// lists them; `None` for an unknown category.
pub fn commands_in_category(category: &str) -> Option<Vec<&'static str>> {
    let bit = category_bit(category)?;
    let t = table();
    Some(
        (0..t.specs.len())
            .filter(|&id| t.cats[id] & bit != 0)
            .map(|id| t.specs[id].name)
            .collect(),
    )
}

// -- selectors and users ----------------------------------------------------------------

#[derive(Debug, Clone)]
struct Selector {
    /// A bit per command id.
    allowed: Vec<bool>,
    /// Redis's reserved command bit: set by `+@all` only, so the user may run commands
    /// added later (the description then starts with `+@all`).
    future: bool,
    /// SELECTOR_FLAG_ALLCOMMANDS: `+@all` and nothing removed since (a fast path).
    allcommands: bool,
    /// `+cmd|arg` of a command without subcommands: the first arguments allowed.
    firstargs: BTreeMap<usize, Vec<String>>,
    allkeys: bool,
    keys: Vec<(Vec<u8>, u8)>,
    allchannels: bool,
    channels: Vec<Vec<u8>>,
}

impl Selector {
    fn new() -> Selector {
        Selector {
            allowed: vec![false; table().specs.len()],
            future: false,
            allcommands: false,
            firstargs: BTreeMap::new(),
            allkeys: false,
            keys: Vec::new(),
            allchannels: false,
            channels: Vec::new(),
        }
    }

    fn set_bit(&mut self, id: usize, allow: bool) {
        self.allowed[id] = allow;
        if !allow {
            self.allcommands = false;
        }
    }

    /// Redis's ACLChangeSelectorPerm: the command and all its subcommands.
    fn change(&mut self, id: usize, allow: bool) {
        self.set_bit(id, allow);
        self.firstargs.remove(&id);
        for &sub in &table().subs[id] {
            self.set_bit(sub, allow);
        }
    }

    fn set_category(&mut self, bit: u32, allow: bool) {
        let t = table();
        fn walk(s: &mut Selector, t: &Table, ids: &[usize], bit: u32, allow: bool) {
            for &id in ids {
                if t.cats[id] & bit != 0 {
                    s.change(id, allow);
                }
                walk(s, t, &t.subs[id], bit, allow);
            }
        }
        walk(self, t, &t.top, bit, allow);
    }

    fn count_category(&self, bit: u32) -> (usize, usize) {
        let t = table();
        let (mut on, mut off) = (0, 0);
        for id in 0..t.specs.len() {
            if t.cats[id] & bit != 0 {
                if self.allowed[id] {
                    on += 1;
                } else {
                    off += 1;
                }
            }
        }
        (on, off)
    }

    fn all_commands(&mut self, allow: bool) {
        self.allowed.iter_mut().for_each(|b| *b = allow);
        self.future = allow;
        self.allcommands = allow;
        self.firstargs.clear();
    }

    /// One rule of a selector (Redis's ACLSetSelector).
    fn apply(&mut self, op: &str) -> std::result::Result<(), RuleError> {
        let lower = op.to_ascii_lowercase();
        match lower.as_str() {
            "allkeys" | "~*" => {
                self.allkeys = true;
                self.keys.clear();
                return Ok(());
            }
            "resetkeys" => {
                self.allkeys = false;
                self.keys.clear();
                return Ok(());
            }
            "allchannels" | "&*" => {
                self.allchannels = true;
                self.channels.clear();
                return Ok(());
            }
            "resetchannels" => {
                self.allchannels = false;
                self.channels.clear();
                return Ok(());
            }
            "allcommands" | "+@all" => {
                self.all_commands(true);
                return Ok(());
            }
            "nocommands" | "-@all" => {
                self.all_commands(false);
                return Ok(());
            }
            _ => {}
        }
        let bytes = op.as_bytes();
        match bytes.first() {
            Some(b'~') | Some(b'%') => {
                if self.allkeys {
                    return Err(RuleError::KeysAfterAll);
                }
                let mut flags = 0;
                let mut offset = 1;
                if bytes[0] == b'%' {
                    let mut closed = false;
                    while offset < bytes.len() {
                        let c = bytes[offset];
                        offset += 1;
                        match c.to_ascii_uppercase() {
                            b'R' if flags & READ == 0 => flags |= READ,
                            b'W' if flags & WRITE == 0 => flags |= WRITE,
                            b'~' => {
                                closed = true;
                                break;
                            }
                            _ => return Err(RuleError::Syntax),
                        }
                    }
                    if !closed || flags == 0 {
                        return Err(RuleError::Syntax);
                    }
                } else {
                    flags = READ | WRITE;
                }
                let pattern = &bytes[offset..];
                if has_spaces(pattern) {
                    return Err(RuleError::Syntax);
                }
                match self.keys.iter_mut().find(|(p, _)| p == pattern) {
                    Some((_, f)) => *f |= flags,
                    None => self.keys.push((pattern.to_vec(), flags)),
                }
                Ok(())
            }
            Some(b'&') => {
                if self.allchannels {
                    return Err(RuleError::ChannelsAfterAll);
                }
                let pattern = &bytes[1..];
                if has_spaces(pattern) {
                    return Err(RuleError::Syntax);
                }
                if !self.channels.iter().any(|p| p == pattern) {
                    self.channels.push(pattern.to_vec());
                }
                Ok(())
            }
            Some(b'+') | Some(b'-') if bytes.get(1) == Some(&b'@') => {
                let bit = category_bit(&op[2..]).ok_or(RuleError::Unknown)?;
                self.set_category(bit, bytes[0] == b'+');
                Ok(())
            }
            Some(b'+') => {
                let name = &op[1..];
                let Some((container, sub)) = name.rsplit_once('|') else {
                    let id = command_id(name).ok_or(RuleError::Unknown)?;
                    self.change(id, true);
                    return Ok(());
                };
                let id = command_id(container).ok_or(RuleError::Unknown)?;
                let t = table();
                if t.parent[id].is_some() {
                    return Err(RuleError::FirstArgOfSubcommand);
                }
                if sub.is_empty() {
                    return Err(RuleError::Syntax);
                }
                if !t.subs[id].is_empty() {
                    let sid = command_id(name).ok_or(RuleError::Unknown)?;
                    self.change(sid, true);
                } else {
                    let args = self.firstargs.entry(id).or_default();
                    if !args.iter().any(|a| a.eq_ignore_ascii_case(sub)) {
                        args.push(sub.to_string());
                    }
                }
                Ok(())
            }
            Some(b'-') => {
                let id = command_id(&op[1..]).ok_or(RuleError::Unknown)?;
                self.change(id, false);
                Ok(())
            }
            _ => Err(RuleError::Syntax),
        }
    }

    /// The command rules as Redis 7.0 writes them (ACLDescribeSelectorCommandRules).
    fn describe_commands(&self) -> String {
        let t = table();
        let mut rules = String::new();
        let mut fake = Selector::new();
        let additive = !self.future;
        if self.future {
            rules.push_str("+@all ");
            fake.all_commands(true);
        } else {
            rules.push_str("-@all ");
        }
        // The best-fitting categories first, on a scratch copy of the bits.
        let mut temp = self.clone();
        let mut applied = vec![false; CATEGORIES.len()];
        loop {
            let mut best = None;
            let (mut mindiff, mut maxsame) = (usize::MAX, 0);
            for (j, _) in CATEGORIES.iter().enumerate() {
                if applied[j] {
                    continue;
                }
                let (on, off) = temp.count_category(1 << j);
                let (diff, same) = if additive { (off, on) } else { (on, off) };
                if same > diff && (diff < mindiff || (diff == mindiff && same > maxsame)) {
                    best = Some(j);
                    mindiff = diff;
                    maxsame = same;
                }
            }
            let Some(j) = best else { break };
            fake.set_category(1 << j, additive);
            temp.set_category(1 << j, !additive);
            rules.push_str(if additive { "+@" } else { "-@" });
            rules.push_str(CATEGORIES[j]);
            rules.push(' ');
            applied[j] = true;
        }
        // Then single commands where the bits still differ.
        fn singles(
            s: &Selector,
            fake: &mut Selector,
            t: &Table,
            ids: &[usize],
            rules: &mut String,
        ) {
            for &id in ids {
                let bit = s.allowed[id];
                if bit != fake.allowed[id] {
                    rules.push(if bit { '+' } else { '-' });
                    rules.push_str(t.specs[id].name);
                    rules.push(' ');
                    fake.change(id, bit);
                }
                singles(s, fake, t, &t.subs[id], rules);
                if !bit {
                    if let Some(args) = s.firstargs.get(&id) {
                        for a in args {
                            rules.push('+');
                            rules.push_str(t.specs[id].name);
                            rules.push('|');
                            rules.push_str(a);
                            rules.push(' ');
                        }
                    }
                }
            }
        }
        singles(self, &mut fake, t, &t.top, &mut rules);
        rules.pop();
        rules
    }

    fn describe_keys(&self) -> String {
        if self.allkeys {
            return "~*".into();
        }
        let words: Vec<String> = self
            .keys
            .iter()
            .map(|(p, f)| {
                let prefix = match *f {
                    READ => "%R~",
                    WRITE => "%W~",
                    _ => "~",
                };
                format!("{}{}", prefix, String::from_utf8_lossy(p))
            })
            .collect();
        words.join(" ")
    }

    fn describe_channels(&self) -> String {
        if self.allchannels {
            return "&*".into();
        }
        let words: Vec<String> = self
            .channels
            .iter()
            .map(|p| format!("&{}", String::from_utf8_lossy(p)))
            .collect();
        words.join(" ")
    }

    /// The selector in ACL LIST's form (ACLDescribeSelector).
    fn describe(&self) -> String {
        let mut out = String::new();
        if self.allkeys {
            out.push_str("~* ");
        } else {
            for w in self.describe_keys().split(' ').filter(|w| !w.is_empty()) {
                out.push_str(w);
                out.push(' ');
            }
        }
        if self.allchannels {
            out.push_str("&* ");
        } else {
            out.push_str("resetchannels ");
            for w in self
                .describe_channels()
                .split(' ')
                .filter(|w| !w.is_empty())
            {
                out.push_str(w);
                out.push(' ');
            }
        }
        out.push_str(&self.describe_commands());
        out
    }

    /// Redis's ACLSelectorCheckCmd.
    fn check(
        &self,
        id: usize,
        argv: &[&[u8]],
        keys: &mut Option<Vec<(usize, KeyFlags)>>,
    ) -> Denied {
        let t = table();
        let spec = t.specs[id];
        if !self.allcommands && !spec.has(flag::NO_AUTH) && !self.allowed[id] {
            let idx = if t.parent[id].is_some() { 2 } else { 1 };
            let ok = match (self.firstargs.get(&id), argv.get(idx)) {
                (Some(args), Some(arg)) => {
                    args.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(arg))
                }
                _ => false,
            };
            if !ok {
                return Denied::Command;
            }
        }
        if !self.allkeys && keyspec::has_keys(spec.key_specs, spec.getkeys) {
            let found = keys.get_or_insert_with(|| {
                keyspec::find_keys(spec.key_specs, spec.getkeys, argv)
                    .into_iter()
                    .filter(|(_, f)| f & keyspec::NOT_KEY == 0)
                    .collect()
            });
            for &(pos, flags) in found.iter() {
                if !self.key_allowed(argv[pos], flags) {
                    return Denied::Key(pos);
                }
            }
        }
        if !self.allchannels {
            for (pos, pattern) in channels_of(spec, argv) {
                let ch = argv[pos];
                let ok = self.channels.iter().any(|p| {
                    if pattern {
                        p.as_slice() == ch
                    } else {
                        glob::matches(p, ch)
                    }
                });
                if !ok {
                    return Denied::Channel(pos);
                }
            }
        }
        Denied::No
    }

    fn key_allowed(&self, key: &[u8], spec_flags: KeyFlags) -> bool {
        let mut need = 0;
        if spec_flags & keyspec::ACCESS != 0 {
            need |= READ;
        }
        if spec_flags & (keyspec::INSERT | keyspec::DELETE | keyspec::UPDATE) != 0 {
            need |= WRITE;
        }
        self.keys
            .iter()
            .any(|(p, f)| f & need == need && glob::matches(p, key))
    }
}

/// The channels a command publishes or subscribes to (Redis's getChannelsFromCommand,
/// for the flags ACL checks: publish and subscribe, not unsubscribe): positions in
/// argv, and whether the argument is a pattern (PSUBSCRIBE's, matched literally).
fn channels_of(spec: &Spec, argv: &[&[u8]]) -> Vec<(usize, bool)> {
    match spec.name {
        "publish" | "spublish" => (argv.len() > 1).then_some((1, false)).into_iter().collect(),
        "subscribe" | "ssubscribe" => (1..argv.len()).map(|i| (i, false)).collect(),
        "psubscribe" => (1..argv.len()).map(|i| (i, true)).collect(),
        _ => Vec::new(),
    }
}

fn has_spaces(s: &[u8]) -> bool {
    s.iter().any(|&c| c.is_ascii_whitespace() || c == 0)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Denied {
    No,
    Command,
    Key(usize),
    Channel(usize),
}

impl Denied {
    fn rank(self) -> u8 {
        match self {
            Denied::No => 0,
            Denied::Command => 1,
            Denied::Key(_) => 2,
            Denied::Channel(_) => 4,
        }
    }

    fn pos(self) -> usize {
        match self {
            Denied::Key(p) | Denied::Channel(p) => p,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum RuleError {
    Syntax,
    Unknown,
    KeysAfterAll,
    ChannelsAfterAll,
    NoSuchPassword,
    BadHash,
    FirstArgOfSubcommand,
}

impl RuleError {
    fn text(self) -> &'static str {
        match self {
            RuleError::Syntax => "Syntax error",
            RuleError::Unknown => "Unknown command or category name in ACL",
            RuleError::KeysAfterAll => {
                "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and \
                 does not have any effect. Try 'resetkeys' to start with an empty list of patterns"
            }
            RuleError::ChannelsAfterAll => {
                "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and \
                 does not have any effect. Try 'resetchannels' to start with an empty list of channels"
            }
            RuleError::NoSuchPassword => {
                "The password you are trying to remove from the user does not exist"
            }
            RuleError::BadHash => {
                "The password hash must be exactly 64 characters and contain only lowercase \
                 hexadecimal characters"
            }
            RuleError::FirstArgOfSubcommand => "Allowing first-arg of a subcommand is not supported",
        }
    }
}

/// One user: flags, password hashes (SHA-256) and selectors, the root one first.
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    enabled: bool,
    nopass: bool,
    /// "skip-sanitize-payload" or "sanitize-payload", once set.
    sanitize: Option<&'static str>,
    passwords: Vec<[u8; 32]>,
    selectors: Vec<Selector>,
}

impl User {
    fn new(name: &str) -> User {
        User {
            name: name.to_string(),
            enabled: false,
            nopass: false,
            sanitize: None,
            passwords: Vec::new(),
            selectors: vec![Selector::new()],
        }
    }

    fn default_user() -> User {
        let mut u = User::new("default");
        for op in ["+@all", "~*", "&*", "on", "nopass"] {
            let _ = u.apply(op);
        }
        u
    }

    /// True when the user needs no password (`nopass`).
    pub fn nopass(&self) -> bool {
        self.nopass
    }

    /// True when the user may run anything on any key and channel (the fast path).
    fn unrestricted(&self) -> bool {
        self.selectors
            .first()
            .is_some_and(|s| s.allcommands && s.allkeys && s.allchannels)
    }

    /// One rule (Redis's ACLSetUser).
    fn apply(&mut self, op: &str) -> std::result::Result<(), RuleError> {
        let lower = op.to_ascii_lowercase();
        match lower.as_str() {
            "on" => self.enabled = true,
            "off" => self.enabled = false,
            "skip-sanitize-payload" => self.sanitize = Some("skip-sanitize-payload"),
            "sanitize-payload" => self.sanitize = Some("sanitize-payload"),
            "nopass" => {
                self.nopass = true;
                self.passwords.clear();
            }
            "resetpass" => {
                self.nopass = false;
                self.passwords.clear();
            }
            "clearselectors" => self.selectors.truncate(1),
            "reset" => {
                for op in [
                    "resetpass",
                    "resetkeys",
                    "resetchannels",
                    "off",
                    "sanitize-payload",
                    "clearselectors",
                    "-@all",
                ] {
                    self.apply(op)?;
                }
            }
            _ => {
                let bytes = op.as_bytes();
                match bytes.first() {
                    Some(b'>') | Some(b'<') => {
                        let hash = sha256(&bytes[1..]);
                        if bytes[0] == b'>' {
                            if !self.passwords.contains(&hash) {
                                self.passwords.push(hash);
                            }
                            self.nopass = false;
                        } else {
                            let before = self.passwords.len();
                            self.passwords.retain(|h| *h != hash);
                            if self.passwords.len() == before {
                                return Err(RuleError::NoSuchPassword);
                            }
                        }
                    }
                    Some(b'#') | Some(b'!') => {
                        let hash = parse_hash(&op[1..]).ok_or(RuleError::BadHash)?;
                        if bytes[0] == b'#' {
                            if !self.passwords.contains(&hash) {
                                self.passwords.push(hash);
                            }
                            self.nopass = false;
                        } else {
                            let before = self.passwords.len();
                            self.passwords.retain(|h| *h != hash);
                            if self.passwords.len() == before {
                                return Err(RuleError::NoSuchPassword);
                            }
                        }
                    }
                    Some(b'(') if op.ends_with(')') && op.len() >= 2 => {
                        let mut s = Selector::new();
                        for rule in op[1..op.len() - 1].split_ascii_whitespace() {
                            s.apply(rule)?;
                        }
                        self.selectors.push(s);
                    }
                    _ => {
                        let root = self.selectors.first_mut().ok_or(RuleError::Syntax)?;
                        root.apply(op)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn flags(&self) -> Vec<&'static str> {
        let mut f = vec![if self.enabled { "on" } else { "off" }];
        if self.nopass {
            f.push("nopass");
        }
        if let Some(s) = self.sanitize {
            f.push(s);
        }
        f
    }

    /// The user as an ACL LIST line.
    pub fn describe(&self) -> String {
        let mut out = format!("user {} ", self.name);
        for f in self.flags() {
            out.push_str(f);
            out.push(' ');
        }
        for p in &self.passwords {
            out.push('#');
            out.push_str(&hex(p));
            out.push(' ');
        }
        for (i, s) in self.selectors.iter().enumerate() {
            if i == 0 {
                out.push_str(&s.describe());
            } else {
                out.push_str(&format!("({})", s.describe()));
            }
            out.push(' ');
        }
        out.pop();
        out
    }

    /// ACL GETUSER's fields.
    pub fn getuser(&self) -> crate::reply::Reply {
        use crate::reply::Reply;
        let bulk = |s: &str| Reply::bulk(s);
        let selector = |s: &Selector| {
            vec![
                (bulk("commands"), bulk(&s.describe_commands())),
                (bulk("keys"), bulk(&s.describe_keys())),
                (bulk("channels"), bulk(&s.describe_channels())),
            ]
        };
        let mut fields = vec![
            (
                bulk("flags"),
                Reply::Array(self.flags().into_iter().map(bulk).collect()),
            ),
            (
                bulk("passwords"),
                Reply::Array(self.passwords.iter().map(|p| bulk(&hex(p))).collect()),
            ),
        ];
        if let Some(root) = self.selectors.first() {
            fields.extend(selector(root));
        }
        fields.push((
            bulk("selectors"),
            Reply::Array(
                self.selectors
                    .iter()
                    .skip(1)
                    .map(|s| Reply::Map(selector(s)))
                    .collect(),
            ),
        ));
        Reply::Map(fields)
    }

    fn password_ok(&self, password: &[u8]) -> bool {
        if self.nopass {
            return true;
        }
        let h = sha256(password);
        // Compare every stored hash in full (no early exit on the first byte).
        self.passwords.iter().fold(false, |ok, p| {
            ok | (p.iter().zip(h.iter()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0)
        })
    }

    /// Whether this user may run `argv` (name first; `id` its command or subcommand):
    /// Redis's ACLCheckAllUserCommandPerm, picking the error to report as it does.
    fn check(&self, id: usize, argv: &[&[u8]]) -> Denied {
        let mut keys = None;
        let mut worst = Denied::Command;
        for s in &self.selectors {
            let d = s.check(id, argv, &mut keys);
            if d == Denied::No {
                return d;
            }
            if d.rank() > worst.rank() || (d.rank() == worst.rank() && d.pos() > worst.pos()) {
                worst = d;
            }
        }
        worst
    }
}

fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{:02x}", b)).collect()
}

fn parse_hash(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64
        || !s
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
    {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

// -- the users of one database -----------------------------------------------------------

/// One ACL LOG entry.
#[derive(Debug, Clone)]
struct LogEntry {
    count: u64,
    reason: &'static str,
    context: &'static str,
    object: Vec<u8>,
    username: Vec<u8>,
    created_ms: i64,
    client_info: String,
    /// The command refused (for the client-info line).
    command: &'static str,
}

#[derive(Debug)]
struct State {
    users: BTreeMap<String, Arc<User>>,
    log: VecDeque<LogEntry>,
}

/// The users, the ACL LOG, and a generation bumped by every change to the users.
#[derive(Debug)]
pub struct Acl {
    state: RwLock<State>,
    generation: AtomicU64,
}

impl Default for Acl {
    fn default() -> Self {
        let mut users = BTreeMap::new();
        users.insert("default".to_string(), Arc::new(User::default_user()));
        Acl {
            state: RwLock::new(State {
                users,
                log: VecDeque::new(),
            }),
            generation: AtomicU64::new(1),
        }
    }
}

/// Where a denied command ran (ACL LOG's context).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Toplevel,
    Multi,
    Lua,
}

impl Context {
    fn name(self) -> &'static str {
        match self {
            Context::Toplevel => "toplevel",
            Context::Multi => "multi",
            Context::Lua => "lua",
        }
    }
}

impl Acl {
    pub fn user(&self, name: &str) -> Option<Arc<User>> {
        self.state.read().users.get(name).cloned()
    }

    /// True when the default user is on and has no password: clients start
    /// authenticated, and protected mode refuses non-local clients.
    pub fn default_is_open(&self) -> bool {
        self.user("default").is_some_and(|u| u.enabled && u.nopass)
    }

    /// Redis's `requirepass`: the default user's only password, or none ("").
    pub fn set_requirepass(&self, password: &[u8]) {
        let mut st = self.state.write();
        let mut user = st
            .users
            .get("default")
            .map(|u| (**u).clone())
            .unwrap_or_else(User::default_user);
        user.passwords.clear();
        user.nopass = false;
        if password.is_empty() {
            user.nopass = true;
        } else {
            user.passwords.push(sha256(password));
        }
        st.users.insert("default".into(), Arc::new(user));
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Every user, by name.
    pub fn users(&self) -> Vec<Arc<User>> {
        self.state.read().users.values().cloned().collect()
    }

    /// ACL SETUSER name rule...: all rules or none; the error is Redis's text.
    pub fn setuser(&self, name: &str, rules: &[&[u8]]) -> Result<(), String> {
        if has_spaces(name.as_bytes()) {
            return Err("ERR Usernames can't contain spaces or null characters".into());
        }
        let merged = merge_selectors(rules)?;
        let mut st = self.state.write();
        let mut user = match st.users.get(name) {
            Some(u) => (**u).clone(),
            None => User::new(name),
        };
        for op in &merged {
            user.apply(op)
                .map_err(|e| format!("ERR Error in ACL SETUSER modifier '{}': {}", op, e.text()))?;
        }
        st.users.insert(name.to_string(), Arc::new(user));
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }

    /// ACL DELUSER: how many of the names existed.
    pub fn deluser(&self, names: &[&str]) -> Result<i64, String> {
        if names.contains(&"default") {
            return Err("ERR The 'default' user cannot be removed".into());
        }
        let mut st = self.state.write();
        let n = names
            .iter()
            .filter(|n| st.users.remove(**n).is_some())
            .count();
        self.generation.fetch_add(1, Ordering::SeqCst);
        Ok(n as i64)
    }

    /// The user `name` if the password is right and the user is on; a failure is
    /// logged (ACL LOG reason "auth").
    pub fn authenticate(&self, name: &[u8], password: &[u8], client_info: &str) -> bool {
        let user = std::str::from_utf8(name).ok().and_then(|n| self.user(n));
        let ok = user.is_some_and(|u| u.enabled && u.password_ok(password));
        if !ok {
            self.log(LogEntry {
                count: 1,
                reason: "auth",
                context: "toplevel",
                object: b"auth".to_vec(),
                username: name.to_vec(),
                created_ms: crate::db::now_ms(),
                client_info: client_info.to_string(),
                command: "auth",
            });
        }
        ok
    }

    fn log(&self, entry: LogEntry) {
        let mut st = self.state.write();
        // Redis groups an entry with a like one less than 60 seconds old.
        if let Some(e) = st.log.iter_mut().find(|e| {
            e.reason == entry.reason
                && e.context == entry.context
                && e.object == entry.object
                && e.username == entry.username
                && entry.created_ms - e.created_ms < 60_000
        }) {
            e.count += 1;
            e.created_ms = entry.created_ms;
            e.client_info = entry.client_info;
            return;
        }
        st.log.push_front(entry);
        st.log.truncate(LOG_MAX_LEN);
    }

    pub fn log_reset(&self) {
        self.state.write().log.clear();
    }

    /// ACL LOG [count]: the newest entries first.
    pub fn log_reply(&self, count: usize) -> crate::reply::Reply {
        use crate::reply::Reply;
        let now = crate::db::now_ms();
        let st = self.state.read();
        Reply::Array(
            st.log
                .iter()
                .take(count)
                .map(|e| {
                    Reply::Map(vec![
                        (Reply::bulk("count"), Reply::Int(e.count as i64)),
                        (Reply::bulk("reason"), Reply::bulk(e.reason)),
                        (Reply::bulk("context"), Reply::bulk(e.context)),
                        (Reply::bulk("object"), Reply::bulk(e.object.clone())),
                        (Reply::bulk("username"), Reply::bulk(e.username.clone())),
                        (
                            Reply::bulk("age-seconds"),
                            Reply::Double((now - e.created_ms).max(0) as f64 / 1000.0),
                        ),
                        (
                            Reply::bulk("client-info"),
                            Reply::bulk(e.client_info.as_str()),
                        ),
                    ])
                })
                .collect(),
        )
    }
}

/// CONFIG SET requirepass (and the config file, the command line): the default
/// user's only password, or none.
pub fn apply_requirepass(db: &crate::db::Db, value: &str) -> Result<(), String> {
    db.acl().set_requirepass(value.as_bytes());
    Ok(())
}

/// Join `(` ... `)` selector arguments given as several words, as Redis's
/// ACLMergeSelectorArguments does.
fn merge_selectors(rules: &[&[u8]]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for r in rules {
        let r = String::from_utf8_lossy(r).into_owned();
        match open.as_mut() {
            Some(acc) => {
                acc.push(' ');
                acc.push_str(&r);
                if r.ends_with(')') {
                    out.extend(open.take());
                }
            }
            None if r.starts_with('(') && !r.ends_with(')') => open = Some(r),
            None => out.push(r),
        }
    }
    if let Some(acc) = open {
        return Err(format!(
            "ERR Unmatched parenthesis in acl selector starting at '{}'.",
            acc
        ));
    }
    Ok(out)
}

// -- a session's side ---------------------------------------------------------------------

/// What a session knows of its user.
#[derive(Debug, Clone)]
pub struct AuthState {
    /// Redis's `c->authenticated`.
    pub authenticated: bool,
    /// The user's name ("default" until AUTH says otherwise).
    pub user: String,
    cached: Option<(u64, Arc<User>)>,
    /// `user` changed since CLIENT LIST was last told (`Ops::after`); true in a new
    /// state, so a client's first command, and RESET's, tell it.
    pub(crate) user_changed: bool,
}

/// Not authenticated, as the default user: what RESET leaves (Redis's
/// clearClientConnectionState), so the client runs commands again only if the
/// default user needs no password.
impl Default for AuthState {
    fn default() -> Self {
        AuthState {
            authenticated: false,
            user: "default".into(),
            cached: None,
            user_changed: true,
        }
    }
}

impl AuthState {
    /// A new client of `acl`: authenticated as default when default needs no password.
    pub fn new(acl: &Acl) -> AuthState {
        AuthState {
            authenticated: acl.default_is_open(),
            ..AuthState::default()
        }
    }

    /// Become `user`, authenticated.
    pub fn login(&mut self, user: &[u8]) {
        self.authenticated = true;
        self.user = String::from_utf8_lossy(user).into_owned();
        self.cached = None;
        self.user_changed = true;
    }

    fn current(&mut self, acl: &Acl) -> Option<Arc<User>> {
        let generation = acl.generation.load(Ordering::SeqCst);
        if let Some((g, u)) = &self.cached {
            if *g == generation {
                return Some(u.clone());
            }
        }
        let u = acl.user(&self.user)?;
        self.cached = Some((generation, u.clone()));
        Some(u)
    }
}

/// A refused command: Redis's error text, and what ACL LOG records of it.
#[derive(Debug)]
pub struct Refusal {
    pub text: String,
    denial: Option<LogEntry>,
}

impl Refusal {
    /// The command name to show in the client-info of its ACL LOG entry.
    pub fn command(&self) -> Option<&'static str> {
        self.denial.as_ref().map(|d| d.command)
    }

    /// What was refused: "command", "key" or "channel" (`None` for NOAUTH).
    pub fn reason(&self) -> Option<&'static str> {
        self.denial.as_ref().map(|d| d.reason)
    }
}

impl Acl {
    /// Record a refusal in ACL LOG (with the client's CLIENT LIST line).
    pub fn log_refusal(&self, refusal: &mut Refusal, client_info: String) {
        if let Some(mut entry) = refusal.denial.take() {
            entry.client_info = client_info;
            self.log(entry);
        }
    }
}

fn noauth() -> Refusal {
    Refusal {
        text: "NOAUTH Authentication required.".into(),
        denial: None,
    }
}

/// Whether the session may run `argv` (Redis's processCommand: authRequired, then
/// ACLCheckAllPerm); a refusal carries Redis's error text.
// A refusal is big (its ACL LOG entry) but rare, and the allowed path returns a bare
// `Ok(())`: boxing the refusal would allocate on every refused command and save nothing.
#[allow(clippy::result_large_err)]
pub fn check_command(
    acl: &Acl,
    auth: &mut AuthState,
    spec: &'static Spec,
    argv: &[&[u8]],
    context: Context,
) -> Result<(), Refusal> {
    let Named::Command(target) = named(spec, argv) else {
        // An unknown subcommand or a wrong count: Redis answers that before it asks
        // for authentication or permissions, and so does the container when it runs.
        return Ok(());
    };
    // Redis's authRequired: the default user has a password (or is off) and this
    // client has not authenticated.
    if !auth.authenticated && !spec.has(flag::NO_AUTH) && !acl.default_is_open() {
        return Err(noauth());
    }
    let Some(user) = auth.current(acl) else {
        // The user was deleted (ACL DELUSER): Redis disconnects its clients; here the
        // client is logged out.
        auth.authenticated = false;
        auth.user = "default".into();
        auth.cached = None;
        auth.user_changed = true;
        return Err(noauth());
    };
    let Some(denial) = verdict(&user, target, argv) else {
        return Ok(());
    };
    let (reason, object, text) = match denial {
        Denied::No => return Ok(()),
        Denied::Command => (
            "command",
            target.name.as_bytes().to_vec(),
            format!(
                "NOPERM this user has no permissions to run the '{}' command",
                target.name
            ),
        ),
        Denied::Key(pos) => (
            "key",
            argv[pos].to_vec(),
            "NOPERM this user has no permissions to access one of the keys used as arguments"
                .into(),
        ),
        Denied::Channel(pos) => (
            "channel",
            argv[pos].to_vec(),
            "NOPERM this user has no permissions to access one of the channels used as arguments"
                .into(),
        ),
    };
    Err(Refusal {
        text,
        denial: Some(LogEntry {
            count: 1,
            reason,
            context: context.name(),
            object,
            username: user.name.as_bytes().to_vec(),
            created_ms: crate::db::now_ms(),
            client_info: String::new(),
            command: target.name,
        }),
    })
}

/// What `argv` names, as Redis's lookupCommand and arity check see it.
enum Named {
    /// The command, or the container's subcommand, with a count that fits.
    Command(&'static Spec),
    /// A container whose subcommand does not exist.
    UnknownSubcommand,
    /// The command or subcommand, given a count its arity refuses.
    WrongArity(&'static Spec),
}

/// The command or subcommand `argv` runs (`spec` is `argv[0]`'s entry). A
/// subcommand's arity counts the container's name, as the whole argv.
fn named(spec: &'static Spec, argv: &[&[u8]]) -> Named {
    let target = match argv.get(1) {
        Some(sub) if !spec.subcommands.is_empty() => match spec.subcommand(sub) {
            Some(sub) => sub,
            None => return Named::UnknownSubcommand,
        },
        _ => spec,
    };
    if target.arity_ok(argv.len()) {
        Named::Command(target)
    } else {
        Named::WrongArity(target)
    }
}

/// The one permission check that running a command, ACL DRYRUN and
/// redis.acl_check_cmd share: `None` when `user` may run `target` (the command or
/// subcommand `argv` names) on its keys and channels, else what is refused.
fn verdict(user: &User, target: &'static Spec, argv: &[&[u8]]) -> Option<Denied> {
    if user.unrestricted() {
        return None;
    }
    let id = command_id(target.name)?;
    match user.check(id, argv) {
        Denied::No => None,
        denied => Some(denied),
    }
}

/// Whether the session's user may read every key SORT's BY and GET patterns can make
/// (Redis's ACLUserCheckCmdWithUnrestrictedKeyAccess with CMD_KEY_ACCESS): a selector
/// that allows the command and has `allkeys`, or a `~*` / `%R~*` pattern.
pub fn has_full_key_access(
    acl: &Acl,
    auth: &mut AuthState,
    spec: &'static Spec,
    argv: &[&[u8]],
) -> bool {
    let Some(user) = auth.current(acl) else {
        return false;
    };
    if user.unrestricted() {
        return true;
    }
    let Some(id) = command_id(spec.name) else {
        return true;
    };
    let mut keys = None;
    user.selectors.iter().any(|s| {
        s.check(id, argv, &mut keys) == Denied::No
            && (s.allkeys || s.keys.iter().any(|(p, f)| p == b"*" && f & READ != 0))
    })
}

/// redis.acl_check_cmd: whether `user` may run `argv` (the command or subcommand, its
/// keys and channels), as Redis's ACLCheckAllUserCommandPerm: no arity check, no ACL
/// LOG entry. `None` when `argv` names no command (Redis's lookupCommand: a container
/// alone is the container; with an unknown subcommand, nothing).
pub fn may_run(acl: &Acl, user: &str, argv: &[&[u8]]) -> Option<bool> {
    let spec = crate::command::lookup(argv.first()?)?;
    let target = match named(spec, argv) {
        Named::Command(target) | Named::WrongArity(target) => target,
        Named::UnknownSubcommand => return None,
    };
    let Some(user) = acl.user(user) else {
        return Some(false);
    };
    Some(verdict(&user, target, argv).is_none())
}

/// ACL DRYRUN user command arg...: `Ok(None)` if allowed, else Redis's verbose text.
/// The same lookup, arity and permission check as running the command.
/// The client's bytes go back as they came (`%s`: up to a NUL).
pub fn dryrun(acl: &Acl, user: &str, argv: &[&[u8]]) -> Result<Option<Vec<u8>>, Vec<u8>> {
    let Some(user) = acl.user(user) else {
        return Err(format!("ERR User '{}' not found", user).into_bytes());
    };
    let not_found = || {
        let name = argv.first().copied().unwrap_or_default();
        let name = &name[..name.iter().position(|&c| c == 0).unwrap_or(name.len())];
        let mut text = b"ERR Command '".to_vec();
        text.extend_from_slice(name);
        text.extend_from_slice(b"' not found");
        crate::error::msg::one_line(text)
    };
    let spec = argv
        .first()
        .and_then(|n| crate::command::lookup(n))
        .ok_or_else(not_found)?;
    let target = match named(spec, argv) {
        Named::Command(target) => target,
        Named::UnknownSubcommand => return Err(not_found()),
        Named::WrongArity(target) => {
            return Err(crate::error::msg::wrong_arity(target.name).into_bytes())
        }
    };
    let quoted = |start: &str, what: &[u8], end: &str| {
        let mut text = start.as_bytes().to_vec();
        text.extend_from_slice(what);
        text.extend_from_slice(end.as_bytes());
        text
    };
    Ok(verdict(&user, target, argv).map(|denied| match denied {
        Denied::No | Denied::Command => quoted(
            "This user has no permissions to run the '",
            target.name.as_bytes(),
            "' command",
        ),
        Denied::Key(p) => quoted(
            "This user has no permissions to access the '",
            argv[p],
            "' key",
        ),
        Denied::Channel(p) => quoted(
            "This user has no permissions to access the '",
            argv[p],
            "' channel",
        ),
    }))
}

/// ACL GENPASS: `bits` random bits as hex (rounded up to whole nibbles).
pub fn genpass(bits: usize) -> String {
    let bytes = bits.div_ceil(8);
    let mut buf = vec![0u8; bytes];
    if getrandom::fill(&mut buf).is_err() {
        // No OS randomness: a hash of the clock and the address space, never a panic.
        let seed = format!("{}{:p}", crate::db::now_us(), &buf);
        let mut out = Vec::new();
        while out.len() < bytes {
            out.extend_from_slice(&sha256(format!("{}{}", seed, out.len()).as_bytes()));
        }
        buf = out[..bytes].to_vec();
    }
    let mut s = hex(&buf);
    s.truncate(bits.div_ceil(4));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(rules: &[&str]) -> User {
        let mut u = User::new("t");
        for r in rules {
            u.apply(r).expect("valid rule");
        }
        u
    }

    #[test]
    fn default_user() {
        assert_eq!(
            User::default_user().describe(),
            "user default on nopass ~* &* +@all"
        );
    }

    #[test]
    fn describe_like_redis() {
        assert_eq!(
            user(&["reset"]).describe(),
            "user t off sanitize-payload resetchannels -@all"
        );
        assert_eq!(
            user(&["-@all", "+get", "+@string"]).describe(),
            "user t off resetchannels -@all +@string"
        );
        assert_eq!(
            user(&["+@all", "-get", "+@hash"]).describe(),
            "user t off resetchannels +@all -get"
        );
        assert_eq!(
            user(&["nocommands", "+get", "allcommands", "-set"]).describe(),
            "user t off resetchannels +@all -set"
        );
        assert_eq!(
            user(&["-@all", "+select|0", "+select|1", "-select"]).describe(),
            "user t off resetchannels -@all"
        );
        assert_eq!(
            user(&["-@all", "+select|0"]).describe(),
            "user t off resetchannels -@all +select|0"
        );
        assert_eq!(
            user(&["%R~a", "~a", "%W~b", "&c"]).describe(),
            "user t off ~a %W~b resetchannels &c -@all"
        );
    }

    #[test]
    fn rule_errors() {
        let mut u = User::new("t");
        assert!(matches!(u.apply("%X~a"), Err(RuleError::Syntax)));
        assert!(matches!(u.apply("%~a"), Err(RuleError::Syntax)));
        assert!(matches!(u.apply("+nosuch"), Err(RuleError::Unknown)));
        assert!(matches!(u.apply("+get|"), Err(RuleError::Syntax)));
        assert!(matches!(u.apply("<nope"), Err(RuleError::NoSuchPassword)));
        assert!(matches!(u.apply("#abc"), Err(RuleError::BadHash)));
        assert!(matches!(u.apply("bogus"), Err(RuleError::Syntax)));
    }

    #[test]
    fn genpass_lengths() {
        assert_eq!(genpass(256).len(), 64);
        assert_eq!(genpass(5).len(), 2);
        assert!(genpass(1).bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
