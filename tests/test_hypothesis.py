"""Random command sequences over strings and keys, compared across the three targets.

A small key space so commands collide; binary values, integers and floats so the
numeric commands meet both numbers and garbage; TTLs large enough (days) that TTL
answers are stable, plus negative ones that delete. Replies are compared as raw RESP2
trees (see differential.py). Wrong-type cases join in for each non-string type the
engine knows.
"""

from __future__ import annotations

from typing import Any, List, Tuple

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redlite import _native

from differential import C, UNORDERED, check

KEYS = st.sampled_from([b"a", b"b", b"c", b"\x00k", b"\xff\r\n"])
BYTES = st.one_of(
    st.sampled_from([b"", b"0", b"1", b"-1", b"10", b"3.5", b"abc", b"\x00", b"\xff\xfe", b"\r\n"]),
    st.binary(max_size=12),
)
INTS = st.one_of(st.integers(-5, 40), st.sampled_from([2**63 - 1, -(2**63), 2**31, -(2**31)]))
NUMS = st.sampled_from([b"1", b"-3", b"0.5", b"-0.25", b"1e3", b"3.0e-2", b"10.50", b"abc", b"", b"inf"])
TTL = st.one_of(st.integers(100_000, 10_000_000), st.sampled_from([-1, 0]))
PTTL = st.integers(100_000_000, 10_000_000_000)
OFFSETS = st.integers(-2, 70)
EXPIRE_FLAGS = st.sampled_from([(), ("NX",), ("XX",), ("GT",), ("LT",)])
UNIT = st.sampled_from([(), ("BYTE",), ("BIT",)])


def _engine_has(name: bytes) -> bool:
    """Whether the engine's command table has this command (COMMAND INFO knows it)."""
    kind, entries = _native.Session(_native.Db()).run([b"COMMAND", b"INFO", name]).tree()
    return kind == "array" and len(entries) == 1 and entries[0][0] == "array"


def cmd(name: str, *parts: Any) -> Any:
    return st.tuples(st.just(name), *parts)


def _opt(*choices: Any) -> Any:
    return st.one_of(st.just(()), *choices)


SET_OPTS = st.one_of(
    st.just(()),
    st.tuples(st.just("EX"), TTL.filter(lambda t: t > 0)),
    st.tuples(st.just("PX"), PTTL),
    st.sampled_from([("NX",), ("XX",), ("GET",), ("KEEPTTL",), ("NX", "GET"), ("XX", "GET")]),
)

STRING_COMMANDS = [
    st.builds(lambda k, v, o: ("SET", k, v, *o), KEYS, BYTES, SET_OPTS),
    cmd("GET", KEYS),
    cmd("GETDEL", KEYS),
    cmd("GETSET", KEYS, BYTES),
    st.builds(lambda k, o: ("GETEX", k, *o), KEYS,
              st.one_of(st.just(()), st.just(("PERSIST",)), st.tuples(st.just("EX"), TTL))),
    cmd("SETNX", KEYS, BYTES),
    cmd("SETEX", KEYS, TTL, BYTES),
    cmd("PSETEX", KEYS, PTTL, BYTES),
    st.builds(lambda kv: ("MSET", *[x for p in kv for x in p]), st.lists(st.tuples(KEYS, BYTES), min_size=1, max_size=3)),
    st.builds(lambda kv: ("MSETNX", *[x for p in kv for x in p]), st.lists(st.tuples(KEYS, BYTES), min_size=1, max_size=3)),
    st.builds(lambda ks: ("MGET", *ks), st.lists(KEYS, min_size=1, max_size=4)),
    cmd("INCR", KEYS),
    cmd("DECR", KEYS),
    cmd("INCRBY", KEYS, INTS),
    cmd("DECRBY", KEYS, INTS),
    cmd("INCRBYFLOAT", KEYS, NUMS),
    cmd("APPEND", KEYS, BYTES),
    cmd("STRLEN", KEYS),
    cmd("GETRANGE", KEYS, OFFSETS, OFFSETS),
    cmd("SETRANGE", KEYS, st.integers(0, 40), BYTES),
    cmd("SETBIT", KEYS, st.integers(0, 100), st.sampled_from([0, 1])),
    cmd("GETBIT", KEYS, st.integers(0, 100)),
    st.builds(lambda k, r: ("BITCOUNT", k, *r), KEYS,
              _opt(st.builds(lambda a, b, u: (a, b, *u), OFFSETS, OFFSETS, UNIT))),
    st.builds(lambda k, b, r: ("BITPOS", k, b, *r), KEYS, st.sampled_from([0, 1]),
              _opt(st.tuples(OFFSETS), st.builds(lambda a, c, u: (a, c, *u), OFFSETS, OFFSETS, UNIT))),
    st.builds(lambda op, d, s: ("BITOP", op, d, *s), st.sampled_from(["AND", "OR", "XOR", "NOT"]),
              KEYS, st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda a, b, o: ("LCS", a, b, *o), KEYS, KEYS,
              st.sampled_from([(), ("LEN",), ("IDX",), ("IDX", "WITHMATCHLEN")])),
]

KEY_COMMANDS = [
    st.builds(lambda ks: ("DEL", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda ks: ("UNLINK", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda ks: ("EXISTS", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda ks: ("TOUCH", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    cmd("TYPE", KEYS),
    cmd("RENAME", KEYS, KEYS),
    cmd("RENAMENX", KEYS, KEYS),
    st.builds(lambda a, b, o: ("COPY", a, b, *o), KEYS, KEYS,
              st.sampled_from([(), ("REPLACE",), ("DB", 1), ("DB", 1, "REPLACE")])),
    cmd("MOVE", KEYS, st.sampled_from([0, 1])),
    cmd("SELECT", st.sampled_from([0, 1])),
    st.builds(lambda k, t, f: ("EXPIRE", k, t, *f), KEYS, TTL, EXPIRE_FLAGS),
    st.builds(lambda k, t, f: ("PEXPIRE", k, t, *f), KEYS, PTTL, EXPIRE_FLAGS),
    cmd("PERSIST", KEYS),
    cmd("TTL", KEYS),
    cmd("PTTL", KEYS),
    cmd("EXPIRETIME", KEYS),
    cmd("OBJECT", st.just("ENCODING"), KEYS),
    st.builds(lambda p: C("KEYS", p, norm=UNORDERED), st.sampled_from(["*", "a*", "?", "*k", "[ab]", "\\x00*"])),
    st.just(("SCAN", 0, "COUNT", 1000)),
    st.just(("DBSIZE",)),
    st.just(("RANDOMKEY",)),
    st.just(("SWAPDB", 0, 1)),
]

# Other types, for WRONGTYPE answers, as soon as the engine has them.
OTHER_TYPES: List[Tuple[bytes, Any]] = [
    (b"lpush", cmd("LPUSH", KEYS, BYTES)),
    (b"hset", cmd("HSET", KEYS, BYTES, BYTES)),
    (b"sadd", cmd("SADD", KEYS, BYTES)),
    (b"zadd", cmd("ZADD", KEYS, st.integers(-5, 5), BYTES)),
]
TYPE_COMMANDS = [strategy for name, strategy in OTHER_TYPES if _engine_has(name)]

COMMANDS = st.one_of(*STRING_COMMANDS, *KEY_COMMANDS, *TYPE_COMMANDS)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(COMMANDS, min_size=1, max_size=25))
def test_random_sequences(targets, steps):
    check(targets, "raw", steps)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(st.one_of(*STRING_COMMANDS), min_size=1, max_size=15))
def test_random_string_sequences_redis_py(targets, steps):
    check(targets, "py2", steps)
