"""Scripting: EVALSHA throughput beside Redis.

    python bench/scripting.py [--ops 20000] [--redis-port N]

The script does what rate limiters and counters do: an INCR of its key and a GET of
another, returning both (`return {redis.call('incr', KEYS[1]), redis.call('get',
KEYS[2])}`). It is loaded once with SCRIPT LOAD, then called --ops times with
EVALSHA, one call per round trip, through: redis-py to a redis-server started here (no
persistence), redlite embedded (redlite.Redis, the same redis-py API in-process, on
a file), the engine directly (redlite._native), and redis-py to redlite-server if
target/release has it. A plain INCR + GET pair (two round trips) is timed beside it
for scale. Every script call is one SQLite write transaction in redlite.

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
SCRIPT = "return {redis.call('incr', KEYS[1]), redis.call('get', KEYS[2])}"


def run(execute: Callable[..., Any], ops: int) -> dict[str, float]:
    out: dict[str, float] = {}
    execute("SET", "other", "v" * 16)
    execute("DEL", "counter")
    sha = execute("SCRIPT", "LOAD", SCRIPT)
    sha = sha.decode() if isinstance(sha, bytes) else sha
    t = time.perf_counter()
    for _ in range(ops):
        execute("EVALSHA", sha, 2, "counter", "other")
    out["EVALSHA (INCR+GET)"] = ops / (time.perf_counter() - t)
    got = execute("GET", "counter")
    if int(got) != ops:
        raise SystemExit(f"counter is {got!r} after {ops} calls")
    t = time.perf_counter()
    for _ in range(ops):
        execute("INCR", "counter2")
        execute("GET", "other")
    out["INCR then GET"] = ops / (time.perf_counter() - t)
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

    tmp = tempfile.mkdtemp(prefix="redlite-bench-scripting-")
    results: dict[str, dict[str, float]] = {}
    procs: list[subprocess.Popen] = []
    try:
        if shutil.which("redis-server"):
            port = args.redis_port or free_port()
            procs.append(
                start(
                    [
                        "redis-server",
                        "--port",
                        str(port),
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                    ],
                    port,
                    "redis-server",
                )
            )
            r = redis.Redis(port=port)
            results["redis-py -> redis-server"] = run(r.execute_command, args.ops)
            r.close()
        else:
            print("redis-server not found: its column is left out", file=sys.stderr)

        emb = redlite.Redis(str(Path(tmp) / "embedded.db"))
        results["redlite embedded"] = run(emb.execute_command, args.ops)
        emb.close()

        session = _native.Session(_native.Db(str(Path(tmp) / "native.db")))

        def native(*argv: Any) -> Any:
            return session.execute(
                [a if isinstance(a, bytes) else str(a).encode() for a in argv]
            )

        results["redlite._native"] = run(native, args.ops)

        server = ROOT / "target" / "release" / "redlite-server"
        if server.exists():
            port = free_port()
            procs.append(
                start(
                    [
                        str(server),
                        "--db",
                        str(Path(tmp) / "server.db"),
                        "--port",
                        str(port),
                    ],
                    port,
                    "redlite-server",
                )
            )
            r = redis.Redis(port=port)
            results["redis-py -> redlite-server"] = run(r.execute_command, args.ops)
            r.close()
        else:
            print(
                "target/release/redlite-server not found: build it for its column",
                file=sys.stderr,
            )
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)

    names = list(results)
    rows = list(next(iter(results.values())))
    print(f"\nEVALSHA throughput, ops/s ({args.ops} calls each, one per round trip)\n")
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for row in rows:
        print(
            f"| {row} | " + " | ".join(f"{results[n][row]:,.0f}" for n in names) + " |"
        )


if __name__ == "__main__":
    main()
