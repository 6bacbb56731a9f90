//! `redlite._native`: the engine as a Python module, kept thin on purpose.
//!
//! argv in, `Reply` out. The Pythonic client (`redlite.Redis`, a redis-py `Redis`)
//! is plain Python on top of this. Every engine call releases the GIL, so many
//! Python threads, each with its own `Session` on one shared `Db`, run in parallel.
//!
//! A reply is converted to exactly what redis-py's parser would produce for the
//! same reply read off a socket, for the protocol the session speaks (RESP2 unless
//! HELLO 3 or `Session.protocol = 3`): simple and bulk strings are `bytes` (or `str`
//! when an encoding is given), errors are built by the session's `error_factory`
//! (redis-py's `BaseParser.parse_error`, so WRONGTYPE, NOSCRIPT, EXECABORT ... get
//! redis-py's exception classes), and are returned, not raised, as redis-py's parser
//! does: the caller raises a top-level one.

use std::ffi::CString;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use pyo3::exceptions::{PyException, PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyFloat, PyList, PyString, PyTuple};

use redlite_core::outbox::Outbox;
use redlite_core::reply::{format_double, format_human, human_value};
use redlite_core::{
    Db as CoreDb, Durability, Execution, Options, Reply as CoreReply, Session as CoreSession,
};

mod server;

pyo3::create_exception!(
    _native,
    ReplyError,
    PyException,
    "An error reply of the engine, when the session has no error_factory."
);

pub(crate) fn parse_durability(s: &str) -> PyResult<Durability> {
    match s.to_ascii_lowercase().as_str() {
        "normal" => Ok(Durability::Normal),
        "full" => Ok(Durability::Full),
        _ => Err(PyValueError::new_err(format!(
            "durability must be 'normal' or 'full', not {:?}",
            s
        ))),
    }
}

fn is_memory(path: Option<&str>) -> bool {
    matches!(path, None | Some("") | Some(":memory:"))
}

/// One database: a SQLite file (or a private in-memory database) shared by sessions.
#[pyclass(module = "redlite._native", frozen, weakref)]
pub(crate) struct Db {
    pub(crate) db: CoreDb,
    pub(crate) path: Option<String>,
    durability: &'static str,
}

#[pymethods]
impl Db {
    #[new]
    #[pyo3(signature = (path=None, durability="normal"))]
    fn new(py: Python<'_>, path: Option<String>, durability: &str) -> PyResult<Db> {
        let d = parse_durability(durability)?;
        let memory = is_memory(path.as_deref());
        let opened = unlocked(py, || {
            if memory {
                CoreDb::open_memory()
            } else {
                let opts = Options {
                    durability: d,
                    ..Options::default()
                };
                CoreDb::open_with(path.as_deref().unwrap_or_default(), opts)
            }
        });
        let db = opened.map_err(|e| {
            PyOSError::new_err(format!(
                "cannot open {}: {}",
                path.as_deref().unwrap_or(":memory:"),
                e
            ))
        })?;
        Ok(Db {
            db,
            path: if memory { None } else { path },
            durability: if d == Durability::Full {
                "full"
            } else {
                "normal"
            },
        })
    }

    /// The file, or None for an in-memory database.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.clone()
    }

    #[getter]
    fn durability(&self) -> &'static str {
        self.durability
    }

    /// Checkpoint the WAL into the main file.
    fn checkpoint(&self, py: Python<'_>) -> PyResult<()> {
        unlocked(py, || self.db.checkpoint()).map_err(|e| PyOSError::new_err(e.to_string()))
    }

    fn __repr__(&self) -> String {
        format!("Db({:?})", self.path.as_deref().unwrap_or(":memory:"))
    }
}

/// One client of the engine: a selected database, a protocol, connection state.
#[pyclass(module = "redlite._native")]
struct Session {
    inner: Mutex<CoreSession>,
    /// The session's out-of-band replies (pub/sub messages): read without the
    /// session's lock, so a thread can wait for them while another runs a command.
    outbox: Arc<Outbox>,
    /// The session's protocol after its last command, for converting those replies.
    protocol: AtomicU8,
    /// True while the session is subscribed to anything, after its last command.
    subscribed: std::sync::atomic::AtomicBool,
    /// Called with an error reply's full text ("ERR ...") to build the error object;
    /// `ReplyError(text)` when None.
    #[pyo3(get, set)]
    error_factory: Option<Py<PyAny>>,
}

impl Session {
    /// Keep what a command left the session speaking (HELLO) and subscribed to, for
    /// the calls that do not take the session's lock; the protocol.
    fn note_state(&self, s: &CoreSession) -> u8 {
        let protocol = s.state().protocol;
        self.protocol.store(protocol, Ordering::Relaxed);
        self.subscribed
            .store(s.state().pubsub.subscribed(), Ordering::Relaxed);
        protocol
    }

    fn lock(&self) -> MutexGuard<'_, CoreSession> {
        // A panic inside the engine while the lock was held leaves the session state
        // as it was; keep serving rather than poisoning every later call.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Copy Python arguments into owned byte strings (done before the GIL is released).
fn argv_of(args: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<u8>>> {
    let mut argv = Vec::with_capacity(args.len().unwrap_or(0));
    for item in args.try_iter()? {
        let item = item?;
        let bytes = if let Ok(b) = item.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if let Ok(s) = item.cast::<PyString>() {
            s.to_cow()?.as_bytes().to_vec()
        } else if let Ok(b) = item.cast::<PyByteArray>() {
            b.to_vec()
        } else if item.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyTypeError::new_err(
                "command arguments must be bytes, str, int or float, not bool",
            ));
        } else if item.is_instance_of::<pyo3::types::PyInt>() || item.is_instance_of::<PyFloat>() {
            item.repr()?.to_cow()?.as_bytes().to_vec()
        } else if let Ok(mv) = item.cast::<pyo3::types::PyMemoryView>() {
            let b = py_bytes_of(mv.as_any())?;
            b.as_bytes().to_vec()
        } else {
            return Err(PyTypeError::new_err(format!(
                "command arguments must be bytes, str, int or float, not {}",
                item.get_type().name()?
            )));
        };
        argv.push(bytes);
    }
    Ok(argv)
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

fn py_bytes_of<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let b = obj.py().get_type::<PyBytes>().call1((obj,))?;
    Ok(b.cast_into::<PyBytes>()?)
}

/// Start one command. A bug in the engine must not take the Python process (or the
/// session) down with it: a panic becomes an error reply like any other.
fn start_guarded(s: &mut CoreSession, argv: &[Vec<u8>]) -> Execution {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| s.start(argv))).unwrap_or_else(|p| {
        Execution::Done(CoreReply::error(format!(
            "ERR internal error: {}",
            panic_text(&p)
        )))
    })
}

/// A batch's COMMIT is over: the replies at `unconfirmed` stand, or become its error.
fn confirm(
    ran: &mut [(Vec<CoreReply>, CoreReply)],
    unconfirmed: &mut Vec<usize>,
    outcome: std::result::Result<(), String>,
) {
    if let Err(text) = outcome {
        for &i in unconfirmed.iter() {
            ran[i].1 = CoreReply::error(text.as_str());
        }
    }
    unconfirmed.clear();
}

/// Run `f` with the GIL released (`Python::detach`). A daemon thread that comes out
/// of the engine while the interpreter finalizes (a PubSub's `run_in_thread`, a
/// worker blocked in BLPOP) is stopped by PyO3 as it reattaches, without unwinding
/// through these frames (PyO3 0.30; with 0.23 that aborted the process and redlite
/// needed an atexit hook).
pub(crate) fn unlocked<T: Send>(py: Python<'_>, f: impl FnOnce() -> T + Send) -> T {
    py.detach(f)
}

/// How often a blocked command lets Python look at its signals.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

impl Session {
    /// Run one command with the GIL released; its reply and the protocol the session
    /// speaks after it (HELLO may have changed it). One lock of the session.
    fn run_core(&self, py: Python<'_>, args: &Bound<'_, PyAny>) -> PyResult<(CoreReply, u8)> {
        let argv = argv_of(args)?;
        let (started, protocol) = unlocked(py, || {
            let mut s = self.lock();
            let started = start_guarded(&mut s, &argv);
            (started, self.note_state(&s))
        });
        let reply = match started {
            Execution::Done(r) => r,
            // A blocking command (BLPOP ...) waits in slices, so that Ctrl-C and other
            // signals reach Python meanwhile. If a handler raises, `blocked` is dropped,
            // which cancels the wait: the command takes nothing.
            Execution::Blocked(mut blocked) => loop {
                if let Some(r) = unlocked(py, || blocked.wait_for(Some(SIGNAL_CHECK))) {
                    break r;
                }
                py.check_signals()?;
            },
        };
        Ok((reply, protocol))
    }
}

#[pymethods]
impl Session {
    #[new]
    #[pyo3(signature = (db, error_factory=None))]
    fn new(db: &Db, error_factory: Option<Py<PyAny>>) -> Session {
        let session = CoreSession::new(db.db.clone());
        Session {
            outbox: session.outbox().clone(),
            protocol: AtomicU8::new(session.state().protocol),
            subscribed: Default::default(),
            inner: Mutex::new(session),
            error_factory,
        }
    }

    /// Run one command (name first) and return its reply, converted for Python.
    #[pyo3(signature = (args, encoding=None, errors="strict"))]
    fn execute(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyAny>,
        encoding: Option<&str>,
        errors: &str,
    ) -> PyResult<Py<PyAny>> {
        // The hot path of every embedded command (redlite.Redis's get/set call it
        // directly): the reply is converted here, without a `Reply` object between.
        let (reply, protocol) = self.run_core(py, args)?;
        let codec = match encoding {
            Some(e) => Some(Codec::new(e, errors)?),
            None => None,
        };
        let conv = Converter {
            py,
            resp3: protocol >= 3,
            codec,
            factory: self.error_factory.as_ref(),
        };
        conv.convert(&reply)
    }

    /// Run one command and return the unconverted `Reply` (convert it later with
    /// `Reply.value()` or inspect it with `Reply.tree()`).
    fn run(&self, py: Python<'_>, args: &Bound<'_, PyAny>) -> PyResult<Reply> {
        let (reply, protocol) = self.run_core(py, args)?;
        let factory = self.error_factory.as_ref().map(|f| f.clone_ref(py));
        Ok(Reply {
            reply,
            protocol,
            error_factory: factory,
        })
    }

    /// Run several commands (a pipeline) as one batch of the engine (`Db::batch`),
    /// with the GIL released once: their writes share a COMMIT, over before this
    /// returns. Returns, for each command run, the out-of-band replies queued before
    /// its reply, and its reply. Stops early, leaving the rest to `run`, before a
    /// command that may block (its wait needs Python's signal checks), after a MULTI
    /// that failed, and once the session is closing (QUIT).
    fn run_batch(
        &self,
        py: Python<'_>,
        commands: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<(Vec<Reply>, Reply)>> {
        let mut argvs = Vec::with_capacity(commands.len().unwrap_or(0));
        for args in commands.try_iter()? {
            argvs.push(argv_of(&args?)?);
        }
        let (ran, protocol) = unlocked(py, || {
            let mut s = self.lock();
            let db = s.db().clone();
            let pipeline = db.batch();
            let mut ran: Vec<(Vec<CoreReply>, CoreReply)> = Vec::with_capacity(argvs.len());
            // The replies of writes whose COMMIT is not over yet.
            let mut unconfirmed: Vec<usize> = Vec::new();
            for argv in &argvs {
                let spec = argv
                    .first()
                    .and_then(|name| redlite_core::command::lookup(name));
                if s.closing() || spec.is_some_and(|spec| spec.flags.contains(&"blocking")) {
                    break;
                }
                let deferred = pipeline.deferred();
                let reply = match start_guarded(&mut s, argv) {
                    Execution::Done(r) => r,
                    // Not flagged blocking, yet waiting: wait here, as `run` would.
                    Execution::Blocked(blocked) => blocked.wait(),
                };
                if let Some(outcome) = pipeline.settled() {
                    confirm(&mut ran, &mut unconfirmed, outcome);
                }
                if pipeline.awaits_commit(deferred) {
                    unconfirmed.push(ran.len());
                }
                let failed_multi = matches!(reply, CoreReply::Error(_))
                    && argv
                        .first()
                        .is_some_and(|n| n.eq_ignore_ascii_case(b"multi"));
                ran.push((s.outbox().take(), reply));
                if failed_multi {
                    break;
                }
            }
            pipeline.settle();
            if let Some(outcome) = pipeline.settled() {
                confirm(&mut ran, &mut unconfirmed, outcome);
            }
            (ran, self.note_state(&s))
        });
        let wrap = |reply| Reply {
            reply,
            protocol,
            error_factory: self.error_factory.as_ref().map(|f| f.clone_ref(py)),
        };
        Ok(ran
            .into_iter()
            .map(|(pushes, reply)| (pushes.into_iter().map(wrap).collect(), wrap(reply)))
            .collect())
    }

    /// The out-of-band replies queued so far (pub/sub messages, and the confirmations
    /// of a multi-channel SUBSCRIBE but its last), oldest first: a client reads them
    /// before the reply of the command it runs next.
    fn take_pushes(&self, py: Python<'_>) -> Vec<Reply> {
        let protocol = self.protocol.load(Ordering::Relaxed);
        self.outbox
            .take()
            .into_iter()
            .map(|reply| Reply {
                reply,
                protocol,
                error_factory: self.error_factory.as_ref().map(|f| f.clone_ref(py)),
            })
            .collect()
    }

    /// Wait until an out-of-band reply is queued, for at most `timeout` seconds (None:
    /// for ever); True if one is. The GIL is released meanwhile, and Python's signal
    /// handlers run every 100 ms (Ctrl-C interrupts the wait).
    #[pyo3(signature = (timeout=None))]
    fn wait_pushes(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<bool> {
        let until =
            timeout.map(|t| std::time::Instant::now() + Duration::from_secs_f64(t.clamp(0.0, 1e9)));
        loop {
            let slice = match until {
                Some(u) => u
                    .saturating_duration_since(std::time::Instant::now())
                    .min(SIGNAL_CHECK),
                None => SIGNAL_CHECK,
            };
            if unlocked(py, || self.outbox.wait_for(slice)) {
                return Ok(true);
            }
            if until.is_some_and(|u| std::time::Instant::now() >= u) {
                return Ok(false);
            }
            py.check_signals()?;
        }
    }

    /// Wake a thread waiting in `wait_pushes` (it returns True): the client queued a
    /// reply of its own for it to read.
    fn nudge(&self) {
        self.outbox.nudge();
    }

    /// True while the session is subscribed to a channel, pattern or shard channel.
    #[getter]
    fn subscribed(&self) -> bool {
        self.subscribed.load(Ordering::Relaxed)
    }

    /// The selected database (0..15).
    fn selected_db(&self) -> u32 {
        self.lock().selected_db()
    }

    /// True once QUIT has run: the client should drop this session.
    fn closing(&self) -> bool {
        self.lock().closing()
    }

    /// The protocol replies are converted for: 2 or 3 (HELLO changes it).
    #[getter]
    fn get_protocol(&self) -> u8 {
        self.lock().state().protocol
    }

    #[setter]
    fn set_protocol(&self, protocol: u8) -> PyResult<()> {
        if protocol != 2 && protocol != 3 {
            return Err(PyValueError::new_err("protocol must be 2 or 3"));
        }
        self.lock().state_mut().protocol = protocol;
        self.protocol.store(protocol, Ordering::Relaxed);
        Ok(())
    }
}

/// The answer to one command, as the engine gave it.
#[pyclass(module = "redlite._native", frozen)]
struct Reply {
    reply: CoreReply,
    protocol: u8,
    error_factory: Option<Py<PyAny>>,
}

#[pymethods]
impl Reply {
    /// The reply as redis-py's parser would return it for the session's protocol;
    /// strings are decoded with `encoding` when one is given.
    #[pyo3(signature = (encoding=None, errors="strict"))]
    fn value(&self, py: Python<'_>, encoding: Option<&str>, errors: &str) -> PyResult<Py<PyAny>> {
        let codec = match encoding {
            Some(e) => Some(Codec::new(e, errors)?),
            None => None,
        };
        let conv = Converter {
            py,
            resp3: self.protocol >= 3,
            codec,
            factory: self.error_factory.as_ref(),
        };
        conv.convert(&self.reply)
    }

    /// A typed tree, `(kind, value)`, that keeps what Python values lose: simple vs
    /// bulk string, null bulk vs null array. With `resp=2` the RESP3-only kinds are
    /// written as a RESP2 server sends them (double -> bulk, map -> flat array, ...).
    #[pyo3(signature = (resp=0))]
    fn tree(&self, py: Python<'_>, resp: u8) -> PyResult<Py<PyAny>> {
        tree(py, &self.reply, resp == 2)
    }

    #[getter]
    fn is_error(&self) -> bool {
        self.reply.is_error()
    }

    /// A RESP3 push (a pub/sub message or confirmation); RESP2 has none.
    #[getter]
    fn is_push(&self) -> bool {
        self.protocol >= 3 && matches!(self.reply, CoreReply::Push(_))
    }

    #[getter]
    fn protocol(&self) -> u8 {
        self.protocol
    }

    fn __repr__(&self) -> String {
        format!("Reply({:?})", self.reply)
    }
}

/// How strings are decoded: UTF-8 in Rust when possible, Python's codec otherwise.
struct Codec {
    fast_utf8: bool,
    encoding: CString,
    errors: CString,
}

impl Codec {
    fn new(encoding: &str, errors: &str) -> PyResult<Codec> {
        let norm = encoding.to_ascii_lowercase().replace('_', "-");
        let cstr = |s: &str| {
            CString::new(s).map_err(|_| PyValueError::new_err("encoding names cannot contain NUL"))
        };
        Ok(Codec {
            fast_utf8: norm == "utf-8" || norm == "utf8",
            encoding: cstr(encoding)?,
            errors: cstr(errors)?,
        })
    }

    fn decode<'py>(&self, py: Python<'py>, b: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        if self.fast_utf8 {
            if let Ok(s) = std::str::from_utf8(b) {
                return Ok(PyString::new(py, s).into_any());
            }
        }
        let raw = PyBytes::new(py, b);
        Ok(
            PyString::from_encoded_object(raw.as_any(), Some(&self.encoding), Some(&self.errors))?
                .into_any(),
        )
    }
}

struct Converter<'a, 'py> {
    py: Python<'py>,
    resp3: bool,
    codec: Option<Codec>,
    factory: Option<&'a Py<PyAny>>,
}

impl<'py> Converter<'_, 'py> {
    fn string(&self, b: &[u8]) -> PyResult<Bound<'py, PyAny>> {
        match &self.codec {
            Some(c) => c.decode(self.py, b),
            None => Ok(PyBytes::new(self.py, b).into_any()),
        }
    }

    fn list<'r>(
        &self,
        items: impl ExactSizeIterator<Item = &'r CoreReply>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut out = Vec::with_capacity(items.len());
        for r in items {
            out.push(self.any(r)?);
        }
        Ok(PyList::new(self.py, out)?.into_any())
    }

    fn convert(&self, r: &CoreReply) -> PyResult<Py<PyAny>> {
        Ok(self.any(r)?.unbind())
    }

    fn any(&self, r: &CoreReply) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py;
        Ok(match r {
            CoreReply::Nil | CoreReply::NilArray => py.None().into_bound(py),
            CoreReply::Simple(s) => self.string(s.as_bytes())?,
            CoreReply::Bulk(b) => self.string(b)?,
            CoreReply::Verbatim(_, b) => self.string(b)?,
            CoreReply::Error(text) => {
                let text = error_text(py, text)?;
                match self.factory {
                    Some(f) => f.bind(py).call1((text,))?,
                    None => ReplyError::new_err(text.unbind())
                        .into_value(py)
                        .into_bound(py)
                        .into_any(),
                }
            }
            CoreReply::Int(i) => i.into_pyobject(py)?.into_any(),
            CoreReply::Double(d) => {
                if self.resp3 {
                    PyFloat::new(py, *d).into_any()
                } else {
                    self.string(format_double(*d).as_bytes())?
                }
            }
            CoreReply::HumanDouble(d) => {
                if self.resp3 {
                    PyFloat::new(py, human_value(*d)).into_any()
                } else {
                    self.string(format_human(*d).as_bytes())?
                }
            }
            CoreReply::Bool(b) => {
                if self.resp3 {
                    pyo3::types::PyBool::new(py, *b).to_owned().into_any()
                } else {
                    (*b as i64).into_pyobject(py)?.into_any()
                }
            }
            CoreReply::Array(items) | CoreReply::Set(items) | CoreReply::Push(items) => {
                self.list(items.iter())?
            }
            CoreReply::Map(pairs) => {
                if self.resp3 {
                    let d = PyDict::new(py);
                    for (k, v) in pairs {
                        d.set_item(self.any(k)?, self.any(v)?)?;
                    }
                    d.into_any()
                } else {
                    self.list(
                        pairs
                            .iter()
                            .flat_map(|(k, v)| [k, v])
                            .collect::<Vec<_>>()
                            .into_iter(),
                    )?
                }
            }
        })
    }
}

fn kind<'py>(py: Python<'py>, name: &str, value: Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
    Ok(
        PyTuple::new(py, [PyString::new(py, name).into_any(), value])?
            .into_any()
            .unbind(),
    )
}

fn tree(py: Python<'_>, r: &CoreReply, resp2: bool) -> PyResult<Py<PyAny>> {
    let list = |items: &mut dyn Iterator<Item = &CoreReply>| -> PyResult<Bound<'_, PyAny>> {
        let mut out = Vec::new();
        for it in items {
            out.push(tree(py, it, resp2)?);
        }
        Ok(PyList::new(py, out)?.into_any())
    };
    let bytes = |b: &[u8]| PyBytes::new(py, b).into_any();
    match r {
        CoreReply::Nil => kind(py, "nil", py.None().into_bound(py)),
        CoreReply::NilArray => kind(py, "nilarray", py.None().into_bound(py)),
        CoreReply::Simple(s) => kind(py, "simple", bytes(s.as_bytes())),
        CoreReply::Error(e) => kind(py, "error", error_text(py, e)?),
        CoreReply::Int(i) => kind(py, "int", i.into_pyobject(py)?.into_any()),
        CoreReply::Bulk(b) => kind(py, "bulk", bytes(b)),
        CoreReply::Double(d) if resp2 => kind(py, "bulk", bytes(format_double(*d).as_bytes())),
        CoreReply::Double(d) => kind(py, "double", PyFloat::new(py, *d).into_any()),
        CoreReply::HumanDouble(d) if resp2 => kind(py, "bulk", bytes(format_human(*d).as_bytes())),
        CoreReply::HumanDouble(d) => {
            kind(py, "double", PyFloat::new(py, human_value(*d)).into_any())
        }
        CoreReply::Bool(b) if resp2 => kind(py, "int", (*b as i64).into_pyobject(py)?.into_any()),
        CoreReply::Bool(b) => kind(
            py,
            "bool",
            pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        ),
        CoreReply::Array(items) => kind(py, "array", list(&mut items.iter())?),
        CoreReply::Set(items) => kind(
            py,
            if resp2 { "array" } else { "set" },
            list(&mut items.iter())?,
        ),
        CoreReply::Push(items) => kind(
            py,
            if resp2 { "array" } else { "push" },
            list(&mut items.iter())?,
        ),
        CoreReply::Map(pairs) if resp2 => kind(
            py,
            "array",
            list(&mut pairs.iter().flat_map(|(k, v)| [k, v]))?,
        ),
        CoreReply::Map(pairs) => {
            let mut out = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                out.push(PyTuple::new(py, [tree(py, k, resp2)?, tree(py, v, resp2)?])?.into_any());
            }
            kind(py, "map", PyList::new(py, out)?.into_any())
        }
        CoreReply::Verbatim(_, b) if resp2 => kind(py, "bulk", bytes(b)),
        CoreReply::Verbatim(fmt, b) => {
            let v = PyTuple::new(py, [PyString::new(py, fmt).into_any(), bytes(b)])?.into_any();
            kind(py, "verbatim", v)
        }
    }
}

/// An error reply's bytes as redis-py reads them off a socket: decoded as UTF-8 with
/// "replace" by Python itself, so a client's non-UTF-8 bytes echoed in an error come
/// out as they would over RESP.
fn error_text<'py>(py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    PyBytes::new(py, text).call_method1("decode", ("utf-8", "replace"))
}

/// Redis's RESP2 text for a double (`%.17g`, `inf`, `-inf`, `nan`).
#[pyfunction(name = "format_double")]
fn py_format_double(d: f64) -> String {
    format_double(d)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Db>()?;
    m.add_class::<Session>()?;
    m.add_class::<Reply>()?;
    m.add("ReplyError", m.py().get_type::<ReplyError>())?;
    m.add_function(wrap_pyfunction!(py_format_double, m)?)?;
    server::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
