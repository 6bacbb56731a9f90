"""`redlite.Redis`: redis-py's client, with the engine in place of a server."""

from __future__ import annotations

from typing import Any, Optional

import redis

from .connection import MEMORY, EmbeddedConnectionPool, parse_url

__all__ = ["Redis", "StrictRedis", "from_url"]

# Arguments of redis.Redis that only mean something for a socket: accepted, so code
# written for redis-py runs unchanged, and ignored.
_SOCKET_ONLY = (
    "host", "port", "unix_socket_path", "socket_timeout", "socket_connect_timeout",
    "socket_keepalive", "socket_keepalive_options", "socket_read_size", "ssl",
    "ssl_keyfile", "ssl_certfile", "ssl_cert_reqs", "ssl_include_verify_flags",
    "ssl_exclude_verify_flags", "ssl_ca_certs", "ssl_ca_path", "ssl_ca_data",
    "ssl_check_hostname", "ssl_password", "ssl_validate_ocsp",
    "ssl_validate_ocsp_stapled", "ssl_ocsp_context", "ssl_ocsp_expected_cert",
    "ssl_min_version", "ssl_ciphers", "maint_notifications_config",
    "oss_cluster_maint_notifications_handler", "connection_class",
)

# Arguments of redis.Redis that are the client's own, not the connections'.
_CLIENT_ONLY = ("single_connection_client", "event_dispatcher", "cache", "cache_config")


class Redis(redis.Redis):
    """A redis-py ``Redis`` whose commands run in this process on a SQLite file.

    ``Redis("app.db")``; ``Redis()`` is a private in-memory database. Every other
    argument is redis-py's (``db``, ``decode_responses``, ``protocol``, ...).
    """

    def __init__(
        self,
        path: Optional[str] = MEMORY,
        db: int = 0,
        *,
        durability: str = "normal",
        connection_pool: Optional[redis.ConnectionPool] = None,
        **kwargs: Any,
    ) -> None:
        client_kwargs = {k: kwargs.pop(k) for k in _CLIENT_ONLY if k in kwargs}
        if client_kwargs.pop("cache", None) is not None or client_kwargs.pop("cache_config", None):
            raise redis.RedisError("client-side caching is not supported by redlite.Redis")
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

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> "Redis":
        """``Redis.from_url("redlite:///path/app.db?db=1&decode_responses=true")``."""
        options = parse_url(url)
        kwargs.update(options)
        return cls(**kwargs)

    @classmethod
    def from_pool(cls, connection_pool: redis.ConnectionPool) -> "Redis":
        client = cls(connection_pool=connection_pool)
        client.auto_close_connection_pool = True
        return client

    @property
    def path(self) -> str:
        """The database file, or ``":memory:"``."""
        return getattr(self.connection_pool, "path", MEMORY)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}(path={self.path!r})>"


StrictRedis = Redis


def from_url(url: str, **kwargs: Any) -> Redis:
    """A :class:`Redis` for a ``redlite:`` URL, e.g. ``redlite:///path/app.db``."""
    return Redis.from_url(url, **kwargs)
