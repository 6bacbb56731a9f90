"""Hash commands, differential against a real Redis.

Each case runs at three levels (raw RESP2 trees, redis-py RESP2, redis-py default
protocol) on real Redis, redlite-server and embedded redlite; see differential.py.
Redis leaves the order of HGETALL / HKEYS / HVALS to its encoding (insertion order for
a small hash), redlite answers in field order: those are compared unordered. Random
replies (HRANDFIELD) are compared by shape; HSCAN pages by the SCAN normaliser, and a
whole HSCAN walk of a large hash by what it collects.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis
from differential import SCAN, SHAPE, UNORDERED, C, cases_params, check

BIN_KEY = b"h\x00\xff\r\n"
BIN_FIELD = b"f\x00\xff\r\n"
BIN_VAL = b"\r\n\x00\xff\x7fend"
WRONGTYPE = [("SET", "str", "v")]

# Over 512 fields: a hashtable in Redis, paged by HSCAN.
MANY = [x for i in range(600) for x in (f"field:{i}", f"value:{i}")]


def U(*argv: Any) -> Any:
    return C(*argv, norm=UNORDERED)


def S(*argv: Any) -> Any:
    return C(*argv, norm=SHAPE)


CASES = {
    "hset_hget": [
        ("HSET", "h", "a", 1),
        ("HSET", "h", "a", 2, "b", 3),
        ("HGET", "h", "a"),
        ("HGET", "h", "b"),
        ("HGET", "h", "nofield"),
        ("HGET", "nokey", "a"),
        ("HSET", "h", "a", 1, "a", 2, "a", 3),
        ("HGET", "h", "a"),
        ("HLEN", "h"),
        ("HSET", "h", "", ""),
        ("HGET", "h", ""),
        ("HSET", "h", "CaSe", "x"),
        ("HGET", "h", "case"),
        ("hset", "h", "lower", "case"),
        ("hGeT", "h", "lower"),
        ("HSET", "h", "a"),
        ("HSET", "h", "a", 1, "b"),
        ("HSET", "h"),
        ("HGET", "h"),
        ("HLEN", "h"),
        ("TYPE", "h"),
    ],
    "hmset_hsetnx": [
        ("HMSET", "h", "a", 1, "b", 2),
        ("HMSET", "h", "a", 1, "b"),
        ("HMSET", "h", "c", 3, "c", 4),
        ("HGET", "h", "c"),
        ("HSETNX", "h", "a", "new"),
        ("HSETNX", "h", "z", "new"),
        ("HSETNX", "h", "z", "newer"),
        ("HGET", "h", "z"),
        ("HSETNX", "nokey", "f", "v"),
        ("HGETALL", "nokey"),
        ("HLEN", "h"),
        ("HSETNX", "h", "f"),
    ],
    "binary": [
        ("HSET", BIN_KEY, BIN_FIELD, BIN_VAL, b"\x00", b"", b"", b"\x00"),
        ("HGET", BIN_KEY, BIN_FIELD),
        ("HGET", BIN_KEY, b"f\x00"),
        ("HMGET", BIN_KEY, b"\x00", b"", BIN_FIELD, b"nope"),
        ("HSTRLEN", BIN_KEY, BIN_FIELD),
        ("HEXISTS", BIN_KEY, b""),
        U("HKEYS", BIN_KEY),
        U("HVALS", BIN_KEY),
        U("HGETALL", BIN_KEY),
        ("HINCRBY", BIN_KEY, b"\xff\xfe", 5),
        ("HINCRBYFLOAT", BIN_KEY, b"\xff\xfe", "0.5"),
        ("HDEL", BIN_KEY, b"\x00", b"\x00", b"missing"),
        ("HLEN", BIN_KEY),
        ("HSET", "utf8", "cl\u00e9", "\u2603"),
        ("HGET", "utf8", "cl\u00e9"),
        ("HSTRLEN", "utf8", "cl\u00e9"),
    ],
    "read_commands": [
        ("HSET", "h", "z", 26, "a", 1, "m", 13),
        ("HMGET", "h", "a", "z", "nope", "a"),
        ("HMGET", "nokey", "a", "b"),
        U("HGETALL", "h"),
        U("HKEYS", "h"),
        U("HVALS", "h"),
        ("HGETALL", "nokey"),
        ("HKEYS", "nokey"),
        ("HVALS", "nokey"),
        ("HLEN", "h"),
        ("HLEN", "nokey"),
        ("HEXISTS", "h", "a"),
        ("HEXISTS", "h", "b"),
        ("HEXISTS", "nokey", "a"),
        ("HSTRLEN", "h", "z"),
        ("HSTRLEN", "h", "nope"),
        ("HSTRLEN", "nokey", "a"),
        ("HMGET", "h"),
        ("HGETALL",),
        ("HKEYS", "h", "x"),
        ("HEXISTS", "h"),
    ],
    "hdel": [
        ("HSET", "h", "a", 1, "b", 2, "c", 3),
        ("HDEL", "h", "a", "zz", "a"),
        ("HDEL", "h", "zz"),
        ("HDEL", "nokey", "a"),
        ("HLEN", "h"),
        ("HDEL", "h", "b", "c"),
        ("EXISTS", "h"),
        ("HLEN", "h"),
        ("HGETALL", "h"),
        ("HDEL", "h"),
    ],
    "hincrby": [
        ("HINCRBY", "h", "n", 5),
        ("HINCRBY", "h", "n", -7),
        ("HGET", "h", "n"),
        ("HINCRBY", "h", "n", "x"),
        ("HINCRBY", "h", "n", "1.5"),
        ("HINCRBY", "h", "n", ""),
        ("HINCRBY", "h", "n", "9223372036854775808"),
        ("HSET", "h", "big", "9223372036854775807", "small", "-9223372036854775808"),
        ("HINCRBY", "h", "big", 1),
        ("HINCRBY", "h", "big", -1),
        ("HINCRBY", "h", "small", -1),
        ("HSET", "h", "s", "abc", "sp", " 1", "lz", "010", "e", "", "plus", "+1"),
        ("HINCRBY", "h", "s", 1),
        ("HINCRBY", "h", "sp", 1),
        ("HINCRBY", "h", "lz", 1),
        ("HINCRBY", "h", "e", 1),
        ("HINCRBY", "h", "plus", 1),
        ("HINCRBY", "h", "n"),
    ],
    "hincrbyfloat": [
        ("HINCRBYFLOAT", "h", "f", "1.5"),
        ("HINCRBYFLOAT", "h", "f", "0.1"),
        ("HINCRBYFLOAT", "h", "f", "-1.6"),
        ("HINCRBYFLOAT", "h", "new", "3.0"),
        ("HINCRBYFLOAT", "h", "g", 3000),
        ("HINCRBYFLOAT", "h", "g", "1000.1"),
        ("HINCRBYFLOAT", "h", "g", "1e3"),
        ("HINCRBYFLOAT", "h", "f", "abc"),
        ("HINCRBYFLOAT", "h", "f", ""),
        ("HINCRBYFLOAT", "h", "f", "inf"),
        ("HINCRBYFLOAT", "h", "f", "-inf"),
        ("HINCRBYFLOAT", "h", "f", "nan"),
        ("HINCRBYFLOAT", "h", "f", "1e5000"),
        ("HINCRBYFLOAT", "h", "f", "0x10"),
        ("HINCRBYFLOAT", "h", "f", " 1"),
        (
            "HSET",
            "h",
            "s",
            "abc",
            "sp",
            " 1",
            "lz",
            "010",
            "e",
            "",
            "big",
            "1e308",
            "i",
            5,
        ),
        ("HINCRBYFLOAT", "h", "s", 1),
        ("HINCRBYFLOAT", "h", "sp", 1),
        ("HINCRBYFLOAT", "h", "lz", 1),
        ("HINCRBYFLOAT", "h", "e", 1),
        ("HINCRBYFLOAT", "h", "big", "1e308"),
        ("HINCRBYFLOAT", "h", "i", "1e-5"),
        ("HINCRBY", "h", "i", 1),
        ("HGET", "h", "big"),
        ("HINCRBYFLOAT", "h", "f"),
    ],
    "hrandfield": [
        ("HRANDFIELD", "nokey"),
        ("HRANDFIELD", "nokey", 5),
        ("HRANDFIELD", "nokey", -5, "WITHVALUES"),
        ("HRANDFIELD", "nokey", "x"),
        ("HRANDFIELD", "nokey", 1, 2),
        ("HSET", "one", "a", 1),
        ("HRANDFIELD", "one"),
        ("HRANDFIELD", "one", 1),
        ("HRANDFIELD", "one", 5, "WITHVALUES"),
        ("HRANDFIELD", "one", -3),
        ("HRANDFIELD", "one", -3, "withvalues"),
        ("HRANDFIELD", "one", 0),
        ("HSET", "h", "a", 1, "b", 2, "c", 3, "d", 4),
        S("HRANDFIELD", "h"),
        S("HRANDFIELD", "h", 2),
        S("HRANDFIELD", "h", 2, "WITHVALUES"),
        S("HRANDFIELD", "h", -10),
        S("HRANDFIELD", "h", -10, "WITHVALUES"),
        U("HRANDFIELD", "h", 4),
        U("HRANDFIELD", "h", 100),
        ("HRANDFIELD", "h", "x"),
        ("HRANDFIELD", "h", "1.5"),
        ("HRANDFIELD", "h", 1, "VALUES"),
        ("HRANDFIELD", "h", 1, "WITHVALUES", "x"),
        ("HRANDFIELD", "h", "-9223372036854775808"),
        ("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"),
        ("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"),
        ("HRANDFIELD",),
    ],
    "hscan": [
        C("HSCAN", "nokey", 0, norm=SCAN),
        C("HSCAN", "nokey", 0, "COUNT", 0, norm=SCAN),
        ("HSCAN", "nokey", "x"),
        ("HSET", "h", "a", 1, "b", 2, "ab", 3, "c", 4),
        C("HSCAN", "h", 0, norm=SCAN),
        C("HSCAN", "h", 0, "MATCH", "a*", norm=SCAN),
        C("HSCAN", "h", 0, "MATCH", "a*", "COUNT", 1, norm=SCAN),
        C("HSCAN", "h", 0, "match", "[bc]", "count", 100, norm=SCAN),
        C("HSCAN", "h", 0, "MATCH", "zz", norm=SCAN),
        C("HSCAN", "h", 0, "COUNT", 1, "COUNT", 100, norm=SCAN),
        ("HSCAN", "h", "x"),
        ("HSCAN", "h", " 1"),
        ("HSCAN", "h", "18446744073709551616"),
        ("HSCAN", "h", 0, "COUNT", 0),
        ("HSCAN", "h", 0, "COUNT", -1),
        ("HSCAN", "h", 0, "COUNT", "x"),
        ("HSCAN", "h", 0, "MATCH"),
        ("HSCAN", "h", 0, "TYPE", "hash"),
        ("HSCAN", "h", 0, "NOVALUES"),
        ("HSET", "big", *MANY),
        C("HSCAN", "big", 0, "COUNT", 1000, norm=SCAN),
        C("HSCAN", "big", 0, "MATCH", "field:1?", "COUNT", 1000, norm=SCAN),
        ("HSCAN", "h"),
    ],
    "wrongtype": [
        *WRONGTYPE,
        ("HSET", "str", "f", "v"),
        ("HMSET", "str", "f", "v"),
        ("HSETNX", "str", "f", "v"),
        ("HGET", "str", "f"),
        ("HMGET", "str", "f"),
        ("HGETALL", "str"),
        ("HKEYS", "str"),
        ("HVALS", "str"),
        ("HLEN", "str"),
        ("HEXISTS", "str", "f"),
        ("HSTRLEN", "str", "f"),
        ("HDEL", "str", "f"),
        ("HINCRBY", "str", "f", 1),
        ("HINCRBY", "str", "f", "x"),
        ("HINCRBYFLOAT", "str", "f", 1),
        ("HINCRBYFLOAT", "str", "f", "inf"),
        ("HRANDFIELD", "str"),
        ("HRANDFIELD", "str", 1),
        ("HRANDFIELD", "str", "x"),
        ("HSCAN", "str", 0),
        ("HSCAN", "str", "x"),
        ("HSET", "h", "f", "v"),
        ("GET", "h"),
        ("INCR", "h"),
        ("SADD", "h", "m"),
        ("SET", "h", "now a string"),
        ("HGET", "h", "f"),
    ],
    "keyspace": [
        ("HSET", "h", "a", 1, "b", 2),
        ("EXPIRE", "h", 100),
        ("HSET", "h", "c", 3),
        ("HDEL", "h", "a"),
        ("HINCRBY", "h", "n", 1),
        ("TTL", "h"),
        ("TYPE", "h"),
        ("OBJECT", "ENCODING", "h"),
        ("HSET", "h", "long", "x" * 65),
        ("OBJECT", "ENCODING", "h"),
        ("HSET", "big", *MANY),
        ("OBJECT", "ENCODING", "big"),
        ("HLEN", "big"),
        ("RENAME", "h", "h2"),
        ("HGET", "h2", "c"),
        ("COPY", "h2", "h3"),
        ("HDEL", "h2", "c"),
        ("HGET", "h3", "c"),
        ("HLEN", "h3"),
        ("TTL", "h3"),
        ("MOVE", "h3", 1),
        ("SELECT", 1),
        ("HLEN", "h3"),
        ("SELECT", 0),
        ("DEL", "h2", "big"),
        ("EXISTS", "h2", "big"),
        ("DBSIZE",),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_hashes(targets, steps, level):
    check(targets, level, steps)


def _walk(client: redis.Redis, key: str, **kw: Any) -> dict[bytes, bytes]:
    got: dict[bytes, bytes] = {}
    for field, value in client.hscan_iter(key, **kw):
        assert field not in got, f"HSCAN returned {field!r} twice"
        got[field] = value
    return got


@pytest.mark.parametrize(
    "kw", [{}, {"count": 1}, {"count": 7}, {"match": "field:1*", "count": 3}]
)
def test_hscan_walk_of_a_large_hash(real, embedded, resp, kw):
    mapping = {f"field:{i}": f"value:{i}" for i in range(600)}
    for client in (real, embedded, resp):
        client.hset("big", mapping=mapping)
    want = _walk(real, "big", **kw)
    assert len(want) == (600 if "match" not in kw else 111)
    assert _walk(embedded, "big", **kw) == want
    assert _walk(resp, "big", **kw) == want


def test_dump_restore_round_trip(real, embedded, resp):
    for client in (real, embedded, resp):
        client.hset("h", mapping={"a": "1", b"\x00": b"\xff", "": ""})
        payload = client.dump("h")
        client.restore("h2", 0, payload)
        assert client.hgetall("h2") == {b"a": b"1", b"\x00": b"\xff", b"": b""}
        assert client.restore("h2", 0, payload, replace=True)
        assert client.hlen("h2") == 3
