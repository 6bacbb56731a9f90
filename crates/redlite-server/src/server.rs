//! The server: configuration, the accept loop, start and graceful stop.
//!
//! `run` serves in the foreground until SIGINT or SIGTERM; `spawn` serves on a
//! background thread and returns a `ServerHandle` once the port is listening. Both
//! stop the same way: stop accepting, let every connection finish the commands it
//! has started and send their replies, close, then checkpoint the WAL so the
//! database is one file again.

use std::future::Future;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use redlite_core::{Db, Durability, Options, Session};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpSocket};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot};

use crate::connection::Connection;
use crate::ops::{self, Level};
use crate::shutdown::{self, Shutdown};
use crate::transport::{Accepted, Listeners, TlsConfig};

/// At most this many batches run on SQLite at once (the blocking pool's size). The
/// engine has one writer and keeps 8 idle readers: more threads than that only queue
/// on its locks, or open and close extra reader connections. Measured with
/// redis-benchmark (50 clients, 2 cores): 4 and 8 are alike, 16 loses ~15% on GET,
/// 64 loses ~40%.
pub const MAX_BLOCKING_THREADS: usize = 8;

/// Redis's listen backlog (`tcp-backlog`).
const BACKLOG: u32 = 511;

/// Redis's `tcp-keepalive`: probe idle peers so dead ones are noticed.
const KEEPALIVE: Duration = Duration::from_secs(300);

/// On stop, how long connections get to finish their commands and send the replies
/// before they are dropped.
const GRACE: Duration = Duration::from_secs(5);

/// How the server is started. `Config::default()` is `redlite-server` without flags.
#[derive(Debug, Clone)]
pub struct Config {
    /// The database file (created if missing).
    pub db_path: PathBuf,
    /// The address to listen on: an IP address or a host name.
    pub bind: String,
    /// The TCP port; 0 picks a free one (see `ServerHandle::port`).
    pub port: u16,
    pub durability: Durability,
    /// Redis's `maxclients`: further connections get
    /// `-ERR max number of clients reached` and are closed.
    pub max_clients: usize,
    /// Write log lines (start, stop, refused clients) to stderr.
    pub log: bool,
    /// Redis's `unixsocket`: also listen on a Unix socket at this path.
    pub unixsocket: Option<PathBuf>,
    /// Redis's `unixsocketperm`: the socket file's permissions (e.g. 0o700).
    pub unixsocketperm: Option<u32>,
    /// Redis's `tls-port`: also listen for TLS clients on this port (0 picks a free
    /// one, see `ServerHandle::tls_port`); `tls` then says with which certificate.
    pub tls_port: Option<u16>,
    pub tls: TlsConfig,
    /// The config file the server was started with (CONFIG REWRITE rewrites it).
    pub config_file: Option<PathBuf>,
    /// Every other parameter of the engine's table (`redlite_core::config::PARAMS`)
    /// set by the config file or the command line: (name, value), applied in order.
    pub params: Vec<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            db_path: PathBuf::from("redlite.db"),
            bind: "127.0.0.1".to_string(),
            port: 6379,
            durability: Durability::Normal,
            max_clients: 10_000,
            log: true,
            unixsocket: None,
            unixsocketperm: None,
            tls_port: None,
            tls: TlsConfig::default(),
            config_file: None,
            params: Vec::new(),
        }
    }
}

impl Config {
    /// The defaults, on the given database file.
    pub fn new(db_path: impl Into<PathBuf>) -> Config {
        Config {
            db_path: db_path.into(),
            ..Config::default()
        }
    }
}

/// What every connection of one server shares.
pub(crate) struct Shared {
    pub(crate) db: Db,
    log: bool,
    clients: AtomicUsize,
    trim: Arc<Trim>,
    /// Notified by SHUTDOWN: the server stops as on SIGTERM.
    pub(crate) stop: Arc<tokio::sync::Notify>,
    /// Where batches of writes, and of reads, run (lanes.rs).
    pub(crate) writer: crate::lanes::Lane,
    pub(crate) readers: crate::lanes::Lane,
}

impl Shared {
    /// A log line at level notice.
    pub(crate) fn log(&self, line: &str) {
        self.log_at(Level::Notice, line);
    }

    pub(crate) fn log_at(&self, level: Level, line: &str) {
        ops::log(&self.db, self.log, level, line);
    }

    /// A connection closed, having held `bytes` of buffers (besides its task, session
    /// and registry entry). Once a megabyte or more has been freed, the allocator is
    /// asked to return its free memory to the system, a moment later so that one
    /// request covers a wave of closes: glibc's malloc keeps freed memory in its
    /// arenas, so the RSS of ten thousand closed clients, or of a subscriber closed
    /// for its output buffer limit, would otherwise never come down.
    pub(crate) fn released(&self, bytes: usize) {
        /// What an idle connection costs beside its buffers (bench/connections.py).
        const CONNECTION: usize = 3 * 1024;
        const ENOUGH: usize = 1 << 20;
        let trim = &self.trim;
        let freed =
            trim.freed.fetch_add(bytes + CONNECTION, Ordering::Relaxed) + bytes + CONNECTION;
        if freed < ENOUGH || trim.pending.swap(true, Ordering::AcqRel) {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            trim.pending.store(false, Ordering::Release);
            return;
        };
        let trim = trim.clone();
        runtime.spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            trim.freed.store(0, Ordering::Relaxed);
            let _ = tokio::task::spawn_blocking(return_free_memory).await;
            trim.pending.store(false, Ordering::Release);
        });
    }
}

/// Freed memory not yet returned to the system (`Shared::released`).
#[derive(Default)]
struct Trim {
    freed: AtomicUsize,
    pending: std::sync::atomic::AtomicBool,
}

/// Hand the allocator's free memory back to the system (glibc's `malloc_trim`).
fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free pages of the allocator's own arenas.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Serve in the foreground until SIGINT or SIGTERM, then stop gracefully and
/// checkpoint the database. Installs tokio's handlers for those two signals (for the
/// rest of the process: they are never uninstalled).
///
/// It blocks the calling thread, so it must not be called from inside an async
/// runtime (that is an error, not a panic): use `spawn` there.
pub fn run(mut config: Config) -> io::Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(io::Error::other(
            "redlite_server::run blocks: call spawn from inside an async runtime",
        ));
    }
    let db = open_db(&config)?;
    apply_params(&config, &db)?;
    fit_maxclients(&mut config, &db)?;
    let rt = runtime()?;
    let started = {
        let _inside = rt.enter();
        listen(&config).and_then(|listener| Ok((listener, Signals::install()?)))
    };
    let (listener, signals) = match started {
        Ok(started) => started,
        Err(e) => {
            rt.shutdown_background();
            return Err(e);
        }
    };
    let port = listener
        .tcp_addrs()
        .iter()
        .find(|(_, tls)| !tls)
        .map_or(config.port, |(a, _)| a.port());
    let tls_port = listener
        .tcp_addrs()
        .iter()
        .find(|(_, tls)| *tls)
        .map(|(a, _)| a.port());
    let shared = shared(&config, db.clone(), port, tls_port, rt.handle())?;
    for (addr, tls) in listener.tcp_addrs() {
        shared.log(&format!(
            "redlite-server listening on {}{}, database {}",
            addr,
            if tls { " (TLS)" } else { "" },
            config.db_path.display()
        ));
    }
    if let Some(path) = &config.unixsocket {
        shared.log(&format!(
            "redlite-server listening on unix socket {}",
            path.display()
        ));
    }
    rt.block_on(serve(listener, shared.clone(), signals.recv()));
    db.ops().clients.set_maxclients_check(None);
    if !stop_script(&db) {
        // A script that wrote is still running and holds the writer: stopping it
        // would keep what it wrote, waiting could be forever. Exit as a crash
        // would: its transaction was never committed, so SQLite rolls it back.
        shared.log_at(
            Level::Warning,
            "redlite-server stopping with a script running that wrote: its transaction is rolled back",
        );
        std::process::exit(0);
    }
    shared.log("redlite-server shutting down: connections closed, checkpointing the database");
    rt.shutdown_timeout(GRACE);
    checkpoint(&db)?;
    shared.log("redlite-server stopped");
    Ok(())
}

/// Start serving on a background thread; returns once the port is listening.
/// The server stops when the handle's `stop` is called or the handle is dropped.
pub fn spawn(config: Config) -> io::Result<ServerHandle> {
    let db = open_db(&config)?;
    spawn_with_db(config, db)
}

/// As `spawn`, but serving a database the caller has already opened (for instance
/// the one an embedded client uses, so both share its writer). `config.db_path` and
/// `config.durability` are then only used in log lines. The database is
/// checkpointed on stop.
pub fn spawn_with_db(mut config: Config, db: Db) -> io::Result<ServerHandle> {
    apply_params(&config, &db)?;
    fit_maxclients(&mut config, &db)?;
    let rt = runtime()?;
    // `enter`, not `block_on`: the caller may itself be inside an async runtime.
    let bound = {
        let _inside = rt.enter();
        listen(&config).and_then(|listeners| {
            let addrs = listeners.tcp_addrs();
            let plain = addrs.iter().find(|(_, tls)| !tls).map(|(a, _)| *a);
            let tls = addrs.iter().find(|(_, tls)| *tls).map(|(a, _)| *a);
            Ok((
                plain
                    .or(tls)
                    .ok_or_else(|| io::Error::other("no TCP listener"))?,
                tls,
                listeners,
            ))
        })
    };
    let (addr, tls_addr, listener) = match bound {
        Ok(bound) => bound,
        Err(e) => {
            // Dropping a runtime blocks, which panics inside another runtime.
            rt.shutdown_background();
            return Err(e);
        }
    };
    let shared = match shared(
        &config,
        db.clone(),
        addr.port(),
        tls_addr.map(|a| a.port()),
        rt.handle(),
    ) {
        Ok(shared) => shared,
        Err(e) => {
            rt.shutdown_background();
            return Err(e);
        }
    };
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("redlite-server".into())
        .spawn(move || {
            rt.block_on(serve(listener, shared, async {
                // Stop on `stop()`, and also when the handle is dropped (the sender with it).
                let _ = stop_rx.await;
            }));
            db.ops().clients.set_maxclients_check(None);
            if !stop_script(&db) {
                // The script's thread keeps the writer: no checkpoint is possible,
                // and its uncommitted transaction is rolled back on the next open.
                rt.shutdown_background();
                return Err(io::Error::other(
                    "stopped with a script running that wrote: its transaction is not committed",
                ));
            }
            rt.shutdown_timeout(GRACE);
            checkpoint(&db)
        })?;
    Ok(ServerHandle {
        addr,
        tls_addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}

/// A server started by `spawn`. Dropping it stops the server (and waits for it).
#[derive(Debug)]
pub struct ServerHandle {
    addr: SocketAddr,
    tls_addr: Option<SocketAddr>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<io::Result<()>>>,
}

impl ServerHandle {
    /// The port the server listens on (the one picked, if the config asked for 0).
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The TLS port (the one picked, if the config asked for 0), if TLS is on.
    pub fn tls_port(&self) -> Option<u16> {
        self.tls_addr.map(|a| a.port())
    }

    /// Stop gracefully: stop accepting, finish the commands in flight and send their
    /// replies, close every connection, checkpoint the database. Waits for all of it
    /// (blocking the calling thread, a few seconds at most).
    pub fn stop(mut self) -> io::Result<()> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("redlite-server thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

fn open_db(config: &Config) -> io::Result<Db> {
    let opts = Options {
        durability: config.durability,
        ..Options::default()
    };
    Db::open_with(&config.db_path, opts).map_err(|e| {
        let why = match e {
            redlite_core::Error::Sqlite(e) => e.to_string(),
            redlite_core::Error::Io(e) => e.to_string(),
            other => other.to_string(),
        };
        io::Error::other(format!(
            "cannot open database {}: {}",
            config.db_path.display(),
            why
        ))
    })
}

/// Before stopping: kill the running script, if any, and wait (a second at most) for
/// it to end, as the checkpoint needs the writer connection it holds. False if a
/// script is still running: one that wrote (UNKILLABLE), or one that did not end.
fn stop_script(db: &Db) -> bool {
    let scripting = db.scripting();
    if !scripting.stop_for_shutdown() {
        return false;
    }
    // serve() has already given it GRACE: a killed script ends within a hook.
    let deadline = std::time::Instant::now() + Duration::from_secs(1);
    while scripting.is_running() {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}

fn checkpoint(db: &Db) -> io::Result<()> {
    db.checkpoint()
        .map_err(|e| io::Error::other(format!("checkpoint on shutdown failed: {}", e)))
}

fn runtime() -> io::Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("redlite-server")
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build()
}

fn shared(
    config: &Config,
    db: Db,
    port: u16,
    tls_port: Option<u16>,
    runtime: &tokio::runtime::Handle,
) -> io::Result<Arc<Shared>> {
    record_config(config, &db, port, tls_port);
    let log = config.log;
    let stop = Arc::new(tokio::sync::Notify::new());
    db.ops()
        .clients
        .set_maxclients_check(Some(Box::new(move |db, maxclients| {
            match crate::fds::adjust_open_files_limit(db, log, maxclients) {
                Ok(fits) if fits >= maxclients => Ok(()),
                Ok(fits) => Err(fits),
                Err(_) => Err(0),
            }
        })));
    let on_shutdown = stop.clone();
    db.ops().set_shutdown_hook(Some(Box::new(move |_req| {
        on_shutdown.notify_one();
        Ok(())
    })));
    use crate::lanes::{Lane, READERS, READER_JOBS, WRITER_JOBS};
    let writer = Lane::start(&db, runtime, "redlite-writer", 1, WRITER_JOBS)?;
    let readers = Lane::start(&db, runtime, "redlite-reader", READERS, READER_JOBS)?;
    Ok(Arc::new(Shared {
        db,
        log: config.log,
        clients: AtomicUsize::new(0),
        trim: Arc::default(),
        stop,
        writer,
        readers,
    }))
}

/// The parameters of the config file and the command line (`config.params`) into
/// the `Db`, before anything listens: a bad one stops the start, as in Redis.
fn apply_params(config: &Config, db: &Db) -> io::Result<()> {
    db.config().set_file(config.config_file.clone());
    db.config()
        .set_many(db, &config.params, true)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
}

/// Make room for `maxclients` clients in the open files limit, or lower it to what
/// fits (fds.rs). `maxclients` may come from the config file or a flag, as a
/// parameter: the one in force is the last.
fn fit_maxclients(config: &mut Config, db: &Db) -> io::Result<()> {
    let asked = match config
        .params
        .iter()
        .rev()
        .find(|(name, _)| name.eq_ignore_ascii_case("maxclients"))
    {
        Some((_, value)) => value.parse().unwrap_or(config.max_clients as u64),
        None => config.max_clients as u64,
    };
    let fits = crate::fds::adjust_open_files_limit(db, config.log, asked)?;
    if fits != asked {
        config
            .params
            .retain(|(name, _)| !name.eq_ignore_ascii_case("maxclients"));
        config.max_clients = fits as usize;
    }
    Ok(())
}

/// Put the settings the server started with into the `Db`'s parameters, where
/// CONFIG GET reports them and CONFIG SET changes the mutable ones (maxclients).
/// `port` and `tls_port` are the ports listened on (a 0 asked for picks one).
fn record_config(config: &Config, db: &Db, port: u16, tls_port: Option<u16>) {
    let durability = match config.durability {
        Durability::Normal => "normal",
        Durability::Full => "full",
    };
    let pairs = [
        ("bind", config.bind.clone()),
        ("port", port.to_string()),
        ("db", config.db_path.display().to_string()),
        ("durability", durability.to_string()),
        ("maxclients", config.max_clients.to_string()),
        // As Redis shows them: 0 and "" for what is off or unset, the permissions in octal.
        ("tls-port", tls_port.unwrap_or(0).to_string()),
        ("tls-cert-file", path_text(Some(&config.tls.cert_file))),
        ("tls-key-file", path_text(Some(&config.tls.key_file))),
        (
            "tls-ca-cert-file",
            path_text(config.tls.ca_cert_file.as_ref()),
        ),
        (
            "tls-auth-clients",
            config.tls.auth_clients.as_str().to_string(),
        ),
        ("unixsocket", path_text(config.unixsocket.as_ref())),
        (
            "unixsocketperm",
            format!("{:o}", config.unixsocketperm.unwrap_or(0)),
        ),
    ];
    let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    // The values come from `Config`'s typed fields: they cannot fail the checks. The
    // other parameters (checked by `apply_params` already) go after, and win.
    let _ = db.config().set_many(db, &pairs, true);
    let _ = db.config().set_many(db, &config.params, true);
}

fn path_text(path: Option<&PathBuf>) -> String {
    path.map(|p| p.display().to_string()).unwrap_or_default()
}

/// Bind and listen on every configured socket (inside the runtime, which the
/// listeners register with).
fn listen(config: &Config) -> io::Result<Listeners> {
    let mut listeners = Listeners::new();
    listeners.add_tcp(listen_tcp(config, config.port)?);
    if let Some(port) = config.tls_port {
        let acceptor = config.tls.acceptor()?;
        listeners.add_tls(listen_tcp(config, port)?, acceptor);
    }
    #[cfg(unix)]
    if let Some(path) = &config.unixsocket {
        listeners.add_unix(path, config.unixsocketperm)?;
    }
    Ok(listeners)
}

fn listen_tcp(config: &Config, port: u16) -> io::Result<TcpListener> {
    let addr = (config.bind.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| io::Error::new(e.kind(), format!("cannot resolve {}: {}", config.bind, e)))?
        .next()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("no address for {}", config.bind),
            )
        })?;
    let listen = || -> io::Result<TcpListener> {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()?
        } else {
            TcpSocket::new_v6()?
        };
        socket.set_reuseaddr(true)?;
        socket.bind(addr)?;
        socket.listen(BACKLOG)
    };
    listen().map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {}: {}", addr, e)))
}

/// The `/metrics` and `/health` endpoints, on `metrics-port` if it is set.
async fn start_metrics(shared: &Arc<Shared>) -> Option<tokio::task::JoinHandle<()>> {
    let port = shared.db.config().int("metrics-port");
    if port <= 0 {
        return None;
    }
    let bind = shared.db.config().get("bind");
    match TcpListener::bind((bind.as_str(), port as u16)).await {
        Ok(listener) => {
            shared.log(&format!(
                "metrics on http://{}/metrics",
                listener.local_addr().ok()?
            ));
            Some(tokio::spawn(ops::serve_metrics(
                listener,
                shared.db.clone(),
            )))
        }
        Err(e) => {
            shared.log_at(
                Level::Warning,
                &format!("cannot listen for metrics on port {}: {}", port, e),
            );
            None
        }
    }
}

/// Accept clients until `stop` completes, then shut every connection down gracefully.
async fn serve(listener: Listeners, shared: Arc<Shared>, stop: impl Future<Output = ()>) {
    let (trigger, shutdown) = shutdown::channel();
    // Each connection task holds a clone of `done`; when all are dropped, `recv` on
    // the other end returns `None`: every connection has finished.
    let (done, mut all_done) = mpsc::channel::<()>(1);
    let metrics = start_metrics(&shared).await;
    let shutdown_asked = shared.stop.clone();
    let stop = async move {
        tokio::select! {
            _ = stop => {},
            _ = shutdown_asked.notified() => {},
        }
    };
    tokio::pin!(stop);
    let mut spare = crate::fds::Spare::open();
    let mut logged_at: Option<tokio::time::Instant> = None;
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accept(accepted, &shared, &shutdown, &done),
                Err(e) => {
                    // At most a line a second: a flood of failing accepts must not
                    // become a flood of log lines.
                    if logged_at.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
                        shared.log_at(Level::Warning, &format!("Accepting client connection: {}", e));
                        logged_at = Some(tokio::time::Instant::now());
                    }
                    if crate::fds::is_out_of_descriptors(&e) && spare.release() {
                        // The client waits in the backlog: accept it on the spare
                        // descriptor and refuse it, rather than leave it hanging.
                        let waiting = tokio::time::timeout(Duration::from_millis(100), listener.accept()).await;
                        if let Ok(Ok(accepted)) = waiting {
                            shared.db.stats().rejected_connections.fetch_add(1, Ordering::Relaxed);
                            crate::fds::refuse_now(accepted);
                        }
                        spare.restore();
                    } else {
                        // A connection reset before accept, or no spare: keep
                        // serving, but do not spin.
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            },
            _ = &mut stop => break,
        }
    }
    listener.close();
    if let Some(m) = metrics {
        m.abort();
    }
    trigger.fire();
    drop(done);
    // A running script is killed now, so that its client finishes with the others;
    // one that wrote cannot be, and its client never will: no use waiting for it.
    if !shared.db.scripting().stop_for_shutdown() {
        return;
    }
    if tokio::time::timeout(GRACE, all_done.recv()).await.is_err() {
        shared.log("redlite-server: some clients did not finish in time; closing them");
    }
}

fn accept(
    mut accepted: Accepted,
    shared: &Arc<Shared>,
    shutdown: &Shutdown,
    done: &mpsc::Sender<()>,
) {
    accepted.plain().tune_tcp(KEEPALIVE);
    let stats = shared.db.stats();
    let max_clients = shared.db.config().int("maxclients").max(1) as usize;
    if shared.clients.fetch_add(1, Ordering::SeqCst) >= max_clients {
        shared.clients.fetch_sub(1, Ordering::SeqCst);
        stats.rejected_connections.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            if let Ok((mut stream, _)) = accepted.establish().await {
                let _ = stream
                    .write_all(b"-ERR max number of clients reached\r\n")
                    .await;
            }
        });
        return;
    }
    stats
        .total_connections_received
        .fetch_add(1, Ordering::Relaxed);
    stats.connected_clients.fetch_add(1, Ordering::Relaxed);
    let guard = ClientGuard {
        shared: shared.clone(),
        _done: done.clone(),
    };
    let shared = shared.clone();
    let shutdown = shutdown.clone();
    tokio::spawn(async move {
        // Boxed: the TLS handshake's state is not kept for the connection's life.
        match Box::pin(accepted.establish()).await {
            Ok((mut stream, peer)) => {
                if !peer.is_local()
                    && shared.db.config().bool("protected-mode")
                    && shared.db.acl().default_is_open()
                {
                    let _ = stream.write_all(crate::transport::DENIED).await;
                    let _ = stream.shutdown().await;
                    drop(guard);
                    return;
                }
                let session = Session::new(shared.db.clone());
                let connection = Connection::new(stream, peer, shared.clone(), session);
                connection.run(shutdown).await;
            }
            Err(e) => shared.log(&format!("Error accepting a client connection: {}", e)),
        }
        drop(guard);
    });
}

/// Counts a client in for as long as its task lives, however it ends.
struct ClientGuard {
    shared: Arc<Shared>,
    _done: mpsc::Sender<()>,
}

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.shared.clients.fetch_sub(1, Ordering::SeqCst);
        self.shared
            .db
            .stats()
            .connected_clients
            .fetch_sub(1, Ordering::Relaxed);
    }
}

/// SIGINT and SIGTERM (Ctrl-C elsewhere), registered before the server says it is
/// listening so that a signal sent right after is not lost.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            Ok(Signals {
                interrupt: signal(SignalKind::interrupt())?,
                terminate: signal(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    async fn recv(mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {},
                _ = self.terminate.recv() => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
