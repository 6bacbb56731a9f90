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
    /// Redis's multi-word flag sets (`shutdown-on-sigterm "save now"`): one or more
    /// of the words, space separated, shown in the table's order; the first word is
    /// the empty set.
    Flags(&'static [&'static str]),
    /// A byte count as `Memory`, or a percentage ("10%", at most the negated lower
    /// bound), as Redis's `maxmemory-clients`.
    Percent(i64, i64),
    /// Any string.
    Str,
}

/// A parameter's own check of a value already of its kind, returning the value as it
/// is shown (Redis's `is_valid_fn` and special configs: `save`, `dbfilename` ...).
pub type Check = fn(&str) -> Result<String, String>;

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
    /// Left out of CONFIG GET's glob matches, found by its exact name only (Redis's
    /// HIDDEN_CONFIG: testing knobs).
    pub hidden: bool,
    /// CONFIG SET refuses it unless `enable-protected-configs` is yes (Redis's
    /// PROTECTED_CONFIG: `dir`, `dbfilename`).
    pub protected: bool,
    pub check: Option<Check>,
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
            hidden: false,
            protected: false,
            check: None,
            apply: None,
        }
    }

    pub const fn hidden(mut self) -> Param {
        self.hidden = true;
        self
    }

    pub const fn protected(mut self) -> Param {
        self.protected = true;
        self
    }

    pub const fn check(mut self, check: Check) -> Param {
        self.check = Some(check);
        self
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
const INT_MIN: i64 = i32::MIN as i64;
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
    Param::new("maxclients", Kind::Int(1, UINT_MAX), "10000")
        .apply(crate::clients::apply_maxclients),
    // Per class: hard limit, soft limit, soft seconds (see outbox.rs). A CONFIG SET
    // of some classes leaves the others as they are.
    Param::new(
        "client-output-buffer-limit",
        Kind::Str,
        "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
    )
    .apply(crate::clients::apply_client_output_buffer_limit),
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
    Param::new("dir", Kind::Str, ".")
        .protected()
        .check(check_dir),
    Param::new("save", Kind::Str, "").check(check_save),
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
    // redlite's own: what one script may allocate in Lua (0: no limit); past it the
    // script gets "not enough memory" instead of the process running out.
    Param::new("lua-memory-limit", Kind::Memory(0, i64::MAX), "268435456")
        .apply(crate::scripting::apply_memory_limit),
    Param::new("notify-keyspace-events", Kind::Str, "")
        .apply(crate::pubsub::apply_notify_keyspace_events),
    // The rest of Redis 7.0's parameters (src/config.c's table), in its order: accepted,
    // checked as Redis checks them and reported, changing nothing in redlite (the
    // encodings' thresholds, replication, cluster, AOF, defragmentation ...). The TLS
    // ones, which Redis can change at run time, are set at start here, as tls-port.
    Param::new("rdbchecksum", Kind::Bool, "yes").immutable(),
    Param::new("io-threads-do-reads", Kind::Bool, "no").immutable(),
    Param::new("always-show-logo", Kind::Bool, "no").immutable(),
    Param::new("rdbcompression", Kind::Bool, "yes"),
    Param::new("rdb-del-sync-files", Kind::Bool, "no"),
    Param::new("activerehashing", Kind::Bool, "yes"),
    Param::new("stop-writes-on-bgsave-error", Kind::Bool, "yes"),
    Param::new("set-proc-title", Kind::Bool, "yes").immutable(),
    Param::new("dynamic-hz", Kind::Bool, "yes"),
    Param::new("lazyfree-lazy-eviction", Kind::Bool, "no"),
    Param::new("lazyfree-lazy-expire", Kind::Bool, "no"),
    Param::new("lazyfree-lazy-server-del", Kind::Bool, "no"),
    Param::new("lazyfree-lazy-user-del", Kind::Bool, "no"),
    Param::new("lazyfree-lazy-user-flush", Kind::Bool, "no"),
    Param::new("repl-disable-tcp-nodelay", Kind::Bool, "no"),
    Param::new("repl-diskless-sync", Kind::Bool, "yes"),
    Param::new("aof-rewrite-incremental-fsync", Kind::Bool, "yes"),
    Param::new("no-appendfsync-on-rewrite", Kind::Bool, "no"),
    Param::new("cluster-require-full-coverage", Kind::Bool, "yes"),
    Param::new("rdb-save-incremental-fsync", Kind::Bool, "yes"),
    Param::new("aof-load-truncated", Kind::Bool, "yes"),
    Param::new("aof-use-rdb-preamble", Kind::Bool, "yes"),
    Param::new("aof-timestamp-enabled", Kind::Bool, "no"),
    Param::new("cluster-replica-no-failover", Kind::Bool, "no")
        .aliases(&["cluster-slave-no-failover"]),
    Param::new("replica-lazy-flush", Kind::Bool, "no").aliases(&["slave-lazy-flush"]),
    Param::new("replica-serve-stale-data", Kind::Bool, "yes").aliases(&["slave-serve-stale-data"]),
    Param::new("replica-read-only", Kind::Bool, "yes").aliases(&["slave-read-only"]),
    Param::new("replica-ignore-maxmemory", Kind::Bool, "yes").aliases(&["slave-ignore-maxmemory"]),
    Param::new("jemalloc-bg-thread", Kind::Bool, "yes"),
    Param::new("activedefrag", Kind::Bool, "no").check(check_activedefrag),
    Param::new("syslog-enabled", Kind::Bool, "no").immutable(),
    Param::new("cluster-enabled", Kind::Bool, "no").immutable(),
    Param::new("cluster-allow-reads-when-down", Kind::Bool, "no"),
    Param::new("cluster-allow-pubsubshard-when-down", Kind::Bool, "yes"),
    Param::new("crash-log-enabled", Kind::Bool, "yes"),
    Param::new("crash-memcheck-enabled", Kind::Bool, "yes"),
    Param::new("use-exit-on-panic", Kind::Bool, "no").hidden(),
    Param::new("disable-thp", Kind::Bool, "yes").immutable(),
    Param::new("cluster-allow-replica-migration", Kind::Bool, "yes"),
    Param::new("replica-announced", Kind::Bool, "yes"),
    Param::new("latency-tracking", Kind::Bool, "yes"),
    Param::new("aof-disable-auto-gc", Kind::Bool, "no"),
    Param::new("replica-ignore-disk-write-errors", Kind::Bool, "no"),
    Param::new("aclfile", Kind::Str, "").immutable(),
    Param::new("pidfile", Kind::Str, "").immutable(),
    Param::new("replica-announce-ip", Kind::Str, "").aliases(&["slave-announce-ip"]),
    Param::new("masteruser", Kind::Str, "").sensitive(),
    Param::new("cluster-announce-ip", Kind::Str, ""),
    Param::new("cluster-config-file", Kind::Str, "nodes.conf").immutable(),
    Param::new("cluster-announce-hostname", Kind::Str, "").check(check_hostname),
    Param::new("syslog-ident", Kind::Str, "redis").immutable(),
    Param::new("dbfilename", Kind::Str, "dump.rdb")
        .protected()
        .check(check_dbfilename),
    Param::new("appendfilename", Kind::Str, "appendonly.aof")
        .immutable()
        .check(check_appendfilename),
    Param::new("appenddirname", Kind::Str, "appendonlydir")
        .immutable()
        .check(check_appenddirname),
    Param::new("server_cpulist", Kind::Str, "").immutable(),
    Param::new("bio_cpulist", Kind::Str, "").immutable(),
    Param::new("aof_rewrite_cpulist", Kind::Str, "").immutable(),
    Param::new("bgsave_cpulist", Kind::Str, "").immutable(),
    Param::new("ignore-warnings", Kind::Str, ""),
    Param::new(
        "proc-title-template",
        Kind::Str,
        "{title} {listen-addr} {server-mode}",
    )
    .check(check_proc_title_template),
    Param::new("bind-source-addr", Kind::Str, ""),
    Param::new("masterauth", Kind::Str, "").sensitive(),
    Param::new(
        "supervised",
        Kind::Enum(&["upstart", "systemd", "auto", "no"]),
        "no",
    )
    .immutable(),
    Param::new(
        "syslog-facility",
        Kind::Enum(&[
            "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
        ]),
        "local0",
    )
    .immutable(),
    Param::new(
        "repl-diskless-load",
        Kind::Enum(&["disabled", "on-empty-db", "swapdb"]),
        "disabled",
    ),
    Param::new(
        "oom-score-adj",
        Kind::Enum(&["no", "yes", "relative", "absolute"]),
        "no",
    )
    .check(relative_is_yes),
    Param::new(
        "acl-pubsub-default",
        Kind::Enum(&["allchannels", "resetchannels"]),
        "resetchannels",
    ),
    Param::new(
        "sanitize-dump-payload",
        Kind::Enum(&["no", "yes", "clients"]),
        "no",
    ),
    Param::new(
        "enable-protected-configs",
        Kind::Enum(&["no", "yes", "local"]),
        "no",
    )
    .immutable(),
    Param::new(
        "enable-debug-command",
        Kind::Enum(&["no", "yes", "local"]),
        "no",
    )
    .immutable(),
    Param::new(
        "enable-module-command",
        Kind::Enum(&["no", "yes", "local"]),
        "no",
    )
    .immutable(),
    Param::new(
        "cluster-preferred-endpoint-type",
        Kind::Enum(&["ip", "hostname", "unknown-endpoint"]),
        "ip",
    ),
    Param::new(
        "propagation-error-behavior",
        Kind::Enum(&["ignore", "panic", "panic-on-replicas"]),
        "ignore",
    ),
    Param::new(
        "shutdown-on-sigint",
        Kind::Flags(&["default", "save", "nosave", "now", "force"]),
        "default",
    )
    .check(check_shutdown_flags),
    Param::new(
        "shutdown-on-sigterm",
        Kind::Flags(&["default", "save", "nosave", "now", "force"]),
        "default",
    )
    .check(check_shutdown_flags),
    Param::new("io-threads", Kind::Int(1, 128), "1").immutable(),
    Param::new("auto-aof-rewrite-percentage", Kind::Int(0, INT_MAX), "100"),
    Param::new(
        "cluster-replica-validity-factor",
        Kind::Int(0, INT_MAX),
        "10",
    )
    .aliases(&["cluster-slave-validity-factor"]),
    Param::new("list-max-listpack-size", Kind::Int(INT_MIN, INT_MAX), "-2")
        .aliases(&["list-max-ziplist-size"]),
    Param::new("cluster-migration-barrier", Kind::Int(0, INT_MAX), "1"),
    Param::new("active-defrag-cycle-min", Kind::Int(1, 99), "1"),
    Param::new("active-defrag-cycle-max", Kind::Int(1, 99), "25"),
    Param::new("active-defrag-threshold-lower", Kind::Int(0, 1000), "10"),
    Param::new("active-defrag-threshold-upper", Kind::Int(0, 1000), "100"),
    Param::new("lfu-log-factor", Kind::Int(0, INT_MAX), "10"),
    Param::new("lfu-decay-time", Kind::Int(0, INT_MAX), "1"),
    Param::new("replica-priority", Kind::Int(0, INT_MAX), "100").aliases(&["slave-priority"]),
    Param::new("repl-diskless-sync-delay", Kind::Int(0, INT_MAX), "5"),
    Param::new("maxmemory-samples", Kind::Int(1, INT_MAX), "5"),
    Param::new("maxmemory-eviction-tenacity", Kind::Int(0, 100), "10"),
    Param::new("replica-announce-port", Kind::Int(0, 65535), "0").aliases(&["slave-announce-port"]),
    Param::new("cluster-port", Kind::Int(0, 65535), "0").immutable(),
    Param::new("cluster-announce-bus-port", Kind::Int(0, 65535), "0"),
    Param::new("cluster-announce-port", Kind::Int(0, 65535), "0"),
    Param::new("cluster-announce-tls-port", Kind::Int(0, 65535), "0"),
    Param::new("repl-timeout", Kind::Int(1, INT_MAX), "60"),
    Param::new("repl-ping-replica-period", Kind::Int(1, INT_MAX), "10")
        .aliases(&["repl-ping-slave-period"]),
    Param::new("list-compress-depth", Kind::Int(0, INT_MAX), "0"),
    Param::new("rdb-key-save-delay", Kind::Int(INT_MIN, INT_MAX), "0").hidden(),
    Param::new("key-load-delay", Kind::Int(INT_MIN, INT_MAX), "0").hidden(),
    Param::new("active-expire-effort", Kind::Int(1, 10), "1"),
    Param::new("min-replicas-to-write", Kind::Int(0, INT_MAX), "0")
        .aliases(&["min-slaves-to-write"]),
    Param::new("min-replicas-max-lag", Kind::Int(0, INT_MAX), "10")
        .aliases(&["min-slaves-max-lag"]),
    Param::new("watchdog-period", Kind::Int(0, INT_MAX), "0").hidden(),
    Param::new("shutdown-timeout", Kind::Int(0, INT_MAX), "10"),
    Param::new(
        "repl-diskless-sync-max-replicas",
        Kind::Int(0, INT_MAX),
        "0",
    ),
    Param::new("socket-mark-id", Kind::Int(0, UINT_MAX), "0").immutable(),
    Param::new(
        "active-defrag-max-scan-fields",
        Kind::Int(1, i64::MAX),
        "1000",
    ),
    Param::new("acllog-max-len", Kind::Int(0, i64::MAX), "128"),
    Param::new("cluster-node-timeout", Kind::Int(0, i64::MAX), "15000"),
    Param::new("latency-monitor-threshold", Kind::Int(0, i64::MAX), "0"),
    Param::new(
        "proto-max-bulk-len",
        Kind::Memory(1048576, i64::MAX),
        "536870912",
    ),
    Param::new("stream-node-max-entries", Kind::Int(0, i64::MAX), "100"),
    Param::new("repl-backlog-size", Kind::Memory(1, i64::MAX), "1048576"),
    Param::new("cluster-link-sendbuf-limit", Kind::Memory(0, i64::MAX), "0"),
    Param::new("hash-max-listpack-entries", Kind::Int(0, i64::MAX), "512")
        .aliases(&["hash-max-ziplist-entries"]),
    Param::new("set-max-intset-entries", Kind::Int(0, i64::MAX), "512"),
    Param::new("zset-max-listpack-entries", Kind::Int(0, i64::MAX), "128")
        .aliases(&["zset-max-ziplist-entries"]),
    Param::new(
        "active-defrag-ignore-bytes",
        Kind::Memory(1, i64::MAX),
        "104857600",
    ),
    Param::new("hash-max-listpack-value", Kind::Memory(0, i64::MAX), "64")
        .aliases(&["hash-max-ziplist-value"]),
    Param::new("stream-node-max-bytes", Kind::Memory(0, i64::MAX), "4096"),
    Param::new("zset-max-listpack-value", Kind::Memory(0, i64::MAX), "64")
        .aliases(&["zset-max-ziplist-value"]),
    Param::new("hll-sparse-max-bytes", Kind::Memory(0, i64::MAX), "3000"),
    Param::new("tracking-table-max-keys", Kind::Int(0, i64::MAX), "1000000"),
    Param::new(
        "client-query-buffer-limit",
        Kind::Memory(1048576, i64::MAX),
        "1073741824",
    ),
    Param::new("maxmemory-clients", Kind::Percent(-100, i64::MAX), "0"),
    Param::new("repl-backlog-ttl", Kind::Int(0, i64::MAX), "3600"),
    Param::new(
        "auto-aof-rewrite-min-size",
        Kind::Memory(0, i64::MAX),
        "67108864",
    ),
    Param::new(
        "loading-process-events-interval-bytes",
        Kind::Int(1024, INT_MAX),
        "2097152",
    )
    .hidden(),
    Param::new("tls-session-cache-size", Kind::Int(0, INT_MAX), "20480").immutable(),
    Param::new("tls-session-cache-timeout", Kind::Int(0, INT_MAX), "300").immutable(),
    Param::new("tls-cluster", Kind::Bool, "no").immutable(),
    Param::new("tls-replication", Kind::Bool, "no").immutable(),
    Param::new("tls-prefer-server-ciphers", Kind::Bool, "no").immutable(),
    Param::new("tls-session-caching", Kind::Bool, "yes").immutable(),
    Param::new("tls-key-file-pass", Kind::Str, "").immutable(),
    Param::new("tls-client-cert-file", Kind::Str, "").immutable(),
    Param::new("tls-client-key-file", Kind::Str, "").immutable(),
    Param::new("tls-client-key-file-pass", Kind::Str, "").immutable(),
    Param::new("tls-dh-params-file", Kind::Str, "").immutable(),
    Param::new("tls-ca-cert-dir", Kind::Str, "").immutable(),
    Param::new("tls-protocols", Kind::Str, "").immutable(),
    Param::new("tls-ciphers", Kind::Str, "").immutable(),
    Param::new("tls-ciphersuites", Kind::Str, "").immutable(),
    // Redis's special parameters (several words, or a syntax of their own).
    Param::new("oom-score-adj-values", Kind::Str, "0 200 800").check(check_oom_score_adj_values),
    Param::new("latency-tracking-info-percentiles", Kind::Str, "50 99 99.9")
        .check(check_percentiles),
    Param::new("replicaof", Kind::Str, "")
        .aliases(&["slaveof"])
        .immutable()
        .check(check_replicaof),
];

/// Words of a several-word value as Redis splits them: on each single space, so
/// that two spaces make an empty word; "" is no words.
fn words(value: &str) -> Vec<&str> {
    if value.is_empty() {
        Vec::new()
    } else {
        value.split(' ').collect()
    }
}

/// C's strtoll over a whole word (an optional sign, digits, nothing after).
fn strtoll(word: &str) -> Option<i64> {
    let digits = word.strip_prefix(['+', '-']).unwrap_or(word);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    word.parse().ok()
}

/// `save`: pairs of seconds (at least 1) and changes (at least 0), shown as numbers.
fn check_save(value: &str) -> Result<String, String> {
    let words = words(value);
    let numbers: Option<Vec<i64>> = words.iter().map(|w| strtoll(w)).collect();
    match numbers {
        Some(n) if n.len() % 2 == 0 && n.chunks(2).all(|pair| pair[0] >= 1 && pair[1] >= 0) => {
            Ok(n.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" "))
        }
        _ => Err("Invalid save parameters".into()),
    }
}

/// `dir`: an existing directory (Redis changes its working directory to it; redlite
/// only keeps it, as where SAVE writes).
fn check_dir(value: &str) -> Result<String, String> {
    match std::fs::metadata(value) {
        Ok(m) if m.is_dir() => Ok(value.to_string()),
        Ok(_) => Err("Not a directory".into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err("No such file or directory".into())
        }
        Err(_) => Err("Permission denied".into()),
    }
}

fn is_base_name(value: &str) -> bool {
    !value.contains('/')
}

fn check_dbfilename(value: &str) -> Result<String, String> {
    if !is_base_name(value) {
        return Err("dbfilename can't be a path, just a filename".into());
    }
    Ok(value.to_string())
}

fn check_appendfilename(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err("appendfilename can't be empty".into());
    }
    if !is_base_name(value) {
        return Err("appendfilename can't be a path, just a filename".into());
    }
    Ok(value.to_string())
}

fn check_appenddirname(value: &str) -> Result<String, String> {
    if value.is_empty() {
        return Err("appenddirname can't be empty".into());
    }
    if !is_base_name(value) {
        return Err("appenddirname can't be a path, just a dirname".into());
    }
    Ok(value.to_string())
}

/// redlite has no defragmenter: Redis built without jemalloc's (as Debian's) answers so.
fn check_activedefrag(value: &str) -> Result<String, String> {
    if value == "yes" {
        return Err(
            "Active defragmentation cannot be enabled: it requires a Redis server \
                    compiled with a modified Jemalloc like the one shipped by default with \
                    the Redis source distribution"
                .into(),
        );
    }
    Ok(value.to_string())
}

fn check_hostname(value: &str) -> Result<String, String> {
    if value.len() >= 256 {
        return Err("Hostnames must be less than 256 characters".into());
    }
    if !value
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
    {
        return Err("Hostnames may only contain alphanumeric characters, hyphens or dots".into());
    }
    Ok(value.to_string())
}

/// Redis's template check: known {variables} only, `{{` and `}}` for braces, and
/// something left once expanded with an empty title.
fn check_proc_title_template(value: &str) -> Result<String, String> {
    const INVALID: &str = "template format is invalid or contains unknown variables";
    let mut expanded = String::new();
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            expanded.push('{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            expanded.push('}');
            rest = after;
        } else if c == '}' {
            return Err(INVALID.into());
        } else if c == '{' {
            let close = rest.find('}').ok_or(INVALID)?;
            match &rest[1..close] {
                "title" | "server-mode" => {}
                "listen-addr" | "config-file" | "port" | "tls-port" | "unixsocket" => {
                    expanded.push('x')
                }
                _ => return Err(INVALID.into()),
            }
            rest = &rest[close + 1..];
        } else {
            expanded.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    if expanded.trim_matches(' ').is_empty() {
        return Err(INVALID.into());
    }
    Ok(value.to_string())
}

fn check_shutdown_flags(value: &str) -> Result<String, String> {
    let flags = words(value);
    if flags.contains(&"save") && flags.contains(&"nosave") {
        return Err("shutdown options SAVE and NOSAVE can't be used simultaneously".into());
    }
    Ok(value.to_string())
}

/// `relative` is Redis's other name for `yes` (it shows `yes`).
fn relative_is_yes(value: &str) -> Result<String, String> {
    Ok(if value == "relative" { "yes" } else { value }.to_string())
}

fn check_oom_score_adj_values(value: &str) -> Result<String, String> {
    let words = words(value);
    if words.len() != 3 {
        return Err("wrong number of arguments".into());
    }
    let mut shown = Vec::new();
    for w in words {
        match strtoll(w) {
            Some(n) if (-2000..=2000).contains(&n) => shown.push(n.to_string()),
            _ => {
                return Err(
                    "Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into(),
                )
            }
        }
    }
    Ok(shown.join(" "))
}

/// Percentiles between 0 and 100, shown as `%f` with the trailing zeros trimmed.
fn check_percentiles(value: &str) -> Result<String, String> {
    let mut shown = Vec::new();
    for w in words(value) {
        let p = crate::command::args::parse_f64(w.as_bytes())
            .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
        if !(0.0..=100.0).contains(&p) {
            return Err(
                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
                    .into(),
            );
        }
        let text = format!("{:.6}", p);
        shown.push(text.trim_end_matches('0').trim_end_matches('.').to_string());
    }
    Ok(shown.join(" "))
}

/// `replicaof host port` or `no one` (set at start only; redlite has no replication
/// yet, so it is only reported).
fn check_replicaof(value: &str) -> Result<String, String> {
    let words = words(value);
    if words.len() != 2 {
        return Err("wrong number of arguments".into());
    }
    if words[0].eq_ignore_ascii_case("no") && words[1].eq_ignore_ascii_case("one") {
        return Ok(String::new());
    }
    match strtoll(words[1]) {
        Some(port) if (0..=65535).contains(&port) => Ok(format!("{} {}", words[0], port)),
        _ => Err("Invalid master port".into()),
    }
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
    let shown = normalize_kind(p.kind, value)?;
    match p.check {
        Some(check) => check(&shown),
        None => Ok(shown),
    }
}

fn normalize_kind(kind: Kind, value: &str) -> Result<String, String> {
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
    let one_of = |words: &[&str]| {
        format!(
            "argument(s) must be one of the following: {}",
            words.join(", ")
        )
    };
    match kind {
        Kind::Bool => match value.to_ascii_lowercase().as_str() {
            "yes" => Ok("yes".into()),
            "no" => Ok("no".into()),
            _ => Err("argument must be 'yes' or 'no'".into()),
        },
        Kind::Int(lo, hi) => {
            let n = crate::num::parse_i64(value.as_bytes())
                .ok_or_else(|| "argument couldn't be parsed into an integer".to_string())?;
            in_range(n, lo, hi)
        }
        Kind::Memory(lo, hi) => {
            let n =
                parse_memory(value).ok_or_else(|| "argument must be a memory value".to_string())?;
            in_range(n, lo, hi)
        }
        Kind::Percent(lo, hi) => {
            if let Some(n) = parse_memory(value) {
                return in_range(n, 0, hi);
            }
            let percent = value
                .strip_suffix('%')
                .filter(|digits| !digits.is_empty())
                .and_then(|digits| crate::command::args::parse_i64(digits.as_bytes()))
                .filter(|n| *n >= 0)
                .ok_or("argument must be a memory or percent value")?;
            if -percent < lo {
                return Err(format!(
                    "percentage argument must be less or equal to {}",
                    -lo
                ));
            }
            Ok(format!("{}%", percent))
        }
        Kind::Enum(words) => {
            let lower = value.to_ascii_lowercase();
            match words.iter().find(|w| **w == lower) {
                Some(w) => Ok(w.to_string()),
                None => Err(one_of(words)),
            }
        }
        Kind::Flags(names) => {
            let given = words(value);
            let mut set = vec![false; names.len()];
            for word in &given {
                let i = names
                    .iter()
                    .position(|n| n.eq_ignore_ascii_case(word))
                    .ok_or_else(|| one_of(names))?;
                set[i] = true;
            }
            if given.is_empty() {
                return Err(one_of(names));
            }
            let shown: Vec<&str> = names
                .iter()
                .zip(&set)
                .skip(1)
                .filter(|(_, on)| **on)
                .map(|(n, _)| *n)
                .collect();
            Ok(if shown.is_empty() {
                names[0].to_string()
            } else {
                shown.join(" ")
            })
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
            // Redis's aliases are entries of their own: a parameter and its alias in
            // one call are two settings, the later one winning.
            if !startup
                && params
                    .iter()
                    .any(|(j, n)| *j == i && n.eq_ignore_ascii_case(name))
            {
                return Err(failed("duplicate parameter"));
            }
            if PARAMS[i].immutable && !startup {
                return Err(failed("can't set immutable config"));
            }
            if PARAMS[i].protected && !startup && self.get("enable-protected-configs") != "yes" {
                return Err(failed("can't set protected config"));
            }
            // A refused value names the parameter in lower case, as Redis's table does.
            params.push((i, name.to_ascii_lowercase()));
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
            for (i, p) in PARAMS.iter().enumerate().filter(|(_, p)| !p.hidden) {
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
        assert!(split_args("x 'it''").is_none());
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
