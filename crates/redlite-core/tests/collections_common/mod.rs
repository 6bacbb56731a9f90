//! Helpers shared by the hash, set and SORT tests: a session, running a command and
//! comparing its reply with Redis's (in order, or sorted where Redis leaves the
//! order open), building replies, and reading a key's version from the keys table.
//! (Each test file uses some of them.)
#![allow(dead_code)]

use redlite_core::{Db, Reply, Session};

pub fn session() -> Session {
    Session::new(Db::open_memory().expect("in-memory database"))
}

pub fn show(args: &[&[u8]]) -> Vec<String> {
    args.iter()
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect()
}

/// Run one command and compare its reply with the one Redis gave.
#[track_caller]
pub fn check(s: &mut Session, args: &[&[u8]], want: Reply) {
    let got = s.execute(args);
    assert_eq!(got, want, "{:?}", show(args));
}

/// The elements of an array, set or map in a canonical order, for replies whose order
/// Redis leaves unspecified.
pub fn sorted(r: Reply) -> Reply {
    let key = |r: &Reply| format!("{:?}", r);
    match r {
        Reply::Array(mut v) => {
            v.sort_by_key(key);
            Reply::Array(v)
        }
        Reply::Set(mut v) => {
            v.sort_by_key(key);
            Reply::Set(v)
        }
        Reply::Map(mut v) => {
            v.sort_by_key(|(k, _)| key(k));
            Reply::Map(v)
        }
        // A SCAN reply: [cursor, page]
        other => other,
    }
}

/// `check`, ignoring the order of the reply's elements (and of a SCAN page's).
#[track_caller]
pub fn check_unordered(s: &mut Session, args: &[&[u8]], want: Reply) {
    let norm = |r: Reply| match r {
        Reply::Array(v) if v.len() == 2 && matches!(v[1], Reply::Array(_)) => {
            let mut v = v;
            let page = sorted(v.pop().unwrap_or(Reply::Nil));
            v.push(page);
            Reply::Array(v)
        }
        other => sorted(other),
    };
    let got = s.execute(args);
    assert_eq!(norm(got), norm(want), "{:?}", show(args));
}

/// Run one command.
pub fn ex(s: &mut Session, args: &[&[u8]]) -> Reply {
    s.execute(args)
}

/// Run a set-up command that must not fail.
#[track_caller]
pub fn run(s: &mut Session, args: &[&[u8]]) -> Reply {
    let r = s.execute(args);
    assert!(!r.is_error(), "{:?} -> {:?}", show(args), r);
    r
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

pub fn set(items: Vec<Reply>) -> Reply {
    Reply::Set(items)
}

pub fn map(pairs: Vec<(Reply, Reply)>) -> Reply {
    Reply::Map(pairs)
}

/// The bulk strings of an array or set reply.
pub fn bulks(r: &Reply) -> Vec<Vec<u8>> {
    match r {
        Reply::Array(v) | Reply::Set(v) => v
            .iter()
            .map(|x| match x {
                Reply::Bulk(b) => b.clone(),
                other => panic!("not a bulk: {:?}", other),
            })
            .collect(),
        other => panic!("not an array: {:?}", other),
    }
}

/// The key's version (WATCH's), straight from the keys table.
pub fn version(s: &mut Session, key: &[u8]) -> Option<i64> {
    let db = s.selected_db();
    s.db()
        .read(|c| {
            use rusqlite::OptionalExtension;
            Ok(c.query_row(
                "SELECT version FROM keys WHERE db = ?1 AND key = ?2",
                rusqlite::params![db, key],
                |r| r.get(0),
            )
            .optional()?)
        })
        .expect("read the keys table")
}
