"""Resource bounds of redlite-server, each beside real Redis 7 where Redis has it.

- Before AUTH, a request is capped as Redis caps it (networking.c): at most 10
  arguments, each of at most 16 KB; past that, a protocol error and the connection
  is closed, so a client without the password cannot make the server buffer more.
- client-output-buffer-limit: CONFIG GET/SET with Redis's syntax and errors; a
  subscriber that does not read is disconnected at its class's limit.
- File descriptors: under a low `ulimit -n`, clients past what fits are refused
  with `ERR max number of clients reached`, never left hanging.
"""

from __future__ import annotations

import os
import resource
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from conftest import REDLITE_SERVER, Server, free_port
from differential import RawClient
from test_auth import start_with_password

PASSWORD = "s3cret"


# -- servers ----------------------------------------------------------------------------


def redis_argv(port: int, d: str, *extra: str) -> list[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed", pytrace=False)
    return [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        d,
        *extra,
    ]


def redlite_argv(port: int, d: str, *extra: str) -> list[str]:
    if not REDLITE_SERVER.exists():
        pytest.fail(
            f"{REDLITE_SERVER} is missing: build it with `make build`", pytrace=False
        )
    return [
        str(REDLITE_SERVER),
        "--db",
        os.path.join(d, f"limits-{port}.db"),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        *extra,
    ]


@pytest.fixture(scope="module")
def with_password(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, Server]]:
    """Redis and redlite-server, both with requirepass."""
    d = str(tmp_path_factory.mktemp("limits-auth"))
    rport, lport = free_port(), free_port()
    real = start_with_password(
        "redis-limits-auth",
        redis_argv(rport, d, "--requirepass", PASSWORD),
        rport,
        d,
    )
    lite = start_with_password(
        "redlite-limits-auth",
        redlite_argv(lport, d, "--requirepass", PASSWORD),
        lport,
        d,
    )
    yield real, lite
    real.stop()
    lite.stop()


def raw_exchange(port: int, data: bytes, timeout: float = 10.0) -> tuple[bytes, bool]:
    """Send `data`, then read until the server closes (or `timeout`): what came back,
    and whether the server closed the connection."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        got = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                return got, False
            except ConnectionResetError:
                return got, True
            if not chunk:
                return got, True
            got += chunk
        return got, False
    finally:
        s.close()


# -- 8. requests before AUTH ------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"*100\r\n",
        b"*11\r\n",
        b"*2147483647\r\n",
        b"*1\r\n$100000000\r\n",
        b"*1\r\n$16385\r\n",
        b"*2\r\n$3\r\nGET\r\n$16385\r\n",
        # Redis checks the bulk length is valid before the limit.
        b"*1\r\n$-1\r\n",
        b"*1\r\n$99999999999\r\n",
    ],
)
def test_unauthenticated_request_limits(
    with_password: tuple[Server, Server], data: bytes
) -> None:
    real, lite = with_password
    want = raw_exchange(real.port, data, timeout=3)
    got = raw_exchange(lite.port, data, timeout=3)
    assert got == want
    assert want[1], "Redis closes the connection"


def test_unauthenticated_within_limits(with_password: tuple[Server, Server]) -> None:
    """10 arguments of 16 KB are still read (and answered NOAUTH)."""
    real, lite = with_password
    big = b"x" * 16384
    argv = [b"SET", b"k"] + [big] * 8
    for port in (real.port, lite.port):
        c = RawClient(port)
        try:
            assert c.execute(argv) == ("error", "NOAUTH Authentication required.")
            assert c.execute([b"PING"]) == ("error", "NOAUTH Authentication required.")
        finally:
            c.close()


def test_auth_lifts_the_limits_within_a_pipeline(
    with_password: tuple[Server, Server],
) -> None:
    """AUTH, then a large request in the same write: Redis runs AUTH before it
    parses the next request, so the large one is accepted."""
    big = b"v" * 100_000
    pipeline = RawClient.encode([b"AUTH", PASSWORD]) + RawClient.encode(
        [b"SET", b"big", big]
    )
    pipeline += RawClient.encode([b"STRLEN", b"big"]) + RawClient.encode(
        [b"MSET"] + [b"a", b"b"] * 20
    )
    for server in with_password:
        c = RawClient(server.port)
        try:
            c.sock.sendall(pipeline)
            assert [c.read() for _ in range(4)] == [
                ("simple", b"OK"),
                ("simple", b"OK"),
                ("int", 100_000),
                ("simple", b"OK"),
            ], server.name
        finally:
            c.close()


def test_unauthenticated_client_cannot_make_the_server_buffer(
    with_password: tuple[Server, Server],
) -> None:
    """A client without the password announcing a 500 MB argument is closed at once;
    the server holds nothing for it."""
    _, lite = with_password
    before = rss_kb(lite.proc.pid)
    s = socket.create_connection(("127.0.0.1", lite.port), timeout=5)
    try:
        s.sendall(b"*1\r\n$500000000\r\n")
        got = s.recv(1024)
        assert got == b"-ERR Protocol error: unauthenticated bulk length\r\n"
        sent = 0
        with pytest.raises(OSError):
            for _ in range(1000):
                s.sendall(b"x" * 65536)
                sent += 65536
        assert sent < 64 * 1024 * 1024
    finally:
        s.close()
    assert rss_kb(lite.proc.pid) - before < 32 * 1024


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


# -- 9. client-output-buffer-limit ------------------------------------------------------


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    """Redis and redlite-server of this module's own (it changes their limits)."""
    from conftest import start

    d = str(tmp_path_factory.mktemp("limits"))
    rport, lport = free_port(), free_port()
    real = start("redis-limits", redis_argv(rport, d), rport, d)
    lite = start("redlite-limits", redlite_argv(lport, d), lport, d)
    yield real, lite
    real.stop()
    lite.stop()


DEFAULT_LIMITS = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"


def set_limits(servers: tuple[Server, Server], value: str) -> None:
    for s in servers:
        c = RawClient(s.port)
        try:
            assert c.execute(
                ["CONFIG", "SET", "client-output-buffer-limit", value]
            ) == (
                "simple",
                b"OK",
            )
        finally:
            c.close()


@pytest.fixture
def limits(plain: tuple[Server, Server]) -> Iterator[tuple[Server, Server]]:
    yield plain
    set_limits(plain, DEFAULT_LIMITS)


def test_client_output_buffer_limit_config(limits: tuple[Server, Server]) -> None:
    get = ["CONFIG", "GET", "client-output-buffer-limit"]
    steps = [
        get,
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 256kb 10"],
        get,
        [
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "replica 1gb 2k 1 NORMAL 5 6 7",
        ],
        get,
        ["CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"],
        ["CONFIG", "SET", "client-output-buffer-limit", "master 0 0 0"],
        ["CONFIG", "SET", "client-output-buffer-limit", "nosuch 0 0 0"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 1x 0 0"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 -1 0"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 -1"],
        ["CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 1s"],
        ["CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0  pubsub 0 0 0"],
        # A bad group refuses the whole value: the good one before it is not applied.
        ["CONFIG", "SET", "client-output-buffer-limit", "normal 9 9 9 pubsub x 0 0"],
        get,
        [
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "pubsub 0 0 0",
            "maxclients",
            "0",
        ],
        get,
        ["CONFIG", "SET", "client-output-buffer-limit", DEFAULT_LIMITS],
        get,
    ]
    clients = [RawClient(s.port) for s in limits]
    try:
        for argv in steps:
            want, got = (c.execute(argv) for c in clients)
            assert got == want, f"{argv}: redis {want!r}, redlite {got!r}"
    finally:
        for c in clients:
            c.close()


def client_fields(port: int, of_cmd: str) -> dict:
    r = redis.Redis(port=port)
    try:
        for line in r.execute_command("CLIENT", "LIST").decode().splitlines():
            fields = dict(kv.split("=", 1) for kv in line.split(" "))
            if fields["cmd"] == of_cmd:
                return fields
    finally:
        r.close()
    raise AssertionError(f"no client whose last command is {of_cmd}")


def test_client_list_shows_subscriptions(plain: tuple[Server, Server]) -> None:
    seen = []
    for server in plain:
        c = RawClient(server.port)
        try:
            c.execute(["SUBSCRIBE", "a", "b"])
            c.read()
            c.execute(["PSUBSCRIBE", "p*"])
            # The confirmation is read; the server's count of unsent bytes may lag
            # the socket by a moment (a fresh-clone CI run saw omem=33): ask again
            # for up to a second while omem is not yet 0, then compare what is seen.
            fields = client_fields(server.port, "psubscribe")
            deadline = time.monotonic() + 1
            while fields["omem"] != "0" and time.monotonic() < deadline:
                time.sleep(0.01)
                fields = client_fields(server.port, "psubscribe")
            seen.append(fields)
            c.execute(["UNSUBSCRIBE"])
            c.read()
            c.execute(["PUNSUBSCRIBE"])
            after = client_fields(server.port, "punsubscribe")
            assert (after["flags"], after["sub"], after["psub"]) == ("N", "0", "0")
        finally:
            c.close()
    want, got = seen
    for f in ("flags", "sub", "psub", "ssub", "oll", "omem", "obl", "multi", "events"):
        assert got[f] == want[f], f"{f}: redis {want[f]!r}, redlite {got[f]!r}"
    assert (got["flags"], got["sub"], got["psub"]) == ("P", "2", "1")
    from differential import REDIS_72_CLIENT_FIELDS

    assert [k for k in got if k not in REDIS_72_CLIENT_FIELDS] == list(want)


def stalled_subscriber(port: int) -> socket.socket:
    """A subscriber that never reads, with a small receive buffer."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(RawClient.encode(["SUBSCRIBE", "stall"]))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if client_fields(port, "subscribe")["sub"] == "1":
                return s
        except AssertionError:
            pass
        time.sleep(0.05)
    raise AssertionError("the subscriber did not subscribe")


def closed_by_server(s: socket.socket, timeout: float = 10) -> bool:
    """Drain what the server sent: True if it then closed the connection."""
    s.settimeout(timeout)
    try:
        while True:
            if not s.recv(1 << 20):
                return True
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


def publish(port: int, megabytes: int) -> None:
    r = redis.Redis(port=port)
    try:
        msg = b"m" * 10_000
        for _ in range(megabytes * 100):
            r.publish("stall", msg)
    finally:
        r.close()


def test_stalled_subscriber_is_disconnected_at_the_hard_limit(
    limits: tuple[Server, Server],
) -> None:
    set_limits(limits, "pubsub 1mb 0 0")
    for server in limits:
        before = rss_kb(server.proc.pid)
        s = stalled_subscriber(server.port)
        try:
            publish(server.port, 20)
            assert closed_by_server(s), server.name
        finally:
            s.close()
        r = redis.Redis(port=server.port)
        try:
            assert r.pubsub_numsub("stall") == [(b"stall", 0)]
        finally:
            r.close()
        # 20 MB were published; at most the limit (and one batch) was held.
        assert rss_kb(server.proc.pid) - before < 8 * 1024, server.name


def test_stalled_subscriber_over_the_soft_limit_for_its_seconds(
    limits: tuple[Server, Server],
) -> None:
    set_limits(limits, "pubsub 0 512kb 1")
    for server in limits:
        s = stalled_subscriber(server.port)
        try:
            publish(server.port, 4)
            # Over the soft limit, but not yet for more than a second.
            r = redis.Redis(port=server.port)
            try:
                assert r.pubsub_numsub("stall") == [(b"stall", 1)], server.name
                time.sleep(2.2)
                r.publish("stall", b"one more")
            finally:
                r.close()
            assert closed_by_server(s), server.name
        finally:
            s.close()


def test_normal_client_over_its_hard_limit_gets_no_reply(
    limits: tuple[Server, Server],
) -> None:
    """Redis's "No response for single command if client output buffer hard limit is
    enforced": a reply bigger than the normal class's hard limit closes the client."""
    set_limits(limits, "normal 100kb 0 0")
    for server in limits:
        c = RawClient(server.port)
        try:
            assert c.execute(["SET", "big", "x" * 200_000]) == ("simple", b"OK")
            c.send(["GET", "big"])
            with pytest.raises(ConnectionError):
                c.read()
        finally:
            c.close()


# -- 10. file descriptors ---------------------------------------------------------------


def start_limited(
    name: str, argv: list[str], port: int, d: str, nofile: int, can_raise: bool
) -> Server:
    """A server whose soft limit on open files is `nofile`. If `can_raise`, its
    hard limit is 1000, which a process may raise its soft limit to; if not, the
    hard limit is `nofile` too and the server has no CAP_SYS_RESOURCE, so that it
    cannot raise it (as a server run by a user other than root)."""
    from conftest import start

    for tool in ("prlimit", "setpriv"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} (util-linux) is missing", pytrace=False)
    hard = 1000 if can_raise else nofile
    prefix = ["prlimit", f"--nofile={nofile}:{hard}", "--"]
    if not can_raise:
        prefix += [
            "setpriv",
            "--bounding-set",
            "-sys_resource",
            "--inh-caps",
            "-sys_resource",
            "--",
        ]
    return start(name, prefix + argv, port, d)


def open_clients(port: int, n: int) -> dict:
    """Open `n` connections, PING on each: how many got each reply (a client left
    without any reply counts as 'no reply')."""
    socks = []
    counts: dict = {}
    try:
        for _ in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=3)
            socks.append(s)
        for s in socks:
            try:
                s.sendall(b"PING\r\n")
            except OSError:
                pass
        for s in socks:
            try:
                reply = s.recv(100) or b"closed"
            except socket.timeout:
                reply = b"no reply"
            except OSError:
                reply = b"reset"
            counts[reply] = counts.get(reply, 0) + 1
    finally:
        for s in socks:
            s.close()
    return counts


def maxclients_of(port: int) -> int:
    r = redis.Redis(port=port)
    try:
        return int(r.config_get("maxclients")["maxclients"])
    finally:
        r.close()


@pytest.mark.parametrize("can_raise", [False, True])
def test_maxclients_fits_the_open_files_limit(tmp_path: Path, can_raise: bool) -> None:
    """Under `ulimit -n 96` with maxclients 200: Redis raises the soft limit to 232
    when it may, else lowers maxclients to 64; clients past it get the error."""
    d = str(tmp_path)
    rport, lport = free_port(), free_port()
    extra = ("--maxclients", "200")
    real = start_limited(
        "redis-fds", redis_argv(rport, d, *extra), rport, d, 96, can_raise
    )
    lite = start_limited(
        "redlite-fds", redlite_argv(lport, d, *extra), lport, d, 96, can_raise
    )
    try:
        want = maxclients_of(real.port)
        assert want == (200 if can_raise else 64)
        assert maxclients_of(lite.port) == want
        # One client of ours is connected while they open.
        n = want + 20
        got, expected = open_clients(lite.port, n), open_clients(real.port, n)
        assert got == expected
        assert expected.get(b"-ERR max number of clients reached\r\n", 0) >= 20
        # Asking for more than fits is refused as Redis refuses it.
        if not can_raise:
            time.sleep(1)  # until both have seen those clients leave
            argv = ["CONFIG", "SET", "maxclients", "1000"]
            clients = [RawClient(s.port) for s in (real, lite)]
            try:
                want_reply, got_reply = (c.execute(argv) for c in clients)
                assert got_reply == want_reply
                assert want_reply[0] == "error"
                assert maxclients_of(lite.port) == 64
            finally:
                for c in clients:
                    c.close()
    finally:
        real.stop()
        lite.stop()


def test_out_of_descriptors_refuses_and_does_not_spin(tmp_path: Path) -> None:
    """The limit lowered under a running server (so that it runs out before
    maxclients): clients past it are refused with the error, never left without a
    reply, and the log does not fill with failing accepts."""
    d = str(tmp_path)
    port = free_port()
    lite = start_limited(
        "redlite-emfile",
        redlite_argv(port, d, "--maxclients", "64"),
        port,
        d,
        96,
        can_raise=False,
    )
    try:
        resource.prlimit(lite.proc.pid, resource.RLIMIT_NOFILE, (48, 96))
        got = open_clients(port, 60)
        assert set(got) == {b"+PONG\r\n", b"-ERR max number of clients reached\r\n"}
        assert got[b"-ERR max number of clients reached\r\n"] >= 10
        time.sleep(1)
        accepts = lite.output().count("Accepting client connection")
        assert accepts <= 3, lite.output()
    finally:
        lite.stop()
