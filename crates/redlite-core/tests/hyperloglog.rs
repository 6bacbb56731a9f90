//! HyperLogLog (ext/hll) through engine sessions: COMMAND INFO / DOCS against Redis
//! 7.0.15's replies recorded in `hll_meta/` (with `command_meta/record.py --dir`), and
//! what the differential tests cannot see from outside: which writes WATCH notices,
//! and the read-only paths of PFCOUNT. The bytes and replies themselves are compared
//! with a real Redis in tests/test_hyperloglog.py.

mod common;

use common::{assert_docs_as_redis, assert_info_as_redis, recorded, session};
use redlite_core::{Db, Reply, Session};

#[test]
fn command_info_as_redis() {
    let entries = recorded("hll_meta/info.resp3");
    assert_eq!(entries.len(), 5);
    assert_info_as_redis(&mut session(), entries);
}

#[test]
fn command_docs_as_redis() {
    let entries = recorded("hll_meta/docs.resp3");
    assert_eq!(entries.len(), 5);
    assert_docs_as_redis(&mut session(), entries);
}

fn run(s: &mut Session, argv: &[&str]) -> Reply {
    s.execute(argv)
}

/// Whether EXEC of a transaction that WATCHed `key` before `between` ran fails.
fn watch_sees(db: &Db, key: &str, between: &[&str]) -> bool {
    let mut a = Session::new(db.clone());
    let mut b = Session::new(db.clone());
    assert_eq!(run(&mut a, &["WATCH", key]), Reply::ok());
    run(&mut b, between);
    run(&mut a, &["MULTI"]);
    run(&mut a, &["PING"]);
    run(&mut a, &["EXEC"]) == Reply::NilArray
}

/// As in Redis: a PFADD that changes a register, a PFCOUNT that stores the
/// cardinality and a PFMERGE touch the key for WATCH; a PFADD that changes nothing,
/// a PFCOUNT answered from the cache and PFDEBUG's conversions do not.
#[test]
fn watch_sees_what_redis_signals() {
    let dir = tempfile_dir();
    let db = Db::open(dir.join("w.db")).unwrap();
    let mut s = Session::new(db.clone());
    run(&mut s, &["PFADD", "h", "a", "b"]);
    assert!(watch_sees(&db, "h", &["PFADD", "h", "c"]));
    assert!(!watch_sees(&db, "h", &["PFADD", "h", "c"]));
    assert!(watch_sees(&db, "h", &["PFCOUNT", "h"]));
    assert!(!watch_sees(&db, "h", &["PFCOUNT", "h"]));
    assert!(watch_sees(&db, "h", &["PFMERGE", "h"]));
    assert!(!watch_sees(&db, "h", &["PFDEBUG", "TODENSE", "h"]));
    assert_eq!(
        run(&mut s, &["PFDEBUG", "ENCODING", "h"]),
        Reply::Simple("dense".into())
    );
}

/// PFCOUNT in a read-only script: the same answer, the cached cardinality left
/// unwritten (there is no write transaction to put it in).
#[test]
fn pfcount_in_a_read_only_script() {
    let dir = tempfile_dir();
    let db = Db::open(dir.join("ro.db")).unwrap();
    let mut s = Session::new(db);
    run(&mut s, &["PFADD", "h", "a", "b", "c"]);
    let before = run(&mut s, &["GET", "h"]);
    let script = "return redis.call('PFCOUNT', KEYS[1])";
    assert_eq!(run(&mut s, &["EVAL_RO", script, "1", "h"]), Reply::Int(3));
    assert_eq!(run(&mut s, &["GET", "h"]), before);
    assert_eq!(run(&mut s, &["PFCOUNT", "h"]), Reply::Int(3));
    assert_ne!(run(&mut s, &["GET", "h"]), before);
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "redlite-hll-{}-{}",
        std::process::id(),
        redlite_core::rng::next_u64()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
