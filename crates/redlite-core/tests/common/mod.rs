//! Helpers shared by the tests that compare redlite with replies recorded from a real
//! Redis 7.0.15 over RESP3 (so maps, sets and arrays are told apart): the fixture
//! files `tests/<family>_meta/info.resp3` and `docs.resp3` hold Redis's raw replies
//! to `COMMAND INFO <name>` and `COMMAND DOCS <name>`, one after the other
//! (`command_meta/record.py` records them).
//!
//! Two differences from Redis are deliberate, and normalised here on both sides:
//! Redis lists a container's subcommands in the order of its hash table, whose seed is
//! random per process, so subcommands are compared sorted by name; and redlite does not
//! carry COMMAND DOCS's `arguments` trees (a scope decision), so Redis's are dropped.
//! (Each test file uses some of these helpers.)
#![allow(dead_code)]

use redlite_core::{Db, Reply, Session};

pub fn session() -> Session {
    Session::new(Db::open_memory().unwrap())
}

pub fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

/// One RESP3 reply from `buf[*at..]`, as the engine's `Reply`.
fn parse(buf: &[u8], at: &mut usize) -> Reply {
    let eol = *at + buf[*at..].windows(2).position(|w| w == b"\r\n").unwrap();
    let kind = buf[*at];
    let head = std::str::from_utf8(&buf[*at + 1..eol]).unwrap();
    *at = eol + 2;
    let n = || head.parse::<i64>().unwrap();
    match kind {
        b'+' => Reply::Simple(head.into()),
        b'-' => Reply::Error(head.into()),
        b':' => Reply::Int(n()),
        b'_' => Reply::Nil,
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

/// The one RESP3 reply that is the whole of `buf`.
pub fn one(buf: &[u8]) -> Reply {
    let mut at = 0;
    let r = parse(buf, &mut at);
    assert_eq!(at, buf.len());
    r
}

/// Every reply recorded one after the other in a fixture file, named from `tests/`
/// (`"scripting_meta/info.resp3"`).
pub fn recorded(file: &str) -> Vec<Reply> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(file);
    let buf = std::fs::read(&path).unwrap();
    let mut at = 0;
    let mut out = Vec::new();
    while at < buf.len() {
        out.push(parse(&buf, &mut at));
    }
    out
}

/// The command name of a COMMAND INFO entry, or of a reply that starts with one.
pub fn name_of(r: &Reply) -> String {
    match r {
        Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
        Reply::Array(a) => name_of(&a[0]),
        other => format!("{:?}", other),
    }
}

/// A COMMAND INFO entry with its subcommands sorted by name.
pub fn sorted_info(entry: &mut Reply) {
    if let Reply::Array(fields) = entry {
        if let Some(Reply::Array(subs)) = fields.get_mut(9) {
            subs.iter_mut().for_each(sorted_info);
            subs.sort_by_key(name_of);
        }
    }
}

/// A COMMAND DOCS map without `arguments`, subcommands sorted by name.
pub fn normal_docs(docs: &mut Reply) {
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

/// A whole COMMAND INFO reply (an array of entries), each entry as `sorted_info`.
pub fn sorted_infos(reply: &mut Reply) {
    if let Reply::Array(entries) = reply {
        entries.iter_mut().for_each(sorted_info);
    }
}

/// A whole COMMAND DOCS reply (a map of name to docs), each docs map as `normal_docs`.
pub fn normal_docs_reply(reply: &mut Reply) {
    if let Reply::Map(pairs) = reply {
        pairs.iter_mut().for_each(|(_, d)| normal_docs(d));
    }
}

/// COMMAND INFO of each recorded entry (`recorded(".../info.resp3")`) is Redis's,
/// subcommands sorted by name on both sides.
#[track_caller]
pub fn assert_info_as_redis(s: &mut Session, entries: Vec<Reply>) {
    for mut want in entries {
        let name = name_of(&want);
        let mut got = s.execute(&["COMMAND", "INFO", &name]);
        sorted_infos(&mut got);
        sorted_infos(&mut want);
        assert_eq!(got, want, "COMMAND INFO {}", name);
    }
}

/// COMMAND DOCS of each recorded entry (`recorded(".../docs.resp3")`) is Redis's,
/// both without `arguments` and with subcommands sorted by name.
#[track_caller]
pub fn assert_docs_as_redis(s: &mut Session, entries: Vec<Reply>) {
    for mut want in entries {
        let Reply::Map(pairs) = &want else {
            panic!("not a COMMAND DOCS reply: {:?}", want)
        };
        let name = name_of(&pairs[0].0);
        let mut got = s.execute(&["COMMAND", "DOCS", &name]);
        normal_docs_reply(&mut got);
        normal_docs_reply(&mut want);
        assert_eq!(got, want, "COMMAND DOCS {}", name);
    }
}
