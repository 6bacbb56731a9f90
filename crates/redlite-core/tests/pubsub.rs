//! Pub/sub through engine sessions: confirmations, messages in each subscriber's
//! outbox, the RESP2 context rules, dropping a session, and COMMAND INFO / DOCS
//! against Redis 7.0.15's replies recorded in `pubsub_meta/` (with
//! `command_meta/record.py --dir`).

use redlite_core::{Db, Reply, Session};

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn push(items: Vec<Reply>) -> Reply {
    Reply::Push(items)
}

fn confirmation(kind: &str, name: &str, count: i64) -> Reply {
    push(vec![bulk(kind), bulk(name), Reply::Int(count)])
}

/// A command's replies: what it queued in the outbox, then its reply.
fn replies(s: &mut Session, argv: &[&str]) -> Vec<Reply> {
    let reply = s.execute(argv);
    let mut out = s.outbox().take();
    out.push(reply);
    out
}

#[test]
fn one_confirmation_per_channel_and_messages_in_the_outbox() {
    let db = Db::open_memory().unwrap();
    let mut a = Session::new(db.clone());
    let mut b = Session::new(db.clone());
    assert_eq!(
        replies(&mut a, &["SUBSCRIBE", "x", "y", "x"]),
        vec![
            confirmation("subscribe", "x", 1),
            confirmation("subscribe", "y", 2),
            confirmation("subscribe", "x", 2)
        ]
    );
    assert_eq!(replies(&mut a, &["PSUBSCRIBE", "x*"]), vec![confirmation("psubscribe", "x*", 3)]);
    assert_eq!(b.execute(&["PUBLISH", "x", "m"]), Reply::Int(2));
    assert_eq!(
        a.outbox().take(),
        vec![
            push(vec![bulk("message"), bulk("x"), bulk("m")]),
            push(vec![bulk("pmessage"), bulk("x*"), bulk("x"), bulk("m")])
        ]
    );
    // RESP2 context: only (un)subscribe, PING, QUIT, RESET.
    assert_eq!(a.execute(&["PING"]), Reply::Array(vec![bulk("pong"), bulk("")]));
    assert_eq!(
        a.execute(&["GET", "k"]),
        Reply::Error("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context".into())
    );
    assert_eq!(
        a.execute(&["COMMAND", "COUNT"]),
        Reply::Error("ERR Can't execute 'command|count': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context".into())
    );
    assert_eq!(
        replies(&mut a, &["UNSUBSCRIBE"]),
        vec![confirmation("unsubscribe", "x", 2), confirmation("unsubscribe", "y", 1)]
    );
    assert_eq!(
        replies(&mut a, &["UNSUBSCRIBE"]),
        vec![push(vec![bulk("unsubscribe"), Reply::Nil, Reply::Int(1)])]
    );
    assert_eq!(b.execute(&["PUBSUB", "NUMPAT"]), Reply::Int(1));
    // Dropping the session leaves its channels and patterns.
    drop(a);
    assert_eq!(b.execute(&["PUBSUB", "NUMPAT"]), Reply::Int(0));
    assert_eq!(b.execute(&["PUBLISH", "x", "m"]), Reply::Int(0));
}

#[test]
fn resp3_clients_run_any_command_while_subscribed() {
    let db = Db::open_memory().unwrap();
    let mut a = Session::new(db.clone());
    a.execute(&["HELLO", "3"]);
    a.execute(&["SSUBSCRIBE", "s"]);
    assert_eq!(a.execute(&["PING"]), Reply::Simple("PONG".into()));
    assert_eq!(a.execute(&["SET", "k", "v"]), Reply::Simple("OK".into()));
    assert_eq!(a.execute(&["SPUBLISH", "s", "hi"]), Reply::Int(1));
    assert_eq!(a.outbox().take(), vec![push(vec![bulk("smessage"), bulk("s"), bulk("hi")])]);
    assert_eq!(
        a.execute(&["PUBSUB", "SHARDNUMSUB", "s", "t"]),
        Reply::Array(vec![bulk("s"), Reply::Int(1), bulk("t"), Reply::Int(0)])
    );
    assert_eq!(a.execute(&["PUBSUB", "SHARDCHANNELS", "*"]), Reply::Array(vec![bulk("s")]));
    assert_eq!(a.execute(&["PUBSUB", "CHANNELS"]), Reply::Array(vec![]));
}

// -- COMMAND INFO / DOCS --------------------------------------------------------------

/// One RESP3 reply from `buf[*at..]`, as the engine's `Reply`.
fn parse(buf: &[u8], at: &mut usize) -> Reply {
    let eol = *at + buf[*at..].windows(2).position(|w| w == b"\r\n").unwrap();
    let kind = buf[*at];
    let head = std::str::from_utf8(&buf[*at + 1..eol]).unwrap();
    *at = eol + 2;
    let n = || head.parse::<i64>().unwrap();
    let items = |count: i64, at: &mut usize| -> Vec<Reply> { (0..count).map(|_| parse(buf, at)).collect() };
    match kind {
        b'+' => Reply::Simple(head.into()),
        b':' => Reply::Int(n()),
        b'$' => {
            let len = n() as usize;
            let data = buf[*at..*at + len].to_vec();
            *at += len + 2;
            Reply::Bulk(data)
        }
        b'*' => Reply::Array(items(n(), at)),
        b'~' => Reply::Set(items(n(), at)),
        b'%' => {
            let flat = items(2 * n(), at);
            let mut it = flat.into_iter();
            let mut pairs = Vec::new();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                pairs.push((k, v));
            }
            Reply::Map(pairs)
        }
        other => panic!("unexpected RESP3 type {:?}", other as char),
    }
}

fn recorded(file: &str) -> Vec<Reply> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pubsub_meta").join(file);
    let buf = std::fs::read(path).unwrap();
    let mut at = 0;
    let mut out = Vec::new();
    while at < buf.len() {
        out.push(parse(&buf, &mut at));
    }
    out
}

fn name_of(r: &Reply) -> String {
    match r {
        Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        Reply::Array(a) => name_of(&a[0]),
        other => format!("{:?}", other),
    }
}

/// Subcommands come in Redis's hash order: compare them sorted by name.
fn sorted_info(entry: &mut Reply) {
    if let Reply::Array(fields) = entry {
        if let Some(Reply::Array(subs)) = fields.get_mut(9) {
            subs.iter_mut().for_each(sorted_info);
            subs.sort_by_key(name_of);
        }
    }
}

/// COMMAND DOCS without `arguments` (redlite does not carry them), subcommands sorted.
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
    let mut s = Session::new(Db::open_memory().unwrap());
    let entries = recorded("info.resp3");
    assert_eq!(entries.len(), 9);
    for mut want in entries {
        let Reply::Array(list) = &want else { panic!() };
        let name = name_of(&list[0]);
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
    let mut s = Session::new(Db::open_memory().unwrap());
    let entries = recorded("docs.resp3");
    assert_eq!(entries.len(), 9);
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
