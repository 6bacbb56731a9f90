//! AUTH and ACL in the engine: COMMAND INFO / DOCS of AUTH and ACL against replies
//! recorded from Redis 7.0.15 (`acl_meta/`, recorded with `command_meta/record.py
//! --dir`), and the behaviour of sessions (NOAUTH, NOPERM, ACL LOG) on one `Db`.

mod common;

use common::{assert_docs_as_redis, assert_info_as_redis, bulk, recorded, session};
use redlite_core::{Db, Reply, Session};

#[test]
fn command_info_as_redis() {
    let entries = recorded("acl_meta/info.resp3");
    assert_eq!(entries.len(), 2);
    assert_info_as_redis(&mut session(), entries);
}

#[test]
fn command_docs_as_redis() {
    let entries = recorded("acl_meta/docs.resp3");
    assert_eq!(entries.len(), 2);
    assert_docs_as_redis(&mut session(), entries);
}

fn ok(r: Reply) {
    assert_eq!(r, Reply::Simple("OK".into()));
}

fn err(r: Reply) -> String {
    match r {
        Reply::Error(e) => String::from_utf8_lossy(&e).into_owned(),
        other => panic!("expected an error, got {:?}", other),
    }
}

#[test]
fn requirepass_gates_new_sessions() {
    let db = Db::open_memory().unwrap();
    let mut admin = Session::new(db.clone());
    db.acl().set_requirepass(b"pw");
    // A session that was authenticated before stays so, as in Redis.
    assert_eq!(admin.execute(&["PING"]), Reply::Simple("PONG".into()));
    let mut s = Session::new(db.clone());
    assert_eq!(
        err(s.execute(&["GET", "k"])),
        "NOAUTH Authentication required."
    );
    // Unknown commands and arity errors come first, as in processCommand.
    assert!(err(s.execute(&["NOSUCH"])).starts_with("ERR unknown command"));
    assert_eq!(
        err(s.execute(&["GET"])),
        "ERR wrong number of arguments for 'get' command"
    );
    assert_eq!(
        err(s.execute(&["AUTH", "bad"])),
        "WRONGPASS invalid username-password pair or user is disabled."
    );
    ok(s.execute(&["AUTH", "pw"]));
    assert_eq!(s.execute(&["GET", "k"]), Reply::Nil);
    assert_eq!(s.execute(&["ACL", "WHOAMI"]), bulk("default"));
    db.acl().set_requirepass(b"");
    let mut open = Session::new(db);
    assert_eq!(open.execute(&["GET", "k"]), Reply::Nil);
}

#[test]
fn permissions_per_command_key_and_selector() {
    let db = Db::open_memory().unwrap();
    let mut admin = Session::new(db.clone());
    ok(admin.execute(&[
        "ACL",
        "SETUSER",
        "u",
        "on",
        ">p",
        "~k*",
        "%R~r*",
        "+@string",
        "-incr",
        "(+hget ~h*)",
    ]));
    let mut s = Session::new(db.clone());
    ok(s.execute(&["AUTH", "u", "p"]));
    ok(s.execute(&["SET", "k1", "v"]));
    assert_eq!(s.execute(&["GET", "r1"]), Reply::Nil);
    assert_eq!(
        err(s.execute(&["SET", "r1", "v"])),
        "NOPERM this user has no permissions to access one of the keys used as arguments"
    );
    assert_eq!(
        err(s.execute(&["INCR", "k1"])),
        "NOPERM this user has no permissions to run the 'incr' command"
    );
    assert_eq!(s.execute(&["HGET", "h1", "f"]), Reply::Nil);
    assert!(err(s.execute(&["HGET", "k1", "f"])).contains("keys"));
    // ACL LOG: newest first, like entries counted together.
    let Reply::Array(log) = admin.execute(&["ACL", "LOG"]) else {
        panic!()
    };
    assert_eq!(log.len(), 3);
    let Reply::Map(first) = &log[0] else { panic!() };
    assert_eq!(first[1], (bulk("reason"), bulk("key")));
    assert_eq!(first[3], (bulk("object"), bulk("k1")));
    assert_eq!(first[4], (bulk("username"), bulk("u")));
    ok(admin.execute(&["ACL", "LOG", "RESET"]));
    assert_eq!(admin.execute(&["ACL", "LOG"]), Reply::Array(vec![]));
    // Deleting the user logs its sessions out.
    assert_eq!(admin.execute(&["ACL", "DELUSER", "u"]), Reply::Int(1));
    assert_eq!(
        err(s.execute(&["GET", "k1"])),
        "NOAUTH Authentication required."
    );
}

#[test]
fn hello_auth_and_setname() {
    let db = Db::open_memory().unwrap();
    db.acl().set_requirepass(b"pw");
    let mut s = Session::new(db);
    assert!(err(s.execute(&["HELLO", "3"])).starts_with("NOAUTH HELLO must be called"));
    assert_eq!(
        err(s.execute(&["HELLO", "3", "AUTH", "default", "no"])),
        "WRONGPASS invalid username-password pair or user is disabled."
    );
    let Reply::Map(m) = s.execute(&["HELLO", "3", "AUTH", "default", "pw", "SETNAME", "me"]) else {
        panic!()
    };
    assert_eq!(m[2], (bulk("proto"), Reply::Int(3)));
    assert_eq!(s.state().name.as_deref(), Some(&b"me"[..]));
}
