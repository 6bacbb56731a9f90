"""Lists: index look-ups in a long list, and push/pop throughput beside Redis.

    python bench/lists.py [--size 1000000] [--lookups 10000] [--ops 20000] [--redis-port N]

1. Builds a list of --size elements (RPUSH in batches of 1000, through the engine
   directly: redlite._native) and times --lookups LINDEX calls at random positions in
   its middle half, then LRANGE of 100 elements there. Elements sit at contiguous
   positions (keys.head .. head+len-1), so LINDEX is one primary-key look-up: its
   time must not grow with the index.
2. LPUSH then LPOP (--ops each, 16-byte values, one client, one command per round
   trip) through redis-py to a redis-server started here (no persistence), redlite
   embedded (redlite.Redis, the same redis-py API in-process), the engine directly
   (redlite._native), and redis-py to redlite-server if target/release has it.

Prints a small table. Nothing is written to disk but temporary files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

from servers import free_port, start, stop

ROOT = Path(__file__).resolve().parent.parent
VALUE = b"v" * 16


# --- 1. LINDEX in the middle of a long list ------------------------------------


def bench_lindex(path: Path, size: int, lookups: int) -> dict[str, float]:
    from redlite import _native

    s = _native.Session(_native.Db(str(path)))
    t = time.perf_counter()
    batch = 1000
    for first in range(0, size, batch):
        s.execute(
            [b"RPUSH", b"big"]
            + [b"%d" % i for i in range(first, min(first + batch, size))]
        )
    build = time.perf_counter() - t
    assert s.execute([b"LLEN", b"big"]) == size

    rng = random.Random(42)
    lo, hi = size // 4, 3 * size // 4
    picks = [rng.randrange(lo, hi) for _ in range(lookups)]
    per: list[float] = []
    t = time.perf_counter()
    for i in picks:
        t0 = time.perf_counter()
        v = s.execute([b"LINDEX", b"big", b"%d" % i])
        per.append(time.perf_counter() - t0)
        if v != b"%d" % i:
            raise SystemExit(f"LINDEX big {i} answered {v!r}")
    total = time.perf_counter() - t
    per.sort()

    # For scale: the ends of the list cost the same as its middle.
    t = time.perf_counter()
    for i in range(lookups):
        s.execute([b"LINDEX", b"big", b"%d" % (i % 100)])
    ends = time.perf_counter() - t

    t = time.perf_counter()
    n_range = max(1, lookups // 10)
    for i in picks[:n_range]:
        s.execute([b"LRANGE", b"big", b"%d" % i, b"%d" % (i + 99)])
    lrange = time.perf_counter() - t
    return {
        "build_s": build,
        "lindex_mean_us": total / lookups * 1e6,
        "lindex_median_us": statistics.median(per) * 1e6,
        "lindex_p99_us": per[int(len(per) * 0.99) - 1] * 1e6,
        "lindex_head_mean_us": ends / lookups * 1e6,
        "lrange100_mean_us": lrange / n_range * 1e6,
    }


# --- 2. LPUSH / LPOP throughput ---------------------------------------------


def push_pop(execute: Callable[..., object], ops: int) -> dict[str, float]:
    t = time.perf_counter()
    for _ in range(ops):
        execute("LPUSH", "q", VALUE)
    push = time.perf_counter() - t
    t = time.perf_counter()
    for _ in range(ops):
        execute("LPOP", "q")
    pop = time.perf_counter() - t
    return {"LPUSH": ops / push, "LPOP": ops / pop}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--lookups", type=int, default=10_000)
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

    tmp = Path(tempfile.mkdtemp(prefix="redlite-bench-lists-"))
    procs: list[subprocess.Popen] = []
    try:
        print(
            f"building a list of {args.size:,} elements (RPUSH x1000 per call) ...",
            flush=True,
        )
        ix = bench_lindex(tmp / "big.db", args.size, args.lookups)
        print()
        print(f"list of {args.size:,} elements, built in {ix['build_s']:.1f} s")
        print(
            f"| {'operation (redlite._native, one call each)':<46} | {'mean':>9} | {'median':>9} | {'p99':>9} |"
        )
        print(f"|{'-' * 48}|{'-' * 11}|{'-' * 11}|{'-' * 11}|")
        print(
            f"| {f'LINDEX at random middle positions (x{args.lookups:,})':<46} | "
            f"{ix['lindex_mean_us']:>6.1f} us | {ix['lindex_median_us']:>6.1f} us | {ix['lindex_p99_us']:>6.1f} us |"
        )
        print(
            f"| {'LINDEX near the head':<46} | {ix['lindex_head_mean_us']:>6.1f} us | {'':>9} | {'':>9} |"
        )
        print(
            f"| {'LRANGE of 100 elements in the middle':<46} | {ix['lrange100_mean_us']:>6.1f} us | {'':>9} | {'':>9} |"
        )
        print()

        rows: dict[str, dict[str, float]] = {}
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
            rows["redis-py -> redis-server (loopback)"] = push_pop(
                r.execute_command, args.ops
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
            rows["redis-py -> redlite-server (loopback)"] = push_pop(
                r.execute_command, args.ops
            )
            r.close()

        emb = redlite.Redis(str(tmp / "embedded.db"))
        rows["redlite.Redis (embedded, redis-py API)"] = push_pop(
            emb.execute_command, args.ops
        )
        emb.close()

        s = _native.Session(_native.Db(str(tmp / "native.db")))
        rows["redlite._native (engine direct)"] = push_pop(
            lambda *a: s.execute(list(a)), args.ops
        )

        base = rows.get("redis-py -> redis-server (loopback)")
        print(
            f"LPUSH then LPOP, {args.ops:,} each, 16-byte values, one client, one command per call"
        )
        print(
            f"| {'client -> target':<40} | {'LPUSH ops/s':>12} | {'LPOP ops/s':>12} | {'vs Redis':>15} |"
        )
        print(f"|{'-' * 42}|{'-' * 14}|{'-' * 14}|{'-' * 17}|")
        for label, row in rows.items():
            ratio = ""
            if base:
                ratio = f"{row['LPUSH'] / base['LPUSH']:.2f}x / {row['LPOP'] / base['LPOP']:.2f}x"
            print(
                f"| {label:<40} | {row['LPUSH']:>12,.0f} | {row['LPOP']:>12,.0f} | {ratio:>15} |"
            )
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
