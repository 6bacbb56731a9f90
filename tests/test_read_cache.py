"""The read cache (crates/redlite-core/src/cache.rs): a GET answered from memory is
still what the file holds when something else wrote it meanwhile: another process,
or a program writing the SQLite file without redlite."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import redlite
from differential import C, check

WRITER = """
import sys
import redlite
r = redlite.Redis(sys.argv[1])
for i, cmd in enumerate(sys.argv[2:]):
    r.execute_command(*cmd.split())
"""


def other_process(path: str, *commands: str) -> None:
    subprocess.run(
        [sys.executable, "-c", WRITER, path, *commands], check=True, timeout=60
    )


def test_another_process_write_is_seen(tmp_path: Path):
    path = str(tmp_path / "c.db")
    r = redlite.Redis(path)
    r.set("k", "1")
    r.set("gone", "x")
    assert r.get("k") == b"1"  # from memory now
    assert r.get("gone") == b"x"
    other_process(path, "SET k 2", "DEL gone", "SET new n")
    assert r.get("k") == b"2"
    assert r.get("gone") is None
    assert r.get("new") == b"n"
    r.set("k", "3")  # our own write after theirs
    assert r.get("k") == b"3"
    other_process(path, "APPEND k 4")
    assert r.get("k") == b"34"


def test_a_write_without_redlite_is_seen(tmp_path: Path):
    path = str(tmp_path / "c.db")
    r = redlite.Redis(path)
    r.set("k", "1")
    assert r.get("k") == b"1"
    c = sqlite3.connect(path)
    c.execute("UPDATE keys SET value = ? WHERE key = ?", (b"2", b"k"))
    c.commit()
    c.close()
    assert r.get("k") == b"2"


def test_rounds_of_two_processes_agree(tmp_path: Path):
    """Alternating writers, each round checked against a reader with a fresh cache."""
    path = str(tmp_path / "c.db")
    r = redlite.Redis(path)
    for round_ in range(5):
        r.set("mine", round_)
        r.incr("shared")
        assert r.get("mine") == str(round_).encode()
        other_process(path, f"SET theirs {round_}", "INCR shared")
        assert r.get("theirs") == str(round_).encode()
        assert r.get("shared") == str(2 * (round_ + 1)).encode()


def test_cached_gets_answer_as_redis_does(targets):
    """GETs of keys the cache holds (redlite-server answers them on its async workers,
    embedded before any transaction), in the contexts that change a GET's answer."""
    check(
        targets,
        "raw",
        [
            C("SET", "k", "v"),
            C("GET", "k"),
            C("GET", "k"),
            C("GET", "missing"),
            C("MULTI"),
            C("GET", "k"),
            C("SET", "k", "w"),
            C("GET", "k"),
            C("EXEC"),
            C("GET", "k"),
            C("ACL", "SETUSER", "reader", "on", "nopass", "~*", "+@all", "-get"),
            C("AUTH", "reader", "pw"),
            C("GET", "k"),
            C("AUTH", "default", "pw"),
            C("GET", "k"),
            C("ACL", "DELUSER", "reader"),
            C("LPUSH", "l", "x"),
            C("GET", "l"),
            C("GET", "l", "extra"),
            C("SET", "k", "x", "PX", "1"),
            C("GET", "k", sleep=0.01),
            C("SET", "k", "y"),
            C("SELECT", "1"),
            C("GET", "k"),
            C("SELECT", "0"),
            C("GET", "k"),
        ],
    )


def test_cached_gets_count_as_hits(resp):
    resp.set("counted", "1")
    resp.get("counted")  # cached from here on
    before = resp.info("stats")
    for _ in range(5):
        assert resp.get("counted") == b"1"
    after = resp.info("stats")
    assert after["keyspace_hits"] - before["keyspace_hits"] == 5
    assert (
        after["total_commands_processed"] - before["total_commands_processed"] == 6
    )  # and INFO
