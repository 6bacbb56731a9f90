"""Fixtures: a real redis-server (the oracle), redlite-server, and clients of both.

Neither server is optional: when one is missing or does not come up, the tests that
need it FAIL (a differential test that skips when Redis is absent proves nothing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redlite
from differential import RawClient, Targets

ROOT = Path(__file__).resolve().parent.parent
REDLITE_SERVER = ROOT / "target" / "release" / "redlite-server"

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "default",
        deadline=None,
        max_examples=60,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "ci",
        deadline=None,
        max_examples=100,
        derandomize=True,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.load_profile(
        "ci"
        if os.environ.get("CI")
        else os.environ.get("HYPOTHESIS_PROFILE", "default")
    )
except ImportError:  # pragma: no cover - hypothesis is in requirements-dev.txt
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A server subprocess on a local port."""

    def __init__(
        self, name: str, argv: list[str], port: int, cwd: str, log: Path
    ) -> None:
        self.name = name
        self.port = port
        self.log = log
        self._log_file = open(log, "wb")
        self.proc = subprocess.Popen(
            argv, cwd=cwd, stdout=self._log_file, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 15.0) -> str | None:
        """None once PING answers PONG; otherwise why not."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return f"exited with code {self.proc.returncode}"
            try:
                c = RawClient(self.port, timeout=2)
                try:
                    reply = c.execute(["PING"])
                finally:
                    c.close()
                if reply == ("simple", b"PONG"):
                    return None
                last = f"PING answered {reply!r}"
            except OSError as e:
                last = repr(e)
            time.sleep(0.05)
        return f"not answering PING after {timeout}s ({last})"

    def output(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()


def start(name: str, argv: list[str], port: int, workdir: str) -> Server:
    server = Server(name, argv, port, workdir, Path(workdir) / f"{name}.log")
    why = server.wait_ready()
    if why is not None:
        out = server.output()
        server.stop()
        pytest.fail(
            f"{name} did not come up on port {port}: {why}\n{out}", pytrace=False
        )
    return server


@pytest.fixture(scope="session")
def workdir() -> Iterator[str]:
    d = tempfile.mkdtemp(prefix="redlite-tests-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_server(workdir: str) -> Iterator[Server]:
    """A real redis-server: the oracle. Fails (never skips) when it is missing."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed (apt-get install redis-server): "
            "the differential tests need the real Redis",
            pytrace=False,
        )
    port = free_port()
    d = os.path.join(workdir, "redis")
    os.makedirs(d, exist_ok=True)
    server = start(
        "redis-server",
        [
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
            "--daemonize",
            "no",
        ],
        port,
        d,
    )
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redlite_server(workdir: str) -> Iterator[Server]:
    """redlite-server (built by `make build`) on a temporary database file."""
    if not REDLITE_SERVER.exists():
        pytest.fail(
            f"{REDLITE_SERVER} is missing: build it with `make build`", pytrace=False
        )
    port = free_port()
    d = os.path.join(workdir, "redlite")
    os.makedirs(d, exist_ok=True)
    server = start(
        "redlite-server",
        [
            str(REDLITE_SERVER),
            "--db",
            os.path.join(d, "server.db"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
        ],
        port,
        d,
    )
    yield server
    server.stop()


def _flushall(client: redis.Redis, what: str) -> None:
    try:
        ok = client.flushall()
    except redis.RedisError as e:
        pytest.fail(
            f"FLUSHALL failed on {what}: {type(e).__name__}: {e}", pytrace=False
        )
    if ok is not True:
        pytest.fail(f"FLUSHALL on {what} answered {ok!r}", pytrace=False)


@pytest.fixture
def real(redis_server: Server) -> Iterator[redis.Redis]:
    """redis-py on the real Redis, after FLUSHALL."""
    client = redis.Redis(port=redis_server.port)
    _flushall(client, "redis-server")
    yield client
    client.close()


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[redlite.Redis]:
    """redlite.Redis on a temporary file, after FLUSHALL."""
    client = redlite.Redis(str(tmp_path / "embedded.db"))
    _flushall(client, "redlite (embedded)")
    yield client
    client.close()


@pytest.fixture
def resp(redlite_server: Server) -> Iterator[redis.Redis]:
    """redis-py on redlite-server, after FLUSHALL."""
    client = redis.Redis(port=redlite_server.port)
    _flushall(client, "redlite-server")
    yield client
    client.close()


@pytest.fixture
def targets(redis_server: Server, redlite_server: Server, tmp_path: Path) -> Targets:
    """The three targets of a differential test (each run flushes them first)."""
    return Targets(redis_server.port, redlite_server.port, str(tmp_path))
