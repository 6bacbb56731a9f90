"""Pipelines, where a batch's writes share a COMMIT: redlite-server and embedded.

The server runs a client's pipelined commands as one batch: consecutive writes leave
their group commit open and are settled (committed) before a read, before anything
blocks, and before the replies leave; batches of only writes go to the writer lane,
of only reads to the reader lane (redlite-server's lanes.rs). Embedded, a redis-py
pipeline runs the same way (`Session.run_batch`). These tests check that none of it
shows: random pipelines get the replies real Redis gives, a client reads its own
pipelined writes, and concurrent pipelining clients lose nothing.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import redis
import redlite
from differential import RawClient, as_cmd, to_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_hypothesis import COLLECTION_COMMANDS, COMMANDS, LIST_COMMANDS

PIPELINE_COMMANDS = st.one_of(COMMANDS, COLLECTION_COMMANDS, *LIST_COMMANDS)


def pipelined(port: int, argvs: list[Any], chunks: int) -> list[Any]:
    """Send the commands in `chunks` writes without waiting, then read every reply."""
    client = RawClient(port)
    try:
        size = max(1, -(-len(argvs) // chunks))
        for start in range(0, len(argvs), size):
            client.sock.sendall(
                b"".join(RawClient.encode(a) for a in argvs[start : start + size])
            )
        return [client.read() for _ in argvs]
    finally:
        client.close()


def flushall(port: int) -> None:
    client = RawClient(port)
    try:
        assert client.execute(["FLUSHALL"]) == ("simple", b"OK")
    finally:
        client.close()


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    steps=st.lists(PIPELINE_COMMANDS, min_size=1, max_size=40), chunks=st.integers(1, 3)
)
def test_random_pipelines_match_redis(redis_server, redlite_server, steps, chunks):
    cmds = [as_cmd(s) for s in steps]
    argvs = [c.argv for c in cmds]
    replies: dict[str, list[Any]] = {}
    for name, server in (("real", redis_server), ("server", redlite_server)):
        flushall(server.port)
        replies[name] = pipelined(server.port, argvs, chunks)
    bad = []
    for i, cmd in enumerate(cmds):
        ref, got = replies["real"][i], replies["server"][i]
        if not cmd.normaliser().equal(ref, got):
            bad.append((i, cmd.argv, ref, got))
    assert not bad, "pipelined replies differ from real Redis:\n" + "\n".join(
        map(str, bad[:10])
    )


def redis_py_pipeline(client: Any, argvs: list[Any]) -> list[Any]:
    """The commands in one redis-py pipeline (no MULTI); errors as (class, message)."""
    pipe = client.pipeline(transaction=False)
    for argv in argvs:
        pipe.execute_command(*argv)
    return [
        ("EXC", type(r).__name__, str(r)) if isinstance(r, Exception) else r
        for r in pipe.execute(raise_on_error=False)
    ]


@settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(steps=st.lists(PIPELINE_COMMANDS, min_size=2, max_size=30))
def test_random_embedded_pipelines_match_redis(redis_server, tmp_path_factory, steps):
    cmds = [as_cmd(s) for s in steps]
    # Commands that redis-py answers from its own callbacks differently by argument
    # shape are compared raw (as bytes) on both sides.
    argvs = [[to_bytes(a) for a in c.argv] for c in cmds]
    real = redis.Redis(port=redis_server.port, protocol=2)
    real.flushall()
    emb = redlite.Redis(str(tmp_path_factory.mktemp("p") / "p.db"), protocol=2)
    try:
        ref = redis_py_pipeline(real, argvs)
        got = redis_py_pipeline(emb, argvs)
    finally:
        real.close()
        emb.close()
    bad = [
        (i, cmd.argv, r, g)
        for i, (cmd, r, g) in enumerate(zip(cmds, ref, got))
        if not cmd.normaliser().equal(r, g)
    ]
    assert not bad, "embedded pipeline replies differ from real Redis:\n" + "\n".join(
        map(str, bad[:10])
    )


def test_an_embedded_pipeline_shares_commits_and_stops_before_blocking(real, embedded):
    """A pipeline runs in one batch up to a blocking command, which then waits as
    alone; what follows runs after it."""
    replies = []
    for client in (real, embedded):
        pipe = client.pipeline(transaction=False)
        pipe.set("a", 1).incr("a").rpush("l", "x").blpop(["l"], 1).blpop(
            ["l"], 0.1
        ).get("a")
        replies.append(pipe.execute())
    assert replies[0][:3] == [True, 2, 1] and replies[0][4:] == [None, b"2"]
    assert replies[1] == replies[0]


@pytest.mark.parametrize("target", ["resp", "embedded"])
def test_a_pipeline_reads_its_own_writes(request, target):
    """Writes deferred to the end of the batch are visible to the batch's reads."""
    pipe = request.getfixturevalue(target).pipeline(transaction=False)
    for i in range(200):
        pipe.set(f"k{i}", i)
        pipe.incr("n")
        pipe.get(f"k{i}")
        pipe.rpush("l", i)
        pipe.llen("l")
    replies = pipe.execute()
    for i in range(200):
        assert replies[5 * i : 5 * i + 5] == [
            True,
            i + 1,
            str(i).encode(),
            i + 1,
            i + 1,
        ]


def test_concurrent_pipelines_lose_nothing(redlite_server):
    """Clients pipelining writes at once: every acknowledged write is there, and each
    client's INCR replies count up."""
    clients, rounds, per = 8, 30, 20
    errors: list[BaseException] = []

    def work(c: int) -> None:
        try:
            r = redis.Redis(port=redlite_server.port)
            r.delete(f"mine{c}")
            last = 0
            for n in range(rounds):
                pipe = r.pipeline(transaction=False)
                for i in range(per):
                    pipe.incr("shared")
                    pipe.rpush(f"mine{c}", n * per + i)
                got = pipe.execute()
                counts = got[0::2]
                assert counts == sorted(counts) and counts[0] > last
                last = counts[-1]
                assert got[1::2] == list(range(n * per + 1, (n + 1) * per + 1))
            r.close()
        except BaseException as e:  # reported by the main thread
            errors.append(e)

    r = redis.Redis(port=redlite_server.port)
    r.delete("shared")
    threads = [threading.Thread(target=work, args=(c,)) for c in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert int(r.get("shared")) == clients * rounds * per
    for c in range(clients):
        assert [int(x) for x in r.lrange(f"mine{c}", 0, -1)] == list(
            range(rounds * per)
        )


@pytest.mark.parametrize("target", ["resp", "embedded"])
def test_pipelined_messages_follow_the_writes_events(real, request, target):
    """A write's keyspace event is published when its COMMIT is over; a PUBLISH later
    in the same pipeline still comes after it, as in Redis."""
    orders = []
    for client in (real, request.getfixturevalue(target)):
        client.config_set("notify-keyspace-events", "KA")
        try:
            sub = client.pubsub()
            sub.subscribe("__keyspace@0__:pk", "pch")
            for _ in range(2):
                assert sub.get_message(timeout=5)["type"] == "subscribe"
            pipe = client.pipeline(transaction=False)
            pipe.set("pk", "v").publish("pch", "m").set("pk", "w").publish("pch", "n")
            pipe.execute()
            got = []
            while len(got) < 4:
                m = sub.get_message(timeout=5)
                assert m is not None, got
                got.append((m["channel"], m["data"]))
            orders.append(got)
            sub.close()
        finally:
            client.config_set("notify-keyspace-events", "")
    assert orders[1] == orders[0]


def test_requests_sent_while_a_command_blocks_are_answered(
    redis_server, redlite_server
):
    """Commands that reach the server while a blocking command waits (a separate TCP
    segment) run once it answers, without waiting for more input (they used to wait
    in the buffer until the client sent something else)."""
    import time

    replies = {}
    for name, server in (("real", redis_server), ("server", redlite_server)):
        client = RawClient(server.port, timeout=5)
        try:
            client.sock.sendall(RawClient.encode(["BLPOP", "pipelines:none", "0.2"]))
            time.sleep(0.05)
            client.sock.sendall(
                RawClient.encode(["PING"]) + RawClient.encode(["ECHO", "after"])
            )
            replies[name] = [client.read() for _ in range(3)]
        finally:
            client.close()
    assert replies["real"] == [
        ("nilarray", None),
        ("simple", b"PONG"),
        ("bulk", b"after"),
    ]
    assert replies["server"] == replies["real"]
