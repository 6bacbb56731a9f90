//! The INFO report: Redis's sections and field names, with redlite's real figures.
//!
//! Clients parse INFO (redis-py's `info()`, monitoring agents, libraries that check
//! `redis_version` or `role`), so the layout is Redis's: "# Section\r\n", then
//! "field:value\r\n" lines, sections separated by an empty line, in Redis's order
//! whatever order they were asked in. Figures redlite does not have (replication,
//! forks, ...) are given as a Redis without them would give them; figures it has are
//! real: the process, its memory (from /proc on Linux), the database file, the
//! command counters of `Stats`, and the keyspace.

use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use rusqlite::Connection;

use crate::db::{now_us, Db};
use crate::error::Result;
use crate::keyspace;

/// The Redis version redlite answers as, for clients that check it.
pub const REDIS_VERSION: &str = "7.0.15";

static TCP_PORT: AtomicU32 = AtomicU32::new(0);

/// Record the port the RESP server listens on (INFO's `tcp_port`; 0 when embedded).
pub fn set_tcp_port(port: u16) {
    TCP_PORT.store(port as u32, Ordering::Relaxed);
}

/// INFO's sections in Redis's order, and whether the default set has them.
const SECTIONS: &[(&str, bool)] = &[
    ("server", true),
    ("clients", true),
    ("memory", true),
    ("persistence", true),
    ("stats", true),
    ("replication", true),
    ("cpu", true),
    ("modules", true),
    ("cluster", true),
    ("keyspace", true),
];

/// Which sections the arguments ask for: none means "default"; "all" is every section
/// but modules; "everything" is every section. Unknown names ask for nothing.
fn wanted(args: &[&[u8]]) -> Vec<&'static str> {
    if args.is_empty() {
        return SECTIONS.iter().filter(|s| s.1).map(|s| s.0).collect();
    }
    let asked: Vec<String> = args
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_ascii_lowercase())
        .collect();
    let has = |w: &str| asked.iter().any(|a| a == w);
    SECTIONS
        .iter()
        .filter(|(name, default)| {
            has(name)
                || has("everything")
                || (has("all") && *name != "modules")
                || (has("default") && *default)
        })
        .map(|s| s.0)
        .collect()
}

/// The INFO text for the sections `args` name.
pub fn render(db: &Db, conn: &Connection, now_ms: i64, args: &[&[u8]]) -> Result<String> {
    let mut out = String::new();
    for (n, section) in wanted(args).into_iter().enumerate() {
        if n > 0 {
            out.push_str("\r\n");
        }
        let (title, fields) = match section {
            "server" => ("Server", server(db)),
            "clients" => ("Clients", clients(db)),
            "memory" => ("Memory", memory()),
            "persistence" => ("Persistence", persistence(db)),
            "stats" => ("Stats", stats(db)),
            "replication" => ("Replication", replication()),
            "cpu" => ("CPU", cpu()),
            "modules" => ("Modules", modules()),
            "cluster" => ("Cluster", vec![("cluster_enabled", "0".into())]),
            _ => ("Keyspace", keyspace_section(conn, now_ms)?),
        };
        out.push_str("# ");
        out.push_str(title);
        out.push_str("\r\n");
        for (k, v) in fields {
            out.push_str(k);
            out.push(':');
            out.push_str(&v);
            out.push_str("\r\n");
        }
    }
    Ok(out)
}

type Fields = Vec<(&'static str, String)>;

/// 40 hex digits, fixed for the life of the process (Redis's run_id).
fn run_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let mut id = String::new();
        for i in 0..3u64 {
            // Each RandomState has fresh random keys.
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u64(i);
            h.write_u64(now_us() as u64);
            h.write_u32(std::process::id());
            id.push_str(&format!("{:016x}", h.finish()));
        }
        id.truncate(40);
        id
    })
}

fn read_proc(path: &str) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn os_name() -> String {
    let kernel =
        read_proc("/proc/sys/kernel/ostype").unwrap_or_else(|| std::env::consts::OS.into());
    let release = read_proc("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!(
        "{} {} {}",
        kernel.trim(),
        release.trim(),
        std::env::consts::ARCH
    )
}

fn server(db: &Db) -> Fields {
    let uptime = db.uptime().as_secs();
    vec![
        ("redis_version", REDIS_VERSION.into()),
        ("redlite_version", env!("CARGO_PKG_VERSION").into()),
        ("redis_git_sha1", "00000000".into()),
        ("redis_git_dirty", "0".into()),
        ("redis_build_id", "0".into()),
        ("redis_mode", "standalone".into()),
        ("os", os_name()),
        ("arch_bits", (usize::BITS).to_string()),
        ("process_id", std::process::id().to_string()),
        ("process_supervised", "no".into()),
        ("run_id", run_id().into()),
        ("tcp_port", TCP_PORT.load(Ordering::Relaxed).to_string()),
        ("server_time_usec", now_us().to_string()),
        ("uptime_in_seconds", uptime.to_string()),
        ("uptime_in_days", (uptime / 86400).to_string()),
        ("hz", "10".into()),
        ("configured_hz", "10".into()),
        (
            "executable",
            std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
        (
            "config_file",
            db.config()
                .file()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        ),
        ("io_threads_active", "0".into()),
    ]
}

fn clients(db: &Db) -> Fields {
    let s = db.stats();
    vec![
        (
            "connected_clients",
            s.connected_clients.load(Ordering::Relaxed).to_string(),
        ),
        ("cluster_connections", "0".into()),
        ("maxclients", db.config().get("maxclients")),
        ("client_recent_max_input_buffer", "0".into()),
        ("client_recent_max_output_buffer", "0".into()),
        (
            "blocked_clients",
            s.blocked_clients.load(Ordering::Relaxed).to_string(),
        ),
        ("tracking_clients", "0".into()),
        ("clients_in_timeout_table", "0".into()),
    ]
}

/// A "Name:   123 kB" line of /proc/self/status or /proc/meminfo, in bytes.
fn proc_kb(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map(|kb| kb * 1024)
        .unwrap_or(0)
}

/// Redis's `bytesToHuman`.
pub fn bytes_to_human(n: u64) -> String {
    const UNITS: [(&str, f64); 5] = [
        ("K", 1024.0),
        ("M", 1024.0 * 1024.0),
        ("G", 1024.0 * 1024.0 * 1024.0),
        ("T", 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("P", 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0),
    ];
    if n < 1024 {
        return format!("{}B", n);
    }
    let d = n as f64;
    for (i, (unit, size)) in UNITS.iter().enumerate() {
        if i == UNITS.len() - 1 || d < size * 1024.0 {
            return format!("{:.2}{}", d / size, unit);
        }
    }
    format!("{}B", n)
}

/// Memory from /proc/self/status: used_memory is the process's resident anonymous
/// memory (heap, SQLite's page cache), used_memory_rss all of its resident memory.
fn memory() -> Fields {
    let status = read_proc("/proc/self/status").unwrap_or_default();
    let meminfo = read_proc("/proc/meminfo").unwrap_or_default();
    let rss = proc_kb(&status, "VmRSS");
    let used = match proc_kb(&status, "RssAnon") {
        0 => rss,
        n => n,
    };
    let peak = proc_kb(&status, "VmHWM").max(rss);
    let total = proc_kb(&meminfo, "MemTotal");
    vec![
        ("used_memory", used.to_string()),
        ("used_memory_human", bytes_to_human(used)),
        ("used_memory_rss", rss.to_string()),
        ("used_memory_rss_human", bytes_to_human(rss)),
        ("used_memory_peak", peak.to_string()),
        ("used_memory_peak_human", bytes_to_human(peak)),
        ("total_system_memory", total.to_string()),
        ("total_system_memory_human", bytes_to_human(total)),
        ("maxmemory", "0".into()),
        ("maxmemory_human", "0B".into()),
        ("maxmemory_policy", "noeviction".into()),
        ("mem_allocator", "libc".into()),
    ]
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Every commit is durable in the SQLite file: nothing is ever "unsaved", no fork.
fn persistence(db: &Db) -> Fields {
    let (file, size, wal) = match db.path() {
        Some(p) => {
            let mut wal = p.as_os_str().to_owned();
            wal.push("-wal");
            (
                p.display().to_string(),
                file_size(p),
                file_size(Path::new(&wal)),
            )
        }
        None => (":memory:".into(), 0, 0),
    };
    vec![
        ("loading", "0".into()),
        ("async_loading", "0".into()),
        ("rdb_changes_since_last_save", "0".into()),
        ("rdb_bgsave_in_progress", "0".into()),
        (
            "rdb_last_save_time",
            (db.inner.started_unix_ms / 1000).to_string(),
        ),
        ("rdb_last_bgsave_status", "ok".into()),
        ("aof_enabled", "0".into()),
        ("aof_rewrite_in_progress", "0".into()),
        ("aof_last_write_status", "ok".into()),
        ("redlite_db_file", file),
        ("redlite_db_file_size", size.to_string()),
        ("redlite_wal_file_size", wal.to_string()),
    ]
}

fn stats(db: &Db) -> Fields {
    let s = db.stats();
    let n = |a: &std::sync::atomic::AtomicU64| a.load(Ordering::Relaxed).to_string();
    vec![
        (
            "total_connections_received",
            n(&s.total_connections_received),
        ),
        ("total_commands_processed", n(&s.total_commands_processed)),
        (
            "instantaneous_ops_per_sec",
            db.ops()
                .ops_per_sec(s.total_commands_processed.load(Ordering::Relaxed))
                .to_string(),
        ),
        ("total_net_input_bytes", n(&s.total_net_input_bytes)),
        ("total_net_output_bytes", n(&s.total_net_output_bytes)),
        ("rejected_connections", n(&s.rejected_connections)),
        ("expired_keys", n(&s.expired_keys)),
        ("evicted_keys", "0".into()),
        ("keyspace_hits", n(&s.keyspace_hits)),
        ("keyspace_misses", n(&s.keyspace_misses)),
        ("pubsub_channels", "0".into()),
        ("pubsub_patterns", "0".into()),
        ("latest_fork_usec", "0".into()),
        ("total_forks", "0".into()),
    ]
}

fn replication() -> Fields {
    vec![
        ("role", "master".into()),
        ("connected_slaves", "0".into()),
        ("master_failover_state", "no-failover".into()),
        ("master_replid", run_id().into()),
        ("master_replid2", "0".repeat(40)),
        ("master_repl_offset", "0".into()),
        ("second_repl_offset", "-1".into()),
        ("repl_backlog_active", "0".into()),
        ("repl_backlog_size", "1048576".into()),
        ("repl_backlog_first_byte_offset", "0".into()),
        ("repl_backlog_histlen", "0".into()),
    ]
}

/// CPU time from /proc/self/stat (in clock ticks of 1/100 s, Linux's USER_HZ).
fn cpu() -> Fields {
    let stat = read_proc("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<u64> = rest
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // utime, stime, cutime, cstime are fields 14..17 of the line: 11..14 after ')'.
    let secs = |i: usize| {
        let t = f.get(i).copied().unwrap_or(0);
        format!("{}.{:06}", t / 100, (t % 100) * 10_000)
    };
    vec![
        ("used_cpu_sys", secs(12)),
        ("used_cpu_user", secs(11)),
        ("used_cpu_sys_children", secs(14)),
        ("used_cpu_user_children", secs(13)),
    ]
}

fn keyspace_section(conn: &Connection, now_ms: i64) -> Result<Fields> {
    const NAMES: [&str; 16] = [
        "db0", "db1", "db2", "db3", "db4", "db5", "db6", "db7", "db8", "db9", "db10", "db11",
        "db12", "db13", "db14", "db15",
    ];
    Ok(keyspace::census(conn, now_ms)?
        .into_iter()
        .filter_map(|(db, keys, expires)| {
            let name = NAMES.get(db as usize)?;
            Some((
                *name,
                format!("keys={},expires={},avg_ttl=0", keys, expires),
            ))
        })
        .collect())
}

/// One line per extension that stands in for a Redis module (ext/mod.rs), as
/// Redis 7.0 writes them.
fn modules() -> Vec<(&'static str, String)> {
    crate::ext::modules()
        .map(|m| {
            (
                "module",
                format!(
                    "name={},ver={},api=1,filters=0,usedby=[],using=[],options=[]",
                    m.name, m.version
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_sizes_as_redis() {
        assert_eq!(bytes_to_human(1000), "1000B");
        assert_eq!(bytes_to_human(1830544), "1.75M");
        assert_eq!(bytes_to_human(7667712), "7.31M");
        assert_eq!(bytes_to_human(25276063744), "23.54G");
        assert_eq!(bytes_to_human(32768), "32.00K");
    }

    #[test]
    fn section_selection() {
        assert_eq!(
            wanted(&[b"KEYSPACE", b"server"]),
            vec!["server", "keyspace"]
        );
        assert!(wanted(&[b"nosuch"]).is_empty());
        assert!(!wanted(&[b"all"]).contains(&"modules"));
        assert!(wanted(&[b"everything"]).contains(&"modules"));
        assert_eq!(wanted(&[]).len(), SECTIONS.len());
    }
}
