"""Keyspace notifications (notify-keyspace-events) against a real Redis 7.

A subscriber on ``__key*@*__:*`` hears a long sequence of write commands of every
family, with all classes on (KEA) and with subsets; its messages, in order, and the
commands' replies must equal real Redis's. CONFIG GET/SET of the parameter is
compared on every target; expiry (the sweeper's, and a write meeting an expired key)
and the embedded client (redis-py's PubSub in-process) are checked too.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import pytest
import redlite
from differential import C, RawClient, cases_params, check

PATTERN = "__key*@*__:*"
END = "end-of-sequence"

STRINGS = [
    ["SET", "a", "1"],
    ["SET", "a", "2", "EX", "100"],
    ["SET", "a", "3", "KEEPTTL"],
    ["SET", "a", "4", "NX"],
    ["SET", "b", "x", "GET"],
    ["SET", "a", "5", "XX", "PX", "100000"],
    ["SETNX", "c", "1"],
    ["SETNX", "c", "2"],
    ["SETEX", "d", "100", "v"],
    ["PSETEX", "e", "100000", "v"],
    ["GETSET", "a", "6"],
    ["MSET", "f", "1", "g", "2"],
    ["MSETNX", "f", "1", "h", "2"],
    ["MSETNX", "h", "1", "i", "2"],
    ["INCR", "n"],
    ["DECR", "n"],
    ["INCRBY", "n", "5"],
    ["DECRBY", "n", "2"],
    ["INCRBYFLOAT", "fl", "1.5"],
    ["APPEND", "ap", "x"],
    ["APPEND", "ap", "y"],
    ["SETRANGE", "sr", "2", "x"],
    ["SETRANGE", "sr", "0", ""],
    ["SETRANGE", "nosr", "0", ""],
    ["GETDEL", "f"],
    ["GETDEL", "nokey"],
    ["GETEX", "g", "EX", "100"],
    ["GETEX", "g", "PERSIST"],
    ["GETEX", "g", "PERSIST"],
    ["GETEX", "g"],
    ["SETBIT", "bits", "7", "1"],
    ["BITOP", "AND", "dest", "bits", "ap"],
    ["BITOP", "AND", "dest", "none1", "none2"],
    ["BITFIELD", "bf", "SET", "u8", "0", "255"],
    ["BITFIELD", "bf", "GET", "u8", "0"],
    ["INCR", "ap"],
]

KEYS = [
    ["SET", "k1", "v"],
    ["SET", "k2", "v"],
    ["SET", "k3", "v"],
    ["DEL", "k1", "k2", "nokey"],
    ["UNLINK", "k3", "nokey"],
    ["SET", "r", "v"],
    ["RENAME", "r", "r2"],
    ["SET", "r3", "v"],
    ["RENAMENX", "r2", "r3"],
    ["RENAME", "r2", "r2"],
    ["RENAME", "r2", "r3"],
    ["COPY", "r3", "c1"],
    ["COPY", "r3", "c1"],
    ["COPY", "r3", "c1", "REPLACE"],
    ["COPY", "r3", "c2", "DB", "1"],
    ["MOVE", "c1", "2"],
    ["MOVE", "nokey", "2"],
    ["EXPIRE", "r3", "100"],
    ["PEXPIRE", "r3", "100000"],
    ["EXPIREAT", "r3", "99999999999"],
    ["PEXPIREAT", "r3", "99999999999000"],
    ["EXPIRE", "r3", "100", "NX"],
    ["PERSIST", "r3"],
    ["PERSIST", "r3"],
    ["EXPIRE", "nokey", "10"],
    ["EXPIRE", "r3", "-1"],
    ["TOUCH", "r3"],
    ["SELECT", "1"],
    ["SET", "in1", "v"],
    ["DEL", "c2"],
    ["SELECT", "0"],
]

HASHES = [
    ["HSET", "h", "f", "1", "g", "2"],
    ["HSET", "h", "f", "1"],
    ["HSETNX", "h", "f", "2"],
    ["HSETNX", "h", "z", "1"],
    ["HMSET", "h", "a", "1"],
    ["HINCRBY", "h", "n", "1"],
    ["HINCRBYFLOAT", "h", "fl", "1.5"],
    ["HDEL", "h", "nofield"],
    ["HDEL", "h", "f", "g"],
    ["HDEL", "h", "z", "a", "n", "fl"],
    ["HDEL", "h", "f"],
]

LISTS = [
    ["LPUSH", "l", "a", "b"],
    ["RPUSH", "l", "c"],
    ["LPUSHX", "nol", "a"],
    ["RPUSHX", "l", "d"],
    ["LINSERT", "l", "BEFORE", "a", "x"],
    ["LINSERT", "l", "BEFORE", "nope", "y"],
    ["LSET", "l", "0", "z"],
    ["LREM", "l", "0", "nope"],
    ["LREM", "l", "1", "z"],
    ["LPOP", "l"],
    ["RPOP", "l", "2"],
    ["LPUSH", "l", "1", "2", "3"],
    ["LMOVE", "l", "l2", "LEFT", "RIGHT"],
    ["RPOPLPUSH", "l", "l3"],
    ["LMOVE", "l", "l", "LEFT", "RIGHT"],
    ["LMPOP", "2", "nol", "l3", "RIGHT"],
    ["RPUSH", "l3", "x", "y"],
    ["BLPOP", "nol", "l3", "0"],
    ["BRPOP", "l3", "0"],
    ["BLMOVE", "l2", "l4", "RIGHT", "LEFT", "0"],
    ["BRPOPLPUSH", "l", "l4", "0"],
    ["BLMPOP", "0", "1", "l4", "LEFT", "COUNT", "5"],
    ["LTRIM", "l", "0", "-1"],
    ["RPUSH", "l", "1", "2"],
    ["LTRIM", "l", "5", "10"],
    ["LMOVE", "nol", "l2", "LEFT", "LEFT"],
]

SETS = [
    ["SADD", "s", "a", "b", "c"],
    ["SADD", "s", "a"],
    ["SREM", "s", "nope"],
    ["SREM", "s", "a"],
    ["SMOVE", "s", "s2", "b"],
    ["SMOVE", "s", "s2", "nope"],
    ["SMOVE", "s", "s", "c"],
    ["SPOP", "s"],
    ["SADD", "s", "a", "b"],
    ["SINTERSTORE", "dst", "s", "s2"],
    ["SUNIONSTORE", "dst", "s", "s2"],
    ["SDIFFSTORE", "dst", "s", "s"],
    ["SDIFFSTORE", "dst", "s", "s"],
    ["SPOP", "s", "10"],
    ["SMOVE", "s2", "s3", "b"],
]

ZSETS = [
    ["ZADD", "z", "1", "a", "2", "b"],
    ["ZADD", "z", "1", "a"],
    ["ZADD", "z", "INCR", "5", "a"],
    ["ZINCRBY", "z", "1", "b"],
    ["ZREM", "z", "nope"],
    ["ZREMRANGEBYSCORE", "z", "100", "200"],
    ["ZPOPMIN", "z"],
    ["ZADD", "z", "1", "x", "2", "y", "3", "w"],
    ["ZPOPMAX", "z"],
    ["ZRANGESTORE", "zd", "z", "0", "-1"],
    ["ZUNIONSTORE", "zu", "2", "z", "zd"],
    ["ZINTERSTORE", "zi", "1", "nope"],
    ["ZDIFFSTORE", "zu", "1", "nope"],
    ["ZMPOP", "1", "z", "MIN"],
    ["ZADD", "z", "0", "p", "0", "q", "0", "r"],
    ["ZREMRANGEBYLEX", "z", "[p", "[p"],
    ["BZPOPMIN", "z", "0"],
    ["BZPOPMAX", "zd", "0"],
    ["BZMPOP", "0", "2", "zd", "z", "MAX", "COUNT", "9"],
    ["ZADD", "z", "1", "a", "2", "b"],
    ["ZREMRANGEBYRANK", "z", "0", "-1"],
    ["ZADD", "z", "GT", "1", "a"],
]

STREAMS = [
    ["XADD", "st", "1-1", "f", "v"],
    ["XADD", "st", "MAXLEN", "1", "2-1", "f", "v"],
    ["XDEL", "st", "9-9"],
    ["XDEL", "st", "2-1"],
    ["XADD", "st", "3-1", "f", "v"],
    ["XTRIM", "st", "MAXLEN", "5"],
    ["XTRIM", "st", "MAXLEN", "0"],
    ["XSETID", "st", "10-1"],
    ["XGROUP", "CREATE", "st", "g", "$"],
    ["XGROUP", "CREATE", "st", "g", "$"],
    ["XGROUP", "CREATECONSUMER", "st", "g", "c1"],
    ["XGROUP", "CREATECONSUMER", "st", "g", "c1"],
    ["XGROUP", "DELCONSUMER", "st", "g", "c1"],
    ["XGROUP", "SETID", "st", "g", "0"],
    ["XGROUP", "DESTROY", "st", "g"],
    ["XGROUP", "DESTROY", "st", "g"],
    ["XGROUP", "CREATE", "st2", "g", "$", "MKSTREAM"],
    ["XADD", "st", "NOMKSTREAM", "20-1", "f", "v"],
    ["XADD", "nost", "NOMKSTREAM", "20-1", "f", "v"],
]

OTHERS = [
    ["RPUSH", "sl", "3", "1", "2"],
    ["SORT", "sl", "STORE", "sorted"],
    ["SORT", "nol", "STORE", "sorted"],
    ["SET", "wrong", "v"],
    ["LPUSH", "wrong", "x"],
    ["HSET", "wrong", "f", "v"],
    ["SET", "s1", "v"],
    ["LPUSH", "s1", "x"],
    ["SET", "s1", "over a list"],
    ["MULTI"],
    ["SET", "m1", "v"],
    ["LPUSH", "m2", "a"],
    ["DEL", "m1"],
    ["EXEC"],
    [
        "EVAL",
        "redis.call('set', KEYS[1], 'v'); redis.call('lpush', KEYS[2], 'x'); return 1",
        "2",
        "ev1",
        "ev2",
    ],
    [
        "EVAL",
        "redis.call('del', KEYS[1]); return redis.call('lpop', KEYS[2])",
        "2",
        "ev1",
        "ev2",
    ],
    ["FLUSHDB"],
    ["SET", "after", "flush"],
]

SEQUENCES = {
    "strings": STRINGS,
    "keys": KEYS,
    "hashes": HASHES,
    "lists": LISTS,
    "sets": SETS,
    "zsets": ZSETS,
    "streams": STREAMS,
    "others": OTHERS,
}


def run_sequence(
    port: int, flags: str, steps: Sequence[Sequence[str]]
) -> tuple[list[Any], list[Any]]:
    """The replies of `steps` and the messages a subscriber heard meanwhile."""
    ctl, sub = RawClient(port), RawClient(port)
    try:
        assert ctl.execute(["FLUSHALL"]) == ("simple", b"OK")
        assert ctl.execute(["CONFIG", "SET", "notify-keyspace-events", flags]) == (
            "simple",
            b"OK",
        )
        sub.execute(["PSUBSCRIBE", PATTERN])
        sub.execute(["SUBSCRIBE", END])
        replies = []
        for step in steps:
            reply = ctl.execute(list(step))
            if step[0] == "SPOP" and reply[0] == "array":
                reply = ("array", sorted(reply[1]))  # a random order
            replies.append(reply)
        assert ctl.execute(["PUBLISH", END, "x"]) == ("int", 1)
        messages = []
        while True:
            m = sub.read()
            if m[1][0] == ("bulk", b"message") and m[1][1] == ("bulk", END.encode()):
                break
            messages.append(tuple(x[1] for x in m[1][2:]))
        return replies, messages
    finally:
        ctl.execute(["CONFIG", "SET", "notify-keyspace-events", ""])
        ctl.execute(["FLUSHALL"])
        ctl.close()
        sub.close()


def compare(
    redis_port: int, redlite_port: int, flags: str, steps: Sequence[Sequence[str]]
) -> None:
    want_replies, want = run_sequence(redis_port, flags, steps)
    got_replies, got = run_sequence(redlite_port, flags, steps)
    for i, (w, g) in enumerate(zip(want_replies, got_replies)):
        assert g == w, f"reply to {steps[i]}: redis {w!r}, redlite {g!r}"
    assert got == want, "\n".join(
        f"{'  ' if i < len(got) and i < len(want) and got[i] == want[i] else '!!'} "
        f"redis {want[i] if i < len(want) else None!r:60} redlite {got[i] if i < len(got) else None!r}"
        for i in range(max(len(got), len(want)))
    )


@pytest.mark.parametrize("family", sorted(SEQUENCES))
def test_every_family_with_all_events(redis_server, redlite_server, family):
    compare(redis_server.port, redlite_server.port, "KEA", SEQUENCES[family])


@pytest.mark.parametrize(
    "flags", ["K$", "El", "Eg", "KEsh", "Ezt", "KE$n", "KEA", "gK"]
)
def test_subsets_of_classes(redis_server, redlite_server, flags):
    steps = [
        s for seq in SEQUENCES.values() for s in seq if s[0] not in ("MULTI", "EXEC")
    ]
    compare(redis_server.port, redlite_server.port, flags, steps)


def test_expiry_is_announced(redis_server, redlite_server):
    def expired(port: int) -> list[Any]:
        ctl, sub = RawClient(port), RawClient(port)
        try:
            ctl.execute(["FLUSHALL"])
            ctl.execute(["CONFIG", "SET", "notify-keyspace-events", "Egx"])
            sub.execute(["PSUBSCRIBE", PATTERN])
            ctl.execute(["SET", "soon", "v", "PX", "50"])
            got = [tuple(x[1] for x in sub.read()[1][2:])]  # expire
            # Heard within a generous timeout, from the active expiry.
            got.append(tuple(x[1] for x in sub.read()[1][2:]))
            return got
        finally:
            ctl.execute(["CONFIG", "SET", "notify-keyspace-events", ""])
            ctl.close()
            sub.close()

    assert expired(redlite_server.port) == expired(redis_server.port)


def test_a_write_meets_an_expired_key(resp):
    """An expired key that a write meets is deleted then, and announced as expired."""
    resp.config_set("notify-keyspace-events", "KEA")
    try:
        p = resp.pubsub()
        p.psubscribe(PATTERN)
        assert p.get_message(timeout=5)["type"] == "psubscribe"
        resp.set("lazy", "v", px=1)
        time.sleep(0.01)
        resp.lpush("lazy", "x")
        # SET's own path for a new or overwritten string key finds it expired too.
        resp.set("lazy2", "v", px=1)
        time.sleep(0.01)
        resp.set("lazy2", "w")
        got = []
        while len(got) < 16:
            m = p.get_message(timeout=10)
            assert m is not None, got
            got.append((m["channel"], m["data"]))
        p.close()
    finally:
        resp.config_set("notify-keyspace-events", "")
    events = [data for chan, data in got if chan.startswith(b"__keyspace")]
    assert events[:2] == [b"set", b"expire"]
    assert events[2:4] == [b"expired", b"lpush"]
    assert events[4:] == [b"set", b"expire", b"expired", b"set"]
    assert resp.get("lazy2") == b"w" and resp.ttl("lazy2") == -1


CONFIG_CASES = {
    "config": [
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "SET", "notify-keyspace-events", "KEA"),
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "SET", "notify-keyspace-events", "AnK"),
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "SET", "notify-keyspace-events", "Eg$lshzxetdKm"),
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "SET", "notify-keyspace-events", "nlE$"),
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "SET", "notify-keyspace-events", "Q"),
        C("CONFIG", "SET", "notify-keyspace-events", "KEA!"),
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "SET", "notify-keyspace-events", ""),
        C("CONFIG", "GET", "notify-keyspace-events"),
        C("CONFIG", "GET", "notify-keyspace-*"),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CONFIG_CASES))
def test_config_of_notify_keyspace_events(targets, steps, level):
    check(targets, level, steps)


@pytest.mark.parametrize("protocol", [2, 3])
def test_embedded_subscriber_hears_its_own_writes(tmp_path, protocol):
    path = str(tmp_path / "kea.db")
    client = redlite.Redis(path, protocol=protocol, decode_responses=True)
    other = redlite.Redis(path, decode_responses=True)
    try:
        other.config_set("notify-keyspace-events", "KEA")
        p = client.pubsub(ignore_subscribe_messages=True)
        p.subscribe("__keyspace@0__:watched")
        p.get_message(timeout=5)
        other.set("watched", "1")
        other.incr("watched")
        other.delete("watched")
        got = []
        while len(got) < 3:
            m = p.get_message(timeout=10)
            assert m is not None, got
            got.append(m["data"])
        assert got == ["set", "incrby", "del"]
        p.close()
        # A RESP3 client that writes while subscribed elsewhere is not confused by pushes.
        client.set("x", "1")
        assert client.get("x") == "1"
    finally:
        client.close()
        other.close()
