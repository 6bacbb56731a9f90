//! Lua scripts and the conversion of replies to Lua values and back: EVAL of a
//! fuzzed script with fuzzed ARGV (NUL-separated after the script), on an in-memory
//! database with a few keys of each type, as a user who may read but not write, so
//! that a runaway script is always killable: a watchdog session sends SCRIPT KILL
//! once a script has run for 50 ms.
#![no_main]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use redlite_core::{Db, Session};

/// One database for the whole run (scripts cannot write to it), and its watchdog.
fn db() -> &'static Db {
    static DB: OnceLock<Db> = OnceLock::new();
    DB.get_or_init(|| {
        let db = Db::open_memory().expect("an in-memory database");
        let mut admin = Session::new(db.clone());
        for argv in [
            &["SET", "s", "v"][..],
            &["RPUSH", "l", "a", "b", "1"],
            &["SADD", "st", "x", "y"],
            &["HSET", "h", "f", "1", "g", "x"],
            &["ZADD", "z", "1", "a", "2.5", "b"],
            &["XADD", "x", "1-1", "f", "v"],
            &[
                "ACL",
                "SETUSER",
                "fuzz",
                "on",
                "nopass",
                "~*",
                "&*",
                "+@all",
                "-@write",
                "-@admin",
                "-@dangerous",
                "-@blocking",
            ],
        ] {
            admin.execute(argv);
        }
        let running = Arc::new(AtomicBool::new(true));
        let watch = db.clone();
        std::thread::spawn(move || {
            let mut s = Session::new(watch);
            while running.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(50));
                s.execute(&["SCRIPT", "KILL"]);
            }
        });
        db
    })
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let script = parts.next().unwrap_or_default();
    let args: Vec<&[u8]> = parts.take(8).collect();
    let mut s = Session::new(db().clone());
    s.execute(&["AUTH", "fuzz", "x"]);
    let mut argv: Vec<&[u8]> = vec![b"EVAL", script, b"0"];
    argv.extend(args);
    let _ = s.execute(&argv);
});
