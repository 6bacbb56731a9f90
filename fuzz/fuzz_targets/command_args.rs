//! Every command's argument parsing, through the command table: lines of
//! space-separated arguments run one after another on one session of an in-memory
//! database. A one-byte first word picks a command (or a container's subcommand) by
//! its place in the table, so every command is reached; a longer one is a name as
//! sent. No reply may be a panic, and no command may hang (libFuzzer's -timeout).
//!
//! Left out: what waits on purpose or reaches outside the process (CLIENT PAUSE,
//! DEBUG SLEEP, WAIT, SHUTDOWN, CONFIG SET dir, SAVE, ACL SAVE/LOAD, MONITOR ...)
//! and scripts, which have their own target (lua_script).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use redlite_core::command::{all, Spec};
use redlite_core::{Db, Execution, Reply, Session};

const LEFT_OUT: &[&str] = &[
    "shutdown",
    "debug",
    "client",
    "config",
    "save",
    "bgsave",
    "bgrewriteaof",
    "wait",
    "waitaof",
    "monitor",
    "sync",
    "psync",
    "replicaof",
    "slaveof",
    "failover",
    "acl",
    "module",
    "eval",
    "eval_ro",
    "evalsha",
    "evalsha_ro",
    "fcall",
    "fcall_ro",
    "function",
    "script",
];

fn commands() -> &'static Vec<&'static Spec> {
    static TABLE: OnceLock<Vec<&'static Spec>> = OnceLock::new();
    TABLE.get_or_init(|| all().filter(|s| !LEFT_OUT.contains(&s.name)).collect())
}

fn allowed(name: &[u8]) -> bool {
    !LEFT_OUT
        .iter()
        .any(|n| n.as_bytes().eq_ignore_ascii_case(name))
}

/// One in-memory database for the run, emptied before each input (opening one per
/// input ran 3 inputs a second).
fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| Db::open_memory().expect("an in-memory database"))
}

fuzz_target!(|data: &[u8]| {
    let mut session = Session::new(db().clone());
    session.execute(&["FLUSHALL"]);
    for line in data.split(|&b| b == b'\n').take(16) {
        let mut argv: Vec<Vec<u8>> = line.split(|&b| b == b' ').map(|a| a.to_vec()).collect();
        if argv[0].len() == 1 {
            let table = commands();
            let spec = table[usize::from(argv[0][0]) % table.len()];
            argv[0] = spec.name.as_bytes().to_vec();
            if let Some(pick) = argv.get(1).filter(|a| a.len() == 1) {
                if !spec.subcommands.is_empty() {
                    let sub = &spec.subcommands[usize::from(pick[0]) % spec.subcommands.len()];
                    let name = sub.name.split_once('|').map_or(sub.name, |(_, s)| s);
                    argv[1] = name.as_bytes().to_vec();
                }
            }
        }
        if !allowed(&argv[0]) {
            continue;
        }
        match session.start(&argv) {
            Execution::Done(reply) => check(&reply),
            // Nothing will push to it: dropping it gives up the wait.
            Execution::Blocked(_) => {}
        }
    }
});

/// A reply's error text is one line, as RESP needs.
fn check(reply: &Reply) {
    match reply {
        Reply::Error(text) => assert!(
            !text.contains(&b'\r') && !text.contains(&b'\n'),
            "error reply with a line break: {:?}",
            String::from_utf8_lossy(text)
        ),
        Reply::Array(items) | Reply::Set(items) | Reply::Push(items) => {
            items.iter().for_each(check)
        }
        Reply::Map(pairs) => pairs.iter().for_each(|(k, v)| {
            check(k);
            check(v)
        }),
        _ => {}
    }
}
