//! Hash commands through `Session::execute`. The generated cases' expected replies were
//! taken from Redis 7.0.15 (RESP3) by running the same commands against a real
//! redis-server; replies whose order Redis leaves unspecified are compared sorted.
//! The cases after them check random replies by shape and membership, and what only
//! redlite has (versions, keys.len, the stored payloads).

use redlite_core::{Reply, Session};

mod collections_common;
use collections_common::*;

// ---------------------------------------------------------------------------------
// Cases generated from Redis 7.0.15's replies.
// ---------------------------------------------------------------------------------

#[test]
fn hset_hget_hmset() {
    let mut s = session();
    check(&mut s, &[b"HSET", b"h", b"a", b"1"], int(1));
    check(&mut s, &[b"HSET", b"h", b"a", b"2", b"b", b"3"], int(1));
    check(&mut s, &[b"HGET", b"h", b"a"], bulk(b"2"));
    check(&mut s, &[b"HGET", b"h", b"b"], bulk(b"3"));
    check(&mut s, &[b"HGET", b"h", b"missing"], nil());
    check(&mut s, &[b"HGET", b"nokey", b"a"], nil());
    check(
        &mut s,
        &[b"HSET", b"h", b"a"],
        err("ERR wrong number of arguments for 'hset' command"),
    );
    check(
        &mut s,
        &[b"HSET", b"h", b"a", b"1", b"b"],
        err("ERR wrong number of arguments for 'hset' command"),
    );
    check(
        &mut s,
        &[b"HMSET", b"h", b"a", b"1", b"b"],
        err("ERR wrong number of arguments for 'hmset' command"),
    );
    check(
        &mut s,
        &[b"HMSET", b"h", b"c", b"4", b"d", b"5"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"HMSET", b"h", b"c", b"4", b"c", b"6"],
        simple("OK"),
    );
    check(&mut s, &[b"HGET", b"h", b"c"], bulk(b"6"));
    check(&mut s, &[b"HLEN", b"h"], int(4));
    check(
        &mut s,
        &[b"HSET", b"h", b"a", b"1", b"a", b"2", b"a", b"3"],
        int(0),
    );
    check(&mut s, &[b"HGET", b"h", b"a"], bulk(b"3"));
    check(&mut s, &[b"HLEN", b"h"], int(4));
    check(&mut s, &[b"HSET", b"h", b"", b""], int(1));
    check(&mut s, &[b"HGET", b"h", b""], bulk(b""));
    check(&mut s, &[b"HSTRLEN", b"h", b""], int(0));
    check(&mut s, &[b"HLEN", b"h"], int(5));
    check(&mut s, &[b"hset", b"h", b"CaSe", b"x"], int(1));
    check(&mut s, &[b"HGET", b"h", b"case"], nil());
    check(&mut s, &[b"HGET", b"h", b"CaSe"], bulk(b"x"));
    check(
        &mut s,
        &[b"HSET"],
        err("ERR wrong number of arguments for 'hset' command"),
    );
    check(
        &mut s,
        &[b"HGET", b"h"],
        err("ERR wrong number of arguments for 'hget' command"),
    );
}

#[test]
fn hsetnx() {
    let mut s = session();
    check(&mut s, &[b"HSETNX", b"h", b"f", b"v"], int(1));
    check(&mut s, &[b"HSETNX", b"h", b"f", b"w"], int(0));
    check(&mut s, &[b"HGET", b"h", b"f"], bulk(b"v"));
    check(&mut s, &[b"HSETNX", b"h", b"g", b""], int(1));
    check(&mut s, &[b"HLEN", b"h"], int(2));
    check(
        &mut s,
        &[b"HSETNX", b"h", b"f"],
        err("ERR wrong number of arguments for 'hsetnx' command"),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HSETNX", b"str", b"f", b"v"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HSET", b"str", b"f", b"v"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HMSET", b"str", b"f", b"v"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn binary_safe() {
    let mut s = session();
    check(
        &mut s,
        &[b"HSET", b"k\x00\xff", b"f\x00\x0d\x0a", b"v\x00\xff"],
        int(1),
    );
    check(
        &mut s,
        &[b"HGET", b"k\x00\xff", b"f\x00\x0d\x0a"],
        bulk(b"v\x00\xff"),
    );
    check(&mut s, &[b"HGET", b"k\x00\xff", b"f\x00"], nil());
    check(
        &mut s,
        &[b"HEXISTS", b"k\x00\xff", b"f\x00\x0d\x0a"],
        int(1),
    );
    check(
        &mut s,
        &[b"HSTRLEN", b"k\x00\xff", b"f\x00\x0d\x0a"],
        int(3),
    );
    check(&mut s, &[b"HSET", b"k\x00\xff", b"\xff", b"\x00"], int(1));
    check_unordered(
        &mut s,
        &[b"HKEYS", b"k\x00\xff"],
        arr(vec![bulk(b"f\x00\x0d\x0a"), bulk(b"\xff")]),
    );
    check_unordered(
        &mut s,
        &[b"HVALS", b"k\x00\xff"],
        arr(vec![bulk(b"v\x00\xff"), bulk(b"\x00")]),
    );
    check(
        &mut s,
        &[b"HGETALL", b"k\x00\xff"],
        map(vec![
            (bulk(b"f\x00\x0d\x0a"), bulk(b"v\x00\xff")),
            (bulk(b"\xff"), bulk(b"\x00")),
        ]),
    );
    check(
        &mut s,
        &[b"HMGET", b"k\x00\xff", b"\xff", b"f\x00\x0d\x0a", b"f"],
        arr(vec![bulk(b"\x00"), bulk(b"v\x00\xff"), nil()]),
    );
    check(&mut s, &[b"HDEL", b"k\x00\xff", b"\xff", b"\xff"], int(1));
    check(&mut s, &[b"HLEN", b"k\x00\xff"], int(1));
}

#[test]
fn hmget_hgetall_hkeys_hvals() {
    let mut s = session();
    check(
        &mut s,
        &[b"HMGET", b"nokey", b"a", b"b"],
        arr(vec![nil(), nil()]),
    );
    check(&mut s, &[b"HGETALL", b"nokey"], map(vec![]));
    check_unordered(&mut s, &[b"HKEYS", b"nokey"], arr(vec![]));
    check_unordered(&mut s, &[b"HVALS", b"nokey"], arr(vec![]));
    check(
        &mut s,
        &[b"HSET", b"h", b"z", b"26", b"a", b"1", b"m", b"13"],
        int(3),
    );
    check(
        &mut s,
        &[b"HMGET", b"h", b"a", b"z", b"nope", b"a"],
        arr(vec![bulk(b"1"), bulk(b"26"), nil(), bulk(b"1")]),
    );
    check(
        &mut s,
        &[b"HGETALL", b"h"],
        map(vec![
            (bulk(b"a"), bulk(b"1")),
            (bulk(b"m"), bulk(b"13")),
            (bulk(b"z"), bulk(b"26")),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HKEYS", b"h"],
        arr(vec![bulk(b"z"), bulk(b"a"), bulk(b"m")]),
    );
    check_unordered(
        &mut s,
        &[b"HVALS", b"h"],
        arr(vec![bulk(b"26"), bulk(b"1"), bulk(b"13")]),
    );
    check(
        &mut s,
        &[b"HMGET", b"h"],
        err("ERR wrong number of arguments for 'hmget' command"),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HMGET", b"str", b"a"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HGETALL", b"str"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check_unordered(
        &mut s,
        &[b"HKEYS", b"str"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check_unordered(
        &mut s,
        &[b"HVALS", b"str"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn hdel_hexists_hlen_hstrlen() {
    let mut s = session();
    check(
        &mut s,
        &[b"HSET", b"h", b"a", b"1", b"b", b"22", b"c", b"333"],
        int(3),
    );
    check(&mut s, &[b"HEXISTS", b"h", b"a"], int(1));
    check(&mut s, &[b"HEXISTS", b"h", b"zz"], int(0));
    check(&mut s, &[b"HEXISTS", b"nokey", b"a"], int(0));
    check(&mut s, &[b"HSTRLEN", b"h", b"c"], int(3));
    check(&mut s, &[b"HSTRLEN", b"h", b"zz"], int(0));
    check(&mut s, &[b"HSTRLEN", b"nokey", b"a"], int(0));
    check(&mut s, &[b"HDEL", b"h", b"a", b"zz", b"a"], int(1));
    check(&mut s, &[b"HLEN", b"h"], int(2));
    check(&mut s, &[b"HDEL", b"h", b"zz"], int(0));
    check(&mut s, &[b"HDEL", b"nokey", b"a"], int(0));
    check(&mut s, &[b"HDEL", b"h", b"b", b"c"], int(2));
    check(&mut s, &[b"EXISTS", b"h"], int(0));
    check(&mut s, &[b"HLEN", b"h"], int(0));
    check(
        &mut s,
        &[b"HDEL", b"h"],
        err("ERR wrong number of arguments for 'hdel' command"),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HEXISTS", b"str", b"a"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HSTRLEN", b"str", b"a"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HLEN", b"str"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HDEL", b"str", b"a"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn hincrby() {
    let mut s = session();
    check(&mut s, &[b"HINCRBY", b"h", b"n", b"5"], int(5));
    check(&mut s, &[b"HINCRBY", b"h", b"n", b"-7"], int(-2));
    check(&mut s, &[b"HGET", b"h", b"n"], bulk(b"-2"));
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"n", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"n", b"1.5"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"n", b""],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"n", b"9223372036854775808"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HSET", b"h", b"big", b"9223372036854775807"],
        int(1),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"big", b"1"],
        err("ERR increment or decrement would overflow"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"big", b"0"],
        int(9223372036854775807),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"big", b"-1"],
        int(9223372036854775806),
    );
    check(
        &mut s,
        &[b"HSET", b"h", b"small", b"-9223372036854775808"],
        int(1),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"small", b"-1"],
        err("ERR increment or decrement would overflow"),
    );
    check(&mut s, &[b"HSET", b"h", b"s", b"abc"], int(1));
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"s", b"1"],
        err("ERR hash value is not an integer"),
    );
    check(&mut s, &[b"HSET", b"h", b"sp", b" 1"], int(1));
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"sp", b"1"],
        err("ERR hash value is not an integer"),
    );
    check(&mut s, &[b"HSET", b"h", b"lz", b"010"], int(1));
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"lz", b"1"],
        err("ERR hash value is not an integer"),
    );
    check(&mut s, &[b"HSET", b"h", b"e", b""], int(1));
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"e", b"1"],
        err("ERR hash value is not an integer"),
    );
    check(&mut s, &[b"HSET", b"h", b"plus", b"+1"], int(1));
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"plus", b"1"],
        err("ERR hash value is not an integer"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"n"],
        err("ERR wrong number of arguments for 'hincrby' command"),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HINCRBY", b"str", b"f", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"str", b"f", b"x"],
        err("ERR value is not an integer or out of range"),
    );
}

#[test]
fn hincrbyfloat() {
    let mut s = session();
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"f", b"1.5"], bulk(b"1.5"));
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"f", b"0.1"], bulk(b"1.6"));
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"f", b"-1.6"], bulk(b"0"));
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"new", b"3.0"], bulk(b"3"));
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"new2", b"1.10"],
        bulk(b"1.1"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"g", b"3000"],
        bulk(b"3000"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"g", b"1000.1"],
        bulk(b"4000.10000000000000009"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b"abc"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b""],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b"inf"],
        err("ERR value is NaN or Infinity"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b"-inf"],
        err("ERR value is NaN or Infinity"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b"nan"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b"1e5000"],
        err("ERR value is not a valid float"),
    );
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"f", b"0x10"], bulk(b"16"));
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"f", b" 1"],
        err("ERR value is not a valid float"),
    );
    check(&mut s, &[b"HSET", b"h", b"s", b"abc"], int(1));
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"s", b"1"],
        err("ERR hash value is not a float"),
    );
    check(&mut s, &[b"HSET", b"h", b"sp", b" 1"], int(1));
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"sp", b"1"],
        err("ERR hash value is not a float"),
    );
    check(&mut s, &[b"HSET", b"h", b"lz", b"010"], int(1));
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"lz", b"1"], bulk(b"11"));
    check(&mut s, &[b"HSET", b"h", b"e", b""], int(1));
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"e", b"1"],
        err("ERR hash value is not a float"),
    );
    check(&mut s, &[b"HSET", b"h", b"big", b"1e308"], int(1));
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"big", b"1e308"], bulk(b"199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096"));
    check(&mut s, &[b"HINCRBYFLOAT", b"h", b"big", b"-1e308"], bulk(b"99999999999999999996685879655845645660560099847415567207797047994921734868838061872100126921888539320446747225054013223152134749593960583597420814430196418767959100019603190778663109604507106667939153395788938914560543563061268364901618630217086589253444881623791300855757318142424510452728255046343928578048"));
    check(&mut s, &[b"HSET", b"h", b"i", b"5"], int(1));
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"h", b"i", b"1e-5"],
        bulk(b"5.00001"),
    );
    check(
        &mut s,
        &[b"HINCRBY", b"h", b"i", b"1"],
        err("ERR hash value is not an integer"),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"str", b"f", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"str", b"f", b"x"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"HINCRBYFLOAT", b"str", b"f", b"inf"],
        err("ERR value is NaN or Infinity"),
    );
}

#[test]
fn hrandfield_errors_and_edges() {
    let mut s = session();
    check(&mut s, &[b"HRANDFIELD", b"nokey"], nil());
    check(&mut s, &[b"HRANDFIELD", b"nokey", b"5"], arr(vec![]));
    check(&mut s, &[b"HRANDFIELD", b"nokey", b"-5"], arr(vec![]));
    check(
        &mut s,
        &[b"HRANDFIELD", b"nokey", b"5", b"WITHVALUES"],
        arr(vec![]),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"nokey", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"nokey", b"1", b"2"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"HRANDFIELD", b"nokey", b"-9223372036854775808"], err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
    check(&mut s, &[b"HSET", b"h", b"a", b"1"], int(1));
    check(&mut s, &[b"HRANDFIELD", b"h"], bulk(b"a"));
    check(&mut s, &[b"HRANDFIELD", b"h", b"0"], arr(vec![]));
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"0", b"WITHVALUES"],
        arr(vec![]),
    );
    check(&mut s, &[b"HRANDFIELD", b"h", b"1"], arr(vec![bulk(b"a")]));
    check(&mut s, &[b"HRANDFIELD", b"h", b"5"], arr(vec![bulk(b"a")]));
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"-3"],
        arr(vec![bulk(b"a"), bulk(b"a"), bulk(b"a")]),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"1.5"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"1", b"2"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"1", b"withvalues", b"x"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"1", b"values"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"HRANDFIELD", b"h", b"-9223372036854775808"], err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
    check(&mut s, &[b"HRANDFIELD", b"h", b"-9223372036854775808", b"WITHVALUES"], err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"4611686018427387904", b"WITHVALUES"],
        err("ERR value is out of range"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"-4611686018427387904", b"WITHVALUES"],
        err("ERR value is out of range"),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HRANDFIELD", b"str"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"str", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"HRANDFIELD", b"str", b"x"],
        err("ERR value is not an integer or out of range"),
    );
}

#[test]
fn hscan() {
    let mut s = session();
    check(
        &mut s,
        &[b"HSCAN", b"nokey", b"0"],
        arr(vec![bulk(b"0"), arr(vec![])]),
    );
    check(
        &mut s,
        &[b"HSCAN", b"nokey", b"0", b"COUNT", b"0"],
        arr(vec![bulk(b"0"), arr(vec![])]),
    );
    check(
        &mut s,
        &[b"HSCAN", b"nokey", b"x"],
        err("ERR invalid cursor"),
    );
    check(
        &mut s,
        &[
            b"HSET", b"h", b"a", b"1", b"b", b"2", b"ab", b"3", b"c", b"4",
        ],
        int(4),
    );
    check(&mut s, &[b"HSCAN", b"h", b"x"], err("ERR invalid cursor"));
    check(&mut s, &[b"HSCAN", b"h", b" 1"], err("ERR invalid cursor"));
    check(&mut s, &[b"HSCAN", b"h", b"1x"], err("ERR invalid cursor"));
    check(
        &mut s,
        &[b"HSCAN", b"h", b"18446744073709551616"],
        err("ERR invalid cursor"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"COUNT", b"0"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"COUNT", b"-1"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"COUNT", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"MATCH"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"TYPE", b"string"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"NOVALUES"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"FOO", b"bar"],
        err("ERR syntax error"),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"MATCH", b"a*"],
        arr(vec![
            bulk(b"0"),
            arr(vec![bulk(b"a"), bulk(b"1"), bulk(b"ab"), bulk(b"3")]),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"MATCH", b"a*", b"COUNT", b"1"],
        arr(vec![
            bulk(b"0"),
            arr(vec![bulk(b"a"), bulk(b"1"), bulk(b"ab"), bulk(b"3")]),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"COUNT", b"1", b"COUNT", b"100"],
        arr(vec![
            bulk(b"0"),
            arr(vec![
                bulk(b"a"),
                bulk(b"1"),
                bulk(b"b"),
                bulk(b"2"),
                bulk(b"ab"),
                bulk(b"3"),
                bulk(b"c"),
                bulk(b"4"),
            ]),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"18446744073709551615"],
        arr(vec![
            bulk(b"0"),
            arr(vec![
                bulk(b"a"),
                bulk(b"1"),
                bulk(b"b"),
                bulk(b"2"),
                bulk(b"ab"),
                bulk(b"3"),
                bulk(b"c"),
                bulk(b"4"),
            ]),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"-1"],
        arr(vec![
            bulk(b"0"),
            arr(vec![
                bulk(b"a"),
                bulk(b"1"),
                bulk(b"b"),
                bulk(b"2"),
                bulk(b"ab"),
                bulk(b"3"),
                bulk(b"c"),
                bulk(b"4"),
            ]),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"match", b"[bc]"],
        arr(vec![
            bulk(b"0"),
            arr(vec![bulk(b"b"), bulk(b"2"), bulk(b"c"), bulk(b"4")]),
        ]),
    );
    check_unordered(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"MATCH", b"nothing"],
        arr(vec![bulk(b"0"), arr(vec![])]),
    );
    run(&mut s, &[b"SET", b"str", b"v"]);
    check(
        &mut s,
        &[b"HSCAN", b"str", b"0"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"HSCAN", b"str", b"x"], err("ERR invalid cursor"));
}

#[test]
fn encodings() {
    let mut s = session();
    check(&mut s, &[b"HSET", b"h", b"a", b"1"], int(1));
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h"], bulk(b"listpack"));
    check(
        &mut s,
        &[
            b"HSET",
            b"h",
            b"long",
            b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ],
        int(1),
    );
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h"], bulk(b"listpack"));
    check(
        &mut s,
        &[
            b"HSET",
            b"h",
            b"long",
            b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        ],
        int(0),
    );
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h"], bulk(b"hashtable"));
    check(
        &mut s,
        &[
            b"HSET",
            b"h2",
            b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            b"1",
        ],
        int(1),
    );
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h2"], bulk(b"hashtable"));
}

// ---------------------------------------------------------------------------------
// Random replies, paging, storage: shape and membership, and redlite's own invariants.
// ---------------------------------------------------------------------------------

fn fill(s: &mut Session, key: &[u8], n: usize) {
    let mut argv: Vec<Vec<u8>> = vec![b"HSET".to_vec(), key.to_vec()];
    for i in 0..n {
        argv.push(format!("f{:04}", i).into_bytes());
        argv.push(format!("v{}", i).into_bytes());
    }
    let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
    check(s, &argv, int(n as i64));
}

#[test]
fn hrandfield_shapes() {
    let mut s = session();
    run(&mut s, &[b"HSET", b"h", b"a", b"1", b"b", b"2", b"c", b"3"]);
    let fields: Vec<Vec<u8>> = vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()];
    for _ in 0..20 {
        match ex(&mut s, &[b"HRANDFIELD", b"h"]) {
            Reply::Bulk(f) => assert!(fields.contains(&f)),
            other => panic!("{:?}", other),
        }
        // A positive count: distinct fields, at most the hash's size.
        let two = bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"2"]));
        assert_eq!(two.len(), 2);
        assert_ne!(two[0], two[1]);
        assert!(two.iter().all(|f| fields.contains(f)));
        let mut all = bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"10"]));
        all.sort();
        assert_eq!(all, fields);
        // A negative count: exactly |count| fields, repeats allowed.
        let many = bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"-20"]));
        assert_eq!(many.len(), 20);
        assert!(many.iter().all(|f| fields.contains(f)));
    }
    // WITHVALUES in RESP2: field, value, field, value ...
    let flat = bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"-5", b"WITHVALUES"]));
    assert_eq!(flat.len(), 10);
    for pair in flat.chunks(2) {
        let want = match pair[0].as_slice() {
            b"a" => b"1",
            b"b" => b"2",
            _ => b"3",
        };
        assert_eq!(pair[1], want);
    }
    // ... in RESP3: [field, value] pairs.
    run(&mut s, &[b"HELLO", b"3"]);
    match ex(&mut s, &[b"HRANDFIELD", b"h", b"2", b"WITHVALUES"]) {
        Reply::Array(pairs) => {
            assert_eq!(pairs.len(), 2);
            for p in pairs {
                assert!(matches!(&p, Reply::Array(v) if v.len() == 2), "{:?}", p);
            }
        }
        other => panic!("{:?}", other),
    }
    // Without WITHVALUES, plain fields in RESP3 too.
    assert_eq!(bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"2"])).len(), 2);
    // Past the bound redlite sets on repeated picks.
    check(
        &mut s,
        &[b"HRANDFIELD", b"h", b"-100000000"],
        err("ERR value is out of range"),
    );
}

#[test]
fn hrandfield_sample_of_a_large_hash_is_distinct() {
    let mut s = session();
    fill(&mut s, b"h", 300);
    let mut picked = bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"100"]));
    assert_eq!(picked.len(), 100);
    picked.sort();
    picked.dedup();
    assert_eq!(picked.len(), 100);
    assert_eq!(bulks(&ex(&mut s, &[b"HRANDFIELD", b"h", b"-50"])).len(), 50);
}

#[test]
fn hscan_pages_a_large_hash() {
    let mut s = session();
    fill(&mut s, b"h", 600);
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h"], bulk(b"hashtable"));
    let mut seen = Vec::new();
    let mut cursor = b"0".to_vec();
    let mut pages = 0;
    loop {
        let r = ex(&mut s, &[b"HSCAN", b"h", &cursor, b"COUNT", b"7"]);
        let Reply::Array(v) = r else {
            panic!("{:?}", r)
        };
        let Reply::Bulk(next) = &v[0] else { panic!() };
        let items = bulks(&v[1]);
        // COUNT 7: the fields differ in their first 8 bytes, so a page holds 7.
        assert!(items.len() <= 2 * 7);
        seen.extend(items.chunks(2).map(|p| (p[0].clone(), p[1].clone())));
        pages += 1;
        cursor = next.clone();
        if cursor == b"0" {
            break;
        }
    }
    assert!(pages > 60);
    assert_eq!(seen.len(), 600);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 600);
    // MATCH filters each page on the field.
    let r = ex(
        &mut s,
        &[b"HSCAN", b"h", b"0", b"MATCH", b"f000*", b"COUNT", b"1000"],
    );
    let Reply::Array(v) = r else { panic!() };
    assert_eq!(v[0], bulk(b"0"));
    assert_eq!(bulks(&v[1]).len(), 20);
    // A cursor past the last field (the cursor carries a field's first bytes): an
    // empty last page.
    check(
        &mut s,
        &[b"HSCAN", b"h", b"18446744073709551615"],
        arr(vec![bulk(b"0"), arr(vec![])]),
    );
}

#[test]
fn length_version_and_emptied_hash() {
    let mut s = session();
    run(&mut s, &[b"HSET", b"h", b"a", b"1", b"b", b"2"]);
    let v0 = version(&mut s, b"h").expect("h exists");
    run(&mut s, &[b"HSET", b"h", b"a", b"1"]);
    let v1 = version(&mut s, b"h").expect("h exists");
    assert!(v1 > v0, "HSET of the same value is still a write");
    check(&mut s, &[b"HSETNX", b"h", b"a", b"x"], int(0));
    check(&mut s, &[b"HDEL", b"h", b"zz"], int(0));
    check(&mut s, &[b"HGET", b"h", b"a"], bulk(b"1"));
    assert_eq!(version(&mut s, b"h"), Some(v1), "no write, no new version");
    check(&mut s, &[b"HINCRBY", b"h", b"n", b"1"], int(1));
    check(&mut s, &[b"HLEN", b"h"], int(3));
    assert!(version(&mut s, b"h") > Some(v1));
    check(&mut s, &[b"HDEL", b"h", b"a", b"b", b"n"], int(3));
    assert_eq!(version(&mut s, b"h"), None, "an emptied hash is deleted");
    check(&mut s, &[b"EXISTS", b"h"], int(0));
    // The TTL survives field writes.
    run(&mut s, &[b"HSET", b"h", b"a", b"1"]);
    run(&mut s, &[b"EXPIRE", b"h", b"100"]);
    run(&mut s, &[b"HSET", b"h", b"b", b"2"]);
    run(&mut s, &[b"HINCRBYFLOAT", b"h", b"c", b"1.5"]);
    check(&mut s, &[b"TTL", b"h"], int(100));
}

#[test]
fn copy_dump_restore() {
    let mut s = session();
    run(
        &mut s,
        &[b"HSET", b"h", b"a", b"1", b"\x00", b"\xff", b"", b""],
    );
    check(&mut s, &[b"COPY", b"h", b"h2"], int(1));
    check(&mut s, &[b"HLEN", b"h2"], int(3));
    check(
        &mut s,
        &[b"HGETALL", b"h2"],
        map(vec![
            (bulk(b""), bulk(b"")),
            (bulk(b"\x00"), bulk(b"\xff")),
            (bulk(b"a"), bulk(b"1")),
        ]),
    );
    run(&mut s, &[b"HSET", b"h2", b"a", b"changed"]);
    check(&mut s, &[b"HGET", b"h", b"a"], bulk(b"1"));
    let Reply::Bulk(payload) = ex(&mut s, &[b"DUMP", b"h"]) else {
        panic!("DUMP")
    };
    check(&mut s, &[b"RESTORE", b"h3", b"0", &payload], simple("OK"));
    check(&mut s, &[b"TYPE", b"h3"], simple("hash"));
    check(&mut s, &[b"HLEN", b"h3"], int(3));
    check(&mut s, &[b"HGET", b"h3", b"\x00"], bulk(b"\xff"));
    check(
        &mut s,
        &[b"RESTORE", b"h3", b"0", &payload],
        err("BUSYKEY Target key name already exists."),
    );
    check(
        &mut s,
        &[b"RESTORE", b"h3", b"0", &payload, b"REPLACE"],
        simple("OK"),
    );
    check(&mut s, &[b"HLEN", b"h3"], int(3));
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h3"], bulk(b"listpack"));
}

#[test]
fn encoding_thresholds() {
    let mut s = session();
    fill(&mut s, b"h", 512);
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h"], bulk(b"listpack"));
    run(&mut s, &[b"HSET", b"h", b"one-more", b"x"]);
    check(&mut s, &[b"OBJECT", b"ENCODING", b"h"], bulk(b"hashtable"));
    let long = [b'v'; 64];
    run(&mut s, &[b"HSET", b"k", b"f", &long]);
    check(&mut s, &[b"OBJECT", b"ENCODING", b"k"], bulk(b"listpack"));
    run(&mut s, &[b"HSET", b"k", b"f", &[b'v'; 65]]);
    check(&mut s, &[b"OBJECT", b"ENCODING", b"k"], bulk(b"hashtable"));
}

#[test]
fn hscan_returns_every_field_present_for_the_whole_walk() {
    // Between every call a field already returned is deleted and a new one added
    // (before, inside or after the walk's position): every field present for the whole
    // walk must still be returned (duplicates are allowed).
    let mut s = session();
    fill(&mut s, b"h", 1000);
    let mut present: std::collections::BTreeSet<Vec<u8>> = (0..1000)
        .map(|i| format!("f{:04}", i).into_bytes())
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut returned_live: Vec<Vec<u8>> = Vec::new();
    let mut cursor = b"0".to_vec();
    let mut calls = 0;
    loop {
        let r = ex(&mut s, &[b"HSCAN", b"h", &cursor, b"COUNT", b"10"]);
        let Reply::Array(v) = r else {
            panic!("{:?}", r)
        };
        let Reply::Bulk(next) = &v[0] else {
            panic!("{:?}", v)
        };
        let items = bulks(&v[1]);
        assert_eq!(items.len() % 2, 0);
        for pair in items.chunks(2) {
            seen.insert(pair[0].clone());
            if present.contains(&pair[0]) {
                returned_live.push(pair[0].clone());
            }
        }
        cursor = next.clone();
        calls += 1;
        assert!(calls < 1000, "the walk does not end");
        if cursor == b"0" {
            break;
        }
        if let Some(gone) = returned_live.pop() {
            present.remove(&gone);
            ex(&mut s, &[b"HDEL", b"h", &gone]);
        }
        let added = match calls % 3 {
            0 => format!("a{:04}", calls),
            1 => format!("f0500x{:04}", calls),
            _ => format!("z{:04}", calls),
        };
        ex(&mut s, &[b"HSET", b"h", added.as_bytes(), b"v"]);
    }
    assert!(calls > 50);
    let missed: Vec<_> = present.iter().filter(|f| !seen.contains(*f)).collect();
    assert!(missed.is_empty(), "missed {:?}", missed);
}
