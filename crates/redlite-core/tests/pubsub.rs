//! Pub/sub through engine sessions: confirmations, messages in each subscriber's
//! outbox, the RESP2 context rules, dropping a session, and COMMAND INFO / DOCS
//! against Redis 7.0.15's replies recorded in `pubsub_meta/` (with
//! `command_meta/record.py --dir`).

mod common;

use common::{assert_docs_as_redis, assert_info_as_redis, bulk, recorded, session};
use redlite_core::{Db, Reply, Session};

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
    assert_eq!(
        replies(&mut a, &["PSUBSCRIBE", "x*"]),
        vec![confirmation("psubscribe", "x*", 3)]
    );
    assert_eq!(b.execute(&["PUBLISH", "x", "m"]), Reply::Int(2));
    assert_eq!(
        a.outbox().take(),
        vec![
            push(vec![bulk("message"), bulk("x"), bulk("m")]),
            push(vec![bulk("pmessage"), bulk("x*"), bulk("x"), bulk("m")])
        ]
    );
    // RESP2 context: only (un)subscribe, PING, QUIT, RESET.
    assert_eq!(
        a.execute(&["PING"]),
        Reply::Array(vec![bulk("pong"), bulk("")])
    );
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
        vec![
            confirmation("unsubscribe", "x", 2),
            confirmation("unsubscribe", "y", 1)
        ]
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
    assert_eq!(
        a.outbox().take(),
        vec![push(vec![bulk("smessage"), bulk("s"), bulk("hi")])]
    );
    assert_eq!(
        a.execute(&["PUBSUB", "SHARDNUMSUB", "s", "t"]),
        Reply::Array(vec![bulk("s"), Reply::Int(1), bulk("t"), Reply::Int(0)])
    );
    assert_eq!(
        a.execute(&["PUBSUB", "SHARDCHANNELS", "*"]),
        Reply::Array(vec![bulk("s")])
    );
    assert_eq!(a.execute(&["PUBSUB", "CHANNELS"]), Reply::Array(vec![]));
}

// -- COMMAND INFO / DOCS --------------------------------------------------------------

#[test]
fn command_info_as_redis() {
    let entries = recorded("pubsub_meta/info.resp3");
    assert_eq!(entries.len(), 9);
    assert_info_as_redis(&mut session(), entries);
}

#[test]
fn command_docs_as_redis() {
    let entries = recorded("pubsub_meta/docs.resp3");
    assert_eq!(entries.len(), 9);
    assert_docs_as_redis(&mut session(), entries);
}
