"""Security: what a restricted user can reach, against Redis 7.0.

Every case runs on real Redis and on redlite-server (raw RESP replies compared
exactly) and, where the path exists in-process, on the embedded client
(``redlite.Redis`` logged in with a username and password, its exception texts
compared with Redis's).

The restricted user is Redis's classic read-only account::

    ACL SETUSER <name> on >pw ~app:* +@read

Users made here are deleted again: the servers are shared by the whole session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import redis
import redlite
from conftest import Server
from differential import RawClient

RO = "sec_ro"
RO_RULES = ["on", ">pw", "~app:*", "+@read"]

# The container commands whose every subcommand is tried (MEMORY and LATENCY are
# tried where the servers have them).
CONTAINERS = [
    "CONFIG",
    "ACL",
    "CLIENT",
    "SCRIPT",
    "FUNCTION",
    "OBJECT",
    "XINFO",
    "XGROUP",
    "MEMORY",
    "COMMAND",
    "PUBSUB",
    "SLOWLOG",
    "LATENCY",
]

# An argument that is no key the user may touch (nor a number, a user or a client).
OTHER = "other:k"


def _admin(port: int) -> RawClient:
    return RawClient(port)


def _make_user(port: int, name: str, rules: Sequence[str]) -> None:
    c = _admin(port)
    try:
        c.execute(["ACL", "DELUSER", name])
        assert c.execute(["ACL", "SETUSER", name, "reset", *rules]) == (
            "simple",
            b"OK",
        )
    finally:
        c.close()


def _drop_user(port: int, name: str) -> None:
    c = _admin(port)
    try:
        c.execute(["ACL", "DELUSER", name])
    finally:
        c.close()


def _login(port: int, name: str = RO) -> RawClient:
    c = RawClient(port)
    assert c.execute(["AUTH", name, "pw"]) == ("simple", b"OK")
    return c


@pytest.fixture
def ro_user(redis_server: Server, redlite_server: Server) -> Iterator[None]:
    for s in (redis_server, redlite_server):
        _make_user(s.port, RO, RO_RULES)
    yield
    for s in (redis_server, redlite_server):
        _drop_user(s.port, RO)


def _subcommands(port: int) -> dict[str, list[tuple[str, int]]]:
    """Each container's subcommands and their arities, from COMMAND INFO."""
    c = _admin(port)
    try:
        kind, infos = c.execute(["COMMAND", "INFO", *CONTAINERS])
    finally:
        c.close()
    assert kind == "array"
    out: dict[str, list[tuple[str, int]]] = {}
    for name, info in zip(CONTAINERS, infos):
        if info[0] != "array":
            continue  # the server has no such command
        subs = info[1][9][1] if len(info[1]) > 9 else []
        out[name] = [
            (sub[1][0][1].decode().split("|", 1)[1], sub[1][1][1]) for sub in subs
        ]
    return out


def _arities(arity: int) -> list[int]:
    """The argument counts to try: the minimum, and one past it for a variadic."""
    return [abs(arity)] if arity > 0 else [-arity, -arity + 2]


def _matrix(port: int) -> list[list[str]]:
    cases = []
    for container, subs in _subcommands(port).items():
        for sub, arity in subs:
            for argc in _arities(arity):
                cases.append([container, sub.upper()] + [OTHER] * (argc - 2))
    return cases


def _log_head(admin: RawClient) -> dict[bytes, Any] | None:
    kind, entries = admin.execute(["ACL", "LOG", "1"])
    assert kind == "array"
    if not entries:
        return None
    _, fields = entries[0]
    pairs = dict(zip(fields[0::2], fields[1::2]))
    return {
        k[1]: v
        for k, v in pairs.items()
        if k[1] in (b"reason", b"context", b"object", b"username")
    }


def _run_matrix(port: int, cases: list[list[str]]) -> list[tuple[Any, ...]]:
    """Each case as the restricted user: its reply, its ACL LOG entry, its DRYRUN."""
    admin, ro = _admin(port), _login(port)
    out = []
    try:
        for argv in cases:
            admin.execute(["ACL", "LOG", "RESET"])
            reply = ro.execute(argv)
            log = _log_head(admin)
            dry = admin.execute(["ACL", "DRYRUN", RO, *argv])
            out.append((argv, reply, log, dry))
    finally:
        admin.close()
        ro.close()
    return out


def _is_unknown(reply: Any) -> bool:
    return reply[0] == "error" and reply[1].startswith(
        ("ERR unknown subcommand", "ERR unknown command")
    )


def test_every_container_subcommand_is_checked_at_its_min_and_max_arity(
    redis_server: Server, redlite_server: Server, ro_user: None
) -> None:
    """issue 15 item 1: a subcommand given exactly its minimum count skipped ACL."""
    cases = _matrix(redis_server.port)
    assert len(cases) > 100
    want = _run_matrix(redis_server.port, cases)
    got = _run_matrix(redlite_server.port, cases)
    checked, wrong = 0, []
    for (argv, w_reply, w_log, w_dry), (_, g_reply, g_log, g_dry) in zip(want, got):
        if _is_unknown(g_reply):
            # A command or subcommand redlite lacks cannot be a hole; DRYRUN says so.
            assert g_dry == ("error", f"ERR Command '{argv[0]}' not found"), argv
            continue
        if w_reply[0] == "error" and w_reply[1].startswith("NOPERM"):
            checked += 1
            if (g_reply, g_log) != (w_reply, w_log):
                wrong.append((argv, g_reply, w_reply, g_log, w_log))
        elif g_reply[0] == "error" and g_reply[1].startswith("NOPERM"):
            # Allowed by Redis (not a permission matter): redlite must not refuse it.
            wrong.append((argv, g_reply, w_reply))
        if g_dry != w_dry:
            wrong.append((argv, "DRYRUN", g_dry, w_dry))
    assert wrong == []
    assert checked > 100


def test_the_reported_takeover_is_refused(
    redis_server: Server, redlite_server: Server, ro_user: None
) -> None:
    """The repro of item 1: CONFIG SET requirepass as a +@read user."""
    for s in (redis_server, redlite_server):
        ro = _login(s.port)
        try:
            assert ro.execute(["CONFIG", "SET", "requirepass", "owned"]) == (
                "error",
                "NOPERM this user has no permissions to run the 'config|set' command",
            )
            assert ro.execute(["CONFIG", "GET", "requirepass"])[0] == "error"
            assert ro.execute(["ACL", "GETUSER", "default"])[0] == "error"
            assert ro.execute(["ACL", "DELUSER", "default"])[0] == "error"
        finally:
            ro.close()


def test_subcommand_errors_come_before_permissions(
    redis_server: Server, redlite_server: Server, ro_user: None
) -> None:
    """Unknown subcommands and wrong counts are answered as such, before NOPERM, and
    DRYRUN says what Redis's DRYRUN says of them."""
    cases = [
        ["CONFIG"],
        ["CONFIG", "NOSUCH"],
        ["CONFIG", "GET"],
        ["CONFIG", "SET", "x"],
        ["OBJECT", "ENCODING"],
        ["OBJECT", "ENCODING", "a", "b"],
        ["XINFO", "STREAM"],
        ["CLIENT", "KILL"],
    ]
    replies = {}
    for s in (redis_server, redlite_server):
        admin, ro = _admin(s.port), _login(s.port)
        try:
            replies[s.name] = [
                (ro.execute(a), admin.execute(["ACL", "DRYRUN", RO, *a])) for a in cases
            ]
        finally:
            admin.close()
            ro.close()
    assert replies["redlite-server"] == replies["redis-server"]


def test_unauthenticated_subcommand_errors(
    redis_server: Server, redlite_server: Server
) -> None:
    """With requirepass set, an unauthenticated client gets the same order of errors:
    lookup and arity first, NOAUTH after."""
    cases = [["CONFIG", "NOSUCH"], ["CONFIG", "GET"], ["CONFIG", "GET", "port"]]
    replies = {}
    for s in (redis_server, redlite_server):
        admin = _admin(s.port)
        assert admin.execute(["CONFIG", "SET", "requirepass", "sec-pw"]) == (
            "simple",
            b"OK",
        )
        # A client that connects now must authenticate (those before stay logged in).
        stranger = RawClient(s.port)
        try:
            replies[s.name] = [stranger.execute(a) for a in cases]
        finally:
            assert admin.execute(["CONFIG", "SET", "requirepass", ""]) == (
                "simple",
                b"OK",
            )
            admin.close()
            stranger.close()
    assert replies["redlite-server"] == replies["redis-server"]
    assert replies["redis-server"][2] == ("error", "NOAUTH Authentication required.")


def _embedded_pair(path: str) -> tuple[redlite.Redis, redlite.Redis]:
    admin = redlite.Redis(path)
    admin.execute_command("ACL", "DELUSER", RO)
    assert admin.execute_command("ACL", "SETUSER", RO, "reset", *RO_RULES)
    ro = redlite.Redis(path, username=RO, password="pw")
    return admin, ro


def _text(v: Any) -> Any:
    return v.decode() if isinstance(v, bytes) else v


def _py_outcome(client: Any, argv: Sequence[str]) -> tuple[str, Any]:
    try:
        return ("ok", client.execute_command(*argv))
    except redis.ResponseError as e:
        return (type(e).__name__, str(e))


def test_embedded_container_subcommands_are_checked(
    redis_server: Server, ro_user: None, tmp_path: Path
) -> None:
    """The same matrix in-process, through redlite.Redis logged in as the user."""
    cases = _matrix(redis_server.port)
    real = redis.Redis(port=redis_server.port, username=RO, password="pw")
    admin, ro = _embedded_pair(str(tmp_path / "acl.db"))
    checked = 0
    try:
        for argv in cases:
            want = _py_outcome(real, argv)
            if want[0] != "NoPermissionError":
                continue
            admin.execute_command("ACL", "LOG", "RESET")
            got = _py_outcome(ro, argv)
            if got[0] == "ResponseError" and got[1].startswith(
                ("unknown subcommand", "unknown command")
            ):
                continue
            assert got == want, argv
            log = admin.execute_command("ACL", "LOG", "1")
            assert log, argv
            entry = {_text(k): v for k, v in log[0].items()}
            assert _text(entry["username"]) == RO, argv
            checked += 1
    finally:
        real.close()
        ro.close()
        admin.close()
    assert checked > 100


# -- SORT's BY and GET patterns (issue 15 item 5) ---------------------------------------


def _sort_cases() -> list[list[str]]:
    return [
        ["SORT", "app:list", "BY", "nosort", "GET", "other:*"],
        ["SORT", "app:list", "BY", "nosort", "GET", "#"],
        ["SORT", "app:list", "BY", "nosort", "GET", "app:*"],
        ["SORT", "app:list", "BY", "nosort"],
        ["SORT", "app:list", "BY", "other:*"],
        ["SORT", "app:list", "BY", "app:w_*"],
        ["SORT", "app:list", "BY", "app:w_*->f"],
        ["SORT", "app:list", "GET", "other:*", "BY", "other:*"],
        ["SORT", "app:list", "BY", "other:*", "GET", "other:*"],
        ["SORT", "app:list", "BY", "nosort", "GET", "other:*", "STORE", "app:dst"],
        ["SORT", "app:list", "BY", "other:*", "STORE", "app:dst"],
        ["SORT", "app:list", "STORE", "app:dst"],
        ["SORT", "app:list", "GET", "other:*", "STORE", "other:dst"],
        ["SORT_RO", "app:list", "BY", "nosort", "GET", "other:*"],
        ["SORT_RO", "app:list", "BY", "other:*"],
        ["SORT_RO", "app:list", "ALPHA"],
        [
            "EVAL",
            "return redis.call('sort', KEYS[1], 'get', 'other:*')",
            "1",
            "app:list",
        ],
        ["EVAL", "return redis.call('sort', KEYS[1], 'by', 'x*')", "1", "app:list"],
        ["EVAL", "return redis.call('sort', KEYS[1], 'by', 'nosort')", "1", "app:list"],
        ["GET", "app:dst"],
        ["EXISTS", "other:dst"],
    ]


# Users whose key rules allow or refuse the patterns: Redis's test "Test sort with ACL
# permissions" (unit/acl) and the issue's `~app:*` account.
SORT_USERS = {
    "app_only": ["on", ">pw", "~app:*", "+@all"],
    "app_and_other": ["on", ">pw", "~app:*", "~other:*", "+@all"],
    "write_all": ["on", ">pw", "~app:*", "%W~*", "+@all"],
    "read_all": ["on", ">pw", "~app:*", "%R~*", "+@all"],
    "all_keys": ["on", ">pw", "allkeys", "+@all"],
    "selector": ["on", ">pw", "~app:*", "+@all", "(~* +sort_ro)"],
}


def _sort_run(port: int, user: str, rules: list[str]) -> list[Any]:
    admin = _admin(port)
    try:
        admin.execute(["FLUSHALL"])
        admin.execute(["RPUSH", "app:list", "2", "1", "3"])
        for i in ("1", "2", "3"):
            admin.execute(["SET", "other:" + i, "secret" + i])
            admin.execute(["SET", "app:" + i, "mine" + i])
            admin.execute(["SET", "app:w_" + i, str(10 - int(i))])
        _make_user(port, "sec_sort", rules)
        c = _login(port, "sec_sort")
        try:
            out = [c.execute(argv) for argv in _sort_cases()]
        finally:
            c.close()
        out.append(admin.execute(["GET", "other:dst"]))
        return out
    finally:
        _drop_user(port, "sec_sort")
        admin.execute(["FLUSHALL"])
        admin.close()


@pytest.mark.parametrize("user", sorted(SORT_USERS))
def test_sort_patterns_respect_key_permissions(
    redis_server: Server, redlite_server: Server, user: str
) -> None:
    want = _sort_run(redis_server.port, user, SORT_USERS[user])
    got = _sort_run(redlite_server.port, user, SORT_USERS[user])
    for argv, w, g in zip(_sort_cases() + [["GET other:dst"]], want, got):
        assert g == w, argv
    if user == "app_only":
        assert want[0] == (
            "error",
            "ERR GET option of SORT denied due to insufficient ACL permissions.",
        )
        assert want[4] == (
            "error",
            "ERR BY option of SORT denied due to insufficient ACL permissions.",
        )


def test_sort_patterns_embedded(redis_server: Server, tmp_path: Path) -> None:
    """The `~app:*` account in-process: the same refusals, nothing copied by STORE."""
    path = str(tmp_path / "sort.db")
    admin = redlite.Redis(path)
    real_admin = redis.Redis(port=redis_server.port)
    outcomes = {}
    for name, adm, make in (
        (
            "real",
            real_admin,
            lambda: redis.Redis(
                port=redis_server.port, username="sec_sort", password="pw"
            ),
        ),
        (
            "embedded",
            admin,
            lambda: redlite.Redis(path, username="sec_sort", password="pw"),
        ),
    ):
        adm.flushall()
        adm.rpush("app:list", 2, 1, 3)
        adm.set("other:1", "secret")
        adm.execute_command(
            "ACL", "SETUSER", "sec_sort", "reset", *SORT_USERS["app_only"]
        )
        c = make()
        try:
            outcomes[name] = [_py_outcome(c, argv) for argv in _sort_cases()]
            outcomes[name].append(adm.lrange("app:dst", 0, -1))
        finally:
            c.close()
            adm.execute_command("ACL", "DELUSER", "sec_sort")
            adm.flushall()
    real_admin.close()
    admin.close()
    assert outcomes["embedded"] == outcomes["real"]


# -- EXEC while a script is busy (issue 15 item 7) ----------------------------------------

SPIN = "local i = 0 while true do i = i + 1 end"


def _outcome(client: Any, *argv: Any) -> tuple[str, Any]:
    try:
        return ("ok", client.execute_command(*argv))
    except redis.ResponseError as e:
        return (type(e).__name__, str(e))


class _Busy:
    """An endless script on its own connection, and a watcher that waits for BUSY."""

    def __init__(self, make: Any) -> None:
        self.runner = make()
        self.watcher = make()
        self.watcher.config_set("busy-reply-threshold", 10)
        self.thread = threading.Thread(target=self._run)
        self.thread.start()
        deadline = time.monotonic() + 10
        while True:
            assert time.monotonic() < deadline, "the script never got busy"
            try:
                self.watcher.ping()
            except redis.ResponseError as e:
                if str(e).startswith("BUSY"):
                    break
            time.sleep(0.01)

    def _run(self) -> None:
        try:
            self.runner.eval(SPIN, 0)
        except redis.ResponseError:
            pass

    def kill(self) -> None:
        self.watcher.script_kill()
        self.thread.join(10)
        assert not self.thread.is_alive()
        self.watcher.config_set("busy-reply-threshold", 5000)
        self.watcher.close()
        self.runner.close()


def _multi_and_busy(make: Any, scenario: str) -> list[Any]:
    """Redis's unit/multi "MULTI and script timeout", "EXEC and script timeout" and
    "just EXEC and script timeout", step by step."""
    r2 = make()
    r2.set("xx", 1)
    out: list[Any] = []
    if scenario == "multi during busy":
        busy = _Busy(make)
        out.append(_outcome(r2, "MULTI"))
        out.append(_outcome(r2, "INCR", "xx"))
        busy.kill()
        out.append(_outcome(r2, "INCR", "xx"))
        out.append(_outcome(r2, "EXEC"))
    else:
        out.append(_outcome(r2, "MULTI"))
        out.append(_outcome(r2, "INCR", "xx"))
        busy = _Busy(make)
        if scenario == "exec during busy":
            out.append(_outcome(r2, "INCR", "xx"))
        out.append(_outcome(r2, "EXEC"))
        busy.kill()
    out.append(r2.get("xx"))
    # No longer in MULTI: PING answers at once.
    out.append(_outcome(r2, "PING", "asdf"))
    # Outside MULTI too, EXEC refused by a busy script says so, and unwatches.
    r2.close()
    return out


@pytest.fixture
def busy_targets(redis_server: Server, redlite_server: Server, tmp_path: Path):
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


@pytest.mark.parametrize(
    "scenario", ["multi during busy", "exec during busy", "just exec during busy"]
)
def test_exec_while_a_script_is_busy(
    busy_targets: dict[str, Any], scenario: str
) -> None:
    got = {name: _multi_and_busy(make, scenario) for name, make in busy_targets.items()}
    assert got["server"] == got["real"]
    assert got["embedded"] == got["real"]
    if scenario != "multi during busy":
        assert got["real"][-3] == (
            "ExecAbortError",
            "Transaction discarded because of: BUSY Redis is busy running a script. "
            "You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
        )
    assert got["real"][-2] == b"1"


def test_exec_refused_for_other_reasons_aborts_too(
    redis_server: Server, redlite_server: Server
) -> None:
    """Any refusal of EXEC itself (its arity, a permission) discards the transaction."""

    def run(port: int) -> list[Any]:
        _make_user(port, "sec_noexec", ["on", ">pw", "~*", "+@all", "-exec"])
        c = _login(port, "sec_noexec")
        try:
            return [
                c.execute(["MULTI"]),
                c.execute(["SET", "a", "1"]),
                c.execute(["EXEC", "extra"]),
                c.execute(["PING", "out"]),
                c.execute(["MULTI"]),
                c.execute(["EXEC"]),
                c.execute(["PING", "out"]),
                c.execute(["EXEC"]),
            ]
        finally:
            c.close()
            _drop_user(port, "sec_noexec")

    assert run(redlite_server.port) == run(redis_server.port)


# -- error texts echo the client's bytes (issue 15 item 16) ------------------------------

RAW_CASES = [
    [b"NOSUCH\xff\xfe", b"a\xc3", b"\x80b"],
    [b"\xe9t\xe9"],
    [b"CONFIG", b"G\xffT"],
    [b"CLIENT", b"\xff" * 200],
    [b"OBJECT", b"enc\x00\xff"],
    [b"XINFO", b"\xfe\xff"],
    [b"XGROUP", b"\xfe\xff", b"k"],
    [b"ACL", b"DRYRUN", b"default", b"NOSUCH\xff"],
    [b"ACL", b"DRYRUN", b"default", b"CONFIG", b"\xff"],
    [b"MULTI"],
    [b"N\xffPE"],
    [b"EXEC"],
]


def _raw_lines(port: int) -> list[bytes]:
    """Each case's reply line, as the bytes on the wire."""
    c = RawClient(port)
    out = []
    try:
        for argv in RAW_CASES:
            c.send(argv)
            out.append(c._line())
    finally:
        c.close()
    return out


def test_error_texts_echo_raw_bytes(
    redis_server: Server, redlite_server: Server
) -> None:
    want = _raw_lines(redis_server.port)
    assert want[0] == (
        b"-ERR unknown command 'NOSUCH\xff\xfe', with args beginning with: "
        b"'a\xc3' '\x80b' "
    )
    assert _raw_lines(redlite_server.port) == want


def test_error_texts_embedded_decode_as_redis_py(
    redis_server: Server, tmp_path: Path
) -> None:
    """redis-py decodes error bytes itself (UTF-8, "replace"): the embedded client
    hands it the same bytes, so the texts match."""
    real = redis.Redis(port=redis_server.port)
    lite = redlite.Redis(str(tmp_path / "bytes.db"))
    try:
        for argv in RAW_CASES[:9]:
            assert _py_outcome(lite, argv) == _py_outcome(real, argv), argv
    finally:
        real.close()
        lite.close()


def test_error_with_a_line_break_in_client_bytes_is_one_line(
    redis_server: Server, redlite_server: Server, tmp_path: Path
) -> None:
    """Found by fuzz/command_args: a consumer group named "\\r" came back inside the
    NOGROUP text with its CR (the RESP encoder mapped it, the embedded client did not)."""
    argv = ["XAUTOCLAIM", "s", "g\r\nx", "c", "0", "0-0"]
    real = redis.Redis(port=redis_server.port)
    server = redis.Redis(port=redlite_server.port)
    lite = redlite.Redis(str(tmp_path / "crlf.db"))
    try:
        got = []
        for c in (real, server, lite):
            c.delete("s")
            c.xadd("s", {"f": "v"})
            got.append(_py_outcome(c, argv))
            c.delete("s")
    finally:
        real.close()
        server.close()
        lite.close()
    assert got[0] == (
        "ResponseError",
        "NOGROUP No such key 's' or consumer group 'g  x'",
    )
    assert got[1] == got[0]
    assert got[2] == got[0]
