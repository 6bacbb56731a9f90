"""Random command sequences over strings and keys, compared across the three targets.

A small key space so commands collide; binary values, integers and floats so the
numeric commands meet both numbers and garbage; TTLs large enough (days) that TTL
answers are stable, plus negative ones that delete. Replies are compared as raw RESP2
trees (see differential.py). Wrong-type cases join in for each non-string type the
engine knows.
"""

from __future__ import annotations

from typing import Any

from differential import UNORDERED, C, check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redlite import _native

KEYS = st.sampled_from([b"a", b"b", b"c", b"\x00k", b"\xff\r\n"])
BYTES = st.one_of(
    st.sampled_from(
        [b"", b"0", b"1", b"-1", b"10", b"3.5", b"abc", b"\x00", b"\xff\xfe", b"\r\n"]
    ),
    st.binary(max_size=12),
)
INTS = st.one_of(
    st.integers(-5, 40), st.sampled_from([2**63 - 1, -(2**63), 2**31, -(2**31)])
)
NUMS = st.sampled_from(
    [b"1", b"-3", b"0.5", b"-0.25", b"1e3", b"3.0e-2", b"10.50", b"abc", b"", b"inf"]
)
TTL = st.one_of(st.integers(100_000, 10_000_000), st.sampled_from([-1, 0]))
PTTL = st.integers(100_000_000, 10_000_000_000)
OFFSETS = st.integers(-2, 70)
EXPIRE_FLAGS = st.sampled_from([(), ("NX",), ("XX",), ("GT",), ("LT",)])
UNIT = st.sampled_from([(), ("BYTE",), ("BIT",)])


def _engine_has(name: bytes) -> bool:
    """Whether the engine's command table has this command (COMMAND INFO knows it)."""
    kind, entries = (
        _native.Session(_native.Db()).run([b"COMMAND", b"INFO", name]).tree()
    )
    return kind == "array" and len(entries) == 1 and entries[0][0] == "array"


def cmd(name: str, *parts: Any) -> Any:
    return st.tuples(st.just(name), *parts)


def _opt(*choices: Any) -> Any:
    return st.one_of(st.just(()), *choices)


SET_OPTS = st.one_of(
    st.just(()),
    st.tuples(st.just("EX"), TTL.filter(lambda t: t > 0)),
    st.tuples(st.just("PX"), PTTL),
    st.sampled_from(
        [("NX",), ("XX",), ("GET",), ("KEEPTTL",), ("NX", "GET"), ("XX", "GET")]
    ),
)

STRING_COMMANDS = [
    st.builds(lambda k, v, o: ("SET", k, v, *o), KEYS, BYTES, SET_OPTS),
    cmd("GET", KEYS),
    cmd("GETDEL", KEYS),
    cmd("GETSET", KEYS, BYTES),
    st.builds(
        lambda k, o: ("GETEX", k, *o),
        KEYS,
        st.one_of(st.just(()), st.just(("PERSIST",)), st.tuples(st.just("EX"), TTL)),
    ),
    cmd("SETNX", KEYS, BYTES),
    cmd("SETEX", KEYS, TTL, BYTES),
    cmd("PSETEX", KEYS, PTTL, BYTES),
    st.builds(
        lambda kv: ("MSET", *[x for p in kv for x in p]),
        st.lists(st.tuples(KEYS, BYTES), min_size=1, max_size=3),
    ),
    st.builds(
        lambda kv: ("MSETNX", *[x for p in kv for x in p]),
        st.lists(st.tuples(KEYS, BYTES), min_size=1, max_size=3),
    ),
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
    st.builds(
        lambda k, r: ("BITCOUNT", k, *r),
        KEYS,
        _opt(st.builds(lambda a, b, u: (a, b, *u), OFFSETS, OFFSETS, UNIT)),
    ),
    st.builds(
        lambda k, b, r: ("BITPOS", k, b, *r),
        KEYS,
        st.sampled_from([0, 1]),
        _opt(
            st.tuples(OFFSETS),
            st.builds(lambda a, c, u: (a, c, *u), OFFSETS, OFFSETS, UNIT),
        ),
    ),
    st.builds(
        lambda op, d, s: ("BITOP", op, d, *s),
        st.sampled_from(["AND", "OR", "XOR", "NOT"]),
        KEYS,
        st.lists(KEYS, min_size=1, max_size=3),
    ),
    st.builds(
        lambda a, b, o: ("LCS", a, b, *o),
        KEYS,
        KEYS,
        st.sampled_from([(), ("LEN",), ("IDX",), ("IDX", "WITHMATCHLEN")]),
    ),
]

KEY_COMMANDS = [
    st.builds(lambda ks: ("DEL", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda ks: ("UNLINK", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda ks: ("EXISTS", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    st.builds(lambda ks: ("TOUCH", *ks), st.lists(KEYS, min_size=1, max_size=3)),
    cmd("TYPE", KEYS),
    cmd("RENAME", KEYS, KEYS),
    cmd("RENAMENX", KEYS, KEYS),
    st.builds(
        lambda a, b, o: ("COPY", a, b, *o),
        KEYS,
        KEYS,
        st.sampled_from([(), ("REPLACE",), ("DB", 1), ("DB", 1, "REPLACE")]),
    ),
    cmd("MOVE", KEYS, st.sampled_from([0, 1])),
    cmd("SELECT", st.sampled_from([0, 1])),
    st.builds(lambda k, t, f: ("EXPIRE", k, t, *f), KEYS, TTL, EXPIRE_FLAGS),
    st.builds(lambda k, t, f: ("PEXPIRE", k, t, *f), KEYS, PTTL, EXPIRE_FLAGS),
    cmd("PERSIST", KEYS),
    cmd("TTL", KEYS),
    cmd("PTTL", KEYS),
    cmd("EXPIRETIME", KEYS),
    cmd("OBJECT", st.just("ENCODING"), KEYS),
    st.builds(
        lambda p: C("KEYS", p, norm=UNORDERED),
        st.sampled_from(["*", "a*", "?", "*k", "[ab]", "\\x00*"]),
    ),
    st.just(("SCAN", 0, "COUNT", 1000)),
    st.just(("DBSIZE",)),
    st.just(("RANDOMKEY",)),
    st.just(("SWAPDB", 0, 1)),
]

# Other types, for WRONGTYPE answers, as soon as the engine has them.
OTHER_TYPES: list[tuple[bytes, Any]] = [
    (b"lpush", cmd("LPUSH", KEYS, BYTES)),
    (b"hset", cmd("HSET", KEYS, BYTES, BYTES)),
    (b"sadd", cmd("SADD", KEYS, BYTES)),
    (b"zadd", cmd("ZADD", KEYS, st.integers(-5, 5), BYTES)),
]
TYPE_COMMANDS = [strategy for name, strategy in OTHER_TYPES if _engine_has(name)]

COMMANDS = st.one_of(*STRING_COMMANDS, *KEY_COMMANDS, *TYPE_COMMANDS)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(COMMANDS, min_size=1, max_size=25))
def test_random_sequences(targets, steps):
    check(targets, "raw", steps)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.one_of(*STRING_COMMANDS), min_size=1, max_size=15))
def test_random_string_sequences_redis_py(targets, steps):
    check(targets, "py2", steps)


# -- sorted sets ------------------------------------------------------------------------
# A few keys (one shared with a string and a set, for WRONGTYPE and set inputs), short
# members (so every set stays a listpack in Redis: whole ZSCAN pages, the listpack walk
# of lex ranges over mixed scores), scores and range ends Redis parses in odd ways.

from differential import SHAPE  # noqa: E402

Z_KEYS = st.sampled_from([b"z1", b"z2", b"z3", b"s", b"\x00z"])
Z_MEMBERS = st.one_of(
    st.sampled_from([b"a", b"b", b"c", b"ab", b"", b"\x00", b"\xff"]),
    st.binary(max_size=4),
)
Z_SCORES = st.one_of(
    st.integers(-3, 3),
    st.sampled_from(
        [
            b"0.5",
            b"-1.5",
            b"inf",
            b"-inf",
            b"1e3",
            b"0x10",
            b"nan",
            b"abc",
            b"",
            b" 1",
            b"1e400",
        ]
    ),
)
Z_BOUNDS = st.sampled_from(
    [
        b"-inf",
        b"+inf",
        b"0",
        b"(0",
        b"1",
        b"(1",
        b"2.5",
        b"(-1",
        b"x",
        b"",
        b"(",
        b"nan",
    ]
)
Z_LEX = st.sampled_from(
    [
        b"-",
        b"+",
        b"[a",
        b"(a",
        b"[b",
        b"(c",
        b"[",
        b"(",
        b"a",
        b"[\x00",
        b"(\xff",
        b"-x",
    ]
)
Z_RANKS = st.integers(-6, 6)
Z_LIMIT = _opt(st.tuples(st.just("LIMIT"), st.integers(-1, 3), st.integers(-1, 3)))
Z_WITHSCORES = _opt(st.just(("WITHSCORES",)))
Z_ADD_FLAGS = st.lists(
    st.sampled_from(["NX", "XX", "GT", "LT", "CH", "INCR"]), max_size=2, unique=True
)


def _zkeys(lo: int = 1, hi: int = 3) -> Any:
    return st.lists(Z_KEYS, min_size=lo, max_size=hi)


ZSET_COMMANDS = [
    st.builds(
        lambda k, f, p: ("ZADD", k, *f, *[x for sm in p for x in sm]),
        Z_KEYS,
        Z_ADD_FLAGS,
        st.lists(st.tuples(Z_SCORES, Z_MEMBERS), min_size=1, max_size=3),
    ),
    cmd("ZINCRBY", Z_KEYS, Z_SCORES, Z_MEMBERS),
    st.builds(
        lambda k, ms: ("ZREM", k, *ms),
        Z_KEYS,
        st.lists(Z_MEMBERS, min_size=1, max_size=3),
    ),
    cmd("ZSCORE", Z_KEYS, Z_MEMBERS),
    st.builds(
        lambda k, ms: ("ZMSCORE", k, *ms),
        Z_KEYS,
        st.lists(Z_MEMBERS, min_size=1, max_size=3),
    ),
    cmd("ZCARD", Z_KEYS),
    cmd("ZCOUNT", Z_KEYS, Z_BOUNDS, Z_BOUNDS),
    cmd("ZLEXCOUNT", Z_KEYS, Z_LEX, Z_LEX),
    cmd("ZRANK", Z_KEYS, Z_MEMBERS),
    cmd("ZREVRANK", Z_KEYS, Z_MEMBERS),
    st.builds(
        lambda k, a, b, o, w: ("ZRANGE", k, a, b, *o, *w),
        Z_KEYS,
        Z_RANKS,
        Z_RANKS,
        st.sampled_from([(), ("REV",), ("LIMIT", 0, 1)]),
        Z_WITHSCORES,
    ),
    st.builds(
        lambda k, a, b, r, lim, w: ("ZRANGE", k, a, b, "BYSCORE", *r, *lim, *w),
        Z_KEYS,
        Z_BOUNDS,
        Z_BOUNDS,
        _opt(st.just(("REV",))),
        Z_LIMIT,
        Z_WITHSCORES,
    ),
    st.builds(
        lambda k, a, b, r, lim, w: ("ZRANGE", k, a, b, "BYLEX", *r, *lim, *w),
        Z_KEYS,
        Z_LEX,
        Z_LEX,
        _opt(st.just(("REV",))),
        Z_LIMIT,
        _opt(st.just(("WITHSCORES",))),
    ),
    st.builds(
        lambda d, k, a, b, o: ("ZRANGESTORE", d, k, a, b, *o),
        Z_KEYS,
        Z_KEYS,
        Z_RANKS,
        Z_RANKS,
        st.sampled_from([(), ("REV",)]),
    ),
    st.builds(
        lambda d, k, a, b: ("ZRANGESTORE", d, k, a, b, "BYSCORE"),
        Z_KEYS,
        Z_KEYS,
        Z_BOUNDS,
        Z_BOUNDS,
    ),
    st.builds(
        lambda k, a, b, w: ("ZREVRANGE", k, a, b, *w),
        Z_KEYS,
        Z_RANKS,
        Z_RANKS,
        Z_WITHSCORES,
    ),
    st.builds(
        lambda k, a, b, w, lim: ("ZRANGEBYSCORE", k, a, b, *w, *lim),
        Z_KEYS,
        Z_BOUNDS,
        Z_BOUNDS,
        Z_WITHSCORES,
        Z_LIMIT,
    ),
    st.builds(
        lambda k, a, b, w, lim: ("ZREVRANGEBYSCORE", k, a, b, *w, *lim),
        Z_KEYS,
        Z_BOUNDS,
        Z_BOUNDS,
        Z_WITHSCORES,
        Z_LIMIT,
    ),
    st.builds(
        lambda k, a, b, lim: ("ZRANGEBYLEX", k, a, b, *lim),
        Z_KEYS,
        Z_LEX,
        Z_LEX,
        Z_LIMIT,
    ),
    st.builds(
        lambda k, a, b, lim: ("ZREVRANGEBYLEX", k, a, b, *lim),
        Z_KEYS,
        Z_LEX,
        Z_LEX,
        Z_LIMIT,
    ),
    cmd("ZREMRANGEBYRANK", Z_KEYS, Z_RANKS, Z_RANKS),
    cmd("ZREMRANGEBYSCORE", Z_KEYS, Z_BOUNDS, Z_BOUNDS),
    cmd("ZREMRANGEBYLEX", Z_KEYS, Z_LEX, Z_LEX),
    st.builds(
        lambda c, k, n: (c, k, *n),
        st.sampled_from(["ZPOPMIN", "ZPOPMAX"]),
        Z_KEYS,
        _opt(st.tuples(st.integers(-1, 4))),
    ),
    st.builds(
        lambda ks, w, n: ("ZMPOP", len(ks), *ks, w, *n),
        _zkeys(),
        st.sampled_from(["MIN", "MAX"]),
        _opt(st.tuples(st.just("COUNT"), st.integers(0, 3))),
    ),
    st.builds(
        lambda k, n: C("ZRANDMEMBER", k, *n, norm=SHAPE),
        Z_KEYS,
        _opt(
            st.tuples(st.integers(-3, 3)),
            st.tuples(st.integers(-3, 3), st.just("WITHSCORES")),
        ),
    ),
    st.builds(
        lambda op, ks, w, a, s: (
            op,
            len(ks),
            *ks,
            *(("WEIGHTS", *w[: len(ks)]) if w else ()),
            *a,
            *s,
        ),
        st.sampled_from(["ZUNION", "ZINTER"]),
        _zkeys(),
        st.one_of(
            st.just([]),
            st.lists(st.sampled_from([2, -1, 0, "0.5", "inf"]), min_size=3, max_size=3),
        ),
        _opt(st.tuples(st.just("AGGREGATE"), st.sampled_from(["SUM", "MIN", "MAX"]))),
        Z_WITHSCORES,
    ),
    st.builds(lambda ks, s: ("ZDIFF", len(ks), *ks, *s), _zkeys(), Z_WITHSCORES),
    st.builds(
        lambda op, d, ks, a: (op, d, len(ks), *ks, *a),
        st.sampled_from(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]),
        Z_KEYS,
        _zkeys(),
        _opt(st.tuples(st.just("AGGREGATE"), st.sampled_from(["MIN", "MAX"]))),
    ),
    st.builds(
        lambda ks, ws: ("ZUNIONSTORE", "z1", len(ks), *ks, "WEIGHTS", *ws[: len(ks)]),
        _zkeys(2, 2),
        st.lists(
            st.sampled_from([1, -1, 0, "0.5", "inf", "-inf"]), min_size=2, max_size=2
        ),
    ),
    st.builds(
        lambda ks, lim: ("ZINTERCARD", len(ks), *ks, *lim),
        _zkeys(),
        _opt(st.tuples(st.just("LIMIT"), st.integers(0, 2))),
    ),
    st.builds(
        lambda k, o: ("ZSCAN", k, 0, *o),
        Z_KEYS,
        st.sampled_from([(), ("COUNT", 1), ("MATCH", "a*"), ("MATCH", "*")]),
    ),
    # Blocking pops answer at once when a key has members, else time out (10 ms).
    st.builds(
        lambda c, ks: (c, *ks, "0.01"),
        st.sampled_from(["BZPOPMIN", "BZPOPMAX"]),
        _zkeys(1, 2),
    ),
    st.builds(
        lambda ks, w, n: ("BZMPOP", "0.01", len(ks), *ks, w, *n),
        _zkeys(1, 2),
        st.sampled_from(["MIN", "MAX"]),
        _opt(st.tuples(st.just("COUNT"), st.integers(1, 3))),
    ),
    cmd("SADD", st.just(b"s"), Z_MEMBERS),
    cmd("SET", st.sampled_from([b"s", b"z3"]), BYTES),
    st.builds(lambda ks: ("DEL", *ks), _zkeys(1, 2)),
    cmd("TYPE", Z_KEYS),
    cmd("OBJECT", st.just("ENCODING"), Z_KEYS),
    cmd("COPY", Z_KEYS, Z_KEYS),
    cmd("RENAME", Z_KEYS, Z_KEYS),
]


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.one_of(*ZSET_COMMANDS), min_size=1, max_size=25))
def test_random_zset_sequences(targets, steps):
    check(targets, "raw", steps)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.one_of(*ZSET_COMMANDS), min_size=1, max_size=15))
def test_random_zset_sequences_redis_py(targets, steps):
    check(targets, "py3", steps)


# -- hashes, sets, SORT -------------------------------------------------------------------
#
# Fields and members from small alphabets so that commands meet each other's data;
# numbers and non-numbers mixed so HINCRBY* and numeric SORT meet both. Replies whose
# order Redis leaves unspecified are compared unordered, random ones by shape, and the
# only SPOP pops everything (so the state stays the same on every target). What stays
# out, and why: SORT ... ALPHA BY over a set or sorted set (ties keep Redis's hash-table
# order, seeded at random per process), and so two members equal as C strings (ALPHA
# compares with strcoll, which stops at a NUL: b"" and b"\x00" tie, which Hypothesis
# found), weights out of double range (Redis 7.0 leaves errno set, and later SORTs fail
# until a new connection resets it), SSCAN/HSCAN with a small COUNT (the page depends on Redis's buckets).

from differential import SCAN  # noqa: E402

FIELDS = st.sampled_from([b"f", b"g", b"1", b"-2", b"10", b"", b"\x00", b"x\xff"])
MEMBERS = st.sampled_from(
    [b"1", b"2", b"-3", b"10", b"2.5", b" 5", b"a", b"b", b"", b"x\x00"]
)
WEIGHTS = st.sampled_from([b"1", b"-2", b"0.5", b"7", b"abc", b"", b"3e2"])
COUNTS = st.one_of(st.integers(-4, 6), st.sampled_from([100, -100]))
SORT_PATTERNS = st.sampled_from([b"w_*", b"h_*->f", b"nosuch_*", b"#", b"w_*->"])


def _u(*argv: Any) -> Any:
    return C(*argv, norm=UNORDERED)


def _flat(pairs: Any) -> list[Any]:
    return [x for p in pairs for x in p]


HASH_COMMANDS = [
    st.builds(
        lambda k, fv: ("HSET", k, *_flat(fv)),
        KEYS,
        st.lists(st.tuples(FIELDS, BYTES), min_size=1, max_size=3),
    ),
    cmd("HSETNX", KEYS, FIELDS, BYTES),
    cmd("HGET", KEYS, FIELDS),
    st.builds(
        lambda k, fs: ("HMGET", k, *fs), KEYS, st.lists(FIELDS, min_size=1, max_size=3)
    ),
    st.builds(lambda k: _u("HGETALL", k), KEYS),
    st.builds(lambda k: _u("HKEYS", k), KEYS),
    st.builds(lambda k: _u("HVALS", k), KEYS),
    st.builds(
        lambda k, fs: ("HDEL", k, *fs), KEYS, st.lists(FIELDS, min_size=1, max_size=3)
    ),
    cmd("HEXISTS", KEYS, FIELDS),
    cmd("HLEN", KEYS),
    cmd("HSTRLEN", KEYS, FIELDS),
    cmd("HINCRBY", KEYS, FIELDS, INTS),
    cmd("HINCRBYFLOAT", KEYS, FIELDS, NUMS),
    st.builds(
        lambda k, o: C("HRANDFIELD", k, *o, norm=SHAPE),
        KEYS,
        _opt(st.tuples(COUNTS), st.tuples(COUNTS, st.just("WITHVALUES"))),
    ),
    st.builds(
        lambda k, o: C("HSCAN", k, 0, "COUNT", 100, *o, norm=SCAN),
        KEYS,
        _opt(st.tuples(st.just("MATCH"), st.sampled_from(["*", "f*", "?", "[01]*"]))),
    ),
    # Weights and hash fields for SORT ... BY / GET.
    cmd("SET", st.builds(lambda m: b"w_" + m, MEMBERS), WEIGHTS),
    cmd("HSET", st.builds(lambda m: b"h_" + m, MEMBERS), st.just(b"f"), WEIGHTS),
]

SET_COMMANDS = [
    st.builds(
        lambda k, ms: ("SADD", k, *ms), KEYS, st.lists(MEMBERS, min_size=1, max_size=4)
    ),
    st.builds(
        lambda k, ms: ("SREM", k, *ms), KEYS, st.lists(MEMBERS, min_size=1, max_size=3)
    ),
    st.builds(lambda k: _u("SMEMBERS", k), KEYS),
    cmd("SISMEMBER", KEYS, MEMBERS),
    st.builds(
        lambda k, ms: ("SMISMEMBER", k, *ms),
        KEYS,
        st.lists(MEMBERS, min_size=1, max_size=3),
    ),
    cmd("SCARD", KEYS),
    st.builds(lambda k: _u("SPOP", k, 100), KEYS),
    st.builds(
        lambda k, o: C("SRANDMEMBER", k, *o, norm=SHAPE), KEYS, _opt(st.tuples(COUNTS))
    ),
    cmd("SMOVE", KEYS, KEYS, MEMBERS),
    st.builds(
        lambda op, ks: _u(op, *ks),
        st.sampled_from(["SINTER", "SUNION", "SDIFF"]),
        st.lists(KEYS, min_size=1, max_size=3),
    ),
    st.builds(
        lambda op, d, ks: (op, d, *ks),
        st.sampled_from(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
        KEYS,
        st.lists(KEYS, min_size=1, max_size=3),
    ),
    st.builds(
        lambda ks, o: ("SINTERCARD", len(ks), *ks, *o),
        st.lists(KEYS, min_size=1, max_size=3),
        _opt(st.tuples(st.just("LIMIT"), st.integers(-1, 3))),
    ),
    st.builds(
        lambda k, o: C("SSCAN", k, 0, "COUNT", 100, *o, norm=SCAN),
        KEYS,
        _opt(st.tuples(st.just("MATCH"), st.sampled_from(["*", "1*", "?", "[ab]"]))),
    ),
]


def _sort(
    key: bytes, by: Any, limit: Any, gets: Any, order: Any, alpha: bool, store: Any
) -> Any:
    argv: list[Any] = ["SORT", key]
    if by is not None:
        argv += ["BY", by]
    argv += list(limit)
    for g in gets:
        argv += ["GET", g]
    argv += list(order)
    if alpha:
        argv.append("ALPHA")
    if store is not None:
        argv += ["STORE", store]
    if by == b"nosort" and store is None:
        # A set's own order is Redis's hash-table order.
        return C(*argv, norm=UNORDERED)
    return tuple(argv)


SORT_COMMANDS = [
    # Numeric or ALPHA by the elements themselves, or numeric by a pattern.
    st.builds(
        _sort,
        KEYS,
        st.one_of(st.none(), SORT_PATTERNS.filter(lambda p: p != b"#")),
        _opt(st.tuples(st.just("LIMIT"), st.integers(-1, 4), st.integers(-1, 4))),
        st.lists(SORT_PATTERNS, max_size=2),
        st.sampled_from([(), ("ASC",), ("DESC",)]),
        st.just(False),
        st.one_of(st.none(), KEYS),
    ),
    st.builds(
        _sort,
        KEYS,
        st.none(),
        _opt(st.tuples(st.just("LIMIT"), st.integers(-1, 4), st.integers(-1, 4))),
        st.lists(SORT_PATTERNS, max_size=2),
        st.sampled_from([(), ("DESC",)]),
        st.just(True),
        st.one_of(st.none(), KEYS),
    ),
    # BY nosort: a set's own order (compared unordered), or sorted ALPHA when stored.
    st.builds(
        _sort,
        KEYS,
        st.just(b"nosort"),
        st.just(()),
        st.lists(SORT_PATTERNS, max_size=1),
        st.just(()),
        st.booleans(),
        st.one_of(st.none(), KEYS),
    ),
]

MIXED_COMMANDS = [
    st.builds(
        lambda k, ms: ("RPUSH", k, *ms), KEYS, st.lists(MEMBERS, min_size=1, max_size=4)
    ),
    cmd("LRANGE", KEYS, st.just(0), st.just(-1)),
    cmd("SET", KEYS, BYTES),
    cmd("TYPE", KEYS),
    st.builds(lambda ks: ("DEL", *ks), st.lists(KEYS, min_size=1, max_size=2)),
    st.builds(lambda ks: ("EXISTS", *ks), st.lists(KEYS, min_size=1, max_size=2)),
    cmd("RENAME", KEYS, KEYS),
    cmd("COPY", KEYS, KEYS),
]

COLLECTION_COMMANDS = st.one_of(
    *HASH_COMMANDS, *SET_COMMANDS, *SORT_COMMANDS, *MIXED_COMMANDS
)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(COLLECTION_COMMANDS, min_size=1, max_size=30))
def test_random_hash_set_sort_sequences(targets, steps):
    check(targets, "raw", steps)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(COLLECTION_COMMANDS, min_size=1, max_size=20))
def test_random_hash_set_sort_sequences_redis_py(targets, steps):
    check(targets, "py2", steps)


# -- lists --------------------------------------------------------------------------------
#
# A few list keys and a string key, values from a small alphabet (so LINSERT, LREM and
# LPOS find their pivots) plus binary ones, indexes around both ends. The blocking pops
# run with a 10 ms timeout: they answer at once when an element is there, else time out
# with a null array on every target.

L_KEYS = st.sampled_from([b"l1", b"l2", b"l3", b"\x00l", b"str"])
L_VALUES = st.one_of(
    st.sampled_from([b"a", b"b", b"c", b"", b"1", b"\x00"]), st.binary(max_size=5)
)
L_INDEX = st.one_of(st.integers(-7, 7), st.sampled_from([2**63 - 1, -(2**63), b"x"]))
L_COUNT = st.one_of(st.integers(-3, 5), st.sampled_from([b"x", 2**63 - 1]))
L_END = st.sampled_from([b"LEFT", b"RIGHT", b"left", b"up"])
L_TIMEOUT = st.sampled_from([b"0.01", b"0.01", b"-1", b"x"])


def _lvalues(lo: int = 1, hi: int = 3) -> Any:
    return st.lists(L_VALUES, min_size=lo, max_size=hi)


def _lkeys(lo: int = 1, hi: int = 3) -> Any:
    return st.lists(L_KEYS, min_size=lo, max_size=hi)


LPOS_OPTS = st.lists(
    st.one_of(
        st.tuples(st.just(b"RANK"), st.sampled_from([1, 2, -1, -2, 0, 5, -(2**63)])),
        st.tuples(st.just(b"COUNT"), st.sampled_from([0, 1, 2, -1])),
        st.tuples(st.just(b"MAXLEN"), st.sampled_from([0, 1, 3, -1])),
    ),
    max_size=3,
)
LMPOP_COUNT = _opt(st.tuples(st.just(b"COUNT"), L_COUNT))

LIST_COMMANDS = [
    st.builds(lambda k, vs: ("LPUSH", k, *vs), L_KEYS, _lvalues()),
    st.builds(lambda k, vs: ("RPUSH", k, *vs), L_KEYS, _lvalues()),
    st.builds(lambda k, vs: ("LPUSHX", k, *vs), L_KEYS, _lvalues()),
    st.builds(lambda k, vs: ("RPUSHX", k, *vs), L_KEYS, _lvalues()),
    st.builds(
        lambda c, k, n: (c, k, *n),
        st.sampled_from(["LPOP", "RPOP"]),
        L_KEYS,
        _opt(st.tuples(L_COUNT)),
    ),
    cmd("LLEN", L_KEYS),
    cmd("LRANGE", L_KEYS, L_INDEX, L_INDEX),
    cmd("LINDEX", L_KEYS, L_INDEX),
    cmd("LSET", L_KEYS, L_INDEX, L_VALUES),
    cmd(
        "LINSERT",
        L_KEYS,
        st.sampled_from([b"BEFORE", b"AFTER", b"after", b"middle"]),
        L_VALUES,
        L_VALUES,
    ),
    cmd("LREM", L_KEYS, L_COUNT, L_VALUES),
    cmd("LTRIM", L_KEYS, L_INDEX, L_INDEX),
    st.builds(
        lambda k, v, o: ("LPOS", k, v, *[x for p in o for x in p]),
        L_KEYS,
        L_VALUES,
        LPOS_OPTS,
    ),
    cmd("LMOVE", L_KEYS, L_KEYS, L_END, L_END),
    cmd("RPOPLPUSH", L_KEYS, L_KEYS),
    st.builds(
        lambda ks, e, c: ("LMPOP", len(ks), *ks, e, *c), _lkeys(), L_END, LMPOP_COUNT
    ),
    st.builds(
        lambda c, ks, t: (c, *ks, t),
        st.sampled_from(["BLPOP", "BRPOP"]),
        _lkeys(),
        L_TIMEOUT,
    ),
    cmd("BLMOVE", L_KEYS, L_KEYS, L_END, L_END, L_TIMEOUT),
    cmd("BRPOPLPUSH", L_KEYS, L_KEYS, L_TIMEOUT),
    st.builds(
        lambda t, ks, e, c: ("BLMPOP", t, len(ks), *ks, e, *c),
        L_TIMEOUT,
        _lkeys(),
        L_END,
        LMPOP_COUNT,
    ),
    cmd("SET", st.just(b"str"), L_VALUES),
    cmd("DEL", L_KEYS),
    cmd("TYPE", L_KEYS),
    cmd("OBJECT", st.just("ENCODING"), L_KEYS),
    cmd("RENAME", L_KEYS, L_KEYS),
]


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.one_of(*LIST_COMMANDS), min_size=1, max_size=30))
def test_random_list_sequences(targets, steps):
    check(targets, "raw", steps)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(st.one_of(*LIST_COMMANDS), min_size=1, max_size=15))
def test_random_list_sequences_redis_py(targets, steps):
    check(targets, "py3", steps)


# -- streams ------------------------------------------------------------------------------
# Two streams and a string (WRONGTYPE), set up with entries and groups; appends whose
# ids grow with their position (most succeed) beside appends with ids drawn from a small
# range (meeting the top, `ms-*`, invalid ids), range ends in every form Redis parses,
# two groups and three consumers. Idle times are 0 or far beyond the test, so no reply
# depends on the clock; those that show a time (XPENDING's extended form, XINFO
# CONSUMERS) are compared through test_streams.TIMES. XREAD/XREADGROUP BLOCK only
# with a short timeout: they answer at once or time out.

from test_streams import TIMES  # noqa: E402

X_KEYS = st.sampled_from([b"s1", b"s1", b"s1", b"s2", b"str"])
X_GOOD_IDS = st.one_of(
    st.builds(
        lambda ms, seq: f"{ms}-{seq}".encode(), st.integers(1, 40), st.integers(0, 3)
    ),
    st.builds(lambda ms: f"{ms}".encode(), st.integers(1, 40)),
    st.builds(lambda ms: f"{ms}-*".encode(), st.integers(0, 40)),
)
X_IDS = st.one_of(
    X_GOOD_IDS,
    X_GOOD_IDS,
    X_GOOD_IDS,
    st.sampled_from(
        [b"0-0", b"18446744073709551615-18446744073709551615", b"x", b"-1", b""]
    ),
)
X_BOUNDS = st.one_of(
    st.builds(
        lambda ms, seq: f"{ms}-{seq}".encode(), st.integers(0, 40), st.integers(0, 3)
    ),
    st.builds(
        lambda ex, ms: f"{ex}{ms}".encode(),
        st.sampled_from(["", "("]),
        st.integers(0, 40),
    ),
    st.sampled_from([b"-", b"+"]),
    st.sampled_from([b"-", b"+", b"(-", b"(+", b"(0-0", b"x"]),
)
X_FIELDS = st.lists(
    st.tuples(
        st.sampled_from([b"f", b"g", b"1", b"", b"\x00"]),
        st.sampled_from([b"v", b"", b"12", b"\xff"]),
    ),
    min_size=1,
    max_size=2,
)
X_GROUPS = st.sampled_from([b"g1", b"g2"])
X_CONSUMERS = st.sampled_from([b"c1", b"c2", b"c3"])
X_COUNT = _opt(st.tuples(st.just("COUNT"), st.integers(-1, 4)))
X_IDLE = st.sampled_from([0, 1_000_000_000])
X_TRIM = st.one_of(
    st.tuples(st.just("MAXLEN"), st.sampled_from(["=", "~", None]), st.integers(0, 5)),
    st.tuples(st.just("MINID"), st.sampled_from(["=", "~", None]), X_IDS),
).map(lambda t: tuple(x for x in t if x is not None))


def _pairs(fields: Any) -> list[Any]:
    return [x for fv in fields for x in fv]


X_ADD = st.builds(
    lambda k, n, t, i, f: ("XADD", k, *n, *t, i, *_pairs(f)),
    X_KEYS,
    _opt(st.just(("NOMKSTREAM",))),
    _opt(X_TRIM),
    X_IDS,
    X_FIELDS,
)
# An XADD whose id `_number_adds` makes grow with its position in the sequence, so
# that most appends succeed (the other XADDs draw ids at random, and meet the top).
X_ADD_PLAIN = st.builds(lambda k, f: ("XADD", k, b"NEXT", *_pairs(f)), X_KEYS, X_FIELDS)


def _number_adds(steps: list[Any]) -> list[Any]:
    """The sequence after a setup that gives the group commands something to work on:
    two streams with a few entries, both groups on s1, one on s2."""
    setup: list[Any] = [
        ("XADD", k, f"{ms}-{seq}", "f", f"{k}{ms}")
        for k in ("s1", "s2")
        for ms in (1, 2, 3)
        for seq in (0, 1)
    ]
    setup += [
        ("XGROUP", "CREATE", "s1", "g1", "0"),
        ("XGROUP", "CREATE", "s1", "g2", "2-0"),
        ("XGROUP", "CREATE", "s2", "g1", "$"),
    ]
    return setup + [
        tuple(f"{41 + i}-*".encode() if a == b"NEXT" else a for a in s)
        if isinstance(s, tuple)
        else s
        for i, s in enumerate(steps)
    ]


STREAM_COMMANDS = [
    X_ADD,
    X_ADD_PLAIN,
    X_ADD_PLAIN,
    st.builds(
        lambda k, g, c, n: ("XREADGROUP", "GROUP", g, c, "COUNT", n, "STREAMS", k, ">"),
        X_KEYS,
        X_GROUPS,
        X_CONSUMERS,
        st.integers(1, 3),
    ),
    st.builds(
        lambda k, g: ("XGROUP", "CREATE", k, g, "0", "MKSTREAM"), X_KEYS, X_GROUPS
    ),
    cmd("XLEN", X_KEYS),
    st.builds(
        lambda k, a, b, c: ("XRANGE", k, a, b, *c), X_KEYS, X_BOUNDS, X_BOUNDS, X_COUNT
    ),
    st.builds(
        lambda k, a, b, c: ("XREVRANGE", k, a, b, *c),
        X_KEYS,
        X_BOUNDS,
        X_BOUNDS,
        X_COUNT,
    ),
    st.builds(
        lambda k, ids: ("XDEL", k, *ids),
        X_KEYS,
        st.lists(X_IDS, min_size=1, max_size=3),
    ),
    st.builds(lambda k, t: ("XTRIM", k, *t), X_KEYS, X_TRIM),
    st.builds(
        lambda ks, ids, c: ("XREAD", *c, "STREAMS", *ks, *ids[: len(ks)]),
        st.lists(X_KEYS, min_size=1, max_size=2, unique=True),
        st.lists(st.one_of(X_IDS, st.just(b"$")), min_size=2, max_size=2),
        X_COUNT,
    ),
    st.builds(
        lambda k, c: ("XREAD", "BLOCK", 10, "STREAMS", k, c),
        X_KEYS,
        st.sampled_from([b"$", b"0"]),
    ),
    st.builds(
        lambda k, g, i, o: ("XGROUP", "CREATE", k, g, i, *o),
        X_KEYS,
        X_GROUPS,
        st.one_of(X_IDS, st.just(b"$")),
        _opt(st.just(("MKSTREAM",)), st.just(("ENTRIESREAD", 2))),
    ),
    st.builds(
        lambda k, g, i: ("XGROUP", "SETID", k, g, i),
        X_KEYS,
        X_GROUPS,
        st.one_of(X_IDS, st.just(b"$")),
    ),
    cmd("XGROUP", st.just("DESTROY"), X_KEYS, X_GROUPS),
    cmd("XGROUP", st.just("CREATECONSUMER"), X_KEYS, X_GROUPS, X_CONSUMERS),
    cmd("XGROUP", st.just("DELCONSUMER"), X_KEYS, X_GROUPS, X_CONSUMERS),
    st.builds(
        lambda g, c, n, k, i, cnt: (
            "XREADGROUP",
            "GROUP",
            g,
            c,
            *cnt,
            *n,
            "STREAMS",
            k,
            i,
        ),
        X_GROUPS,
        X_CONSUMERS,
        _opt(st.just(("NOACK",))),
        X_KEYS,
        st.one_of(st.just(b">"), st.just(b">"), X_IDS),
        X_COUNT,
    ),
    st.builds(
        lambda g, c, k: ("XREADGROUP", "GROUP", g, c, "BLOCK", 10, "STREAMS", k, ">"),
        X_GROUPS,
        X_CONSUMERS,
        X_KEYS,
    ),
    st.builds(
        lambda k, g, ids: ("XACK", k, g, *ids),
        X_KEYS,
        X_GROUPS,
        st.lists(X_IDS, min_size=1, max_size=3),
    ),
    cmd("XPENDING", X_KEYS, X_GROUPS),
    st.builds(
        lambda k, g, i, a, b, n, c: C("XPENDING", k, g, *i, a, b, n, *c, norm=TIMES),
        X_KEYS,
        X_GROUPS,
        _opt(st.tuples(st.just("IDLE"), X_IDLE)),
        X_BOUNDS,
        X_BOUNDS,
        st.integers(-1, 5),
        _opt(st.tuples(X_CONSUMERS)),
    ),
    st.builds(
        lambda k, g, c, m, ids, o: ("XCLAIM", k, g, c, m, *ids, *o),
        X_KEYS,
        X_GROUPS,
        X_CONSUMERS,
        X_IDLE,
        st.lists(X_IDS, min_size=1, max_size=3),
        st.lists(
            st.sampled_from(
                [("JUSTID",), ("FORCE",), ("RETRYCOUNT", 5), ("LASTID", "5-0")]
            ),
            max_size=2,
        ).map(lambda os: [x for o in os for x in o]),
    ),
    st.builds(
        lambda k, g, c, m, s, n, j: ("XAUTOCLAIM", k, g, c, m, s, *n, *j),
        X_KEYS,
        X_GROUPS,
        X_CONSUMERS,
        X_IDLE,
        X_BOUNDS,
        _opt(st.tuples(st.just("COUNT"), st.integers(0, 3))),
        _opt(st.just(("JUSTID",))),
    ),
    st.builds(
        lambda k, i, a, d: ("XSETID", k, i, *a, *d),
        X_KEYS,
        X_IDS,
        _opt(st.tuples(st.just("ENTRIESADDED"), st.integers(-1, 20))),
        _opt(st.tuples(st.just("MAXDELETEDID"), X_IDS)),
    ),
    cmd("XINFO", st.just("STREAM"), X_KEYS),
    cmd("XINFO", st.just("GROUPS"), X_KEYS),
    st.builds(lambda k, g: C("XINFO", "CONSUMERS", k, g, norm=TIMES), X_KEYS, X_GROUPS),
    st.builds(lambda k: C("XINFO", "STREAM", k, "FULL", norm=TIMES), X_KEYS),
    cmd("SET", st.just(b"str"), st.just(b"v")),
    cmd("DEL", X_KEYS),
    cmd("COPY", X_KEYS, X_KEYS),
    cmd("TYPE", X_KEYS),
]


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    steps=st.lists(st.one_of(*STREAM_COMMANDS), min_size=1, max_size=30).map(
        _number_adds
    )
)
def test_random_stream_sequences(targets, steps):
    check(targets, "raw", steps)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    steps=st.lists(st.one_of(*STREAM_COMMANDS), min_size=1, max_size=15).map(
        _number_adds
    )
)
def test_random_stream_sequences_redis_py(targets, steps):
    check(targets, "py3", steps)
