"""redlite.Redis's fast path (see its docstring): a per-thread connection instead of
the pool, and get/set calling the engine session directly. It must answer exactly
as redis-py's path does."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
import redis
import redlite


@pytest.fixture
def path(tmp_path: Path) -> str:
    return str(tmp_path / "fast.db")


def test_get_and_set_answer_as_redis_py(path):
    r = redlite.Redis(path)
    assert r.set("k", "v") is True
    assert r.set(b"k2", b"\x00\xff") is True
    assert r.set("n", 12) is True and r.get("n") == b"12"
    assert r.set("f", 1.5) is True and r.get("f") == b"1.5"
    assert r.get("k") == b"v"
    assert r.get(b"k2") == b"\x00\xff"
    assert r.get("missing") is None
    # Options go through redis-py's set.
    assert r.set("k", "w", nx=True) is None
    assert r.set("k", "w", get=True) == b"v"
    assert r.set("e", "x", ex=100) is True and 0 < r.ttl("e") <= 100
    with pytest.raises(redis.DataError):
        r.set("b", True)
    with pytest.raises(redis.DataError):
        r.get(object())
    r.rpush("list", "a")
    with pytest.raises(redis.ResponseError, match="WRONGTYPE"):
        r.get("list")


@pytest.mark.parametrize("protocol", [2, 3])
def test_decode_responses(path, protocol):
    r = redlite.Redis(path, decode_responses=True, protocol=protocol)
    assert r.set("k", "é") is True
    assert r.get("k") == "é"
    assert r.get("missing") is None
    assert r.execute_command("GET", "k") == "é"


def test_other_encodings_take_redis_pys_path(path):
    r = redlite.Redis(path, encoding="latin-1")
    assert r.set("k", "é") is True
    assert redlite.Redis(path).get("k") == "é".encode("latin-1")


def test_response_callbacks_apply(path):
    r = redlite.Redis(path)
    r.set_response_callback("GET", lambda v: ("cb", v))
    r.set("k", "v")
    assert r.get("k") == ("cb", b"v")


def test_one_connection_per_thread(path):
    r = redlite.Redis(path)
    ids = {}

    def run(name):
        seen = set()
        for i in range(3):
            r.set(f"k{name}", i)
            seen.add(id(r._fast_connection()))
        ids[name] = seen

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(len(s) == 1 for s in ids.values())
    assert len(set().union(*ids.values())) == 4


def test_db_and_select_stay_with_the_thread(path):
    r = redlite.Redis(path, db=3)
    r.set("k", "in 3")
    assert redlite.Redis(path, db=3).get("k") == b"in 3"
    assert redlite.Redis(path).get("k") is None


def test_close_then_reuse(path):
    r = redlite.Redis(path)
    r.set("k", "v")
    r.close()
    assert r.get("k") == b"v"


def test_single_connection_client(path):
    r = redlite.Redis(path, single_connection_client=True)
    assert r.set("k", "v") is True
    assert r.get("k") == b"v"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_child_opens_its_own(path):
    r = redlite.Redis(path)
    r.set("k", "parent")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        ok = False
        try:
            ok = r.get("k") == b"parent" and r.set("k", "child") is True
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0
    assert r.get("k") == b"child"
