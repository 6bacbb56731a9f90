"""Stream commands, differential against a real Redis, and a consumer-group round trip.

Each case runs at three levels (raw RESP2 trees, redis-py RESP2, redis-py default
protocol) on real Redis, redlite-server and embedded redlite; see differential.py.
Ids are given explicitly so that replies are deterministic; where a reply holds a time
(XPENDING's idle time, XINFO's idle, seen-time and delivery times) the :data:`TIMES`
normaliser replaces it by a marker on both sides. Blocking reads (XREAD BLOCK,
XREADGROUP BLOCK) run as scenarios of several clients, over RESP on both servers and
embedded, and across processes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import redis
import redlite
from differential import SHAPE, C, Norm, cases_params, check

ROOT = Path(__file__).resolve().parent.parent
BIN = b"k\x00\xff\r\n"
ID_RE = re.compile(rb"^\d+-\d+$")
TIME_KEYS = {
    "idle",
    "seen-time",
    "seen_time",
    "time_since_delivered",
    "inactive",
    "active-time",
}


def _is_id(v: Any) -> bool:
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "bulk":
        v = v[1]
    if isinstance(v, str):
        v = v.encode()
    return isinstance(v, bytes) and bool(ID_RE.match(v))


def _name(v: Any) -> Any:
    if isinstance(v, tuple) and len(v) == 2 and v[0] in ("bulk", "simple"):
        v = v[1]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return v if isinstance(v, str) else None


def _int(v: Any) -> bool:
    return (isinstance(v, tuple) and len(v) == 2 and v[0] == "int") or (
        isinstance(v, int) and not isinstance(v, bool)
    )


class _Times(Norm):
    """Times in stream replies replaced by "T": values under idle / seen-time keys, the
    idle time of an XPENDING entry ([id, consumer, idle, count]), the delivery time of a
    consumer's pending entry in XINFO STREAM FULL ([id, time, count]), and any integer
    that can only be a unix time in ms."""

    name = "times"

    def key(self, v: Any) -> Any:
        if isinstance(v, tuple) and len(v) == 2 and v[0] == "int":
            return ("int", "T") if v[1] >= 10**12 else v
        if isinstance(v, int) and not isinstance(v, bool):
            return "T" if v >= 10**12 else v
        if isinstance(v, tuple) and len(v) == 2 and v[0] == "map":
            return (
                "map",
                [
                    (self.key(k), "T" if _name(k) in TIME_KEYS else self.key(x))
                    for k, x in v[1]
                ],
            )
        if isinstance(v, tuple) and len(v) == 2 and v[0] in ("array", "set", "push"):
            return (v[0], self.items(v[1]))
        if isinstance(v, dict):
            return {
                k: ("T" if _name(k) in TIME_KEYS else self.key(x)) for k, x in v.items()
            }
        if isinstance(v, (list, tuple)):
            return type(v)(self.items(list(v)))
        return v

    def items(self, xs: list) -> list:
        out = [self.key(x) for x in xs]
        if (
            len(xs) == 4
            and _is_id(xs[0])
            and not _is_id(xs[1])
            and _int(xs[2])
            and _int(xs[3])
        ):
            out[2] = "T"
        if len(xs) == 3 and _is_id(xs[0]) and _int(xs[1]) and _int(xs[2]):
            out[1] = "T"
        for i in range(len(xs) - 1):
            if _name(xs[i]) in TIME_KEYS and _int(xs[i + 1]):
                out[i + 1] = "T"
        return out

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


TIMES = _Times()


def T(*argv: Any) -> Any:
    return C(*argv, norm=TIMES)


MAX = "18446744073709551615"

CASES = {
    "xadd_ids": [
        ("XADD", "s", "1-1", "f", "v"),
        ("XADD", "s", "1-1", "f", "v"),
        ("XADD", "s", "1-0", "f", "v"),
        ("XADD", "s", "0-0", "f", "v"),
        ("XADD", "new", "0-0", "f", "v"),
        ("EXISTS", "new"),
        ("XADD", "new", "0", "f", "v"),
        ("XADD", "new2", "0-*", "f", "v"),
        ("XADD", "s", "1-*", "a", "b"),
        ("XADD", "s", "1-*", "a", "b"),
        ("XADD", "s", "0-*", "a", "b"),
        ("XADD", "s", "5", "a", "b"),
        ("XADD", "s", "5-*", "a", "b"),
        ("XADD", "s", "6-*", "a", "b"),
        ("XADD", "s", " 7", "a", "b"),
        ("XADD", "s", "+8", "a", "b"),
        ("XADD", "s", "009-01", "a", "b"),
        ("XADD", "s", "10-+1", "a", "b"),
        ("XADD", "s", "11- 1", "a", "b"),
        ("XADD", "s", "12- -1", "a", "b"),
        ("XADD", "s", " -1", "a", "b"),
        ("XADD", "s", "-", "a", "b"),
        ("XADD", "s", "+", "a", "b"),
        ("XADD", "s", "(13", "a", "b"),
        ("XADD", "s", "13-", "a", "b"),
        ("XADD", "s", "-13", "a", "b"),
        ("XADD", "s", "13-1-1", "a", "b"),
        ("XADD", "s", "13x", "a", "b"),
        ("XADD", "s", "13-1\x00junk", "a", "b"),
        ("XADD", "s", "14" + "0" * 130, "a", "b"),
        ("XADD", "s", "18446744073709551616", "a", "b"),
        ("XADD", "s", "1-*-1", "a", "b"),
        ("XADD", "s", "*-1", "a", "b"),
        ("XADD", "s", "**", "a", "b"),
        ("XRANGE", "s", "-", "+"),
        ("XLEN", "s"),
    ],
    "xadd_max_ids": [
        ("XADD", "s", f"{MAX}-{int(MAX) - 1}", "f", "v"),
        ("XADD", "s", f"{MAX}-*", "f", "v"),
        ("XADD", "s", f"{MAX}-*", "f", "v"),
        ("XADD", "s", "*", "f", "v"),
        ("XADD", "s", f"{MAX}-{MAX}", "f", "v"),
        ("XLEN", "s"),
        ("XRANGE", "s", "-", "+"),
        ("XREVRANGE", "s", "+", "-", "COUNT", 1),
        ("XRANGE", "s", f"({MAX}-{int(MAX) - 1}", "+"),
        ("XRANGE", "s", f"({MAX}-{MAX}", "+"),
        ("XRANGE", "s", f"{MAX}", f"{MAX}"),
        ("XADD", "t", f"{int(MAX) - 1}-{MAX}", "f", "v"),
        ("XADD", "t", "*", "f", "v"),
        ("XADD", "t", f"{MAX}-0", "f", "v"),
        ("XADD", "u", f"{2**63}-{2**63 - 1}", "f", "v"),
        ("XADD", "u", f"{2**63}-{2**63}", "f", "v"),
        ("XADD", "u", f"{2**63 - 1}-1", "f", "v"),
        ("XRANGE", "u", "-", "+"),
        ("XRANGE", "u", f"{2**63}", f"{2**63}"),
        ("XINFO", "STREAM", "s"),
        ("XINFO", "STREAM", "u"),
    ],
    "xadd_options": [
        ("XADD", "s", "MAXLEN"),
        ("XADD", "s", "MAXLEN", 5),
        ("XADD", "s", "MAXLEN", 5, "1", "f"),
        ("XADD", "s", "1", "f", "v", "g"),
        ("XADD", "s", "LIMIT", 0, "*", "f", "v"),
        ("XADD", "s", "LIMIT", 5, "*", "f", "v"),
        ("XADD", "s", "MAXLEN", 5, "LIMIT", 5, "*", "f", "v"),
        ("XADD", "s", "MAXLEN", "=", 5, "LIMIT", 5, "*", "f", "v"),
        ("XADD", "s", "MAXLEN", "~", 5, "LIMIT", -1, "*", "f", "v"),
        ("XADD", "s", "MAXLEN", "~", 5, "LIMIT", "x", "*", "f", "v"),
        ("XADD", "s", "MAXLEN", -1, "*", "f", "v"),
        ("XADD", "s", "MAXLEN", "x", "*", "f", "v"),
        ("XADD", "s", "MAXLEN", "~", "x", "*", "f", "v"),
        ("XADD", "s", "MAXLEN", 5, "MINID", 5, "*", "f", "v"),
        ("XADD", "s", "MINID", 5, "MINID", 5, "*", "f", "v"),
        ("XADD", "s", "MINID", "-", "*", "f", "v"),
        ("XADD", "s", "MINID", "x", "*", "f", "v"),
        ("XADD", "s", "NOMKSTREAM", "1", "f", "v"),
        ("EXISTS", "s"),
        ("XADD", "s", "nomkstream", "maxlen", "~", "1", "1", "f", "v"),
        ("XADD", "s", "1", "f", "v"),
        ("XADD", "s", "NOMKSTREAM", "2", "f", "v"),
        ("XADD", "s", "NOMKSTREAM", "MAXLEN", "1", "3", "f", "v"),
        ("XRANGE", "s", "-", "+"),
        ("XADD", "s", "MINID", "10", "4", "f", "v"),
        ("XRANGE", "s", "-", "+"),
        ("XLEN", "s"),
        ("XADD", "s", "maxlen", "=", "0", "5", "f", "v"),
        ("XLEN", "s"),
        ("EXISTS", "s"),
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "MAXLEN", "~", "=", "6", "f", "v"),
        ("XADD", "s", "MAXLEN", "=", "~", "6", "f", "v"),
        ("XADD", "s", "MAXLEN", "~", "6", "f", "v"),
        ("XADD", "s", "LIMIT", "2", "MAXLEN", "~", "0", "7", "f", "v"),
        ("XADD", "s", "*", "f"),
    ],
    "xadd_fields": [
        ("XADD", "s", "1", "f", "v", "f", "w", "", ""),
        ("XADD", "s", "2", BIN, BIN, "1", "-1"),
        ("XADD", "s", "3", "a" * 100, "b" * 5000),
        ("XRANGE", "s", "-", "+"),
        ("XREVRANGE", "s", "+", "-"),
        ("XADD", BIN, "1", "f", "v"),
        ("XRANGE", BIN, "-", "+"),
        ("TYPE", BIN),
        ("OBJECT", "ENCODING", BIN),
    ],
    "wrongtype": [
        ("SET", "str", "v"),
        ("XADD", "str", "1", "f", "v"),
        ("XADD", "str", "NOMKSTREAM", "1", "f", "v"),
        ("XADD", "str", "x", "f", "v"),
        ("XLEN", "str"),
        ("XRANGE", "str", "-", "+"),
        ("XRANGE", "str", "x", "+"),
        ("XRANGE", "str", "-", "+", "COUNT", 0),
        ("XREVRANGE", "str", "+", "-"),
        ("XDEL", "str", "1"),
        ("XDEL", "str", "x"),
        ("XTRIM", "str", "MAXLEN", 0),
        ("XSETID", "str", "1"),
        ("XREAD", "STREAMS", "str", "0"),
        ("XREAD", "STREAMS", "str", "$"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "str", ">"),
        ("XGROUP", "CREATE", "str", "g", "$"),
        ("XGROUP", "CREATE", "str", "g", "$", "MKSTREAM"),
        ("XGROUP", "DESTROY", "str", "g"),
        ("XINFO", "STREAM", "str"),
        ("XINFO", "GROUPS", "str"),
        ("XINFO", "CONSUMERS", "str", "g"),
        ("XACK", "str", "g", "1"),
        ("XPENDING", "str", "g"),
        ("XCLAIM", "str", "g", "c", "0", "1"),
        ("XAUTOCLAIM", "str", "g", "c", "0", "0"),
        ("XADD", "s", "1", "f", "v"),
        ("GET", "s"),
        ("LPUSH", "s", "x"),
    ],
    "xrange": [
        ("XRANGE", "s", "-", "+"),
        ("XRANGE", "s", "x", "+"),
        ("XRANGE", "s", "-", "+", "COUNT", "x"),
        ("XRANGE", "s", "-", "+", "COUNT", 0),
        *[
            ("XADD", "s", f"{ms}-{seq}", "f", f"v{ms}{seq}")
            for ms in (1, 2, 3)
            for seq in (0, 1, 2)
        ],
        ("XRANGE", "s", "-", "+"),
        ("XRANGE", "s", "-", "+", "COUNT", 0),
        ("XRANGE", "s", "-", "+", "COUNT", -1),
        ("XRANGE", "s", "-", "+", "COUNT", 2),
        ("XRANGE", "s", "-", "+", "COUNT", 1, "COUNT", 3),
        ("XRANGE", "s", "-", "+", "COUNT"),
        ("XRANGE", "s", "-", "+", "LIMIT", 1),
        ("XRANGE", "s", "2", "2"),
        ("XRANGE", "s", "2", "3-0"),
        ("XRANGE", "s", "(2", "+"),
        ("XRANGE", "s", "(2-1", "(3-1"),
        ("XRANGE", "s", "(2-2", "+"),
        ("XRANGE", "s", "-", "(1-0"),
        ("XRANGE", "s", "(", "+"),
        ("XRANGE", "s", "(-", "+"),
        ("XRANGE", "s", "-", "(+"),
        ("XRANGE", "s", "+", "-"),
        ("XRANGE", "s", "3", "1"),
        ("XRANGE", "s", "(0", "+"),
        ("XRANGE", "s", "-", "(0"),
        ("XRANGE", "s", "-", "(0-0"),
        ("XRANGE", "s", f"({MAX}-{MAX}", "+"),
        ("XRANGE", "s", f"({MAX}", "+"),
        ("XRANGE", "s", "(1-" + MAX, "+", "COUNT", 2),
        ("XRANGE", "s", "1-1\x00x", "1-1"),
        ("XREVRANGE", "s", "+", "-"),
        ("XREVRANGE", "s", "+", "-", "COUNT", 4),
        ("XREVRANGE", "s", "(3", "(1"),
        ("XREVRANGE", "s", "3", "1"),
        ("XREVRANGE", "s", "1", "3"),
        ("XREVRANGE", "s", "(3-0", "-", "COUNT", 2),
        ("XREVRANGE", "s", "+", "(0-0"),
        ("XREVRANGE", "s", "(0-0", "-"),
        ("XREVRANGE", "s", "+", "-", "COUNT", 0),
        ("XREVRANGE", "nokey", "+", "-"),
        ("XRANGE", "nokey", "-", "+", "COUNT", 0),
    ],
    "xdel": [
        ("XDEL", "nokey", "1"),
        ("XDEL", "nokey", "x"),
        *[("XADD", "s", str(i), "f", str(i)) for i in range(1, 8)],
        ("XDEL", "s", "x"),
        ("XDEL", "s", "2", "x"),
        ("XDEL", "s", "-"),
        ("XDEL", "s", "2", "2", "9", "4-0"),
        ("XLEN", "s"),
        ("XRANGE", "s", "-", "+"),
        ("XINFO", "STREAM", "s"),
        ("XDEL", "s", "1"),
        ("XINFO", "STREAM", "s"),
        ("XDEL", "s", "3", "5", "6", "7"),
        ("XLEN", "s"),
        ("EXISTS", "s"),
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "7", "f", "v"),
        ("XADD", "s", "8", "f", "v"),
        ("XINFO", "STREAM", "s"),
        ("XDEL", "s", "8"),
        ("XINFO", "STREAM", "s"),
    ],
    "xtrim": [
        ("XTRIM", "s"),
        ("XTRIM", "s", "LIMIT", 1),
        ("XTRIM", "s", "MAXLEN"),
        ("XTRIM", "s", "FOO", 1),
        ("XTRIM", "nokey", "MAXLEN", 1),
        ("XTRIM", "nokey", "MAXLEN", "x"),
        *[("XADD", "s", str(i), "f", str(i)) for i in range(1, 11)],
        ("XTRIM", "s", "MAXLEN", 1, "foo"),
        ("XTRIM", "s", "MAXLEN", "~", 1, "LIMIT", 0, "MINID", 3),
        ("XTRIM", "s", "MAXLEN", "~", 5),
        ("XTRIM", "s", "MAXLEN", 8),
        ("XTRIM", "s", "MAXLEN", "=", 8),
        ("XRANGE", "s", "-", "+"),
        ("XTRIM", "s", "MINID", 5),
        ("XTRIM", "s", "MINID", "=", "6-0"),
        ("XTRIM", "s", "MINID", "~", "8"),
        ("XTRIM", "s", "MINID", "(8"),
        ("XTRIM", "s", "MINID", "+"),
        ("XRANGE", "s", "-", "+"),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MAXLEN", 0, "LIMIT", 10),
        ("XTRIM", "s", "MAXLEN", "~", 0, "LIMIT", 10),
        ("XTRIM", "s", "MAXLEN", "~", 0, "LIMIT", 0),
        ("XLEN", "s"),
        ("EXISTS", "s"),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MINID", 100),
        C("XADD", "s", "*", "f", "v", "MAXLEN", 1, norm=SHAPE),
    ],
    "xsetid": [
        ("XSETID", "nokey", "1"),
        ("XSETID", "nokey", "x"),
        ("XSETID", "nokey", "1", "FOO"),
        ("XADD", "s", "5", "f", "v"),
        ("XSETID", "s", "4"),
        ("XSETID", "s", "5"),
        ("XSETID", "s", "-"),
        ("XSETID", "s", "10", "ENTRIESADDED", -1),
        ("XSETID", "s", "10", "ENTRIESADDED", "x"),
        ("XSETID", "s", "10", "ENTRIESADDED", 0),
        ("XSETID", "s", "10", "MAXDELETEDID", "11"),
        ("XSETID", "s", "10", "MAXDELETEDID", "x"),
        ("XSETID", "s", "10", "ENTRIESADDED"),
        ("XSETID", "s", "10", "ENTRIESADDED", 7, "MAXDELETEDID", "3"),
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "10", "f", "v"),
        ("XADD", "s", "10-*", "f", "v"),
        ("XSETID", "s", "10-2"),
        ("XSETID", "s", "10-1", "MAXDELETEDID", "0-0"),
        ("XINFO", "STREAM", "s"),
        ("XDEL", "s", "5", "10-1"),
        ("XSETID", "s", "6"),
        ("XSETID", "s", "10-1"),
        ("XSETID", "s", "10"),
        ("XDEL", "s", "10-0"),
        ("XSETID", "s", "10-0", "ENTRIESADDED", 2),
        ("XSETID", "s", "3-0"),
        ("XSETID", "s", "20", "MAXDELETEDID", "0-0", "ENTRIESADDED", 5),
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "15", "f", "v"),
        ("XADD", "s", "20-*", "f", "v"),
        ("XSETID", "s", f"{MAX}-{MAX}"),
        ("XADD", "s", "*", "f", "v"),
        ("XADD", "s", f"{MAX}-*", "f", "v"),
        ("XINFO", "STREAM", "s"),
    ],
    "xread": [
        ("XREAD", "STREAMS", "s", "0"),
        ("XREAD", "STREAMS", "s", "$"),
        ("XREAD", "STREAMS", "s"),
        ("XREAD", "STREAMS", "s", "t", "0"),
        ("XREAD", "COUNT", "x", "STREAMS", "s", "0"),
        ("XREAD", "BLOCK", "x", "STREAMS", "s", "0"),
        ("XREAD", "BLOCK", "-1", "STREAMS", "s", "0"),
        ("XREAD", "GROUP", "g", "c", "STREAMS", "s", "0"),
        ("XREAD", "NOACK", "STREAMS", "s", "0"),
        ("XREAD", "FOO", "STREAMS", "s", "0"),
        ("XREAD", "COUNT", 1, "s", "0"),
        ("XREAD", "STREAMS", "s", ">"),
        ("XREAD", "STREAMS", "s", "x"),
        ("XREAD", "STREAMS", "s", "-"),
        ("XREAD", "STREAMS", "s", "+"),
        *[("XADD", "s", f"{i}-1", "f", f"v{i}") for i in range(1, 6)],
        ("XADD", "t", "3-3", "a", "b"),
        ("XREAD", "STREAMS", "s", "0"),
        ("XREAD", "COUNT", 2, "STREAMS", "s", "t", "0", "0"),
        ("XREAD", "COUNT", 0, "STREAMS", "s", "2"),
        ("XREAD", "COUNT", -5, "STREAMS", "s", "4-1"),
        ("XREAD", "STREAMS", "s", "t", "$", "$"),
        ("XREAD", "STREAMS", "s", "t", "5-1", "3-2"),
        ("XREAD", "STREAMS", "s", "nokey", "t", "4", "0", "0"),
        ("XREAD", "STREAMS", "s", "s", "4", "3"),
        ("XREAD", "COUNT", 1, "COUNT", 2, "STREAMS", "s", "0"),
        ("XREAD", "STREAMS", "s", "(0"),
        ("XREAD", "STREAMS", "s", f"{MAX}-{MAX}"),
        ("XREAD", "STREAMS", "STREAMS", "s", "0", "0"),
        ("XDEL", "s", "5-1"),
        ("XREAD", "STREAMS", "s", "4-1"),
        ("XREAD", "STREAMS", "s", "$"),
        ("XREAD", "COUNT", 1, "BLOCK", 0, "STREAMS", "s", "0"),
    ],
    "xgroup": [
        ("XGROUP", "CREATE", "s", "g", "$"),
        ("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
        ("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
        ("XGROUP", "DESTROY", "s", "g"),
        ("XGROUP", "DESTROY", "s", "g"),
        ("XGROUP", "DESTROY", "nokey", "g"),
        ("XADD", "s", "1-1", "f", "v"),
        ("XADD", "s", "2-1", "f", "v"),
        ("XADD", "s", "3-1", "f", "v"),
        ("XGROUP", "CREATE", "s", "g", "$"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XGROUP", "CREATE", "s", "g2", "0"),
        ("XGROUP", "CREATE", "s", "g3", "2-1"),
        ("XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", 1),
        ("XGROUP", "CREATE", "s", "g5", "0", "ENTRIESREAD", -2),
        ("XGROUP", "CREATE", "s", "g5", "0", "ENTRIESREAD", "x"),
        ("XGROUP", "CREATE", "s", "g5", "0", "ENTRIESREAD", -1),
        ("XGROUP", "CREATE", "s", "g6", "0", "MKSTREAM", "foo"),
        ("XGROUP", "CREATE", "s", "g6", "0", "ENTRIESREAD"),
        ("XGROUP", "CREATE", "s", "g6", "x"),
        ("XGROUP", "CREATE", "s", "g6", "-"),
        ("XGROUP", "CREATE", "s", "g6", "+"),
        ("XGROUP", "CREATE", "s", "g6", "9", "MKSTREAM", "ENTRIESREAD", 3, "MKSTREAM"),
        ("XGROUP", "CREATE", "s", "g6", "9", "ENTRIESREAD", 3, "ENTRIESREAD", 4),
        ("XGROUP", "CREATE", "nokey", "g", "$"),
        ("XGROUP", "CREATE", "nokey", "g", "x", "MKSTREAM"),
        ("EXISTS", "nokey"),
        ("XGROUP", "CREATE", "s", BIN, "0"),
        ("XGROUP", "CREATE", "s", "", "0"),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "c1"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "c1"),
        ("XGROUP", "CREATECONSUMER", "s", "nog", "c1"),
        ("XGROUP", "CREATECONSUMER", "nokey", "g", "c1"),
        ("XGROUP", "DELCONSUMER", "nokey", "g", "c1"),
        ("XGROUP", "DELCONSUMER", "s", "nog", "c1"),
        ("XGROUP", "DELCONSUMER", "s", "g", "nobody"),
        ("XGROUP", "SETID", "s", "nog", "0"),
        ("XGROUP", "SETID", "nokey", "g", "0"),
        ("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", 5),
        ("XGROUP", "SETID", "s", "g", "0", "MKSTREAM"),
        ("XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD", 5, "7"),
        ("XGROUP", "SETID", "s", "g", "x"),
        ("XGROUP", "SETID", "s", "g2", "-"),
        ("XGROUP", "SETID", "s", "g3", "+"),
        ("XGROUP", "SETID", "s", "g4", "$"),
        ("XGROUP", "SETID", "s", "g5", "2-1", "ENTRIESREAD", 2),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "DESTROY", "s", "g"),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "HELP"),
        ("XGROUP", "HELP", "x"),
        ("XGROUP", "FOO"),
        ("XGROUP", "CREATE", "s"),
        ("XGROUP", "CREATE", "s", "g"),
        ("XGROUP", "DESTROY", "s"),
        ("XGROUP", "DESTROY", "s", "g", "x"),
        ("XGROUP", "CREATECONSUMER", "s", "g"),
        ("XGROUP", "DELCONSUMER", "s", "g"),
        ("XGROUP",),
        ("XGROUP", "create", "s", "g7", "0", "mkstream", "bad"),
        ("XGROUP", "setid", "s", "g2", "0", "bad", "x"),
    ],
    "xreadgroup_basic": [
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
        ("XREADGROUP", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "FOO", "STREAMS", "s", ">"),
        ("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "x"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "nokey", ">", ">"),
        ("XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"),
        T("XINFO", "CONSUMERS", "s", "g"),
        *[("XADD", "s", f"{i}-0", "f", f"v{i}") for i in range(1, 6)],
        ("XREADGROUP", "GROUP", "g", "c1", "COUNT", 2, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c2", "COUNT", 1, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"),
        ("XREADGROUP", "GROUP", "g", "c1", "COUNT", 1, "STREAMS", "s", "1"),
        ("XREADGROUP", "GROUP", "g", "c2", "STREAMS", "s", "0-0"),
        ("XREADGROUP", "GROUP", "g", "c3", "STREAMS", "s", "0"),
        T("XINFO", "CONSUMERS", "s", "g"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XPENDING", "s", "g"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c1", "NOACK", "STREAMS", "s", ">"),
        ("XPENDING", "s", "g"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"),
        ("XADD", "s", "6-0", "f", "v6"),
        ("XDEL", "s", "2-0"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "0"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", f"{MAX}-{MAX}"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "-"),
        ("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", "+"),
        ("XREADGROUP", "GROUP", "g", "c1", "COUNT", 0, "STREAMS", "s", "0"),
    ],
    "xreadgroup_redeliver": [
        ("XADD", "s", "1", "f", "v1"),
        ("XADD", "s", "2", "f", "v2"),
        ("XADD", "s", "3", "f", "v3"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">"),
        ("XGROUP", "SETID", "s", "g", "1"),
        ("XREADGROUP", "GROUP", "g", "b", "COUNT", 1, "STREAMS", "s", ">"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XPENDING", "s", "g"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", "0"),
        T("XPENDING", "s", "g", "-", "+", 10, "a"),
        ("XGROUP", "DELCONSUMER", "s", "g", "a"),
        ("XPENDING", "s", "g"),
        ("XGROUP", "DELCONSUMER", "s", "g", "b"),
        ("XPENDING", "s", "g"),
        T("XINFO", "CONSUMERS", "s", "g"),
        ("XINFO", "GROUPS", "s"),
    ],
    "entries_read_and_lag": [
        ("XGROUP", "CREATE", "s", "g0", "$", "MKSTREAM"),
        ("XINFO", "GROUPS", "s"),
        *[("XADD", "s", f"{i}", "f", f"v{i}") for i in range(1, 6)],
        ("XGROUP", "CREATE", "s", "g1", "0"),
        ("XGROUP", "CREATE", "s", "g2", "$"),
        ("XGROUP", "CREATE", "s", "g3", "3"),
        ("XGROUP", "CREATE", "s", "g4", "1", "ENTRIESREAD", 1),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g1", "c", "COUNT", 2, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g3", "c", "COUNT", 1, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g4", "c", "COUNT", 1, "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "4"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g1", "c", "COUNT", 1, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g0", "c", "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g1", "c", "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "1"),
        ("XINFO", "GROUPS", "s"),
        ("XTRIM", "s", "MAXLEN", 1),
        ("XINFO", "GROUPS", "s"),
        ("XADD", "s", "9", "f", "v"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g2", "c", "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
        ("XSETID", "s", "20", "ENTRIESADDED", 40, "MAXDELETEDID", "15"),
        ("XINFO", "GROUPS", "s"),
        ("XGROUP", "SETID", "s", "g3", "9", "ENTRIESREAD", 2),
        ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "9"),
        ("XINFO", "GROUPS", "s"),
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "30", "f", "v"),
        ("XGROUP", "CREATE", "s", "g5", "0"),
        ("XINFO", "GROUPS", "s"),
        ("XREADGROUP", "GROUP", "g5", "c", "STREAMS", "s", ">"),
        ("XINFO", "GROUPS", "s"),
    ],
    "xack": [
        ("XACK", "nokey", "g", "1"),
        ("XACK", "nokey", "g", "x"),
        ("XADD", "s", "1", "f", "v"),
        ("XACK", "s", "nog", "x"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XACK", "s", "g", "x"),
        ("XACK", "s", "g", "1"),
        ("XADD", "s", "2", "f", "v"),
        ("XADD", "s", "3", "f", "v"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
        ("XACK", "s", "g", "1", "1", "x"),
        ("XACK", "s", "g", "1", "1", "9"),
        ("XPENDING", "s", "g"),
        ("XACK", "s", "g", "2-0", "3"),
        ("XPENDING", "s", "g"),
        T("XINFO", "CONSUMERS", "s", "g"),
        ("XACK", "s", "g"),
    ],
    "xpending": [
        ("XPENDING", "nokey", "g"),
        ("XPENDING", "nokey", "g", "-", "+", 10),
        ("XPENDING", "nokey", "g", "x", "+", 10),
        ("XPENDING", "s", "g", "-"),
        ("XPENDING", "s", "g", "-", "+"),
        ("XPENDING", "s", "g", "-", "+", "x"),
        ("XPENDING", "s", "g", "IDLE", "x", "-", "+", 10),
        ("XPENDING", "s", "g", "IDLE", 10, "-", "+"),
        ("XPENDING", "s", "g", "IDLE", 10, "-", "+", 10, "c", "x"),
        ("XPENDING", "s", "g", "(", "+", 10),
        ("XPENDING", "s", "g", f"({MAX}-{MAX}", "+", 10),
        ("XPENDING", "s", "g", "-", "(0-0", 10),
        *[("XADD", "s", str(i), "f", str(i)) for i in range(1, 8)],
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XPENDING", "s", "g"),
        ("XPENDING", "s", "g", "-", "+", 10),
        ("XPENDING", "s", "nog"),
        ("XREADGROUP", "GROUP", "g", "b", "COUNT", 3, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "a", "COUNT", 2, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "STREAMS", "s", ">"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "d"),
        ("XPENDING", "s", "g"),
        T("XPENDING", "s", "g", "-", "+", 10),
        T("XPENDING", "s", "g", "-", "+", 2),
        T("XPENDING", "s", "g", "-", "+", 0),
        T("XPENDING", "s", "g", "-", "+", -3),
        T("XPENDING", "s", "g", "(2", "(5", 10),
        T("XPENDING", "s", "g", "5", "2", 10),
        T("XPENDING", "s", "g", "-", "+", 10, "a"),
        T("XPENDING", "s", "g", "-", "+", 10, "d"),
        T("XPENDING", "s", "g", "-", "+", 10, "nobody"),
        T("XPENDING", "s", "g", "-", "+", 1, "b", "extra"),
        T("XPENDING", "s", "g", "IDLE", 0, "-", "+", 10),
        T("XPENDING", "s", "g", "IDLE", -5, "-", "+", 10, "b"),
        T("XPENDING", "s", "g", "IDLE", 100000, "-", "+", 10),
        T("XPENDING", "s", "g", "idle", 100000, "-", "+", 10, "a"),
        ("XDEL", "s", "1"),
        ("XPENDING", "s", "g"),
        ("XACK", "s", "g", "1", "2", "3", "4", "5", "6"),
        ("XPENDING", "s", "g"),
    ],
    "xclaim": [
        ("XCLAIM", "nokey", "g", "c", "0", "1"),
        ("XCLAIM", "nokey", "g", "c", "x", "1"),
        *[("XADD", "s", str(i), "f", str(i)) for i in range(1, 7)],
        ("XCLAIM", "s", "g", "c", "0", "1"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XCLAIM", "s", "g", "c", "x", "1"),
        ("XCLAIM", "s", "g", "c", "0", "1"),
        ("XCLAIM", "s", "g", "c", "0", "1", "FORCE"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XREADGROUP", "GROUP", "g", "a", "COUNT", 4, "STREAMS", "s", ">"),
        ("XCLAIM", "s", "g", "b", "0", "2", "3", "9"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XCLAIM", "s", "g", "b", "0", "2", "JUSTID"),
        ("XCLAIM", "s", "g", "b", "0", "2", "2", "JUSTID"),
        ("XCLAIM", "s", "g", "b", "0", "2", "RETRYCOUNT", 7),
        ("XCLAIM", "s", "g", "b", "0", "2", "RETRYCOUNT", -4, "JUSTID"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XCLAIM", "s", "g", "c", "1000000", "3", "4"),
        ("XCLAIM", "s", "g", "c", "-5", "4", "JUSTID"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XCLAIM", "s", "g", "c", "0", "3", "IDLE", 500000, "JUSTID"),
        T("XPENDING", "s", "g", "IDLE", 400000, "-", "+", 10),
        ("XCLAIM", "s", "g", "a", "400000", "3", "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "3", "TIME", 1000, "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "3", "TIME", -1000, "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "3", "TIME", 99999999999999, "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "3", "IDLE", -5, "JUSTID"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XCLAIM", "s", "g", "a", "0", "3", "IDLE", "x"),
        ("XCLAIM", "s", "g", "a", "0", "3", "TIME", "x"),
        ("XCLAIM", "s", "g", "a", "0", "3", "RETRYCOUNT", "x"),
        ("XCLAIM", "s", "g", "a", "0", "3", "LASTID", "x"),
        ("XCLAIM", "s", "g", "a", "0", "3", "FOO"),
        ("XCLAIM", "s", "g", "a", "0", "3", "JUSTID", "4"),
        ("XCLAIM", "s", "g", "a", "0", "3", "IDLE"),
        ("XCLAIM", "s", "g", "a", "0", "x", "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "5", "FORCE", "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "6", "FORCE", "RETRYCOUNT", 3, "JUSTID"),
        T("XPENDING", "s", "g", "-", "+", 10),
        ("XINFO", "GROUPS", "s"),
        ("XCLAIM", "s", "g", "a", "0", "6", "LASTID", "10", "JUSTID"),
        ("XCLAIM", "s", "g", "a", "0", "6", "LASTID", "2", "JUSTID"),
        ("XINFO", "GROUPS", "s"),
        ("XDEL", "s", "4"),
        ("XCLAIM", "s", "g", "z", "0", "4"),
        ("XPENDING", "s", "g"),
        T("XINFO", "CONSUMERS", "s", "g"),
        ("XCLAIM", "s", "g", "z", "0", "4", "FORCE"),
        ("XCLAIM", "s", "g", "new", "1000000", "2", "JUSTID"),
        T("XINFO", "CONSUMERS", "s", "g"),
    ],
    "xautoclaim": [
        ("XAUTOCLAIM", "nokey", "g", "c", "0", "0"),
        ("XAUTOCLAIM", "nokey", "g", "c", "x", "0"),
        ("XAUTOCLAIM", "nokey", "g", "c", "0", "x"),
        ("XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", 0),
        ("XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", "x"),
        ("XAUTOCLAIM", "nokey", "g", "c", "0", "0", "COUNT", 2**61),
        ("XAUTOCLAIM", "nokey", "g", "c", "0", "0", "FOO"),
        ("XAUTOCLAIM", "nokey", "g", "c", "0", f"({MAX}-{MAX}"),
        *[("XADD", "s", str(i), "f", str(i)) for i in range(1, 11)],
        ("XAUTOCLAIM", "s", "g", "c", "0", "0"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XAUTOCLAIM", "s", "g", "c", "0", "0"),
        T("XINFO", "CONSUMERS", "s", "g"),
        ("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">"),
        ("XAUTOCLAIM", "s", "g", "b", "0", "0", "COUNT", 2),
        ("XAUTOCLAIM", "s", "g", "b", "0", "3", "COUNT", 2, "JUSTID"),
        ("XAUTOCLAIM", "s", "g", "b", "0", "(4", "COUNT", 1),
        T("XPENDING", "s", "g", "-", "+", 20),
        ("XDEL", "s", "6", "7", "9"),
        ("XAUTOCLAIM", "s", "g", "c", "0", "5", "COUNT", 3),
        ("XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", 100),
        T("XPENDING", "s", "g", "-", "+", 20),
        ("XAUTOCLAIM", "s", "g", "d", "1000000", "0"),
        ("XAUTOCLAIM", "s", "g", "d", "1000000", "0", "COUNT", 1),
        T("XINFO", "CONSUMERS", "s", "g"),
        ("XAUTOCLAIM", "s", "g", "d", "-1", "0", "JUSTID", "COUNT", 1),
        ("XAUTOCLAIM", "s", "g", "d", "0", "-", "COUNT", 2),
        ("XAUTOCLAIM", "s", "g", "d", "0", "+"),
        ("XAUTOCLAIM", "s", "nog", "d", "0", "+"),
        ("XPENDING", "s", "g"),
    ],
    "xautoclaim_attempts": [
        *[("XADD", "s", str(i), "f", str(i)) for i in range(1, 31)],
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">"),
        (
            "XCLAIM",
            "s",
            "g",
            "b",
            "0",
            *[str(i) for i in range(1, 31, 2)],
            "IDLE",
            1000000,
            "JUSTID",
        ),
        ("XAUTOCLAIM", "s", "g", "c", "500000", "0", "COUNT", 1),
        ("XAUTOCLAIM", "s", "g", "c", "500000", "0", "COUNT", 2, "JUSTID"),
        ("XAUTOCLAIM", "s", "g", "c", "500000", "18", "COUNT", 10, "JUSTID"),
        ("XDEL", "s", *[str(i) for i in range(2, 31, 2)]),
        ("XAUTOCLAIM", "s", "g", "c", "500000", "0", "COUNT", 3, "JUSTID"),
        ("XAUTOCLAIM", "s", "g", "c", "500000", "0", "COUNT", 1, "JUSTID"),
        ("XPENDING", "s", "g"),
    ],
    "xinfo": [
        ("XINFO", "STREAM", "nokey"),
        ("XINFO", "GROUPS", "nokey"),
        ("XINFO", "CONSUMERS", "nokey", "g"),
        ("XINFO", "HELP"),
        ("XINFO", "HELP", "x"),
        ("XINFO", "FOO"),
        ("XINFO", "FOO", "s"),
        ("XINFO",),
        ("XINFO", "STREAM"),
        ("XINFO", "GROUPS", "s", "x"),
        ("XINFO", "CONSUMERS", "s"),
        ("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"),
        ("XINFO", "STREAM", "s"),
        ("XINFO", "STREAM", "s", "FULL"),
        ("XINFO", "STREAM", "s", "FOO"),
        ("XINFO", "STREAM", "s", "FULL", "COUNT"),
        ("XINFO", "STREAM", "s", "FULL", "COUNT", "x"),
        ("XINFO", "STREAM", "s", "FULL", "LIMIT", 1),
        ("XINFO", "STREAM", "s", "FULL", "COUNT", 1, "x"),
        ("XINFO", "STREAM", "nokey", "FOO"),
        ("XINFO", "CONSUMERS", "s", "nog"),
        *[("XADD", "s", str(i), "f", str(i), "g", "x") for i in range(1, 15)],
        ("XGROUP", "CREATE", "s", "g2", "5"),
        ("XGROUP", "CREATECONSUMER", "s", "g", "idle"),
        ("XREADGROUP", "GROUP", "g", "a", "COUNT", 12, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g2", "b", "COUNT", 2, "STREAMS", "s", ">"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "STREAMS", "s", ">"),
        ("XINFO", "STREAM", "s"),
        ("XINFO", "GROUPS", "s"),
        T("XINFO", "CONSUMERS", "s", "g"),
        T("XINFO", "STREAM", "s", "FULL"),
        T("XINFO", "STREAM", "s", "FULL", "COUNT", 2),
        T("XINFO", "STREAM", "s", "FULL", "COUNT", 0),
        T("XINFO", "STREAM", "s", "FULL", "COUNT", -1),
        T("XINFO", "stream", "s", "full", "count", 3),
    ],
    "nodes_and_approx_trim": [
        *[("XADD", "s", f"{i}-1", "f", "v") for i in range(1, 251)],
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MAXLEN", "~", 180),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MAXLEN", "~", 120),
        ("XLEN", "s"),
        ("XTRIM", "s", "MAXLEN", "~", 0, "LIMIT", 50),
        ("XTRIM", "s", "MINID", "~", "240"),
        ("XINFO", "STREAM", "s"),
        ("XDEL", "s", *[f"{i}-1" for i in range(201, 241)]),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MINID", "~", "241"),
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "MAXLEN", "~", 5, "300", "f", "v"),
        ("XTRIM", "s", "MINID", "245"),
        ("XRANGE", "s", "-", "+"),
        ("XINFO", "STREAM", "s"),
    ],
    "nodes_by_bytes": [
        *[
            ("XADD", "s", f"{i}", "field", "x" * (i * 37 % 300), "n", str(i * 1000))
            for i in range(1, 80)
        ],
        ("XINFO", "STREAM", "s"),
        *[
            ("XADD", "s", f"{i}", "other", str(i), "n", "-" * (i % 70))
            for i in range(80, 150)
        ],
        ("XINFO", "STREAM", "s"),
        ("XADD", "s", "150", "big", "y" * 5000),
        ("XADD", "s", "151", "big", "y"),
        ("XADD", "s", f"{2**40}-{2**50}", "big", "y"),
        ("XADD", "s", f"{2**63}-0", "big", "12345678901234"),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MAXLEN", "~", 10),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MINID", "~", "120"),
        ("XINFO", "STREAM", "s"),
    ],
    "nodes_sparse_keys": [
        *[
            ("XADD", "s", f"{i * 7919}-{i * 104729}", "f", "v" * (i % 5))
            for i in range(1, 400)
        ],
        ("XINFO", "STREAM", "s"),
        ("XDEL", "s", *[f"{i * 7919}-{i * 104729}" for i in range(1, 400, 3)]),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MAXLEN", 100),
        ("XINFO", "STREAM", "s"),
        ("XTRIM", "s", "MINID", "~", f"{300 * 7919}"),
        ("XINFO", "STREAM", "s"),
    ],
    "keys_commands": [
        ("XADD", "s", "1", "f", "v"),
        ("XADD", "s", "2", "f", "w"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XREADGROUP", "GROUP", "g", "c", "COUNT", 1, "STREAMS", "s", ">"),
        ("COPY", "s", "t"),
        ("XRANGE", "t", "-", "+"),
        ("XINFO", "GROUPS", "t"),
        ("XPENDING", "t", "g"),
        ("XADD", "t", "3", "f", "x"),
        ("XLEN", "s"),
        ("XLEN", "t"),
        ("RENAME", "t", "u"),
        ("XINFO", "STREAM", "u"),
        ("TYPE", "u"),
        ("OBJECT", "ENCODING", "u"),
        ("DEL", "s"),
        ("XINFO", "GROUPS", "s"),
        ("XADD", "s", "1", "f", "v"),
        ("XINFO", "GROUPS", "s"),
        ("EXPIRE", "s", 1000),
        ("XADD", "s", "2", "f", "v"),
        ("TTL", "s"),
        ("SET", "s", "x"),
        ("TYPE", "s"),
        ("SCAN", 0, "TYPE", "stream"),
        ("COPY", "u", "s"),
        ("COPY", "u", "s", "REPLACE"),
        ("XRANGE", "s", "-", "+"),
    ],
    "wrong_arity": [
        ("XADD", "s", "1", "f"),
        ("XADD", "s", "*"),
        ("XLEN",),
        ("XLEN", "s", "x"),
        ("XRANGE", "s", "-"),
        ("XREVRANGE", "s", "+"),
        ("XREAD", "STREAMS", "s"),
        ("XDEL", "s"),
        ("XTRIM", "s", "MAXLEN"),
        ("XSETID", "s"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s"),
        ("XACK", "s", "g"),
        ("XPENDING", "s"),
        ("XCLAIM", "s", "g", "c", "0"),
        ("XAUTOCLAIM", "s", "g", "c", "0"),
        ("XINFO", "STREAM"),
        ("XINFO", "GROUPS"),
        ("XINFO", "CONSUMERS", "s"),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_streams(targets, steps, level):
    check(targets, level, steps)


def test_resp3_shapes(targets):
    """XREAD and XINFO answer maps in RESP3 (HELLO 3), arrays of pairs in RESP2."""
    steps = [
        C("HELLO", "3", norm=SHAPE),
        ("XADD", "s", "1", "f", "v"),
        ("XADD", "t", "1", "f", "v"),
        ("XGROUP", "CREATE", "s", "g", "0"),
        ("XREAD", "STREAMS", "s", "t", "0", "0"),
        ("XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"),
        ("XINFO", "STREAM", "s"),
        ("XINFO", "GROUPS", "s"),
        T("XINFO", "CONSUMERS", "s", "g"),
        T("XINFO", "STREAM", "s", "FULL"),
        ("XPENDING", "s", "g"),
        ("XAUTOCLAIM", "s", "g", "c", "0", "0"),
        ("XGROUP", "HELP"),
    ]
    check(targets, "raw", steps)


# -- the round trip: 100,000 entries, one group, two consumers, one dies ----------------


def test_consumer_group_round_trip(tmp_path):
    """100,000 entries produced through pipelines; consumers a and b of one group read
    and ack in turns; b dies (stops acking) holding entries; XAUTOCLAIM hands them to
    a. No entry is lost, and none is delivered to two live consumers."""
    r = redlite.Redis(str(tmp_path / "round_trip.db"))
    n = 100_000
    batch = 5_000
    for start in range(0, n, batch):
        with r.pipeline(transaction=False) as p:
            for i in range(start, start + batch):
                p.xadd("jobs", {"n": str(i)}, id=f"{i + 1}-0")
            p.execute()
    assert r.xlen("jobs") == n
    r.xgroup_create("jobs", "workers", id="0")

    seen: dict = {}
    acked: set = set()
    b_alive = True
    rounds = 0
    while True:
        rounds += 1
        progressed = False
        for name in ("a", "b"):
            if name == "b" and not b_alive:
                continue
            reply = r.xreadgroup("workers", name, {"jobs": ">"}, count=700)
            if not reply:
                continue
            entries = reply[0][1]
            progressed = progressed or bool(entries)
            ids = []
            for entry_id, fields in entries:
                assert entry_id not in seen, f"{entry_id!r} delivered twice"
                seen[entry_id] = name
                assert int(fields[b"n"]) + 1 == int(entry_id.split(b"-")[0])
                ids.append(entry_id)
            if name == "b" and rounds == 40:
                b_alive = False  # dies holding this batch, unacked
                continue
            with r.pipeline(transaction=False) as p:
                for i in range(0, len(ids), 500):
                    p.xack("jobs", "workers", *ids[i : i + 500])
                done = p.execute()
            assert sum(done) == len(ids)
            acked.update(ids)
        if not progressed:
            break

    assert len(seen) == n, "every entry delivered once"
    pending = r.xpending("jobs", "workers")
    held_by_b = {e for e, who in seen.items() if who == "b"} - acked
    assert pending["pending"] == len(held_by_b) > 0
    assert pending["consumers"] == [{"name": b"b", "pending": len(held_by_b)}]

    # b is dead: a takes over everything idle for at least 0 ms, in pages.
    time.sleep(0.01)
    cursor = "0-0"
    claimed = []
    while True:
        cursor, entries, deleted = r.xautoclaim(
            "jobs", "workers", "a", min_idle_time=5, start_id=cursor, count=300
        )
        assert deleted == []
        claimed.extend(e[0] for e in entries)
        if cursor == b"0-0":
            break
    assert sorted(claimed) == sorted(held_by_b)
    assert r.xack("jobs", "workers", *claimed) == len(claimed)
    acked.update(claimed)
    assert len(acked) == n, "no entry lost"
    assert r.xpending("jobs", "workers")["pending"] == 0
    groups = r.xinfo_groups("jobs")
    assert groups[0]["entries-read"] == n and groups[0]["lag"] == 0
    consumers = {c["name"]: c["pending"] for c in r.xinfo_consumers("jobs", "workers")}
    assert consumers == {b"a": 0, b"b": 0}
    r.close()


# -- blocking reads (XREAD BLOCK, XREADGROUP BLOCK) ------------------------------------


def in_thread(fn):
    box: dict = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # pragma: no cover - shown by the assertion
            box["value"] = e
        box["at"] = time.monotonic()
        done.set()

    threading.Thread(target=run, daemon=True).start()

    def get(timeout: float = 10.0):
        assert done.wait(timeout), "no reply"
        return box["value"]

    get.done = done  # type: ignore[attr-defined]
    get.box = box  # type: ignore[attr-defined]
    return get


def wait_blocked(client, n: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while int(client.info("clients")["blocked_clients"]) != n:
        assert time.monotonic() < deadline, f"never {n} blocked clients"
        time.sleep(0.005)


def blocking_scenario(make) -> list:
    """Blocked readers woken by XADD: `$`, explicit ids, a group's consumers in arrival
    order, NOACK, a destroyed group, timeouts. `make()` gives a new client; the result
    is deterministic, so real Redis must give the same."""
    admin = make()
    admin.flushall()
    out = []
    x = lambda c, *a: c.execute_command(*a)  # noqa: E731
    admin.execute_command("XADD", "s", "1-0", "f", "old")
    # XREAD $: only what comes after it blocked.
    c1, c2 = make(), make()
    w1 = in_thread(lambda: x(c1, "XREAD", "BLOCK", 0, "STREAMS", "s", "$"))
    wait_blocked(admin, 1)
    w2 = in_thread(
        lambda: x(
            c2, "XREAD", "COUNT", 5, "BLOCK", 0, "STREAMS", "other", "s", "0", "5-0"
        )
    )
    wait_blocked(admin, 2)
    x(admin, "XADD", "s", "2-0", "f", "v2")  # serves c1; c2 waits for an id after 5-0
    out.append(w1())
    wait_blocked(admin, 1)
    x(admin, "XADD", "other", "1-1", "k", "v")  # serves c2 from the other stream
    out.append(w2())
    # XREADGROUP >: one entry per waiter, first come first served.
    x(admin, "XGROUP", "CREATE", "s", "g", "$")
    ws = []
    for i, name in enumerate(["alice", "bob", "carol"]):
        c = make()
        noack = ["NOACK"] if name == "carol" else []
        ws.append(
            in_thread(
                lambda c=c, n=name, o=noack: x(
                    c,
                    "XREADGROUP",
                    "GROUP",
                    "g",
                    n,
                    *o,
                    "BLOCK",
                    0,
                    "STREAMS",
                    "s",
                    ">",
                )
            )
        )
        wait_blocked(admin, i + 1)
    for i in range(3):
        x(admin, "XADD", "s", f"{10 + i}-0", "n", str(i))
        out.append(ws[i]())
    out.append(x(admin, "XPENDING", "s", "g"))
    out.append(x(admin, "XINFO", "GROUPS", "s"))
    # A destroyed group answers its blocked reader with an error.
    c = make()
    w = in_thread(
        lambda: x(
            c, "XREADGROUP", "GROUP", "g", "dave", "BLOCK", 0, "STREAMS", "s", ">"
        )
    )
    wait_blocked(admin, 1)
    x(admin, "XGROUP", "DESTROY", "s", "g")
    got = w()
    out.append((type(got).__name__, str(got)))
    # Timeouts: a null reply after the time asked.
    t = time.monotonic()
    out.append(x(admin, "XREAD", "BLOCK", 100, "STREAMS", "s", "$"))
    x(admin, "XGROUP", "CREATE", "s", "g2", "$")
    out.append(
        x(admin, "XREADGROUP", "GROUP", "g2", "c", "BLOCK", 50, "STREAMS", "s", ">")
    )
    took = time.monotonic() - t
    assert 0.14 < took < 3, took
    out.append(x(admin, "XINFO", "CONSUMERS", "s", "g2"))
    wait_blocked(admin, 0)
    return out


def test_blocking_over_resp_matches_redis(redis_server, redlite_server):
    want = blocking_scenario(lambda: redis.Redis(port=redis_server.port))
    got = blocking_scenario(lambda: redis.Redis(port=redlite_server.port))
    assert got == want


def test_blocking_embedded_matches_redis(redis_server, tmp_path):
    want = blocking_scenario(lambda: redis.Redis(port=redis_server.port))
    client = redlite.Redis(str(tmp_path / "blocking.db"))
    got = blocking_scenario(lambda: client)
    assert got == want
    client.close()


def test_embedded_xread_wakes_at_once_on_xadd_from_another_thread(tmp_path):
    client = redlite.Redis(str(tmp_path / "e.db"))
    client.xadd("s", {"f": "old"}, id="1-0")
    waiter = in_thread(lambda: client.xread({"s": "$"}, block=0))
    wait_blocked(client, 1)
    time.sleep(0.2)  # past any poll interval: only the XADD may wake it
    assert not waiter.done.is_set()
    t = time.monotonic()
    client.xadd("s", {"f": "new"}, id="2-0")
    assert waiter() == [[b"s", [(b"2-0", {b"f": b"new"})]]]
    assert waiter.box["at"] - t < 0.05, f"woken after {waiter.box['at'] - t:.3f}s"
    client.close()


CHILD = r"""
import sys, time
import redlite
r = redlite.Redis(sys.argv[1])
print("ready", flush=True)
got = r.xreadgroup("g", "child", {"s": ">"}, block=20000)
print(repr(got), flush=True)
"""


def test_a_reader_in_another_process_is_woken(tmp_path):
    path = str(tmp_path / "shared.db")
    here = redlite.Redis(path)
    here.xgroup_create("s", "g", id="$", mkstream=True)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "python") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, path], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)  # the child is blocked by now
        here.xadd("s", {"from": "parent"}, id="7-0")
        out, _ = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
    assert out.strip() == "[[b's', [(b'7-0', {b'from': b'parent'})]]]"
    assert here.xpending("s", "g")["consumers"] == [{"name": b"child", "pending": 1}]
    here.close()
