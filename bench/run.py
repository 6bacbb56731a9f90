"""One run, every alternative side by side: `make bench` (python bench/run.py).

Times GET, SET and a mixed workload (80% GET, 20% SET) with 64-byte values through:
  - redlite.Redis, embedded (the redis-py API, in-process, on a file)
  - redlite._native.Session.execute (the engine called directly, no redis-py)
  - redis-py -> redis-server on loopback (no persistence)
  - redis-py -> redlite-server on loopback
  - fakeredis, diskcache, and Python's sqlite3 (INSERT OR REPLACE / SELECT, WAL)
then HSET, SADD, ZADD, LPUSH and LPOP the same ways, then redis-benchmark against
redis-server and redlite-server in the same run (set, get; lpush, lpop, hset, sadd,
zadd), and writes bench/RESULTS.md with ratios. bench/lists.py (LINDEX in a long
list) and bench/streams.py (XADD, XREADGROUP) are the other two benchmarks.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers import free_port, start

ROOT = Path(__file__).resolve().parent.parent
VALUE = b"v" * 64

# RESULTS.md from this line on is written by hand (what the profiles say about the
# gaps) and kept by each run.
KEEP = "<!-- Written by hand from here on; bench/run.py keeps it. -->"


def start_redis(port: int) -> subprocess.Popen:
    exe = shutil.which("redis-server")
    if not exe:
        raise SystemExit("redis-server is not installed")
    return start(
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


def start_redlite(port: int, db: Path) -> subprocess.Popen:
    exe = ROOT / "target" / "release" / "redlite-server"
    if not exe.exists():
        raise SystemExit(f"{exe} is missing: run `cargo build --release` first")
    return start(
        [str(exe), "--db", str(db), "--port", str(port)], port, "redlite-server"
    )


# --- the workloads -------------------------------------------------------------


# Medians of the per-operation times, by workload name, of the last `workloads` run.
MEDIANS: dict[str, float] = {}


def timed(fn, n: int, name: str = "") -> float:
    """Seconds per operation of `fn(i)` over i in 0..n (the mean); the median of the
    single operations goes to MEDIANS[name]: on a loaded machine the scheduler
    preempts a CPU-bound loop (the in-process clients) far more than one that waits
    on a socket, which inflates the mean but hardly the median."""
    clock = time.perf_counter_ns
    times = [0] * n
    t0 = time.perf_counter()
    for i in range(n):
        a = clock()
        fn(i)
        times[i] = clock() - a
    mean = (time.perf_counter() - t0) / n
    if name:
        times.sort()
        MEDIANS[name] = times[n // 2] / 1e9
    return mean


def workloads(get, set_, n: int, keys: list[bytes]) -> dict[str, float]:
    rng = random.Random(7)
    order = list(range(n))
    rng.shuffle(order)
    mixed = [(rng.random() < 0.2, rng.randrange(n)) for _ in range(n)]

    def do_set(i):
        set_(keys[i], VALUE)

    def do_get(i):
        get(keys[order[i]])

    def do_mixed(i):
        w, k = mixed[i]
        if w:
            set_(keys[k], VALUE)
        else:
            get(keys[k])

    res = {
        "SET": timed(do_set, n, "SET"),
        "GET": timed(do_get, n, "GET"),
        "mixed": timed(do_mixed, n),
    }
    res["SET p50"], res["GET p50"] = MEDIANS["SET"], MEDIANS["GET"]
    return res


def collection_workloads(execute, n: int) -> dict[str, float]:
    """Seconds per operation of HSET, SADD, ZADD, LPUSH and LPOP, each `n` times
    over 100 keys, through `execute(*argv)`."""
    names = [b"c:%d" % (i % 100) for i in range(n)]
    members = [b"m:%08d" % i for i in range(n)]
    return {
        "HSET": timed(
            lambda i: execute(b"HSET", b"h" + names[i], members[i], VALUE), n
        ),
        "SADD": timed(lambda i: execute(b"SADD", b"s" + names[i], members[i]), n),
        "ZADD": timed(lambda i: execute(b"ZADD", b"z" + names[i], i, members[i]), n),
        "LPUSH": timed(lambda i: execute(b"LPUSH", b"l" + names[i], VALUE), n),
        "LPOP": timed(lambda i: execute(b"LPOP", b"l" + names[i]), n),
    }


def bench_redis_py(port: int, n, keys):
    import redis

    r = redis.Redis(port=port)
    r.flushall()
    res = workloads(r.get, r.set, n, keys)
    r.close()
    return res


def bench_redlite_embedded(path: Path, n, keys):
    import redlite

    r = redlite.Redis(str(path))
    return workloads(r.get, r.set, n, keys)


def bench_redlite_native(path: Path, n, keys):
    from redlite import _native

    s = _native.Session(_native.Db(str(path)))
    ex = s.execute
    return workloads(
        lambda k: ex([b"GET", k]), lambda k, v: ex([b"SET", k, v]), n, keys
    )


def bench_fakeredis(n, keys):
    import fakeredis

    r = fakeredis.FakeRedis()
    return workloads(r.get, r.set, n, keys)


def bench_diskcache(path: Path, n, keys):
    import diskcache

    c = diskcache.Cache(str(path))
    res = workloads(c.get, c.set, n, keys)
    c.close()
    return res


def bench_sqlite3(path: Path, n, keys):
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE IF NOT EXISTS kv (k BLOB PRIMARY KEY, v BLOB)")
    ins = "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)"
    sel = "SELECT v FROM kv WHERE k = ?"

    def get(k):
        row = conn.execute(sel, (k,)).fetchone()
        return row[0] if row else None

    def set_(k, v):
        conn.execute(ins, (k, v))

    res = workloads(get, set_, n, keys)
    conn.close()
    return res


def redis_benchmark(
    port: int, n: int, pipeline: int, tests: str = "set,get"
) -> dict[str, float]:
    exe = shutil.which("redis-benchmark")
    if not exe:
        raise SystemExit("redis-benchmark is not installed")
    out = subprocess.run(
        [
            exe,
            "-p",
            str(port),
            "-t",
            tests,
            "-n",
            str(n),
            "-c",
            "50",
            "-P",
            str(pipeline),
            "-q",
            "-d",
            "64",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    rates = {}
    for line in out.replace("\r", "\n").splitlines():
        m = re.match(r"^(\w+): ([\d.]+) requests per second", line.strip())
        if m:
            rates[m.group(1)] = float(m.group(2))
    if not rates:
        raise SystemExit(f"redis-benchmark printed no figures:\n{out}")
    return rates


def side_by_side(
    servers, n: int, pipeline: int, tests: str, rounds: int
) -> dict[str, dict[str, float]]:
    """redis-benchmark `rounds` times against each server, taking turns (so a burst of
    load elsewhere on the machine hits both alike); the median rate of each test."""
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _ in servers}
    for r in range(rounds):
        for label, port in servers:
            print(
                f"redis-benchmark {tests} -P {pipeline} against {label} ({r + 1}/{rounds}) ...",
                file=sys.stderr,
                flush=True,
            )
            runs[label].append(redis_benchmark(port, n, pipeline, tests))
    return {
        label: {t: sorted(run[t] for run in got)[len(got) // 2] for t in got[0]}
        for label, got in runs.items()
    }


# --- the report ----------------------------------------------------------------


def targets(rows, rb, rb_coll, scaled) -> list[str]:
    """The issue's targets, each with the figure that meets it or not."""
    redis_py = rows["redis-py -> redis-server (loopback)"]
    emb = rows["redlite.Redis (embedded)"]
    native = rows["redlite._native (engine direct)"]
    fake = rows["fakeredis"]
    disk = rows["diskcache"]
    sql = rows["sqlite3 (Python, WAL)"]
    out: list[tuple[str, str, bool]] = []

    def faster(name, theirs, ours, at_least):
        x = theirs / ours
        out.append((name, f"{x:.1f}× (target ≥ {at_least}×)", x >= at_least))

    # Medians of single operations (see `timed`); the means are in the table below.
    for op in ("GET", "SET"):
        m = op + " p50"
        faster(
            f"embedded {op} vs redis-py → Redis (medians)",
            redis_py[m],
            emb[m],
            20 if op == "GET" else 10,
        )
    for op in ("GET", "SET"):
        m = op + " p50"
        faster(f"embedded {op} vs fakeredis (medians)", fake[m], emb[m], 3)
    for op in ("GET", "SET"):
        m = op + " p50"
        faster(f"embedded {op} vs diskcache (medians)", disk[m], emb[m], 2)
    for op in ("GET", "SET"):
        m = op + " p50"
        x = native[m] / sql[m]
        out.append(
            (
                f"redlite._native {op} / sqlite3 {'SELECT' if op == 'GET' else 'INSERT OR REPLACE'} (medians)",
                f"{x:.2f}× (target ≤ 1.5×)",
                x <= 1.5,
            )
        )

    def server(name, ratio, at_least):
        out.append((name, f"{ratio:.2f} (target ≥ {at_least})", ratio >= at_least))

    for t, p, want in (
        ("GET", 1, 0.9),
        ("SET", 1, 0.6),
        ("GET", 16, 0.5),
        ("SET", 16, 0.3),
    ):
        a, b = rb[("redis-server", p)][t], rb[("redlite-server", p)][t]
        server(
            f"redis-benchmark {t}{' -P 16' if p > 1 else ''}, redlite / Redis",
            b / a,
            want,
        )
    for t in ("LPUSH", "LPOP", "HSET", "SADD", "ZADD"):
        a, b = (
            rb_coll["redis-server"].get(t, 0.0),
            rb_coll["redlite-server"].get(t, 0.0),
        )
        server(f"redis-benchmark {t}, redlite / Redis", b / a if a else 0.0, 0.5)
    if scaled is not None:
        big = f"{scaled['big']:,}"
        out.append(
            (
                f"open {big} keys",
                f"{scaled['open_big'] * 1000:.0f} ms (target < 1 s)",
                scaled["open_big"] < 1,
            )
        )
        x = scaled["lat_big"]["p99"] / scaled["lat_small"]["p99"]
        out.append(
            (
                f"GET p99 at {big} / at {scaled['small']:,} keys",
                f"{x:.2f}× (target ≤ 2×)",
                x <= 2,
            )
        )
        rss = scaled["rss_big"]["VmHWM"]
        out.append(
            (
                f"redlite-server memory at {big} keys (peak RSS)",
                f"{rss:.0f} MB (target < 200 MB)",
                rss < 200,
            )
        )
        c = scaled["conc"]
        out.append(
            (
                "8 threads' GETs / 1 thread's, one client",
                f"{c['scaling']:.2f}× (target > 1×: reads scale)",
                c["scaling"] > 1,
            )
        )
        out.append(
            (
                "reader GET p99 while a thread writes",
                f"{c['writer_p99']:.0f} µs, alone {c['alone_p99']:.0f} µs "
                "(target < 1 ms: no reader waits for a commit)",
                c["writer_p99"] < 1000,
            )
        )
    lines = ["## Targets (issue 8)", "", "| target | measured | met |", "|---|---|:-:|"]
    lines += [
        f"| {name} | {fig} | {'yes' if ok else '**no**'} |" for name, fig, ok in out
    ]
    return lines + [""]


def fmt_us(sec: float) -> str:
    return f"{sec * 1e6:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "-n", type=int, default=100_000, help="operations per workload (and keys)"
    )
    ap.add_argument(
        "--bench-n", type=int, default=100_000, help="requests per redis-benchmark test"
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="redis-benchmark runs per server and test (median)",
    )
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS.md"))
    ap.add_argument(
        "--scale-keys",
        type=int,
        default=10_000_000,
        help="keys of the scale test's big file (built once under bench/.data); 0 skips it",
    )
    args = ap.parse_args()
    n = args.n
    keys = [b"key:%08d" % i for i in range(n)]
    load_before = os.getloadavg()

    tmp = Path(tempfile.mkdtemp(prefix="redlite-bench-"))
    redis_port, redlite_port = free_port(), free_port()
    procs = [start_redis(redis_port), start_redlite(redlite_port, tmp / "server.db")]
    try:
        rows: dict[str, dict[str, float]] = {}
        runs = [
            (
                "redis-py -> redis-server (loopback)",
                lambda: bench_redis_py(redis_port, n, keys),
            ),
            (
                "redlite.Redis (embedded)",
                lambda: bench_redlite_embedded(tmp / "embedded.db", n, keys),
            ),
            (
                "redlite._native (engine direct)",
                lambda: bench_redlite_native(tmp / "native.db", n, keys),
            ),
            (
                "redis-py -> redlite-server (loopback)",
                lambda: bench_redis_py(redlite_port, n, keys),
            ),
            ("fakeredis", lambda: bench_fakeredis(n, keys)),
            ("diskcache", lambda: bench_diskcache(tmp / "diskcache", n, keys)),
            (
                "sqlite3 (Python, WAL)",
                lambda: bench_sqlite3(tmp / "sqlite3.db", n, keys),
            ),
        ]
        for name, run in runs:
            print(f"timing {name} ...", file=sys.stderr, flush=True)
            rows[name] = run()

        import redis
        import redlite
        from redlite import _native

        coll: dict[str, dict[str, float]] = {}
        print("timing collection commands ...", file=sys.stderr, flush=True)
        real = redis.Redis(port=redis_port)
        real.flushall()
        coll["redis-py -> redis-server (loopback)"] = collection_workloads(
            real.execute_command, n // 5
        )
        real.flushall()
        real.close()
        emb = redlite.Redis(str(tmp / "collections.db"))
        coll["redlite.Redis (embedded)"] = collection_workloads(
            emb.execute_command, n // 5
        )
        native = _native.Session(_native.Db(str(tmp / "collections-native.db")))
        coll["redlite._native (engine direct)"] = collection_workloads(
            lambda *argv: native.execute(
                [a if isinstance(a, bytes) else str(a).encode() for a in argv]
            ),
            n // 5,
        )
        servers = (("redis-server", redis_port), ("redlite-server", redlite_port))
        rb_coll = side_by_side(
            servers, args.bench_n, 1, "lpush,lpop,hset,sadd,zadd", args.rounds
        )
        rb = {}
        for p in (1, 16):
            for label, rates in side_by_side(
                servers, args.bench_n, p, "set,get", args.rounds
            ).items():
                rb[(label, p)] = rates
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    scaled = None
    if args.scale_keys:
        sys.path.insert(0, str(ROOT / "bench"))
        import scale

        scaled = scale.run(big=args.scale_keys)

    base = rows["redis-py -> redis-server (loopback)"]
    ours = rows["redlite.Redis (embedded)"]
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `make bench` (`python bench/run.py -n {n} --bench-n {args.bench_n}`) on "
        f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}. 64-byte values, {n:,} keys, one client, one thread. "
        f"Load average (1, 5, 15 min) at the start {', '.join(f'{x:.1f}' for x in load_before)}, at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}: ratios are measured side by side in this one run.",
        "",
        "## Python clients: microseconds per operation (lower is better)",
        "",
        "Means of the whole loop, and medians of single operations. Speed-up columns (means): how many "
        "times faster redlite.Redis (embedded) is than that row.",
        "",
        "| client | SET µs | GET µs | mixed µs | SET median µs | GET median µs | embedded SET speed-up | embedded GET speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {fmt_us(r['SET'])} | {fmt_us(r['GET'])} | {fmt_us(r['mixed'])} "
            f"| {fmt_us(r['SET p50'])} | {fmt_us(r['GET p50'])} "
            f"| {r['SET'] / ours['SET']:.2f}× | {r['GET'] / ours['GET']:.2f}× |"
        )
    lines += [
        "",
        f"redlite.Redis embedded vs redis-py over loopback: GET {base['GET'] / ours['GET']:.1f}×, "
        f"SET {base['SET'] / ours['SET']:.1f}× (the issue's targets are 20× and 10×).",
        "",
        "## redis-benchmark: requests per second (higher is better)",
        "",
        f"`redis-benchmark -t set,get -n {args.bench_n} -c 50 -d 64 -q [-P 16]`, the median of {args.rounds} runs "
        "per server taken in turns; redis-server without persistence, redlite-server on a file with "
        "synchronous=NORMAL.",
        "",
        "| test | pipeline | redis-server | redlite-server | redlite / redis |",
        "|---|---:|---:|---:|---:|",
    ]
    for p in (1, 16):
        for t in ("SET", "GET"):
            a, b = rb[("redis-server", p)][t], rb[("redlite-server", p)][t]
            lines.append(f"| {t} | {p} | {a:,.0f} | {b:,.0f} | {b / a:.2f} |")
    cbase = coll["redis-py -> redis-server (loopback)"]
    lines += [
        "",
        "## Collections: microseconds per operation through Python (lower is better)",
        "",
        f"{n // 5:,} of each over 100 keys, one client; ratio: redis-py over loopback / redlite.Redis embedded.",
        "",
        "| client | HSET µs | SADD µs | ZADD µs | LPUSH µs | LPOP µs |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in coll.items():
        lines.append(
            "| "
            + name
            + " | "
            + " | ".join(
                fmt_us(r[t]) for t in ("HSET", "SADD", "ZADD", "LPUSH", "LPOP")
            )
            + " |"
        )
    emb = coll["redlite.Redis (embedded)"]
    lines.append(
        "| ratio | "
        + " | ".join(
            f"{cbase[t] / emb[t]:.2f}×"
            for t in ("HSET", "SADD", "ZADD", "LPUSH", "LPOP")
        )
        + " |"
    )
    lines += [
        "",
        "## Collections: redis-benchmark requests per second (higher is better)",
        "",
        f"`redis-benchmark -t lpush,lpop,hset,sadd,zadd -n {args.bench_n} -c 50 -d 64 -q`, no pipelining, "
        f"the median of {args.rounds} runs per server taken in turns.",
        "",
        "| test | redis-server | redlite-server | redlite / redis |",
        "|---|---:|---:|---:|",
    ]
    for t in sorted(rb_coll["redis-server"]):
        a, b = rb_coll["redis-server"][t], rb_coll["redlite-server"].get(t, 0.0)
        lines.append(f"| {t} | {a:,.0f} | {b:,.0f} | {b / a:.2f} |")
    if scaled is not None:
        lines += [""] + scale.report(scaled)
    lines = lines[:4] + targets(rows, rb, rb_coll, scaled) + lines[4:]
    text = "\n".join(lines) + "\n"
    # What engineers wrote below KEEP (the profiles behind the gaps) stays.
    out = Path(args.out)
    if out.exists() and KEEP in out.read_text():
        text += "\n" + KEEP + out.read_text().split(KEEP, 1)[1]
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
