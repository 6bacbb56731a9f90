//! Generic key commands, driven through `Session::execute`.
//!
//! `redis_cases` is a fixed script whose expected replies were taken from a real
//! Redis 7.0.15 (redis-server 7.0.15, replies recorded with a RESP client, one command
//! after another on one connection): errors and edge cases above all. The tests after
//! it check what a fixed reply cannot: expiry over time, SCAN under deletes, renames
//! across types, DUMP/RESTORE round trips.

mod common;

use common::{bulk, session};
use redlite_core::keyspace::{self, KeyType, Scope};
use redlite_core::{Db, Reply, Session};

fn err(s: &str) -> Reply {
    Reply::Error(s.into())
}

/// The keys of an array reply, sorted.
fn sorted_keys(r: Reply) -> Vec<Vec<u8>> {
    let Reply::Array(items) = r else {
        panic!("not an array: {:?}", r)
    };
    let mut keys: Vec<Vec<u8>> = items
        .into_iter()
        .map(|i| match i {
            Reply::Bulk(b) => b,
            other => panic!("not a bulk: {:?}", other),
        })
        .collect();
    keys.sort();
    keys
}

#[test]
fn replies_match_redis() {
    let mut s = session();
    for (argv, want) in redis_cases() {
        let got = s.execute(&argv);
        let shown: Vec<_> = argv
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        assert_eq!(got, want, "{}", shown.join(" "));
    }
}

fn redis_cases() -> Vec<(Vec<&'static [u8]>, Reply)> {
    use Reply::*;
    vec![
        // RENAME / RENAMENX: same name, missing key
        (vec![&b"SET"[..], &b"a"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"RENAME"[..], &b"a"[..], &b"a"[..]], Simple("OK".into())),
        (vec![&b"RENAMENX"[..], &b"a"[..], &b"a"[..]], Int(0)),
        (vec![&b"RENAME"[..], &b"nokey"[..], &b"a"[..]], Error("ERR no such key".into())),
        (vec![&b"RENAMENX"[..], &b"nokey"[..], &b"nokey"[..]], Error("ERR no such key".into())),
        (vec![&b"RENAME"[..], &b"nokey"[..], &b"nokey"[..]], Error("ERR no such key".into())),
        (vec![&b"SET"[..], &b"b"[..], &b"2"[..]], Simple("OK".into())),
        (vec![&b"RENAMENX"[..], &b"a"[..], &b"b"[..]], Int(0)),
        (vec![&b"RENAME"[..], &b"a"[..], &b"b"[..]], Simple("OK".into())),
        (vec![&b"GET"[..], &b"b"[..]], Bulk(b"1".to_vec())),
        (vec![&b"EXISTS"[..], &b"a"[..]], Int(0)),
        (vec![&b"RENAMENX"[..], &b"b"[..], &b"a"[..]], Int(1)),
        (vec![&b"GET"[..], &b"a"[..]], Bulk(b"1".to_vec())),
        // COPY: options, same object, DB range, REPLACE
        (vec![&b"SET"[..], &b"b"[..], &b"2"[..]], Simple("OK".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"a"[..]], Error("ERR source and destination objects are the same".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"a"[..], &b"DB"[..], &b"0"[..]], Error("ERR source and destination objects are the same".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"a"[..], &b"DB"[..], &b"1"[..]], Int(1)),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"DB"[..], &b"16"[..]], Error("ERR DB index is out of range".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"DB"[..], &b"-1"[..]], Error("ERR DB index is out of range".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"DB"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"DB"[..], &b"4294967296"[..]], Error("ERR value is out of range, value must between -2147483648 and 2147483647".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"DB"[..]], Error("ERR syntax error".into())),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"FOO"[..]], Error("ERR syntax error".into())),
        (vec![&b"COPY"[..], &b"nokey"[..], &b"c"[..]], Int(0)),
        (vec![&b"COPY"[..], &b"a"[..], &b"b"[..]], Int(0)),
        (vec![&b"COPY"[..], &b"a"[..], &b"b"[..], &b"REPLACE"[..]], Int(1)),
        (vec![&b"GET"[..], &b"b"[..]], Bulk(b"1".to_vec())),
        (vec![&b"COPY"[..], &b"a"[..], &b"c"[..], &b"REPLACE"[..], &b"REPLACE"[..]], Int(1)),
        (vec![&b"GET"[..], &b"c"[..]], Bulk(b"1".to_vec())),
        // MOVE
        (vec![&b"MOVE"[..], &b"a"[..], &b"0"[..]], Error("ERR source and destination objects are the same".into())),
        (vec![&b"MOVE"[..], &b"a"[..], &b"16"[..]], Error("ERR DB index is out of range".into())),
        (vec![&b"MOVE"[..], &b"a"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"MOVE"[..], &b"a"[..], &b"4294967296"[..]], Error("ERR value is out of range, value must between -2147483648 and 2147483647".into())),
        (vec![&b"MOVE"[..], &b"nokey"[..], &b"1"[..]], Int(0)),
        (vec![&b"MOVE"[..], &b"a"[..], &b"1"[..]], Int(0)),
        (vec![&b"EXISTS"[..], &b"a"[..]], Int(1)),
        (vec![&b"SELECT"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"GET"[..], &b"a"[..]], Bulk(b"1".to_vec())),
        (vec![&b"GET"[..], &b"c"[..]], Nil),
        (vec![&b"SELECT"[..], &b"0"[..]], Simple("OK".into())),
        (vec![&b"SET"[..], &b"a"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"MOVE"[..], &b"a"[..], &b"1"[..]], Int(0)),
        // EXPIRE family: option errors come before the key and the time
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"10"[..], &b"NX"[..], &b"XX"[..]], Error("ERR NX and XX, GT or LT options at the same time are not compatible".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"10"[..], &b"GT"[..], &b"LT"[..]], Error("ERR GT and LT options at the same time are not compatible".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"10"[..], &b"NX"[..], &b"GT"[..]], Error("ERR NX and XX, GT or LT options at the same time are not compatible".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"10"[..], &b"FOO"[..]], Error("ERR Unsupported option FOO".into())),
        (vec![&b"EXPIRE"[..], &b"nokey"[..], &b"10"[..], &b"FOO"[..]], Error("ERR Unsupported option FOO".into())),
        (vec![&b"EXPIRE"[..], &b"nokey"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"EXPIRE"[..], &b"nokey"[..], &b"10"[..]], Int(0)),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"10"[..], &b"nx"[..]], Int(1)),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"9223372036854775807"[..]], Error("ERR invalid expire time in 'expire' command".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"9223372036854775"[..]], Error("ERR invalid expire time in 'expire' command".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"9223372036854774"[..]], Error("ERR invalid expire time in 'expire' command".into())),
        (vec![&b"PEXPIRE"[..], &b"a"[..], &b"9223372036854775807"[..]], Error("ERR invalid expire time in 'pexpire' command".into())),
        (vec![&b"EXPIREAT"[..], &b"a"[..], &b"9223372036854775807"[..]], Error("ERR invalid expire time in 'expireat' command".into())),
        (vec![&b"EXPIREAT"[..], &b"a"[..], &b"-9223372036854775808"[..]], Error("ERR invalid expire time in 'expireat' command".into())),
        (vec![&b"PEXPIREAT"[..], &b"a"[..], &b"9223372036854775807"[..]], Int(1)),
        (vec![&b"PEXPIRETIME"[..], &b"a"[..]], Int(9223372036854775807)),
        (vec![&b"EXPIRETIME"[..], &b"a"[..]], Int(9223372036854776)),
        (vec![&b"EXPIRE"[..], &b"a"[..], &b"-9223372036854775"[..]], Int(1)),
        (vec![&b"EXISTS"[..], &b"a"[..]], Int(0)),
        (vec![&b"SET"[..], &b"t"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"100"[..], &b"XX"[..]], Int(0)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"100"[..], &b"GT"[..]], Int(0)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"100"[..], &b"NX"[..]], Int(1)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"100"[..], &b"NX"[..]], Int(0)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"50"[..], &b"GT"[..]], Int(0)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"200"[..], &b"GT"[..]], Int(1)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"300"[..], &b"LT"[..]], Int(0)),
        (vec![&b"EXPIRE"[..], &b"t"[..], &b"100"[..], &b"LT"[..]], Int(1)),
        (vec![&b"TTL"[..], &b"t"[..]], Int(100)),
        (vec![&b"PERSIST"[..], &b"t"[..]], Int(1)),
        (vec![&b"PERSIST"[..], &b"t"[..]], Int(0)),
        (vec![&b"PERSIST"[..], &b"nokey"[..]], Int(0)),
        (vec![&b"TTL"[..], &b"t"[..]], Int(-1)),
        (vec![&b"PTTL"[..], &b"t"[..]], Int(-1)),
        (vec![&b"TTL"[..], &b"nokey"[..]], Int(-2)),
        (vec![&b"PTTL"[..], &b"nokey"[..]], Int(-2)),
        (vec![&b"EXPIRETIME"[..], &b"t"[..]], Int(-1)),
        (vec![&b"EXPIRETIME"[..], &b"nokey"[..]], Int(-2)),
        (vec![&b"PEXPIRETIME"[..], &b"nokey"[..]], Int(-2)),
        (vec![&b"PEXPIREAT"[..], &b"t"[..], &b"4102444800123"[..]], Int(1)),
        (vec![&b"PEXPIRETIME"[..], &b"t"[..]], Int(4102444800123)),
        (vec![&b"EXPIRETIME"[..], &b"t"[..]], Int(4102444800)),
        (vec![&b"EXPIREAT"[..], &b"t"[..], &b"4102444800"[..]], Int(1)),
        (vec![&b"PEXPIRETIME"[..], &b"t"[..]], Int(4102444800000)),
        (vec![&b"SET"[..], &b"p"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"EXPIRE"[..], &b"p"[..], &b"-1"[..]], Int(1)),
        (vec![&b"EXISTS"[..], &b"p"[..]], Int(0)),
        (vec![&b"SET"[..], &b"p"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"EXPIRE"[..], &b"p"[..], &b"0"[..]], Int(1)),
        (vec![&b"EXISTS"[..], &b"p"[..]], Int(0)),
        (vec![&b"SET"[..], &b"p"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"PEXPIREAT"[..], &b"p"[..], &b"1"[..]], Int(1)),
        (vec![&b"EXISTS"[..], &b"p"[..]], Int(0)),
        (vec![&b"SET"[..], &b"q"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"EXPIRE"[..], &b"q"[..], &b"100"[..], &b"LT"[..]], Int(1)),
        (vec![&b"EXPIRE"[..], &b"q"[..], &b"-5"[..], &b"LT"[..]], Int(1)),
        (vec![&b"EXISTS"[..], &b"q"[..]], Int(0)),
        // TYPE, TOUCH, UNLINK
        (vec![&b"SET"[..], &b"b"[..], &b"2"[..]], Simple("OK".into())),
        (vec![&b"TYPE"[..], &b"b"[..]], Simple("string".into())),
        (vec![&b"TYPE"[..], &b"nokey"[..]], Simple("none".into())),
        (vec![&b"TOUCH"[..], &b"b"[..], &b"nokey"[..], &b"b"[..]], Int(2)),
        (vec![&b"UNLINK"[..], &b"b"[..], &b"nokey"[..], &b"b"[..]], Int(1)),
        (vec![&b"UNLINK"[..], &b"b"[..]], Int(0)),
        // OBJECT
        (vec![&b"OBJECT"[..]], Error("ERR wrong number of arguments for 'object' command".into())),
        (vec![&b"OBJECT"[..], &b"FOO"[..]], Error("ERR unknown subcommand 'FOO'. Try OBJECT HELP.".into())),
        (vec![&b"OBJECT"[..], &b"FOO"[..], &b"bar"[..]], Error("ERR unknown subcommand 'FOO'. Try OBJECT HELP.".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..]], Error("ERR wrong number of arguments for 'object|encoding' command".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"a"[..], &b"b"[..]], Error("ERR wrong number of arguments for 'object|encoding' command".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"nokey"[..]], Nil),
        (vec![&b"OBJECT"[..], &b"FREQ"[..], &b"nokey"[..]], Nil),
        (vec![&b"OBJECT"[..], &b"IDLETIME"[..], &b"nokey"[..]], Nil),
        (vec![&b"OBJECT"[..], &b"REFCOUNT"[..], &b"nokey"[..]], Nil),
        (vec![&b"SET"[..], &b"t"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"FREQ"[..], &b"t"[..]], Error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.".into())),
        (vec![&b"OBJECT"[..], &b"IDLETIME"[..], &b"t"[..]], Int(0)),
        (vec![&b"OBJECT"[..], &b"REFCOUNT"[..], &b"t"[..]], Int(2147483647)),
        (vec![&b"OBJECT"[..], &b"encoding"[..], &b"t"[..]], Bulk(b"int".to_vec())),
        (vec![&b"SET"[..], &b"big"[..], &b"12345"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"REFCOUNT"[..], &b"big"[..]], Int(1)),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"big"[..]], Bulk(b"int".to_vec())),
        (vec![&b"SET"[..], &b"neg"[..], &b"-5"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"REFCOUNT"[..], &b"neg"[..]], Int(1)),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"neg"[..]], Bulk(b"int".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"01"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"embstr".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"9223372036854775807"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"int".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"-9223372036854775808"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"int".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"9223372036854775808"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"embstr".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"embstr".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"raw".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b""[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"embstr".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b" 1"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"embstr".to_vec())),
        (vec![&b"SET"[..], &b"s"[..], &b"-0"[..]], Simple("OK".into())),
        (vec![&b"OBJECT"[..], &b"ENCODING"[..], &b"s"[..]], Bulk(b"embstr".to_vec())),
        (vec![&b"OBJECT"[..], &b"HELP"[..]], Array(vec![Simple("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:".into()), Simple("ENCODING <key>".into()), Simple("    Return the kind of internal representation used in order to store the value".into()), Simple("    associated with a <key>.".into()), Simple("FREQ <key>".into()), Simple("    Return the access frequency index of the <key>. The returned integer is".into()), Simple("    proportional to the logarithm of the recent access frequency of the key.".into()), Simple("IDLETIME <key>".into()), Simple("    Return the idle time of the <key>, that is the approximated number of".into()), Simple("    seconds elapsed since the last access to the key.".into()), Simple("REFCOUNT <key>".into()), Simple("    Return the number of references of the value associated with the specified".into()), Simple("    <key>.".into()), Simple("HELP".into()), Simple("    Prints this help.".into())])),
        (vec![&b"OBJECT"[..], &b"HELP"[..], &b"x"[..]], Error("ERR wrong number of arguments for 'object|help' command".into())),
        // SCAN and KEYS argument errors
        (vec![&b"FLUSHALL"[..]], Simple("OK".into())),
        (vec![&b"SCAN"[..]], Error("ERR wrong number of arguments for 'scan' command".into())),
        (vec![&b"SCAN"[..], &b"x"[..]], Error("ERR invalid cursor".into())),
        (vec![&b"SCAN"[..], &b" 1"[..]], Error("ERR invalid cursor".into())),
        (vec![&b"SCAN"[..], &b"1x"[..]], Error("ERR invalid cursor".into())),
        (vec![&b"SCAN"[..], &b"18446744073709551616"[..]], Error("ERR invalid cursor".into())),
        (vec![&b"SCAN"[..], &b"-1"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"SCAN"[..], &b"18446744073709551615"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"SCAN"[..], &b""[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"SCAN"[..], &b"+1"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"SCAN"[..], &b"0"[..], &b"COUNT"[..], &b"0"[..]], Error("ERR syntax error".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"COUNT"[..], &b"-1"[..]], Error("ERR syntax error".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"COUNT"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"COUNT"[..], &b"9223372036854775808"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"COUNT"[..]], Error("ERR syntax error".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"MATCH"[..]], Error("ERR syntax error".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"FOO"[..], &b"1"[..]], Error("ERR syntax error".into())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"TYPE"[..], &b"foo"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"RANDOMKEY"[..]], Nil),
        (vec![&b"KEYS"[..], &b"*"[..]], Array(vec![])),
        (vec![&b"SET"[..], &b"a"[..], &b"1"[..]], Simple("OK".into())),
        (vec![&b"RANDOMKEY"[..]], Bulk(b"a".to_vec())),
        (vec![&b"SCAN"[..], &b"0"[..], &b"TYPE"[..], &b"STRING"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![Bulk(b"a".to_vec())])])),
        (vec![&b"SCAN"[..], &b"0"[..], &b"TYPE"[..], &b"list"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"SCAN"[..], &b"0"[..], &b"MATCH"[..], &b"*"[..], &b"COUNT"[..], &b"10"[..], &b"TYPE"[..], &b"string"[..], &b"MATCH"[..], &b"a*"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![Bulk(b"a".to_vec())])])),
        (vec![&b"SCAN"[..], &b"0"[..], &b"MATCH"[..], &b"b*"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![])])),
        (vec![&b"SCAN"[..], &b"0"[..], &b"COUNT"[..], &b"9223372036854775807"[..]], Array(vec![Bulk(b"0".to_vec()), Array(vec![Bulk(b"a".to_vec())])])),
        (vec![&b"KEYS"[..], &b"a"[..]], Array(vec![Bulk(b"a".to_vec())])),
        (vec![&b"KEYS"[..], &b"[a]"[..]], Array(vec![Bulk(b"a".to_vec())])),
        (vec![&b"KEYS"[..], &b"b*"[..]], Array(vec![])),
        // DUMP / RESTORE: argument order of the checks
        (vec![&b"DUMP"[..], &b"nokey"[..]], Nil),
        (vec![&b"RESTORE"[..], &b"a"[..], &b"0"[..], &b"x"[..]], Error("BUSYKEY Target key name already exists.".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"-1"[..], &b"x"[..]], Error("ERR Invalid TTL value, must be >= 0".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"x"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..]], Error("ERR DUMP payload version or checksum are wrong".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"FOO"[..]], Error("ERR syntax error".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"IDLETIME"[..], &b"-1"[..]], Error("ERR Invalid IDLETIME value, must be >= 0".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"IDLETIME"[..], &b"x"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"FREQ"[..], &b"256"[..]], Error("ERR Invalid FREQ value, must be >= 0 and <= 255".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"FREQ"[..], &b"-1"[..]], Error("ERR Invalid FREQ value, must be >= 0 and <= 255".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"FREQ"[..], &b"1"[..], &b"IDLETIME"[..], &b"1"[..]], Error("ERR syntax error".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"IDLETIME"[..], &b"1"[..], &b"FREQ"[..], &b"1"[..]], Error("ERR syntax error".into())),
        (vec![&b"RESTORE"[..], &b"r"[..], &b"0"[..], &b"x"[..], &b"IDLETIME"[..]], Error("ERR syntax error".into())),
        (vec![&b"RESTORE"[..], &b"a"[..], &b"0"[..], &b"x"[..], &b"REPLACE"[..]], Error("ERR DUMP payload version or checksum are wrong".into())),
        (vec![&b"RESTORE"[..], &b"a"[..], &b"x"[..], &b"x"[..], &b"REPLACE"[..]], Error("ERR value is not an integer or out of range".into())),
        (vec![&b"RESTORE"[..], &b"a"[..], &b"-1"[..], &b"x"[..], &b"REPLACE"[..]], Error("ERR Invalid TTL value, must be >= 0".into())),
        // arity
        (vec![&b"TOUCH"[..]], Error("ERR wrong number of arguments for 'touch' command".into())),
        (vec![&b"UNLINK"[..]], Error("ERR wrong number of arguments for 'unlink' command".into())),
        (vec![&b"TYPE"[..], &b"a"[..], &b"b"[..]], Error("ERR wrong number of arguments for 'type' command".into())),
        (vec![&b"KEYS"[..]], Error("ERR wrong number of arguments for 'keys' command".into())),
        (vec![&b"KEYS"[..], &b"a"[..], &b"b"[..]], Error("ERR wrong number of arguments for 'keys' command".into())),
        (vec![&b"RANDOMKEY"[..], &b"x"[..]], Error("ERR wrong number of arguments for 'randomkey' command".into())),
        (vec![&b"TTL"[..]], Error("ERR wrong number of arguments for 'ttl' command".into())),
        (vec![&b"PERSIST"[..], &b"a"[..], &b"b"[..]], Error("ERR wrong number of arguments for 'persist' command".into())),
        (vec![&b"DUMP"[..]], Error("ERR wrong number of arguments for 'dump' command".into())),
        (vec![&b"RESTORE"[..], &b"a"[..], &b"0"[..]], Error("ERR wrong number of arguments for 'restore' command".into())),
        (vec![&b"MOVE"[..], &b"a"[..]], Error("ERR wrong number of arguments for 'move' command".into())),
        (vec![&b"COPY"[..], &b"a"[..]], Error("ERR wrong number of arguments for 'copy' command".into())),
        (vec![&b"RENAME"[..], &b"a"[..]], Error("ERR wrong number of arguments for 'rename' command".into())),
        (vec![&b"EXPIRE"[..], &b"a"[..]], Error("ERR wrong number of arguments for 'expire' command".into())),
        (vec![&b"EXPIRETIME"[..]], Error("ERR wrong number of arguments for 'expiretime' command".into())),
    ]
}

#[test]
fn expiry_takes_effect_over_time() {
    let mut s = session();
    assert_eq!(s.execute(&["SET", "k", "v", "PX", "50"]), Reply::ok());
    assert_eq!(s.execute(&["SET", "p", "v"]), Reply::ok());
    assert_eq!(s.execute(&["PEXPIRE", "p", "50"]), Reply::Int(1));
    let Reply::Int(ms) = s.execute(&["PTTL", "k"]) else {
        panic!()
    };
    assert!((1..=50).contains(&ms), "pttl {}", ms);
    assert_eq!(s.execute(&["TTL", "k"]), Reply::Int(0));
    std::thread::sleep(std::time::Duration::from_millis(80));
    assert_eq!(s.execute(&["PTTL", "k"]), Reply::Int(-2));
    assert_eq!(s.execute(&["TTL", "p"]), Reply::Int(-2));
    assert_eq!(s.execute(&["EXPIRETIME", "p"]), Reply::Int(-2));
    assert_eq!(s.execute(&["TYPE", "k"]), Reply::Simple("none".into()));
    assert_eq!(s.execute(&["KEYS", "*"]), Reply::Array(vec![]));
    assert_eq!(
        s.execute(&["SCAN", "0"]),
        Reply::Array(vec![bulk("0"), Reply::Array(vec![])])
    );
    assert_eq!(s.execute(&["DBSIZE"]), Reply::Int(0));
    assert_eq!(s.execute(&["RANDOMKEY"]), Reply::Nil);
    assert_eq!(s.execute(&["RENAME", "k", "x"]), err("ERR no such key"));
    assert_eq!(s.execute(&["PERSIST", "k"]), Reply::Int(0));
    // An expired key does not block a RENAMENX, a MOVE or a COPY onto its name.
    s.execute(&["SET", "src", "1"]);
    s.execute(&["SET", "dst", "2", "PX", "20"]);
    std::thread::sleep(std::time::Duration::from_millis(40));
    assert_eq!(s.execute(&["RENAMENX", "src", "dst"]), Reply::Int(1));
    assert_eq!(s.execute(&["GET", "dst"]), bulk("1"));
}

#[test]
fn expire_then_persist_and_set_clears() {
    let mut s = session();
    s.execute(&["SET", "k", "v"]);
    assert_eq!(s.execute(&["EXPIRE", "k", "100"]), Reply::Int(1));
    assert_eq!(s.execute(&["TTL", "k"]), Reply::Int(100));
    let Reply::Int(at) = s.execute(&["PEXPIRETIME", "k"]) else {
        panic!()
    };
    let Reply::Int(at_s) = s.execute(&["EXPIRETIME", "k"]) else {
        panic!()
    };
    assert_eq!((at + 500) / 1000, at_s);
    assert_eq!(s.execute(&["PERSIST", "k"]), Reply::Int(1));
    assert_eq!(s.execute(&["TTL", "k"]), Reply::Int(-1));
    assert_eq!(s.execute(&["EXPIRE", "k", "100"]), Reply::Int(1));
    s.execute(&["SET", "k", "w"]);
    assert_eq!(s.execute(&["TTL", "k"]), Reply::Int(-1));
}

#[test]
fn rename_keeps_ttl_and_value_and_replaces_any_type() {
    let db = Db::open_memory().unwrap();
    let mut s = Session::new(db.clone());
    s.execute(&["SET", "a", "va", "EX", "100"]);
    // A key of another type under the target name (a row with no contents is enough:
    // RENAME only looks at the keyspace).
    db.write(|conn| {
        let scope = Scope {
            conn,
            db: 0,
            now: redlite_core::db::now_ms(),
            writable: true,
        };
        keyspace::create(scope, b"l", KeyType::List, None)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(s.execute(&["TYPE", "l"]), Reply::Simple("list".into()));
    assert_eq!(s.execute(&["RENAMENX", "a", "l"]), Reply::Int(0));
    assert_eq!(s.execute(&["RENAME", "a", "l"]), Reply::ok());
    assert_eq!(s.execute(&["TYPE", "l"]), Reply::Simple("string".into()));
    assert_eq!(s.execute(&["GET", "l"]), bulk("va"));
    assert_eq!(s.execute(&["TTL", "l"]), Reply::Int(100));
    assert_eq!(s.execute(&["EXISTS", "a"]), Reply::Int(0));
    // And the other way round: a list renamed over a string keeps being a list.
    db.write(|conn| {
        let scope = Scope {
            conn,
            db: 0,
            now: redlite_core::db::now_ms(),
            writable: true,
        };
        keyspace::create(scope, b"l2", KeyType::List, None)?;
        Ok(())
    })
    .unwrap();
    assert_eq!(s.execute(&["RENAME", "l2", "l"]), Reply::ok());
    assert_eq!(s.execute(&["TYPE", "l"]), Reply::Simple("list".into()));
    assert_eq!(s.execute(&["TTL", "l"]), Reply::Int(-1));
    assert_eq!(
        s.execute(&["GET", "l"]),
        err("WRONGTYPE Operation against a key holding the wrong kind of value")
    );
}

#[test]
fn rename_move_copy_are_binary_safe() {
    let mut s = session();
    let k1: &[u8] = b"k\x00\xff";
    let k2: &[u8] = b"\x00";
    assert_eq!(s.execute(&[&b"SET"[..], k1, b"v\x00"]), Reply::ok());
    assert_eq!(s.execute(&[&b"RENAME"[..], k1, k2]), Reply::ok());
    assert_eq!(
        s.execute(&[&b"COPY"[..], k2, k1, b"DB", b"5"]),
        Reply::Int(1)
    );
    assert_eq!(s.execute(&[&b"MOVE"[..], k2, b"3"]), Reply::Int(1));
    assert_eq!(s.execute(&[&b"KEYS"[..], b"*"]), Reply::Array(vec![]));
    s.execute(&["SELECT", "3"]);
    assert_eq!(
        s.execute(&[&b"GET"[..], k2]),
        Reply::Bulk(b"v\x00".to_vec())
    );
    assert_eq!(
        s.execute(&[&b"KEYS"[..], b"\x00*"]),
        Reply::Array(vec![Reply::Bulk(k2.to_vec())])
    );
    s.execute(&["SELECT", "5"]);
    assert_eq!(
        s.execute(&[&b"GET"[..], k1]),
        Reply::Bulk(b"v\x00".to_vec())
    );
}

#[test]
fn copy_and_move_carry_the_ttl_and_leave_the_source() {
    let mut s = session();
    s.execute(&["SET", "a", "1", "EX", "100"]);
    assert_eq!(s.execute(&["COPY", "a", "b"]), Reply::Int(1));
    assert_eq!(s.execute(&["TTL", "b"]), Reply::Int(100));
    assert_eq!(s.execute(&["SET", "b", "2"]), Reply::ok());
    assert_eq!(s.execute(&["GET", "a"]), bulk("1"));
    assert_eq!(s.execute(&["COPY", "a", "b", "REPLACE"]), Reply::Int(1));
    assert_eq!(s.execute(&["GET", "b"]), bulk("1"));
    assert_eq!(s.execute(&["TTL", "b"]), Reply::Int(100));
    assert_eq!(s.execute(&["MOVE", "a", "2"]), Reply::Int(1));
    assert_eq!(s.execute(&["EXISTS", "a"]), Reply::Int(0));
    s.execute(&["SELECT", "2"]);
    assert_eq!(s.execute(&["TTL", "a"]), Reply::Int(100));
    // MOVE refuses when the name is taken in the target.
    s.execute(&["SELECT", "0"]);
    s.execute(&["SET", "a", "0"]);
    assert_eq!(s.execute(&["MOVE", "a", "2"]), Reply::Int(0));
    assert_eq!(s.execute(&["GET", "a"]), bulk("0"));
}

/// Every key present for the whole walk is returned exactly once, whatever is deleted
/// or added meanwhile; no key is returned twice.
#[test]
fn scan_is_complete_under_deletes_and_inserts() {
    let mut s = session();
    for i in 0..500 {
        s.execute(&["SET".to_string(), format!("k{}", i), format!("{}", i)]);
    }
    // Another database's keys must not show up.
    s.execute(&["SELECT", "1"]);
    s.execute(&["SET", "other", "x"]);
    s.execute(&["SELECT", "0"]);
    let mut seen = std::collections::HashMap::<Vec<u8>, usize>::new();
    let mut cursor = "0".to_string();
    let mut round = 0;
    loop {
        let Reply::Array(page) = s.execute(&["SCAN", &cursor, "COUNT", "7"]) else {
            panic!()
        };
        let [Reply::Bulk(next), keys] = &page[..] else {
            panic!("{:?}", page)
        };
        for k in sorted_keys(keys.clone()) {
            *seen.entry(k).or_default() += 1;
        }
        // Meanwhile: delete some keys not seen yet (the odd hundreds), add new ones.
        round += 1;
        s.execute(&["DEL".to_string(), format!("k{}", 101 + 2 * round)]);
        s.execute(&["SET".to_string(), format!("new{}", round), "x".into()]);
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
    }
    assert!(seen.values().all(|&n| n == 1), "a key came twice");
    let deleted: std::collections::HashSet<String> =
        (1..=round).map(|r| format!("k{}", 101 + 2 * r)).collect();
    for i in 0..500 {
        let k = format!("k{}", i);
        if !deleted.contains(&k) {
            assert!(seen.contains_key(k.as_bytes()), "{} missing", k);
        }
    }
    assert!(!seen.contains_key(&b"other"[..]));
}

#[test]
fn scan_match_type_and_count() {
    let mut s = session();
    for k in [
        "user:1",
        "user:2",
        "user:10",
        "item:1",
        "usera",
        "user\u{ff}",
    ] {
        s.execute(&["SET", k, "v"]);
    }
    let mut all = Vec::new();
    let mut cursor = "0".to_string();
    loop {
        let Reply::Array(page) = s.execute(&["SCAN", &cursor, "MATCH", "user:?", "COUNT", "1"])
        else {
            panic!()
        };
        let [Reply::Bulk(next), keys] = &page[..] else {
            panic!()
        };
        let Reply::Array(keys) = keys else { panic!() };
        assert!(keys.len() <= 1);
        all.extend(sorted_keys(Reply::Array(keys.clone())));
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
    }
    all.sort();
    assert_eq!(all, vec![b"user:1".to_vec(), b"user:2".to_vec()]);
    assert_eq!(
        sorted_keys(s.execute(&["KEYS", "user*"])),
        vec![
            b"user:1".to_vec(),
            b"user:10".to_vec(),
            b"user:2".to_vec(),
            b"usera".to_vec(),
            "user\u{ff}".as_bytes().to_vec()
        ]
    );
    let Reply::Array(page) = s.execute(&["SCAN", "0", "TYPE", "hash", "COUNT", "100"]) else {
        panic!()
    };
    assert_eq!(page[1], Reply::Array(vec![]));
    let Reply::Array(page) = s.execute(&["SCAN", "0", "TYPE", "String", "COUNT", "100"]) else {
        panic!()
    };
    assert_eq!(sorted_keys(page[1].clone()).len(), 6);
    assert_eq!(page[0], bulk("0"));
    // A pattern whose literal prefix is all 0xff bytes has no upper bound.
    s.execute(&[&b"SET"[..], b"\xff\xffz", b"v"]);
    assert_eq!(
        s.execute(&[&b"KEYS"[..], b"\xff\xff*"]),
        Reply::Array(vec![Reply::Bulk(b"\xff\xffz".to_vec())])
    );
}

#[test]
fn randomkey_finds_keys_of_its_database_only() {
    let mut s = session();
    s.execute(&["SELECT", "1"]);
    for i in 0..20 {
        s.execute(&["SET".to_string(), format!("one{}", i), "v".into()]);
    }
    s.execute(&["SELECT", "0"]);
    s.execute(&["SET", "zero", "v"]);
    for _ in 0..20 {
        assert_eq!(s.execute(&["RANDOMKEY"]), bulk("zero"));
    }
    s.execute(&["SELECT", "1"]);
    let Reply::Bulk(k) = s.execute(&["RANDOMKEY"]) else {
        panic!()
    };
    assert!(k.starts_with(b"one"));
    s.execute(&["SELECT", "2"]);
    assert_eq!(s.execute(&["RANDOMKEY"]), Reply::Nil);
}

#[test]
fn dump_restore_roundtrip() {
    let mut s = session();
    s.execute(&[&b"SET"[..], b"k", b"bin\x00\xff"]);
    let Reply::Bulk(payload) = s.execute(&["DUMP", "k"]) else {
        panic!()
    };
    assert_eq!(
        s.execute(&[&b"RESTORE"[..], b"k", b"0", &payload]),
        err("BUSYKEY Target key name already exists.")
    );
    assert_eq!(
        s.execute(&[&b"RESTORE"[..], b"k2", b"0", &payload]),
        Reply::ok()
    );
    assert_eq!(
        s.execute(&["GET", "k2"]),
        Reply::Bulk(b"bin\x00\xff".to_vec())
    );
    assert_eq!(s.execute(&["TTL", "k2"]), Reply::Int(-1));
    // TTL relative, ABSTTL, already expired, REPLACE, IDLETIME.
    assert_eq!(
        s.execute(&[&b"RESTORE"[..], b"k2", b"100000", &payload, b"REPLACE"]),
        Reply::ok()
    );
    assert_eq!(s.execute(&["TTL", "k2"]), Reply::Int(100));
    assert_eq!(
        s.execute(&[
            &b"RESTORE"[..],
            b"k3",
            b"4102444800000",
            &payload,
            b"ABSTTL"
        ]),
        Reply::ok()
    );
    assert_eq!(s.execute(&["EXPIRETIME", "k3"]), Reply::Int(4102444800));
    assert_eq!(
        s.execute(&[
            &b"RESTORE"[..],
            b"k3",
            b"1",
            &payload,
            b"ABSTTL",
            b"REPLACE"
        ]),
        Reply::ok()
    );
    assert_eq!(s.execute(&["EXISTS", "k3"]), Reply::Int(0));
    assert_eq!(
        s.execute(&[&b"RESTORE"[..], b"k4", b"0", &payload, b"IDLETIME", b"1000"]),
        Reply::ok()
    );
    assert_eq!(s.execute(&["OBJECT", "IDLETIME", "k4"]), Reply::Int(1000));
    assert_eq!(s.execute(&["TOUCH", "k4"]), Reply::Int(1));
    assert_eq!(s.execute(&["OBJECT", "IDLETIME", "k4"]), Reply::Int(0));
    assert_eq!(
        s.execute(&[&b"RESTORE"[..], b"k5", b"0", &payload, b"FREQ", b"5"]),
        Reply::ok()
    );
    // A payload from the other database, or a corrupted one.
    s.execute(&["SET", "n", "12"]);
    let Reply::Bulk(mut bad) = s.execute(&["DUMP", "n"]) else {
        panic!()
    };
    bad[2] ^= 1;
    let wrong = err("ERR DUMP payload version or checksum are wrong");
    assert_eq!(s.execute(&[&b"RESTORE"[..], b"x", b"0", &bad]), wrong);
    assert_eq!(s.execute(&[&b"RESTORE"[..], b"x", b"0", &bad[..5]]), wrong);
    assert_eq!(s.execute(&[&b"RESTORE"[..], b"x", b"0", b""]), wrong);
    // Redis's own payload for SET a 1 is not redlite's format.
    let redis_payload = b"\x00\xc0\x01\n\x00&x\xe7\xb6\xd1\x01\x11\xfc";
    assert_eq!(
        s.execute(&[&b"RESTORE"[..], b"x", b"0", redis_payload]),
        wrong
    );
}

#[test]
fn object_encodings_of_strings_as_redis_decides() {
    let mut s = session();
    for (value, enc) in [
        ("123", "int"),
        ("-5", "int"),
        ("01", "embstr"),
        ("1.5", "embstr"),
        ("hello", "embstr"),
        ("9223372036854775808", "embstr"),
    ] {
        s.execute(&["SET", "k", value]);
        assert_eq!(
            s.execute(&["OBJECT", "ENCODING", "k"]),
            bulk(enc),
            "{}",
            value
        );
    }
    s.execute(&["SET", "k", &"x".repeat(1000)]);
    assert_eq!(s.execute(&["OBJECT", "ENCODING", "k"]), bulk("raw"));
    assert_eq!(s.execute(&["OBJECT", "REFCOUNT", "k"]), Reply::Int(1));
    s.execute(&["SET", "k", "9999"]);
    assert_eq!(
        s.execute(&["OBJECT", "REFCOUNT", "k"]),
        Reply::Int(2147483647)
    );
    s.execute(&["SET", "k", "10000"]);
    assert_eq!(s.execute(&["OBJECT", "REFCOUNT", "k"]), Reply::Int(1));
}

#[test]
fn keyspace_versions_bump_on_rename_and_expire() {
    let db = Db::open_memory().unwrap();
    let mut s = Session::new(db.clone());
    s.execute(&["SET", "a", "1"]);
    let meta = |key: &[u8]| {
        db.read(|conn| {
            let scope = Scope {
                conn,
                db: 0,
                now: redlite_core::db::now_ms(),
                writable: false,
            };
            keyspace::lookup(scope, key)
        })
        .unwrap()
    };
    let before = meta(b"a").unwrap();
    s.execute(&["EXPIRE", "a", "100"]);
    let after = meta(b"a").unwrap();
    assert!(after.version > before.version);
    s.execute(&["RENAME", "a", "b"]);
    let renamed = meta(b"b").unwrap();
    assert_eq!(renamed.id, before.id);
    assert!(renamed.version > after.version);
    // TOUCH is not a write: the version stays.
    s.execute(&["TOUCH", "b"]);
    assert_eq!(meta(b"b").unwrap().version, renamed.version);
}
