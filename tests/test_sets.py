"""Set commands, differential against a real Redis.

Each case runs at three levels (raw RESP2 trees, redis-py RESP2, redis-py default
protocol) on real Redis, redlite-server and embedded redlite; see differential.py.
Redis leaves the order of a set's members to its encoding: an intset (up to 512
integers) ascending by value, which redlite answers too (compared exactly), else its
hash table's, where redlite answers in member byte order (compared unordered). Random replies
(SPOP, SRANDMEMBER) are compared by shape, and only what they leave behind that does
not depend on the draw (SCARD) is checked after them.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis
from differential import SCAN, SHAPE, UNORDERED, C, cases_params, check

BIN_KEY = b"s\x00\xff\r\n"
WRONGTYPE = [("SET", "str", "v")]

# Over 512 integers: a hashtable in Redis, paged by SSCAN.
MANY = list(range(700))


def U(*argv: Any) -> Any:
    return C(*argv, norm=UNORDERED)


def S(*argv: Any) -> Any:
    return C(*argv, norm=SHAPE)


CASES = {
    "sadd_srem_scard_sismember": [
        ("SADD", "s", "a", "b", "c"),
        ("SADD", "s", "a", "d"),
        ("SADD", "s", "a", "a", "a"),
        ("SCARD", "s"),
        ("SISMEMBER", "s", "a"),
        ("SISMEMBER", "s", "z"),
        ("SISMEMBER", "nokey", "a"),
        ("SREM", "s", "a", "z", "a"),
        ("SREM", "s", "z"),
        ("SREM", "nokey", "a"),
        ("SCARD", "s"),
        ("SCARD", "nokey"),
        ("SREM", "s", "b", "c", "d"),
        ("EXISTS", "s"),
        ("SADD", "s", ""),
        ("SISMEMBER", "s", ""),
        ("sadd", "s", "CaSe"),
        ("SISMEMBER", "s", "case"),
        ("SADD", "s"),
        ("SREM", "s"),
        ("SISMEMBER", "s"),
        ("SCARD",),
        ("TYPE", "s"),
    ],
    "smembers_smismember": [
        ("SMEMBERS", "nokey"),
        ("SADD", "s", "c", "a", "b"),
        U("SMEMBERS", "s"),
        ("SADD", "n", 3, 1, 2, -5, 10),
        ("SMEMBERS", "n"),
        ("SMISMEMBER", "s", "a", "z", "c", "a"),
        ("SMISMEMBER", "nokey", "a", "b"),
        ("SMISMEMBER", "s"),
        ("SMEMBERS",),
    ],
    "intset_order": [
        ("SADD", "n", 10, 9, 2, -1, 100),
        ("SMEMBERS", "n"),
        ("SUNION", "n"),
        ("SDIFF", "n", "nokey"),
        ("SINTER", "n"),
        ("SRANDMEMBER", "n", 10),
        C("SSCAN", "n", 0, norm=None),
        ("SADD", "m", 5, 2),
        ("SUNION", "n", "m"),
        ("SUNIONSTORE", "d", "n", "m"),
        ("SMEMBERS", "d"),
        ("SPOP", "n", 10),
    ],
    "binary": [
        ("SADD", BIN_KEY, b"m\x00\r\n", b"\xff", b"\x00", b""),
        U("SMEMBERS", BIN_KEY),
        ("SISMEMBER", BIN_KEY, b"m\x00\r\n"),
        ("SISMEMBER", BIN_KEY, b"m\x00"),
        ("SMISMEMBER", BIN_KEY, b"\xff", b"\xfe", b""),
        ("SREM", BIN_KEY, b"\xff"),
        ("SADD", b"o\x00", b"\x00", b"\x01"),
        U("SINTER", BIN_KEY, b"o\x00"),
        U("SUNION", BIN_KEY, b"o\x00"),
        U("SDIFF", BIN_KEY, b"o\x00"),
        ("SMOVE", BIN_KEY, b"o\x00", b"m\x00\r\n"),
        U("SMEMBERS", b"o\x00"),
        ("SCARD", BIN_KEY),
        ("SADD", "utf8", "\u2603", "cl\u00e9"),
        ("SISMEMBER", "utf8", "\u2603"),
    ],
    "spop": [
        ("SPOP", "nokey"),
        ("SPOP", "nokey", 3),
        ("SPOP", "nokey", 0),
        ("SPOP", "nokey", "x"),
        ("SADD", "one", "a"),
        ("SPOP", "one", "x"),
        ("SPOP", "one", -1),
        ("SPOP", "one", 1, 2),
        ("SPOP", "one", 0),
        ("SCARD", "one"),
        ("SPOP", "one"),
        ("EXISTS", "one"),
        ("SADD", "s", "a", "b", "c", "d", "e"),
        S("SPOP", "s"),
        ("SCARD", "s"),
        S("SPOP", "s", 2),
        ("SCARD", "s"),
        S("SPOP", "s", 10),
        ("EXISTS", "s"),
        ("SADD", "n", 1, 2, 3),
        U("SPOP", "n", 3),
        ("EXISTS", "n"),
        ("SPOP",),
    ],
    "srandmember": [
        ("SRANDMEMBER", "nokey"),
        ("SRANDMEMBER", "nokey", 5),
        ("SRANDMEMBER", "nokey", -5),
        ("SRANDMEMBER", "nokey", "x"),
        ("SADD", "one", "a"),
        ("SRANDMEMBER", "one"),
        ("SRANDMEMBER", "one", 0),
        ("SRANDMEMBER", "one", 1),
        ("SRANDMEMBER", "one", 5),
        ("SRANDMEMBER", "one", -3),
        ("SRANDMEMBER", "one", "x"),
        ("SRANDMEMBER", "one", "1.5"),
        ("SRANDMEMBER", "one", 1, 2),
        ("SRANDMEMBER", "one", "-9223372036854775808"),
        ("SADD", "s", "a", "b", "c", "d"),
        S("SRANDMEMBER", "s"),
        S("SRANDMEMBER", "s", 2),
        S("SRANDMEMBER", "s", -10),
        U("SRANDMEMBER", "s", 4),
        U("SRANDMEMBER", "s", 100),
        ("SCARD", "s"),
        ("SRANDMEMBER",),
    ],
    "smove": [
        ("SADD", "src", "a", "b"),
        ("SMOVE", "src", "dst", "a"),
        U("SMEMBERS", "src"),
        U("SMEMBERS", "dst"),
        ("SMOVE", "src", "dst", "zz"),
        ("SMOVE", "nokey", "dst", "a"),
        ("SMOVE", "src", "src", "b"),
        ("SMOVE", "src", "src", "zz"),
        ("SADD", "dst", "b"),
        ("SMOVE", "src", "dst", "b"),
        ("EXISTS", "src"),
        U("SMEMBERS", "dst"),
        ("SADD", "s2", "x"),
        ("EXPIRE", "dst", 100),
        ("SMOVE", "s2", "dst", "x"),
        ("TTL", "dst"),
        ("EXISTS", "s2"),
        ("SMOVE", "dst", "new"),
    ],
    "algebra": [
        ("SADD", "a", 1, 2, 3, 4, "x"),
        ("SADD", "b", 2, 3, 5, "x"),
        ("SADD", "c", 3, "x", "y"),
        U("SINTER", "a", "b", "c"),
        U("SINTER", "a", "b"),
        U("SINTER", "a"),
        ("SINTER", "a", "nokey"),
        ("SINTER", "nokey", "a"),
        U("SINTER", "a", "a"),
        U("SUNION", "a", "b", "c"),
        U("SUNION", "a", "nokey"),
        ("SUNION", "nokey"),
        U("SDIFF", "a", "b"),
        U("SDIFF", "a", "b", "c"),
        U("SDIFF", "a", "nokey"),
        ("SDIFF", "nokey", "a"),
        ("SDIFF", "a", "a"),
        U("SDIFF", "c", "a", "b"),
        ("SINTER",),
        ("SUNION",),
        ("SDIFF",),
    ],
    "store": [
        ("SADD", "a", 1, 2, 3),
        ("SADD", "b", 2, 3, 4),
        ("SINTERSTORE", "d", "a", "b"),
        U("SMEMBERS", "d"),
        ("TYPE", "d"),
        ("SUNIONSTORE", "d", "a", "b"),
        U("SMEMBERS", "d"),
        ("SDIFFSTORE", "d", "a", "b"),
        U("SMEMBERS", "d"),
        ("SDIFFSTORE", "d", "a", "a"),
        ("EXISTS", "d"),
        ("SUNIONSTORE", "d", "nokey"),
        ("SET", "str", "v"),
        ("EXPIRE", "str", 100),
        ("SINTERSTORE", "str", "a", "b"),
        ("TYPE", "str"),
        ("TTL", "str"),
        U("SMEMBERS", "str"),
        ("SET", "str", "v"),
        ("SINTERSTORE", "d", "nokey", "a"),
        ("SINTERSTORE", "d", "a", "str"),
        ("SUNIONSTORE", "d", "str"),
        ("SDIFFSTORE", "d", "str"),
        ("SUNIONSTORE", "a", "a", "b"),
        U("SMEMBERS", "a"),
        ("SINTERSTORE", "b", "b", "a"),
        U("SMEMBERS", "b"),
        ("SINTERSTORE", "d", "a", "nokey"),
        ("EXISTS", "d"),
        ("SINTERSTORE", "d"),
    ],
    "sintercard": [
        ("SADD", "a", 1, 2, 3, 4),
        ("SADD", "b", 2, 3, 4, 5),
        ("SINTERCARD", 2, "a", "b"),
        ("SINTERCARD", 1, "a"),
        ("SINTERCARD", 2, "a", "b", "LIMIT", 0),
        ("SINTERCARD", 2, "a", "b", "LIMIT", 2),
        ("SINTERCARD", 2, "a", "b", "limit", 1, "LIMIT", 3),
        ("SINTERCARD", 2, "a", "nokey"),
        ("SINTERCARD", 0, "a"),
        ("SINTERCARD", -1, "a"),
        ("SINTERCARD", "x", "a"),
        ("SINTERCARD", 3, "a", "b"),
        ("SINTERCARD", "9223372036854775808", "a"),
        ("SINTERCARD", 1, "a", "LIMIT"),
        ("SINTERCARD", 1, "a", "LIMIT", -1),
        ("SINTERCARD", 1, "a", "LIMIT", "x"),
        ("SINTERCARD", 1, "a", "FOO", 1),
        ("SINTERCARD", 1, "a", "b"),
        ("SINTERCARD", 1),
    ],
    "sscan": [
        C("SSCAN", "nokey", 0, norm=SCAN),
        C("SSCAN", "nokey", 0, "COUNT", 0, norm=SCAN),
        ("SSCAN", "nokey", "x"),
        ("SADD", "s", 1, 2, 10, 20),
        C("SSCAN", "s", 0, norm=SCAN),
        C("SSCAN", "s", 0, "COUNT", 1, norm=SCAN),
        C("SSCAN", "s", 0, "MATCH", "1*", norm=SCAN),
        C("SSCAN", "s", 123, "COUNT", 1, norm=SCAN),
        C("SSCAN", "s", 0, "match", "[12]*", norm=SCAN),
        ("SADD", "w", "a", "b", "c"),
        C("SSCAN", "w", 0, norm=SCAN),
        ("SSCAN", "s", "x"),
        ("SSCAN", "s", " 1"),
        ("SSCAN", "s", "18446744073709551616"),
        ("SSCAN", "s", 0, "COUNT", 0),
        ("SSCAN", "s", 0, "COUNT", "x"),
        ("SSCAN", "s", 0, "MATCH"),
        ("SSCAN", "s", 0, "TYPE", "set"),
        ("SADD", "big", *MANY),
        C("SSCAN", "big", 0, "COUNT", 1000, norm=SCAN),
        C("SSCAN", "big", 0, "MATCH", "1?", "COUNT", 1000, norm=SCAN),
        ("SSCAN", "s"),
    ],
    "wrongtype": [
        *WRONGTYPE,
        ("SADD", "str", "a"),
        ("SREM", "str", "a"),
        ("SMEMBERS", "str"),
        ("SISMEMBER", "str", "a"),
        ("SMISMEMBER", "str", "a"),
        ("SCARD", "str"),
        ("SPOP", "str"),
        ("SPOP", "str", 1),
        ("SPOP", "str", "x"),
        ("SRANDMEMBER", "str"),
        ("SRANDMEMBER", "str", 1),
        ("SMOVE", "nokey", "str", "a"),
        ("SMOVE", "str", "s", "a"),
        ("SADD", "s", "a"),
        ("SMOVE", "s", "str", "a"),
        ("SMOVE", "s", "str", "zz"),
        ("SINTER", "s", "str"),
        ("SINTER", "nokey", "str"),
        ("SUNION", "s", "str"),
        ("SDIFF", "nokey", "str"),
        ("SDIFF", "str", "s"),
        ("SINTERSTORE", "d", "s", "str"),
        ("SUNIONSTORE", "d", "str"),
        ("SDIFFSTORE", "d", "str"),
        ("SINTERCARD", 2, "nokey", "str"),
        ("SSCAN", "str", 0),
        ("GET", "s"),
        ("HSET", "s", "f", "v"),
        ("SET", "s", "now a string"),
        ("SCARD", "s"),
    ],
    "keyspace": [
        ("SADD", "s", 1, 2, 3),
        ("OBJECT", "ENCODING", "s"),
        ("EXPIRE", "s", 100),
        ("SADD", "s", 4),
        ("SREM", "s", 1),
        ("TTL", "s"),
        ("SADD", "s", "x"),
        ("OBJECT", "ENCODING", "s"),
        ("SADD", "big", *MANY),
        ("OBJECT", "ENCODING", "big"),
        ("SCARD", "big"),
        ("RENAME", "s", "s2"),
        ("SISMEMBER", "s2", "x"),
        ("COPY", "s2", "s3"),
        ("SREM", "s2", "x"),
        ("SISMEMBER", "s3", "x"),
        ("SCARD", "s3"),
        ("TTL", "s3"),
        ("MOVE", "s3", 1),
        ("SELECT", 1),
        ("SCARD", "s3"),
        ("SELECT", 0),
        ("DEL", "s2", "big"),
        ("DBSIZE",),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_sets(targets, steps, level):
    check(targets, level, steps)


def _walk(client: redis.Redis, key: str, **kw: Any) -> set[bytes]:
    got: set[bytes] = set()
    for member in client.sscan_iter(key, **kw):
        assert member not in got, f"SSCAN returned {member!r} twice"
        got.add(member)
    return got


@pytest.mark.parametrize(
    "kw", [{}, {"count": 1}, {"count": 13}, {"match": "m:1*", "count": 5}]
)
def test_sscan_walk_of_a_large_set(real, embedded, resp, kw):
    members = [f"m:{i}" for i in range(700)]
    for client in (real, embedded, resp):
        client.sadd("big", *members)
    want = _walk(real, "big", **kw)
    assert len(want) == (700 if "match" not in kw else 111)
    assert _walk(embedded, "big", **kw) == want
    assert _walk(resp, "big", **kw) == want


def test_spop_count_takes_what_it_answers(real, embedded, resp):
    for client in (real, embedded, resp):
        client.sadd("s", *range(50))
        popped = client.spop("s", 20)
        assert len(set(popped)) == 20
        left = client.smembers("s")
        assert len(left) == 30 and not left & set(popped)
        assert left | set(popped) == {str(i).encode() for i in range(50)}


def test_dump_restore_round_trip(real, embedded, resp):
    for client in (real, embedded, resp):
        client.sadd("s", "a", b"\x00", b"\xff", "")
        payload = client.dump("s")
        client.restore("s2", 0, payload)
        assert client.smembers("s2") == {b"a", b"\x00", b"\xff", b""}
        assert client.restore("s2", 0, payload, replace=True)
        assert client.scard("s2") == 4
