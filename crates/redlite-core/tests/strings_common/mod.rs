//! Helpers shared by the string and bit command tests (tests/strings.rs, tests/bits.rs).
#![allow(dead_code)]

use redlite_core::{Db, Reply, Session};

pub fn session() -> Session {
    Session::new(Db::open_memory().expect("in-memory database"))
}

/// Run one command and compare its reply with the one Redis gave.
#[track_caller]
pub fn check(s: &mut Session, args: &[&[u8]], want: Reply) {
    let got = s.execute(args);
    assert_eq!(
        got,
        want,
        "{:?}",
        args.iter()
            .map(|a| String::from_utf8_lossy(a))
            .collect::<Vec<_>>()
    );
}

/// A key of another type than string (a list), for WRONGTYPE: written straight into
/// the keys table, since these tests must not depend on the list commands.
pub fn make_list(s: &mut Session, key: &[u8]) {
    let db = s.selected_db();
    s.db()
        .write(|conn| {
            conn.execute(
                "INSERT INTO keys (db, key, type, expire_at, version, created_at, updated_at) \
                 VALUES (?1, ?2, 1, NULL, 1, 0, 0)",
                rusqlite::params![db, key],
            )?;
            Ok(())
        })
        .expect("insert a list key");
}

pub fn simple(s: &str) -> Reply {
    Reply::Simple(s.to_string())
}

pub fn err(s: &str) -> Reply {
    Reply::error(s)
}

pub fn int(n: i64) -> Reply {
    Reply::Int(n)
}

pub fn nil() -> Reply {
    Reply::Nil
}

pub fn bulk(b: &[u8]) -> Reply {
    Reply::Bulk(b.to_vec())
}

pub fn arr(items: Vec<Reply>) -> Reply {
    Reply::Array(items)
}

pub fn map(pairs: Vec<(Reply, Reply)>) -> Reply {
    Reply::Map(pairs)
}
