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
import subprocess
import time
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

import pytest
import redis

from conftest import REDLITE_SERVER, Server, free_port
from differential import RawClient
from test_auth import start_with_password

PASSWORD = "s3cret"


# -- servers ----------------------------------------------------------------------------


def redis_argv(port: int, d: str, *extra: str) -> List[str]:
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


def redlite_argv(port: int, d: str, *extra: str) -> List[str]:
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
) -> Iterator[Tuple[Server, Server]]:
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


def raw_exchange(port: int, data: bytes, timeout: float = 10.0) -> Tuple[bytes, bool]:
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
    with_password: Tuple[Server, Server], data: bytes
) -> None:
    real, lite = with_password
    want = raw_exchange(real.port, data, timeout=3)
    got = raw_exchange(lite.port, data, timeout=3)
    assert got == want
    assert want[1], "Redis closes the connection"


def test_unauthenticated_within_limits(with_password: Tuple[Server, Server]) -> None:
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
    with_password: Tuple[Server, Server],
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
    with_password: Tuple[Server, Server],
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
