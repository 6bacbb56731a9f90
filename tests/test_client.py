"""CLIENT: differential against a real Redis where the reply is deterministic, and
CLIENT LIST / INFO compared by structure (field names and order, the fields that
must agree)."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest
import redis
from differential import (
    REDIS_72_CLIENT_FIELDS,
    EmbeddedRaw,
    RawClient,
    cases_params,
    check,
)
from redlite import _native

CASES = {
    "names": [
        ("CLIENT", "GETNAME"),
        ("CLIENT", "SETNAME", "worker-1"),
        ("CLIENT", "GETNAME"),
        ("CLIENT", "SETNAME", "a b"),
        ("CLIENT", "SETNAME", "a\nb"),
        ("CLIENT", "SETNAME", ""),
        ("CLIENT", "GETNAME"),
        ("CLIENT", "SETNAME"),
        ("CLIENT", "GETNAME", "x"),
    ],
    "errors": [
        ("CLIENT",),
        ("CLIENT", "nosuch"),
        ("CLIENT", "ID", "x"),
        ("CLIENT", "LIST", "TYPE", "nosuch"),
        ("CLIENT", "LIST", "ID", "abc"),
        ("CLIENT", "LIST", "ID", "0"),
        ("CLIENT", "LIST", "ID"),
        ("CLIENT", "LIST", "foo"),
        ("CLIENT", "KILL", "1.2.3.4:5"),
        ("CLIENT", "KILL", "ID", "abc"),
        ("CLIENT", "KILL", "ID", "0"),
        ("CLIENT", "KILL", "ID", "999999"),
        ("CLIENT", "KILL", "ADDR", "1.2.3.4:5"),
        ("CLIENT", "KILL", "LADDR", "1.2.3.4:5"),
        ("CLIENT", "KILL", "TYPE", "nosuch"),
        ("CLIENT", "KILL", "TYPE", "master"),
        ("CLIENT", "KILL", "SKIPME", "maybe"),
        ("CLIENT", "KILL", "foo", "bar"),
        ("CLIENT", "KILL", "ID", "1", "SKIPME"),
        ("CLIENT", "PAUSE", "abc"),
        ("CLIENT", "PAUSE", "-1"),
        ("CLIENT", "PAUSE", "10", "SOME"),
        ("CLIENT", "PAUSE", "10", "WRITE", "x"),
        ("CLIENT", "REPLY", "maybe"),
        ("CLIENT", "NO-EVICT", "maybe"),
        ("CLIENT", "NO-EVICT", "on"),
        ("CLIENT", "NO-EVICT", "off"),
        ("CLIENT", "UNPAUSE"),
        ("CLIENT", "UNBLOCK", "abc"),
        ("CLIENT", "UNBLOCK", "999999"),
        ("CLIENT", "UNBLOCK", "999999", "nope"),
        ("CLIENT", "UNBLOCK", "abc", "nope"),
        ("CLIENT", "UNBLOCK", "-5"),
        ("CLIENT", "UNBLOCK", "0", "error"),
        ("CLIENT", "UNBLOCK", "1", "timeout", "x"),
        ("client", "unblock", "1", "timeout", "x"),
        ("client", "pause", "10", "write", "x"),
        ("CLIENT", "GETREDIR"),
        ("CLIENT", "CACHING", "yes"),
    ],
    "pause_zero": [
        ("CLIENT", "PAUSE", "0"),
        ("CLIENT", "PAUSE", "0", "write"),
        ("SET", "k", "v"),
        ("GET", "k"),
    ],
}


@pytest.mark.parametrize("steps,level", cases_params(CASES))
def test_client(targets, steps, level):
    check(targets, level, steps)


def fields(line: str) -> list[str]:
    return [f.split("=", 1)[0] for f in line.split(" ")]


def parse(line: str) -> dict[str, str]:
    return dict(f.split("=", 1) for f in line.split(" "))


def test_list_and_info_have_redis_fields(real, resp):
    # Redis 7.0's fields, then the two Redis 7.2 appends for CLIENT SETINFO
    # (differential.REDIS_72_CLIENT_FIELDS), which the 7.0 oracle does not have.
    redis70 = fields(real.execute_command("CLIENT", "INFO").decode().strip())
    for client, want in ((real, redis70), (resp, redis70 + REDIS_72_CLIENT_FIELDS)):
        client.execute_command("CLIENT", "SETNAME", "lister")
        client.execute_command("SELECT", "2")
        info = client.execute_command("CLIENT", "INFO").decode()
        assert info.endswith("\n")
        assert fields(info.strip()) == want
        me = parse(info.strip())
        assert me["name"] == "lister" and me["db"] == "2" and me["cmd"] == "client|info"
        assert me["flags"] == "N" and me["user"] == "default"
        assert me["resp"] == str(
            client.connection_pool.connection_kwargs.get("protocol") or 3
        ) or me["resp"] in ("2", "3")
        assert int(me["id"]) == client.client_id()
        # CLIENT LIST has this client, with the same fields; by id too.
        lines = client.execute_command("CLIENT", "LIST").decode().splitlines()
        assert all(fields(line) == want for line in lines)
        assert any(parse(line)["id"] == me["id"] for line in lines)
        only = (
            client.execute_command("CLIENT", "LIST", "ID", me["id"], "99999")
            .decode()
            .splitlines()
        )
        assert [parse(line)["id"] for line in only] == [me["id"]]
        assert parse(only[0])["cmd"] == "client|list"
        normal = client.execute_command("CLIENT", "LIST", "TYPE", "normal").decode()
        assert me["id"] in [parse(line)["id"] for line in normal.splitlines()]
        assert client.execute_command("CLIENT", "LIST", "TYPE", "pubsub") == b""


def test_list_shows_real_addresses(resp, redlite_server):
    raw = RawClient(redlite_server.port)
    try:
        local = raw.sock.getsockname()
        kind, text = raw.execute(["CLIENT", "INFO"])
        me = parse(text.decode().strip())
        assert me["addr"] == f"{local[0]}:{local[1]}"
        assert me["laddr"] == f"127.0.0.1:{redlite_server.port}"
        assert int(me["fd"]) > 0
    finally:
        raw.close()


def test_embedded_client_id_and_name(embedded):
    first = embedded.client_id()
    assert first >= 1
    assert embedded.client_setname("emb") is True
    assert embedded.client_getname() in (b"emb", "emb")
    assert "name=emb" in embedded.execute_command("CLIENT", "INFO").decode()


def _closed(sock: socket.socket) -> bool:
    """True once the peer has closed: recv returns b"" (or the connection resets)."""
    try:
        return sock.recv(1) == b""
    except ConnectionError:
        return True


@pytest.mark.parametrize("how", ["id", "addr", "old"])
def test_kill_closes_the_socket(resp, redlite_server, how):
    victim = RawClient(redlite_server.port)
    try:
        assert victim.execute(["CLIENT", "SETNAME", "victim"]) == ("simple", b"OK")
        vid = victim.execute(["CLIENT", "ID"])[1]
        local = victim.sock.getsockname()
        addr = f"{local[0]}:{local[1]}"
        if how == "id":
            assert resp.execute_command("CLIENT", "KILL", "ID", vid) == 1
        elif how == "addr":
            assert (
                resp.execute_command("CLIENT", "KILL", "ADDR", addr, "SKIPME", "yes")
                == 1
            )
        else:
            assert resp.execute_command("CLIENT", "KILL", addr) in (True, b"OK")
        victim.sock.settimeout(10)
        assert _closed(victim.sock)
        assert "name=victim" not in resp.execute_command("CLIENT", "LIST").decode()
    finally:
        victim.close()


def test_kill_skipme(resp):
    me = resp.client_id()
    assert resp.execute_command("CLIENT", "KILL", "ID", me) == 0
    assert resp.ping() is True


def test_reply_off_skip_on(redlite_server, redis_server):
    for port in (redis_server.port, redlite_server.port):
        c = RawClient(port)
        try:
            # OFF: nothing until ON; SKIP: the next command's reply is dropped.
            c.send(["CLIENT", "REPLY", "OFF"])
            c.send(["SET", "reply-k", "1"])
            c.send(["CLIENT", "REPLY", "ON"])
            assert c.read() == ("simple", b"OK")
            c.send(["CLIENT", "REPLY", "SKIP"])
            c.send(["GET", "reply-k"])
            c.send(["ECHO", "after"])
            assert c.read() == ("bulk", b"after")
            c.execute(["DEL", "reply-k"])
        finally:
            c.close()


def test_pause_write_holds_writes_not_reads(resp, redlite_server):
    other = redis.Redis(port=redlite_server.port)
    try:
        assert resp.execute_command("CLIENT", "PAUSE", 100000, "WRITE") in (True, b"OK")
        raw = RawClient(redlite_server.port)
        try:
            raw.send(["SET", "paused-k", "v"])
            # Reads are served meanwhile; the write waits for UNPAUSE.
            assert other.get("paused-k") is None
            assert resp.execute_command("CLIENT", "UNPAUSE") in (True, b"OK")
            assert raw.read() == ("simple", b"OK")
        finally:
            raw.close()
        assert other.get("paused-k") == b"v"
    finally:
        resp.execute_command("CLIENT", "UNPAUSE")
        other.close()


def test_help_is_redis_with_72_setinfo(real, resp, embedded):
    """CLIENT HELP is the oracle's, plus the four lines Redis 7.2 has for SETINFO after
    SETNAME's (7.2 src/networking.c, clientCommand's help[])."""
    ref = real.execute_command("CLIENT", "HELP")
    at = ref.index(b"    Assign the name <name> to the current connection.") + 1
    want = (
        ref[:at]
        + [
            b"SETINFO <option> <value>",
            b"    Set client meta attr. Options are:",
            b"    * LIB-NAME: the client lib name.",
            b"    * LIB-VER: the client lib version.",
        ]
        + ref[at:]
    )
    assert resp.execute_command("CLIENT", "HELP") == want
    assert embedded.execute_command("CLIENT", "HELP") == want


# -- CLIENT SETINFO: Redis 7.2's, which the 7.0.15 oracle lacks -----------------------
#
# The expected replies are written out from Redis 7.2's src/networking.c
# (clientSetinfoCommand, validateClientAttr, catClientInfoString) and
# src/commands/client-setinfo.json: the attribute is matched case-insensitively, an
# unknown one gives "Unrecognized option '<attr>'", a value outside printable ASCII
# (or with a space) gives "<attr> cannot contain spaces, newlines or special
# characters." with the attribute as the client spelled it, the empty value unsets,
# and error texts have \r and \n turned into spaces (addReplyErrorFormat).

SETINFO_72 = [
    (["CLIENT", "SETINFO", "LIB-NAME", "mylib"], ("simple", b"OK")),
    (["CLIENT", "SETINFO", "lib-ver", "1.2.3"], ("simple", b"OK")),
    (
        ["CLIENT", "SETINFO", "lib-name", "a b"],
        (
            "error",
            "ERR lib-name cannot contain spaces, newlines or special characters.",
        ),
    ),
    (
        ["CLIENT", "SETINFO", "Lib-Ver", "a\nb"],
        ("error", "ERR Lib-Ver cannot contain spaces, newlines or special characters."),
    ),
    (
        ["CLIENT", "SETINFO", "LIB-NAME", b"caf\xc3\xa9"],
        (
            "error",
            "ERR LIB-NAME cannot contain spaces, newlines or special characters.",
        ),
    ),
    (["CLIENT", "SETINFO", "foo", "a b"], ("error", "ERR Unrecognized option 'foo'")),
    (
        ["CLIENT", "SETINFO", "lib\r\nname", "x"],
        ("error", "ERR Unrecognized option 'lib  name'"),
    ),
    (
        ["CLIENT", "SETINFO", "lib-name"],
        ("error", "ERR wrong number of arguments for 'client|setinfo' command"),
    ),
    (
        ["CLIENT", "SETINFO", "lib-name", "x", "y"],
        ("error", "ERR wrong number of arguments for 'client|setinfo' command"),
    ),
]


def _setinfo_clients(port: int) -> list[Any]:
    return [RawClient(port), EmbeddedRaw(_native.Db())]


def test_setinfo_replies_are_redis_72(redlite_server):
    for client in _setinfo_clients(redlite_server.port):
        try:
            for argv, want in SETINFO_72:
                assert client.execute(argv) == want, (client, argv)
            # The refused values changed nothing: 7.2 appends the two fields after resp=.
            kind, text = client.execute(["CLIENT", "INFO"])
            line = text.decode().strip()
            assert line.endswith(" lib-name=mylib lib-ver=1.2.3"), line
            assert fields(line)[-3:] == ["resp"] + REDIS_72_CLIENT_FIELDS
            # The empty value unsets; a new value replaces.
            assert client.execute(["CLIENT", "SETINFO", "lib-name", ""]) == (
                "simple",
                b"OK",
            )
            assert client.execute(["CLIENT", "SETINFO", "LIB-VER", "2.0"]) == (
                "simple",
                b"OK",
            )
            kind, text = client.execute(
                ["CLIENT", "LIST", "ID", str(parse(line)["id"])]
            )
            assert text.decode().strip().endswith(" lib-name= lib-ver=2.0"), text
        finally:
            client.close()


def test_setinfo_command_entry_is_redis_72(redlite_server):
    """COMMAND INFO / DOCS of client|setinfo: 7.2's client-setinfo.json (arity 4;
    NOSCRIPT LOADING STALE, and SENTINEL which COMMAND INFO does not show; @connection,
    @slow as for every command not @fast). 7.2's `arguments` are left out, as for every
    command (see test_keys._normal_docs)."""
    info = (
        "array",
        [
            (
                "array",
                [
                    ("bulk", b"client|setinfo"),
                    ("int", 4),
                    (
                        "array",
                        [
                            ("simple", b"noscript"),
                            ("simple", b"loading"),
                            ("simple", b"stale"),
                        ],
                    ),
                    ("int", 0),
                    ("int", 0),
                    ("int", 0),
                    ("array", [("simple", b"@slow"), ("simple", b"@connection")]),
                    ("array", []),
                    ("array", []),
                    ("array", []),
                ],
            )
        ],
    )
    docs = (
        "array",
        [
            ("bulk", b"client|setinfo"),
            (
                "array",
                [
                    ("bulk", b"summary"),
                    ("bulk", b"Sets information specific to the client or connection."),
                    ("bulk", b"since"),
                    ("bulk", b"7.2.0"),
                    ("bulk", b"group"),
                    ("bulk", b"connection"),
                    ("bulk", b"complexity"),
                    ("bulk", b"O(1)"),
                ],
            ),
        ],
    )
    for client in _setinfo_clients(redlite_server.port):
        try:
            assert client.execute(["COMMAND", "INFO", "client|setinfo"]) == info
            assert client.execute(["COMMAND", "DOCS", "client|setinfo"]) == docs
        finally:
            client.close()


def test_redis_py_handshake_sets_lib_info(redlite_server):
    """redis-py sends CLIENT SETINFO LIB-NAME / LIB-VER on connect (ignoring an error,
    as from Redis 7.0): against redlite-server it now succeeds and shows in CLIENT LIST."""
    client = redis.Redis(port=redlite_server.port)
    try:
        me = parse(client.execute_command("CLIENT", "INFO").decode().strip())
        assert me["lib-name"].startswith("redis-py"), me
        assert me["lib-ver"] == redis.__version__, me
        listed = [
            parse(line)
            for line in client.execute_command("CLIENT", "LIST").decode().splitlines()
        ]
        assert [
            (c["lib-name"], c["lib-ver"]) for c in listed if c["id"] == me["id"]
        ] == [(me["lib-name"], me["lib-ver"])]
    finally:
        client.close()


def test_embedded_handshake_sets_lib_info(embedded):
    """redlite.Redis's connection sends the same CLIENT SETINFO as redis-py does."""
    me = parse(embedded.execute_command("CLIENT", "INFO").decode().strip())
    assert me["lib-name"].startswith("redis-py"), me
    assert me["lib-ver"] == redis.__version__, me


# -- CLIENT UNBLOCK: a blocked command answers at once -----------------------------------

BLOCKING = [
    ["BLPOP", "ub-list", "0"],
    ["BZPOPMIN", "ub-zset", "0"],
    ["BLMOVE", "ub-list", "ub-other", "LEFT", "RIGHT", "0"],
    ["XREAD", "BLOCK", "0", "STREAMS", "ub-stream", "$"],
]


def _unblock(admin: Any, victim_id: int, *mode: str) -> Any:
    """CLIENT UNBLOCK, retried until the victim's command is blocked (it is sent just
    before), then once more (nothing left to unblock)."""
    deadline = time.monotonic() + 10
    while True:
        reply = admin.execute(["CLIENT", "UNBLOCK", str(victim_id), *mode])
        if reply != ("int", 0) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    return [reply, admin.execute(["CLIENT", "UNBLOCK", str(victim_id), *mode])]


def _unblock_over_resp(port: int, protocol: int) -> list[Any]:
    out: list[Any] = []
    admin, victim = RawClient(port), RawClient(port)
    try:
        if protocol == 3:
            victim.execute(["HELLO", "3"])
        victim_id = victim.execute(["CLIENT", "ID"])[1]
        for argv in BLOCKING:
            for mode in ((), ("TIMEOUT",), ("error",)):
                victim.send(argv)
                out.append(_unblock(admin, victim_id, *mode))
                out.append(victim.read())
        # The unblocked commands wait no more: a push stays in the list.
        out.append(admin.execute(["RPUSH", "ub-list", "x"]))
        out.append(admin.execute(["LLEN", "ub-list"]))
        out.append(victim.execute(["PING"]))
        info = admin.execute(["INFO", "clients"])[1].decode()
        out.append(
            [line for line in info.split("\r\n") if line.startswith("blocked_clients")]
        )
        admin.execute(["DEL", "ub-list", "ub-other", "ub-zset", "ub-stream"])
    finally:
        admin.close()
        victim.close()
    return out


@pytest.mark.parametrize("protocol", [2, 3])
def test_unblock_as_redis(redis_server, redlite_server, protocol):
    want = _unblock_over_resp(redis_server.port, protocol)
    got = _unblock_over_resp(redlite_server.port, protocol)
    assert got == want
    # Spelled out: 1 then 0; the timeout reply is a null array (RESP3: null), ERROR's
    # is Redis's UNBLOCKED error.
    assert want[0] == [("int", 1), ("int", 0)]
    assert want[1] == (("nilarray", None) if protocol == 2 else ("nil", None))
    assert want[5] == ("error", "UNBLOCKED client unblocked via CLIENT UNBLOCK")
    assert want[-4:] == [
        ("int", 1),
        ("int", 1),
        ("simple", b"PONG"),
        ["blocked_clients:0"],
    ]


def test_unblock_embedded():
    db = _native.Db()
    admin, victim = EmbeddedRaw(db), EmbeddedRaw(db)
    victim_id = victim.execute(["CLIENT", "ID"])[1]
    for mode, want in (
        ((), ("nilarray", None)),
        (("ERROR",), ("error", "UNBLOCKED client unblocked via CLIENT UNBLOCK")),
    ):
        replies: list[Any] = []
        t = threading.Thread(
            target=lambda replies=replies: replies.append(
                victim.execute(["BLPOP", "ub-list", "0"])
            )
        )
        t.start()
        assert _unblock(admin, victim_id, *mode) == [("int", 1), ("int", 0)]
        t.join(10)
        assert replies == [want]
    assert admin.execute(["RPUSH", "ub-list", "x"]) == ("int", 1)
    assert admin.execute(["LLEN", "ub-list"]) == ("int", 1)
