"""redlite-server on a Unix socket (`--unixsocket`, `--unixsocketperm`): redis-py's
UnixDomainSocketConnection and redis-cli -s."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator

import pytest
import redis
from conftest import REDLITE_SERVER, Server, free_port, start


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    if not REDLITE_SERVER.exists():
        pytest.fail(
            f"{REDLITE_SERVER} is missing: build it with `make build`", pytrace=False
        )
    # Socket paths are limited to ~100 bytes: a short directory.
    d = tempfile.mkdtemp(prefix="rl-sock-")
    path = os.path.join(d, "redlite.sock")
    port = free_port()
    s = start(
        "redlite-unix",
        [
            str(REDLITE_SERVER),
            "--db",
            os.path.join(d, "unix.db"),
            "--port",
            str(port),
            "--unixsocket",
            path,
            "--unixsocketperm",
            "700",
        ],
        port,
        d,
    )
    s.socket_path = path  # type: ignore[attr-defined]
    yield s
    s.stop()
    shutil.rmtree(d, ignore_errors=True)


def test_socket_file_and_permissions(server: Server) -> None:
    mode = os.stat(server.socket_path).st_mode  # type: ignore[attr-defined]
    assert stat.S_ISSOCK(mode)
    assert stat.S_IMODE(mode) == 0o700


def test_config_get_shows_the_socket_as_redis(server: Server, tmp_path) -> None:
    """CONFIG GET unixsocket / unixsocketperm: what the server was started with, as a
    redis-server started with the same flags shows it (permissions in octal)."""
    d = tempfile.mkdtemp(prefix="rd-sock-")
    path = os.path.join(d, "redis.sock")
    port = free_port()
    real = start(
        "redis-unix",
        [
            "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--unixsocket",
            path,
            "--unixsocketperm",
            "700",
        ],
        port,
        d,
    )
    try:
        names = ("unixsocket", "unixsocketperm", "port")
        want = redis.Redis(port=port).config_get(*names)
        got = redis.Redis(port=server.port).config_get(*names)
        assert want == {"unixsocket": path, "unixsocketperm": "700", "port": str(port)}
        assert got == {
            "unixsocket": server.socket_path,  # type: ignore[attr-defined]
            "unixsocketperm": "700",
            "port": str(server.port),
        }
    finally:
        real.stop()
        shutil.rmtree(d, ignore_errors=True)


def test_redis_py_over_unix_socket(server: Server) -> None:
    for protocol in (2, 3):
        c = redis.Redis(unix_socket_path=server.socket_path, protocol=protocol)  # type: ignore[attr-defined]
        assert c.ping() is True
        assert c.set("unix-key", "v") is True
        assert c.get("unix-key") == b"v"
        c.close()
    # The same database on the TCP port.
    tcp = redis.Redis(port=server.port)
    assert tcp.get("unix-key") == b"v"
    tcp.close()


def test_redis_cli_over_unix_socket(server: Server) -> None:
    cli = shutil.which("redis-cli")
    if cli is None:
        pytest.fail("redis-cli is not installed", pytrace=False)
    sock = server.socket_path  # type: ignore[attr-defined]
    out = subprocess.run(
        [cli, "-s", sock, "SET", "cli-unix", "hi"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert out.stdout.strip() == "OK", out.stderr
    out = subprocess.run(
        [cli, "-s", sock, "GET", "cli-unix"], capture_output=True, text=True, timeout=30
    )
    assert out.stdout.strip() == "hi", out.stderr


def test_socket_file_removed_on_stop(tmp_path) -> None:
    d = tempfile.mkdtemp(prefix="rl-sock-")
    path = os.path.join(d, "s.sock")
    port = free_port()
    s = start(
        "redlite-unix-stop",
        [
            str(REDLITE_SERVER),
            "--db",
            str(tmp_path / "x.db"),
            "--port",
            str(port),
            "--unixsocket",
            path,
        ],
        port,
        str(tmp_path),
    )
    assert os.path.exists(path)
    s.stop()
    assert not os.path.exists(path)
    shutil.rmtree(d, ignore_errors=True)
