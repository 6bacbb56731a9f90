//! The scripting commands' metadata and getkeys against Redis 7.0.15: COMMAND INFO
//! and COMMAND DOCS of EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, FCALL, FCALL_RO, SCRIPT and
//! FUNCTION (subcommands included) compared with Redis's replies recorded in
//! `scripting_meta/` (`command_meta/record.py --dir tests/scripting_meta NAME...`),
//! normalised as tests/command_meta.rs does (subcommands sorted by name, no
//! `arguments`); and COMMAND GETKEYS of scripts, whose keys are their KEYS.

mod common;

use common::{assert_docs_as_redis, assert_info_as_redis, bulk, recorded, session};
use redlite_core::{Db, Reply, Session};

#[test]
fn command_info_as_redis() {
    let entries = recorded("scripting_meta/info.resp3");
    assert_eq!(entries.len(), 8);
    assert_info_as_redis(&mut session(), entries);
}

#[test]
fn command_docs_as_redis() {
    let entries = recorded("scripting_meta/docs.resp3");
    assert_eq!(entries.len(), 8);
    assert_docs_as_redis(&mut session(), entries);
}

#[test]
fn scripts_keys_are_their_keys() {
    let mut s = session();
    for cmd in [
        "EVAL",
        "EVALSHA",
        "EVAL_RO",
        "EVALSHA_RO",
        "FCALL",
        "FCALL_RO",
    ] {
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
    assert_eq!(
        s.execute(&["COMMAND", "GETKEYS", "EVAL", "x", "3", "a"]),
        Reply::Array(vec![])
    );
    assert_eq!(
        s.execute(&["COMMAND", "GETKEYS", "FCALL", "x", "-1", "a"]),
        Reply::Array(vec![])
    );
}

#[test]
fn a_failing_script_keeps_what_it_wrote() {
    let mut s = session();
    let r = s.execute(&[
        "EVAL",
        "redis.call('set', 'a', '1') redis.call('lpush', 'a', 'x')",
        "0",
    ]);
    assert!(
        matches!(&r, Reply::Error(e) if e.starts_with(b"WRONGTYPE")),
        "{:?}",
        r
    );
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
