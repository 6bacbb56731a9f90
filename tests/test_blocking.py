"""Blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) across clients.

Embedded (threads sharing one redlite.Redis), over RESP (several redis-py clients of
redlite-server, the same scenario also run on the real Redis where its outcome is
deterministic), a client that disconnects while blocked, and a waiter in another
process woken by a push from this one (the data_version poller).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable

import redis
import redlite

ROOT = Path(__file__).resolve().parent.parent


def in_thread(fn: Callable[[], Any]) -> Result:
    res = Result()

    def run() -> None:
        try:
            res.value = fn()
        except BaseException as e:  # pragma: no cover - shown by the assertion
            res.value = e
        res.at = time.monotonic()
        res.done.set()

    threading.Thread(target=run, daemon=True).start()
    return res


class Result:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.at = 0.0

    def get(self, timeout: float = 10.0) -> Any:
        assert self.done.wait(timeout), "no reply"
        return self.value


def blocked_clients(client: redis.Redis) -> int:
    return int(client.info("clients")["blocked_clients"])


def wait_blocked(client: redis.Redis, n: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while blocked_clients(client) != n:
        assert time.monotonic() < deadline, (
            f"blocked_clients is {blocked_clients(client)}, want {n}"
        )
        time.sleep(0.005)


# -- embedded -----------------------------------------------------------------------------


def test_embedded_blpop_wakes_at_once_on_a_push_from_another_thread(tmp_path):
    client = redlite.Redis(str(tmp_path / "e.db"))
    waiter = in_thread(lambda: client.blpop(["jobs"], timeout=0))
    wait_blocked(client, 1)
    time.sleep(0.2)  # well past any poll interval: only the push may wake it
    assert not waiter.done.is_set()
    t = time.monotonic()
    client.rpush("jobs", "j1")
    assert waiter.get() == (b"jobs", b"j1")
    assert waiter.at - t < 0.04, f"woken after {waiter.at - t:.3f}s"
    assert client.exists("jobs") == 0
    wait_blocked(client, 0)
    client.close()


def test_embedded_fifo_timeout_and_blmove(tmp_path):
    client = redlite.Redis(str(tmp_path / "e.db"))
    waiters = []
    for i in range(3):
        waiters.append(in_thread(lambda: client.brpop(["q"], timeout=5)))
        wait_blocked(client, i + 1)
    client.rpush("q", "a", "b", "c")  # BRPOP takes from the right: c, b, a
    assert [w.get() for w in waiters] == [(b"q", b"c"), (b"q", b"b"), (b"q", b"a")]

    t = time.monotonic()
    assert client.blpop(["nothing"], timeout=0.2) is None
    assert 0.2 <= time.monotonic() - t < 2

    on_dst = in_thread(lambda: client.blpop(["dst"], timeout=5))
    wait_blocked(client, 1)
    mover = in_thread(lambda: client.blmove("src", "dst", 5, "LEFT", "RIGHT"))
    wait_blocked(client, 2)
    client.lpush("src", "x")
    assert mover.get() == b"x"
    assert on_dst.get() == (b"dst", b"x")
    assert client.exists("src", "dst") == 0
    client.close()


# -- over RESP ----------------------------------------------------------------------------


def fifo_scenario(port: int) -> list[Any]:
    """Three clients block in turn on one list; one push of three elements serves
    them in arrival order. Deterministic, so real Redis must give the same."""
    admin = redis.Redis(port=port)
    admin.delete("q", "other")
    clients = [redis.Redis(port=port) for _ in range(3)]
    waiters = []
    for i, c in enumerate(clients):
        waiters.append(in_thread(lambda c=c: c.blpop(["other", "q"], timeout=10)))
        wait_blocked(admin, i + 1)
    assert admin.rpush("q", "a", "b", "c") == 3
    out = [w.get() for w in waiters]
    out.append(admin.exists("q"))
    wait_blocked(admin, 0)
    for c in clients + [admin]:
        c.close()
    return out


def test_fifo_over_resp_matches_redis(redis_server, redlite_server):
    want = fifo_scenario(redis_server.port)
    assert want == [(b"q", b"a"), (b"q", b"b"), (b"q", b"c"), 0]
    assert fifo_scenario(redlite_server.port) == want


def test_two_redis_py_clients(resp):
    other = redis.Redis(port=resp.connection_pool.connection_kwargs["port"])
    waiter = in_thread(lambda: other.blmpop(0, 2, "a", "b", direction="RIGHT", count=2))
    wait_blocked(resp, 1)
    assert resp.info("clients")["blocked_clients"] == 1
    t = time.monotonic()
    resp.rpush("b", 1, 2, 3)
    assert waiter.get() == [b"b", [b"3", b"2"]]
    assert waiter.at - t < 0.5
    assert resp.lrange("b", 0, -1) == [b"1"]
    assert resp.blpop(["none"], timeout=0.05) is None
    other.close()


def test_a_disconnected_waiter_takes_nothing(resp, redlite_server):
    s = socket.create_connection(("127.0.0.1", redlite_server.port))
    s.sendall(b"*3\r\n$5\r\nBLPOP\r\n$4\r\ngone\r\n$1\r\n0\r\n")
    wait_blocked(resp, 1)
    s.close()
    wait_blocked(resp, 0)  # the server saw the EOF and cancelled the wait
    assert resp.rpush("gone", "stays") == 1
    assert resp.lrange("gone", 0, -1) == [b"stays"]


def test_pipelined_commands_wait_for_the_blocking_one(redis_server, redlite_server):
    for port in (redis_server.port, redlite_server.port):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(
            b"*3\r\n$5\r\nRPUSH\r\n$1\r\np\r\n$1\r\n1\r\n"  # answered before BLPOP waits
            b"*3\r\n$5\r\nBLPOP\r\n$5\r\nempty\r\n$3\r\n0.3\r\n"
            b"*1\r\n$4\r\nPING\r\n"
        )
        s.settimeout(5)
        assert s.recv(100) == b":1\r\n"
        t = time.monotonic()
        got = b""
        while not got.endswith(b"+PONG\r\n"):
            got += s.recv(100)
        assert got == b"*-1\r\n+PONG\r\n"
        assert 0.2 < time.monotonic() - t < 3
        s.close()
        redis.Redis(port=port).delete("p")


def test_many_blocked_clients_do_not_starve_the_server(resp, redlite_server):
    """More blocked clients than the server's blocking pool (8) has threads."""
    port = redlite_server.port
    clients = [redis.Redis(port=port) for _ in range(30)]
    waiters = [in_thread(lambda c=c: c.blpop(["many"], timeout=10)) for c in clients]
    wait_blocked(resp, 30)
    t = time.monotonic()
    assert resp.set("k", "v") and resp.get("k") == b"v"
    assert time.monotonic() - t < 0.5
    resp.rpush("many", *range(30))
    got = sorted(int(w.get()[1]) for w in waiters)
    assert got == list(range(30))
    for c in clients:
        c.close()


def test_blmove_chain_over_resp(resp, redlite_server):
    port = redlite_server.port
    c1, c2, c3 = (redis.Redis(port=port) for _ in range(3))
    end = in_thread(lambda: c1.blpop(["c"], timeout=10))
    wait_blocked(resp, 1)
    mid = in_thread(lambda: c2.brpoplpush("b", "c", timeout=10))
    wait_blocked(resp, 2)
    start = in_thread(lambda: c3.blmove("a", "b", 10, "RIGHT", "LEFT"))
    wait_blocked(resp, 3)
    resp.lpush("a", "x")
    assert (start.get(), mid.get(), end.get()) == (b"x", b"x", (b"c", b"x"))
    assert resp.exists("a", "b", "c") == 0
    for c in (c1, c2, c3):
        c.close()


# -- across processes ---------------------------------------------------------------------

CHILD = r"""
import sys, time
import redlite
r = redlite.Redis(sys.argv[1])
print("ready", flush=True)
t = time.monotonic()
got = r.blpop(["crossproc"], timeout=20)
print(repr(got), round(time.monotonic() - t, 3), flush=True)
"""


def test_a_waiter_in_another_process_is_woken(tmp_path):
    path = str(tmp_path / "shared.db")
    here = redlite.Redis(path)
    here.ping()
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
        assert here.lpush("crossproc", "from-parent") == 1
        out, _ = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
    got, waited = out.rsplit(" ", 1)
    assert got == "(b'crossproc', b'from-parent')"
    assert 0.4 < float(waited) < 3, waited
    assert here.exists("crossproc") == 0
    here.close()


INTERRUPTED_CHILD = r"""
import sys
import redlite
r = redlite.Redis(sys.argv[1])
print("ready", flush=True)
r.blpop(["interrupted"], timeout=0)
print("not interrupted", flush=True)
"""


def test_ctrl_c_interrupts_an_embedded_blocking_pop_which_then_takes_nothing(tmp_path):
    import signal

    path = str(tmp_path / "sigint.db")
    here = redlite.Redis(path)
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT / "python") + os.pathsep + os.environ.get("PYTHONPATH", ""),
    )
    child = subprocess.Popen(
        [sys.executable, "-c", INTERRUPTED_CHILD, path],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.3)  # the child is blocked by now
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=20)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert "KeyboardInterrupt" in err
    assert "not interrupted" not in out
    # The interrupted waiter left the queue: a push now stays in the list.
    assert here.lpush("interrupted", "x") == 1
    time.sleep(0.2)
    assert here.lrange("interrupted", 0, -1) == [b"x"]
    here.close()
