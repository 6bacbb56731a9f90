"""Streams: XADD and XREADGROUP throughput beside Redis.

    python bench/streams.py [--ops 20000] [--redis-port N]

For each target: --ops XADD of one entry (two field/value pairs, 16-byte values) with
`*` ids, one command per round trip; the same in pipelines of 100; then one consumer
of a group reads them all back with XREADGROUP ... COUNT 1 and with COUNT 100 (each
batch acknowledged with one XACK, not timed separately). Targets: redis-py to a
redis-server started here (no persistence), redlite embedded (redlite.Redis, the same
redis-py API in-process), the engine directly (redlite._native), and redis-py to
redlite-server if target/release has it.

Prints a table. Nothing is written to disk but temporary files.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from servers import free_port, start, stop

ROOT = Path(__file__).resolve().parent.parent
VALUE = b"v" * 16


def entries_of(reply: Any) -> list[Any]:
    """The entries of an XREADGROUP reply on one stream, RESP2 or RESP3, parsed or not."""
    if not reply:
        return []
    if isinstance(reply, dict):
        return list(reply.values())[0] if reply else []
    return reply[0][1]


def run(
    execute: Callable[..., Any],
    pipeline: Callable[[list[list[Any]]], list[Any]] | None,
    ops: int,
) -> dict[str, float]:
    out: dict[str, float] = {}
    execute("DEL", "s", "p")
    t = time.perf_counter()
    for _ in range(ops):
        execute("XADD", "s", "*", "f", VALUE, "n", "12345")
    out["XADD"] = ops / (time.perf_counter() - t)

    if pipeline is not None:
        t = time.perf_counter()
        for _ in range(0, ops, 100):
            pipeline([["XADD", "p", "*", "f", VALUE, "n", "12345"]] * 100)
        out["XADD x100"] = ops / (time.perf_counter() - t)

    for count in (1, 100):
        execute("XGROUP", "CREATE", "s", f"g{count}", "0")
        got = 0
        elapsed = 0.0
        while True:
            t = time.perf_counter()
            reply = execute(
                "XREADGROUP",
                "GROUP",
                f"g{count}",
                "c",
                "COUNT",
                count,
                "STREAMS",
                "s",
                ">",
            )
            elapsed += time.perf_counter() - t
            entries = entries_of(reply)
            if not entries:
                break
            got += len(entries)
            execute("XACK", "s", f"g{count}", *[e[0] for e in entries])
        if got != ops:
            raise SystemExit(f"read {got} entries of {ops}")
        out[f"XREADGROUP x{count}"] = ops / elapsed
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=20_000)
    ap.add_argument(
        "--redis-port",
        type=int,
        default=0,
        help="port for the redis-server started here (0: any free one)",
    )
    args = ap.parse_args()

    import redis
    import redlite
    from redlite import _native

    def py_pipeline(client: Any) -> Callable[[list[list[Any]]], list[Any]]:
        def go(cmds: list[list[Any]]) -> list[Any]:
            p = client.pipeline(transaction=False)
            for c in cmds:
                p.execute_command(*c)
            return p.execute()

        return go

    tmp = Path(tempfile.mkdtemp(prefix="redlite-bench-streams-"))
    procs: list[subprocess.Popen] = []
    rows: dict[str, dict[str, float]] = {}
    try:
        exe = shutil.which("redis-server")
        if exe is None:
            print("redis-server is not installed: no Redis column", file=sys.stderr)
        else:
            port = args.redis_port or free_port()
            procs.append(
                start(
                    [
                        exe,
                        "--port",
                        str(port),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--bind",
                        "127.0.0.1",
                    ],
                    port,
                    "redis-server",
                )
            )
            r = redis.Redis(port=port)
            r.flushall()
            rows["redis-py -> redis-server (loopback)"] = run(
                r.execute_command, py_pipeline(r), args.ops
            )
            r.close()

        server_exe = ROOT / "target" / "release" / "redlite-server"
        if server_exe.exists():
            port = free_port() if not args.redis_port else args.redis_port + 1
            procs.append(
                start(
                    [
                        str(server_exe),
                        "--db",
                        str(tmp / "server.db"),
                        "--port",
                        str(port),
                    ],
                    port,
                    "redlite-server",
                )
            )
            r = redis.Redis(port=port)
            rows["redis-py -> redlite-server (loopback)"] = run(
                r.execute_command, py_pipeline(r), args.ops
            )
            r.close()

        emb = redlite.Redis(str(tmp / "embedded.db"))
        rows["redlite.Redis (embedded, redis-py API)"] = run(
            emb.execute_command, py_pipeline(emb), args.ops
        )
        emb.close()

        s = _native.Session(_native.Db(str(tmp / "native.db")))
        rows["redlite._native (engine direct)"] = run(
            lambda *a: s.execute(
                [a if isinstance(a, bytes) else str(a).encode() for a in a]
            ),
            lambda cmds: [
                s.execute([x if isinstance(x, bytes) else str(x).encode() for x in c])
                for c in cmds
            ],
            args.ops,
        )
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)

    cols = ["XADD", "XADD x100", "XREADGROUP x1", "XREADGROUP x100"]
    print(
        f"{args.ops:,} entries (2 fields, 16-byte value), one client; ops/s: XADD one per call, "
        f"XADD in pipelines of 100, entries read per second by XREADGROUP COUNT 1 and COUNT 100"
    )
    print(
        f"| {'client -> target':<40} | " + " | ".join(f"{c:>15}" for c in cols) + " |"
    )
    print(f"|{'-' * 42}|" + "|".join("-" * 17 for _ in cols) + "|")
    base = rows.get("redis-py -> redis-server (loopback)")
    for label, row in rows.items():
        cells = []
        for c in cols:
            v = row.get(c)
            if v is None:
                cells.append(f"{'-':>15}")
            elif base and label != "redis-py -> redis-server (loopback)":
                cells.append(f"{v:>8,.0f} {v / base[c]:>5.2f}x")
            else:
                cells.append(f"{v:>15,.0f}")
        print(f"| {label:<40} | " + " | ".join(cells) + " |")
    if base:
        print("(Nx: the row's rate over redis-server's in the same column)")


if __name__ == "__main__":
    main()
