"""Pub/sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBEs, PUBLISH, SPUBLISH,
PUBSUB, against a real Redis 7.

- Scenarios of a subscriber and a publisher over raw sockets, in RESP2 and RESP3,
  whose every reply and message (in order) must equal real Redis's.
- PUBLISH and PUBSUB without subscribers through the differential harness (all three
  targets, every level).
- redis-py's PubSub on redlite-server and on the embedded client (get_message,
  listen, handlers, run_in_thread), and redis-cli's SUBSCRIBE on redlite-server.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import redis
import redlite
from differential import UNORDERED, C, RawClient, cases_params, check

CONTEXT_ERROR = (
    "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET "
    "are allowed in this context"
)


def wait_until(cond: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def read_unordered(c: RawClient, n: int) -> Any:
    """n confirmations of an unsubscribe from all, whose order is Redis's hash order:
    the names and the counts, each sorted."""
    replies = [c.read() for _ in range(n)]
    kinds = {(r[0], r[1][0]) for r in replies}
    return (
        kinds,
        sorted(repr(r[1][1]) for r in replies),
        sorted(r[1][2][1] for r in replies),
    )


def sorted_array(reply: Any) -> Any:
    kind, items = reply
    return (kind, sorted(items))


# -- raw scenarios ---------------------------------------------------------------------


def scenario_basic(port: int, proto: int) -> list[Any]:
    """Subscribe, publish, pattern and shard subscriptions, unsubscribe all."""
    out: list[Any] = []
    sub, pub = RawClient(port), RawClient(port)
    try:
        if proto == 3:
            out.append(sub.execute(["HELLO", "3"])[0])
        for cmd in ("UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE"):
            out.append(sub.execute([cmd]))
        sub.send(["SUBSCRIBE", "news", "sport", "news", b"bin\x00\xff"])
        out.append([sub.read() for _ in range(4)])
        out.append(sub.execute(["PING"]))
        out.append(sub.execute(["PING", "hello"]))
        sub.send(["PSUBSCRIBE", "n*", "[s]port", "n*"])
        out.append([sub.read() for _ in range(3)])
        sub.send(["SSUBSCRIBE", "shard1", "shard2"])
        out.append([sub.read() for _ in range(2)])
        out.append(pub.execute(["PUBLISH", "news", "hi"]))
        out.append([sub.read() for _ in range(2)])  # message, then pmessage
        out.append(pub.execute(["PUBLISH", "sport", "goal"]))
        out.append([sub.read() for _ in range(2)])
        out.append(pub.execute(["PUBLISH", b"bin\x00\xff", b"\x00\x01"]))
        out.append(sub.read())
        out.append(pub.execute(["PUBLISH", "zzz", "x"]))
        out.append(pub.execute(["PUBLISH", "nx", "pattern only"]))
        out.append(sub.read())
        out.append(pub.execute(["SPUBLISH", "shard1", "s"]))
        out.append(sub.read())
        out.append(pub.execute(["SPUBLISH", "news", "not a shard channel"]))
        out.append(pub.execute(["PUBLISH", "shard1", "not a channel"]))
        out.append(pub.execute(["PUBSUB", "NUMPAT"]))
        out.append(pub.execute(["PUBSUB", "NUMSUB", "news", "sport", "shard1", "none"]))
        out.append(pub.execute(["PUBSUB", "SHARDNUMSUB", "shard1", "news"]))
        out.append(sorted_array(pub.execute(["PUBSUB", "CHANNELS"])))
        out.append(sorted_array(pub.execute(["PUBSUB", "CHANNELS", "s*"])))
        out.append(sorted_array(pub.execute(["PUBSUB", "SHARDCHANNELS"])))
        out.append(sorted_array(pub.execute(["PUBSUB", "SHARDCHANNELS", "*2"])))
        sub.send(["UNSUBSCRIBE", "sport", "never"])
        out.append([sub.read() for _ in range(2)])
        sub.send(["UNSUBSCRIBE"])
        out.append(read_unordered(sub, 2))
        sub.send(["PUNSUBSCRIBE"])
        out.append(read_unordered(sub, 2))
        out.append(pub.execute(["PUBSUB", "NUMPAT"]))
        # Still in the shard channels: the RESP2 context holds.
        out.append(sub.execute(["GET", "k"]))
        sub.send(["SUNSUBSCRIBE"])
        out.append(read_unordered(sub, 2))
        out.append(sub.execute(["GET", "k"]))
        out.append(sub.execute(["PING"]))
        out.append(pub.execute(["PUBSUB", "CHANNELS"]))
    finally:
        sub.close()
        pub.close()
    return out


def scenario_context(port: int, proto: int) -> list[Any]:
    """What a subscribed client may run, PING's answer, subscribing to self."""
    out: list[Any] = []
    sub = RawClient(port)
    try:
        if proto == 3:
            out.append(sub.execute(["HELLO", "3"])[0])
        out.append(sub.execute(["SUBSCRIBE", "c"]))
        for argv in (
            ["GET", "k"],
            ["SET", "k", "v"],
            ["COMMAND", "GETKEYS", "GET", "k"],
            ["PUBSUB", "NUMPAT"],
            ["ECHO", "x"],
            ["SELECT", "0"],
            ["PING"],
            ["PING", "m"],
            ["PING", "a", "b"],
            ["SUBSCRIBE"],
            ["PSUBSCRIBE"],
            ["NOSUCH"],
            ["COMMAND", "NOSUCH"],
            ["GET"],
        ):
            out.append(sub.execute(argv))
        # A message to itself comes before PUBLISH's count (RESP3 only: PUBLISH is
        # refused in the RESP2 context).
        sub.send(["PUBLISH", "c", "self"])
        out.append(sub.read())
        if proto == 3:
            out.append(sub.read())
        # Pipelined: the confirmation, then the reply of the next command.
        sub.send(["SUBSCRIBE", "d"])
        sub.send(["PING"])
        out.append([sub.read(), sub.read()])
        out.append(sub.execute(["QUIT"]))
    finally:
        sub.close()
    return out


def scenario_disconnect(port: int, proto: int) -> list[Any]:
    """A subscriber that disconnects (or QUITs) leaves its channels."""
    out: list[Any] = []
    pub = RawClient(port)
    try:
        subs = []
        for i in range(3):
            s = RawClient(port)
            if proto == 3:
                s.execute(["HELLO", "3"])
            s.send(["SUBSCRIBE", "gone", f"gone{i}"])
            s.read()
            s.read()
            s.execute(["PSUBSCRIBE", "g*"])
            subs.append(s)
        out.append(pub.execute(["PUBLISH", "gone", "x"]))
        out.append(pub.execute(["PUBSUB", "NUMSUB", "gone", "gone0"]))
        subs[0].close()
        out.append(subs[1].execute(["QUIT"]))
        subs[1].close()
        wait_until(
            lambda: pub.execute(["PUBSUB", "NUMSUB", "gone"])[1][1] == ("int", 1),
            "the subscribers that left to be gone",
        )
        out.append(pub.execute(["PUBLISH", "gone", "y"]))
        out.append(pub.execute(["PUBSUB", "NUMPAT"]))
        out.append(sorted_array(pub.execute(["PUBSUB", "CHANNELS", "gone*"])))
        out.append([subs[2].read() for _ in range(4)])
        subs[2].close()
    finally:
        pub.close()
    return out


def scenario_reply_off(port: int, proto: int) -> list[Any]:
    """CLIENT REPLY OFF or SKIP silences replies, never a subscriber's confirmations
    and messages (Redis's unit pubsub, "PubSub messages with CLIENT REPLY OFF":
    redlite-server sent nothing, and the unit hung)."""
    out: list[Any] = []
    sub, pub = RawClient(port), RawClient(port)
    try:
        if proto == 3:
            out.append(sub.execute(["HELLO", "3"])[0])
        sub.send(["CLIENT", "REPLY", "OFF"])
        out.append(sub.execute(["SUBSCRIBE", "channel"]))
        out.append(sub.execute(["PSUBSCRIBE", "ch*"]))
        sub.send(["SUBSCRIBE", "a", "b"])
        out.append([sub.read(), sub.read()])
        if proto == 3:
            sub.send(["GET", "k"])
        out.append(pub.execute(["PUBLISH", "channel", "hello"]))
        out.append(read_unordered(sub, 2))
        out.append(sub.execute(["UNSUBSCRIBE", "channel"]))
        out.append(sub.execute(["PUNSUBSCRIBE", "ch*"]))
        sub.send(["UNSUBSCRIBE"])
        out.append(read_unordered(sub, 2))
        # Out of the subscribed context: replies are still off.
        sub.send(["PING"])
        sub.send(["CLIENT", "REPLY", "SKIP"])
        sub.send(["PING"])
        out.append(sub.execute(["PSUBSCRIBE", "x*"]))
        out.append(sub.execute(["PUNSUBSCRIBE"]))
        out.append(sub.execute(["CLIENT", "REPLY", "ON"]))
        out.append(sub.execute(["PING", "after"]))
    finally:
        sub.close()
        pub.close()
    return out


SCENARIOS = {
    "reply_off": scenario_reply_off,
    "basic": scenario_basic,
    "context": scenario_context,
    "disconnect": scenario_disconnect,
}


@pytest.mark.parametrize("proto", [2, 3])
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenarios_match_redis(redis_server, redlite_server, name, proto):
    run = SCENARIOS[name]
    for port in (redis_server.port, redlite_server.port):
        c = RawClient(port)
        c.execute(["FLUSHALL"])
        c.close()
    want = run(redis_server.port, proto)
    got = run(redlite_server.port, proto)
    for i, (w, g) in enumerate(zip(want, got)):
        assert g == w, f"step {i}: redis {w!r}, redlite {g!r}"
    assert len(got) == len(want)


# -- PUBLISH and PUBSUB, no subscribers: every target, every level ----------------------

CASES = {
    "publish": [
        C("PUBLISH", "ch", "msg"),
        C("PUBLISH", "ch"),
        C("PUBLISH", "ch", "a", "b"),
        C("SPUBLISH", "ch", "msg"),
        C("SPUBLISH", "ch"),
        C("PUBLISH", b"\x00", b"\xff"),
    ],
    "pubsub": [
        C("PUBSUB", "NUMPAT"),
        C("PUBSUB", "NUMPAT", "x"),
        C("PUBSUB", "NUMSUB"),
        C("PUBSUB", "NUMSUB", "a", "b"),
        C("PUBSUB", "SHARDNUMSUB"),
        C("PUBSUB", "SHARDNUMSUB", "a"),
        C("PUBSUB", "CHANNELS"),
        C("PUBSUB", "CHANNELS", "*"),
        C("PUBSUB", "CHANNELS", "a", "b"),
        C("PUBSUB", "SHARDCHANNELS"),
        C("PUBSUB", "SHARDCHANNELS", "x*"),
        C("PUBSUB", "SHARDCHANNELS", "a", "b"),
        C("PUBSUB", "HELP"),
        C("PUBSUB", "help"),
        C("PUBSUB", "NOSUCH"),
        C("PUBSUB"),
        C("COMMAND", "INFO", "subscribe", "publish", "spublish", "ssubscribe"),
        C("COMMAND", "GETKEYS", "SPUBLISH", "ch", "m"),
        C("COMMAND", "GETKEYS", "SSUBSCRIBE", "a", "b"),
        C("COMMAND", "GETKEYS", "PUBLISH", "ch", "m"),
        C("COMMAND", "LIST", "FILTERBY", "ACLCAT", "pubsub", norm=UNORDERED),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_publish_and_pubsub_match_redis(targets, steps, level):
    check(targets, level, steps)


# -- redis-py's PubSub -------------------------------------------------------------------


def _messages(p: redis.client.PubSub, n: int, timeout: float = 10.0) -> list[Any]:
    got: list[Any] = []
    deadline = time.monotonic() + timeout
    while len(got) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out with {got!r}")
        m = p.get_message(timeout=1.0)
        if m is not None:
            got.append(m)
    return got


def _pubsub_flow(client: redis.Redis, publisher: redis.Redis) -> list[Any]:
    """A redis-py PubSub session; the messages it saw, as dicts."""
    out: list[Any] = []
    p = client.pubsub()
    p.subscribe("a", "b")
    p.psubscribe("p*")
    out += _messages(p, 3)
    out.append(publisher.publish("a", "one"))
    out.append(publisher.publish("pa", "two"))
    out += _messages(p, 2)
    out.append(p.get_message(timeout=0.05))
    p.unsubscribe("a")
    out += _messages(p, 1)
    out.append(publisher.pubsub_numsub("a", "b"))
    out.append(publisher.pubsub_numpat())
    p.close()
    wait_until(
        lambda: publisher.pubsub_numpat() == 0, "the PubSub's connection to close"
    )
    return out


def test_redis_py_pubsub_on_the_server(real, resp):
    assert _pubsub_flow(resp, resp) == _pubsub_flow(real, real)


@pytest.mark.parametrize("protocol", [2, 3])
def test_redis_py_pubsub_handlers_and_run_in_thread(redlite_server, protocol):
    client = redis.Redis(
        port=redlite_server.port, protocol=protocol, decode_responses=True
    )
    _handlers_and_thread(client)
    client.close()


def _handlers_and_thread(client: redis.Redis) -> None:
    seen: list[Any] = []
    done = threading.Event()

    def handler(m: Any) -> None:
        seen.append((m["type"], m["channel"], m["data"]))
        if m["data"] == "last":
            done.set()

    p = client.pubsub(ignore_subscribe_messages=True)
    p.subscribe(**{"h1": handler})
    p.psubscribe(**{"h*": handler})
    thread = p.run_in_thread(sleep_time=0.05, daemon=True)
    try:
        wait_until(
            lambda: (
                client.pubsub_numpat() == 1 and client.pubsub_numsub("h1")[0][1] == 1
            ),
            "the handlers to subscribe",
        )
        assert client.publish("h1", "first") == 2
        assert client.publish("h2", "last") == 1
        assert done.wait(10)
    finally:
        thread.stop()
        thread.join(10)
    assert seen == [
        ("message", "h1", "first"),
        ("pmessage", "h1", "first"),
        ("pmessage", "h2", "last"),
    ]


def test_redis_py_listen_on_the_server(resp):
    p = resp.pubsub()
    p.subscribe("l")
    got: list[Any] = []

    def publish_later() -> None:
        wait_until(lambda: resp.pubsub_numsub("l")[0][1] == 1, "the subscription")
        resp.publish("l", "1")
        resp.publish("l", "2")

    t = threading.Thread(target=publish_later)
    t.start()
    for m in p.listen():
        got.append((m["type"], m["data"]))
        if len(got) == 3:
            break
    t.join()
    p.close()
    assert got == [("subscribe", 1), ("message", b"1"), ("message", b"2")]


def test_redis_cli_subscribe_hears_a_published_message(redlite_server):
    cli = shutil.which("redis-cli")
    assert cli is not None, "redis-cli is not installed"
    proc = subprocess.Popen(
        [cli, "-p", str(redlite_server.port), "--no-raw", "SUBSCRIBE", "cli-chan"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        pub = redis.Redis(port=redlite_server.port)
        wait_until(
            lambda: pub.pubsub_numsub("cli-chan")[0][1] == 1, "redis-cli to subscribe"
        )
        assert pub.publish("cli-chan", "hello from redlite") == 1
        assert proc.stdout is not None
        lines: list[str] = []
        while "hello from redlite" not in "".join(lines):
            line = proc.stdout.readline()
            assert line, f"redis-cli ended: {lines!r}"
            lines.append(line.decode())
        pub.close()
    finally:
        proc.terminate()
        proc.wait(10)
    text = "".join(lines)
    assert '"subscribe"' in text and '"cli-chan"' in text and '"message"' in text


# -- embedded -----------------------------------------------------------------------------


def test_embedded_pubsub_matches_redis(real, tmp_path):
    client = redlite.Redis(str(tmp_path / "ps.db"))
    try:
        assert _pubsub_flow(client, client) == _pubsub_flow(real, real)
    finally:
        client.close()


@pytest.mark.parametrize("protocol", [2, 3])
def test_embedded_handlers_and_run_in_thread(tmp_path, protocol):
    client = redlite.Redis(
        str(tmp_path / "ps.db"), protocol=protocol, decode_responses=True
    )
    try:
        _handlers_and_thread(client)
    finally:
        client.close()


def test_embedded_listen_and_a_second_client_on_the_same_file(tmp_path):
    path = str(tmp_path / "ps.db")
    sub, pub = redlite.Redis(path), redlite.Redis(path)
    p = sub.pubsub()
    p.subscribe("l")
    p.psubscribe("*")

    def publish_later() -> None:
        wait_until(lambda: pub.pubsub_numsub("l")[0][1] == 1, "the subscription")
        pub.publish("l", "1")

    t = threading.Thread(target=publish_later)
    t.start()
    got = []
    for m in p.listen():
        got.append((m["type"], m["channel"], m["data"]))
        if len(got) == 4:
            break
    t.join()
    p.close()
    assert got == [
        ("subscribe", b"l", 1),
        ("psubscribe", b"*", 2),
        ("message", b"l", b"1"),
        ("pmessage", b"l", b"1"),
    ]
    assert pub.pubsub_numpat() == 0
    sub.close()
    pub.close()


def test_embedded_get_message_waits_and_times_out(tmp_path):
    client = redlite.Redis(str(tmp_path / "ps.db"))
    p = client.pubsub()
    p.subscribe("w")
    assert p.get_message(timeout=5)["type"] == "subscribe"
    assert p.get_message(timeout=0.05) is None
    timer = threading.Timer(0.1, lambda: client.publish("w", "later"))
    timer.start()
    m = p.get_message(timeout=10)
    timer.join()
    assert m is not None and m["data"] == b"later"
    p.close()
    client.close()


def test_embedded_unsubscribe_from_another_thread_wakes_the_reader(
    tmp_path: Path,
) -> None:
    """RQ's pattern: one thread reads a PubSub with a long timeout, another thread
    unsubscribes on the same PubSub; the reader sees the confirmation at once (over a
    socket, the server's reply wakes it), not when its timeout runs out."""
    import threading

    client = redlite.Redis(str(tmp_path / "wake.db"))
    p = client.pubsub()
    p.subscribe("jobs")
    assert p.get_message(timeout=5)["type"] == "subscribe"
    seen: list = []
    done = threading.Event()

    def reader() -> None:
        seen.append(p.get_message(timeout=600))
        done.set()

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    p.unsubscribe("jobs")
    assert done.wait(60), "the reader slept through the UNSUBSCRIBE"
    assert seen[0]["type"] == "unsubscribe"
    p.close()
    client.close()
