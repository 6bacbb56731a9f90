"""Servers for the benchmarks: a free port, a server started and waited for, stopped.

Shared by run.py, scale.py, lists.py, streams.py and scripting.py (each is run as
`python bench/<name>.py`, so this directory is on the import path).
"""

from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(
    port: int, proc: subprocess.Popen, what: str, timeout: float = 20
) -> None:
    """Until `proc` accepts connections on `port`; SystemExit if it exits or is late."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} did not start on port {port}")


def start(
    argv: list[str], port: int, what: str, timeout: float = 20
) -> subprocess.Popen:
    """Run `argv` (a server that will listen on `port`), its output discarded."""
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, p, what, timeout)
    return p


def stop(p: subprocess.Popen | None) -> None:
    if p is not None and p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
