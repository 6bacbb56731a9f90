"""The Lua sandbox's security holes (issue 15, items 2, 3, 4, 6 and 11), each against
redlite-server and the real Redis 7 where Redis has the behaviour, and embedded where
the path exists there.

A case that crashed the process runs against a server (or, embedded, in a child
Python process), so a segfault fails the test instead of killing pytest. Every wait
is bounded.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import pytest
import redis
import redlite
from conftest import REDLITE_SERVER, Server, free_port, start


def _reply(client, script: str, *args) -> object:
    """EVAL's reply, or its error text."""
    try:
        return client.eval(script, 0, *args)
    except redis.ResponseError as e:
        return "error: " + str(e)


def _both(real, resp, script: str, *args) -> object:
    """The reply of Redis and of redlite-server, which must be the same."""
    want = _reply(real, script, *args)
    got = _reply(resp, script, *args)
    assert got == want, (script, got, want)
    return want


def _embedded_in_child(tmp_path: Path, script: str) -> subprocess.CompletedProcess:
    """Run one EVAL embedded in a child Python: a crash there is a returncode."""
    code = (
        "import redlite, redis, sys\n"
        f"r = redlite.Redis({str(tmp_path / 'child.db')!r})\n"
        "try:\n"
        f"    print(repr(r.eval({script!r}, 0)))\n"
        "except redis.ResponseError as e:\n"
        "    print('error: ' + str(e))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )


# --- item 2: unpack's integer overflow (CVE-2025-46817) ----------------------------

UNPACK_CASES = [
    "return #{unpack({}, 0, 2147483647)}",
    "return #{unpack({}, -2147483648, 2147483647)}",
    "return #{unpack({}, -2147483647, 2147483647)}",
    "return #{unpack({1, 2, 3}, -2147483648, -2147483646)}",
    "return {unpack({1, 2, 3}, 2147483647, 2147483647)}",
    "return {unpack({1, 2, 3}, 2, 1)}",
    "return {unpack({1, 2, 3}, 2)}",
    "return {unpack({1, 2, 3})}",
    "return #{unpack({}, 1, 7997)}",
    "return #{unpack({}, 1, 7998)}",
    "return #{unpack({}, 1, 1e6)}",
    "local ok, e = pcall(unpack, {}, 0, 2147483647) return e",
    "return #{unpack({1, 2, 3}, 'a')}",
    "local t = {unpack({1, 2, 3}, '2', '3')} return t",
]


def test_unpack_overflow_is_refused(real, resp):
    for script in UNPACK_CASES:
        _both(real, resp, script)
    assert "too many results to unpack" in str(
        _reply(resp, "return #{unpack({}, 0, 2147483647)}")
    )
    assert resp.ping()


def test_unpack_overflow_embedded(tmp_path):
    done = _embedded_in_child(tmp_path, "return #{unpack({}, 0, 2147483647)}")
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert "too many results to unpack" in done.stdout


# --- item 3: binary chunks ---------------------------------------------------------

BYTECODE_CASES = [
    "return loadstring(string.dump(function() return 1 end))()",
    "local f, e = loadstring(string.dump(function() return 1 end)) return {type(f), e}",
    "local f, e = loadstring('\\27Lua') return e",
    "local f, e = loadstring('\\27Lua', 'x') return e",
    "local f, e = loadstring('\\27Lua', '=x') return e",
    "local f, e = loadstring('\\27Lua', '@x') return e",
    "local f, e = loadstring('x=') return e",
    "return loadstring('return 1 + 1')()",
    "local d = string.dump(function() return 1 end) local done = false "
    "local f, e = load(function() if done then return nil end done = true return d end) "
    "return {type(f), e}",
    "local parts = {'return ', '4', '2'} local i = 0 "
    "return load(function() i = i + 1 return parts[i] end)()",
    "return type(string.dump)",
]


def test_binary_chunks_are_refused(real, resp):
    for script in BYTECODE_CASES:
        _both(real, resp, script)


def test_binary_chunks_are_refused_embedded(embedded, real):
    for script in BYTECODE_CASES:
        assert _reply(embedded, script) == _reply(real, script), script


# --- item 4: read-only globals, libraries and string metatable ---------------------

READONLY_CASES = [
    "getmetatable('').__index.upper = function() return 'x' end return 1",
    "getmetatable('').__index = {} return 1",
    "rawset(getmetatable(''), '__index', {}) return 1",
    "rawset(getmetatable('').__index, 'upper', 1) return 1",
    "return getmetatable('').__index == string",
    "return ('abc'):upper()",
    "rawset(_G, 'x', 1) return 1",
    "setmetatable(_G, {}) return 1",
    "setmetatable(string, {}) return 1",
    "string.upper = 1 return 1",
    "rawset(string, 'upper', 1) return 1",
    "table.insert(string, 1) return 1",
    "table.insert(_G, 1) return 1",
    "table.remove(table) return 1",
    "table.sort(math) return 1",
    "redis.call = 1 return 1",
    "rawset(redis, 'call', 1) return 1",
    "rawset(cjson, 'encode', 1) return 1",
    "x = 1",
    "_G.x = 1",
    "return type(getfenv)",
    "return type(setfenv)",
    "return type(newproxy)",
    "local t = {} rawset(t, 'a', 1) setmetatable(t, {}) table.insert(t, 2) return {t.a, t[1]}",
    "local ok, e = pcall(rawset, string, 'upper', 1) return e",
    "local ok, e = pcall(function() string.upper = 1 end) return e",
]


def test_readonly_tables(real, resp):
    for script in READONLY_CASES:
        _both(real, resp, script)
    # Nothing a refused write did survives it.
    _both(
        real, resp, "return {('abc'):upper(), string.upper('x'), type(rawget(_G, 'x'))}"
    )


def test_readonly_tables_embedded(embedded, real):
    for script in READONLY_CASES:
        assert _reply(embedded, script) == _reply(real, script), script


# Every way a script might plant code on string.upper that the next script runs.
PLANT = """
local evil = function(s)
    redis.call('set', 'app:stolen', redis.call('get', 'other:secret') or 'none')
    return 'PWNED'
end
local tries = {
    function() getmetatable('').__index.upper = evil end,
    function() rawset(getmetatable('').__index, 'upper', evil) end,
    function() rawset(string, 'upper', evil) end,
    function() string.upper = evil end,
    function() getmetatable('').__index = {upper = evil} end,
    function() rawset(getmetatable(''), '__index', {upper = evil}) end,
    function() setmetatable(string, {__index = {upper = evil}}) end,
    function() rawset(_G, 'string', {upper = evil}) end,
}
local refused = 0
for _, try in ipairs(tries) do
    if not pcall(try) then refused = refused + 1 end
end
return refused
"""


def _escalation(admin, user) -> tuple:
    admin.set("other:secret", "s3cret")
    admin.delete("app:stolen")
    admin.execute_command("ACL", "SETUSER", "planter", "reset")
    admin.execute_command(
        "ACL", "SETUSER", "planter", "on", ">pw", "~app:*", "+@all", "-@dangerous"
    )
    try:
        user.execute_command("AUTH", "planter", "pw")
        refused = user.eval(PLANT, 0)
        upper = admin.eval("return ARGV[1]:upper()", 0, "abc")
        upper2 = admin.eval("return string.upper(ARGV[1])", 0, "abc")
        stolen = admin.get("app:stolen")
    finally:
        admin.execute_command("ACL", "DELUSER", "planter")
        admin.delete("other:secret", "app:stolen")
    return refused, upper, upper2, stolen


def test_no_code_planted_for_another_user(redis_server, redlite_server):
    got = {}
    for name, port in (("real", redis_server.port), ("server", redlite_server.port)):
        admin = redis.Redis(port=port, single_connection_client=True)
        user = redis.Redis(port=port, single_connection_client=True)
        got[name] = _escalation(admin, user)
        admin.close()
        user.close()
    assert got["real"] == (8, b"ABC", b"ABC", None), got
    assert got["server"] == got["real"], got


def test_no_code_planted_embedded(tmp_path):
    db = redlite.Redis(str(tmp_path / "plant.db"))
    assert db.eval(PLANT, 0) == 8
    assert db.eval("return ARGV[1]:upper()", 0, "abc") == b"ABC"
    assert db.get("app:stolen") is None


# --- item 6: SCRIPT KILL / FUNCTION KILL that pcall cannot catch --------------------

PCALL_LOOP = "while true do pcall(function() while true do end end) end"
XPCALL_LOOP = "while true do xpcall(function() while true do end end, function(e) return e end) end"
WRAP_LOOP = "local co = coroutine.wrap(function() while true do end end) co()"
RESUME_LOOP = (
    "local co = coroutine.create(function() while true do end end) "
    "coroutine.resume(co) while true do end"
)


def _kill_run(
    make: Callable[[], redis.Redis],
    run: Callable[[redis.Redis], object],
    kill: list[str],
    timeout: float = 10.0,
) -> tuple:
    """Start `run` on one connection; from another, wait for BUSY and send `kill`.
    Returns (BUSY error, kill reply, the script's reply, a PING after it)."""
    runner, other = make(), make()
    other.config_set("busy-reply-threshold", 50)
    result: dict[str, object] = {}

    def go():
        try:
            result["reply"] = run(runner)
        except redis.RedisError as e:
            result["reply"] = str(e)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    busy: str | None = None
    deadline = time.monotonic() + timeout
    while busy is None and time.monotonic() < deadline:
        try:
            other.ping()
        except redis.ResponseError as e:
            busy = str(e)
    try:
        killed = other.execute_command(*kill)
    except redis.ResponseError as e:
        killed = str(e)
    t.join(timeout)
    alive = t.is_alive()
    try:
        after = other.ping()
    except redis.ResponseError as e:
        after = str(e)
    if not alive:
        other.config_set("busy-reply-threshold", 5000)
    return busy, killed, result.get("reply"), after, alive


@pytest.mark.parametrize("script", [PCALL_LOOP, XPCALL_LOOP, WRAP_LOOP, RESUME_LOOP])
def test_script_kill_is_not_caught(redis_server, redlite_server, tmp_path, script):
    makes = {
        "real": lambda: redis.Redis(
            port=redis_server.port, single_connection_client=True, socket_timeout=20
        ),
        "server": lambda: redis.Redis(
            port=redlite_server.port, single_connection_client=True, socket_timeout=20
        ),
        "embedded": lambda: redlite.Redis(
            str(tmp_path / "kill.db"), single_connection_client=True
        ),
    }
    got = {}
    for name, make in makes.items():
        got[name] = _kill_run(make, lambda c: c.eval(script, 0), ["SCRIPT", "KILL"])
    busy, killed, reply, after, alive = got["real"]
    assert busy.startswith("BUSY") and killed in (True, b"OK"), got
    assert not alive and "Script killed by user with SCRIPT KILL" in reply, got
    assert got["server"] == got["real"], got
    assert got["embedded"] == got["real"], got


def test_function_kill_is_not_caught(redis_server, redlite_server):
    code = (
        "#!lua name=spinlib\nredis.register_function('spin', function() "
        + PCALL_LOOP
        + " end)"
    )
    got = {}
    for name, port in (("real", redis_server.port), ("server", redlite_server.port)):

        def make(port=port):
            return redis.Redis(
                port=port, single_connection_client=True, socket_timeout=20
            )

        setup = make()
        setup.function_load(code, replace=True)
        got[name] = _kill_run(make, lambda c: c.fcall("spin", 0), ["FUNCTION", "KILL"])
        setup.function_delete("spinlib")
    assert not got["real"][4] and "killed" in got["real"][2], got
    assert got["server"] == got["real"], got


# --- item 6: SHUTDOWN NOSAVE, SIGTERM and SIGINT with a script running --------------


def _own_redlite(tmp_path: Path, name: str) -> Server:
    port = free_port()
    return start(
        name,
        [
            str(REDLITE_SERVER),
            "--db",
            str(tmp_path / f"{name}.db"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
        ],
        port,
        str(tmp_path),
    )


def _own_redis(tmp_path: Path, name: str) -> Server:
    port = free_port()
    return start(
        name,
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        port,
        str(tmp_path),
    )


def _stop_during_script(server: Server, script: str, how: str) -> tuple:
    """Run `script` (endless) on `server`, then stop the server `how`; returns
    (exit code, seconds from the stop request to exit)."""
    runner = redis.Redis(port=server.port, socket_timeout=30)
    other = redis.Redis(port=server.port, socket_timeout=30)
    other.set("before", "kept")
    other.config_set("busy-reply-threshold", 50)
    t = threading.Thread(target=lambda: _reply(runner, script, "app:w"), daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            other.ping()
        except redis.ResponseError:
            break
    start_at = time.monotonic()
    if how == "SHUTDOWN":
        try:
            other.execute_command("SHUTDOWN", "NOSAVE")
        except redis.ConnectionError:
            pass
    else:
        server.proc.send_signal(getattr(signal, how))
    try:
        code = server.proc.wait(20)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()
        code = None
    took = time.monotonic() - start_at
    server.stop()
    return code, took


WRITE_THEN_SPIN = "redis.call('set', 'app:w', 'x') while true do end"


@pytest.mark.parametrize("how", ["SHUTDOWN", "SIGTERM", "SIGINT"])
@pytest.mark.parametrize("script", [PCALL_LOOP, WRITE_THEN_SPIN])
def test_stop_with_a_script_running(tmp_path, how, script):
    server = _own_redlite(tmp_path, "stopping")
    code, took = _stop_during_script(server, script, how)
    assert code == 0 and took < 10, (code, took, server.output())
    # The database opens again: what was committed is there, the script's
    # unfinished write is not (its transaction was never committed).
    db = redlite.Redis(str(tmp_path / "stopping.db"))
    assert db.get("before") == b"kept"
    assert db.get("app:w") is None
    db.close()


def test_redis_shutdown_nosave_with_a_script_running(tmp_path):
    """The oracle: SHUTDOWN NOSAVE stops Redis with an unkillable script running."""
    server = _own_redis(tmp_path, "redis-stopping")
    code, took = _stop_during_script(server, WRITE_THEN_SPIN, "SHUTDOWN")
    assert code == 0 and took < 10, (code, took)


# --- item 11: memory inside scripts ------------------------------------------------


def test_lua_memory_limit(resp, embedded):
    for client in (resp, embedded):
        assert client.config_get("lua-memory-limit") == {
            "lua-memory-limit": "268435456"
        }
        assert client.config_set("lua-memory-limit", "10mb")
        try:
            assert client.config_get("lua-memory-limit") == {
                "lua-memory-limit": "10485760"
            }
            with pytest.raises(redis.ResponseError, match="not enough memory"):
                client.eval("return #string.rep('x', 20000000)", 0)
            # pcall does not catch it into a loop that keeps allocating.
            assert (
                client.eval(
                    "local ok, e = pcall(string.rep, 'x', 20000000) return e", 0
                )
                == b"not enough memory"
            )
            assert client.eval("return #string.rep('x', 1000000)", 0) == 1000000
            with pytest.raises(redis.ResponseError, match="not enough memory"):
                client.eval(
                    "local t = {} for i = 1, 1e8 do t[i] = tostring(i) end return #t", 0
                )
            assert client.eval("return 1", 0) == 1
        finally:
            client.config_set("lua-memory-limit", "256mb")
        with pytest.raises(
            redis.ResponseError, match="argument must be a memory value"
        ):
            client.config_set("lua-memory-limit", "lots")


def _limit_address_space():
    four_gb = 4 * 1024 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (four_gb, four_gb))


def test_huge_string_under_an_address_space_limit(tmp_path):
    """Under a 4 GB address space, string.rep of 10 GB is the script's error (the
    default lua-memory-limit stops it), not the death of the server."""
    port = free_port()
    argv = [str(REDLITE_SERVER), "--db", str(tmp_path / "as.db"), "--port", str(port)]
    log = open(tmp_path / "as.log", "wb")
    proc = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_limit_address_space
    )
    try:
        deadline = time.monotonic() + 15
        c = redis.Redis(port=port, socket_timeout=30)
        while True:
            try:
                c.ping()
                break
            except redis.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline
                time.sleep(0.05)
        with pytest.raises(redis.ResponseError, match="not enough memory"):
            c.eval("return #string.rep('x', 1e10)", 0)
        assert c.ping() and proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
