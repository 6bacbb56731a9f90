"""Redis 7.0's own Tcl test suite against redlite-server and redis-server, unit by unit.

`make redis-suite` runs every unit that works against an external server, first on a
real redis-server (the reference), then on a fresh redlite-server, and writes
docs/compatibility.md: per unit, the tests Redis passes, the tests redlite passes, and
each test redlite fails with the suite's own assertion message.

The suite is not in the repository: it comes from Debian's source package of redis
(the same release as the redis-server installed from Debian), fetched with apt through
a private sources list and lists directory (nothing of the system's apt state changes),
and unpacked into the work directory (default .redis-suite/, ignored by git).

Each unit runs as Redis's external mode runs it (`tclsh tests/test_helper.tcl --host
--port --single unit/X`): against a server that is already up, started here with the
settings of Redis's own external CI job (debug, module and protected configs enabled,
no snapshots). Both servers get the same flags; redlite-server accepts every Redis
parameter. `--durable` keeps a unit going after a test raises an error, so that one
failure is one failed test, not the end of the unit. A unit that hangs is killed after
--timeout seconds and reported as such, with what it had passed by then.

    python tests/redis_suite/run.py                      # every unit, docs/compatibility.md
    python tests/redis_suite/run.py --units type/string expire --no-doc
    python tests/redis_suite/run.py --check type/string  # CI: no unit below the doc's count

Results of each run are kept per unit and server in the work directory (results/*.json),
so a run of a few units updates the document without running the others again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "compatibility.md"

# Every unit of tests/unit and tests/unit/type that runs against an external server
# (the ones whose every test is tagged external:skip, and the cluster and module
# directories, are left out; aofrw, oom-score-adj, networking, client-eviction,
# replybufsize and violations need to start their own servers).
UNITS = [
    "printver",
    "dump",
    "auth",
    "protocol",
    "keyspace",
    "scan",
    "info",
    "info-command",
    "type/string",
    "type/incr",
    "type/list",
    "type/list-2",
    "type/list-3",
    "type/set",
    "type/zset",
    "type/hash",
    "type/stream",
    "type/stream-cgroups",
    "sort",
    "expire",
    "other",
    "multi",
    "quit",
    "acl",
    "acl-v2",
    "latency-monitor",
    "pubsub",
    "pubsubshard",
    "slowlog",
    "scripting",
    "functions",
    "maxmemory",
    "introspection",
    "introspection-2",
    "limits",
    "obuf-limits",
    "bitops",
    "bitfield",
    "geo",
    "memefficiency",
    "hyperloglog",
    "lazyfree",
    "wait",
    "pause",
    "querybuf",
    "tls",
    "tracking",
    "shutdown",
]

# The CI subset (`make redis-suite-ci`): quick units at the heart of the data model.
CI_UNITS = ["type/string", "type/incr", "keyspace", "expire", "multi"]

# Tags left out on both servers: replication needs SYNC, which redlite-server has not.
DENY_TAGS = ["needs:repl"]

# The flags of Redis's own external-server CI job, given to both servers.
SERVER_FLAGS = [
    "--save",
    "",
    "--enable-protected-configs",
    "yes",
    "--enable-debug-command",
    "yes",
    "--enable-module-command",
    "yes",
]

APT_SOURCES = """\
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
"""


def log(*args: object) -> None:
    print(*args, file=sys.stderr, flush=True)


def installed_redis_version() -> str | None:
    """The Debian version of the installed redis-server, e.g. 5:7.0.15-1~deb12u10."""
    try:
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Version}", "redis-server"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def fetch_suite(work: Path) -> Path:
    """The unpacked redis source tree's directory (its tests/ is what runs), fetched
    with `apt-get source --download-only` on first use."""
    existing = sorted(work.glob("redis-7.0.*/tests/test_helper.tcl"))
    if existing:
        return existing[-1].parents[1]
    apt = work / "apt"
    (apt / "lists" / "partial").mkdir(parents=True, exist_ok=True)
    (apt / "sources.list").write_text(APT_SOURCES)
    opts = [
        "-o",
        f"Dir::Etc::SourceList={apt / 'sources.list'}",
        "-o",
        "Dir::Etc::SourceParts=/dev/null",
        "-o",
        f"Dir::State::Lists={apt / 'lists'}",
        "-o",
        "Debug::NoLocking=1",
    ]
    log("apt-get update (private source list for redis's source package)")
    subprocess.run(["apt-get", *opts, "update"], check=True, stdout=subprocess.DEVNULL)
    version = installed_redis_version()
    package = f"redis={version}" if version else "redis"
    src = work / "src"
    src.mkdir(exist_ok=True)
    log(f"apt-get source --download-only {package}")
    try:
        subprocess.run(
            ["apt-get", *opts, "source", "--download-only", package],
            cwd=src,
            check=True,
        )
    except subprocess.CalledProcessError:
        # The installed version is no longer in the archive: take the current one.
        subprocess.run(
            ["apt-get", *opts, "source", "--download-only", "redis"],
            cwd=src,
            check=True,
        )
    tarballs = sorted(src.glob("redis_7.0.*.orig.tar.gz"))
    if not tarballs:
        raise SystemExit("no redis 7.0 source tarball in Debian's source package")
    subprocess.run(["tar", "xzf", str(tarballs[-1]), "-C", str(work)], check=True)
    found = sorted(work.glob("redis-7.0.*/tests/test_helper.tcl"))
    if not found:
        raise SystemExit("the redis source tarball has no tests/test_helper.tcl")
    return found[-1].parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def baseport() -> int:
    """The start of 100 free ports (the helper's own listening port is 32 below)."""
    for _ in range(50):
        base = random.randrange(20000, 60000)
        try:
            with socket.socket() as s:
                s.bind(("127.0.0.1", base - 32))
            return base
        except OSError:
            continue
    return 21111


def wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on port {port}")


def start_server(kind: str, binary: str, tmp: Path, port: int) -> subprocess.Popen:
    logfile = open(tmp / f"{kind}.log", "wb")
    if kind == "redis":
        argv = [binary, "--port", str(port), "--dir", str(tmp), *SERVER_FLAGS]
    else:
        argv = [
            binary,
            "--db",
            str(tmp / "redlite.db"),
            "--port",
            str(port),
            *SERVER_FLAGS,
        ]
    proc = subprocess.Popen(
        argv, stdout=logfile, stderr=subprocess.STDOUT, start_new_session=True
    )
    wait_for_port(port, proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait()


ANSI = re.compile(r"\x1b\[[0-9;]*m")
OK = re.compile(r"^\[ok\]: (.*) \(\d+ ms\)$")
ERR = re.compile(r"^\[err\]: (.*)$")
STATUS = re.compile(r"^\[(ok|err|skip|ignore|exception|ready|done|\d+/\d+ .*)\]")


def parse(output: str, unit: str) -> dict:
    """The passed and failed tests in the test helper's output (failures with the
    first line of their message), and an exception that ended the unit early."""
    passed: list[str] = []
    failed: list[list[str]] = []
    exception = None
    lines = ANSI.sub("", output).splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if m := OK.match(line):
            passed.append(m.group(1))
        elif m := ERR.match(line):
            name = re.sub(r" in tests/unit/\S+\.tcl$", "", m.group(1))
            body = []
            j = i + 1
            while j < len(lines) and not STATUS.match(lines[j]):
                if lines[j].strip():
                    body.append(lines[j].strip())
                j += 1
            reason = body[0] if body else ""
            # An error that is not an assertion comes with its Tcl stack, whose first
            # line is the whole message (the helper cuts the first ten characters off
            # the line before it).
            if (
                len(body) > 1
                and body[1].endswith(reason)
                and len(body[1]) > len(reason)
            ):
                reason = body[1]
            failed.append([name, reason])
            i = j
            continue
        elif line.startswith("[exception]:"):
            rest = [line[len("[exception]: ") :]] + lines[i + 1 : i + 4]
            exception = " ".join(x.strip() for x in rest if x.strip())
        i += 1
    return {"unit": unit, "passed": passed, "failed": failed, "exception": exception}


def run_unit(suite: Path, unit: str, kind: str, binary: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"suite-{kind}-") as d:
        tmp = Path(d)
        port = free_port()
        started = time.monotonic()
        try:
            server = start_server(kind, binary, tmp, port)
        except RuntimeError as e:
            return {
                "unit": unit,
                "passed": [],
                "failed": [],
                "exception": f"server: {e}",
            }
        argv = [
            "tclsh",
            "tests/test_helper.tcl",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--single",
            f"unit/{unit}",
            "--durable",
            # The helper listens on baseport-32.. and counts servers up from baseport:
            # a port range of its own, so that two runs on one machine do not collide.
            "--baseport",
            str(baseport()),
            "--tags",
            " ".join(f"-{t}" for t in DENY_TAGS),
        ]
        client = subprocess.Popen(
            argv,
            cwd=suite,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        timed_out = False
        try:
            out, _ = client.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            stop(client)
            out, _ = client.communicate()
        finally:
            stop(server)
        result = parse(out.decode("utf-8", "replace"), unit)
        if timed_out:
            last = result["passed"][-1] if result["passed"] else "(none)"
            result["exception"] = (
                f"timed out after {timeout:.0f} s; the last test that passed: {last}"
            )
        result["seconds"] = round(time.monotonic() - started, 1)
        return result


def results_dir(work: Path) -> Path:
    d = work / "results"
    d.mkdir(parents=True, exist_ok=True)
    return d


def load(work: Path, kind: str, unit: str) -> dict | None:
    path = results_dir(work) / f"{kind}-{unit.replace('/', '_')}.json"
    return json.loads(path.read_text()) if path.exists() else None


def save(work: Path, kind: str, result: dict) -> None:
    path = results_dir(work) / f"{kind}-{result['unit'].replace('/', '_')}.json"
    path.write_text(json.dumps(result, indent=1))


def md_escape(text: str) -> str:
    # The helper's "(context: ... file /path/to/tests/...)" names this machine's paths.
    text = re.sub(r" \(context: .*\)$", "", text)
    return text.replace("|", "\\|").replace("\n", " ")


def write_doc(work: Path, suite: Path) -> None:
    rows = []
    details = []
    total_redis = total_both = 0
    for unit in UNITS:
        redis = load(work, "redis", unit)
        lite = load(work, "redlite", unit)
        if redis is None or lite is None:
            continue
        redis_passed = set(redis["passed"])
        lite_passed = set(lite["passed"])
        both = len(redis_passed & lite_passed)
        total_redis += len(redis_passed)
        total_both += both
        share = f"{100 * both / len(redis_passed):.0f}%" if redis_passed else "-"
        note = "unit ended early" if lite.get("exception") else ""
        rows.append(
            f"| {unit} | {len(redis_passed)} | {len(lite_passed)} | {both} | {share} | {note} |"
        )
        failures = [
            (name, reason)
            for name, reason in lite["failed"]
            if name in redis_passed or True
        ]
        missing = sorted(redis_passed - lite_passed - {n for n, _ in failures})
        if failures or missing or lite.get("exception"):
            details.append(f"### {unit}\n")
            if lite.get("exception"):
                details.append(
                    f"- **The unit ended early:** {md_escape(lite['exception'])}"
                )
            for name, reason in failures:
                mark = "" if name in redis_passed else " (fails on Redis too)"
                details.append(
                    f"- {md_escape(name)}{mark}: `{md_escape(reason)[:300]}`"
                )
            for name in missing:
                details.append(
                    f"- {md_escape(name)}: did not run (skipped or not reached)"
                )
            details.append("")
    share = f"{100 * total_both / total_redis:.1f}%" if total_redis else "-"
    version = suite.name
    text = [
        "# Compatibility with Redis's own test suite",
        "",
        "Generated by `make redis-suite` (tests/redis_suite/run.py); do not edit by hand.",
        "",
        f"Redis's Tcl test suite ({version}, from Debian's source package) runs unit by",
        "unit in external mode (`--host --port --single unit/X --durable`), against a fresh",
        "redlite-server and a fresh redis-server started with the same flags",
        f"(`{' '.join(repr(f) if not f else f for f in SERVER_FLAGS)}`), with the tags",
        f"`{' '.join('-' + t for t in DENY_TAGS)}` left out (replication). Tests tagged",
        "`external:skip` never run in external mode.",
        "",
        "Columns: tests that pass on Redis; tests that pass on redlite; tests that pass on",
        "both; the last as a share of the first.",
        "",
        f"**Over all units: redlite passes {total_both} of the {total_redis} tests Redis passes ({share}).**",
        "",
        "| unit | Redis passes | redlite passes | both | share | |",
        "|---|---:|---:|---:|---:|---|",
        *rows,
        "",
        "## What redlite fails, with the suite's message",
        "",
        *details,
    ]
    DOC.write_text("\n".join(text).rstrip() + "\n")
    log(f"wrote {DOC.relative_to(ROOT)}: {total_both}/{total_redis} ({share})")


def doc_counts() -> dict[str, int]:
    """unit -> the number of tests redlite passes, as docs/compatibility.md records."""
    counts = {}
    for line in DOC.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 4 and cells[0] in UNITS and cells[2].isdigit():
            counts[cells[0]] = int(cells[2])
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--units", nargs="*", default=None, help="units to run (default: all)"
    )
    ap.add_argument("--work", default=str(ROOT / ".redis-suite"), help="work directory")
    ap.add_argument(
        "--timeout", type=float, default=600, help="seconds per unit and server"
    )
    ap.add_argument(
        "--redlite-server", default=str(ROOT / "target" / "release" / "redlite-server")
    )
    ap.add_argument(
        "--redis-server", default=shutil.which("redis-server") or "redis-server"
    )
    ap.add_argument(
        "--skip-redis", action="store_true", help="reuse Redis's stored results"
    )
    ap.add_argument(
        "--no-doc", action="store_true", help="do not rewrite docs/compatibility.md"
    )
    ap.add_argument(
        "--check",
        nargs="*",
        default=None,
        help="run these units on redlite only and fail if one passes fewer tests than the doc records",
    )
    args = ap.parse_args()
    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    suite = fetch_suite(work)
    if not Path(args.redlite_server).exists():
        raise SystemExit(
            f"{args.redlite_server} is missing: build it first (make build-rust)"
        )

    # A copy of the binary, so that a rebuild during a long run changes nothing.
    binary = work / "redlite-server"
    shutil.copy2(args.redlite_server, binary)

    if args.check is not None:
        expected = doc_counts()
        bad = []
        for unit in args.check or CI_UNITS:
            result = run_unit(suite, unit, "redlite", str(binary), args.timeout)
            got, want = len(result["passed"]), expected.get(unit, 0)
            log(f"{unit}: redlite passes {got} (docs/compatibility.md: {want})")
            for name, reason in result["failed"]:
                log(f"    failed: {name}: {reason}")
            if got < want:
                bad.append(f"{unit}: {got} < {want}")
        if bad:
            log(
                "fewer tests pass than docs/compatibility.md records: " + "; ".join(bad)
            )
            return 1
        return 0

    units = args.units or UNITS
    for unit in units:
        if unit not in UNITS:
            raise SystemExit(f"unknown unit {unit}")
    for unit in units:
        if not (args.skip_redis and load(work, "redis", unit)):
            r = run_unit(suite, unit, "redis", args.redis_server, args.timeout)
            save(work, "redis", r)
        else:
            r = load(work, "redis", unit)
        lite = run_unit(suite, unit, "redlite", str(binary), args.timeout)
        save(work, "redlite", lite)
        note = f" ({lite['exception'][:80]})" if lite.get("exception") else ""
        log(
            f"{unit}: redis {len(r['passed'])} passed, redlite {len(lite['passed'])} passed, {len(lite['failed'])} failed{note}"
        )
    if not args.no_doc:
        write_doc(work, suite)
    return 0


if __name__ == "__main__":
    sys.exit(main())
