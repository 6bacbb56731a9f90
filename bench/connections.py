"""What idle connections cost: RSS of redlite-server and redis-server, side by side.

Opens N idle connections (10,000 by default) to each server in turn, each having
sent one PING so the server has served it, and prints the server's RSS before
they open, while they are open, and after they are closed. Everything is local
(127.0.0.1); the soft limit on open files is raised for this process and the
servers (it needs N + a few hundred).

    python bench/connections.py [--clients N] [--server PATH]
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import servers  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SystemExit(f"no VmRSS for pid {pid}")


def settle(pid: int) -> int:
    """RSS once it has stopped moving: after 2 s, then stable for a second (a server
    may hand freed memory back to the system a moment after the closes)."""
    time.sleep(2)
    last = rss_kb(pid)
    for _ in range(15):
        time.sleep(1)
        now = rss_kb(pid)
        if abs(now - last) < 64:
            return now
        last = now
    return last


def open_idle(port: int, n: int) -> list:
    """N connections, each served once (PING answered), then left idle."""
    socks = []
    for _i in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"PING\r\n")
        socks.append(s)
        if len(socks) % 500 == 0:
            for t in socks[-500:]:
                read_pong(t)
    for t in socks[len(socks) - len(socks) % 500 :]:
        read_pong(t)
    return socks


def read_pong(s: socket.socket) -> None:
    got = b""
    while not got.endswith(b"\r\n"):
        chunk = s.recv(64)
        if not chunk:
            raise SystemExit(f"connection closed before PONG: {got!r}")
        got += chunk
    if got != b"+PONG\r\n":
        raise SystemExit(f"expected +PONG, got {got!r}")


def measure(name: str, argv: list, port: int, n: int) -> tuple:
    proc = servers.start(argv, port, name)
    try:
        # One connection first, so both servers have served a client before "before".
        warm = open_idle(port, 1)
        for s in warm:
            s.close()
        before = settle(proc.pid)
        socks = open_idle(port, n)
        during = settle(proc.pid)
        for s in socks:
            s.close()
        after = settle(proc.pid)
        return before, during, after
    finally:
        servers.stop(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=10_000)
    ap.add_argument(
        "--server", default=os.path.join(ROOT, "target", "release", "redlite-server")
    )
    args = ap.parse_args()
    n = args.clients

    need = n + 512
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            raise SystemExit(f"need {need} open files, the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))

    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        port = servers.free_port()
        rows.append(
            (
                "redlite-server",
                measure(
                    "redlite-server",
                    [
                        args.server,
                        "--db",
                        os.path.join(tmp, "conn.db"),
                        "--port",
                        str(port),
                        "--maxclients",
                        str(n + 100),
                    ],
                    port,
                    n,
                ),
            )
        )
        port = servers.free_port()
        rows.append(
            (
                "redis-server",
                measure(
                    "redis-server",
                    [
                        "redis-server",
                        "--port",
                        str(port),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--maxclients",
                        str(n + 100),
                        "--dir",
                        tmp,
                    ],
                    port,
                    n,
                ),
            )
        )

    print(f"\n{n} idle connections: server RSS (KB)\n")
    print(
        f"{'server':<16}{'before':>10}{'with':>10}{'after':>10}"
        f"{'per conn':>12}{'kept after':>12}"
    )
    for name, (before, during, after) in rows:
        per = (during - before) * 1024 / n
        print(
            f"{name:<16}{before:>10}{during:>10}{after:>10}"
            f"{per:>10.0f} B{after - before:>10} KB"
        )


if __name__ == "__main__":
    main()
