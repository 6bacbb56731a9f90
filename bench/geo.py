"""GEO: GEOADD and GEOSEARCH throughput beside Redis.

    python bench/geo.py [--points 20000] [--queries 2000] [--seed 1]

For each target: --points GEOADD of one random point each (members `m:<i>`, longitude
-180..180, latitude -80..80) in pipelines of 100, then --queries GEOSEARCH around
random places over that keyspace: FROMLONLAT ... BYRADIUS 200 km COUNT 10 ASC
WITHDIST, and BYBOX 400 400 km (every member in the box, unsorted), each one per
round trip and in pipelines of 100. The points and the places are the same for every
target (one seed). redis-benchmark cannot send random coordinates, hence redis-py
clients. Targets: redis-py to a redis-server started here (no persistence), redis-py
to redlite-server if target/release has it, and redlite embedded (redlite.Redis, the
same redis-py API in-process).

Prints a table of operations per second. Nothing is written to disk but temporary files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from servers import free_port, start, stop

ROOT = Path(__file__).resolve().parent.parent
BATCH = 100


def workload(points: int, queries: int, seed: int) -> tuple[list[Any], list[Any]]:
    rnd = random.Random(seed)
    adds = [
        (
            "GEOADD",
            "geo",
            f"{rnd.uniform(-180, 180):.6f}",
            f"{rnd.uniform(-80, 80):.6f}",
            f"m:{i}",
        )
        for i in range(points)
    ]
    places = [
        (f"{rnd.uniform(-180, 180):.6f}", f"{rnd.uniform(-80, 80):.6f}")
        for _ in range(queries)
    ]
    return adds, places


def radius_query(x: str, y: str) -> tuple[Any, ...]:
    return (
        "GEOSEARCH",
        "geo",
        "FROMLONLAT",
        x,
        y,
        "BYRADIUS",
        200,
        "km",
        "COUNT",
        10,
        "ASC",
        "WITHDIST",
    )


def box_query(x: str, y: str) -> tuple[Any, ...]:
    return ("GEOSEARCH", "geo", "FROMLONLAT", x, y, "BYBOX", 400, 400, "km")


def run(
    execute: Callable[..., Any],
    pipeline: Callable[[list[Any]], list[Any]],
    adds: list[Any],
    places: list[Any],
) -> tuple[dict[str, float], list[Any]]:
    out: dict[str, float] = {}
    execute("DEL", "geo")
    t = time.perf_counter()
    for i in range(0, len(adds), BATCH):
        pipeline(adds[i : i + BATCH])
    out["GEOADD x100"] = len(adds) / (time.perf_counter() - t)
    answers: list[Any] = []
    for name, query in (("radius", radius_query), ("box", box_query)):
        cmds = [query(x, y) for x, y in places]
        t = time.perf_counter()
        for c in cmds:
            answers.append(execute(*c))
        out[f"GEOSEARCH {name}"] = len(cmds) / (time.perf_counter() - t)
        t = time.perf_counter()
        for i in range(0, len(cmds), BATCH):
            pipeline(cmds[i : i + BATCH])
        out[f"GEOSEARCH {name} x100"] = len(cmds) / (time.perf_counter() - t)
    return out, answers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=20_000)
    ap.add_argument("--queries", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import redis
    import redlite

    def py_pipeline(client: Any) -> Callable[[list[Any]], list[Any]]:
        def go(cmds: list[Any]) -> list[Any]:
            p = client.pipeline(transaction=False)
            for c in cmds:
                p.execute_command(*c)
            return p.execute()

        return go

    adds, places = workload(args.points, args.queries, args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="redlite-bench-geo-"))
    procs: list[subprocess.Popen] = []
    rows: dict[str, dict[str, float]] = {}
    answers: dict[str, list[Any]] = {}
    try:
        exe = shutil.which("redis-server")
        if exe is None:
            print("redis-server is not installed: no Redis column", file=sys.stderr)
        else:
            port = free_port()
            argv = [exe, "--port", str(port), "--save", "", "--appendonly", "no"]
            procs.append(start([*argv, "--bind", "127.0.0.1"], port, "redis-server"))
            r = redis.Redis(port=port)
            name = "redis-py -> redis-server (loopback)"
            rows[name], answers[name] = run(
                r.execute_command, py_pipeline(r), adds, places
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
            r = redis.Redis(port=port)
            name = "redis-py -> redlite-server (loopback)"
            rows[name], answers[name] = run(
                r.execute_command, py_pipeline(r), adds, places
            )
            r.close()

        emb = redlite.Redis(str(tmp / "embedded.db"))
        name = "redlite.Redis (embedded, redis-py API)"
        rows[name], answers[name] = run(
            emb.execute_command, py_pipeline(emb), adds, places
        )
        emb.close()
    finally:
        for p in procs:
            stop(p)
        shutil.rmtree(tmp, ignore_errors=True)

    # The same answers everywhere (the box results are unsorted: compared as sets).
    def norm(a: Any) -> Any:
        return sorted(map(repr, a)) if isinstance(a, list) else a

    ref = next(iter(answers.values()))
    for name, got in answers.items():
        if [norm(a) for a in got] != [norm(a) for a in ref]:
            raise SystemExit(f"{name} answered differently from the first target")

    found = sum(len(a) for a in ref[: len(places)])
    in_boxes = sum(len(a) for a in ref[len(places) :])
    cols = list(next(iter(rows.values())))
    print(
        f"{args.points:,} points in one key; {args.queries:,} places "
        f"({found / len(places):.1f} results per radius query, "
        f"{in_boxes / len(places):.1f} per box); operations per second, one client"
    )
    print(
        f"| {'client -> target':<40} | " + " | ".join(f"{c:>22}" for c in cols) + " |"
    )
    print(f"|{'-' * 42}|" + "|".join("-" * 24 for _ in cols) + "|")
    base = rows.get("redis-py -> redis-server (loopback)")
    for name, row in rows.items():
        cells = []
        for c in cols:
            ratio = f" ({row[c] / base[c]:.2f}x)" if base and row is not base else ""
            cells.append(f"{row[c]:>12,.0f}{ratio:>10}")
        print(f"| {name:<40} | " + " | ".join(f"{x:>22}" for x in cells) + " |")


if __name__ == "__main__":
    main()
