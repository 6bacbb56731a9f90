"""Sorted set commands, differential against a real Redis.

Each case runs at three levels (raw RESP2 trees, redis-py RESP2, redis-py default
protocol) on real Redis, redlite-server and embedded redlite; see differential.py.
Random replies (ZRANDMEMBER below the set's size) are compared by shape; a ZSCAN of a
set Redis keeps as a listpack comes back whole in one page, exactly as Redis's. The
blocking pops are compared twice: answering at once (and timing out) in the cases, and
woken by writes from another client, in order, at the end.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pytest
import redis
import redlite
from differential import RANDOM, SHAPE, C, cases_params, check

BIN_KEY = b"z\x00\xff\r\n"
LONG = "m" * 70  # longer than a listpack holds: the set becomes a skiplist

CASES = {
    "zadd_basic": [
        ("ZADD", "z", 1, "a"),
        ("ZADD", "z", 2, "b", 3, "c"),
        ("ZADD", "z", 5, "a"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
        ("ZADD", "z", 1, "a", 2, "a", 3, "a"),
        ("ZSCORE", "z", "a"),
        ("ZCARD", "z"),
        ("ZADD", "z", "1.5", "d", "-2e3", "e", "inf", "f", "-inf", "g"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
        ("TYPE", "z"),
        ("OBJECT", "ENCODING", "z"),
    ],
    "zadd_options": [
        ("ZADD", "z", "NX", "XX", 1, "a"),
        ("ZADD", "z", "GT", "LT", 1, "a"),
        ("ZADD", "z", "NX", "GT", 1, "a"),
        ("ZADD", "z", "NX", "LT", 1, "a"),
        ("ZADD", "z", "INCR", 1, "a", 2, "b"),
        ("ZADD", "z", 1, "a", 2),
        ("ZADD", "z", 1, "a", "XX"),
        ("ZADD", "z", "XX", 1, "a"),
        ("EXISTS", "z"),
        ("ZADD", "z", "XX", "INCR", 1, "a"),
        ("ZADD", "z", "INCR", 1, "a"),
        ("ZADD", "z", "INCR", "NX", 1, "a"),
        ("ZADD", "z", "INCR", "XX", 2, "a"),
        ("ZADD", "z", "INCR", "GT", -1, "a"),
        ("ZADD", "z", "INCR", "LT", -1, "a"),
        ("ZADD", "z", "INCR", "LT", 0, "a"),
        ("ZADD", "z", "INCR", 0, "a"),
        ("ZADD", "z", "CH", 5, "a", 1, "b"),
        ("ZADD", "z", "CH", 5, "a", 1, "b"),
        ("ZADD", "z", "GT", "CH", 4, "a", 2, "b", 7, "c"),
        ("ZADD", "z", "LT", "CH", 4, "a", 3, "b"),
        ("ZADD", "z", "NX", "CH", 10, "a", 10, "d"),
        ("ZADD", "z", "XX", "CH", 11, "a", 11, "e"),
        ("ZADD", "z", "ch", "Ch", 1, "a"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
    ],
    "zadd_scores": [
        ("ZADD", "z", "0x10", "a"),
        ("ZADD", "z", "1e400", "b"),
        ("ZADD", "z", "1e-400", "c"),
        ("ZADD", "z", "4.9e-324", "d"),
        ("ZADD", "z", "1.", "e"),
        ("ZADD", "z", ".5", "f"),
        ("ZADD", "z", "+1", "g"),
        ("ZADD", "z", " 1", "h"),
        ("ZADD", "z", "", "h"),
        ("ZADD", "z", "1e", "h"),
        ("ZADD", "z", "nan", "h"),
        ("ZADD", "z", "1\x00", "h"),
        ("ZADD", "z", "0x1p3", "i"),
        ("ZADD", "z", "-Infinity", "j"),
        ("ZADD", "z", "0.1", "k", "1e20", "l", "3.0", "m", "-0", "n", "2.5e-7", "o"),
        ("ZADD", "z", "123456789012345678", "p", "1e17", "q"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
        ("ZSCAN", "z", 0),
        ("ZSCORE", "z", "k"),
        ("ZMSCORE", "z", "l", "m", "nope", "n"),
    ],
    "zincrby": [
        ("ZINCRBY", "z", 1, "a"),
        ("ZINCRBY", "z", "2.5", "a"),
        ("ZINCRBY", "z", "-0.1", "a"),
        ("ZINCRBY", "z", "x", "a"),
        ("ZINCRBY", "z", "", "a"),
        ("ZADD", "z", "inf", "b"),
        ("ZINCRBY", "z", "-inf", "b"),
        ("ZADD", "z", "INCR", "-inf", "b"),
        ("ZINCRBY", "z", "inf", "b"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
        ("ZINCRBY", "z"),
        ("ZINCRBY", "z", 1, "a", "b"),
    ],
    "wrongtype": [
        ("SET", "s", "v"),
        ("ZADD", "s", 1, "a"),
        ("ZADD", "s", "x", "a"),
        ("ZINCRBY", "s", 1, "a"),
        ("ZREM", "s", "a"),
        ("ZSCORE", "s", "a"),
        ("ZMSCORE", "s", "a"),
        ("ZCARD", "s"),
        ("ZCOUNT", "s", 0, 1),
        ("ZLEXCOUNT", "s", "-", "+"),
        ("ZRANK", "s", "a"),
        ("ZREVRANK", "s", "a"),
        ("ZRANGE", "s", 0, -1),
        ("ZRANGESTORE", "d", "s", 0, -1),
        ("ZREVRANGE", "s", 0, -1),
        ("ZRANGEBYSCORE", "s", 0, 1),
        ("ZREVRANGEBYSCORE", "s", 1, 0),
        ("ZRANGEBYLEX", "s", "-", "+"),
        ("ZREVRANGEBYLEX", "s", "+", "-"),
        ("ZREMRANGEBYRANK", "s", 0, 1),
        ("ZREMRANGEBYSCORE", "s", 0, 1),
        ("ZREMRANGEBYLEX", "s", "-", "+"),
        ("ZPOPMIN", "s"),
        ("ZPOPMAX", "s", 0),
        ("ZMPOP", 1, "s", "MIN"),
        ("ZRANDMEMBER", "s"),
        ("ZRANDMEMBER", "s", 1),
        ("ZUNION", 1, "s"),
        ("ZINTER", 1, "s"),
        ("ZDIFF", 1, "s"),
        ("ZUNIONSTORE", "d", 1, "s"),
        ("ZINTERSTORE", "d", 1, "s"),
        ("ZDIFFSTORE", "d", 1, "s"),
        ("ZINTERCARD", 1, "s"),
        ("ZSCAN", "s", 0),
        ("GET", "s"),
        ("ZADD", "z", 1, "a"),
        ("GET", "z"),
        ("SADD", "z", "a"),
        ("HSET", "z", "f", "v"),
    ],
    "zrem_zscore_zcard": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("ZSCORE", "z", "a"),
        ("ZSCORE", "z", "nope"),
        ("ZSCORE", "nokey", "a"),
        ("ZMSCORE", "z", "a", "nope", "c"),
        ("ZMSCORE", "nokey", "a", "b"),
        ("ZMSCORE", "z"),
        ("ZCARD", "nokey"),
        ("ZREM", "z", "a", "nope", "a"),
        ("ZREM", "nokey", "a"),
        ("ZCARD", "z"),
        ("ZREM", "z", "b", "c"),
        ("EXISTS", "z"),
        ("ZREM", "z"),
    ],
    "zrank": [
        ("ZADD", "z", 1, "a", 2, "b", 2, "c", 3, "d", "-inf", "e", "inf", "f"),
        ("ZRANK", "z", "a"),
        ("ZRANK", "z", "c"),
        ("ZRANK", "z", "e"),
        ("ZRANK", "z", "f"),
        ("ZREVRANK", "z", "f"),
        ("ZREVRANK", "z", "a"),
        ("ZRANK", "z", "nope"),
        ("ZRANK", "nokey", "a"),
        ("ZREVRANK", "nokey", "a"),
        ("ZRANK", "z", "a", "WITHSCORE"),
    ],
    "zrange_rank": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e"),
        ("ZRANGE", "z", 0, -1),
        ("ZRANGE", "z", 1, 2, "WITHSCORES"),
        ("ZRANGE", "z", -2, -1),
        ("ZRANGE", "z", -100, 100),
        ("ZRANGE", "z", 2, 1),
        ("ZRANGE", "z", 5, 10),
        ("ZRANGE", "z", 0, 1, "REV", "WITHSCORES"),
        ("ZRANGE", "z", -2, -1, "rev"),
        ("ZREVRANGE", "z", 0, 1),
        ("ZREVRANGE", "z", 0, -1, "WITHSCORES"),
        ("ZREVRANGE", "z", 0, 1, "REV"),
        ("ZRANGE", "z", 0, -1, "LIMIT", 5, -1),
        ("ZRANGE", "z", 0, -1, "LIMIT", 0, 1),
        ("ZRANGE", "z", 1, "x"),
        ("ZRANGE", "z", 0, 9223372036854775807),
        ("ZRANGE", "z", 0, 9223372036854775808),
        ("ZRANGE", "nokey", 0, -1),
        ("ZRANGE", "z", 0, 1, "foo"),
        ("ZRANGE", "z", 0, 1, "REV", "REV"),
        ("ZRANGE", "z", 0, 1, "BYSCORE", "BYLEX"),
    ],
    "zrange_score": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c", "-inf", "m", "inf", "n"),
        ("ZRANGEBYSCORE", "z", "-inf", "+inf", "WITHSCORES"),
        ("ZRANGEBYSCORE", "z", "", ""),
        ("ZRANGEBYSCORE", "z", " 1", 2),
        ("ZRANGEBYSCORE", "z", "0x1", 2),
        ("ZRANGEBYSCORE", "z", "(", 5),
        ("ZRANGEBYSCORE", "z", "(1", "("),
        ("ZRANGEBYSCORE", "z", 1, "nan"),
        ("ZRANGEBYSCORE", "z", 1, "2 "),
        ("ZRANGEBYSCORE", "z", "(-inf", "(inf"),
        ("ZRANGEBYSCORE", "z", "1e400", "+inf"),
        ("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", -1, 5),
        ("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 0, -5),
        ("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 1, 0),
        ("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 1, 2, "WITHSCORES"),
        ("ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", 1),
        ("ZRANGEBYSCORE", "z", 0, 1, "BYSCORE"),
        ("ZRANGEBYSCORE", "z", 0, 1, "REV"),
        ("ZRANGEBYSCORE", "z", 3, 1),
        ("ZRANGEBYSCORE", "z", "(2", 2),
        ("ZREVRANGEBYSCORE", "z", "+inf", "-inf", "WITHSCORES", "LIMIT", 1, 1),
        ("ZREVRANGEBYSCORE", "z", 3, "(1"),
        ("ZREVRANGEBYSCORE", "z", 1, 3),
        ("ZRANGE", "z", 2, 1, "BYSCORE", "REV"),
        ("ZRANGE", "z", "(1", "+inf", "BYSCORE", "LIMIT", 1, 1, "WITHSCORES"),
        ("ZRANGE", "z", "x", 1, "BYSCORE"),
        ("ZCOUNT", "z", "-inf", "+inf"),
        ("ZCOUNT", "z", "(1", 3),
        ("ZCOUNT", "z", 3, 1),
        ("ZCOUNT", "z", "x", 1),
        ("ZCOUNT", "nokey", 0, 1),
    ],
    "zrange_lex": [
        ("ZADD", "z", 0, "a", 0, "b", 0, "c", 0, "d", 0, "e", 0, ""),
        ("ZRANGEBYLEX", "z", "-", "+"),
        ("ZRANGEBYLEX", "z", "[b", "(d"),
        ("ZRANGEBYLEX", "z", "[", "+"),
        ("ZRANGEBYLEX", "z", "(", "+"),
        ("ZRANGEBYLEX", "z", "a", "b"),
        ("ZRANGEBYLEX", "z", "[a", ""),
        ("ZRANGEBYLEX", "z", "-a", "+"),
        ("ZRANGEBYLEX", "z", "-", "-"),
        ("ZRANGEBYLEX", "z", "+", "-"),
        ("ZRANGEBYLEX", "z", "(c", "[c"),
        ("ZRANGEBYLEX", "z", "-", "+", "LIMIT", -1, 2),
        ("ZRANGEBYLEX", "z", "-", "+", "LIMIT", 1, 2),
        ("ZRANGEBYLEX", "z", "-", "+", "WITHSCORES"),
        ("ZREVRANGEBYLEX", "z", "+", "-"),
        ("ZREVRANGEBYLEX", "z", "(d", "[b"),
        ("ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", 1, 2),
        ("ZRANGE", "z", "[d", "[b", "BYLEX", "REV", "LIMIT", 1, 1),
        ("ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES"),
        ("ZLEXCOUNT", "z", "-", "+"),
        ("ZLEXCOUNT", "z", "(b", "(d"),
        ("ZLEXCOUNT", "z", "a", "+"),
        ("ZLEXCOUNT", "nokey", "-", "+"),
    ],
    "lex_mixed_scores": [
        ("ZADD", "m", 1, "b", 2, "a", 3, "d", 0, "c", 5, "e"),
        ("ZRANGEBYLEX", "m", "-", "+"),
        ("ZRANGEBYLEX", "m", "[b", "+"),
        ("ZRANGEBYLEX", "m", "[c", "+"),
        ("ZRANGEBYLEX", "m", "-", "[c"),
        ("ZRANGEBYLEX", "m", "(a", "(e"),
        ("ZREVRANGEBYLEX", "m", "[d", "-"),
        ("ZREVRANGEBYLEX", "m", "+", "[b"),
        ("ZRANGEBYLEX", "m", "[b", "+", "LIMIT", 1, 10),
        ("ZLEXCOUNT", "m", "[b", "[d"),
        ("ZREMRANGEBYLEX", "m", "[a", "[b"),
        ("ZRANGE", "m", 0, -1, "WITHSCORES"),
    ],
    "zremrange": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e", 6, "f", 7, "g"),
        ("ZREMRANGEBYRANK", "z", "x", 1),
        ("ZREMRANGEBYRANK", "nokey", 0, 1),
        ("ZREMRANGEBYSCORE", "z", "x", 1),
        ("ZREMRANGEBYLEX", "z", "x", 1),
        ("ZREMRANGEBYRANK", "z", 1, 2),
        ("ZREMRANGEBYRANK", "z", -2, -1),
        ("ZREMRANGEBYRANK", "z", 5, 10),
        ("ZRANGE", "z", 0, -1),
        ("ZREMRANGEBYRANK", "z", 0, -1),
        ("EXISTS", "z"),
        ("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d"),
        ("ZREMRANGEBYSCORE", "z", "(1", 3),
        ("ZREMRANGEBYSCORE", "z", 5, 6),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
        ("ZREMRANGEBYSCORE", "z", "-inf", "+inf"),
        ("EXISTS", "z"),
        ("ZADD", "l", 0, "a", 0, "b", 0, "c", 0, "d", 0, "e"),
        ("ZREMRANGEBYLEX", "l", "[b", "(d"),
        ("ZRANGE", "l", 0, -1),
        ("ZREMRANGEBYLEX", "l", "-", "+"),
        ("EXISTS", "l"),
    ],
    "zpop": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("ZPOPMIN", "z", -1),
        ("ZPOPMIN", "z", "x"),
        ("ZPOPMIN", "z", 0),
        ("ZPOPMIN", "z", 1, 2),
        ("ZPOPMAX", "z", 1),
        ("ZPOPMIN", "nokey"),
        ("ZPOPMIN", "nokey", 2),
        ("ZPOPMIN", "z"),
        ("ZPOPMIN", "z", 5),
        ("EXISTS", "z"),
        ("ZADD", "z", 1, "a", 2, "b", 3, "c", 4, "d"),
        ("ZPOPMAX", "z"),
        ("ZPOPMAX", "z", 2),
        ("ZPOPMAX", "z", 9223372036854775807),
        ("EXISTS", "z"),
    ],
    "zmpop": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("SET", "s", "v"),
        ("ZMPOP", 0, "z", "MIN"),
        ("ZMPOP", "x", "z", "MIN"),
        ("ZMPOP", 2, "z", "MIN"),
        ("ZMPOP", 1, "z", "foo"),
        ("ZMPOP", 1, "z", "MIN", "COUNT", 0),
        ("ZMPOP", 1, "z", "MIN", "COUNT", 1, "COUNT", 1),
        ("ZMPOP", 1, "z", "MIN", "COUNT"),
        ("ZMPOP", 2, "nokey", "s", "MIN"),
        ("ZMPOP", 2, "nokey", "z", "MAX", "COUNT", 2),
        ("ZMPOP", 1, "nokey", "MIN"),
        ("ZMPOP", 9223372036854775807, "z", "MIN"),
        ("ZMPOP", 1, "z", "min"),
        ("ZMPOP", 1, "z", "min"),
        ("EXISTS", "z"),
    ],
    "zrandmember": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("ZRANDMEMBER", "z", "x"),
        ("ZRANDMEMBER", "z", -9223372036854775808),
        ("ZRANDMEMBER", "z", 1, "foo"),
        ("ZRANDMEMBER", "z", 1, "WITHSCORES", "x"),
        ("ZRANDMEMBER", "z", 9223372036854775807, "WITHSCORES"),
        ("ZRANDMEMBER", "z", 0),
        ("ZRANDMEMBER", "z", 0, "WITHSCORES"),
        ("ZRANDMEMBER", "nokey", 5),
        ("ZRANDMEMBER", "nokey"),
        ("ZRANDMEMBER", "z", 5, "WITHSCORES"),
        ("ZRANDMEMBER", "z", 3),
        C("ZRANDMEMBER", "z", norm=RANDOM),
        C("ZRANDMEMBER", "z", 2, norm=SHAPE),
        C("ZRANDMEMBER", "z", 2, "WITHSCORES", norm=SHAPE),
        C("ZRANDMEMBER", "z", -5, norm=SHAPE),
        C("ZRANDMEMBER", "z", -5, "WITHSCORES", norm=SHAPE),
        ("ZADD", "one", 7, "x"),
        ("ZRANDMEMBER", "one", -3, "WITHSCORES"),
        ("ZRANDMEMBER", "one"),
    ],
    "setops": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("ZADD", "y", 10, "b", 20, "c", 30, "d"),
        ("SADD", "st", "b", "d", "e"),
        ("ZUNION", 0, "z"),
        ("ZUNION", "x", "z"),
        ("ZUNION", 3, "z", "y"),
        ("ZUNION", 1, "z", "WEIGHTS"),
        ("ZUNION", 1, "z", "WEIGHTS", "x"),
        ("ZUNION", 2, "z", "y", "WEIGHTS", 1, "nan"),
        ("ZUNION", 1, "z", "AGGREGATE", "foo"),
        ("ZUNION", 1, "z", "WITHSCORES", "WITHSCORES"),
        ("ZUNION", 2, "z", "y", "AGGREGATE", "MAX", "WITHSCORES"),
        ("ZUNION", 2, "z", "y", "AGGREGATE", "min", "WITHSCORES", "WEIGHTS", 2, -1),
        ("ZUNION", 3, "z", "y", "st", "WITHSCORES"),
        ("ZINTER", 3, "z", "y", "st", "WITHSCORES"),
        ("ZDIFF", 3, "z", "y", "st", "WITHSCORES"),
        ("ZDIFF", 1, "z", "WEIGHTS", 1),
        ("ZINTER", 2, "z", "y"),
        ("ZUNIONSTORE", "d", 2, "z", "y", "WITHSCORES"),
        ("ZUNIONSTORE", "d", 0, "z"),
        ("ZUNIONSTORE", "d", 1, "nokey"),
        ("ZUNIONSTORE", "d", 2, "z", "y"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("ZINTERSTORE", "d", 2, "z", "y", "WEIGHTS", 1, -1, "AGGREGATE", "MAX"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("ZDIFFSTORE", "d", 2, "y", "z"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("ZDIFFSTORE", "d", 2, "nokey", "z"),
        ("EXISTS", "d"),
        ("ZINTERCARD", 0, "z"),
        ("ZINTERCARD", 2, "z", "y", "LIMIT", -1),
        ("ZINTERCARD", 2, "z", "y", "LIMIT", 0),
        ("ZINTERCARD", 2, "z", "y", "LIMIT", 1),
        ("ZINTERCARD", 3, "z", "y", "st"),
        ("ZINTERCARD", 2, "z", "y", "WITHSCORES"),
        ("ZUNION", 2, "z", "y", "WEIGHTS", "inf", 0, "WITHSCORES"),
        ("ZINTER", 2, "z", "y", "WEIGHTS", 0, "inf", "WITHSCORES"),
        ("ZUNION", 2, "z", "y", "WEIGHTS", "inf", "-inf", "WITHSCORES"),
        (
            "ZINTER",
            2,
            "z",
            "y",
            "WEIGHTS",
            "inf",
            "-inf",
            "AGGREGATE",
            "MIN",
            "WITHSCORES",
        ),
        ("ZADD", "f1", "0.1", "x"),
        ("ZADD", "f2", "0.2", "x"),
        ("ZADD", "f3", "0.3", "x"),
        ("ZUNION", 3, "f3", "f2", "f1", "WITHSCORES"),
        ("ZUNION", 3, "f1", "f2", "f3", "WITHSCORES"),
        ("ZADD", "zero", 0, "a"),
        ("ZUNION", 1, "zero", "WEIGHTS", -1, "WITHSCORES"),
    ],
    "store_overwrites": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("SET", "d", "v", "EX", 1000),
        ("ZRANGESTORE", "d", "nokey", 0, -1),
        ("EXISTS", "d"),
        ("SET", "d", "v", "EX", 1000),
        ("ZRANGESTORE", "d", "z", 0, -1),
        ("TYPE", "d"),
        ("TTL", "d"),
        ("ZRANGESTORE", "d", "z", "(1", "+inf", "BYSCORE"),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("ZRANGESTORE", "d", "z", "+", "-", "BYLEX", "REV", "LIMIT", 0, 1),
        ("ZRANGE", "d", 0, -1, "WITHSCORES"),
        ("ZRANGESTORE", "d", "z", 0, -1, "WITHSCORES"),
        ("ZRANGESTORE", "z", "z", 1, 1),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
        ("HSET", "h", "f", "v"),
        ("ZUNIONSTORE", "h", 1, "z"),
        ("TYPE", "h"),
        ("ZADD", "z", 5, "e"),
        ("EXPIRE", "z", 1000),
        ("ZADD", "z", 6, "f"),
        ("TTL", "z"),
    ],
    "zscan": [
        ("ZADD", "z", 1, "a", 2, "b", 3, "c", "1e17", "d", "0.1", "e", "inf", "g"),
        ("ZSCAN", "z", "x"),
        ("ZSCAN", "nokey", 0, "foo"),
        ("ZSCAN", "z", 0, "foo"),
        ("ZSCAN", "z", 0, "COUNT", 0),
        ("ZSCAN", "z", 0, "COUNT", "x"),
        ("ZSCAN", "z", 0, "TYPE", "zset"),
        ("ZSCAN", "z", 0, "MATCH"),
        ("ZSCAN", "z", 0, "MATCH", "a*"),
        ("ZSCAN", "z", 0, "MATCH", "b", "COUNT", 1),
        ("ZSCAN", "z", 5),
        ("ZSCAN", "z", 0),
    ],
    "encodings": [
        ("ZADD", "big", 1, LONG),
        ("OBJECT", "ENCODING", "big"),
        ("ZADD", "sm", 1, "a"),
        ("OBJECT", "ENCODING", "sm"),
        ("ZADD", "sm", 1, LONG),
        ("OBJECT", "ENCODING", "sm"),
        ("ZREM", "sm", LONG),
        ("OBJECT", "ENCODING", "sm"),
        ("ZUNIONSTORE", "sm2", 1, "sm"),
        ("OBJECT", "ENCODING", "sm2"),
        ("COPY", "sm", "sm3"),
        ("OBJECT", "ENCODING", "sm3"),
        ("ZINCRBY", "zz", 1, LONG),
        ("OBJECT", "ENCODING", "zz"),
    ],
    "binary": [
        ("ZADD", BIN_KEY, 1, b"\x00", 2, b"\xff", 3, b"\r\n", 4, b"", 0, b"a\x00b"),
        ("ZRANGE", BIN_KEY, 0, -1, "WITHSCORES"),
        ("ZRANGEBYLEX", BIN_KEY, "-", "+"),
        ("ZSCORE", BIN_KEY, b"a\x00b"),
        ("ZRANK", BIN_KEY, b"\xff"),
        (
            "ZADD",
            "bin",
            0,
            b"\x00",
            0,
            b"\x00\x00",
            0,
            b"",
            0,
            b"\xff",
            0,
            b"\x7f",
            0,
            b"\x80",
        ),
        ("ZRANGE", "bin", 0, -1),
        ("ZRANGEBYLEX", "bin", b"(\x00", b"[\x7f"),
        ("ZLEXCOUNT", "bin", b"(", b"(\xff"),
        ("ZREM", BIN_KEY, b"\x00", b"\xff"),
        ("ZSCAN", BIN_KEY, 0),
        ("ZUNION", 2, BIN_KEY, "bin", "WITHSCORES"),
    ],
    "expiry": [
        ("ZADD", "z", 1, "a"),
        ("PEXPIRE", "z", 100),
        C("ZCARD", "z", sleep=0.3),
        ("ZSCORE", "z", "a"),
        ("ZADD", "z", 2, "b"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
    ],
    "blocking_at_once": [
        ("SET", "s", "v"),
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("BZPOPMIN", "z", "x"),
        ("BZPOPMIN", "s", 0),
        ("BZPOPMIN", "nokey", "s", 0),
        ("BZPOPMIN", "z", -1),
        ("BZPOPMIN", "z", "inf"),
        ("BZPOPMIN", "nokey", "z", 0),
        ("BZPOPMAX", "z", "0.1"),
        ("BZPOPMIN", "nokey", "0.01"),
        ("BZMPOP", "x", 1, "z", "MIN"),
        ("BZMPOP", "x", 0, "z", "MIN"),
        ("BZMPOP", "0.01", 2, "z", "MIN"),
        ("BZMPOP", "0.01", 1, "z", "MIN", "COUNT", 0),
        ("BZMPOP", -1, 1, "z", "MIN"),
        ("BZMPOP", "0.01", 1, "nokey", "MIN"),
        ("BZMPOP", "0.01", 1, "s", "MIN"),
        ("BZMPOP", 0, 2, "nokey", "z", "MAX", "COUNT", 5),
        ("EXISTS", "z"),
        ("ZADD", "z", 1, "a", 2, "b", 3, "c"),
        ("BZMPOP", 0, 1, "z", "MIN"),
        ("BZPOPMIN", "z", "z", 0),
        ("ZADD", "z2", 5, "x"),
        ("BZPOPMAX", "nokey", "z2", "z", 0),
        ("EXISTS", "z2"),
    ],
    "wrong_arity": [
        ("ZADD", "z", 1),
        ("ZADD", "z", "NX"),
        ("ZREM", "z"),
        ("ZSCORE", "z"),
        ("ZCARD",),
        ("ZCOUNT", "z", 1),
        ("ZRANGE", "z", 0),
        ("ZRANGESTORE", "d", "z", 0),
        ("ZPOPMIN",),
        ("ZMPOP", 1, "z"),
        ("ZRANDMEMBER",),
        ("ZUNION", 1),
        ("ZUNIONSTORE", "d", 1),
        ("ZINTERCARD", 1),
        ("ZSCAN", "z"),
        ("ZRANK", "z"),
        ("ZREMRANGEBYRANK", "z", 0),
        ("BZPOPMIN", "z"),
        ("BZMPOP", 0, 1, "z"),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_zsets(targets, steps, level):
    check(targets, level, steps)


def _big_set_steps():
    """A set past the listpack limits (a skiplist in Redis): ranks, ranges, removals."""
    members = [f"m{i:03d}" for i in range(300)]
    steps = [
        ("ZADD", "z", *[x for i, m in enumerate(members) for x in ((i * 7) % 50, m)])
    ]
    steps += [("OBJECT", "ENCODING", "z"), ("ZCARD", "z")]
    steps += [("ZRANK", "z", m) for m in members[::37]]
    steps += [("ZREVRANK", "z", m) for m in members[::41]]
    steps += [
        ("ZRANGE", "z", 100, 110, "WITHSCORES"),
        ("ZRANGE", "z", -10, -1),
        ("ZREVRANGE", "z", 5, 15),
        ("ZRANGEBYSCORE", "z", 10, "(12", "LIMIT", 3, 5),
        ("ZREVRANGEBYSCORE", "z", 40, 30, "WITHSCORES", "LIMIT", 2, 4),
        ("ZCOUNT", "z", "(10", 20),
        ("ZREMRANGEBYRANK", "z", 250, 260),
        ("ZREMRANGEBYSCORE", "z", 45, "+inf"),
        ("ZCARD", "z"),
        ("ZPOPMIN", "z", 3),
        ("ZPOPMAX", "z", 3),
        ("ZRANGESTORE", "d", "z", 0, 129),
        ("OBJECT", "ENCODING", "d"),
        ("ZRANGESTORE", "d", "z", 0, 99),
        ("OBJECT", "ENCODING", "d"),
        ("ZRANGE", "z", 0, -1, "WITHSCORES"),
    ]
    return steps


@pytest.mark.parametrize("level", ["raw", "py2"])
def test_zsets_big(targets, level):
    check(targets, level, _big_set_steps())


# -- blocking pops woken by other clients ------------------------------------------------


@pytest.fixture
def client_makers(
    redis_server, redlite_server, tmp_path
) -> dict[str, Callable[[], Any]]:
    """New clients of each target: real Redis, redlite-server, and embedded redlite
    (every embedded client on one file shares its engine, as clients of one server do)."""
    path = str(tmp_path / "blocking.db")
    return {
        "real": lambda: redis.Redis(port=redis_server.port),
        "server": lambda: redis.Redis(port=redlite_server.port),
        "embedded": lambda: redlite.Redis(path),
    }


def _scenario(
    make: Callable[[], Any], waiters: list[tuple], writes: list[tuple]
) -> list[Any]:
    """Start each waiter (a blocking command on its own client) in turn, a little apart
    so that they queue in that order; then run the writes, a little apart; return every
    waiter's result and every write's."""
    main = make()
    main.flushall()
    results: list[Any] = [None] * len(waiters)

    def wait(i: int, argv: tuple) -> None:
        c = make()
        try:
            results[i] = c.execute_command(*argv)
        except redis.RedisError as e:
            results[i] = ("EXC", str(e))
        finally:
            c.close()

    threads = []
    for i, argv in enumerate(waiters):
        t = threading.Thread(target=wait, args=(i, argv))
        t.start()
        threads.append(t)
        time.sleep(0.2)
    written = []
    for argv in writes:
        written.append(main.execute_command(*argv))
        time.sleep(0.2)
    for t in threads:
        t.join(30)
        assert not t.is_alive(), "a waiter never returned"
    written.append(main.execute_command("ZRANGE", "k", 0, -1, "WITHSCORES"))
    main.close()
    return results + written


BLOCKING_SCENARIOS = {
    "woken_by_zadd": ([("BZPOPMIN", "k", 0)], [("ZADD", "k", 2, "b", 1, "a")]),
    "first_come_first_served": (
        [
            ("BZPOPMIN", "k", 0),
            ("BZPOPMAX", "k", "other", 0),
            ("BZMPOP", 0, 1, "k", "MIN", "COUNT", 5),
        ],
        [("ZADD", "k", 1, "x"), ("ZADD", "k", 1, "a", 2, "b", 3, "c")],
    ),
    "woken_by_stores": (
        [("BZPOPMIN", "k", 0), ("BZMPOP", 0, 2, "j", "k", "MAX", "COUNT", 2)],
        [
            ("ZADD", "src", 1, "a", 2, "b", 3, "c"),
            ("ZUNIONSTORE", "k", 1, "src"),
            ("ZRANGESTORE", "k", "src", 0, 1),
        ],
    ),
    "woken_by_zincrby": ([("BZPOPMAX", "k", 0)], [("ZINCRBY", "k", "2.5", "m")]),
    "not_woken_without_members": (
        [("BZPOPMIN", "k", "0.6")],
        [("ZADD", "k", "XX", 1, "a"), ("ZUNIONSTORE", "k", 1, "nokey")],
    ),
    "timeout": ([("BZPOPMIN", "k", "0.1"), ("BZMPOP", "0.1", 1, "k", "MAX")], []),
}


@pytest.mark.parametrize("name", list(BLOCKING_SCENARIOS))
def test_blocking_pops_woken(client_makers, name):
    waiters, writes = BLOCKING_SCENARIOS[name]
    got = {
        target: _scenario(make, waiters, writes)
        for target, make in client_makers.items()
    }
    assert got["server"] == got["real"]
    assert got["embedded"] == got["real"]
