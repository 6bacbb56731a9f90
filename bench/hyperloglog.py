"""HyperLogLog: PFADD and PFCOUNT throughput beside Redis.

    python bench/hyperloglog.py [--ops 20000] [--keys 10] [--requests 200000]

For each target, one client: --ops PFADD of one random element to one of --keys keys,
one command per round trip; the same in pipelines of 100 (100 elements per PFADD);
PFCOUNT of one key (the cached cardinality: nothing changed since the last count),
PFCOUNT of one key after a PFADD (the cardinality recomputed and stored: timed with the
PFADD), and PFCOUNT of three keys (their union, counted every time). Targets: redis-py
to a redis-server started here (no persistence), redlite embedded (redlite.Redis), the
engine directly (redlite._native), redis-py to redlite-server if target/release has it.

Then redis-benchmark (50 clients) against both servers:
`pfadd hll:__rand_int__ el:__rand_int__ -r 1000000` (random keys and elements) and
`pfcount hll:__rand_int__` over the keys that left.

Prints tables. Nothing is written to disk but temporary files.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from servers import free_port, start, stop

ROOT = Path(__file__).resolve().parent.parent
COLS = ["PFADD", "PFADD x100", "PFCOUNT cached", "PFADD+PFCOUNT", "PFCOUNT 3 keys"]


def run(
    execute: Callable[..., Any],
    pipeline: Callable[[list[list[Any]]], list[Any]],
    ops: int,
    keys: int,
) -> dict[str, float]:
    r = random.Random(1)
    names = [f"hll:{i}" for i in range(keys)]
    execute("DEL", *names)
    out: dict[str, float] = {}
    t = time.perf_counter()
    for _ in range(ops):
        execute("PFADD", r.choice(names), f"el:{r.randrange(10**9)}")
    out["PFADD"] = ops / (time.perf_counter() - t)

    t = time.perf_counter()
    for _ in range(0, ops, 100):
        pipeline(
            [["PFADD", r.choice(names), f"el:{r.randrange(10**9)}"] for _ in range(100)]
        )
    out["PFADD x100"] = ops / (time.perf_counter() - t)

    for name in names:
        execute("PFCOUNT", name)
    t = time.perf_counter()
    for _ in range(ops):
        execute("PFCOUNT", r.choice(names))
    out["PFCOUNT cached"] = ops / (time.perf_counter() - t)

    n = ops // 10
    t = time.perf_counter()
    for _ in range(n):
        name = r.choice(names)
        execute("PFADD", name, f"el:{r.randrange(10**9)}")
        execute("PFCOUNT", name)
    out["PFADD+PFCOUNT"] = n / (time.perf_counter() - t)

    t = time.perf_counter()
    for _ in range(n):
        execute("PFCOUNT", *r.sample(names, 3))
    out["PFCOUNT 3 keys"] = n / (time.perf_counter() - t)
    return out


def redis_benchmark(port: int, requests: int, *command: str) -> float:
    exe = shutil.which("redis-benchmark")
    if not exe:
        raise SystemExit("redis-benchmark is not installed")
    out = subprocess.run(
        [exe, "-p", str(port), "-n", str(requests), "-c", "50", "-r", "1000000", "-q"]
        + list(command),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    for line in out.replace("\r", "\n").splitlines():
        m = re.search(r": ([\d.]+) requests per second", line)
        if m:
            return float(m.group(1))
    raise SystemExit(f"redis-benchmark printed no figures:\n{out}")


def table(rows: dict[str, dict[str, float]], cols: list[str]) -> None:
    base_label = "redis-py -> redis-server (loopback)"
    base = rows.get(base_label)
    print(
        f"| {'client -> target':<40} | " + " | ".join(f"{c:>15}" for c in cols) + " |"
    )
    print(f"|{'-' * 42}|" + "|".join("-" * 17 for _ in cols) + "|")
    for label, row in rows.items():
        cells = []
        for c in cols:
            v = row.get(c)
            if v is None:
                cells.append(f"{'-':>15}")
            elif base and label != base_label and c in base:
                cells.append(f"{v:>8,.0f} {v / base[c]:>5.2f}x")
            else:
                cells.append(f"{v:>15,.0f}")
        print(f"| {label:<40} | " + " | ".join(cells) + " |")
    if base:
        print("(Nx: the row's rate over redis-server's in the same column)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ops", type=int, default=20_000)
    ap.add_argument("--keys", type=int, default=10)
    ap.add_argument("--requests", type=int, default=200_000)
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

    tmp = Path(tempfile.mkdtemp(prefix="redlite-bench-hll-"))
    procs: list[subprocess.Popen] = []
    rows: dict[str, dict[str, float]] = {}
    servers: list[tuple[str, int]] = []
    try:
        exe = shutil.which("redis-server")
        if exe is None:
            print("redis-server is not installed: no Redis column", file=sys.stderr)
        else:
            port = free_port()
            argv = [exe, "--port", str(port), "--save", "", "--appendonly", "no"]
            procs.append(start(argv + ["--bind", "127.0.0.1"], port, "redis-server"))
            servers.append(("redis-server", port))
            r = redis.Redis(port=port)
            rows["redis-py -> redis-server (loopback)"] = run(
                r.execute_command, py_pipeline(r), args.ops, args.keys
            )
            r.close()

        server_exe = ROOT / "target" / "release" / "redlite-server"
        if server_exe.exists():
            port = free_port()
            argv = [
                str(server_exe),
                "--db",
                str(tmp / "server.db"),
                "--port",
                str(port),
            ]
            procs.append(start(argv, port, "redlite-server"))
            servers.append(("redlite-server", port))
            r = redis.Redis(port=port)
            rows["redis-py -> redlite-server (loopback)"] = run(
                r.execute_command, py_pipeline(r), args.ops, args.keys
            )
            r.close()

        emb = redlite.Redis(str(tmp / "embedded.db"))
        rows["redlite.Redis (embedded, redis-py API)"] = run(
            emb.execute_command, py_pipeline(emb), args.ops, args.keys
        )
        emb.close()

        s = _native.Session(_native.Db(str(tmp / "native.db")))

        def native(*a: Any) -> Any:
            return s.execute(
                [x if isinstance(x, bytes) else str(x).encode() for x in a]
            )

        rows["redlite._native (engine direct)"] = run(
            native, lambda cmds: [native(*c) for c in cmds], args.ops, args.keys
        )

        print(
            f"{args.ops:,} PFADD of one random element over {args.keys} keys, one "
            f"client; ops/s (PFADD+PFCOUNT: pairs/s)"
        )
        table(rows, COLS)

        bench: dict[str, dict[str, float]] = {}
        for label, port in servers:
            print(f"redis-benchmark against {label} ...", file=sys.stderr, flush=True)
            bench[f"redis-benchmark -> {label}"] = {
                "PFADD": redis_benchmark(
                    port, args.requests, "pfadd", "hll:__rand_int__", "el:__rand_int__"
                ),
                "PFCOUNT": redis_benchmark(
                    port, args.requests, "pfcount", "hll:__rand_int__"
                ),
            }
        if bench:
            print(
                f"\nredis-benchmark, 50 clients, {args.requests:,} requests, "
                "-r 1000000 (random keys and elements); requests/s"
            )
            base = bench.get("redis-benchmark -> redis-server")
            for label, row in bench.items():
                cells = []
                for c in ("PFADD", "PFCOUNT"):
                    v = row[c]
                    ratio = f" {v / base[c]:.2f}x" if base and row is not base else ""
                    cells.append(f"{c} {v:>10,.0f}{ratio}")
                print(f"| {label:<32} | " + " | ".join(cells) + " |")
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
