//! MULTI, EXEC, DISCARD, WATCH, UNWATCH and RESET at the engine level: replies as
//! Redis 7.0.15 gives them, EXEC as one transaction, and WATCH aborting EXEC after a
//! write by another session, another `Db` on the same file (another process), an
//! expiry, FLUSHDB, SWAPDB, and a delete and re-create. COMMAND INFO / DOCS of the
//! new commands are compared with Redis's, recorded in `multi_meta/` (with
//! `command_meta/record.py --dir`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

mod common;

use common::{bulk, recorded, session};
use redlite_core::{Db, Execution, Reply, Session};

fn err(s: &str) -> Reply {
    Reply::error(s)
}

fn queued() -> Reply {
    Reply::Simple("QUEUED".into())
}

const EXECABORT: &str = "EXECABORT Transaction discarded because of previous errors.";

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("redlite-multi-{}-{}", name, std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn file(&self) -> std::path::PathBuf {
        self.0.join("t.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn multi_exec_discard_replies() {
    let mut s = session();
    assert_eq!(s.execute(&["EXEC"]), err("ERR EXEC without MULTI"));
    assert_eq!(s.execute(&["DISCARD"]), err("ERR DISCARD without MULTI"));
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(
        s.execute(&["MULTI"]),
        err("ERR MULTI calls can not be nested")
    );
    assert_eq!(
        s.execute(&["WATCH", "x"]),
        err("ERR WATCH inside MULTI is not allowed")
    );
    assert_eq!(s.execute(&["SET", "a", "1"]), queued());
    assert_eq!(s.execute(&["INCR", "a"]), queued());
    assert_eq!(s.execute(&["LPUSH", "a", "x"]), queued());
    assert_eq!(s.execute(&["GET", "a"]), queued());
    assert_eq!(
        s.execute(&["EXEC"]),
        Reply::Array(vec![
            Reply::ok(),
            Reply::Int(2),
            err("WRONGTYPE Operation against a key holding the wrong kind of value"),
            bulk("2"),
        ])
    );
    assert_eq!(s.execute(&["EXEC"]), err("ERR EXEC without MULTI"));
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["EXEC"]), Reply::Array(vec![]));
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["SET", "a", "3"]), queued());
    assert_eq!(s.execute(&["DISCARD"]), Reply::ok());
    assert_eq!(s.execute(&["GET", "a"]), bulk("2"));
}

#[test]
fn queue_time_errors_abort_exec() {
    let mut s = session();
    for bad in [&["SET", "a"][..], &["NOPE"], &["COMMAND", "NOPE"]] {
        assert_eq!(s.execute(&["MULTI"]), Reply::ok());
        assert_eq!(s.execute(&["SET", "a", "1"]), queued());
        assert!(s.execute(bad).is_error(), "{:?}", bad);
        assert_eq!(s.execute(&["EXEC"]), err(EXECABORT), "{:?}", bad);
        assert_eq!(s.execute(&["GET", "a"]), Reply::Nil);
    }
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(
        s.execute(&["COMMAND", "NOPE"]),
        err("ERR unknown subcommand 'NOPE'. Try COMMAND HELP.")
    );
    assert_eq!(
        s.execute(&["COMMAND", "COUNT", "x"]),
        err("ERR wrong number of arguments for 'command|count' command")
    );
    assert_eq!(s.execute(&["EXEC"]), err(EXECABORT));
    // Nested MULTI and WATCH inside MULTI are refused without dooming the transaction.
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert!(s.execute(&["MULTI"]).is_error());
    assert!(s.execute(&["WATCH", "a"]).is_error());
    assert_eq!(s.execute(&["SET", "a", "1"]), queued());
    assert_eq!(s.execute(&["EXEC"]), Reply::Array(vec![Reply::ok()]));
}

#[test]
fn select_inside_multi_and_blocking_commands_do_not_block() {
    let mut s = session();
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    for argv in [
        &["SELECT", "1"][..],
        &["SET", "k", "v"],
        &["BLPOP", "l", "0"],
        &["BRPOPLPUSH", "l", "m", "0"],
        &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"],
    ] {
        assert_eq!(s.execute(argv), queued());
    }
    assert_eq!(
        s.execute(&["EXEC"]),
        Reply::Array(vec![
            Reply::ok(),
            Reply::ok(),
            Reply::NilArray,
            Reply::Nil,
            Reply::NilArray
        ])
    );
    assert_eq!(s.selected_db(), 1);
    assert_eq!(s.execute(&["GET", "k"]), bulk("v"));
}

#[test]
fn reset_discards_unwatches_and_selects_0() {
    let mut s = session();
    assert_eq!(s.execute(&["SELECT", "3"]), Reply::ok());
    assert!(!s.execute(&["HELLO", "3", "SETNAME", "me"]).is_error());
    assert_eq!(s.execute(&["WATCH", "a"]), Reply::ok());
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["SET", "a", "1"]), queued());
    let id = s.state().id;
    assert_eq!(s.execute(&["RESET"]), Reply::Simple("RESET".into()));
    assert_eq!(s.execute(&["EXEC"]), err("ERR EXEC without MULTI"));
    assert_eq!(s.selected_db(), 0);
    assert_eq!(s.state().protocol, 2);
    assert_eq!(s.state().name, None);
    assert_eq!(s.state().id, id);
    assert_eq!(s.state().multi.watching(), 0);
}

/// WATCH a, let `meddle` run, then MULTI; GET a; EXEC: true if EXEC ran.
fn exec_runs(s: &mut Session, meddle: impl FnOnce(&mut Session)) -> bool {
    assert_eq!(s.execute(&["WATCH", "a"]), Reply::ok());
    meddle(s);
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["GET", "a"]), queued());
    match s.execute(&["EXEC"]) {
        Reply::NilArray => false,
        Reply::Array(_) => true,
        other => panic!("EXEC answered {:?}", other),
    }
}

#[test]
fn watch_sees_other_sessions_expiry_flush_swap_and_recreate() {
    let db = Db::open_memory().unwrap();
    let mut s = Session::new(db.clone());
    let other = std::cell::RefCell::new(Session::new(db));
    let o = |argv: &[&str]| {
        let r = other.borrow_mut().execute(argv);
        assert!(!r.is_error(), "{:?}: {:?}", argv, r);
    };
    assert!(exec_runs(&mut s, |_| {}));
    assert!(exec_runs(&mut s, |_| o(&["GET", "a"])));
    assert!(!exec_runs(&mut s, |_| o(&["SET", "a", "1"])));
    assert!(!exec_runs(&mut s, |_| o(&["SET", "a", "1"])), "same value");
    assert!(!exec_runs(&mut s, |s| assert_eq!(
        s.execute(&["SET", "a", "2"]),
        Reply::ok()
    )));
    assert!(exec_runs(&mut s, |s| {
        assert_eq!(s.execute(&["UNWATCH"]), Reply::ok());
        o(&["SET", "a", "3"]);
    }));
    assert!(
        !exec_runs(&mut s, |_| {
            o(&["DEL", "a"]);
            o(&["SET", "a", "3"]);
        }),
        "no ABA after DEL and re-create"
    );
    assert!(
        !exec_runs(&mut s, |_| {
            o(&["DEL", "a"]);
            o(&["SET", "a", "3"]);
            o(&["DEL", "a"]);
        }),
        "absent at WATCH, absent at EXEC, present in between"
    );
    assert!(!exec_runs(&mut s, |_| {
        o(&["SET", "x", "3"]);
        o(&["RENAME", "x", "a"]);
        o(&["DEL", "a"]);
    }));
    assert!(!exec_runs(&mut s, |_| {
        o(&["SELECT", "1"]);
        o(&["SET", "a", "1"]);
        o(&["SELECT", "0"]);
        o(&["SWAPDB", "0", "1"]);
        o(&["SWAPDB", "0", "1"]);
    }));
    assert!(
        exec_runs(&mut s, |_| {
            o(&["SELECT", "1"]);
            o(&["DEL", "a"]);
            o(&["SET", "a", "1"]);
            o(&["DEL", "a"]);
            o(&["SELECT", "0"]);
        }),
        "another database"
    );
    o(&["SET", "a", "3"]);
    assert!(!exec_runs(&mut s, |_| o(&["FLUSHDB"])));
    assert!(
        exec_runs(&mut s, |_| o(&["FLUSHDB"])),
        "FLUSHDB of an absent key"
    );
    o(&["SET", "a", "1"]);
    assert!(exec_runs(&mut s, |_| o(&["SWAPDB", "1", "2"])));
    assert!(!exec_runs(&mut s, |_| o(&["SWAPDB", "0", "1"])));
    assert!(
        exec_runs(&mut s, |_| o(&["SWAPDB", "0", "2"])),
        "absent in both"
    );
    assert!(!exec_runs(&mut s, |_| o(&["SWAPDB", "0", "1"])));
    // Another database's key of the same name is another key.
    assert!(exec_runs(&mut s, |_| o(&["MOVE", "b", "1"])));
    o(&["SET", "a", "1", "PX", "30"]);
    assert!(
        !exec_runs(&mut s, |_| std::thread::sleep(Duration::from_millis(60))),
        "expired"
    );
    o(&["SET", "a", "1", "PX", "1"]);
    std::thread::sleep(Duration::from_millis(10));
    assert!(exec_runs(&mut s, |_| {}), "WATCH of an already expired key");
    o(&["SET", "a", "1"]);
    assert!(!exec_runs(&mut s, |_| o(&["EXPIRE", "a", "100"])));
    assert!(exec_runs(&mut s, |_| o(&["PERSIST", "b"])));
    let Reply::Bulk(payload) = other.borrow_mut().execute(&["DUMP", "a"]) else {
        panic!()
    };
    assert!(!exec_runs(&mut s, |_| {
        let argv: [&[u8]; 5] = [b"RESTORE", b"a", b"0", &payload, b"REPLACE"];
        assert_eq!(other.borrow_mut().execute(&argv), Reply::ok());
    }));
    assert!(!exec_runs(&mut s, |_| {
        o(&["DEL", "a"]);
        let argv: [&[u8]; 4] = [b"RESTORE", b"a", b"0", &payload];
        assert_eq!(other.borrow_mut().execute(&argv), Reply::ok());
    }));
    // A watch outlives a refused EXEC only when there was no MULTI.
    assert_eq!(s.execute(&["WATCH", "a"]), Reply::ok());
    assert_eq!(s.execute(&["EXEC"]), err("ERR EXEC without MULTI"));
    o(&["SET", "a", "9"]);
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["EXEC"]), Reply::NilArray);
    // DISCARD unwatches.
    assert_eq!(s.execute(&["WATCH", "a"]), Reply::ok());
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["DISCARD"]), Reply::ok());
    o(&["SET", "a", "10"]);
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["EXEC"]), Reply::Array(vec![]));
}

#[test]
fn watch_sees_another_process_on_the_same_file() {
    let dir = TempDir::new("process");
    let mut s = Session::new(Db::open(dir.file()).unwrap());
    // A second `Db` on the file has its own writer connection, as another process.
    let mut other = Session::new(Db::open(dir.file()).unwrap());
    assert!(exec_runs(&mut s, |_| {
        other.execute(&["SET", "b", "1"]);
    }));
    assert!(!exec_runs(&mut s, |_| {
        other.execute(&["SET", "a", "1"]);
    }));
    assert!(!exec_runs(&mut s, |_| {
        other.execute(&["DEL", "a"]);
        other.execute(&["SET", "a", "1"]);
    }));
    assert!(!exec_runs(&mut s, |_| {
        other.execute(&["APPEND", "a", "x"]);
    }));
    assert!(exec_runs(&mut s, |_| {}));
}

#[test]
fn exec_is_atomic_for_readers() {
    let dir = TempDir::new("atomic");
    let db = Db::open(dir.file()).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let reader = {
        let db = db.clone();
        let stop = stop.clone();
        let seen = seen.clone();
        std::thread::spawn(move || {
            let mut r = Session::new(db);
            while !stop.load(Ordering::Relaxed) {
                match r.execute(&["MGET", "a", "b", "c"]) {
                    Reply::Array(v) => {
                        assert!(v[0] == v[1] && v[1] == v[2], "a partial EXEC: {:?}", v);
                        seen.fetch_add(1, Ordering::Relaxed);
                    }
                    other => panic!("{:?}", other),
                }
            }
        })
    };
    let mut w = Session::new(db);
    // 300 EXECs, and more until the reader has read a few times beside them (on a
    // busy machine its thread may start after 300 are done).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut i = 0;
    while i < 300 || (seen.load(Ordering::Relaxed) < 10 && std::time::Instant::now() < deadline) {
        i += 1;
        let v = i.to_string();
        assert_eq!(w.execute(&["MULTI"]), Reply::ok());
        for k in ["a", "b", "c"] {
            assert_eq!(w.execute(&["SET", k, &v]), queued());
        }
        assert!(matches!(w.execute(&["EXEC"]), Reply::Array(_)));
    }
    stop.store(true, Ordering::Relaxed);
    reader.join().unwrap();
    assert!(seen.load(Ordering::Relaxed) > 0);
}

#[test]
fn exec_serves_blocked_clients_after_the_whole_queue() {
    let db = Db::open_memory().unwrap();
    let mut waiter = Session::new(db.clone());
    let blocked = match waiter.start(&["BLPOP", "l", "0"]) {
        Execution::Blocked(b) => b,
        Execution::Done(r) => panic!("BLPOP answered {:?}", r),
    };
    let mut s = Session::new(db);
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["RPUSH", "l", "a", "b"]), queued());
    assert_eq!(s.execute(&["LPOP", "l"]), queued());
    assert_eq!(
        s.execute(&["EXEC"]),
        Reply::Array(vec![Reply::Int(2), bulk("a")])
    );
    assert_eq!(blocked.wait(), Reply::Array(vec![bulk("l"), bulk("b")]));
    assert_eq!(s.execute(&["EXISTS", "l"]), Reply::Int(0));
}

#[test]
fn failed_command_in_exec_keeps_the_others() {
    let mut s = session();
    assert_eq!(s.execute(&["SET", "s", "x"]), Reply::ok());
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["INCR", "n"]), queued());
    assert_eq!(s.execute(&["INCR", "s"]), queued());
    assert_eq!(s.execute(&["RENAME", "nokey", "x"]), queued());
    assert_eq!(s.execute(&["INCR", "n"]), queued());
    assert_eq!(
        s.execute(&["EXEC"]),
        Reply::Array(vec![
            Reply::Int(1),
            err("ERR value is not an integer or out of range"),
            err("ERR no such key"),
            Reply::Int(2),
        ])
    );
}

#[test]
fn scripts_and_containers_inside_exec() {
    let mut s = session();
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    for argv in [
        &["EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"][..],
        &["EVAL", "return redis.call('INCR', KEYS[1])", "1", "n"],
        &["FUNCTION", "LOAD", "#!lua name=lib\nredis.register_function('f', function(k) return redis.call('GET', k[1]) end)"],
        &["FCALL", "f", "1", "n"],
        &["OBJECT", "ENCODING", "n"],
        &["CONFIG", "GET", "maxclients"],
    ] {
        assert_eq!(s.execute(argv), queued(), "{:?}", argv);
    }
    let Reply::Array(replies) = s.execute(&["EXEC"]) else {
        panic!()
    };
    assert_eq!(replies[..2], [Reply::Int(1), Reply::Int(2)]);
    assert_eq!(replies[2], bulk("lib"));
    assert_eq!(replies[3], bulk("2"));
    assert_eq!(replies[4], bulk("int"));
    assert!(!replies[5].is_error(), "{:?}", replies[5]);
}

// ---------------------------------------------------------------------------------
// COMMAND INFO and COMMAND DOCS against Redis's recorded replies.
// ---------------------------------------------------------------------------------

const NAMES: &[&str] = &["multi", "exec", "discard", "watch", "unwatch", "reset"];

#[test]
fn command_info_as_redis() {
    let mut s = session();
    let entries = recorded("multi_meta/info.resp3");
    assert_eq!(entries.len(), NAMES.len());
    for (want, name) in entries.into_iter().zip(NAMES) {
        assert_eq!(
            s.execute(&["COMMAND", "INFO", name]),
            want,
            "COMMAND INFO {}",
            name
        );
    }
}

#[test]
fn command_docs_as_redis() {
    let mut s = session();
    let entries = recorded("multi_meta/docs.resp3");
    assert_eq!(entries.len(), NAMES.len());
    for (mut want, name) in entries.into_iter().zip(NAMES) {
        // redlite does not carry COMMAND DOCS's argument trees.
        if let Reply::Map(pairs) = &mut want {
            if let Reply::Map(doc) = &mut pairs[0].1 {
                doc.retain(|(k, _)| *k != bulk("arguments"));
            }
        }
        assert_eq!(
            s.execute(&["COMMAND", "DOCS", name]),
            want,
            "COMMAND DOCS {}",
            name
        );
    }
}

#[test]
fn queued_commands_count_when_they_run() {
    let mut s = session();
    let count = |s: &Session| {
        s.db()
            .stats()
            .total_commands_processed
            .load(Ordering::Relaxed)
    };
    let before = count(&s);
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    assert_eq!(s.execute(&["SET", "a", "1"]), queued());
    assert_eq!(s.execute(&["SET", "a", "2"]), queued());
    assert_eq!(count(&s), before + 1);
    assert!(matches!(s.execute(&["EXEC"]), Reply::Array(_)));
    // MULTI, the two SETs and EXEC, as Redis's INFO counts them.
    assert_eq!(count(&s), before + 4);
}

#[test]
fn a_busy_refusal_inside_multi_aborts_exec() {
    let db = Db::open_memory().unwrap();
    let mut s = Session::new(db.clone());
    assert_eq!(
        s.execute(&["CONFIG", "SET", "busy-reply-threshold", "1"]),
        Reply::ok()
    );
    let script = {
        let db = db.clone();
        std::thread::spawn(move || Session::new(db).execute(&["EVAL", "while true do end", "0"]))
    };
    assert_eq!(s.execute(&["MULTI"]), Reply::ok());
    // Wait for the script to run past the threshold (MULTI's queue answers BUSY then).
    loop {
        match s.execute(&["GET", "x"]) {
            Reply::Simple(q) if q == "QUEUED" => std::thread::sleep(Duration::from_millis(5)),
            Reply::Error(e) if e.starts_with(b"BUSY ") => break,
            other => panic!("{:?}", other),
        }
    }
    // Another client stops the script; the refused GET doomed the transaction.
    let mut killer = Session::new(db);
    assert_eq!(killer.execute(&["SCRIPT", "KILL"]), Reply::ok());
    assert!(script.join().unwrap().is_error());
    assert_eq!(s.execute(&["EXEC"]), err(EXECABORT));
}
