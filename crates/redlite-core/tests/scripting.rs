//! The scripting commands' metadata and getkeys against Redis 7.0.15: COMMAND INFO
//! and COMMAND DOCS of EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL, FCALL_RO, SCRIPT and
//! FUNCTION (subcommands included) compared with Redis's replies recorded in
//! `scripting_meta/` (`command_meta/record.py --dir tests/scripting_meta NAME...`),
//! normalised as tests/command_meta.rs does (subcommands sorted by name, no
//! `arguments`); and COMMAND GETKEYS of scripts, whose keys are their KEYS.

use redlite_core::{Db, Reply, Session};

fn session() -> Session {
    Session::new(Db::open_memory().unwrap())
}

/// One RESP3 reply from `buf[*at..]`, as the engine's `Reply`.
fn parse(buf: &[u8], at: &mut usize) -> Reply {
    let eol = *at + buf[*at..].windows(2).position(|w| w == b"\r\n").unwrap();
    let kind = buf[*at];
    let head = std::str::from_utf8(&buf[*at + 1..eol]).unwrap();
    *at = eol + 2;
    let n = || head.parse::<i64>().unwrap();
    let items = |count: i64, at: &mut usize| -> Vec<Reply> {
        (0..count).map(|_| parse(buf, at)).collect()
    };
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
        b'*' => Reply::Array(items(n(), at)),
        b'~' => Reply::Set(items(n(), at)),
        b'%' => {
            let flat = items(2 * n(), at);
            let mut pairs = Vec::new();
            let mut it = flat.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                pairs.push((k, v));
            }
            Reply::Map(pairs)
        }
        other => panic!("unexpected RESP3 type {:?}", other as char),
    }
}

/// Every reply recorded one after the other in a fixture file.
fn recorded(file: &str) -> Vec<Reply> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scripting_meta")
        .join(file);
    let buf = std::fs::read(&path).unwrap();
    let mut at = 0;
    let mut out = Vec::new();
    while at < buf.len() {
        out.push(parse(&buf, &mut at));
    }
    out
}

fn one(buf: &[u8]) -> Reply {
    let mut at = 0;
    let r = parse(buf, &mut at);
    assert_eq!(at, buf.len());
    r
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

/// A COMMAND INFO entry with its subcommands sorted by name.
fn sorted_info(entry: &mut Reply) {
    if let Reply::Array(fields) = entry {
        if let Some(Reply::Array(subs)) = fields.get_mut(9) {
            subs.iter_mut().for_each(sorted_info);
            subs.sort_by_key(name_of);
        }
    }
}

/// A COMMAND DOCS map without `arguments`, subcommands sorted by name.
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
    let mut s = session();
    let entries = recorded("info.resp3");
    assert_eq!(entries.len(), 8);
    for mut want in entries {
        let Reply::Array(list) = &want else { panic!() };
        let name = name_of(&list[0]);
        let mut got = s.execute(&["COMMAND", "INFO", &name]);
        if let Reply::Array(l) = &mut got {
            l.iter_mut().for_each(sorted_info);
        }
        if let Reply::Array(l) = &mut want {
            l.iter_mut().for_each(sorted_info);
        }
        assert_eq!(got, want, "COMMAND INFO {}", name);
    }
}

#[test]
fn command_docs_as_redis() {
    let mut s = session();
    let entries = recorded("docs.resp3");
    assert_eq!(entries.len(), 8);
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

#[test]
fn scripts_keys_are_their_keys() {
    let mut s = session();
    for cmd in ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"] {
        assert_eq!(
            s.execute(&["COMMAND", "GETKEYS", cmd, "x", "2", "a", "b", "c"]),
            Reply::Array(vec![bulk("a"), bulk("b")]),
            "{}",
            cmd
        );
    }
    // Recorded from Redis 7.0.15.
    assert_eq!(
        s.execute(&["COMMAND", "GETKEYS", "EVAL", "x", "0"]),
        Reply::Array(vec![])
    );
    assert_eq!(s.execute(&["COMMAND", "GETKEYS", "EVAL", "x", "3", "a"]), Reply::Array(vec![]));
    assert_eq!(s.execute(&["COMMAND", "GETKEYS", "FCALL", "x", "-1", "a"]), Reply::Array(vec![]));
}

#[test]
fn a_failing_script_keeps_what_it_wrote() {
    let mut s = session();
    let r = s.execute(&["EVAL", "redis.call('set', 'a', '1') redis.call('lpush', 'a', 'x')", "0"]);
    assert!(matches!(&r, Reply::Error(e) if e.starts_with("WRONGTYPE")), "{:?}", r);
    assert_eq!(s.execute(&["GET", "a"]), bulk("1"));
}

#[test]
fn functions_survive_reopening_the_file() {
    let dir = std::env::temp_dir().join(format!("redlite-fn-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("f.db");
    let _ = std::fs::remove_file(&path);
    {
        let mut s = Session::new(Db::open(&path).unwrap());
        let code = "#!lua name=keep\nredis.register_function('kept', function() return 'here' end)";
        assert_eq!(s.execute(&["FUNCTION", "LOAD", code]), bulk("keep"));
    }
    let mut s = Session::new(Db::open(&path).unwrap());
    assert_eq!(s.execute(&["FCALL", "kept", "0"]), bulk("here"));
    assert_eq!(s.execute(&["FUNCTION", "DELETE", "keep"]), Reply::ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hostile_scripts_get_error_replies() {
    let mut s = session();
    for script in [
        "return string.rep('x', -1)",
        "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x",
        "return cjson.decode(string.rep('[', 2000))",
        "return cmsgpack.unpack('\\221\\255\\255\\255\\255')",
        "return struct.unpack('i9', 'x')",
        "return getfenv(tostring).debug",
        "return redis.call('eval', 'return 1', '0')",
        "coroutine.wrap(function() redis.call('set', 'k', 'v') end)() return redis.call('get', 'k')",
    ] {
        let r = s.execute(&["EVAL", script, "0"]);
        assert!(matches!(r, Reply::Error(_) | Reply::Nil | Reply::Bulk(_) | Reply::Int(_)), "{}: {:?}", script, r);
    }
}
