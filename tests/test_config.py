"""CONFIG GET / SET / RESETSTAT / REWRITE / HELP, differential against a real Redis.

The servers are shared by every test of the session: each case that changes a
parameter puts it back before it ends. Parameters whose values legitimately differ
(port, bind, dir, daemonize ...) are not compared.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis
from differential import C, Norm, cases_params, check


class _Pairs(Norm):
    """CONFIG GET's parameter/value pairs, whose order Redis leaves unspecified."""

    name = "pairs"

    def key(self, v: Any) -> Any:
        if isinstance(v, tuple) and len(v) == 2 and v[0] in ("array", "map"):
            items = v[1]
            if v[0] == "map":
                return sorted(map(repr, items))
            return sorted(
                repr((items[i], items[i + 1])) for i in range(0, len(items) - 1, 2)
            )
        if isinstance(v, dict):
            return sorted(map(repr, v.items()))
        if isinstance(v, list):
            return sorted(repr((v[i], v[i + 1])) for i in range(0, len(v) - 1, 2))
        return v

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


PAIRS = _Pairs()


def G(*names: str) -> Any:
    return C("CONFIG", "GET", *names, norm=PAIRS)


CASES = {
    "get": [
        G("maxclients"),
        G("MAXCLIENTS"),
        G("timeout", "maxclients", "timeout"),
        G("slowlog-*"),
        G("slowlog-log-slower-than", "slowlog-*"),
        G("nosuch"),
        G("nosuch*"),
        G("maxmemory", "maxmemory-policy", "hz", "appendonly", "appendfsync", "save"),
        G("loglevel", "tcp-keepalive", "tcp-backlog", "databases", "logfile"),
        # The transport options, as a server started without TLS or a Unix socket
        # shows them (their values when set: test_tls.py, test_unixsocket.py).
        G(
            "tls-port",
            "tls-cert-file",
            "tls-key-file",
            "tls-ca-cert-file",
            "tls-auth-clients",
            "unixsocket",
            "unixsocketperm",
        ),
        ("CONFIG", "GET"),
        ("CONFIG",),
        ("CONFIG", "nosuch"),
    ],
    "set_and_restore": [
        ("CONFIG", "SET", "timeout", "7"),
        G("timeout"),
        ("CONFIG", "SET", "timeout", "0", "slowlog-max-len", "64"),
        G("timeout", "slowlog-max-len"),
        ("CONFIG", "SET", "SLOWLOG-MAX-LEN", "128"),
        ("CONFIG", "SET", "maxmemory", "100kb"),
        G("maxmemory"),
        ("CONFIG", "SET", "maxmemory", "1g"),
        G("maxmemory"),
        ("CONFIG", "SET", "maxmemory", "0"),
        ("CONFIG", "SET", "loglevel", "WARNING"),
        G("loglevel"),
        ("CONFIG", "SET", "loglevel", "notice"),
        ("CONFIG", "SET", "appendonly", "no"),
        ("CONFIG", "SET", "save", ""),
        ("CONFIG", "SET", "hz", "100000"),
        G("hz"),
        ("CONFIG", "SET", "hz", "10"),
        G("hz"),
    ],
    "set_errors": [
        ("CONFIG", "SET", "nosuch", "1"),
        ("CONFIG", "SET", "timeout", "1", "nosuch", "1"),
        ("CONFIG", "SET", "maxclients", "abc"),
        ("CONFIG", "SET", "maxclients", "0"),
        ("CONFIG", "SET", "timeout", "-1"),
        ("CONFIG", "SET", "slowlog-max-len", "-1"),
        ("CONFIG", "SET", "slowlog-log-slower-than", "-2"),
        ("CONFIG", "SET", "maxmemory", "1.5gb"),
        ("CONFIG", "SET", "maxmemory", "-1"),
        ("CONFIG", "SET", "maxmemory", "1x"),
        ("CONFIG", "SET", "loglevel", "loud"),
        ("CONFIG", "SET", "appendonly", "maybe"),
        ("CONFIG", "SET", "appendfsync", "sometimes"),
        ("CONFIG", "SET", "save", "100"),
        ("CONFIG", "SET", "daemonize", "no"),
        ("CONFIG", "SET", "databases", "4"),
        ("CONFIG", "SET", "unixsocket", "/tmp/redlite-nosuch.sock"),
        ("CONFIG", "SET", "UNIXSOCKETPERM", "700"),
        ("CONFIG", "SET", "unixsocketperm", "abc"),
        ("CONFIG", "SET", "timeout", "1", "unixsocket", ""),
        ("CONFIG", "SET", "timeout", "1", "timeout", "2"),
        ("CONFIG", "SET", "timeout", "1", "TIMEOUT", "2"),
        ("CONFIG", "SET", "timeout"),
        ("CONFIG", "SET", "timeout", "1", "maxclients"),
        ("CONFIG", "SET"),
        G("timeout", "maxclients"),
    ],
    "set_is_all_or_nothing": [
        ("CONFIG", "SET", "timeout", "5", "slowlog-max-len", "7", "maxclients", "x"),
        G("timeout", "slowlog-max-len", "maxclients"),
        ("CONFIG", "SET", "timeout", "5", "loglevel", "nope"),
        G("timeout", "loglevel"),
    ],
    "resetstat_help": [
        ("CONFIG", "RESETSTAT"),
        ("CONFIG", "RESETSTAT", "x"),
        ("CONFIG", "HELP"),
        ("CONFIG", "HELP", "x"),
        ("CONFIG", "REWRITE", "x"),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_config(targets, steps, level):
    check(targets, level, steps)


def test_rewrite_without_a_config_file(real, resp, embedded):
    for client in (real, resp, embedded):
        with pytest.raises(redis.ResponseError) as e:
            client.config_rewrite()
        assert str(e.value) == "The server is running without a config file"


def test_resetstat_zeroes_counters(resp):
    for _ in range(5):
        resp.ping()
    assert resp.info("stats")["total_commands_processed"] >= 5
    assert resp.config_resetstat() is True
    # INFO itself is the one command counted since.
    assert resp.info("stats")["total_commands_processed"] <= 2


def test_maxclients_applies_at_once(resp, redlite_server):
    resp.config_set("maxclients", 1)
    try:
        extra = redis.Redis(port=redlite_server.port)
        with pytest.raises(
            redis.ConnectionError, match="max number of clients reached"
        ):
            extra.ping()
        extra.close()
    finally:
        # A fresh connection would be refused: use the one already in.
        resp.config_set("maxclients", 10000)
    assert resp.info("clients")["maxclients"] == 10000


def test_transport_options_are_set_at_start_only(resp):
    """A deviation, said here: Redis 7.0 lets CONFIG SET change port, bind and the TLS
    options (rebinding, reloading certificates); redlite-server cannot, and refuses them
    as Redis refuses its immutable unixsocket."""
    for name, value in (
        ("port", "7899"),
        ("bind", "127.0.0.1"),
        ("tls-port", "0"),
        ("tls-cert-file", "x.crt"),
        ("tls-key-file", "x.key"),
        ("tls-ca-cert-file", "ca.crt"),
        ("tls-auth-clients", "no"),
    ):
        with pytest.raises(redis.ResponseError) as e:
            resp.config_set(name, value)
        assert str(e.value) == (
            f"CONFIG SET failed (possibly related to argument '{name}') - "
            "can't set immutable config"
        )
