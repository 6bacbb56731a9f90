"""ACL users against Redis 7: NOPERM for commands, keys and channels, the same rules
applied to commands run by EXEC and by scripts, and what ACL LOG records of them.

Each scenario runs on real Redis and on redlite-server (raw RESP2 replies compared
exactly) and embedded (redis-py's exception texts compared with Redis's). The users
made here are deleted again: the servers are shared by the whole session.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Callable

import pytest
import redis
import redlite
from conftest import Server
from differential import EmbeddedRaw, RawClient
from redlite import _native

SET_DENIED = ["+@all", "-set", "~*", "&*"]
ONLY_X_KEYS = ["+@all", "~x*", "resetchannels"]


class Raw:
    """One target over RESP: an admin connection and a client connection."""

    def __init__(self, port: int) -> None:
        self.admin = RawClient(port)
        self.client = RawClient(port)

    def setuser(self, name: str, rules: Sequence[str]) -> None:
        assert self.admin.execute(
            ["ACL", "SETUSER", name, "reset", "on", ">pw", *rules]
        ) == ("simple", b"OK")

    def run(self, argv: list[str]) -> object:
        return self.client.execute(argv)

    def as_admin(self, argv: list[str]) -> object:
        return self.admin.execute(argv)

    def close(self) -> None:
        self.admin.close()
        self.client.close()


def scenario(
    target: Raw, user: str, rules: Sequence[str], steps: Callable[[Raw], list[object]]
) -> list[object]:
    target.as_admin(["ACL", "LOG", "RESET"])
    target.setuser(user, rules)
    try:
        assert target.run(["AUTH", user, "pw"]) == ("simple", b"OK")
        out = steps(target)
        log = target.as_admin(["ACL", "LOG", "1"])
        out.append(log_summary(log))
        return out
    finally:
        target.run(["AUTH", "default", "x"])  # back to default (nopass accepts any)
        target.as_admin(["ACL", "DELUSER", user])


def log_summary(log: object) -> dict[str, object]:
    """The deterministic fields of the newest ACL LOG entry."""
    kind, entries = log  # type: ignore[misc]
    assert kind == "array" and entries, log
    _, fields = entries[0]
    pairs = dict(zip(fields[0::2], fields[1::2]))
    return {
        k: pairs[("bulk", k.encode())]
        for k in ("reason", "context", "object", "username")
        if ("bulk", k.encode()) in pairs
    } or pairs


def both(
    redis_server: Server,
    redlite_server: Server,
    user: str,
    rules: Sequence[str],
    steps: Callable[[Raw], list[object]],
) -> list[object]:
    real, lite = Raw(redis_server.port), Raw(redlite_server.port)
    try:
        want = scenario(real, user, rules, steps)
        got = scenario(lite, user, rules, steps)
    finally:
        real.close()
        lite.close()
    assert got == want
    return want


def test_script_may_not_run_a_denied_command(
    redis_server: Server, redlite_server: Server
) -> None:
    def steps(t: Raw) -> list[object]:
        return [
            t.run(["EVAL", "return redis.call('set','a','b')", "0"]),
            t.run(["EVAL", "return redis.pcall('set','a','b')", "0"]),
            t.run(["EVAL", "return redis.call('get','a')", "0"]),
        ]

    out = both(redis_server, redlite_server, "acl_t_script", SET_DENIED, steps)
    assert "can't run this command" in str(out[0])


def test_script_may_not_touch_a_denied_key_or_channel(
    redis_server: Server, redlite_server: Server
) -> None:
    def steps(t: Raw) -> list[object]:
        return [
            t.run(["EVAL", "return redis.call('get','a')", "0"]),
            t.run(["EVAL", "return redis.call('get','xa')", "0"]),
            t.run(["EVAL", "return redis.call('publish','ch','m')", "0"]),
        ]

    out = both(redis_server, redlite_server, "acl_t_keys", ONLY_X_KEYS, steps)
    assert "keys mentioned" in str(out[0])


class EmbeddedTarget(Raw):
    """The same, in-process: two sessions of one engine."""

    def __init__(self) -> None:
        db = _native.Db()
        self.admin = EmbeddedRaw(db)  # type: ignore[assignment]
        self.client = EmbeddedRaw(db)  # type: ignore[assignment]


# redis.acl_check_cmd(command, args...): whether the script's user may run it (its
# keys and channels too), as Redis's ACLCheckAllUserCommandPerm: no arity check, a
# container alone is the container, an unknown command or subcommand is an error.
ACL_CHECK_SCRIPT = """
local out = {}
for i, c in ipairs({{'get','allowed:1'}, {'get','other'}, {'get'}, {'set','allowed:1','v'},
                    {'publish','chan','m'}, {'publish','nope','m'}, {'client','info'},
                    {'client','list'}, {'client'}, {'config','get','port'}, {'acl','whoami'},
                    {'GET','allowed:2'}, {'eval','return 1','1','other'}}) do
  out[i] = tostring(redis.acl_check_cmd(unpack(c)))
end
return out
"""
ACL_CHECK_RULES = [
    "+get",
    "+eval",
    "+publish",
    "+client|info",
    "+acl",
    "~allowed:*",
    "&chan",
]


def _acl_check(target: Raw, user: str) -> list[object]:
    """The checks as `user`, then ACL LOG: acl_check_cmd leaves no entry."""
    target.as_admin(["ACL", "LOG", "RESET"])
    target.setuser(user, ACL_CHECK_RULES)
    try:
        assert target.run(["AUTH", user, "pw"]) == ("simple", b"OK")
        return [
            target.run(["EVAL", ACL_CHECK_SCRIPT, "0"]),
            target.run(["EVAL", "return redis.acl_check_cmd('nosuch')", "0"]),
            target.run(["EVAL", "return redis.acl_check_cmd('client','nosuch')", "0"]),
            target.run(["EVAL", "return redis.acl_check_cmd()", "0"]),
            target.run(["EVAL", "return redis.acl_check_cmd({})", "0"]),
            target.run(["EVAL", "return {pcall(redis.acl_check_cmd, 'nosuch')}", "0"]),
            target.as_admin(["ACL", "LOG"]),
        ]
    finally:
        target.run(["AUTH", "default", "x"])  # back to default (nopass accepts any)
        target.as_admin(["ACL", "DELUSER", user])


@pytest.mark.parametrize("where", ["server", "embedded"])
def test_lua_acl_check_cmd_is_the_users(
    redis_server: Server, redlite_server: Server, where: str
) -> None:
    real = Raw(redis_server.port)
    lite = Raw(redlite_server.port) if where == "server" else EmbeddedTarget()
    try:
        want = _acl_check(real, "acl_t_check")
        got = _acl_check(lite, "acl_t_check")
    finally:
        real.close()
        lite.close()
    assert got == want
    # Spelled out: what Redis 7.0 answers.
    assert want[0] == (
        "array",
        [
            ("bulk", v)
            for v in (
                b"true",
                b"false",
                b"true",
                b"false",
                b"true",
                b"false",
                b"true",
                b"false",
                b"false",
                b"false",
                b"true",
                b"true",
                b"false",
            )
        ],
    )
    assert want[-1] == ("array", [])


def test_lua_acl_check_cmd_default_user(
    redis_server: Server, redlite_server: Server
) -> None:
    """The default user may run everything: every check is true."""
    for target in (Raw(redis_server.port), Raw(redlite_server.port), EmbeddedTarget()):
        try:
            reply = target.run(["EVAL", ACL_CHECK_SCRIPT, "0"])
            assert reply == ("array", [("bulk", b"true")] * 13), reply
        finally:
            target.close()


def test_exec_checks_rules_changed_after_queueing(
    redis_server: Server, redlite_server: Server
) -> None:
    def steps(t: Raw) -> list[object]:
        out = [t.run(["MULTI"]), t.run(["SET", "a", "1"]), t.run(["GET", "a"])]
        t.as_admin(["ACL", "SETUSER", "acl_t_exec", "-set"])
        out.append(t.run(["EXEC"]))
        return out

    out = both(redis_server, redlite_server, "acl_t_exec", ["+@all", "~*", "&*"], steps)
    assert "ACLs rules changed" in str(out[3])


def test_queued_denied_command_aborts_exec(
    redis_server: Server, redlite_server: Server
) -> None:
    def steps(t: Raw) -> list[object]:
        return [
            t.run(["MULTI"]),
            t.run(["SET", "a", "1"]),
            t.run(["GET", "a"]),
            t.run(["EXEC"]),
        ]

    both(redis_server, redlite_server, "acl_t_queue", SET_DENIED, steps)


def test_embedded_scripts_and_exec_obey_the_user(
    redis_server: Server, tmp_path: Path
) -> None:
    def run(admin: redis.Redis, client: redis.Redis) -> list[str]:
        admin.execute_command(
            "ACL", "SETUSER", "acl_t_emb", "reset", "on", ">pw", *SET_DENIED
        )
        client.execute_command("AUTH", "acl_t_emb", "pw")
        out = []
        for script in (
            "return redis.call('set','a','b')",
            "return redis.call('get','a')",
        ):
            try:
                out.append(repr(client.eval(script, 0)))
            except redis.ResponseError as e:
                out.append(f"error: {e}")
        pipe = client.pipeline(transaction=True)
        pipe.get("a")
        pipe.set("a", "1")
        try:
            out.append(repr(pipe.execute()))
        except redis.RedisError as e:
            out.append(f"{type(e).__name__}: {e}")
        admin.execute_command("ACL", "DELUSER", "acl_t_emb")
        return out

    real_admin = redis.Redis(port=redis_server.port)
    real_client = redis.Redis(port=redis_server.port, single_connection_client=True)
    path = str(tmp_path / "acl.db")
    lite_admin = redlite.Redis(path)
    lite_client = redlite.Redis(path, single_connection_client=True)
    try:
        want = run(real_admin, real_client)
        got = run(lite_admin, lite_client)
    finally:
        for c in (real_admin, real_client, lite_admin, lite_client):
            c.close()
    assert got == want
    assert "can't run this command" in want[0]


def test_client_list_shows_the_authenticated_user(redlite_server: Server) -> None:
    admin = RawClient(redlite_server.port)
    client = RawClient(redlite_server.port)
    try:
        admin.execute(
            ["ACL", "SETUSER", "acl_t_list", "reset", "on", ">pw", "+@all", "~*"]
        )
        assert client.execute(["AUTH", "acl_t_list", "pw"]) == ("simple", b"OK")
        kind, info = client.execute(["CLIENT", "INFO"])
        assert kind == "bulk" and b" user=acl_t_list " in info, info
        client.execute(["AUTH", "default", "x"])
        kind, info = client.execute(["CLIENT", "INFO"])
        assert b" user=default " in info, info
    finally:
        admin.execute(["ACL", "DELUSER", "acl_t_list"])
        admin.close()
        client.close()
