"""AUTH, requirepass, HELLO ... AUTH ... SETNAME, NOAUTH and protected mode.

Real Redis and redlite-server both start with `--requirepass`; the replies of an
unauthenticated and then an authenticated client are compared byte for byte. The
embedded client gets its password from `ACL SETUSER default >pw` (users live in the
open `Db`, shared by the clients of one file in one process).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redlite
from conftest import REDLITE_SERVER, Server, free_port, start
from differential import RawClient

PASSWORD = "s3cret"


def start_with_password(name: str, argv: list[str], port: int, workdir: str) -> Server:
    server = Server(name, argv, port, workdir, Path(workdir) / f"{name}.log")
    # wait_ready pings without a password: NOAUTH means it is up.
    import time

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            break
        try:
            c = RawClient(port, timeout=2)
            try:
                reply = c.execute(["PING"])
            finally:
                c.close()
            if reply == ("error", "NOAUTH Authentication required."):
                return server
        except OSError:
            pass
        time.sleep(0.05)
    out = server.output()
    server.stop()
    pytest.fail(
        f"{name} did not come up with a password on port {port}\n{out}", pytrace=False
    )


@pytest.fixture(scope="module")
def servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Server, Server]]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed", pytrace=False)
    if not REDLITE_SERVER.exists():
        pytest.fail(
            f"{REDLITE_SERVER} is missing: build it with `make build`", pytrace=False
        )
    d = str(tmp_path_factory.mktemp("auth"))
    rport, lport = free_port(), free_port()
    real = start_with_password(
        "redis-auth",
        [
            binary,
            "--port",
            str(rport),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            d,
            "--requirepass",
            PASSWORD,
        ],
        rport,
        d,
    )
    lite = start_with_password(
        "redlite-auth",
        [
            str(REDLITE_SERVER),
            "--db",
            os.path.join(d, "auth.db"),
            "--port",
            str(lport),
            "--requirepass",
            PASSWORD,
        ],
        lport,
        d,
    )
    yield real, lite
    real.stop()
    lite.stop()


def both(servers: tuple[Server, Server], steps: list[list[str]]) -> None:
    """Each step on a fresh connection to each server (one connection for all steps)."""
    clients = [RawClient(s.port) for s in servers]
    try:
        for argv in steps:
            want, got = (c.execute(argv) for c in clients)
            assert got == want, f"{argv}: redis {want!r}, redlite {got!r}"
    finally:
        for c in clients:
            c.close()


def test_noauth_until_auth(servers: tuple[Server, Server]) -> None:
    both(
        servers,
        [
            ["PING"],
            ["GET", "k"],
            ["ACL", "WHOAMI"],
            ["NOSUCHCOMMAND"],
            ["GET"],
            ["AUTH"],
            ["AUTH", "wrong"],
            ["AUTH", "default", "wrong"],
            ["AUTH", "nosuchuser", PASSWORD],
            ["AUTH", "a", "b", "c"],
            ["HELLO", "3"],
            ["HELLO", "2", "AUTH", "default", "wrong"],
            ["PING"],
            ["AUTH", PASSWORD],
            ["PING"],
            ["ACL", "WHOAMI"],
            ["AUTH", "default", PASSWORD],
            ["AUTH", "wrong"],
            # A failed AUTH does not log the client out.
            ["PING"],
        ],
    )


def test_hello_auth_setname(servers: tuple[Server, Server]) -> None:
    both(
        servers,
        [
            ["HELLO", "2", "SETNAME", "bad name", "AUTH", "default", PASSWORD],
            ["PING"],
            # AUTH counts even when a later option is wrong.
            ["HELLO", "2", "AUTH", "default", PASSWORD, "SETNAME", "bad name"],
            ["PING"],
            ["HELLO", "2", "AUTH", "default"],
            ["HELLO", "2", "AUTH", "default", "bad", "BOGUS"],
        ],
    )
    for s in servers:
        c = redis.Redis(port=s.port, password=PASSWORD, protocol=3)
        assert c.ping() is True
        c.close()
        c = redis.Redis(port=s.port, username="default", password=PASSWORD, protocol=2)
        assert c.ping() is True
        c.close()


def test_redis_py_wrong_password(servers: tuple[Server, Server]) -> None:
    for s in servers:
        for protocol in (2, 3):
            c = redis.Redis(port=s.port, password="nope", protocol=protocol)
            with pytest.raises(redis.AuthenticationError):
                c.ping()
            c.close()
        c = redis.Redis(port=s.port, protocol=2)
        with pytest.raises(redis.AuthenticationError, match="Authentication required"):
            c.get("k")
        c.close()


def test_redis_cli_with_password(servers: tuple[Server, Server]) -> None:
    cli = shutil.which("redis-cli")
    if cli is None:
        pytest.fail("redis-cli is not installed", pytrace=False)
    for s in servers:
        base = [cli, "-p", str(s.port), "--no-auth-warning"]
        out = subprocess.run(
            base + ["-a", PASSWORD, "PING"], capture_output=True, text=True, timeout=30
        )
        assert out.stdout.strip() == "PONG"
        out = subprocess.run(
            base + ["--user", "default", "--pass", PASSWORD, "ACL", "WHOAMI"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert out.stdout.strip() == "default"
        out = subprocess.run(
            base + ["PING"], capture_output=True, text=True, timeout=30
        )
        assert "NOAUTH" in out.stdout


def test_auth_without_password_configured(
    redis_server: Server, redlite_server: Server
) -> None:
    both(
        (redis_server, redlite_server),
        [
            ["AUTH", "x"],
            ["AUTH", "default", "anything"],
            ["AUTH", "nosuchuser", "x"],
            ["HELLO", "3", "AUTH", "nosuchuser", "anything"],
            ["ACL", "WHOAMI"],
        ],
    )


def test_embedded_password(tmp_path) -> None:
    path = str(tmp_path / "auth.db")
    admin = redlite.Redis(path)
    assert admin.set("k", "v") is True
    assert (
        admin.acl_setuser(
            "default",
            enabled=True,
            nopass=False,
            passwords=["+" + PASSWORD],
            commands=["+@all"],
            keys=["*"],
            channels=["*"],
        )
        is True
    )
    # The admin's own connection authenticated before the password was set.
    assert admin.get("k") == b"v"
    for protocol in (2, 3):
        c = redlite.Redis(path, password=PASSWORD, protocol=protocol)
        assert c.get("k") == b"v"
        c.close()
        c = redlite.Redis(
            path, username="default", password=PASSWORD, protocol=protocol
        )
        assert c.acl_whoami() in (b"default", "default")
        c.close()
        c = redlite.Redis(path, password="wrong", protocol=protocol)
        with pytest.raises(redis.AuthenticationError):
            c.get("k")
        c.close()
    c = redlite.Redis(path)
    with pytest.raises(redis.AuthenticationError):
        c.get("k")
    c.close()
    admin.close()


def non_loopback_ip() -> str:
    """An address of this machine that is not loopback."""
    out = subprocess.run(
        ["hostname", "-I"], capture_output=True, text=True
    ).stdout.split()
    for ip in out:
        if ":" not in ip and not ip.startswith("127."):
            return ip
    pytest.fail(
        "this machine has no non-loopback IPv4 address to test protected mode with",
        pytrace=False,
    )


def read_all(ip: str, port: int) -> bytes:
    s = socket.create_connection((ip, port), timeout=10)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    finally:
        s.close()
    return data


def test_protected_mode(tmp_path) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed", pytrace=False)
    ip = non_loopback_ip()
    rport, lport, _pport, nport = free_port(), free_port(), free_port(), free_port()
    d = str(tmp_path)
    real = start(
        "redis-protected",
        [
            binary,
            "--port",
            str(rport),
            "--bind",
            "0.0.0.0",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            d,
        ],
        rport,
        d,
    )
    lite = start(
        "redlite-protected",
        [
            str(REDLITE_SERVER),
            "--db",
            os.path.join(d, "p.db"),
            "--port",
            str(lport),
            "--bind",
            "0.0.0.0",
        ],
        lport,
        d,
    )
    open_ = start(
        "redlite-unprotected",
        [
            str(REDLITE_SERVER),
            "--db",
            os.path.join(d, "n.db"),
            "--port",
            str(nport),
            "--bind",
            "0.0.0.0",
            "--protected-mode",
            "no",
        ],
        nport,
        d,
    )
    try:
        want = read_all(ip, rport)
        assert want.startswith(b"-DENIED Redis is running in protected mode")
        assert read_all(ip, lport) == want
        # Loopback clients are served.
        assert redis.Redis(port=lport).ping() is True
        # With a password for the default user, remote clients are served (and must AUTH).
        assert (
            redis.Redis(port=lport).acl_setuser(
                "default",
                enabled=True,
                passwords=["+pw"],
                commands=["+@all"],
                keys=["*"],
                channels=["*"],
            )
            is True
        )
        c = redis.Redis(host=ip, port=lport, password="pw")
        assert c.ping() is True
        c.close()
        c = redis.Redis(host=ip, port=nport)
        assert c.ping() is True
        c.close()
    finally:
        real.stop()
        lite.stop()
        open_.stop()
