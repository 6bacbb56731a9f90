"""Pipelines against redlite-server, where a batch's writes share a COMMIT.

The server runs a client's pipelined commands as one batch: consecutive writes leave
their group commit open and are settled (committed) before a read, before anything
blocks, and before the replies leave; batches of only writes go to the writer lane,
of only reads to the reader lane (redlite-server's lanes.rs). These tests check that
none of it shows: random pipelines get the replies real Redis gives, a client reads
its own pipelined writes, and concurrent pipelining clients lose nothing.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List

import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from differential import RawClient, as_cmd

from test_hypothesis import COLLECTION_COMMANDS, COMMANDS, LIST_COMMANDS

PIPELINE_COMMANDS = st.one_of(COMMANDS, COLLECTION_COMMANDS, *LIST_COMMANDS)


def pipelined(port: int, argvs: List[Any], chunks: int) -> List[Any]:
    """Send the commands in `chunks` writes without waiting, then read every reply."""
    client = RawClient(port)
    try:
        size = max(1, -(-len(argvs) // chunks))
        for start in range(0, len(argvs), size):
            client.sock.sendall(b"".join(RawClient.encode(a) for a in argvs[start:start + size]))
        return [client.read() for _ in argvs]
    finally:
        client.close()


def flushall(port: int) -> None:
    client = RawClient(port)
    try:
        assert client.execute(["FLUSHALL"]) == ("simple", b"OK")
    finally:
        client.close()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(PIPELINE_COMMANDS, min_size=1, max_size=40), chunks=st.integers(1, 3))
def test_random_pipelines_match_redis(redis_server, redlite_server, steps, chunks):
    cmds = [as_cmd(s) for s in steps]
    argvs = [c.argv for c in cmds]
    replies: Dict[str, List[Any]] = {}
    for name, server in (("real", redis_server), ("server", redlite_server)):
        flushall(server.port)
        replies[name] = pipelined(server.port, argvs, chunks)
    bad = []
    for i, cmd in enumerate(cmds):
        ref, got = replies["real"][i], replies["server"][i]
        if not cmd.normaliser().equal(ref, got):
            bad.append((i, cmd.argv, ref, got))
    assert not bad, "pipelined replies differ from real Redis:\n" + "\n".join(map(str, bad[:10]))


def test_a_pipeline_reads_its_own_writes(resp):
    """Writes deferred to the end of the batch are visible to the batch's reads."""
    pipe = resp.pipeline(transaction=False)
    for i in range(200):
        pipe.set(f"k{i}", i)
        pipe.incr("n")
        pipe.get(f"k{i}")
        pipe.rpush("l", i)
        pipe.llen("l")
    replies = pipe.execute()
    for i in range(200):
        assert replies[5 * i: 5 * i + 5] == [True, i + 1, str(i).encode(), i + 1, i + 1]


def test_concurrent_pipelines_lose_nothing(redlite_server):
    """Clients pipelining writes at once: every acknowledged write is there, and each
    client's INCR replies count up."""
    clients, rounds, per = 8, 30, 20
    errors: List[BaseException] = []

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
        assert [int(x) for x in r.lrange(f"mine{c}", 0, -1)] == list(range(rounds * per))
