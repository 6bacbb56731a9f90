//! File descriptors: enough for `maxclients`, and a refusal, not a hang, past them.
//!
//! Every client is a socket, so `maxclients` clients need as many descriptors, plus
//! the server's own (SQLite's files, the listeners, the runtime's). At start the
//! soft limit on open files is raised to fit, or `maxclients` is lowered to fit what
//! the system allows, as Redis's `adjustOpenFilesLimit` does (server.c), with its log
//! lines. A client past `maxclients` is then answered `-ERR max number of clients
//! reached` (server.rs).
//!
//! Should the process still run out (the limit lowered from outside, descriptors
//! the reserve did not foresee), accept fails with EMFILE and the connection stays
//! in the listen backlog: the listener is ready again at once, and a plain retry
//! spins while the client waits for ever. A `Spare` descriptor is kept open for
//! that case: it is closed to accept the waiting client, which is refused and
//! closed, and then opened again.

use std::io;

use crate::ops::{self, Level};
use crate::transport::Accepted;
use redlite_core::Db;

/// Descriptors kept for the server's own use (Redis's `CONFIG_MIN_RESERVED_FDS`).
pub(crate) const RESERVED: u64 = 32;

/// Raise the soft limit on open files to `maxclients + RESERVED` if it is lower,
/// or as close to it as the system allows; the `maxclients` that fits (lowered, and
/// logged, when the limit could not be raised enough). An error when not even the
/// reserve fits, as Redis refuses to start then.
pub(crate) fn adjust_open_files_limit(db: &Db, log: bool, maxclients: u64) -> io::Result<u64> {
    let wanted = maxclients + RESERVED;
    let Some((soft, hard)) = get_limit() else {
        ops::log(
            db,
            log,
            Level::Warning,
            "Unable to obtain the current NOFILE limit, assuming 1024 and setting the max \
             clients configuration accordingly.",
        );
        return Ok(1024 - RESERVED);
    };
    if soft >= wanted {
        return Ok(maxclients);
    }
    // The best limit at or below `wanted` that the system grants, 16 at a time.
    let mut best = wanted;
    let mut error = None;
    while best > soft {
        match set_limit(best, hard.max(best)) {
            Ok(()) => break,
            Err(e) => error = Some(e),
        }
        if best < 16 {
            best = soft;
            break;
        }
        best -= 16;
    }
    let best = best.max(soft);
    if best >= wanted {
        ops::log(
            db,
            log,
            Level::Notice,
            &format!(
                "Increased maximum number of open files to {} (it was originally set to {}).",
                wanted, soft
            ),
        );
        return Ok(maxclients);
    }
    if best <= RESERVED {
        let text = format!(
            "Your current 'ulimit -n' of {} is not enough for the server to start. Please \
             increase your open file limit to at least {}. Exiting.",
            soft, wanted
        );
        ops::log(db, log, Level::Warning, &text);
        return Err(io::Error::other(text));
    }
    let fitting = best - RESERVED;
    // strerror's text, as Redis logs it (without Rust's " (os error N)").
    let why = error.map_or_else(
        || "unknown".to_string(),
        |e| {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        },
    );
    for line in [
        format!(
            "You requested maxclients of {} requiring at least {} max file descriptors.",
            maxclients, wanted
        ),
        format!(
            "Server can't set maximum open files to {} because of OS error: {}.",
            wanted, why
        ),
        format!(
            "Current maximum open files is {}. maxclients has been reduced to {} to \
             compensate for low ulimit. If you need higher maxclients increase 'ulimit -n'.",
            best, fitting
        ),
    ] {
        ops::log(db, log, Level::Warning, &line);
    }
    Ok(fitting)
}

#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not on every Unix
fn get_limit() -> Option<(u64, u64)> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return None;
    }
    Some((limit.rlim_cur as u64, limit.rlim_max as u64))
}

#[cfg(unix)]
fn set_limit(soft: u64, hard: u64) -> io::Result<()> {
    let limit = libc::rlimit {
        rlim_cur: soft as libc::rlim_t,
        rlim_max: hard as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct it is given.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(not(unix))]
fn get_limit() -> Option<(u64, u64)> {
    Some((u64::MAX, u64::MAX))
}

#[cfg(not(unix))]
fn set_limit(_soft: u64, _hard: u64) -> io::Result<()> {
    Ok(())
}

/// True for accept's "out of descriptors" errors (EMFILE, ENFILE).
pub(crate) fn is_out_of_descriptors(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        matches!(e.raw_os_error(), Some(libc::EMFILE) | Some(libc::ENFILE))
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// One descriptor held in reserve, so that a client can still be accepted, and
/// refused, when the process is out of them.
pub(crate) struct Spare(Option<std::fs::File>);

impl Spare {
    pub(crate) fn open() -> Spare {
        Spare(std::fs::File::open("/dev/null").ok())
    }

    /// Free the spare descriptor for one accept; `restore` takes it again.
    pub(crate) fn release(&mut self) -> bool {
        self.0.take().is_some()
    }

    pub(crate) fn restore(&mut self) {
        if self.0.is_none() {
            *self = Spare::open();
        }
    }
}

/// Refuse a client accepted on the spare descriptor: the error, as for maxclients,
/// written without waiting (a TLS client, which needs a handshake first, is only
/// closed), then closed.
pub(crate) fn refuse_now(accepted: Accepted) {
    let _ = accepted.try_write(b"-ERR max number of clients reached\r\n");
}
