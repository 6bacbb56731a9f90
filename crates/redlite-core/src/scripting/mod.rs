//! Lua scripting: EVAL's script cache and FUNCTION's libraries on one embedded Lua 5.1
//! VM per `Db` (mlua, vendored), as Redis 7.0 has one per server.
//!
//! A script runs inside the transaction of the command that called it (EVAL's write
//! transaction, EVAL_RO's snapshot): `redis.call` runs each command on that same
//! connection, so the script is atomic, and what it wrote before a runtime error stays
//! written, as in Redis. The sandbox (sandbox.lua) gives scripts Redis's globals and
//! nothing else; convert.rs turns replies into Lua values and back with Redis's rules;
//! libs.rs has cjson, cmsgpack, bit and struct; functions.rs the FUNCTION libraries.
//!
//! One script runs at a time per `Db` (the VM's lock). While it runs, `Running` says
//! since when, so other clients get the BUSY error once it has run longer than
//! busy-reply-threshold, and SCRIPT KILL / FUNCTION KILL can stop it (a count hook
//! checks the kill flag). Once killed, the hook raises at every call, and the
//! sandbox's pcall, xpcall and coroutine.resume hand the kill's error on instead of
//! returning it, so a script cannot catch it; the hook is a global one, which every
//! coroutine inherits.
//!
//! Lua's own allocations are capped per run by `lua-memory-limit` (mlua's limit):
//! past it the script gets Lua's "not enough memory" error. mlua aborts the process
//! when the system allocator itself fails, so the cap is what keeps a script from
//! getting there.

mod convert;
pub mod functions;
mod libs;

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use mlua::{Function, HookTriggers, Lua, LuaOptions, MultiValue, StdLib, Table, Value, VmState};
use parking_lot::Mutex;
use rusqlite::Connection;

use crate::command::{lookup, Ctx, SessionState, Spec};
use crate::db::Db;
use crate::error::{Error, Result};
use crate::reply::Reply;

pub use functions::Library;

/// Redis's default busy-reply-threshold (lua-time-limit), in milliseconds.
pub const DEFAULT_BUSY_MS: i64 = 5000;

/// lua-memory-limit's default: what one script may allocate on top of what the VM
/// already holds (cached scripts, libraries).
pub const DEFAULT_MEMORY_LIMIT: i64 = 256 * 1024 * 1024;

/// Instructions between two looks at the kill flag. Redis looks every 100,000; the
/// count is per coroutine, and a loop that spends its time in fresh coroutines runs
/// few instructions of its own, so redlite looks ten times as often (a hook call per
/// 10,000 instructions costs well under 1%).
const HOOK_EVERY: u32 = 10_000;

const KILLED: &str = "ERR Script killed by user with SCRIPT KILL...";

/// The flags a script declares in its shebang (`#!lua flags=no-writes,allow-oom`) or
/// a function in `register_function`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScriptFlags {
    /// No shebang: an EVAL script in Redis 6's compatibility mode.
    pub compat: bool,
    pub no_writes: bool,
    pub allow_oom: bool,
    pub allow_stale: bool,
    pub no_cluster: bool,
    pub allow_cross_slot_keys: bool,
}

/// Redis's script flags, by name.
pub const FLAG_NAMES: &[&str] = &[
    "no-writes",
    "allow-oom",
    "allow-stale",
    "no-cluster",
    "allow-cross-slot-keys",
];

impl ScriptFlags {
    /// Set the flag `name`; false if there is no such flag.
    pub fn set(&mut self, name: &str) -> bool {
        match name {
            "no-writes" => self.no_writes = true,
            "allow-oom" => self.allow_oom = true,
            "allow-stale" => self.allow_stale = true,
            "no-cluster" => self.no_cluster = true,
            "allow-cross-slot-keys" => self.allow_cross_slot_keys = true,
            _ => return false,
        }
        true
    }

    /// The set flags' names, in Redis's order.
    pub fn names(&self) -> Vec<&'static str> {
        let on = [
            self.no_writes,
            self.allow_oom,
            self.allow_stale,
            self.no_cluster,
            self.allow_cross_slot_keys,
        ];
        FLAG_NAMES
            .iter()
            .zip(on)
            .filter(|(_, on)| *on)
            .map(|(n, _)| *n)
            .collect()
    }
}

/// busy-reply-threshold's hook (config.rs): the engine keeps the value at hand for
/// the check every command makes.
pub fn apply_busy_reply_threshold(db: &Db, value: &str) -> std::result::Result<(), String> {
    let ms = value
        .parse::<i64>()
        .map_err(|_| "argument couldn't be parsed into an integer".to_string())?;
    db.scripting().set_busy_reply_threshold(ms);
    Ok(())
}

/// lua-memory-limit's hook (config.rs): bytes, 0 for no limit.
pub fn apply_memory_limit(db: &Db, value: &str) -> std::result::Result<(), String> {
    let bytes = crate::config::parse_memory(value)
        .ok_or_else(|| "argument must be a memory value".to_string())?;
    db.scripting().memory_limit.store(bytes, Ordering::Relaxed);
    Ok(())
}

/// Parse an EVAL script's shebang line as Redis 7.0's `evalExtractShebangFlags`:
/// the flags, and how many bytes the shebang takes (0 without one).
pub fn shebang_flags(body: &[u8]) -> Result<(ScriptFlags, usize)> {
    if !body.starts_with(b"#!") {
        return Ok((
            ScriptFlags {
                compat: true,
                ..Default::default()
            },
            0,
        ));
    }
    let Some(end) = body.iter().position(|&c| c == b'\n') else {
        return Err(Error::redis("ERR Invalid script shebang"));
    };
    let line = String::from_utf8_lossy(&body[..end]);
    let parts: Vec<&str> = line.split_ascii_whitespace().collect();
    let Some(engine) = parts.first() else {
        return Err(Error::redis("ERR Invalid engine in script shebang"));
    };
    if *engine != "#!lua" {
        return Err(Error::redis(format!(
            "ERR Unexpected engine in script shebang: {}",
            engine
        )));
    }
    let mut flags = ScriptFlags::default();
    for part in &parts[1..] {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(Error::redis(format!(
                "ERR Unknown lua shebang option: {}",
                part
            )));
        };
        for f in list.split(',').filter(|f| !f.is_empty()) {
            if !flags.set(f) {
                return Err(Error::redis(format!(
                    "ERR Unexpected flag in script shebang: {}",
                    f
                )));
            }
        }
    }
    Ok((flags, end))
}

/// The lowercase hex SHA1 of `data` (script ids, redis.sha1hex).
pub fn sha1hex(data: &[u8]) -> String {
    sha1_smol::Sha1::from(data).digest().to_string()
}

/// The script running now, for BUSY replies and SCRIPT KILL.
struct Running {
    started: Instant,
    /// A function (FCALL) rather than an EVAL script.
    function: bool,
    /// The client running it: its own commands are not BUSY.
    client: u64,
    /// The script's sha or the function's name.
    name: String,
}

/// The per-`Db` scripting state.
pub struct Engine {
    vm: Mutex<Option<Vm>>,
    running: Mutex<Option<Running>>,
    /// Set by SCRIPT KILL / FUNCTION KILL; the count hook raises the error.
    kill: Arc<AtomicBool>,
    /// Set by the first write of the running script: it can no longer be killed.
    wrote: Arc<AtomicBool>,
    busy_ms: AtomicI64,
    /// lua-memory-limit, in bytes (0: none).
    memory_limit: AtomicI64,
    /// FUNCTION STATS's libraries and functions counts, readable while a script runs.
    counts: Mutex<(usize, usize)>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine {
            vm: Mutex::new(None),
            running: Mutex::new(None),
            kill: Arc::new(AtomicBool::new(false)),
            wrote: Arc::new(AtomicBool::new(false)),
            busy_ms: AtomicI64::new(DEFAULT_BUSY_MS),
            memory_limit: AtomicI64::new(DEFAULT_MEMORY_LIMIT),
            counts: Mutex::new((0, 0)),
        }
    }
}

/// One compiled EVAL script.
struct Script {
    func: Function,
    flags: ScriptFlags,
}

/// The Lua VM and what lives in it.
pub(crate) struct Vm {
    lua: Lua,
    kill: Arc<AtomicBool>,
    /// The chunk names the host compiles with, kept alive: the parser of Lua 5.1.5
    /// does not anchor its chunk name while it compiles (CVE-2025-49844), so a name
    /// Lua interns must already be referenced, and then is never collected.
    _names: Vec<mlua::LuaString>,
    hooks: Table,
    scripts: HashMap<String, Script>,
    pub(crate) libraries: functions::Libraries,
}

/// What a script is: an EVAL script (its sha) or a function (its name).
#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Eval,
    Function,
}

impl Engine {
    /// busy-reply-threshold in milliseconds (0: never BUSY).
    pub fn busy_reply_threshold(&self) -> i64 {
        self.busy_ms.load(Ordering::Relaxed)
    }

    pub fn set_busy_reply_threshold(&self, ms: i64) {
        self.busy_ms.store(ms.max(0), Ordering::Relaxed);
    }

    /// The BUSY error for a command `spec` (its subcommand resolved) of client `client`,
    /// if a script of another client has run longer than busy-reply-threshold.
    pub fn busy_error(&self, spec: &Spec, client: u64) -> Option<Error> {
        let running = self.running.lock();
        let r = running.as_ref()?;
        let threshold = self.busy_reply_threshold();
        if r.client == client
            || threshold <= 0
            || (r.started.elapsed().as_millis() as i64) < threshold
            || spec.flags.contains(&"allow_busy")
        {
            return None;
        }
        Some(Error::redis(if r.function {
            "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
        } else {
            "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
        }))
    }

    /// SCRIPT KILL (`function` false) or FUNCTION KILL (true), as Redis's `scriptKill`.
    pub fn kill(&self, function: bool) -> Result<Reply> {
        let running = self.running.lock();
        let Some(r) = running.as_ref() else {
            return Err(Error::redis("NOTBUSY No scripts in execution right now."));
        };
        if self.wrote.load(Ordering::SeqCst) {
            return Err(Error::redis(
                "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
            ));
        }
        if r.function != function {
            return Err(Error::redis(if r.function {
                "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."
            } else {
                "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."
            }));
        }
        self.kill.store(true, Ordering::SeqCst);
        Ok(Reply::ok())
    }

    /// On shutdown: kill the running script if it can be killed (it then ends at its
    /// next hook). True if none runs, or it is killable; false for a script that has
    /// written, which the caller must not wait for: stopping it would keep its
    /// writes, so the process exits with its transaction uncommitted instead.
    pub fn stop_for_shutdown(&self) -> bool {
        if self.running.lock().is_none() {
            return true;
        }
        if self.wrote.load(Ordering::SeqCst) {
            return false;
        }
        self.kill.store(true, Ordering::SeqCst);
        true
    }

    /// True while a script runs.
    pub fn is_running(&self) -> bool {
        self.running.lock().is_some()
    }

    /// Run `f` with the VM, creating it on first use (and loading the FUNCTION
    /// libraries stored in the database on `conn`).
    pub(crate) fn with_vm<T>(
        &self,
        conn: Option<&Connection>,
        f: impl FnOnce(&mut Vm) -> Result<T>,
    ) -> Result<T> {
        let mut guard = self.vm.lock();
        if guard.is_none() {
            let mut vm = Vm::new(self.kill.clone())?;
            if let Some(conn) = conn {
                functions::load_stored(&mut vm, conn)?;
            }
            *guard = Some(vm);
        }
        let Some(vm) = guard.as_mut() else {
            return Err(Error::redis("ERR internal: no Lua VM"));
        };
        let result = f(vm);
        let libs = &vm.libraries.libs;
        *self.counts.lock() = (libs.len(), libs.values().map(|l| l.functions.len()).sum());
        result
    }

    /// FUNCTION STATS: the running function's name and how long it has run (ms).
    pub fn running_function(&self) -> Option<(String, i64)> {
        let running = self.running.lock();
        let r = running.as_ref().filter(|r| r.function)?;
        Some((r.name.clone(), r.started.elapsed().as_millis() as i64))
    }

    /// The number of FUNCTION libraries and of their functions.
    pub fn counts(&self) -> (usize, usize) {
        *self.counts.lock()
    }

    /// SCRIPT LOAD: compile and cache; the sha.
    pub fn load_script(&self, body: &[u8]) -> Result<String> {
        self.with_vm(None, |vm| vm.load_script(body))
    }

    /// SCRIPT EXISTS.
    pub fn script_exists(&self, sha: &[u8]) -> bool {
        let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
        self.vm
            .lock()
            .as_ref()
            .is_some_and(|vm| vm.scripts.contains_key(&sha))
    }

    /// SCRIPT FLUSH.
    pub fn flush_scripts(&self) {
        if let Some(vm) = self.vm.lock().as_mut() {
            vm.scripts.clear();
            let _ = vm.lua.gc_collect();
        }
    }
}

impl Vm {
    fn new(kill: Arc<AtomicBool>) -> Result<Vm> {
        // SAFETY: `debug` is loaded only for the sandbox's error handler (which needs
        // debug.getinfo for Redis's "on @user_script:N" positions); sandbox.lua keeps it
        // in a local and removes it from the globals before any script runs.
        let lua = unsafe {
            Lua::unsafe_new_with(
                StdLib::TABLE | StdLib::STRING | StdLib::MATH | StdLib::DEBUG,
                LuaOptions::default(),
            )
        };
        let native = libs::native(&lua).map_err(lua_err)?;
        let (hooks, env): (Table, Table) = lua
            .load(include_str!("sandbox.lua"))
            .set_name("=redlite")
            .call(native)
            .map_err(lua_err)?;
        lua.set_globals(env).map_err(lua_err)?;
        let names = vec![
            lua.create_string("@user_script").map_err(lua_err)?,
            lua.create_string("@user_function").map_err(lua_err)?,
        ];
        set_kill_hook(&lua, &kill, HOOK_EVERY).map_err(lua_err)?;
        Ok(Vm {
            lua,
            kill,
            _names: names,
            hooks,
            scripts: HashMap::new(),
            libraries: Default::default(),
        })
    }

    /// Compile an EVAL script (or find it cached): its sha.
    fn load_script(&mut self, body: &[u8]) -> Result<String> {
        let sha = sha1hex(body);
        if self.scripts.contains_key(&sha) {
            return Ok(sha);
        }
        let (flags, shebang) = shebang_flags(body)?;
        // The shebang line stays a (blank) line, so line numbers match Redis's.
        let code = &body[shebang..];
        let env: Table = self.hooks.get("eval_env").map_err(lua_err)?;
        let func = self
            .lua
            .load(code)
            .set_name("@user_script")
            .set_environment(env)
            .into_function()
            .map_err(|e| {
                Error::redis(format!(
                    "ERR Error compiling script (new function): {}",
                    syntax_message(&e)
                ))
            })?;
        self.scripts.insert(sha.clone(), Script { func, flags });
        Ok(sha)
    }
}

/// The kill hook, every `every` instructions. A global hook: coroutines inherit it
/// (a per-thread hook of mlua's is looked up by thread, and a coroutine finds none).
/// Once the kill flag is up it raises at every call, and re-arms itself to be called
/// on every instruction (of the thread mlua runs the hook on).
fn set_kill_hook(lua: &Lua, kill: &Arc<AtomicBool>, every: u32) -> mlua::Result<()> {
    let flag = kill.clone();
    lua.set_global_hook(
        HookTriggers::new().every_nth_instruction(every),
        move |lua, debug| {
            if !flag.load(Ordering::SeqCst) {
                return Ok(VmState::Continue);
            }
            // Not inside sandbox.lua's own code (the error handler, pcall): an error
            // there would replace the kill's error table with a bare string.
            if debug.source().source.as_deref() == Some("=redlite") {
                return Ok(VmState::Continue);
            }
            if every != 1 {
                set_kill_hook(lua, &flag, 1)?;
            }
            Err(mlua::Error::external(Raise(KILLED.into())))
        },
    )
}

/// An error to raise into the script as Redis's error table {err=<text>}: the text
/// as luaPushErrorBuff leaves it ("CODE message").
#[derive(Debug)]
pub(crate) struct Raise(pub String);

impl std::fmt::Display for Raise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Raise {}

/// An mlua failure outside a script's own errors (creating the VM, ...).
fn lua_err(e: mlua::Error) -> Error {
    Error::redis(format!("ERR Lua: {}", e))
}

/// The message of a compile error, without mlua's decorations.
fn syntax_message(e: &mlua::Error) -> String {
    match e {
        mlua::Error::SyntaxError { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// How EVAL / FCALL was called.
pub(crate) struct Invocation<'x> {
    pub kind: Kind,
    /// The *_RO variant.
    pub ro_command: bool,
    pub keys: &'x [&'x [u8]],
    pub args: &'x [&'x [u8]],
}

/// Arguments as sent, without the command name.
type Argv<'x> = &'x [&'x [u8]];

/// Parse numkeys and split keys from args, with Redis's errors.
pub(crate) fn split_keys<'x>(rest: Argv<'x>) -> Result<(Argv<'x>, Argv<'x>)> {
    let numkeys = crate::num::parse_i64(rest[0])
        .ok_or_else(|| Error::redis(crate::error::msg::NOT_INTEGER))?;
    let available = rest.len() as i64 - 1;
    if numkeys > available {
        return Err(Error::redis(
            "ERR Number of keys can't be greater than number of args",
        ));
    }
    if numkeys < 0 {
        return Err(Error::redis("ERR Number of keys can't be negative"));
    }
    let n = numkeys as usize;
    Ok((&rest[1..1 + n], &rest[1 + n..]))
}

/// EVAL / EVALSHA / *_RO: `body` is the script for EVAL, `None` for EVALSHA with `sha`.
pub(crate) fn eval(
    ctx: &mut Ctx<'_>,
    body: Option<&[u8]>,
    sha: &[u8],
    inv: Invocation<'_>,
) -> Result<Reply> {
    let engine = ctx.db.scripting();
    let conn = ctx.conn()?;
    engine.with_vm(Some(conn), |vm| {
        let sha = match body {
            Some(body) => vm.load_script(body)?,
            None => {
                let sha = String::from_utf8_lossy(sha).to_ascii_lowercase();
                if sha.len() != 40 || !vm.scripts.contains_key(&sha) {
                    return Err(Error::redis(
                        "NOSCRIPT No matching script. Please use EVAL.",
                    ));
                }
                sha
            }
        };
        let Some(script) = vm.scripts.get(&sha) else {
            return Err(Error::redis(
                "NOSCRIPT No matching script. Please use EVAL.",
            ));
        };
        let (func, flags) = (script.func.clone(), script.flags);
        if inv.ro_command && !flags.compat && !flags.no_writes {
            return Err(Error::redis(
                "ERR Can not execute a script with write flag using *_ro command.",
            ));
        }
        run(engine, vm, ctx, &func, flags, &sha, inv)
    })
}

/// Run a compiled script or function under the running-script bookkeeping.
pub(crate) fn run(
    engine: &Engine,
    vm: &mut Vm,
    ctx: &mut Ctx<'_>,
    func: &Function,
    flags: ScriptFlags,
    name: &str,
    inv: Invocation<'_>,
) -> Result<Reply> {
    let readonly = inv.ro_command || flags.no_writes || !ctx.writable;
    SCRIPT_RESP.with(|r| r.set(2));
    engine.kill.store(false, Ordering::SeqCst);
    // The last run may have left the hook on every instruction (it was killed).
    set_kill_hook(&vm.lua, &vm.kill, HOOK_EVERY).map_err(lua_err)?;
    let limit = engine.memory_limit.load(Ordering::Relaxed).max(0) as usize;
    if limit > 0 {
        let _ = vm
            .lua
            .set_memory_limit(vm.lua.used_memory().saturating_add(limit));
    }
    engine.wrote.store(false, Ordering::SeqCst);
    *engine.running.lock() = Some(Running {
        started: Instant::now(),
        function: matches!(inv.kind, Kind::Function),
        client: ctx.session.id,
        name: name.to_string(),
    });
    SCRIPT_USER.with(|u| *u.borrow_mut() = Some((ctx.db.clone(), ctx.session.auth.user.clone())));
    let result = catch_unwind(AssertUnwindSafe(|| {
        run_inner(engine, vm, ctx, func, readonly, name, &inv)
    }));
    SCRIPT_USER.with(|u| *u.borrow_mut() = None);
    let _ = vm.lua.set_memory_limit(0);
    *engine.running.lock() = None;
    engine.kill.store(false, Ordering::SeqCst);
    match result {
        Ok(r) => r,
        Err(_) => Ok(Reply::error(format!(
            "ERR Error running script {}, internal panic",
            name
        ))),
    }
}

fn run_inner(
    engine: &Engine,
    vm: &mut Vm,
    ctx: &mut Ctx<'_>,
    func: &Function,
    readonly: bool,
    name: &str,
    inv: &Invocation<'_>,
) -> Result<Reply> {
    let lua = &vm.lua;
    let keys = bytes_table(lua, inv.keys).map_err(lua_err)?;
    let args = bytes_table(lua, inv.args).map_err(lua_err)?;
    let runner: Function = vm
        .hooks
        .get(match inv.kind {
            Kind::Eval => "run_eval",
            Kind::Function => "run_function",
        })
        .map_err(lua_err)?;
    // The script's own client: the caller's database, RESP2 until redis.setresp.
    let mut session = SessionState {
        protocol: 2,
        ..ctx.session.clone()
    };
    let caller = CallCtx {
        conn: ctx.conn()?,
        db: ctx.db,
        now: ctx.now,
        writable: ctx.writable,
        readonly,
        wrote: &engine.wrote,
        session: std::cell::RefCell::new(&mut session),
    };
    let outcome: mlua::Result<(bool, Value)> = lua.scope(|scope| {
        let call =
            scope.create_function(|lua, argv: MultiValue| match caller.call(lua, argv)? {
                Ok(v) => Ok(v),
                // Raised errors travel as text (the sandbox's handler reads them):
                // bytes that are not UTF-8 become U+FFFD here, not in pcall's table.
                Err(text) => Err(mlua::Error::external(Raise(
                    String::from_utf8_lossy(&text).into_owned(),
                ))),
            })?;
        let pcall =
            scope.create_function(|lua, argv: MultiValue| match caller.call(lua, argv)? {
                Ok(v) => Ok(v),
                Err(text) => Ok(Value::Table(convert::error_table(lua, &text)?)),
            })?;
        runner.call((func.clone(), keys, args, call, pcall))
    });
    let resp = SCRIPT_RESP.with(|r| r.get());
    let (ok, value) = match outcome {
        Ok(v) => v,
        Err(e) => {
            return Ok(Reply::error(format!(
                "ERR Error running script {}, {}",
                name,
                one_line(&e.to_string())
            )))
        }
    };
    if ok {
        return Ok(convert::lua_to_reply(&value, resp));
    }
    Ok(Reply::error(script_error(&value, name)))
}

/// The error reply of a failed script, from the handler's table
/// `{err=..., source=..., line=...}`: "<err> script: <name>, on <source>:<line>."
fn script_error(value: &Value, name: &str) -> String {
    let t = match value {
        Value::Table(t) => t,
        // Lua's own errors that skip the handler ("not enough memory"), as Redis's
        // luaCallFunction reports a non-table error.
        Value::String(s) => {
            let text = String::from_utf8_lossy(&s.as_bytes()).into_owned();
            let text: String = text.chars().take(100).collect();
            return one_line(&format!("ERR Error running script {}, {}", name, text));
        }
        _ => return format!("ERR Error running script {}, execution failure", name),
    };
    let text = |k: &str| -> Option<String> {
        match t.raw_get::<Value>(k).ok()? {
            Value::String(s) => Some(String::from_utf8_lossy(&s.as_bytes()).into_owned()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Number(n) => Some(crate::reply::format_g(n, 14)),
            _ => None,
        }
    };
    let mut msg = text("err").unwrap_or_default();
    if let (Some(source), Some(line)) = (text("source"), text("line")) {
        msg.push_str(&format!(" script: {}, on {}:{}.", name, source, line));
    }
    one_line(&msg)
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn bytes_table(lua: &Lua, items: &[&[u8]]) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(items.len(), 0)?;
    for (i, item) in items.iter().enumerate() {
        t.raw_seti(i + 1, lua.create_string(item)?)?;
    }
    Ok(t)
}

/// What redis.call needs of the running command.
struct CallCtx<'c> {
    conn: &'c Connection,
    db: &'c Db,
    now: i64,
    writable: bool,
    readonly: bool,
    wrote: &'c AtomicBool,
    session: std::cell::RefCell<&'c mut SessionState>,
}

impl CallCtx<'_> {
    /// redis.call and redis.pcall: the command's reply as a Lua value, or its error
    /// text (Err inside Ok: the caller raises it or returns it as a table).
    fn call(
        &self,
        lua: &Lua,
        argv: MultiValue,
    ) -> mlua::Result<std::result::Result<Value, Vec<u8>>> {
        let fail = |text: &[u8]| Ok(Err(text.to_vec()));
        if argv.is_empty() {
            return fail(b"ERR Please specify at least one argument for this redis lib call");
        }
        let mut args: Vec<Vec<u8>> = Vec::with_capacity(argv.len());
        for v in argv.iter() {
            match v {
                Value::String(s) => args.push(s.as_bytes().to_vec()),
                Value::Integer(i) => args.push(i.to_string().into_bytes()),
                Value::Number(n) => args.push(crate::reply::format_g(*n, 17).into_bytes()),
                _ => {
                    return fail(b"ERR Lua redis lib command arguments must be strings or integers")
                }
            }
        }
        let reply = match catch_unwind(AssertUnwindSafe(|| self.execute(&args))) {
            Ok(Ok(reply)) => reply,
            Ok(Err(e)) => Reply::Error(e.reply_bytes()),
            Err(_) => Reply::Error("ERR internal error: the command panicked".into()),
        };
        if let Reply::Error(text) = &reply {
            return fail(text);
        }
        Ok(Ok(convert::reply_to_lua(
            lua,
            reply,
            SCRIPT_RESP.with(|r| r.get()),
        )?))
    }

    /// Run one command from a script, as Redis's `scriptCall`.
    fn execute(&self, argv: &[Vec<u8>]) -> Result<Reply> {
        let name = &argv[0];
        let Some(spec) = lookup(name) else {
            return Err(Error::redis("ERR Unknown Redis command called from script"));
        };
        if !spec.arity_ok(argv.len()) {
            return Err(Error::redis(
                "ERR Wrong number of args calling Redis command from script",
            ));
        }
        let mut spec: &'static Spec = spec;
        if !spec.subcommands.is_empty() {
            if let Some(sub) = argv.get(1).and_then(|n| spec.subcommand(n)) {
                spec = sub;
            }
        }
        if spec.flags.contains(&"noscript") {
            return Err(Error::redis(
                "ERR This Redis command is not allowed from script",
            ));
        }
        // The script's user must be allowed the command, its keys and channels, as
        // Redis's scriptVerifyACL.
        let all: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
        let top_spec = lookup(name).unwrap_or(spec);
        let acl = {
            let mut session = self.session.borrow_mut();
            crate::command::acl::check_nested(
                self.db,
                &mut session,
                top_spec,
                &all,
                crate::acl::Context::Lua,
            )
        };
        if let Err(reason) = acl {
            return Err(Error::redis(match reason {
                Some("key") => "ERR The user executing the script can't access at least one of the keys mentioned in the command arguments",
                Some("channel") => "ERR The user executing the script can't publish to the channel mentioned in the command",
                _ => "ERR The user executing the script can't run this command or subcommand",
            }));
        }
        let is_write = spec.flags.contains(&"write");
        if is_write && self.readonly {
            return Err(Error::redis(
                "ERR Write commands are not allowed from read-only scripts.",
            ));
        }
        // Run the top-level entry: a container dispatches to its subcommand itself.
        let top = lookup(name).unwrap_or(spec);
        let rest: Vec<&[u8]> = argv[1..].iter().map(|a| a.as_slice()).collect();
        // A command that fails leaves nothing half done (as EXEC's commands): its
        // writes sit in a savepoint, kept on success, rolled back on error.
        self.conn.execute_batch("SAVEPOINT redlite_script_cmd")?;
        let before = self.conn.total_changes();
        let mut session = self.session.borrow_mut();
        let mut ctx = Ctx::new(
            Some(self.conn),
            self.writable,
            self.now,
            &mut session,
            self.db,
            top,
        );
        let reply = crate::command::events::run(&mut ctx, &rest);
        let end = if reply.is_ok() {
            "RELEASE redlite_script_cmd"
        } else {
            "ROLLBACK TO redlite_script_cmd; RELEASE redlite_script_cmd"
        };
        self.conn.execute_batch(end)?;
        if reply.is_ok() && self.conn.total_changes() != before {
            self.wrote.store(true, Ordering::SeqCst);
        }
        reply
    }
}

thread_local! {
    /// The RESP version redis.call replies are converted with (redis.setresp).
    pub(crate) static SCRIPT_RESP: std::cell::Cell<u8> = const { std::cell::Cell::new(2) };
    /// The database and user of the running script's caller (redis.acl_check_cmd);
    /// `None` outside a script invocation (a library's load).
    pub(crate) static SCRIPT_USER: std::cell::RefCell<Option<(Db, String)>> =
        const { std::cell::RefCell::new(None) };
}
