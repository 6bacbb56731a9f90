"""Operating redlite-server: INFO's counters, SLOWLOG, MONITOR, SHUTDOWN and SIGTERM
(every acknowledged write survives), the config file and flags, the idle timeout,
/metrics and /health, and redlite.serve()'s options. Servers started here run on
their own database files and ports."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
import redis
import redlite
from conftest import REDLITE_SERVER, Server, free_port, start
from differential import RawClient


def own_server(tmp_path: Path, *flags: str, conf: str = "") -> Server:
    port = free_port()
    argv: list[str] = [str(REDLITE_SERVER)]
    if conf:
        path = tmp_path / "redlite.conf"
        path.write_text(conf)
        argv.append(str(path))
    argv += ["--db", str(tmp_path / "own.db"), "--port", str(port), *flags]
    return start(f"redlite-server-{port}", argv, port, str(tmp_path))


# -- INFO ------------------------------------------------------------------------------


def test_info_counters(tmp_path):
    server = own_server(tmp_path)
    try:
        a = redis.Redis(port=server.port)
        b = redis.Redis(port=server.port)
        a.ping(), b.ping()
        for i in range(10):
            a.set(f"k{i}", i)
        a.expire("k0", 1000)
        info = a.info()
        assert info["connected_clients"] == 2
        assert info["total_connections_received"] >= 2
        assert info["total_commands_processed"] >= 13
        assert info["blocked_clients"] == 0
        assert info["rejected_connections"] == 0
        assert isinstance(info["instantaneous_ops_per_sec"], int)
        assert info["db0"]["keys"] == 10 and info["db0"]["expires"] == 1
        assert info["maxclients"] == 10000
        # rejected_connections counts refusals at maxclients.
        a.config_set("maxclients", 2)
        c = redis.Redis(port=server.port)
        with pytest.raises(redis.ConnectionError):
            c.ping()
        a.config_set("maxclients", 10000)
        # (redis-py retries a refused connection: each try counts.)
        assert a.info("stats")["rejected_connections"] >= 1
        a.close(), b.close(), c.close()
    finally:
        server.stop()


# -- SLOWLOG ---------------------------------------------------------------------------


def test_slowlog_as_redis(real, resp, redis_server, redlite_server):
    shapes = []
    for client in (real, resp):
        client.config_set("slowlog-log-slower-than", 0)
        try:
            client.slowlog_reset()
            client.client_setname("slowpoke")
            client.set("slow-k", "x" * 300)
            entries = client.execute_command("SLOWLOG", "GET", 2)
            newest = entries[0]
            shapes.append([type(f).__name__ for f in newest])
            assert len(newest) == 6
            # The newest entry is the previous command, SET (SLOWLOG GET itself comes after).
            assert [a.lower() for a in newest[3][:2]] == [b"set", b"slow-k"]
            assert newest[3][2] == b"x" * 128 + b"... (172 more bytes)"
            assert newest[5] == b"slowpoke"
            assert newest[4].startswith(b"127.0.0.1:")
            assert client.slowlog_len() >= 2
            assert client.execute_command("SLOWLOG", "GET", -1)
        finally:
            client.config_set("slowlog-log-slower-than", 10000)
            client.slowlog_reset()
            client.client_setname("")
    assert shapes[0] == shapes[1]


# -- MONITOR ---------------------------------------------------------------------------


def test_monitor_with_redis_py(resp, redlite_server):
    other = redis.Redis(port=redlite_server.port)
    other.ping()  # its connection handshake (HELLO, ...) is monitored too: do it first
    with resp.monitor() as m:
        other.set("mon-k", 'a "b"')
        other.get("mon-k")
        seen = []
        for _ in range(50):
            cmd = m.next_command()
            if "mon-k" in cmd["command"]:
                seen.append(cmd)
            if len(seen) == 2:
                break
    other.close()
    assert [s["command"] for s in seen] == ['SET mon-k a "b"', "GET mon-k"]
    assert all(s["db"] == 0 and s["client_type"] == "tcp" for s in seen)


def test_monitor_with_redis_cli(redlite_server):
    cli = subprocess.Popen(
        ["redis-cli", "-p", str(redlite_server.port), "monitor"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert cli.stdout is not None
        assert cli.stdout.readline().strip() == "OK"
        c = redis.Redis(port=redlite_server.port)
        c.execute_command("ECHO", "hello monitor")
        line = ""
        for _ in range(50):
            line = cli.stdout.readline().strip()
            if "hello monitor" in line:
                break
        c.close()
        head, _, rest = line.partition(" [")
        assert float(head) > 0 and "." in head
        assert rest.startswith("0 127.0.0.1:") and rest.endswith(
            '] "ECHO" "hello monitor"'
        )
    finally:
        cli.kill()
        cli.wait()


# What Redis 7.0 hides from MONITOR and SLOWLOG: the arguments its commands redact
# (redactClientCommandArgument) as their parsing reaches them, so a command refused
# before then shows them as sent; admin commands (CONFIG, ACL SETUSER, CLIENT LIST)
# never reach MONITOR, but do reach SLOWLOG. The default user has no password here,
# so HELLO ... AUTH default <anything> succeeds.
REDACTION_STEPS = [
    ["AUTH", "pw"],
    ["AUTH", "someone", "pw"],
    ["AUTH", "a", "b", "c"],
    ["HELLO", "2", "AUTH", "default", "pw"],
    ["HELLO", "2", "AUTH", "default", "pw", "SETNAME", "mon-name"],
    ["HELLO", "2", "AUTH", "nosuch-user", "p1", "AUTH", "default", "p2"],
    ["HELLO", "2", "AUTH", "default", "p1", "AUTH", "nosuch-user", "p2"],
    ["HELLO", "2", "AUTH", "default", "p1", "FOO"],
    ["HELLO", "2", "FOO", "AUTH", "default", "p1"],
    ["HELLO", "4", "AUTH", "default", "p1"],
    ["HELLO", "x", "AUTH", "default", "p1"],
    ["HELLO", "2", "AUTH", "default"],
    ["ACL", "SETUSER", "mon-user", "on", ">secret", "~*"],
    ["ACL", "DELUSER", "mon-user"],
    ["CONFIG", "SET", "requirepass", ""],
    ["CONFIG", "SET", "requirepass", "", "maxclients", "nan"],
    ["CONFIG", "GET", "port"],
    ["CLIENT", "SETNAME", "mon-client"],
    ["ACL", "WHOAMI"],
    ["ECHO", "mon-end"],
]


def _monitored(port: int) -> tuple[list[str], list[list[bytes]]]:
    """The MONITOR lines (without time and address) and SLOWLOG argvs of the steps."""
    monitor = RawClient(port)
    c = RawClient(port)
    try:
        assert monitor.execute(["MONITOR"]) == ("simple", b"OK")
        assert c.execute(["CONFIG", "SET", "slowlog-log-slower-than", "0"]) == (
            "simple",
            b"OK",
        )
        c.execute(["SLOWLOG", "RESET"])
        for argv in REDACTION_STEPS:
            c.execute(argv)
        kind, entries = c.execute(["SLOWLOG", "GET", "100"])
        slow = [[a[1] for a in e[1][3][1]] for e in reversed(entries)]
        lines: list[str] = []
        while not lines or not lines[-1].endswith('"mon-end"'):
            kind, line = monitor.read()
            lines.append(line.decode().split("] ", 1)[1])
        return lines, slow
    finally:
        c.execute(["CONFIG", "SET", "slowlog-log-slower-than", "10000"])
        c.execute(["SLOWLOG", "RESET"])
        monitor.close()
        c.close()


def test_monitor_and_slowlog_redact_as_redis(redis_server, redlite_server):
    want_lines, want_slow = _monitored(redis_server.port)
    # What the oracle showed, spelled out for the reader (and as a check of the test).
    assert want_lines[0] == '"AUTH" "(redacted)"'
    assert (
        '"HELLO" "2" "AUTH" "(redacted)" "(redacted)" "AUTH" "default" "p2"'
        in want_lines
    )
    assert [b"ACL", b"SETUSER"] + [b"(redacted)"] * 4 in want_slow
    got_lines, got_slow = _monitored(redlite_server.port)
    assert got_lines == want_lines
    assert got_slow == want_slow


# -- SHUTDOWN and SIGTERM: every acknowledged write is there ---------------------------


def _write_many(port: int, n: int) -> None:
    c = redis.Redis(port=port)
    pipe = c.pipeline(transaction=False)
    for i in range(n):
        pipe.set(f"key:{i}", i)
    assert all(r is True for r in pipe.execute())
    c.close()


def _count_keys(db: Path) -> int:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute("SELECT count(*) FROM keys").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "how", ["sigterm", "sigint", "shutdown", "shutdown-nosave-now"]
)
def test_stop_keeps_every_acknowledged_write(tmp_path, how):
    server = own_server(tmp_path)
    _write_many(server.port, 3000)
    if how.startswith("shutdown"):
        c = RawClient(server.port)
        argv = ["SHUTDOWN"] + (["NOSAVE", "NOW"] if how.endswith("now") else [])
        c.send(argv)
        c.sock.settimeout(30)
        assert c.sock.recv(1) == b""  # closed without a reply, as Redis does
        c.close()
    else:
        server.proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGINT)
    assert server.proc.wait(30) == 0
    server.stop()
    # Checkpointed: the WAL is empty or gone, and the file has every key.
    wal = tmp_path / "own.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    assert _count_keys(tmp_path / "own.db") == 3000
    again = own_server(tmp_path)
    try:
        c = redis.Redis(port=again.port)
        assert c.dbsize() == 3000 and c.get("key:2999") == b"2999"
        c.close()
    finally:
        again.stop()


def test_shutdown_errors(resp, real):
    for client in (real, resp):
        for argv, err in [
            (("SHUTDOWN", "ABORT"), "No shutdown in progress."),
            (("SHUTDOWN", "SAVE", "NOSAVE"), "syntax error"),
            (("SHUTDOWN", "NOW", "ABORT"), "syntax error"),
            (("SHUTDOWN", "sometimes"), "syntax error"),
        ]:
            with pytest.raises(redis.ResponseError) as e:
                client.execute_command(*argv)
            assert str(e.value) == err


# -- config file, flags, CONFIG REWRITE --------------------------------------------------


def test_config_file_and_flags(tmp_path):
    conf = "# redlite test\nmaxclients 77\ntimeout 0\nsave 900 1\nslowlog-max-len 5\nunknown-but-kept-by-rewrite-no\n"
    conf = conf.replace("unknown-but-kept-by-rewrite-no\n", "")
    server = own_server(
        tmp_path, "--slowlog-max-len", "9", "--loglevel", "warning", conf=conf
    )
    try:
        c = redis.Redis(port=server.port)
        got = c.config_get("*")
        assert got["maxclients"] == "77"
        assert got["save"] == "900 1"
        assert got["slowlog-max-len"] == "9"  # the flag wins over the file
        assert got["loglevel"] == "warning"
        assert got["port"] == str(server.port)
        assert c.info("server")["config_file"] == str(
            (tmp_path / "redlite.conf").resolve()
        )
        c.config_set("timeout", 123)
        assert c.config_rewrite() in (True, b"OK")
        text = (tmp_path / "redlite.conf").read_text()
        assert text.startswith("# redlite test\n")
        assert "timeout 123\n" in text and "maxclients 77\n" in text
        c.close()
    finally:
        server.stop()


def test_bad_config_file_and_flags_refuse_to_start(tmp_path):
    for argv in (["--maxclients", "0"], ["--nosuch", "1"], ["--loglevel", "loud"]):
        proc = subprocess.run(
            [str(REDLITE_SERVER), "--db", str(tmp_path / "x.db"), *argv],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert proc.returncode == 2, (argv, proc.stderr)
    conf = tmp_path / "bad.conf"
    conf.write_text("timeout -5\n")
    proc = subprocess.run(
        [str(REDLITE_SERVER), str(conf), "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2 and "timeout" in proc.stderr


def test_loglevel_and_logfile(tmp_path):
    log = tmp_path / "server.log"
    server = own_server(tmp_path, "--logfile", str(log), "--loglevel", "notice")
    try:
        redis.Redis(port=server.port).ping()
    finally:
        server.stop()
    lines = log.read_text().splitlines()
    assert any("listening on" in line for line in lines)
    # Redis's format: pid:M day month year time level-mark text
    pid, _, rest = lines[0].partition(":M ")
    assert pid.isdigit() and " * " in rest


# -- idle timeout -----------------------------------------------------------------------


def test_idle_clients_are_closed(tmp_path):
    server = own_server(tmp_path, "--timeout", "1")
    try:
        idle = RawClient(server.port)
        assert idle.execute(["PING"]) == ("simple", b"PONG")
        idle.sock.settimeout(30)
        assert idle.sock.recv(1) == b""  # closed by the server once idle for 1 s
        idle.close()
        # A client blocked in BLPOP is not idle.
        blocked = RawClient(server.port)
        blocked.sock.settimeout(30)
        blocked.send(["BLPOP", "never", "2.5"])
        assert blocked.read() == ("nilarray", None)
        blocked.close()
    finally:
        server.stop()


# -- /metrics and /health --------------------------------------------------------------


def test_metrics_and_health(tmp_path):
    mport = free_port()
    server = own_server(tmp_path, "--metrics-port", str(mport))
    try:
        c = redis.Redis(port=server.port)
        c.mset({"a": 1, "b": 2})
        c.select(3)
        c.set("c", 3)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{mport}/health", timeout=10
        ) as r:
            assert r.status == 200 and r.read() == b"ok\n"
        with urllib.request.urlopen(
            f"http://127.0.0.1:{mport}/metrics", timeout=10
        ) as r:
            assert r.status == 200
            assert r.headers["Content-Type"].startswith("text/plain")
            text = r.read().decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        assert (
            values['redlite_keys{db="0"}'] == 2 and values['redlite_keys{db="3"}'] == 1
        )
        assert values["redlite_connected_clients"] == 1
        assert values["redlite_commands_processed_total"] >= 3
        assert values["redlite_db_file_size_bytes"] > 0
        for name in (
            "redlite_uptime_seconds",
            "redlite_blocked_clients",
            "redlite_connections_received_total",
        ):
            assert name in values
        assert "# TYPE redlite_commands_processed_total counter" in text
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(f"http://127.0.0.1:{mport}/nope", timeout=10)
        assert e.value.code == 404
        c.close()
    finally:
        server.stop()


# -- Python: redlite.serve() and the redlite-server command ------------------------------


def test_serve_takes_parameters(tmp_path):
    handle = redlite.serve(
        str(tmp_path / "served.db"),
        port=0,
        maxclients=5,
        timeout=0,
        slowlog_max_len=3,
        appendonly=False,
    )
    try:
        c = redis.Redis(port=handle.port)
        assert c.config_get("maxclients") == {"maxclients": "5"}
        assert c.config_get("slowlog-max-len") == {"slowlog-max-len": "3"}
        assert c.config_get("appendonly") == {"appendonly": "no"}
        c.close()
    finally:
        handle.stop()
    with pytest.raises(OSError):
        redlite.serve(str(tmp_path / "x.db"), port=0, maxclients=0)


def test_python_console_script_takes_the_same_command_line(tmp_path):
    port = free_port()
    mport = free_port()
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root / "python"))
    code = "import sys, redlite.server; sys.exit(redlite.server.main())"
    argv = [
        sys.executable,
        "-c",
        code,
        "--db",
        str(tmp_path / "cli.db"),
        "--port",
        str(port),
        "--maxclients",
        "12",
        "--metrics-port",
        str(mport),
    ]
    server = Server(
        "python-redlite-server", argv, port, str(tmp_path), tmp_path / "cli.log"
    )
    why = server.wait_ready()
    try:
        assert why is None, why + server.output()
        c = redis.Redis(port=port)
        assert c.config_get("maxclients") == {"maxclients": "12"}
        c.close()
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(30) == 0
    finally:
        server.stop()
    help_text = subprocess.run(
        [sys.executable, "-c", code, "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    assert "--maxclients" in help_text and "redlite.conf" in help_text
