//! One client connection: read requests, run them, write the replies.
//!
//! The loop is Redis's: read what the socket has, parse every complete request in
//! the buffer, run them in order, write all their replies with one write, repeat.
//! A pipelining client therefore gets one engine round trip and one write for each
//! read, however many commands it packed into it.
//!
//! Where the commands run: SQLite calls block, so they never run on the async worker
//! threads. The `Session` (and the output buffer) move to a thread with the batch and
//! come back with the replies: a batch of only writes to the writer lane, of only
//! reads to the reader lane (lanes.rs), anything else to `tokio::task::spawn_blocking`.
//! The blocking pool is bounded (see `server::MAX_BLOCKING_THREADS`), as are the
//! lanes, which bounds how many commands hit SQLite at once, and a connection that is
//! idle holds no thread, so ten thousand idle clients cost ten thousand small tasks,
//! not ten thousand threads. A batch runs as one `Db::batch`: its consecutive writes
//! share a COMMIT, which is over before its replies are written. A dedicated thread per connection (plain blocking sockets, no tokio) was
//! the alternative: measured with redis-benchmark (50 clients, 2 cores) it was no
//! faster on GET and about 35% slower on SET, as 50 threads contend for the one
//! writer, and it costs a thread per idle client.
//!
//! A blocking command (BLPOP on empty lists, ...) that has to wait does not keep its
//! pool thread: `Session::start` hands back a `Blocked`, the batch stops there, the
//! replies so far are sent, and the connection task waits for it without any thread
//! (woken through a `Notify` by the transaction that serves it, or by its deadline),
//! reading the socket meanwhile, so a client that disconnects is seen and its wait
//! cancelled (it then takes no element). Commands pipelined after the blocking one
//! run once it has answered, as in Redis.
//!
//! Out-of-band replies (pub/sub messages, keyspace notifications; later MONITOR
//! lines) come through the session's `Outbox` (redlite-core's outbox.rs), which any
//! thread may push into. The connection delivers them between replies, never inside
//! one: during a batch, what is queued is written just before each command's reply
//! (so a client that publishes to itself reads the message before PUBLISH's count,
//! as Redis writes them); while the client is idle or blocked, the task waits on the
//! outbox's waker beside the socket and writes what came. An outbox that is
//! `close`d (CLIENT KILL) closes the connection once its replies are written.
//! To give a client something unasked, push a `Reply` into its outbox; nothing here
//! needs to change.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use redlite_core::db::Batch;
use redlite_core::outbox::Outbox;
use redlite_core::{Blocked, Execution, Reply, Session};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Notify;

use crate::encode;
use crate::lanes::Job;
use crate::ops::{self, Level};
use crate::parse::RequestParser;
use crate::server::Shared;
use crate::shutdown::Shutdown;
use crate::transport::{Peer, Stream};

/// Bytes asked of the socket per read (Redis's `PROTO_IOBUF_LEN`).
const READ_CHUNK: usize = 16 * 1024;

/// Redis's `client-query-buffer-limit`: a client whose request in progress (the
/// arguments read so far and the unparsed input) grows past this is disconnected.
const MAX_QUERY_BUFFER: usize = 1024 * 1024 * 1024;

/// How a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Every command ran; keep reading.
    Continue,
    /// QUIT ran: send the replies, then close.
    Close,
    /// A `POST` or `Host:` command: an HTTP request sent to a Redis port, the sign of
    /// a cross-protocol attack. Redis closes at once without sending anything.
    Abort,
}

pub(crate) struct Connection {
    stream: Stream,
    peer: Peer,
    shared: Arc<Shared>,
    session: Option<Session>,
    parser: RequestParser,
    input: BytesMut,
    output: Vec<u8>,
    /// The session's out-of-band replies, and the wake-up of a push into it.
    outbox: Arc<Outbox>,
    pushed: Arc<Notify>,
    /// CLIENT KILL's wake-up (ops.rs).
    ops: ops::Attached,
    /// The socket was read while a blocking command waited (`wait`).
    read_while_blocked: bool,
}

impl Connection {
    pub(crate) fn new(
        stream: Stream,
        peer: Peer,
        shared: Arc<Shared>,
        session: Session,
    ) -> Connection {
        let ops = ops::attach(&shared.db, session.state().id, &stream, &peer);
        let outbox = session.outbox().clone();
        let pushed = Arc::new(Notify::new());
        let wake = pushed.clone();
        // notify_one keeps a permit when no one waits: no push goes unnoticed.
        outbox.set_waker(move || wake.notify_one());
        outbox.set_limits(shared.db.ops().clients.obuf_limits().clone());
        Connection {
            ops,
            outbox,
            pushed,
            stream,
            peer,
            shared,
            session: Some(session),
            parser: RequestParser::new(),
            input: BytesMut::new(),
            output: Vec::new(),
            read_while_blocked: false,
        }
    }

    /// Serve the client until it leaves, sends QUIT or a protocol error, or the
    /// server shuts down. A command that has started always finishes and its reply
    /// is sent before the connection closes.
    pub(crate) async fn run(mut self, mut shutdown: Shutdown) {
        loop {
            let mut batch: Vec<Vec<Bytes>> = Vec::new();
            let mut protocol_error = None;
            // Before AUTH, requests are parsed one at a time under Redis's limits for
            // unauthenticated clients, so that an AUTH lifts them for the very next
            // request of the same pipeline, as in Redis (which runs each request as
            // soon as it is parsed).
            let auth_required = self.auth_required();
            self.parser.set_auth_required(auth_required);
            let mut more_buffered = false;
            loop {
                match self.parser.next(&mut self.input) {
                    Ok(Some(argv)) => {
                        batch.push(argv);
                        if auth_required {
                            more_buffered = true;
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        protocol_error = Some(e);
                        break;
                    }
                }
            }

            let mut outcome = Outcome::Continue;
            if !batch.is_empty() {
                // Boxed: a batch's state (its hand-off to a lane, a blocked command's
                // wait) lives only while it runs, not in every idle connection's task.
                match Box::pin(self.execute(batch, &mut shutdown)).await {
                    Some(o) => outcome = o,
                    None => return,
                }
            }
            if outcome == Outcome::Abort {
                self.shared.log(&format!(
                    "Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: \
                     commands to Redis. This is likely due to an attacker attempting to use Cross \
                     Protocol Scripting to compromise your Redis instance. Connection from {} aborted.",
                    self.peer
                ));
                return;
            }
            if outcome == Outcome::Continue {
                if let Some(e) = &protocol_error {
                    encode::error(&mut self.output, &e.reply_bytes());
                }
            }
            self.take_outbox();
            if !self.flush().await {
                return;
            }
            if outcome == Outcome::Close
                || protocol_error.is_some()
                || shutdown.is_shutdown()
                || self.outbox.is_closed()
            {
                return;
            }

            if self.input.len() + self.parser.pending_bytes() > MAX_QUERY_BUFFER {
                self.shared.log(&format!(
                    "Closing client {} that reached max query buffer length",
                    self.peer
                ));
                return;
            }
            if std::mem::take(&mut self.read_while_blocked) || more_buffered {
                // Requests already in the input (that came while a blocking command
                // waited, or the rest of an unauthenticated client's pipeline): run
                // them before waiting for the socket again.
                continue;
            }
            let wanted = self.parser.bytes_wanted(self.input.len()).max(READ_CHUNK);
            if self.input.is_empty() && self.parser.is_idle() {
                // Between requests a connection keeps no buffer (as Redis frees an idle
                // client's query buffer): `read` allocates one once the socket has
                // something to read. Ten thousand idle clients then cost no buffers.
                self.input = BytesMut::new();
                self.output = Vec::new();
            }
            if self.killed() {
                return;
            }
            // Redis's `timeout`: an idle client is closed (a MONITOR client never is).
            // The timer is boxed, and made only when a timeout is set: a Sleep inline
            // would cost every idle connection's task its size.
            let mut idle = match self.shared.db.config().int("timeout") {
                secs if secs > 0 && !self.is_monitor() => Some(Box::pin(tokio::time::sleep(
                    Duration::from_secs(secs as u64),
                ))),
                _ => None,
            };
            let n = tokio::select! {
                read = read(&mut self.stream, &mut self.input, wanted) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                },
                _ = self.pushed.notified() => continue,
                _ = shutdown.recv() => return,
                _ = self.ops.kill.notified() => return,
                _ = sleep_or_never(&mut idle) => {
                    self.shared.log_at(Level::Verbose, &format!("Closing idle client {}", self.peer));
                    return;
                }
            };
            self.shared
                .db
                .stats()
                .total_net_input_bytes
                .fetch_add(n as u64, Ordering::Relaxed);
        }
    }

    /// Run a batch of requests on the blocking pool, appending their replies to the
    /// output. A blocking command that has to wait is waited for here (not on the
    /// pool), then the rest of the batch runs. `None` if the engine panicked (the
    /// session is gone), or the client went away or the server stopped while a
    /// command waited: close.
    async fn execute(
        &mut self,
        batch: Vec<Vec<Bytes>>,
        shutdown: &mut Shutdown,
    ) -> Option<Outcome> {
        let batch = Arc::new(batch);
        let mut start = 0;
        loop {
            let kind = kind(&batch[start..]);
            if matches!(kind, Kind::Reads) {
                // Reads the read cache answers need no SQLite: they run here, without
                // a hand-off to a reader thread (Session::start_cached).
                start = self.answer_cached(&batch, start)?;
                if start == batch.len() {
                    return Some(Outcome::Continue);
                }
            }
            let mut session = self.session.take()?;
            let mut output = std::mem::take(&mut self.output);
            let requests = batch.clone();
            let lane = match kind {
                Kind::Writes => Some(&self.shared.writer),
                Kind::Reads => Some(&self.shared.readers),
                Kind::Other => None,
            };
            let ran = if let Some(lane) = lane {
                // To a lane (lanes.rs): the writer with every other client's writes,
                // or a reader.
                let (done, answer) = tokio::sync::oneshot::channel();
                let job = Job {
                    session,
                    output,
                    requests,
                    start,
                    done,
                };
                match lane.submit(job) {
                    Ok(()) => answer.await.map_err(|e| e.to_string()),
                    Err(_) => Err("the lane's threads are gone".to_string()),
                }
            } else {
                tokio::task::spawn_blocking(move || {
                    let ran = run_batch(&mut session, &requests, start, &mut output);
                    (session, output, ran)
                })
                .await
                .map_err(|e| e.to_string())
            };
            let (outcome, blocked) = match ran {
                Ok((session, output, ran)) => {
                    self.session = Some(session);
                    self.output = output;
                    ran
                }
                Err(e) => {
                    self.shared.log(&format!(
                        "Closing client {}: command failed: {}",
                        self.peer, e
                    ));
                    return None;
                }
            };
            let Some((blocked, next)) = blocked else {
                return Some(outcome);
            };
            // Send what came before the blocking command, as Redis does.
            if !self.flush().await {
                blocked.cancel();
                return None;
            }
            let reply = self.wait(blocked, shutdown).await?;
            let session = self.session.as_ref()?;
            if session.client().reply_allowed(&reply) {
                encode::encode(&reply, session.state().protocol, &mut self.output);
            }
            if next == batch.len() {
                return Some(Outcome::Continue);
            }
            start = next;
        }
    }

    /// Answer the requests from `start` that the read cache answers, in order, onto
    /// the output; the index of the first it did not.
    fn answer_cached(&mut self, batch: &[Vec<Bytes>], start: usize) -> Option<usize> {
        let session = self.session.as_mut()?;
        let mut next = start;
        while let Some(argv) = batch.get(next) {
            let Some(reply) = session.start_cached(argv) else {
                break;
            };
            for push in session.outbox().take() {
                encode::encode(&push, session.state().protocol, &mut self.output);
            }
            if session.client().reply_allowed(&reply) {
                encode::encode(&reply, session.state().protocol, &mut self.output);
            }
            next += 1;
        }
        Some(next)
    }

    /// Wait for a blocked command: its reply once served or timed out; `None` if the
    /// client disconnects (or the server stops) first, which cancels the wait.
    async fn wait(&mut self, mut blocked: Blocked, shutdown: &mut Shutdown) -> Option<Reply> {
        let served = Arc::new(tokio::sync::Notify::new());
        let wake = served.clone();
        blocked.set_waker(move || wake.notify_one());
        let deadline = blocked.deadline().map(tokio::time::Instant::from_std);
        loop {
            if let Some(reply) = blocked.poll() {
                return Some(reply);
            }
            let timeout = async {
                match deadline {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                _ = served.notified() => {}
                _ = self.pushed.notified() => {
                    self.take_outbox();
                    if !self.flush().await || self.outbox.is_closed() {
                        break;
                    }
                }
                _ = timeout => {
                    // Leaving the registry may wait for a commit in progress.
                    return tokio::task::spawn_blocking(move || blocked.expire()).await.ok();
                }
                read = self.stream.read_buf(&mut self.input) => match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        self.read_while_blocked = true;
                        self.shared
                            .db
                            .stats()
                            .total_net_input_bytes
                            .fetch_add(n as u64, Ordering::Relaxed);
                        if self.input.len() + self.parser.pending_bytes() > MAX_QUERY_BUFFER {
                            self.shared.log(&format!(
                                "Closing client {} that reached max query buffer length",
                                self.peer
                            ));
                            break;
                        }
                    }
                },
                _ = shutdown.recv() => break,
                _ = self.ops.kill.notified() => break,
            }
        }
        // Cancelled before the client's connection is dropped: no element is taken
        // for it from here on.
        let _ = tokio::task::spawn_blocking(move || blocked.cancel()).await;
        None
    }

    /// Append the out-of-band replies queued so far to the output.
    fn take_outbox(&mut self) {
        let pushes = self.outbox.take();
        if pushes.is_empty() {
            return;
        }
        let protocol = self.session.as_ref().map_or(2, |s| s.state().protocol);
        for reply in &pushes {
            encode::encode(reply, protocol, &mut self.output);
        }
    }

    /// Redis's `authRequired`: the client has not authenticated and the default user
    /// needs a password (or is off).
    fn auth_required(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| !s.state().auth.authenticated)
            && !self.shared.db.acl().default_is_open()
    }

    /// True once CLIENT KILL has chosen this client.
    fn killed(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.client().killed())
    }

    fn is_monitor(&self) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.client().is_monitor())
    }

    /// Write the output so far; false if the client is gone, or is to be closed
    /// before it has read it all: CLIENT KILL, or over its output buffer limit
    /// (outbox.rs), with what it has not read or what was published to it since.
    /// A client that does not read therefore holds the output of one batch, plus
    /// what its limit allows, never more.
    async fn flush(&mut self) -> bool {
        if self.output.is_empty() {
            return true;
        }
        let len = self.output.len();
        if self.outbox.check_limit(len) {
            self.log_over_limit();
            return false;
        }
        self.shared
            .db
            .stats()
            .total_net_output_bytes
            .fetch_add(len as u64, Ordering::Relaxed);
        let mut written = 0;
        let mut pushed = false;
        let ok = loop {
            if written == len {
                break true;
            }
            self.outbox.set_unsent(len - written);
            tokio::select! {
                biased;
                wrote = self.stream.write(&self.output[written..]) => match wrote {
                    Ok(0) | Err(_) => break false,
                    Ok(n) => {
                        // Counted as sent as soon as it is: a client that has read
                        // it may ask CLIENT LIST at once on another connection.
                        written += n;
                        self.outbox.set_unsent(len - written);
                    }
                },
                _ = self.pushed.notified() => {
                    if self.outbox.over_limit() {
                        self.log_over_limit();
                        break false;
                    }
                    pushed = true;
                }
                _ = self.ops.kill.notified() => break false,
            }
        };
        self.outbox.set_unsent(0);
        self.output.clear();
        if pushed || !self.outbox.is_empty() {
            // The wake-up this loop took is for the replies queued meanwhile.
            self.pushed.notify_one();
        }
        ok
    }

    /// Redis's log line for a client closed for its output buffer limit.
    fn log_over_limit(&self) {
        let info = self.session.as_ref().map_or_else(
            || self.peer.to_string(),
            |s| s.client().info_line(redlite_core::db::now_ms()),
        );
        self.shared.log_at(
            Level::Warning,
            &format!(
                "Client {} scheduled to be closed ASAP for overcoming of output buffer limits.",
                info
            ),
        );
    }
}

impl Drop for Connection {
    /// What the client held goes back to the allocator; the server returns freed
    /// memory to the system once enough has been (`Shared::released`).
    fn drop(&mut self) {
        let held = self.input.capacity() + self.output.capacity() + self.outbox.dropped_bytes();
        self.shared.released(held);
    }
}

/// How a run of requests ended, and the blocking command it stopped at (with the
/// index of the next request), if one has to wait.
pub(crate) type Ran = (Outcome, Option<(Blocked, usize)>);

/// Run the requests from `start` as one batch (`Db::batch`), whose writes share a
/// COMMIT that is over before this returns.
fn run_batch(
    session: &mut Session,
    batch: &[Vec<Bytes>],
    start: usize,
    output: &mut Vec<u8>,
) -> Ran {
    let db = session.db().clone();
    let pipeline = db.batch();
    let mut outputs = vec![std::mem::take(output)];
    let mut unconfirmed = Unconfirmed::default();
    let ran = run_requests(
        &pipeline,
        session,
        batch,
        start,
        &mut outputs,
        0,
        &mut unconfirmed,
    );
    pipeline.settle();
    unconfirmed.settle(&pipeline, &mut outputs);
    *output = outputs.pop().unwrap_or_default();
    ran
}

/// Run the requests in order from `start` in `pipeline`, encoding each reply in the
/// session's protocol (which HELLO may change between two of them) onto
/// `outputs[out]`. Stops after QUIT, and at a blocking command that has to wait: it
/// comes back with the index of the next request.
///
/// A write's reply is encoded before its COMMIT (the batch defers it); the caller
/// settles the batch before sending anything. `unconfirmed` keeps where such replies
/// are, so that a COMMIT that fails turns them into the error.
pub(crate) fn run_requests(
    pipeline: &Batch,
    session: &mut Session,
    batch: &[Vec<Bytes>],
    start: usize,
    outputs: &mut [Vec<u8>],
    out: usize,
    unconfirmed: &mut Unconfirmed,
) -> Ran {
    for (i, argv) in batch.iter().enumerate().skip(start) {
        if argv.first().is_some_and(|name| is_http(name)) {
            return (Outcome::Abort, None);
        }
        let deferred = pipeline.deferred();
        let started = session.start(argv);
        let output = &mut outputs[out];
        // What the command (or anyone meanwhile) queued comes before its reply.
        for push in session.outbox().take() {
            encode::encode(&push, session.state().protocol, output);
        }
        let at = output.len();
        let blocked = match started {
            Execution::Done(reply) => {
                if session.client().reply_allowed(&reply) {
                    encode::encode(&reply, session.state().protocol, output)
                }
                None
            }
            Execution::Blocked(blocked) => Some(blocked),
        };
        let end = output.len();
        unconfirmed.settle(pipeline, outputs);
        if pipeline.awaits_commit(deferred) && end > at {
            unconfirmed.0.push((out, at..end));
        }
        if let Some(blocked) = blocked {
            return (Outcome::Continue, Some((blocked, i + 1)));
        }
        if session.closing() {
            return (Outcome::Close, None);
        }
    }
    (Outcome::Continue, None)
}

/// The replies of writes whose COMMIT is not over yet: which output, and where.
#[derive(Default)]
pub(crate) struct Unconfirmed(Vec<(usize, std::ops::Range<usize>)>);

impl Unconfirmed {
    /// If the batch settled a COMMIT since the last look: those replies stand, or,
    /// if it failed, each becomes its error.
    pub(crate) fn settle(&mut self, pipeline: &Batch, outputs: &mut [Vec<u8>]) {
        let Some(outcome) = pipeline.settled() else {
            return;
        };
        if let Err(text) = outcome {
            let mut error = Vec::new();
            encode::encode(&Reply::error(text), 2, &mut error);
            for (out, range) in self.0.iter().rev() {
                outputs[*out].splice(range.clone(), error.iter().copied());
            }
        }
        self.0.clear();
    }
}

/// Which lane a batch goes to (lanes.rs), by the flags of its commands in the
/// command table.
enum Kind {
    /// Only write commands that never block.
    Writes,
    /// Only read-only commands that never block.
    Reads,
    /// Anything else: the blocking pool.
    Other,
}

fn kind(requests: &[Vec<Bytes>]) -> Kind {
    use redlite_core::command::flag::{BLOCKING, READONLY, WRITE};
    // The flags every request has (a blocking or unknown command has none).
    let mut common = WRITE | READONLY;
    for argv in requests {
        let bits = argv
            .first()
            .and_then(|name| redlite_core::command::lookup(name))
            .map_or(0, |spec| {
                if spec.has(BLOCKING) {
                    0
                } else {
                    spec.flag_bits
                }
            });
        common &= bits;
        if common == 0 {
            return Kind::Other;
        }
    }
    if common & WRITE != 0 {
        Kind::Writes
    } else {
        Kind::Reads
    }
}

/// Read what the socket has into `input`, making room for `wanted` bytes. An input
/// without room (an idle connection's, see `Connection::run`) gets its buffer only
/// once the socket is readable, so a client that sends nothing costs no buffer.
async fn read(stream: &mut Stream, input: &mut BytesMut, wanted: usize) -> std::io::Result<usize> {
    if input.capacity() == input.len() {
        stream.readable().await?;
    }
    input.reserve(wanted);
    stream.read_buf(input).await
}

/// Wait for `sleep`, or for ever.
async fn sleep_or_never(sleep: &mut Option<std::pin::Pin<Box<tokio::time::Sleep>>>) {
    match sleep {
        Some(sleep) => sleep.await,
        None => std::future::pending().await,
    }
}

/// Redis answers the commands `POST` and `Host:` by closing the connection.
fn is_http(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"post") || name.eq_ignore_ascii_case(b"host:")
}
