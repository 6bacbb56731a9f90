//! Operating the server: log lines with levels (`loglevel`, `logfile`), each
//! connection's entry in the engine's client registry (CLIENT KILL closes its
//! socket, MONITOR pushes lines to it), the stop request of SHUTDOWN, and the
//! Prometheus `/metrics` and `/health` endpoints on `metrics-port`.

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use redlite_core::clients::Peer as ClientPeer;
use redlite_core::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::Notify;

use crate::transport::{Peer, Stream};

/// Log levels, as Redis's `loglevel` names them (and marks them in its lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Level {
    Debug,
    Verbose,
    Notice,
    Warning,
}

impl Level {
    fn mark(self) -> char {
        match self {
            Level::Debug => '.',
            Level::Verbose => '-',
            Level::Notice => '*',
            Level::Warning => '#',
        }
    }

    fn configured(db: &Db) -> Level {
        match db.config().get("loglevel").as_str() {
            "debug" => Level::Debug,
            "verbose" => Level::Verbose,
            "warning" => Level::Warning,
            _ => Level::Notice,
        }
    }
}

/// Write one log line in Redis's format (`pid:M 23 Nov 2026 21:35:20.123 * text`)
/// to `logfile` (stderr when empty), if `loglevel` lets it through.
pub(crate) fn log(db: &Db, enabled: bool, level: Level, text: &str) {
    if !enabled || level < Level::configured(db) {
        return;
    }
    let line = format!(
        "{}:M {} {} {}\n",
        std::process::id(),
        timestamp(),
        level.mark(),
        text
    );
    let file = db.config().get("logfile");
    if file.is_empty() {
        let _ = std::io::stderr().write_all(line.as_bytes());
    } else if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&file)
    {
        let _ = f.write_all(line.as_bytes());
    }
}

/// "23 Nov 2026 21:35:20.123", UTC.
fn timestamp() -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let ms = redlite_core::db::now_ms();
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{} {} {} {:02}:{:02}:{:02}.{:03}",
        day,
        MONTHS[(month - 1) as usize],
        year,
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// What a connection listens to besides its socket: CLIENT KILL. (MONITOR's lines
/// come through the session's outbox, as pub/sub messages do.)
pub(crate) struct Attached {
    pub(crate) kill: Arc<Notify>,
}

/// Tell the engine's registry where the session's client is connected from, and
/// give it the hook that closes it.
pub(crate) fn attach(db: &Db, id: u64, stream: &Stream, peer: &Peer) -> Attached {
    let (laddr, fd) = local(stream);
    let kill = Arc::new(Notify::new());
    let on_kill = kill.clone();
    db.ops().clients.attach(
        id,
        ClientPeer {
            addr: peer.to_string(),
            laddr,
            fd,
        },
        Box::new(move || on_kill.notify_one()),
    );
    Attached { kill }
}

/// The local address and file descriptor of a client's socket.
fn local(stream: &Stream) -> (String, i64) {
    #[cfg(unix)]
    use std::os::fd::AsRawFd;
    match stream {
        Stream::Tcp(s) => (
            s.local_addr().map(|a| a.to_string()).unwrap_or_default(),
            fd_of(s),
        ),
        #[cfg(unix)]
        Stream::Unix(s) => (
            s.local_addr()
                .ok()
                .and_then(|a| a.as_pathname().map(|p| format!("{}:0", p.display())))
                .unwrap_or_default(),
            s.as_raw_fd() as i64,
        ),
        Stream::Tls(s) => {
            let tcp = s.get_ref().0;
            (
                tcp.local_addr().map(|a| a.to_string()).unwrap_or_default(),
                fd_of(tcp),
            )
        }
    }
}

#[cfg(unix)]
fn fd_of(s: &tokio::net::TcpStream) -> i64 {
    use std::os::fd::AsRawFd;
    s.as_raw_fd() as i64
}

#[cfg(not(unix))]
fn fd_of(_s: &tokio::net::TcpStream) -> i64 {
    -1
}

/// Serve `/metrics` (Prometheus text format) and `/health` on `listener` until the
/// task is dropped with the runtime.
pub(crate) async fn serve_metrics(listener: TcpListener, db: Db) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let db = db.clone();
        tokio::spawn(async move {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 1024];
            while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 8192 {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let line = String::from_utf8_lossy(&buf);
            let mut words = line.split_whitespace();
            let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            let path = path.split('?').next().unwrap_or("");
            let (status, ctype, body) = match (method, path) {
                ("GET", "/metrics") => {
                    let db2 = db.clone();
                    match tokio::task::spawn_blocking(move || metrics(&db2)).await {
                        Ok(Ok(text)) => ("200 OK", "text/plain; version=0.0.4", text),
                        _ => (
                            "500 Internal Server Error",
                            "text/plain",
                            "error\n".to_string(),
                        ),
                    }
                }
                ("GET", "/health") => {
                    let db2 = db.clone();
                    let ok = tokio::task::spawn_blocking(move || {
                        db2.read(|c| Ok(c.query_row("SELECT 1", [], |_| Ok(()))?))
                            .is_ok()
                    })
                    .await
                    .unwrap_or(false);
                    if ok {
                        ("200 OK", "text/plain", "ok\n".to_string())
                    } else {
                        (
                            "503 Service Unavailable",
                            "text/plain",
                            "unavailable\n".to_string(),
                        )
                    }
                }
                ("GET", _) => ("404 Not Found", "text/plain", "not found\n".to_string()),
                _ => (
                    "405 Method Not Allowed",
                    "text/plain",
                    "method not allowed\n".to_string(),
                ),
            };
            let head = format!(
                "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                status,
                ctype,
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
            let _ = stream.shutdown().await;
        });
    }
}

/// The metrics, in Prometheus's text exposition format.
fn metrics(db: &Db) -> redlite_core::Result<String> {
    let s = db.stats();
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, samples: &[(String, String)]| {
        out.push_str(&format!(
            "# HELP {} {}\n# TYPE {} {}\n",
            name, help, name, kind
        ));
        for (labels, v) in samples {
            out.push_str(&format!("{}{} {}\n", name, labels, v));
        }
    };
    let one = |v: String| vec![(String::new(), v)];
    let total = s.total_commands_processed.load(Ordering::Relaxed);
    metric(
        "redlite_commands_processed_total",
        "counter",
        "Commands run.",
        &one(total.to_string()),
    );
    metric(
        "redlite_connections_received_total",
        "counter",
        "Client connections accepted.",
        &one(s
            .total_connections_received
            .load(Ordering::Relaxed)
            .to_string()),
    );
    metric(
        "redlite_rejected_connections_total",
        "counter",
        "Connections refused (maxclients).",
        &one(s.rejected_connections.load(Ordering::Relaxed).to_string()),
    );
    metric(
        "redlite_keyspace_hits_total",
        "counter",
        "Key look-ups that found the key.",
        &one(s.keyspace_hits.load(Ordering::Relaxed).to_string()),
    );
    metric(
        "redlite_keyspace_misses_total",
        "counter",
        "Key look-ups that did not.",
        &one(s.keyspace_misses.load(Ordering::Relaxed).to_string()),
    );
    metric(
        "redlite_expired_keys_total",
        "counter",
        "Keys removed on expiry.",
        &one(s.expired_keys.load(Ordering::Relaxed).to_string()),
    );
    metric(
        "redlite_connected_clients",
        "gauge",
        "Clients connected now.",
        &one(s.connected_clients.load(Ordering::Relaxed).to_string()),
    );
    metric(
        "redlite_blocked_clients",
        "gauge",
        "Clients waiting in a blocking command.",
        &one(s.blocked_clients.load(Ordering::Relaxed).to_string()),
    );
    metric(
        "redlite_instantaneous_ops_per_sec",
        "gauge",
        "Commands per second, sampled over the last 1.6 s.",
        &one(db.ops().ops_per_sec(total).to_string()),
    );
    metric(
        "redlite_uptime_seconds",
        "gauge",
        "Seconds since the server started.",
        &one(db.uptime().as_secs().to_string()),
    );
    let size = db
        .path()
        .and_then(|p| std::fs::metadata(p).ok())
        .map_or(0, |m| m.len());
    metric(
        "redlite_db_file_size_bytes",
        "gauge",
        "Size of the database file.",
        &one(size.to_string()),
    );
    let now = redlite_core::db::now_ms();
    let census = db.read(|c| redlite_core::keyspace::census(c, now))?;
    let keys: Vec<(String, String)> = census
        .iter()
        .map(|(d, k, _)| (format!("{{db=\"{}\"}}", d), k.to_string()))
        .collect();
    let expires: Vec<(String, String)> = census
        .iter()
        .map(|(d, _, e)| (format!("{{db=\"{}\"}}", d), e.to_string()))
        .collect();
    metric("redlite_keys", "gauge", "Keys per database.", &keys);
    metric(
        "redlite_expiring_keys",
        "gauge",
        "Keys with a time to live, per database.",
        &expires,
    );
    Ok(out)
}
