//! What operating a `Db` needs beside the data: its configuration parameters
//! (config.rs), its clients (clients.rs), the slow log (slowlog.rs), CLIENT PAUSE,
//! the sampled ops/sec of INFO, and the front end's SHUTDOWN hook. One `Ops` per
//! `Db` (`db.ops()`), shared by every front end.
//!
//! `Session` calls `before` and `after` around every command: that is where a
//! paused client waits, MONITOR clients are fed, the slow log and the client's
//! CLIENT LIST figures are kept.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use parking_lot::{Condvar, Mutex};

use crate::clients::{Client, Registry};
use crate::command::{flag, SessionState, Spec};
use crate::config;
use crate::db::now_ms;
use crate::slowlog::SlowLog;

/// The entry that ran: a container's subcommand, else the command.
fn ran(spec: &'static Spec, argv: &[&[u8]]) -> &'static Spec {
    match argv.get(1) {
        Some(sub) if !spec.subcommands.is_empty() => spec.subcommand(sub).unwrap_or(spec),
        _ => spec,
    }
}

/// The slow log's parameters, read after every command.
const SLOWER_THAN: config::Slot = config::slot("slowlog-log-slower-than");
const SLOWLOG_MAX_LEN: config::Slot = config::slot("slowlog-max-len");

/// What SHUTDOWN asks of the front end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShutdownRequest {
    pub nosave: bool,
    pub save: bool,
    pub now: bool,
    pub force: bool,
    pub abort: bool,
}

/// The front end's SHUTDOWN: Ok once the stop has begun (the caller's connection
/// is closed without a reply), or Redis's error text.
pub type ShutdownHook = Box<dyn Fn(ShutdownRequest) -> Result<(), String> + Send + Sync>;

/// CLIENT PAUSE: until when (unix ms), and whether every command waits or only writes.
#[derive(Debug, Clone, Copy)]
struct Pause {
    until: i64,
    all: bool,
}

/// INFO's instantaneous_ops_per_sec, sampled as Redis's `trackInstantaneousMetric`:
/// every 100 ms the commands since the previous sample, over 16 samples.
#[derive(Debug, Default)]
struct OpsSampler {
    last: Mutex<(i64, u64)>,
    samples: Mutex<([u64; 16], usize)>,
    next_at: AtomicI64,
}

impl OpsSampler {
    /// Count the commands up to `total` at `now` (unix ms).
    fn tick(&self, total: u64, now: i64) {
        if now < self.next_at.load(Ordering::Relaxed) {
            return;
        }
        self.next_at.store(now + 100, Ordering::Relaxed);
        let mut last = self.last.lock();
        let (t0, n0) = *last;
        *last = (now, total);
        if t0 == 0 {
            return;
        }
        let dt = (now - t0).max(1) as u64;
        let rate = total.saturating_sub(n0) * 1000 / dt;
        let mut s = self.samples.lock();
        let i = s.1 % 16;
        s.0[i] = rate;
        s.1 += 1;
        // Periods with no command at all leave no sample: count them as zeros.
        let idle = (dt / 100).saturating_sub(1).min(16) as usize;
        for _ in 0..idle {
            let i = s.1 % 16;
            s.0[i] = 0;
            s.1 += 1;
        }
    }

    fn per_sec(&self, total: u64) -> u64 {
        self.tick(total, now_ms());
        let s = self.samples.lock();
        s.0.iter().sum::<u64>() / 16
    }
}

#[derive(Default)]
pub struct Ops {
    pub config: config::Store,
    pub clients: Registry,
    pub slowlog: SlowLog,
    pause: Mutex<Option<Pause>>,
    /// A cheap look before taking `pause`'s lock.
    paused: std::sync::atomic::AtomicBool,
    unpaused: Condvar,
    sampler: OpsSampler,
    shutdown: Mutex<Option<ShutdownHook>>,
}

impl std::fmt::Debug for Ops {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ops")
            .field("clients", &self.clients)
            .finish()
    }
}

impl Ops {
    /// CONFIG RESETSTAT: the statistics kept here back to zero.
    pub fn reset_stats(&self) {
        *self.sampler.samples.lock() = ([0; 16], 0);
    }

    /// INFO's instantaneous_ops_per_sec.
    pub fn ops_per_sec(&self, total: u64) -> u64 {
        self.sampler.per_sec(total)
    }

    /// CLIENT PAUSE is in force.
    pub(crate) fn paused(&self) -> bool {
        self.paused.load(Ordering::Relaxed)
    }

    /// Before a command runs at `now` (unix ms): wait while CLIENT PAUSE holds it
    /// (every command under ALL; under WRITE, those that may write). The time the
    /// command runs at: `now`, or when the pause let it go.
    pub(crate) fn before(
        &self,
        client: &Client,
        state: &SessionState,
        spec: &'static Spec,
        argv: &[&[u8]],
        mut now: i64,
    ) -> i64 {
        let multi = if state.multi.in_multi() {
            state.multi.queued() as i64 + 1
        } else {
            0
        };
        client.note(
            state.db,
            state.protocol,
            state.name.as_deref(),
            ran(spec, argv),
            multi,
            Some(now),
        );
        if !self.paused.load(Ordering::Relaxed) {
            return now;
        }
        let mut pause = self.pause.lock();
        while let Some(p) = *pause {
            now = now_ms();
            if now >= p.until {
                *pause = None;
                self.paused.store(false, Ordering::Relaxed);
                self.unpaused.notify_all();
                break;
            }
            let writes = spec.has(flag::WRITE | flag::MAY_REPLICATE);
            if !p.all && !writes {
                break;
            }
            self.unpaused
                .wait_for(&mut pause, Duration::from_millis((p.until - now) as u64));
        }
        now
    }

    /// After a command (that ran at `now`, for `micros`): feed MONITOR, the slow log,
    /// and the client's figures.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn after(
        &self,
        client: &Client,
        state: &mut SessionState,
        spec: &'static Spec,
        argv: &[&[u8]],
        now: i64,
        micros: i64,
        total: u64,
    ) {
        // As Redis's call(): the flags of the subcommand that ran (CONFIG GET and
        // CLIENT LIST are admin, CLIENT SETNAME is not), and the argv with the
        // arguments the command redacted (AUTH's password, ...).
        let spec = ran(spec, argv);
        let shown: std::borrow::Cow<'_, [&[u8]]> = match state.redacted.take() {
            Some((name, at)) if name == spec.name => argv
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    if at.contains(&i) {
                        &b"(redacted)"[..]
                    } else {
                        *a
                    }
                })
                .collect(),
            _ => argv.into(),
        };
        let argv = &shown[..];
        if !spec.has(flag::ADMIN | flag::SKIP_MONITOR) {
            self.clients.feed_monitors(client, state.db, argv);
        }
        if !spec.has(flag::SKIP_SLOWLOG) {
            let threshold = self.config.int_at(SLOWER_THAN);
            if threshold >= 0 && micros >= threshold {
                let max_len = self.config.int_at(SLOWLOG_MAX_LEN);
                let name = state.name.as_deref().unwrap_or(b"");
                self.slowlog
                    .push(threshold, max_len, micros, argv, client.peer().addr, name);
            }
        }
        let multi = if state.multi.in_multi() {
            state.multi.queued() as i64 + 1
        } else {
            0
        };
        client.note(
            state.db,
            state.protocol,
            state.name.as_deref(),
            spec,
            multi,
            None,
        );
        // The user AUTH, HELLO or RESET left the client as (CLIENT LIST's user=).
        if std::mem::take(&mut state.auth.user_changed) {
            client.set_user(&state.auth.user);
        }
        self.sampler.tick(total, now);
    }

    /// CLIENT PAUSE timeout [WRITE | ALL]
    pub(crate) fn pause(&self, until: i64, all: bool) {
        let mut pause = self.pause.lock();
        // A new pause never shortens nor weakens one in force, as in Redis.
        *pause = Some(match *pause {
            Some(p) => Pause {
                until: p.until.max(until),
                all: p.all || all,
            },
            None => Pause { until, all },
        });
        self.paused.store(true, Ordering::Relaxed);
    }

    /// CLIENT UNPAUSE
    pub(crate) fn unpause(&self) {
        *self.pause.lock() = None;
        self.paused.store(false, Ordering::Relaxed);
        self.unpaused.notify_all();
    }

    /// The front end's SHUTDOWN (the server sets it; embedded there is none).
    pub fn set_shutdown_hook(&self, hook: Option<ShutdownHook>) {
        *self.shutdown.lock() = hook;
    }

    pub(crate) fn shutdown(&self, req: ShutdownRequest) -> Result<(), String> {
        match &*self.shutdown.lock() {
            Some(hook) => hook(req),
            None => Err("Errors trying to SHUTDOWN. Check logs.".into()),
        }
    }
}
