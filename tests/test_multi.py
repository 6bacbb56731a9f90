"""Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH, RESET.

- Differential cases (raw RESP2, redis-py RESP2, redis-py default protocol) against
  real Redis, redlite-server and embedded redlite: replies, queue-time errors
  (EXECABORT), runtime errors inside EXEC, WATCH after a write by every write family,
  expiry, FLUSHDB, SWAPDB, DEL + re-create.
- RESP3's null EXEC reply after a WATCH abort, on raw sockets.
- redis-py pipelines (transaction=True) and ``Redis.transaction`` on redlite.Redis
  and redlite-server, beside real Redis: results and exceptions alike.
- WATCH races: threads and a second process incrementing one counter through
  optimistic transactions never lose an increment; a reader never sees part of EXEC.
- Clients killed in the middle of MULTI and of a pipeline: the server answers on,
  nothing queued is applied, and what a cut pipeline applied is a prefix.
- redis-cli transcripts compared with real Redis's, and redis-benchmark's default
  test set run against redlite-server.
- A Hypothesis property test mixing MULTI/EXEC/DISCARD/WATCH with commands.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any, Callable

import pytest
import redis
import redlite
from differential import (
    SHAPE,
    UNORDERED,
    C,
    Norm,
    RawClient,
    as_cmd,
    cases_params,
    check,
)

ROOT = Path(__file__).resolve().parent.parent

EXECABORT = "EXECABORT Transaction discarded because of previous errors."


def watched(setup: list[Any], write: Any, key: str = "k") -> list[Any]:
    """Steps: set up, WATCH key, one write, then MULTI; PING; EXEC (aborted if the
    write touched the key), then the key's type, so the write's effect is compared too."""
    return [
        *setup,
        ("WATCH", key),
        write,
        ("MULTI",),
        ("PING",),
        ("EXEC",),
        ("TYPE", key),
        ("UNWATCH",),
    ]


def family(setup: list[Any], writes: list[Any], key: str = "k") -> list[Any]:
    """Each write after a fresh setup of the key, as one case."""
    steps: list[Any] = []
    for w in writes:
        steps += [("DEL", key, "k2", "dst"), *watched(setup, w, key)]
    return steps


STRING_SETUP = [("SET", "k", "10")]
LIST_SETUP = [("RPUSH", "k", "a", "b", "c")]
HASH_SETUP = [("HSET", "k", "f", "1", "g", "2")]
SET_SETUP = [("SADD", "k", "a", "b", "c")]
ZSET_SETUP = [("ZADD", "k", 1, "a", 2, "b", 3, "c")]
STREAM_SETUP = [
    ("XADD", "k", "1-1", "f", "v"),
    ("XADD", "k", "2-1", "f", "v"),
    ("XGROUP", "CREATE", "k", "g", "0"),
]

CASES: dict[str, list[Any]] = {
    "basics": [
        ("EXEC",),
        ("DISCARD",),
        ("MULTI",),
        ("MULTI",),
        ("WATCH", "x"),
        ("SET", "a", "1"),
        ("INCR", "a"),
        ("LPUSH", "a", "x"),
        ("GET", "a"),
        ("PING",),
        ("ECHO", "hi"),
        ("GET", "nokey"),
        ("EXEC",),
        ("EXEC",),
        ("MULTI",),
        ("EXEC",),
        ("MULTI",),
        ("SET", "a", "3"),
        ("DISCARD",),
        ("GET", "a"),
        ("DISCARD",),
    ],
    "queue_errors": [
        ("MULTI",),
        ("SET", "a", "1"),
        ("SET", "a"),
        ("EXEC",),
        ("GET", "a"),
        ("MULTI",),
        ("NOSUCHCOMMAND", "x"),
        ("SET", "a", "1"),
        ("EXEC",),
        ("MULTI",),
        ("COMMAND", "NOSUCH"),
        ("EXEC",),
        ("MULTI",),
        ("COMMAND", "COUNT", "extra"),
        ("EXEC",),
        ("MULTI",),
        ("OBJECT", "ENCODING"),
        ("DISCARD",),
        ("GET", "a"),
        # Nested MULTI and WATCH inside MULTI do not doom the transaction.
        ("MULTI",),
        ("MULTI",),
        ("WATCH", "a"),
        ("SET", "a", "2"),
        ("EXEC",),
        ("GET", "a"),
    ],
    "runtime_errors": [
        ("SET", "s", "x"),
        ("MULTI",),
        ("INCR", "n"),
        ("INCR", "s"),
        ("LPUSH", "s", "v"),
        ("RENAME", "nokey", "x"),
        ("SET", "a", "1", "EX", "0"),
        ("INCR", "n"),
        ("MGET", "n", "s"),
        ("EXEC",),
        ("GET", "n"),
        ("TYPE", "s"),
        ("EXISTS", "a"),
    ],
    "select_and_blocking_inside_multi": [
        ("MULTI",),
        ("SELECT", 1),
        ("SET", "k", "v"),
        ("BLPOP", "l", 0),
        ("BRPOP", "l", "m", 0),
        ("BRPOPLPUSH", "l", "m", 0),
        ("BLMOVE", "l", "m", "LEFT", "RIGHT", 0),
        ("BZPOPMIN", "z", 0),
        ("BLMPOP", 0, 1, "l", "LEFT"),
        ("XREAD", "BLOCK", 0, "STREAMS", "s", "$"),
        ("SELECT", 99),
        ("EXEC",),
        ("GET", "k"),
        ("SELECT", 0),
        ("GET", "k"),
        ("MULTI",),
        ("RPUSH", "l", "a", "b"),
        ("BLPOP", "l", 0),
        ("EXEC",),
    ],
    "watch_basics": [
        ("SET", "a", "1"),
        ("WATCH", "a"),
        ("MULTI",),
        ("INCR", "a"),
        ("EXEC",),
        ("WATCH", "a", "b", "a"),
        ("SET", "a", "5"),
        ("MULTI",),
        ("INCR", "a"),
        ("EXEC",),
        ("GET", "a"),
        ("WATCH", "a"),
        ("UNWATCH",),
        ("SET", "a", "6"),
        ("MULTI",),
        ("INCR", "a"),
        ("EXEC",),
        ("WATCH", "a"),
        ("MULTI",),
        ("DISCARD",),
        ("SET", "a", "1"),
        ("MULTI",),
        ("EXEC",),
        # EXEC without MULTI keeps the watch.
        ("WATCH", "a"),
        ("EXEC",),
        ("SET", "a", "2"),
        ("MULTI",),
        ("EXEC",),
        # An EXECABORT unwatches.
        ("WATCH", "a"),
        ("MULTI",),
        ("SET", "a"),
        ("EXEC",),
        ("MULTI",),
        ("EXEC",),
        # Reads, and writes to other keys, do not abort.
        ("WATCH", "a"),
        ("GET", "a"),
        ("EXISTS", "a"),
        ("TTL", "a"),
        ("SET", "b", "1"),
        ("MULTI",),
        ("GET", "a"),
        ("EXEC",),
        ("WATCH",),
        ("UNWATCH", "x"),
        ("WATCH", "a"),
        ("MULTI",),
        ("UNWATCH",),
        ("EXEC",),
    ],
    "watch_same_value_delete_recreate": watched([("SET", "k", "v")], ("SET", "k", "v"))
    + watched([("SET", "k", "v")], ("DEL", "k"))
    + [
        ("SET", "k", "v"),
        ("WATCH", "k"),
        ("DEL", "k"),
        ("SET", "k", "v"),
        ("MULTI",),
        ("EXEC",),
    ]
    + watched([], ("DEL", "k"))
    + watched([], ("SET", "other", "1"))
    # Absent at WATCH and at EXEC, present in between.
    + [("WATCH", "k"), ("SET", "k", "1"), ("DEL", "k"), ("MULTI",), ("EXEC",)]
    + [
        ("WATCH", "k"),
        ("SET", "x", "1"),
        ("RENAME", "x", "k"),
        ("DEL", "k"),
        ("MULTI",),
        ("EXEC",),
    ]
    + [
        ("WATCH", "k"),
        ("SELECT", 1),
        ("SET", "k", "1"),
        ("SELECT", 0),
        ("SWAPDB", 0, 1),
        ("SWAPDB", 0, 1),
        ("MULTI",),
        ("EXEC",),
    ]
    + [
        ("WATCH", "k"),
        ("SELECT", 1),
        ("SET", "k", "1"),
        ("DEL", "k"),
        ("SELECT", 0),
        ("MULTI",),
        ("EXEC",),
    ]
    + [("WATCH", "k"), ("SET", "k", "1", "PX", 1), C("MULTI", sleep=0.05), ("EXEC",)],
    "watch_flush_swap_move": watched([("SET", "k", "v")], ("FLUSHDB",))
    + watched([], ("FLUSHDB",))
    + watched([("SET", "k", "v")], ("FLUSHALL",))
    + watched([("SET", "k", "v")], ("SWAPDB", 1, 2))
    + watched([], ("SWAPDB", 0, 1))
    + watched([], ("SWAPDB", 0, 1))
    + watched([("SET", "k", "v")], ("SWAPDB", 0, 0))
    + watched([("SET", "k", "v")], ("MOVE", "k", 3))
    + [
        ("SELECT", 3),
        ("WATCH", "k"),
        ("SELECT", 0),
        ("SET", "k", "x"),
        ("MULTI",),
        ("EXEC",),
    ]
    + [
        ("SELECT", 3),
        ("WATCH", "k"),
        ("SELECT", 0),
        ("DEL", "k"),
        ("SELECT", 3),
        ("MULTI",),
        ("EXEC",),
        ("SELECT", 0),
    ],
    "watch_expiry": [
        ("SET", "k", "v", "PX", 100),
        ("WATCH", "k"),
        C("MULTI", sleep=0.25),
        ("GET", "k"),
        ("EXEC",),
        ("SET", "k", "v", "PX", 50),
        C("WATCH", "k", sleep=0.15),
        ("MULTI",),
        ("GET", "k"),
        ("EXEC",),
        ("SET", "k", "v", "PX", 50),
        C("WATCH", "k", sleep=0.15),
        ("SET", "k", "w"),
        ("MULTI",),
        ("GET", "k"),
        ("EXEC",),
    ],
    "watch_strings": family(
        STRING_SETUP,
        [
            ("SET", "k", "11"),
            ("SET", "k", "1", "NX"),
            ("SET", "k", "1", "XX"),
            ("SET", "k", "10", "KEEPTTL"),
            ("SETNX", "k", "1"),
            ("APPEND", "k", "x"),
            ("APPEND", "k", ""),
            ("INCR", "k"),
            ("DECRBY", "k", 0),
            ("INCRBYFLOAT", "k", "0.5"),
            ("DECR", "k"),
            ("INCRBY", "k", 0),
            ("SETRANGE", "k", 0, "x"),
            ("SETRANGE", "k", 0, ""),
            ("GETDEL", "k"),
            ("GETEX", "k", "EX", 100),
            ("GETEX", "k"),
            ("GETEX", "k", "PERSIST"),
            ("GETSET", "k", "x"),
            ("SETEX", "k", 100, "v"),
            ("PSETEX", "k", 100000, "v"),
            ("MSET", "k", "1"),
            ("MSETNX", "k", "1"),
            ("SETBIT", "k", 1, 1),
            ("SETBIT", "k", 2, 1),
            ("BITOP", "NOT", "k", "k"),
            ("BITFIELD", "k", "SET", "u8", 0, 1),
            ("BITFIELD", "k", "GET", "u8", 0),
            ("GET", "k"),
            ("STRLEN", "k"),
            ("LCS", "k", "k"),
        ],
    ),
    "watch_keys": family(
        STRING_SETUP,
        [
            ("DEL", "k"),
            ("DEL", "k2"),
            ("UNLINK", "k"),
            ("EXPIRE", "k", 100),
            ("EXPIRE", "k", 100, "XX"),
            ("PEXPIRE", "k", 100000),
            ("EXPIREAT", "k", 4000000000),
            ("PEXPIREAT", "k", 4000000000000),
            ("EXPIRE", "k", -1),
            ("PERSIST", "k"),
            ("RENAME", "k", "k2"),
            ("RENAMENX", "k", "k2"),
            ("RENAME", "k", "k"),
            ("MOVE", "k", 1),
            ("COPY", "k", "k2"),
            ("TOUCH", "k"),
            ("OBJECT", "ENCODING", "k"),
            ("SORT", "k", "STORE", "dst"),
        ],
    )
    + family(
        [("SET", "k2", "x")],
        [
            ("RENAME", "k2", "k"),
            ("COPY", "k2", "k"),
            ("COPY", "k2", "k", "REPLACE"),
            ("RENAMENX", "k2", "k"),
        ],
    )
    + family(
        [("SET", "k", "1"), ("EXPIRE", "k", 1000)],
        [
            ("PERSIST", "k"),
            ("EXPIRE", "k", 1000, "NX"),
            ("EXPIRE", "k", 5000, "GT"),
            ("EXPIRE", "k", 5, "GT"),
        ],
    )
    + family(
        [("RPUSH", "k", "3", "1", "2")], [("SORT", "k", "STORE", "k"), ("SORT", "k")]
    ),
    "watch_lists": family(
        LIST_SETUP,
        [
            ("LPUSH", "k", "x"),
            ("RPUSH", "k", "x"),
            ("LPUSHX", "k", "x"),
            ("RPUSHX", "k2", "x"),
            ("LPOP", "k"),
            ("RPOP", "k", 3),
            ("LSET", "k", 0, "a"),
            ("LINSERT", "k", "BEFORE", "b", "x"),
            ("LINSERT", "k", "BEFORE", "zz", "x"),
            ("LREM", "k", 0, "b"),
            ("LREM", "k", 0, "zz"),
            ("LTRIM", "k", 0, -1),
            ("LTRIM", "k", 1, 1),
            ("LMOVE", "k", "k2", "LEFT", "RIGHT"),
            ("LMOVE", "k2", "k", "LEFT", "RIGHT"),
            ("LMOVE", "k", "k", "LEFT", "RIGHT"),
            ("RPOPLPUSH", "k", "dst"),
            ("LMPOP", 1, "k", "LEFT"),
            ("BLPOP", "k", 0),
            ("BRPOP", "k", 0),
            ("BLMOVE", "k", "k2", "LEFT", "LEFT", 0),
            ("BRPOPLPUSH", "k", "k2", 0),
            ("BLMPOP", 0, 1, "k", "RIGHT"),
            ("BLMOVE", "k2", "k", "LEFT", "LEFT", "0.01"),
            ("LPOS", "k", "a"),
            ("LRANGE", "k", 0, -1),
        ],
    ),
    "watch_hashes": family(
        HASH_SETUP,
        [
            ("HSET", "k", "f", "1"),
            ("HSET", "k", "h", "3"),
            ("HSETNX", "k", "f", "9"),
            ("HSETNX", "k", "z", "9"),
            ("HDEL", "k", "f"),
            ("HDEL", "k", "nope"),
            ("HINCRBY", "k", "f", 0),
            ("HINCRBYFLOAT", "k", "f", "1.5"),
            ("HMSET", "k", "f", "1"),
            ("HGET", "k", "f"),
            ("HGETALL", "k"),
        ],
    ),
    "watch_sets": family(
        SET_SETUP,
        [
            ("SADD", "k", "a"),
            ("SADD", "k", "d"),
            ("SREM", "k", "a"),
            ("SREM", "k", "zz"),
            C("SPOP", "k", norm=SHAPE),
            ("SPOP", "k", 0),
            ("SMOVE", "k", "k2", "a"),
            ("SMOVE", "k", "k2", "zz"),
            ("SMOVE", "k2", "k", "zz"),
            ("SINTERSTORE", "k", "k"),
            ("SUNIONSTORE", "k", "k2"),
            ("SDIFFSTORE", "k", "k2", "k"),
            ("SINTERSTORE", "k2", "k"),
            C("SMEMBERS", "k", norm=UNORDERED),
            ("SISMEMBER", "k", "a"),
        ],
    ),
    "watch_zsets": family(
        ZSET_SETUP,
        [
            ("ZADD", "k", 1, "a"),
            ("ZADD", "k", 5, "a"),
            ("ZADD", "k", "XX", 1, "zz"),
            ("ZADD", "k", "NX", 9, "a"),
            ("ZINCRBY", "k", 0, "a"),
            ("ZREM", "k", "a"),
            ("ZREM", "k", "zz"),
            ("ZPOPMIN", "k"),
            ("ZPOPMAX", "k", 0),
            ("ZREMRANGEBYSCORE", "k", 10, 20),
            ("ZREMRANGEBYRANK", "k", 0, 0),
            ("ZREMRANGEBYLEX", "k", "[x", "[y"),
            ("ZRANGESTORE", "k", "k", 0, -1),
            ("ZUNIONSTORE", "k", 1, "k"),
            ("ZINTERSTORE", "k2", 1, "k"),
            ("ZDIFFSTORE", "k", 1, "k2"),
            ("ZMPOP", 1, "k", "MIN"),
            ("BZPOPMIN", "k", 0),
            ("BZPOPMAX", "k", 0),
            ("BZMPOP", 0, 1, "k", "MAX"),
            ("ZSCORE", "k", "a"),
        ],
    ),
    "watch_geo": family(
        [("GEOADD", "k", 13.361389, 38.115556, "a", 15.087269, 37.502669, "b")],
        [
            ("GEOADD", "k", 13.361389, 38.115556, "c"),
            ("GEOADD", "k", 13.361389, 38.115556, "a"),
            ("GEOADD", "k", "XX", 1, 1, "zz"),
            ("GEOADD", "k", 1, 100, "zz"),
            ("GEORADIUS", "k", 15, 37, 200, "km", "STORE", "k"),
            ("GEORADIUS", "k", 15, 37, 1, "km", "STORE", "k"),
            ("GEORADIUS", "k", 15, 37, 200, "km"),
            ("GEORADIUSBYMEMBER", "k", "a", 500, "km", "STOREDIST", "k"),
            ("GEORADIUSBYMEMBER", "k2", "a", 500, "km", "STORE", "k"),
            ("GEOSEARCHSTORE", "k", "k", "FROMMEMBER", "a", "BYRADIUS", 10, "km"),
            ("GEOSEARCHSTORE", "k2", "k", "FROMMEMBER", "a", "BYRADIUS", 10, "km"),
            ("GEOSEARCH", "k", "FROMMEMBER", "a", "BYRADIUS", 10, "km"),
        ],
    ),
    "watch_hll": family(
        [("PFADD", "k", "a", "b", "c")],
        [
            ("PFADD", "k", "d"),
            ("PFADD", "k", "a"),
            ("PFADD", "k2", "x"),
            ("PFCOUNT", "k"),
            ("PFMERGE", "k", "k2"),
            ("PFMERGE", "k2", "k"),
            ("PFDEBUG", "TODENSE", "k"),
            ("PFDEBUG", "GETREG", "k"),
        ],
    ),
    "watch_streams": family(
        STREAM_SETUP,
        [
            C("XADD", "k", "*", "f", "v", norm=SHAPE),
            ("XDEL", "k", "1-1"),
            ("XDEL", "k", "9-9"),
            ("XTRIM", "k", "MAXLEN", 1),
            ("XTRIM", "k", "MAXLEN", 10),
            ("XSETID", "k", "5-5"),
            ("XGROUP", "CREATE", "k", "g2", "$"),
            ("XGROUP", "SETID", "k", "g", "$"),
            ("XGROUP", "DESTROY", "k", "g"),
            ("XGROUP", "CREATECONSUMER", "k", "g", "c"),
            ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">"),
            ("XLEN", "k"),
            ("XRANGE", "k", "-", "+"),
        ],
    )
    + family(
        STREAM_SETUP + [("XREADGROUP", "GROUP", "g", "c", "STREAMS", "k", ">")],
        [
            ("XACK", "k", "g", "1-1"),
            ("XACK", "k", "g", "7-7"),
            ("XCLAIM", "k", "g", "d", 0, "1-1"),
            ("XAUTOCLAIM", "k", "g", "d", 0, "0"),
            ("XGROUP", "DELCONSUMER", "k", "g", "c"),
            ("XPENDING", "k", "g"),
        ],
    ),
    "scripts_inside_multi": [
        ("MULTI",),
        ("EVAL", "return redis.call('INCR', KEYS[1])", 1, "n"),
        ("EVAL", "return redis.call('LPUSH', KEYS[1], 'x')", 1, "n"),
        ("EVAL", "return redis.pcall('LPUSH', KEYS[1], 'x')", 1, "n"),
        ("EVALSHA", "0" * 40, 0),
        ("SCRIPT", "EXISTS", "0" * 40),
        ("EVAL", "return 1"),
        ("EXEC",),
        ("GET", "n"),
    ],
    "reset": [
        ("SELECT", 2),
        ("SET", "k", "v"),
        ("WATCH", "k"),
        ("MULTI",),
        ("SET", "k", "w"),
        ("RESET",),
        ("EXEC",),
        ("GET", "k"),
        ("SELECT", 2),
        ("GET", "k"),
        ("MULTI",),
        ("RESET", "x"),
        ("EXEC",),
        ("MULTI",),
        ("RESET",),
        ("RESET",),
    ],
}


class _Errors(Norm):
    """Exact, with exceptions inside results (redis-py's EXEC list holds the error of
    a failed command as an exception object) compared by class and message."""

    name = "exact, errors by text"

    def key(self, v: Any) -> Any:
        if isinstance(v, BaseException):
            return ("exception", type(v).__name__, str(v))
        if isinstance(v, list):
            return [self.key(x) for x in v]
        if isinstance(v, tuple):
            return tuple(self.key(x) for x in v)
        if isinstance(v, dict):
            return {k: self.key(x) for k, x in v.items()}
        return v

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


ERRORS = _Errors()


def _exec_norm(steps: list[Any]) -> list[Any]:
    out = []
    for step in steps:
        cmd = as_cmd(step)
        if cmd.norm is None and str(cmd.argv[0]).upper() == "EXEC":
            cmd = C(*cmd.argv, norm=ERRORS, sleep=cmd.sleep)
        out.append(cmd)
    return out


# Write commands the watch_* cases leave out, and why.
NOT_IN_WATCH_CASES = {
    "restore": "needs a DUMP payload of the target itself: tests/multi.rs covers it",
    "function|delete": "not a key write",
    "function|flush": "not a key write",
    "function|load": "not a key write",
    "function|restore": "not a key write",
}


def test_every_write_command_is_checked_after_watch():
    """Every command of the table flagged `write` appears in a watch_* case (which
    compares whether EXEC aborts after it with Redis), so a new write command whose
    writes WATCH does not see cannot slip in unnoticed."""
    from redlite import _native

    kind, entries = _native.Session(_native.Db()).run([b"COMMAND"]).tree()
    assert kind == "array"
    writes = set()
    for _, entry in entries:
        if any(f == b"write" for _, f in entry[2][1]):
            writes.add(entry[0][1].decode())
        subs = entry[9][1] if entry[9][0] == "array" else []
        for _, sub in subs:
            if any(f == b"write" for _, f in sub[2][1]):
                writes.add(sub[0][1].decode())
    covered = set()
    for name, steps in CASES.items():
        if name.startswith("watch"):
            for step in steps:
                argv = [str(a).lower() for a in as_cmd(step).argv]
                covered.add(argv[0])
                if len(argv) > 1:
                    covered.add(f"{argv[0]}|{argv[1]}")
    missing = sorted(writes - covered - set(NOT_IN_WATCH_CASES))
    assert not missing, f"write commands no watch_* case runs: {missing}"


@pytest.mark.parametrize(
    "steps,level", cases_params({k: _exec_norm(v) for k, v in CASES.items()})
)
def test_differential(targets, steps, level):
    check(targets, level, steps)


# -- RESP3 ------------------------------------------------------------------------------


def _resp3_transcript(port: int) -> list[Any]:
    c = RawClient(port)
    other = RawClient(port)
    try:
        out = [c.execute(["HELLO", "3"])[0]]
        for argv in (
            ["SET", "k", "1"],
            ["WATCH", "k"],
            ["MULTI"],
            ["INCR", "k"],
            ["EXEC"],
            ["WATCH", "k"],
        ):
            out.append(c.execute(argv))
        out.append(other.execute(["SET", "k", "5"]))
        for argv in (
            ["MULTI"],
            ["INCR", "k"],
            ["EXEC"],
            ["MULTI"],
            ["GET", "k"],
            ["HSET", "h", "f", "v"],
            ["HGETALL", "h"],
            ["ZADD", "z", "1.5", "m"],
            ["ZSCORE", "z", "m"],
            ["EXEC"],
            ["MULTI"],
            ["SET", "k"],
            ["EXEC"],
        ):
            out.append(c.execute(argv))
        return out
    finally:
        c.close()
        other.close()


def test_resp3_exec_replies(redis_server, redlite_server):
    """RESP3: a WATCH abort is `_` (null), EXEC's array holds RESP3 types."""
    for port in (redis_server.port, redlite_server.port):
        RawClient(port).execute(["FLUSHALL"])
    want = _resp3_transcript(redis_server.port)
    assert ("nil", None) in want
    assert _resp3_transcript(redlite_server.port) == want


def test_resp2_null_array_on_abort_raw(redis_server, redlite_server):
    """RESP2: a WATCH abort is exactly `*-1`."""
    for port in (redis_server.port, redlite_server.port):
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(
                b"FLUSHALL\r\nSET k 1\r\nWATCH k\r\nSET k 2\r\nMULTI\r\nGET k\r\nEXEC\r\n"
            )
            want = b"+OK\r\n+OK\r\n+OK\r\n+OK\r\n+OK\r\n+QUEUED\r\n*-1\r\n"
            got = b""
            while len(got) < len(want):
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            assert got == want, port


# -- redis-py pipelines and transactions --------------------------------------------------


def _outcome(fn: Callable[[], Any]) -> Any:
    """What `fn` returns, or the class and message of what it raises; exceptions inside
    results (raise_on_error=False) by class and message too."""
    try:
        return ERRORS.key(fn())
    except redis.RedisError as e:
        return ("raised", type(e).__name__, str(e))


def _pipeline_scenarios(r: redis.Redis, other: redis.Redis) -> list[Any]:
    out: list[Any] = []

    def tx() -> Any:
        return r.pipeline(transaction=True)

    out.append(
        _outcome(
            lambda: (
                tx()
                .set("a", 1)
                .incr("a")
                .lpush("a", "x")
                .get("a")
                .execute(raise_on_error=False)
            )
        )
    )
    out.append(
        _outcome(lambda: tx().set("a", 1).incr("a").lpush("a", "x").get("a").execute())
    )
    # A queue-time error: EXECABORT, which redis-py reports as the first error.
    out.append(
        _outcome(
            lambda: tx().set("b", 1).execute_command("SET", "b").get("b").execute()
        )
    )
    out.append(
        _outcome(lambda: tx().set("b", 1).execute_command("NOSUCH", "b").execute())
    )
    out.append(_outcome(lambda: r.get("b")))
    out.append(_outcome(lambda: tx().execute()))
    out.append(
        _outcome(
            lambda: (
                r.pipeline(transaction=False)
                .set("c", 1)
                .incr("c")
                .lpush("c", 1)
                .get("c")
                .execute(raise_on_error=False)
            )
        )
    )

    # WATCH: a write by another client makes execute() raise WatchError.
    def watch_error() -> Any:
        with r.pipeline() as pipe:
            pipe.watch("w")
            before = pipe.get("w")  # immediate mode after WATCH
            other.set("w", "changed")
            pipe.multi()
            pipe.set("w", "mine")
            try:
                return [before, pipe.execute()]
            except redis.WatchError as e:
                return [before, ("WatchError", str(e)), other.get("w")]

    out.append(_outcome(watch_error))

    # A key absent at WATCH, created and deleted again by another client.
    def born_and_gone() -> Any:
        with r.pipeline() as pipe:
            pipe.watch("fresh")
            other.set("fresh", 1)
            other.delete("fresh")
            pipe.multi()
            pipe.get("fresh")
            try:
                return pipe.execute()
            except redis.WatchError as e:
                return ("WatchError", str(e))

    out.append(_outcome(born_and_gone))

    # Redis.transaction retries until no watched key changed in between.
    calls = []

    def incr_twice(pipe: Any) -> None:
        value = int(pipe.get("n") or 0)
        calls.append(value)
        if len(calls) == 1:
            other.incr("n")  # the first attempt loses the race
        pipe.multi()
        pipe.set("n", value + 1)
        pipe.get("n")

    r.set("n", 10)
    out.append(_outcome(lambda: r.transaction(incr_twice, "n")))
    out.append(calls)
    out.append(_outcome(lambda: r.get("n")))

    # value_from_callable and a watched key deleted and re-created.
    def recreate(pipe: Any) -> Any:
        if not calls or calls[-1] != "recreated":
            calls.append("recreated")
            other.delete("n")
            other.set("n", "12")
        pipe.multi()
        pipe.get("n")
        return "done"

    out.append(_outcome(lambda: r.transaction(recreate, "n", value_from_callable=True)))
    out.append(_outcome(lambda: r.execute_command("EXEC")))
    out.append(_outcome(lambda: r.execute_command("DISCARD")))
    return out


@pytest.mark.parametrize("protocol", [2, 3])
def test_pipelines_and_transactions_as_redis(
    redis_server, redlite_server, tmp_path, protocol
):
    real = redis.Redis(port=redis_server.port, protocol=protocol)
    real_other = redis.Redis(port=redis_server.port)
    real.flushall()
    want = _pipeline_scenarios(real, real_other)
    served = redis.Redis(port=redlite_server.port, protocol=protocol)
    served_other = redis.Redis(port=redlite_server.port)
    served.flushall()
    assert _pipeline_scenarios(served, served_other) == want
    path = str(tmp_path / "pipe.db")
    embedded = redlite.Redis(path, protocol=protocol)
    assert _pipeline_scenarios(embedded, redlite.Redis(path)) == want


def test_embedded_exceptions_are_redis_py_classes(tmp_path):
    r = redlite.Redis(str(tmp_path / "exc.db"))
    pipe = r.pipeline()
    pipe.watch("k")
    r.set("k", 1)
    pipe.multi()
    pipe.get("k")
    with pytest.raises(redis.WatchError):
        pipe.execute()
    with pytest.raises(redis.ResponseError, match="wrong number of arguments"):
        r.pipeline().execute_command("SET", "x").execute()
    with pytest.raises(redis.ResponseError, match="EXEC without MULTI"):
        r.execute_command("EXEC")


# -- races ----------------------------------------------------------------------------------


def _incr_by_transaction(r: redis.Redis, key: str, times: int) -> int:
    """Increment `key` `times` times through WATCH/MULTI/EXEC; the number of retries."""
    retries = 0
    for _ in range(times):
        while True:
            with r.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    value = int(pipe.get(key) or 0)
                    pipe.multi()
                    pipe.set(key, value + 1)
                    pipe.execute()
                    break
                except redis.WatchError:
                    retries += 1
    return retries


def _race(make: Callable[[], redis.Redis], threads: int = 4, times: int = 40) -> int:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            _incr_by_transaction(make(), "counter", times)
        except BaseException as e:  # reported below
            errors.append(e)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    return int(make().get("counter"))


def test_watch_race_threads_server(redlite_server, resp):
    assert _race(lambda: redis.Redis(port=redlite_server.port)) == 4 * 40


def test_watch_race_threads_embedded(tmp_path):
    path = str(tmp_path / "race.db")
    shared = redlite.Redis(path)
    assert _race(lambda: shared) == 4 * 40
    # One client per thread, each with its own pool (and so its own Db handle).
    path2 = str(tmp_path / "race2.db")
    assert _race(lambda: redlite.Redis(path2)) == 4 * 40


CHILD = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    import redis, redlite
    from test_multi import _incr_by_transaction
    r = redlite.Redis(sys.argv[2])
    print(_incr_by_transaction(r, "counter", int(sys.argv[3])), flush=True)
""")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "python"), str(ROOT / "tests"), env.get("PYTHONPATH", "")]
    )
    return env


def test_watch_race_two_processes_on_one_file(tmp_path):
    """Two processes, each incrementing one counter through WATCH/MULTI/EXEC on the same
    file: no increment is lost."""
    path = str(tmp_path / "procs.db")
    times = 60
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT / "tests"), path, str(times)],
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    r = redlite.Redis(path)
    _incr_by_transaction(r, "counter", times)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()
    assert int(r.get("counter")) == 2 * times


def _torn_reads(
    reader: redis.Redis, writer: Callable[[int], None], rounds: int = 200
) -> int:
    """Run `writer(i)` for i in range(rounds) in a thread while `reader` reads a, b, c;
    the number of reads (every read must see one EXEC whole)."""
    done = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for i in range(rounds):
                writer(i)
        except BaseException as e:
            errors.append(e)
        finally:
            done.set()

    t = threading.Thread(target=write)
    t.start()
    reads = 0
    while not done.is_set() or reads == 0:
        a, b, c = reader.mget("a", "b", "c")
        assert a == b == c, (a, b, c)
        reads += 1
    t.join()
    assert not errors, errors
    return reads


def test_exec_is_atomic_server(redlite_server, resp):
    w = redis.Redis(port=redlite_server.port)

    def writer(i: int) -> None:
        w.pipeline(transaction=True).set("a", i).set("b", i).set("c", i).execute()

    assert _torn_reads(redis.Redis(port=redlite_server.port), writer) > 0


WRITER = textwrap.dedent("""
    import sys, redlite
    r = redlite.Redis(sys.argv[1])
    for i in range(int(sys.argv[2])):
        r.pipeline(transaction=True).set("a", i).incr("b").set("b", i).set("c", i).execute()
""")


def test_exec_is_atomic_across_processes(tmp_path):
    path = str(tmp_path / "atomic.db")
    reader = redlite.Redis(path)
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, path, "300"],
        env=_child_env(),
        stderr=subprocess.PIPE,
    )
    reads = 0
    while child.poll() is None or reads == 0:
        a, b, c = reader.mget("a", "b", "c")
        assert a == b == c, (a, b, c)
        reads += 1
    assert child.wait() == 0, child.stderr.read().decode() if child.stderr else ""
    assert reader.get("c") == b"299"


# -- killed clients ------------------------------------------------------------------------


def _abort(sock: socket.socket) -> None:
    """Close with a reset (SO_LINGER 0), as a killed client's kernel may."""
    sock.setsockopt(
        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
    )
    sock.close()


def _healthy(port: int) -> RawClient:
    c = RawClient(port)
    assert c.execute(["PING"]) == ("simple", b"PONG")
    return c


def test_client_killed_mid_multi(redlite_server, resp):
    port = redlite_server.port
    for close in (lambda s: s.close(), _abort):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"MULTI\r\nSET x 1\r\nLPUSH l a\r\nINCR n\r\n")
        got = b""
        while got.count(b"\r\n") < 4:
            got += s.recv(4096)
        assert got == b"+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n"
        close(s)
        c = _healthy(port)
        assert c.execute(["MGET", "x", "n"]) == (
            "array",
            [("nil", None), ("nil", None)],
        )
        assert c.execute(["EXISTS", "l"]) == ("int", 0)
        # The server's next transaction is a fresh one.
        assert c.execute(["EXEC"]) == ("error", "ERR EXEC without MULTI")
        c.close()


def test_client_killed_mid_pipeline(redlite_server, resp):
    port = redlite_server.port
    # A transaction cut before its EXEC arrived whole: nothing of it is applied.
    s = socket.create_connection(("127.0.0.1", port))
    body = b"MULTI\r\n" + b"".join(b"SET k%d %d\r\n" % (i, i) for i in range(2000))
    s.sendall(body + b"*1\r\n$4\r\nEX")
    _abort(s)
    c = _healthy(port)
    assert c.execute(["DBSIZE"]) == ("int", 0)
    # A long pipeline cut off without reading its replies: every command applied is
    # whole, and they are a prefix of the pipeline (at any moment: the server may go
    # on with what it had read).
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"".join(RawClient.encode(["RPUSH", "l", str(i)]) for i in range(20000)))
    _abort(s)
    c = _healthy(port)
    kind, items = c.execute(["LRANGE", "l", 0, -1])
    assert kind == "array"
    assert [int(v) for _, v in items] == list(range(len(items)))
    # Killed (SIGKILL) in the middle of MULTI, a process holding the connection.
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import socket, sys, time
        s = socket.create_connection(("127.0.0.1", {port}))
        s.sendall(b"MULTI\\r\\nSET killed 1\\r\\nDEL l\\r\\n")
        got = b""
        while got.count(b"\\r\\n") < 3:
            got += s.recv(100)
        print("ready", flush=True)
        time.sleep(60)
    """),
        ],
        stdout=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == b"ready"
    child.send_signal(signal.SIGKILL)
    child.wait()
    c = _healthy(port)
    assert c.execute(["EXISTS", "killed"]) == ("int", 0)
    # DEL l was queued, never run. (The server may still be running the commands it
    # read of the cut pipeline: the list only grows, a prefix at every moment.)
    kind, later = c.execute(["LRANGE", "l", 0, -1])
    assert [int(v) for _, v in later] == list(range(len(later)))
    assert len(later) >= len(items)
    assert c.execute(["MULTI"]) == ("simple", b"OK")
    assert c.execute(["INCR", "after"]) == ("simple", b"QUEUED")
    assert c.execute(["EXEC"]) == ("array", [("int", 1)])
    c.close()


def test_transfers_stay_consistent_while_clients_die(redlite_server, resp):
    """Threads move amounts between accounts with WATCH/MULTI/EXEC while others send
    transactions and pipelines and drop the connection half way: the server keeps
    answering and the total never changes."""
    port = redlite_server.port
    accounts = [f"acct:{i}" for i in range(5)]
    resp.mset({a: 100 for a in accounts})
    errors: list[BaseException] = []

    def transfer(seed: int) -> None:
        try:
            r = redis.Redis(port=port)
            for i in range(40):
                src, dst = accounts[(seed + i) % 5], accounts[(seed + 2 * i + 1) % 5]
                if src == dst:
                    continue
                with r.pipeline() as pipe:
                    while True:
                        try:
                            pipe.watch(src, dst)
                            amount = min(int(pipe.get(src)), 7)
                            pipe.multi()
                            pipe.decrby(src, amount)
                            pipe.incrby(dst, amount)
                            pipe.execute()
                            break
                        except redis.WatchError:
                            continue
        except BaseException as e:
            errors.append(e)

    def vandal(seed: int) -> None:
        try:
            for i in range(30):
                s = socket.create_connection(("127.0.0.1", port))
                cmds = [
                    ["MULTI"],
                    ["DECRBY", accounts[i % 5], 50],
                    ["INCRBY", "nowhere", 50],
                ]
                if i % 2:
                    cmds = [["MULTI"]] + cmds[1:] + [["EXEC"]]
                    data = b"".join(RawClient.encode(c) for c in cmds)
                    data = data[: len(data) - 3]  # EXEC cut short
                else:
                    data = b"".join(RawClient.encode(c) for c in cmds)
                s.sendall(data)
                (_abort if (seed + i) % 2 else socket.socket.close)(s)
        except BaseException as e:
            errors.append(e)

    workers = [threading.Thread(target=transfer, args=(n,)) for n in range(3)]
    workers += [threading.Thread(target=vandal, args=(n,)) for n in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors, errors
    c = _healthy(port)
    assert c.execute(["EXISTS", "nowhere"]) == ("int", 0)
    values = resp.mget(accounts)
    assert sum(int(v) for v in values) == 500, values
    c.close()


# -- redis-cli and redis-benchmark -------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed (apt-get install redis-tools)", pytrace=False
        )
    return path


CLI_SCRIPT = """FLUSHALL
MULTI
SET a 1
INCR a
LPUSH a x
GET a
EXEC
WATCH a
SET a 5
MULTI
INCR a
EXEC
MULTI
SET b
EXEC
MULTI
BLPOP nolist 0
SELECT 1
EXEC
SELECT 0
DISCARD
WATCH a
UNWATCH
MULTI
INCR a
EXEC
RESET
"""


@pytest.mark.parametrize("flags", [[], ["-3"], ["--no-raw"]])
def test_redis_cli_transcript(redis_server, redlite_server, flags):
    cli = _tool("redis-cli")

    def transcript(port: int) -> str:
        done = subprocess.run(
            [cli, "-p", str(port), *flags],
            input=CLI_SCRIPT.encode(),
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.decode()

    want = transcript(redis_server.port)
    assert "EXECABORT" in want
    assert transcript(redlite_server.port) == want


def test_redis_benchmark_default_set(redlite_server):
    bench = _tool("redis-benchmark")
    tests = "ping,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange,mset"
    done = subprocess.run(
        [bench, "-p", str(redlite_server.port), "-n", "2000", "-q", "-t", tests],
        capture_output=True,
        timeout=600,
    )
    out = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
    assert done.returncode == 0, out
    bad = [line for line in out.splitlines() if "ERR" in line or "rror" in line]
    assert not bad, out
    for name in (
        "PING_INLINE",
        "SET",
        "GET",
        "INCR",
        "LPUSH",
        "RPUSH",
        "LPOP",
        "RPOP",
        "SADD",
        "HSET",
        "SPOP",
        "ZADD",
        "ZPOPMIN",
        "LRANGE_100",
        "MSET",
    ):
        assert f"{name}:" in out or f"{name} " in out, (name, out)


# -- property test ----------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

H_KEYS = st.sampled_from([b"a", b"b", b"\x00c"])
H_VALUES = st.sampled_from([b"1", b"-2", b"x", b"", b"\xff", b"10"])


def _h(name: str, *parts: Any) -> Any:
    return st.tuples(st.just(name), *parts)


H_COMMANDS = st.one_of(
    _h("SET", H_KEYS, H_VALUES),
    _h("GET", H_KEYS),
    _h("INCR", H_KEYS),
    _h("APPEND", H_KEYS, H_VALUES),
    _h("GETDEL", H_KEYS),
    st.builds(lambda ks: ("DEL", *ks), st.lists(H_KEYS, min_size=1, max_size=2)),
    st.builds(lambda ks: ("EXISTS", *ks), st.lists(H_KEYS, min_size=1, max_size=2)),
    st.builds(
        lambda kv: ("MSET", *[x for p in kv for x in p]),
        st.lists(st.tuples(H_KEYS, H_VALUES), min_size=1, max_size=2),
    ),
    _h("LPUSH", H_KEYS, H_VALUES),
    _h("RPOP", H_KEYS),
    _h("LRANGE", H_KEYS, st.just(0), st.just(-1)),
    _h("HSET", H_KEYS, H_VALUES, H_VALUES),
    _h("HGET", H_KEYS, H_VALUES),
    _h("SADD", H_KEYS, H_VALUES),
    _h("ZADD", H_KEYS, st.integers(-2, 2), H_VALUES),
    _h("EXPIRE", H_KEYS, st.sampled_from([1000, -1])),
    _h("PERSIST", H_KEYS),
    _h("RENAME", H_KEYS, H_KEYS),
    _h("TYPE", H_KEYS),
    _h("SELECT", st.sampled_from([0, 1])),
    st.just(("SWAPDB", 0, 1)),
    st.just(("FLUSHDB",)),
    st.just(("BLPOP", b"a", "0.01")),
    st.just(("SET", b"a")),
    st.just(("NOSUCHCOMMAND",)),
    st.just(("MULTI",)),
    st.just(("EXEC",)),
    st.just(("DISCARD",)),
    st.builds(lambda ks: ("WATCH", *ks), st.lists(H_KEYS, min_size=1, max_size=2)),
    st.just(("UNWATCH",)),
)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    steps=st.lists(
        st.one_of(H_COMMANDS, st.just(("MULTI",)), st.just(("EXEC",))),
        min_size=1,
        max_size=30,
    )
)
def test_hypothesis_transactions(targets, steps):
    check(targets, "raw", _exec_norm(steps))


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=25,
)
@given(
    steps=st.lists(
        st.one_of(H_COMMANDS, st.just(("MULTI",)), st.just(("EXEC",))),
        min_size=1,
        max_size=20,
    )
)
def test_hypothesis_transactions_redis_py(targets, steps):
    check(targets, "py3", _exec_norm(steps))
