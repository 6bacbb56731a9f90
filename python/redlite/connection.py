"""In-process connections: redis-py's connection API, backed by the engine.

An :class:`EmbeddedConnection` owns one engine ``Session`` on the pool's shared
``Db``. Commands are executed when they are "sent" (as a server runs them on
arrival) and their replies are queued; ``read_response`` converts the next reply
exactly as redis-py's parser would have parsed it off a socket. No socket, no RESP.

Pub/sub messages arrive at any time, in the session's outbox (see the engine's
outbox.rs): they are queued before the reply of each command run, and
``can_read`` / ``read_response`` wait for them when nothing else is queued, so
redis-py's ``PubSub`` (``get_message``, ``listen``, ``run_in_thread``) works
in-process. A RESP3 push read where a reply is expected is skipped, as redis-py's
parser hands it to its push handler.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections import deque
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from redis.connection import AbstractConnection, ConnectionPool
from redis.exceptions import AuthenticationError, ConnectionError, ResponseError

from . import _native

try:  # redis-py >= 5.3
    from redis.connection import URL_QUERY_ARGUMENT_PARSERS as _QUERY_PARSERS
except ImportError:  # pragma: no cover
    _QUERY_PARSERS = {"db": int, "max_connections": int, "protocol": int}

try:
    from redis.maint_notifications import MaintNotificationsConfig
except ImportError:  # pragma: no cover - redis-py < 7
    MaintNotificationsConfig = None

try:
    from redis.utils import check_protocol_version as _check_protocol
except ImportError:  # pragma: no cover - redis-py < 5.1: RESP2 unless asked

    def _check_protocol(protocol: Any, expected: int = 3) -> bool:
        return protocol is not None and int(protocol) == expected


__all__ = [
    "EmbeddedConnection",
    "EmbeddedConnectionPool",
    "open_db",
    "parse_url",
    "MEMORY",
]

MEMORY = ":memory:"
_SERVER_CLOSED = "Connection closed by server."
_FALSE = ("0", "F", "FALSE", "N", "NO", "OFF")

_dbs: weakref.WeakValueDictionary[tuple[str, str, int], _native.Db] = (
    weakref.WeakValueDictionary()
)
_dbs_lock = threading.Lock()


def _is_memory(path: Any) -> bool:
    return path is None or path in ("", MEMORY)


def open_db(path: str | None = MEMORY, durability: str = "normal") -> _native.Db:
    """The process's ``Db`` for a file (shared while in use), or a new in-memory one."""
    if _is_memory(path):
        return _native.Db(None, durability)
    path = os.fspath(path)
    key = (os.path.realpath(path), durability, os.getpid())
    with _dbs_lock:
        db = _dbs.get(key)
        if db is None:
            db = _native.Db(path, durability)
            _dbs[key] = db
        return db


class EmbeddedConnection(AbstractConnection):
    """A redis-py connection whose "server" is the engine, in this process."""

    def __init__(
        self,
        path: str | None = MEMORY,
        durability: str = "normal",
        native_db: _native.Db | None = None,
        **kwargs: Any,
    ) -> None:
        self.path = MEMORY if _is_memory(path) else os.fspath(path)
        self.durability = durability
        self._native_db = native_db
        self._session: _native.Session | None = None
        self._pending: deque[Any] = deque()
        # Orders the session's pushes and replies into _pending: a PubSub's reader
        # thread takes pushes while another thread runs (UN)SUBSCRIBE.
        self._order = threading.Lock()
        for name in (
            "host",
            "port",
            "socket_keepalive",
            "socket_keepalive_options",
            "socket_type",
        ):
            kwargs.pop(name, None)
        super().__init__(**kwargs)

    # -- identity ------------------------------------------------------------------

    def repr_pieces(self) -> list[tuple[str, Any]]:
        pieces: list[tuple[str, Any]] = [("path", self.path), ("db", self.db)]
        if self.client_name:
            pieces.append(("client_name", self.client_name))
        return pieces

    # redis-py's observability and maintenance code reads host and port.
    @property
    def host(self) -> str:
        return self.path

    @host.setter
    def host(self, value: str) -> None:
        pass

    @property
    def port(self) -> int | None:
        return None

    @port.setter
    def port(self, value: Any) -> None:
        pass

    @property
    def socket_timeout(self) -> Any:
        return getattr(self, "_socket_timeout", None)

    @socket_timeout.setter
    def socket_timeout(self, value: Any) -> None:
        self._socket_timeout = value

    @property
    def socket_connect_timeout(self) -> Any:
        return getattr(self, "_socket_connect_timeout", None)

    @socket_connect_timeout.setter
    def socket_connect_timeout(self, value: Any) -> None:
        self._socket_connect_timeout = value

    def _host_error(self) -> str:
        return f"redlite:{self.path}"

    def _get_socket(self) -> None:
        return None

    # -- connecting ------------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        return self._session is not None

    def _connect(self) -> _native.Session:
        if self._native_db is None:
            try:
                self._native_db = open_db(self.path, self.durability)
            except OSError as e:
                raise ConnectionError(f"Error opening {self.path}: {e}") from e
        return _native.Session(self._native_db, self._parser.parse_error)

    def connect(self) -> None:
        """Open a fresh engine session and run the handshake (HELLO, AUTH, SELECT)."""
        self.connect_check_health(check_health=True)

    def connect_check_health(
        self, check_health: bool = True, retry_socket_connect: bool = True
    ) -> None:
        if self._session is not None:
            return
        self._session = self._connect()
        self._sock = self._session  # redis-py code tests `_sock` for "connected"
        try:
            if self.redis_connect_func is None:
                self.on_connect_check_health(check_health=check_health)
            else:
                self.redis_connect_func(self)
        except BaseException:
            self.disconnect()
            raise
        self._connect_callbacks = [ref for ref in self._connect_callbacks if ref()]
        for ref in self._connect_callbacks:
            callback = ref()
            if callback:
                callback(self)

    def on_connect(self) -> None:
        self.on_connect_check_health(check_health=True)

    def on_connect_check_health(self, check_health: bool = True) -> None:
        """The handshake redis-py sends a server, less its socket-only parts."""
        reset = getattr(self, "_reset_himport_state", None)
        if reset is not None:
            reset()
        session = self._session
        assert session is not None
        auth_args = None
        if self.credential_provider or (self.username or self.password):
            from redis.credentials import UsernamePasswordCredentialProvider

            provider = self.credential_provider or UsernamePasswordCredentialProvider(
                self.username, self.password
            )
            auth_args = provider.get_credentials()

        if _check_protocol(self.protocol, 3):
            hello: list[Any] = ["HELLO", 3]
            if auth_args:
                hello += [
                    "AUTH",
                    *(["default", *auth_args] if len(auth_args) == 1 else auth_args),
                ]
            reply = session.run(self._argv(hello))
            if _unknown_command(reply):
                # An engine without HELLO yet: convert replies for RESP3 here, and
                # authenticate with AUTH when asked to.
                session.protocol = 3
                self.handshake_metadata = {b"proto": 3}
                if auth_args and _str(self._send_checked("AUTH", *auth_args)) != "OK":
                    raise AuthenticationError("Invalid Username or Password")
            else:
                self._pending.append(reply)
                self.handshake_metadata = self.read_response()
        elif auth_args:
            if _str(self._send_checked("AUTH", *auth_args)) != "OK":
                raise AuthenticationError("Invalid Username or Password")

        if self.client_name:
            if _str(self._send_checked("CLIENT", "SETNAME", self.client_name)) != "OK":
                raise ConnectionError("Error setting client name")

        info = getattr(self, "driver_info", None)
        for field, value in (
            ("LIB-NAME", getattr(info, "formatted_name", None)),
            ("LIB-VER", getattr(info, "lib_version", None)),
        ):
            if value:
                try:
                    self._send_checked("CLIENT", "SETINFO", field, value)
                except ResponseError:
                    pass

        if self.db:
            if _str(self._send_checked("SELECT", self.db)) != "OK":
                raise ConnectionError("Invalid Database")

    def _send_checked(self, *args: Any) -> Any:
        self.send_command(*args, check_health=False)
        return self.read_response()

    def disconnect(self, *args: Any, **kwargs: Any) -> None:
        """Drop the session: its selected db and connection state go with it."""
        reset = getattr(self, "_reset_himport_state", None)
        if reset is not None:
            reset()
        self._session = None
        self._sock = None
        self._pending.clear()
        reset_flag = getattr(self, "reset_should_reconnect", None)
        if reset_flag is not None:
            reset_flag()

    def check_health(self) -> None:
        """Nothing can break between the client and an in-process engine."""
        return None

    # -- commands ----------------------------------------------------------------------

    def pack_command(self, *args: Any) -> list[list[Any]]:
        """One command as the engine takes it: a list of byte strings."""
        return [self._argv(args)]

    def pack_commands(self, commands: Sequence[Sequence[Any]]) -> list[list[Any]]:
        return [self._argv(args) for args in commands]

    def _argv(self, args: Sequence[Any]) -> list[Any]:
        # As redis-py's serializer: a first argument "CONFIG GET" is two arguments.
        first = args[0]
        if isinstance(first, str):
            head: list[Any] = first.encode().split()
        elif isinstance(first, (bytes, bytearray)) and b" " in first:
            head = first.split()
        else:
            head = [first]
        encode = self.encoder.encode
        return [encode(a) for a in head] + [encode(a) for a in args[1:]]

    def send_command(self, *args: Any, **kwargs: Any) -> None:
        self.send_packed_command(
            [self._argv(args)], check_health=kwargs.get("check_health", True)
        )

    def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        """Run the packed commands now; their replies wait for read_response."""
        if self._session is None:
            self.connect_check_health(check_health=False)
        session = self._session
        assert session is not None
        failed_multi: Any | None = None
        if len(command) > 1:
            # A pipeline: as many commands as the engine takes in one batch, whose
            # writes share a COMMIT (Session.run_batch); the rest one by one below.
            ran = session.run_batch(command)
            with self._order:
                for pushes, reply in ran:
                    self._pending.extend(pushes)
                    self._pending.append(reply)
            session.nudge()
            if ran and ran[-1][1].is_error and _name(command[len(ran) - 1]) == b"MULTI":
                failed_multi = ran[-1][1]
            command = command[len(ran) :]
        for argv in command:
            if session.closing():
                break  # after QUIT a server reads nothing more
            if failed_multi is not None:
                # The engine refused MULTI: never run the queued commands outside a
                # transaction. Answer them as Redis answers a discarded transaction.
                name = _name(argv)
                if name == b"EXEC":
                    self._pending.append(
                        _Synthetic(
                            "EXECABORT Transaction discarded because of previous errors."
                        )
                    )
                    failed_multi = None
                elif name == b"DISCARD":
                    self._pending.append(_Synthetic("ERR DISCARD without MULTI"))
                    failed_multi = None
                else:
                    self._pending.append(failed_multi)
                continue
            reply = session.run(argv)
            with self._order:
                self._pending.extend(session.take_pushes())
                self._pending.append(reply)
            # A PubSub's reader thread may be waiting on this connection for messages
            # (UNSUBSCRIBE sent from another thread): let it read this reply.
            session.nudge()
            if reply.is_error and _name(argv) == b"MULTI":
                failed_multi = reply

    def _take_pushes(self) -> None:
        session = self._session
        if session is not None:
            with self._order:
                self._pending.extend(session.take_pushes())

    def can_read(self, timeout: float | None = 0) -> bool:
        """True if a reply or a message is there to read, waiting up to ``timeout``
        seconds (None: for ever) for a message."""
        if self._session is None:
            self.connect()
        if not self._pending:
            self._take_pushes()
        session = self._session
        if not self._pending and session is not None and timeout != 0:
            # A wake-up may find nothing new (a nudge left over from a reply that was
            # read meanwhile): wait again for what is left of the timeout.
            deadline = None if timeout is None else time.monotonic() + float(timeout)
            while not self._pending:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    break
                if session.wait_pushes(left):
                    self._take_pushes()
        return bool(self._pending)

    def read_response(
        self,
        disable_decoding: bool = False,
        *,
        timeout: Any = None,
        disconnect_on_error: bool = True,
        push_request: bool = False,
    ) -> Any:
        """The next reply, as redis-py's parser returns it; an error reply is raised.

        With nothing queued, a subscribed session waits for a message (for ever, or
        ``timeout`` seconds, then None).
        """
        while True:
            if not self._pending:
                self._take_pushes()
            session = self._session
            if not self._pending and session is not None and session.subscribed:
                wait = None if timeout is None or timeout is False else float(timeout)
                if not session.wait_pushes(wait):
                    return None
                continue
            try:
                reply = self._pending.popleft()
            except IndexError:
                if disconnect_on_error:
                    self.disconnect()
                raise ConnectionError(_SERVER_CLOSED) from None
            if not push_request and getattr(reply, "is_push", False):
                continue  # a RESP3 push where a reply is expected: redis-py drops it too
            break
        enc = self.encoder
        if isinstance(reply, _Synthetic):
            response = self._parser.parse_error(reply.text)
        elif enc.decode_responses and not disable_decoding:
            response = reply.value(enc.encoding, enc.encoding_errors)
        else:
            response = reply.value()
        session = self._session
        if session is not None and not self._pending and session.closing():
            self.disconnect()  # QUIT: the server closes once the reply is sent
        if self.health_check_interval:
            self.next_health_check = time.monotonic() + self.health_check_interval
        if isinstance(response, ConnectionError):
            if disconnect_on_error:
                self.disconnect()
            raise response
        if isinstance(response, ResponseError):
            try:
                raise response
            finally:
                del response
        return response


class _Synthetic:
    """An error reply made by the connection itself (see send_packed_command)."""

    __slots__ = ("text",)
    is_error = True

    def __init__(self, text: str) -> None:
        self.text = text


def _name(argv: Sequence[Any]) -> bytes:
    first = argv[0] if argv else b""
    if isinstance(first, str):
        first = first.encode()
    return bytes(first).upper()


def _unknown_command(reply: Any) -> bool:
    if not reply.is_error:
        return False
    _, text = reply.tree()
    return text.startswith("ERR unknown command")


def _str(value: Any) -> Any:
    return value.decode() if isinstance(value, bytes) else value


class EmbeddedConnectionPool(ConnectionPool):
    """A redis-py connection pool of :class:`EmbeddedConnection` on one shared ``Db``."""

    def __init__(
        self,
        path: str | None = MEMORY,
        durability: str = "normal",
        connection_class: type = EmbeddedConnection,
        max_connections: int | None = None,
        **connection_kwargs: Any,
    ) -> None:
        self.path = MEMORY if _is_memory(path) else os.fspath(path)
        self.durability = durability
        self._native_db: _native.Db | None = None
        extra: dict[str, Any] = {}
        if MaintNotificationsConfig is not None:
            # Maintenance notifications are about servers moving; there is none.
            extra["maint_notifications_config"] = MaintNotificationsConfig(
                enabled=False
            )
        super().__init__(
            connection_class=connection_class,
            max_connections=max_connections,
            path=self.path,
            durability=durability,
            **extra,
            **connection_kwargs,
        )
        self._native_db = (
            self.native_db
        )  # a bad path fails here, not at the first command

    @property
    def native_db(self) -> _native.Db:
        """The shared engine database."""
        db = self._native_db
        if db is None:
            try:
                db = open_db(self.path, self.durability)
            except OSError as e:
                raise ConnectionError(f"Error opening {self.path}: {e}") from e
            self._native_db = db
        return db

    def reset(self) -> None:
        super().reset()
        # After a fork, a file's SQLite connections must not be reused: reopen. An
        # in-memory database has nothing to reopen from, so it keeps its own.
        if getattr(self, "path", MEMORY) != MEMORY:
            self._native_db = None

    def make_connection(self) -> Any:
        kwargs = self.connection_kwargs
        kwargs["native_db"] = self.native_db
        try:
            return super().make_connection()
        finally:
            kwargs.pop("native_db", None)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}(path={self.path!r})>"


def parse_url(url: str) -> dict[str, Any]:
    """Keyword arguments of :class:`redlite.Redis` for a ``redlite:`` URL.

    ``redlite:///abs/path.db``, ``redlite:relative.db``, ``redlite://`` (in memory);
    query arguments as redis-py's (``db``, ``decode_responses``, ``protocol``, ...)
    plus ``durability``.
    """
    parsed = urlparse(url)
    if parsed.scheme != "redlite":
        raise ValueError(
            "redlite URL must use the redlite: scheme, e.g. redlite:///path/app.db"
        )
    if parsed.netloc:
        raise ValueError(
            "a redlite URL has no host: write redlite:///abs/path.db or redlite:relative.db"
        )
    kwargs: dict[str, Any] = {}
    for name, values in parse_qs(parsed.query).items():
        if not values:
            continue
        value = values[0]
        parser = _QUERY_PARSERS.get(name)
        if name == "decode_responses":
            kwargs[name] = value.upper() not in _FALSE
        elif parser is not None:
            try:
                kwargs[name] = parser(value)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Invalid value for '{name}' in connection URL."
                ) from None
        else:
            kwargs[name] = value
    path = unquote(parsed.path)
    if path in ("", "/", "/" + MEMORY, MEMORY):
        path = MEMORY
    kwargs["path"] = path
    return kwargs
