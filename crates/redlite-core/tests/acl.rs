//! AUTH and ACL in the engine: COMMAND INFO / DOCS of AUTH and ACL against replies
//! recorded from Redis 7.0.15 (`acl_meta/`, recorded with `command_meta/record.py
//! --dir`), and the behaviour of sessions (NOAUTH, NOPERM, ACL LOG) on one `Db`.

use redlite_core::{Db, Reply, Session};

fn parse(buf: &[u8], at: &mut usize) -> Reply {
    let eol = *at + buf[*at..].windows(2).position(|w| w == b"\r\n").unwrap();
    let kind = buf[*at];
    let head = std::str::from_utf8(&buf[*at + 1..eol]).unwrap().to_string();
    *at = eol + 2;
    let n = || head.parse::<i64>().unwrap();
    match kind {
        b'+' => Reply::Simple(head.clone()),
        b':' => Reply::Int(n()),
        b'$' => {
            let len = n() as usize;
            let data = buf[*at..*at + len].to_vec();
            *at += len + 2;
            Reply::Bulk(data)
        }
        b'*' => Reply::Array((0..n()).map(|_| parse(buf, at)).collect()),
        b'~' => Reply::Set((0..n()).map(|_| parse(buf, at)).collect()),
        b'%' => Reply::Map((0..n()).map(|_| (parse(buf, at), parse(buf, at))).collect()),
        other => panic!("unexpected RESP3 type {:?}", other as char),
    }
}

fn recorded(file: &str) -> Vec<Reply> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/acl_meta").join(file);
    let buf = std::fs::read(&path).unwrap();
    let mut at = 0;
    let mut out = Vec::new();
    while at < buf.len() {
        out.push(parse(&buf, &mut at));
    }
    out
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn name_of(r: &Reply) -> String {
    match r {
        Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        Reply::Array(a) => name_of(&a[0]),
        other => format!("{:?}", other),
    }
}

/// Subcommands sorted by name: Redis lists them in its hash table's (random) order.
fn sorted_info(entry: &mut Reply) {
    if let Reply::Array(fields) = entry {
        if let Some(Reply::Array(subs)) = fields.get_mut(9) {
            subs.sort_by_key(name_of);
        }
    }
}

fn normal_docs(docs: &mut Reply) {
    if let Reply::Map(pairs) = docs {
        pairs.retain(|(k, _)| *k != bulk("arguments"));
        for (k, v) in pairs.iter_mut() {
            if *k == bulk("subcommands") {
                if let Reply::Map(subs) = v {
                    subs.iter_mut().for_each(|(_, d)| normal_docs(d));
                    subs.sort_by_key(|(n, _)| name_of(n));
                }
            }
        }
    }
}

#[test]
fn command_info_as_redis() {
    let db = Db::open_memory().unwrap();
    let mut s = Session::new(db);
    let entries = recorded("info.resp3");
    assert_eq!(entries.len(), 2);
    for mut want in entries {
        let name = name_of(&want);
        let mut got = s.execute(&["COMMAND", "INFO", &name]);
        for r in [&mut got, &mut want] {
            if let Reply::Array(l) = r {
                l.iter_mut().for_each(sorted_info);
            }
        }
        assert_eq!(got, want, "COMMAND INFO {}", name);
    }
}

#[test]
fn command_docs_as_redis() {
    let db = Db::open_memory().unwrap();
    let mut s = Session::new(db);
    let entries = recorded("docs.resp3");
    assert_eq!(entries.len(), 2);
    for mut want in entries {
        let Reply::Map(pairs) = &mut want else { panic!() };
        let name = name_of(&pairs[0].0);
        normal_docs(&mut pairs[0].1);
        let mut got = s.execute(&["COMMAND", "DOCS", &name]);
        if let Reply::Map(p) = &mut got {
            p.iter_mut().for_each(|(_, d)| normal_docs(d));
        }
        assert_eq!(got, want, "COMMAND DOCS {}", name);
    }
}

fn ok(r: Reply) {
    assert_eq!(r, Reply::Simple("OK".into()));
}

fn err(r: Reply) -> String {
    match r {
        Reply::Error(e) => e,
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
    assert_eq!(err(s.execute(&["GET", "k"])), "NOAUTH Authentication required.");
    // Unknown commands and arity errors come first, as in processCommand.
    assert!(err(s.execute(&["NOSUCH"])).starts_with("ERR unknown command"));
    assert_eq!(err(s.execute(&["GET"])), "ERR wrong number of arguments for 'get' command");
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
    ok(admin.execute(&["ACL", "SETUSER", "u", "on", ">p", "~k*", "%R~r*", "+@string", "-incr", "(+hget ~h*)"]));
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
    let Reply::Array(log) = admin.execute(&["ACL", "LOG"]) else { panic!() };
    assert_eq!(log.len(), 3);
    let Reply::Map(first) = &log[0] else { panic!() };
    assert_eq!(first[1], (bulk("reason"), bulk("key")));
    assert_eq!(first[3], (bulk("object"), bulk("k1")));
    assert_eq!(first[4], (bulk("username"), bulk("u")));
    ok(admin.execute(&["ACL", "LOG", "RESET"]));
    assert_eq!(admin.execute(&["ACL", "LOG"]), Reply::Array(vec![]));
    // Deleting the user logs its sessions out.
    assert_eq!(admin.execute(&["ACL", "DELUSER", "u"]), Reply::Int(1));
    assert_eq!(err(s.execute(&["GET", "k1"])), "NOAUTH Authentication required.");
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
