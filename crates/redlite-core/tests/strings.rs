//! String commands through `Session::execute`. Every expected reply below was taken
//! from Redis 7.0.15 (RESP3) by running the same commands against a real redis-server.

mod strings_common;

use redlite_core::{Db, Reply, Session};
use strings_common::*;

#[test]
fn set_options() {
    let mut s = session();
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"10", b"EX", b"20"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"10", b"PX", b"10"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"KEEPTTL", b"EX", b"1"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"1", b"KEEPTTL"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"NX", b"XX"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"XX", b"NX"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"SET", b"k", b"v", b"NX", b"NX"], nil());
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"0"],
        err("ERR invalid expire time in 'set' command"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"-1"],
        err("ERR invalid expire time in 'set' command"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"abc"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"PERSIST"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"EX", b"9223372036854776"],
        err("ERR invalid expire time in 'set' command"),
    );
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"PX", b"9223372036854775807"],
        err("ERR invalid expire time in 'set' command"),
    );
    check(&mut s, &[b"SET", b"k", b"v2", b"GET"], bulk(b"v"));
    check(&mut s, &[b"SET", b"k", b"v3", b"NX", b"GET"], bulk(b"v2"));
    check(&mut s, &[b"SET", b"k", b"v4", b"XX", b"GET"], bulk(b"v2"));
    check(&mut s, &[b"SET", b"new", b"v", b"XX", b"GET"], nil());
    check(&mut s, &[b"SET", b"new", b"v", b"XX"], nil());
    check(&mut s, &[b"SET", b"new", b"v", b"NX"], simple("OK"));
    check(&mut s, &[b"SET", b"new", b"w", b"NX"], nil());
    check(&mut s, &[b"SET", b"k", b"v", b"PXAT", b"1"], simple("OK"));
    check(&mut s, &[b"GET", b"k"], nil());
    check(
        &mut s,
        &[b"SET", b"k", b"v", b"foo"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"SET", b"k", b"v", b"EXAT", b"1", b"GET"], nil());
    check(&mut s, &[b"GET", b"k"], nil());
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"SET", b"l", b"v", b"GET"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"SET", b"l", b"v", b"NX"], nil());
    check(
        &mut s,
        &[b"SET", b"l", b"v", b"EX", b"0", b"GET"],
        err("ERR invalid expire time in 'set' command"),
    );
    check(&mut s, &[b"SET", b"l", b"v"], simple("OK"));
    check(&mut s, &[b"GET", b"l"], bulk(b"v"));
}

#[test]
fn setnx_setex_psetex() {
    let mut s = session();
    check(&mut s, &[b"SETNX", b"k", b"a"], int(1));
    check(&mut s, &[b"SETNX", b"k", b"b"], int(0));
    check(&mut s, &[b"GET", b"k"], bulk(b"a"));
    check(
        &mut s,
        &[b"SETEX", b"k", b"0", b"v"],
        err("ERR invalid expire time in 'setex' command"),
    );
    check(
        &mut s,
        &[b"SETEX", b"k", b"-5", b"v"],
        err("ERR invalid expire time in 'setex' command"),
    );
    check(
        &mut s,
        &[b"SETEX", b"k", b"x", b"v"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETEX", b"k", b"9223372036854776", b"v"],
        err("ERR invalid expire time in 'setex' command"),
    );
    check(
        &mut s,
        &[b"SETEX", b"k", b"9223372036854775", b"v"],
        err("ERR invalid expire time in 'setex' command"),
    );
    check(
        &mut s,
        &[b"PSETEX", b"k", b"0", b"v"],
        err("ERR invalid expire time in 'psetex' command"),
    );
    check(
        &mut s,
        &[b"PSETEX", b"k", b"9223372036854775807", b"v"],
        err("ERR invalid expire time in 'psetex' command"),
    );
    check(
        &mut s,
        &[b"PSETEX", b"k", b"1.5", b"v"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SETEX", b"k", b"100", b"v"], simple("OK"));
    check(&mut s, &[b"GET", b"k"], bulk(b"v"));
    check(&mut s, &[b"PSETEX", b"k", b"100000", b"w"], simple("OK"));
    check(&mut s, &[b"GET", b"k"], bulk(b"w"));
    check(
        &mut s,
        &[b"SETEX", b"k", b"1"],
        err("ERR wrong number of arguments for 'setex' command"),
    );
    make_list(&mut s, b"l");
    check(&mut s, &[b"SETNX", b"l", b"v"], int(0));
    check(&mut s, &[b"SETEX", b"l", b"10", b"v"], simple("OK"));
    check(&mut s, &[b"GET", b"l"], bulk(b"v"));
}

#[test]
fn getset_getdel() {
    let mut s = session();
    check(&mut s, &[b"GETSET", b"k", b"a"], nil());
    check(&mut s, &[b"GETSET", b"k", b"b"], bulk(b"a"));
    check(&mut s, &[b"GET", b"k"], bulk(b"b"));
    check(&mut s, &[b"GETDEL", b"k"], bulk(b"b"));
    check(&mut s, &[b"GETDEL", b"k"], nil());
    check(&mut s, &[b"EXISTS", b"k"], int(0));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"GETSET", b"l", b"v"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"GETDEL", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"EXISTS", b"l"], int(1));
    check(&mut s, &[b"SET", b"e", b""], simple("OK"));
    check(&mut s, &[b"GETDEL", b"e"], bulk(b""));
    check(&mut s, &[b"GETDEL", b"e"], nil());
}

#[test]
fn getex_options() {
    let mut s = session();
    check(&mut s, &[b"GETEX", b"missing"], nil());
    check(&mut s, &[b"GETEX", b"missing", b"EX", b"abc"], nil());
    check(
        &mut s,
        &[b"GETEX", b"missing", b"FOO"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"SET", b"k", b"v"], simple("OK"));
    check(&mut s, &[b"GETEX", b"k"], bulk(b"v"));
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"abc"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"0"],
        err("ERR invalid expire time in 'getex' command"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"PX", b"-1"],
        err("ERR invalid expire time in 'getex' command"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"10", b"PX", b"10"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"PERSIST", b"EX", b"10"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"10", b"PERSIST"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"GETEX", b"k", b"EX"], err("ERR syntax error"));
    check(
        &mut s,
        &[b"GETEX", b"k", b"KEEPTTL"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"GETEX", b"k", b"NX"], err("ERR syntax error"));
    check(&mut s, &[b"GETEX", b"k", b"GET"], err("ERR syntax error"));
    check(
        &mut s,
        &[b"GETEX", b"k", b"PERSIST", b"PERSIST"],
        bulk(b"v"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"9223372036854776"],
        err("ERR invalid expire time in 'getex' command"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"9223372036854775"],
        err("ERR invalid expire time in 'getex' command"),
    );
    check(
        &mut s,
        &[b"GETEX", b"k", b"EX", b"10", b"EX", b"20"],
        bulk(b"v"),
    );
    check(&mut s, &[b"GETEX", b"k", b"PXAT", b"1"], bulk(b"v"));
    check(&mut s, &[b"EXISTS", b"k"], int(0));
    check(&mut s, &[b"SET", b"k", b"v"], simple("OK"));
    check(&mut s, &[b"GETEX", b"k", b"EXAT", b"1"], bulk(b"v"));
    check(&mut s, &[b"GET", b"k"], nil());
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"GETEX", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"GETEX", b"l", b"EX", b"abc"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"GETEX", b"l", b"FOO"], err("ERR syntax error"));
}

#[test]
fn mget_mset_msetnx() {
    let mut s = session();
    check(&mut s, &[b"MSET", b"a", b"1", b"b", b"2"], simple("OK"));
    check(
        &mut s,
        &[b"MSET", b"a", b"1", b"b"],
        err("ERR wrong number of arguments for 'mset' command"),
    );
    check(
        &mut s,
        &[b"MSET", b"a"],
        err("ERR wrong number of arguments for 'mset' command"),
    );
    check(
        &mut s,
        &[b"MGET", b"a", b"b", b"c"],
        arr(vec![bulk(b"1"), bulk(b"2"), nil()]),
    );
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"MGET", b"l", b"a", b"l"],
        arr(vec![nil(), bulk(b"1"), nil()]),
    );
    check(&mut s, &[b"MSETNX", b"c", b"3", b"a", b"x"], int(0));
    check(&mut s, &[b"GET", b"c"], nil());
    check(&mut s, &[b"MSETNX", b"c", b"3", b"d", b"4"], int(1));
    check(
        &mut s,
        &[b"MGET", b"c", b"d"],
        arr(vec![bulk(b"3"), bulk(b"4")]),
    );
    check(&mut s, &[b"MSETNX", b"l", b"1"], int(0));
    check(&mut s, &[b"MSETNX", b"e", b"1", b"e", b"2"], int(1));
    check(&mut s, &[b"GET", b"e"], bulk(b"2"));
    check(
        &mut s,
        &[b"MSETNX", b"x", b"1", b"y"],
        err("ERR wrong number of arguments for 'msetnx' command"),
    );
    check(&mut s, &[b"MSET", b"l", b"v", b"a", b"z"], simple("OK"));
    check(
        &mut s,
        &[b"MGET", b"l", b"a"],
        arr(vec![bulk(b"v"), bulk(b"z")]),
    );
    check(&mut s, &[b"MSET", b"k", b"1", b"k", b"2"], simple("OK"));
    check(&mut s, &[b"GET", b"k"], bulk(b"2"));
}

#[test]
fn incr_decr() {
    let mut s = session();
    check(&mut s, &[b"INCR", b"n"], int(1));
    check(&mut s, &[b"INCR", b"n"], int(2));
    check(&mut s, &[b"DECR", b"n"], int(1));
    check(&mut s, &[b"DECR", b"m"], int(-1));
    check(&mut s, &[b"INCRBY", b"n", b"10"], int(11));
    check(&mut s, &[b"INCRBY", b"n", b"-20"], int(-9));
    check(&mut s, &[b"DECRBY", b"n", b"5"], int(-14));
    check(&mut s, &[b"DECRBY", b"n", b"-100"], int(86));
    check(
        &mut s,
        &[b"INCRBY", b"n", b"abc"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"INCRBY", b"n", b"1.5"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"INCRBY", b"n", b"01"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"INCRBY", b"n", b" 1"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b"01"], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b" 1"], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b"1 "], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b"+1"], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b"-0"], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b"abc"], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"s", b""], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SET", b"s", b"00000000000000000001"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SET", b"s", b"-9223372036854775808"],
        simple("OK"),
    );
    check(&mut s, &[b"INCR", b"s"], int(-9223372036854775807));
    check(&mut s, &[b"DECR", b"s"], int(-9223372036854775808));
    check(
        &mut s,
        &[b"SET", b"s", b"-9223372036854775809"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SET", b"s", b"9223372036854775807"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR increment or decrement would overflow"),
    );
    check(&mut s, &[b"INCRBY", b"s", b"0"], int(9223372036854775807));
    check(&mut s, &[b"INCRBY", b"s", b"-9223372036854775808"], int(-1));
    check(
        &mut s,
        &[b"SET", b"s", b"9223372036854775806"],
        simple("OK"),
    );
    check(&mut s, &[b"INCR", b"s"], int(9223372036854775807));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR increment or decrement would overflow"),
    );
    check(&mut s, &[b"GET", b"s"], bulk(b"9223372036854775807"));
    check(
        &mut s,
        &[b"DECRBY", b"s", b"-9223372036854775808"],
        err("ERR decrement would overflow"),
    );
    check(
        &mut s,
        &[b"DECRBY", b"z", b"-9223372036854775808"],
        err("ERR decrement would overflow"),
    );
    check(
        &mut s,
        &[b"DECRBY", b"z", b"9223372036854775807"],
        int(-9223372036854775807),
    );
    check(&mut s, &[b"DECRBY", b"z", b"1"], int(-9223372036854775808));
    check(
        &mut s,
        &[b"DECR", b"z"],
        err("ERR increment or decrement would overflow"),
    );
    check(&mut s, &[b"GET", b"z"], bulk(b"-9223372036854775808"));
    check(&mut s, &[b"INCRBY", b"z", b"9223372036854775807"], int(-1));
    check(&mut s, &[b"SET", b"s", b"1.0"], simple("OK"));
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SET", b"s", b"123456789012345678901"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"INCR", b"s"],
        err("ERR value is not an integer or out of range"),
    );
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"INCR", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"DECRBY", b"l", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"DECRBY", b"l", b"x"],
        err("ERR value is not an integer or out of range"),
    );
}

#[test]
fn incrbyfloat() {
    let mut s = session();
    check(&mut s, &[b"SET", b"a", b"10.5"], simple("OK"));
    check(&mut s, &[b"INCRBYFLOAT", b"a", b"0.1"], bulk(b"10.6"));
    check(&mut s, &[b"SET", b"b", b"5.0e3"], simple("OK"));
    check(&mut s, &[b"INCRBYFLOAT", b"b", b"2.0e2"], bulk(b"5200"));
    check(&mut s, &[b"SET", b"c", b"3.0e3"], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"c", b"1000.1"],
        bulk(b"4000.10000000000000009"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"c", b"0.3"],
        bulk(b"4000.40000000000000013"),
    );
    check(&mut s, &[b"INCRBYFLOAT", b"d", b"0.1"], bulk(b"0.1"));
    check(&mut s, &[b"INCRBYFLOAT", b"d", b"0.2"], bulk(b"0.3"));
    check(&mut s, &[b"INCRBYFLOAT", b"d", b"-0.3"], bulk(b"0"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"e", b"1e20"],
        bulk(b"100000000000000000000"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"e", b"1.5"],
        bulk(b"100000000000000000000"),
    );
    check(&mut s, &[b"INCRBYFLOAT", b"f", b"-1e-18"], bulk(b"0"));
    check(&mut s, &[b"INCRBYFLOAT", b"f", b"5e-18"], bulk(b"0"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"g", b"123456789.123456789"],
        bulk(b"123456789.12345678899873747"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"h", b"3.14159265358979323846"],
        bulk(b"3.14159265358979324"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"h", b"-3"],
        bulk(b"0.14159265358979324"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"i", b"1.0000038146972656250"],
        bulk(b"1.00000381469726562"),
    );
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"0x10"], bulk(b"16"));
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"0X1.8P1"], bulk(b"19"));
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"1E2"], bulk(b"119"));
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"+.5"], bulk(b"119.5"));
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"7."], bulk(b"126.5"));
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"1e-4940"], bulk(b"126.5"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"inf"],
        err("ERR increment would produce NaN or Infinity"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"-infinity"],
        err("ERR increment would produce NaN or Infinity"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"nan"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"abc"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b" 1"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"1 "],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"1e"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"1e5000"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"1e-5000"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b""],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"."],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"0x"],
        err("ERR value is not a valid float"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"1\x00"],
        err("ERR value is not a valid float"),
    );
    check(&mut s, &[b"INCRBYFLOAT", b"j", b"1.1e4932"], bulk(b"1099999999999999999974373107528241817659030869279043407734988001817024145106513112504247507989334878520248308281361039478032934883265306874247558219180296632615879769284426144446587301862925949044860103916345584575444940764072805023841127038694056136469796496577126541639538344365510095288710750981114492840403606011035722140950388865380426626956598546884662554156676899849274474003946737153202663113471019038507440355784997612447212190315662150842498356408074864010786635463165434158504462993091203108212159354301043245621277048030590981217752749212401923243127138342167748918430168950395586853357811402450292366170936077374287304280516496791243181744660062034825766801562331288150173113824584687813457202545074014431803319775315998574294061353416922646887741547820181608294728217534644103487399058533712092272305657732870431777406038928081305932744454766811852554655135914113871013315952423872114812576001290757699422940111221911945045555478113741593424829620020501745005161710852074978186012721939150513407866391014807697433774795954470026204995541086095733716024007432033404098852964387711906037511284559079635511511105265001649140398250845901004463286876433863964550221008676952276372763575067911963853973001567055756406569343128045403641205087980394365831369003383371685227603278316511752728825492551800986973888739380062196017445702056808445069966439845998936831463863177685365729564195287455361289677323687699873017110388717240797343316362732376481099624642042706786493959231517121398104419805714616715338680064974161422455804452567918920783640928588852013556050411583586757800270730283623088608996390812328255730910963083908032153603402103429802759514853593616153177067415500911713676922818119941758485502483713233836391339711841574287048214054398466058177648133951583659697856319367061612039944071671309477097363997509664406124665760289811187313097505600091492012780926469541380190748595297191682855137672939243900595892243809281653980678128535594541228440218634574770280704029980829588473167907433901747603664817549052020034363401122401934497142344372734618140572998330462995589527034982774919647972676484630128249232151111400418665059666503407412833853472426302097183776179610563338678157970778598436154852230047505079011474601450756518383098667900525033393730130873831407982398320863044521090953981107647680374498820504991155090311321944715075464093659603368699803397944284348470932230600497140776992039106460467277241357274444180967598387038056950513122745966308365514701933261279467260780160047872244699873110020313983169069446477846410770223000745472326974222305733387182924217259845948288427247030039382730488672890229875724957711454218804526205902529773029920794664316040495109529187373742219119822413974416337644618016902599598961368374895207391065016376787494616448057680729910798524806625099187066004462348989545247911652754375344583008535499532314813905020948248399115016943815715937994396941618435619169772385095396152416767195742049851747613446789499374318798671625381003617099318979921187323092570719108388936497413021570787532233753573732786708918585920746076107959919806474257304522391293937223772917858124175606129639031362747570161480150988788136235047002696138807315834676967498996056893633045100327055704032355749831583184677746838894850303565926247689146391879788439427269920324541554278141768823388006416617704470227965980425854679637276674238801946369896560455431159381910870233417834630593573883650136801998237960628020208247398481757468084566811835562055730279594121590811427373679641364043894097024788364847476979150654114561895755972439261022946239838345042369327640360307656142990885171448040586898198259723915086866804741833530114682089637546435457028154781181140931264907183459409078936729981544306081683010025321003041561883391470801186929063790223066325097692289553470222652062743716817355209725137427212444146559934968597141351682488626743327756829921471593990068872438225701901480173844607644558335922716519091818910648440929906650467666042330589650648201165134007539549842213154851674975025009949919518589140278940864888841740301067579841024563714682594585397073634656151707861040438536974108573443444281454191384584475697323062320067494855247657937783341904958252264900431607261250517735640918806139627134190829662969929928161163150996697459754147389369654546789346295061279066556987634926829726090875108170773496087213988428078725430074999430133270176603727855456303366522730112671767574399401456844648538462547659531008270166403919064525301187429965384383165284377279321704286099496402949518133649750949806158890635637969041636190902934947020628579214382009278904086610444871161338666575623527742889622596223558611437936647589192801663915111889094971481486408327912032020150988471330536026172285448434458991524947597084554968263341074076517000345409674031798358143745760733861343415397393159190284273438760077636163984763308746185933756214688892548733454529957267178522323242088136704"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"j", b"1.1e4932"],
        err("ERR increment would produce NaN or Infinity"),
    );
    check(&mut s, &[b"GET", b"j"], bulk(b"1099999999999999999974373107528241817659030869279043407734988001817024145106513112504247507989334878520248308281361039478032934883265306874247558219180296632615879769284426144446587301862925949044860103916345584575444940764072805023841127038694056136469796496577126541639538344365510095288710750981114492840403606011035722140950388865380426626956598546884662554156676899849274474003946737153202663113471019038507440355784997612447212190315662150842498356408074864010786635463165434158504462993091203108212159354301043245621277048030590981217752749212401923243127138342167748918430168950395586853357811402450292366170936077374287304280516496791243181744660062034825766801562331288150173113824584687813457202545074014431803319775315998574294061353416922646887741547820181608294728217534644103487399058533712092272305657732870431777406038928081305932744454766811852554655135914113871013315952423872114812576001290757699422940111221911945045555478113741593424829620020501745005161710852074978186012721939150513407866391014807697433774795954470026204995541086095733716024007432033404098852964387711906037511284559079635511511105265001649140398250845901004463286876433863964550221008676952276372763575067911963853973001567055756406569343128045403641205087980394365831369003383371685227603278316511752728825492551800986973888739380062196017445702056808445069966439845998936831463863177685365729564195287455361289677323687699873017110388717240797343316362732376481099624642042706786493959231517121398104419805714616715338680064974161422455804452567918920783640928588852013556050411583586757800270730283623088608996390812328255730910963083908032153603402103429802759514853593616153177067415500911713676922818119941758485502483713233836391339711841574287048214054398466058177648133951583659697856319367061612039944071671309477097363997509664406124665760289811187313097505600091492012780926469541380190748595297191682855137672939243900595892243809281653980678128535594541228440218634574770280704029980829588473167907433901747603664817549052020034363401122401934497142344372734618140572998330462995589527034982774919647972676484630128249232151111400418665059666503407412833853472426302097183776179610563338678157970778598436154852230047505079011474601450756518383098667900525033393730130873831407982398320863044521090953981107647680374498820504991155090311321944715075464093659603368699803397944284348470932230600497140776992039106460467277241357274444180967598387038056950513122745966308365514701933261279467260780160047872244699873110020313983169069446477846410770223000745472326974222305733387182924217259845948288427247030039382730488672890229875724957711454218804526205902529773029920794664316040495109529187373742219119822413974416337644618016902599598961368374895207391065016376787494616448057680729910798524806625099187066004462348989545247911652754375344583008535499532314813905020948248399115016943815715937994396941618435619169772385095396152416767195742049851747613446789499374318798671625381003617099318979921187323092570719108388936497413021570787532233753573732786708918585920746076107959919806474257304522391293937223772917858124175606129639031362747570161480150988788136235047002696138807315834676967498996056893633045100327055704032355749831583184677746838894850303565926247689146391879788439427269920324541554278141768823388006416617704470227965980425854679637276674238801946369896560455431159381910870233417834630593573883650136801998237960628020208247398481757468084566811835562055730279594121590811427373679641364043894097024788364847476979150654114561895755972439261022946239838345042369327640360307656142990885171448040586898198259723915086866804741833530114682089637546435457028154781181140931264907183459409078936729981544306081683010025321003041561883391470801186929063790223066325097692289553470222652062743716817355209725137427212444146559934968597141351682488626743327756829921471593990068872438225701901480173844607644558335922716519091818910648440929906650467666042330589650648201165134007539549842213154851674975025009949919518589140278940864888841740301067579841024563714682594585397073634656151707861040438536974108573443444281454191384584475697323062320067494855247657937783341904958252264900431607261250517735640918806139627134190829662969929928161163150996697459754147389369654546789346295061279066556987634926829726090875108170773496087213988428078725430074999430133270176603727855456303366522730112671767574399401456844648538462547659531008270166403919064525301187429965384383165284377279321704286099496402949518133649750949806158890635637969041636190902934947020628579214382009278904086610444871161338666575623527742889622596223558611437936647589192801663915111889094971481486408327912032020150988471330536026172285448434458991524947597084554968263341074076517000345409674031798358143745760733861343415397393159190284273438760077636163984763308746185933756214688892548733454529957267178522323242088136704"));
    check(&mut s, &[b"INCRBYFLOAT", b"k", b"1.18973149535723176502e+4932"], bulk(b"1189731495357231765021263853030970205169063322294624200440323733891737005522970722616410290336528882853545697807495577314427443153670288434198125573853743678673593200706973263201915918282961524365529510646791086614311790632169778838896134786560600399148753433211454911160088679845154866512852340149773037600009125479393966223151383622417838542743917838138717805889487540575168226347659235576974805113725649020884855222494791399377585026011773549180099796226026859508558883608159846900235645132346594476384939859276456284579661772930407806609229102715046085388087959327781622986827547830768080040150694942303411728957777100335714010559775242124057347007386251660110828379119623008469277200965153500208474470792443848545912886723000619085126472111951361467527633519562927597957250278002980795904193139603021470997035276467445530922022679656280991498232083329641241038509239184734786121921697210543484287048353408113042573002216421348917347174234800714880751002064390517234247656004721768096486107994943415703476320643558624207443504424380566136017608837478165389027809576975977286860071487028287955567141404632615832623602762896316173978484254486860609948270867968048078702511858930838546584223040908805996294594586201903766048446790926002225410530775901065760671347200125846406957030257138960983757998926954553052368560758683179223113639519468850880771872104705203957587480013143131444254943919940175753169339392366881856189129931729104252921236835159922322050998001677102784035360140829296398115122877768135706045789343535451696539561254048846447169786893211671087229088082778350518228857646062218739702851655083720992349483334435228984751232753726636066213902281264706234075352071724058665079518217303463782631353393706774901950197841690441824738063162828586857741432581165364040218402724913393320949219498422442730427019873044536620350262386957804682003601447291997123095530057206141866974852846856186514832715974481203121946751686379343096189615107330065552421485195201762858595091051839472502863871632494167613804996319791441870254302706758495192008837915169401581740046711477877201459644461175204059453504764721807975761111720846273639279600339670470037613374509553184150073796412605047923251661354841291884211340823015473304754067072818763503617332908005951896325207071673904547777129682265206225651439919376804400292380903112437912614776255964694221981375146967079446870358004392507659451618379811859392049544036114915310782251072691486979809240946772142727012404377187409216756613634938900451232351668146089322400697993176017805338191849981933008410985993938760292601390911414526003720284872132411955424282101831204216104467404621635336900583664606591156298764745525068145003932941404131495400677602951005962253022823003631473824681059648442441324864573137437595096416168048024129351876204668135636877532814675538798871771836512893947195335061885003267607354388673368002074387849657014576090349857571243045102038730494854256702479339322809110526041538528994849203991091946129912491633289917998094380337879522093131466946149705939664152375949285890960489916121944989986384837022486672249148924678410206183364627416969576307632480235587975245253737035433882960862753427740016333434055083537048507374544819754722228975281083020898682633020285259923084168054539687911418297629988964576482765287504562854924265165217750799516259669229114977788962356670956627138482018191348321687995863652637620978285070099337294396784639879024914514222742527006363942327998483976739987154418554201562244154926653014515504685489258620276085761837129763358761215382565129633538141663949516556000264159186554850057052611431952919918807954522394649627635630178580896692226406235382898535867595990647008385687123810329591926494846250768992258419305480763620215089022149220528069842018350840586938493815498909445461977893029113576516775406232278298314033473276603952231603422824717528181818844304880921321933550869873395861276073670866652375555675803171490108477320096424318780070008797346032906278943553743564448851907191616455141155761939399690767415156402826543664026760095087523945507341556135867933066031744720924446513532366647649735400851967040771103640538150073486891798364049570606189535005089840913826869535090066783324472578712196604415284924840041850932811908963634175739897166596000759487800619164094854338758520657116541072260996288150123144377944008749301944744330784388995701842710004808305012177123560622895076269042856800047718893158089358515593863176652948089031267747029662545110861548958395087796755464137944895960527975209874813839762578592105756284401759349324162148339565350189196811389091843795734703269406342890087805846940352453479398080674273236297887100867175802531561302356064878709259865288416350972529537091114317204887747405539054009425375424119317944175137064689643861517718849867010341532542385911089624710885385808688837777258648564145934262121086647588489260031762345960769508849149662444156604419552086811989770240"));
    check(&mut s, &[b"SET", b"s", b"abc"], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"1"],
        err("ERR value is not a valid float"),
    );
    check(&mut s, &[b"SET", b"s", b"inf"], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"1"],
        err("ERR increment would produce NaN or Infinity"),
    );
    check(&mut s, &[b"SET", b"s", b""], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"1"],
        err("ERR value is not a valid float"),
    );
    check(&mut s, &[b"SET", b"s", b" 2"], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"1"],
        err("ERR value is not a valid float"),
    );
    check(&mut s, &[b"SET", b"s", b"17"], simple("OK"));
    check(&mut s, &[b"INCRBYFLOAT", b"s", b"-17"], bulk(b"0"));
    check(&mut s, &[b"GET", b"s"], bulk(b"0"));
    check(&mut s, &[b"SET", b"s", b"-5"], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"-0.00000000000000001"],
        bulk(b"-5.00000000000000001"),
    );
    check(&mut s, &[b"SET", b"s", b"1e-17"], simple("OK"));
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"0"],
        bulk(b"0.00000000000000001"),
    );
    check(
        &mut s,
        &[b"SET", b"s", b"0.000000000000000005"],
        simple("OK"),
    );
    check(&mut s, &[b"INCRBYFLOAT", b"s", b"0"], bulk(b"0"));
    check(
        &mut s,
        &[b"SET", b"s", b"0.000000000000000015"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"0"],
        bulk(b"0.00000000000000002"),
    );
    check(
        &mut s,
        &[b"SET", b"s", b"1.7976931348623157e308"],
        simple("OK"),
    );
    check(&mut s, &[b"INCRBYFLOAT", b"s", b"1.7976931348623157e308"], bulk(b"359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768"));
    check(&mut s, &[b"INCRBYFLOAT", b"s", b"-1"], bulk(b"359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768"));
    check(
        &mut s,
        &[b"SET", b"s", b"99999999999999999999.5"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"s", b"0.25"],
        bulk(b"100000000000000000000"),
    );
    check(&mut s, &[b"SET", b"s", b"2.5e-5"], simple("OK"));
    check(&mut s, &[b"INCRBYFLOAT", b"s", b"1e-7"], bulk(b"0.0000251"));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"l", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"INCRBYFLOAT", b"l", b"x"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn append_strlen() {
    let mut s = session();
    check(&mut s, &[b"APPEND", b"k", b"ab"], int(2));
    check(&mut s, &[b"APPEND", b"k", b"c\x00d"], int(5));
    check(&mut s, &[b"GET", b"k"], bulk(b"abc\x00d"));
    check(&mut s, &[b"STRLEN", b"k"], int(5));
    check(&mut s, &[b"APPEND", b"k", b""], int(5));
    check(&mut s, &[b"APPEND", b"e", b""], int(0));
    check(&mut s, &[b"EXISTS", b"e"], int(1));
    check(&mut s, &[b"STRLEN", b"e"], int(0));
    check(&mut s, &[b"STRLEN", b"missing"], int(0));
    check(&mut s, &[b"SET", b"n", b"12"], simple("OK"));
    check(&mut s, &[b"APPEND", b"n", b"3"], int(3));
    check(&mut s, &[b"INCR", b"n"], int(124));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"APPEND", b"l", b"x"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"STRLEN", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"APPEND", b"b", b"\xc3\xbf\xc3\xbe"], int(4));
    check(&mut s, &[b"APPEND", b"b", b"\x00"], int(5));
    check(&mut s, &[b"GET", b"b"], bulk(b"\xc3\xbf\xc3\xbe\x00"));
    check(&mut s, &[b"STRLEN", b"b"], int(5));
}

#[test]
fn getrange_substr() {
    let mut s = session();
    check(&mut s, &[b"SET", b"k", b"Hello, World"], simple("OK"));
    check(&mut s, &[b"GETRANGE", b"k", b"0", b"4"], bulk(b"Hello"));
    check(&mut s, &[b"GETRANGE", b"k", b"-5", b"-1"], bulk(b"World"));
    check(&mut s, &[b"GETRANGE", b"k", b"-1", b"-5"], bulk(b""));
    check(
        &mut s,
        &[b"GETRANGE", b"k", b"0", b"-1"],
        bulk(b"Hello, World"),
    );
    check(&mut s, &[b"GETRANGE", b"k", b"0", b"-100"], bulk(b"H"));
    check(&mut s, &[b"GETRANGE", b"k", b"-100", b"-200"], bulk(b""));
    check(&mut s, &[b"GETRANGE", b"k", b"-100", b"2"], bulk(b"Hel"));
    check(&mut s, &[b"GETRANGE", b"k", b"5", b"3"], bulk(b""));
    check(&mut s, &[b"GETRANGE", b"k", b"11", b"100"], bulk(b"d"));
    check(&mut s, &[b"GETRANGE", b"k", b"12", b"100"], bulk(b""));
    check(&mut s, &[b"GETRANGE", b"k", b"100", b"200"], bulk(b""));
    check(
        &mut s,
        &[
            b"GETRANGE",
            b"k",
            b"-9223372036854775808",
            b"9223372036854775807",
        ],
        bulk(b"Hello, World"),
    );
    check(
        &mut s,
        &[b"GETRANGE", b"k", b"a", b"1"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"GETRANGE", b"k", b"0", b"b"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"GETRANGE", b"missing", b"0", b"-1"], bulk(b""));
    check(
        &mut s,
        &[b"GETRANGE", b"missing", b"a", b"1"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SUBSTR", b"k", b"0", b"4"], bulk(b"Hello"));
    check(&mut s, &[b"SUBSTR", b"k", b"-3", b"-1"], bulk(b"rld"));
    check(&mut s, &[b"SET", b"e", b""], simple("OK"));
    check(&mut s, &[b"GETRANGE", b"e", b"0", b"-1"], bulk(b""));
    check(&mut s, &[b"GETRANGE", b"e", b"0", b"0"], bulk(b""));
    check(&mut s, &[b"GETRANGE", b"e", b"-1", b"0"], bulk(b""));
    check(&mut s, &[b"SET", b"n", b"12345"], simple("OK"));
    check(&mut s, &[b"GETRANGE", b"n", b"1", b"2"], bulk(b"23"));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"GETRANGE", b"l", b"0", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"GETRANGE", b"l", b"x", b"1"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SET", b"b", b"a\x00b\xc3\xbfc"], simple("OK"));
    check(&mut s, &[b"GETRANGE", b"b", b"1", b"3"], bulk(b"\x00b\xc3"));
}

#[test]
fn setrange() {
    let mut s = session();
    check(&mut s, &[b"SETRANGE", b"k", b"0", b"hello"], int(5));
    check(&mut s, &[b"SETRANGE", b"k", b"6", b"world"], int(11));
    check(&mut s, &[b"GET", b"k"], bulk(b"hello\x00world"));
    check(&mut s, &[b"SETRANGE", b"k", b"1", b"EL"], int(11));
    check(&mut s, &[b"GET", b"k"], bulk(b"hELlo\x00world"));
    check(&mut s, &[b"SETRANGE", b"k", b"20", b""], int(11));
    check(&mut s, &[b"GET", b"k"], bulk(b"hELlo\x00world"));
    check(
        &mut s,
        &[b"SETRANGE", b"k", b"-1", b"x"],
        err("ERR offset is out of range"),
    );
    check(
        &mut s,
        &[b"SETRANGE", b"k", b"abc", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"SETRANGE", b"m", b"5", b""], int(0));
    check(&mut s, &[b"EXISTS", b"m"], int(0));
    check(
        &mut s,
        &[b"SETRANGE", b"m", b"-1", b""],
        err("ERR offset is out of range"),
    );
    check(&mut s, &[b"SETRANGE", b"m", b"3", b"ab"], int(5));
    check(&mut s, &[b"GET", b"m"], bulk(b"\x00\x00\x00ab"));
    check(&mut s, &[b"SETRANGE", b"m", b"0", b"\x00\xc3\xbf"], int(5));
    check(&mut s, &[b"GET", b"m"], bulk(b"\x00\xc3\xbfab"));
    check(
        &mut s,
        &[b"SETRANGE", b"z", b"536870912", b"x"],
        err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
    check(
        &mut s,
        &[b"SETRANGE", b"z", b"536870911", b"xy"],
        err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
    check(
        &mut s,
        &[b"SETRANGE", b"z", b"9223372036854775807", b"x"],
        err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
    check(
        &mut s,
        &[b"SETRANGE", b"z", b"9223372036854775808", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"EXISTS", b"z"], int(0));
    check(
        &mut s,
        &[b"SETRANGE", b"k", b"9223372036854775807", b""],
        int(11),
    );
    check(&mut s, &[b"SET", b"n", b"123"], simple("OK"));
    check(&mut s, &[b"SETRANGE", b"n", b"1", b"9"], int(3));
    check(&mut s, &[b"INCR", b"n"], int(194));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"SETRANGE", b"l", b"0", b"x"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"SETRANGE", b"l", b"-1", b"x"],
        err("ERR offset is out of range"),
    );
    check(
        &mut s,
        &[b"SETRANGE", b"l", b"0", b""],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn lcs() {
    let mut s = session();
    check(
        &mut s,
        &[b"MSET", b"key1", b"ohmytext", b"key2", b"mynewtext"],
        simple("OK"),
    );
    check(&mut s, &[b"LCS", b"key1", b"key2"], bulk(b"mytext"));
    check(&mut s, &[b"LCS", b"key1", b"key2", b"LEN"], int(6));
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"IDX"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![
                    arr(vec![arr(vec![int(4), int(7)]), arr(vec![int(5), int(8)])]),
                    arr(vec![arr(vec![int(2), int(3)]), arr(vec![int(0), int(1)])]),
                ]),
            ),
            (bulk(b"len"), int(6)),
        ]),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"IDX", b"MINMATCHLEN", b"4"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![arr(vec![
                    arr(vec![int(4), int(7)]),
                    arr(vec![int(5), int(8)]),
                ])]),
            ),
            (bulk(b"len"), int(6)),
        ]),
    );
    check(
        &mut s,
        &[
            b"LCS",
            b"key1",
            b"key2",
            b"IDX",
            b"MINMATCHLEN",
            b"4",
            b"WITHMATCHLEN",
        ],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![arr(vec![
                    arr(vec![int(4), int(7)]),
                    arr(vec![int(5), int(8)]),
                    int(4),
                ])]),
            ),
            (bulk(b"len"), int(6)),
        ]),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"IDX", b"WITHMATCHLEN"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![
                    arr(vec![
                        arr(vec![int(4), int(7)]),
                        arr(vec![int(5), int(8)]),
                        int(4),
                    ]),
                    arr(vec![
                        arr(vec![int(2), int(3)]),
                        arr(vec![int(0), int(1)]),
                        int(2),
                    ]),
                ]),
            ),
            (bulk(b"len"), int(6)),
        ]),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"idx", b"len"],
        err("ERR If you want both the length and indexes, please just use IDX."),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"LEN", b"IDX"],
        err("ERR If you want both the length and indexes, please just use IDX."),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"MINMATCHLEN"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"MINMATCHLEN", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"MINMATCHLEN", b"-5", b"IDX"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![
                    arr(vec![arr(vec![int(4), int(7)]), arr(vec![int(5), int(8)])]),
                    arr(vec![arr(vec![int(2), int(3)]), arr(vec![int(0), int(1)])]),
                ]),
            ),
            (bulk(b"len"), int(6)),
        ]),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"FOO"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"LCS", b"key1", b"missing"], bulk(b""));
    check(
        &mut s,
        &[b"LCS", b"missing", b"missing2", b"IDX"],
        map(vec![
            (bulk(b"matches"), arr(vec![])),
            (bulk(b"len"), int(0)),
        ]),
    );
    check(&mut s, &[b"LCS", b"missing", b"key2", b"LEN"], int(0));
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"WITHMATCHLEN"],
        bulk(b"mytext"),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"key2", b"MINMATCHLEN", b"3"],
        bulk(b"mytext"),
    );
    check(
        &mut s,
        &[b"MSET", b"a", b"ABCBDAB", b"b", b"BDCABA"],
        simple("OK"),
    );
    check(&mut s, &[b"LCS", b"a", b"b"], bulk(b"BDAB"));
    check(
        &mut s,
        &[b"LCS", b"a", b"b", b"IDX", b"WITHMATCHLEN"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![
                    arr(vec![
                        arr(vec![int(5), int(6)]),
                        arr(vec![int(3), int(4)]),
                        int(2),
                    ]),
                    arr(vec![
                        arr(vec![int(3), int(4)]),
                        arr(vec![int(0), int(1)]),
                        int(2),
                    ]),
                ]),
            ),
            (bulk(b"len"), int(4)),
        ]),
    );
    check(
        &mut s,
        &[b"LCS", b"b", b"a", b"IDX"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![
                    arr(vec![arr(vec![int(5), int(5)]), arr(vec![int(5), int(5)])]),
                    arr(vec![arr(vec![int(4), int(4)]), arr(vec![int(3), int(3)])]),
                    arr(vec![arr(vec![int(2), int(2)]), arr(vec![int(2), int(2)])]),
                    arr(vec![arr(vec![int(0), int(0)]), arr(vec![int(1), int(1)])]),
                ]),
            ),
            (bulk(b"len"), int(4)),
        ]),
    );
    check(&mut s, &[b"MSET", b"x", b"aaaa", b"y", b"aa"], simple("OK"));
    check(
        &mut s,
        &[b"LCS", b"x", b"y", b"IDX", b"WITHMATCHLEN"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![arr(vec![
                    arr(vec![int(2), int(3)]),
                    arr(vec![int(0), int(1)]),
                    int(2),
                ])]),
            ),
            (bulk(b"len"), int(2)),
        ]),
    );
    check(
        &mut s,
        &[b"MSET", b"p", b"abcdef", b"q", b"abcdef"],
        simple("OK"),
    );
    check(
        &mut s,
        &[b"LCS", b"p", b"q", b"IDX", b"WITHMATCHLEN"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![arr(vec![
                    arr(vec![int(0), int(5)]),
                    arr(vec![int(0), int(5)]),
                    int(6),
                ])]),
            ),
            (bulk(b"len"), int(6)),
        ]),
    );
    check(
        &mut s,
        &[b"MSET", b"u", b"\x00\xc3\xbf\x00", b"v", b"\xc3\xbf\x00"],
        simple("OK"),
    );
    check(&mut s, &[b"LCS", b"u", b"v"], bulk(b"\xc3\xbf\x00"));
    check(
        &mut s,
        &[b"LCS", b"u", b"v", b"IDX"],
        map(vec![
            (
                bulk(b"matches"),
                arr(vec![arr(vec![
                    arr(vec![int(1), int(3)]),
                    arr(vec![int(0), int(2)]),
                ])]),
            ),
            (bulk(b"len"), int(3)),
        ]),
    );
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"LCS", b"l", b"key1"],
        err("ERR The specified keys must contain string values"),
    );
    check(
        &mut s,
        &[b"LCS", b"key1", b"l", b"LEN"],
        err("ERR The specified keys must contain string values"),
    );
    check(
        &mut s,
        &[b"LCS", b"missing", b"l", b"FOO"],
        err("ERR The specified keys must contain string values"),
    );
}

// ---------------------------------------------------------------------------------
// Expiry and versions. The TTLs below are what Redis 7.0.15 shows after each command
// on a key set with `SET k 10 EX 100`: a write keeps the TTL unless it replaces the
// value wholesale (SET, GETSET, MSET, SETEX, BITOP's destination) or says so (GETEX).

fn ttl_after(cmd: &[&[u8]]) -> Reply {
    let mut s = session();
    check(&mut s, &[b"SET", b"k", b"10", b"EX", b"100"], simple("OK"));
    let r = s.execute(cmd);
    assert!(!r.is_error(), "{:?}: {:?}", cmd, r);
    s.execute(&["TTL", "k"])
}

#[test]
fn writes_keep_or_clear_the_ttl_as_redis_does() {
    let cases: &[(&[&[u8]], i64)] = &[
        (&[b"SET", b"k", b"1"], -1),
        (&[b"SET", b"k", b"1", b"KEEPTTL"], 100),
        (&[b"GETSET", b"k", b"1"], -1),
        (&[b"MSET", b"k", b"1"], -1),
        (&[b"APPEND", b"k", b"1"], 100),
        (&[b"SETRANGE", b"k", b"0", b"1"], 100),
        (&[b"SETRANGE", b"k", b"0", b""], 100),
        (&[b"INCR", b"k"], 100),
        (&[b"DECRBY", b"k", b"1"], 100),
        (&[b"INCRBYFLOAT", b"k", b"1.5"], 100),
        (&[b"SETBIT", b"k", b"0", b"1"], 100),
        (&[b"SETBIT", b"k", b"0", b"0"], 100),
        (&[b"BITFIELD", b"k", b"SET", b"u8", b"0", b"1"], 100),
        (&[b"BITFIELD", b"k", b"GET", b"u8", b"0"], 100),
        (&[b"BITOP", b"NOT", b"k", b"k"], -1),
        (&[b"BITOP", b"AND", b"k", b"missing"], -2),
        (&[b"GETEX", b"k"], 100),
        (&[b"GETEX", b"k", b"PERSIST"], -1),
        (&[b"GETEX", b"k", b"EX", b"50"], 50),
        (&[b"SETEX", b"k", b"30", b"v"], 30),
        (&[b"SETNX", b"k", b"1"], 100),
        (&[b"MSETNX", b"k", b"1"], 100),
        (&[b"GETDEL", b"k"], -2),
        (&[b"SET", b"k", b"2", b"NX"], 100),
        (&[b"SET", b"k", b"2", b"XX"], -1),
    ];
    for (cmd, want) in cases {
        assert_eq!(ttl_after(cmd), int(*want), "{:?}", cmd);
    }
}

fn version(s: &Session, key: &[u8]) -> Option<i64> {
    let db = s.selected_db();
    s.db()
        .read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT version FROM keys WHERE db = ?1 AND key = ?2",
                    rusqlite::params![db, key],
                    |r| r.get(0),
                )
                .ok())
        })
        .expect("read the version")
}

/// Run `cmd` on a key prepared by `setup`; did the key's version (what WATCH sees) move?
fn bumps(setup: &[&[&[u8]]], cmd: &[&[u8]]) -> bool {
    let mut s = session();
    for c in setup {
        assert!(!s.execute(c).is_error(), "{:?}", c);
    }
    let before = version(&s, b"k");
    s.execute(cmd);
    version(&s, b"k") != before
}

#[test]
fn every_write_bumps_the_version_and_nothing_else_does() {
    let string: &[&[&[u8]]] = &[&[b"SET", b"k", b"10"]];
    let ttl: &[&[&[u8]]] = &[&[b"SET", b"k", b"10", b"EX", b"100"]];
    let writes: &[&[&[u8]]] = &[
        &[b"SET", b"k", b"10"],
        &[b"GETSET", b"k", b"1"],
        &[b"MSET", b"k", b"1"],
        &[b"APPEND", b"k", b""],
        &[b"SETRANGE", b"k", b"0", b"x"],
        &[b"INCRBY", b"k", b"0"],
        &[b"DECR", b"k"],
        &[b"INCRBYFLOAT", b"k", b"0"],
        &[b"SETBIT", b"k", b"0", b"1"],
        &[b"SETBIT", b"k", b"100", b"0"],
        &[b"BITFIELD", b"k", b"INCRBY", b"u8", b"0", b"0"],
        &[
            b"BITFIELD",
            b"k",
            b"OVERFLOW",
            b"FAIL",
            b"INCRBY",
            b"u2",
            b"0",
            b"100",
        ],
        &[b"BITOP", b"OR", b"k", b"k"],
        &[b"GETEX", b"k", b"PX", b"100000"],
        &[b"SETEX", b"k", b"10", b"v"],
        &[b"GETDEL", b"k"],
    ];
    for cmd in writes {
        assert!(bumps(string, cmd), "{:?} should bump the version", cmd);
    }
    assert!(bumps(ttl, &[b"GETEX", b"k", b"PERSIST"]));
    let no_writes: &[&[&[u8]]] = &[
        &[b"GET", b"k"],
        &[b"SETRANGE", b"k", b"0", b""],
        &[b"SETBIT", b"k", b"0", b"0"],
        &[b"SETNX", b"k", b"1"],
        &[b"MSETNX", b"k", b"1"],
        &[b"SET", b"k", b"1", b"NX"],
        &[b"GETEX", b"k"],
        &[b"GETEX", b"k", b"PERSIST"],
        &[b"BITFIELD", b"k", b"GET", b"u8", b"0"],
        &[b"INCRBY", b"k", b"x"],
        &[b"INCRBY", b"k", b"9223372036854775807"],
        &[b"SETRANGE", b"k", b"536870912", b"x"],
        &[b"LCS", b"k", b"k"],
    ];
    for cmd in no_writes {
        assert!(!bumps(string, cmd), "{:?} should not bump the version", cmd);
    }
}

#[test]
fn values_are_binary_safe_and_survive_a_file_database() {
    let dir = std::env::temp_dir().join(format!("redlite-strings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("s.db");
    let _ = std::fs::remove_file(&path);
    {
        let mut s = Session::new(Db::open(&path).expect("open"));
        check(&mut s, &[b"SET", b"k\x00", b"\x00\xff\xfe"], simple("OK"));
        check(&mut s, &[b"APPEND", b"k\x00", b"\x00"], int(4));
        check(&mut s, &[b"SETRANGE", b"k\x00", b"6", b"\x80"], int(7));
        check(&mut s, &[b"SETBIT", b"k\x00", b"0", b"1"], int(0));
        check(
            &mut s,
            &[b"BITFIELD", b"k\x00", b"INCRBY", b"u8", b"#3", b"7"],
            arr(vec![int(7)]),
        );
    }
    let mut s = Session::new(Db::open(&path).expect("reopen"));
    check(
        &mut s,
        &[b"GET", b"k\x00"],
        bulk(b"\x80\xff\xfe\x07\x00\x00\x80"),
    );
    check(
        &mut s,
        &[b"GETRANGE", b"k\x00", b"1", b"3"],
        bulk(b"\xff\xfe\x07"),
    );
    check(&mut s, &[b"STRLEN", b"k\x00"], int(7));
    check(&mut s, &[b"BITCOUNT", b"k\x00"], int(20));
    let _ = std::fs::remove_dir_all(&dir);
}

/// OBJECT ENCODING of what INCRBYFLOAT writes, as Redis 7.0.15 answered: a plain
/// string ("embstr"), even when it reads as an integer; INCR makes it "int" again.
#[test]
fn incrbyfloat_results_are_plain_strings() {
    let mut s = redlite_core::Session::new(redlite_core::Db::open_memory().unwrap());
    let bulk = |t: &str| redlite_core::Reply::Bulk(t.as_bytes().to_vec());
    assert_eq!(s.execute(&["INCRBYFLOAT", "a", "1"]), bulk("1"));
    assert_eq!(s.execute(&["OBJECT", "ENCODING", "a"]), bulk("embstr"));
    assert_eq!(s.execute(&["INCR", "a"]), redlite_core::Reply::Int(2));
    assert_eq!(s.execute(&["OBJECT", "ENCODING", "a"]), bulk("int"));
    s.execute(&["INCRBYFLOAT", "b", "1e30"]);
    s.execute(&["COPY", "b", "c"]);
    assert_eq!(s.execute(&["OBJECT", "ENCODING", "c"]), bulk("embstr"));
}
