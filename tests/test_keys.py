"""Generic key, server and connection commands, differential against a real Redis.

Cases run at three levels (raw RESP2, redis-py RESP2, redis-py default protocol) on
real Redis, redlite-server and embedded redlite; see differential.py. DUMP payloads
are redlite's own format, not Redis's RDB encoding, so DUMP/RESTORE is checked as a
round trip within each target, not by comparing payloads.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import redis
from differential import REDIS_72_COMMANDS, C, RawClient, cases_params, check

NOW = int(time.time())
SOON = NOW + 1000
SOON_MS = SOON * 1000
PAST = NOW - 1000

MANY = [x for i in range(25) for x in (f"key:{i}", i)]

CASES = {
    "del_unlink_exists": [
        ("MSET", "a", 1, "b", 2, "c", 3, "d", 4),
        ("DEL", "a", "b", "x"),
        ("DEL", "a"),
        ("EXISTS", "a", "b", "c", "c", "x"),
        ("EXISTS", "c"),
        ("UNLINK", "c", "c", "y"),
        ("EXISTS", "c"),
        ("DEL", "d", "d"),
        ("DEL", b"\x00", b"\xff"),
        ("DEL",),
        ("UNLINK",),
        ("EXISTS",),
        ("DBSIZE",),
    ],
    "type": [
        ("SET", "s", "v"),
        ("TYPE", "s"),
        ("TYPE", "missing"),
        ("SET", "n", 1),
        ("TYPE", "n"),
        ("SETBIT", "bits", 3, 1),
        ("TYPE", "bits"),
        ("TYPE",),
        ("TYPE", "a", "b"),
    ],
    "keys": [
        (
            "MSET",
            "hello",
            1,
            "hallo",
            2,
            "hxllo",
            3,
            "hllo",
            4,
            "heeeello",
            5,
            "a*b",
            6,
            b"\x00bin",
            7,
            "h\\llo",
            8,
            "h-llo",
            9,
        ),
        ("KEYS", "h?llo"),
        ("KEYS", "h*llo"),
        ("KEYS", "h[ae]llo"),
        ("KEYS", "h[^e]llo"),
        ("KEYS", "h[a-c]llo"),
        ("KEYS", "*"),
        ("KEYS", "a\\*b"),
        ("KEYS", "a*"),
        ("KEYS", "*\x00*"),
        ("KEYS", "h\\\\llo"),
        ("KEYS", "nomatch*"),
        ("KEYS", ""),
        ("KEYS", "[h"),
        ("KEYS",),
        ("KEYS", "a", "b"),
    ],
    "scan": [
        ("MSET", *MANY),
        ("SET", "other", "x"),
        ("SCAN", 0, "COUNT", 1000),
        ("SCAN", 0, "MATCH", "key:1*", "COUNT", 1000),
        ("SCAN", 0, "match", "*", "count", 1000, "type", "string"),
        ("SCAN", 0, "TYPE", "hash", "COUNT", 1000),
        ("SCAN", 0, "TYPE", "nosuchtype", "COUNT", 1000),
        ("SCAN", 0, "MATCH", "nomatch", "COUNT", 1000),
        ("SCAN", "abc"),
        # (A cursor other than 0 or one a SCAN returned means something different to
        # every implementation: not compared.)
        ("SCAN", 0, "COUNT", 0),
        ("SCAN", 0, "COUNT", -1),
        ("SCAN", 0, "COUNT", "x"),
        ("SCAN", 0, "FOO"),
        ("SCAN", 0, "MATCH"),
        ("SCAN", 0, "COUNT"),
        ("SCAN",),
    ],
    "scan_empty": [
        ("SCAN", 0),
        ("SCAN", 0, "COUNT", 5),
        ("SCAN", 0, "MATCH", "*"),
    ],
    "randomkey": [
        ("RANDOMKEY",),
        ("SET", "a", 1),
        ("RANDOMKEY",),
        ("MSET", "b", 2, "c", 3),
        ("RANDOMKEY",),
        ("RANDOMKEY", "x"),
        ("DEL", "a", "b", "c"),
        ("RANDOMKEY",),
    ],
    "rename": [
        ("SET", "a", 1),
        ("RENAME", "a", "b"),
        ("GET", "a"),
        ("GET", "b"),
        ("RENAME", "missing", "x"),
        ("RENAME", "b", "b"),
        ("GET", "b"),
        ("SET", "c", 3),
        ("RENAME", "b", "c"),
        ("GET", "c"),
        ("SET", "t", "v", "EX", 100),
        ("RENAME", "t", "t2"),
        ("TTL", "t2"),
        ("SET", "dst", "w", "EX", 100),
        ("RENAME", "c", "dst"),
        ("TTL", "dst"),
        ("RENAME", b"\x00", "x"),
        ("SET", b"\x00\xff", "bin"),
        ("RENAME", b"\x00\xff", b"\r\n"),
        ("GET", b"\r\n"),
        ("RENAME", "a"),
        ("RENAME", "a", "b", "c"),
    ],
    "renamenx": [
        ("SET", "a", 1),
        ("RENAMENX", "a", "b"),
        ("SET", "c", 3),
        ("RENAMENX", "b", "c"),
        ("GET", "b"),
        ("GET", "c"),
        ("RENAMENX", "missing", "x"),
        ("RENAMENX", "b", "b"),
        ("SET", "t", "v", "PX", 100000),
        ("RENAMENX", "t", "t2"),
        ("PTTL", "t2"),
        ("RENAMENX", "a"),
    ],
    "copy": [
        ("SET", "s", "v"),
        ("COPY", "s", "d"),
        ("GET", "d"),
        ("COPY", "s", "d"),
        ("SET", "s", "v2"),
        ("COPY", "s", "d", "REPLACE"),
        ("GET", "d"),
        ("COPY", "s", "d", "DB", 1),
        ("COPY", "s", "d", "DB", 1),
        ("COPY", "s", "d", "db", 1, "replace"),
        ("SELECT", 1),
        ("GET", "d"),
        ("SELECT", 0),
        ("COPY", "missing", "d"),
        ("COPY", "s", "s"),
        ("COPY", "s", "s", "DB", 0),
        ("COPY", "s", "x", "DB", 16),
        ("COPY", "s", "x", "DB", -1),
        ("COPY", "s", "x", "DB", "abc"),
        ("COPY", "s", "x", "FOO"),
        ("COPY", "s", "x", "DB"),
        ("SET", "t", "v", "EX", 100),
        ("COPY", "t", "t2"),
        ("TTL", "t2"),
        ("COPY", "s"),
    ],
    "move": [
        ("SET", "m", "v"),
        ("MOVE", "m", 1),
        ("EXISTS", "m"),
        ("SELECT", 1),
        ("GET", "m"),
        ("SELECT", 0),
        ("MOVE", "m", 1),
        ("SET", "m", "v"),
        ("SELECT", 1),
        ("SET", "m", "other"),
        ("SELECT", 0),
        ("MOVE", "m", 1),
        ("GET", "m"),
        ("MOVE", "m", 0),
        ("MOVE", "m", 16),
        ("MOVE", "m", -1),
        ("MOVE", "m", "abc"),
        ("SET", "t", "v", "EX", 100),
        ("MOVE", "t", 2),
        ("SELECT", 2),
        ("TTL", "t"),
        ("SELECT", 0),
        ("MOVE", "m"),
    ],
    "touch": [
        ("MSET", "a", 1, "b", 2),
        ("TOUCH", "a", "b", "c", "a"),
        ("TOUCH", "c"),
        ("TOUCH",),
    ],
    "ttl_expire": [
        ("SET", "k", "v"),
        ("TTL", "k"),
        ("PTTL", "k"),
        ("TTL", "missing"),
        ("PTTL", "missing"),
        ("EXPIRE", "k", 100),
        ("TTL", "k"),
        ("PEXPIRE", "k", 100000),
        ("PTTL", "k"),
        ("EXPIREAT", "k", SOON),
        ("TTL", "k"),
        ("EXPIRETIME", "k"),
        ("PEXPIREAT", "k", SOON_MS),
        ("PEXPIRETIME", "k"),
        ("EXPIRETIME", "missing"),
        ("PEXPIRETIME", "missing"),
        ("PERSIST", "k"),
        ("PERSIST", "k"),
        ("PERSIST", "missing"),
        ("EXPIRETIME", "k"),
        ("PEXPIRETIME", "k"),
        ("TTL", "k"),
        ("EXPIRE", "missing", 100),
        ("PEXPIRE", "missing", 100),
        ("EXPIREAT", "missing", SOON),
        ("PEXPIREAT", "missing", SOON_MS),
        ("SET", "z", "v"),
        ("EXPIRE", "z", 0),
        ("EXISTS", "z"),
        ("SET", "z", "v"),
        ("EXPIRE", "z", -1),
        ("EXISTS", "z"),
        ("SET", "z", "v"),
        ("EXPIREAT", "z", PAST),
        ("EXISTS", "z"),
        ("SET", "z", "v"),
        ("PEXPIREAT", "z", 1),
        ("EXISTS", "z"),
        ("SET", "z", "v"),
        ("PEXPIRE", "z", -100),
        ("GET", "z"),
    ],
    "expire_errors": [
        ("SET", "k", "v"),
        ("EXPIRE", "k", "abc"),
        ("EXPIRE", "k", "1.5"),
        ("EXPIRE", "k", 9223372036854775807),
        ("EXPIRE", "k", -9223372036854775808),
        ("PEXPIRE", "k", 9223372036854775807),
        ("EXPIREAT", "k", 9223372036854775807),
        ("PEXPIREAT", "k", 9223372036854775807),
        ("EXPIRE", "k", 10, "FOO"),
        ("EXPIRE", "k", 10, "NX", "XX"),
        ("EXPIRE", "k", 10, "GT", "LT"),
        ("EXPIRE", "k", 10, "NX", "GT"),
        ("EXPIRE", "k", 10, "XX", "GT"),
        ("PEXPIRE", "k", 10, "NX", "LT"),
        ("EXPIRE", "k"),
        ("TTL",),
        ("PTTL", "a", "b"),
        ("PERSIST",),
        ("EXPIRETIME",),
        ("TTL", "k"),
    ],
    "expire_nx_xx_gt_lt": [
        ("SET", "k", "v"),
        ("EXPIRE", "k", 100, "XX"),
        ("TTL", "k"),
        ("EXPIRE", "k", 100, "NX"),
        ("EXPIRE", "k", 200, "NX"),
        ("TTL", "k"),
        ("EXPIRE", "k", 200, "XX"),
        ("EXPIRE", "k", 300, "GT"),
        ("EXPIRE", "k", 100, "GT"),
        ("TTL", "k"),
        ("EXPIRE", "k", 50, "LT"),
        ("EXPIRE", "k", 60, "LT"),
        ("TTL", "k"),
        ("EXPIRE", "k", 60, "xx", "gt"),
        ("EXPIRE", "k", 70, "XX", "GT"),
        ("TTL", "k"),
        ("SET", "p", "v"),
        ("EXPIRE", "p", 100, "GT"),
        ("TTL", "p"),
        ("EXPIRE", "p", 100, "LT"),
        ("TTL", "p"),
        ("SET", "q", "v"),
        ("PEXPIRE", "q", 100000, "NX"),
        ("PEXPIRE", "q", 200000, "GT"),
        ("PEXPIREAT", "q", SOON_MS, "LT"),
        ("EXPIREAT", "q", SOON + 10, "GT"),
        ("EXPIRETIME", "q"),
        ("EXPIREAT", "q", SOON, "XX"),
        ("EXPIRE", "missing", 10, "NX"),
        ("EXPIRE", "missing", 10, "GT"),
        ("SET", "z", "v"),
        ("EXPIRE", "z", -1, "NX"),
        ("EXISTS", "z"),
        ("SET", "z", "v", "EX", 100),
        ("EXPIRE", "z", -1, "GT"),
        ("EXISTS", "z"),
        ("EXPIRE", "z", -1, "LT"),
        ("EXISTS", "z"),
    ],
    "expiry_short": [
        ("SET", "a", "v", "PX", 100),
        ("SET", "b", "v"),
        ("PEXPIRE", "b", 100),
        ("MSET", "c", 1, "d", 2),
        ("EXPIRE", "c", 1),
        ("PEXPIREAT", "d", int(time.time() * 1000) + 150),
        ("DBSIZE",),
        C("EXISTS", "a", "b", sleep=0.3),
        ("TTL", "a"),
        ("PTTL", "b"),
        ("KEYS", "*"),
        ("SCAN", 0, "COUNT", 1000),
        ("RANDOMKEY",),
        ("TYPE", "a"),
        ("RENAME", "a", "x"),
        ("COPY", "b", "x"),
        ("MOVE", "a", 1),
        ("PERSIST", "a"),
        ("EXPIRE", "a", 100),
        ("TOUCH", "a", "b", "c"),
        ("OBJECT", "ENCODING", "a"),
        ("DUMP", "a"),
        C("EXISTS", "c", "d", sleep=1.0),
        ("DBSIZE",),
    ],
    "object": [
        ("SET", "k", "v"),
        ("OBJECT", "ENCODING", "k"),
        ("SET", "n", 123),
        ("OBJECT", "ENCODING", "n"),
        ("SET", "neg", -5),
        ("OBJECT", "ENCODING", "neg"),
        ("SET", "bigint", 12345678901234567890),
        ("OBJECT", "ENCODING", "bigint"),
        ("SET", "raw", "x" * 45),
        ("OBJECT", "ENCODING", "raw"),
        ("SET", "emb", "x" * 44),
        ("OBJECT", "ENCODING", "emb"),
        ("SET", "a", "v"),
        ("APPEND", "a", "x"),
        ("OBJECT", "ENCODING", "a"),
        ("SET", "i", "10"),
        ("INCR", "i"),
        ("OBJECT", "ENCODING", "i"),
        ("SET", "lead", "007"),
        ("OBJECT", "ENCODING", "lead"),
        ("OBJECT", "ENCODING", "missing"),
        ("OBJECT", "REFCOUNT", "k"),
        ("OBJECT", "REFCOUNT", "n"),
        ("OBJECT", "REFCOUNT", "missing"),
        ("OBJECT", "IDLETIME", "k"),
        ("OBJECT", "IDLETIME", "missing"),
        ("OBJECT", "FREQ", "k"),
        ("OBJECT", "FREQ", "missing"),
        ("OBJECT", "HELP"),
        ("object", "help"),
        ("OBJECT", "FOO"),
        ("OBJECT", "FOO", "k"),
        ("OBJECT", "ENCODING"),
        ("OBJECT", "ENCODING", "k", "x"),
        ("OBJECT", "HELP", "x"),
        ("OBJECT",),
    ],
    "dump_restore_errors": [
        ("SET", "k", "v"),
        ("DUMP", "missing"),
        ("RESTORE", "k2", 0, "garbage"),
        ("RESTORE", "k2", 0, ""),
        ("RESTORE", "k2", -1, "garbage"),
        ("RESTORE", "k2", "abc", "garbage"),
        ("RESTORE", "k", 0, "garbage"),
        ("RESTORE", "k2", 0, "garbage", "FOO"),
        ("RESTORE", "k2", 0, "garbage", "IDLETIME"),
        ("RESTORE", "k2", 0, "garbage", "IDLETIME", -1),
        ("RESTORE", "k2", 0, "garbage", "FREQ", 300),
        ("RESTORE", "k2", 0),
        ("DUMP",),
        ("EXISTS", "k2"),
    ],
    "ping_echo": [
        ("PING",),
        ("PING", "hello"),
        ("PING", b"\x00\xff"),
        ("PING", "a", "b"),
        ("ECHO", "x"),
        ("ECHO", b"\r\n\x00"),
        ("ECHO", ""),
        ("ECHO",),
        ("ECHO", "a", "b"),
        ("ping",),
    ],
    "select_swapdb": [
        ("SET", "a", 1),
        ("SELECT", 1),
        ("GET", "a"),
        ("SET", "b", 2),
        ("DBSIZE",),
        ("SELECT", 0),
        ("DBSIZE",),
        ("SWAPDB", 0, 1),
        ("GET", "a"),
        ("GET", "b"),
        ("SELECT", 1),
        ("GET", "a"),
        ("SWAPDB", 1, 1),
        ("GET", "a"),
        ("SELECT", 15),
        ("SELECT", 16),
        ("SELECT", -1),
        ("SELECT", "abc"),
        ("SELECT", "1.0"),
        ("SWAPDB", 0, 16),
        ("SWAPDB", "a", 1),
        ("SWAPDB", 1, "b"),
        ("SWAPDB", -1, 0),
        ("SELECT",),
        ("SWAPDB", 0),
        ("SELECT", 0),
        ("SET", "t", "v", "EX", 100),
        ("SWAPDB", 0, 2),
        ("SELECT", 2),
        ("TTL", "t"),
    ],
    "dbsize_flush": [
        ("MSET", "a", 1, "b", 2, "c", 3),
        ("DBSIZE",),
        ("SELECT", 1),
        ("SET", "x", 1),
        ("SELECT", 0),
        ("FLUSHDB",),
        ("DBSIZE",),
        ("SELECT", 1),
        ("DBSIZE",),
        ("FLUSHDB", "ASYNC"),
        ("DBSIZE",),
        ("SET", "y", 1),
        ("FLUSHDB", "SYNC"),
        ("FLUSHDB", "sync"),
        ("FLUSHDB", "FOO"),
        ("FLUSHDB", "SYNC", "ASYNC"),
        ("SET", "y", 1),
        ("SELECT", 0),
        ("SET", "z", 1),
        ("FLUSHALL",),
        ("DBSIZE",),
        ("SELECT", 1),
        ("DBSIZE",),
        ("FLUSHALL", "ASYNC"),
        ("FLUSHALL", "SYNC"),
        ("FLUSHALL", "FOO"),
        ("DBSIZE", "x"),
    ],
    "time_info": [
        ("TIME",),
        ("TIME", "x"),
        ("INFO",),
        ("INFO", "server"),
        ("INFO", "keyspace"),
        ("INFO", "server", "clients"),
        ("INFO", "nosuchsection"),
        ("DBSIZE",),
    ],
    "command_misc": [
        ("COMMAND", "GETKEYS", "GET", "k"),
        ("COMMAND", "GETKEYS", "SET", "k", "v"),
        ("COMMAND", "GETKEYS", "MSET", "a", 1, "b", 2),
        ("COMMAND", "GETKEYS", "DEL", "a", "b", "c"),
        ("COMMAND", "GETKEYS", "RENAME", "a", "b"),
        ("COMMAND", "GETKEYS", "COPY", "a", "b"),
        ("COMMAND", "GETKEYS", "BITOP", "AND", "d", "a", "b"),
        ("COMMAND", "GETKEYS", "LCS", "a", "b"),
        ("COMMAND", "GETKEYS", "SET", "k", "v", "GET"),
        ("COMMAND", "GETKEYS", "MSET", "a", 1, "b"),
        ("COMMAND", "GETKEYS", "OBJECT", "ENCODING", "k"),
        ("COMMAND", "GETKEYS", "OBJECT", "HELP"),
        ("COMMAND", "GETKEYS", "OBJECT", "NOSUCH", "k"),
        ("COMMAND", "GETKEYS", "BITOP", "AND", "d"),
        ("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v"),
        ("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v", "get"),
        ("COMMAND", "GETKEYSANDFLAGS", "RENAME", "a", "b"),
        ("COMMAND", "GETKEYSANDFLAGS", "COPY", "a", "b", "REPLACE"),
        ("COMMAND", "GETKEYSANDFLAGS", "DEL", "a", "b"),
        ("COMMAND", "GETKEYSANDFLAGS", "MSETNX", "a", 1, "b", 2),
        ("COMMAND", "GETKEYSANDFLAGS", "BITOP", "OR", "d", "a", "b"),
        ("COMMAND", "GETKEYSANDFLAGS", "BITFIELD", "k", "GET", "u8", 0),
        (
            "COMMAND",
            "GETKEYSANDFLAGS",
            "BITFIELD",
            "k",
            "GET",
            "u8",
            0,
            "INCRBY",
            "u8",
            0,
            1,
        ),
        ("COMMAND", "GETKEYSANDFLAGS", "OBJECT", "FREQ", "k"),
        ("COMMAND", "GETKEYSANDFLAGS", "GETEX", "k", "PERSIST"),
        ("COMMAND", "GETKEYSANDFLAGS", "PING"),
        ("COMMAND", "GETKEYS", "PING"),
        ("COMMAND", "GETKEYS", "GET"),
        ("COMMAND", "GETKEYS", "NOSUCH", "a"),
        ("COMMAND", "GETKEYS"),
        ("COMMAND", "INFO", "nosuchcommand"),
        ("COMMAND", "FOO"),
        ("COMMAND", "COUNT", "x"),
    ],
    "quit": [
        ("SET", "a", 1),
        ("SELECT", 1),
        ("QUIT",),
        ("GET", "a"),
        ("QUIT", "extra"),
        ("GET", "a"),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_keys(targets, steps, level):
    check(targets, level, steps)


# -- DUMP / RESTORE: round trips within each target --------------------------------


def _dump_restore_flow(client: redis.Redis) -> list[Any]:
    """What a round trip answers; the payload bytes themselves are never compared."""
    out: list[Any] = []

    def do(*argv: Any) -> Any:
        try:
            r = client.execute_command(*argv)
        except redis.RedisError as e:
            r = ("EXC", type(e).__name__, str(e))
        out.append((argv[0], r))
        return r

    values = {
        "s": b"hello",
        "n": b"12345",
        "bin": b"\x00\xff\r\n" * 10,
        "big": b"x" * 5000,
    }
    for k, v in values.items():
        do("SET", k, v)
    for k in values:
        payload = client.execute_command("DUMP", k)
        out.append(("DUMP is bytes", isinstance(payload, bytes)))
        do("RESTORE", k + "2", 0, payload)
        do("GET", k + "2")
        do("RESTORE", k + "2", 0, payload)
        do("RESTORE", k + "2", 0, payload, "REPLACE")
        do("RESTORE", k + "3", 100000, payload)
        r = client.execute_command("PTTL", k + "3")
        out.append(("PTTL ok", 99000 <= r <= 100000))
        do("RESTORE", k + "4", SOON_MS, payload, "ABSTTL")
        do("EXPIRETIME", k + "4")
        do("RESTORE", k + "5", 0, payload, "IDLETIME", 1000)
        do("RESTORE", k + "6", 0, payload, "REPLACE", "ABSTTL", "IDLETIME", 10)
        do("RESTORE", k + "7", 1, payload, "ABSTTL")
        do("EXISTS", k + "7")
        do("GET", k + "6")
        do("TYPE", k + "6")
        do("OBJECT", "ENCODING", k + "2")
        corrupt = payload[:-1] + bytes([payload[-1] ^ 0xFF])
        do("RESTORE", k + "8", 0, corrupt)
        do("RESTORE", k + "8", 0, payload[:-3])
    return out


def test_dump_restore_round_trip(real, embedded, resp):
    ref = _dump_restore_flow(real)
    for name, client in (("embedded", embedded), ("redlite-server", resp)):
        got = _dump_restore_flow(client)
        diffs = [(i, a, b) for i, (a, b) in enumerate(zip(ref, got)) if a != b]
        assert not diffs and len(ref) == len(got), f"{name}: {diffs[:10]}"


def test_dump_payload_moves_between_redlite_targets(embedded, resp):
    embedded.set("k", b"\x00value\xff")
    payload = embedded.dump("k")
    assert resp.restore(
        "k", 0, payload
    )  # True over RESP3, b"OK" over RESP2, as with Redis
    assert resp.get("k") == b"\x00value\xff"


# -- COMMAND: entries of the commands redlite has, compared to Redis's -----------------


def _raw(port: int, *argv: Any) -> Any:
    c = RawClient(port)
    try:
        return c.execute(argv)
    finally:
        c.close()


def _redlite_commands(port: int) -> list[bytes]:
    kind, items = _raw(port, "COMMAND", "LIST")
    assert kind == "array", (kind, items)
    return sorted(v for _, v in items)


def test_command_count_matches_list(redlite_server):
    # As in Redis: COMMAND LIST names subcommands too ("object|help"), COMMAND COUNT
    # and COMMAND count only the commands.
    names = [n for n in _redlite_commands(redlite_server.port) if b"|" not in n]
    assert _raw(redlite_server.port, "COMMAND", "COUNT") == ("int", len(names))
    kind, entries = _raw(redlite_server.port, "COMMAND")
    assert kind == "array" and len(entries) == len(names)
    assert sorted(e[1][0][1] for e in entries) == names


def test_command_list_is_known_to_redis(redis_server, redlite_server):
    ours = set(_redlite_commands(redlite_server.port))
    theirs = {v for _, v in _raw(redis_server.port, "COMMAND", "LIST")[1]}
    # Exactly the Redis 7.2 additions (differential.REDIS_72_COMMANDS) are new to 7.0.
    assert ours - theirs == REDIS_72_COMMANDS, "commands Redis does not have"


INFO_FIELDS = (
    "name",
    "arity",
    "flags",
    "first_key",
    "last_key",
    "step",
    "acl_categories",
    "tips",
    "key_specs",
    "subcommands",
)


def _by_name(entries: list[Any]) -> list[Any]:
    """A container's subcommands in name order: Redis lists them in the order of its
    command hash table, whose seed is random per process, so no order is Redis's."""

    def name(entry: Any) -> Any:
        return entry[1][0][1] if entry[0] == "array" else entry

    return sorted(entries, key=name)


def _normal_info(entry: Any) -> Any:
    kind, fields = entry
    if kind != "array" or len(fields) < 10 or fields[9][0] != "array":
        return entry
    subs = ("array", _by_name([_normal_info(e) for e in fields[9][1]]))
    return (kind, fields[:9] + [subs] + fields[10:])


def _without_72_info(entry: Any) -> Any:
    """redlite's COMMAND INFO entry without the subcommands Redis 7.2 added
    (differential.REDIS_72_COMMANDS: the 7.0 oracle has no entry to compare them with;
    test_client.py checks them against 7.2's by hand)."""
    kind, fields = entry
    if kind != "array" or len(fields) < 10 or fields[9][0] != "array":
        return entry
    subs = [
        e
        for e in fields[9][1]
        if not (e[0] == "array" and e[1][0][1] in REDIS_72_COMMANDS)
    ]
    return (kind, fields[:9] + [("array", subs)] + fields[10:])


def _info_diffs(redis_port: int, redlite_port: int, fields: int) -> dict[bytes, Any]:
    diffs: dict[bytes, Any] = {}
    for name in _redlite_commands(redlite_port):
        if name in REDIS_72_COMMANDS:
            continue  # not in the 7.0 oracle: see _without_72_info
        ref = _normal_info(_raw(redis_port, "COMMAND", "INFO", name)[1][0])
        got = _normal_info(
            _without_72_info(_raw(redlite_port, "COMMAND", "INFO", name)[1][0])
        )
        if ref[0] != "array" or got[0] != "array":
            diffs[name] = (ref, got)
            continue
        bad = [
            INFO_FIELDS[i]
            for i in range(min(fields, len(INFO_FIELDS)))
            if ref[1][i : i + 1] != got[1][i : i + 1]
        ]
        if bad:
            diffs[name] = {
                f: (
                    ref[1][INFO_FIELDS.index(f)],
                    got[1][INFO_FIELDS.index(f)]
                    if INFO_FIELDS.index(f) < len(got[1])
                    else None,
                )
                for f in bad
            }
    return diffs


def test_command_info_classic_fields(redis_server, redlite_server):
    """name, arity, flags, key positions, ACL categories, tips."""
    diffs = _info_diffs(redis_server.port, redlite_server.port, 8)
    assert not diffs, "\n".join(f"{n!r}: {d}" for n, d in diffs.items())


def test_command_info_full_entries(redis_server, redlite_server):
    """The whole entry, key specs and subcommands included."""
    diffs = _info_diffs(redis_server.port, redlite_server.port, len(INFO_FIELDS))
    assert not diffs, "fields that differ: " + repr(
        {n: sorted(d) if isinstance(d, dict) else d for n, d in diffs.items()}
    )


def test_command_info_embedded_equals_server(redlite_server, embedded):
    names = _redlite_commands(redlite_server.port)
    assert embedded.execute_command("COMMAND", "INFO", *names) is not None
    from redlite import _native

    s = _native.Session(_native.Db())
    for name in names:
        reply = s.run([b"COMMAND", b"INFO", name])
        assert reply.tree(2) == _raw(redlite_server.port, "COMMAND", "INFO", name)


def _doc_map(tree: Any) -> dict[bytes, Any]:
    kind, items = tree
    assert kind == "array", tree
    out = {}
    for i in range(0, len(items), 2):
        out[items[i][1]] = items[i + 1]
    return out


def test_command_docs_summary_since_group(redis_server, redlite_server):
    diffs = {}
    for name in _redlite_commands(redlite_server.port):
        if name in REDIS_72_COMMANDS:
            continue  # not in the 7.0 oracle (differential.REDIS_72_COMMANDS)
        ref = _doc_map(_raw(redis_server.port, "COMMAND", "DOCS", name))
        got = _doc_map(_raw(redlite_server.port, "COMMAND", "DOCS", name))
        assert name in ref
        if name not in got:
            diffs[name] = "missing"
            continue
        r, g = _doc_map(ref[name]), _doc_map(got[name])
        for field in (b"summary", b"since", b"group"):
            if r.get(field) != g.get(field):
                diffs[(name, field)] = (r.get(field), g.get(field))
    assert not diffs, diffs


def _normal_docs(tree: Any) -> Any:
    """A COMMAND DOCS entry (RESP2: a flat array of field, value) with its subcommands
    in name order (Redis's order is its hash table's, seeded at random per process) and
    without `arguments`: redlite does not carry argument trees in its command table (a
    deliberate scope decision for now), so Redis's are left out of the comparison. Every
    other field must be exactly Redis's. The subcommands Redis 7.2 added
    (differential.REDIS_72_COMMANDS) are left out too: the 7.0 oracle has none to
    compare them with, and test_client.py checks them against 7.2's by hand."""
    kind, items = tree
    assert kind == "array", tree
    out = []
    for i in range(0, len(items), 2):
        key, value = items[i], items[i + 1]
        if key == ("bulk", b"arguments"):
            continue
        if key == ("bulk", b"subcommands"):
            subs = value[1]
            pairs = sorted(
                (subs[j], _normal_docs(subs[j + 1]))
                for j in range(0, len(subs), 2)
                if subs[j][1] not in REDIS_72_COMMANDS
            )
            value = ("array", [x for pair in pairs for x in pair])
        out += [key, value]
    return (kind, out)


def test_command_docs_full_entries(redis_server, redlite_server):
    diffs = {}
    for name in _redlite_commands(redlite_server.port):
        if name in REDIS_72_COMMANDS:
            continue  # not in the 7.0 oracle (differential.REDIS_72_COMMANDS)
        kind, ref = _raw(redis_server.port, "COMMAND", "DOCS", name)
        assert kind == "array" and len(ref) == 2, ref
        ref = ("array", [ref[0], _normal_docs(ref[1])])
        got = _raw(redlite_server.port, "COMMAND", "DOCS", name)
        if got[0] == "array" and len(got[1]) == 2:
            got = ("array", [got[1][0], _normal_docs(got[1][1])])
        if ref != got:
            r = _doc_map(ref[1][1])
            g = _doc_map(got[1][1]) if got[0] == "array" and len(got[1]) == 2 else {}
            diffs[name] = {
                k: (r.get(k), g.get(k)) for k in set(r) | set(g) if r.get(k) != g.get(k)
            }
    assert not diffs, f"fields that differ: {diffs}"


# -- SCAN: a full iteration returns every key exactly once ------------------------------


@pytest.mark.parametrize("count", [1, 3, 10, 100])
def test_scan_full_iteration(real, embedded, resp, count):
    keys = {f"k:{i}".encode() for i in range(57)} | {b"\x00", b"\xff\xfe"}
    for client in (real, embedded, resp):
        client.mset({k: b"v" for k in keys})
        seen: list[bytes] = []
        cursor = 0
        for _ in range(10000):
            cursor, batch = client.scan(cursor, count=count)
            seen.extend(batch)
            if cursor == 0:
                break
        assert set(seen) == keys, client
        assert len(seen) == len(set(seen)) or client is real


def test_scan_match_and_type_full_iteration(real, embedded, resp):
    for client in (real, embedded, resp):
        client.mset({f"user:{i}": i for i in range(30)})
        client.mset({f"item:{i}": i for i in range(30)})
        assert set(client.scan_iter(match="user:1*", count=7)) == {
            f"user:{i}".encode() for i in range(30) if str(i).startswith("1")
        }
        assert len(set(client.scan_iter(_type="string", count=5))) == 60
        assert list(client.scan_iter(_type="list")) == []
