"""CLIENT: differential against a real Redis where the reply is deterministic, and
CLIENT LIST / INFO compared by structure (field names and order, the fields that
must agree)."""

from __future__ import annotations

import socket
from typing import Dict, List

import pytest
import redis

from differential import RawClient, cases_params, check

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
        ("CLIENT", "GETREDIR"),
        ("CLIENT", "CACHING", "yes"),
        ("CLIENT", "HELP"),
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


def fields(line: str) -> List[str]:
    return [f.split("=", 1)[0] for f in line.split(" ")]


def parse(line: str) -> Dict[str, str]:
    return dict(f.split("=", 1) for f in line.split(" "))


def test_list_and_info_have_redis_fields(real, resp):
    want = fields(real.execute_command("CLIENT", "INFO").decode().strip())
    for client in (real, resp):
        client.execute_command("CLIENT", "SETNAME", "lister")
        client.execute_command("SELECT", "2")
        info = client.execute_command("CLIENT", "INFO").decode()
        assert info.endswith("\n")
        assert fields(info.strip()) == want
        me = parse(info.strip())
        assert me["name"] == "lister" and me["db"] == "2" and me["cmd"] == "client|info"
        assert me["flags"] == "N" and me["user"] == "default"
        assert me["resp"] == str(client.connection_pool.connection_kwargs.get("protocol") or 3) or me["resp"] in ("2", "3")
        assert int(me["id"]) == client.client_id()
        # CLIENT LIST has this client, with the same fields; by id too.
        lines = client.execute_command("CLIENT", "LIST").decode().splitlines()
        assert all(fields(line) == want for line in lines)
        assert any(parse(line)["id"] == me["id"] for line in lines)
        only = client.execute_command("CLIENT", "LIST", "ID", me["id"], "99999").decode().splitlines()
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
            assert resp.execute_command("CLIENT", "KILL", "ADDR", addr, "SKIPME", "yes") == 1
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
