"""Lua scripting and functions, differential against a real Redis 7.0.

EVAL / EVALSHA / *_RO, SCRIPT, FUNCTION and FCALL at three levels (raw RESP2 trees,
redis-py RESP2, redis-py default protocol) on real Redis, redlite-server and embedded
redlite (see differential.py): reply conversions both ways, error texts (with
Redis 7.0's "script: <sha>, on @user_script:<line>." suffix), redis.pcall, the
sandbox, the bundled libraries, atomicity and what a failing script leaves written.
Every case starts with SCRIPT FLUSH and FUNCTION FLUSH: FLUSHALL keeps both.

Beside the differential cases: redis-py's register_script embedded and over RESP,
FUNCTION libraries surviving a reopen of the file, FUNCTION DUMP / RESTORE (redlite's
own payload format), and BUSY / SCRIPT KILL / FUNCTION KILL with a short
busy-reply-threshold, each compared with real Redis.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import redis
import redlite
from differential import cases_params, check

FRESH = [("SCRIPT", "FLUSH"), ("FUNCTION", "FLUSH")]


def case(*steps: Any) -> list[Any]:
    return FRESH + list(steps)


def E(script: str, *rest: Any) -> Any:
    return ("EVAL", script, *rest)


CASES = {
    "return_conversions": case(
        E("return 1", 0),
        E("return 3.99", 0),
        E("return -3.99", 0),
        E("return 'x'", 0),
        E("return true", 0),
        E("return false", 0),
        E("return nil", 0),
        E("return {1,2,3.7,nil,5}", 0),
        E("return {1,'a',true,false,{2,{3}}}", 0),
        E("return {err='My Error'}", 0),
        E("return {ok='fine'}", 0),
        E("return {ok='two\\r\\nlines'}", 0),
        E("return redis.error_reply('My Error')", 0),
        E("return redis.error_reply('oops')", 0),
        E("return redis.error_reply('-X')", 0),
        E("return redis.status_reply('DONE')", 0),
        E("return redis.status_reply(1)", 0),
        E("return redis.error_reply(1)", 0),
        E("local t = {}; for i=1,5 do t[i] = i end; t[3] = nil; return t", 0),
        E("return {KEYS[1], ARGV[1], #KEYS, #ARGV}", 1, "k", "a", "b"),
        E("return KEYS", 0),
        E("return 2^53", 0),
        E("return -0.5", 0),
    ),
    "call_conversions": case(
        ("SET", "s", "v"),
        ("HSET", "hh", "f", "v"),
        ("ZADD", "zz", "1.5", "m"),
        E("return redis.call('get', KEYS[1])", 1, "s"),
        E("return redis.call('get', 'nosuch')", 0),
        E("return type(redis.call('get', 'nosuch'))", 0),
        E("redis.setresp(3); return type(redis.call('get', 'nosuch'))", 0),
        E("return redis.call('hgetall', KEYS[1])", 1, "hh"),
        E("return redis.call('hgetall', KEYS[1])", 1, "nosuch"),
        E("return redis.call('zscore', 'zz', 'm')", 0),
        E("redis.setresp(3); return redis.call('zscore', 'zz', 'm')", 0),
        E("return redis.call('incr', KEYS[1]) + 1.9", 1, "cnt"),
        E("return redis.call('set', 'x', 'y')", 0),
        E("return type(redis.call('set', 'x', 'y'))", 0),
        E("return redis.call('set', 'x', 'y').ok", 0),
        E("return redis.call('ping')", 0),
        E("return redis.call('echo', 3.5)", 0),
        E("return redis.call('echo', 10)", 0),
        E("return redis.call('echo', 1e20)", 0),
        E("return redis.call('echo', 0.1)", 0),
        E("return redis.call('exists', 's', 'nosuch', 's')", 0),
        E("return redis.call('lrange', 'nosuch', 0, -1)", 0),
        E("return redis.call('select', 1)", 0),
        ("GET", "s"),
    ),
    "errors": case(
        ("SET", "s", "v"),
        E("return x", 0),
        E("x = 1", 0),
        E("return redis.call('nosuch')", 0),
        E("return redis.call('lpush', 's', 'a')", 0),
        E("return redis.pcall('lpush', 's', 'a')", 0),
        E("return redis.call()", 0),
        E("return redis.call('get', {})", 0),
        E("return redis.call('get')", 0),
        E("return redis.call('blpop', 'l', 0)", 0),
        E("return redis.call('eval', 'return 1', 0)", 0),
        E("return redis.call('script', 'load', 'return 1')", 0),
        E("return redis.call('set', KEYS[1], 'b')", 0),
        E("error('boom')", 0),
        E("error({err='X y'})", 0),
        E("local a = 1\nlocal b = 2\nerror('third line')", 0),
        E("local a = 1\nreturn redis.call('lpush', 's', 'a')", 0),
        E("syntax error here", 0),
        ("SCRIPT", "LOAD", "retur 1"),
        E("return 1", -1),
        E("return 1", 2, "a"),
        E("return 1", "x"),
        ("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", 0),
        ("EVALSHA", "abc", 0),
        E("return redis.setresp(4)", 0),
        E("return redis.set_repl(99)", 0),
        E("return redis.set_repl(redis.REPL_ALL)", 0),
        E("return redis.log(redis.LOG_WARNING, 'hi')", 0),
        E("return redis.log(99, 'hi')", 0),
        E("return redis.log(1)", 0),
        E("return redis.sha1hex('')", 0),
        E("return redis.sha1hex()", 0),
        E("return redis.pcall('nosuch')", 0),
        E("return redis.acl_check_cmd('set', 'a', 'b')", 0),
        E("return redis.acl_check_cmd('get')", 0),
        E("return redis.acl_check_cmd('nosuch')", 0),
        E("return redis.acl_check_cmd()", 0),
        E("return redis.acl_check_cmd('config', 'get')", 0),
        E("return redis.acl_check_cmd('config', 'nosuch')", 0),
    ),
    "noscript_and_multi": case(
        ("MULTI",),
        E("return redis.call('incr', KEYS[1])", 1, "mk"),
        E("return redis.call('incr', KEYS[1])", 1, "mk"),
        ("EXEC",),
        E("return redis.call('multi')", 0),
        E("return redis.call('watch', 'k')", 0),
        E("return redis.call('subscribe', 'ch')", 0),
        E("return redis.call('publish', 'ch', 'x')", 0),
        E("return redis.call('client', 'setname', 'x')", 0),
        E("return redis.call('config', 'get', 'busy-reply-threshold')", 0),
        E("return redis.call('function', 'list')", 0),
        E("return redis.call('shutdown')", 0),
        E("return redis.call('brpoplpush', 'a', 'b', 0)", 0),
        E("return redis.call('rpoplpush', 'nosuch', 'b')", 0),
    ),
    "pcall": case(
        ("SET", "s", "v"),
        E("return {pcall(redis.call, 'lpush', 's', 'a')}", 0),
        E("local ok, e = pcall(redis.call, 'lpush', 's', 'a'); return e", 0),
        E("local ok, e = pcall(error, 'plain'); return e", 0),
        E("return {pcall(function() error('plain2') end)}", 0),
        E("local r = redis.pcall('lpush', 's', 'a'); return r.err", 0),
        E("local r = redis.pcall('incr', 's'); return {type(r), r.err}", 0),
        E("return {pcall(error, {err='x'})}", 0),
    ),
    "atomicity_and_partial_writes": case(
        E("redis.call('set','a1','v'); error('after write')", 0),
        ("GET", "a1"),
        E("redis.call('set','a2','v'); return redis.call('lpush','a2','x')", 0),
        ("GET", "a2"),
        E(
            "redis.call('set','a3','v'); redis.pcall('lpush','a3','x'); redis.call('append','a3','w'); return redis.call('get','a3')",
            0,
        ),
        E(
            "for i=1,100 do redis.call('rpush', KEYS[1], i) end; return redis.call('llen', KEYS[1])",
            1,
            "list",
        ),
        ("LRANGE", "list", 0, 4),
        E("redis.call('del', 'list'); return redis.call('exists', 'list')", 0),
    ),
    "sandbox": case(
        E("string.foo = 1", 0),
        E("redis.call = 1", 0),
        E("return loadstring('return 1')()", 0),
        E("return print", 0),
        E("return dofile", 0),
        E("return os", 0),
        E("return io", 0),
        E("return require", 0),
        E("return redis.REDIS_VERSION", 0),
        E("return type(_G)", 0),
        E(
            "return {type(string.format), type(math.floor), type(table.concat), type(tonumber)}",
            0,
        ),
        E("return string.format('%d-%s', 5, 'x')", 0),
        E("return ('abc'):upper()", 0),
    ),
    "shebang_and_ro": case(
        E("#!lua flags=no-writes\nreturn redis.call('set','a','b')", 1, "a"),
        E("#!lua flags=bogus\nreturn 1", 0),
        E("#!lua name=x\nreturn 1", 0),
        E("#!luax\nreturn 1", 0),
        E("#!lua flags=no-writes,allow-oom\nreturn 1", 0),
        E("#!lua\nreturn redis.call('set',KEYS[1],'b')", 1, "k"),
        ("EVAL_RO", "return redis.call('set','a','b')", 1, "a"),
        ("EVAL_RO", "return redis.call('get', KEYS[1])", 1, "k"),
        ("EVAL_RO", "#!lua\nreturn 1", 0),
        ("EVAL_RO", "#!lua flags=no-writes\nreturn 1", 0),
        ("SCRIPT", "LOAD", "return redis.call('get', KEYS[1])"),
        ("EVALSHA_RO", "d3c21d0c2b9ca22f82737626a27bcaf5d288f99f", 1, "k"),
        ("EVALSHA", "D3C21D0C2B9CA22F82737626A27BCAF5D288F99F", 1, "k"),
    ),
    "script_commands": case(
        ("SCRIPT", "LOAD", "return 'loaded'"),
        (
            "SCRIPT",
            "EXISTS",
            "e0e1f9fabfc9d4800c877a703b823ac0578ff8db",
            "ffffffffffffffffffffffffffffffffffffffff",
        ),
        ("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0),
        ("SCRIPT", "FLUSH"),
        ("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"),
        ("EVALSHA", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0),
        E("return 'loaded'", 0),
        ("SCRIPT", "EXISTS", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"),
        ("SCRIPT", "FLUSH", "SYNC"),
        ("SCRIPT", "FLUSH", "ASYNC"),
        ("SCRIPT", "FLUSH", "bogus"),
        ("SCRIPT", "KILL"),
        ("SCRIPT", "DEBUG", "maybe"),
        ("SCRIPT", "DEBUG", "no"),
        ("SCRIPT", "HELP"),
        ("SCRIPT", "NOSUCH"),
        ("SCRIPT", "EXISTS"),
    ),
    "libraries": case(
        E("return cjson.encode({1,2,3,{a=1}})", 0),
        E("return cjson.encode({})", 0),
        E("return cjson.encode('a/b\"c\\n')", 0),
        E("return cjson.encode({true, false, cjson.null})", 0),
        E("return cjson.decode('[1,2,{\"a\":[true,false,null]}]')[3].a[1]", 0),
        E("return cjson.decode('{\"a\":[1,2]}').a[2]", 0),
        E("return cjson.decode('{bad')", 0),
        E("return cjson.encode(cjson.decode('[1.5, 1e20, -0.25, \"\\\\u00e9\"]'))", 0),
        E("return cjson.decode('null') == cjson.null", 0),
        E(
            "return {bit.band(0xff, 0x0f), bit.bor(1,2,4), bit.bxor(5,1), bit.bnot(0), bit.lshift(1, 31), "
            "bit.rshift(-1, 28), bit.arshift(-16, 2), bit.tohex(255), bit.tohex(-1, -4), bit.tobit(2^32+5), "
            "bit.rol(1, 33), bit.bswap(1)}",
            0,
        ),
        E("return cmsgpack.pack({1,2,'abc'}, 300, -5, 1.5, true, -200, 70000, 'x')", 0),
        E("return cmsgpack.pack({a=1})", 0),
        E(
            "local a,b,c = cmsgpack.unpack(cmsgpack.pack({1,2,'abc'}, 300, 'x')); return {a[3], b, c}",
            0,
        ),
        E("return cmsgpack.unpack(cmsgpack.pack({x={1,2}})).x[2]", 0),
        E("return struct.pack('>I2i4', 258, -2)", 0),
        E("return struct.pack('<hBc3s', -2, 7, 'abc', 'zz')", 0),
        E("return {struct.unpack('<HB', 'abc')}", 0),
        E("return {struct.unpack('>i4', struct.pack('>i4', -7))}", 0),
        E("return struct.size('>iHd')", 0),
        E("return redis.sha1hex('abc')", 0),
    ),
    "functions": case(
        ("FUNCTION", "LOAD", "return 1"),
        ("FUNCTION", "LOAD", "#!lua\nreturn 1"),
        ("FUNCTION", "LOAD", "#!lua name=mylib\nreturn 1"),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return keys[1] end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=mylib\nredis.register_function('f1', function(keys, args) return 1 end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib2\nredis.register_function('f1', function(keys, args) return 1 end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib3\nredis.register_function('f-1', function(keys, args) return 1 end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib3\nredis.register_function{function_name='g', "
            "callback=function() return redis.call('set','x','1') end, flags={'no-writes'}}",
        ),
        ("FCALL", "g", 0),
        ("FCALL_RO", "g", 0),
        ("FCALL_RO", "f1", 1, "k"),
        ("FCALL", "f1", 1, "kk"),
        ("FCALL", "nosuch", 0),
        ("FCALL", "f1", 5, "a"),
        ("FCALL", "f1", -1),
        ("FUNCTION", "LOAD", "#!lua name=lib4\nlocal x = "),
        ("FUNCTION", "LOAD", "#!lua name=lib4\nerror('boom')"),
        ("FUNCTION", "LOAD", "#!lua name=lib4 foo=bar\nreturn 1"),
        ("FUNCTION", "LOAD", "#!lua name=lib4\nredis.call('ping')"),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib4\nredis.register_function('h', function() return x end)",
        ),
        ("FCALL", "h", 0),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib5\nredis.register_function{function_name='z', callback=function() return 1 end, flags={'bogus'}}",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib6\nredis.register_function('a1', function(keys, args) return {keys[1], args[1], KEYS} end)",
        ),
        ("FCALL", "a1", 1, "k", "v"),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib7\nredis.register_function{function_name='d1', callback=function() return 1 end, "
            "description='desc', flags={'no-writes', 'allow-oom'}}",
        ),
        ("FUNCTION", "LIST", "LIBRARYNAME", "lib7"),
        ("FUNCTION", "LIST", "LIBRARYNAME", "lib7", "WITHCODE"),
        ("FUNCTION", "LIST", "withcodex"),
        ("FUNCTION", "LIST", "libraryname"),
        (
            "FUNCTION",
            "LOAD",
            "REPLACE",
            "#!lua name=lib7\nredis.register_function('d1', function() return 'replaced' end)",
        ),
        ("FCALL", "d1", 0),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib8\nredis.register_function('d1', function() return 'x' end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib8\nredis.register_function('x1', function() return 'x' end)\n"
            "redis.register_function('x1', function() return 'x' end)",
        ),
        ("FUNCTION", "LOAD", "#!lua name=lib8\nredis.register_function()"),
        ("FUNCTION", "LOAD", "#!lua name=lib8\nredis.register_function('a')"),
        ("FUNCTION", "LOAD", "#!lua name=lib8\nredis.register_function(1, 2)"),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib8\nredis.register_function{function_name='a'}",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib8\nredis.register_function{callback=function() end}",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib8\nredis.register_function{function_name='a', callback=function() end, other=1}",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!LUA name=lib9\nredis.register_function('lib9f', function() return 9 end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua NAME=lib10\nredis.register_function('lib10f', function() return 10 end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib11 name=lib12\nredis.register_function('f11', function() return 9 end)",
        ),
        (
            "FUNCTION",
            "LOAD",
            "#!lua name=lib-11\nredis.register_function('f11', function() return 9 end)",
        ),
        ("FUNCTION", "LOAD", "foo", "bar"),
        ("FUNCTION", "DELETE", "lib9"),
        ("FUNCTION", "DELETE", "lib9"),
        ("FCALL", "lib9f", 0),
        ("FUNCTION", "RESTORE", "garbage"),
        ("FUNCTION", "RESTORE", "x", "bogus"),
        ("FUNCTION", "FLUSH", "bogus"),
        ("FUNCTION", "KILL"),
        ("FUNCTION", "HELP"),
        ("FUNCTION", "FLUSH"),
        ("FUNCTION", "LIST"),
        ("FUNCTION", "STATS"),
    ),
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_scripting(targets, steps, level):
    check(targets, level, steps)


def clients(real: redis.Redis, embedded: redlite.Redis, resp: redis.Redis):
    for c in (real, embedded, resp):
        c.script_flush()
        c.function_flush()
    return (real, embedded, resp)


def test_register_script(real, embedded, resp):
    """redis-py's Script: EVALSHA, and on NOSCRIPT a SCRIPT LOAD and a retry."""
    for client in clients(real, embedded, resp):
        incr_by = client.register_script(
            "return redis.call('incrby', KEYS[1], ARGV[1])"
        )
        assert incr_by(keys=["n"], args=[5]) == 5
        assert incr_by(keys=["n"], args=[2]) == 7
        client.script_flush()
        assert incr_by(keys=["n"], args=[1]) == 8
        assert client.script_exists(incr_by.sha) == [True]
        pipe = client.pipeline()
        incr_by(keys=["n"], args=[10], client=pipe)
        pipe.get("n")
        assert pipe.execute() == [18, b"18"]


def test_function_list_shape(real, embedded, resp):
    code = "#!lua name=shape\nredis.register_function{function_name='s1', callback=function() return 1 end, flags={'no-writes'}}"
    for client in clients(real, embedded, resp):
        assert client.function_load(code) in ("shape", b"shape")
        assert client.fcall_ro("s1", 0) == 1
        listed = client.function_list(withcode=True)
        assert listed == real.function_list(withcode=True)


def test_functions_survive_reopen(tmp_path):
    path = str(tmp_path / "f.db")
    first = redlite.Redis(path)
    first.function_load(
        "#!lua name=keep\nredis.register_function('kept', function(keys) return 'still here' end)"
    )
    first.close()
    del first
    second = redlite.Redis(path)
    assert second.fcall("kept", 0) == b"still here"
    assert second.function_list() == [
        [
            b"library_name",
            b"keep",
            b"engine",
            b"LUA",
            b"functions",
            [[b"name", b"kept", b"description", None, b"flags", []]],
        ]
    ]
    second.close()


def test_function_dump_restore(embedded, resp):
    code_a = "#!lua name=la\nredis.register_function('fa', function() return 'a' end)"
    code_b = "#!lua name=lb\nredis.register_function('fb', function() return 'b' end)"
    for client in (embedded, resp):
        client.function_flush()
        client.function_load(code_a)
        client.function_load(code_b)
        payload = client.function_dump()
        client.function_flush()
        assert client.function_restore(payload)
        assert client.fcall("fa", 0) == b"a" and client.fcall("fb", 0) == b"b"
        with pytest.raises(redis.ResponseError, match="already exists"):
            client.function_restore(payload)
        assert client.function_restore(payload, "REPLACE")
        client.function_delete("la")
        assert client.function_restore(payload, "FLUSH")
        assert sorted(lib[1] for lib in client.function_list()) == [b"la", b"lb"]
        with pytest.raises(
            redis.ResponseError, match="DUMP payload version or checksum are wrong"
        ):
            client.function_restore(payload[:-1])


SPIN = "local i = 0 while true do i = i + 1 end"
SPIN_AFTER_WRITE = (
    "redis.call('set', KEYS[1], 'x') local i = 0 while true do i = i + 1 end"
)


def _busy_run(
    make_client, script: str, keys: list[str], kill_cmd: list[str], fcall: bool = False
):
    """Run an endless script on one connection; from another: wait for BUSY, then the
    kill command. Returns (the BUSY error, the kill reply, the script's reply)."""
    runner = make_client()
    other = make_client()
    other.config_set("busy-reply-threshold", 50)
    result: dict = {}

    def run():
        try:
            if fcall:
                result["reply"] = runner.fcall(script, len(keys), *keys)
            else:
                result["reply"] = runner.eval(script, len(keys), *keys)
        except redis.ResponseError as e:
            result["reply"] = str(e)

    t = threading.Thread(target=run)
    t.start()
    busy = None
    while busy is None:
        try:
            other.ping()
        except redis.exceptions.BusyLoadingError as e:  # pragma: no cover - not BUSY
            busy = str(e)
        except redis.ResponseError as e:
            busy = str(e)
    try:
        kill = other.execute_command(*kill_cmd)
    except redis.ResponseError as e:
        kill = str(e)
    if "UNKILLABLE" in str(kill):
        t.join(timeout=0.5)
        return busy, kill, None
    t.join()
    other.config_set("busy-reply-threshold", 5000)
    return busy, kill, result["reply"]


@pytest.fixture
def busy_targets(redis_server, redlite_server, tmp_path):
    path = str(tmp_path / "busy.db")
    return {
        "real": lambda: redis.Redis(
            port=redis_server.port, single_connection_client=True
        ),
        "server": lambda: redis.Redis(
            port=redlite_server.port, single_connection_client=True
        ),
        "embedded": lambda: redlite.Redis(path, single_connection_client=True),
    }


def test_busy_and_script_kill(busy_targets):
    got = {}
    for name, make in busy_targets.items():
        busy, kill, reply = _busy_run(make, SPIN, [], ["SCRIPT", "KILL"])
        got[name] = (busy, kill, reply)
    assert got["real"][0].startswith("BUSY Redis is busy running a script"), got
    assert got["real"][1] in (True, b"OK", "OK")
    assert "Script killed by user with SCRIPT KILL..." in got["real"][2]
    assert got["server"] == got["real"], got
    assert got["embedded"] == got["real"]


def test_function_kill(busy_targets):
    got = {}
    code = "#!lua name=spin\nredis.register_function('spin', function() local i = 0 while true do i = i + 1 end end)"
    for name, make in busy_targets.items():
        c = make()
        c.function_load(code, replace=True)
        busy, kill, reply = _busy_run(
            make, "spin", [], ["FUNCTION", "KILL"], fcall=True
        )
        got[name] = (busy, kill, reply)
        c.function_delete("spin")
    assert "FUNCTION KILL" in got["real"][0]
    assert got["server"] == got["real"], got
    assert got["embedded"] == got["real"]


def test_unkillable_after_a_write(busy_targets):
    """A script that has written cannot be killed: SCRIPT KILL answers UNKILLABLE and
    the script runs to its end (a long, bounded loop)."""
    script = "redis.call('set', KEYS[1], 'x') local i = 0 while i < 30000000 do i = i + 1 end return i"
    got = {}
    for name, make in busy_targets.items():
        runner, other = make(), make()
        other.config_set("busy-reply-threshold", 50)
        result: dict = {}
        t = threading.Thread(
            target=lambda result=result, runner=runner: result.update(
                reply=runner.eval(script, 1, "w")
            )
        )
        t.start()
        kill = None
        while kill is None and t.is_alive():
            try:
                other.ping()
            except redis.ResponseError as e:
                assert str(e).startswith("BUSY"), e
                try:
                    other.script_kill()
                except redis.ResponseError as e2:
                    kill = str(e2)
        t.join()
        other.config_set("busy-reply-threshold", 5000)
        got[name] = (kill, result.get("reply"), other.get("w"))
    assert got["real"][0].startswith("UNKILLABLE"), got
    assert got["server"] == got["real"], got
    assert got["embedded"] == got["real"], got
