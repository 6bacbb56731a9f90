"""`redlite.Redis`: redis-py's client, with the engine in place of a server."""

from __future__ import annotations

import os
import threading
import weakref
from typing import Any

import redis

from .connection import MEMORY, EmbeddedConnection, EmbeddedConnectionPool, parse_url

__all__ = ["Redis", "StrictRedis", "from_url"]

# Arguments of redis.Redis that only mean something for a socket: accepted, so code
# written for redis-py runs unchanged, and ignored.
_SOCKET_ONLY = (
    "host",
    "port",
    "unix_socket_path",
    "socket_timeout",
    "socket_connect_timeout",
    "socket_keepalive",
    "socket_keepalive_options",
    "socket_read_size",
    "ssl",
    "ssl_keyfile",
    "ssl_certfile",
    "ssl_cert_reqs",
    "ssl_include_verify_flags",
    "ssl_exclude_verify_flags",
    "ssl_ca_certs",
    "ssl_ca_path",
    "ssl_ca_data",
    "ssl_check_hostname",
    "ssl_password",
    "ssl_validate_ocsp",
    "ssl_validate_ocsp_stapled",
    "ssl_ocsp_context",
    "ssl_ocsp_expected_cert",
    "ssl_min_version",
    "ssl_ciphers",
    "maint_notifications_config",
    "oss_cluster_maint_notifications_handler",
    "connection_class",
)

# Arguments of redis.Redis that are the client's own, not the connections'.
_CLIENT_ONLY = ("single_connection_client", "event_dispatcher", "cache", "cache_config")


# The clients whose per-thread connections a fork must drop (see _after_fork).
_clients: weakref.WeakSet[Redis] = weakref.WeakSet()


def _after_fork() -> None:
    # SQLite connections must not cross a fork: the child opens its own (the pool
    # reopens the Db on its first use in the new process, as redis-py's pools do).
    for client in list(_clients):
        client._drop_fast_connections()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


class Redis(redis.Redis):
    """A redis-py ``Redis`` whose commands run in this process on a SQLite file.

    ``Redis("app.db")``; ``Redis()`` is a private in-memory database. Every other
    argument is redis-py's (``db``, ``decode_responses``, ``protocol``, ...).

    The fast path. redis-py spends far longer on a command than the engine does
    (checking a connection out of the pool and back, retries, metrics, packing):
    about 15 µs of a 18 µs GET. So a command run through this client goes straight to
    a connection of its own for the calling thread (opened on first use with the
    pool's handshake: HELLO, AUTH, CLIENT SETNAME, SELECT), and the reply goes
    through redis-py's response callbacks as before. ``get`` and ``set`` (without
    options) go further and call the engine session directly. What differs from
    redis-py: no retries (nothing to retry in process) and no per-command metrics;
    commands of one thread share one session (so a SELECT sticks for that thread).
    Pipelines, transactions, pub/sub and ``single_connection_client=True`` use the
    pool as redis-py does.
    """

    def __init__(
        self,
        path: str | None = MEMORY,
        db: int = 0,
        *,
        durability: str = "normal",
        connection_pool: redis.ConnectionPool | None = None,
        **kwargs: Any,
    ) -> None:
        client_kwargs = {k: kwargs.pop(k) for k in _CLIENT_ONLY if k in kwargs}
        if client_kwargs.pop("cache", None) is not None or client_kwargs.pop(
            "cache_config", None
        ):
            raise redis.RedisError(
                "client-side caching is not supported by redlite.Redis"
            )
        for name in _SOCKET_ONLY:
            kwargs.pop(name, None)
        owns_pool = connection_pool is None
        if owns_pool:
            connection_pool = EmbeddedConnectionPool(
                path=path, durability=durability, db=db, **kwargs
            )
        super().__init__(connection_pool=connection_pool, **client_kwargs)
        # The pool is ours: close() should close it, as redis.Redis does with its own.
        self.auto_close_connection_pool = owns_pool
        self._drop_fast_connections()
        _clients.add(self)

    # -- the fast path (see the class docstring) ---------------------------------------

    _fast_on = False
    _fast_kv = False

    def _drop_fast_connections(self) -> None:
        """Forget the per-thread connections (at start, and in a forked child)."""
        self._fast_lock = threading.Lock()
        self._fast = threading.local()
        self._fast_conns: list[EmbeddedConnection] = []
        pool = self.connection_pool
        enc = pool.get_encoder()
        utf8 = enc.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
        # Off where redis-py's path must decide: a pinned connection, a pool of
        # other connections. get/set need UTF-8 (the engine's encoding of str).
        self._fast_on = (
            getattr(self, "connection", None) is None
            and isinstance(pool, EmbeddedConnectionPool)
            and issubclass(pool.connection_class, EmbeddedConnection)
        )
        self._fast_kv = self._fast_on and utf8 and enc.encoding_errors == "strict"
        self._fast_decode = (
            (enc.encoding, enc.encoding_errors)
            if enc.decode_responses
            else (None, "strict")
        )

    def _fast_connection(self) -> EmbeddedConnection:
        """This thread's connection, connected."""
        try:
            conn = self._fast.conn
        except AttributeError:
            pool = self.connection_pool
            pool._checkpid()  # after a fork, the pool reopens its Db first
            kwargs = dict(pool.connection_kwargs)
            kwargs["native_db"] = pool.native_db
            conn = pool.connection_class(**kwargs)
            with self._fast_lock:
                self._fast_conns.append(conn)
            self._fast.conn = conn
        if conn._session is None:
            conn.connect()
        return conn

    def execute_command(self, *args: Any, **options: Any) -> Any:
        if not self._fast_on:
            return super().execute_command(*args, **options)
        conn = self._fast_connection()
        conn.send_command(*args)
        return self.parse_response(conn, args[0], **options)

    def get(self, name: Any) -> Any:
        t = type(name)
        if not self._fast_kv or (t is not bytes and t is not str):
            return super().get(name)
        conn = self._fast_connection()
        session = conn._session
        if session.subscribed:  # its messages must be read in order with replies
            return super().get(name)
        value = session.execute((b"GET", name), *self._fast_decode)
        if isinstance(value, BaseException):
            _raise(conn, value)
        callback = self.response_callbacks.get("GET")
        return callback(value) if callback is not None else value

    def set(self, name: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
        t, v = type(name), type(value)
        if (
            args
            or kwargs
            or not self._fast_kv
            or (t is not bytes and t is not str)
            or (v is not bytes and v is not str and v is not int and v is not float)
        ):
            return super().set(name, value, *args, **kwargs)
        conn = self._fast_connection()
        session = conn._session
        if session.subscribed:
            return super().set(name, value)
        reply = session.execute((b"SET", name, value), *self._fast_decode)
        if isinstance(reply, BaseException):
            _raise(conn, reply)
        callback = self.response_callbacks.get("SET")
        return callback(reply) if callback is not None else reply

    def close(self) -> None:
        if not hasattr(self, "_fast_lock"):  # __init__ failed
            return super().close()
        with self._fast_lock:
            conns, self._fast_conns = self._fast_conns, []
            self._fast = threading.local()
        for conn in conns:
            conn.disconnect()
        super().close()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Redis:
        """``Redis.from_url("redlite:///path/app.db?db=1&decode_responses=true")``."""
        options = parse_url(url)
        kwargs.update(options)
        return cls(**kwargs)

    @classmethod
    def from_pool(cls, connection_pool: redis.ConnectionPool) -> Redis:
        client = cls(connection_pool=connection_pool)
        client.auto_close_connection_pool = True
        return client

    @property
    def path(self) -> str:
        """The database file, or ``":memory:"``."""
        return getattr(self.connection_pool, "path", MEMORY)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}(path={self.path!r})>"


def _raise(conn: EmbeddedConnection, error: BaseException) -> None:
    """An error reply, raised as EmbeddedConnection.read_response raises it."""
    if isinstance(error, redis.ConnectionError):
        conn.disconnect()
    raise error


StrictRedis = Redis


def from_url(url: str, **kwargs: Any) -> Redis:
    """A :class:`Redis` for a ``redlite:`` URL, e.g. ``redlite:///path/app.db``."""
    return Redis.from_url(url, **kwargs)
