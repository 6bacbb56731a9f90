"""redlite.Redis used the way a redis-py user writes code."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
import redlite
from redlite import _native


@pytest.fixture
def path(tmp_path: Path) -> str:
    return str(tmp_path / "app.db")


def test_is_a_redis_py_client(path):
    r = redlite.Redis(path)
    assert isinstance(r, redis.Redis)
    assert r.ping() is True
    assert r.set("greeting", "hello", ex=60) is True
    assert r.get("greeting") == b"hello"
    assert 59 <= r.ttl("greeting") <= 60
    assert r.get("missing") is None
    assert r.exists("greeting", "missing") == 1
    assert r.delete("greeting") == 1
    assert "app.db" in repr(r)
    r.close()


def test_in_memory_clients_are_private():
    a, b = redlite.Redis(), redlite.Redis(":memory:")
    a.set("k", "a")
    assert b.get("k") is None
    assert a.get("k") == b"a"


def test_file_is_shared_and_persists(path):
    a = redlite.Redis(path)
    b = redlite.Redis(path)
    a.set("k", "v")
    assert b.get("k") == b"v"
    a.close()
    b.close()
    del a, b
    c = redlite.Redis(path)
    assert c.get("k") == b"v"


@pytest.mark.parametrize("protocol", [2, 3, None])
def test_decode_responses(path, protocol):
    kw = {} if protocol is None else {"protocol": protocol}
    r = redlite.Redis(path, decode_responses=True, **kw)
    r.set("k", "h\u00e9llo")
    assert r.get("k") == "h\u00e9llo"
    assert r.mget("k", "missing") == ["h\u00e9llo", None]
    assert r.incr("n") == 1
    assert r.get("n") == "1"
    assert r.incrbyfloat("f", 1.5) == 1.5
    assert r.keys("*") == ["k", "n", "f"] or sorted(r.keys("*")) == ["f", "k", "n"]
    r.set("bad", b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        r.get("bad")
    assert redlite.Redis(path).get("bad") == b"\xff\xfe"


def test_decode_errors_and_encoding_as_redis_py(path, real):
    for client in (
        redlite.Redis(path, decode_responses=True, encoding_errors="replace"),
        redis.Redis(
            port=real.connection_pool.connection_kwargs["port"],
            decode_responses=True,
            encoding_errors="replace",
        ),
    ):
        client.set("bad", b"\xff")
        assert client.get("bad") == "\ufffd"
    r = redlite.Redis(path, decode_responses=True, encoding="latin-1")
    r.set("k", "\u00e9")
    assert redlite.Redis(path).get("k") == b"\xe9"
    assert r.get("k") == "\u00e9"


def test_errors_are_redis_py_exceptions(path, real):
    r = redlite.Redis(path)
    for client in (r, real):
        client.set("s", "abc")
    for call in (
        lambda c: c.incr("s"),
        lambda c: c.execute_command("NOSUCHCOMMAND", "x"),
        lambda c: c.execute_command("GET"),
        lambda c: c.execute_command("SET", "k", "v", "EX", 0),
        lambda c: c.execute_command("SELECT", 99),
    ):
        with pytest.raises(redis.ResponseError) as ours:
            call(r)
        with pytest.raises(redis.ResponseError) as theirs:
            call(real)
        assert type(ours.value) is type(theirs.value)
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(redis.DataError):
        r.set("k", True)
    with pytest.raises(redis.DataError):
        r.set("k", None)


def test_error_prefixes_map_to_redis_py_classes():
    """WRONGTYPE, NOSCRIPT, EXECABORT ... become the classes redis-py's parser uses."""
    from redis._parsers import _RESP2Parser

    s = _native.Session(_native.Db(), _RESP2Parser.parse_error)
    for text, cls in (
        (
            "WRONGTYPE Operation against a key holding the wrong kind of value",
            redis.ResponseError,
        ),
        ("NOSCRIPT No matching script.", redis.exceptions.NoScriptError),
        (
            "EXECABORT Transaction discarded because of previous errors.",
            redis.exceptions.ExecAbortError,
        ),
        (
            "READONLY You can't write against a read only replica.",
            redis.exceptions.ReadOnlyError,
        ),
        ("NOAUTH Authentication required.", redis.exceptions.AuthenticationError),
    ):
        err = _RESP2Parser.parse_error(text)
        assert type(err) is cls
    e = s.execute([b"NOSUCH"])
    assert isinstance(e, redis.ResponseError)
    assert str(e).startswith("unknown command 'NOSUCH'")


def test_db_argument_selects_per_connection(path):
    r0 = redlite.Redis(path)
    r1 = redlite.Redis(path, db=1)
    r0.set("k", "zero")
    r1.set("k", "one")
    assert r0.get("k") == b"zero"
    assert r1.get("k") == b"one"
    assert r1.connection_pool.get_connection().db == 1


def test_select_stays_on_its_connection(path):
    r = redlite.Redis(path, single_connection_client=True)
    r.set("k", "zero")
    assert r.execute_command("SELECT", 2) is True
    assert r.get("k") is None
    r.set("k", "two")
    other = redlite.Redis(path)
    assert other.get("k") == b"zero"


def test_from_url(tmp_path):
    p = tmp_path / "u.db"
    r = redlite.from_url(f"redlite://{p}?db=3&decode_responses=true")
    r.set("k", "v")
    assert r.get("k") == "v"
    assert redlite.Redis(str(p), db=3).get("k") == b"v"
    assert redlite.Redis.from_url(f"redlite://{p}").get("k") is None
    m = redlite.from_url("redlite://")
    m.set("k", "v")
    assert m.path == ":memory:"
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        rel = redlite.from_url("redlite:rel.db")
        rel.set("k", "v")
        assert (tmp_path / "rel.db").exists()
    finally:
        os.chdir(old)
    with pytest.raises(ValueError):
        redlite.from_url("redis://localhost:6379/0")
    with pytest.raises(ValueError):
        redlite.from_url("redlite://host/path.db")


def test_bad_path_fails_at_construction(tmp_path):
    with pytest.raises(redis.ConnectionError):
        redlite.Redis(str(tmp_path / "no" / "such" / "dir" / "x.db"))


def test_pipeline_without_transaction(path):
    r = redlite.Redis(path, decode_responses=True)
    with r.pipeline(transaction=False) as p:
        p.set("a", 1).incr("a").incr("a").get("a").get("missing")
        assert p.execute() == [True, 2, 3, "3", None]
    with r.pipeline(transaction=False) as p:
        p.set("s", "x").incr("s").get("s")
        res = p.execute(raise_on_error=False)
    assert res[0] is True and isinstance(res[1], redis.ResponseError) and res[2] == "x"
    with r.pipeline(transaction=False) as p:
        p.incr("s")
        with pytest.raises(redis.ResponseError, match="Command # 1"):
            p.execute()


def test_transaction_pipeline_is_atomic_or_refused(path):
    """Until MULTI exists, a transaction must fail before running anything."""
    r = redlite.Redis(path)
    p = r.pipeline(transaction=True)
    p.set("t", 1).incr("t")
    try:
        assert p.execute() == [True, 2]
    except redis.ResponseError:
        assert r.get("t") is None, "commands of a refused transaction ran anyway"
    assert r.ping()


def test_response_callbacks_as_redis_py(path, real):
    r = redlite.Redis(path)
    for c in (r, real):
        c.set("k", "v", ex=100)
    assert r.set("k", "w", get=True) == real.set("k", "w", get=True) == b"v"
    assert r.getex("k", persist=True) == real.getex("k", persist=True)
    assert r.ttl("k") == real.ttl("k") == -1
    assert r.expire("k", 100) is real.expire("k", 100) is True
    assert r.persist("k") is real.persist("k") is True
    assert r.type("k") == real.type("k")
    assert r.object("encoding", "k") == real.object("encoding", "k")
    assert r.mset({"a": 1, "b": 2}) is real.mset({"a": 1, "b": 2}) is True
    assert r.msetnx({"a": 1}) is real.msetnx({"a": 1}) is False
    assert r.bitcount("a") == real.bitcount("a")
    assert r.setbit("bits", 7, 1) == real.setbit("bits", 7, 1)
    assert r.echo("x") == real.echo("x")
    assert r.dbsize() == real.dbsize()
    assert sorted(r.keys()) == sorted(real.keys())
    assert r.exists("a", "b", "zz") == real.exists("a", "b", "zz")
    assert r.rename("a", "c") is True and real.rename("a", "c") is True
    assert r.renamenx("b", "c") is real.renamenx("b", "c") is False
    t = r.time()
    assert isinstance(t, tuple) and abs(t[0] - time.time()) < 5
    assert isinstance(r.info(), dict) and "redis_version" in r.info("server")


def test_quit_then_reuse(path):
    r = redlite.Redis(path, single_connection_client=True)
    r.set("k", "v")
    r.execute_command("SELECT", 1)
    assert r.execute_command("QUIT") is True
    assert r.get("k") == b"v"  # a new connection: back on the client's db


def test_eight_threads_one_client(path):
    r = redlite.Redis(path)
    errors = []

    def work(i: int) -> None:
        try:
            for j in range(300):
                r.incr("counter")
                key = f"t:{i}:{j}"
                r.set(key, j)
                assert r.get(key) == str(j).encode()
                with r.pipeline(transaction=False) as p:
                    p.incr(f"p:{i}").get(f"p:{i}")
                    n, v = p.execute()
                    assert v == str(n).encode()
        except Exception as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert r.get("counter") == b"2400"
    assert r.dbsize() == 1 + 8 * 300 + 8


def test_threads_with_their_own_sessions():
    db = _native.Db()
    errors = []

    def work(i: int) -> None:
        s = _native.Session(db)
        try:
            assert s.execute([b"SELECT", str(i % 4).encode()]) == b"OK"
            for _ in range(200):
                s.execute([b"INCR", b"n"])
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    s = _native.Session(db)
    total = 0
    for d in range(4):
        s.execute([b"SELECT", str(d).encode()])
        total += int(s.execute([b"GET", b"n"]))
    assert total == 1600


def test_gil_is_released_during_a_long_command(path):
    """A long command in one thread does not stop another thread's commands."""
    r = redlite.Redis(path)
    size = 64 << 20
    r.set("big", b"\x01" * size)
    for _ in range(3):
        start = time.perf_counter()
        r.bitcount("big")
        if time.perf_counter() - start > 0.1:
            break
        size *= 2
        r.set("big", b"\x01" * size)
    stamps = []
    stop = threading.Event()

    def pinger() -> None:
        other = redlite.Redis(path)
        while not stop.is_set():
            other.ping()
            stamps.append(time.perf_counter())

    t = threading.Thread(target=pinger)
    t.start()
    time.sleep(0.05)
    begin = time.perf_counter()
    assert r.bitcount("big") == size
    end = time.perf_counter()
    stop.set()
    t.join()
    inside = [s for s in stamps if begin + 0.02 < s < end - 0.02]
    assert end - begin > 0.06, "the long command was too short to tell"
    assert len(inside) >= 10, (
        f"{len(inside)} pings ran during a {end - begin:.3f}s command"
    )


def test_native_session_api():
    db = _native.Db(None)
    s = _native.Session(db)
    assert db.path is None
    assert s.protocol == 2
    assert s.execute([b"SET", "k", 1]) == b"OK"
    assert s.execute(["GET", "k"], "utf-8") == "1"
    reply = s.run([b"GET", b"missing"])
    assert (
        reply.tree() == ("nil", None) and reply.value() is None and not reply.is_error
    )
    err = s.execute([b"GET"])
    assert isinstance(err, _native.ReplyError)
    assert s.run([b"PING"]).tree() == ("simple", b"PONG")
    assert s.selected_db() == 0
    s.execute([b"SELECT", b"3"])
    assert s.selected_db() == 3
    with pytest.raises(TypeError):
        s.execute([b"SET", b"k", object()])
    with pytest.raises(TypeError):
        s.execute([b"SET", b"k", True])
    with pytest.raises(ValueError):
        s.protocol = 4
    s.protocol = 3
    assert s.protocol == 3
    assert s.execute([]) is not None  # an error reply, not a crash
    assert s.execute([b"QUIT"]) == b"OK" and s.closing()
    with pytest.raises(ValueError):
        _native.Db(None, "sometimes")
    assert _native.format_double(0.1) == "0.10000000000000001"


def test_serve_shares_the_database(path):
    embedded = redlite.Redis(path)
    embedded.set("k", "from embedded")
    with redlite.serve(path, port=0) as handle:
        assert handle.port > 0 and handle.running
        client = redis.Redis(port=handle.port, protocol=2)
        assert client.get("k") == b"from embedded"
        client.set("k2", "from server")
        assert embedded.get("k2") == b"from server"
        client.close()
    assert not handle.running
    handle.stop()  # a second stop does nothing


def test_console_script_help():
    out = subprocess.run(
        [sys.executable, "-m", "redlite.server", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "--durability" in out.stdout


def test_console_script_serves(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "redlite.server",
            "--db",
            str(tmp_path / "s.db"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        client = redis.Redis(port=port, protocol=2)
        deadline = time.monotonic() + 15
        while True:
            try:
                assert client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.05)
        client.set("k", "v")
        assert client.get("k") == b"v"
    finally:
        proc.terminate()
        assert proc.wait(20) == 0


def test_exit_with_daemon_threads_in_the_engine(tmp_path):
    """A program may exit while daemon threads wait in the engine (a PubSub's
    run_in_thread, a worker in BLPOP): it exits cleanly. It used to abort ("FATAL:
    exception not rethrown") when CPython ended those threads as they took the GIL back."""
    import os
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import threading, time, redlite
        r = redlite.Redis({str(tmp_path / "exit.db")!r})
        p = r.pubsub()
        p.subscribe(**{{"ch": lambda m: None}})
        t = p.run_in_thread(sleep_time=0.5, daemon=True)
        def worker():
            while True:
                r.blpop("nothing", 1)
        threading.Thread(target=worker, daemon=True).start()
        time.sleep(0.3)
        print("exiting")
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    for _ in range(3):
        run = subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == "exiting" and "FATAL" not in run.stderr
