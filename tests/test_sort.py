"""SORT and SORT_RO, differential against a real Redis.

Each case runs at three levels (raw RESP2 trees, redis-py RESP2, redis-py default
protocol) on real Redis, redlite-server and embedded redlite; see differential.py.
SORT's answers are ordered, so they are compared exactly, except a set left in its own
order (BY nosort without STORE), whose order Redis leaves to its hash table.

Redis 7.0 never clears errno before the strtod of each weight: after a weight out of
range (1e400), every later numeric SORT weighing a value not stored as an integer fails
too, until some failing system call resets errno (a new connection does). redlite does
not copy that; the cases put such weights last.

The cases over sets and sorted sets build lists with SORT ... STORE and read them
back with SORT ... BY nosort; the list cases use the list commands.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from differential import UNORDERED, C, cases_params, check


def U(*argv: Any) -> Any:
    return C(*argv, norm=UNORDERED)


# Over sets, sorted sets and strings/hashes for BY and GET: no list command needed.
CASES = {
    "numeric_and_alpha": [
        ("SADD", "s", 3, 1, 2, 10, -5, "2.5", "1e1"),
        ("SORT", "s"),
        ("SORT", "s", "DESC"),
        ("SORT", "s", "ASC"),
        ("SORT", "s", "ALPHA"),
        ("SORT", "s", "ALPHA", "DESC"),
        ("SORT", "s", "desc", "alpha", "asc"),
        ("SADD", "w", 3, 1, "b", "a"),
        ("SORT", "w"),
        ("SORT", "w", "ALPHA"),
        ("SORT", "nokey"),
        ("SORT", "nokey", "ALPHA", "DESC", "LIMIT", 0, 1),
        ("SORT", "nokey", "BY", "nosort"),
        ("SORT_RO", "s"),
        ("SORT_RO", "s", "ALPHA", "DESC", "LIMIT", 1, 2),
        ("SORT_RO", "nokey"),
        ("SORT", "s", "FOO"),
        ("SORT",),
        ("SORT_RO",),
    ],
    "limit": [
        ("SADD", "s", 5, 4, 3, 2, 1),
        ("SORT", "s", "LIMIT", 0, 2),
        ("SORT", "s", "LIMIT", 1, 2),
        ("SORT", "s", "LIMIT", 3, 10),
        ("SORT", "s", "LIMIT", 5, 1),
        ("SORT", "s", "LIMIT", -5, 2),
        ("SORT", "s", "LIMIT", 2, -1),
        ("SORT", "s", "LIMIT", 2, 0),
        ("SORT", "s", "LIMIT", 1, 2, "DESC"),
        ("SORT", "s", "LIMIT", 1, 2, "LIMIT", 0, 1),
        ("SORT", "s", "LIMIT", "-9223372036854775808", "9223372036854775807"),
        ("SORT", "s", "LIMIT", "9223372036854775807", "9223372036854775807"),
        ("SORT", "s", "LIMIT"),
        ("SORT", "s", "LIMIT", 1),
        ("SORT", "s", "LIMIT", "x", 1),
        ("SORT", "s", "LIMIT", 1, "x"),
        ("SORT", "s", "LIMIT", "1.5", 2),
        ("SORT", "s", "LIMIT", 1, 2, 3),
    ],
    "by_nosort": [
        ("SADD", "n", 10, 9, 2, -1),
        ("SORT", "n", "BY", "nosort"),
        ("SORT", "n", "BY", "nosort", "DESC"),
        ("SORT", "n", "BY", "nosort", "LIMIT", 1, 2),
        ("SADD", "s", "b", "a", "c"),
        U("SORT", "s", "BY", "nosort"),
        ("SORT", "s", "BY", "nosort", "STORE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SORT", "s", "BY", "nosort", "DESC", "STORE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SORT", "n", "BY", "nosort", "STORE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SORT", "dst", "BY", "nosort", "DESC"),
        ("SORT", "dst", "BY", "nosort", "LIMIT", 1, 2),
        ("SORT", "dst", "BY", "nosort", "LIMIT", 1, 2, "DESC"),
        ("SORT", "dst", "BY", "nosort", "LIMIT", 3, 10, "DESC"),
        ("ZADD", "z", 3, "a", 1, "b", 2, "c", 2, "d"),
        ("SORT", "z", "BY", "nosort"),
        ("SORT", "z", "BY", "nosort", "DESC"),
        ("SORT", "z", "BY", "nosort", "LIMIT", 1, 2),
        ("SORT", "z", "BY", "nosort", "DESC", "LIMIT", 1, 2),
        ("SORT", "z", "BY", "nosort", "LIMIT", 3, 5),
        ("SORT", "z", "ALPHA"),
        ("SORT", "z", "ALPHA", "DESC"),
        ("SORT", "z"),
        ("ZADD", "zn", 1, 30, 2, 10, 3, 20),
        ("SORT", "zn"),
        ("SORT", "zn", "BY", "nosort", "GET", "#"),
    ],
    "by_pattern": [
        ("SADD", "s", 3, 1, 2, 10, "b", "a"),
        ("MSET", "w_3", 30, "w_1", 10, "w_2", 20, "w_10", 5),
        ("SORT", "s", "BY", "w_*"),
        ("SORT", "s", "BY", "w_*", "DESC"),
        ("SORT", "s", "BY", "w_*", "GET", "#", "GET", "w_*"),
        ("SORT", "s", "BY", "w_*", "LIMIT", 1, 3),
        ("SORT", "s", "BY", "w_*->f"),
        ("SORT", "s", "BY", "missing_*"),
        ("SORT", "s", "BY", "missing_*", "DESC"),
        ("SET", "w_b", "x"),
        ("SORT", "s", "BY", "w_*"),
        ("HSET", "h_3", "f", "c"),
        ("HSET", "h_1", "f", "a"),
        ("HSET", "h_2", "g", "z", "f", 7),
        ("SORT", "s", "BY", "h_*->f", "LIMIT", 0, 0),
        ("SADD", "t", 1, 2, 3),
        ("SORT", "t", "BY", "h_*->f", "ALPHA"),
        ("SORT", "t", "BY", "h_*->f", "ALPHA", "GET", "h_*->f", "GET", "#"),
        ("SORT", "t", "BY", "h_*->g", "ALPHA", "DESC", "GET", "#"),
        ("SORT", "t", "BY", "w_*", "ALPHA", "GET", "#"),
        ("SORT", "t", "BY", "w_*", "ALPHA", "DESC", "LIMIT", 0, 2),
        ("SORT", "t", "BY", "h_*->", "ALPHA", "GET", "#"),
        ("SADD", "setkey_1", "x"),
        ("SORT", "t", "BY", "setkey_*"),
    ],
    "get_patterns": [
        ("SADD", "s", 2, 1, 3),
        ("MSET", "o_1", "one", "o_2", "two"),
        ("HSET", "p_1", "name", "uno"),
        ("HSET", "p_3", "name", "tres"),
        ("SORT", "s", "GET", "o_*"),
        ("SORT", "s", "GET", "#", "GET", "o_*", "GET", "p_*->name"),
        ("SORT", "s", "GET", "#"),
        ("SORT", "s", "GET", "nostar"),
        ("SORT", "s", "GET", "#x"),
        ("SORT", "s", "GET", "o_*->"),
        ("SORT", "s", "GET", "p_*->"),
        ("SORT", "s", "GET", "p_*->missing"),
        ("SORT", "s", "GET", "o_*->name"),
        ("SORT", "s", "GET", "p_*"),
        ("SORT", "s", "LIMIT", 0, 1, "GET", "o_*", "DESC"),
        ("SET", "pre_2_post", "yes"),
        ("SORT", "s", "GET", "pre_*_post"),
        ("HSET", "k_1->x", "f", "v"),
        ("SORT", "s", "GET", "k_*->x->f"),
        ("SORT", "s", "GET", "*"),
        ("SET", 1, "direct"),
        ("SORT", "s", "GET", "*"),
        ("SET", b"b\x00_1", "nul"),
        ("SORT", "s", "GET", b"b\x00_*"),
        ("SORT", "s", "GET"),
        ("SORT", "s", "BY"),
        ("SORT", "s", "STORE"),
    ],
    "weights": [
        ("SADD", "a", " 5", "1e1", "+3", ".5", "5."),
        ("SORT", "a"),
        ("SADD", "b", "0x10", 1),
        ("SORT", "b"),
        ("SADD", "c", "inf", "-inf", 0),
        ("SORT", "c"),
        ("SADD", "d", "", 1),
        ("SORT", "d"),
        ("SADD", "k", "-0", 0, "+0"),
        ("SORT", "k"),
        ("SORT", "k", "DESC"),
        ("SADD", "m", b"5\x00abc", 3),
        ("SORT", "m"),
        ("SADD", "g", "nan", 1),
        ("SORT", "g"),
        ("SADD", "h", "1 ", 1),
        ("SORT", "h"),
        ("SADD", "i", "1e"),
        ("SORT", "i"),
        ("SADD", "j", "  "),
        ("SORT", "j"),
        ("SADD", "n", 2, 1),
        ("SET", "wn_1", "abc"),
        ("SORT", "n", "BY", "wn_*"),
        ("SORT", "n", "BY", "wn_*", "ALPHA"),
        ("SORT", "g", "STORE", "dst"),
        ("EXISTS", "dst"),
        # Out of range last (see the module's docstring).
        ("SADD", "e", "1e400"),
        ("SORT", "e"),
        ("SADD", "f", "1e-320"),
        ("SORT", "f"),
    ],
    "store": [
        ("SADD", "s", 3, 1, 2),
        ("SORT", "s", "STORE", "dst"),
        ("TYPE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SORT", "s", "DESC", "STORE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SET", "o_1", "one"),
        ("SORT", "s", "GET", "o_*", "GET", "#", "STORE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SORT", "dst", "ALPHA"),
        ("SORT", "dst", "ALPHA", "STORE", "dst"),
        ("SORT", "dst", "BY", "nosort"),
        ("SORT", "s", "LIMIT", 10, 1, "STORE", "dst"),
        ("EXISTS", "dst"),
        ("SORT", "nokey", "STORE", "dst"),
        ("SORT", "s", "STORE", "dst2", "STORE", "dst3"),
        ("EXISTS", "dst2"),
        ("SORT", "dst3", "BY", "nosort"),
        ("SET", "str", "v"),
        ("EXPIRE", "str", 100),
        ("SORT", "s", "STORE", "str"),
        ("TYPE", "str"),
        ("TTL", "str"),
        ("SORT", "str", "BY", "nosort"),
        ("SORT", "s", "STORE", "s"),
        ("TYPE", "s"),
        ("SORT", "s", "BY", "nosort"),
        ("SORT_RO", "s", "STORE", "dst"),
        ("ZADD", "z", 2, "b", 1, "a"),
        ("SORT", "z", "BY", "nosort", "STORE", "zdst"),
        ("SORT", "zdst", "BY", "nosort"),
        ("SADD", "bad", "a", 1),
        ("SORT", "bad", "STORE", "dst3"),
        ("SORT", "dst3", "BY", "nosort"),
    ],
    "wrongtype": [
        ("SET", "str", "v"),
        ("SORT", "str"),
        ("SORT", "str", "ALPHA"),
        ("SORT", "str", "FOO"),
        ("SORT_RO", "str"),
        ("HSET", "h", "a", 1),
        ("SORT", "h"),
        ("SORT", "h", "STORE", "dst"),
        ("EXISTS", "dst"),
    ],
    "getkeys": [
        ("COMMAND", "GETKEYS", "SORT", "l"),
        ("COMMAND", "GETKEYS", "SORT", "l", "STORE", "d"),
        ("COMMAND", "GETKEYS", "SORT", "l", "BY", "w_*", "STORE", "d", "GET", "#"),
        ("COMMAND", "GETKEYS", "SORT_RO", "l", "BY", "w_*"),
        ("COMMAND", "GETKEYSANDFLAGS", "SORT", "l", "STORE", "d"),
        ("COMMAND", "GETKEYS", "SINTERCARD", 2, "a", "b", "LIMIT", 1),
        ("COMMAND", "GETKEYS", "SINTERCARD", 3, "a", "b"),
        ("COMMAND", "GETKEYS", "SMOVE", "a", "b", "m"),
        ("COMMAND", "GETKEYS", "SUNIONSTORE", "d", "a", "b"),
    ],
}

# Over lists: RPUSH and LRANGE.
LIST_CASES = {
    "list_numeric_and_alpha": [
        ("RPUSH", "l", 3, 1, 2, 10, -5, "2.5", "1e1", 1, 1),
        ("SORT", "l"),
        ("SORT", "l", "DESC"),
        ("SORT", "l", "ALPHA"),
        ("SORT", "l", "ALPHA", "DESC", "LIMIT", 1, 4),
        ("SORT_RO", "l", "LIMIT", 2, 3),
    ],
    "list_by_nosort": [
        ("RPUSH", "l", 3, 1, 2, 10, "b", "a"),
        ("SORT", "l", "BY", "nosort"),
        ("SORT", "l", "BY", "nosort", "DESC"),
        ("SORT", "l", "BY", "nosort", "LIMIT", 1, 2),
        ("SORT", "l", "BY", "nosort", "LIMIT", 1, 2, "DESC"),
        ("SORT", "l", "BY", "nosort", "LIMIT", 4, 10, "DESC"),
        ("SORT", "l", "BY", "nosort", "LIMIT", 10, 10),
        ("SORT", "l", "BY", "nosort", "BY", "w_*"),
        ("SORT", "l", "BY", "w_*", "BY", "nosort"),
        ("SORT", "l", "BY", "nosort", "ALPHA", "STORE", "dst"),
        ("LRANGE", "dst", 0, -1),
    ],
    "list_by_and_get": [
        ("RPUSH", "l", 3, 1, 2, 10, "b", "a"),
        ("MSET", "w_3", 30, "w_1", 10, "w_2", 20, "w_10", 5),
        ("SORT", "l", "BY", "w_*", "GET", "#", "GET", "w_*"),
        ("SORT", "l", "BY", "w_*", "ALPHA"),
        ("SORT", "l", "BY", "w_*", "ALPHA", "DESC"),
        ("HSET", "h_3", "f", "c"),
        ("HSET", "h_1", "f", "a"),
        ("SORT", "l", "BY", "h_*->f", "ALPHA", "GET", "h_*->f", "GET", "#"),
        ("SORT", "l", "BY", "missing_*", "ALPHA"),
        ("SORT", "l", "BY", "missing_*", "ALPHA", "DESC"),
    ],
    "list_store": [
        ("RPUSH", "l", 3, 1, 2),
        ("SORT", "l", "STORE", "dst"),
        ("LRANGE", "dst", 0, -1),
        ("LLEN", "dst"),
        ("SET", "o_1", "one"),
        ("SORT", "l", "GET", "o_*", "GET", "#", "STORE", "dst"),
        ("LRANGE", "dst", 0, -1),
        ("SORT", "l", "STORE", "l"),
        ("LRANGE", "l", 0, -1),
        ("RPUSH", "l", 0),
        ("LRANGE", "l", 0, -1),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_sort(targets, steps, level):
    check(targets, level, steps)


@pytest.mark.parametrize("steps,level", cases_params(LIST_CASES))
def test_sort_lists(targets, steps, level):
    check(targets, level, steps)


def test_store_wakes_a_blocked_client(real, embedded, resp):
    import threading

    for client in (real, embedded, resp):
        client.sadd("s", 3, 1, 2)
        got = []
        waiter = threading.Thread(
            target=lambda got=got, client=client: got.append(
                client.blpop(["dst"], timeout=10)
            )
        )
        waiter.start()
        time.sleep(0.2)  # let it block
        assert client.sort("s", store="dst") == 3
        waiter.join(15)
        assert got == [(b"dst", b"1")] or got == [[b"dst", b"1"]], got
        assert client.lrange("dst", 0, -1) == [b"2", b"3"]
