"""Every configuration parameter of Redis 7.0, differential against the real server.

CONFIG GET * names the same parameters (aliases included) on redlite as on Redis; each
parameter, set to a valid value other than its own, is accepted or refused as Redis
does and then shows the same value; and an invalid value of each type gets Redis's
error text. Every parameter a case changes is put back before the case ends.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest
import redis

# redlite's own parameters (README, "Configuration"): the database file, its
# durability, and the Prometheus port.
REDLITE_OWN = {"db", "durability", "lua-memory-limit", "metrics-port"}

# Parameters left out of the comparisons, each for its reason.
NOT_COMPARED = {
    # Set at start only in redlite-server (it cannot rebind or reload certificates:
    # test_config.py's test_transport_options_are_set_at_start_only), and Redis's
    # would move the test server.
    "port",
    "bind",
    "tls-port",
    "tls-cert-file",
    "tls-key-file",
    "tls-ca-cert-file",
    "tls-auth-clients",
    "tls-session-cache-size",
    "tls-session-cache-timeout",
    "tls-cluster",
    "tls-replication",
    "tls-prefer-server-ciphers",
    "tls-session-caching",
    "tls-key-file-pass",
    "tls-client-cert-file",
    "tls-client-key-file",
    "tls-client-key-file-pass",
    "tls-dh-params-file",
    "tls-ca-cert-dir",
    "tls-protocols",
    "tls-ciphers",
    "tls-ciphersuites",
    # The output buffer limits and the client limit come with their own work
    # (test_config.py covers maxclients).
    "client-output-buffer-limit",
    "maxclients",
    # A password on the default user would lock the session's other clients out.
    "requirepass",
    # Values that legitimately differ between the two test servers.
    "dir",
    "save",
    "logfile",
}

# A valid value other than the default, where the rule in `other_value` has none.
OTHER = {
    "maxmemory": "1gb",
    "maxmemory-policy": "allkeys-lru",
    "appendfsync": "always",
    "loglevel": "warning",
    "repl-diskless-load": "swapdb",
    "oom-score-adj": "relative",
    "acl-pubsub-default": "allchannels",
    "sanitize-dump-payload": "clients",
    "cluster-preferred-endpoint-type": "hostname",
    "propagation-error-behavior": "panic-on-replicas",
    "shutdown-on-sigint": "NOW force",
    "shutdown-on-sigterm": "save now",
    "oom-score-adj-values": "0 300 900",
    "latency-tracking-info-percentiles": "50 99.50 100",
    "notify-keyspace-events": "KEA",
    "proc-title-template": "{title} {port}",
    "maxmemory-clients": "10%",
    "list-max-listpack-size": "-1",
    "list-max-ziplist-size": "8",
    "hash-max-listpack-value": "1kb",
    "zset-max-ziplist-value": "2k",
    "timeout": "3600",
    "appendonly": "no",
    "activedefrag": "yes",
    "dbfilename": "other.rdb",
}

# Invalid values, one or more per type of parameter.
INVALID = [
    ("protected-mode", "maybe"),
    ("activerehashing", ""),
    ("replica-read-only", "1"),
    ("slave-read-only", "true"),
    ("hz", "abc"),
    ("hz", "1k"),
    ("hz", "-1"),
    ("HZ", "x"),
    ("active-expire-effort", "11"),
    ("active-defrag-cycle-min", "0"),
    ("list-max-ziplist-size", "x"),
    ("list-max-listpack-size", "2147483648"),
    ("set-max-intset-entries", "1k"),
    ("set-max-intset-entries", "-1"),
    ("hash-max-ziplist-entries", "1.5"),
    ("hash-max-ziplist-value", "1x"),
    ("hash-max-listpack-value", "-1"),
    ("zset-max-listpack-value", "1.5mb"),
    ("proto-max-bulk-len", "1000"),
    ("client-query-buffer-limit", "1k"),
    ("repl-backlog-size", "0"),
    ("maxmemory", "lots"),
    ("maxmemory-clients", "200%"),
    ("maxmemory-clients", "x%"),
    ("maxmemory-clients", "-5"),
    ("maxmemory-policy", "lru"),
    ("repl-diskless-load", "sometimes"),
    ("oom-score-adj", "maybe"),
    ("acl-pubsub-default", ""),
    ("shutdown-on-sigint", "save nosave"),
    ("shutdown-on-sigterm", "later"),
    ("shutdown-on-sigterm", ""),
    ("shutdown-on-sigterm", "now  force"),
    ("oom-score-adj-values", "1 2"),
    ("oom-score-adj-values", "0 200 3000"),
    ("oom-score-adj-values", "0 a 800"),
    ("latency-tracking-info-percentiles", "50 abc"),
    ("latency-tracking-info-percentiles", "101"),
    ("save", "100"),
    ("save", "0 1"),
    ("save", "100 -1"),
    ("save", "100 x"),
    ("notify-keyspace-events", "Q"),
    ("cluster-announce-hostname", "a_b"),
    ("proc-title-template", "{nosuch}"),
    ("proc-title-template", "{title"),
    ("proc-title-template", ""),
    ("activedefrag", "yes"),
    ("dir", "/nonexistent"),
    ("dbfilename", "a/b"),
    ("appendfilename", "x"),
    ("replicaof", "no one"),
    ("slaveof", "127.0.0.1 6379"),
    ("io-threads", "2"),
    ("databases", "4"),
    ("enable-debug-command", "no"),
    ("daemonize", "yes"),
    ("cluster-enabled", "yes"),
    ("unixsocketperm", "700"),
    ("rdb-key-save-delay", "x"),
]


def other_value(name: str, value: str) -> str:
    """A valid value of parameter `name`, other than its `value`."""
    if name in OTHER:
        return OTHER[name]
    if value in ("yes", "no"):
        return "no" if value == "yes" else "yes"
    if value.lstrip("-").isdigit():
        return str(int(value) + 1) if value != "0" else "1000"
    return "redlite-test"


def get_all(client: Any) -> dict[str, str]:
    reply = client.execute_command("CONFIG", "GET", "*")
    if isinstance(reply, dict):
        items = list(reply.items())
    else:
        items = list(zip(reply[::2], reply[1::2]))
    return {k.decode(): v.decode() for k, v in items}


def outcome(call: Callable[[], Any]) -> Any:
    try:
        r = call()
    except redis.ResponseError as e:
        return ("error", str(e))
    return r.decode() if isinstance(r, bytes) else r


def get_one(client: Any, name: str) -> Any:
    return outcome(lambda: client.execute_command("CONFIG", "GET", name))


def test_config_get_star_names_the_same_parameters(real, resp, embedded):
    want = set(get_all(real))
    for client in (resp, embedded):
        got = set(get_all(client))
        assert sorted(want - got - NOT_COMPARED) == []
        assert sorted(got - want) == sorted(REDLITE_OWN)


def test_hidden_parameters_answer_by_exact_name_only(real, resp, embedded):
    for client in (real, resp, embedded):
        assert get_one(client, "use-exit-on-panic") in (
            {b"use-exit-on-panic": b"no"},
            [b"use-exit-on-panic", b"no"],
        )
        assert get_all(client).get("use-exit-on-panic") is None


def test_every_parameter_round_trips_as_on_redis(real, resp, embedded):
    reference = get_all(real)
    mismatches = []
    for name in sorted(reference):
        if name in NOT_COMPARED:
            continue
        new = other_value(name, reference[name])
        before = {c: get_all(c)[name] for c in (real, resp, embedded)}
        results = []
        for client in (real, resp, embedded):
            set_reply = outcome(
                lambda client=client, name=name, new=new: client.execute_command(
                    "CONFIG", "SET", name, new
                )
            )
            shown = get_all(client)[name]
            results.append((set_reply, shown))
            if set_reply is True or set_reply == "OK":
                client.execute_command("CONFIG", "SET", name, before[client])
            assert get_all(client)[name] == before[client], name
        if not (results[0] == results[1] == results[2]):
            mismatches.append((name, new, results))
    assert mismatches == []


@pytest.mark.parametrize("name,value", INVALID, ids=[f"{n}={v!r}" for n, v in INVALID])
def test_invalid_values_get_redis_errors(real, resp, embedded, name, value):
    want = outcome(lambda: real.execute_command("CONFIG", "SET", name, value))
    assert isinstance(want, tuple), f"Redis accepted {name}={value!r}"
    for client in (resp, embedded):
        assert (
            outcome(
                lambda client=client: client.execute_command(
                    "CONFIG", "SET", name, value
                )
            )
            == want
        )


def test_several_at_once_are_all_or_nothing(real, resp, embedded):
    for client in (real, resp, embedded):
        before = get_all(client)
        err = outcome(
            lambda client=client: client.execute_command(
                "CONFIG",
                "SET",
                "hash-max-ziplist-entries",
                "7",
                "zset-max-listpack-value",
                "9",
                "set-max-intset-entries",
                "x",
            )
        )
        assert err == (
            "error",
            "CONFIG SET failed (possibly related to argument 'set-max-intset-entries')"
            " - argument couldn't be parsed into an integer",
        )
        after = get_all(client)
        assert after["hash-max-listpack-entries"] == before["hash-max-listpack-entries"]
        assert after["zset-max-listpack-value"] == before["zset-max-listpack-value"]
        ok = client.execute_command(
            "CONFIG",
            "SET",
            "hash-max-ziplist-entries",
            "7",
            "zset-max-listpack-value",
            "9",
        )
        assert ok in (True, b"OK")
        after = get_all(client)
        assert after["hash-max-listpack-entries"] == "7"
        assert after["hash-max-ziplist-entries"] == "7"
        assert after["zset-max-ziplist-value"] == "9"
        # An alias and its parameter in one call are two settings (Redis 7.0 keeps
        # aliases as entries of their own): the later one wins.
        client.execute_command(
            "CONFIG",
            "SET",
            "hash-max-ziplist-entries",
            "1",
            "hash-max-listpack-entries",
            "2",
        )
        assert get_all(client)["hash-max-ziplist-entries"] == "2"
        assert outcome(
            lambda client=client: client.execute_command(
                "CONFIG",
                "SET",
                "hash-max-ziplist-entries",
                "1",
                "HASH-max-ziplist-entries",
                "2",
            )
        ) == (
            "error",
            "CONFIG SET failed (possibly related to argument 'HASH-max-ziplist-entries')"
            " - duplicate parameter",
        )
        client.execute_command(
            "CONFIG",
            "SET",
            "hash-max-listpack-entries",
            before["hash-max-listpack-entries"],
            "zset-max-listpack-value",
            before["zset-max-listpack-value"],
        )


@pytest.mark.parametrize(
    "pattern", ["*ziplist*", "slave-*", "*-max-*-entries", "tls-*", "lazyfree*"]
)
def test_config_get_globs_match_the_same_names(real, resp, embedded, pattern):
    def names(client: Any) -> set[str]:
        reply = client.execute_command("CONFIG", "GET", pattern)
        keys = reply.keys() if isinstance(reply, dict) else reply[::2]
        return {k.decode() for k in keys}

    want = names(real)
    assert want
    for client in (resp, embedded):
        assert names(client) == want
