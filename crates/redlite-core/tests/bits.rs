//! Bit commands through `Session::execute`. Every expected reply below was taken
//! from Redis 7.0.15 (RESP3) by running the same commands against a real redis-server.

mod strings_common;

use strings_common::*;

#[test]
fn setbit_getbit() {
    let mut s = session();
    check(&mut s, &[b"SETBIT", b"k", b"7", b"1"], int(0));
    check(&mut s, &[b"GET", b"k"], bulk(b"\x01"));
    check(&mut s, &[b"SETBIT", b"k", b"7", b"1"], int(1));
    check(&mut s, &[b"SETBIT", b"k", b"7", b"0"], int(1));
    check(&mut s, &[b"GET", b"k"], bulk(b"\x00"));
    check(&mut s, &[b"SETBIT", b"k", b"0", b"1"], int(0));
    check(&mut s, &[b"SETBIT", b"k", b"100", b"1"], int(0));
    check(&mut s, &[b"STRLEN", b"k"], int(13));
    check(&mut s, &[b"GETBIT", b"k", b"0"], int(1));
    check(&mut s, &[b"GETBIT", b"k", b"1"], int(0));
    check(&mut s, &[b"GETBIT", b"k", b"100"], int(1));
    check(&mut s, &[b"GETBIT", b"k", b"10000"], int(0));
    check(&mut s, &[b"GETBIT", b"missing", b"0"], int(0));
    check(
        &mut s,
        &[b"SETBIT", b"k", b"-1", b"1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"k", b"x", b"1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"k", b"1", b"2"],
        err("ERR bit is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"k", b"1", b"-1"],
        err("ERR bit is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"k", b"1", b"x"],
        err("ERR bit is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"k", b"4294967296", b"1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"GETBIT", b"k", b"4294967296"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(&mut s, &[b"GETBIT", b"k", b"4294967295"], int(0));
    check(
        &mut s,
        &[b"GETBIT", b"k", b"-1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"GETBIT", b"k", b"1.5"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(&mut s, &[b"SETBIT", b"n", b"15", b"0"], int(0));
    check(&mut s, &[b"GET", b"n"], bulk(b"\x00\x00"));
    check(&mut s, &[b"SET", b"s", b"1"], simple("OK"));
    check(&mut s, &[b"GETBIT", b"s", b"2"], int(1));
    check(&mut s, &[b"GETBIT", b"s", b"3"], int(1));
    check(&mut s, &[b"SETBIT", b"s", b"6", b"1"], int(0));
    check(&mut s, &[b"GET", b"s"], bulk(b"3"));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"SETBIT", b"l", b"0", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"l", b"-1", b"1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"SETBIT", b"l", b"0", b"5"],
        err("ERR bit is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"GETBIT", b"l", b"0"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"GETBIT", b"l", b"x"],
        err("ERR bit offset is not an integer or out of range"),
    );
}

#[test]
fn bitcount() {
    let mut s = session();
    check(&mut s, &[b"SET", b"k", b"foobar"], simple("OK"));
    check(&mut s, &[b"BITCOUNT", b"k"], int(26));
    check(&mut s, &[b"BITCOUNT", b"k", b"0", b"0"], int(4));
    check(&mut s, &[b"BITCOUNT", b"k", b"1", b"1"], int(6));
    check(&mut s, &[b"BITCOUNT", b"k", b"1", b"1", b"BYTE"], int(6));
    check(&mut s, &[b"BITCOUNT", b"k", b"5", b"30", b"BIT"], int(17));
    check(&mut s, &[b"BITCOUNT", b"k", b"0", b"-1", b"bit"], int(26));
    check(&mut s, &[b"BITCOUNT", b"k", b"-5", b"-1", b"BIT"], int(2));
    check(&mut s, &[b"BITCOUNT", b"k", b"-1", b"-2"], int(0));
    check(&mut s, &[b"BITCOUNT", b"k", b"-1", b"-2", b"BIT"], int(0));
    check(&mut s, &[b"BITCOUNT", b"k", b"-100", b"100"], int(26));
    check(&mut s, &[b"BITCOUNT", b"k", b"3", b"2"], int(0));
    check(&mut s, &[b"BITCOUNT", b"k", b"7", b"7", b"BIT"], int(0));
    check(&mut s, &[b"BITCOUNT", b"k", b"9", b"14", b"BIT"], int(5));
    check(&mut s, &[b"BITCOUNT", b"k", b"100", b"200"], int(0));
    check(&mut s, &[b"BITCOUNT", b"k", b"1"], err("ERR syntax error"));
    check(
        &mut s,
        &[b"BITCOUNT", b"k", b"a", b"b"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITCOUNT", b"k", b"0", b"b"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITCOUNT", b"k", b"0", b"-1", b"bad"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITCOUNT", b"k", b"a", b"b", b"bad"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITCOUNT", b"k", b"0", b"-1", b"BIT", b"x"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"BITCOUNT", b"missing"], int(0));
    check(&mut s, &[b"BITCOUNT", b"missing", b"a", b"b"], int(0));
    check(&mut s, &[b"BITCOUNT", b"missing", b"1"], int(0));
    check(
        &mut s,
        &[b"BITCOUNT", b"missing", b"0", b"1", b"x", b"y"],
        int(0),
    );
    check(&mut s, &[b"SET", b"e", b""], simple("OK"));
    check(&mut s, &[b"BITCOUNT", b"e"], int(0));
    check(&mut s, &[b"BITCOUNT", b"e", b"0", b"-1"], int(0));
    check(&mut s, &[b"BITCOUNT", b"e", b"0", b"-1", b"BIT"], int(0));
    check(
        &mut s,
        &[b"SET", b"f", b"\xc3\xbf\xc3\xbf\xc3\xbf"],
        simple("OK"),
    );
    check(&mut s, &[b"BITCOUNT", b"f", b"1", b"22", b"BIT"], int(13));
    check(&mut s, &[b"BITCOUNT", b"f", b"3", b"3", b"BIT"], int(0));
    check(
        &mut s,
        &[
            b"BITCOUNT",
            b"f",
            b"-9223372036854775808",
            b"9223372036854775807",
            b"BIT",
        ],
        int(33),
    );
    check(&mut s, &[b"SET", b"n", b"12345"], simple("OK"));
    check(&mut s, &[b"BITCOUNT", b"n"], int(17));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"BITCOUNT", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"BITCOUNT", b"l", b"a"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"BITCOUNT", b"l", b"0", b"1", b"x"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn bitpos() {
    let mut s = session();
    check(
        &mut s,
        &[b"SET", b"k", b"\xc3\xbf\xc3\xb0\x00"],
        simple("OK"),
    );
    check(&mut s, &[b"BITPOS", b"k", b"0"], int(2));
    check(&mut s, &[b"BITPOS", b"k", b"1"], int(0));
    check(&mut s, &[b"BITPOS", b"k", b"0", b"2"], int(18));
    check(&mut s, &[b"BITPOS", b"k", b"1", b"2"], int(16));
    check(&mut s, &[b"BITPOS", b"k", b"1", b"2", b"-1"], int(16));
    check(&mut s, &[b"BITPOS", b"k", b"0", b"0", b"0"], int(2));
    check(&mut s, &[b"BITPOS", b"k", b"0", b"0", b"-1"], int(2));
    check(&mut s, &[b"BITPOS", b"k", b"1", b"1", b"2"], int(8));
    check(&mut s, &[b"BITPOS", b"k", b"0", b"1", b"2", b"BIT"], int(2));
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"7", b"15", b"BIT"],
        int(7),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"0", b"7", b"15", b"BIT"],
        int(9),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"0", b"7", b"11", b"BIT"],
        int(9),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"12", b"30", b"BIT"],
        int(12),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"0", b"0", b"-1", b"BIT"],
        int(2),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"-3", b"-1", b"BIT"],
        int(-1),
    );
    check(&mut s, &[b"BITPOS", b"k", b"1", b"-1", b"-2"], int(-1));
    check(&mut s, &[b"BITPOS", b"k", b"0", b"5", b"3"], int(-1));
    check(&mut s, &[b"BITPOS", b"k", b"0", b"100"], int(-1));
    check(&mut s, &[b"BITPOS", b"k", b"1", b"100"], int(-1));
    check(
        &mut s,
        &[b"BITPOS", b"k", b"2"],
        err("ERR The bit argument must be 1 or 0."),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"-1"],
        err("ERR The bit argument must be 1 or 0."),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"0", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"0", b"x", b"bad"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"0", b"1", b"bad"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITPOS", b"k", b"1", b"0", b"1", b"BIT", b"x"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"BITPOS", b"missing", b"0"], int(0));
    check(&mut s, &[b"BITPOS", b"missing", b"1"], int(-1));
    check(
        &mut s,
        &[b"BITPOS", b"missing", b"2"],
        err("ERR The bit argument must be 1 or 0."),
    );
    check(
        &mut s,
        &[b"BITPOS", b"missing", b"1", b"a", b"b", b"c", b"d"],
        int(-1),
    );
    check(&mut s, &[b"SET", b"all", b"\xc3\xbf\xc3\xbf"], simple("OK"));
    check(&mut s, &[b"BITPOS", b"all", b"0"], int(2));
    check(&mut s, &[b"BITPOS", b"all", b"0", b"0"], int(2));
    check(&mut s, &[b"BITPOS", b"all", b"0", b"0", b"-1"], int(2));
    check(&mut s, &[b"BITPOS", b"all", b"0", b"1"], int(9));
    check(
        &mut s,
        &[b"BITPOS", b"all", b"0", b"0", b"-1", b"BIT"],
        int(2),
    );
    check(
        &mut s,
        &[b"BITPOS", b"all", b"0", b"3", b"5", b"BIT"],
        int(3),
    );
    check(
        &mut s,
        &[b"BITPOS", b"all", b"1", b"3", b"5", b"BIT"],
        int(-1),
    );
    check(&mut s, &[b"SET", b"zero", b"\x00\x00\x00"], simple("OK"));
    check(&mut s, &[b"BITPOS", b"zero", b"1"], int(-1));
    check(&mut s, &[b"BITPOS", b"zero", b"0"], int(0));
    check(&mut s, &[b"BITPOS", b"zero", b"0", b"1"], int(8));
    check(
        &mut s,
        &[b"BITPOS", b"zero", b"1", b"0", b"-1", b"BIT"],
        int(-1),
    );
    check(
        &mut s,
        &[b"BITPOS", b"zero", b"0", b"9", b"9", b"BIT"],
        int(9),
    );
    check(&mut s, &[b"SET", b"e", b""], simple("OK"));
    check(&mut s, &[b"BITPOS", b"e", b"0"], int(-1));
    check(&mut s, &[b"BITPOS", b"e", b"1"], int(-1));
    check(&mut s, &[b"BITPOS", b"e", b"0", b"0"], int(-1));
    check(&mut s, &[b"BITPOS", b"e", b"0", b"0", b"-1"], int(-1));
    check(&mut s, &[b"SET", b"n", b"1"], simple("OK"));
    check(&mut s, &[b"BITPOS", b"n", b"1"], int(2));
    check(&mut s, &[b"BITPOS", b"n", b"0", b"0", b"0"], int(0));
    check(
        &mut s,
        &[b"SET", b"m", b"\x00\xc2\x80\x00\x01"],
        simple("OK"),
    );
    check(&mut s, &[b"BITPOS", b"m", b"1", b"1"], int(8));
    check(
        &mut s,
        &[b"BITPOS", b"m", b"1", b"9", b"31", b"BIT"],
        int(9),
    );
    check(
        &mut s,
        &[b"BITPOS", b"m", b"1", b"10", b"31", b"BIT"],
        int(14),
    );
    check(
        &mut s,
        &[b"BITPOS", b"m", b"1", b"-8", b"-1", b"BIT"],
        int(39),
    );
    check(&mut s, &[b"BITPOS", b"m", b"0", b"-100", b"-99"], int(0));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"BITPOS", b"l", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"BITPOS", b"l", b"2"],
        err("ERR The bit argument must be 1 or 0."),
    );
    check(
        &mut s,
        &[b"BITPOS", b"l", b"1", b"x"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

#[test]
fn bitop() {
    let mut s = session();
    check(&mut s, &[b"SET", b"a", b"foobar"], simple("OK"));
    check(&mut s, &[b"SET", b"b", b"abcdef"], simple("OK"));
    check(&mut s, &[b"BITOP", b"AND", b"dest", b"a", b"b"], int(6));
    check(&mut s, &[b"GET", b"dest"], bulk(b"`bc`ab"));
    check(&mut s, &[b"BITOP", b"OR", b"dest", b"a", b"b"], int(6));
    check(&mut s, &[b"GET", b"dest"], bulk(b"goofev"));
    check(&mut s, &[b"BITOP", b"XOR", b"dest", b"a", b"b"], int(6));
    check(
        &mut s,
        &[b"GET", b"dest"],
        bulk(b"\x07\x0d\x0c\x06\x04\x14"),
    );
    check(&mut s, &[b"BITOP", b"NOT", b"dest", b"a"], int(6));
    check(
        &mut s,
        &[b"GET", b"dest"],
        bulk(b"\x99\x90\x90\x9d\x9e\x8d"),
    );
    check(
        &mut s,
        &[b"BITOP", b"not", b"dest", b"a", b"b"],
        err("ERR BITOP NOT must be called with a single source key."),
    );
    check(
        &mut s,
        &[b"BITOP", b"NAND", b"dest", b"a"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"SET", b"c", b"\xc3\xbf"], simple("OK"));
    check(&mut s, &[b"BITOP", b"AND", b"d2", b"a", b"c"], int(6));
    check(&mut s, &[b"GET", b"d2"], bulk(b"B/\x00\x00\x00\x00"));
    check(&mut s, &[b"BITOP", b"OR", b"d3", b"c", b"missing"], int(2));
    check(&mut s, &[b"GET", b"d3"], bulk(b"\xc3\xbf"));
    check(&mut s, &[b"BITOP", b"AND", b"d4", b"missing", b"c"], int(2));
    check(&mut s, &[b"GET", b"d4"], bulk(b"\x00\x00"));
    check(&mut s, &[b"BITOP", b"XOR", b"d5", b"c", b"c", b"c"], int(2));
    check(&mut s, &[b"GET", b"d5"], bulk(b"\xc3\xbf"));
    check(
        &mut s,
        &[b"BITOP", b"AND", b"d2", b"missing", b"missing2"],
        int(0),
    );
    check(&mut s, &[b"EXISTS", b"d2"], int(0));
    check(&mut s, &[b"BITOP", b"NOT", b"d6", b"missing"], int(0));
    check(&mut s, &[b"EXISTS", b"d6"], int(0));
    check(&mut s, &[b"SET", b"e", b""], simple("OK"));
    check(&mut s, &[b"BITOP", b"NOT", b"d7", b"e"], int(0));
    check(&mut s, &[b"EXISTS", b"d7"], int(0));
    check(&mut s, &[b"BITOP", b"OR", b"a", b"a", b"c"], int(6));
    check(&mut s, &[b"GET", b"a"], bulk(b"\xe7\xffobar"));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"BITOP", b"AND", b"d8", b"a", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"BITOP", b"AND", b"l", b"a"], int(6));
    check(&mut s, &[b"GET", b"l"], bulk(b"\xe7\xffobar"));
    make_list(&mut s, b"l2");
    check(&mut s, &[b"BITOP", b"AND", b"l2", b"missing"], int(0));
    check(&mut s, &[b"EXISTS", b"l2"], int(0));
    check(&mut s, &[b"BITOP", b"NOT", b"x", b"l"], int(6));
    check(
        &mut s,
        &[b"BITOP", b"FOO", b"x", b"l"],
        err("ERR syntax error"),
    );
}

#[test]
fn bitfield_basics() {
    let mut s = session();
    check(&mut s, &[b"BITFIELD", b"k"], arr(vec![]));
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"SET", b"i8", b"0", b"100"],
        arr(vec![int(0)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"i8", b"0"],
        arr(vec![int(100)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"INCRBY",
            b"i5",
            b"100",
            b"1",
            b"GET",
            b"u4",
            b"0",
        ],
        arr(vec![int(1), int(6)]),
    );
    check(
        &mut s,
        &[b"GET", b"k"],
        bulk(b"d\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"SET",
            b"u8",
            b"#1",
            b"200",
            b"GET",
            b"u8",
            b"8",
            b"GET",
            b"i8",
            b"#1",
            b"GET",
            b"u16",
            b"0",
        ],
        arr(vec![int(0), int(200), int(-56), int(25800)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"i64", b"0"],
        arr(vec![int(7262054399134924800)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u63", b"1"],
        arr(vec![int(7262054399134924800)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"SET",
            b"i64",
            b"0",
            b"-1",
            b"GET",
            b"u63",
            b"0",
            b"GET",
            b"i64",
            b"0",
            b"GET",
            b"i1",
            b"63",
        ],
        arr(vec![
            int(7262054399134924800),
            int(9223372036854775807),
            int(-1),
            int(-1),
        ]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"1000"],
        arr(vec![int(0)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"new", b"GET", b"u8", b"0"],
        arr(vec![int(0)]),
    );
    check(&mut s, &[b"EXISTS", b"new"], int(0));
    check(
        &mut s,
        &[b"BITFIELD", b"new2", b"SET", b"u1", b"17", b"1"],
        arr(vec![int(0)]),
    );
    check(&mut s, &[b"GET", b"new2"], bulk(b"\x00\x00@"));
    check(
        &mut s,
        &[b"BITFIELD", b"new3", b"INCRBY", b"u2", b"100", b"1"],
        arr(vec![int(1)]),
    );
    check(&mut s, &[b"STRLEN", b"new3"], int(13));
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"w",
            b"SET",
            b"i7",
            b"3",
            b"-5",
            b"GET",
            b"i7",
            b"3",
            b"GET",
            b"u7",
            b"3",
            b"GET",
            b"u16",
            b"0",
        ],
        arr(vec![int(0), int(-5), int(123), int(7872)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"w",
            b"SET",
            b"u3",
            b"5",
            b"9",
            b"GET",
            b"u3",
            b"5",
        ],
        arr(vec![int(6), int(1)]),
    );
}

#[test]
fn bitfield_overflow() {
    let mut s = session();
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"OVERFLOW",
            b"WRAP",
            b"SET",
            b"i8",
            b"0",
            b"127",
            b"INCRBY",
            b"i8",
            b"0",
            b"1",
            b"INCRBY",
            b"i8",
            b"0",
            b"-1",
            b"INCRBY",
            b"i8",
            b"0",
            b"-200",
        ],
        arr(vec![int(0), int(-128), int(127), int(-73)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"OVERFLOW",
            b"SAT",
            b"INCRBY",
            b"i8",
            b"0",
            b"1000",
            b"INCRBY",
            b"i8",
            b"0",
            b"-1000",
            b"INCRBY",
            b"i8",
            b"0",
            b"-1",
        ],
        arr(vec![int(127), int(-128), int(-128)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"OVERFLOW",
            b"FAIL",
            b"INCRBY",
            b"i8",
            b"0",
            b"1000",
            b"INCRBY",
            b"i8",
            b"0",
            b"1",
            b"GET",
            b"i8",
            b"0",
        ],
        arr(vec![nil(), int(-127), int(-127)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"OVERFLOW",
            b"FAIL",
            b"SET",
            b"i8",
            b"0",
            b"128",
            b"SET",
            b"i8",
            b"0",
            b"-129",
            b"SET",
            b"i8",
            b"0",
            b"-128",
            b"GET",
            b"i8",
            b"0",
        ],
        arr(vec![nil(), nil(), int(-127), int(-128)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"OVERFLOW",
            b"SAT",
            b"SET",
            b"i8",
            b"0",
            b"128",
            b"SET",
            b"i8",
            b"0",
            b"-129",
            b"GET",
            b"i8",
            b"0",
        ],
        arr(vec![int(-128), int(127), int(-128)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"SET",
            b"i8",
            b"0",
            b"128",
            b"SET",
            b"i8",
            b"0",
            b"-129",
            b"SET",
            b"i8",
            b"0",
            b"255",
            b"SET",
            b"i8",
            b"0",
            b"256",
        ],
        arr(vec![int(-128), int(-128), int(127), int(-1)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"u",
            b"OVERFLOW",
            b"WRAP",
            b"SET",
            b"u8",
            b"0",
            b"255",
            b"INCRBY",
            b"u8",
            b"0",
            b"1",
            b"INCRBY",
            b"u8",
            b"0",
            b"-1",
            b"INCRBY",
            b"u8",
            b"0",
            b"-300",
            b"INCRBY",
            b"u8",
            b"0",
            b"600",
        ],
        arr(vec![int(0), int(0), int(255), int(211), int(43)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"u",
            b"OVERFLOW",
            b"SAT",
            b"INCRBY",
            b"u8",
            b"0",
            b"1000",
            b"INCRBY",
            b"u8",
            b"0",
            b"-1000",
            b"SET",
            b"u8",
            b"0",
            b"-1",
            b"SET",
            b"u8",
            b"0",
            b"300",
        ],
        arr(vec![int(255), int(0), int(0), int(255)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"u",
            b"OVERFLOW",
            b"FAIL",
            b"SET",
            b"u8",
            b"0",
            b"256",
            b"SET",
            b"u8",
            b"0",
            b"-1",
            b"INCRBY",
            b"u8",
            b"0",
            b"-1",
            b"GET",
            b"u8",
            b"0",
        ],
        arr(vec![nil(), nil(), int(254), int(254)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"u",
            b"OVERFLOW",
            b"WRAP",
            b"SET",
            b"u8",
            b"0",
            b"-1",
            b"SET",
            b"u8",
            b"0",
            b"256",
            b"SET",
            b"u8",
            b"0",
            b"-9223372036854775808",
        ],
        arr(vec![int(254), int(255), int(0)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"b",
            b"OVERFLOW",
            b"WRAP",
            b"SET",
            b"i64",
            b"0",
            b"9223372036854775807",
            b"INCRBY",
            b"i64",
            b"0",
            b"1",
            b"INCRBY",
            b"i64",
            b"0",
            b"-1",
        ],
        arr(vec![
            int(0),
            int(-9223372036854775808),
            int(9223372036854775807),
        ]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"b",
            b"OVERFLOW",
            b"SAT",
            b"SET",
            b"i64",
            b"0",
            b"9223372036854775807",
            b"INCRBY",
            b"i64",
            b"0",
            b"1",
            b"INCRBY",
            b"i64",
            b"0",
            b"9223372036854775807",
        ],
        arr(vec![
            int(9223372036854775807),
            int(9223372036854775807),
            int(9223372036854775807),
        ]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"b",
            b"OVERFLOW",
            b"SAT",
            b"SET",
            b"i64",
            b"0",
            b"-9223372036854775808",
            b"INCRBY",
            b"i64",
            b"0",
            b"-1",
            b"INCRBY",
            b"i64",
            b"0",
            b"-9223372036854775808",
        ],
        arr(vec![
            int(9223372036854775807),
            int(-9223372036854775808),
            int(-9223372036854775808),
        ]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"b",
            b"OVERFLOW",
            b"FAIL",
            b"INCRBY",
            b"i64",
            b"0",
            b"-1",
            b"INCRBY",
            b"i64",
            b"0",
            b"9223372036854775807",
            b"GET",
            b"i64",
            b"0",
        ],
        arr(vec![nil(), int(-1), int(-1)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"c",
            b"OVERFLOW",
            b"SAT",
            b"SET",
            b"u63",
            b"0",
            b"-1",
            b"INCRBY",
            b"u63",
            b"0",
            b"1",
            b"INCRBY",
            b"u63",
            b"0",
            b"-9223372036854775808",
            b"GET",
            b"u63",
            b"0",
        ],
        arr(vec![int(0), int(9223372036854775807), int(0), int(0)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"c",
            b"OVERFLOW",
            b"WRAP",
            b"SET",
            b"u63",
            b"0",
            b"9223372036854775807",
            b"INCRBY",
            b"u63",
            b"0",
            b"9223372036854775807",
            b"INCRBY",
            b"u63",
            b"0",
            b"-9223372036854775808",
        ],
        arr(vec![
            int(0),
            int(9223372036854775806),
            int(9223372036854775806),
        ]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"d",
            b"OVERFLOW",
            b"SAT",
            b"SET",
            b"i1",
            b"0",
            b"1",
            b"SET",
            b"i1",
            b"0",
            b"-2",
            b"GET",
            b"i1",
            b"0",
            b"INCRBY",
            b"i1",
            b"0",
            b"5",
            b"OVERFLOW",
            b"WRAP",
            b"INCRBY",
            b"i1",
            b"0",
            b"1",
            b"INCRBY",
            b"u1",
            b"0",
            b"3",
        ],
        arr(vec![int(0), int(0), int(-1), int(0), int(-1), int(0)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"e",
            b"OVERFLOW",
            b"FAIL",
            b"SET",
            b"u8",
            b"0",
            b"300",
        ],
        arr(vec![nil()]),
    );
    check(&mut s, &[b"EXISTS", b"e"], int(1));
    check(&mut s, &[b"GET", b"e"], bulk(b"\x00"));
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"f",
            b"INCRBY",
            b"u8",
            b"0",
            b"1",
            b"OVERFLOW",
            b"FAIL",
            b"INCRBY",
            b"u8",
            b"0",
            b"300",
            b"INCRBY",
            b"u8",
            b"8",
            b"1",
            b"OVERFLOW",
            b"SAT",
            b"INCRBY",
            b"u8",
            b"16",
            b"300",
        ],
        arr(vec![int(1), nil(), int(1), int(255)]),
    );
    check(&mut s, &[b"GET", b"f"], bulk(b"\x01\x01\xff"));
}

#[test]
fn bitfield_errors() {
    let mut s = session();
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"SET", b"u8", b"0"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"INCRBY", b"u8", b"0"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"OVERFLOW"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"OVERFLOW", b"foo"],
        err("ERR Invalid OVERFLOW type specified"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"OVERFLOW", b"foo", b"GET", b"x", b"0"],
        err("ERR Invalid OVERFLOW type specified"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"FOO", b"u8", b"0"],
        err("ERR syntax error"),
    );
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"x8", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"u64", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"i65", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"i0", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"u", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"i08", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"I8", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"U8", b"#1"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"i8\x00zz", b"0"],
        arr(vec![int(0)]),
    );
    check(&mut s, &[b"BITFIELD", b"k", b"GET", b"i8a", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"-1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"#-1"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"#"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"x"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"4294967296"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"4294967295"],
        arr(vec![int(0)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"#536870912"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"#536870911"],
        arr(vec![int(0)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"i64", b"#1152921504606846976"],
        arr(vec![int(0)]),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"i8", b"#9223372036854775807"],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"SET", b"u8", b"0", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"SET", b"u8", b"0", b"1.5"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"INCRBY", b"u8", b"0", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"GET", b"u8", b"0", b"GET"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"GET",
            b"u8",
            b"0",
            b"SET",
            b"u8",
            b"0",
            b"x",
        ],
        err("ERR value is not an integer or out of range"),
    );
    check(
        &mut s,
        &[
            b"BITFIELD",
            b"k",
            b"SET",
            b"u8",
            b"0",
            b"1",
            b"GET",
            b"u8",
            b"x",
        ],
        err("ERR bit offset is not an integer or out of range"),
    );
    check(&mut s, &[b"EXISTS", b"k"], int(0));
    check(&mut s, &[b"DEL", b"k"], int(0));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"BITFIELD", b"l", b"GET", b"u8", b"0"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"l", b"SET", b"u8", b"0", b"1"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"BITFIELD", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(&mut s, &[b"BITFIELD", b"l", b"GET", b"x", b"0"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
}

#[test]
fn bitfield_ro() {
    let mut s = session();
    check(&mut s, &[b"BITFIELD_RO", b"k"], arr(vec![]));
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"GET", b"u8", b"0"],
        arr(vec![int(0)]),
    );
    check(&mut s, &[b"SET", b"k", b"\xc2\x81"], simple("OK"));
    check(
        &mut s,
        &[
            b"BITFIELD_RO",
            b"k",
            b"GET",
            b"u8",
            b"0",
            b"GET",
            b"i8",
            b"0",
            b"GET",
            b"u4",
            b"4",
        ],
        arr(vec![int(194), int(-62), int(2)]),
    );
    check(
        &mut s,
        &[
            b"BITFIELD_RO",
            b"k",
            b"OVERFLOW",
            b"SAT",
            b"GET",
            b"u8",
            b"0",
        ],
        arr(vec![int(194)]),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"SET", b"u8", b"0", b"1"],
        err("ERR BITFIELD_RO only supports the GET subcommand"),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"INCRBY", b"u8", b"0", b"1"],
        err("ERR BITFIELD_RO only supports the GET subcommand"),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"SET", b"u8", b"0", b"x"],
        err("ERR value is not an integer or out of range"),
    );
    check(&mut s, &[b"BITFIELD_RO", b"k", b"SET", b"x8", b"0", b"1"], err("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is."));
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"GET", b"u8"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"FOO"],
        err("ERR syntax error"),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"k", b"OVERFLOW", b"foo"],
        err("ERR Invalid OVERFLOW type specified"),
    );
    check(&mut s, &[b"GET", b"k"], bulk(b"\xc2\x81"));
    make_list(&mut s, b"l");
    check(
        &mut s,
        &[b"BITFIELD_RO", b"l", b"GET", b"u8", b"0"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"l", b"SET", b"u8", b"0", b"1"],
        err("ERR BITFIELD_RO only supports the GET subcommand"),
    );
    check(
        &mut s,
        &[b"BITFIELD_RO", b"l"],
        err("WRONGTYPE Operation against a key holding the wrong kind of value"),
    );
}

/// Writes at the very end of the 512 MB a string may reach (Redis 7.0.15's replies).
/// Ignored by default: it needs about 1.5 GB of memory. `cargo test -- --ignored`.
#[test]
#[ignore]
fn bitfield_at_the_size_limit() {
    let mut s = session();
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"SET", b"u8", b"#536870911", b"1"],
        arr(vec![int(0)]),
    );
    check(&mut s, &[b"STRLEN", b"k"], int(536870912));
    check(
        &mut s,
        &[b"BITFIELD", b"k", b"SET", b"i64", b"4294967295", b"1"],
        arr(vec![int(-9223372036854775808)]),
    );
    check(&mut s, &[b"STRLEN", b"k"], int(536870920));
    check(
        &mut s,
        &[b"SETRANGE", b"k", b"536870911", b"x"],
        int(536870920),
    );
    check(
        &mut s,
        &[b"APPEND", b"k", b"x"],
        err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
    );
}
