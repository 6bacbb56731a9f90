"""HyperLogLog (PFADD, PFCOUNT, PFMERGE, PFDEBUG, PFSELFTEST), differential against a
real Redis 7.0.15, embedded and over RESP.

A HyperLogLog is a string, and redlite keeps Redis's exact bytes in it: every case
reads the keys back with GET (and OBJECT ENCODING) after every step, so a difference
in a sparse split, a promotion, the cached cardinality or its stale bit shows at the
step that made it. The cases follow Redis 7.0's tests/unit/hyperloglog.tcl (the
larger loops shortened), plus each command's arity, options and errors, corrupt
values set by hand, a value written by Redis moved into redlite and back, and random
sequences (Hypothesis).
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

import pytest
import redis
from differential import SHAPE, C, cases_params, check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def observed(steps: Iterable[Any], keys: Sequence[str]) -> list[Any]:
    """The steps with GET and OBJECT ENCODING of `keys` after each one."""
    out: list[Any] = []
    for step in steps:
        out.append(step)
        for k in keys:
            out.append(("GET", k))
            out.append(("OBJECT", "ENCODING", k))
    return out


def elements(seed: int, n: int, prefix: str = "") -> list[str]:
    r = random.Random(seed)
    return [f"{prefix}{r.random()}" for _ in range(n)]


CASES = {
    "pfadd_basics": observed(
        [
            ("PFADD", "hll"),
            ("EXISTS", "hll"),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", "a", "b", "c"),
            ("PFADD", "hll", "a", "b", "c"),
            ("PFADD", "hll", ""),
            ("PFADD", "hll", b"\x00\xff\r\n"),
            ("PFCOUNT", "hll"),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll"),
            ("TYPE", "hll"),
            ("STRLEN", "hll"),
            ("pfadd", "hll", "CaSe"),
            ("PFADD",),
            ("PFCOUNT",),
            ("PFCOUNT", "nokey"),
            ("EXISTS", "nokey"),
        ],
        ["hll"],
    ),
    # tcl: PFCOUNT returns approximated cardinality of set (and the cache).
    "pfcount_cache": observed(
        [
            ("PFADD", "hll", 1, 2, 3, 4, 5),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", 6, 7, 8, 8, 9, 10),
            ("PFCOUNT", "hll"),
            ("GETRANGE", "hll", 15, 15),
            ("PFADD", "hll", 1, 2, 3),
            ("GETRANGE", "hll", 15, 15),
            ("PFADD", "hll", "x", "y", "z"),
            ("GETRANGE", "hll", 15, 15),
            ("PFCOUNT", "hll"),
        ],
        ["hll"],
    ),
    "pfcount_several_keys": observed(
        [
            ("PFADD", "a", *elements(1, 50)),
            ("PFADD", "b", *elements(2, 500)),
            ("PFDEBUG", "TODENSE", "b"),
            ("PFCOUNT", "a", "b"),
            ("PFCOUNT", "a", "b", "nokey"),
            ("PFCOUNT", "nokey", "nokey2"),
            ("PFCOUNT", "a", "a", "a"),
            ("PFCOUNT", "a"),
            ("SET", "s", "str"),
            ("PFCOUNT", "a", "s"),
            ("PFCOUNT", "s", "nokey"),
            ("LPUSH", "l", "x"),
            ("PFCOUNT", "a", "l"),
            ("PFCOUNT", "l"),
        ],
        ["a", "b"],
    ),
    "pfmerge": observed(
        [
            ("PFADD", "h1", "a", "b", "c"),
            ("PFADD", "h2", "b", "c", "d"),
            ("PFADD", "h3", "c", "d", "e"),
            ("PFMERGE", "h", "h1", "h2", "h3"),
            ("PFCOUNT", "h"),
            ("PFMERGE", "dest", "nosrc"),
            ("EXISTS", "dest"),
            ("PFCOUNT", "dest"),
            ("PFMERGE", "dest2", "nosrc", "nosrc2"),
            ("PFMERGE", "only"),
            ("PFCOUNT", "only"),
            ("PFMERGE", "h1"),
            ("PFCOUNT", "h1"),
            ("PFMERGE", "h1", "h1"),
            ("PFADD", "big", *elements(3, 3000)),
            ("PFMERGE", "h2", "big"),
            ("PFMERGE", "h3", "h3", "h1"),
            ("PFCOUNT", "h2"),
            ("PFMERGE",),
            ("SET", "s", "str"),
            ("PFMERGE", "s", "h1"),
            ("PFMERGE", "h1", "s"),
            ("LPUSH", "l", "x"),
            ("PFMERGE", "l", "h1"),
            ("PFMERGE", "h1", "l"),
            ("PFADD", "s", "x"),
            ("PFADD", "l", "x"),
        ],
        ["h", "h1", "h2", "h3", "dest", "only"],
    ),
    "pfdebug": observed(
        [
            ("PFADD", "h", "a", "b", "c"),
            ("PFDEBUG", "ENCODING", "h"),
            ("PFDEBUG", "DECODE", "h"),
            ("PFDEBUG", "decode", "h"),
            ("PFDEBUG", "GETREG", "h"),
            ("PFDEBUG", "ENCODING", "h"),
            ("PFDEBUG", "DECODE", "h"),
            ("PFDEBUG", "TODENSE", "h"),
            ("PFADD", "h2"),
            ("PFDEBUG", "DECODE", "h2"),
            ("PFDEBUG", "TODENSE", "h2"),
            ("PFDEBUG", "TODENSE", "h2"),
            ("PFDEBUG", "NOSUCH", "h2"),
            ("PFDEBUG", "NOSUCH", "nokey"),
            ("PFDEBUG", "GETREG", "nokey"),
            ("SET", "s", "str"),
            ("PFDEBUG", "GETREG", "s"),
            ("PFDEBUG", "nosuch", "s"),
            ("LPUSH", "l", "x"),
            ("PFDEBUG", "ENCODING", "l"),
            ("PFDEBUG", "GETREG"),
            ("PFDEBUG", "GETREG", "h", "extra"),
            ("PFDEBUG",),
            ("PFSELFTEST", "x"),
        ],
        ["h", "h2"],
    ),
    # tcl: Corrupted sparse / dense HyperLogLogs are detected.
    "corrupt_values": observed(
        [
            ("PFADD", "hll", "a", "b", "c"),
            ("APPEND", "hll", "hello"),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", "d", "e"),
            ("PFCOUNT", "hll", "nokey"),
            ("PFMERGE", "m", "hll"),
            ("PFDEBUG", "GETREG", "hll"),
            ("PFDEBUG", "TODENSE", "hll"),
            ("PFDEBUG", "DECODE", "hll"),
            ("DEL", "hll"),
            ("PFADD", "hll", "a", "b", "c"),
            ("SETRANGE", "hll", 0, "0123"),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", "x"),
            ("DEL", "hll"),
            ("PFADD", "hll", "a", "b", "c"),
            ("SETRANGE", "hll", 4, "x"),
            ("PFCOUNT", "hll"),
            ("DEL", "hll"),
            ("PFADD", "hll", "a", "b", "c"),
            ("SETRANGE", "hll", 4, b"\x00"),
            ("PFCOUNT", "hll"),
            ("SET", "hll", b"HYLL"),
            ("PFCOUNT", "hll"),
            ("SET", "hll", b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", "a"),
            ("SET", "hll", b"HYLL\x01\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00"),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", "a"),
            ("SET", "hll", b"HYLL\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80\x7f"),
            ("PFADD", "hll", "a"),
            ("PFCOUNT", "hll"),
            # A dense value of the right length: any register values go.
            ("SET", "hll", b"HYLL\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x80"),
            ("SETRANGE", "hll", 12303, b"\xff"),
            ("PFCOUNT", "hll"),
            ("SETRANGE", "hll", 16, b"\xff" * 300),
            ("PFCOUNT", "hll"),
            ("PFADD", "hll", "a", "b"),
            ("SET", "n", 12345678901234567890),
            ("PFCOUNT", "n"),
            ("SET", "n", 123),
            ("PFADD", "n", "x"),
        ],
        ["hll", "m"],
    ),
    # tcl: Change hll-sparse-max-bytes; promotion at the threshold.
    "sparse_max_bytes": observed(
        [
            ("CONFIG", "SET", "hll-sparse-max-bytes", 3000),
            ("PFADD", "hll", "a", "b", "c", "d", "e", "d", "g", "h", "i", "j", "k"),
            ("PFDEBUG", "ENCODING", "hll"),
            ("CONFIG", "SET", "hll-sparse-max-bytes", 30),
            ("CONFIG", "GET", "hll-sparse-max-bytes"),
            ("PFADD", "hll", "new_element"),
            ("PFDEBUG", "ENCODING", "hll"),
            ("CONFIG", "SET", "hll-sparse-max-bytes", 100),
            *[("PFADD", "p", e) for e in elements(4, 40)],
            ("PFDEBUG", "ENCODING", "p"),
            ("CONFIG", "SET", "hll-sparse-max-bytes", "1k"),
            ("CONFIG", "GET", "hll-sparse-max-bytes"),
            ("CONFIG", "SET", "hll-sparse-max-bytes", -1),
            ("CONFIG", "SET", "hll-sparse-max-bytes", "x"),
            ("CONFIG", "SET", "hll-sparse-max-bytes", 0),
            ("PFADD", "z", "a"),
            ("PFDEBUG", "ENCODING", "z"),
            ("CONFIG", "SET", "hll-sparse-max-bytes", 3000),
        ],
        ["hll", "p"],
    ),
    "pfselftest_and_arity": [
        ("PFSELFTEST",),
        ("PFADD",),
        ("PFMERGE",),
        ("PFCOUNT",),
        ("PFDEBUG", "GETREG"),
        ("COMMAND", "COUNT"),
    ],
    "in_multi_and_scripts": observed(
        [
            ("MULTI",),
            ("PFADD", "h", "a", "b"),
            ("PFCOUNT", "h"),
            ("PFMERGE", "m", "h"),
            ("PFCOUNT", "h", "m"),
            ("EXEC",),
            ("EVAL", "return redis.call('PFADD', KEYS[1], 'x', 'y')", 1, "h"),
            ("EVAL", "return redis.call('PFCOUNT', KEYS[1])", 1, "h"),
            ("SET", "s", "str"),
            ("EVAL", "return redis.pcall('PFADD', KEYS[1], 'x')", 1, "s"),
            ("EVAL_RO", "return redis.call('PFADD', KEYS[1], 'x')", 1, "h"),
        ],
        ["h", "m"],
    ),
}

# COMMAND COUNT differs (redlite has other commands): compare its shape only.
CASES["pfselftest_and_arity"][-1] = C("COMMAND", "COUNT", norm=SHAPE)


@pytest.fixture
def restore_sparse_max(redis_server, redlite_server):
    """The cases that change hll-sparse-max-bytes put it back even when they fail."""
    yield
    for port in (redis_server.port, redlite_server.port):
        redis.Redis(port=port).config_set("hll-sparse-max-bytes", 3000)


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_hyperloglog(targets, restore_sparse_max, steps, level):
    check(targets, level, steps)


# -- tcl: the longer loops, at the raw level ----------------------------------------------


def test_promotion_from_sparse_to_dense(targets, restore_sparse_max):
    """tcl: HyperLogLogs are promote from sparse to dense (to 12000 elements)."""
    steps: list[Any] = [("CONFIG", "SET", "hll-sparse-max-bytes", 3000)]
    for n in range(0, 12000, 100):
        steps.append(("PFADD", "hll", *elements(n, 100)))
        steps.append(("PFCOUNT", "hll"))
        steps.append(("PFDEBUG", "ENCODING", "hll"))
        steps.append(("STRLEN", "hll"))
    steps.append(("GET", "hll"))
    check(targets, "raw", steps)


def test_promotion_at_each_threshold(targets, restore_sparse_max):
    """tcl: Hyperloglog promote to dense well in different hll-sparse-max-bytes."""
    steps: list[Any] = []
    for i, limit in enumerate([100, 500, 3000]):
        steps += [("CONFIG", "SET", "hll-sparse-max-bytes", limit), ("DEL", "hll")]
        steps.append(("PFADD", "hll"))
        for j in range(0, 2500, 10):
            steps.append(("PFADD", "hll", *elements(1000 * i + j, 10)))
            steps.append(("GET", "hll"))
    check(targets, "raw", steps)


def test_sparse_encoding_stress(targets):
    """tcl: HyperLogLog sparse encoding stress test (100 rounds)."""
    r = random.Random(5)
    steps: list[Any] = []
    for x in range(100):
        items = elements(x, r.randrange(100))
        steps += [
            ("DEL", "hll1", "hll2"),
            ("PFADD", "hll2"),
            ("PFDEBUG", "TODENSE", "hll2"),
        ]
        steps.append(("PFADD", "hll1", *items) if items else ("PFADD", "hll1"))
        steps.append(("PFADD", "hll2", *items) if items else ("PFADD", "hll2"))
        steps += [
            ("PFDEBUG", "ENCODING", "hll1"),
            ("PFDEBUG", "ENCODING", "hll2"),
            ("PFCOUNT", "hll1"),
            ("PFCOUNT", "hll2"),
            ("GET", "hll1"),
            ("GET", "hll2"),
        ]
    check(targets, "raw", steps)


def test_fuzzing_corrupt_values(targets):
    """tcl: Fuzzing dense/sparse encoding: Redis should always detect errors. Random
    bytes over random positions, then every command on the value, answers and bytes
    compared."""
    r = random.Random(7)
    steps: list[Any] = []
    for j in range(150):
        steps += [("DEL", "hll", "o"), ("PFADD", "o", "x", "y")]
        items = elements(j, r.randrange(3000))
        steps.append(("PFADD", "hll", *items) if items else ("PFADD", "hll"))
        if r.random() < 0.3:
            steps.append(("PFDEBUG", "TODENSE", "hll"))
        size = 12304 if len(items) > 1500 else 18 + len(items) * 2
        for _ in range(5):
            pos = r.randrange(size)
            steps.append(("SETRANGE", "hll", pos, bytes([r.randrange(256)])))
            if r.random() < 0.5:
                break
        steps.append(
            r.choice(
                [
                    ("PFCOUNT", "hll"),
                    ("PFADD", "hll", *elements(10_000 + j, 20)),
                    ("PFMERGE", "o", "hll"),
                    ("PFMERGE", "hll", "o"),
                    ("PFCOUNT", "hll", "o"),
                    ("PFDEBUG", r.choice(["GETREG", "TODENSE", "DECODE"]), "hll"),
                ]
            )
        )
        steps += [
            ("GET", "hll"),
            ("GET", "o"),
            ("OBJECT", "ENCODING", "hll"),
            ("PFCOUNT", "hll"),
        ]
    check(targets, "raw", steps)


def test_pfcount_union(targets):
    """tcl: PFCOUNT multiple-keys merge returns cardinality of union #1 and #2."""
    steps: list[Any] = []
    for x in range(1, 1500):
        steps += [
            ("PFADD", "hll1", f"foo-{x}"),
            ("PFADD", "hll2", f"bar-{x}"),
            ("PFADD", "hll3", f"zap-{x}"),
        ]
        if x % 10 == 0:
            steps.append(("PFCOUNT", "hll1", "hll2", "hll3"))
    r = random.Random(9)
    steps.append(("DEL", "hll1", "hll2", "hll3"))
    for _x in range(1, 800):
        for j in (1, 2, 3):
            steps.append(("PFADD", f"hll{j}", r.randrange(20000)))
    steps += [("PFCOUNT", "hll1", "hll2", "hll3"), ("GET", "hll1"), ("GET", "hll3")]
    check(targets, "raw", steps)


def test_pfdebug_getreg_length_and_selftest(real, embedded, resp):
    """tcl: PFDEBUG GETREG returns the raw registers; HyperLogLog self test passes."""
    for c in (real, embedded, resp):
        c.pfadd("hll", 1, 2, 3)
        assert len(c.execute_command("PFDEBUG", "GETREG", "hll")) == 16384
        assert c.execute_command("PFSELFTEST") in (b"OK", "OK", True)


# -- a value written by Redis, in redlite and back ----------------------------------------


def test_redis_value_into_redlite_and_back(real, embedded, resp):
    """Bytes Redis wrote (sparse, and dense) are a HyperLogLog to redlite: SET there,
    they count and grow as in Redis, and what redlite writes is one to Redis."""
    for n, key in ((40, "small"), (4000, "large")):
        real.pfadd(key, *elements(n, n))
        payload = real.get(key)
        for c in (embedded, resp):
            c.set(key, payload)
            assert c.pfcount(key) == real.pfcount(key)
            assert c.get(key) == real.get(key)
            assert c.execute_command(
                "PFDEBUG", "ENCODING", key
            ) == real.execute_command("PFDEBUG", "ENCODING", key)
        more = elements(n + 1, 300)
        for c in (real, embedded, resp):
            c.pfadd(key, *more)
        ours = embedded.get(key)
        assert ours == real.get(key) == resp.get(key)
        # And back: Redis reads what redlite wrote.
        real.set(key + ":back", ours)
        assert real.pfcount(key + ":back") == embedded.pfcount(key)
        real.pfmerge("all", key + ":back")
        embedded.pfmerge("all", key)
        assert real.get("all") == embedded.get("all")


# -- random sequences ---------------------------------------------------------------------

HKEYS = st.sampled_from(["h1", "h2", "h3", "s"])
ELEMENTS = st.lists(
    st.one_of(st.integers(0, 300).map(str), st.binary(max_size=6)), max_size=40
)
HLL_COMMANDS = st.one_of(
    st.tuples(st.just("PFADD"), HKEYS).flatmap(
        lambda t: ELEMENTS.map(lambda e: (*t, *e))
    ),
    st.lists(HKEYS, min_size=1, max_size=3).map(lambda ks: ("PFCOUNT", *ks)),
    st.lists(HKEYS, min_size=1, max_size=3).map(lambda ks: ("PFMERGE", *ks)),
    st.tuples(
        st.just("PFDEBUG"), st.sampled_from(["TODENSE", "ENCODING", "DECODE"]), HKEYS
    ),
    st.tuples(st.just("SET"), st.just("s"), st.sampled_from(["x", "HYLL"])),
    st.tuples(st.just("DEL"), HKEYS),
)


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=40,
)
@given(steps=st.lists(HLL_COMMANDS, min_size=1, max_size=25))
def test_random_sequences(targets, steps):
    check(targets, "raw", observed(steps, ["h1", "h2", "h3"]))
