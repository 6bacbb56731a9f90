"""Differential testing: the same commands against real Redis and redlite, compared.

Three targets:

- ``real``: a real ``redis-server`` (the oracle),
- ``server``: ``redlite-server`` over TCP,
- ``embedded``: the engine in this process.

Two levels, each a separate run of the whole sequence on a fresh state:

- ``raw``: the RESP2 reply as a typed tree ``(kind, value)`` that keeps what Python
  values lose (simple vs bulk string, null bulk vs null array). The servers are read
  with :class:`RawClient`, a tiny RESP parser of our own; embedded replies come from
  ``_native.Session.run(...).tree()``.
- ``py2`` / ``py3``: redis-py's ``execute_command(*argv)`` with ``protocol=2`` /
  redis-py's default protocol (RESP3 on the wire for redis-py 8), on a ``redis.Redis``
  to each server and a ``redlite.Redis``: results after response callbacks, or
  ``(exception class, message)``.

A command may carry a normaliser (:data:`UNORDERED`, :data:`SCAN`, :data:`RANDOM`,
:func:`approx`, :data:`SHAPE`) for replies that legitimately differ.
"""

from __future__ import annotations

import os
import socket
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Union

import redis
import redlite
from redlite import _native

Arg = Union[bytes, str, int, float]

LEVELS = ("raw", "py2", "py3")

# Redis 7.2 additions that redlite has and the 7.0 oracle lacks. A decision, not a
# drift: CLIENT SETINFO is implemented with Redis 7.2's semantics because clients
# (redis-py >= 5, Jedis, ...) send it on connect, and 7.2 shows what it sets as two
# fields appended to CLIENT LIST / INFO. Comparisons with the oracle leave out exactly
# these; tests/test_client.py spells out their 7.2 replies by hand.
REDIS_72_COMMANDS = {b"client|setinfo"}
REDIS_72_CLIENT_FIELDS = ["lib-name", "lib-ver"]


# -- a tiny RESP client ---------------------------------------------------------------


class ProtocolError(Exception):
    pass


class RawClient:
    """One TCP connection; replies parsed into typed trees, as ``Reply.tree()``."""

    def __init__(
        self, port: int, host: str = "127.0.0.1", timeout: float = 10.0
    ) -> None:
        self.addr = (host, port)
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.buf = b""
        self.connect()

    def connect(self) -> None:
        self.close()
        self.sock = socket.create_connection(self.addr, timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    @staticmethod
    def encode(argv: Sequence[Arg]) -> bytes:
        out = [b"*%d\r\n" % len(argv)]
        for a in argv:
            b = to_bytes(a)
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        return b"".join(out)

    def send(self, argv: Sequence[Arg]) -> None:
        assert self.sock is not None
        self.sock.sendall(self.encode(argv))

    def execute(self, argv: Sequence[Arg]) -> tuple[str, Any]:
        self.send(argv)
        return self.read()

    def _fill(self) -> None:
        assert self.sock is not None
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise ConnectionError("connection closed by the server")
        self.buf += chunk

    def _line(self) -> bytes:
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2 :]
                return line
            self._fill()

    def _exact(self, n: int) -> bytes:
        while len(self.buf) < n + 2:
            self._fill()
        data, crlf, self.buf = self.buf[:n], self.buf[n : n + 2], self.buf[n + 2 :]
        if crlf != b"\r\n":
            raise ProtocolError(f"bulk not followed by CRLF: {crlf!r}")
        return data

    def read(self) -> tuple[str, Any]:
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return ("simple", rest)
        if t == b"-":
            return ("error", rest.decode("utf-8", "replace"))
        if t == b":":
            return ("int", int(rest))
        if t == b"$":
            n = int(rest)
            return ("nil", None) if n < 0 else ("bulk", self._exact(n))
        if t == b"*":
            n = int(rest)
            return (
                ("nilarray", None)
                if n < 0
                else ("array", [self.read() for _ in range(n)])
            )
        # RESP3 (after HELLO 3)
        if t == b"_":
            return ("nil", None)
        if t == b",":
            return ("double", float(rest))
        if t == b"#":
            return ("bool", rest == b"t")
        if t == b"(":
            return ("int", int(rest))
        if t == b"!":
            return ("error", self._exact(int(rest)).decode("utf-8", "replace"))
        if t == b"=":
            data = self._exact(int(rest))
            return ("verbatim", (data[:3].decode(), data[4:]))
        if t == b"%":
            return ("map", [(self.read(), self.read()) for _ in range(int(rest))])
        if t == b"~":
            return ("set", [self.read() for _ in range(int(rest))])
        if t == b">":
            return ("push", [self.read() for _ in range(int(rest))])
        raise ProtocolError(f"unexpected reply line {line!r}")


def to_bytes(a: Arg) -> bytes:
    if isinstance(a, bytes):
        return a
    if isinstance(a, str):
        return a.encode()
    if isinstance(a, bool):
        raise TypeError("bool argument")
    if isinstance(a, (int, float)):
        return repr(a).encode()
    return bytes(a)


class EmbeddedRaw:
    """The engine in-process, answering with the same trees as :class:`RawClient`."""

    def __init__(self, db: _native.Db) -> None:
        self.db = db
        self.session = _native.Session(db)

    def execute(self, argv: Sequence[Arg]) -> tuple[str, Any]:
        reply = self.session.run([to_bytes(a) for a in argv])
        return reply.tree(reply.protocol)

    def connect(self) -> None:
        self.session = _native.Session(self.db)

    def close(self) -> None:
        pass


# -- normalisers ------------------------------------------------------------------------


def _is_error(v: Any) -> bool:
    return (isinstance(v, tuple) and len(v) == 2 and v[0] == "error") or (
        isinstance(v, tuple) and len(v) == 3 and v[0] in ("EXC", "PYEXC")
    )


class Norm:
    """Compare replies exactly."""

    name = "exact"

    def equal(self, ref: Any, got: Any) -> bool:
        return ref == got

    def __repr__(self) -> str:
        return self.name


class _Unordered(Norm):
    """Arrays whose order is unspecified (KEYS, ...): compare sorted."""

    name = "unordered"

    def key(self, v: Any) -> Any:
        if _is_error(v):
            return v
        if isinstance(v, tuple) and len(v) == 2 and v[0] in ("array", "set"):
            return ("array", sorted(map(repr, v[1])))
        if isinstance(v, (list, set, tuple)):
            return sorted(map(repr, v))
        return v

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


class _Scan(Norm):
    """SCAN-like ``[cursor, [items]]``: cursor done or not, items sorted."""

    name = "scan"

    def key(self, v: Any) -> Any:
        if _is_error(v):
            return v
        if isinstance(v, tuple) and len(v) == 2 and v[0] == "array":
            cursor, items = v[1]
            return ("array", cursor[0], cursor[1] == b"0", sorted(map(repr, items[1])))
        if isinstance(v, (list, tuple)) and len(v) == 2:
            cursor, items = v
            return (int(cursor) == 0, sorted(map(repr, items)))
        return v

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


class _Random(Norm):
    """A random answer (RANDOMKEY): compare only its type and whether it exists."""

    name = "random"

    def key(self, v: Any) -> Any:
        if _is_error(v):
            return v
        if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str):
            return v[0]
        return type(v).__name__

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


class _Shape(Norm):
    """Only the shape: the kind of the reply and, for arrays, of each element."""

    name = "shape"

    def key(self, v: Any) -> Any:
        if _is_error(v):
            return ("error",)
        if isinstance(v, tuple) and len(v) == 2 and isinstance(v[0], str):
            kind, value = v
            if kind in ("array", "set", "push") and isinstance(value, list):
                return (kind, [self.key(x) for x in value])
            return (kind,)
        if isinstance(v, (list, tuple)):
            return (type(v).__name__, [self.key(x) for x in v])
        return (type(v).__name__,)

    def equal(self, ref: Any, got: Any) -> bool:
        return self.key(ref) == self.key(got)


class _Approx(Norm):
    """Integers within a tolerance (TTL, PTTL); negative answers (-1, -2) exactly."""

    def __init__(self, tolerance: int) -> None:
        self.tolerance = tolerance
        self.name = f"approx({tolerance})"

    @staticmethod
    def number(v: Any) -> int | None:
        if isinstance(v, tuple) and len(v) == 2 and v[0] == "int":
            return v[1]
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        return None

    def equal(self, ref: Any, got: Any) -> bool:
        a, b = self.number(ref), self.number(got)
        if a is None or b is None or a < 0 or b < 0:
            return ref == got
        return abs(a - b) <= self.tolerance


EXACT = Norm()
UNORDERED = _Unordered()
SCAN = _Scan()
RANDOM = _Random()
SHAPE = _Shape()


def approx(tolerance: int) -> Norm:
    return _Approx(tolerance)


# Commands whose replies need a normaliser whenever they appear.
DEFAULT_NORMS: dict[bytes, Norm] = {
    b"KEYS": UNORDERED,
    b"SCAN": SCAN,
    b"RANDOMKEY": RANDOM,
    b"TTL": approx(1),
    b"PTTL": approx(1000),
    b"EXPIRETIME": approx(1),
    b"PEXPIRETIME": approx(1000),
    b"TIME": SHAPE,
    b"INFO": SHAPE,
    b"LASTSAVE": SHAPE,
}


@dataclass
class Cmd:
    argv: tuple[Arg, ...]
    norm: Norm | None = None
    # Wait this long (seconds) before sending it (expiry tests).
    sleep: float = 0.0

    def normaliser(self) -> Norm:
        if self.norm is not None:
            return self.norm
        name = to_bytes(self.argv[0]).upper() if self.argv else b""
        if (
            name == b"OBJECT"
            and len(self.argv) > 1
            and to_bytes(self.argv[1]).upper() == b"IDLETIME"
        ):
            return approx(2)
        return DEFAULT_NORMS.get(name, EXACT)


def C(*argv: Arg, norm: Norm | None = None, sleep: float = 0.0) -> Cmd:
    """One command of a case; ``norm`` overrides the command's default normaliser."""
    return Cmd(tuple(argv), norm, sleep)


Step = Union[Cmd, Sequence[Arg]]


def as_cmd(step: Step) -> Cmd:
    return step if isinstance(step, Cmd) else Cmd(tuple(step))


# -- running ------------------------------------------------------------------------------


@dataclass
class Mismatch:
    level: str
    index: int
    argv: tuple[Arg, ...]
    norm: str
    real: Any
    others: dict[str, Any]

    def __str__(self) -> str:
        lines = [
            f"[{self.level}] #{self.index} {fmt_argv(self.argv)}  ({self.norm})",
            f"    real redis : {self.real!r}",
        ]
        for name, value in self.others.items():
            lines.append(f"    {name:<11}: {value!r}")
        return "\n".join(lines)


def fmt_argv(argv: Sequence[Arg]) -> str:
    out = []
    for a in argv:
        b = to_bytes(a)
        s = b.decode("utf-8", "backslashreplace")
        out.append(s if s and all(c.isprintable() and c != " " for c in s) else repr(b))
    return " ".join(out)


def py_result(client: redis.Redis, argv: Sequence[Arg]) -> Any:
    try:
        return client.execute_command(*argv)
    except redis.RedisError as e:
        return ("EXC", type(e).__name__, str(e))
    except _Failed as e:
        return e.args[0]
    except Exception as e:  # a response callback choking on the reply
        return ("PYEXC", type(e).__name__, str(e))


class _Unusable:
    """A client that could not even connect: every command answers why."""

    def __init__(self, error: Exception) -> None:
        self.error = ("EXC", type(error).__name__, f"while connecting: {error}")

    def execute_command(self, *argv: Any) -> Any:
        raise _Failed(self.error)

    def close(self) -> None:
        pass


class _Failed(Exception):
    pass


def _client(make: Callable[[], Any]) -> Any:
    try:
        return make()
    except redis.RedisError as e:
        return _Unusable(e)


class Targets:
    """Where the three targets live; makes fresh clients for one run."""

    def __init__(self, real_port: int, server_port: int, tmpdir: str) -> None:
        self.real_port = real_port
        self.server_port = server_port
        self.tmpdir = tmpdir
        self._n = 0

    def fresh_path(self) -> str:
        """A new database file for the embedded target (the equivalent of FLUSHALL)."""
        self._n += 1
        return os.path.join(self.tmpdir, f"diff-{os.getpid()}-{self._n}.db")

    def flushall(self) -> None:
        for port in (self.real_port, self.server_port):
            c = RawClient(port)
            try:
                reply = c.execute(["FLUSHALL"])
            finally:
                c.close()
            if reply != ("simple", b"OK"):
                raise AssertionError(f"FLUSHALL on port {port} answered {reply!r}")

    def raw_clients(self) -> dict[str, Any]:
        return {
            "real": RawClient(self.real_port),
            "server": RawClient(self.server_port),
            "embedded": EmbeddedRaw(_native.Db(self.fresh_path())),
        }

    def py_clients(self, protocol: int | None) -> dict[str, Any]:
        kw: dict[str, Any] = {"single_connection_client": True}
        if protocol is not None:
            kw["protocol"] = protocol
        return {
            "real": _client(lambda: redis.Redis(port=self.real_port, **kw)),
            "server": _client(lambda: redis.Redis(port=self.server_port, **kw)),
            "embedded": _client(lambda: redlite.Redis(self.fresh_path(), **kw)),
        }


def run_level(targets: Targets, level: str, steps: Iterable[Step]) -> list[Mismatch]:
    """Run the steps on a fresh state of all three targets; every difference found."""
    cmds = [as_cmd(s) for s in steps]
    targets.flushall()
    mismatches: list[Mismatch] = []
    if level == "raw":
        clients = targets.raw_clients()
    else:
        clients = targets.py_clients(2 if level == "py2" else None)
    for name in [n for n, c in clients.items() if isinstance(c, _Unusable)]:
        mismatches.append(
            Mismatch(
                level,
                -1,
                ("(connect)",),
                "connect",
                "connected",
                {name: clients.pop(name).error},
            )
        )
    try:
        for i, cmd in enumerate(cmds):
            if cmd.sleep:
                time.sleep(cmd.sleep)
            results: dict[str, Any] = {}
            for name, client in clients.items():
                if level == "raw":
                    try:
                        results[name] = client.execute(cmd.argv)
                    except (OSError, ConnectionError, ProtocolError) as e:
                        results[name] = ("CONNECTION", repr(e))
                    if to_bytes(cmd.argv[0]).upper() == b"QUIT":
                        client.connect()
                else:
                    results[name] = py_result(client, cmd.argv)
            norm = cmd.normaliser()
            ref = results.pop("real")
            bad = {n: v for n, v in results.items() if not norm.equal(ref, v)}
            if bad:
                mismatches.append(Mismatch(level, i, cmd.argv, norm.name, ref, bad))
    finally:
        for client in clients.values():
            try:
                client.close()
            except Exception:
                pass
    return mismatches


def check(targets: Targets, level: str, steps: Iterable[Step]) -> None:
    """Assert that every reply of every target equals real Redis's (after normalising)."""
    mismatches = run_level(targets, level, list(steps))
    if mismatches:
        shown = "\n".join(str(m) for m in mismatches[:12])
        more = f"\n... and {len(mismatches) - 12} more" if len(mismatches) > 12 else ""
        raise AssertionError(
            f"{len(mismatches)} replies differ from real Redis:\n{shown}{more}"
        )


def cases_params(cases: dict[str, list[Step]]) -> list[Any]:
    """pytest params: every case at every level, ids ``name-level``."""
    import pytest

    return [
        pytest.param(steps, level, id=f"{name}-{level}")
        for name, steps in cases.items()
        for level in LEVELS
    ]


def new_tmpdir() -> str:
    return tempfile.mkdtemp(prefix="redlite-diff-")
